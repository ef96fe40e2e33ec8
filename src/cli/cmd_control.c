/*
 * cli/cmd_control.c: `epigrid control`: list and show orders with their
 * history and team, open orders, apply transitions (admit, expose,
 * suspect, exclude, confirm, severity, discharge, release, upgrade),
 * record a clinician's assessment, print notices, issue and revoke
 * self-report links, and show or set the parameters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_control.h"

static void control_usage(FILE *f)
{
    fputs("usage: epigrid control list [--juris CODE] [--state S|running] [--measure M] [--limit N] [--reveal]\n"
          "       epigrid control show ORDER [--masked]          (order, history, team; audited)\n"
          "       epigrid control open --id-no ID --measure M [--start DATE] [--severity S] [--juris CODE]\n"
          "                            [--name NAME] [--reason TEXT]\n"
          "       epigrid control ACTION ORDER [--date DATE] [--severity S] [--reason TEXT]\n"
          "       epigrid control assess ORDER --symptoms improved|not --imaging improved|not [--note TEXT]\n"
          "       epigrid control notice ORDER [--out FILE] [--template FILE]   (printable HTML; audited)\n"
          "       epigrid control token ORDER [--revoke]\n"
          "       epigrid control params [--set NAME=VALUE]\n\n"
          "Control orders (管控措施) and their life. ORDER is an order id (16 hex) or an identity\n"
          "number (the person's running, else latest, order). Measures: home_quarantine (居家隔离\n"
          "医学观察, 14 days from arrival), central_isolation (集中隔离医学观察, 14 days from the last\n"
          "exposure; awaiting_admission until admitted), suspected (疑似病例), confirmed (确诊病例,\n"
          "severity mild|moderate|severe|critical), post_discharge_observation (14 days).\n"
          "ACTION is one of:\n"
          "  admit      central isolation awaiting admission → active (until facilities exist)\n"
          "  expose     a new exposure on --date: start and end move\n"
          "  suspect    observation → suspected (in hospital) from --date\n"
          "  exclude    suspected → excluded after two negative nucleic-acid tests >= 24 h apart and\n"
          "             the minimum stay (default 14 days); back to the observation still running,\n"
          "             else released\n"
          "  confirm    → confirmed with --severity;  severity: change it\n"
          "  discharge  confirmed → observation after discharge (temperature normal > 3 days,\n"
          "             symptoms and imaging improved by `assess`, two negative tests >= 24 h apart)\n"
          "  release    an observation whose end date has come;  upgrade: home → central isolation\n"
          "A refused transition names the missing condition, changes nothing and exits 65.\n"
          "Every change is recorded with who (the operating-system user), when (the clock) and why.\n"
          "Lists mask identity numbers (220502********123X) unless --reveal, which is audited.\n"
          "params: the durations and thresholds with their defaults and sources; --set stores one.\n"
          "Output: --format table|csv|json|jsonl. Exit: 0, 64 usage, 65 refused or bad input, 66 no database.\n", f);
}

/* Column layout of order lists. */
static const eg_column ORDER_COLS[] = {
    { "order", EG_COL_STR }, { "id_no", EG_COL_STR }, { "name", EG_COL_STR }, { "measure", EG_COL_STR },
    { "state", EG_COL_STR }, { "severity", EG_COL_STR }, { "start", EG_COL_STR }, { "end", EG_COL_STR },
    { "juris", EG_COL_STR }, { "rules", EG_COL_STR }, { "updated_at", EG_COL_STR },
};
#define N_ORDER_COLS (sizeof ORDER_COLS / sizeof ORDER_COLS[0])

typedef struct list_ctx {
    const eg_cli *cli;
    eg_store *s;
    eg_table *t;
    int reveal;
    const char *action;
} list_ctx;

