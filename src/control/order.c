/*
 * control/order.c: the life of a control order: every transition checked
 * against its rule (a refusal names the missing condition and changes
 * nothing), applied in one transaction with its history events.
 *
 * Sources: durations from the national prevention and control plan (4th-5th
 * editions) and the diagnosis and treatment plan (trial 5th-6th editions),
 * Feb 2020; the minimum stay of suspected cases is Tonghua's rule. See
 * control/params.c for the table.
 */
#include "internal.h"

/* ---- test and temperature criteria ---- */

/* The last two nucleic-acid (rt_pcr) results since a moment. */
typedef struct last_two {
    int n;                 /* results seen */
    eg_ctl_test prev, last;
} last_two;

static eg_err keep_pcr(void *ctx, const eg_ctl_test *t)
{
    last_two *l = ctx;
    if (strcmp(t->method, "rt_pcr") != 0)
        return EG_OK;
    l->prev = l->last;
    l->last = *t;
    l->n++;
    return EG_OK;
}

/* Check "two consecutive negative nucleic-acid tests on samples at least
 * gap_hours apart" since `since`. EG_OK or EG_ERR_STATE with the reason. */
static eg_err two_negatives(eg_store *s, const char *id_no, eg_time since, int gap_hours, const char *what,
                            eg_diag *d)
{
    last_two l;
    char a[EG_TIME_BUFSZ], b[EG_TIME_BUFSZ], c[EG_TIME_BUFSZ];
    eg_err e;
    memset(&l, 0, sizeof l);
    if ((e = eg_store_ctl_test_each(s, id_no, since, keep_pcr, &l)))
        return e;
    eg_time_format(since, c);
    if (l.n == 0)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "tests", "%s refused: no nucleic-acid test since %s; two "
                           "consecutive negative tests on samples at least %d h apart are needed", what, c,
                           gap_hours);
    eg_time_format(l.last.sampled_at, a);
    if (strcmp(l.last.result, "negative") != 0)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "tests", "%s refused: the latest nucleic-acid test "
                           "(sampled %s) is %s; two consecutive negative tests are needed", what, a,
                           l.last.result);
    if (l.n == 1)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "tests", "%s refused: only one negative nucleic-acid "
                           "test since %s (sampled %s); two consecutive negative tests on samples at least "
                           "%d h apart are needed", what, c, a, gap_hours);
    eg_time_format(l.prev.sampled_at, b);
    if (strcmp(l.prev.result, "negative") != 0)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "tests", "%s refused: the test before the latest "
                           "(sampled %s) is %s; two consecutive negative tests are needed", what, b,
                           l.prev.result);
    if (l.last.sampled_at - l.prev.sampled_at < (eg_time)gap_hours * 60) {
        long mins = (long)(l.last.sampled_at - l.prev.sampled_at);
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "tests", "%s refused: the last two negative tests were "
                           "sampled %ld h %02ld min apart (%s and %s); at least %d h are needed", what,
                           mins / 60, mins % 60, b, a, gap_hours);
    }
    return EG_OK;
}

/* Readings scan for "temperature normal for more than N days". */
typedef struct temp_scan {
    int fever_dc;
    int n;
    eg_time normal_since;  /* first reading after the last febrile one (0: none) */
    eg_time last_fever;
    int last_fever_dc;
} temp_scan;

