/*
 * tests/store/contract_core.c: contract cases of the core operations
 * (EG_STORE_OPS_CORE): migrations, transactions, settings, divisions,
 * staff, persons, audit, import log, the travel feed, screening's orders,
 * tasks, evidence and assistance requests. See contract.h.
 */
#include <stdio.h>
#include <string.h>
#include "contract.h"

/* ---- collecting what an iterator gives (copies: records are borrowed) ---- */

#define CT_MAX 8
typedef struct texts {
    int n;
    char v[CT_MAX][1024];
    long num[CT_MAX];
} texts;

/* Keep `a` (and a number) as the next item of `t`. */
static void keep(texts *t, const char *a, long num)
{
    assert_true(t->n < CT_MAX);
    snprintf(t->v[t->n], sizeof t->v[t->n], "%.1000s", a);
    t->num[t->n++] = num;
}

/* ---- migrations, transactions, settings ---- */

/* Migrating an up-to-date store is a no-op; a version newer than the
 * program knows is EG_ERR_SCHEMA. */
static void migrate_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    assert_int_equal(eg_store_schema_version(s), EG_SCHEMA_VERSION);
    OK(eg_store_migrate(s, 0, NULL));
    OK(eg_store_migrate(s, EG_SCHEMA_VERSION, NULL));
    assert_int_equal(eg_store_migrate(s, EG_SCHEMA_VERSION + 1, NULL), EG_ERR_SCHEMA);
    assert_int_equal(eg_store_schema_version(s), EG_SCHEMA_VERSION);
    eg_test_store_close(s);
}

/* meta: round trip, overwrite, truncation, not found, rollback, and the
 * transaction rules (no nesting, commit/rollback without one). */
static void meta_and_transactions(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    char buf[32];
    assert_int_equal(eg_store_meta_get(s, "k", buf, sizeof buf), EG_ERR_NOT_FOUND);
    OK(eg_store_meta_set(s, "k", "value-1"));
    OK(eg_store_meta_get(s, "k", buf, sizeof buf));
    assert_string_equal(buf, "value-1");
    OK(eg_store_meta_set(s, "k", "value-2"));
    OK(eg_store_meta_get(s, "k", buf, sizeof buf));
    assert_string_equal(buf, "value-2");
    OK(eg_store_meta_get(s, "k", buf, 4));
    assert_string_equal(buf, "val");

    OK(eg_store_begin(s));
    assert_int_equal(eg_store_begin(s), EG_ERR_STATE);
    OK(eg_store_meta_set(s, "gone", "x"));
    OK(eg_store_meta_set(s, "k", "changed"));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_meta_get(s, "gone", buf, sizeof buf), EG_ERR_NOT_FOUND);
    OK(eg_store_meta_get(s, "k", buf, sizeof buf));
    assert_string_equal(buf, "value-2");
    assert_int_equal(eg_store_commit(s), EG_ERR_STATE);

    OK(eg_store_begin(s));
    OK(eg_store_meta_set(s, "kept", "y"));
    OK(eg_store_commit(s));
    OK(eg_store_meta_get(s, "kept", buf, sizeof buf));
    assert_string_equal(buf, "y");
    eg_test_store_close(s);
}

/* ---- divisions ---- */

static eg_err keep_division(void *ctx, const eg_division_rec *r)
{
    texts *t = ctx;
    char all[1024];
    snprintf(all, sizeof all, "%s|%s|%s|%d|%s|%s|%s|%d", r->code, r->name, r->name_norm, (int)r->level,
             r->parent_code, r->administered_by, r->unit_type, r->synthetic);
    keep(t, all, 0);
    return EG_OK;
}

/* Stop an iteration at the first row with a code of its own. */
static eg_err stop_division(void *ctx, const eg_division_rec *r)
{
    (void)r;
    (*(int *)ctx)++;
    return EG_ERR_EXISTS;
}

static eg_err keep_count(void *ctx, const char *juris, long n)
{
    keep(ctx, juris, n);
    return EG_OK;
}

/* division_put/each/count: every field, update in place, order by code,
 * rollback. */
