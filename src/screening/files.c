/*
 * screening/files.c: the streaming batch mode of screening. Each file is
 * read once, row by row, through the feed row readers of epigrid/travel.h
 * (so rows are rejected and warned about exactly as the importers do):
 * case trips and risk areas first (small), then travel.csv straight into
 * the engine (memory: the packed legs of the window), then persons.csv,
 * of which only the rows of persons with a result are kept, for the
 * responsible division. Rows in normal form take fast paths on worker
 * threads (parallel.c); the others go through the row readers in line
 * order on the calling thread.
 */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "epigrid/array.h"
#include "epigrid/csv.h"
#include "epigrid/registry.h"
#include "epigrid/text.h"
#include "screening/internal.h"

/* Rows between two progress calls. */
#define PROGRESS_EVERY 65536

/*
 * Read the next good CSV row of r: EG_OK (a row), EG_ERR_EOF (done), or a
 * file-level error. Broken rows are rejected through o and skipped; a
 * first row that is not UTF-8 refuses the whole file.
 */
static eg_err next_row(eg_csv *r, const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    for (;;) {
        eg_diag rd;
        eg_diag_clear(&rd);
        eg_err e = eg_csv_next(r, &rd);
        if (e == EG_OK)
            res->rows++;
        if (e == EG_OK || e == EG_ERR_EOF)
            return e;
        if (e == EG_ERR_ENCODING && eg_csv_is_first_row(r)) {
            if (d)
                *d = rd;
            return e;
        }
        if (e != EG_ERR_PARSE && e != EG_ERR_ENCODING) {
            if (d)
                *d = rd;
            return e;
        }
        res->rows++;
        eg_import_reject(o, res, r, &rd);
    }
}

/* Read all case trips of `path` into a growing array. */
static eg_err read_cases(const char *path, const eg_import_opts *o, eg_import_result *res,
                         eg_case_trip **out, size_t *nout, eg_diag *d)
{
    eg_csv *r = NULL;
    eg_feed_cols cols;
    eg_case_trip t[16], *v = NULL;
    size_t n = 0, cap = 0, k;
    eg_err e = eg_csv_open(path, &r, d);
    if (!e)
        e = eg_case_trip_cols(r, &cols, d);
    while (!e && (e = next_row(r, o, res, d)) == EG_OK) {
        if (eg_case_trips_from_row(r, &cols, t, 16, &k, NULL, o, res))
            continue;
        res->imported++;
        if (n + k > cap) {
            size_t nc = cap ? cap * 2 : 256;
            while (nc < n + k)
                nc *= 2;
            eg_case_trip *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                e = EG_ERR_NOMEM;
                break;
            }
            v = nv;
            cap = nc;
        }
        memcpy(v + n, t, k * sizeof *t);
        n += k;
    }
    eg_csv_close(r);
    if (e == EG_ERR_EOF)
        e = EG_OK;
    if (e)
        free(v), v = NULL, n = 0;
    *out = v;
    *nout = n;
    return e;
}

/* Read all risk areas of `path`. */
static eg_err read_areas(const char *path, const eg_import_opts *o, eg_import_result *res,
                         eg_risk_area **out, size_t *nout, eg_diag *d)
{
    eg_csv *r = NULL;
    eg_feed_cols cols;
    eg_risk_area a, *v = NULL;
    size_t n = 0, cap = 0;
    eg_err e = eg_csv_open(path, &r, d);
    if (!e)
        e = eg_risk_area_cols(r, &cols, d);
    while (!e && (e = next_row(r, o, res, d)) == EG_OK) {
        if (eg_risk_area_from_row(r, &cols, &a, o, res))
            continue;
        res->imported++;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            eg_risk_area *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                e = EG_ERR_NOMEM;
                break;
            }
            v = nv;
            cap = nc;
        }
        v[n++] = a;
    }
    eg_csv_close(r);
    if (e == EG_ERR_EOF)
        e = EG_OK;
    if (e)
        free(v), v = NULL, n = 0;
    *out = v;
    *nout = n;
    return e;
}

