/*
 * juris/staff.c: officials and workers of the jurisdiction tree, and the
 * import of staff.csv.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "epigrid/code.h"
#include "epigrid/staff.h"

static const eg_staff_role ROLES[] = {
    { "city_leader", "市级领导包保" },
    { "secretary", "书记" },
    { "first_secretary", "驻村第一书记" },
    { "grid_leader", "网格长" },
    { "township_cadre", "乡镇(街道)干部" },
    { "village_cadre", "村(社区)干部" },
    { "police", "民警" },
    { "doctor", "村医/社区医生" },
    { "checkpoint_staff", "检查站工作人员" },
    { "clinician", "临床医生" },
    { "cdc_staff", "疾控人员" },
    { "volunteer", "志愿者" },
};

const eg_staff_role *eg_staff_roles(size_t *n)
{
    *n = sizeof ROLES / sizeof ROLES[0];
    return ROLES;
}

const eg_staff_role *eg_staff_role_find(const char *name)
{
    for (size_t i = 0; i < sizeof ROLES / sizeof ROLES[0]; i++)
        if (strcmp(ROLES[i].name, name) == 0)
            return &ROLES[i];
    return NULL;
}

eg_err eg_phone_normalize(const char *in, char *out, size_t size)
{
    size_t n = 0, digits = 0;
    for (const char *p = in; *p; p++) {
        if (*p == '+' && n == 0) {
            if (n + 1 >= size)
                return EG_ERR_INVALID;
            out[n++] = '+';
        } else if (isdigit((unsigned char)*p)) {
            if (n + 1 >= size)
                return EG_ERR_INVALID;
            out[n++] = *p;
            digits++;
        } else if (*p != ' ' && *p != '-') {
            return EG_ERR_INVALID;
        }
    }
    out[n] = 0;
    return digits >= 7 && digits <= 20 ? EG_OK : EG_ERR_INVALID;
}

enum { S_ID, S_NAME, S_PHONE, S_ROLE, S_JURIS, S_UNIT, S__N };
static const char *const SCOLS[S__N] = { "staff_id", "name", "phone", "role", "juris_code", "unit" };

typedef struct staff_import {
    eg_store *s;
    const eg_juris *j;
    size_t col[S__N];
    int has_unit;
} staff_import;

static eg_err staff_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    staff_import *im = ctx;
    for (int i = 0; i < S_UNIT; i++) {
        eg_err e = eg_csv_find(csv, SCOLS[i], &im->col[i], d);
        if (e)
            return e;
    }
    im->has_unit = eg_csv_find(csv, "unit", &im->col[S_UNIT], NULL) == EG_OK;
    return EG_OK;
}

static eg_err staff_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    staff_import *im = ctx;
    const char *v[S__N];
    char code[EG_CODE_BUFSZ], phone[32];
    int created = 0;
    eg_err e;
    for (int i = 0; i < S__N; i++)
        v[i] = (i == S_UNIT && !im->has_unit) ? "" : eg_csv_field(csv, im->col[i]);
    for (int i = 0; i < S_UNIT; i++)
        if (!v[i][0])
            return eg_import_rowf(o, res, csv, 0, SCOLS[i], "missing required value"), EG_OK;
    if (!eg_staff_role_find(v[S_ROLE]))
        return eg_import_rowf(o, res, csv, 0, "role", "unknown role '%s' (see docs/formats.md)",
                              v[S_ROLE]), EG_OK;
    if (eg_phone_normalize(v[S_PHONE], phone, sizeof phone))
        return eg_import_rowf(o, res, csv, 0, "phone", "'%s' is not a phone number", v[S_PHONE]), EG_OK;
    if (eg_code_short(v[S_JURIS], code))
        return eg_import_rowf(o, res, csv, 0, "juris_code", "'%s' is not a division code",
                              v[S_JURIS]), EG_OK;
    if (!eg_juris_find(im->j, code))
        return eg_import_rowf(o, res, csv, 0, "juris_code", "%s is not in the jurisdiction tree "
                              "(import divisions first)", code), EG_OK;
    eg_staff_rec r = {
        .staff_id = v[S_ID], .name = v[S_NAME], .phone = phone, .role = v[S_ROLE],
        .juris_code = code, .unit = v[S_UNIT], .synthetic = o->synthetic,
    };
    e = eg_store_staff_put(im->s, &r, &created);
    if (e)
        return e;
    res->imported++;
    if (!created)
        res->updated++;
    return EG_OK;
}

eg_err eg_staff_import(eg_store *s, const eg_juris *j, const char *path,
                       const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    static const eg_importer IMP = { "staff", staff_setup, staff_row, NULL };
    staff_import im = { .s = s, .j = j };
    return eg_import_file(s, &IMP, &im, path, o, res, d);
}
