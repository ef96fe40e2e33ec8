/*
 * screening/db.c: screening over the database: legs, case trips and risk
 * areas from the store through the engine, then orders, verification tasks
 * and assistance requests written back (see epigrid/screening_db.h).
 */
#include <stdlib.h>
#include <string.h>
#include "epigrid/array.h"
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

/* Parse rules text back into bits. */
static unsigned rules_bits(const char *t)
{
    return (strstr(t, "R1") ? EG_RULE_R1 : 0) | (strstr(t, "R2") ? EG_RULE_R2 : 0);
}

/* The state a new order of `m` starts in: central isolation waits for a
 * facility to admit the person. */
static const char *initial_state(eg_measure m)
{
    return m == EG_MEASURE_CENTRAL_ISOLATION ? "awaiting_admission" : "active";
}

/* Rank of a stored measure name (for upgrades). */
static int measure_rank(const char *m)
{
    if (strcmp(m, "central_isolation") == 0)
        return EG_MEASURE_CENTRAL_ISOLATION;
    if (strcmp(m, "home_quarantine") == 0)
        return EG_MEASURE_HOME_QUARANTINE;
    return 3;   /* suspected, confirmed, ... outrank screening's measures */
}

/* A copy of the person's latest order. */
typedef struct latest {
    int found;
    int64_t id;
    char measure[32], state[32], rules[8], juris[EG_CODE_BUFSZ], name[EG_LEG_NAME_BUFSZ];
    eg_date start, end;
    eg_time created;
} latest;

static eg_err keep_latest(void *ctx, const eg_order_rec *r)
{
    latest *l = ctx;
    l->found = 1;
    l->id = r->id;
    snprintf(l->measure, sizeof l->measure, "%s", r->measure);
    snprintf(l->state, sizeof l->state, "%s", r->state);
    snprintf(l->rules, sizeof l->rules, "%s", r->rules);
    snprintf(l->juris, sizeof l->juris, "%s", r->juris_code);
    snprintf(l->name, sizeof l->name, "%s", r->name);
    l->start = r->start_date;
    l->end = r->end_date;
    l->created = r->created_at;
    return EG_OK;
}

/* Add a result's evidence to an order or a request. */
static eg_err add_evidence(eg_store *s, const char *owner, int64_t id, const eg_screen_result *r,
                           const eg_screen_results *all)
{
    eg_err e = EG_OK;
    for (size_t i = 0; !e && i < r->nlegs; i++)
        e = eg_store_evidence_add(s, owner, id, "leg", r->legs[i], NULL);
    for (size_t i = 0; !e && i < r->ncases; i++)
        e = eg_store_evidence_add(s, owner, id, "case_trip", all->case_ids[r->cases[i]], NULL);
    return e;
}

/* Append a history event for order `id` (who: screening; why: the rules
 * and the day screened), so the person's history shows what screening did. */
static eg_err add_event(eg_store *s, int64_t id, const char *action, const char *from_measure,
                        const char *from_state, const char *to_measure, const char *to_state,
                        const eg_screen_result *r, eg_date as_of, eg_time stamp)
{
    eg_ctl_event ev;
    char d[EG_DATE_BUFSZ], st[EG_DATE_BUFSZ];
    memset(&ev, 0, sizeof ev);
    ev.order_id = id;
    ev.at = stamp;
    snprintf(ev.actor, sizeof ev.actor, "screening");
    snprintf(ev.action, sizeof ev.action, "%s", action);
    snprintf(ev.from_measure, sizeof ev.from_measure, "%s", from_measure);
    snprintf(ev.from_state, sizeof ev.from_state, "%s", from_state);
    snprintf(ev.to_measure, sizeof ev.to_measure, "%s", to_measure);
    snprintf(ev.to_state, sizeof ev.to_state, "%s", to_state);
    snprintf(ev.reason, sizeof ev.reason, "screening as of %s: %s, exposure from %s",
             eg_date_format(as_of, d), rules_text(r->rules), eg_date_format(r->start, st));
    return eg_store_ctl_event_add(s, &ev);
}

