/*
 * control/monitor.c: monitoring (监测): temperature and symptom readings
 * twice a day, and laboratory results, one at a time or from readings.csv
 * and tests.csv (spec/formats.md). A fever (>= 37.3 °C) or a red-flag
 * symptom of a person under observation raises an alert and a referral
 * task to a fever clinic (发热门诊).
 */
#include <stdlib.h>
#include "internal.h"

static const char *const SYMPTOMS[] = { "fever", "dry_cough", "fatigue", "sore_throat", "shortness_of_breath",
                                        "chest_tightness", "diarrhoea", "muscle_ache", NULL };
static const char *const RED_FLAGS[] = { "shortness_of_breath", "chest_tightness", NULL };
static const char *const SOURCES[] = { "team", "self", "checkpoint", "clinic", NULL };
static const char *const METHODS[] = { "rt_pcr", "antibody_igm", "antibody_igg", "ct_imaging", NULL };
static const char *const RESULTS[] = { "positive", "negative", "inconclusive", NULL };

/* Normalise a document number: trimmed, a final x upper-cased. */
static void norm_id(const char *in, char *out, size_t size)
{
    size_t n;
    while (*in == ' ')
        in++;
    snprintf(out, size, "%s", in);
    n = strlen(out);
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = 0;
    if (n > 0 && out[n - 1] == 'x')
        out[n - 1] = 'X';
}

/* Check a ';'-separated symptom list and normalise it into out (no
 * blanks). Sets *red when it holds a red-flag symptom. EG_OK or
 * EG_ERR_INVALID with d naming the unknown symptom. */
static eg_err check_symptoms(const char *in, char *out, size_t size, int *red, eg_diag *d)
{
    char buf[EG_CTL_TEXT_BUFSZ], *tok, *save = NULL;
    size_t used = 0;
    *red = 0;
    out[0] = 0;
    if (!in || !*in)
        return EG_OK;
    if (strlen(in) >= sizeof buf)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "symptoms", "the symptom list is too long");
    snprintf(buf, sizeof buf, "%s", in);
    for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *end;
        while (*tok == ' ')
            tok++;
        end = tok + strlen(tok);
        while (end > tok && end[-1] == ' ')
            *--end = 0;
        if (!*tok)
            continue;
        if (!ctl_one_of(tok, SYMPTOMS))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "symptoms", "unknown symptom '%s' (one of fever, "
                               "dry_cough, fatigue, sore_throat, shortness_of_breath, chest_tightness, "
                               "diarrhoea, muscle_ache)", tok);
        *red |= ctl_one_of(tok, RED_FLAGS);
        used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ";" : "", tok);
        if (used >= size)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "symptoms", "the symptom list is too long");
    }
    return EG_OK;
}

/* Raise the alert and the referral task of a fever or red-flag reading
 * (one each per order and day). */
static eg_err raise_fever(eg_store *s, const eg_control_params *p, const eg_ctl_order *o,
                          const eg_ctl_reading *r, int fever, eg_reading_outcome *out)
{
    eg_ctl_alert a;
    char when[EG_TIME_BUFSZ], day[EG_DATE_BUFSZ];
    int created = 0;
    eg_err e;
    memset(&a, 0, sizeof a);
    CTL_COPY(a.kind, fever ? "fever" : "red_flag");
    a.order_id = o->id;
    CTL_COPY(a.id_no, o->id_no);
    CTL_COPY(a.name, o->name);
    CTL_COPY(a.juris_code, o->juris_code);
    eg_time_format(r->taken_at, when);
    snprintf(a.reason, sizeof a.reason, "%d.%d °C%s%.300s at %s (%.20s); refer to a fever clinic", r->temp_dc / 10,
             r->temp_dc % 10, r->symptoms[0] ? ", " : "", r->symptoms, when, r->source);
    CTL_COPY(a.state, "open");
    snprintf(a.dedup, sizeof a.dedup, "%s:%lld:%s", a.kind, (long long)o->id,
             eg_date_format(eg_time_date(r->taken_at), day));
    a.created_at = r->recorded_at;
    a.due_at = r->recorded_at + (eg_time)p->escalate_hours * 60;
    if ((e = eg_store_ctl_alert_add(s, &a, &created)) || !created)
        return e;
    out->alert_created = 1;
    eg_ctl_task t;
    memset(&t, 0, sizeof t);
    CTL_COPY(t.kind, "referral");
    t.order_id = o->id;
    CTL_COPY(t.juris_code, o->juris_code);
    CTL_COPY(t.state, "open");
    t.created_at = r->recorded_at;
    t.due_at = r->recorded_at + (eg_time)p->referral_due_hours * 60;
    snprintf(t.note, sizeof t.note, "fever clinic referral: %.400s", a.reason);
    if ((e = eg_store_ctl_task_add(s, &t, NULL)))
        return e;
    out->referral_created = 1;
    return EG_OK;
}

