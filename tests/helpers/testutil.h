/*
 * tests/helpers/testutil.h: small helpers shared by the tests: temporary
 * files, a fresh store with the bundled division tree, running the program.
 */
#ifndef EG_TESTUTIL_H
#define EG_TESTUTIL_H

#include <stddef.h>
#include "epigrid/store.h"
#include "epigrid/import.h"

/* A path under EG_TEST_TMPDIR unique to this process: NAME prefixed with
 * the test program's pid. Writes into buf (size bytes). Returns buf. */
char *tu_path(char *buf, size_t size, const char *name);

/* Write `content` to `path` (fails the test on error). */
void tu_write(const char *path, const char *content);

/* Read a whole file into a malloc'ed NUL-terminated string (caller frees);
 * NULL when it cannot be read. */
char *tu_read(const char *path);

/* Open a new store at a fresh temporary path (removed first). */
eg_store *tu_store_new(const char *name);

/* Import the bundled Tonghua tree into `s` (fails the test on error). */
void tu_load_bundled_tree(eg_store *s);

/* Import options that count messages, with now = 2020-02-01 00:00. */
eg_import_opts tu_opts(void);

/* Run the epigrid program with `args` (a shell fragment), stdout and
 * stderr to `out_path` (may be NULL: /dev/null). Returns its exit code. */
int tu_run(const char *args, const char *out_path);

#endif
