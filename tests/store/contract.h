/*
 * tests/store/contract.h: shared pieces of the store contract suite
 * (test_contract.c and its parts contract_*.c, one per module of
 * EG_STORE_OPERATIONS).
 *
 * Every case opens a fresh store with eg_test_store_open (the backend
 * EG_TEST_DB names) and closes it with eg_test_store_close, which adds the
 * handle's per-operation call counts to the program's tally; the last
 * case of the program fails naming every operation no case called.
 *
 * Adding a case: write `static void name(void **state)` in the part of its
 * module and add `cmocka_unit_test(name)` to that part's case list
 * (contract_<module>_cases).
 */
#ifndef EG_CONTRACT_H
#define EG_CONTRACT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/store.h"
#include "testutil.h"

/* Assert that an expression returns EG_OK. */
#define OK(x) assert_int_equal((x), EG_OK)

/* The date y-m-d (fails the test when invalid). */
static inline eg_date ct_date(int y, int m, int d)
{
    eg_date out = 0;
    assert_int_equal(eg_date_from_ymd(y, m, d, &out), EG_OK);
    return out;
}

/* The moment y-m-d h:mi (China Standard Time). */
static inline eg_time ct_time(int y, int m, int d, int h, int mi)
{
    eg_time out = 0;
    assert_int_equal(eg_time_from_parts(ct_date(y, m, d), h, mi, &out), EG_OK);
    return out;
}

/* A fresh store on the backend of EG_TEST_DB (fails the test, saying
 * why, when it cannot be opened). */
static inline eg_store *ct_open(void)
{
    eg_store *s = NULL;
    eg_err e = eg_test_store_open(&s);
    if (e) {
        const char *db = getenv("EG_TEST_DB");
        fail_msg("cannot open a test store (EG_TEST_DB=\"%s\"): %s", db ? db : "", eg_strerror(e));
    }
    return s;
}

/* Assert that field `f` of records *a and *b is the same (text or number). */
#define EQS(a, b, f) assert_string_equal((a)->f, (b)->f)
#define EQI(a, b, f) assert_int_equal((a)->f, (b)->f)

/* Copy text into an inline buffer field. */
#define SET(buf, text) snprintf((buf), sizeof(buf), "%s", (text))

/* The case lists of the parts, and their lengths. */
extern const struct CMUnitTest contract_core_cases[];
extern const size_t contract_core_ncases;
extern const struct CMUnitTest contract_control_cases[];
extern const size_t contract_control_ncases;
extern const struct CMUnitTest contract_facility_cases[];
extern const size_t contract_facility_ncases;
extern const struct CMUnitTest contract_server_cases[];
extern const size_t contract_server_ncases;

/* Length of a case list (for the parts' contract_<module>_ncases). */
#define CT_NCASES(list) (sizeof(list) / sizeof((list)[0]))

#endif
