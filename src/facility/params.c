/*
 * facility/params.c: the parameters of facilities and checkpoints with
 * their defaults, units and sources, overridden by the store's settings
 * `facility.NAME`.
 */
#include <stdlib.h>
#include "internal.h"

/* The table: name, default, unit, source. */
static const eg_facility_param_info TABLE[] = {
    { "admission_overdue_hours", "12", "hours",
      "EpiGrid default (issue 6): a close contact waiting longer than this for a room in an isolation "
      "site (集中隔离) raises an alert" },
    { "standby_threshold_pct", "80", "percent",
      "EpiGrid default (issue 6): when this share of places in use is occupied, the standby places are "
      "to be opened (启用备用床位/房间)" },
    { "referral_outcome_hours", "6", "hours",
      "EpiGrid default (issue 6): a fever found at a checkpoint must have a fever-clinic outcome "
      "(逢热必检) within this" },
    { "clinic_in_use", "5", "rooms",
      "Tonghua headquarters (通化市): fever clinics keep \"5+5\" observation rooms, 5 in use" },
    { "clinic_standby", "5", "rooms", "Tonghua \"5+5\": 5 observation rooms on standby" },
    { "hospital_in_use", "20", "beds",
      "Tonghua headquarters (通化市): designated hospitals keep \"20+10\" beds, 20 in use" },
    { "hospital_standby", "10", "beds", "Tonghua \"20+10\": 10 beds on standby" },
    { "escalate_hours", "2", "hours",
      "EpiGrid default, as control.escalate_hours: an alert open this long is overdue" },
};
#define NTABLE (sizeof TABLE / sizeof TABLE[0])

/* See epigrid/facility.h. */
const eg_facility_param_info *eg_facility_param_table(size_t *n)
{
    *n = NTABLE;
    return TABLE;
}

/* The field of p named `name`, or NULL. */
static int *field(eg_facility_params *p, const char *name)
{
    if (strcmp(name, "admission_overdue_hours") == 0) return &p->admission_overdue_hours;
    if (strcmp(name, "standby_threshold_pct") == 0) return &p->standby_threshold_pct;
    if (strcmp(name, "referral_outcome_hours") == 0) return &p->referral_outcome_hours;
    if (strcmp(name, "clinic_in_use") == 0) return &p->clinic_in_use;
    if (strcmp(name, "clinic_standby") == 0) return &p->clinic_standby;
    if (strcmp(name, "hospital_in_use") == 0) return &p->hospital_in_use;
    if (strcmp(name, "hospital_standby") == 0) return &p->hospital_standby;
    if (strcmp(name, "escalate_hours") == 0) return &p->escalate_hours;
    return NULL;
}

/* Set one field from text (a whole number 0..100000; a percentage 1..100). */
static eg_err set_field(eg_facility_params *p, const char *name, const char *v, eg_diag *d)
{
    int *f = field(p, name);
    char *end;
    long x;
    if (!f)
        return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, "name", "unknown parameter '%s'", name);
    x = strtol(v, &end, 10);
    if (!*v || *end || x < 0 || x > 100000 || (f == &p->standby_threshold_pct && (x < 1 || x > 100)))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, name, "'%s' is not a valid value", v);
    *f = (int)x;
    return EG_OK;
}

/* See epigrid/facility.h. */
void eg_facility_params_default(eg_facility_params *p)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < NTABLE; i++)
        set_field(p, TABLE[i].name, TABLE[i].def, NULL);
}

/* See epigrid/facility.h. */
eg_err eg_facility_params_load(eg_store *s, eg_facility_params *p, eg_diag *d)
{
    eg_facility_params_default(p);
    for (size_t i = 0; i < NTABLE; i++) {
        char key[96], val[64];
        eg_err e;
        snprintf(key, sizeof key, "facility.%s", TABLE[i].name);
        e = eg_store_meta_get(s, key, val, sizeof val);
        if (e == EG_ERR_NOT_FOUND)
            continue;
        if (e)
            return e;
        if (set_field(p, TABLE[i].name, val, d))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, key, "stored value '%s' is not valid", val);
    }
    return EG_OK;
}

/* See epigrid/facility.h. */
eg_err eg_facility_param_set(eg_store *s, eg_facility_params *p, const char *name, const char *value,
                             eg_diag *d)
{
    char key[96];
    eg_err e = set_field(p, name ? name : "", value ? value : "", d);
    if (e || !s)
        return e;
    snprintf(key, sizeof key, "facility.%s", name);
    return eg_store_meta_set(s, key, value);
}