/* Open `path` as records and read its header record into a reader over
 * a memory stream (for the column lookups and the header's own checks).
 * On success *hdr (*hlen bytes) is a malloc'ed copy of the header record and
 * *first the line of the first data row. */
static eg_err open_records(const char *path, eg_lines *lr, char **hdr, size_t *hlen,
                           unsigned long *first, eg_csv **csv, FILE **mf, eg_diag *d)
{
    const char *rec;
    size_t len;
    unsigned long line;
    int quoted;
    eg_err e;
    *hdr = NULL;
    *csv = NULL;
    *mf = NULL;
    if ((e = eg_lines_open(lr, path, d)))
        return e;
    do {
        e = eg_lines_next(lr, &rec, &len, &line, &quoted);
    } while (!e && len == 0); /* blank lines before the header */
    if (e == EG_ERR_EOF)
        e = eg_diag_set(d, EG_ERR_PARSE, path, 0, NULL, "empty file: no header row");
    if (e) {
        eg_lines_close(lr);
        return e;
    }
    *first = lr->next_line;
    *hdr = malloc(len + 2);
    if (!*hdr) {
        eg_lines_close(lr);
        return EG_ERR_NOMEM;
    }
    memcpy(*hdr, rec, len);
    (*hdr)[len] = '\n';
    (*hdr)[len + 1] = 0;
    *hlen = len;
    *mf = fmemopen(*hdr, len + 1, "r");
    e = *mf ? eg_csv_open_stream(*mf, path, csv, d) : EG_ERR_NOMEM;
    if (e) {
        if (*mf)
            fclose(*mf);
        *mf = NULL;
        free(*hdr);
        *hdr = NULL;
        eg_lines_close(lr);
    }
    return e;
}

/* Close what open_records opened. */
static void close_records(eg_lines *lr, char *hdr, eg_csv *csv, FILE *mf)
{
    eg_csv_close(csv);
    if (mf)
        fclose(mf);
    free(hdr);
    eg_lines_close(lr);
}

/* What the travel rows of the full reader need. */
typedef struct travel_ctx {
    eg_screen *s;
    eg_feed_cols cols;
    eg_date today;
} travel_ctx;

/* A travel row the fast path did not take, through eg_leg_from_row. */
static eg_err travel_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res,
                         unsigned long line)
{
    travel_ctx *t = ctx;
    eg_leg l;
    if (eg_leg_from_row(csv, &t->cols, t->today, &l, o, res))
        return EG_OK;
    res->imported++;
    if (line > UINT32_MAX)
        return EG_ERR_RANGE;
    l.line = (long)line;
    return eg_screen_add_leg(t->s, &l, (uint32_t)line);
}

/* Stream travel.csv into the engine: rows in normal form through the
 * fast path, the others through the row reader. */
static eg_err read_travel(eg_screen *s, const char *path, eg_date today, int nthreads,
                          const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    eg_lines lr;
    eg_csv *hcsv;
    FILE *mf;
    char *hdr;
    size_t hlen;
    unsigned long first;
    eg_fast_cols fc;
    travel_ctx t = { .s = s, .today = today };
    eg_fallback *fb = NULL;
    eg_fast_row fr;
    memset(&fr.memo, 0, sizeof fr.memo);
    eg_err e = open_records(path, &lr, &hdr, &hlen, &first, &hcsv, &mf, d);
    if (e)
        return e;
    e = eg_leg_cols(hcsv, &t.cols, d);
    eg_fast_cols_find(hcsv, today, &fc);
    if (!e)
        e = eg_fallback_new(&fb, path, hdr, hlen, first, o, res, travel_row, &t);
    if (!e && nthreads > 1) {
        e = eg_screen_read_travel_parallel(s, &lr, &fc, nthreads, fb, o, res, d);
        if (!e && o->progress)
            o->progress(o->progress_ctx, lr.consumed, (unsigned long)res->rows);
        eg_fallback_free(fb);
        close_records(&lr, hdr, hcsv, mf);
        return e;
    }
    while (!e) {
        const char *rec;
        size_t len;
        unsigned long line;
        int quoted;
        e = eg_lines_next(&lr, &rec, &len, &line, &quoted);
        if (e)
            break;
        if (len == 0)
            continue; /* blank line */
        if (o->progress && (res->rows & (PROGRESS_EVERY - 1)) == 0)
            o->progress(o->progress_ctx, lr.consumed, (unsigned long)res->rows);
        if (!quoted && eg_fast_row_read(rec, len, &fc, &fr)) {
            res->rows++;
            res->imported++;
            if (line > UINT32_MAX)
                e = eg_diag_set(d, EG_ERR_RANGE, path, line, NULL, "too many lines to number");
            else
                e = eg_screen_add_fast(s, &fr, (uint32_t)line);
            continue;
        }
        e = eg_fallback_add(fb, rec, len, line, d);
    }
    if (e == EG_ERR_EOF)
        e = eg_fallback_flush(fb, d);
    if (e == EG_ERR_IO)
        eg_diag_set(d, e, path, 0, NULL, "read error");
    if (!e && o->progress)
        o->progress(o->progress_ctx, lr.consumed, (unsigned long)res->rows);
    eg_fallback_free(fb);
    close_records(&lr, hdr, hcsv, mf);
    return e;
}

