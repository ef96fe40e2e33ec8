/*
 * checkpoint/checkpoint.c: temperature checkpoints (体温监测点): their
 * kinds (triage at medical institutions, 预检分诊, is one) and the import
 * of checkpoints.csv.
 */
#include <stdlib.h>
#include "../facility/internal.h"

static const char *const KINDS[] = { "road", "railway_station", "bus_station", "airport", "community_gate",
                                     "hospital_triage", NULL };

/* See epigrid/checkpoint.h. */
int eg_checkpoint_kind_valid(const char *kind)
{
    return fac_one_of(kind, KINDS);
}

enum { C_ID, C_NAME, C_KIND, C_JURIS, C_MAX, C__N };
static const char *const COLS[C__N] = { "checkpoint_id", "name", "kind", "juris_code", "max_checks_per_hour" };

typedef struct cp_import {
    eg_store *s;
    const eg_juris *tree;
    size_t col[C__N];
    int has_max;
} cp_import;

static eg_err cp_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    cp_import *im = ctx;
    for (int i = 0; i < C_MAX; i++) {
        eg_err e = eg_csv_find(csv, COLS[i], &im->col[i], d);
        if (e)
            return e;
    }
    im->has_max = eg_csv_find(csv, COLS[C_MAX], &im->col[C_MAX], NULL) == EG_OK;
    return EG_OK;
}

static eg_err cp_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    cp_import *im = ctx;
    const char *v[C__N];
    const eg_juris_node *node;
    eg_checkpoint c;
    int created = 0;
    eg_err e;
    for (int i = 0; i < C__N; i++)
        v[i] = i == C_MAX && !im->has_max ? "" : eg_csv_field(csv, im->col[i]);
    for (int i = 0; i < C_MAX; i++)
        if (!v[i][0])
            return eg_import_rowf(o, res, csv, 0, COLS[i], "missing required value"), EG_OK;
    if (!eg_checkpoint_kind_valid(v[C_KIND]))
        return eg_import_rowf(o, res, csv, 0, "kind", "'%s' is not road, railway_station, bus_station, airport, "
                              "community_gate or hospital_triage", v[C_KIND]), EG_OK;
    node = eg_juris_find(im->tree, v[C_JURIS]);
    if (!node)
        return eg_import_rowf(o, res, csv, 0, "juris_code", "'%s' is not a division of the tree", v[C_JURIS]),
               EG_OK;
    memset(&c, 0, sizeof c);
    if (v[C_MAX][0]) {
        char *end;
        long x = strtol(v[C_MAX], &end, 10);
        if (*end || x <= 0 || x > 1000000)
            return eg_import_rowf(o, res, csv, 0, "max_checks_per_hour", "'%s' is not a positive whole number",
                                  v[C_MAX]), EG_OK;
        c.max_checks_per_hour = (int)x;
    }
    FAC_COPY(c.checkpoint_id, v[C_ID]);
    FAC_COPY(c.name, v[C_NAME]);
    FAC_COPY(c.kind, v[C_KIND]);
    FAC_COPY(c.juris_code, node->code);
    c.synthetic = o->synthetic;
    c.created_at = o->now;
    if ((e = eg_store_checkpoint_put(im->s, &c, &created)))
        return e;
    res->imported++;
    res->updated += !created;
    return EG_OK;
}

/* See epigrid/checkpoint.h. */
eg_err eg_checkpoint_import(eg_store *s, const eg_juris *tree, const char *path, const eg_import_opts *o,
                            eg_import_result *res, eg_diag *d)
{
    static const eg_importer IMP = { "checkpoints", cp_setup, cp_row, NULL };
    cp_import im = { .s = s, .tree = tree };
    return eg_import_file(s, &IMP, &im, path, o, res, d);
}
