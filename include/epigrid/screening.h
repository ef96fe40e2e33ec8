/*
 * epigrid/screening.h: precise screening (精准排查): who, from the travel
 * feed, is put under which measure, from when to when, and which division
 * must find them.
 *
 * Rules (spec/screening.md; the 14-day period of the national prevention
 * and control plan, 新型冠状病毒肺炎防控方案, 4th and 5th editions):
 *   window  only legs with dep_date in [AS_OF - (2D - 1), AS_OF] matter;
 *   R1      an arrival (to_code lies in the city, arr_date in
 *           [AS_OF - (D - 1), AS_OF]) with a leg of the same person that
 *           touches a risk area and departs in [arr_date - D, arr_date]
 *           (the arrival itself counts) → home_quarantine, start = the
 *           latest such arr_date;
 *   R2      a leg on a case trip (mode, trip number or a codeshare
 *           partner, date = dep_date; flights: rows within 3 or a row
 *           unknown; trains: same car or a car unknown; other modes: the
 *           whole vehicle) with dep_date in [AS_OF - (D - 1), AS_OF] →
 *           central_isolation, start = the latest such dep_date;
 *   one result per person (normalised id_no), R2 outranks R1,
 *   end = start + D (the release day: observation covers start .. end-1).
 * The responsible division: the registry's address_code; else the to_code
 * of the person's latest leg (latest departure in the window); else the
 * first six digits of a resident identity number. Inside the city it is
 * an order; outside, an assistance request (协查) to that division; with
 * none, an assistance request marked unlocated. Requests are attached to
 * the city's own node.
 *
 * The engine is pure: no database, no printing, no global state. It is fed
 * one leg at a time (eg_screen_add_leg), so the same code serves arrays of
 * legs from the store and a streaming pass over a file far larger than
 * memory: it keeps about 32 bytes per leg in the window, plus the names of
 * legs that touch a risk area or ride with a case. Results are computed by
 * sorting the kept legs by person (radix sort on a packed key) and walking
 * each person's group once; case trips are found by binary search on
 * (date, trip number).
 *
 * Batch mode (the streaming reader of travel.csv, case_trips.csv,
 * risk_areas.csv and persons.csv, and the CSV writer) is declared at the
 * end; it uses the feed row readers of epigrid/travel.h, so rejected rows
 * are reported exactly as the importers report them.
 */
#ifndef EPIGRID_SCREENING_H
#define EPIGRID_SCREENING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "epigrid/code.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/idno.h"
#include "epigrid/import.h"
#include "epigrid/juris.h"
#include "epigrid/travel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default observation period D in days (national plan, 4th-5th eds.). */
#define EG_SCREEN_DEFAULT_DAYS 14
/* Largest D accepted (a packed leg keeps day offsets in 10 bits). */
#define EG_SCREEN_MAX_DAYS 365
/* Most county-level units (or children) of a city node. */
#define EG_SCREEN_MAX_UNITS 256

/* ---- the city ---- */

/*
 * The city a screening is for: its own short code and the short codes of
 * the units it covers (for a city node: its county-level units, taken
 * from the jurisdiction tree, so Meihekou 220581, administered by the
 * province, is not in Tonghua 2205). A code lies in the city when it lies
 * in one of the units or is the city's own code. A plain value.
 */
typedef struct eg_screen_city {
    char code[EG_CODE_BUFSZ];                      /* short form, e.g. "2205" */
    char units[EG_SCREEN_MAX_UNITS][EG_CODE_BUFSZ]; /* short forms */
    size_t nunits;
} eg_screen_city;

/*
 * Fill *out from a node of the jurisdiction tree: its code and its
 * children's codes (eg_juris_find(tree, "2205") gives Tonghua with its six
 * county-level units). Returns EG_OK, EG_ERR_INVALID (node NULL) or
 * EG_ERR_RANGE (more than EG_SCREEN_MAX_UNITS children).
 */
eg_err eg_screen_city_from_node(const eg_juris_node *node, eg_screen_city *out);

/*
 * Fill *out from codes given directly: the city's own code and `nunits`
 * unit codes (any accepted form; reduced to short forms). Returns EG_OK,
 * EG_ERR_INVALID (a code that is not a division code) or EG_ERR_RANGE.
 */
eg_err eg_screen_city_from_codes(const char *code, const char *const *units, size_t nunits,
                                 eg_screen_city *out);

/* 1 if short code `code` lies in the city (see eg_screen_city), else 0. */
int eg_screen_city_contains(const eg_screen_city *city, const char *code);

/* ---- parameters and results ---- */

