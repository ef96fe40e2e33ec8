/* tests/store/contract_server.c: placeholder. */
#include "contract.h"
static void placeholder_server(void **state) { (void)state; }
const struct CMUnitTest contract_server_cases[] = { cmocka_unit_test(placeholder_server) };
const size_t contract_server_ncases = CT_NCASES(contract_server_cases);
