/*
 * epigrid/checkpoint.h: temperature checkpoints (体温监测点) and triage at
 * medical institutions (预检分诊, kind hospital_triage): hourly check
 * logs, and one record per fever found (37.3 °C or more), each a referral
 * to a fever clinic followed to an outcome (normal, suspected,
 * other_illness); a fever without an outcome after a set time raises an
 * alert (逢热必检: every fever is examined). Cumulative counts per
 * checkpoint, county and city.
 *
 * Files: checkpoints.csv, check_logs.csv, fevers.csv (spec/formats.md).
 * Moments are CST minutes passed in by the caller. Refusals name their
 * reason in the eg_diag and change nothing.
 */
#ifndef EPIGRID_CHECKPOINT_H
#define EPIGRID_CHECKPOINT_H

#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/facility.h"
#include "epigrid/import.h"
#include "epigrid/juris.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if `kind` is a checkpoint kind. */
int eg_checkpoint_kind_valid(const char *kind);

/*
 * Import checkpoints.csv (`checkpoint_id,name,kind,juris_code
 * [,max_checks_per_hour]`) in one transaction: unknown kind, a division
 * not in `tree`, a bad maximum are rejected rows; an id again updates.
 */
eg_err eg_checkpoint_import(eg_store *s, const eg_juris *tree, const char *path, const eg_import_opts *o,
                            eg_import_result *res, eg_diag *d);

/*
 * Record the log of one hour (`hour_start` on the hour, not after now):
 * `checked` persons checked, `fevers` of them 37.3 °C or more. Refused
 * (EG_ERR_RANGE, nothing stored): a negative count, fevers more than
 * checked, checked more than the checkpoint's max_checks_per_hour, an
 * hour in the future; EG_ERR_INVALID: not on the hour; EG_ERR_NOT_FOUND:
 * unknown checkpoint. The same hour again replaces the counts
 * (*updated = 1). Not in a transaction of its own.
 */
eg_err eg_checkpoint_log(eg_store *s, const char *checkpoint_id, eg_time hour_start, long checked, long fevers,
                         eg_time now, int *updated, eg_diag *d);

/* Import check_logs.csv (`checkpoint_id,hour_start,checked,fevers`). */
eg_err eg_checkpoint_logs_import(eg_store *s, const char *path, const eg_import_opts *o, eg_import_result *res,
                                 eg_diag *d);

/*
 * Record a fever at a checkpoint: temperature (tenths of °C) from the
 * fever threshold (control parameter fever_threshold_c, 37.3 °C by
 * default: eg_control_fever_threshold) to 43.0 (below: EG_ERR_RANGE "not
 * a fever"), moment not after now; the person
 * fields may be empty. It becomes a referral to the nearest fever clinic
 * (allocation from the checkpoint's division; "" when the city has none),
 * due for an outcome p->referral_outcome_hours later. *dup = 1 for a
 * fever stored already. `out` (may be NULL) gets the record. Not in a
 * transaction of its own.
 */
eg_err eg_checkpoint_fever(eg_store *s, const eg_juris *tree, const eg_facility_params *p,
                           const char *checkpoint_id, eg_time at, int temp_dc, const char *id_no,
                           const char *name, const char *phone, const char *destination, eg_time now,
                           eg_fever *out, int *dup, eg_diag *d);

/* Import fevers.csv (`checkpoint_id,at,temperature_c,id_no,name,phone,
 * destination`). */
eg_err eg_checkpoint_fevers_import(eg_store *s, const eg_juris *tree, const eg_facility_params *p,
                                   const char *path, const eg_import_opts *o, eg_import_result *res,
                                   eg_diag *d);

/* Record the fever clinic's outcome of fever `fid`: normal, suspected or
 * other_illness (EG_ERR_INVALID otherwise); EG_ERR_STATE when it has one
 * already. Resolves its referral_overdue alert. One transaction. A
 * suspected outcome is followed by the clinician under the control module
 * (eg_control_open / EG_ACT_SUSPECT, then eg_facility_admit). */
eg_err eg_checkpoint_outcome(eg_store *s, const char *fid, const char *outcome, const char *actor, eg_time now,
                             eg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
