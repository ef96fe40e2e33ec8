/*
 * tests/store/contract_server.c: contract cases of the server's operations
 * (EG_STORE_OPS_SERVER): users, sessions, login throttling, savepoints,
 * durability and the write-ahead log, scoped reads and pages, the audit
 * page and the purge. See contract.h.
 */
#include "contract.h"

/* A copy of a user record (records passed to callbacks are borrowed). */
typedef struct user_copy {
    int n;
    int64_t id[4];
    char name[4][32], role[4][32], juris[4][24], staff[4][32], pw[4][64];
    int active[4];
    eg_time created[4], revoked[4];
} user_copy;

static eg_err keep_user(void *ctx, const eg_user_rec *r)
{
    user_copy *x = ctx;
    assert_true(x->n < 4);
    int i = x->n++;
    x->id[i] = r->id;
    SET(x->name[i], r->name);
    SET(x->role[i], r->role);
    SET(x->juris[i], r->juris_code);
    SET(x->staff[i], r->staff_id);
    SET(x->pw[i], r->pw_hash);
    x->active[i] = r->active;
    x->created[i] = r->created_at;
    x->revoked[i] = r->revoked_at;
    return EG_OK;
}

/* user_add/get/each/set_password/revoke: every field, the name taken
 * (EG_ERR_EXISTS), by name and by id, not found, by id, rollback. */
static void user_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    user_copy x = { 0 };
    int64_t id = 0, id2 = 0;
    eg_user_rec u = { .name = "alice", .role = "county_operator", .juris_code = "220502", .staff_id = "S7",
                      .pw_hash = "$argon2id$a", .active = 1, .created_at = ct_time(2020, 2, 1, 8, 0) };
    assert_int_equal(eg_store_user_get(s, "alice", 0, keep_user, &x), EG_ERR_NOT_FOUND);
    OK(eg_store_user_add(s, &u, &id));
    assert_true(id > 0);
    assert_int_equal(eg_store_user_add(s, &u, NULL), EG_ERR_EXISTS);
    eg_user_rec v = u;
    v.name = "bob";
    v.role = "city_admin";
    OK(eg_store_user_add(s, &v, &id2));
    OK(eg_store_user_get(s, "alice", 0, keep_user, &x));
    assert_int_equal(x.n, 1);
    assert_int_equal(x.id[0], id);
    assert_string_equal(x.name[0], "alice");
    assert_string_equal(x.role[0], "county_operator");
    assert_string_equal(x.juris[0], "220502");
    assert_string_equal(x.staff[0], "S7");
    assert_string_equal(x.pw[0], "$argon2id$a");
    assert_int_equal(x.active[0], 1);
    assert_int_equal(x.created[0], ct_time(2020, 2, 1, 8, 0));
    assert_int_equal(x.revoked[0], 0);
    memset(&x, 0, sizeof x);
    OK(eg_store_user_get(s, NULL, id2, keep_user, &x));
    assert_string_equal(x.name[0], "bob");
    assert_int_equal(eg_store_user_get(s, NULL, id2 + 10, keep_user, &x), EG_ERR_NOT_FOUND);
    OK(eg_store_user_set_password(s, id, "$argon2id$b"));
    assert_int_equal(eg_store_user_set_password(s, id2 + 10, "x"), EG_ERR_NOT_FOUND);
    OK(eg_store_begin(s)); /* rolled back: still active */
    OK(eg_store_user_revoke(s, id2, ct_time(2020, 2, 4, 8, 0)));
    OK(eg_store_rollback(s));
    memset(&x, 0, sizeof x);
    OK(eg_store_user_get(s, "bob", 0, keep_user, &x));
    assert_int_equal(x.active[0], 1);
    assert_int_equal(x.revoked[0], 0);
    OK(eg_store_user_revoke(s, id2, ct_time(2020, 2, 5, 8, 0)));
    assert_int_equal(eg_store_user_revoke(s, id2 + 10, ct_time(2020, 2, 5, 8, 0)), EG_ERR_NOT_FOUND);
    memset(&x, 0, sizeof x);
    OK(eg_store_user_each(s, keep_user, &x));
    assert_int_equal(x.n, 2);
    assert_true(x.id[0] == id && x.id[1] == id2);
    assert_string_equal(x.pw[0], "$argon2id$b");
    assert_int_equal(x.active[1], 0);
    assert_int_equal(x.revoked[1], ct_time(2020, 2, 5, 8, 0));
    eg_user_rec w = u;
    w.name = "carol";
    OK(eg_store_begin(s));
    OK(eg_store_user_add(s, &w, NULL));
    OK(eg_store_user_set_password(s, id, "$argon2id$c"));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_user_get(s, "carol", 0, keep_user, &x), EG_ERR_NOT_FOUND);
    memset(&x, 0, sizeof x);
    OK(eg_store_user_get(s, "alice", 0, keep_user, &x));
    assert_string_equal(x.pw[0], "$argon2id$b");
    eg_test_store_close(s);
}

