/*
 * tests/store/test_contract.c: the store contract suite (issue 13): every
 * storage operation of EG_STORE_OPERATIONS, on the backend EG_TEST_DB
 * names (tests/helpers/testutil.h): a round trip of every field, the
 * not-found, duplicate and constraint errors it documents, the iteration
 * order it documents, and that a rolled-back change is invisible.
 *
 * The cases live in one part per module (contract_core.c,
 * contract_control.c, contract_facility.c, contract_server.c); this file
 * runs them all in one group and then the coverage check, generated from
 * the operation list: it fails naming every operation no case called.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "contract.h"

/* Fail naming every operation of EG_STORE_OPERATIONS that no case of the
 * suite called (through stores closed with eg_test_store_close), one a
 * line, then their count. */
static void every_operation_called(void **state)
{
    (void)state;
    char names[16384];
    size_t n = eg_test_ops_uncalled(names, sizeof names);
    if (!n)
        return;
    print_error("store operations never called by the contract suite "
                "(add a case to tests/store/contract_<module>.c):\n");
    for (char *name = strtok(names, " "); name; name = strtok(NULL, " "))
        print_error("  %s\n", name);
    fail_msg("%zu of %d store operations never called by the contract suite", n, (int)EG_STORE_OP__COUNT);
}

int main(void)
{
    const struct { const struct CMUnitTest *cases; size_t n; } parts[] = {
        { contract_core_cases, contract_core_ncases },
        { contract_control_cases, contract_control_ncases },
        { contract_facility_cases, contract_facility_ncases },
        { contract_server_cases, contract_server_ncases },
    };
    size_t total = 1, k = 0;
    int rc;
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
        total += parts[p].n;
    struct CMUnitTest *all = calloc(total, sizeof *all);
    if (!all)
        return 1;
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
        for (size_t i = 0; i < parts[p].n; i++)
            all[k++] = parts[p].cases[i];
    all[k++] = (struct CMUnitTest)cmocka_unit_test(every_operation_called);
    rc = _cmocka_run_group_tests("store_contract", all, k, NULL, NULL);
    free(all);
    return rc;
}
