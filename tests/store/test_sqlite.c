/*
 * tests/store/test_sqlite.c: the SQLite backend's own tests, the only
 * tests that open SQLite directly: forward migrations on an existing
 * database, refusal of a newer schema, transactions, the append-only
 * audit log, backend selection, evidence kept once, and a process killed
 * in the middle of a transaction leaving an intact file. It always runs
 * on SQLite files, whatever EG_TEST_DB says; the behaviour every backend
 * shares is the contract suite's (test_contract.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sqlite3.h>
#include <cmocka.h>
#include "epigrid/store.h"
#include "testutil.h"

static eg_division_rec div(const char *code, const char *name)
{
    eg_division_rec r = { .code = code, .name = name, .name_norm = name, .level = EG_LEVEL_CITY,
                          .parent_code = "22", .administered_by = "", .unit_type = "" };
    return r;
}

/* A new SQLite store at the fresh temporary path of `name` (removed
 * first, with its -wal and -shm files); its path to path (512 bytes). */
static eg_store *sqlite_new(const char *name, char *path)
{
    char side[600];
    eg_store *s = NULL;
    tu_path(path, 512, name);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    assert_int_equal(eg_store_open(path, 0, &s, NULL), EG_OK);
    return s;
}

/* The first column of the first row of `sql` on the file `path`, as a
 * number. */
