/*
 * tests/screening/test_handoff.c: control's side of a screening decision
 * (eg_control_screened): a new order with its task and history, the same
 * decision again changing nothing, an upgrade with a later exposure and
 * the rules' union, an ended order reopened only by an exposure after its
 * end, evidence never duplicated.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/control.h"
#include "testutil.h"

#define at tu_time
#define day tu_date

/* Count the calls of an iterator (tasks, events). */
static eg_err count_task(void *ctx, const eg_ctl_task *t)
{
    (void)t;
    ++*(long *)ctx;
    return EG_OK;
}

/* The last event's action. */
static eg_err keep_action(void *ctx, const eg_ctl_event *e)
{
    snprintf(ctx, EG_CTL_WORD_BUFSZ, "%s", e->action);
    return EG_OK;
}

/* Tasks of the store. */
static long tasks(eg_store *s)
{
    long n = 0;
    assert_int_equal(eg_store_ctl_task_each(s, NULL, count_task, &n), EG_OK);
    return n;
}

/* The latest history action of order `id`. */
static void last_action(eg_store *s, int64_t id, char *action)
{
    action[0] = '\0';
    assert_int_equal(eg_store_ctl_event_each(s, id, keep_action, action), EG_OK);
}

static void decisions(void **state)
{
    (void)state;
    eg_store *s = tu_store_new("handoff.db");
    static const uint32_t LEGS[] = { 7 };
    static const uint32_t CASES[] = { 0 };
    static const long CASE_IDS[] = { 3 };
    eg_control_decision dc = {
        .id_no = "220502199001010019", .name = "甲", .measure = "home_quarantine", .start = day("2020-01-20"),
        .end = day("2020-02-03"), .rules = "R1", .juris_code = "220502001001", .as_of = day("2020-01-25"),
        .legs = LEGS, .nlegs = 1, .cases = CASES, .ncases = 1, .case_ids = CASE_IDS,
        .task_due = at("2020-01-26 23:59"), .actor = "screening", .reason = "screening as of 2020-01-25",
        .now = at("2020-01-25 23:59"),
    };
    eg_control_decided out;
    eg_ctl_order o;
    char action[EG_CTL_WORD_BUFSZ];
    int added = 1;

    /* a new order: active, its task, the history's "open", the evidence */
    assert_int_equal(eg_control_screened(s, &dc, &out), EG_OK);
    assert_true(out.opened && out.task_added && !out.changed);
    assert_int_equal(eg_store_ctl_order_by_id(s, out.order_id, &o), EG_OK);
    assert_string_equal(o.state, "active");
    assert_string_equal(o.rules, "R1");
    assert_int_equal(o.end_date, day("2020-02-03"));
    assert_int_equal(tasks(s), 1);
    last_action(s, out.order_id, action);
    assert_string_equal(action, "open");
    assert_int_equal(eg_store_evidence_add(s, "order", out.order_id, "leg", 7, &added), EG_OK);
    assert_int_equal(added, 0);
    assert_int_equal(eg_store_evidence_add(s, "order", out.order_id, "case_trip", 3, &added), EG_OK);
    assert_int_equal(added, 0);

    /* the same decision again changes nothing */
    assert_int_equal(eg_control_screened(s, &dc, &out), EG_OK);
    assert_true(!out.opened && !out.changed && !out.task_added);
    assert_int_equal(tasks(s), 1);

    /* central isolation from a later exposure (R2): upgraded and moved, rules R1;R2 */
    dc.measure = "central_isolation";
    dc.rules = "R2";
    dc.start = day("2020-01-22");
    dc.end = day("2020-02-05");
    assert_int_equal(eg_control_screened(s, &dc, &out), EG_OK);
    assert_true(out.upgraded && out.moved && out.changed && !out.task_added);
    assert_int_equal(eg_store_ctl_order_by_id(s, out.order_id, &o), EG_OK);
    assert_string_equal(o.measure, "central_isolation");
    assert_string_equal(o.state, "awaiting_admission");
    assert_string_equal(o.rules, "R1;R2");
    assert_int_equal(o.start_date, day("2020-01-22"));
    last_action(s, out.order_id, action);
    assert_string_equal(action, "upgrade");

    /* home quarantine does not downgrade it */
    dc.measure = "home_quarantine";
    dc.rules = "R1";
    assert_int_equal(eg_control_screened(s, &dc, &out), EG_OK);
    assert_true(!out.changed);

    /* screened after its end: an exposure before the end does not reopen it ... */
    dc.as_of = day("2020-02-10");
    dc.now = at("2020-02-10 23:59");
    dc.start = day("2020-02-01");
    dc.end = day("2020-02-15");
    assert_int_equal(eg_control_screened(s, &dc, &out), EG_OK);
    assert_true(!out.changed && !out.reopened);
    /* ... one on or after it does, with a new task in the decision's division */
    dc.start = day("2020-02-06");
    dc.end = day("2020-02-20");
    dc.juris_code = "220502001002";
    assert_int_equal(eg_control_screened(s, &dc, &out), EG_OK);
    assert_true(out.reopened && out.changed && out.task_added);
    assert_int_equal(eg_store_ctl_order_by_id(s, out.order_id, &o), EG_OK);
    assert_string_equal(o.measure, "home_quarantine");
    assert_string_equal(o.state, "active");
    assert_string_equal(o.juris_code, "220502001002");
    assert_int_equal(tasks(s), 2);
    last_action(s, out.order_id, action);
    assert_string_equal(action, "reopen");
    /* the store's look-up behind it: the person's highest order id */
    int64_t last = 0;
    assert_int_equal(eg_store_order_last_id(s, dc.id_no, &last), EG_OK);
    assert_int_equal(last, out.order_id);
    assert_int_equal(eg_store_order_last_id(s, "220502199001010027", &last), EG_ERR_NOT_FOUND);
    eg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
