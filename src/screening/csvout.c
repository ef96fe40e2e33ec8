/*
 * screening/csvout.c: writing screening results as the CSV of the batch
 * mode: `id_no,name,measure,start_date,end_date,kind,rules,
 * jurisdiction_code,evidence`, one row per person in the results' order
 * (by id_no). Rows are formatted in memory, chunk by chunk, by several
 * threads for large results, and written in order while the next chunks
 * are formatted; each thread's buffer is reused from chunk to chunk.
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

/* Most bytes format_row writes for r. */
static size_t row_bound(const eg_screen_result *r)
{
    /* quoted id, name and division at most double; measure, dates, kind,
     * rules and commas under 96; each leg "leg:" or case "case:-" and up
     * to 20 digits, with a separator */
    return 2 * (EG_DOCNO_BUFSZ + EG_LEG_NAME_BUFSZ + EG_CODE_BUFSZ) + 8 + 96 +
           (r->nlegs + r->ncases) * 27 + 2;
}

/* Format one result's row at p (room for row_bound(r) bytes); returns
 * the end of what was written. The fixed part is formatted by hand:
 * half a million rows through printf cost a tenth of a second. */
static char *format_row(char *p, const eg_screen_results *rs, const eg_screen_result *r)
{
    const char *rules = r->rules == (EG_RULE_R1 | EG_RULE_R2) ? "R1;R2" : r->rules == EG_RULE_R2 ? "R2" : "R1";
    const char *juris = r->kind == EG_SCREEN_UNLOCATED ? "unlocated" : r->division;
    p += eg_csv_format_field(p, r->id_no);
    *p++ = ',';
    p += eg_csv_format_field(p, r->name);
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
    p += eg_csv_format_field(p, juris);
    *p++ = ',';
    for (size_t i = 0; i < r->nlegs + r->ncases; i++) {
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
    return p;
}

/* Rows a thread formats at a time. */
#define CHUNK_ROWS 32768
/* Most threads that format rows. */
#define MAX_FORMATTERS 8

/* One thread's share of a round: rows [from, to) formatted into buf
 * (kept from round to round, so its pages are touched once). */
typedef struct chunk {
    pthread_t th;
    const eg_screen_results *rs;
    size_t from, to;
    char *buf;
    size_t len, cap;
    int failed;
} chunk;

/* Thread body: format a chunk's rows into its buffer. */
static void *format_chunk(void *arg)
{
    chunk *c = arg;
    c->len = 0;
    for (size_t i = c->from; i < c->to; i++) {
        size_t need = row_bound(&c->rs->v[i]);
        if (c->len + need > c->cap) {
            size_t cap = c->cap ? c->cap : (size_t)(c->to - c->from) * 128;
            while (cap < c->len + need)
                cap *= 2;
            char *b = realloc(c->buf, cap);
            if (!b) {
                c->failed = 1;
                return NULL;
            }
            c->buf = b;
            c->cap = cap;
        }
        c->len = (size_t)(format_row(c->buf + c->len, c->rs, &c->rs->v[i]) - c->buf);
    }
    return NULL;
}

/* Write the chunks c[0..n) of a round in order (f may be NULL to skip). */
static eg_err write_round(FILE *f, const chunk *c, int n)
{
    for (int t = 0; t < n; t++) {
        if (c[t].failed)
            return EG_ERR_NOMEM;
        if (f && c[t].len && fwrite(c[t].buf, 1, c[t].len, f) != c[t].len)
            return EG_ERR_IO;
    }
    return EG_OK;
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
    if (rs->n <= CHUNK_ROWS)
        nt = 1;
    /* rounds: each of nt threads formats CHUNK_ROWS rows into its buffer;
     * while a round is formatted the calling thread writes the one before
     * (with one thread, the calling thread formats and writes in turn) */
    chunk c[2][MAX_FORMATTERS];
    int used[2] = { 0, 0 }, cur = 0;
    memset(c, 0, sizeof c);
    for (size_t at = 0; (at < rs->n || used[!cur]) && !e; cur = !cur) {
        int started = 0;
        used[cur] = 0;
        for (int t = 0; t < nt && at < rs->n; t++) {
            size_t to = at + CHUNK_ROWS < rs->n ? at + CHUNK_ROWS : rs->n;
            c[cur][t].rs = rs;
            c[cur][t].from = at;
            c[cur][t].to = to;
            c[cur][t].failed = 0;
            at = to;
            used[cur]++;
        }
        if (nt > 1)
            for (; started < used[cur]; started++)
                if (pthread_create(&c[cur][started].th, NULL, format_chunk, &c[cur][started]) != 0)
                    break;
        e = write_round(f, c[!cur], used[!cur]);
        used[!cur] = 0;
        for (int t = 0; t < started; t++)
            pthread_join(c[cur][t].th, NULL);
        for (int t = started; t < used[cur]; t++) /* no thread: format here */
            format_chunk(&c[cur][t]);
    }
    if (!e)
        e = write_round(f, c[!cur], used[!cur]);
    for (int k = 0; k < 2; k++)
        for (int t = 0; t < MAX_FORMATTERS; t++)
            free(c[k][t].buf);
    if (!e && ferror(f))
        e = EG_ERR_IO;
    return e;
}
