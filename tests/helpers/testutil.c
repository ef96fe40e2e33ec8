/*
 * tests/helpers/testutil.c: see testutil.h.
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

eg_store *tu_store_new(const char *name)
{
    char path[512], side[600];
    eg_store *s = NULL;
    tu_path(path, sizeof path, name);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    assert_int_equal(eg_store_open(path, 0, &s, NULL), EG_OK);
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
