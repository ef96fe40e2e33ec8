/*
 * screening/keys.c: packing people and places into 64-bit values, so that
 * the engine keeps 32 bytes a leg and sorts integers instead of strings.
 *
 * A resident identity number (GB 11643-1999: 17 digits and a check
 * character) packs losslessly and in byte order into 61 bits; other
 * document numbers (passports, mangled numbers) are interned in a POSIX
 * tsearch tree and get dense indexes. Division codes of up to 12 digits
 * pack as length and value; grid codes are interned.
 */
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include "epigrid/array.h"
#include "screening/internal.h"

/* Compare two interned strings for tsearch. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

eg_err eg_intern_get(eg_intern *t, const char *s, uint32_t *idx)
{
    void *found = t->root ? tfind(s, &t->root, cmp_str) : NULL;
    if (found) {
        /* the tree holds pointers to strings that start with their index */
        const char *p = *(char *const *)found;
        uint32_t v;
        memcpy(&v, p - sizeof v, sizeof v);
        *idx = v;
        return EG_OK;
    }
    if (t->n == t->cap &&
        eg_array_grow(&t->strs, t->n, &t->cap, sizeof *t->strs))
        return EG_ERR_NOMEM;
    size_t len = strlen(s);
    uint32_t v = (uint32_t)t->n;
    char *block = malloc(sizeof v + len + 1);
    if (!block)
        return EG_ERR_NOMEM;
    memcpy(block, &v, sizeof v);
    memcpy(block + sizeof v, s, len + 1);
    if (!tsearch(block + sizeof v, &t->root, cmp_str)) {
        free(block);
        return EG_ERR_NOMEM;
    }
    t->strs[t->n++] = block + sizeof v;
    *idx = v;
    return EG_OK;
}

void eg_intern_free(eg_intern *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        tdelete(t->strs[i], &t->root, cmp_str);
        free(t->strs[i] - sizeof(uint32_t));
    }
    free(t->strs);
    memset(t, 0, sizeof *t);
}

/* 1 if s has the shape of a resident identity number. */
static int id_shaped(const char *s)
{
    for (int i = 0; i < 17; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return ((s[17] >= '0' && s[17] <= '9') || s[17] == 'X') && s[18] == '\0';
}

int eg_key_resident(const char *id_no, uint64_t *key)
{
    if (strlen(id_no) != 18 || !id_shaped(id_no))
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < 17; i++)
        v = v * 10 + (uint64_t)(id_no[i] - '0');
    *key = v * 11 + (uint64_t)(id_no[17] == 'X' ? 10 : id_no[17] - '0');
    return 1;
}

eg_err eg_key_pack(eg_intern *t, const char *id_no, uint64_t *key)
{
    if (eg_key_resident(id_no, key))
        return EG_OK;
    uint32_t idx;
    eg_err e = eg_intern_get(t, id_no, &idx);
    if (e)
        return e;
    *key = EG_KEY_OTHER | idx;
    return EG_OK;
}

void eg_key_unpack(const eg_intern *t, uint64_t key, char *out)
{
    if (key & EG_KEY_OTHER) {
        const char *s = t->strs[key & 0xffffffffu];
        size_t n = strlen(s);
        if (n >= EG_DOCNO_BUFSZ)
            n = EG_DOCNO_BUFSZ - 1;
        memcpy(out, s, n);
        out[n] = '\0';
        return;
    }
    uint64_t check = key % 11, v = key / 11;
    out[17] = check == 10 ? 'X' : (char)('0' + check);
    for (int i = 16; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    out[18] = '\0';
}

#define CODE_LEN_SHIFT 40
#define CODE_OTHER_LEN 15u

eg_err eg_code_pack(eg_intern *t, const char *code, uint64_t *out)
{
    size_t len = 0;
    uint64_t v = 0;
    while (code[len] >= '0' && code[len] <= '9' && len < 13) {
        v = v * 10 + (uint64_t)(code[len] - '0');
        len++;
    }
    if (code[len] == '\0' && len <= 12) {
        *out = ((uint64_t)len << CODE_LEN_SHIFT) | v;
        return EG_OK;
    }
    uint32_t idx;
    eg_err e = eg_intern_get(t, code, &idx);
    if (e)
        return e;
    *out = ((uint64_t)CODE_OTHER_LEN << CODE_LEN_SHIFT) | idx;
    return EG_OK;
}

void eg_code_unpack(const eg_intern *t, uint64_t v, char *out)
{
    unsigned len = (unsigned)(v >> CODE_LEN_SHIFT);
    uint64_t x = v & ((UINT64_C(1) << CODE_LEN_SHIFT) - 1);
    if (len == CODE_OTHER_LEN) {
        const char *s = t->strs[x];
        size_t n = strlen(s);
        if (n >= EG_CODE_BUFSZ)
            n = EG_CODE_BUFSZ - 1;
        memcpy(out, s, n);
        out[n] = '\0';
        return;
    }
    for (unsigned i = len; i-- > 0;) {
        out[i] = (char)('0' + x % 10);
        x /= 10;
    }
    out[len] = '\0';
}

/* Bits of a digit of the radix sort: six passes cover 64 bits, and the
 * 2048 counters of a pass stay in the first-level cache. */
#define RADIX_BITS 11
#define RADIX (1u << RADIX_BITS)
#define RADIX_PASSES ((64 + RADIX_BITS - 1) / RADIX_BITS)

eg_err eg_pleg_sort(eg_pleg *v, size_t n)
{
    if (n < 2)
        return EG_OK;
    size_t (*count)[RADIX] = calloc(RADIX_PASSES, sizeof *count);
    if (!count)
        return EG_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = v[i].key;
        for (int b = 0; b < RADIX_PASSES; b++)
            count[b][(k >> (RADIX_BITS * b)) & (RADIX - 1)]++;
    }
    eg_pleg *tmp = NULL, *src = v, *dst;
    for (int b = 0; b < RADIX_PASSES; b++) {
        size_t *c = count[b], sum = 0;
        unsigned shift = RADIX_BITS * (unsigned)b;
        if (c[(src[0].key >> shift) & (RADIX - 1)] == n)
            continue; /* every key has the same digit here */
        if (!tmp) {
            tmp = malloc(n * sizeof *tmp);
            if (!tmp) {
                free(count);
                return EG_ERR_NOMEM;
            }
        }
        dst = src == v ? tmp : v;
        for (unsigned d = 0; d < RADIX; d++) {
            size_t x = c[d];
            c[d] = sum;
            sum += x;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i].key >> shift) & (RADIX - 1)]++] = src[i];
        src = dst;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
    free(tmp);
    free(count);
    return EG_OK;
}
