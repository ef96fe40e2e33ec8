/* tests/store/contract_facility.c: placeholder. */
#include "contract.h"
static void placeholder_facility(void **state) { (void)state; }
const struct CMUnitTest contract_facility_cases[] = { cmocka_unit_test(placeholder_facility) };
const size_t contract_facility_ncases = CT_NCASES(contract_facility_cases);