static long sql_long(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* A database made at schema 1 keeps its data when migrated to the latest. */
static void migrate_existing_database(void **state)
{
    (void)state;
    char path[512];
    eg_store *s = NULL;
    long n = -1;
    tu_path(path, sizeof path, "migrate.db");
    unlink(path);
    assert_int_equal(eg_store_open(path, 1, &s, NULL), EG_OK);
    assert_int_equal(eg_store_schema_version(s), 1);
    eg_division_rec r = div("2205", "通化市");
    assert_int_equal(eg_store_division_put(s, &r), EG_OK);
    /* the import log does not exist at version 1 */
    assert_int_equal(eg_store_import_log_count(s, NULL, &n), EG_ERR_DB);
    eg_store_close(s);

    assert_int_equal(eg_store_open(path, 0, &s, NULL), EG_OK);
    assert_int_equal(eg_store_schema_version(s), EG_SCHEMA_VERSION);
    assert_int_equal(eg_store_division_count(s, &n), EG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(eg_store_import_log_count(s, NULL, &n), EG_OK);
    assert_int_equal(n, 0);
    /* migrating again is a no-op */
    assert_int_equal(eg_store_migrate(s, 0, NULL), EG_OK);
    assert_int_equal(eg_store_schema_version(s), EG_SCHEMA_VERSION);
    eg_store_close(s);
}

/* A database written by a newer EpiGrid is refused, not damaged. */
static void newer_schema_refused(void **state)
{
    (void)state;
    char path[512];
    sqlite3 *db;
    eg_store *s = NULL;
    eg_diag d;
    tu_path(path, sizeof path, "newer.db");
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(eg_store_open(path, 0, &s, &d), EG_ERR_SCHEMA);
    assert_null(s);
    assert_non_null(strstr(d.reason, "99"));
}

/* Rolled back work leaves nothing; committed work stays. */
static void transactions(void **state)
{
    (void)state;
    char path[512];
    eg_store *s = sqlite_new("tx.db", path);
    long n = -1;
    eg_division_rec a = div("2205", "通化市"), b = div("2201", "长春市");
    assert_int_equal(eg_store_begin(s), EG_OK);
    assert_int_equal(eg_store_begin(s), EG_ERR_STATE);
    assert_int_equal(eg_store_division_put(s, &a), EG_OK);
    assert_int_equal(eg_store_rollback(s), EG_OK);
    assert_int_equal(eg_store_division_count(s, &n), EG_OK);
    assert_int_equal(n, 0);
    assert_int_equal(eg_store_begin(s), EG_OK);
    assert_int_equal(eg_store_division_put(s, &b), EG_OK);
    assert_int_equal(eg_store_commit(s), EG_OK);
    assert_int_equal(eg_store_division_count(s, &n), EG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(eg_store_commit(s), EG_ERR_STATE);
    eg_store_close(s);
}

static eg_err count_audit(void *ctx, const eg_audit_rec *r)
{
    (*(int *)ctx)++;
    assert_string_equal(r->actor, "os:tester");
    assert_string_equal(r->action, "person.show");
    char buf[EG_TIME_BUFSZ];
    assert_string_equal(eg_time_format(r->at, buf), "2020-02-13 09:30");
    return EG_OK;
}

/* The audit log accepts appends and refuses updates and deletes. */
static void audit_append_only(void **state)
{
    (void)state;
    char path[512];
    eg_store *s = NULL;
    sqlite3 *db;
    eg_time at;
    int n = 0;
    tu_path(path, sizeof path, "audit.db");
    unlink(path);
    assert_int_equal(eg_store_open(path, 0, &s, NULL), EG_OK);
    assert_int_equal(eg_time_parse("2020-02-13 09:30", &at), EG_OK);
    eg_audit_rec r = { .at = at, .actor = "os:tester", .action = "person.show",
                       .person_pid = "abcd", .detail = "" };
    assert_int_equal(eg_store_audit_add(s, &r), EG_OK);
    assert_int_equal(eg_store_audit_each(s, 0, 0, count_audit, &n), EG_OK);
    assert_int_equal(n, 1);
    eg_store_close(s);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET actor = 'x'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* WAL mode is on; a PostgreSQL URL is not built into this store yet. */
static void backend_selection(void **state)
{
    (void)state;
    eg_store *s = NULL;
    eg_diag d;
    char path[512];
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(eg_store_open("postgres://localhost/epigrid", 0, &s, &d), EG_ERR_UNSUPPORTED);
    assert_null(s);
    s = sqlite_new("wal.db", path);
    assert_string_equal(eg_store_backend(s), "sqlite");
    eg_store_close(s);
    assert_int_equal(sqlite3_open(tu_path(path, sizeof path, "wal.db"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* An evidence link added twice is one row (screening adds its evidence
 * again on every run). */
static void evidence_once(void **state)
{
    (void)state;
    char path[512];
    eg_store *s = sqlite_new("evidence.db", path);
    int added = -1;
    assert_int_equal(eg_store_evidence_add(s, "order", 1, "leg", 7, &added), EG_OK);
    assert_int_equal(added, 1);
    assert_int_equal(eg_store_evidence_add(s, "order", 1, "leg", 7, &added), EG_OK);
    assert_int_equal(added, 0);
    assert_int_equal(eg_store_evidence_add(s, "order", 1, "case_trip", 7, &added), EG_OK);
    eg_store_close(s);
    assert_int_equal(sql_long(path, "SELECT count(*) FROM evidence"), 2);
    assert_int_equal(sql_long(path, "SELECT count(*) FROM evidence WHERE kind = 'leg'"), 1);
}

/* A process killed (SIGKILL) in the middle of a transaction leaves the
 * file intact (integrity_check ok) and none of the transaction's rows. */
static void kill_mid_transaction(void **state)
{
    (void)state;
    char path[512];
    eg_store *s = sqlite_new("kill.db", path);
    eg_store_close(s);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        eg_store *c = NULL;
        char code[16];
        if (eg_store_open(path, 0, &c, NULL) || eg_store_begin(c))
            _exit(1);
        for (int i = 0; i < 20000; i++) {
            snprintf(code, sizeof code, "22%06d", i);
            eg_division_rec r = div(code, "x");
            if (eg_store_division_put(c, &r))
                _exit(1);
        }
        raise(SIGKILL);
        _exit(1);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_int_equal(sql_long(path, "SELECT count(*) FROM division"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrate_existing_database),
        cmocka_unit_test(newer_schema_refused),
        cmocka_unit_test(transactions),
        cmocka_unit_test(audit_append_only),
        cmocka_unit_test(backend_selection),
        cmocka_unit_test(evidence_once),
        cmocka_unit_test(kill_mid_transaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
