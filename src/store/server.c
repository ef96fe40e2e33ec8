/*
 * store/server.c: the scope rule the server's scoped reads follow
 * (eg_scope_contains), the same rule the backends' queries apply.
 */
#include <string.h>
#include "epigrid/store.h"

/* 1 if `code` lies in prefix `p` by its characters (the rule of the
 * queries: equal, or a longer code starting with p). */
static int has_prefix(const char *code, const char *p)
{
    return strncmp(code, p, strlen(p)) == 0;
}

int eg_scope_contains(const eg_scope *sc, const char *code)
{
    if (!sc->code[0])
        return 1;
    if (sc->exact ? strcmp(code, sc->code) != 0 : !has_prefix(code, sc->code))
        return 0;
    for (int i = 0; i < sc->n_exclude; i++)
        if (sc->exclude[i][0] && has_prefix(code, sc->exclude[i]))
            return 0;
    return 1;
}
