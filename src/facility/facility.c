/*
 * facility/facility.c: facilities: kinds and their Chinese names, places
 * open now, which place a measure needs, the module's alerts (standby
 * threshold, county full) and the import of facilities.csv.
 *
 * Sources: Tonghua's "5+5" fever-clinic observation rooms and "20+10"
 * designated-hospital beds (in use + standby); confirmed cases treated in
 * designated hospitals (定点医院集中收治) and close contacts under
 * centralised medical observation (集中隔离医学观察) by the national
 * prevention and control plan, 4th-5th editions (Feb 2020).
 */
#include <stdarg.h>
#include <stdlib.h>
#include "internal.h"

static const char *const KINDS[] = { "isolation_site", "fever_clinic", "designated_hospital", NULL };

/* See internal.h. */
void fac_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* See internal.h. */
int fac_one_of(const char *s, const char *const *words)
{
    for (; s && *words; words++)
        if (strcmp(s, *words) == 0)
            return 1;
    return 0;
}

/* See epigrid/facility.h. */
int eg_facility_kind_valid(const char *kind)
{
    return fac_one_of(kind, KINDS);
}

/* See epigrid/facility.h. */
const char *eg_facility_kind_zh(const char *kind)
{
    if (!kind)
        return "";
    if (strcmp(kind, "isolation_site") == 0)
        return "集中隔离点";
    if (strcmp(kind, "fever_clinic") == 0)
        return "发热门诊";
    if (strcmp(kind, "designated_hospital") == 0)
        return "定点医院";
    return "";
}

/* See epigrid/facility.h. */
int eg_facility_capacity(const eg_facility *f)
{
    return f->places_in_use + (f->standby_opened_at ? f->places_standby : 0);
}

/* See epigrid/facility.h. */
int eg_facility_standby_left(const eg_facility *f)
{
    return f->standby_opened_at ? 0 : f->places_standby;
}

/* See internal.h. */
const char *const *fac_kinds_for(const char *measure, const char *state)
{
    static const char *const ISO[] = { "isolation_site", NULL };
    static const char *const SUSPECT[] = { "fever_clinic", "designated_hospital", NULL };
    static const char *const CONFIRMED[] = { "designated_hospital", NULL };
    if (!measure || !state)
        return NULL;
    if (strcmp(measure, "central_isolation") == 0 && strcmp(state, "active") == 0)
        return ISO;
    if (strcmp(measure, "central_isolation") == 0 && strcmp(state, FAC_AWAITING) == 0)
        return ISO;
    if (strcmp(measure, "suspected") == 0 && strcmp(state, "active") == 0)
        return SUSPECT;
    if (strcmp(measure, "confirmed") == 0 && strcmp(state, "active") == 0)
        return CONFIRMED;
    return NULL;
}

/* See epigrid/facility.h. */
const char *const *eg_facility_kinds_for(const eg_ctl_order *o)
{
    return fac_kinds_for(o->measure, o->state);
}

/* See internal.h. */
eg_err fac_alert_raise(eg_store *s, const eg_facility_params *p, const char *kind, const char *juris,
                       const char *subject, const char *dedup, eg_time at, int *created, const char *fmt, ...)
{
    eg_fac_alert a;
    va_list ap;
    memset(&a, 0, sizeof a);
    FAC_COPY(a.kind, kind);
    FAC_COPY(a.juris_code, juris);
    FAC_COPY(a.subject, subject);
    FAC_COPY(a.dedup, dedup);
    va_start(ap, fmt);
    vsnprintf(a.reason, sizeof a.reason, fmt, ap);
    va_end(ap);
    FAC_COPY(a.state, FAC_ALERT_OPEN);
    a.created_at = at;
    a.due_at = at + (eg_time)p->escalate_hours * 60;
    return eg_store_fac_alert_add(s, &a, created);
}

/* See internal.h. */
eg_err fac_alert_resolve(eg_store *s, const char *dedup, eg_time at, long *n)
{
    return eg_store_fac_alert_resolve(s, dedup, FAC_ALERT_OPEN, FAC_ALERT_RESOLVED, at, n);
}

