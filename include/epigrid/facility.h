/*
 * epigrid/facility.h: isolation sites (集中隔离点), fever clinics (发热门诊)
 * and designated hospitals (定点医院): places, admissions, allocation and
 * their alerts.
 *
 * Places are rooms (isolation sites; fever-clinic observation rooms) or
 * beds (hospitals), each facility with places in use and places on
 * standby (备用). Tonghua kept fever clinics at "5+5" observation rooms and
 * designated hospitals at "20+10" beds (in use + standby): those are the
 * defaults of an import row that leaves the places empty. Isolation sites
 * give their rooms, of which `family_rooms` (rooms for a family) are
 * counted apart.
 *
 * Which place a measure needs (control orders, epigrid/control.h):
 *   central_isolation (awaiting_admission → active)   isolation_site room
 *   suspected/active                                 fever_clinic room or designated_hospital bed
 *   confirmed/active                                 designated_hospital bed (定点医院集中收治:
 *                                                    national plan, 5th ed.)
 * Once admitted, the measure and the place agree: eg_facility_admit makes
 * the transition (awaiting_admission → active) and the admission in one
 * transaction, and eg_facility_follow keeps places in line with
 * transitions made elsewhere (a case confirmed, an order released).
 *
 * Moments are CST minutes passed in (the command's clock), never read
 * from the system. All functions return eg_err; refusals name their
 * reason in the eg_diag and change nothing.
 */
#ifndef EPIGRID_FACILITY_H
#define EPIGRID_FACILITY_H

#include <stddef.h>
#include "epigrid/control.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/import.h"
#include "epigrid/juris.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of the module (stored settings `facility.NAME`). */
typedef struct eg_facility_params {
    int admission_overdue_hours;   /* 12: a wait for admission longer than this raises an alert */
    int standby_threshold_pct;     /* 80: places in use occupied at which standby is to be opened */
    int referral_outcome_hours;    /* 6: a checkpoint fever without a clinic outcome by then: alert */
    int clinic_in_use, clinic_standby;      /* 5, 5: fever-clinic observation rooms (Tonghua "5+5") */
    int hospital_in_use, hospital_standby;  /* 20, 10: designated-hospital beds (Tonghua "20+10") */
    int escalate_hours;            /* 2: an alert is overdue when open this long */
} eg_facility_params;

/* One row of the parameter table. */
typedef struct eg_facility_param_info {
    const char *name, *def, *unit, *source;
} eg_facility_param_info;

/* The parameter table (static); *n its size. */
const eg_facility_param_info *eg_facility_param_table(size_t *n);
/* Fill p with the defaults. */
void eg_facility_params_default(eg_facility_params *p);
/* Defaults overridden by the store's settings `facility.NAME`. Returns
 * EG_OK, EG_ERR_INVALID (a stored value is bad: d says which), EG_ERR_DB. */
eg_err eg_facility_params_load(eg_store *s, eg_facility_params *p, eg_diag *d);
/* Set parameter `name` (whole number text) in p and, when s is not NULL,
 * in the store. EG_ERR_NOT_FOUND (unknown name), EG_ERR_INVALID. */
eg_err eg_facility_param_set(eg_store *s, eg_facility_params *p, const char *name, const char *value,
                             eg_diag *d);

/* 1 if `kind` is a facility kind. */
int eg_facility_kind_valid(const char *kind);
/* Chinese name of a kind (集中隔离点, 发热门诊, 定点医院); "" when unknown. Static. */
const char *eg_facility_kind_zh(const char *kind);
/* Places open for admission now: in use, plus standby once opened. */
int eg_facility_capacity(const eg_facility *f);
/* Standby places not opened yet. */
int eg_facility_standby_left(const eg_facility *f);

/*
 * Import facilities.csv (`facility_id,name,kind,juris_code,places_in_use,
 * places_standby[,family_rooms][,address]`) in one transaction. Empty
 * places take the defaults of p for fever clinics (5+5) and hospitals
 * (20+10); an isolation site must give its rooms. Rejected rows: unknown
 * kind, a division not in `tree`, negative or non-numeric places,
 * family_rooms on another kind or more than the rooms. A facility_id again
 * updates it (its admissions are kept; fewer places than occupied is
 * refused).
 */
eg_err eg_facility_import(eg_store *s, const eg_juris *tree, const eg_facility_params *p, const char *path,
                          const eg_import_opts *o, eg_import_result *res, eg_diag *d);

/* The kinds of place the order `o` needs now, in order of preference
 * (NULL-terminated, static); NULL when it needs none. */
const char *const *eg_facility_kinds_for(const eg_ctl_order *o);

