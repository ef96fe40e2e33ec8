/*
 * screening/csvout.c: writing screening results as the CSV of the batch
 * mode: `id_no,name,measure,start_date,end_date,kind,rules,
 * jurisdiction_code,evidence`, one row per person in the results' order
 * (by id_no). Large results are formatted by several threads in memory,
 * chunk by chunk, and written in order while the next chunks are
 * formatted.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "epigrid/csv.h"
#include "epigrid/screening.h"

/* Append the decimal digits of v to *p. */
static void put_num(char **p, unsigned long long v)
{
    char d[24];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *(*p)++ = d[--n];
}

/* Append a date as YYYY-MM-DD to *p. */
static void put_date(char **p, eg_date d)
{
    int y, m, day;
    eg_date_to_ymd(d, &y, &m, &day);
    char *q = *p;
    q[0] = (char)('0' + y / 1000 % 10);
    q[1] = (char)('0' + y / 100 % 10);
    q[2] = (char)('0' + y / 10 % 10);
    q[3] = (char)('0' + y % 10);
    q[4] = '-';
    q[5] = (char)('0' + m / 10);
    q[6] = (char)('0' + m % 10);
    q[7] = '-';
    q[8] = (char)('0' + day / 10);
    q[9] = (char)('0' + day % 10);
    *p = q + 10;
}

/* Append a string to *p. */
static void put_str(char **p, const char *s)
{
    size_t n = strlen(s);
    memcpy(*p, s, n);
    *p += n;
}

/* 1 if a field must go through eg_csv_write_field (quoting, a leading
 * formula character, blanks at either end). */
static int needs_care(const char *s)
{
    if (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '-' || s[0] == ' ' || s[0] == '\t')
        return 1;
    size_t n = strlen(s);
    if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        return 1;
    return strpbrk(s, ",\"\r\n") != NULL;
}

/* Write one result's row. Returns 0 or -1 on a write error. The fixed
 * part is formatted into a buffer by hand: half a million rows through
 * printf cost a tenth of a second. */
static int write_row(FILE *f, const eg_screen_results *rs, const eg_screen_result *r)
{
    char buf[512], *p = buf, s[EG_DATE_BUFSZ], e[EG_DATE_BUFSZ];
    const char *rules = r->rules == (EG_RULE_R1 | EG_RULE_R2) ? "R1;R2" : r->rules == EG_RULE_R2 ? "R2" : "R1";
    const char *juris = r->kind == EG_SCREEN_UNLOCATED ? "unlocated" : r->division;
    if (needs_care(r->id_no) || needs_care(r->name) || needs_care(juris)) {
        if (eg_csv_write_field(f, r->id_no) || fputc(',', f) == EOF || eg_csv_write_field(f, r->name) ||
            fprintf(f, ",%s,%s,%s,%s,%s,", eg_measure_name(r->measure), eg_date_format(r->start, s),
                    eg_date_format(r->end, e), eg_screen_kind_name(r->kind), rules) < 0 ||
            eg_csv_write_field(f, juris) || fputc(',', f) == EOF)
            return -1;
    } else {
        put_str(&p, r->id_no);
        *p++ = ',';
        put_str(&p, r->name);
        *p++ = ',';
        put_str(&p, eg_measure_name(r->measure));
        *p++ = ',';
        put_date(&p, r->start);
        *p++ = ',';
        put_date(&p, r->end);
        *p++ = ',';
        put_str(&p, eg_screen_kind_name(r->kind));
        *p++ = ',';
        put_str(&p, rules);
        *p++ = ',';
        put_str(&p, juris);
        *p++ = ',';
        if (fwrite(buf, 1, (size_t)(p - buf), f) != (size_t)(p - buf))
            return -1;
    }
    p = buf;
    for (size_t i = 0; i < r->nlegs + r->ncases; i++) {
        if (p - buf > (ptrdiff_t)sizeof buf - 40) {
            if (fwrite(buf, 1, (size_t)(p - buf), f) != (size_t)(p - buf))
                return -1;
            p = buf;
        }
        if (i)
            *p++ = ';';
        if (i < r->nlegs) {
            put_str(&p, "leg:");
            put_num(&p, r->legs[i]);
        } else {
            uint32_t c = r->cases[i - r->nlegs];
            long id = c < rs->ncase_ids ? rs->case_ids[c] : (long)c;
            put_str(&p, "case:");
            if (id < 0) {
                *p++ = '-';
                id = -id;
            }
            put_num(&p, (unsigned long long)id);
        }
    }
    *p++ = '\n';
    return fwrite(buf, 1, (size_t)(p - buf), f) == (size_t)(p - buf) ? 0 : -1;
}

