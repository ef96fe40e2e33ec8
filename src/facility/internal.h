/*
 * facility/internal.h: what the files of the facilities and checkpoints
 * module share: copying into fixed buffers, raising the module's alerts,
 * placing a person (the core of admission and following), and the
 * threshold check.
 */
#ifndef EG_FACILITY_INTERNAL_H
#define EG_FACILITY_INTERNAL_H

#include <stdio.h>
#include <string.h>
#include "epigrid/checkpoint.h"
#include "epigrid/facility.h"

/* Copy text into a fixed buffer (always NUL-terminated). */
#define FAC_COPY(dst, src) fac_copy((dst), sizeof(dst), (src))

/* Copy src (NULL: "") into dst of size bytes, truncating. */
void fac_copy(char *dst, size_t size, const char *src);

/* 1 if `s` is one of the NULL-terminated words. */
int fac_one_of(const char *s, const char *const *words);

/* The kinds of place a (measure, state) needs (NULL-terminated, static),
 * NULL when none. */
const char *const *fac_kinds_for(const char *measure, const char *state);

/* The states of the module's alerts (a new alert is open), and the order
 * state of a wait for admission. */
#define FAC_ALERT_OPEN "open"
#define FAC_ALERT_RESOLVED "resolved"
#define FAC_AWAITING "awaiting_admission"

/* Resolve the open alert of the module with key `dedup` at `at`; *n (may
 * be NULL): 1 when one was open, else 0. EG_OK or EG_ERR_DB. */
eg_err fac_alert_resolve(eg_store *s, const char *dedup, eg_time at, long *n);

/* Raise an alert of the module (dedup unique: once per cause) at `at`,
 * overdue escalate_hours later. *created (may be NULL). */
eg_err fac_alert_raise(eg_store *s, const eg_facility_params *p, const char *kind, const char *juris,
                       const char *subject, const char *dedup, eg_time at, int *created, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

/* After a stay began at facility `fid`: raise its standby alert when the
 * places in use are occupied to the threshold and standby is left.
 * *raised (may be NULL). */
eg_err fac_check_threshold(eg_store *s, const eg_facility_params *p, const char *fid, eg_time at, int *raised);

/* Raise the county-full alert (to the city) for the county of `juris`
 * and the kinds wanted, once a day. *raised (may be NULL). */
eg_err fac_county_full(eg_store *s, const eg_juris *tree, const eg_facility_params *p, const char *juris,
                       const char *const *kinds, eg_time at, int *raised);

/* The county node of a division (NULL when it lies above the counties or
 * is not in the tree). */
const eg_juris_node *fac_county_of(const eg_juris *tree, const char *juris);

/* A person to place. */
typedef struct fac_person {
    int64_t order_id;
    const char *id_no, *name, *juris_code;
    eg_time wait_since;
} fac_person;

/*
 * Open a stay of `who` at facility `f` (its kind checked by the caller)
 * at `at`, closing an earlier open stay first (a transfer: *transferred).
 * Refuses a full facility (EG_ERR_STATE). Raises the standby alert. Not in
 * a transaction of its own.
 */
eg_err fac_place(eg_store *s, const eg_facility_params *p, const fac_person *who, const eg_facility *f,
                 eg_time at, const char *actor, eg_admission *out, int *transferred, int *standby_alert,
                 eg_diag *d);

/* Follow order transitions of [from, to) inside an open transaction. */
eg_err fac_follow(eg_store *s, const eg_juris *tree, const eg_facility_params *p, eg_time from, eg_time to,
                  eg_facility_sweep *out, eg_diag *d);

#endif