static eg_err add_order_row(void *ctx, const eg_ctl_order *o)
{
    list_ctx *c = ctx;
    char id[EG_CTL_DOC_BUFSZ], a[EG_DATE_BUFSZ], b[EG_DATE_BUFSZ], u[EG_TIME_BUFSZ], det[64];
    snprintf(det, sizeof det, "order %s", o->oid);
    const char *v[] = { o->oid, ctl_show_id(c->cli, c->s, o->id_no, c->reveal, c->action, det, id), o->name,
                        o->measure, o->state, o->severity, ctl_date(o->start_date, a), ctl_date(o->end_date, b),
                        o->juris_code, o->rules, ctl_time(o->updated_at, u) };
    return eg_table_add(c->t, v);
}

/* `control list`. */
static int cmd_list(eg_cli *cli, eg_store *s, const ctl_args *a)
{
    list_ctx c = { cli, s, eg_table_new(ORDER_COLS, N_ORDER_COLS), ctl_opt(a, "reveal") != NULL, "control.list" };
    const char *lim = ctl_opt(a, "limit");
    eg_ctl_filter f = { .juris = ctl_opt(a, "juris"), .state = ctl_opt(a, "state"), .kind = ctl_opt(a, "measure"),
                        .limit = lim ? atol(lim) : 0 };
    char code[EG_CODE_BUFSZ];
    eg_err e;
    if (!c.t)
        return EG_EX_SOFTWARE;
    if (f.juris && eg_code_short(f.juris, code) == EG_OK)
        f.juris = code;
    eg_control_filter_expand(&f);
    e = eg_store_ctl_order_each(s, &f, add_order_row, &c);
    if (!e)
        e = eg_table_print(c.t, cli);
    eg_table_free(c.t);
    return e ? ctl_fail(cli, e, NULL, "control list") : EG_EX_OK;
}

static eg_err add_event_row(void *ctx, const eg_ctl_event *e)
{
    char at[EG_TIME_BUFSZ], from[80], to[80];
    snprintf(from, sizeof from, "%s%s%s", e->from_measure, e->from_state[0] ? "/" : "", e->from_state);
    snprintf(to, sizeof to, "%s/%s", e->to_measure, e->to_state);
    const char *v[] = { ctl_time(e->at, at), e->action, from, to, e->actor, e->reason };
    return eg_table_add(ctx, v);
}

static eg_err add_member_row(void *ctx, const eg_ctl_member *m)
{
    char p[EG_TIME_BUFSZ], c[EG_TIME_BUFSZ];
    const char *v[] = { m->role, m->staff_id, m->staff_name, m->phone, m->staff_juris, m->state,
                        ctl_time(m->proposed_at, p), ctl_time(m->confirmed_at, c), m->confirmed_by };
    return eg_table_add(ctx, v);
}

/* `control show ORDER`: the order, its history and team. */
static int cmd_show(eg_cli *cli, eg_store *s, const ctl_args *a)
{
    static const eg_column HCOLS[] = {
        { "at", EG_COL_STR }, { "action", EG_COL_STR }, { "from", EG_COL_STR }, { "to", EG_COL_STR },
        { "actor", EG_COL_STR }, { "reason", EG_COL_STR },
    };
    static const eg_column TCOLS[] = {
        { "role", EG_COL_STR }, { "staff_id", EG_COL_STR }, { "name", EG_COL_STR }, { "phone", EG_COL_STR },
        { "staff_juris", EG_COL_STR }, { "state", EG_COL_STR }, { "proposed_at", EG_COL_STR },
        { "confirmed_at", EG_COL_STR }, { "confirmed_by", EG_COL_STR },
    };
    eg_ctl_order o;
    eg_err e = eg_control_order_get(s, a->pos[1], &o);
    if (e == EG_ERR_NOT_FOUND) {
        fprintf(cli->err, "epigrid: control show: no order '%s'\n", a->pos[1]);
        return EG_EX_DATAERR;
    }
    if (e)
        return ctl_fail(cli, e, NULL, "control show");
    list_ctx c = { cli, s, eg_table_new(ORDER_COLS, N_ORDER_COLS), ctl_opt(a, "masked") == NULL, "control.show" };
    eg_table *h = eg_table_new(HCOLS, 6), *t = eg_table_new(TCOLS, 9);
    if (!c.t || !h || !t)
        return EG_EX_SOFTWARE;
    e = add_order_row(&c, &o);
    if (!e)
        e = eg_store_ctl_event_each(s, o.id, add_event_row, h);
    if (!e)
        e = eg_store_ctl_member_each(s, o.id, eg_control_team_order(), add_member_row, t);
    if (!e) {
        int tab = cli->format == EG_FMT_TABLE;
        if (tab)
            fprintf(cli->out, "order\n");
        e = eg_table_print(c.t, cli);
        if (tab)
            fprintf(cli->out, "\nhistory\n");
        if (!e)
            e = eg_table_print(h, cli);
        if (tab)
            fprintf(cli->out, "\nteam (四人一专班)\n");
        if (!e)
            e = eg_table_print(t, cli);
    }
    eg_table_free(c.t);
    eg_table_free(h);
    eg_table_free(t);
    return e ? ctl_fail(cli, e, NULL, "control show") : EG_EX_OK;
}

