/*
 * control/internal.h: what the files of the control-measures module share:
 * the history helper, names of measures and states, and small utilities.
 */
#ifndef EG_CONTROL_INTERNAL_H
#define EG_CONTROL_INTERNAL_H

#include <stdio.h>
#include <string.h>
#include "epigrid/control.h"

/* Copy text into a fixed buffer (always NUL-terminated). */
#define CTL_COPY(dst, src) ctl_copy((dst), sizeof(dst), (src))

/* Copy src (NULL: "") into dst of size bytes, truncating. */
void ctl_copy(char *dst, size_t size, const char *src);

/* The open end date (9999-12-31) of suspected and confirmed orders. */
eg_date ctl_open_end(void);

/* Append a history event for order `after`, from (measure, state) of
 * `before` (may be NULL: from nothing) to those of `after`. */
eg_err ctl_event(eg_store *s, const eg_ctl_order *before, const eg_ctl_order *after, const char *action,
                 const char *actor, eg_time at, const char *reason);

/* Look up an order by oid or id_no, with a diag for a person to read. */
eg_err ctl_find_order(eg_store *s, const char *oid, eg_ctl_order *o, eg_diag *d);

/* 1 if `s` is one of the NULL-terminated words. */
int ctl_one_of(const char *s, const char *const *words);

/* 1 if `s` is one of the words of the set w. */
int ctl_in(const char *s, const eg_ctl_words *w);

/* States of orders, alerts, tasks and team members that the services
 * write and the daily run's set queries select. */
#define CTL_ACTIVE "active"
#define CTL_AWAITING "awaiting_admission"
#define CTL_RELEASED "released"
#define CTL_ALERT_OPEN "open"
#define CTL_ALERT_ACKED "acknowledged"
#define CTL_TASK_OPEN "open"
#define CTL_MEMBER_CONFIRMED "confirmed"

/* The state an order of `measure` starts in: central isolation waits for
 * a facility to admit the person (CTL_AWAITING), every other measure is
 * CTL_ACTIVE at once. One rule for orders opened by hand (order.c) and
 * from screening (handoff.c). Static. */
const char *ctl_initial_state(const char *measure);

#endif
