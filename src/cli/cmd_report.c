/*
 * cli/cmd_report.c: `epigrid report`: the daily report (日报) of a date for
 * any node (daily), its stored versions (versions), a correction that
 * stores the next version (correct), and the daily run that stores
 * version 1 (run). The table, CSV and JSON forms carry the same numbers:
 * the node's totals, its direct part and each child's totals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_control.h"
#include "epigrid/report.h"

static void report_usage(FILE *f)
{
    fputs("usage: epigrid report daily --date D [--juris CODE] [--version N] [--format table|csv|json]\n"
          "       epigrid report versions --date D\n"
          "       epigrid report correct --date D --reason TEXT\n"
          "       epigrid report run --date D\n\n"
          "daily: the daily report (日报) of date D for a node (default: the city): measures (central\n"
          "isolation with those awaiting admission apart), cases, checkpoints, facilities, alerts, tasks\n"
          "and assistance requests; the node's totals, its direct part (items attached to the node\n"
          "itself) and its children one level down. Every counter equals the sum over the children plus\n"
          "the direct part. Without --version: the latest stored version, else computed live (marked\n"
          "live). JSON is the shape of spec/api.md; CSV has one row per part (total, direct, child).\n"
          "versions: the stored versions of D. correct: recompute D from the data as it is now and\n"
          "store it as the next version (earlier versions are kept unchanged). run: the daily run of D\n"
          "(control measures, facilities and checkpoints), storing version 1 when D has none.\n", f);
}

/* The node asked for: --juris, else the first city root, else the first root. */
static const eg_juris_node *pick_node(const eg_cli *cli, const eg_juris *j, const char *juris)
{
    if (juris) {
        const eg_juris_node *n = eg_juris_find(j, juris);
        if (!n)
            fprintf(cli->err, "epigrid: report: --juris '%s' is not a division of the tree\n", juris);
        return n;
    }
    for (size_t i = 0; i < j->nroots; i++)
        if (j->roots[i]->level == EG_LEVEL_CITY)
            return j->roots[i];
    if (j->nroots == 0)
        fprintf(cli->err, "epigrid: report: the database has no division tree\n");
    return j->nroots ? j->roots[0] : NULL;
}

/* The text of counter i of row c: its number, or "not reported" when the
 * report (a stored version) does not hold it; v holds the number. */
static const char *counter_text(const eg_report *r, const long *c, int i, char v[24])
{
    if (!r->reported[i])
        return "not reported";
    snprintf(v, 24, "%ld", c[i]);
    return v;
}

/* CSV: one row per part. */
static eg_err print_csv(eg_cli *cli, const eg_report *r, const eg_juris_node *node)
{
    int n = r->ncounters;
    eg_column *cols = calloc((size_t)n + 4, sizeof *cols);
    const char **row = calloc((size_t)n + 4, sizeof *row);
    char (*v)[24] = calloc((size_t)n, sizeof *v);
    const char *base[] = { "part", "juris", "name", "level" };
    eg_table *t = NULL;
    eg_err e = cols && row && v ? EG_OK : EG_ERR_NOMEM;
    if (!e) {
        for (int i = 0; i < 4; i++)
            cols[i] = (eg_column){ base[i], EG_COL_STR };
        for (int i = 0; i < n; i++)
            cols[4 + i] = (eg_column){ eg_report_counter_name(i), EG_COL_INT };
        if (!(t = eg_table_new(cols, (size_t)n + 4)))
            e = EG_ERR_NOMEM;
    }
    for (size_t k = 0; !e && k < node->nchildren + 2; k++) {
        const eg_juris_node *m = k < 2 ? node : node->children[k - 2];
        const long *c = k == 1 ? eg_report_direct(r, m) : eg_report_total(r, m);
        row[0] = k == 0 ? "total" : k == 1 ? "direct" : "child";
        row[1] = m->code;
        row[2] = m->name;
        row[3] = eg_level_name(m->level);
        for (int i = 0; i < n; i++)
            row[4 + i] = counter_text(r, c, i, v[i]);
        e = eg_table_add(t, row);
    }
    if (!e)
        e = eg_table_print(t, cli);
    eg_table_free(t);
    free(cols);
    free(row);
    free(v);
    return e;
}

