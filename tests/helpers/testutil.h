/*
 * tests/helpers/testutil.h: small helpers shared by the tests: temporary
 * files, a fresh store on the backend the environment names (EG_TEST_DB)
 * with the coverage tally of the store contract suite, the bundled
 * division tree, running the program.
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

/*
 * The backend of a test: the environment variable EG_TEST_DB.
 *   unset, "" or "sqlite"   a fresh SQLite file per store under EG_TEST_TMPDIR
 *   postgresql://... (or postgres://...)   a fresh schema per store in that
 *                           database (see eg_test_db_target)
 *   anything else           refused (the store does not open)
 * The same tests run unchanged on either.
 */

/* A fresh target for a store named `name` (unique within the test program)
 * on the backend EG_TEST_DB names, written into buf (size bytes): an SQLite
 * path whose file and -wal/-shm side files are removed, or a PostgreSQL URL
 * ("" for an unknown backend). Returns buf. */
char *eg_test_db_target(char *buf, size_t size, const char *name);

/* Open a fresh, empty store, migrated to the latest schema, on the backend
 * EG_TEST_DB names (each call a new database). Returns eg_store_open's
 * code (EG_ERR_UNSUPPORTED for PostgreSQL until that backend is built);
 * *out is NULL on failure. Close with eg_test_store_close. */
eg_err eg_test_store_open(eg_store **out);

/* Open a second handle `*out` on the database of `s`, a store that
 * eg_test_store_open made and that is still open (not a fresh one: it sees
 * what `s` commits). Close it with eg_test_store_close before or after s.
 * Returns eg_store_open's code, or EG_ERR_NOT_FOUND when s was not made by
 * eg_test_store_open (or is closed); *out is NULL on failure. */
eg_err eg_test_store_reopen(eg_store *s, eg_store **out);

/* Add the per-operation call counts of `s` to this program's tally (see
 * eg_test_ops_uncalled), then close it. NULL is fine. */
void eg_test_store_close(eg_store *s);

/* The operations of EG_STORE_OPERATIONS no store closed with
 * eg_test_store_close has called: their names, separated by spaces, in
 * buf (size bytes, truncated with "..."). Returns how many. */
size_t eg_test_ops_uncalled(char *buf, size_t size);

/* Open a new store at a fresh target on the backend EG_TEST_DB names
 * (eg_test_db_target); fails the test when it cannot. */
eg_store *tu_store_new(const char *name);

/* Import the bundled Tonghua tree into `s` (fails the test on error). */
void tu_load_bundled_tree(eg_store *s);

/* Import options that count messages, with now = 2020-02-01 00:00. */
eg_import_opts tu_opts(void);

/* Run the epigrid program with `args` (a shell fragment), stdout and
 * stderr to `out_path` (may be NULL: /dev/null). Returns its exit code. */
int tu_run(const char *args, const char *out_path);

/* A moment from "YYYY-MM-DD HH:MM" and a date from "YYYY-MM-DD" (fail the
 * test on a bad text). */
eg_time tu_time(const char *text);
eg_date tu_date(const char *text);

/* Register person number `seq` (a valid resident id of 东昌区 220502, born
 * 1980-05-05, 张三, phone 13800000000) living in `juris` (its address code
 * too); the id_no into buf (EG_IDNO_BUFSZ). Fails the test on error. */
const char *tu_person(eg_store *s, int seq, const char *juris, char *buf);

#endif
