/*
 * epigrid/drill.h: synthetic drill data (演练数据) for the main job.
 *
 * Writes, deterministically for a seed, the data a drill needs on top of
 * the real division tree: grids under every village-level unit, staff for
 * every node of the city (enough for four-person teams: township cadres,
 * village cadres, police and doctors), and a registry of persons with
 * valid, unique identity numbers whose addresses are grids. Everything is
 * marked synthetic when loaded. Random numbers come from one GSL stream
 * (MT19937) owned by the call, seeded with the seed: the same seed and
 * size give byte-identical files on every machine.
 */
#ifndef EPIGRID_DRILL_H
#define EPIGRID_DRILL_H

#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/juris.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default number of registered persons of a drill (spec/main-job.md). */
#define EG_DRILL_DEFAULT_SIZE 200000L

typedef struct eg_drill_opts {
    unsigned long seed;     /* random seed */
    long size;              /* persons to generate (> 0) */
    const char *city_code;  /* the city whose nodes get staff and persons ("2205") */
    eg_date today;          /* no birth date after this day */
    eg_date as_of;          /* the feed's date: legs of the 35 days up to it;
                               EG_NO_DATE: no travel feed */
    long travellers;        /* travellers in the feed (> 0 when as_of is set) */
    const char *case_trips_path; /* the public same-trip list (its own shape) whose
                               trips in the window get drill travellers; may be NULL */
} eg_drill_opts;

/* What was written. */
typedef struct eg_drill_summary {
    long grids;
    long staff;
    long persons;
    long legs;              /* travel legs written */
    long travellers;        /* distinct travellers */
    long on_case_trips;     /* travellers placed on real case trips */
    long risk_areas;
} eg_drill_summary;

/*
 * Write OUTDIR/grids.csv (divisions.csv format), OUTDIR/staff.csv and
 * OUTDIR/persons.csv from the tree `j`; with o->as_of set, also the travel
 * feed OUTDIR/travel.csv (travel.csv format), OUTDIR/risk_areas.csv and
 * OUTDIR/case_trips.csv (the public same-trip list in formats.md's shape):
 * legs of the 35 days up to as_of, 70 % of travellers registered residents
 * and 30 % from elsewhere, some from the risk areas, and drill travellers
 * placed on the real case trips of the same-trip list that fall in the
 * window (K7393 梅河口→通化 2020-01-18; G727 沈阳→长春 carriage 5,
 * 2020-01-20). The drill's risk areas are those of the benchmark feed
 * generator (../shared/bench/gen_feed.py): Hubei (42) and Wuhan (4201),
 * and Wenzhou (3303, 2020-01-25 to 2020-02-25) as the one more city that
 * exercises the rule. OUTDIR must exist.
 * Returns EG_OK; EG_ERR_NOT_FOUND (city_code not in the tree, d says so),
 * EG_ERR_INVALID (size <= 0, or the city has no village-level units),
 * EG_ERR_IO (cannot write, d names the file), EG_ERR_NOMEM.
 */
eg_err eg_drill_generate(const eg_juris *j, const eg_drill_opts *o, const char *outdir,
                         eg_drill_summary *sum, eg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