static void division_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    texts t = { 0 };
    long n = -1;
    eg_division_rec a = { .code = "220502", .name = "东昌区", .name_norm = "东昌", .level = EG_LEVEL_COUNTY,
                          .parent_code = "2205", .administered_by = "22", .unit_type = "市辖区",
                          .synthetic = 1 };
    eg_division_rec b = { .code = "2205", .name = "通化市", .name_norm = "通化", .level = EG_LEVEL_CITY,
                          .parent_code = "22", .administered_by = "", .unit_type = "", .synthetic = 0 };
    OK(eg_store_division_count(s, &n));
    assert_int_equal(n, 0);
    OK(eg_store_division_put(s, &a));
    OK(eg_store_division_put(s, &b));
    OK(eg_store_division_each(s, keep_division, &t));
    assert_int_equal(t.n, 2);
    assert_string_equal(t.v[0], "2205|通化市|通化|2|22|||0");
    char want[128];
    snprintf(want, sizeof want, "220502|东昌区|东昌|%d|2205|22|市辖区|1", (int)EG_LEVEL_COUNTY);
    assert_string_equal(t.v[1], want);
    /* the same code again updates */
    a.name = "东昌区2";
    OK(eg_store_division_put(s, &a));
    OK(eg_store_division_count(s, &n));
    assert_int_equal(n, 2);
    memset(&t, 0, sizeof t);
    OK(eg_store_division_each(s, keep_division, &t));
    assert_non_null(strstr(t.v[1], "东昌区2"));
    /* rolled back: absent */
    eg_division_rec c = b;
    c.code = "2201";
    OK(eg_store_begin(s));
    OK(eg_store_division_put(s, &c));
    OK(eg_store_rollback(s));
    OK(eg_store_division_count(s, &n));
    assert_int_equal(n, 2);
    /* a callback's code stops the iteration and is returned */
    int calls = 0;
    assert_int_equal(eg_store_division_each(s, stop_division, &calls), EG_ERR_EXISTS);
    assert_int_equal(calls, 1);
    eg_test_store_close(s);
}

/* ---- staff ---- */

static eg_err keep_staff(void *ctx, const eg_staff_rec *r)
{
    char all[1024];
    snprintf(all, sizeof all, "%s|%s|%s|%s|%s|%s|%d", r->staff_id, r->name, r->phone, r->role,
             r->juris_code, r->unit, r->synthetic);
    keep(ctx, all, 0);
    return EG_OK;
}

/* staff_put/each/count_by_juris: every field, created flag, order by role
 * then id within a division, rollback. */
static void staff_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    texts t = { 0 };
    int created = -1;
    eg_staff_rec a = { .staff_id = "S2", .name = "王五", .phone = "13900000001", .role = "police",
                       .juris_code = "220502", .unit = "派出所", .synthetic = 1 };
    eg_staff_rec b = { .staff_id = "S1", .name = "李四", .phone = "13900000002", .role = "doctor",
                       .juris_code = "220502", .unit = "", .synthetic = 0 };
    eg_staff_rec c = { .staff_id = "S0", .name = "张三", .phone = "1", .role = "police",
                       .juris_code = "2205", .unit = "", .synthetic = 0 };
    OK(eg_store_staff_put(s, &a, &created));
    assert_int_equal(created, 1);
    OK(eg_store_staff_put(s, &b, &created));
    OK(eg_store_staff_put(s, &c, NULL));
    a.phone = "13900000009";
    OK(eg_store_staff_put(s, &a, &created));
    assert_int_equal(created, 0);
    OK(eg_store_staff_each(s, "220502", keep_staff, &t));
    assert_int_equal(t.n, 2);
    assert_string_equal(t.v[0], "S1|李四|13900000002|doctor|220502||0");
    assert_string_equal(t.v[1], "S2|王五|13900000009|police|220502|派出所|1");
    memset(&t, 0, sizeof t);
    OK(eg_store_staff_each(s, NULL, keep_staff, &t));
    assert_int_equal(t.n, 3);
    memset(&t, 0, sizeof t);
    OK(eg_store_staff_count_by_juris(s, keep_count, &t));
    assert_int_equal(t.n, 2);
    for (int i = 0; i < t.n; i++)
        assert_int_equal(t.num[i], strcmp(t.v[i], "2205") == 0 ? 1 : 2);
    eg_staff_rec d = c;
    d.staff_id = "S9";
    OK(eg_store_begin(s));
    OK(eg_store_staff_put(s, &d, NULL));
    OK(eg_store_rollback(s));
    memset(&t, 0, sizeof t);
    OK(eg_store_staff_each(s, NULL, keep_staff, &t));
    assert_int_equal(t.n, 3);
    eg_test_store_close(s);
}