/* session_add/user/revoke: a valid session gives its user; expired,
 * revoked, or of a revoked user: not found; the same hash again and a
 * missing user refused; rollback. */
static void session_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    user_copy x = { 0 };
    int64_t id = 0, id2 = 0;
    eg_time t0 = ct_time(2020, 2, 1, 8, 0), t1 = ct_time(2020, 2, 1, 20, 0);
    eg_user_rec u = { .name = "alice", .role = "county_operator", .juris_code = "220502", .staff_id = "S7",
                      .pw_hash = "h", .active = 1, .created_at = t0 };
    OK(eg_store_user_add(s, &u, &id));
    u.name = "bob";
    OK(eg_store_user_add(s, &u, &id2));
    assert_int_equal(eg_store_session_user(s, "t1", t0, keep_user, &x), EG_ERR_NOT_FOUND);
    OK(eg_store_session_add(s, "t1", id, t0, t1, "10.0.0.1"));
    OK(eg_store_session_add(s, "t2", id, t0, t1, ""));
    OK(eg_store_session_add(s, "t3", id2, t0, t1, ""));
    assert_int_equal(eg_store_session_add(s, "t1", id, t0, t1, ""), EG_ERR_DB);
    assert_int_equal(eg_store_session_add(s, "t9", id2 + 10, t0, t1, ""), EG_ERR_DB);
    OK(eg_store_session_user(s, "t1", ct_time(2020, 2, 1, 19, 59), keep_user, &x));
    assert_true(x.n == 1 && x.id[0] == id);
    assert_string_equal(x.name[0], "alice");
    assert_int_equal(eg_store_session_user(s, "t1", t1, keep_user, &x), EG_ERR_NOT_FOUND);
    OK(eg_store_session_revoke(s, "t1", ct_time(2020, 2, 1, 9, 0)));
    assert_int_equal(eg_store_session_revoke(s, "t1", ct_time(2020, 2, 1, 9, 0)), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_store_session_user(s, "t1", ct_time(2020, 2, 1, 10, 0), keep_user, &x), EG_ERR_NOT_FOUND);
    OK(eg_store_session_user(s, "t2", ct_time(2020, 2, 1, 10, 0), keep_user, &x));
    OK(eg_store_user_revoke(s, id2, ct_time(2020, 2, 1, 9, 0)));
    assert_int_equal(eg_store_session_user(s, "t3", ct_time(2020, 2, 1, 10, 0), keep_user, &x), EG_ERR_NOT_FOUND);
    OK(eg_store_begin(s));
    OK(eg_store_session_add(s, "t4", id, t0, t1, ""));
    OK(eg_store_session_revoke(s, "t2", ct_time(2020, 2, 1, 9, 0)));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_session_user(s, "t4", ct_time(2020, 2, 1, 10, 0), keep_user, &x), EG_ERR_NOT_FOUND);
    OK(eg_store_session_user(s, "t2", ct_time(2020, 2, 1, 10, 0), keep_user, &x));
    eg_test_store_close(s);
}

/* login_fail/state/clear: failures per key counted, the last moment kept,
 * an unknown key reads as none, clear forgets, rollback; failures older
 * than the caller's window start the count again. */