/* See internal.h. */
eg_err fac_check_threshold(eg_store *s, const eg_facility_params *p, const char *fid, eg_time at, int *raised)
{
    eg_facility f;
    char dedup[96];
    int cap;
    eg_err e = eg_store_facility_get(s, fid, &f);
    if (raised)
        *raised = 0;
    if (e)
        return e;
    cap = eg_facility_capacity(&f);
    if (eg_facility_standby_left(&f) == 0 || cap == 0 || f.occupied * 100 < (long)p->standby_threshold_pct * cap)
        return EG_OK;
    snprintf(dedup, sizeof dedup, "standby:%s", f.facility_id);
    return fac_alert_raise(s, p, "standby_threshold", f.juris_code, f.facility_id, dedup, at, raised,
                           "%s %s (%s): %ld of %d places in use occupied (%d%% or more): open its %d standby "
                           "places (epigrid facility standby %s --open)", eg_facility_kind_zh(f.kind), f.name,
                           f.facility_id, f.occupied, cap, p->standby_threshold_pct, f.places_standby,
                           f.facility_id);
}

/* See internal.h. */
const eg_juris_node *fac_county_of(const eg_juris *tree, const char *juris)
{
    const eg_juris_node *n = eg_juris_deepest(tree, juris);
    while (n && n->level > EG_LEVEL_COUNTY)
        n = n->parent;
    return n && n->level == EG_LEVEL_COUNTY ? n : NULL;
}

/* See internal.h. */
eg_err fac_county_full(eg_store *s, const eg_juris *tree, const eg_facility_params *p, const char *juris,
                       const char *const *kinds, eg_time at, int *raised)
{
    const eg_juris_node *county = fac_county_of(tree, juris);
    char dedup[96], subject[EG_FAC_ID_BUFSZ], day[EG_DATE_BUFSZ], to[EG_CODE_BUFSZ];
    if (raised)
        *raised = 0;
    if (!county)
        return EG_OK;
    snprintf(to, sizeof to, "%s", county->parent ? county->parent->code : county->code);
    snprintf(subject, sizeof subject, "%s/%s", county->code, kinds[0]);
    snprintf(dedup, sizeof dedup, "county_full:%s:%s:%s", county->code, kinds[0],
             eg_date_format(eg_time_date(at), day));
    return fac_alert_raise(s, p, "county_full", to, subject, dedup, at, raised,
                           "%s %s has no free place in a %s%s%s: persons are sent to the nearest county; "
                           "open standby places or a new site", county->code, county->name, kinds[0],
                           kinds[1] ? " or a " : "", kinds[1] ? kinds[1] : "");
}

/* ---- import of facilities.csv ---- */

enum { C_ID, C_NAME, C_KIND, C_JURIS, C_USE, C_STANDBY, C_FAMILY, C_ADDRESS, C__N };
static const char *const COLS[C__N] = { "facility_id", "name", "kind", "juris_code", "places_in_use",
                                        "places_standby", "family_rooms", "address" };

typedef struct fac_import {
    eg_store *s;
    const eg_juris *tree;
    const eg_facility_params *p;
    size_t col[C__N];
    int has[C__N];
} fac_import;

static eg_err fac_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    fac_import *im = ctx;
    for (int i = 0; i < C__N; i++) {
        eg_err e = eg_csv_find(csv, COLS[i], &im->col[i], i <= C_STANDBY ? d : NULL);
        im->has[i] = e == EG_OK;
        if (e && i <= C_STANDBY)
            return e;
    }
    return EG_OK;
}

/* Parse a count of places: "" → def (-1: required), else 0..100000. */
static int parse_places(const char *v, int def, int *out)
{
    char *end;
    long x;
    if (!*v) {
        *out = def;
        return def < 0 ? -2 : 0;
    }
    x = strtol(v, &end, 10);
    if (*end || x < 0 || x > 100000)
        return -1;
    *out = (int)x;
    return 0;
}

