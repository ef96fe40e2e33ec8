/*
 * screening/db.c: screening over the database: legs, case trips and risk
 * areas from the store through the engine; each local result handed to
 * control as a decision about the person's order (control owns orders,
 * their history and verification tasks: eg_control_screened), assistance
 * requests written back here (see epigrid/screening_db.h).
 */
#include <stdlib.h>
#include <string.h>
#include "epigrid/array.h"
#include "epigrid/control.h"
#include "epigrid/registry.h"
#include "epigrid/screening_db.h"
#include "epigrid/store.h"

/* Growable arrays of case trips and risk areas read from the store. */
typedef struct inputs {
    eg_case_trip *cases;
    size_t ncases, cap_cases;
    eg_risk_area *areas;
    size_t nareas, cap_areas;
    eg_screen *eng;
    eg_err err;
} inputs;

static eg_err take_case(void *ctx, const eg_case_trip *c, const char *original)
{
    inputs *in = ctx;
    (void)original;
    if (in->ncases == in->cap_cases &&
        eg_array_grow(&in->cases, in->ncases, &in->cap_cases, sizeof *in->cases))
        return EG_ERR_NOMEM;
    in->cases[in->ncases++] = *c;
    return EG_OK;
}

static eg_err take_area(void *ctx, const eg_risk_area *a)
{
    inputs *in = ctx;
    if (in->nareas == in->cap_areas &&
        eg_array_grow(&in->areas, in->nareas, &in->cap_areas, sizeof *in->areas))
        return EG_ERR_NOMEM;
    in->areas[in->nareas++] = *a;
    return EG_OK;
}

/* Feed one stored leg to the engine; its row id is the evidence ref. */
static eg_err feed_leg(void *ctx, const eg_leg *l)
{
    inputs *in = ctx;
    return eg_screen_add_leg(in->eng, l, (uint32_t)l->line);
}

/* Registry lookup for the responsible division. */
typedef struct lookup_ctx {
    eg_store *s;
    char *code;
    char *name;
} lookup_ctx;

static eg_err copy_person(void *ctx, const eg_person_rec *r)
{
    lookup_ctx *c = ctx;
    snprintf(c->code, EG_CODE_BUFSZ, "%s", r->juris_code);
    snprintf(c->name, EG_LEG_NAME_BUFSZ, "%s", r->name);
    return EG_OK;
}

static eg_err lookup_person(void *ctx, const char *id_no, char *code, char *name)
{
    lookup_ctx *c = ctx;
    c->code = code;
    c->name = name;
    return eg_store_person_get(c->s, id_no, copy_person, c);
}

/* Rules bits as text. */
static const char *rules_text(unsigned rules)
{
    return rules == (EG_RULE_R1 | EG_RULE_R2) ? "R1;R2" : rules == EG_RULE_R2 ? "R2" : "R1";
}

/* Rank of a stored measure name (for requests). */
static int measure_rank(const char *m)
{
    if (strcmp(m, "central_isolation") == 0)
        return EG_MEASURE_CENTRAL_ISOLATION;
    if (strcmp(m, "home_quarantine") == 0)
        return EG_MEASURE_HOME_QUARANTINE;
    return 3;   /* suspected, confirmed, ... outrank screening's measures */
}

/* Add a result's evidence to a request. */
static eg_err add_evidence(eg_store *s, int64_t id, const eg_screen_result *r, const eg_screen_results *all)
{
    eg_err e = EG_OK;
    for (size_t i = 0; !e && i < r->nlegs; i++)
        e = eg_store_evidence_add(s, "request", id, "leg", r->legs[i], NULL);
    for (size_t i = 0; !e && i < r->ncases; i++)
        e = eg_store_evidence_add(s, "request", id, "case_trip", all->case_ids[r->cases[i]], NULL);
    return e;
}

/* Hand one local result to control as a decision about the person's
 * order (control/handoff.c opens, reopens, upgrades or moves it, with its
 * history, evidence and verification task) and count what it did. */
static eg_err apply_order(eg_store *s, const eg_screen_result *r, const eg_screen_results *all,
                          const eg_screen_params *p, eg_time stamp, eg_screen_db_summary *sum)
{
    char d[EG_DATE_BUFSZ], st[EG_DATE_BUFSZ], reason[96];
    eg_control_decided out;
    snprintf(reason, sizeof reason, "screening as of %s: %s, exposure from %s", eg_date_format(p->as_of, d),
             rules_text(r->rules), eg_date_format(r->start, st));
    eg_control_decision dc = {
        .id_no = r->id_no, .name = r->name, .measure = eg_measure_name(r->measure), .start = r->start,
        .end = r->end, .rules = rules_text(r->rules), .juris_code = r->division, .as_of = p->as_of,
        .legs = r->legs, .nlegs = r->nlegs, .cases = r->cases, .ncases = r->ncases, .case_ids = all->case_ids,
        .task_due = stamp + EG_TASK_DUE_HOURS * 60, .actor = "screening", .reason = reason, .now = stamp,
    };
    eg_err e = eg_control_screened(s, &dc, &out);
    sum->orders_new += out.opened;
    sum->orders_reopened += out.reopened;
    sum->orders_upgraded += out.upgraded;
    sum->orders_moved += out.moved;
    sum->orders_unchanged += !out.opened && !out.changed;
    sum->tasks_new += out.task_added;
    return e;
}

