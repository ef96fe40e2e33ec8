/*
 * cli/cmd_checkpoint.c: `epigrid checkpoint`: temperature checkpoints
 * (体温监测点, triage at medical institutions included): list, log an hour,
 * record a fever (a referral to a fever clinic), record the clinic's
 * outcome, list fevers, and cumulative counts per checkpoint, county and
 * city. The rules are in epigrid/checkpoint.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "epigrid/array.h"
#include "cmd_control.h"
#include "epigrid/checkpoint.h"

static void checkpoint_usage(FILE *f)
{
    fputs("usage: epigrid checkpoint list [--juris CODE]\n"
          "       epigrid checkpoint log ID --hour \"YYYY-MM-DD HH:00\" --checked N --fevers N\n"
          "       epigrid checkpoint fever ID --at TIME --temp 37.8 [--id-no X] [--name N] [--phone P]\n"
          "                                 [--destination TEXT]\n"
          "       epigrid checkpoint outcome FEVER normal|suspected|other_illness\n"
          "       epigrid checkpoint fevers [--juris CODE] [--open] [--reveal]\n"
          "       epigrid checkpoint totals [--from DATE] [--to DATE]\n\n"
          "Checkpoints come from `epigrid import checkpoints FILE`; logs and fevers may also be imported\n"
          "(check-logs, fevers). A log is refused when a count is negative, when fevers exceed checks,\n"
          "or when checks exceed the checkpoint's maximum an hour; a fever below 37.3 °C is refused.\n"
          "Every fever is a referral to the nearest fever clinic; the clinic records the outcome; a\n"
          "fever without one after 6 h (facility params) raises an alert in the daily run (逢热必检).\n"
          "totals: cumulative checks, fevers, referrals and referrals without an outcome per\n"
          "checkpoint, county and city (--from/--to: days, inclusive).\n", f);
}

static eg_err add_checkpoint(void *ctx, const eg_checkpoint *c)
{
    char max[24], syn[8];
    snprintf(max, sizeof max, "%d", c->max_checks_per_hour);
    snprintf(syn, sizeof syn, "%d", c->synthetic);
    const char *row[] = { c->checkpoint_id, c->name, c->kind, c->juris_code, c->max_checks_per_hour ? max : "", syn };
    return eg_table_add(ctx, row);
}

/* Fevers table context. */
typedef struct fever_ctx {
    eg_cli *cli;
    eg_store *s;
    eg_table *t;
    int reveal;
} fever_ctx;

static eg_err add_fever(void *ctx, const eg_fever *f)
{
    fever_ctx *c = ctx;
    char temp[16], idb[EG_CTL_DOC_BUFSZ], t1[EG_TIME_BUFSZ], t2[EG_TIME_BUFSZ], t3[EG_TIME_BUFSZ];
    snprintf(temp, sizeof temp, "%d.%d", f->temp_dc / 10, f->temp_dc % 10);
    const char *row[] = { f->fid, f->checkpoint_id, f->juris_code, ctl_time(f->at, t1), temp,
                          f->id_no[0] ? ctl_show_id(c->cli, c->s, f->id_no, c->reveal, "checkpoint.fevers",
                                                    f->checkpoint_id, idb) : "",
                          f->name, f->clinic_id, ctl_time(f->due_at, t2), f->outcome, ctl_time(f->outcome_at, t3) };
    return eg_table_add(c->t, row);
}

/* Cumulative totals: per checkpoint rows, and sums per county and city. */
typedef struct totals_ctx {
    eg_table *t;
    const eg_juris *tree;
    struct sum { char code[EG_CODE_BUFSZ]; const char *name; long v[4]; } *sums;
    size_t n, cap;
} totals_ctx;

/* Add v to the sum of node `n`. */
static eg_err add_sum(totals_ctx *c, const eg_juris_node *n, const long *v)
{
    size_t i;
    for (i = 0; i < c->n && strcmp(c->sums[i].code, n->code); i++)
        ;
    if (i == c->n) {
        if (c->n == c->cap &&
            eg_array_grow(&c->sums, c->n, &c->cap, sizeof *c->sums))
            return EG_ERR_NOMEM;
        memset(&c->sums[c->n], 0, sizeof c->sums[0]);
        snprintf(c->sums[c->n].code, sizeof c->sums[0].code, "%s", n->code);
        c->sums[c->n].name = n->name;
        c->n++;
    }
    for (int k = 0; k < 4; k++)
        c->sums[i].v[k] += v[k];
    return EG_OK;
}

static eg_err add_total(void *ctx, const eg_checkpoint *cp, long checked, long fevers, long referrals,
                        long without_outcome)
{
    totals_ctx *c = ctx;
    long v[4] = { checked, fevers, referrals, without_outcome };
    char n[4][24];
    const eg_juris_node *node = eg_juris_deepest(c->tree, cp->juris_code);
    for (int k = 0; k < 4; k++)
        snprintf(n[k], sizeof n[k], "%ld", v[k]);
    const char *row[] = { "checkpoint", cp->checkpoint_id, cp->name, n[0], n[1], n[2], n[3] };
    eg_err e = eg_table_add(c->t, row);
    for (; !e && node; node = node->parent)
        if (node->level == EG_LEVEL_COUNTY || node->level == EG_LEVEL_CITY)
            e = add_sum(c, node, v);
    return e;
}