/* ---- persons ---- */

static eg_err keep_person(void *ctx, const eg_person_rec *r)
{
    char all[1024];
    char bd[EG_DATE_BUFSZ] = "";
    if (r->birth_date != EG_NO_DATE)
        eg_date_format(r->birth_date, bd);
    assert_int_equal(strlen(r->pid), 16);
    snprintf(all, sizeof all, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%d", r->id_no, r->doc_type, r->name, r->name_norm,
             r->sex, bd, r->phone, r->address_code, r->address, r->juris_code, r->synthetic);
    keep(ctx, all, 0);
    return EG_OK;
}

static eg_err keep_pid(void *ctx, const eg_person_rec *r)
{
    snprintf(ctx, 17, "%s", r->pid);
    return EG_OK;
}

/* person_put/get/count/count_by_juris: every field, update in place keeps
 * the pid, not found, rollback. */
static void person_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    texts t = { 0 };
    int created = -1;
    long n = -1;
    char pid1[17] = "", pid2[17] = "";
    eg_person_rec p = { .pid = "", .id_no = "220502199001011234", .doc_type = "passport", .name = "赵六",
                        .name_norm = "赵六n", .sex = "F", .birth_date = ct_date(1990, 1, 1),
                        .phone = "13800000000", .address_code = "220502001", .address = "新站街1号",
                        .juris_code = "220502001", .synthetic = 1 };
    assert_int_equal(eg_store_person_get(s, p.id_no, keep_person, &t), EG_ERR_NOT_FOUND);
    OK(eg_store_person_put(s, &p, &created));
    assert_int_equal(created, 1);
    OK(eg_store_person_get(s, p.id_no, keep_person, &t));
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0], "220502199001011234|passport|赵六|赵六n|F|1990-01-01|13800000000|220502001|"
                                "新站街1号|220502001|1");
    OK(eg_store_person_get(s, p.id_no, keep_pid, pid1));
    p.name = "赵七";
    p.birth_date = EG_NO_DATE;
    p.sex = "";
    OK(eg_store_begin(s)); /* an update rolled back: unchanged */
    OK(eg_store_person_put(s, &p, &created));
    OK(eg_store_rollback(s));
    memset(&t, 0, sizeof t);
    OK(eg_store_person_get(s, p.id_no, keep_person, &t));
    assert_non_null(strstr(t.v[0], "|赵六|"));
    OK(eg_store_person_put(s, &p, &created));
    assert_int_equal(created, 0);
    OK(eg_store_person_get(s, p.id_no, keep_pid, pid2));
    assert_string_equal(pid1, pid2);
    memset(&t, 0, sizeof t);
    OK(eg_store_person_get(s, p.id_no, keep_person, &t));
    assert_string_equal(t.v[0], "220502199001011234|passport|赵七|赵六n|||13800000000|220502001|"
                                "新站街1号|220502001|1");
    eg_person_rec q = p;
    q.id_no = "220502199001015678";
    q.juris_code = "2205";
    OK(eg_store_person_put(s, &q, NULL));
    OK(eg_store_person_count(s, &n));
    assert_int_equal(n, 2);
    memset(&t, 0, sizeof t);
    OK(eg_store_person_count_by_juris(s, keep_count, &t));
    assert_int_equal(t.n, 2);
    for (int i = 0; i < t.n; i++)
        assert_int_equal(t.num[i], 1);
    eg_person_rec r = p;
    r.id_no = "X1";
    OK(eg_store_begin(s));
    OK(eg_store_person_put(s, &r, NULL));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_person_get(s, "X1", keep_person, &t), EG_ERR_NOT_FOUND);
    OK(eg_store_person_count(s, &n));
    assert_int_equal(n, 2);
    eg_test_store_close(s);
}

