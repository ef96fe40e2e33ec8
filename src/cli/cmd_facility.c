/*
 * cli/cmd_facility.c: `epigrid facility`: isolation sites, fever clinics
 * and designated hospitals: list, admit (with allocation), discharge,
 * allocate (a proposal only), standby (open the standby places),
 * admissions, alerts, params. The rules are in epigrid/facility.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_control.h"
#include "epigrid/facility.h"
#include "epigrid/idno.h"

static void facility_usage(FILE *f)
{
    fputs("usage: epigrid facility list [--juris CODE] [--kind KIND]\n"
          "       epigrid facility admit PERSON [--facility ID]\n"
          "       epigrid facility discharge PERSON [--reason TEXT]\n"
          "       epigrid facility allocate PERSON | --kind KIND --juris CODE\n"
          "       epigrid facility standby ID --open\n"
          "       epigrid facility admissions [--facility ID] [--open] [--reveal]\n"
          "       epigrid facility alerts [--juris CODE] [--state open|resolved]\n"
          "       epigrid facility params [--set NAME=VALUE]\n\n"
          "Isolation sites (集中隔离点, rooms; family rooms counted apart), fever clinics (发热门诊,\n"
          "observation rooms, Tonghua's \"5+5\": in use + standby) and designated hospitals (定点医院,\n"
          "beds, \"20+10\"). Import them with `epigrid import facilities FILE`.\n"
          "PERSON is an order id or an identity number (the running order). admit: a person awaiting\n"
          "central isolation gets an isolation-site room (the order becomes active in the same\n"
          "transaction), a suspected case a fever-clinic room or a hospital bed, a confirmed case a\n"
          "hospital bed; without --facility the allocation chooses: a facility of the person's county\n"
          "with a free place, else the nearest by the tree. A full facility or one of the wrong kind is\n"
          "refused with the reason (exit 65). At 80 % of the places in use occupied a facility raises an\n"
          "alert to open its standby places (standby ID --open); a county without a free place alerts\n"
          "the city. discharge: a person who is not there, or whose measure still needs the place, is\n"
          "refused.\n", f);
}

/* Table of facilities. */
static eg_err add_facility(void *ctx, const eg_facility *f)
{
    char n[6][24], at[EG_TIME_BUFSZ];
    int cap = eg_facility_capacity(f);
    snprintf(n[0], sizeof n[0], "%d", cap);
    snprintf(n[1], sizeof n[1], "%d", eg_facility_standby_left(f));
    snprintf(n[2], sizeof n[2], "%d", f->family_rooms);
    snprintf(n[3], sizeof n[3], "%ld", f->occupied);
    snprintf(n[4], sizeof n[4], "%ld", cap - f->occupied);
    snprintf(n[5], sizeof n[5], "%d", f->synthetic);
    const char *row[] = { f->facility_id, f->name, f->kind, f->juris_code, n[0], n[1], n[2], n[3], n[4],
                          ctl_time(f->standby_opened_at, at), n[5] };
    return eg_table_add(ctx, row);
}

static int cmd_list(eg_cli *cli, eg_store *s, const ctl_args *a)
{
    static const eg_column COLS[] = {
        { "facility_id", EG_COL_STR }, { "name", EG_COL_STR }, { "kind", EG_COL_STR }, { "juris", EG_COL_STR },
        { "in_use", EG_COL_INT }, { "standby", EG_COL_INT }, { "family_rooms", EG_COL_INT },
        { "occupied", EG_COL_INT }, { "free", EG_COL_INT }, { "standby_opened_at", EG_COL_STR },
        { "illustrative", EG_COL_INT },
    };
    char code[EG_CODE_BUFSZ] = "";
    const char *juris = ctl_opt(a, "juris");
    eg_table *t = eg_table_new(COLS, sizeof COLS / sizeof COLS[0]);
    eg_err e;
    if (juris && eg_code_short(juris, code)) {
        eg_table_free(t);
        fprintf(cli->err, "epigrid: facility: --juris '%s' is not a division code\n", juris);
        return EG_EX_USAGE;
    }
    e = t ? eg_store_facility_each(s, code, ctl_opt(a, "kind"), add_facility, t) : EG_ERR_NOMEM;
    if (!e)
        e = eg_table_print(t, cli);
    eg_table_free(t);
    return e ? ctl_fail(cli, e, NULL, "facility list") : EG_EX_OK;
}