/* A new order and its verification task. */
static eg_err insert_order(eg_store *s, const eg_screen_result *r, eg_time stamp, int64_t *id,
                           eg_screen_db_summary *sum)
{
    eg_order_rec o = {
        .id_no = r->id_no, .name = r->name, .measure = eg_measure_name(r->measure),
        .state = initial_state(r->measure), .start_date = r->start, .end_date = r->end,
        .rules = rules_text(r->rules), .juris_code = r->division, .created_at = stamp,
        .updated_at = stamp,
    };
    eg_err e = eg_store_order_insert(s, &o, id);
    if (e)
        return e;
    eg_task_rec t = { .order_id = *id, .juris_code = r->division, .state = "open",
                      .created_at = stamp, .due_at = stamp + EG_TASK_DUE_HOURS * 60 };
    e = eg_store_task_insert(s, &t, NULL);
    if (!e)
        sum->tasks_new++;
    return e;
}

/* Apply one local result to the person's orders (spec/screening.md). */
static eg_err apply_order(eg_store *s, const eg_screen_result *r, const eg_screen_results *all,
                          const eg_screen_params *p, eg_time stamp, eg_screen_db_summary *sum)
{
    latest l = { 0 };
    int64_t id;
    eg_err e = eg_store_order_latest(s, r->id_no, keep_latest, &l);
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    if (!l.found) {
        e = insert_order(s, r, stamp, &id, sum);
        sum->orders_new++;
        if (!e)
            e = add_event(s, id, "open", "", "", eg_measure_name(r->measure), initial_state(r->measure),
                          r, p->as_of, stamp);
        return e ? e : add_evidence(s, "order", id, r, all);
    }
    id = l.id;
    int ended = l.end <= p->as_of || strcmp(l.state, "released") == 0 ||
                strcmp(l.state, "excluded") == 0;
    eg_order_rec o = {
        .id = l.id, .id_no = r->id_no, .name = l.name[0] ? l.name : r->name, .measure = l.measure,
        .state = l.state, .start_date = l.start, .end_date = l.end, .rules = l.rules,
        .juris_code = l.juris, .updated_at = stamp,
    };
    char rules[8];
    int changed = 0;
    if (ended) {
        if (r->start >= l.end) {   /* an exposure after its end reopens it */
            o.measure = eg_measure_name(r->measure);
            o.state = initial_state(r->measure);
            o.start_date = r->start;
            o.end_date = r->end;
            o.rules = rules_text(r->rules);
            o.juris_code = r->division;
            sum->orders_reopened++;
            changed = 1;
            eg_task_rec t = { .order_id = id, .juris_code = r->division, .state = "open",
                              .created_at = stamp, .due_at = stamp + EG_TASK_DUE_HOURS * 60 };
            e = eg_store_task_insert(s, &t, NULL);
            if (e)
                return e;
            sum->tasks_new++;
        }
    } else {
        if ((int)r->measure > measure_rank(l.measure)) {
            o.measure = eg_measure_name(r->measure);
            o.state = initial_state(r->measure);
            sum->orders_upgraded++;
            changed = 1;
        }
        if (r->start > l.start) {
            o.start_date = r->start;
            o.end_date = r->end;
            sum->orders_moved++;
            changed = 1;
        }
        unsigned bits = rules_bits(l.rules) | r->rules;
        snprintf(rules, sizeof rules, "%s", rules_text(bits));
        if (strcmp(rules, l.rules) != 0) {
            o.rules = rules;
            changed = 1;
        }
    }
    if (!changed) {
        sum->orders_unchanged++;
    } else {
        const char *action = ended ? "reopen" : strcmp(o.measure, l.measure) ? "upgrade" : "expose";
        if ((e = eg_store_order_update(s, &o)) ||
            (e = add_event(s, id, action, l.measure, l.state, o.measure, o.state, r, p->as_of, stamp)))
            return e;
    }
    return add_evidence(s, "order", id, r, all);
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
    return e ? e : add_evidence(s, "request", id, r, all);
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