/* ---- audit and import log ---- */

static eg_err keep_audit(void *ctx, const eg_audit_rec *r)
{
    char all[1024], at[EG_TIME_BUFSZ];
    assert_true(r->id > 0);
    snprintf(all, sizeof all, "%s|%s|%s|%s|%s", eg_time_format(r->at, at), r->actor, r->action,
             r->person_pid, r->detail);
    keep(ctx, all, (long)r->id);
    return EG_OK;
}

/* audit_add/each: every field, oldest first, [from, to) window, rollback. */
static void audit_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    texts t = { 0 };
    eg_audit_rec a = { .at = ct_time(2020, 2, 13, 9, 30), .actor = "os:alice", .action = "person.show",
                       .person_pid = "0123456789abcdef", .detail = "via cli" };
    eg_audit_rec b = { .at = ct_time(2020, 2, 13, 8, 0), .actor = "user:bob", .action = "order.list",
                       .person_pid = "", .detail = "" };
    OK(eg_store_audit_add(s, &a));
    OK(eg_store_audit_add(s, &b));
    OK(eg_store_audit_each(s, 0, 0, keep_audit, &t));
    assert_int_equal(t.n, 2);
    assert_string_equal(t.v[0], "2020-02-13 09:30|os:alice|person.show|0123456789abcdef|via cli");
    assert_string_equal(t.v[1], "2020-02-13 08:00|user:bob|order.list||");
    assert_true(t.num[0] < t.num[1]);
    memset(&t, 0, sizeof t);
    OK(eg_store_audit_each(s, ct_time(2020, 2, 13, 8, 0), ct_time(2020, 2, 13, 9, 30), keep_audit, &t));
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0], "2020-02-13 08:00|user:bob|order.list||");
    OK(eg_store_begin(s));
    OK(eg_store_audit_add(s, &a));
    OK(eg_store_rollback(s));
    memset(&t, 0, sizeof t);
    OK(eg_store_audit_each(s, 0, 0, keep_audit, &t));
    assert_int_equal(t.n, 2);
    eg_test_store_close(s);
}

/* import_log_add/count: counts by kind, rollback. */
static void import_log_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    long n = -1;
    eg_import_log_rec r = { .kind = "persons", .file = "p.csv", .at = ct_time(2020, 2, 1, 0, 0),
                            .actor = "os:a", .rows = 10, .imported = 8, .rejected = 1, .warnings = 1 };
    OK(eg_store_import_log_add(s, &r));
    r.kind = "staff";
    OK(eg_store_import_log_add(s, &r));
    OK(eg_store_import_log_add(s, &r));
    OK(eg_store_import_log_count(s, NULL, &n));
    assert_int_equal(n, 3);
    OK(eg_store_import_log_count(s, "staff", &n));
    assert_int_equal(n, 2);
    OK(eg_store_import_log_count(s, "divisions", &n));
    assert_int_equal(n, 0);
    OK(eg_store_begin(s));
    OK(eg_store_import_log_add(s, &r));
    OK(eg_store_rollback(s));
    OK(eg_store_import_log_count(s, "staff", &n));
    assert_int_equal(n, 2);
    eg_test_store_close(s);
}

/* ---- the travel feed ---- */

static eg_err keep_leg(void *ctx, const eg_leg *l)
{
    char all[1024], d1[EG_DATE_BUFSZ], d2[EG_DATE_BUFSZ];
    snprintf(all, sizeof all, "%s|%d|%d|%s|%s|%d|%s|%s|%s|%d|%s|%d|%s|%s|%s|%s", l->id_no, l->id_flag, (int)l->mode,
             l->trip_no, eg_date_format(l->dep_date, d1), l->dep_minute, l->from_code, l->to_code,
             eg_date_format(l->arr_date, d2), l->car, l->seat, l->seat_row, l->name, l->phone, l->from_name,
             l->to_name);
    assert_true(l->line > 0);
    keep(ctx, all, l->line);
    return EG_OK;
}

