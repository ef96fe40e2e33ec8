/*
 * juris/import.c: import divisions.csv and add grids.
 *
 * `code,name,level,parent_code[,administered_by][,unit_type]`
 * (spec/formats.md). Codes are stored in short form; the level is decided
 * by the code (a 12-digit code's last three digits give community, village
 * or village_like) and a `level` column that disagrees is a warning. Grid
 * rows (`VILLAGE-N`) are held back to the end of the file and stored only
 * when their village is in the store or in the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "epigrid/array.h"
#include "epigrid/juris.h"

enum { C_CODE, C_NAME, C_LEVEL, C_PARENT, C_ADMIN, C_UNIT, C__N };

/* A grid row waiting for the end of the file. */
typedef struct pending_grid {
    char code[EG_CODE_BUFSZ];
    char parent[EG_CODE_BUFSZ];
    char *name;
    char *name_norm;
    char *raw;
    unsigned long line;
} pending_grid;

typedef struct div_import {
    eg_store *s;
    eg_normalizer *norm;
    const char *file;
    size_t col[C__N];
    int has[C__N];
    pending_grid *grids;
    size_t ngrids, cap;
    char cycle_reason[160];
} div_import;

static const char *const COLS[C__N] = {
    "code", "name", "level", "parent_code", "administered_by", "unit_type"
};

static eg_err div_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    div_import *im = ctx;
    for (int i = 0; i < C__N; i++) {
        int required = i <= C_PARENT;
        im->has[i] = eg_csv_has(csv, COLS[i]);
        if (!im->has[i] && required)
            return eg_csv_find(csv, COLS[i], &im->col[i], d);
        if (im->has[i])
            eg_csv_find(csv, COLS[i], &im->col[i], NULL);
    }
    return EG_OK;
}

/* Field `c` of the row, "" when the column is absent. */
static const char *fld(const div_import *im, const eg_csv *csv, int c)
{
    return im->has[c] ? eg_csv_field(csv, im->col[c]) : "";
}

/* Check an optional code column; "" stays "". Returns 0 or -1 (rejected). */
static int short_or_empty(const div_import *im, eg_csv *csv, const eg_import_opts *o,
                          eg_import_result *res, int c, char *out)
{
    const char *v = fld(im, csv, c);
    out[0] = 0;
    if (!v[0])
        return 0;
    if (eg_code_short(v, out)) {
        eg_import_rowf(o, res, csv, 0, COLS[c], "'%s' is not a division code", v);
        return -1;
    }
    return 0;
}

/* Hold a grid row back until the end of the file. */
static eg_err defer_grid(div_import *im, const eg_csv *csv, const char *code,
                         const char *name, const char *name_norm)
{
    pending_grid *g;
    if (im->ngrids == im->cap &&
        eg_array_grow(&im->grids, im->ngrids, &im->cap, sizeof *im->grids))
        return EG_ERR_NOMEM;
    g = &im->grids[im->ngrids];
    snprintf(g->code, sizeof g->code, "%s", code);
    eg_code_parent(code, g->parent);
    g->name = strdup(name);
    g->name_norm = strdup(name_norm);
    g->raw = strdup(eg_csv_raw(csv));
    g->line = eg_csv_line(csv);
    if (!g->name || !g->name_norm || !g->raw) {
        free(g->name);
        free(g->name_norm);
        free(g->raw);
        return EG_ERR_NOMEM;
    }
    im->ngrids++;
    return EG_OK;
}

static eg_err div_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    div_import *im = ctx;
    char code[EG_CODE_BUFSZ], parent[EG_CODE_BUFSZ], admin[EG_CODE_BUFSZ];
    const char *name = fld(im, csv, C_NAME), *lvl = fld(im, csv, C_LEVEL);
    eg_level kind, given;
    char *norm = NULL;
    eg_err e;

    if (eg_code_short(fld(im, csv, C_CODE), code))
        return eg_import_rowf(o, res, csv, 0, "code", "'%s' is not a division code "
                              "(2, 4, 6, 9 or 12 digits, or VILLAGE-N for a grid)",
                              fld(im, csv, C_CODE)), EG_OK;
    if (eg_code_level(code, &kind))
        return eg_import_rowf(o, res, csv, 0, "code", "'%s': the last three digits give "
                              "no village-level kind (001-599)", code), EG_OK;
    if (!name[0])
        return eg_import_rowf(o, res, csv, 0, "name", "missing required value"), EG_OK;
    if (short_or_empty(im, csv, o, res, C_PARENT, parent) ||
        short_or_empty(im, csv, o, res, C_ADMIN, admin))
        return EG_OK;
    if (!lvl[0])
        eg_import_rowf(o, res, csv, 1, "level", "empty; the code's kind %s is used",
                       eg_level_name(kind));
    else if (eg_level_parse(lvl, &given))
        eg_import_rowf(o, res, csv, 1, "level", "unknown level '%s'; the code's kind %s is kept",
                       lvl, eg_level_name(kind));
    else if (given != kind)
        eg_import_rowf(o, res, csv, 1, "level", "'%s' disagrees with the code, whose kind is %s; "
                       "%s is kept", lvl, eg_level_name(kind), eg_level_name(kind));
    e = eg_text_normalize(im->norm, name, &norm);
    if (e == EG_ERR_ENCODING)
        return eg_import_rowf(o, res, csv, 0, "name", "invalid UTF-8"), EG_OK;
    if (e)
        return e;
    if (kind == EG_LEVEL_GRID) {
        e = defer_grid(im, csv, code, name, norm);
    } else {
        eg_division_rec r = {
            .code = code, .name = name, .name_norm = norm, .level = kind,
            .parent_code = parent, .administered_by = admin,
            .unit_type = fld(im, csv, C_UNIT), .synthetic = o->synthetic,
        };
        e = eg_store_division_put(im->s, &r);
        if (!e)
            res->imported++;
    }
    free(norm);
    return e;
}