static eg_err scan_temp(void *ctx, const eg_ctl_reading *r)
{
    temp_scan *t = ctx;
    t->n++;
    if (r->temp_dc >= t->fever_dc) {
        t->last_fever = r->taken_at;
        t->last_fever_dc = r->temp_dc;
        t->normal_since = 0;
    } else if (t->normal_since == 0) {
        t->normal_since = r->taken_at;
    }
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_discharge_check(eg_store *s, const eg_control_params *p, const eg_ctl_order *o,
                                  eg_time now, eg_diag *d)
{
    temp_scan t = { .fever_dc = p->fever_dc };
    eg_ctl_assessment a;
    char buf[EG_TIME_BUFSZ];
    eg_err e;
    if (strcmp(o->measure, "confirmed") != 0 || strcmp(o->state, "active") != 0)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "discharge refused: the order is %s/%s; only a "
                           "confirmed case in hospital is discharged", o->measure, o->state);
    if ((e = eg_store_ctl_reading_each(s, o->id, o->measure_at, scan_temp, &t)))
        return e;
    if (t.n == 0)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "temperature", "discharge refused: no temperature reading "
                           "since %s; temperature must have been normal for more than %d days",
                           eg_time_format(o->measure_at, buf), p->normal_temp_days);
    if (t.normal_since == 0)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "temperature", "discharge refused: the latest reading "
                           "(%s) is %d.%d °C; temperature must have been normal for more than %d days",
                           eg_time_format(t.last_fever, buf), t.last_fever_dc / 10, t.last_fever_dc % 10,
                           p->normal_temp_days);
    if (now - t.normal_since <= (eg_time)p->normal_temp_days * 1440)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "temperature", "discharge refused: temperature normal "
                           "only since %s; more than %d days are needed", eg_time_format(t.normal_since, buf),
                           p->normal_temp_days);
    e = eg_store_ctl_assessment_latest(s, o->id, &a);
    if (e == EG_ERR_NOT_FOUND || (!e && (!a.symptoms_improved || !a.imaging_improved)))
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "assessment", "discharge refused: %s improved must be "
                           "recorded by a clinician (epigrid control assess)",
                           e ? "respiratory symptoms and lung imaging" :
                           !a.symptoms_improved && !a.imaging_improved ? "respiratory symptoms and lung imaging" :
                           !a.symptoms_improved ? "respiratory symptoms" : "lung imaging");
    if (e)
        return e;
    return two_negatives(s, o->id_no, o->measure_at, p->test_gap_hours, "discharge", d);
}

/* ---- transitions ---- */

/* Refuse with "ACTION refused: the order is M/S; WHY". */
static eg_err refuse_state(eg_diag *d, const eg_ctl_order *o, const char *action, const char *why)
{
    return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "%s refused: the order is %s/%s; %s", action,
                       o->measure, o->state, why);
}

/* Duration of an observation measure in days. */
static int measure_days(const eg_control_params *p, const char *m)
{
    if (strcmp(m, "home_quarantine") == 0)
        return p->home_quarantine_days;
    if (strcmp(m, "central_isolation") == 0)
        return p->central_isolation_days;
    return p->post_discharge_days;
}

/* 1 if `sev` is a severity of a confirmed case. */
static int valid_severity(const char *sev)
{
    static const char *const SEV[] = { "mild", "moderate", "severe", "critical", NULL };
    return ctl_one_of(sev, SEV);
}

/* Save `after` and its history (one or two events) in one transaction. */
static eg_err commit_change(eg_store *s, const eg_ctl_order *before, const eg_ctl_order *mid,
                            const char *action1, const char *reason1, const eg_ctl_order *after,
                            const char *action2, const char *reason2, const eg_control_change *c, eg_diag *d)
{
    eg_store_tx tx;
    eg_err e = eg_store_tx_begin(s, &tx);
    if (e)
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    e = eg_store_ctl_order_save(s, after);
    if (!e)
        e = ctl_event(s, before, mid ? mid : after, action1, c->actor, c->now, reason1);
    if (!e && mid)
        e = ctl_event(s, mid, after, action2, c->actor, c->now, reason2);
    if ((e = eg_store_tx_end(&tx, e)))
        eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    return e;
}

/* Compose the recorded reason: the caller's text, or a default. */
static const char *why(const eg_control_change *c, const char *def)
{
    return c->reason && *c->reason ? c->reason : def;
}