/* A leg with every field set. */
static eg_leg a_leg(const char *id_no, const char *trip, eg_date dep, short minute)
{
    eg_leg l = { .id_flag = 2, .mode = EG_MODE_TRAIN, .dep_date = dep, .dep_minute = minute,
                 .arr_date = dep + 1, .car = 5, .seat_row = 7, .line = 99 };
    snprintf(l.id_no, sizeof l.id_no, "%s", id_no);
    snprintf(l.trip_no, sizeof l.trip_no, "%s", trip);
    snprintf(l.from_code, sizeof l.from_code, "2205");
    snprintf(l.to_code, sizeof l.to_code, "1101");
    snprintf(l.seat, sizeof l.seat, "07F");
    snprintf(l.name, sizeof l.name, "孙八");
    snprintf(l.phone, sizeof l.phone, "139");
    snprintf(l.from_name, sizeof l.from_name, "通化");
    snprintf(l.to_name, sizeof l.to_name, "北京");
    return l;
}

/* leg_put/each/each_person/stats: every field, the duplicate, both
 * orders, the date window, rollback. */
static void leg_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    texts t = { 0 };
    int dup = -1;
    long n = -1;
    eg_date latest = 0;
    OK(eg_store_leg_stats(s, &n, &latest));
    assert_int_equal(n, 0);
    assert_int_equal(latest, EG_NO_DATE);
    eg_leg a = a_leg("B", "K1", ct_date(2020, 1, 20), 600);
    eg_leg b = a_leg("B", "K0", ct_date(2020, 1, 18), EG_NO_MINUTE);
    eg_leg c = a_leg("A", "K2", ct_date(2020, 1, 22), 60);
    OK(eg_store_leg_put(s, &a, &dup));
    assert_int_equal(dup, 0);
    OK(eg_store_leg_put(s, &b, &dup));
    OK(eg_store_leg_put(s, &c, &dup));
    a.car = 9; /* the same person, trip and date again: a duplicate, nothing changes */
    OK(eg_store_leg_put(s, &a, &dup));
    assert_int_equal(dup, 1);
    OK(eg_store_leg_stats(s, &n, &latest));
    assert_int_equal(n, 3);
    assert_int_equal(latest, ct_date(2020, 1, 22));
    OK(eg_store_leg_each(s, ct_date(2020, 1, 1), ct_date(2020, 1, 31), keep_leg, &t));
    assert_int_equal(t.n, 3);
    assert_string_equal(t.v[0], "A|2|1|K2|2020-01-22|60|2205|1101|2020-01-23|5|07F|7|孙八|139|通化|北京");
    assert_string_equal(t.v[1], "B|2|1|K0|2020-01-18|-32768|2205|1101|2020-01-19|5|07F|7|孙八|139|通化|北京");
    assert_string_equal(t.v[2], "B|2|1|K1|2020-01-20|600|2205|1101|2020-01-21|5|07F|7|孙八|139|通化|北京");
    memset(&t, 0, sizeof t);
    OK(eg_store_leg_each(s, ct_date(2020, 1, 19), ct_date(2020, 1, 20), keep_leg, &t));
    assert_int_equal(t.n, 1);
    assert_non_null(strstr(t.v[0], "|K1|"));
    memset(&t, 0, sizeof t);
    OK(eg_store_leg_each_person(s, "B", keep_leg, &t));
    assert_int_equal(t.n, 2);
    assert_non_null(strstr(t.v[0], "|K0|"));
    assert_non_null(strstr(t.v[1], "|K1|"));
    eg_leg d = a_leg("C", "K3", ct_date(2020, 1, 25), 0);
    OK(eg_store_begin(s));
    OK(eg_store_leg_put(s, &d, &dup));
    OK(eg_store_rollback(s));
    memset(&t, 0, sizeof t);
    OK(eg_store_leg_each_person(s, "C", keep_leg, &t));
    assert_int_equal(t.n, 0);
    OK(eg_store_leg_stats(s, &n, &latest));
    assert_int_equal(n, 3);
    eg_test_store_close(s);
}

