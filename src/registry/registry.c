/*
 * registry/registry.c: the population registry: import of persons.csv,
 * deduplication by document number, placement in the tree, audited
 * lookups.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "epigrid/idno.h"
#include "epigrid/registry.h"
#include "epigrid/staff.h"

static const char *const DOC_TYPES[] = { "resident_id", "passport", "hk_macao", "taiwan", "other" };

int eg_doc_type_valid(const char *doc_type)
{
    for (size_t i = 0; i < sizeof DOC_TYPES / sizeof DOC_TYPES[0]; i++)
        if (strcmp(DOC_TYPES[i], doc_type) == 0)
            return 1;
    return 0;
}

eg_err eg_docno_normalize(const char *doc_type, const char *in, char *out)
{
    size_t n = 0;
    while (*in == ' ' || *in == '\t')
        in++;
    for (; *in; in++) {
        unsigned char c = (unsigned char)*in;
        if (c == ' ' || c == '\t')
            break;
        if (!isalnum(c) && c != '-')
            return EG_ERR_INVALID;
        if (n + 1 >= EG_DOCNO_BUFSZ)
            return EG_ERR_INVALID;
        out[n++] = (char)toupper(c);
    }
    for (; *in; in++)
        if (*in != ' ' && *in != '\t')
            return EG_ERR_INVALID;
    out[n] = 0;
    (void)doc_type;
    return n ? EG_OK : EG_ERR_INVALID;
}

enum { P_ID, P_NAME, P_SEX, P_BIRTH, P_PHONE, P_ADDR_CODE, P_ADDR, P_DOC, P__N };
static const char *const PCOLS[P__N] = {
    "id_no", "name", "sex", "birth_date", "phone", "address_code", "address", "doc_type"
};

typedef struct person_import {
    eg_store *s;
    eg_normalizer *norm;
    const eg_juris *j;
    size_t col[P__N];
    int has_doc;
} person_import;

static eg_err person_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    person_import *im = ctx;
    for (int i = 0; i < P_DOC; i++) {
        eg_err e = eg_csv_find(csv, PCOLS[i], &im->col[i], d);
        if (e)
            return e;
    }
    im->has_doc = eg_csv_find(csv, "doc_type", &im->col[P_DOC], NULL) == EG_OK;
    return EG_OK;
}

/* A person as stored before this row, for conflict reports. */
typedef struct old_person {
    int found;
    char name[256], sex[4], phone[32], address_code[EG_CODE_BUFSZ], address[512];
    eg_date birth;
} old_person;

static eg_err keep_old(void *ctx, const eg_person_rec *r)
{
    old_person *op = ctx;
    op->found = 1;
    snprintf(op->name, sizeof op->name, "%s", r->name);
    snprintf(op->sex, sizeof op->sex, "%s", r->sex);
    snprintf(op->phone, sizeof op->phone, "%s", r->phone);
    snprintf(op->address_code, sizeof op->address_code, "%s", r->address_code);
    snprintf(op->address, sizeof op->address, "%s", r->address);
    op->birth = r->birth_date;
    return EG_OK;
}

/* Report, as warnings, the fields the new record changes. */
static void report_conflicts(const old_person *op, const eg_person_rec *r, eg_csv *csv,
                             const eg_import_opts *o, eg_import_result *res)
{
    struct { const char *col, *was, *now; } f[] = {
        { "name", op->name, r->name }, { "sex", op->sex, r->sex },
        { "phone", op->phone, r->phone }, { "address_code", op->address_code, r->address_code },
        { "address", op->address, r->address },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strcmp(f[i].was, f[i].now) != 0)
            eg_import_rowf(o, res, csv, 1, f[i].col, "person %s seen before: '%s' replaced by '%s'",
                           r->id_no, f[i].was, f[i].now);
    if (op->birth != r->birth_date) {
        char a[EG_DATE_BUFSZ] = "", b[EG_DATE_BUFSZ] = "";
        if (op->birth != EG_NO_DATE)
            eg_date_format(op->birth, a);
        if (r->birth_date != EG_NO_DATE)
            eg_date_format(r->birth_date, b);
        eg_import_rowf(o, res, csv, 1, "birth_date", "person %s seen before: '%s' replaced by '%s'",
                       r->id_no, a, b);
    }
}

