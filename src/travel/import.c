/*
 * travel/import.c: importing travel.csv, case trips and risk areas into
 * the store through the shared import driver (one transaction a file).
 */
#include <string.h>
#include "epigrid/feed.h"

typedef struct feed_import {
    eg_store *s;
    eg_feed_cols cols;
    eg_feed_result fr;
} feed_import;

static eg_err leg_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    return eg_leg_cols(csv, &((feed_import *)ctx)->cols, d);
}

static eg_err leg_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    feed_import *im = ctx;
    eg_leg l;
    int dup = 0;
    eg_err e;
    if (eg_leg_from_row(csv, &im->cols, eg_time_date(o->now), &l, o, res))
        return EG_OK;
    e = eg_store_leg_put(im->s, &l, &dup);
    if (e)
        return e;
    if (dup)
        im->fr.duplicates++;
    else
        res->imported++;
    if (l.id_flag)
        im->fr.flagged_ids++;
    return EG_OK;
}

eg_err eg_travel_import(eg_store *s, const char *path, const eg_import_opts *o,
                        eg_import_result *res, eg_feed_result *fr, eg_diag *d)
{
    static const eg_importer IMP = { "travel", leg_setup, leg_row, NULL };
    feed_import im = { .s = s };
    eg_err e = eg_import_file(s, &IMP, &im, path, o, res, d);
    if (fr)
        *fr = e ? (eg_feed_result){ 0 } : im.fr;
    return e;
}

static eg_err case_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    return eg_case_trip_cols(csv, &((feed_import *)ctx)->cols, d);
}

static eg_err case_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    feed_import *im = ctx;
    eg_case_trip t[16];
    char original[EG_LEG_NAME_BUFSZ * 2];
    size_t n = 0;
    int stored = 0;
    if (eg_case_trips_from_row(csv, &im->cols, t, 16, &n, original, o, res))
        return EG_OK;
    if (n && t[0].unreadable)
        im->fr.unreadable++;
    for (size_t i = 0; i < n; i++) {
        int dup = 0;
        eg_err e = eg_store_case_trip_put(im->s, &t[i], original, &dup);
        if (e)
            return e;
        if (dup)
            im->fr.duplicates++;
        else
            im->fr.case_trips++, stored = 1;
    }
    if (stored)
        res->imported++;
    return EG_OK;
}

eg_err eg_case_trips_import(eg_store *s, const char *path, const eg_import_opts *o,
                            eg_import_result *res, eg_feed_result *fr, eg_diag *d)
{
    static const eg_importer IMP = { "case-trips", case_setup, case_row, NULL };
    feed_import im = { .s = s };
    eg_err e = eg_import_file(s, &IMP, &im, path, o, res, d);
    if (fr)
        *fr = e ? (eg_feed_result){ 0 } : im.fr;
    return e;
}

static eg_err risk_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    return eg_risk_area_cols(csv, &((feed_import *)ctx)->cols, d);
}

static eg_err risk_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    feed_import *im = ctx;
    eg_risk_area a;
    eg_err e;
    if (eg_risk_area_from_row(csv, &im->cols, &a, o, res))
        return EG_OK;
    e = eg_store_risk_area_put(im->s, &a);
    if (!e)
        res->imported++;
    return e;
}

eg_err eg_risk_areas_import(eg_store *s, const char *path, const eg_import_opts *o,
                            eg_import_result *res, eg_diag *d)
{
    static const eg_importer IMP = { "risk-areas", risk_setup, risk_row, NULL };
    feed_import im = { .s = s };
    return eg_import_file(s, &IMP, &im, path, o, res, d);
}
