/*
 * screening/internal.h: what the files of the screening engine share and
 * nobody else sees: packed person keys and division codes, the case-trip
 * index, and the radix sort of packed legs.
 */
#ifndef EG_SCREENING_INTERNAL_H
#define EG_SCREENING_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "epigrid/screening.h"

/* ---- interning of strings that do not pack into 64 bits ---- */

/* A set of strings, each given a dense index (0, 1, ...) on first sight.
 * Backed by a POSIX tsearch tree; used only for the rare document numbers
 * that are not resident identity numbers and for grid codes. */
typedef struct eg_intern {
    void *root;        /* tsearch tree of char * into `strs` */
    char **strs;       /* index -> string (malloc'ed) */
    size_t n, cap;
} eg_intern;

/* Index of `s`, adding it when new. Returns EG_OK or EG_ERR_NOMEM. */
eg_err eg_intern_get(eg_intern *t, const char *s, uint32_t *idx);
/* Free the set's memory (the struct itself is the caller's). */
void eg_intern_free(eg_intern *t);

/* ---- person keys ---- */

/* Top bit of a key that names an interned document number. */
#define EG_KEY_OTHER (UINT64_C(1) << 63)

/*
 * Pack a normalised document number: an 18-character resident identity
 * shape (17 digits and a digit or X) becomes its 17 digits × 11 plus the
 * check value (X = 10), which keeps byte order; anything else is interned
 * in `t` and marked with EG_KEY_OTHER. Returns EG_OK or EG_ERR_NOMEM.
 */
eg_err eg_key_pack(eg_intern *t, const char *id_no, uint64_t *key);
/* Write the document number of `key` into out (EG_DOCNO_BUFSZ). */
void eg_key_unpack(const eg_intern *t, uint64_t key, char *out);

/* ---- division codes ---- */

/* Pack a short code: up to 12 digits become (length << 40) | value; any
 * other code (grids) is interned in t with length 15. "" packs to 0. */
eg_err eg_code_pack(eg_intern *t, const char *code, uint64_t *out);
/* Write the code of a packed value into out (EG_CODE_BUFSZ). */
void eg_code_unpack(const eg_intern *t, uint64_t v, char *out);

/* ---- case trips ---- */

/* One (date, trip number) of a case trip; a codeshare gives several. */
typedef struct eg_case_key {
    eg_date date;
    uint32_t idx;                  /* index of the case trip */
    char no[EG_TRIP_BUFSZ];
} eg_case_key;

/* Case trips sorted by (date, trip number) for binary search. */
typedef struct eg_case_index {
    eg_case_trip *trips;           /* copies, in the caller's order */
    size_t ntrips;
    eg_case_key *keys;             /* sorted */
    size_t nkeys;
} eg_case_index;

/* Build the index from copies of cases[0..n). Returns EG_OK or EG_ERR_NOMEM. */
eg_err eg_case_index_build(eg_case_index *ci, const eg_case_trip *cases, size_t n);
void eg_case_index_free(eg_case_index *ci);

/* 1 if leg l rides with case trip c by the seat rules of R2 (mode, number
 * and date are assumed to agree). */
int eg_case_seat_match(const eg_leg *l, const eg_case_trip *c);

/*
 * Call fn(ctx, case index) for every case trip that leg l matches (mode,
 * trip number or codeshare partner, date = dep_date, seat rules). The
 * window test is the caller's. Returns EG_OK or what fn returned.
 */
eg_err eg_case_index_match(const eg_case_index *ci, const eg_leg *l,
                           eg_err (*fn)(void *ctx, uint32_t idx), void *ctx);

/* ---- packed legs ---- */

/* Flags of a packed leg. */
#define EG_PLEG_TOUCH 1u      /* touches a risk area */
#define EG_PLEG_ARRIVAL 2u    /* arrives in the city within the last D days */

/* A leg in the window, as kept: 32 bytes. */
typedef struct eg_pleg {
    uint64_t key;             /* person (eg_key_pack) */
    uint64_t to;              /* to_code (eg_code_pack) */
    uint32_t ref;             /* caller's reference (evidence) */
    uint32_t name;            /* offset + 1 of the name in the name arena, 0 = none kept */
    uint32_t moment;          /* (dep_date - window start) * 1441 + minute + 1 (0: no time) */
    uint16_t arr_off;         /* arr_date - window start, saturated */
    uint8_t flags;            /* EG_PLEG_* */
    uint8_t id_flag;          /* eg_leg.id_flag */
} eg_pleg;

/* Sort v[0..n) by key (stable LSD radix sort, bytes that never vary are
 * skipped). Returns EG_OK or EG_ERR_NOMEM (then v is unchanged). */
eg_err eg_pleg_sort(eg_pleg *v, size_t n);

#endif