static void login_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    long n = -1;
    int64_t last = -1;
    OK(eg_store_login_state(s, "user:alice", &n, &last));
    assert_int_equal(n, 0);
    assert_int_equal(last, 0);
    OK(eg_store_login_fail(s, "user:alice", 1580515200, 900));
    OK(eg_store_login_fail(s, "user:alice", 1580515260, 900));
    OK(eg_store_login_fail(s, "addr:10.0.0.1", 1580515260, 900));
    OK(eg_store_login_state(s, "user:alice", &n, &last));
    assert_int_equal(n, 2);
    assert_int_equal(last, 1580515260);
    OK(eg_store_begin(s));
    OK(eg_store_login_fail(s, "user:alice", 1580515300, 900));
    OK(eg_store_login_clear(s, "addr:10.0.0.1"));
    OK(eg_store_rollback(s));
    OK(eg_store_login_state(s, "user:alice", &n, &last));
    assert_int_equal(n, 2);
    OK(eg_store_login_state(s, "addr:10.0.0.1", &n, &last));
    assert_int_equal(n, 1);
    OK(eg_store_login_clear(s, "user:alice"));
    OK(eg_store_login_state(s, "user:alice", &n, &last));
    assert_int_equal(n, 0);
    OK(eg_store_login_clear(s, "user:nobody"));
    /* the window is the caller's: a failure 61 s after the last starts the
     * count again under a 60 s window, and adds to it under a 900 s one */
    OK(eg_store_login_fail(s, "user:bob", 1580515200, 60));
    OK(eg_store_login_fail(s, "user:bob", 1580515230, 60));
    OK(eg_store_login_state(s, "user:bob", &n, &last));
    assert_int_equal(n, 2);
    OK(eg_store_login_fail(s, "user:bob", 1580515291, 60));
    OK(eg_store_login_state(s, "user:bob", &n, &last));
    assert_int_equal(n, 1);
    assert_int_equal(last, 1580515291);
    OK(eg_store_login_fail(s, "user:bob", 1580515352, 900));
    OK(eg_store_login_state(s, "user:bob", &n, &last));
    assert_int_equal(n, 2);
    eg_test_store_close(s);
}

/* savepoint_step: rolling back to a savepoint undoes only what followed
 * it (and ends the savepoint); a released one keeps its work; durable and wal_autocheckpoint
 * accept their settings and refuse a negative page count below -1. */
static void savepoint_and_durability_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    char buf[16];
    OK(eg_store_begin(s));
    OK(eg_store_meta_set(s, "a", "1"));
    OK(eg_store_savepoint(s));
    OK(eg_store_meta_set(s, "b", "2"));
    OK(eg_store_savepoint_rollback(s)); /* rolls back to it and ends it (as the server's writer uses it) */
    OK(eg_store_savepoint(s));
    OK(eg_store_meta_set(s, "c", "3"));
    OK(eg_store_savepoint_release(s));
    OK(eg_store_commit(s));
    OK(eg_store_meta_get(s, "a", buf, sizeof buf));
    assert_int_equal(eg_store_meta_get(s, "b", buf, sizeof buf), EG_ERR_NOT_FOUND);
    OK(eg_store_meta_get(s, "c", buf, sizeof buf));
    assert_string_equal(buf, "3");
    OK(eg_store_durable(s, 1));
    OK(eg_store_meta_set(s, "d", "4"));
    OK(eg_store_durable(s, 0));
    OK(eg_store_wal_autocheckpoint(s, 0));
    OK(eg_store_wal_autocheckpoint(s, 1000));
    OK(eg_store_wal_checkpoint(s));
    assert_int_equal(eg_store_wal_autocheckpoint(s, -2), EG_ERR_INVALID);
    OK(eg_store_meta_get(s, "d", buf, sizeof buf));
    eg_test_store_close(s);
}

/* ---- scoped reads ---- */

typedef struct people {
    int n;
    char id_no[8][24], juris[8][24], pid[8][20];
} people;

static eg_err keep_person(void *ctx, const eg_person_rec *r)
{
    people *x = ctx;
    assert_true(x->n < 8);
    SET(x->id_no[x->n], r->id_no);
    SET(x->juris[x->n], r->juris_code);
    SET(x->pid[x->n++], r->pid);
    return EG_OK;
}

