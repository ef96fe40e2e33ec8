/*
 * travel/rows.c: reading travel.csv, case_trips.csv (and the public
 * same-trip list's own shape) and risk_areas.csv row by row into the
 * normalised records of epigrid/travel.h, with every rejection and warning
 * reported as FILE:LINE: column: reason. Shared by the importers and the
 * streaming screening pass, so both see the same legs.
 */
#include <stdio.h>
#include <string.h>
#include "epigrid/registry.h"
#include "epigrid/text.h"
#include "epigrid/travel.h"

/* Columns of travel.csv. */
enum { L_ID, L_NAME, L_PHONE, L_MODE, L_TRIP, L_DEP, L_DEPT, L_FROM, L_FROMN, L_TO, L_TON,
       L_ARR, L_CAR, L_SEAT, L_DOC, L__N };
static const char *const LCOLS[L__N] = {
    "id_no", "name", "phone", "mode", "trip_no", "dep_date", "dep_time", "from_code",
    "from_name", "to_code", "to_name", "arr_date", "car", "seat", "doc_type"
};
static const int LREQ[L__N] = { [L_ID] = 1, [L_MODE] = 1, [L_TRIP] = 1, [L_DEP] = 1,
                                [L_FROM] = 1, [L_TO] = 1 };

/* Find columns `names` (n of them; required ones flagged) in the header. */
static eg_err find_cols(eg_csv *csv, const char *const *names, const int *req, int n,
                        eg_feed_cols *c, eg_diag *d)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < n; i++) {
        c->has[i] = eg_csv_find(csv, names[i], &c->idx[i], NULL) == EG_OK;
        if (!c->has[i] && req[i])
            return eg_csv_find(csv, names[i], &c->idx[i], d);
    }
    return EG_OK;
}

/* Field i, "" when its column is absent. */
static const char *fld(const eg_csv *csv, const eg_feed_cols *c, int i)
{
    return c->has[i] ? eg_csv_field(csv, c->idx[i]) : "";
}

/* Copy UTF-8 text into a fixed buffer, cutting at a character boundary. */
static void copy_text(char *dst, size_t size, const char *src)
{
    eg_text_copy(dst, size, src, strlen(src));
}

eg_err eg_leg_cols(eg_csv *csv, eg_feed_cols *c, eg_diag *d)
{
    return find_cols(csv, LCOLS, LREQ, L__N, c, d);
}

/* Normalise the leg's identity number; a failed check is kept, flagged
 * and warned about (the person must still be found). */
static void leg_identity(eg_csv *csv, const eg_feed_cols *c, eg_date today, eg_leg *l,
                         const eg_import_opts *o, eg_import_result *res)
{
    const char *raw = fld(csv, c, L_ID), *doc = fld(csv, c, L_DOC);
    eg_idno_info info;
    eg_idno_reason why = EG_IDNO_OK;
    char exp = 0;
    if (doc[0] && strcmp(doc, "resident_id") != 0) {
        if (eg_docno_normalize(doc, raw, l->id_no))
            copy_text(l->id_no, sizeof l->id_no, raw);
        return;
    }
    if (eg_idno_check(raw, today, &info, &why, &exp) == EG_OK) {
        strcpy(l->id_no, info.norm);
        return;
    }
    l->id_flag = (unsigned char)why;
    if (eg_docno_normalize("resident_id", raw, l->id_no))
        copy_text(l->id_no, sizeof l->id_no, raw);
    eg_import_rowf(o, res, csv, 1, "id_no", "%s: %s%s%c%s; the leg is kept and flagged", raw,
                   eg_idno_reason_str(why), exp ? " (expected " : "", exp ? exp : ' ', exp ? ")" : "");
}