/* Registry rows of persons with a result, by result index. */
typedef struct registry {
    const eg_screen_results *rs;
    char (*code)[EG_CODE_BUFSZ];   /* "" = not registered */
    char (*name)[EG_LEG_NAME_BUFSZ];
    unsigned long *line;           /* line of the row taken (the last one wins) */
    size_t cursor;                 /* eg_screen_resolve asks in order: the next index */
    uint64_t *filter;              /* bit set over hashed keys: a cheap "surely not" */
    struct pslot {                 /* open addressing (linear probing) over the packed ids */
        uint64_t key;              /* of the results with resident-id shape... */
        size_t k1;                 /* ...and their result index + 1, 0 = an empty slot */
    } *slots;
    size_t mask;                   /* slots - 1 (a power of two, at least twice the keys) */
    size_t ci, cn, ca, cd;         /* columns */
    int has_doc;
    size_t ncols;
} registry;

/* Index of the result of document number id, or -1. */
static long find_result(const eg_screen_results *rs, const char *id)
{
    size_t lo = 0, hi = rs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(rs->v[mid].id_no, id);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* A persons.csv row through eg_csv (the full reader). */
static eg_err person_row(void *ctx, eg_csv *r, const eg_import_opts *o, eg_import_result *res,
                         unsigned long line)
{
    registry *g = ctx;
    const char *doc = g->has_doc ? eg_csv_field(r, g->cd) : "";
    const char *raw = eg_csv_field(r, g->ci), *addr = eg_csv_field(r, g->ca), *nm;
    char id[EG_DOCNO_BUFSZ], code[EG_CODE_BUFSZ];
    if (!raw[0])
        return eg_import_rowf(o, res, r, 0, "id_no", "missing required value"), EG_OK;
    if (eg_docno_normalize(doc[0] ? doc : "resident_id", raw, id))
        return eg_import_rowf(o, res, r, 0, "id_no", "'%s' is not a document number", raw), EG_OK;
    long k = find_result(g->rs, id);
    if (k < 0)
        return EG_OK; /* nobody to locate: the row is not needed */
    if (!addr[0])
        return eg_import_rowf(o, res, r, 0, "address_code", "missing required value"), EG_OK;
    if (eg_code_short(addr, code))
        return eg_import_rowf(o, res, r, 0, "address_code", "'%s' is not a division code", addr), EG_OK;
    res->imported++;
    if (line < g->line[k])
        return EG_OK; /* a later row of the file was taken by the fast path */
    g->line[k] = line;
    memcpy(g->code[k], code, EG_CODE_BUFSZ);
    nm = eg_csv_field(r, g->cn);
    eg_text_copy(g->name[k], EG_LEG_NAME_BUFSZ, nm, strlen(nm));
    return EG_OK;
}

/* Bits of the filter over packed keys (2^23 bits, 1 MiB): with half a
 * million results about one row in sixteen gets past it to the table. */
#define FILTER_BITS 23

/* The filter bit of a key (Fibonacci hashing). */
static uint64_t filter_bit(uint64_t key)
{
    return (key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - FILTER_BITS);
}

/* The first slot to probe for a key (other bits of another multiplier
 * than the filter's, so that the two do not fail together). */
static size_t slot_of(const registry *g, uint64_t key)
{
    return (size_t)((key * UINT64_C(0xC2B2AE3D27D4EB4F)) >> 32) & g->mask;
}

/* The result index of a key, -1 when no result has it. */
static long find_key(const registry *g, uint64_t key)
{
    for (size_t i = slot_of(g, key);; i = (i + 1) & g->mask) {
        if (!g->slots[i].k1)
            return -1;
        if (g->slots[i].key == key)
            return (long)g->slots[i].k1 - 1;
    }
}

/* Put key -> result k in the table (keys are distinct: one result a
 * person). Several threads may put at once: a slot is claimed by setting
 * k1 atomically, the filter bit is set atomically; the table is read
 * only once they are done. */
static void put_key(registry *g, uint64_t key, size_t k)
{
    size_t i = slot_of(g, key), empty = 0;
    while (!__atomic_compare_exchange_n(&g->slots[i].k1, &empty, k + 1, 0, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED)) {
        i = (i + 1) & g->mask;
        empty = 0;
    }
    g->slots[i].key = key;
    uint64_t bit = filter_bit(key);
    __atomic_fetch_or(&g->filter[bit >> 6], UINT64_C(1) << (bit & 63), __ATOMIC_RELAXED);
}

/* A share of the results whose keys a thread puts in the table. */
typedef struct key_part {
    pthread_t th;
    registry *g;
    const eg_screen_results *rs;
    const uint64_t *keys;          /* the walk's keys, NULL: from the text */
    size_t from, to;
} key_part;

/* Thread body: put the keys of results [from, to): the packed number of
 * each result of resident-id shape. */
static void *put_keys(void *arg)
{
    key_part *p = arg;
    for (size_t i = p->from; i < p->to; i++) {
        uint64_t key = 0;
        if (p->keys) {
            key = p->keys[i];
            if (key & EG_KEY_OTHER)
                continue;
        } else if (!eg_key_resident(p->rs->v[i].id_no, &key)) {
            continue;
        }
        put_key(p->g, key, i);
    }
    return NULL;
}

/* Put the keys of all results in g's table, by up to nthreads threads
 * (the table's memory is touched for the first time here). */
static void put_all_keys(registry *g, const eg_screen_results *rs, const uint64_t *keys,
                         int nthreads)
{
    key_part part[8];
    int nt = nthreads < 1 ? 1 : nthreads > 8 ? 8 : nthreads, started = 0;
    if (rs->n < 8192)
        nt = 1; /* not worth a thread */
    for (int t = 0; t < nt; t++)
        part[t] = (key_part){ .g = g, .rs = rs, .keys = keys, .from = rs->n * (size_t)t / (size_t)nt,
                              .to = rs->n * (size_t)(t + 1) / (size_t)nt };
    for (int t = 1; t < nt; t++, started++)
        if (pthread_create(&part[t].th, NULL, put_keys, &part[t]) != 0)
            break;
    put_keys(&part[0]);
    for (int t = started + 1; t < nt; t++) /* no thread: put them here */
        put_keys(&part[t]);
    for (int t = 1; t <= started; t++)
        pthread_join(part[t].th, NULL);
}

/* 1 if text has a blank at either end (the CSV reader would trim it). */
static int has_blank_edge(const char *s, size_t n)
{
    return n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
                 (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) ||
                 (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0));
}