static int cmd_totals(eg_cli *cli, eg_store *s, const ctl_args *a)
{
    static const eg_column COLS[] = {
        { "level", EG_COL_STR }, { "code", EG_COL_STR }, { "name", EG_COL_STR }, { "checks", EG_COL_INT },
        { "fevers", EG_COL_INT }, { "referrals", EG_COL_INT }, { "without_outcome", EG_COL_INT },
    };
    eg_date from = EG_NO_DATE, to = EG_NO_DATE;
    eg_time t0 = 0, t1 = 0;
    eg_juris *j = NULL;
    totals_ctx c = { 0 };
    eg_err e;
    if ((ctl_opt(a, "from") && ctl_parse_date(cli, "from", ctl_opt(a, "from"), &from)) ||
        (ctl_opt(a, "to") && ctl_parse_date(cli, "to", ctl_opt(a, "to"), &to)))
        return EG_EX_USAGE;
    if (from != EG_NO_DATE)
        eg_time_from_parts(from, 0, 0, &t0);
    if (to != EG_NO_DATE)
        eg_time_from_parts(to + 1, 0, 0, &t1);
    c.t = eg_table_new(COLS, 7);
    e = c.t ? eg_juris_load(s, &j) : EG_ERR_NOMEM;
    c.tree = j;
    if (!e)
        e = eg_store_check_totals(s, t0, t1, add_total, &c);
    for (int pass = 0; !e && pass < 2; pass++)   /* counties, then the city */
        for (size_t i = 0; !e && i < c.n; i++) {
            const eg_juris_node *n = eg_juris_find(j, c.sums[i].code);
            char v[4][24];
            if (!n || (pass == 0) != (n->level == EG_LEVEL_COUNTY))
                continue;
            for (int k = 0; k < 4; k++)
                snprintf(v[k], sizeof v[k], "%ld", c.sums[i].v[k]);
            const char *row[] = { eg_level_name(n->level), n->code, n->name, v[0], v[1], v[2], v[3] };
            e = eg_table_add(c.t, row);
        }
    if (!e)
        e = eg_table_print(c.t, cli);
    eg_table_free(c.t);
    free(c.sums);
    eg_juris_free(j);
    return e ? ctl_fail(cli, e, NULL, "checkpoint totals") : EG_EX_OK;
}

/* Parse a whole number option (negative allowed: the rule refuses it). */
static int opt_long(eg_cli *cli, const ctl_args *a, const char *key, long *out)
{
    const char *v = ctl_opt(a, key);
    char *end;
    if (!v) {
        fprintf(cli->err, "epigrid: checkpoint: --%s is required\n", key);
        return -1;
    }
    *out = strtol(v, &end, 10);
    if (!*v || *end) {
        fprintf(cli->err, "epigrid: checkpoint: --%s '%s' is not a whole number\n", key, v);
        return -1;
    }
    return 0;
}