/* Validate and store one reading for a known order (the common part of
 * all entry points). */
static eg_err add_reading(eg_store *s, const eg_control_params *p, const eg_ctl_order *o, eg_time taken_at,
                          int temp_dc, const char *symptoms, const char *source, const char *actor, eg_time now,
                          eg_reading_outcome *out, eg_diag *d)
{
    eg_ctl_reading r;
    int red = 0;
    eg_err e;
    memset(out, 0, sizeof *out);
    memset(&r, 0, sizeof r);
    if ((e = check_symptoms(symptoms, r.symptoms, sizeof r.symptoms, &red, d)))
        return e;
    r.order_id = o->id;
    CTL_COPY(r.id_no, o->id_no);
    r.taken_at = taken_at;
    r.temp_dc = temp_dc;
    CTL_COPY(r.source, source);
    r.recorded_at = now;
    CTL_COPY(r.actor, actor);
    if ((e = eg_store_ctl_reading_add(s, &r, &out->dup)))
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    if (out->dup)
        return EG_OK;
    out->fever = temp_dc >= p->fever_dc;
    out->red_flag = red;
    if ((out->fever || red) && eg_control_is_observation(o->measure))
        e = raise_fever(s, p, o, &r, out->fever, out);
    return e;
}

/* The checks that need no database. */
static eg_err check_reading(const eg_control_params *p, eg_time taken_at, int temp_dc, const char *source,
                            eg_time now, eg_diag *d)
{
    char a[EG_TIME_BUFSZ], b[EG_TIME_BUFSZ];
    if (temp_dc < p->temp_min_dc || temp_dc > p->temp_max_dc)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "temperature_c", "%d.%d °C is outside %d.%d-%d.%d °C",
                           temp_dc / 10, abs(temp_dc % 10), p->temp_min_dc / 10, p->temp_min_dc % 10,
                           p->temp_max_dc / 10, p->temp_max_dc % 10);
    if (taken_at > now)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "taken_at", "%s is in the future (now %s)",
                           eg_time_format(taken_at, a), eg_time_format(now, b));
    if (!ctl_one_of(source, SOURCES))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "source", "'%s' is not one of team, self, checkpoint, "
                           "clinic", source ? source : "");
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_reading_add(eg_store *s, const eg_control_params *p, const char *id_no, eg_time taken_at,
                              int temp_dc, const char *symptoms, const char *source, const char *actor,
                              eg_time now, eg_reading_outcome *out, eg_diag *d)
{
    eg_ctl_order o;
    eg_reading_outcome tmp;
    char id[EG_CTL_DOC_BUFSZ];
    eg_err e;
    if (!out)
        out = &tmp;
    memset(out, 0, sizeof *out);
    if ((e = check_reading(p, taken_at, temp_dc, source, now, d)))
        return e;
    norm_id(id_no ? id_no : "", id, sizeof id);
    e = eg_store_ctl_order_running(s, id, &o);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "id_no", "no running control order for %s", id);
    if (e)
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    return add_reading(s, p, &o, taken_at, temp_dc, symptoms, source, actor, now, out, d);
}

/* See epigrid/control.h. */
eg_err eg_control_reading_record(eg_store *s, const eg_control_params *p, const char *id_no, eg_time taken_at,
                                 int temp_dc, const char *symptoms, const char *source, const char *actor,
                                 eg_time now, eg_reading_outcome *out, eg_diag *d)
{
    eg_store_tx tx;
    eg_err e = eg_store_tx_begin(s, &tx);
    if (e)
        return e;
    e = eg_control_reading_add(s, p, id_no, taken_at, temp_dc, symptoms, source, actor, now, out, d);
    return eg_store_tx_end(&tx, e);
}