/* Admissions table context. */
typedef struct adm_ctx {
    eg_cli *cli;
    eg_store *s;
    eg_table *t;
    int reveal;
} adm_ctx;

static eg_err add_admission(void *ctx, const eg_admission *a)
{
    adm_ctx *c = ctx;
    char id[24], waited[32], idb[EG_CTL_DOC_BUFSZ], t1[EG_TIME_BUFSZ], t2[EG_TIME_BUFSZ], t3[EG_TIME_BUFSZ];
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    snprintf(waited, sizeof waited, "%.1f", a->waited_min / 60.0);
    const char *row[] = { id, a->facility_id, a->kind, a->oid,
                          ctl_show_id(c->cli, c->s, a->id_no, c->reveal, "facility.admissions", a->facility_id, idb),
                          a->name, a->juris_code, ctl_time(a->wait_since, t1), ctl_time(a->admitted_at, t2), waited,
                          ctl_time(a->discharged_at, t3), a->discharge_reason };
    return eg_table_add(c->t, row);
}

static int cmd_admissions(eg_cli *cli, eg_store *s, const ctl_args *a)
{
    static const eg_column COLS[] = {
        { "admission", EG_COL_INT }, { "facility_id", EG_COL_STR }, { "kind", EG_COL_STR }, { "order", EG_COL_STR },
        { "id_no", EG_COL_STR }, { "name", EG_COL_STR }, { "juris", EG_COL_STR }, { "wait_since", EG_COL_STR },
        { "admitted_at", EG_COL_STR }, { "waited_hours", EG_COL_NUM }, { "discharged_at", EG_COL_STR },
        { "discharge_reason", EG_COL_STR },
    };
    adm_ctx c = { cli, s, eg_table_new(COLS, sizeof COLS / sizeof COLS[0]), ctl_opt(a, "reveal") != NULL };
    eg_err e = c.t ? eg_store_admission_each(s, ctl_opt(a, "facility"), ctl_opt(a, "open") != NULL,
                                             add_admission, &c) : EG_ERR_NOMEM;
    if (!e)
        e = eg_table_print(c.t, cli);
    eg_table_free(c.t);
    return e ? ctl_fail(cli, e, NULL, "facility admissions") : EG_EX_OK;
}

static eg_err add_alert(void *ctx, const eg_fac_alert *a)
{
    char t1[EG_TIME_BUFSZ], t2[EG_TIME_BUFSZ], t3[EG_TIME_BUFSZ];
    const char *row[] = { a->aid, a->kind, a->juris_code, a->subject, a->state, ctl_time(a->created_at, t1),
                          ctl_time(a->due_at, t2), ctl_time(a->resolved_at, t3), a->reason };
    return eg_table_add(ctx, row);
}

static int cmd_alerts(eg_cli *cli, eg_store *s, const ctl_args *a)
{
    static const eg_column COLS[] = {
        { "alert", EG_COL_STR }, { "kind", EG_COL_STR }, { "juris", EG_COL_STR }, { "subject", EG_COL_STR },
        { "state", EG_COL_STR }, { "created_at", EG_COL_STR }, { "due_at", EG_COL_STR },
        { "resolved_at", EG_COL_STR }, { "reason", EG_COL_STR },
    };
    char code[EG_CODE_BUFSZ] = "";
    const char *juris = ctl_opt(a, "juris");
    eg_table *t;
    eg_err e;
    if (juris && eg_code_short(juris, code)) {
        fprintf(cli->err, "epigrid: facility: --juris '%s' is not a division code\n", juris);
        return EG_EX_USAGE;
    }
    t = eg_table_new(COLS, sizeof COLS / sizeof COLS[0]);
    e = t ? eg_store_fac_alert_each(s, code, ctl_opt(a, "state"), add_alert, t) : EG_ERR_NOMEM;
    if (!e)
        e = eg_table_print(t, cli);
    eg_table_free(t);
    return e ? ctl_fail(cli, e, NULL, "facility alerts") : EG_EX_OK;
}

