/*
 * core/array.c: growable arrays of plain records (see epigrid/array.h).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "epigrid/array.h"

eg_err eg_array_grow(void *vp, size_t n, size_t *cap, size_t size)
{
    void *v;
    assert(vp != NULL && cap != NULL && size > 0 && n <= *cap);
    if (n < *cap)
        return EG_OK;
    size_t nc = *cap ? *cap * 2 : 16;
    memcpy(&v, vp, sizeof v);
    v = realloc(v, nc * size);
    if (!v)
        return EG_ERR_NOMEM;
    memcpy(vp, &v, sizeof v);
    *cap = nc;
    return EG_OK;
}

eg_err eg_array_push(void *vp, size_t *n, size_t *cap, size_t size, const void *item)
{
    char *v;
    eg_err e = eg_array_grow(vp, *n, cap, size);
    if (e)
        return e;
    memcpy(&v, vp, sizeof v);
    memcpy(v + *n * size, item, size);
    (*n)++;
    return EG_OK;
}
