/*
 * epigrid/feed.h: importing the travel feed into the store, and the
 * itinerary of one person (行程).
 *
 * `import travel`, `import case-trips` (formats.md shape or the public
 * same-trip list's own shape) and `import risk-areas`, each file in one
 * transaction with rejects as for every import (epigrid/import.h).
 */
#ifndef EPIGRID_FEED_H
#define EPIGRID_FEED_H

#include <stddef.h>
#include "epigrid/import.h"
#include "epigrid/store.h"
#include "epigrid/travel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counts particular to feed imports. */
typedef struct eg_feed_result {
    long duplicates;      /* legs or case trips already stored (counted once) */
    long flagged_ids;     /* legs kept whose identity number failed its check */
    long unreadable;      /* case-trip descriptions that could not be read */
    long case_trips;      /* case trips stored (a row may make several) */
} eg_feed_result;

/*
 * Import travel.csv (legs). `o->now` gives today for identity-number
 * checks. Duplicate legs (same person, trip and date) count once.
 * Returns as eg_import_file; `fr` (may be NULL) gets the feed counts.
 */
eg_err eg_travel_import(eg_store *s, const char *path, const eg_import_opts *o,
                        eg_import_result *res, eg_feed_result *fr, eg_diag *d);

/* Import case trips (either shape). Unreadable descriptions are warnings
 * ("cannot be read; the whole train ... is traced") and counted. */
eg_err eg_case_trips_import(eg_store *s, const char *path, const eg_import_opts *o,
                            eg_import_result *res, eg_feed_result *fr, eg_diag *d);

/* Import risk_areas.csv. */
eg_err eg_risk_areas_import(eg_store *s, const char *path, const eg_import_opts *o,
                            eg_import_result *res, eg_diag *d);

/* One case trip that shares a leg's trip (same mode, number or codeshare
 * partner, and date). `same_place` is 1 when the carriage (trains) or row
 * within 3 (flights) also agrees or one side is unknown, so R2 of
 * spec/screening.md would match; 0 when only the trip is shared. */
typedef struct eg_itin_case {
    eg_case_trip trip;
    int same_place;
} eg_itin_case;

/* One leg of an itinerary with what it touched. */
typedef struct eg_itin_leg {
    eg_leg leg;
    eg_risk_area *areas;        /* risk areas the leg touches (n_areas) */
    size_t n_areas;
    eg_itin_case *cases;        /* case trips sharing the trip (n_cases) */
    size_t n_cases;
    int has_next;               /* 1 when another leg follows */
    int stay_days;              /* when has_next: days at to_code before the next leg
                                   (next.dep_date − arr_date); 0 otherwise */
} eg_itin_leg;

/* A person's itinerary: legs in travel order. Owns its arrays. */
typedef struct eg_itinerary {
    char id_no[EG_DOCNO_BUFSZ];
    eg_itin_leg *legs;
    size_t n;
} eg_itinerary;

/*
 * Build the itinerary of the person with document number `id_no` (any
 * accepted form) from the store: legs ordered by departure, the stay
 * between consecutive legs, risk areas touched (formats.md windows) and
 * case trips sharing each trip. *out is owned by the caller
 * (eg_itinerary_free). Returns EG_OK, EG_ERR_NOT_FOUND (no legs),
 * EG_ERR_NOMEM, EG_ERR_DB.
 */
eg_err eg_itinerary_build(eg_store *s, const char *id_no, eg_itinerary **out);

/* Free an itinerary (NULL is fine). */
void eg_itinerary_free(eg_itinerary *it);

#ifdef __cplusplus
}
#endif
#endif