/* A copy of an existing request. */
typedef struct old_request {
    int found;
    int64_t id;
    char measure[32], rules[8];
    eg_date start, end;
} old_request;

static eg_err keep_request(void *ctx, const eg_request_rec *r)
{
    old_request *o = ctx;
    o->found = 1;
    o->id = r->id;
    snprintf(o->measure, sizeof o->measure, "%s", r->measure);
    snprintf(o->rules, sizeof o->rules, "%s", r->rules);
    o->start = r->start_date;
    o->end = r->end_date;
    return EG_OK;
}

/* Apply one result that belongs elsewhere: an assistance request on the
 * city's node, to its target division (or unlocated). */
static eg_err apply_request(eg_store *s, const eg_screen_result *r, const eg_screen_results *all,
                            const char *city, eg_time stamp, eg_screen_db_summary *sum)
{
    old_request old = { 0 };
    int64_t id;
    eg_err e = eg_store_request_get(s, r->id_no, city, keep_request, &old);
    int unlocated = r->kind == EG_SCREEN_UNLOCATED;
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    if (unlocated)
        sum->unlocated++;
    eg_request_rec q = {
        .id = old.id, .id_no = r->id_no, .name = r->name, .measure = eg_measure_name(r->measure),
        .start_date = r->start, .end_date = r->end, .rules = rules_text(r->rules),
        .juris_code = city, .target_code = r->division, .unlocated = unlocated, .state = "open",
        .created_at = stamp, .updated_at = stamp,
    };
    if (!old.found) {
        e = eg_store_request_insert(s, &q, &id);
        sum->requests_new++;
    } else {
        id = old.id;
        if (measure_rank(old.measure) > (int)r->measure)
            q.measure = old.measure;
        if (old.start > r->start) {
            q.start_date = old.start;
            q.end_date = old.end;
        }
        if (strcmp(q.measure, old.measure) || q.start_date != old.start) {
            e = eg_store_request_update(s, &q);
            sum->requests_updated++;
        }
    }
    return e ? e : add_evidence(s, id, r, all);
}

/* Count a result into the summary's tallies. */
static void tally(const eg_screen_result *r, eg_screen_db_summary *sum)
{
    sum->results++;
    sum->by_measure[r->measure]++;
    sum->by_rule[r->rules & 3]++;
    if (r->ncases)
        sum->with_case_trips++;
}

eg_err eg_screen_db(eg_store *s, const eg_juris_node *city_node, const eg_screen_params *p,
                    eg_time stamp, eg_screen_results *results, eg_screen_db_summary *sum)
{
    inputs in = { 0 };
    eg_screen_results res = { 0 };
    lookup_ctx lc = { .s = s };
    int days = p->days ? p->days : EG_SCREEN_DEFAULT_DAYS;
    eg_store_tx tx;
    eg_err e;
    memset(sum, 0, sizeof *sum);
    e = eg_store_case_trip_each(s, take_case, &in);
    if (!e)
        e = eg_store_risk_area_each(s, take_area, &in);
    if (!e)
        e = eg_screen_new(p, in.cases, in.ncases, in.areas, in.nareas, &in.eng);
    if (!e)
        e = eg_store_leg_each(s, p->as_of - (2 * days - 1), p->as_of, feed_leg, &in);
    if (!e)
        e = eg_screen_finish(in.eng, &res);
    if (in.eng)
        eg_screen_get_stats(in.eng, &sum->stats);
    eg_screen_free(in.eng);
    free(in.cases);
    free(in.areas);
    if (!e)
        e = eg_screen_resolve(&res, p->city, lookup_person, &lc);
    if (!e)
        e = eg_store_tx_begin(s, &tx);
    if (e) {
        eg_screen_results_free(&res);
        return e;
    }
    for (size_t i = 0; !e && i < res.n; i++) {
        const eg_screen_result *r = &res.v[i];
        tally(r, sum);
        if (r->kind == EG_SCREEN_ORDER)
            e = apply_order(s, r, &res, p, stamp, sum);
        else
            e = apply_request(s, r, &res, city_node->code, stamp, sum);
    }
    e = eg_store_tx_end(&tx, e);
    if (!e && results)
        *results = res;
    else
        eg_screen_results_free(&res);
    return e;
}