eg_err eg_leg_from_row(eg_csv *csv, const eg_feed_cols *c, eg_date today, eg_leg *l,
                       const eg_import_opts *o, eg_import_result *res)
{
    const char *v;
    int minute;
    memset(l, 0, sizeof *l);
    l->line = (long)eg_csv_line(csv);
    for (int i = 0; i < L__N; i++)
        if (LREQ[i] && !fld(csv, c, i)[0])
            return eg_import_rowf(o, res, csv, 0, LCOLS[i], "missing required value"), EG_ERR_INVALID;
    v = fld(csv, c, L_MODE);
    if (eg_mode_parse(v, &l->mode))
        return eg_import_rowf(o, res, csv, 0, "mode", "'%s' is not train, flight, bus, ship, car "
                              "or other", v), EG_ERR_INVALID;
    v = fld(csv, c, L_TRIP);
    if (eg_trip_no_normalize(v, l->trip_no))
        return eg_import_rowf(o, res, csv, 0, "trip_no", "'%s' is not a trip number", v), EG_ERR_INVALID;
    v = fld(csv, c, L_DEP);
    if (eg_date_parse(v, &l->dep_date))
        return eg_import_rowf(o, res, csv, 0, "dep_date", "'%s' is not a date (YYYY-MM-DD, "
                              "YYYY/M/D or YYYYMMDD)", v), EG_ERR_INVALID;
    v = fld(csv, c, L_ARR);
    if (!v[0])
        l->arr_date = l->dep_date;
    else if (eg_date_parse(v, &l->arr_date))
        return eg_import_rowf(o, res, csv, 0, "arr_date", "'%s' is not a date", v), EG_ERR_INVALID;
    if (l->arr_date < l->dep_date)
        return eg_import_rowf(o, res, csv, 0, "arr_date", "%s is before dep_date %s", v,
                              fld(csv, c, L_DEP)), EG_ERR_INVALID;
    v = fld(csv, c, L_FROM);
    if (eg_code_short(v, l->from_code))
        return eg_import_rowf(o, res, csv, 0, "from_code", "'%s' is not a division code", v), EG_ERR_INVALID;
    v = fld(csv, c, L_TO);
    if (eg_code_short(v, l->to_code))
        return eg_import_rowf(o, res, csv, 0, "to_code", "'%s' is not a division code", v), EG_ERR_INVALID;
    l->dep_minute = EG_NO_MINUTE;
    v = fld(csv, c, L_DEPT);
    if (v[0] && eg_time_of_day_parse(v, &minute) == EG_OK)
        l->dep_minute = (short)minute;
    else if (v[0])
        eg_import_rowf(o, res, csv, 1, "dep_time", "'%s' is not HH:MM; left unknown", v);
    v = fld(csv, c, L_CAR);
    if (eg_car_parse(v, &l->car))
        eg_import_rowf(o, res, csv, 1, "car", "'%s' is not a carriage number; left unknown "
                       "(the whole train is traced)", v);
    v = fld(csv, c, L_SEAT);
    if (eg_seat_normalize(v, l->seat, &l->seat_row))
        eg_import_rowf(o, res, csv, 1, "seat", "'%s' is not a seat; left unknown", v);
    if (l->mode != EG_MODE_FLIGHT)
        l->seat_row = 0;
    leg_identity(csv, c, today, l, o, res);
    copy_text(l->name, sizeof l->name, fld(csv, c, L_NAME));
    copy_text(l->phone, sizeof l->phone, fld(csv, c, L_PHONE));
    copy_text(l->from_name, sizeof l->from_name, fld(csv, c, L_FROMN));
    copy_text(l->to_name, sizeof l->to_name, fld(csv, c, L_TON));
    return EG_OK;
}

/* Columns of case_trips.csv and of the public list (same positions). */
enum { C_DATE, C_MODE, C_TRIP, C_CAR, C_SEAT, C_FROM, C_TO, C_STATUS, C_SOURCE, C_DESC, C__N };
static const char *const CCOLS[C__N] = {
    "date", "mode", "trip_no", "car", "seat", "from_name", "to_name", "case_status", "source", ""
};
static const char *const PCOLS[C__N] = {
    "travel_date", "mode", "trip_number", "", "", "from", "to", "", "source_description",
    "carriage_seat"
};
static const int CREQ[C__N] = { [C_DATE] = 1, [C_MODE] = 1, [C_TRIP] = 1 };

