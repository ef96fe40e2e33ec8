/*
 * cli/cmd_reading.c: `epigrid reading` (temperature and symptom readings)
 * and `epigrid test` (laboratory results), one at a time or listed.
 * Files of them are imported with `epigrid import readings|tests`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_control.h"

static void reading_usage(FILE *f)
{
    fputs("usage: epigrid reading add --id-no ID --taken-at \"YYYY-MM-DD HH:MM\" --temp 36.8\n"
          "                          [--symptoms a;b] [--source team|self|checkpoint|clinic]\n"
          "       epigrid reading list [--id-no ID] [--limit N] [--reveal]\n\n"
          "Twice-daily monitoring (每日两次体温监测) of a person with a running order. The temperature\n"
          "must lie in 34.0-43.0 °C and the moment not be in the future (by the clock). Symptoms:\n"
          "fever, dry_cough, fatigue, sore_throat, shortness_of_breath, chest_tightness, diarrhoea,\n"
          "muscle_ache. 37.3 °C or more, or shortness_of_breath / chest_tightness, raises an alert and\n"
          "a referral task to a fever clinic. A reading missing at 12:00 or 20:00 raises a\n"
          "missed-reading alert in the daily run. Files: epigrid import readings FILE.\n"
          "Exit: 0, 64 usage, 65 refused (with the reason), 66 no database.\n", f);
}

static void test_usage(FILE *f)
{
    fputs("usage: epigrid test add --id-no ID --sampled-at \"YYYY-MM-DD HH:MM\" --method M --result R [--lab L]\n"
          "       epigrid test list --id-no ID [--reveal]\n\n"
          "Laboratory results. method: rt_pcr (nucleic acid) | antibody_igm | antibody_igg | ct_imaging;\n"
          "result: positive | negative | inconclusive. Two consecutive negative rt_pcr results on samples\n"
          "at least 24 h apart let a suspected case be excluded and (with the other criteria) a\n"
          "confirmed case be discharged. A result for a person neither registered nor under control\n"
          "is refused. Files: epigrid import tests FILE.\n", f);
}

static eg_err add_reading_row(void *ctx, const eg_ctl_reading *r)
{
    void **c = ctx;
    const eg_cli *cli = c[0];
    char id[EG_CTL_DOC_BUFSZ], at[EG_TIME_BUFSZ], rec[EG_TIME_BUFSZ], t[16], oid[24];
    snprintf(t, sizeof t, "%d.%d", r->temp_dc / 10, r->temp_dc % 10);
    snprintf(oid, sizeof oid, "%lld", (long long)r->order_id);
    const char *v[] = { ctl_show_id(cli, c[1], r->id_no, *(int *)c[3], "reading.list", "", id), ctl_time(r->taken_at, at),
                        t, r->symptoms, r->source, ctl_time(r->recorded_at, rec), r->actor };
    return eg_table_add(c[2], v);
}

/* See cli.h. */
int eg_cmd_reading(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "reveal", "help", NULL };
    static const char *const OPTS[] = { "id-no", "taken-at", "temp", "symptoms", "source", "limit", NULL };
    static const eg_column COLS[] = {
        { "id_no", EG_COL_STR }, { "taken_at", EG_COL_STR }, { "temperature_c", EG_COL_NUM }, { "symptoms", EG_COL_STR },
        { "source", EG_COL_STR }, { "recorded_at", EG_COL_STR }, { "actor", EG_COL_STR },
    };
    eg_control_params p;
    eg_store *s = NULL;
    ctl_args a;
    eg_diag d;
    eg_err e;
    int rc;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return reading_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (ctl_parse(cli, argc, argv, 1, FLAGS, OPTS, &a) || a.npos != 1 ||
        (strcmp(a.pos[0], "add") && strcmp(a.pos[0], "list")))
        return reading_usage(cli->err), EG_EX_USAGE;
    if (!strcmp(a.pos[0], "add")) {
        eg_time at;
        int dc;
        if (!ctl_opt(&a, "id-no") || !ctl_opt(&a, "temp") || ctl_parse_time(cli, "taken-at", ctl_opt(&a, "taken-at"), &at))
            return reading_usage(cli->err), EG_EX_USAGE;
        if (eg_control_parse_temp(ctl_opt(&a, "temp"), &dc)) {
            fprintf(cli->err, "epigrid: reading: --temp '%s' is not a temperature with one decimal\n", ctl_opt(&a, "temp"));
            return EG_EX_DATAERR;
        }
        if ((rc = ctl_open(cli, &s, &p)))
            return rc;
        char actor[128];
        eg_reading_outcome out;
        const char *src = ctl_opt(&a, "source");
        eg_diag_clear(&d);
        e = eg_control_reading_record(s, &p, ctl_opt(&a, "id-no"), at, dc, ctl_opt(&a, "symptoms"), src ? src : "team",
                                      eg_cli_actor(actor, sizeof actor), eg_clock_now(&cli->clock), &out, &d);
        eg_store_close(s);
        if (e)
            return ctl_fail(cli, e, &d, "reading");
        fprintf(cli->out, "reading %s%s%s%s%s\n", out.dup ? "already stored" : "recorded", out.fever ? "; fever" : "",
                out.red_flag ? "; red-flag symptom" : "", out.alert_created ? "; alert raised" : "",
                out.referral_created ? "; referral task to a fever clinic" : "");
        return EG_EX_OK;
    }
    if ((rc = ctl_open(cli, &s, &p)))
        return rc;
    int reveal = ctl_opt(&a, "reveal") != NULL;
    eg_table *t = eg_table_new(COLS, 7);
    void *ctx[] = { cli, s, t, &reveal };
    eg_ctl_filter f = { .id_no = ctl_opt(&a, "id-no"), .limit = ctl_opt(&a, "limit") ? atol(ctl_opt(&a, "limit")) : 200 };
    e = t ? eg_store_ctl_reading_list(s, &f, add_reading_row, ctx) : EG_ERR_NOMEM;
    if (!e)
        e = eg_table_print(t, cli);
    eg_table_free(t);
    eg_store_close(s);
    return e ? ctl_fail(cli, e, NULL, "reading list") : EG_EX_OK;
}

