/*
 * epigrid/registry.h: the population registry (人口登记).
 *
 * Persons from persons.csv (spec/formats.md), keyed by the normalised
 * document number (for resident identity numbers: GB 11643-1999 checked,
 * final x stored as X), deduplicated: a later row updates the person in
 * place (its opaque id and everything linked to it are kept) and each
 * field it changes is reported as a warning. Each person is placed in the
 * deepest node of the jurisdiction tree that the address code names.
 */
#ifndef EPIGRID_REGISTRY_H
#define EPIGRID_REGISTRY_H

#include "epigrid/error.h"
#include "epigrid/idno.h"
#include "epigrid/import.h"
#include "epigrid/juris.h"
#include "epigrid/store.h"
#include "epigrid/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Document types of persons.csv; `resident_id` is the default and the
 * only one with a checksum. */
int eg_doc_type_valid(const char *doc_type);

/*
 * Import persons.csv in one transaction (see the file comment).
 * Rejected rows: a missing id_no, name or address_code; an identity
 * number refused by eg_idno_check (the reason names which rule); an
 * unknown doc_type; a sex other than M/F/empty; a birth_date in a form
 * that is not accepted; a phone that is not a phone number; an
 * address_code that is not a code or lies in no node of `j`.
 * Warnings: sex or birth_date disagreeing with the number (the number
 * wins); changed fields of a person seen before.
 * `o->now` gives today for the future-birth-date rule.
 * Returns as eg_juris_import.
 */
eg_err eg_registry_import(eg_store *s, eg_normalizer *norm, const eg_juris *j,
                          const char *path, const eg_import_opts *o,
                          eg_import_result *res, eg_diag *d);

/*
 * Look a person up by document number (any accepted form: blanks, x) and
 * call fn with the record, after appending an audit record (`actor`,
 * `now`, action "person.show") because the caller is about to show
 * unmasked personal data. Returns EG_OK, EG_ERR_NOT_FOUND, EG_ERR_DB, or
 * what fn returned.
 */
eg_err eg_registry_show(eg_store *s, const char *id_no, const char *actor, eg_time now,
                        eg_person_fn fn, void *ctx);

/* Normalise a document number of type `doc_type` for lookup: resident
 * ids trimmed with final x → X; others trimmed and upper-cased. out:
 * EG_DOCNO_BUFSZ bytes. Returns EG_OK or EG_ERR_INVALID (empty, too long,
 * characters other than letters, digits and '-'). */
eg_err eg_docno_normalize(const char *doc_type, const char *in, char *out);

#ifdef __cplusplus
}
#endif
#endif