/*
 * Allocation: propose a facility of one of `kinds` (in order of
 * preference) with a free place for a person of division `juris_code`:
 * first one in the person's county (the most free places, then the
 * lowest id), else the nearest by the tree (fewest steps between the two
 * divisions through their common ancestor; then the most free places).
 * `*county_full` (may be NULL) is 1 when the county had none free.
 * Returns EG_OK and the facility in *out; EG_ERR_NOT_FOUND when no
 * facility of those kinds has a free place (d says so).
 */
eg_err eg_facility_allocate(eg_store *s, const eg_juris *tree, const char *const *kinds, const char *juris_code,
                            eg_facility *out, int *county_full, eg_diag *d);

/* What an admission did. */
typedef struct eg_admit_result {
    eg_admission admission;
    int transitioned;      /* 1: the order went awaiting_admission → active */
    int transferred;       /* 1: an earlier stay (another kind of place) was closed */
    int standby_alert;     /* 1: the facility reached the threshold: alert raised */
    int county_full_alert; /* 1: the county had no free place: alert raised to the city */
} eg_admit_result;

/*
 * Admit the person of order `oid` (opaque id or id_no: the running
 * order) to `facility_id`, or when that is NULL or "" to the facility the
 * allocation proposes. In one transaction: the admission, the order's
 * transition awaiting_admission → active (history event "admit"), the
 * close of an earlier stay in another kind of place (a transfer), and the
 * alerts (standby threshold, county full).
 * Refused (nothing changed): EG_ERR_NOT_FOUND (no running order, unknown
 * facility), EG_ERR_STATE (the measure needs no place or another kind:
 * "F is a fever_clinic; a central_isolation order is admitted to an
 * isolation_site"; already admitted there; the facility is full: "all 5
 * places in use are occupied; 5 standby places are not opened"),
 * EG_ERR_INVALID (no actor).
 */
eg_err eg_facility_admit(eg_store *s, const eg_juris *tree, const eg_facility_params *p, const char *oid,
                         const char *facility_id, const char *actor, eg_time now, eg_admit_result *out,
                         eg_diag *d);

/*
 * Discharge: close the open stay of the person of `oid` (order id or
 * id_no) at `now`. Refused: EG_ERR_NOT_FOUND "not admitted to any
 * facility" (a person who is not there), EG_ERR_STATE when the order
 * still needs that place (a central isolation running: release or
 * transfer it first). `out` (may be NULL) receives the closed stay.
 */
eg_err eg_facility_discharge(eg_store *s, const char *oid, const char *reason, const char *actor, eg_time now,
                             eg_admission *out, eg_diag *d);

/* Open the standby places of a facility (after its threshold alert): they
 * become places in use; the alert is resolved. EG_ERR_STATE when already
 * opened or it has none. */
eg_err eg_facility_open_standby(eg_store *s, const char *facility_id, const char *actor, eg_time now,
                                eg_diag *d);

/* What a follow or sweep did. */
typedef struct eg_facility_sweep {
    long placed;            /* stays opened for transitions made elsewhere */
    long unplaced;          /* persons needing a place for whom none was free */
    long closed;            /* stays closed: the order ended or moved */
    long overdue_alerts;    /* waits for admission past the limit */
    long referral_alerts;   /* fevers without an outcome past the limit */
    long standby_alerts;    /* facilities at the threshold */
    long county_full_alerts;
    long resolved;          /* alerts of the module resolved (cause gone) */
} eg_facility_sweep;

/*
 * Keep places in line with the order transitions of from <= at < to, in
 * their order: an order admitted, made suspected or confirmed elsewhere
 * gets a place by allocation at the transition's moment (a transfer closes
 * the earlier stay); an order released, excluded back to home quarantine
 * or discharged leaves its place. One transaction. Counts are added to
 * *out.
 */
eg_err eg_facility_follow(eg_store *s, const eg_juris *tree, const eg_facility_params *p, eg_time from,
                          eg_time to, eg_facility_sweep *out, eg_diag *d);

/*
 * The module's part of the daily run, as at `as_at`: follow the
 * transitions since the last sweep; an alert (control module, kind
 * admission_overdue, dedup "admission:ORDER") for each order awaiting
 * admission longer than the limit; an alert (referral_overdue) for each
 * checkpoint fever without an outcome past its due moment; county-full
 * and standby alerts resolved when their cause is gone. One transaction.
 */
eg_err eg_facility_sweep_run(eg_store *s, const eg_juris *tree, const eg_facility_params *p, eg_time as_at,
                             eg_facility_sweep *out, eg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