static eg_err add_test_row(void *ctx, const eg_ctl_test *r)
{
    void **c = ctx;
    char id[EG_CTL_DOC_BUFSZ], at[EG_TIME_BUFSZ], rec[EG_TIME_BUFSZ];
    const char *v[] = { ctl_show_id(c[0], c[1], r->id_no, *(int *)c[3], "test.list", "", id), ctl_time(r->sampled_at, at),
                        r->method, r->result, r->lab, ctl_time(r->recorded_at, rec), r->actor };
    return eg_table_add(c[2], v);
}

/* See cli.h. */
int eg_cmd_test(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "reveal", "help", NULL };
    static const char *const OPTS[] = { "id-no", "sampled-at", "method", "result", "lab", NULL };
    static const eg_column COLS[] = {
        { "id_no", EG_COL_STR }, { "sampled_at", EG_COL_STR }, { "method", EG_COL_STR }, { "result", EG_COL_STR },
        { "lab", EG_COL_STR }, { "recorded_at", EG_COL_STR }, { "actor", EG_COL_STR },
    };
    eg_control_params p;
    eg_store *s = NULL;
    ctl_args a;
    eg_diag d;
    eg_err e;
    int rc;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return test_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (ctl_parse(cli, argc, argv, 1, FLAGS, OPTS, &a) || a.npos != 1 || !ctl_opt(&a, "id-no") ||
        (strcmp(a.pos[0], "add") && strcmp(a.pos[0], "list")))
        return test_usage(cli->err), EG_EX_USAGE;
    if (!strcmp(a.pos[0], "add")) {
        eg_time at;
        char actor[128];
        int dup = 0;
        if (ctl_parse_time(cli, "sampled-at", ctl_opt(&a, "sampled-at"), &at))
            return EG_EX_USAGE;
        if ((rc = ctl_open(cli, &s, &p)))
            return rc;
        eg_diag_clear(&d);
        e = eg_control_test_add(s, ctl_opt(&a, "id-no"), at, ctl_opt(&a, "method"), ctl_opt(&a, "result"),
                                ctl_opt(&a, "lab"), eg_cli_actor(actor, sizeof actor), eg_clock_now(&cli->clock), &dup, &d);
        eg_store_close(s);
        if (e)
            return ctl_fail(cli, e, &d, "test");
        fprintf(cli->out, "test result %s\n", dup ? "already stored" : "recorded");
        return EG_EX_OK;
    }
    if ((rc = ctl_open(cli, &s, &p)))
        return rc;
    int reveal = ctl_opt(&a, "reveal") != NULL;
    eg_table *t = eg_table_new(COLS, 7);
    void *ctx[] = { cli, s, t, &reveal };
    e = t ? eg_store_ctl_test_each(s, ctl_opt(&a, "id-no"), 0, add_test_row, ctx) : EG_ERR_NOMEM;
    if (!e)
        e = eg_table_print(t, cli);
    eg_table_free(t);
    eg_store_close(s);
    return e ? ctl_fail(cli, e, NULL, "test list") : EG_EX_OK;
}