/* Store a person of `juris` with a name and phone. */
static void put_person(eg_store *s, const char *id_no, const char *juris, const char *name, const char *phone)
{
    eg_person_rec p = { .pid = "", .id_no = id_no, .doc_type = "resident_id", .name = name, .name_norm = name,
                        .sex = "M", .birth_date = ct_date(1980, 5, 6), .phone = phone, .address_code = juris,
                        .address = "", .juris_code = juris, .synthetic = 0 };
    OK(eg_store_person_put(s, &p, NULL));
}

/* A scope of `code` (exact when `exact`) minus `exclude` (may be NULL). */
static eg_scope a_scope(const char *code, int exact, const char *exclude)
{
    eg_scope sc;
    memset(&sc, 0, sizeof sc);
    SET(sc.code, code);
    sc.exact = exact;
    if (exclude) {
        SET(sc.exclude[0], exclude);
        sc.n_exclude = 1;
    }
    return sc;
}

/* person_by_pid/page/search: scope enforced (range, exact, exclusions),
 * not found outside, the page key and order (juris_code, pid), offset,
 * limit, search by each field, nothing to search for refused. */
static void person_scoped_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    people x = { 0 };
    put_person(s, "A1", "220502", "甲", "131");
    put_person(s, "A2", "220502", "乙", "132");
    put_person(s, "A3", "220581", "甲", "133");
    put_person(s, "A4", "2206", "丙", "131");
    eg_scope all = a_scope("", 0, NULL), city = a_scope("2205", 0, "220581"), grid = a_scope("220502", 1, NULL);
    OK(eg_store_person_page(s, &all, NULL, "", "", 0, 100, keep_person, &x));
    assert_int_equal(x.n, 4);
    assert_string_equal(x.juris[0], "2205" "02");
    assert_true(strcmp(x.pid[0], x.pid[1]) < 0);
    assert_string_equal(x.juris[2], "220581");
    assert_string_equal(x.juris[3], "2206");
    char pid_a3[20], pid_first[20], first_juris[24];
    SET(pid_a3, x.pid[2]);
    SET(pid_first, x.pid[0]);
    SET(first_juris, x.juris[0]);
    /* by pid: in scope, out of scope (excluded), unknown */
    people y = { 0 };
    OK(eg_store_person_by_pid(s, &all, pid_a3, keep_person, &y));
    assert_string_equal(y.id_no[0], "A3");
    assert_int_equal(eg_store_person_by_pid(s, &city, pid_a3, keep_person, &y), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_store_person_by_pid(s, &all, "ffffffffffffffff", keep_person, &y), EG_ERR_NOT_FOUND);
    /* pages: the city minus 220581; after the first key; offset; limit */
    memset(&y, 0, sizeof y);
    OK(eg_store_person_page(s, &city, NULL, "", "", 0, 100, keep_person, &y));
    assert_int_equal(y.n, 2);
    memset(&y, 0, sizeof y);
    OK(eg_store_person_page(s, &all, NULL, first_juris, pid_first, 0, 100, keep_person, &y));
    assert_int_equal(y.n, 3);
    assert_string_equal(y.pid[0], x.pid[1]);
    memset(&y, 0, sizeof y);
    OK(eg_store_person_page(s, &all, NULL, "", "", 1, 2, keep_person, &y));
    assert_int_equal(y.n, 2);
    assert_string_equal(y.pid[0], x.pid[1]);
    memset(&y, 0, sizeof y);
    OK(eg_store_person_page(s, &all, "2206", "", "", 0, 100, keep_person, &y));
    assert_true(y.n == 1 && strcmp(y.id_no[0], "A4") == 0);
    memset(&y, 0, sizeof y);
    OK(eg_store_person_page(s, &grid, NULL, "", "", 0, 100, keep_person, &y));
    assert_int_equal(y.n, 2);
    /* search */
    memset(&y, 0, sizeof y);
    OK(eg_store_person_search(s, &all, "A2", NULL, NULL, 10, keep_person, &y));
    assert_true(y.n == 1 && strcmp(y.id_no[0], "A2") == 0);
    memset(&y, 0, sizeof y);
    OK(eg_store_person_search(s, &all, NULL, "甲", NULL, 10, keep_person, &y));
    assert_int_equal(y.n, 2);
    assert_true(strcmp(y.pid[0], y.pid[1]) < 0);
    memset(&y, 0, sizeof y);
    OK(eg_store_person_search(s, &city, NULL, "甲", NULL, 10, keep_person, &y));
    assert_true(y.n == 1 && strcmp(y.id_no[0], "A1") == 0);
    memset(&y, 0, sizeof y);
    OK(eg_store_person_search(s, &all, NULL, NULL, "131", 1, keep_person, &y));
    assert_int_equal(y.n, 1);
    memset(&y, 0, sizeof y);
    OK(eg_store_person_search(s, &all, NULL, "丙", "131", 10, keep_person, &y));
    assert_true(y.n == 1 && strcmp(y.id_no[0], "A4") == 0);
    assert_int_equal(eg_store_person_search(s, &all, NULL, "", "", 10, keep_person, &y), EG_ERR_INVALID);
    eg_test_store_close(s);
}