/* Table: one row per counter; columns: the node, its direct part, each child. */
static eg_err print_table(eg_cli *cli, const eg_report *r, const eg_juris_node *node)
{
    size_t ncols = node->nchildren + 3;
    eg_column *cols = calloc(ncols, sizeof *cols);
    char (*names)[160] = calloc(ncols, sizeof *names);
    const char **row = calloc(ncols, sizeof *row);
    char (*v)[24] = calloc(ncols, sizeof *v);
    char day[EG_DATE_BUFSZ], at[EG_TIME_BUFSZ];
    eg_table *t = NULL;
    eg_err e = cols && names && row && v ? EG_OK : EG_ERR_NOMEM;
    if (!e) {
        cols[0] = (eg_column){ "counter", EG_COL_STR };
        snprintf(names[1], sizeof names[1], "%s %s", node->code, node->name);
        cols[1] = (eg_column){ names[1], EG_COL_INT };
        cols[2] = (eg_column){ "direct", EG_COL_INT };
        for (size_t k = 0; k < node->nchildren; k++) {
            snprintf(names[3 + k], sizeof names[3 + k], "%s %s", node->children[k]->code, node->children[k]->name);
            cols[3 + k] = (eg_column){ names[3 + k], EG_COL_INT };
        }
        if (!(t = eg_table_new(cols, ncols)))
            e = EG_ERR_NOMEM;
    }
    for (int i = 0; !e && i < r->ncounters; i++) {
        row[0] = eg_report_counter_name(i);
        row[1] = counter_text(r, eg_report_total(r, node), i, v[1]);
        row[2] = counter_text(r, eg_report_direct(r, node), i, v[2]);
        for (size_t k = 0; k < node->nchildren; k++)
            row[3 + k] = counter_text(r, eg_report_total(r, node->children[k]), i, v[3 + k]);
        e = eg_table_add(t, row);
    }
    if (!e) {
        char ver[48];
        snprintf(ver, sizeof ver, "version %d (stored)", r->version);
        fprintf(cli->out, "daily report (日报) %s, %s %s (%s): %s, as at %s\n", eg_date_format(r->date, day),
                node->code, node->name, eg_level_name(node->level), r->live ? "live (no stored version)" : ver,
                eg_time_format(r->generated_at, at));
        e = eg_table_print(t, cli);
    }
    eg_table_free(t);
    free(cols);
    free(names);
    free(row);
    free(v);
    return e;
}

/* See cli.h. */
int eg_cli_report_print(eg_cli *cli, const eg_report *r, const eg_juris_node *node)
{
    eg_err e;
    if (cli->format == EG_FMT_JSON || cli->format == EG_FMT_JSONL) {
        char *json = NULL;
        e = eg_report_json(r, node, cli->format == EG_FMT_JSON ? 2 : 0, &json);
        if (!e)
            fprintf(cli->out, "%s\n", json);
        free(json);
    } else if (cli->format == EG_FMT_CSV) {
        e = print_csv(cli, r, node);
    } else {
        e = print_table(cli, r, node);
    }
    return e ? ctl_fail(cli, e, NULL, "report") : EG_EX_OK;
}

static eg_err add_version(void *ctx, const eg_report_version *v)
{
    char n[16], t1[EG_TIME_BUFSZ], t2[EG_TIME_BUFSZ], day[EG_DATE_BUFSZ];
    snprintf(n, sizeof n, "%d", v->version);
    const char *row[] = { eg_date_format(v->date, day), n, eg_time_format(v->generated_at, t1),
                          eg_time_format(v->stored_at, t2), v->actor, v->reason };
    return eg_table_add(ctx, row);
}