/* See epigrid/control.h. */
eg_err eg_control_self_report(eg_store *s, const eg_control_params *p, const char *token, eg_time taken_at,
                              int temp_dc, const char *symptoms, eg_time now, eg_reading_outcome *out,
                              eg_diag *d)
{
    eg_ctl_order o;
    eg_reading_outcome tmp;
    eg_store_tx tx;
    eg_err e = eg_control_token_check(s, token, &o);
    if (!out)
        out = &tmp;
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "token", "unknown link");
    if (e == EG_ERR_PERM)
        return eg_diag_set(d, e, NULL, 0, "token", "this link is no longer valid (revoked, or the order has ended)");
    if (e)
        return e;
    if ((e = check_reading(p, taken_at, temp_dc, "self", now, d)))
        return e;
    if ((e = eg_store_tx_begin(s, &tx)))
        return e;
    e = add_reading(s, p, &o, taken_at, temp_dc, symptoms, "self", "self-report", now, out, d);
    return eg_store_tx_end(&tx, e);
}

/* ---- tests ---- */

static eg_err note_found(void *ctx, const eg_person_rec *r)
{
    (void)r;
    *(int *)ctx = 1;
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_test_add(eg_store *s, const char *id_no, eg_time sampled_at, const char *method,
                           const char *result, const char *lab, const char *actor, eg_time now, int *dup,
                           eg_diag *d)
{
    eg_ctl_test t;
    eg_ctl_order o;
    char a[EG_TIME_BUFSZ], b[EG_TIME_BUFSZ];
    int known = 0, tmp;
    eg_err e;
    if (!dup)
        dup = &tmp;
    *dup = 0;
    memset(&t, 0, sizeof t);
    norm_id(id_no ? id_no : "", t.id_no, sizeof t.id_no);
    if (!t.id_no[0])
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "id_no", "missing required value");
    if (!ctl_one_of(method, METHODS))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "method", "'%s' is not one of rt_pcr, antibody_igm, "
                           "antibody_igg, ct_imaging", method ? method : "");
    if (!ctl_one_of(result, RESULTS))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "result", "'%s' is not one of positive, negative, "
                           "inconclusive", result ? result : "");
    if (sampled_at > now)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "sampled_at", "%s is in the future (now %s)",
                           eg_time_format(sampled_at, a), eg_time_format(now, b));
    e = eg_store_person_get(s, t.id_no, note_found, &known);
    if (e == EG_ERR_NOT_FOUND) {
        e = eg_store_ctl_order_get(s, t.id_no, &o);
        known = e == EG_OK;
        if (e == EG_ERR_NOT_FOUND)
            e = EG_OK;
    }
    if (e)
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    if (!known)
        return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, "id_no", "unknown person %s: not in the registry and "
                           "without a control order", t.id_no);
    t.sampled_at = sampled_at;
    CTL_COPY(t.method, method);
    CTL_COPY(t.result, result);
    CTL_COPY(t.lab, lab);
    t.recorded_at = now;
    CTL_COPY(t.actor, actor);
    if ((e = eg_store_ctl_test_add(s, &t, dup)))
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    return EG_OK;
}

/* ---- imports ---- */

enum { R_ID, R_AT, R_TEMP, R_SYM, R_SRC, R__N };
static const char *const RCOLS[R__N] = { "id_no", "taken_at", "temperature_c", "symptoms", "source" };
enum { T_ID, T_AT, T_METHOD, T_RESULT, T_LAB, T__N };
static const char *const TCOLS[T__N] = { "id_no", "sampled_at", "method", "result", "lab" };

/* State of one import of readings or tests. */
typedef struct ctl_import {
    eg_store *s;
    const eg_control_params *p;
    size_t col[5];
    int has_last;          /* the optional last column (tests: lab) is present */
} ctl_import;

static eg_err readings_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    ctl_import *im = ctx;
    for (int i = 0; i < R__N; i++) {
        eg_err e = eg_csv_find(csv, RCOLS[i], &im->col[i], d);
        if (e)
            return e;
    }
    return EG_OK;
}

