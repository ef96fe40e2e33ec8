/*
 * screening/city.c: the city a screening is for, as a node of the
 * jurisdiction tree: its own code and its county-level units. A code lies
 * in the city when it lies in one of the units or is the city's own code
 * (spec/screening.md), so Meihekou (220581), whose code is under Tonghua's
 * but which the province administers, is not in Tonghua.
 */
#include <string.h>
#include "epigrid/screening.h"

/* Copy a short code into a unit slot. */
static void put_code(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n >= EG_CODE_BUFSZ)
        n = EG_CODE_BUFSZ - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

eg_err eg_screen_city_from_node(const eg_juris_node *node, eg_screen_city *out)
{
    if (!node || !out)
        return EG_ERR_INVALID;
    if (node->nchildren > EG_SCREEN_MAX_UNITS)
        return EG_ERR_RANGE;
    memset(out, 0, sizeof *out);
    put_code(out->code, node->code);
    for (size_t i = 0; i < node->nchildren; i++)
        put_code(out->units[i], node->children[i]->code);
    out->nunits = node->nchildren;
    return EG_OK;
}

eg_err eg_screen_city_from_codes(const char *code, const char *const *units, size_t nunits,
                                 eg_screen_city *out)
{
    if (!code || !out || (nunits && !units))
        return EG_ERR_INVALID;
    if (nunits > EG_SCREEN_MAX_UNITS)
        return EG_ERR_RANGE;
    memset(out, 0, sizeof *out);
    if (eg_code_short(code, out->code))
        return EG_ERR_INVALID;
    for (size_t i = 0; i < nunits; i++)
        if (!units[i] || eg_code_short(units[i], out->units[i]))
            return EG_ERR_INVALID;
    out->nunits = nunits;
    return EG_OK;
}

int eg_screen_city_contains(const eg_screen_city *city, const char *code)
{
    if (!code[0])
        return 0;
    if (strcmp(code, city->code) == 0)
        return 1;
    for (size_t i = 0; i < city->nunits; i++) {
        const char *u = city->units[i];
        /* cheap first-byte test before the full prefix test */
        if (u[0] == code[0] && u[1] == code[1] && eg_code_lies_in(code, u))
            return 1;
    }
    return 0;
}