/* Rows a thread formats at a time. */
#define CHUNK_ROWS 32768
/* Most threads that format rows. */
#define MAX_FORMATTERS 8

/* One thread's share of a round: rows [from, to) formatted in memory. */
typedef struct chunk {
    pthread_t th;
    const eg_screen_results *rs;
    size_t from, to;
    char *buf;
    size_t len;
    int failed;
} chunk;

/* Thread body: format a chunk's rows into a memory stream. */
static void *format_chunk(void *arg)
{
    chunk *c = arg;
    FILE *ms = open_memstream(&c->buf, &c->len);
    if (!ms) {
        c->failed = 1;
        return NULL;
    }
    for (size_t i = c->from; i < c->to && !c->failed; i++)
        if (write_row(ms, c->rs, &c->rs->v[i]))
            c->failed = 1;
    if (fclose(ms))
        c->failed = 1;
    return NULL;
}

/* Write the chunks c[0..n) of a round in order (the first `ok` of them;
 * f may be NULL to only free them) and free their buffers. */
static eg_err write_round(FILE *f, chunk *c, int n, int ok)
{
    eg_err e = EG_OK;
    for (int t = 0; t < n; t++) {
        if (t < ok && !e) {
            if (c[t].failed)
                e = EG_ERR_NOMEM;
            else if (f && c[t].len && fwrite(c[t].buf, 1, c[t].len, f) != c[t].len)
                e = EG_ERR_IO;
        }
        free(c[t].buf);
        c[t].buf = NULL;
    }
    return e;
}

eg_err eg_screen_write_csv(FILE *f, const eg_screen_results *rs)
{
    long np = sysconf(_SC_NPROCESSORS_ONLN);
    int nt = np < 1 ? 1 : np > MAX_FORMATTERS ? MAX_FORMATTERS : (int)np;
    eg_err e = EG_OK;
    if (!f || !rs)
        return EG_ERR_INVALID;
    if (fputs("id_no,name,measure,start_date,end_date,kind,rules,jurisdiction_code,evidence\n", f) == EOF)
        return EG_ERR_IO;
    if (nt == 1 || rs->n <= CHUNK_ROWS) {
        for (size_t i = 0; i < rs->n; i++)
            if (write_row(f, rs, &rs->v[i]))
                return EG_ERR_IO;
        return ferror(f) ? EG_ERR_IO : EG_OK;
    }
    /* rounds: each of nt threads formats CHUNK_ROWS rows in memory; while
     * a round is formatted the calling thread writes the one before */
    chunk c[2][MAX_FORMATTERS];
    int used[2] = { 0, 0 }, cur = 0;
    for (size_t at = 0; (at < rs->n || used[!cur]) && !e; cur = !cur) {
        int started = 0;
        used[cur] = 0;
        for (int t = 0; t < nt && at < rs->n; t++) {
            size_t to = at + CHUNK_ROWS < rs->n ? at + CHUNK_ROWS : rs->n;
            c[cur][t] = (chunk){ .rs = rs, .from = at, .to = to };
            at = to;
            used[cur]++;
        }
        for (int t = 0; t < used[cur]; t++, started++)
            if (pthread_create(&c[cur][t].th, NULL, format_chunk, &c[cur][t]) != 0)
                break;
        e = write_round(f, c[!cur], used[!cur], used[!cur]);
        used[!cur] = 0;
        for (int t = 0; t < started; t++)
            pthread_join(c[cur][t].th, NULL);
        if (started < used[cur]) { /* no thread: format here */
            for (int t = started; t < used[cur]; t++)
                format_chunk(&c[cur][t]);
        }
    }
    if (used[!cur]) /* an error stopped the loop: free what is left */
        write_round(NULL, c[!cur], used[!cur], 0);
    if (!e && ferror(f))
        e = EG_ERR_IO;
    return e;
}
