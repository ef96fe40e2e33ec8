/*
 * cli/cmd_person.c: `epigrid person show ID_NO [--masked]`.
 *
 * Showing unmasked personal data is recorded in the audit log under the
 * operating-system user (spec/api.md).
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "epigrid/feed.h"
#include "epigrid/idno.h"
#include "epigrid/registry.h"

static void person_usage(FILE *f)
{
    fputs("usage: epigrid person show ID_NO [--masked] [--format table|csv|json]\n"
          "       epigrid person trips ID_NO [--format table|csv|json]\n\n"
          "trips: the person's itinerary (行程) from the travel feed: legs in order of departure,\n"
          "  the stay at each place (days from arriving there to the next departure), the risk\n"
          "  areas each leg touched within their validity window (from_code at departure or\n"
          "  to_code at arrival), and the case trips (同行程) that shared the trip: same mode,\n"
          "  number (or codeshare partner) and date; `same place` when the carriage (train) or\n"
          "  a row within 3 (flight) also agrees or is unknown. Audited like show.\n\n"
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

/* Text of the risk areas a leg touched: "武汉市 4201 high; ...". */
static void areas_text(const eg_itin_leg *il, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = 0;
    for (size_t i = 0; i < il->n_areas && off < size; i++)
        off += (size_t)snprintf(buf + off, size - off, "%s%s %s %s", i ? "; " : "",
                                il->areas[i].name, il->areas[i].code, il->areas[i].level);
}

/* Text of the case trips sharing a leg's trip. */
static void cases_text(const eg_itin_leg *il, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = 0;
    for (size_t i = 0; i < il->n_cases && off < size; i++) {
        const eg_case_trip *t = &il->cases[i].trip;
        char car[16] = "", d[EG_DATE_BUFSZ];
        if (t->car)
            snprintf(car, sizeof car, " car %d", t->car);
        off += (size_t)snprintf(buf + off, size - off, "%s%s %s%s%s%s %s%s", i ? "; " : "",
                                t->nos[0], eg_date_format(t->date, d), car, t->seat[0] ? " seat " : "",
                                t->seat, t->status == EG_CASE_SUSPECTED ? "suspected" : "confirmed",
                                il->cases[i].same_place ? " (same place)" : " (same trip only)");
    }
}

/* `person trips ID_NO`: print the itinerary, audited. */
static int person_trips(eg_cli *cli, eg_store *s, const char *id)
{
    static const eg_column COLS[] = {
        { "leg", EG_COL_INT }, { "dep_date", EG_COL_STR }, { "dep_time", EG_COL_STR },
        { "mode", EG_COL_STR }, { "trip_no", EG_COL_STR }, { "from", EG_COL_STR },
        { "to", EG_COL_STR }, { "arr_date", EG_COL_STR }, { "car", EG_COL_STR },
        { "seat", EG_COL_STR }, { "stay_days", EG_COL_INT }, { "risk_areas", EG_COL_STR },
        { "case_trips", EG_COL_STR },
    };
    eg_itinerary *it = NULL;
    eg_table *t = NULL;
    char actor[128], masked[EG_DOCNO_BUFSZ + 8], detail[96];
    eg_err e = eg_itinerary_build(s, id, &it);
    if (e == EG_ERR_NOT_FOUND) {
        fprintf(cli->err, "epigrid: person trips: no legs for document number %s\n", id);
        return EG_EX_NOINPUT;
    }
    if (!e) {
        snprintf(detail, sizeof detail, "itinerary of %s", eg_idno_mask(it->id_no, masked));
        eg_audit_rec a = { .at = eg_clock_now(&cli->clock), .actor = eg_cli_actor(actor, sizeof actor),
                           .action = "person.trips", .person_pid = "", .detail = detail };
        e = eg_store_audit_add(s, &a);
    }
    if (!e && !(t = eg_table_new(COLS, sizeof COLS / sizeof COLS[0])))
        e = EG_ERR_NOMEM;
    for (size_t i = 0; !e && i < it->n; i++) {
        const eg_itin_leg *il = &it->legs[i];
        const eg_leg *l = &il->leg;
        char n[24], dd[EG_DATE_BUFSZ], ad[EG_DATE_BUFSZ], tm[16] = "", from[96], to[96], car[16] = "",
             stay[16] = "", areas[512], cases[1024];
        snprintf(n, sizeof n, "%zu", i + 1);
        if (l->dep_minute != EG_NO_MINUTE)
            snprintf(tm, sizeof tm, "%02d:%02d", l->dep_minute / 60, l->dep_minute % 60);
        snprintf(from, sizeof from, "%s %s", l->from_code, l->from_name);
        snprintf(to, sizeof to, "%s %s", l->to_code, l->to_name);
        if (l->car)
            snprintf(car, sizeof car, "%d", l->car);
        if (il->has_next)
            snprintf(stay, sizeof stay, "%d", il->stay_days);
        areas_text(il, areas, sizeof areas);
        cases_text(il, cases, sizeof cases);
        const char *v[] = { n, eg_date_format(l->dep_date, dd), tm, eg_mode_name(l->mode), l->trip_no,
                            from, to, eg_date_format(l->arr_date, ad), car, l->seat, stay, areas, cases };
        e = eg_table_add(t, v);
    }
    if (!e)
        e = eg_table_print(t, cli);
    eg_table_free(t);
    eg_itinerary_free(it);
    if (e)
        eg_cli_error(cli, e, NULL, "person trips");
    return eg_cli_exit_code(e);
}

int eg_cmd_person(eg_cli *cli, int argc, char **argv)
{
    show_ctx c = { cli, 0, EG_OK };
    const char *id = NULL;
    char actor[128];
    eg_store *s;
    eg_err e;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return person_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (strcmp(argv[1], "show") != 0 && strcmp(argv[1], "trips") != 0)
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
    int rc_open = eg_cli_open_existing(cli, &s);
    if (rc_open)
        return rc_open;
    if (strcmp(argv[1], "trips") == 0) {
        int rc = person_trips(cli, s, id);
        eg_store_close(s);
        return rc;
    }
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