static eg_err keep_case_trip(void *ctx, const eg_case_trip *c, const char *original)
{
    char all[1024], d[EG_DATE_BUFSZ];
    snprintf(all, sizeof all, "%s|%d|%zu|%s|%s|%d|%s|%d|%d|%d|%s|%s|%s", eg_date_format(c->date, d), (int)c->mode,
             c->nnos, c->nos[0], c->nnos > 1 ? c->nos[1] : "", c->car, c->seat, c->seat_row, c->unreadable,
             (int)c->status, c->from_name, c->to_name, original);
    keep(ctx, all, c->id);
    return EG_OK;
}

/* case_trip_put/each: every field (codeshare partners too), the duplicate,
 * order by date then number, rollback. */
static void case_trip_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    texts t = { 0 };
    int dup = -1;
    eg_case_trip a = { .date = ct_date(2020, 1, 21), .mode = EG_MODE_FLIGHT, .nnos = 2, .car = 0,
                       .seat_row = 12, .unreadable = 1, .status = EG_CASE_SUSPECTED };
    snprintf(a.nos[0], sizeof a.nos[0], "CA1234");
    snprintf(a.nos[1], sizeof a.nos[1], "MU5678");
    snprintf(a.seat, sizeof a.seat, "12A");
    snprintf(a.from_name, sizeof a.from_name, "武汉");
    snprintf(a.to_name, sizeof a.to_name, "长春");
    eg_case_trip b = { .date = ct_date(2020, 1, 20), .mode = EG_MODE_TRAIN, .nnos = 1, .car = 3,
                       .status = EG_CASE_CONFIRMED };
    snprintf(b.nos[0], sizeof b.nos[0], "G100");
    OK(eg_store_case_trip_put(s, &a, "CA1234/MU5678 12排", &dup));
    assert_int_equal(dup, 0);
    OK(eg_store_case_trip_put(s, &b, "", &dup));
    OK(eg_store_case_trip_put(s, &a, "again", &dup));
    assert_int_equal(dup, 1);
    OK(eg_store_case_trip_each(s, keep_case_trip, &t));
    assert_int_equal(t.n, 2);
    assert_string_equal(t.v[0], "2020-01-20|1|1|G100||3||0|0|1|||");
    assert_string_equal(t.v[1], "2020-01-21|2|2|CA1234|MU5678|0|12A|12|1|2|武汉|长春|CA1234/MU5678 12排");
    eg_case_trip c = b;
    snprintf(c.nos[0], sizeof c.nos[0], "G200");
    OK(eg_store_begin(s));
    OK(eg_store_case_trip_put(s, &c, "", &dup));
    OK(eg_store_rollback(s));
    memset(&t, 0, sizeof t);
    OK(eg_store_case_trip_each(s, keep_case_trip, &t));
    assert_int_equal(t.n, 2);
    eg_test_store_close(s);
}

static eg_err keep_risk(void *ctx, const eg_risk_area *a)
{
    char all[1024], d1[EG_DATE_BUFSZ], d2[EG_DATE_BUFSZ] = "-";
    if (a->valid_to != EG_NO_DATE)
        eg_date_format(a->valid_to, d2);
    snprintf(all, sizeof all, "%s|%s|%s|%s|%s", a->code, a->level, eg_date_format(a->valid_from, d1), d2, a->name);
    assert_true(a->id > 0);
    keep(ctx, all, a->id);
    return EG_OK;
}

/* risk_area_put/each: every field, update of valid_to and name on the same
 * (code, level, valid_from), order by code, rollback. */
static void risk_area_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    texts t = { 0 };
    eg_risk_area a = { .code = "4201", .level = "high", .valid_from = ct_date(2020, 1, 23),
                       .valid_to = EG_NO_DATE, .name = "武汉市" };
    eg_risk_area b = { .code = "2201", .level = "medium", .valid_from = ct_date(2020, 2, 1),
                       .valid_to = ct_date(2020, 2, 20), .name = "长春市" };
    OK(eg_store_risk_area_put(s, &a));
    OK(eg_store_risk_area_put(s, &b));
    a.valid_to = ct_date(2020, 4, 8);
    snprintf(a.name, sizeof a.name, "武汉");
    OK(eg_store_risk_area_put(s, &a));
    OK(eg_store_risk_area_each(s, keep_risk, &t));
    assert_int_equal(t.n, 2);
    assert_string_equal(t.v[0], "2201|medium|2020-02-01|2020-02-20|长春市");
    assert_string_equal(t.v[1], "4201|high|2020-01-23|2020-04-08|武汉");
    eg_risk_area c = b;
    snprintf(c.code, sizeof c.code, "1101");
    OK(eg_store_begin(s));
    OK(eg_store_risk_area_put(s, &c));
    OK(eg_store_rollback(s));
    memset(&t, 0, sizeof t);
    OK(eg_store_risk_area_each(s, keep_risk, &t));
    assert_int_equal(t.n, 2);
    eg_test_store_close(s);
}