/* A row of persons.csv taken by the fast path for a person whose row a
 * worker took already (line[k] set): applied when the workers are done. */
typedef struct person_hit {
    size_t k;                      /* result index */
    unsigned long line;
    char code[EG_CODE_BUFSZ];
    char name[EG_LEG_NAME_BUFSZ];
} person_hit;

/* A worker reading persons.csv: its rows taken and kept (a cache line of
 * its own, as the workers write theirs all the time). */
typedef struct pworker {
    _Alignas(64) person_hit *hits;
    size_t nhits, caphits;
    eg_kept kept;                  /* rows for the full reader */
    eg_import_result res;          /* rows and imported */
} pworker;

/* Split a record at commas into f/fl (at most 64 fields); the count. */
static size_t split_fields(const char *rec, size_t len, const char **f, size_t *fl)
{
    const char *p = rec, *end = rec + len;
    size_t nf = 0;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        if (nf == 64)
            return 65;
        f[nf] = p;
        fl[nf++] = (size_t)((comma ? comma : end) - p);
        if (!comma)
            return nf;
        p = comma + 1;
    }
}

/* First step of the fast path of a persons.csv row without quotes: the
 * packed key of its identity number. Returns 0 when the row must take
 * the full reader. */
static int person_key(const registry *g, const char *rec, size_t len, uint64_t *out)
{
    const char *f[64], *idf;
    size_t fl[64];
    uint64_t key = 0;
    /* the number first: most rows are of people without a result */
    if (g->ci == 0 && len > 18 && rec[18] == ',' && !g->has_doc) {
        idf = rec;
    } else {
        size_t nf = split_fields(rec, len, f, fl);
        if (nf != g->ncols || fl[g->ci] != 18 || (g->has_doc && fl[g->cd] &&
            !(fl[g->cd] == 11 && memcmp(f[g->cd], "resident_id", 11) == 0)))
            return 0;
        idf = f[g->ci];
    }
    for (int i = 0; i < 17; i++) {
        if (idf[i] < '0' || idf[i] > '9')
            return 0;
        key = key * 10 + (uint64_t)(idf[i] - '0');
    }
    char last = idf[17] == 'x' ? 'X' : idf[17];
    if ((last < '0' || last > '9') && last != 'X')
        return 0;
    *out = key * 11 + (uint64_t)(last == 'X' ? 10 : last - '0');
    return 1;
}

