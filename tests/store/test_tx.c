/*
 * tests/store/test_tx.c: the one transaction rule (eg_store_tx_*,
 * src/store/tx.c): a change and its audit record commit together (a
 * failed audit insert, injected, rolls the change back); a nested level
 * joins the open transaction and an error rolls back its own part only;
 * an error at the outermost level rolls back everything; a refused
 * attempt is recorded after the rollback; a service called inside a
 * caller's transaction joins it. Each test opens a fresh store on the
 * backend EG_TEST_DB names (eg_test_store_open); a second handle on the
 * same database (eg_test_store_reopen) shows what is committed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/store.h"
#include "epigrid/facility.h"
#include "testutil.h"

/* Two handles on one fresh database: `s` writes, `r` reads what is
 * committed. */
typedef struct fixture {
    eg_store *s, *r;
} fixture;

static int setup(void **state)
{
    static fixture f;
    assert_int_equal(eg_test_store_open(&f.s), EG_OK);
    assert_int_equal(eg_test_store_reopen(f.s, &f.r), EG_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    eg_test_store_close(f->r);
    eg_test_store_close(f->s);
    return 0;
}

/* The value of setting `key` as handle `s` sees it ("-" when absent). */
static const char *meta(eg_store *s, const char *key)
{
    static char buf[64];
    eg_err e = eg_store_meta_get(s, key, buf, sizeof buf);
    if (e == EG_ERR_NOT_FOUND)
        return "-";
    assert_int_equal(e, EG_OK);
    return buf;
}

/* Audit records seen: how many, and the last one's action and detail. */
typedef struct audit_seen {
    int n;
    char action[32], pid[24], detail[96];
} audit_seen;

static eg_err take_audit(void *ctx, const eg_audit_rec *a)
{
    audit_seen *c = ctx;
    c->n++;
    snprintf(c->action, sizeof c->action, "%s", a->action);
    snprintf(c->pid, sizeof c->pid, "%s", a->person_pid);
    snprintf(c->detail, sizeof c->detail, "%s", a->detail);
    return EG_OK;
}

static audit_seen audits(eg_store *s)
{
    audit_seen c;
    memset(&c, 0, sizeof c);
    assert_int_equal(eg_store_audit_each(s, 0, 0, take_audit, &c), EG_OK);
    return c;
}

static eg_audit_rec audit_rec(const char *action, const char *detail)
{
    eg_audit_rec a = { .at = 1000, .actor = "os:test", .action = action, .person_pid = "P-1", .detail = detail };
    return a;
}

/* A change and its audit record commit together; when the audit insert
 * fails, the change is rolled back with it. */
static void audit_failure_rolls_back_change(void **state)
{
    fixture *f = *state;
    eg_store_tx tx;
    eg_audit_rec a = audit_rec("meta.set", "colour blue");
    eg_err e;

    assert_int_equal(eg_store_tx_begin(f->s, &tx), EG_OK);
    e = eg_store_meta_set(f->s, "colour", "blue");
    eg_store_fault_set(f->s, EG_STORE_OP_audit_add, EG_ERR_DB, 0);
    if (!e)
        e = eg_store_tx_audit(&tx, &a);
    assert_int_equal(e, EG_ERR_DB);
    assert_int_equal(eg_store_tx_end(&tx, e), EG_ERR_DB);
    eg_store_fault_clear(f->s);
    assert_int_equal(eg_store_tx_depth(f->s), 0);
    assert_string_equal(meta(f->s, "colour"), "-");
    assert_string_equal(meta(f->r, "colour"), "-");
    assert_int_equal(audits(f->r).n, 0);

    /* without the fault both commit */
    assert_int_equal(eg_store_tx_begin(f->s, &tx), EG_OK);
    e = eg_store_meta_set(f->s, "colour", "blue");
    if (!e)
        e = eg_store_tx_audit(&tx, &a);
    assert_int_equal(eg_store_tx_end(&tx, e), EG_OK);
    assert_string_equal(meta(f->r, "colour"), "blue");
    audit_seen c = audits(f->r);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.action, "meta.set");
    assert_string_equal(c.detail, "colour blue");
}

/* A level begun inside an open transaction joins it: nothing is visible
 * to others before the outermost end commits; an error at the inner level
 * rolls back the inner part only. */