typedef struct order_rows {
    int n;
    int64_t id[8];
    char juris[8][24], pid[8][20], state[8][32];
} order_rows;

static eg_err keep_order_row(void *ctx, const eg_ctl_order *r, const char *pid)
{
    order_rows *x = ctx;
    assert_true(x->n < 8);
    x->id[x->n] = r->id;
    SET(x->juris[x->n], r->juris_code);
    SET(x->state[x->n], r->state);
    SET(x->pid[x->n++], pid);
    return EG_OK;
}

static eg_err keep_task_row(void *ctx, const eg_task_row *r)
{
    order_rows *x = ctx;
    assert_true(x->n < 8);
    assert_string_equal(r->measure, "home_quarantine");
    assert_string_equal(r->task.kind, "verification");
    assert_int_equal(strlen(r->order_oid), 16);
    x->id[x->n] = r->task.id;
    SET(x->juris[x->n], r->task.juris_code);
    SET(x->state[x->n], r->task.state);
    SET(x->pid[x->n++], r->pid);
    return EG_OK;
}

/* Insert an order of `id_no` in `juris` starting `start` in `state`;
 * returns its id. */
static int64_t put_order(eg_store *s, const char *id_no, const char *juris, eg_date start, const char *st)
{
    eg_ctl_order r = { .name = "x", .measure = "home_quarantine", .start_date = start, .end_date = start + 14,
                       .rules = "R1", .created_at = ct_time(2020, 2, 1, 8, 0),
                       .updated_at = ct_time(2020, 2, 1, 8, 0), .prior_start = EG_NO_DATE,
                       .prior_end = EG_NO_DATE, .not_before = EG_NO_DATE };
    SET(r.id_no, id_no);
    SET(r.state, st);
    SET(r.juris_code, juris);
    OK(eg_store_ctl_order_insert(s, &r));
    return r.id;
}

/* order_page/task_page: scope, division, state, dates, the page key,
 * limit, order by (juris_code, id), the person's pid when registered. */
