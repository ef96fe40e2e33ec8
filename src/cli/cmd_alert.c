/*
 * cli/cmd_alert.c: `epigrid alert` (list, acknowledge, resolve) and
 * `epigrid task` (list and close verification and referral tasks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_control.h"

static void alert_usage(FILE *f)
{
    fputs("usage: epigrid alert list [--juris CODE] [--state open|acknowledged|resolved|unresolved]\n"
          "                          [--kind fever|red_flag|missed_reading|team_incomplete] [--limit N] [--reveal]\n"
          "       epigrid alert ack ALERT\n"
          "       epigrid alert resolve ALERT [--note TEXT]\n\n"
          "Alerts go open → acknowledged → resolved. One not acknowledged within 2 h (parameter\n"
          "escalate_hours) is escalated one level up the tree by the daily run (escalated_to);\n"
          "--juris lists the alerts of a division, below it, and those escalated to it.\n", f);
}

static void task_usage(FILE *f)
{
    fputs("usage: epigrid task list [--juris CODE] [--state open|found|not_found|address_corrected|done]\n"
          "                         [--kind verification|referral] [--limit N] [--reveal]\n"
          "       epigrid task close TASK --outcome OUTCOME [--juris NEW_CODE] [--note TEXT]\n\n"
          "Verification tasks (落地查人, made by screening, due 24 h after creation) close as found,\n"
          "not_found or address_corrected (with --juris: the order and the task move to that\n"
          "division); referrals to a fever clinic close as done. A task closed after its due moment\n"
          "is reported late.\n", f);
}

typedef struct row_ctx {
    const eg_cli *cli;
    eg_store *s;
    eg_table *t;
    int reveal;
    eg_time now;
} row_ctx;

static eg_err add_alert(void *ctx, const eg_ctl_alert *a)
{
    row_ctx *c = ctx;
    char id[EG_CTL_DOC_BUFSZ], cr[EG_TIME_BUFSZ], du[EG_TIME_BUFSZ], ack[EG_TIME_BUFSZ];
    const char *v[] = { a->aid, a->kind, a->state, ctl_show_id(c->cli, c->s, a->id_no, c->reveal, "alert.list", a->aid, id),
                        a->name, a->juris_code, a->escalated_to, ctl_time(a->created_at, cr), ctl_time(a->due_at, du),
                        ctl_time(a->ack_at, ack), a->ack_by, a->reason };
    return eg_table_add(c->t, v);
}

/* See cli.h. */
int eg_cmd_alert(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "reveal", "help", NULL };
    static const char *const OPTS[] = { "juris", "state", "kind", "limit", "note", NULL };
    static const eg_column COLS[] = {
        { "alert", EG_COL_STR }, { "kind", EG_COL_STR }, { "state", EG_COL_STR }, { "id_no", EG_COL_STR },
        { "name", EG_COL_STR }, { "juris", EG_COL_STR }, { "escalated_to", EG_COL_STR }, { "created_at", EG_COL_STR },
        { "due_at", EG_COL_STR }, { "ack_at", EG_COL_STR }, { "ack_by", EG_COL_STR }, { "reason", EG_COL_STR },
    };
    eg_control_params p;
    eg_store *s = NULL;
    char actor[128], code[EG_CODE_BUFSZ];
    ctl_args a;
    eg_diag d;
    eg_err e;
    int rc;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return alert_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (ctl_parse(cli, argc, argv, 1, FLAGS, OPTS, &a) || a.npos < 1)
        return alert_usage(cli->err), EG_EX_USAGE;
    const char *sub = a.pos[0];
    int list = !strcmp(sub, "list");
    if ((list && a.npos != 1) || (!list && (a.npos != 2 || (strcmp(sub, "ack") && strcmp(sub, "resolve")))))
        return alert_usage(cli->err), EG_EX_USAGE;
    if ((rc = ctl_open(cli, &s, &p)))
        return rc;
    eg_diag_clear(&d);
    eg_cli_actor(actor, sizeof actor);
    if (list) {
        row_ctx c = { cli, s, eg_table_new(COLS, 12), ctl_opt(&a, "reveal") != NULL, 0 };
        eg_ctl_filter f = { .juris = ctl_opt(&a, "juris"), .state = ctl_opt(&a, "state"), .kind = ctl_opt(&a, "kind"),
                            .limit = ctl_opt(&a, "limit") ? atol(ctl_opt(&a, "limit")) : 0 };
        if (f.juris && eg_code_short(f.juris, code) == EG_OK)
            f.juris = code;
        eg_control_filter_expand(&f);
        e = c.t ? eg_store_ctl_alert_each(s, &f, add_alert, &c) : EG_ERR_NOMEM;
        if (!e)
            e = eg_table_print(c.t, cli);
        eg_table_free(c.t);
    } else if (!strcmp(sub, "ack")) {
        if (!(e = eg_control_alert_ack(s, a.pos[1], actor, eg_clock_now(&cli->clock), &d)))
            fprintf(cli->out, "alert %s acknowledged by %s\n", a.pos[1], actor);
    } else {
        if (!(e = eg_control_alert_resolve(s, a.pos[1], actor, eg_clock_now(&cli->clock), ctl_opt(&a, "note"), &d)))
            fprintf(cli->out, "alert %s resolved by %s\n", a.pos[1], actor);
    }
    eg_store_close(s);
    return e ? ctl_fail(cli, e, &d, "alert") : EG_EX_OK;
}