/* `control open`. */
static int cmd_open(eg_cli *cli, eg_store *s, const eg_control_params *p, const ctl_args *a)
{
    char actor[128], id[EG_CTL_DOC_BUFSZ];
    eg_date start = EG_NO_DATE;
    eg_ctl_order o;
    eg_diag d;
    eg_err e;
    if (!ctl_opt(a, "id-no") || !ctl_opt(a, "measure")) {
        fprintf(cli->err, "epigrid: control open needs --id-no and --measure\n");
        return EG_EX_USAGE;
    }
    if (ctl_opt(a, "start") && ctl_parse_date(cli, "start", ctl_opt(a, "start"), &start))
        return EG_EX_USAGE;
    eg_diag_clear(&d);
    e = eg_control_open(s, p, ctl_opt(a, "id-no"), ctl_opt(a, "name"), ctl_opt(a, "measure"), ctl_opt(a, "severity"),
                        start, ctl_opt(a, "juris"), eg_cli_actor(actor, sizeof actor), eg_clock_now(&cli->clock), &o,
                        &d);
    if (e)
        return ctl_fail(cli, e, &d, "control open");
    fprintf(cli->out, "order %s: %s %s/%s from %s\n", o.oid, ctl_show_id(cli, s, o.id_no, 0, NULL, NULL, id),
            o.measure, o.state, ctl_date(o.start_date, actor));
    return EG_EX_OK;
}

/* `control ACTION ORDER`. */
static int cmd_transition(eg_cli *cli, eg_store *s, const eg_control_params *p, eg_control_action act,
                          const ctl_args *a)
{
    char actor[128], b1[EG_DATE_BUFSZ], b2[EG_DATE_BUFSZ];
    eg_control_change c = { .action = act, .date = EG_NO_DATE, .severity = ctl_opt(a, "severity"),
                            .reason = ctl_opt(a, "reason"), .actor = eg_cli_actor(actor, sizeof actor),
                            .now = eg_clock_now(&cli->clock) };
    eg_ctl_order o;
    eg_diag d;
    eg_err e;
    if (ctl_opt(a, "date") && ctl_parse_date(cli, "date", ctl_opt(a, "date"), &c.date))
        return EG_EX_USAGE;
    eg_diag_clear(&d);
    e = eg_control_transition(s, p, a->pos[1], &c, &o, &d);
    if (e)
        return ctl_fail(cli, e, &d, "control");
    fprintf(cli->out, "order %s: %s → %s/%s%s%s, %s to %s\n", o.oid, eg_control_action_name(act), o.measure, o.state,
            o.severity[0] ? " " : "", o.severity, ctl_date(o.start_date, b1), ctl_date(o.end_date, b2));
    return EG_EX_OK;
}

/* Parse improved|not. */
static int improved(const char *v)
{
    return v && (strcmp(v, "improved") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "1") == 0);
}