/* Last step of the fast path, for a row of the person of result k: 1
 * when taken, 0 when it must take the full reader. The row is written
 * straight into the registry by the worker that claims the person first
 * (line[k] from 0 to the row's line, atomically: the workers write
 * disjoint entries); a further row of a person already claimed goes to
 * *hit (*has_hit = 1), applied once the workers are done so that the
 * file's last row of the person wins. */
static int person_take(const registry *g, const char *rec, size_t len, size_t k,
                       unsigned long line, eg_import_result *res, person_hit *hit, int *has_hit)
{
    const char *f[64];
    size_t fl[64];
    if (split_fields(rec, len, f, fl) != g->ncols)
        return 0;
    /* a person with a result: take the row here only when it is plainly good */
    const char *addr = f[g->ca], *nm = f[g->cn];
    size_t na = fl[g->ca], nn = fl[g->cn];
    char abuf[EG_CODE_BUFSZ], code[EG_CODE_BUFSZ];
    /* the full reader refuses a row with a byte that is not UTF-8 or a NUL
     * in any field: such a row is left to it */
    if (na == 0 || na >= sizeof abuf || !eg_utf8_ok(rec, len) || memchr(rec, 0, len) ||
        has_blank_edge(nm, nn))
        return 0;
    memcpy(abuf, addr, na);
    abuf[na] = 0;
    if (eg_code_short(abuf, code))
        return 0;
    res->rows++;
    res->imported++;
    unsigned long unclaimed = 0;
    assert(line > 0);
    if (__atomic_compare_exchange_n(&g->line[k], &unclaimed, line, 0, __ATOMIC_RELAXED,
                                    __ATOMIC_RELAXED)) {
        memcpy(g->code[k], code, EG_CODE_BUFSZ);
        eg_text_copy(g->name[k], EG_LEG_NAME_BUFSZ, nm, nn);
        return 1;
    }
    hit->k = k;
    hit->line = line;
    memcpy(hit->code, code, EG_CODE_BUFSZ);
    eg_text_copy(hit->name, EG_LEG_NAME_BUFSZ, nm, nn);
    *has_hit = 1;
    return 1;
}

/* Room for one more hit. */
static eg_err grow_hits(pworker *w)
{
    if (w->nhits == w->caphits &&
        eg_array_grow(&w->hits, w->nhits, &w->caphits, sizeof *w->hits))
        return EG_ERR_NOMEM;
    return EG_OK;
}

