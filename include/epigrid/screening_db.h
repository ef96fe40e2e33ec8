/*
 * epigrid/screening_db.h: screening over the database (精准排查入库).
 *
 * Runs the engine of epigrid/screening.h on the legs, case trips and risk
 * areas of the store and hands each local result to control as a decision
 * (eg_control_screened, epigrid/control.h: control owns the order, its
 * states, history and tasks), which applies spec/screening.md, "The order
 * for each person": at most one active control order per person;
 * a stronger measure upgrades the active order (home quarantine → central
 * isolation); a later exposure moves start and end; evidence is added,
 * never duplicated; an order already ended is reopened only by an
 * exposure after its end. Each new local order gets a verification task
 * (落地查人) for its division, due 24 h after creation. Persons who belong
 * elsewhere get an assistance request (协查) on the city's node. Running it
 * again on the same data changes nothing.
 */
#ifndef EPIGRID_SCREENING_DB_H
#define EPIGRID_SCREENING_DB_H

#include "epigrid/juris.h"
#include "epigrid/screening.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hours from creation to a verification task's deadline (parameter;
 * default 24 h, spec/screening.md). */
#define EG_TASK_DUE_HOURS 24

/* What one run changed, and what it found. */
typedef struct eg_screen_db_summary {
    long results;              /* persons with a result */
    long orders_new, orders_upgraded, orders_moved, orders_reopened, orders_unchanged;
    long tasks_new;
    long requests_new, requests_updated, unlocated;
    long by_measure[3];        /* results by eg_measure */
    long by_rule[4];           /* results by rules bits: [1] R1 only, [2] R2 only, [3] both */
    long with_case_trips;      /* results whose evidence includes a case trip */
    eg_screen_stats stats;
} eg_screen_db_summary;

/*
 * Screen the store as of p->as_of for the city p->city and write orders,
 * tasks and assistance requests in one transaction, stamped `stamp`
 * (AS_OF 23:59 CST unless the command's clock says otherwise). `city_node`
 * is the city's node of the tree (requests are attached to it).
 * `results` (may be NULL) receives the engine's resolved results (free
 * with eg_screen_results_free). Returns EG_OK, EG_ERR_INVALID (bad
 * parameters), EG_ERR_NOMEM, EG_ERR_DB (rolled back: nothing written).
 */
eg_err eg_screen_db(eg_store *s, const eg_juris_node *city_node, const eg_screen_params *p,
                    eg_time stamp, eg_screen_results *results, eg_screen_db_summary *sum);

#ifdef __cplusplus
}
#endif
#endif
