/*
 * tests/helpers/testutil.c: see testutil.h. The tally of store operation
 * calls and the store counter are per test program (a test program is one
 * process run by CTest), so they are the only state kept here.
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
#include "epigrid/juris.h"
#include "epigrid/text.h"
#include "testutil.h"

char *tu_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%ld-%s", EG_TEST_TMPDIR, (long)getpid(), name);
    return buf;
}

void tu_write(const char *path, const char *content)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
    assert_int_equal(fclose(f), 0);
}

char *tu_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = 0;
    fclose(f);
    return buf;
}

/* Calls of every store operation by the stores closed so far, and how
 * many stores eg_test_store_open has made (for unique names). */
static unsigned long op_tally[EG_STORE_OP__COUNT];
static unsigned long stores_made;

/* The targets of the stores eg_test_store_open made that are still open
 * (for eg_test_store_reopen); a free slot has s NULL. */
#define TU_OPEN_MAX 16
static struct {
    eg_store *s;
    char target[1024];
} opened[TU_OPEN_MAX];

/* 1 if `target` names a PostgreSQL database. */
static int is_postgres(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

char *eg_test_db_target(char *buf, size_t size, const char *name)
{
    const char *db = getenv("EG_TEST_DB");
    char side[600];
    if (db && *db && is_postgres(db)) {
        /*
         * PostgreSQL: TO BE FILLED IN by the PostgreSQL issue. A fresh
         * schema per store, so that tests never see each other's rows:
         * connect to `db`, CREATE SCHEMA "eg_test_<pid>_<name>" (name made
         * an identifier: [a-z0-9_]), after DROP SCHEMA ... CASCADE of a
         * leftover, and write into buf the URL that opens the store inside
         * it, e.g. db + "?options=-csearch_path%3Deg_test_<pid>_<name>"
         * (or whatever target syntax eg_store_open then accepts for a
         * schema). eg_test_store_close should drop the schema again.
         * Until then the URL is passed through as it is, and
         * eg_store_open answers EG_ERR_UNSUPPORTED.
         */
        snprintf(buf, size, "%s", db);
        return buf;
    }
    if (db && *db && strcmp(db, "sqlite") != 0) {
        buf[0] = 0; /* an unknown backend: eg_store_open refuses "" (EG_ERR_INVALID) */
        return buf;
    }
    tu_path(buf, size, name);
    unlink(buf);
    snprintf(side, sizeof side, "%s-wal", buf);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", buf);
    unlink(side);
    return buf;
}

eg_err eg_test_store_open(eg_store **out)
{
    char name[64], target[1024];
    eg_err e;
    snprintf(name, sizeof name, "store-%lu.db", ++stores_made);
    e = eg_store_open(eg_test_db_target(target, sizeof target, name), 0, out, NULL);
    for (int i = 0; !e && i < TU_OPEN_MAX; i++) {
        if (!opened[i].s) {
            opened[i].s = *out;
            snprintf(opened[i].target, sizeof opened[i].target, "%s", target);
            break;
        }
    }
    return e;
}

eg_err eg_test_store_reopen(eg_store *s, eg_store **out)
{
    *out = NULL;
    for (int i = 0; s && i < TU_OPEN_MAX; i++) {
        /* SQLite: the same file (its WAL lets the second handle read what
         * the first committed). PostgreSQL: the same URL, so a second
         * connection whose search_path is the first's schema; only the
         * first handle's eg_test_store_close may drop that schema. */
        if (opened[i].s == s)
            return eg_store_open(opened[i].target, 0, out, NULL);
    }
    return EG_ERR_NOT_FOUND;
}

void eg_test_store_close(eg_store *s)
{
    if (!s)
        return;
    for (int i = 0; i < TU_OPEN_MAX; i++) {
        if (opened[i].s == s)
            opened[i].s = NULL;
    }
    for (int op = 0; op < EG_STORE_OP__COUNT; op++)
        op_tally[op] += eg_store_op_calls(s, (eg_store_op)op);
    eg_store_close(s);
}

size_t eg_test_ops_uncalled(char *buf, size_t size)
{
    size_t n = 0, len = 0;
    if (size)
        buf[0] = 0;
    for (int op = 0; op < EG_STORE_OP__COUNT; op++) {
        if (op_tally[op])
            continue;
        n++;
        if (len < size) {
            int w = snprintf(buf + len, size - len, "%s%s", len ? " " : "", eg_store_op_name((eg_store_op)op));
            len += w > 0 ? (size_t)w : 0;
        }
    }
    if (len >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    return n;
}

eg_store *tu_store_new(const char *name)
{
    char target[1024];
    eg_store *s = NULL;
    assert_int_equal(eg_store_open(eg_test_db_target(target, sizeof target, name), 0, &s, NULL), EG_OK);
    return s;
}

eg_import_opts tu_opts(void)
{
    eg_import_opts o = { 0 };
    eg_date d;
    eg_date_from_ymd(2020, 2, 1, &d);
    eg_time_from_parts(d, 0, 0, &o.now);
    o.actor = "test";
    return o;
}

void tu_load_bundled_tree(eg_store *s)
{
    eg_normalizer *n = NULL;
    eg_import_result res;
    eg_import_opts o = tu_opts();
    assert_int_equal(eg_normalizer_new(&n), EG_OK);
    assert_int_equal(eg_juris_import(s, n, EG_DATADIR "/real/tonghua_admin_divisions_2019.csv",
                                     &o, &res, NULL), EG_OK);
    assert_int_equal(res.rejected, 0);
    eg_normalizer_free(n);
}

int tu_run(const char *args, const char *out_path)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>&1", EG_EPIGRID_BIN, args, out_path ? out_path : "/dev/null");
    st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

eg_time tu_time(const char *text)
{
    eg_time t;
    assert_int_equal(eg_time_parse(text, &t), EG_OK);
    return t;
}

eg_date tu_date(const char *text)
{
    eg_date d;
    assert_int_equal(eg_date_parse(text, &d), EG_OK);
    return d;
}

const char *tu_person(eg_store *s, int seq, const char *juris, char *buf)
{
    eg_person_rec p = { 0 };
    eg_date birth = tu_date("1980-05-05");
    assert_int_equal(eg_idno_make("220502", birth, seq, buf), EG_OK);
    p.id_no = buf;
    p.doc_type = "resident_id";
    p.name = "张三";
    p.name_norm = "张三";
    p.sex = seq % 2 ? "M" : "F";
    p.birth_date = birth;
    p.phone = "13800000000";
    p.address_code = juris;
    p.address = "东昌区 测试路 1 号";
    p.juris_code = juris;
    assert_int_equal(eg_store_person_put(s, &p, NULL), EG_OK);
    return buf;
}