/* What the persons workers share. */
typedef struct persons_par {
    const registry *g;
    pworker *w;
} persons_par;

/* Rows of persons.csv looked up together, so that the memory each needs
 * is fetched for all of them at once (group prefetching). */
#define PERSON_BATCH 32

/* A row of the batch. */
typedef struct person_row_ref {
    const char *rec;
    size_t len;
    unsigned long line;
    uint64_t key;
    long k;                        /* its result, -1 = none */
} person_row_ref;

/* Look up and take the rows b[0..n) in worker w: the filter words of all
 * first, then the table slots of those that pass, then the registry
 * entries of those found, each stage fetching for the whole batch. */
static eg_err take_batch(const registry *g, pworker *w, person_row_ref *b, int n)
{
    int m = 0;
    eg_err e;
    for (int i = 0; i < n; i++) {
        uint64_t bit = filter_bit(b[i].key);
        __builtin_prefetch(&g->filter[bit >> 6]);
    }
    for (int i = 0; i < n; i++) {
        uint64_t bit = filter_bit(b[i].key);
        if (!(g->filter[bit >> 6] & (UINT64_C(1) << (bit & 63)))) {
            w->res.rows++; /* surely nobody to locate */
            continue;
        }
        __builtin_prefetch(&g->slots[slot_of(g, b[i].key)]);
        b[m++] = b[i];
    }
    n = m;
    m = 0;
    for (int i = 0; i < n; i++) {
        b[i].k = find_key(g, b[i].key);
        if (b[i].k < 0) {
            w->res.rows++; /* nobody to locate: the row is not needed */
            continue;
        }
        __builtin_prefetch(&g->line[b[i].k], 1);
        __builtin_prefetch(g->code[b[i].k], 1);
        __builtin_prefetch(g->name[b[i].k], 1);
        b[m++] = b[i];
    }
    for (int i = 0; i < m; i++) {
        int has_hit = 0;
        if ((e = grow_hits(w)))
            return e;
        if (person_take(g, b[i].rec, b[i].len, (size_t)b[i].k, b[i].line, &w->res,
                        &w->hits[w->nhits], &has_hit)) {
            if (has_hit)
                w->nhits++;
        } else if ((e = eg_kept_add(&w->kept, b[i].rec, b[i].len, b[i].line))) {
            return e;
        }
    }
    return EG_OK;
}

/* Read one block of persons.csv in worker i. */
static eg_err persons_block(void *ctx, int i, const char *data, size_t dlen, unsigned long first)
{
    persons_par *t = ctx;
    pworker *w = &t->w[i];
    size_t pos = 0, len;
    const char *rec;
    unsigned long line = first, nl;
    int quoted, nb = 0;
    person_row_ref b[PERSON_BATCH];
    eg_err e;
    for (;;) {
        unsigned long at = line;
        int k = eg_plain_next(data, dlen, &pos, &rec, &len);
        if (k < 0) {
            eg_block_next(data, dlen, &pos, &rec, &len, &nl, &quoted);
            line += nl;
        } else {
            line++;
        }
        if (k == 0)
            break; /* the end of the block */
        if (len == 0)
            continue;
        uint64_t key;
        if (k > 0 && person_key(t->g, rec, len, &key)) {
            b[nb++] = (person_row_ref){ .rec = rec, .len = len, .line = at, .key = key };
            if (nb == PERSON_BATCH) {
                if ((e = take_batch(t->g, w, b, nb)))
                    return e;
                nb = 0;
            }
            continue;
        }
        if ((e = eg_kept_add(&w->kept, rec, len, at)))
            return e;
    }
    return nb ? take_batch(t->g, w, b, nb) : EG_OK;
}