static void order_and_task_page_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    order_rows x = { 0 };
    put_person(s, "A1", "220502", "甲", "131");
    int64_t o1 = put_order(s, "A1", "220503", ct_date(2020, 2, 1), "active");
    int64_t o2 = put_order(s, "A2", "220502", ct_date(2020, 2, 3), "released");
    int64_t o3 = put_order(s, "A3", "220502", ct_date(2020, 2, 5), "active");
    int64_t o4 = put_order(s, "A4", "2206", ct_date(2020, 2, 5), "active");
    eg_scope all = a_scope("", 0, NULL), city = a_scope("2205", 0, NULL);
    OK(eg_store_order_page(s, &all, NULL, NULL, EG_NO_DATE, EG_NO_DATE, "", 0, 100, keep_order_row, &x));
    assert_int_equal(x.n, 4);
    assert_true(x.id[0] == o2 && x.id[1] == o3 && x.id[2] == o1 && x.id[3] == o4);
    assert_string_equal(x.pid[2], x.pid[2][0] ? x.pid[2] : "missing");
    assert_int_equal(strlen(x.pid[2]), 16);
    assert_string_equal(x.pid[0], "");
    memset(&x, 0, sizeof x);
    OK(eg_store_order_page(s, &city, NULL, "active", EG_NO_DATE, EG_NO_DATE, "", 0, 100, keep_order_row, &x));
    assert_true(x.n == 2 && x.id[0] == o3 && x.id[1] == o1);
    memset(&x, 0, sizeof x);
    OK(eg_store_order_page(s, &all, "220502", NULL, ct_date(2020, 2, 2), ct_date(2020, 2, 4), "", 0, 100,
                           keep_order_row, &x));
    assert_true(x.n == 1 && x.id[0] == o2);
    memset(&x, 0, sizeof x);
    OK(eg_store_order_page(s, &all, NULL, NULL, EG_NO_DATE, EG_NO_DATE, "220502", o3, 2, keep_order_row, &x));
    assert_true(x.n == 2 && x.id[0] == o1 && x.id[1] == o4);
    /* tasks */
    eg_ctl_task t = { .order_id = o1, .kind = "verification", .juris_code = "220503", .state = "open",
                      .created_at = ct_time(2020, 2, 1, 8, 0), .due_at = ct_time(2020, 2, 2, 8, 0) };
    int64_t t1 = 0, t2 = 0, t3 = 0;
    OK(eg_store_ctl_task_add(s, &t, &t1));
    t.order_id = o3;
    SET(t.juris_code, "220502");
    SET(t.state, "found");
    t.created_at = ct_time(2020, 2, 5, 8, 0);
    OK(eg_store_ctl_task_add(s, &t, &t2));
    t.order_id = o4;
    SET(t.juris_code, "2206");
    OK(eg_store_ctl_task_add(s, &t, &t3));
    memset(&x, 0, sizeof x);
    OK(eg_store_task_page(s, &all, NULL, NULL, EG_NO_DATE, EG_NO_DATE, "", 0, 100, keep_task_row, &x));
    assert_true(x.n == 3 && x.id[0] == t2 && x.id[1] == t1 && x.id[2] == t3);
    assert_int_equal(strlen(x.pid[1]), 16);
    memset(&x, 0, sizeof x);
    OK(eg_store_task_page(s, &city, NULL, "open", EG_NO_DATE, EG_NO_DATE, "", 0, 100, keep_task_row, &x));
    assert_true(x.n == 1 && x.id[0] == t1);
    memset(&x, 0, sizeof x);
    OK(eg_store_task_page(s, &all, NULL, NULL, ct_date(2020, 2, 5), ct_date(2020, 2, 5), "", 0, 100, keep_task_row,
                          &x));
    assert_true(x.n == 2 && x.id[0] == t2 && x.id[1] == t3);
    memset(&x, 0, sizeof x);
    OK(eg_store_task_page(s, &all, "2205", NULL, EG_NO_DATE, EG_NO_DATE, "220502", t2, 1, keep_task_row, &x));
    assert_true(x.n == 1 && x.id[0] == t1);
    eg_test_store_close(s);
}

typedef struct audits {
    int n;
    int64_t id[8];
    char actor[8][32];
} audits;

static eg_err keep_audit(void *ctx, const eg_audit_rec *r)
{
    audits *x = ctx;
    assert_true(x->n < 8);
    x->id[x->n] = r->id;
    SET(x->actor[x->n++], r->actor);
    return EG_OK;
}

/* audit_page: window, actor, after id, limit, oldest first. */
static void audit_page_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    audits x = { 0 };
    const char *actors[] = { "os:a", "user:b", "os:a", "os:a" };
    for (int i = 0; i < 4; i++) {
        eg_audit_rec r = { .at = ct_time(2020, 2, 1, 8 + i, 0), .actor = actors[i], .action = "x",
                           .person_pid = "", .detail = "" };
        OK(eg_store_audit_add(s, &r));
    }
    OK(eg_store_audit_page(s, 0, 0, NULL, 0, 0, keep_audit, &x));
    assert_int_equal(x.n, 4);
    assert_true(x.id[0] < x.id[1] && x.id[2] < x.id[3]);
    int64_t first = x.id[0];
    memset(&x, 0, sizeof x);
    OK(eg_store_audit_page(s, 0, 0, "os:a", first, 1, keep_audit, &x));
    assert_int_equal(x.n, 1);
    assert_string_equal(x.actor[0], "os:a");
    assert_true(x.id[0] > first);
    memset(&x, 0, sizeof x);
    OK(eg_store_audit_page(s, ct_time(2020, 2, 1, 9, 0), ct_time(2020, 2, 1, 11, 0), NULL, 0, 0, keep_audit, &x));
    assert_int_equal(x.n, 2);
    assert_string_equal(x.actor[0], "user:b");
    eg_test_store_close(s);
}