/* ---- screening's evidence and requests; the person's last order id ---- */

/* Insert an order of `id_no` in `juris` (the control module's record);
 * returns its id. */
static int64_t put_order(eg_store *s, const char *id_no, const char *juris)
{
    eg_ctl_order r = { .measure = "home_quarantine", .state = "active", .start_date = ct_date(2020, 2, 1),
                       .end_date = ct_date(2020, 2, 15), .rules = "R1", .created_at = ct_time(2020, 2, 1, 8, 0),
                       .updated_at = ct_time(2020, 2, 1, 8, 0), .prior_start = EG_NO_DATE,
                       .prior_end = EG_NO_DATE, .not_before = EG_NO_DATE };
    SET(r.id_no, id_no);
    SET(r.juris_code, juris);
    OK(eg_store_ctl_order_insert(s, &r));
    return r.id;
}

/* order_last_id: not found before any order, the highest id of the
 * person's orders (another person's apart), a rolled-back insert unseen. */
static void order_last_id_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    int64_t last = -1;
    assert_int_equal(eg_store_order_last_id(s, "P1", &last), EG_ERR_NOT_FOUND);
    int64_t id1 = put_order(s, "P1", "220502");
    int64_t id2 = put_order(s, "P2", "220503");
    int64_t id3 = put_order(s, "P1", "2205");
    assert_true(id1 > 0 && id2 > id1 && id3 > id2);
    OK(eg_store_order_last_id(s, "P1", &last));
    assert_int_equal(last, id3);
    OK(eg_store_order_last_id(s, "P2", &last));
    assert_int_equal(last, id2);
    OK(eg_store_begin(s));
    put_order(s, "P1", "2205");
    OK(eg_store_rollback(s));
    OK(eg_store_order_last_id(s, "P1", &last));
    assert_int_equal(last, id3);
    eg_test_store_close(s);
}

/* evidence_add: a new link is added, the same again is not (*added 0);
 * a rolled-back link can be added again. */
static void evidence_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    int added = -1;
    int64_t id = put_order(s, "P1", "2205");
    OK(eg_store_evidence_add(s, "order", id, "leg", 42, &added));
    assert_int_equal(added, 1);
    OK(eg_store_evidence_add(s, "order", id, "leg", 42, &added));
    assert_int_equal(added, 0);
    OK(eg_store_evidence_add(s, "order", id, "case_trip", 42, &added));
    assert_int_equal(added, 1);
    OK(eg_store_evidence_add(s, "request", id, "leg", 42, &added));
    assert_int_equal(added, 1);
    OK(eg_store_begin(s));
    OK(eg_store_evidence_add(s, "order", id, "leg", 43, &added));
    assert_int_equal(added, 1);
    OK(eg_store_rollback(s));
    OK(eg_store_evidence_add(s, "order", id, "leg", 43, &added));
    assert_int_equal(added, 1);
    eg_test_store_close(s);
}

static eg_err keep_request(void *ctx, const eg_request_rec *r)
{
    char all[1024], d1[EG_DATE_BUFSZ], d2[EG_DATE_BUFSZ], t1[EG_TIME_BUFSZ], t2[EG_TIME_BUFSZ];
    assert_int_equal(strlen(r->rid), 16);
    snprintf(all, sizeof all, "%s|%s|%s|%s|%s|%s|%s|%s|%d|%s|%s|%s", r->id_no, r->name, r->measure,
             eg_date_format(r->start_date, d1), eg_date_format(r->end_date, d2), r->rules, r->juris_code,
             r->target_code, r->unlocated, r->state, eg_time_format(r->created_at, t1),
             eg_time_format(r->updated_at, t2));
    keep(ctx, all, (long)r->id);
    return EG_OK;
}

