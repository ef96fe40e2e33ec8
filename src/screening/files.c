/*
 * screening/files.c: the streaming batch mode of screening. Each file is
 * read once, row by row, through the feed row readers of epigrid/travel.h
 * (so rows are rejected and warned about exactly as the importers do):
 * case trips and risk areas first (small), then travel.csv straight into
 * the engine (memory: the packed legs of the window), then persons.csv,
 * of which only the rows of persons with a result are kept, for the
 * responsible division.
 */
#include <stdlib.h>
#include <string.h>
#include "epigrid/csv.h"
#include "epigrid/registry.h"
#include "epigrid/screening.h"

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

/* Stream travel.csv into the engine. */
static eg_err read_travel(eg_screen *s, const char *path, eg_date today, const eg_import_opts *o,
                          eg_import_result *res, eg_diag *d)
{
    eg_csv *r = NULL;
    eg_feed_cols cols;
    eg_leg l;
    eg_err e = eg_csv_open(path, &r, d);
    if (!e)
        e = eg_leg_cols(r, &cols, d);
    while (!e && (e = next_row(r, o, res, d)) == EG_OK) {
        if (o->progress && res->rows % PROGRESS_EVERY == 0)
            o->progress(o->progress_ctx, eg_csv_offset(r), (unsigned long)res->rows);
        if (eg_leg_from_row(r, &cols, today, &l, o, res))
            continue;
        res->imported++;
        if (l.line < 0 || (unsigned long)l.line > UINT32_MAX) {
            e = eg_diag_set(d, EG_ERR_RANGE, path, (unsigned long)l.line, NULL,
                            "more lines than the screening can number");
            break;
        }
        e = eg_screen_add_leg(s, &l, (uint32_t)l.line);
    }
    if (o->progress && (e == EG_OK || e == EG_ERR_EOF))
        o->progress(o->progress_ctx, eg_csv_offset(r), (unsigned long)res->rows);
    eg_csv_close(r);
    return e == EG_ERR_EOF ? EG_OK : e;
}

/* Registry rows of persons with a result, by result index. */
typedef struct registry {
    const eg_screen_results *rs;
    char (*code)[EG_CODE_BUFSZ];   /* "" = not registered */
    char (*name)[EG_LEG_NAME_BUFSZ];
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

/* Stream persons.csv, keeping the rows of persons with a result. */
static eg_err read_persons(registry *g, const char *path, const eg_import_opts *o,
                           eg_import_result *res, eg_diag *d)
{
    eg_csv *r = NULL;
    size_t ci, cn, ca, cd = 0;
    int has_doc;
    eg_err e = eg_csv_open(path, &r, d);
    if (!e)
        e = eg_csv_find(r, "id_no", &ci, d);
    if (!e)
        e = eg_csv_find(r, "name", &cn, d);
    if (!e)
        e = eg_csv_find(r, "address_code", &ca, d);
    has_doc = !e && eg_csv_find(r, "doc_type", &cd, NULL) == EG_OK;
    while (!e && (e = next_row(r, o, res, d)) == EG_OK) {
        const char *doc = has_doc ? eg_csv_field(r, cd) : "";
        const char *raw = eg_csv_field(r, ci), *addr = eg_csv_field(r, ca);
        char id[EG_DOCNO_BUFSZ], code[EG_CODE_BUFSZ];
        if (!raw[0]) {
            eg_import_rowf(o, res, r, 0, "id_no", "missing required value");
            continue;
        }
        if (eg_docno_normalize(doc[0] ? doc : "resident_id", raw, id)) {
            eg_import_rowf(o, res, r, 0, "id_no", "'%s' is not a document number", raw);
            continue;
        }
        long k = find_result(g->rs, id);
        if (k < 0)
            continue; /* nobody to locate: the row is not needed */
        if (!addr[0]) {
            eg_import_rowf(o, res, r, 0, "address_code", "missing required value");
            continue;
        }
        if (eg_code_short(addr, code)) {
            eg_import_rowf(o, res, r, 0, "address_code", "'%s' is not a division code", addr);
            continue;
        }
        res->imported++;
        memcpy(g->code[k], code, EG_CODE_BUFSZ);
        snprintf(g->name[k], EG_LEG_NAME_BUFSZ, "%s", eg_csv_field(r, cn));
    }
    eg_csv_close(r);
    return e == EG_ERR_EOF ? EG_OK : e;
}

/* eg_screen_lookup_fn over the registry rows read. */
static eg_err lookup(void *ctx, const char *id_no, char *code, char *name)
{
    registry *g = ctx;
    long k = find_result(g->rs, id_no);
    if (k < 0 || !g->code[k][0])
        return EG_ERR_NOT_FOUND;
    memcpy(code, g->code[k], EG_CODE_BUFSZ);
    if (g->name[k][0])
        memcpy(name, g->name[k], EG_LEG_NAME_BUFSZ);
    return EG_OK;
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

    e = read_cases(f->cases, o, &res[1], &cases, &ncases, d);
    if (!e)
        e = read_areas(f->risk, o, &res[2], &areas, &nareas, d);
    if (!e)
        e = eg_screen_new(p, cases, ncases, areas, nareas, &s);
    free(cases);
    free(areas);
    if (!e)
        e = read_travel(s, f->travel, today, o, &res[0], d);
    if (!e)
        e = eg_screen_finish(s, out);
    if (s && st)
        eg_screen_get_stats(s, st);
    eg_screen_free(s);
    if (!e && f->persons) {
        g.rs = out;
        g.code = calloc(out->n ? out->n : 1, sizeof *g.code);
        g.name = calloc(out->n ? out->n : 1, sizeof *g.name);
        e = g.code && g.name ? read_persons(&g, f->persons, o, &res[3], d) : EG_ERR_NOMEM;
    }
    if (!e)
        e = eg_screen_resolve(out, p->city, f->persons ? lookup : NULL, &g);
    free(g.code);
    free(g.name);
    if (e)
        eg_screen_results_free(out);
    return e;
}