/* Print one stay. */
static void print_stay(eg_cli *cli, const char *what, const eg_admission *a)
{
    char b[EG_TIME_BUFSZ], idb[EG_CTL_DOC_BUFSZ];
    fprintf(cli->out, "%s: %s (%s) in %s (%s) at %s", what, a->name, eg_idno_mask(a->id_no, idb), a->facility_id,
            a->kind, eg_time_format(a->discharged_at ? a->discharged_at : a->admitted_at, b));
    if (a->waited_min)
        fprintf(cli->out, " after %ld h %02ld min awaiting admission", a->waited_min / 60, a->waited_min % 60);
    fputc('\n', cli->out);
}

static int cmd_admit(eg_cli *cli, eg_store *s, const ctl_args *a, const char *person)
{
    eg_facility_params p;
    eg_admit_result r;
    eg_juris *j = NULL;
    char actor[128];
    eg_diag d;
    eg_err e;
    eg_diag_clear(&d);
    e = eg_facility_params_load(s, &p, &d);
    if (!e)
        e = eg_juris_load(s, &j);
    if (!e)
        e = eg_facility_admit(s, j, &p, person, ctl_opt(a, "facility"), eg_cli_actor(actor, sizeof actor),
                              eg_clock_now(&cli->clock), &r, &d);
    eg_juris_free(j);
    if (e)
        return ctl_fail(cli, e, &d, "facility admit");
    print_stay(cli, "admitted", &r.admission);
    if (r.transitioned)
        fprintf(cli->out, "  the order is central_isolation/active from now\n");
    if (r.transferred)
        fprintf(cli->out, "  the earlier stay was closed (transfer)\n");
    if (r.standby_alert)
        fprintf(cli->out, "  alert: %s reached the standby threshold (%d%%): open its standby places\n",
                r.admission.facility_id, p.standby_threshold_pct);
    if (r.county_full_alert)
        fprintf(cli->out, "  alert to the city: the person's county has no free place of this kind\n");
    return EG_EX_OK;
}

static int cmd_allocate(eg_cli *cli, eg_store *s, const ctl_args *a, const char *person)
{
    const char *one[2] = { ctl_opt(a, "kind"), NULL };
    const char *const *kinds = one;
    const char *juris = ctl_opt(a, "juris");
    eg_ctl_order o;
    eg_facility f;
    eg_juris *j = NULL;
    int county_full = 0;
    eg_diag d;
    eg_err e;
    eg_diag_clear(&d);
    if (person) {
        e = eg_control_order_get(s, person, &o);
        if (e)
            return ctl_fail(cli, e, &d, "facility allocate: no such order or person");
        kinds = eg_facility_kinds_for(&o);
        juris = o.juris_code;
        if (!kinds) {
            fprintf(cli->err, "epigrid: facility allocate: the order is %s/%s and needs no place\n", o.measure,
                    o.state);
            return EG_EX_DATAERR;
        }
    } else if (!one[0] || !juris || !eg_facility_kind_valid(one[0])) {
        facility_usage(cli->err);
        return EG_EX_USAGE;
    }
    e = eg_juris_load(s, &j);
    if (!e)
        e = eg_facility_allocate(s, j, kinds, juris, &f, &county_full, &d);
    eg_juris_free(j);
    if (e)
        return ctl_fail(cli, e, &d, "facility allocate");
    fprintf(cli->out, "proposed: %s %s (%s, %s): %ld of %d places free%s\n", f.facility_id, f.name, f.kind,
            f.juris_code, eg_facility_capacity(&f) - f.occupied, eg_facility_capacity(&f),
            county_full ? "; the person's county has none free: this is the nearest by the tree" : "");
    return EG_EX_OK;
}