static void nested_joins_outer(void **state)
{
    fixture *f = *state;
    eg_store_tx outer, inner;

    assert_int_equal(eg_store_tx_begin(f->s, &outer), EG_OK);
    assert_int_equal(eg_store_meta_set(f->s, "a", "1"), EG_OK);
    assert_int_equal(eg_store_tx_begin(f->s, &inner), EG_OK);
    assert_int_equal(inner.nested, 1);
    assert_int_equal(eg_store_tx_depth(f->s), 2);
    assert_int_equal(eg_store_meta_set(f->s, "b", "2"), EG_OK);
    assert_int_equal(eg_store_tx_end(&inner, EG_OK), EG_OK);
    /* released, not committed */
    assert_string_equal(meta(f->s, "b"), "2");
    assert_string_equal(meta(f->r, "b"), "-");

    assert_int_equal(eg_store_tx_begin(f->s, &inner), EG_OK);
    assert_int_equal(eg_store_meta_set(f->s, "c", "3"), EG_OK);
    assert_int_equal(eg_store_tx_end(&inner, EG_ERR_STATE), EG_ERR_STATE);
    assert_string_equal(meta(f->s, "c"), "-");

    assert_int_equal(eg_store_tx_end(&outer, EG_OK), EG_OK);
    assert_int_equal(eg_store_tx_depth(f->s), 0);
    assert_string_equal(meta(f->r, "a"), "1");
    assert_string_equal(meta(f->r, "b"), "2");
    assert_string_equal(meta(f->r, "c"), "-");
}

/* Work for eg_store_tx_run: set "e". */
static eg_err set_e(eg_store *s, void *ctx)
{
    (void)ctx;
    return eg_store_meta_set(s, "e", "5");
}

/* Work for eg_store_tx_run: set "d" and, in a nested run, "e"; then
 * return the eg_err at ctx. */
static eg_err set_d_e_fail(eg_store *s, void *ctx)
{
    eg_err e = eg_store_meta_set(s, "d", "4");
    if (!e)
        e = eg_store_tx_run(s, set_e, NULL);
    return e ? e : *(eg_err *)ctx;
}

/* An error at the outermost level rolls back everything, committed inner
 * levels included. */
static void error_rolls_back_everything(void **state)
{
    fixture *f = *state;
    eg_err fail = EG_ERR_RANGE, ok = EG_OK;
    assert_int_equal(eg_store_tx_run(f->s, set_d_e_fail, &fail), EG_ERR_RANGE);
    assert_int_equal(eg_store_tx_depth(f->s), 0);
    assert_string_equal(meta(f->s, "d"), "-");
    assert_string_equal(meta(f->s, "e"), "-");
    assert_string_equal(meta(f->r, "d"), "-");
    assert_string_equal(meta(f->r, "e"), "-");
    /* a failed commit rolls back too, and the handle is usable after */
    eg_store_fault_set(f->s, EG_STORE_OP_commit, EG_ERR_DB, 0);
    assert_int_equal(eg_store_tx_run(f->s, set_d_e_fail, &ok), EG_ERR_DB);
    eg_store_fault_clear(f->s);
    assert_string_equal(meta(f->s, "d"), "-");
    assert_int_equal(eg_store_tx_run(f->s, set_d_e_fail, &ok), EG_OK);
    assert_string_equal(meta(f->r, "d"), "4");
    assert_string_equal(meta(f->r, "e"), "5");
    /* begin while a transaction opened around the helper is open */
    assert_int_equal(eg_store_begin(f->s), EG_OK);
    eg_store_tx tx;
    assert_int_equal(eg_store_tx_begin(f->s, &tx), EG_ERR_STATE);
    assert_null(tx.s);
    assert_int_equal(eg_store_rollback(f->s), EG_OK);
}

/* A refused attempt is recorded after the rollback of what it tried: at
 * once with no transaction open, at the outermost end inside one. */