/* Stream persons.csv, keeping the rows of persons with a result. */
static eg_err read_persons(registry *g, const char *path, int nthreads, const eg_import_opts *o,
                           eg_import_result *res, eg_diag *d)
{
    eg_lines lr;
    eg_csv *hcsv;
    FILE *mf;
    char *hdr;
    size_t hlen;
    unsigned long first;
    eg_fallback *fb = NULL;
    eg_err e = open_records(path, &lr, &hdr, &hlen, &first, &hcsv, &mf, d);
    if (e)
        return e;
    e = eg_csv_find(hcsv, "id_no", &g->ci, d);
    if (!e)
        e = eg_csv_find(hcsv, "name", &g->cn, d);
    if (!e)
        e = eg_csv_find(hcsv, "address_code", &g->ca, d);
    g->has_doc = !e && eg_csv_find(hcsv, "doc_type", &g->cd, NULL) == EG_OK;
    g->ncols = eg_csv_ncols(hcsv);
    if (!e)
        e = eg_fallback_new(&fb, path, hdr, hlen, first, o, res, person_row, g);
    persons_par t = { .g = g };
    t.w = e ? NULL : aligned_alloc(64, (size_t)nthreads * sizeof *t.w); /* whole cache lines each */
    if (!e && !t.w)
        e = EG_ERR_NOMEM;
    if (t.w)
        memset(t.w, 0, (size_t)nthreads * sizeof *t.w);
    if (!e)
        e = eg_blocks_parallel(&lr, nthreads, persons_block, NULL, &t, NULL);
    eg_kept *kept = t.w ? malloc((size_t)nthreads * sizeof *kept) : NULL;
    if (!e && !kept)
        e = EG_ERR_NOMEM;
    for (int i = 0; t.w && i < nthreads; i++) {
        const pworker *w = &t.w[i];
        res->rows += w->res.rows;
        res->imported += w->res.imported;
        /* further rows of persons taken by a worker: the last row of a
         * person in the file wins, as when read in order */
        for (size_t h = 0; !e && h < w->nhits; h++) {
            const person_hit *x = &w->hits[h];
            if (x->line < g->line[x->k])
                continue;
            g->line[x->k] = x->line;
            memcpy(g->code[x->k], x->code, EG_CODE_BUFSZ);
            memcpy(g->name[x->k], x->name, EG_LEG_NAME_BUFSZ);
        }
        if (kept)
            kept[i] = w->kept;
    }
    if (!e)
        e = eg_kept_replay(kept, (size_t)nthreads, fb, d);
    for (int i = 0; t.w && i < nthreads; i++) {
        free(t.w[i].hits);
        eg_kept_free(&t.w[i].kept);
    }
    free(kept);
    free(t.w);
    if (e == EG_ERR_IO)
        eg_diag_set(d, e, path, 0, NULL, "read error");
    eg_fallback_free(fb);
    close_records(&lr, hdr, hcsv, mf);
    return e;
}

/* eg_screen_lookup_fn over the registry rows read. */
static eg_err lookup(void *ctx, const char *id_no, char *code, char *name)
{
    registry *g = ctx;
    long k;
    if (g->cursor < g->rs->n && strcmp(g->rs->v[g->cursor].id_no, id_no) == 0)
        k = (long)g->cursor;
    else
        k = find_result(g->rs, id_no);
    g->cursor = k < 0 ? g->cursor : (size_t)k + 1;
    if (k < 0 || !g->code[k][0])
        return EG_ERR_NOT_FOUND;
    memcpy(code, g->code[k], EG_CODE_BUFSZ);
    if (g->name[k][0])
        memcpy(name, g->name[k], EG_LEG_NAME_BUFSZ);
    return EG_OK;
}

/* One thread's share of eg_screen_resolve. */
typedef struct resolve_part {
    pthread_t th;
    eg_screen_results view;        /* a range of the results */
    const eg_screen_city *city;
    registry g;                    /* a copy, with its own cursor */
    int registry;
    eg_err err;
} resolve_part;

/* Thread body: resolve a range. */
static void *resolve_range(void *arg)
{
    resolve_part *r = arg;
    r->err = eg_screen_resolve(&r->view, r->city, r->registry ? lookup : NULL, &r->g);
    return NULL;
}

/* eg_screen_resolve over the registry g (NULL: none) by `nthreads`
 * threads, each on a range of the results. */