static eg_err fac_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    fac_import *im = ctx;
    const char *v[C__N];
    const eg_juris_node *node;
    eg_facility f, old;
    int created = 0, def_use = -1, def_standby = -1, r;
    eg_err e;
    for (int i = 0; i < C__N; i++)
        v[i] = im->has[i] ? eg_csv_field(csv, im->col[i]) : "";
    for (int i = 0; i <= C_JURIS; i++)
        if (!v[i][0])
            return eg_import_rowf(o, res, csv, 0, COLS[i], "missing required value"), EG_OK;
    if (!eg_facility_kind_valid(v[C_KIND]))
        return eg_import_rowf(o, res, csv, 0, "kind", "'%s' is not isolation_site, fever_clinic or "
                              "designated_hospital", v[C_KIND]), EG_OK;
    node = eg_juris_find(im->tree, v[C_JURIS]);
    if (!node)
        return eg_import_rowf(o, res, csv, 0, "juris_code", "'%s' is not a division of the tree", v[C_JURIS]),
               EG_OK;
    memset(&f, 0, sizeof f);
    FAC_COPY(f.facility_id, v[C_ID]);
    FAC_COPY(f.name, v[C_NAME]);
    FAC_COPY(f.kind, v[C_KIND]);
    FAC_COPY(f.juris_code, node->code);
    FAC_COPY(f.address, v[C_ADDRESS]);
    if (strcmp(f.kind, "fever_clinic") == 0)
        def_use = im->p->clinic_in_use, def_standby = im->p->clinic_standby;
    else if (strcmp(f.kind, "designated_hospital") == 0)
        def_use = im->p->hospital_in_use, def_standby = im->p->hospital_standby;
    else
        def_standby = 0;
    if ((r = parse_places(v[C_USE], def_use, &f.places_in_use)))
        return eg_import_rowf(o, res, csv, 0, "places_in_use", r == -2 ? "an isolation site must give its rooms"
                              : "'%s' is not a number of places (0 or more)", v[C_USE]), EG_OK;
    if (parse_places(v[C_STANDBY], def_standby, &f.places_standby))
        return eg_import_rowf(o, res, csv, 0, "places_standby", "'%s' is not a number of places (0 or more)",
                              v[C_STANDBY]), EG_OK;
    if (parse_places(v[C_FAMILY], 0, &f.family_rooms))
        return eg_import_rowf(o, res, csv, 0, "family_rooms", "'%s' is not a number of rooms", v[C_FAMILY]),
               EG_OK;
    if (f.family_rooms && strcmp(f.kind, "isolation_site"))
        return eg_import_rowf(o, res, csv, 0, "family_rooms", "only an isolation site has family rooms"), EG_OK;
    if (f.family_rooms > f.places_in_use + f.places_standby)
        return eg_import_rowf(o, res, csv, 0, "family_rooms", "%d family rooms is more than the site's %d rooms",
                              f.family_rooms, f.places_in_use + f.places_standby), EG_OK;
    e = eg_store_facility_get(im->s, f.facility_id, &old);
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    if (!e && old.occupied > 0 && strcmp(old.kind, f.kind))
        return eg_import_rowf(o, res, csv, 0, "kind", "%ld persons are admitted to %s: its kind cannot change",
                              old.occupied, f.facility_id), EG_OK;
    if (!e && old.occupied > f.places_in_use + (old.standby_opened_at ? f.places_standby : 0))
        return eg_import_rowf(o, res, csv, 0, "places_in_use", "%ld persons are admitted to %s: fewer places "
                              "than that are refused", old.occupied, f.facility_id), EG_OK;
    f.synthetic = o->synthetic;
    f.created_at = o->now;
    if ((e = eg_store_facility_put(im->s, &f, &created)))
        return e;
    res->imported++;
    res->updated += !created;
    return EG_OK;
}

/* See epigrid/facility.h. */
eg_err eg_facility_import(eg_store *s, const eg_juris *tree, const eg_facility_params *p, const char *path,
                          const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    static const eg_importer IMP = { "facilities", fac_setup, fac_row, NULL };
    fac_import im = { .s = s, .tree = tree, .p = p };
    return eg_import_file(s, &IMP, &im, path, o, res, d);
}