/* Parameters of one screening. */
typedef struct eg_screen_params {
    eg_date as_of;               /* AS_OF, the last day screened */
    int days;                    /* D, 1..EG_SCREEN_MAX_DAYS (0 means 14) */
    const eg_screen_city *city;  /* not owned; must outlive the call that takes it */
} eg_screen_params;

/* Measures, weakest first (a stronger one outranks). */
typedef enum eg_measure {
    EG_MEASURE_NONE = 0,
    EG_MEASURE_HOME_QUARANTINE,   /* 居家隔离医学观察 (R1) */
    EG_MEASURE_CENTRAL_ISOLATION  /* 集中隔离医学观察 (R2) */
} eg_measure;

/* "home_quarantine", "central_isolation" ("none"). Static. */
const char *eg_measure_name(eg_measure m);

/* Rules, as bits of eg_screen_result.rules. */
#define EG_RULE_R1 1u
#define EG_RULE_R2 2u

/* What a result becomes. */
typedef enum eg_screen_kind {
    EG_SCREEN_ORDER = 1,          /* local control order for `division` */
    EG_SCREEN_ASSISTANCE,         /* assistance request (协查) to `division` */
    EG_SCREEN_UNLOCATED           /* assistance request, no division known */
} eg_screen_kind;

/* "order", "assistance_request" (for both kinds of request). Static. */
const char *eg_screen_kind_name(eg_screen_kind k);

/* Where the responsible division came from. */
typedef enum eg_division_source {
    EG_DIV_NONE = 0,        /* unlocated */
    EG_DIV_REGISTRY,        /* the registry's address_code */
    EG_DIV_LATEST_LEG,      /* to_code of the person's latest leg */
    EG_DIV_ID_REGION        /* first six digits of a resident identity number */
} eg_division_source;

/*
 * One person's result. Evidence are the `ref` values given with the legs
 * to eg_screen_add_leg (an array index, a source line or a row id) and the
 * indexes of the case trips in the array given to eg_screen_new, each
 * sorted ascending without duplicates; they point into memory owned by the
 * eg_screen_results that holds the result.
 */
typedef struct eg_screen_result {
    char id_no[EG_DOCNO_BUFSZ];     /* normalised document number */
    unsigned char id_flag;          /* EG_IDNO_OK, or why the legs' number failed its check */
    char name[EG_LEG_NAME_BUFSZ];   /* registry name, else a leg's name, may be "" */
    eg_measure measure;
    eg_date start, end;             /* end = start + D, the release day */
    unsigned rules;                 /* EG_RULE_R1 | EG_RULE_R2: the rules that fired */
    eg_date r1_start, r2_start;     /* each rule's start, EG_NO_DATE when it did not fire */
    eg_screen_kind kind;            /* set by eg_screen_resolve (0 before) */
    char division[EG_CODE_BUFSZ];   /* short form; "" when unlocated (set by eg_screen_resolve) */
    eg_division_source div_source;
    char latest_to[EG_CODE_BUFSZ];  /* to_code of the latest leg, short form */
    const uint32_t *legs;           /* leg evidence (refs) */
    size_t nlegs;
    const uint32_t *cases;          /* case-trip evidence (indexes) */
    size_t ncases;
} eg_screen_result;

/* All results of one screening, sorted by id_no (byte order). */
typedef struct eg_screen_results {
    eg_screen_result *v;
    size_t n;
    uint32_t *evidence;             /* backing store of every result's legs and cases */
    size_t nevidence;
    long *case_ids;                 /* the `id` of each case trip given, by index */
    size_t ncase_ids;
} eg_screen_results;

/* Free results (NULL is fine). */
void eg_screen_results_free(eg_screen_results *r);

/* Counters of a screening (for progress and summaries). */
typedef struct eg_screen_stats {
    unsigned long legs_seen;        /* legs given to eg_screen_add_leg */
    unsigned long legs_kept;        /* of which in the window */
    unsigned long persons;          /* distinct persons in the window (after finish) */
    unsigned long touching;         /* kept legs touching a risk area */
    unsigned long arrivals;         /* kept legs arriving in the city in the last D days */
    unsigned long case_matches;     /* (leg, case trip) matches of R2 */
} eg_screen_stats;

/* ---- the engine ---- */

typedef struct eg_screen eg_screen;

/*
 * Start a screening. Case trips and risk areas are copied (the caller may
 * free its arrays at once); case trips with an unknown mode or no trip
 * number are ignored. p->city is kept by pointer. Returns EG_OK and *out
 * (free with eg_screen_free), EG_ERR_INVALID (no city, D out of range,
 * no AS_OF), EG_ERR_NOMEM.
 */
eg_err eg_screen_new(const eg_screen_params *p, const eg_case_trip *cases, size_t ncases,
                     const eg_risk_area *areas, size_t nareas, eg_screen **out);