/* Check the identity fields of a row; fill id, sex, birth. Returns 0, or
 * -1 when the row was rejected. */
static int check_identity(eg_csv *csv, const eg_import_opts *o, eg_import_result *res,
                          const char *doc, const char *const *v, char *id, char *sex, eg_date *birth)
{
    eg_date given = EG_NO_DATE;
    if (v[P_BIRTH][0]) {
        eg_err e = eg_date_parse(v[P_BIRTH], &given);
        if (e)
            return eg_import_rowf(o, res, csv, 0, "birth_date", "'%s' is not a date "
                                  "(YYYY-MM-DD, YYYY/M/D or YYYYMMDD)", v[P_BIRTH]), -1;
    }
    if (v[P_SEX][0] && strcmp(v[P_SEX], "M") && strcmp(v[P_SEX], "F"))
        return eg_import_rowf(o, res, csv, 0, "sex", "'%s' is not M or F", v[P_SEX]), -1;
    snprintf(sex, 2, "%s", v[P_SEX]);
    *birth = given;
    if (strcmp(doc, "resident_id") == 0) {
        eg_idno_info info;
        eg_idno_reason why;
        char expected = 0;
        if (eg_idno_check(v[P_ID], eg_time_date(o->now), &info, &why, &expected)) {
            if (why == EG_IDNO_BAD_CHECK)
                return eg_import_rowf(o, res, csv, 0, "id_no", "%s: %s (expected %c)", v[P_ID],
                                      eg_idno_reason_str(why), expected), -1;
            return eg_import_rowf(o, res, csv, 0, "id_no", "%s: %s", v[P_ID],
                                  eg_idno_reason_str(why)), -1;
        }
        strcpy(id, info.norm);
        if (sex[0] && sex[0] != info.sex)
            eg_import_rowf(o, res, csv, 1, "sex", "'%s' disagrees with the identity number (%c); "
                           "the number wins", sex, info.sex);
        if (given != EG_NO_DATE && given != info.birth)
            eg_import_rowf(o, res, csv, 1, "birth_date", "'%s' disagrees with the identity "
                           "number; the number wins", v[P_BIRTH]);
        sex[0] = info.sex;
        sex[1] = 0;
        *birth = info.birth;
    } else if (eg_docno_normalize(doc, v[P_ID], id)) {
        return eg_import_rowf(o, res, csv, 0, "id_no", "'%s' is not a document number "
                              "(letters, digits and '-', at most %d)", v[P_ID],
                              EG_DOCNO_BUFSZ - 1), -1;
    }
    return 0;
}