eg_err eg_case_trip_cols(eg_csv *csv, eg_feed_cols *c, eg_diag *d)
{
    int pub = eg_csv_has(csv, "travel_date") && eg_csv_has(csv, "trip_number");
    eg_err e = find_cols(csv, pub ? PCOLS : CCOLS, CREQ, C__N, c, d);
    c->public_list = pub;
    return e;
}

/* Fill the shared fields of a case trip from the row. Returns 0, or -1
 * when the row was rejected. */
static int case_base(eg_csv *csv, const eg_feed_cols *c, eg_case_trip *t,
                     const eg_import_opts *o, eg_import_result *res)
{
    const char *date_col = c->public_list ? "travel_date" : "date";
    const char *trip_col = c->public_list ? "trip_number" : "trip_no";
    const char *v;
    memset(t, 0, sizeof *t);
    t->id = (long)eg_csv_line(csv);
    if (!fld(csv, c, C_DATE)[0])
        return eg_import_rowf(o, res, csv, 0, date_col, "missing required value"), -1;
    if (!fld(csv, c, C_MODE)[0])
        return eg_import_rowf(o, res, csv, 0, "mode", "missing required value"), -1;
    if (!fld(csv, c, C_TRIP)[0])
        return eg_import_rowf(o, res, csv, 0, trip_col, "missing trip number"), -1;
    v = fld(csv, c, C_DATE);
    if (eg_date_parse(v, &t->date))
        return eg_import_rowf(o, res, csv, 0, date_col, "'%s' is not a date", v), -1;
    v = fld(csv, c, C_MODE);
    if (eg_mode_parse(v, &t->mode))
        return eg_import_rowf(o, res, csv, 0, "mode", "'%s' is not a mode", v), -1;
    v = fld(csv, c, C_TRIP);
    if (eg_trip_no_split(v, t->nos, &t->nnos))
        return eg_import_rowf(o, res, csv, 0, trip_col, "'%s' is not a trip number", v), -1;
    v = fld(csv, c, C_STATUS);
    t->status = EG_CASE_CONFIRMED;
    if (strcmp(v, "suspected") == 0)
        t->status = EG_CASE_SUSPECTED;
    else if (v[0] && strcmp(v, "confirmed") != 0)
        return eg_import_rowf(o, res, csv, 0, "case_status", "'%s' is not confirmed or suspected",
                              v), -1;
    copy_text(t->from_name, sizeof t->from_name, fld(csv, c, C_FROM));
    copy_text(t->to_name, sizeof t->to_name, fld(csv, c, C_TO));
    return 0;
}

