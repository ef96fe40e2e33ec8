/* tests/store/contract_control.c: placeholder. */
#include "contract.h"
static void placeholder_control(void **state) { (void)state; }
const struct CMUnitTest contract_control_cases[] = { cmocka_unit_test(placeholder_control) };
const size_t contract_control_ncases = CT_NCASES(contract_control_cases);