/* request_insert/update/get/count: every field, not found, the duplicate
 * (id_no, juris_code) refused, counts, rollback. */
static void request_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    texts t = { 0 };
    long n = -1;
    int64_t id = 0;
    eg_request_rec r = { .id_no = "P1", .name = "吴一", .measure = "home_quarantine",
                         .start_date = ct_date(2020, 2, 1), .end_date = ct_date(2020, 2, 15), .rules = "R1",
                         .juris_code = "2201", .target_code = "220102", .unlocated = 0, .state = "open",
                         .created_at = ct_time(2020, 2, 1, 8, 0), .updated_at = ct_time(2020, 2, 1, 8, 5) };
    assert_int_equal(eg_store_request_get(s, "P1", "2201", keep_request, &t), EG_ERR_NOT_FOUND);
    OK(eg_store_request_insert(s, &r, &id));
    assert_true(id > 0);
    OK(eg_store_request_get(s, "P1", "2201", keep_request, &t));
    assert_int_equal(t.n, 1);
    assert_int_equal(t.num[0], id);
    assert_string_equal(t.v[0], "P1|吴一|home_quarantine|2020-02-01|2020-02-15|R1|2201|220102|0|open|"
                                "2020-02-01 08:00|2020-02-01 08:05");
    assert_int_equal(eg_store_request_insert(s, &r, NULL), EG_ERR_DB); /* UNIQUE(id_no, juris_code) */
    r.id = id;
    r.name = "吴二";
    r.measure = "central_isolation";
    r.start_date = ct_date(2020, 2, 2);
    r.end_date = ct_date(2020, 2, 16);
    r.rules = "R2";
    r.target_code = "";
    r.unlocated = 1;
    r.state = "closed";
    r.updated_at = ct_time(2020, 2, 2, 9, 0);
    OK(eg_store_begin(s)); /* rolled back: unchanged */
    OK(eg_store_request_update(s, &r));
    OK(eg_store_rollback(s));
    memset(&t, 0, sizeof t);
    OK(eg_store_request_get(s, "P1", "2201", keep_request, &t));
    assert_non_null(strstr(t.v[0], "P1|吴一|home_quarantine|"));
    OK(eg_store_request_update(s, &r));
    memset(&t, 0, sizeof t);
    OK(eg_store_request_get(s, "P1", "2201", keep_request, &t));
    assert_string_equal(t.v[0], "P1|吴二|central_isolation|2020-02-02|2020-02-16|R2|2201||1|closed|"
                                "2020-02-01 08:00|2020-02-02 09:00");
    eg_request_rec q = r;
    q.juris_code = "2202";
    q.unlocated = 0;
    OK(eg_store_request_insert(s, &q, NULL));
    OK(eg_store_request_count(s, -1, &n));
    assert_int_equal(n, 2);
    OK(eg_store_request_count(s, 1, &n));
    assert_int_equal(n, 1);
    OK(eg_store_request_count(s, 0, &n));
    assert_int_equal(n, 1);
    q.juris_code = "2203";
    OK(eg_store_begin(s));
    OK(eg_store_request_insert(s, &q, NULL));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_request_get(s, "P1", "2203", keep_request, &t), EG_ERR_NOT_FOUND);
    eg_test_store_close(s);
}

const struct CMUnitTest contract_core_cases[] = {
    cmocka_unit_test(migrate_contract),
    cmocka_unit_test(meta_and_transactions),
    cmocka_unit_test(division_contract),
    cmocka_unit_test(staff_contract),
    cmocka_unit_test(person_contract),
    cmocka_unit_test(audit_contract),
    cmocka_unit_test(import_log_contract),
    cmocka_unit_test(leg_contract),
    cmocka_unit_test(case_trip_contract),
    cmocka_unit_test(risk_area_contract),
    cmocka_unit_test(order_last_id_contract),
    cmocka_unit_test(evidence_contract),
    cmocka_unit_test(request_contract),
};
const size_t contract_core_ncases = CT_NCASES(contract_core_cases);