/* See epigrid/control.h. */
eg_err eg_control_transition(eg_store *s, const eg_control_params *p, const char *oid,
                             const eg_control_change *c, eg_ctl_order *out, eg_diag *d)
{
    eg_ctl_order o, n, mid;
    eg_date today = eg_time_date(c->now), day = c->date == EG_NO_DATE ? today : c->date;
    char b1[EG_DATE_BUFSZ], b2[EG_DATE_BUFSZ], b3[EG_DATE_BUFSZ], reason[EG_CTL_TEXT_BUFSZ];
    const char *act = eg_control_action_name(c->action);
    eg_err e;
    if (!c->actor || !*c->actor)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "actor", "who makes the change must be given");
    if ((e = ctl_find_order(s, oid, &o, d)))
        return e;
    if (day > today)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "date", "%s refused: %s is after today (%s)", act,
                           eg_date_format(day, b1), eg_date_format(today, b2));
    if (!eg_control_is_running(o.state))
        return refuse_state(d, &o, act, "it has ended; no transition leaves a closed order");
    n = o;
    n.updated_at = c->now;
    switch (c->action) {
    case EG_ACT_ADMIT:
        if (strcmp(o.measure, "central_isolation") || strcmp(o.state, "awaiting_admission"))
            return refuse_state(d, &o, act, "only a central isolation order awaiting admission is admitted");
        strcpy(n.state, "active");
        n.admitted_at = c->now;
        return (e = commit_change(s, &o, NULL, act, why(c, "admitted to an isolation site"), &n, NULL, NULL,
                                  c, d)) ? e : (out ? (*out = n, EG_OK) : EG_OK);
    case EG_ACT_EXPOSE:
        if (strcmp(o.measure, "central_isolation") && strcmp(o.measure, "home_quarantine"))
            return refuse_state(d, &o, act, "only close-contact or returnee observation is moved by a new "
                                "exposure");
        if (day <= o.start_date)
            return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "date", "expose refused: %s is not after the current "
                               "start %s; the end would not move", eg_date_format(day, b1),
                               eg_date_format(o.start_date, b2));
        n.start_date = day;
        n.end_date = day + measure_days(p, o.measure);
        snprintf(reason, sizeof reason, "new exposure on %s: end moved from %s to %s%s%s",
                 eg_date_format(day, b1), eg_date_format(o.end_date, b2), eg_date_format(n.end_date, b3),
                 c->reason && *c->reason ? "; " : "", c->reason ? c->reason : "");
        break;
    case EG_ACT_SUSPECT:
        if (!eg_control_is_observation(o.measure))
            return refuse_state(d, &o, act, "only a person under observation becomes a suspected case");
        CTL_COPY(n.prior_measure, o.measure);
        n.prior_start = o.start_date;
        n.prior_end = o.end_date;
        CTL_COPY(n.measure, "suspected");
        CTL_COPY(n.state, "active");
        n.start_date = day;
        n.end_date = ctl_open_end();
        n.not_before = day + p->suspected_min_stay_days;
        eg_time_from_parts(day, 0, 0, &n.measure_at);
        snprintf(reason, sizeof reason, "suspected case from %s, in hospital; exclusion not before %s%s%s",
                 eg_date_format(day, b1), eg_date_format(n.not_before, b2), c->reason && *c->reason ? "; " : "",
                 c->reason ? c->reason : "");
        break;
    case EG_ACT_EXCLUDE:
        if (strcmp(o.measure, "suspected"))
            return refuse_state(d, &o, act, "only a suspected case is excluded");
        if (today < o.not_before)
            return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "min_stay", "exclude refused: the minimum stay of %d "
                               "days in hospital runs until %s (Tonghua: 住满两周)", p->suspected_min_stay_days,
                               eg_date_format(o.not_before, b1));
        if ((e = two_negatives(s, o.id_no, o.measure_at, p->test_gap_hours, "exclude", d)))
            return e;
        mid = n;
        CTL_COPY(mid.state, "excluded");
        if (eg_control_is_observation(o.prior_measure) && o.prior_end != EG_NO_DATE && o.prior_end > today) {
            CTL_COPY(n.measure, o.prior_measure);
            CTL_COPY(n.state, "active");
            n.start_date = o.prior_start;
            n.end_date = o.prior_end;
            snprintf(reason, sizeof reason, "back to %s until %s (observation still running)", o.prior_measure,
                     eg_date_format(o.prior_end, b1));
        } else {
            CTL_COPY(n.state, "released");
            if (o.prior_measure[0])
                snprintf(reason, sizeof reason, "released: the earlier %s ended on %s", o.prior_measure,
                         eg_date_format(o.prior_end, b1));
            else
                snprintf(reason, sizeof reason, "released: no observation to go back to");
        }
        n.prior_measure[0] = 0;
        n.prior_start = n.prior_end = n.not_before = EG_NO_DATE;
        n.measure_at = c->now;
        e = commit_change(s, &o, &mid, act, why(c, "two consecutive negative nucleic-acid tests at least 24 h "
                          "apart; minimum stay done"), &n, strcmp(n.state, "released") ? "back" : "release",
                          reason, c, d);
        if (!e && out)
            *out = n;
        return e;
    case EG_ACT_CONFIRM:
        if (strcmp(o.measure, "suspected") && !eg_control_is_observation(o.measure))
            return refuse_state(d, &o, act, "only a suspected case or a person under observation is confirmed");
        if (!valid_severity(c->severity))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "severity", "confirm needs a severity: mild, "
                               "moderate, severe or critical");
        CTL_COPY(n.measure, "confirmed");
        CTL_COPY(n.state, "active");
        CTL_COPY(n.severity, c->severity);
        n.start_date = day;
        n.end_date = ctl_open_end();
        n.prior_measure[0] = 0;
        n.prior_start = n.prior_end = n.not_before = EG_NO_DATE;
        eg_time_from_parts(day, 0, 0, &n.measure_at);
        snprintf(reason, sizeof reason, "confirmed case (%s) from %s%s%s", c->severity, eg_date_format(day, b1),
                 c->reason && *c->reason ? "; " : "", c->reason ? c->reason : "");
        break;
    case EG_ACT_SEVERITY:
        if (strcmp(o.measure, "confirmed"))
            return refuse_state(d, &o, act, "only a confirmed case has a severity");
        if (!valid_severity(c->severity))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "severity", "severity must be mild, moderate, severe "
                               "or critical");
        if (strcmp(o.severity, c->severity) == 0)
            return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "severity", "severity refused: it is %s already",
                               c->severity);
        CTL_COPY(n.severity, c->severity);
        snprintf(reason, sizeof reason, "severity %s → %s%s%s", o.severity, c->severity,
                 c->reason && *c->reason ? "; " : "", c->reason ? c->reason : "");
        break;
    case EG_ACT_DISCHARGE:
        if ((e = eg_control_discharge_check(s, p, &o, c->now, d)))
            return e;
        CTL_COPY(n.measure, "post_discharge_observation");
        CTL_COPY(n.state, "active");
        n.start_date = today;
        n.end_date = today + p->post_discharge_days;
        n.measure_at = c->now;
        snprintf(reason, sizeof reason, "discharged (%s); observation after discharge until %s", o.severity,
                 eg_date_format(n.end_date, b1));
        n.severity[0] = 0;
        break;
    case EG_ACT_RELEASE:
        if (!eg_control_is_observation(o.measure))
            return refuse_state(d, &o, act, "cases are released through exclusion or discharge");
        if (o.end_date > today)
            return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "end_date", "release refused: the planned end is %s "
                               "(observation covers %s to the day before)", eg_date_format(o.end_date, b1),
                               eg_date_format(o.start_date, b2));
        CTL_COPY(n.state, "released");
        snprintf(reason, sizeof reason, "planned end %s reached", eg_date_format(o.end_date, b1));
        break;
    case EG_ACT_UPGRADE:
        if (strcmp(o.measure, "home_quarantine"))
            return refuse_state(d, &o, act, "only home quarantine is upgraded to central isolation");
        CTL_COPY(n.measure, "central_isolation");
        CTL_COPY(n.state, "awaiting_admission");
        n.end_date = o.start_date + p->central_isolation_days;
        snprintf(reason, sizeof reason, "upgraded to central isolation until %s%s%s",
                 eg_date_format(n.end_date, b1), c->reason && *c->reason ? "; " : "", c->reason ? c->reason : "");
        break;
    default:
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "action", "unknown action");
    }
    e = commit_change(s, &o, NULL, act, reason, &n, NULL, NULL, c, d);
    if (!e && out)
        *out = n;
    return e;
}

