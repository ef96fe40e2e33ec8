/*
 * checkpoint/fever.c: fevers found at checkpoints. Every fever (37.3 °C
 * or more, national plan) becomes a referral to the nearest fever clinic,
 * followed to an outcome (normal, suspected, other_illness) recorded by
 * the clinic; one without an outcome in time raises an alert in the daily
 * sweep (逢热必检). Import of fevers.csv.
 */
#include "../facility/internal.h"

/* See epigrid/checkpoint.h. */
eg_err eg_checkpoint_fever(eg_store *s, const eg_juris *tree, const eg_facility_params *p,
                           const char *checkpoint_id, eg_time at, int temp_dc, const char *id_no,
                           const char *name, const char *phone, const char *destination, eg_time now,
                           eg_fever *out, int *dup, eg_diag *d)
{
    static const char *const CLINIC[] = { "fever_clinic", NULL };
    eg_checkpoint c;
    eg_facility clinic;
    eg_fever f;
    char b[EG_TIME_BUFSZ];
    eg_err e = eg_store_checkpoint_get(s, checkpoint_id ? checkpoint_id : "", &c);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "checkpoint_id", "no checkpoint '%s'", checkpoint_id ? checkpoint_id : "");
    if (e)
        return e;
    if (temp_dc < EG_FEVER_DC)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "temperature_c", "%d.%d °C is not a fever: a fever record "
                           "needs 37.3 °C or more", temp_dc / 10, temp_dc % 10);
    if (temp_dc > 430)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "temperature_c", "%d.%d °C is above 43.0 °C", temp_dc / 10,
                           temp_dc % 10);
    if (at > now)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "at", "the moment %s is in the future",
                           eg_time_format(at, b));
    memset(&f, 0, sizeof f);
    FAC_COPY(f.checkpoint_id, c.checkpoint_id);
    FAC_COPY(f.juris_code, c.juris_code);
    f.at = at;
    f.temp_dc = temp_dc;
    FAC_COPY(f.id_no, id_no);
    FAC_COPY(f.name, name);
    FAC_COPY(f.phone, phone);
    FAC_COPY(f.destination, destination);
    /* a referral, not an admission: the nearest clinic, full or not */
    e = eg_facility_allocate(s, tree, CLINIC, c.juris_code, &clinic, NULL, NULL);
    if (e == EG_ERR_NOT_FOUND) {
        e = EG_OK;
        clinic.facility_id[0] = 0;
    }
    if (e)
        return e;
    FAC_COPY(f.clinic_id, clinic.facility_id);
    f.due_at = at + (eg_time)p->referral_outcome_hours * 60;
    f.recorded_at = now;
    if ((e = eg_store_fever_add(s, &f, dup)))
        return e;
    if (out)
        *out = f;
    return EG_OK;
}

enum { V_ID, V_AT, V_TEMP, V_IDNO, V_NAME, V_PHONE, V_DEST, V__N };
static const char *const COLS[V__N] = { "checkpoint_id", "at", "temperature_c", "id_no", "name", "phone",
                                        "destination" };

typedef struct fever_import {
    eg_store *s;
    const eg_juris *tree;
    const eg_facility_params *p;
    size_t col[V__N];
    int has[V__N];
} fever_import;

static eg_err fever_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    fever_import *im = ctx;
    for (int i = 0; i < V__N; i++) {
        eg_err e = eg_csv_find(csv, COLS[i], &im->col[i], i <= V_TEMP ? d : NULL);
        im->has[i] = e == EG_OK;
        if (e && i <= V_TEMP)
            return e;
    }
    return EG_OK;
}

static eg_err fever_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    fever_import *im = ctx;
    const char *v[V__N];
    eg_time at;
    int dc, dup = 0;
    eg_diag d;
    eg_err e;
    for (int i = 0; i < V__N; i++)
        v[i] = im->has[i] ? eg_csv_field(csv, im->col[i]) : "";
    for (int i = 0; i <= V_TEMP; i++)
        if (!v[i][0])
            return eg_import_rowf(o, res, csv, 0, COLS[i], "missing required value"), EG_OK;
    if (eg_time_parse(v[V_AT], &at))
        return eg_import_rowf(o, res, csv, 0, "at", "'%s' is not a moment (YYYY-MM-DD HH:MM)", v[V_AT]), EG_OK;
    if (eg_control_parse_temp(v[V_TEMP], &dc))
        return eg_import_rowf(o, res, csv, 0, "temperature_c", "'%s' is not a temperature with one decimal",
                              v[V_TEMP]), EG_OK;
    eg_diag_clear(&d);
    e = eg_checkpoint_fever(im->s, im->tree, im->p, v[V_ID], at, dc, v[V_IDNO], v[V_NAME], v[V_PHONE], v[V_DEST],
                            o->now, NULL, &dup, &d);
    if (e == EG_ERR_DB || e == EG_ERR_NOMEM)
        return e;
    if (e)
        return eg_import_rowf(o, res, csv, 0, d.column, "%s", d.reason), EG_OK;
    if (dup)
        return eg_import_rowf(o, res, csv, 1, "at", "the same fever is stored already"), EG_OK;
    res->imported++;
    return EG_OK;
}

/* See epigrid/checkpoint.h. */
eg_err eg_checkpoint_fevers_import(eg_store *s, const eg_juris *tree, const eg_facility_params *p,
                                   const char *path, const eg_import_opts *o, eg_import_result *res,
                                   eg_diag *d)
{
    static const eg_importer IMP = { "fevers", fever_setup, fever_row, NULL };
    fever_import im = { .s = s, .tree = tree, .p = p };
    return eg_import_file(s, &IMP, &im, path, o, res, d);
}

/* See epigrid/checkpoint.h. */
eg_err eg_checkpoint_outcome(eg_store *s, const char *fid, const char *outcome, const char *actor, eg_time now,
                             eg_diag *d)
{
    static const char *const OUTCOMES[] = { "normal", "suspected", "other_illness", NULL };
    eg_fever f;
    char dedup[96], b[EG_TIME_BUFSZ];
    eg_store_tx tx;
    eg_err e;
    if (!fac_one_of(outcome, OUTCOMES))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "outcome", "'%s' is not normal, suspected or other_illness",
                           outcome ? outcome : "");
    e = eg_store_fever_get(s, fid ? fid : "", &f);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "fever", "no fever '%s'", fid ? fid : "");
    if (e)
        return e;
    if (f.outcome[0])
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "outcome", "the fever has the outcome %s since %s already",
                           f.outcome, eg_time_format(f.outcome_at, b));
    if (now < f.at)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "at", "the outcome cannot come before the fever (%s)",
                           eg_time_format(f.at, b));
    FAC_COPY(f.outcome, outcome);
    f.outcome_at = now;
    FAC_COPY(f.outcome_by, actor);
    snprintf(dedup, sizeof dedup, "referral:%s", f.fid);
    if ((e = eg_store_tx_begin(s, &tx)))
        return e;
    e = eg_store_fever_save(s, &f);
    if (!e)
        e = fac_alert_resolve(s, dedup, now, NULL);
    if ((e = eg_store_tx_end(&tx, e)))
        eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    return e;
}