/* Check and store one row whose fields are v[] (half-width already). */
static eg_err store_row(person_import *im, eg_csv *csv, const eg_import_opts *o,
                        eg_import_result *res, const char *const *v)
{
    char id[EG_DOCNO_BUFSZ], sex[4], phone[32] = "", code[EG_CODE_BUFSZ];
    const char *doc;
    eg_date birth;
    eg_juris_node *node;
    old_person op = { 0 };
    char *nn = NULL;
    int created = 0;
    eg_err e;

    for (int i = 0; i < P__N; i++)
        if ((i == P_ID || i == P_NAME || i == P_ADDR_CODE) && !v[i][0])
            return eg_import_rowf(o, res, csv, 0, PCOLS[i], "missing required value"), EG_OK;
    doc = v[P_DOC][0] ? v[P_DOC] : "resident_id";
    if (!eg_doc_type_valid(doc))
        return eg_import_rowf(o, res, csv, 0, "doc_type", "unknown document type '%s'", doc), EG_OK;
    if (check_identity(csv, o, res, doc, v, id, sex, &birth))
        return EG_OK;
    if (v[P_PHONE][0] && eg_phone_normalize(v[P_PHONE], phone, sizeof phone))
        return eg_import_rowf(o, res, csv, 0, "phone", "'%s' is not a phone number", v[P_PHONE]), EG_OK;
    if (eg_code_short(v[P_ADDR_CODE], code))
        return eg_import_rowf(o, res, csv, 0, "address_code", "'%s' is not a division code",
                              v[P_ADDR_CODE]), EG_OK;
    node = eg_juris_deepest(im->j, code);
    if (!node)
        return eg_import_rowf(o, res, csv, 0, "address_code", "'%s' lies in no node of the "
                              "jurisdiction tree", v[P_ADDR_CODE]), EG_OK;
    if (strcmp(node->code, code) != 0)
        eg_import_rowf(o, res, csv, 1, "address_code", "%s is not in the jurisdiction tree; "
                       "placed on %s %s, the deepest node it names", code, node->code, node->name);
    e = eg_text_normalize(im->norm, v[P_NAME], &nn);
    if (e)
        return e == EG_ERR_ENCODING ? (eg_import_rowf(o, res, csv, 0, "name", "invalid UTF-8"), EG_OK) : e;
    eg_person_rec r = {
        .pid = "", .id_no = id, .doc_type = doc, .name = v[P_NAME], .name_norm = nn,
        .sex = sex, .birth_date = birth, .phone = phone, .address_code = code,
        .address = v[P_ADDR], .juris_code = node->code, .synthetic = o->synthetic,
    };
    e = eg_store_person_get(im->s, id, keep_old, &op);
    if (e == EG_OK && op.found) {
        /* an empty optional field keeps what is stored: only values conflict */
        if (!r.phone[0])
            r.phone = op.phone;
        if (!r.address[0])
            r.address = op.address;
    }
    if (e == EG_OK || e == EG_ERR_NOT_FOUND)
        e = eg_store_person_put(im->s, &r, &created);
    if (!e) {
        if (op.found)
            report_conflicts(&op, &r, csv, o, res);
        res->imported++;
        if (!created)
            res->updated++;
    }
    free(nn);
    return e;
}

static eg_err person_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    person_import *im = ctx;
    const char *v[P__N];
    char *hw[P__N] = { 0 };
    eg_err e;
    for (int i = 0; i < P__N; i++)
        v[i] = (i == P_DOC && !im->has_doc) ? "" : eg_csv_field(csv, im->col[i]);
    /* full-width digits and letters (２２０５…) typed with a Chinese input
     * method are the same characters: make them half-width */
    for (int i = 0; i < P__N; i++) {
        if (i != P_ID && i != P_PHONE && i != P_ADDR_CODE && i != P_BIRTH && i != P_SEX)
            continue;
        if (eg_text_halfwidth(v[i], &hw[i]) == EG_OK)
            v[i] = hw[i];
    }
    e = store_row(im, csv, o, res, v);
    for (int i = 0; i < P__N; i++)
        free(hw[i]);
    return e;
}

eg_err eg_registry_import(eg_store *s, eg_normalizer *norm, const eg_juris *j,
                          const char *path, const eg_import_opts *o,
                          eg_import_result *res, eg_diag *d)
{
    static const eg_importer IMP = { "persons", person_setup, person_row, NULL };
    person_import im = { .s = s, .norm = norm, .j = j };
    return eg_import_file(s, &IMP, &im, path, o, res, d);
}

/* Lookup context: audit first, then hand the record to the caller. */
typedef struct show_ctx {
    eg_store *s;
    const char *actor;
    eg_time now;
    eg_person_fn fn;
    void *ctx;
} show_ctx;

static eg_err audit_then_show(void *ctx, const eg_person_rec *r)
{
    show_ctx *c = ctx;
    eg_audit_rec a = {
        .at = c->now, .actor = c->actor, .action = "person.show",
        .person_pid = r->pid, .detail = "unmasked id_no, phone, address",
    };
    eg_err e = eg_store_audit_add(c->s, &a);
    return e ? e : c->fn(c->ctx, r);
}

eg_err eg_registry_show(eg_store *s, const char *id_no, const char *actor, eg_time now,
                        eg_person_fn fn, void *ctx)
{
    char id[EG_DOCNO_BUFSZ];
    show_ctx c = { s, actor, now, fn, ctx };
    if (eg_docno_normalize("resident_id", id_no, id))
        return EG_ERR_NOT_FOUND;
    return eg_store_person_get(s, id, audit_then_show, &c);
}