/* 1 if the store (including rows of this import) has village-level `code`. */
static int village_present(eg_juris *tree, const char *code)
{
    eg_juris_node *n = eg_juris_find(tree, code);
    return n && n->level >= EG_LEVEL_VILLAGE && n->level <= EG_LEVEL_VILLAGE_LIKE;
}

static eg_err div_finish(void *ctx, const eg_import_opts *o, eg_import_result *res)
{
    div_import *im = ctx;
    eg_juris *tree = NULL;
    eg_err e = eg_juris_load(im->s, &tree);
    if (e == EG_ERR_INVALID) {
        /* administered_by (or parent_code) makes a cycle: the tree would
         * have no root for those units; refuse the whole file */
        snprintf(im->cycle_reason, sizeof im->cycle_reason, "administered_by and parent_code make "
                 "a cycle (a unit governs itself through others); nothing was imported");
        return EG_ERR_INVALID;
    }
    for (size_t i = 0; !e && i < im->ngrids; i++) {
        pending_grid *g = &im->grids[i];
        if (!village_present(tree, g->parent)) {
            eg_diag d;
            eg_diag_clear(&d);
            snprintf(d.file, sizeof d.file, "%s", im->file);
            d.line = g->line;
            snprintf(d.column, sizeof d.column, "code");
            snprintf(d.reason, sizeof d.reason, "grid %s: its village %s is not in the tree",
                     g->code, g->parent);
            eg_import_reject_raw(o, res, g->raw, &d);
            continue;
        }
        eg_division_rec r = {
            .code = g->code, .name = g->name, .name_norm = g->name_norm,
            .level = EG_LEVEL_GRID, .parent_code = g->parent, .administered_by = "",
            .unit_type = "grid", .synthetic = o->synthetic,
        };
        e = eg_store_division_put(im->s, &r);
        if (!e)
            res->imported++;
    }
    eg_juris_free(tree);
    return e;
}

/* Free the deferred grids. */
static void free_pending(div_import *im)
{
    for (size_t i = 0; i < im->ngrids; i++) {
        free(im->grids[i].name);
        free(im->grids[i].name_norm);
        free(im->grids[i].raw);
    }
    free(im->grids);
}

eg_err eg_juris_import(eg_store *s, eg_normalizer *norm, const char *path,
                       const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    static const eg_importer IMP = { "divisions", div_setup, div_row, div_finish };
    div_import im = { .s = s, .norm = norm, .file = path };
    eg_err e = eg_import_file(s, &IMP, &im, path, o, res, d);
    if (e == EG_ERR_INVALID && im.cycle_reason[0])
        eg_diag_set(d, e, path, 0, "administered_by", "%s", im.cycle_reason);
    free_pending(&im);
    return e;
}

eg_err eg_juris_add_grid(eg_store *s, eg_normalizer *norm, const eg_juris *j,
                         const char *parent_code, int number, const char *name,
                         int synthetic, char *code_out)
{
    eg_juris_node *p = eg_juris_find(j, parent_code);
    char longc[EG_CODE_BUFSZ], gname[64];
    char *nn = NULL;
    eg_err e;
    if (!p)
        return EG_ERR_NOT_FOUND;
    if (p->level < EG_LEVEL_VILLAGE || p->level > EG_LEVEL_VILLAGE_LIKE)
        return EG_ERR_INVALID;
    if (number < 0 || number > 999999)
        return EG_ERR_RANGE;
    if (number == 0) {
        for (size_t i = 0; i < p->nchildren; i++) {
            const char *dash = strchr(p->children[i]->code, '-');
            int k = dash ? atoi(dash + 1) : 0;
            if (k > number)
                number = k;
        }
        number++;
    }
    eg_code_long(p->code, longc);
    {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.12s-%d", longc, number);
        memcpy(code_out, tmp, EG_CODE_BUFSZ - 1);
        code_out[EG_CODE_BUFSZ - 1] = 0;
    }
    if (!name || !*name) {
        snprintf(gname, sizeof gname, "第%d网格", number);
        name = gname;
    }
    e = eg_text_normalize(norm, name, &nn);
    if (e)
        return e;
    eg_division_rec r = {
        .code = code_out, .name = name, .name_norm = nn, .level = EG_LEVEL_GRID,
        .parent_code = p->code, .administered_by = "", .unit_type = "grid",
        .synthetic = synthetic,
    };
    e = eg_store_division_put(s, &r);
    free(nn);
    return e;
}
