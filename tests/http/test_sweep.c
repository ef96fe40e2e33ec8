/*
 * tests/http/test_sweep.c: the server runs the daily sweep every
 * --sweep-seconds as at its clock: an order whose end date has come is
 * released while the server runs, and not without the sweep.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "epigrid/store.h"
#include "testutil.h"

/* Run a shell command; its exit status. */
static int sh(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The state of the order of 220502199001010019 in the database (read
 * through the store). */
static void order_state(const char *db, char *out, size_t size)
{
    eg_store *s = NULL;
    eg_ctl_order o;
    assert_int_equal(eg_store_open(db, 0, &s, NULL), EG_OK);
    assert_int_equal(eg_store_ctl_order_get(s, "220502199001010019", NULL, &o), EG_OK);
    snprintf(out, size, "%s", o.state);
    eg_store_close(s);
}

/* Make a database with one home quarantine ending 2020-02-10, serve it at
 * 2020-02-10 12:00 with the given sweep period for about 3 s, stop it. */
static void serve_a_while(const char *name, int sweep_seconds, char *state, size_t size)
{
    char db[512], log[600], cmd[4096];
    tu_path(db, sizeof db, name);
    snprintf(log, sizeof log, "%s.log", db);
    snprintf(cmd, sizeof cmd,
             "rm -f %s %s-wal %s-shm; %s --db %s init >/dev/null 2>&1 && "
             "%s --db %s --now '2020-01-27 10:00' control open --id-no 220502199001010019 "
             "--measure home_quarantine --start 2020-01-27 --juris 220502 >/dev/null 2>&1",
             db, db, db, EG_EPIGRID_BIN, db, EG_EPIGRID_BIN, db);
    assert_int_equal(sh(cmd), 0);
    order_state(db, state, size);
    assert_string_equal(state, "active");
    snprintf(cmd, sizeof cmd,
             "%s --db %s --now '2020-02-10 12:00' serve --listen 127.0.0.1:0 --sweep-seconds %d >%s 2>&1 & "
             "pid=$!; for i in $(seq 1 100); do grep -q 'serving on' %s && break; sleep 0.05; done; "
             "sleep 3; kill -TERM $pid; wait $pid",
             EG_EPIGRID_BIN, db, sweep_seconds, log, log);
    assert_int_equal(sh(cmd), 0);
    order_state(db, state, size);
}

static void sweep_releases_due_orders(void **state)
{
    (void)state;
    char st[32];
    serve_a_while("sweep1.db", 1, st, sizeof st);
    assert_string_equal(st, "released");
}

static void no_sweep_no_release(void **state)
{
    (void)state;
    char st[32];
    serve_a_while("sweep0.db", 0, st, sizeof st);
    assert_string_equal(st, "active");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sweep_releases_due_orders),
        cmocka_unit_test(no_sweep_no_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