/* `control assess ORDER`. */
static int cmd_assess(eg_cli *cli, eg_store *s, const ctl_args *a)
{
    char actor[128];
    eg_diag d;
    eg_err e;
    if (!ctl_opt(a, "symptoms") || !ctl_opt(a, "imaging")) {
        fprintf(cli->err, "epigrid: control assess needs --symptoms improved|not and --imaging improved|not\n");
        return EG_EX_USAGE;
    }
    eg_diag_clear(&d);
    e = eg_control_assess(s, a->pos[1], improved(ctl_opt(a, "symptoms")), improved(ctl_opt(a, "imaging")),
                          ctl_opt(a, "note"), eg_cli_actor(actor, sizeof actor), eg_clock_now(&cli->clock), &d);
    if (e)
        return ctl_fail(cli, e, &d, "control assess");
    fprintf(cli->out, "assessment recorded for %s\n", a->pos[1]);
    return EG_EX_OK;
}

/* `control notice ORDER`: printable HTML, audited (it shows the identity
 * number). */
static int cmd_notice(eg_cli *cli, eg_store *s, const eg_control_params *p, const ctl_args *a)
{
    const char *out = ctl_opt(a, "out"), *tpath = ctl_opt(a, "template");
    char *tpl = NULL;
    eg_ctl_order o;
    eg_diag d;
    eg_err e;
    FILE *f = cli->out;
    if (tpath) {
        FILE *tf = fopen(tpath, "rb");
        long n;
        if (!tf) {
            fprintf(cli->err, "epigrid: control notice: cannot read %s\n", tpath);
            return EG_EX_NOINPUT;
        }
        fseek(tf, 0, SEEK_END);
        n = ftell(tf);
        rewind(tf);
        tpl = malloc((size_t)n + 1);
        if (!tpl || fread(tpl, 1, (size_t)n, tf) != (size_t)n) {
            fclose(tf);
            free(tpl);
            return EG_EX_SOFTWARE;
        }
        tpl[n] = 0;
        fclose(tf);
    }
    eg_cli_outfile of;
    if (out && !(f = eg_cli_outfile_open(&of, out))) {
        free(tpl);
        fprintf(cli->err, "epigrid: control notice: cannot write %s: %s\n", out, strerror(errno));
        return EG_EX_SOFTWARE;
    }
    eg_diag_clear(&d);
    e = eg_control_notice(s, p, a->pos[1], tpl, eg_clock_now(&cli->clock), f, &d);
    if (out && eg_cli_outfile_close(&of, e == EG_OK) != 0 && !e) {
        free(tpl);
        fprintf(cli->err, "epigrid: control notice: cannot write %s: %s\n", out, strerror(errno));
        return EG_EX_SOFTWARE;
    }
    free(tpl);
    if (e)
        return ctl_fail(cli, e, &d, "control notice");
    if (eg_control_order_get(s, a->pos[1], &o) == EG_OK)
        ctl_audit(cli, s, o.id_no, "control.notice", o.oid);
    if (out)
        fprintf(cli->err, "notice written to %s\n", out);
    return EG_EX_OK;
}

/* `control token ORDER [--revoke]`. */
static int cmd_token(eg_cli *cli, eg_store *s, const ctl_args *a)
{
    char actor[128], tok[EG_TOKEN_BUFSZ];
    long n = 0;
    eg_diag d;
    eg_err e;
    eg_diag_clear(&d);
    if (ctl_opt(a, "revoke")) {
        e = eg_control_token_revoke(s, a->pos[1], eg_clock_now(&cli->clock), &n, &d);
        if (e)
            return ctl_fail(cli, e, &d, "control token");
        fprintf(cli->out, "%ld self-report link(s) revoked\n", n);
        return EG_EX_OK;
    }
    e = eg_control_token_issue(s, a->pos[1], eg_cli_actor(actor, sizeof actor), eg_clock_now(&cli->clock), tok, &d);
    if (e)
        return ctl_fail(cli, e, &d, "control token");
    fprintf(cli->out, "self-report link (shown once; only its hash is stored): /r/%s\n"
            "  posts to POST /api/v1/self-report/%s while the order runs\n", tok, tok);
    return EG_EX_OK;
}