/* See cli.h. */
int eg_cmd_report(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "help", NULL };
    static const char *const OPTS[] = { "date", "juris", "version", "reason", NULL };
    eg_control_params cp;
    eg_store *s = NULL;
    eg_juris *j = NULL;
    eg_report *r = NULL;
    const char *sub;
    char actor[128];
    eg_date day;
    ctl_args a;
    eg_diag d;
    eg_err e;
    int rc, version = 0;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return report_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    sub = argv[1];
    if (ctl_parse(cli, argc, argv, 2, FLAGS, OPTS, &a) || a.npos != 0 || !ctl_opt(&a, "date"))
        return report_usage(cli->err), EG_EX_USAGE;
    if (ctl_parse_date(cli, "date", ctl_opt(&a, "date"), &day))
        return EG_EX_USAGE;
    if (ctl_opt(&a, "version")) {
        char *end;
        long v = strtol(ctl_opt(&a, "version"), &end, 10);
        if (*end || v < 1 || v > 100000) {
            fprintf(cli->err, "epigrid: report: --version '%s' is not a version number (1, 2, ...)\n",
                    ctl_opt(&a, "version"));
            return EG_EX_USAGE;
        }
        version = (int)v;
    }
    if ((rc = ctl_open(cli, &s, &cp)))
        return rc;
    eg_diag_clear(&d);
    eg_cli_actor(actor, sizeof actor);
    if ((e = eg_juris_load(s, &j))) {
        eg_store_close(s);
        return ctl_fail(cli, e, NULL, "report");
    }
    if (strcmp(sub, "daily") == 0) {
        const eg_juris_node *node = pick_node(cli, j, ctl_opt(&a, "juris"));
        if (!node)
            rc = EG_EX_USAGE;
        else if ((e = eg_report_get(s, j, day, version, eg_clock_now(&cli->clock), &r, &d)))
            rc = ctl_fail(cli, e, &d, "report daily");
        else
            rc = eg_cli_report_print(cli, r, node);
    } else if (strcmp(sub, "versions") == 0) {
        static const eg_column COLS[] = {
            { "date", EG_COL_STR }, { "version", EG_COL_INT }, { "generated_at", EG_COL_STR },
            { "stored_at", EG_COL_STR }, { "actor", EG_COL_STR }, { "reason", EG_COL_STR },
        };
        eg_table *t = eg_table_new(COLS, 6);
        e = t ? eg_report_versions(s, day, add_version, t) : EG_ERR_NOMEM;
        if (!e)
            e = eg_table_print(t, cli);
        eg_table_free(t);
        rc = e ? ctl_fail(cli, e, NULL, "report versions") : EG_EX_OK;
    } else if (strcmp(sub, "correct") == 0) {
        e = eg_report_correct(s, j, day, ctl_opt(&a, "reason"), actor, eg_clock_now(&cli->clock), &version, &d);
        rc = e ? ctl_fail(cli, e, &d, "report correct") : EG_EX_OK;
        if (!e)
            fprintf(cli->out, "report %s: version %d stored (%s)\n", ctl_opt(&a, "date"), version,
                    ctl_opt(&a, "reason"));
    } else if (strcmp(sub, "run") == 0) {
        eg_facility_params fp;
        eg_report_run run;
        e = eg_facility_params_load(s, &fp, &d);
        if (!e)
            e = eg_report_daily_run(s, j, &cp, &fp, day, eg_clock_now(&cli->clock), actor, &run, &d);
        rc = e ? ctl_fail(cli, e, &d, "report run") : EG_EX_OK;
        if (!e)
            fprintf(cli->out, "daily run %s: released %ld, missed-reading alerts %ld, escalated %ld; places: %ld "
                    "placed, %ld closed, %ld without a free place; alerts: %ld overdue admissions, %ld referrals "
                    "without outcome, %ld standby, %ld county full, %ld resolved; report version %d%s\n",
                    ctl_opt(&a, "date"), run.control.released, run.control.missed, run.control.escalated,
                    run.sweep.placed, run.sweep.closed, run.sweep.unplaced, run.sweep.overdue_alerts,
                    run.sweep.referral_alerts, run.sweep.standby_alerts, run.sweep.county_full_alerts,
                    run.sweep.resolved, run.version, run.stored ? " stored now" : " (stored before)");
    } else {
        report_usage(cli->err);
        rc = EG_EX_USAGE;
    }
    eg_report_free(r);
    eg_juris_free(j);
    eg_store_close(s);
    return rc;
}