static int cmd_params(eg_cli *cli, eg_store *s, const ctl_args *a)
{
    static const eg_column COLS[] = {
        { "name", EG_COL_STR }, { "value", EG_COL_INT }, { "default", EG_COL_STR }, { "unit", EG_COL_STR },
        { "source", EG_COL_STR },
    };
    eg_facility_params p;
    const eg_facility_param_info *t;
    size_t n;
    eg_diag d;
    eg_err e;
    const char *set = ctl_opt(a, "set");
    eg_diag_clear(&d);
    if ((e = eg_facility_params_load(s, &p, &d)))
        return ctl_fail(cli, e, &d, "facility params");
    if (set) {
        char name[96];
        const char *eq = strchr(set, '=');
        if (!eq || (size_t)(eq - set) >= sizeof name) {
            fprintf(cli->err, "epigrid: facility params: --set NAME=VALUE\n");
            return EG_EX_USAGE;
        }
        memcpy(name, set, (size_t)(eq - set));
        name[eq - set] = 0;
        if ((e = eg_facility_param_set(s, &p, name, eq + 1, &d)))
            return ctl_fail(cli, e, &d, "facility params");
    }
    t = eg_facility_param_table(&n);
    eg_table *tab = eg_table_new(COLS, 5);
    e = tab ? EG_OK : EG_ERR_NOMEM;
    for (size_t i = 0; !e && i < n; i++) {
        char v[32];
        int *vals[] = { &p.admission_overdue_hours, &p.standby_threshold_pct, &p.referral_outcome_hours,
                        &p.clinic_in_use, &p.clinic_standby, &p.hospital_in_use, &p.hospital_standby,
                        &p.escalate_hours };
        snprintf(v, sizeof v, "%d", i < 8 ? *vals[i] : 0);
        const char *row[] = { t[i].name, v, t[i].def, t[i].unit, t[i].source };
        e = eg_table_add(tab, row);
    }
    if (!e)
        e = eg_table_print(tab, cli);
    eg_table_free(tab);
    return e ? ctl_fail(cli, e, NULL, "facility params") : EG_EX_OK;
}

/* See cli.h. */
int eg_cmd_facility(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "help", "open", "reveal", NULL };
    static const char *const OPTS[] = { "juris", "kind", "facility", "reason", "state", "set", NULL };
    eg_control_params cp;
    eg_store *s = NULL;
    const char *sub;
    ctl_args a;
    eg_diag d;
    eg_err e;
    int rc;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return facility_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    sub = argv[1];
    if (ctl_parse(cli, argc, argv, 2, FLAGS, OPTS, &a))
        return facility_usage(cli->err), EG_EX_USAGE;
    if ((rc = ctl_open(cli, &s, &cp)))
        return rc;
    eg_diag_clear(&d);
    if (strcmp(sub, "list") == 0 && a.npos == 0) {
        rc = cmd_list(cli, s, &a);
    } else if (strcmp(sub, "admit") == 0 && a.npos == 1) {
        rc = cmd_admit(cli, s, &a, a.pos[0]);
    } else if (strcmp(sub, "discharge") == 0 && a.npos == 1) {
        eg_admission out;
        char actor[128];
        e = eg_facility_discharge(s, a.pos[0], ctl_opt(&a, "reason"), eg_cli_actor(actor, sizeof actor),
                                  eg_clock_now(&cli->clock), &out, &d);
        rc = e ? ctl_fail(cli, e, &d, "facility discharge") : (print_stay(cli, "discharged", &out), EG_EX_OK);
    } else if (strcmp(sub, "allocate") == 0 && a.npos <= 1) {
        rc = cmd_allocate(cli, s, &a, a.npos ? a.pos[0] : NULL);
    } else if (strcmp(sub, "standby") == 0 && a.npos == 1 && ctl_opt(&a, "open")) {
        char actor[128];
        e = eg_facility_open_standby(s, a.pos[0], eg_cli_actor(actor, sizeof actor), eg_clock_now(&cli->clock), &d);
        rc = e ? ctl_fail(cli, e, &d, "facility standby") : EG_EX_OK;
        if (!e)
            fprintf(cli->out, "standby places of %s opened\n", a.pos[0]);
    } else if (strcmp(sub, "admissions") == 0 && a.npos == 0) {
        rc = cmd_admissions(cli, s, &a);
    } else if (strcmp(sub, "alerts") == 0 && a.npos == 0) {
        rc = cmd_alerts(cli, s, &a);
    } else if (strcmp(sub, "params") == 0 && a.npos == 0) {
        rc = cmd_params(cli, s, &a);
    } else {
        facility_usage(cli->err);
        rc = EG_EX_USAGE;
    }
    eg_store_close(s);
    return rc;
}