/* Free a screening (NULL is fine). */
void eg_screen_free(eg_screen *s);

/*
 * Give one leg. Legs outside the window are counted and dropped at once;
 * the others are packed (the eg_leg itself is not kept). `ref` is what
 * evidence will name (an index into the caller's array, a line, a row id).
 * Legs may come in any order. Returns EG_OK, EG_ERR_NOMEM, or
 * EG_ERR_STATE after eg_screen_finish.
 */
eg_err eg_screen_add_leg(eg_screen *s, const eg_leg *l, uint32_t ref);

/*
 * Apply the rules to every person seen and return the results in *out
 * (sorted by id_no; kind and division not yet set: see eg_screen_resolve).
 * Frees the packed legs; the screening accepts no more legs. Returns
 * EG_OK, EG_ERR_NOMEM, EG_ERR_STATE (called twice).
 */
eg_err eg_screen_finish(eg_screen *s, eg_screen_results *out);

/* Counters so far (any time). */
void eg_screen_get_stats(const eg_screen *s, eg_screen_stats *out);

/*
 * Registry lookup for the responsible division: for normalised document
 * number `id_no`, write the registered address_code (short form) into
 * `code` (EG_CODE_BUFSZ) and, when known, the registered name into `name`
 * (EG_LEG_NAME_BUFSZ; leave it untouched to keep the leg's name). Return
 * EG_OK when registered, EG_ERR_NOT_FOUND when not; any other code aborts
 * eg_screen_resolve with that code.
 */
typedef eg_err (*eg_screen_lookup_fn)(void *ctx, const char *id_no, char *code, char *name);

/*
 * Set each result's responsible division, its source and its kind
 * (order inside `city`, else an assistance request, or unlocated).
 * `lookup` may be NULL (no registry). Returns EG_OK or what lookup
 * returned.
 */
eg_err eg_screen_resolve(eg_screen_results *r, const eg_screen_city *city,
                         eg_screen_lookup_fn lookup, void *ctx);

/*
 * Everything at once over arrays: new, add every leg with ref = its index,
 * finish, resolve. Returns as the steps.
 */
eg_err eg_screen_run(const eg_screen_params *p, const eg_leg *legs, size_t nlegs,
                     const eg_case_trip *cases, size_t ncases,
                     const eg_risk_area *areas, size_t nareas,
                     eg_screen_lookup_fn lookup, void *ctx, eg_screen_results *out);

/* ---- batch mode: files in, CSV out ---- */

/* Input files and options of a streaming screening. */
typedef struct eg_screen_files {
    const char *travel;     /* travel.csv (required) */
    const char *cases;      /* case_trips.csv or a public same-trip list (required) */
    const char *risk;       /* risk_areas.csv (required) */
    const char *persons;    /* persons.csv (may be NULL: no registry) */
    int threads;            /* threads parsing travel.csv: 0 = one per processor
                             * (at most 8), 1 = the calling thread only */
} eg_screen_files;

/*
 * Screen files in one pass each: case trips and risk areas first, then
 * travel.csv streamed through eg_screen_add_leg (ref = the row's line),
 * then persons.csv, keeping only the rows of persons with a result.
 * Rejected rows and warnings go through o (report callback, rejects file;
 * res[0..3] count travel, cases, risk, persons; may be NULL). o->now gives
 * today for identity-number checks; o->progress is called now and then
 * with bytes and rows of travel.csv. Returns EG_OK (rows may have been
 * rejected: see res), or for a file that cannot be used as a whole
 * EG_ERR_IO, EG_ERR_ENCODING, EG_ERR_MISSING_COLUMN, EG_ERR_PARSE with d
 * naming it; EG_ERR_NOMEM; EG_ERR_INVALID for bad parameters. On success
 * *out holds resolved results; st (may be NULL) the counters.
 */
eg_err eg_screen_files_run(const eg_screen_params *p, const eg_screen_files *f,
                           const eg_import_opts *o, eg_import_result res[4],
                           eg_screen_results *out, eg_screen_stats *st, eg_diag *d);

/*
 * Write results as CSV with the header
 * `id_no,name,measure,start_date,end_date,kind,rules,jurisdiction_code,evidence`:
 * rules `R1`, `R2` or `R1;R2`; jurisdiction_code the responsible division
 * (the target of an assistance request) or `unlocated`; evidence
 * `leg:REF;...;case:ID;...` where a leg's REF is what eg_screen_add_leg
 * got (the line of travel.csv in batch mode) and a case trip is named by
 * its `id` (the line of case_trips.csv in batch mode). Returns EG_OK or
 * EG_ERR_IO.
 */
eg_err eg_screen_write_csv(FILE *f, const eg_screen_results *r);

#ifdef __cplusplus
}
#endif
#endif