/* Name of the person from the registry, when registered. */
typedef struct reg_info {
    int found;
    char name[EG_CTL_NAME_BUFSZ];
    char juris[EG_CODE_BUFSZ];
} reg_info;

static eg_err keep_reg(void *ctx, const eg_person_rec *r)
{
    reg_info *i = ctx;
    i->found = 1;
    CTL_COPY(i->name, r->name);
    CTL_COPY(i->juris, r->juris_code);
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_open(eg_store *s, const eg_control_params *p, const char *id_no, const char *name,
                       const char *measure, const char *severity, eg_date start, const char *juris_code,
                       const char *actor, eg_time now, eg_ctl_order *out, eg_diag *d)
{
    static const char *const MEASURES[] = { "home_quarantine", "central_isolation", "suspected", "confirmed",
                                            "post_discharge_observation", NULL };
    eg_ctl_order o;
    reg_info reg = { 0 };
    char code[EG_CODE_BUFSZ], reason[EG_CTL_TEXT_BUFSZ], b[EG_DATE_BUFSZ];
    eg_store_tx tx;
    eg_err e;
    if (!id_no || !*id_no)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "id_no", "an identity number is required");
    if (!ctl_one_of(measure, MEASURES))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "measure", "'%s' is not a measure",
                           measure ? measure : "");
    if (strcmp(measure, "confirmed") == 0 && !valid_severity(severity))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "severity", "a confirmed case needs a severity: mild, "
                           "moderate, severe or critical");
    if (start == EG_NO_DATE)
        start = eg_time_date(now);
    if (start > eg_time_date(now))
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "start", "the start is after today");
    e = eg_store_ctl_order_running(s, id_no, eg_control_running(), &o);
    if (!e)
        return eg_diag_set(d, EG_ERR_EXISTS, NULL, 0, "id_no", "the person already has a running order %s "
                           "(%s/%s); use a transition", o.oid, o.measure, o.state);
    if (e != EG_ERR_NOT_FOUND)
        return e;
    e = eg_store_person_get(s, id_no, keep_reg, &reg);
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    if (juris_code && *juris_code) {
        if (eg_code_short(juris_code, code))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "juris", "'%s' is not a division code", juris_code);
    } else if (reg.found) {
        CTL_COPY(code, reg.juris);
    } else {
        return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, "id_no", "unknown person: not in the registry; give "
                           "the responsible division");
    }
    memset(&o, 0, sizeof o);
    CTL_COPY(o.id_no, id_no);
    CTL_COPY(o.name, name && *name ? name : reg.name);
    CTL_COPY(o.measure, measure);
    CTL_COPY(o.state, ctl_initial_state(measure));
    o.start_date = start;
    o.end_date = eg_control_is_observation(measure) ? start + measure_days(p, measure) : ctl_open_end();
    CTL_COPY(o.rules, "manual");
    CTL_COPY(o.juris_code, code);
    o.created_at = o.updated_at = now;
    if (strcmp(measure, "confirmed") == 0)
        CTL_COPY(o.severity, severity);
    o.prior_start = o.prior_end = EG_NO_DATE;
    o.not_before = strcmp(measure, "suspected") == 0 ? start + p->suspected_min_stay_days : EG_NO_DATE;
    eg_time_from_parts(start, 0, 0, &o.measure_at);
    snprintf(reason, sizeof reason, "opened: %s from %s", measure, eg_date_format(start, b));
    if ((e = eg_store_tx_begin(s, &tx)))
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    e = eg_store_ctl_order_insert(s, &o);
    if (!e)
        e = ctl_event(s, NULL, &o, "open", actor, now, reason);
    if ((e = eg_store_tx_end(&tx, e))) {
        eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
        return e;
    }
    if (out)
        *out = o;
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_assess(eg_store *s, const char *oid, int symptoms_improved, int imaging_improved,
                         const char *note, const char *clinician, eg_time now, eg_diag *d)
{
    eg_ctl_order o;
    eg_ctl_assessment a;
    char reason[EG_CTL_TEXT_BUFSZ];
    eg_store_tx tx;
    eg_err e;
    if ((e = ctl_find_order(s, oid, &o, d)))
        return e;
    if (strcmp(o.measure, "confirmed") || strcmp(o.state, "active"))
        return refuse_state(d, &o, "assess", "only a confirmed case in hospital is assessed for discharge");
    memset(&a, 0, sizeof a);
    a.order_id = o.id;
    a.at = now;
    CTL_COPY(a.clinician, clinician);
    a.symptoms_improved = symptoms_improved != 0;
    a.imaging_improved = imaging_improved != 0;
    CTL_COPY(a.note, note);
    snprintf(reason, sizeof reason, "clinician: respiratory symptoms %s, lung imaging %s%s%s",
             a.symptoms_improved ? "improved" : "not improved", a.imaging_improved ? "improved" : "not improved",
             note && *note ? "; " : "", note ? note : "");
    if ((e = eg_store_tx_begin(s, &tx)))
        return e;
    e = eg_store_ctl_assessment_add(s, &a);
    if (!e)
        e = ctl_event(s, &o, &o, "assess", clinician, now, reason);
    if ((e = eg_store_tx_end(&tx, e)))
        eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    return e;
}