static eg_err add_task(void *ctx, const eg_ctl_task *t)
{
    row_ctx *c = ctx;
    char id[EG_CTL_DOC_BUFSZ], cr[EG_TIME_BUFSZ], du[EG_TIME_BUFSZ], cl[EG_TIME_BUFSZ];
    int overdue = (strcmp(t->state, "open") == 0 && t->due_at < c->now) || (t->closed_at && t->closed_at > t->due_at);
    const char *v[] = { t->tid, t->kind, t->state, ctl_show_id(c->cli, c->s, t->id_no, c->reveal, "task.list", t->tid, id),
                        t->name, t->juris_code, ctl_time(t->created_at, cr), ctl_time(t->due_at, du),
                        ctl_time(t->closed_at, cl), t->closed_by, overdue ? (t->closed_at ? "late" : "overdue") : "",
                        t->note };
    return eg_table_add(c->t, v);
}

/* See cli.h. */
int eg_cmd_task(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "reveal", "help", NULL };
    static const char *const OPTS[] = { "juris", "state", "kind", "limit", "outcome", "note", NULL };
    static const eg_column COLS[] = {
        { "task", EG_COL_STR }, { "kind", EG_COL_STR }, { "state", EG_COL_STR }, { "id_no", EG_COL_STR },
        { "name", EG_COL_STR }, { "juris", EG_COL_STR }, { "created_at", EG_COL_STR }, { "due_at", EG_COL_STR },
        { "closed_at", EG_COL_STR }, { "closed_by", EG_COL_STR }, { "timeliness", EG_COL_STR }, { "note", EG_COL_STR },
    };
    eg_control_params p;
    eg_store *s = NULL;
    char actor[128], code[EG_CODE_BUFSZ];
    ctl_args a;
    eg_diag d;
    eg_err e;
    int rc, late = 0;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return task_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (ctl_parse(cli, argc, argv, 1, FLAGS, OPTS, &a) || a.npos < 1)
        return task_usage(cli->err), EG_EX_USAGE;
    int list = !strcmp(a.pos[0], "list");
    if ((list && a.npos != 1) || (!list && (a.npos != 2 || strcmp(a.pos[0], "close") || !ctl_opt(&a, "outcome"))))
        return task_usage(cli->err), EG_EX_USAGE;
    if ((rc = ctl_open(cli, &s, &p)))
        return rc;
    eg_diag_clear(&d);
    if (list) {
        row_ctx c = { cli, s, eg_table_new(COLS, 12), ctl_opt(&a, "reveal") != NULL, eg_clock_now(&cli->clock) };
        eg_ctl_filter f = { .juris = ctl_opt(&a, "juris"), .state = ctl_opt(&a, "state"), .kind = ctl_opt(&a, "kind"),
                            .limit = ctl_opt(&a, "limit") ? atol(ctl_opt(&a, "limit")) : 0 };
        if (f.juris && eg_code_short(f.juris, code) == EG_OK)
            f.juris = code;
        eg_control_filter_expand(&f);
        e = c.t ? eg_store_ctl_task_each(s, &f, add_task, &c) : EG_ERR_NOMEM;
        if (!e)
            e = eg_table_print(c.t, cli);
        eg_table_free(c.t);
    } else {
        e = eg_control_task_close(s, a.pos[1], ctl_opt(&a, "outcome"), ctl_opt(&a, "juris"), ctl_opt(&a, "note"),
                                  eg_cli_actor(actor, sizeof actor), eg_clock_now(&cli->clock), &late, &d);
        if (!e)
            fprintf(cli->out, "task %s closed: %s%s\n", a.pos[1], ctl_opt(&a, "outcome"), late ? " (late)" : "");
    }
    eg_store_close(s);
    return e ? ctl_fail(cli, e, &d, "task") : EG_EX_OK;
}
