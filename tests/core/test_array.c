/*
 * tests/core/test_array.c: growable arrays: values kept across growth,
 * room doubled only when full.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "epigrid/array.h"

typedef struct rec { long id; char tag[12]; } rec;

static void push_keeps_values(void **state)
{
    (void)state;
    rec *v = NULL;
    size_t n = 0, cap = 0;
    for (long i = 0; i < 1000; i++) {
        rec r = { i * 7, "x" };
        assert_int_equal(eg_array_push(&v, &n, &cap, sizeof *v, &r), EG_OK);
    }
    assert_int_equal(n, 1000);
    assert_int_equal(cap, 1024);          /* 16 doubled six times */
    for (long i = 0; i < 1000; i++)
        assert_int_equal(v[i].id, i * 7);
    free(v);
}

static void grow_only_when_full(void **state)
{
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(eg_array_grow(&v, 0, &cap, sizeof *v), EG_OK);
    assert_int_equal(cap, 16);
    int *before = v;
    assert_int_equal(eg_array_grow(&v, 15, &cap, sizeof *v), EG_OK);
    assert_ptr_equal(v, before);           /* room left: nothing moves */
    assert_int_equal(cap, 16);
    assert_int_equal(eg_array_grow(&v, 16, &cap, sizeof *v), EG_OK);
    assert_int_equal(cap, 32);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(push_keeps_values),
        cmocka_unit_test(grow_only_when_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
