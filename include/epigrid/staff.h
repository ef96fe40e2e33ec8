/*
 * epigrid/staff.h: officials and workers (六级书记抓防控, 三级网格长).
 *
 * Roles of staff.csv (spec/formats.md): the secretaries of each level,
 * first secretaries stationed in villages, grid leaders, city leaders in
 * charge of a county (包保), township and village cadres, police, doctors,
 * checkpoint staff, clinicians, CDC staff and volunteers. Each staff row is
 * responsible for, or works in, one node of the jurisdiction tree.
 */
#ifndef EPIGRID_STAFF_H
#define EPIGRID_STAFF_H

#include <stddef.h>
#include "epigrid/error.h"
#include "epigrid/import.h"
#include "epigrid/juris.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One role: its name in files and the API, and its Chinese name. */
typedef struct eg_staff_role {
    const char *name;     /* "city_leader" */
    const char *name_zh;  /* "市级领导包保" */
} eg_staff_role;

/* The roles of spec/formats.md, in that order; `n` receives the count.
 * Static array owned by the library. */
const eg_staff_role *eg_staff_roles(size_t *n);

/* The role named `name`, or NULL when unknown. */
const eg_staff_role *eg_staff_role_find(const char *name);

/*
 * Import staff.csv (`staff_id,name,phone,role,juris_code[,unit]`, all but
 * unit required) in one transaction. Rejected rows: a missing value, an
 * unknown role, a juris_code that is not a code or not in the tree `j`,
 * a phone that is not 7 to 20 digits (a leading + and blanks or dashes are
 * allowed). A later row with the same staff_id updates the earlier one.
 * Returns as eg_juris_import.
 */
eg_err eg_staff_import(eg_store *s, const eg_juris *j, const char *path,
                       const eg_import_opts *o, eg_import_result *res, eg_diag *d);

/* Normalise a phone number: keep digits and a leading '+', drop blanks and
 * dashes. out: at least strlen(in)+1 bytes. Returns EG_OK or
 * EG_ERR_INVALID (other characters, or fewer than 7 / more than 20 digits). */
eg_err eg_phone_normalize(const char *in, char *out, size_t size);

#ifdef __cplusplus
}
#endif
#endif
