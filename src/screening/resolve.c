/*
 * screening/resolve.c: the responsible division of each result (落地查人)
 * and what the result becomes (spec/screening.md): the registry's
 * address_code; else the to_code of the person's latest leg; else the
 * first six digits of a resident identity number. Inside the city: a
 * local order; outside: an assistance request (协查) to that division;
 * none: an assistance request marked unlocated.
 */
#include <string.h>
#include "epigrid/screening.h"

/* Copy a code, bounded. */
static void put(char *dst, const char *src)
{
    size_t n = strnlen(src, EG_CODE_BUFSZ - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The region of a resident identity number (valid, 18 characters), short
 * form, into out; 0 when there is none. */
static int id_region(const eg_screen_result *r, char *out)
{
    char six[7];
    if (r->id_flag != EG_IDNO_OK || strlen(r->id_no) != 18)
        return 0;
    for (int i = 0; i < 17; i++)
        if (r->id_no[i] < '0' || r->id_no[i] > '9')
            return 0;
    memcpy(six, r->id_no, 6);
    six[6] = '\0';
    return eg_code_short(six, out) == EG_OK;
}

eg_err eg_screen_resolve(eg_screen_results *rs, const eg_screen_city *city,
                         eg_screen_lookup_fn lookup, void *ctx)
{
    if (!rs || !city)
        return EG_ERR_INVALID;
    for (size_t i = 0; i < rs->n; i++) {
        eg_screen_result *r = &rs->v[i];
        char code[EG_CODE_BUFSZ] = "", shortc[EG_CODE_BUFSZ];
        r->division[0] = '\0';
        r->div_source = EG_DIV_NONE;
        if (lookup) {
            eg_err e = lookup(ctx, r->id_no, code, r->name);
            if (e == EG_OK && code[0]) {
                put(r->division, eg_code_short(code, shortc) == EG_OK ? shortc : code);
                r->div_source = EG_DIV_REGISTRY;
            } else if (e != EG_OK && e != EG_ERR_NOT_FOUND) {
                return e;
            }
        }
        if (r->div_source == EG_DIV_NONE && r->latest_to[0]) {
            put(r->division, eg_code_short(r->latest_to, shortc) == EG_OK ? shortc : r->latest_to);
            r->div_source = EG_DIV_LATEST_LEG;
        }
        if (r->div_source == EG_DIV_NONE && id_region(r, shortc)) {
            put(r->division, shortc);
            r->div_source = EG_DIV_ID_REGION;
        }
        if (r->div_source == EG_DIV_NONE)
            r->kind = EG_SCREEN_UNLOCATED;
        else
            r->kind = eg_screen_city_contains(city, r->division) ? EG_SCREEN_ORDER : EG_SCREEN_ASSISTANCE;
    }
    return EG_OK;
}