static void refused_recorded_after_rollback(void **state)
{
    fixture *f = *state;
    eg_store_tx outer, inner;
    char detail[96];
    eg_audit_rec a;
    audit_seen c;

    /* alone: the attempt rolled back, then the refusal in its own transaction */
    assert_int_equal(eg_store_tx_begin(f->s, &outer), EG_OK);
    assert_int_equal(eg_store_meta_set(f->s, "secret", "x"), EG_OK);
    assert_int_equal(eg_store_tx_end(&outer, EG_ERR_PERM), EG_ERR_PERM);
    a = audit_rec("person.refused", "read outside scope");
    assert_int_equal(eg_store_tx_refused(f->s, &a), EG_OK);
    assert_string_equal(meta(f->r, "secret"), "-");
    c = audits(f->r);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.action, "person.refused");
    assert_string_equal(c.pid, "P-1");
    assert_string_equal(c.detail, "read outside scope");

    /* inside a transaction that rolls back: the refusal is kept (a copy:
     * the caller's strings may go) and written after the rollback */
    assert_int_equal(eg_store_tx_begin(f->s, &outer), EG_OK);
    assert_int_equal(eg_store_tx_begin(f->s, &inner), EG_OK);
    assert_int_equal(eg_store_meta_set(f->s, "secret", "y"), EG_OK);
    snprintf(detail, sizeof detail, "write outside scope");
    a = audit_rec("person.refused", detail);
    assert_int_equal(eg_store_tx_refused(f->s, &a), EG_OK);
    memset(detail, 'z', sizeof detail - 1);
    assert_int_equal(eg_store_tx_end(&inner, EG_ERR_PERM), EG_ERR_PERM);
    assert_int_equal(audits(f->r).n, 1);
    assert_int_equal(eg_store_tx_end(&outer, EG_ERR_PERM), EG_ERR_PERM);
    assert_string_equal(meta(f->r, "secret"), "-");
    c = audits(f->r);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.detail, "write outside scope");

    /* inside a transaction that commits: the refusal commits with it */
    assert_int_equal(eg_store_tx_begin(f->s, &outer), EG_OK);
    assert_int_equal(eg_store_meta_set(f->s, "other", "ok"), EG_OK);
    a = audit_rec("order.refused", "third");
    assert_int_equal(eg_store_tx_refused(f->s, &a), EG_OK);
    assert_int_equal(audits(f->r).n, 2);
    assert_int_equal(eg_store_tx_end(&outer, EG_OK), EG_OK);
    assert_string_equal(meta(f->r, "other"), "ok");
    c = audits(f->r);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.action, "order.refused");

    /* ...and when it cannot be written, the change is rolled back */
    assert_int_equal(eg_store_tx_begin(f->s, &outer), EG_OK);
    assert_int_equal(eg_store_meta_set(f->s, "other", "changed"), EG_OK);
    assert_int_equal(eg_store_tx_refused(f->s, &a), EG_OK);
    eg_store_fault_set(f->s, EG_STORE_OP_audit_add, EG_ERR_DB, 0);
    assert_int_equal(eg_store_tx_end(&outer, EG_OK), EG_ERR_DB);
    eg_store_fault_clear(f->s);
    assert_string_equal(meta(f->r, "other"), "ok");
    assert_int_equal(audits(f->r).n, 3);
    /* none left waiting on the handle */
    assert_int_equal(eg_store_tx_run(f->s, set_e, NULL), EG_OK);
    assert_int_equal(audits(f->r).n, 3);
}

/* A service that opens its transaction through the helper joins the
 * caller's: the caller's rollback undoes it. */
static void service_joins_caller(void **state)
{
    fixture *f = *state;
    eg_store_tx tx;
    eg_facility fac, back;
    eg_diag d;
    memset(&fac, 0, sizeof fac);
    snprintf(fac.facility_id, sizeof fac.facility_id, "IS-1");
    snprintf(fac.name, sizeof fac.name, "隔离点一");
    snprintf(fac.kind, sizeof fac.kind, "isolation_site");
    snprintf(fac.juris_code, sizeof fac.juris_code, "220502");
    fac.places_in_use = 10;
    fac.places_standby = 5;
    assert_int_equal(eg_store_facility_put(f->s, &fac, NULL), EG_OK);

    assert_int_equal(eg_store_tx_begin(f->s, &tx), EG_OK);
    assert_int_equal(eg_facility_open_standby(f->s, "IS-1", "os:test", 2000, &d), EG_OK);
    assert_int_equal(eg_store_tx_depth(f->s), 1);
    assert_int_equal(eg_store_facility_get(f->s, "IS-1", &back), EG_OK);
    assert_int_equal(back.standby_opened_at, 2000);
    assert_int_equal(eg_store_tx_end(&tx, EG_ERR_STATE), EG_ERR_STATE);
    assert_int_equal(eg_store_facility_get(f->r, "IS-1", &back), EG_OK);
    assert_int_equal(back.standby_opened_at, 0);

    /* alone, it commits by itself */
    assert_int_equal(eg_facility_open_standby(f->s, "IS-1", "os:test", 3000, &d), EG_OK);
    assert_int_equal(eg_store_facility_get(f->r, "IS-1", &back), EG_OK);
    assert_int_equal(back.standby_opened_at, 3000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(audit_failure_rolls_back_change, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_joins_outer, setup, teardown),
        cmocka_unit_test_setup_teardown(error_rolls_back_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(refused_recorded_after_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(service_joins_caller, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