static eg_err resolve_parallel(eg_screen_results *rs, const eg_screen_city *city, const registry *g,
                               int nthreads)
{
    resolve_part part[8];
    int nt = nthreads < 1 ? 1 : nthreads > 8 ? 8 : nthreads, started = 0;
    eg_err e = EG_OK;
    if (rs->n < 65536)
        nt = 1;
    for (int t = 0; t < nt; t++) {
        size_t from = rs->n * (size_t)t / (size_t)nt, to = rs->n * (size_t)(t + 1) / (size_t)nt;
        memset(&part[t], 0, sizeof part[t]);
        part[t].view.v = rs->v + from;
        part[t].view.n = to - from;
        part[t].city = city;
        part[t].registry = g != NULL;
        if (g) {
            part[t].g = *g;
            part[t].g.cursor = from;
        }
    }
    for (int t = 1; t < nt; t++) {
        if (pthread_create(&part[t].th, NULL, resolve_range, &part[t]) != 0) {
            part[t].err = EG_ERR_NOMEM;
            break;
        }
        started = t;
    }
    resolve_range(&part[0]);
    for (int t = 1; t <= started; t++)
        pthread_join(part[t].th, NULL);
    for (int t = 0; t < nt && !e; t++)
        e = t > started && !part[t].err ? EG_ERR_NOMEM : part[t].err;
    return e;
}

eg_err eg_screen_files_run(const eg_screen_params *p, const eg_screen_files *f,
                           const eg_import_opts *o, eg_import_result res[4],
                           eg_screen_results *out, eg_screen_stats *st, eg_diag *d)
{
    eg_import_opts none = { 0 };
    eg_import_result local[4];
    eg_case_trip *cases = NULL;
    eg_risk_area *areas = NULL;
    size_t ncases = 0, nareas = 0;
    eg_screen *s = NULL;
    registry g = { 0 };
    eg_date today;
    int nthreads;
    eg_err e;

    if (!p || !f || !f->travel || !f->cases || !f->risk || !out)
        return EG_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (!o)
        o = &none;
    if (!res)
        res = local;
    memset(res, 0, 4 * sizeof *res);
    eg_diag_clear(d);
    today = o->now ? eg_time_date(o->now) : p->as_of;
    nthreads = f->threads;
    if (nthreads <= 0) {
        long np = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = np < 1 ? 1 : np > 8 ? 8 : (int)np;
    }

    e = read_cases(f->cases, o, &res[1], &cases, &ncases, d);
    if (!e)
        e = read_areas(f->risk, o, &res[2], &areas, &nareas, d);
    if (!e)
        e = eg_screen_new(p, cases, ncases, areas, nareas, &s);
    free(cases);
    free(areas);
    if (!e)
        e = read_travel(s, f->travel, today, nthreads, o, &res[0], d);
    uint64_t *keys = NULL;
    if (!e)
        e = eg_screen_finish_keys(s, out, nthreads, &keys);
    if (s && st)
        eg_screen_get_stats(s, st);
    eg_screen_free(s);
    if (!e && f->persons) {
        g.rs = out;
        g.code = calloc(out->n ? out->n : 1, sizeof *g.code);
        g.name = calloc(out->n ? out->n : 1, sizeof *g.name);
        g.line = calloc(out->n ? out->n : 1, sizeof *g.line);
        size_t nslots = 16;
        while (nslots < 2 * out->n)
            nslots *= 2;
        g.mask = nslots - 1;
        g.slots = calloc(nslots, sizeof *g.slots);
        g.filter = calloc((UINT64_C(1) << FILTER_BITS) / 64, sizeof *g.filter);
        e = g.code && g.name && g.line && g.slots && g.filter ? EG_OK : EG_ERR_NOMEM;
        if (!e)
            put_all_keys(&g, out, keys, nthreads);
        if (!e)
            e = read_persons(&g, f->persons, nthreads, o, &res[3], d);
    }
    if (!e)
        e = resolve_parallel(out, p->city, f->persons ? &g : NULL, nthreads);
    free(g.code);
    free(g.name);
    free(g.line);
    free(g.slots);
    free(g.filter);
    free(keys);
    if (e)
        eg_screen_results_free(out);
    return e;
}