/* Reject the current row with the diag's column and reason. */
static eg_err reject(const eg_import_opts *o, eg_import_result *res, eg_csv *csv, const eg_diag *d)
{
    eg_import_rowf(o, res, csv, 0, d->column, "%s", d->reason);
    return EG_OK;
}

static eg_err readings_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    ctl_import *im = ctx;
    const char *v[R__N];
    eg_reading_outcome out;
    eg_time at;
    int dc;
    eg_diag d;
    eg_err e;
    eg_diag_clear(&d);
    for (int i = 0; i < R__N; i++)
        v[i] = eg_csv_field(csv, im->col[i]);
    for (int i = 0; i < R__N; i++)
        if (i != R_SYM && !v[i][0])
            return eg_import_rowf(o, res, csv, 0, RCOLS[i], "missing required value"), EG_OK;
    if (eg_time_parse(v[R_AT], &at))
        return eg_import_rowf(o, res, csv, 0, "taken_at", "'%s' is not a moment (YYYY-MM-DD HH:MM)",
                              v[R_AT]), EG_OK;
    if (eg_control_parse_temp(v[R_TEMP], &dc))
        return eg_import_rowf(o, res, csv, 0, "temperature_c", "'%s' is not a temperature with one decimal",
                              v[R_TEMP]), EG_OK;
    e = eg_control_reading_add(im->s, im->p, v[R_ID], at, dc, v[R_SYM], v[R_SRC], o->actor, o->now, &out, &d);
    if (e == EG_ERR_DB || e == EG_ERR_NOMEM)
        return e;
    if (e)
        return reject(o, res, csv, &d);
    if (out.dup)
        return eg_import_rowf(o, res, csv, 1, "taken_at", "the same reading is stored already"), EG_OK;
    res->imported++;
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_readings_import(eg_store *s, const eg_control_params *p, const char *path,
                                  const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    static const eg_importer IMP = { "readings", readings_setup, readings_row, NULL };
    ctl_import im = { .s = s, .p = p };
    return eg_import_file(s, &IMP, &im, path, o, res, d);
}

static eg_err tests_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    ctl_import *im = ctx;
    for (int i = 0; i < T_LAB; i++) {
        eg_err e = eg_csv_find(csv, TCOLS[i], &im->col[i], d);
        if (e)
            return e;
    }
    im->has_last = eg_csv_find(csv, "lab", &im->col[T_LAB], NULL) == EG_OK;
    return EG_OK;
}

static eg_err tests_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    ctl_import *im = ctx;
    const char *v[T__N];
    eg_time at;
    int dup = 0;
    eg_diag d;
    eg_err e;
    eg_diag_clear(&d);
    for (int i = 0; i < T__N; i++)
        v[i] = i == T_LAB && !im->has_last ? "" : eg_csv_field(csv, im->col[i]);
    for (int i = 0; i < T_LAB; i++)
        if (!v[i][0])
            return eg_import_rowf(o, res, csv, 0, TCOLS[i], "missing required value"), EG_OK;
    if (eg_time_parse(v[T_AT], &at))
        return eg_import_rowf(o, res, csv, 0, "sampled_at", "'%s' is not a moment (YYYY-MM-DD HH:MM)",
                              v[T_AT]), EG_OK;
    e = eg_control_test_add(im->s, v[T_ID], at, v[T_METHOD], v[T_RESULT], v[T_LAB], o->actor, o->now, &dup, &d);
    if (e == EG_ERR_DB || e == EG_ERR_NOMEM)
        return e;
    if (e)
        return reject(o, res, csv, &d);
    if (dup)
        return eg_import_rowf(o, res, csv, 1, "sampled_at", "the same result is stored already"), EG_OK;
    res->imported++;
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_tests_import(eg_store *s, const char *path, const eg_import_opts *o, eg_import_result *res,
                               eg_diag *d)
{
    static const eg_importer IMP = { "tests", tests_setup, tests_row, NULL };
    ctl_import im = { .s = s };
    return eg_import_file(s, &IMP, &im, path, o, res, d);
}