/* purge: persons whose last order ended before the date are pseudonymised
 * everywhere (person, orders, legs); others and counts stay; rollback
 * undoes it. */
static void purge_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    people x = { 0 };
    long n = -1;
    int dup = 0;
    put_person(s, "OLD1", "220502", "甲", "131");
    put_person(s, "NEW1", "220502", "乙", "132");
    put_order(s, "OLD1", "220502", ct_date(2020, 1, 1), "released");  /* ends 01-15 */
    put_order(s, "NEW1", "220502", ct_date(2020, 1, 1), "released");
    put_order(s, "NEW1", "220502", ct_date(2020, 2, 10), "active");    /* ends 02-24 */
    eg_leg l;
    memset(&l, 0, sizeof l);
    SET(l.id_no, "OLD1");
    l.mode = EG_MODE_TRAIN;
    SET(l.trip_no, "K1");
    l.dep_date = l.arr_date = ct_date(2020, 1, 2);
    l.dep_minute = EG_NO_MINUTE;
    SET(l.from_code, "2205");
    SET(l.to_code, "1101");
    OK(eg_store_leg_put(s, &l, &dup));
    OK(eg_store_begin(s));
    OK(eg_store_purge(s, ct_date(2020, 2, 1), ct_time(2020, 2, 1, 3, 0), &n));
    assert_int_equal(n, 1);
    OK(eg_store_rollback(s));
    OK(eg_store_person_get(s, "OLD1", keep_person, &x));
    OK(eg_store_begin(s));
    OK(eg_store_purge(s, ct_date(2020, 2, 1), ct_time(2020, 2, 1, 3, 0), &n));
    OK(eg_store_commit(s));
    assert_int_equal(n, 1);
    assert_int_equal(eg_store_person_get(s, "OLD1", keep_person, &x), EG_ERR_NOT_FOUND);
    OK(eg_store_person_get(s, "NEW1", keep_person, &x));
    OK(eg_store_person_count(s, &n));
    assert_int_equal(n, 2);
    memset(&x, 0, sizeof x);
    eg_scope all = a_scope("", 0, NULL);
    OK(eg_store_person_page(s, &all, NULL, "", "", 0, 10, keep_person, &x));
    int pseudo = 0;
    for (int i = 0; i < x.n; i++)
        pseudo += strncmp(x.id_no[i], "PSEUDO-", 7) == 0 && strlen(x.id_no[i]) == 23;
    assert_int_equal(pseudo, 1);
    long legs = -1;
    eg_date latest;
    OK(eg_store_leg_stats(s, &legs, &latest));
    assert_int_equal(legs, 1);
    order_rows o = { 0 };
    OK(eg_store_order_page(s, &all, NULL, NULL, EG_NO_DATE, EG_NO_DATE, "", 0, 100, keep_order_row, &o));
    assert_int_equal(o.n, 3);
    /* purging again finds nobody new */
    OK(eg_store_purge(s, ct_date(2020, 2, 1), ct_time(2020, 2, 1, 4, 0), &n));
    assert_int_equal(n, 0);
    eg_test_store_close(s);
}

const struct CMUnitTest contract_server_cases[] = {
    cmocka_unit_test(user_contract),
    cmocka_unit_test(session_contract),
    cmocka_unit_test(login_contract),
    cmocka_unit_test(savepoint_and_durability_contract),
    cmocka_unit_test(person_scoped_contract),
    cmocka_unit_test(order_and_task_page_contract),
    cmocka_unit_test(audit_page_contract),
    cmocka_unit_test(purge_contract),
};
const size_t contract_server_ncases = CT_NCASES(contract_server_cases);