/* `control params [--set NAME=VALUE]`. */
static int cmd_params(eg_cli *cli, eg_store *s, eg_control_params *p, const ctl_args *a)
{
    static const eg_column COLS[] = {
        { "name", EG_COL_STR }, { "value", EG_COL_STR }, { "default", EG_COL_STR }, { "unit", EG_COL_STR },
        { "source", EG_COL_STR },
    };
    const char *set = ctl_opt(a, "set");
    size_t n;
    const eg_control_param_info *t = eg_control_param_table(&n);
    eg_table *tab;
    eg_diag d;
    eg_err e = EG_OK;
    if (set) {
        char name[64];
        const char *eq = strchr(set, '=');
        if (!eq || eq == set || (size_t)(eq - set) >= sizeof name) {
            fprintf(cli->err, "epigrid: control params --set NAME=VALUE\n");
            return EG_EX_USAGE;
        }
        snprintf(name, sizeof name, "%.*s", (int)(eq - set), set);
        if ((e = eg_control_param_set(s, p, name, eq + 1, &d)))
            return ctl_fail(cli, e, &d, "control params");
    }
    if (!(tab = eg_table_new(COLS, 5)))
        return EG_EX_SOFTWARE;
    for (size_t i = 0; !e && i < n; i++) {
        char val[64];
        eg_control_param_get(p, t[i].name, val, sizeof val);
        const char *v[] = { t[i].name, val, t[i].def, t[i].unit, t[i].source };
        e = eg_table_add(tab, v);
    }
    if (!e)
        e = eg_table_print(tab, cli);
    eg_table_free(tab);
    return e ? EG_EX_SOFTWARE : EG_EX_OK;
}

/* See cli.h. */
int eg_cmd_control(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "reveal", "masked", "revoke", "help", NULL };
    static const char *const OPTS[] = { "juris", "state", "measure", "limit", "id-no", "start", "severity", "name",
                                        "reason", "date", "symptoms", "imaging", "note", "out", "template", "set",
                                        NULL };
    eg_control_params p;
    eg_control_action act;
    eg_store *s = NULL;
    ctl_args a;
    int rc;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return control_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (ctl_parse(cli, argc, argv, 1, FLAGS, OPTS, &a))
        return EG_EX_USAGE;
    const char *sub = a.pos[0];
    int is_act = eg_control_action_parse(sub, &act) == EG_OK;
    int needs_order = is_act || !strcmp(sub, "show") || !strcmp(sub, "assess") || !strcmp(sub, "notice") ||
                      !strcmp(sub, "token");
    if (!is_act && strcmp(sub, "list") && strcmp(sub, "open") && strcmp(sub, "params") && !needs_order) {
        fprintf(cli->err, "epigrid: control: unknown subcommand '%s'\n", sub);
        return control_usage(cli->err), EG_EX_USAGE;
    }
    if (a.npos != (needs_order ? 2 : 1)) {
        fprintf(cli->err, "epigrid: control %s: %s\n", sub, needs_order ? "give one ORDER (order id or identity "
                "number)" : "unexpected argument");
        return EG_EX_USAGE;
    }
    if ((rc = ctl_open(cli, &s, &p)))
        return rc;
    if (is_act)
        rc = cmd_transition(cli, s, &p, act, &a);
    else if (!strcmp(sub, "list"))
        rc = cmd_list(cli, s, &a);
    else if (!strcmp(sub, "show"))
        rc = cmd_show(cli, s, &a);
    else if (!strcmp(sub, "open"))
        rc = cmd_open(cli, s, &p, &a);
    else if (!strcmp(sub, "assess"))
        rc = cmd_assess(cli, s, &a);
    else if (!strcmp(sub, "notice"))
        rc = cmd_notice(cli, s, &p, &a);
    else if (!strcmp(sub, "token"))
        rc = cmd_token(cli, s, &a);
    else
        rc = cmd_params(cli, s, &p, &a);
    eg_store_close(s);
    return rc;
}