/* See cli.h. */
int eg_cmd_checkpoint(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "help", "open", "reveal", NULL };
    static const char *const OPTS[] = { "juris", "hour", "checked", "fevers", "at", "temp", "id-no", "name",
                                        "phone", "destination", "from", "to", NULL };
    eg_control_params cp;
    eg_store *s = NULL;
    const char *sub;
    char actor[128], code[EG_CODE_BUFSZ] = "";
    ctl_args a;
    eg_diag d;
    eg_store_tx tx;
    eg_err e = EG_OK;
    int rc;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return checkpoint_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    sub = argv[1];
    if (ctl_parse(cli, argc, argv, 2, FLAGS, OPTS, &a))
        return checkpoint_usage(cli->err), EG_EX_USAGE;
    if (ctl_opt(&a, "juris") && eg_code_short(ctl_opt(&a, "juris"), code)) {
        fprintf(cli->err, "epigrid: checkpoint: --juris '%s' is not a division code\n", ctl_opt(&a, "juris"));
        return EG_EX_USAGE;
    }
    if ((rc = ctl_open(cli, &s, &cp)))
        return rc;
    eg_diag_clear(&d);
    eg_cli_actor(actor, sizeof actor);
    if (strcmp(sub, "list") == 0 && a.npos == 0) {
        static const eg_column COLS[] = {
            { "checkpoint_id", EG_COL_STR }, { "name", EG_COL_STR }, { "kind", EG_COL_STR }, { "juris", EG_COL_STR },
            { "max_checks_per_hour", EG_COL_INT }, { "illustrative", EG_COL_INT },
        };
        eg_table *t = eg_table_new(COLS, 6);
        e = t ? eg_store_checkpoint_each(s, code, add_checkpoint, t) : EG_ERR_NOMEM;
        if (!e)
            e = eg_table_print(t, cli);
        eg_table_free(t);
        rc = e ? ctl_fail(cli, e, NULL, "checkpoint list") : EG_EX_OK;
    } else if (strcmp(sub, "log") == 0 && a.npos == 1) {
        long checked, fevers;
        eg_time hour;
        int updated = 0;
        if (ctl_parse_time(cli, "hour", ctl_opt(&a, "hour"), &hour) || opt_long(cli, &a, "checked", &checked) ||
            opt_long(cli, &a, "fevers", &fevers)) {
            rc = EG_EX_USAGE;
        } else {
            e = eg_store_tx_begin(s, &tx);
            if (!e)
                e = eg_store_tx_end(&tx, eg_checkpoint_log(s, a.pos[0], hour, checked, fevers,
                                                           eg_clock_now(&cli->clock), &updated, &d));
            rc = e ? ctl_fail(cli, e, &d, "checkpoint log") : EG_EX_OK;
            if (!e)
                fprintf(cli->out, "%s %s: %ld checked, %ld fevers%s\n", a.pos[0], ctl_opt(&a, "hour"), checked,
                        fevers, updated ? " (replaces the earlier log of this hour)" : "");
        }
    } else if (strcmp(sub, "fever") == 0 && a.npos == 1) {
        eg_facility_params fp;
        eg_juris *j = NULL;
        eg_fever f;
        eg_time at;
        int dc, dup = 0;
        if (ctl_parse_time(cli, "at", ctl_opt(&a, "at"), &at) || !ctl_opt(&a, "temp") ||
            eg_control_parse_temp(ctl_opt(&a, "temp"), &dc)) {
            fprintf(cli->err, "epigrid: checkpoint fever: --at TIME and --temp 37.8 (one decimal) are required\n");
            rc = EG_EX_USAGE;
        } else {
            e = eg_facility_params_load(s, &fp, &d);
            if (!e)
                e = eg_juris_load(s, &j);
            if (!e)
                e = eg_store_tx_begin(s, &tx);
            if (!e) {
                e = eg_checkpoint_fever(s, j, &fp, a.pos[0], at, dc, ctl_opt(&a, "id-no"), ctl_opt(&a, "name"),
                                        ctl_opt(&a, "phone"), ctl_opt(&a, "destination"), eg_clock_now(&cli->clock),
                                        &f, &dup, &d);
                e = eg_store_tx_end(&tx, e);
            }
            eg_juris_free(j);
            rc = e ? ctl_fail(cli, e, &d, "checkpoint fever") : EG_EX_OK;
            if (!e && dup)
                fprintf(cli->out, "this fever is stored already\n");
            else if (!e) {
                char b[EG_TIME_BUFSZ];
                fprintf(cli->out, "fever %s: %d.%d °C at %s, referred to %s; outcome due by %s\n", f.fid,
                        dc / 10, dc % 10, a.pos[0], f.clinic_id[0] ? f.clinic_id : "(no fever clinic in reach)",
                        eg_time_format(f.due_at, b));
            }
        }
    } else if (strcmp(sub, "outcome") == 0 && a.npos == 2) {
        e = eg_checkpoint_outcome(s, a.pos[0], a.pos[1], actor, eg_clock_now(&cli->clock), &d);
        rc = e ? ctl_fail(cli, e, &d, "checkpoint outcome") : EG_EX_OK;
        if (!e)
            fprintf(cli->out, "fever %s: outcome %s%s\n", a.pos[0], a.pos[1],
                    strcmp(a.pos[1], "suspected") == 0 ? " (open the suspected case: epigrid control, then "
                    "epigrid facility admit)" : "");
    } else if (strcmp(sub, "fevers") == 0 && a.npos == 0) {
        static const eg_column COLS[] = {
            { "fever", EG_COL_STR }, { "checkpoint_id", EG_COL_STR }, { "juris", EG_COL_STR }, { "at", EG_COL_STR },
            { "temperature_c", EG_COL_NUM }, { "id_no", EG_COL_STR }, { "name", EG_COL_STR },
            { "clinic", EG_COL_STR }, { "due_at", EG_COL_STR }, { "outcome", EG_COL_STR },
            { "outcome_at", EG_COL_STR },
        };
        fever_ctx c = { cli, s, eg_table_new(COLS, 11), ctl_opt(&a, "reveal") != NULL };
        e = c.t ? eg_store_fever_each(s, code, ctl_opt(&a, "open") != NULL, 0, add_fever, &c) : EG_ERR_NOMEM;
        if (!e)
            e = eg_table_print(c.t, cli);
        eg_table_free(c.t);
        rc = e ? ctl_fail(cli, e, NULL, "checkpoint fevers") : EG_EX_OK;
    } else if (strcmp(sub, "totals") == 0 && a.npos == 0) {
        rc = cmd_totals(cli, s, &a);
    } else {
        checkpoint_usage(cli->err);
        rc = EG_EX_USAGE;
    }
    eg_store_close(s);
    return rc;
}
