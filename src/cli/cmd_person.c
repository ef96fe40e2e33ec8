/*
 * cli/cmd_person.c: `epigrid person show ID_NO [--masked]`.
 *
 * Showing unmasked personal data is recorded in the audit log under the
 * operating-system user (spec/api.md).
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "epigrid/idno.h"
#include "epigrid/registry.h"

static void person_usage(FILE *f)
{
    fputs("usage: epigrid person show ID_NO [--masked] [--format table|csv|json]\n\n"
          "Show a registered person: identity number, name, sex, birth date, phone, address\n"
          "and the node of the jurisdiction tree the person is placed in. Unmasked output is\n"
          "recorded in the audit log (who: the operating-system user; when: the clock; whom).\n"
          "--masked shows 220502********123X and 138****1234 instead, and is not audited.\n", f);
}

typedef struct show_ctx {
    eg_cli *cli;
    int masked;
    eg_err err;
} show_ctx;

static eg_err print_person(void *ctx, const eg_person_rec *r)
{
    show_ctx *c = ctx;
    static const eg_column COLS[] = {
        { "pid", EG_COL_STR }, { "id_no", EG_COL_STR }, { "doc_type", EG_COL_STR },
        { "name", EG_COL_STR }, { "sex", EG_COL_STR }, { "birth_date", EG_COL_STR },
        { "phone", EG_COL_STR }, { "address_code", EG_COL_STR }, { "address", EG_COL_STR },
        { "jurisdiction_code", EG_COL_STR }, { "synthetic", EG_COL_INT },
    };
    char id[EG_DOCNO_BUFSZ + 8], phone[40], birth[EG_DATE_BUFSZ] = "", syn[4];
    const char *v[11];
    eg_table *t = eg_table_new(COLS, 11);
    if (!t)
        return EG_ERR_NOMEM;
    if (r->birth_date != EG_NO_DATE)
        eg_date_format(r->birth_date, birth);
    snprintf(id, sizeof id, "%s", r->id_no);
    snprintf(phone, sizeof phone, "%s", r->phone);
    if (c->masked) {
        eg_idno_mask(r->id_no, id);
        eg_phone_mask(r->phone, phone);
    }
    snprintf(syn, sizeof syn, "%d", r->synthetic);
    v[0] = r->pid; v[1] = id; v[2] = r->doc_type; v[3] = r->name; v[4] = r->sex;
    v[5] = birth; v[6] = phone; v[7] = r->address_code; v[8] = r->address;
    v[9] = r->juris_code; v[10] = syn;
    c->err = eg_table_add(t, v);
    if (!c->err)
        c->err = eg_table_print(t, c->cli);
    eg_table_free(t);
    return c->err;
}

/* Lookup without audit, for --masked: the store's plain get. */
int eg_cmd_person(eg_cli *cli, int argc, char **argv)
{
    show_ctx c = { cli, 0, EG_OK };
    const char *id = NULL;
    char actor[128];
    eg_store *s;
    eg_err e;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return person_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (strcmp(argv[1], "show") != 0)
        return person_usage(cli->err), EG_EX_USAGE;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--masked") == 0)
            c.masked = 1;
        else if (!id && argv[i][0] != '-')
            id = argv[i];
        else
            return person_usage(cli->err), EG_EX_USAGE;
    }
    if (!id)
        return person_usage(cli->err), EG_EX_USAGE;
    if (eg_cli_open_store(cli, &s))
        return EG_EX_SOFTWARE;
    if (c.masked) {
        char norm[EG_DOCNO_BUFSZ];
        e = eg_docno_normalize("resident_id", id, norm) ? EG_ERR_NOT_FOUND
                                                        : eg_store_person_get(s, norm, print_person, &c);
    } else {
        e = eg_registry_show(s, id, eg_cli_actor(actor, sizeof actor), eg_clock_now(&cli->clock),
                             print_person, &c);
    }
    eg_store_close(s);
    if (e == EG_ERR_NOT_FOUND) {
        fprintf(cli->err, "epigrid: person show: no person with document number %s\n", id);
        return EG_EX_NOINPUT;
    }
    if (e)
        eg_cli_error(cli, e, NULL, "person show");
    return eg_cli_exit_code(e);
}