eg_err eg_case_trips_from_row(eg_csv *csv, const eg_feed_cols *c, eg_case_trip *out,
                              size_t max, size_t *n, char *original,
                              const eg_import_opts *o, eg_import_result *res)
{
    eg_case_trip base;
    int cars[16];
    size_t ncars = 0;
    char seat[EG_SEAT_BUFSZ] = "", desc[512];
    int row = 0, unreadable = 0;
    *n = 0;
    if (case_base(csv, c, &base, o, res))
        return EG_ERR_INVALID;
    if (c->public_list) {
        snprintf(desc, sizeof desc, "%s", fld(csv, c, C_DESC));
        unreadable = eg_carriage_parse(desc, cars, 16, &ncars, seat, &row) != EG_OK;
    } else {
        const char *car = fld(csv, c, C_CAR), *st = fld(csv, c, C_SEAT);
        snprintf(desc, sizeof desc, "%s%s%s", car, car[0] && st[0] ? " " : "", st);
        if (eg_car_parse(car, &cars[0]) == EG_OK) {
            ncars = cars[0] ? 1 : 0;
        } else if (eg_carriage_parse(car, cars, 16, &ncars, seat, &row) != EG_OK) {
            unreadable = 1;
        }
        if (!unreadable && eg_seat_normalize(st, seat, &row))
            unreadable = 1;
    }
    if (original)
        copy_text(original, EG_LEG_NAME_BUFSZ * 2, desc);
    if (unreadable) {
        eg_import_rowf(o, res, csv, 1, c->public_list ? "carriage_seat" : "car",
                       "'%s' cannot be read; the whole %s %s is traced", desc,
                       eg_mode_name(base.mode), base.nos[0]);
        ncars = 0;
        seat[0] = 0;
        row = 0;
    }
    if (base.mode != EG_MODE_FLIGHT)
        row = 0;
    for (size_t i = 0; i < (ncars ? ncars : 1) && *n < max; i++) {
        eg_case_trip *t = &out[(*n)++];
        *t = base;
        t->car = ncars ? cars[i] : 0;
        snprintf(t->seat, sizeof t->seat, "%s", ncars > 1 ? "" : seat);
        t->seat_row = ncars > 1 ? 0 : row;
        t->unreadable = unreadable;
    }
    return EG_OK;
}

/* Columns of risk_areas.csv. */
enum { R_CODE, R_LEVEL, R_FROM, R_TO, R_NAME, R__N };
static const char *const RCOLS[R__N] = { "code", "level", "valid_from", "valid_to", "name" };
static const int RREQ[R__N] = { [R_CODE] = 1, [R_LEVEL] = 1, [R_FROM] = 1 };

eg_err eg_risk_area_cols(eg_csv *csv, eg_feed_cols *c, eg_diag *d)
{
    return find_cols(csv, RCOLS, RREQ, R__N, c, d);
}

eg_err eg_risk_area_from_row(eg_csv *csv, const eg_feed_cols *c, eg_risk_area *a,
                             const eg_import_opts *o, eg_import_result *res)
{
    const char *v;
    memset(a, 0, sizeof *a);
    a->id = (long)eg_csv_line(csv);
    for (int i = 0; i < R__N; i++)
        if (RREQ[i] && !fld(csv, c, i)[0])
            return eg_import_rowf(o, res, csv, 0, RCOLS[i], "missing required value"), EG_ERR_INVALID;
    v = fld(csv, c, R_CODE);
    if (eg_code_short(v, a->code))
        return eg_import_rowf(o, res, csv, 0, "code", "'%s' is not a division code", v), EG_ERR_INVALID;
    v = fld(csv, c, R_LEVEL);
    if (strcmp(v, "high") && strcmp(v, "medium") && strcmp(v, "low"))
        return eg_import_rowf(o, res, csv, 0, "level", "'%s' is not high, medium or low", v), EG_ERR_INVALID;
    snprintf(a->level, sizeof a->level, "%s", v);
    v = fld(csv, c, R_FROM);
    if (eg_date_parse(v, &a->valid_from))
        return eg_import_rowf(o, res, csv, 0, "valid_from", "'%s' is not a date", v), EG_ERR_INVALID;
    v = fld(csv, c, R_TO);
    a->valid_to = EG_NO_DATE;
    if (v[0] && eg_date_parse(v, &a->valid_to))
        return eg_import_rowf(o, res, csv, 0, "valid_to", "'%s' is not a date", v), EG_ERR_INVALID;
    if (a->valid_to != EG_NO_DATE && a->valid_to < a->valid_from)
        return eg_import_rowf(o, res, csv, 0, "valid_to", "%s is before valid_from %s", v,
                              fld(csv, c, R_FROM)), EG_ERR_INVALID;
    copy_text(a->name, sizeof a->name, fld(csv, c, R_NAME));
    return EG_OK;
}
