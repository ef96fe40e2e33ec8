/*
 * epigrid/array.h: growable arrays of plain records.
 *
 * The one helper behind the many "copy each record the store calls back
 * with into a list" loops: the array is a pointer, a count and a capacity
 * owned by the caller (free() the pointer when done); the room doubles
 * (from 16) when full.
 */
#ifndef EPIGRID_ARRAY_H
#define EPIGRID_ARRAY_H

#include <stddef.h>
#include "epigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Make room for one more element of `size` bytes in the array whose
 * pointer is at `vp` (the address of a T * variable), holding n elements
 * with room for *cap. On success the pointer may have moved.
 * Returns EG_OK, or EG_ERR_NOMEM with the array unchanged.
 */
eg_err eg_array_grow(void *vp, size_t n, size_t *cap, size_t size);

/*
 * Append a copy of the `size` bytes at `item` to the array at `vp` (see
 * eg_array_grow), counting it in *n. Returns EG_OK, or EG_ERR_NOMEM with
 * the array unchanged.
 */
eg_err eg_array_push(void *vp, size_t *n, size_t *cap, size_t size, const void *item);

#ifdef __cplusplus
}
#endif
#endif
