/*
 * cli/cmd_daily.c: `epigrid daily --date D`: the daily run (see
 * eg_control_daily) and the list of what each division must do.
 */
#include <stdio.h>
#include <string.h>
#include "cmd_control.h"
#include "epigrid/facility.h"
#include "epigrid/juris.h"
#include "epigrid/report.h"

static void daily_usage(FILE *f)
{
    fputs("usage: epigrid [--now TIME] daily --date YYYY-MM-DD [--juris CODE]\n\n"
          "The daily run: the day as at 23:59 CST, or as at the clock (--now) when that is earlier.\n"
          "It ends the orders due that day (home quarantine, central isolation and observation after\n"
          "discharge whose end date has come, and only those), raises missed-reading alerts for the\n"
          "deadlines passed (12:00 and 20:00, parameters), alerts for persons without a full confirmed\n"
          "four-person team, and escalates alerts not acknowledged within 2 h one level up. Running it\n"
          "again for the same moment changes nothing. Prints a summary line (stderr) and what each\n"
          "division must do (stdout; --juris limits it to a division and below): persons under control,\n"
          "awaiting admission, releases the next day, open alerts, alerts escalated to it, open and\n"
          "overdue tasks, teams incomplete. A date after the clock's day is refused (exit 65).\n", f);
}

typedef struct todo_ctx {
    eg_table *t;
    const char *juris;
} todo_ctx;

static eg_err add_todo(void *ctx, const eg_ctl_todo *t)
{
    todo_ctx *c = ctx;
    char n[8][24];
    if (c->juris && !eg_code_lies_in(t->juris_code, c->juris))
        return EG_OK;
    long v[8] = { t->under_control, t->awaiting_admission, t->releases_next_day, t->alerts_open,
                  t->alerts_escalated_here, t->tasks_open, t->tasks_overdue, t->teams_incomplete };
    for (int i = 0; i < 8; i++)
        snprintf(n[i], sizeof n[i], "%ld", v[i]);
    const char *row[] = { t->juris_code, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7] };
    return eg_table_add(c->t, row);
}

/* See cli.h. */
int eg_cmd_daily(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "help", NULL };
    static const char *const OPTS[] = { "date", "juris", NULL };
    static const eg_column COLS[] = {
        { "juris", EG_COL_STR }, { "under_control", EG_COL_INT }, { "awaiting_admission", EG_COL_INT },
        { "releases_next_day", EG_COL_INT }, { "alerts_open", EG_COL_INT }, { "alerts_escalated_here", EG_COL_INT },
        { "tasks_open", EG_COL_INT }, { "tasks_overdue", EG_COL_INT }, { "teams_incomplete", EG_COL_INT },
    };
    eg_control_params p;
    eg_daily_summary sum;
    eg_store *s = NULL;
    char actor[128], b[EG_TIME_BUFSZ], code[EG_CODE_BUFSZ];
    eg_date day;
    ctl_args a;
    eg_diag d;
    eg_err e;
    int rc;
    if (eg_cli_wants_help(argc, argv))
        return daily_usage(cli->out), EG_EX_OK;
    if (ctl_parse(cli, argc, argv, 1, FLAGS, OPTS, &a) || a.npos != 0 || !ctl_opt(&a, "date"))
        return daily_usage(cli->err), EG_EX_USAGE;
    if (ctl_parse_date(cli, "date", ctl_opt(&a, "date"), &day))
        return EG_EX_USAGE;
    todo_ctx c = { NULL, ctl_opt(&a, "juris") };
    if (c.juris) {
        if (eg_code_short(c.juris, code)) {
            fprintf(cli->err, "epigrid: daily: --juris '%s' is not a division code\n", c.juris);
            return EG_EX_USAGE;
        }
        c.juris = code;
    }
    if ((rc = ctl_open(cli, &s, &p)))
        return rc;
    eg_diag_clear(&d);
    /* the whole command system's run: control measures, then facilities and
     * checkpoints, then the day's report stored as version 1 */
    {
        eg_facility_params fp;
        eg_report_run run;
        eg_juris *tree = NULL;
        e = eg_facility_params_load(s, &fp, &d);
        if (!e)
            e = eg_juris_load(s, &tree);
        if (!e)
            e = eg_report_daily_run(s, tree, &p, &fp, day, eg_clock_now(&cli->clock),
                                    eg_cli_actor(actor, sizeof actor), &run, &d);
        eg_juris_free(tree);
        sum = run.control;
        if (!e)
            fprintf(cli->err, "daily %s: report version %d%s\n", ctl_opt(&a, "date"), run.version,
                    run.stored ? " stored" : " (already stored; a correction makes the next version)");
    }
    if (e) {
        eg_store_close(s);
        return ctl_fail(cli, e, &d, "daily");
    }
    fprintf(cli->err, "daily %s as at %s: %ld released, %ld missed-reading alerts, %ld team alerts, %ld "
            "escalated%s\n", ctl_opt(&a, "date"), eg_time_format(sum.as_at, b), sum.released, sum.missed,
            sum.team_alerts, sum.escalated, sum.repeated ? " (this moment had been run before: nothing changed)" : "");
    c.t = eg_table_new(COLS, 9);
    e = c.t ? eg_control_todo_each(s, &p, sum.as_at, add_todo, &c) : EG_ERR_NOMEM;
    if (!e)
        e = eg_table_print(c.t, cli);
    eg_table_free(c.t);
    eg_store_close(s);
    return e ? ctl_fail(cli, e, NULL, "daily") : EG_EX_OK;
}
