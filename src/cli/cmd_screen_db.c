/*
 * cli/cmd_screen_db.c: `epigrid screen [--as-of DATE] [--city CODE]
 * [--days N]` over the database: runs screening (epigrid/screening_db.h)
 * and prints what it found by measure, county and rule.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "epigrid/screening_db.h"

/* Options of the database mode. */
typedef struct db_opts {
    eg_date as_of;      /* EG_NO_DATE: the latest dep_date imported */
    const char *city;
    int days;
} db_opts;

static int parse_db_opts(eg_cli *cli, int argc, char **argv, db_opts *o)
{
    static const struct option OPTS[] = {
        { "as-of", required_argument, NULL, 'a' }, { "city", required_argument, NULL, 'c' },
        { "days", required_argument, NULL, 'd' }, { 0 }
    };
    char *end;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", OPTS, NULL)) != -1) {
        if (c == 'a' && eg_date_parse(optarg, &o->as_of) == EG_OK)
            continue;
        if (c == 'c') {
            o->city = optarg;
            continue;
        }
        if (c == 'd' && (o->days = (int)strtol(optarg, &end, 10), !*end && o->days >= 1 &&
                         o->days <= EG_SCREEN_MAX_DAYS))
            continue;
        fprintf(cli->err, "epigrid: screen: bad option or value (see epigrid screen --help)\n");
        return EG_EX_USAGE;
    }
    if (optind < argc) {
        fprintf(cli->err, "epigrid: screen: unexpected argument '%s'\n", argv[optind]);
        return EG_EX_USAGE;
    }
    return EG_EX_OK;
}

/* Tally of results by the county of their division. */
typedef struct county_count {
    char code[EG_CODE_BUFSZ];
    long n;
} county_count;

/* Add one to county `code` in the list. */
static void count_county(county_count *cc, size_t *n, size_t max, const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(cc[i].code, code) == 0) {
            cc[i].n++;
            return;
        }
    if (*n < max) {
        snprintf(cc[*n].code, sizeof cc[*n].code, "%s", code);
        cc[(*n)++].n = 1;
    }
}

/* Print the summary rows: group,key,name,results. */
static eg_err print_summary(eg_cli *cli, const eg_juris *j, const eg_screen_results *r,
                            const eg_screen_db_summary *sum)
{
    static const eg_column COLS[] = {
        { "group", EG_COL_STR }, { "key", EG_COL_STR }, { "name", EG_COL_STR }, { "results", EG_COL_INT },
    };
    county_count cc[64];
    size_t ncc = 0;
    char num[24];
    eg_table *t = eg_table_new(COLS, 4);
    eg_err e = t ? EG_OK : EG_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++) {
        char county[EG_CODE_BUFSZ] = "";
        if (r->v[i].kind == EG_SCREEN_ORDER) {
            char six[8];
            snprintf(six, sizeof six, "%.6s", r->v[i].division);
            eg_code_short(six, county);
        }
        count_county(cc, &ncc, 64, r->v[i].kind == EG_SCREEN_ORDER ? county :
                     r->v[i].kind == EG_SCREEN_ASSISTANCE ? "assistance_request" : "unlocated");
    }
#define ROW(g, k, nm, v) do { snprintf(num, sizeof num, "%ld", (long)(v)); \
        const char *row_[] = { g, k, nm, num }; if (!e) e = eg_table_add(t, row_); } while (0)
    ROW("total", "results", "精准排查结果", sum->results);
    ROW("measure", "central_isolation", "集中隔离医学观察", sum->by_measure[EG_MEASURE_CENTRAL_ISOLATION]);
    ROW("measure", "home_quarantine", "居家隔离医学观察", sum->by_measure[EG_MEASURE_HOME_QUARANTINE]);
    for (size_t i = 0; i < ncc; i++) {
        eg_juris_node *n = cc[i].code[0] && strcmp(cc[i].code, "unlocated") &&
                           strcmp(cc[i].code, "assistance_request") ? eg_juris_find(j, cc[i].code) : NULL;
        ROW("county", cc[i].code, n ? n->name : strcmp(cc[i].code, "unlocated") == 0 ? "无法定位协查" :
            strcmp(cc[i].code, "assistance_request") == 0 ? "外地协查" : "", cc[i].n);
    }
    ROW("rule", "R1", "来自风险地区 (居家隔离)", sum->by_rule[EG_RULE_R1]);
    ROW("rule", "R2", "与病例同行程 (集中隔离)", sum->by_rule[EG_RULE_R2]);
    ROW("rule", "R1;R2", "两条规则", sum->by_rule[EG_RULE_R1 | EG_RULE_R2]);
    ROW("case_trips", "with_case_trips", "来自病例同行程", sum->with_case_trips);
    ROW("changes", "orders_new", "新管控令", sum->orders_new);
    ROW("changes", "orders_upgraded", "升级", sum->orders_upgraded);
    ROW("changes", "orders_moved", "顺延", sum->orders_moved);
    ROW("changes", "orders_reopened", "重开", sum->orders_reopened);
    ROW("changes", "orders_unchanged", "未变", sum->orders_unchanged);
    ROW("changes", "tasks_new", "新落地查人任务", sum->tasks_new);
    ROW("changes", "requests_new", "新协查", sum->requests_new);
    ROW("changes", "requests_updated", "协查更新", sum->requests_updated);
#undef ROW
    if (!e)
        e = eg_table_print(t, cli);
    eg_table_free(t);
    return e;
}

int eg_cli_screen_run(eg_cli *cli, eg_store *s, const char *city_code, eg_date as_of, int days,
                      eg_time stamp)
{
    eg_screen_city city;
    eg_screen_results r = { 0 };
    eg_screen_db_summary sum;
    eg_juris *j = NULL;
    char buf[EG_TIME_BUFSZ];
    int rc = EG_EX_OK;
    eg_err e = eg_juris_load(s, &j);
    eg_juris_node *node = e ? NULL : eg_juris_find(j, city_code);
    if (!e && !node) {
        fprintf(cli->err, "epigrid: screen: --city %s is not in the jurisdiction tree\n", city_code);
        rc = EG_EX_USAGE;
    }
    if (!e && !rc)
        e = eg_screen_city_from_node(node, &city);
    if (!e && !rc) {
        eg_screen_params p = { .as_of = as_of, .days = days, .city = &city };
        e = eg_screen_db(s, node, &p, stamp, &r, &sum);
        if (!e) {
            fprintf(cli->err, "screen: as of %s for %s %s, D = %d days, stamped %s: %lu legs in the "
                    "window, %lu persons\n", eg_date_format(as_of, buf), node->code, node->name,
                    days, eg_time_format(stamp, buf), sum.stats.legs_kept, sum.stats.persons);
            e = print_summary(cli, j, &r, &sum);
        }
    }
    eg_screen_results_free(&r);
    eg_juris_free(j);
    if (e) {
        eg_cli_error(cli, e, NULL, "screen");
        return eg_cli_exit_code(e);
    }
    return rc;
}

int eg_cli_screen_db(eg_cli *cli, int argc, char **argv)
{
    db_opts o = { .as_of = EG_NO_DATE, .city = "2205", .days = EG_SCREEN_DEFAULT_DAYS };
    eg_store *s = NULL;
    eg_time stamp;
    long legs = 0;
    int rc = parse_db_opts(cli, argc, argv, &o);
    if (rc)
        return rc;
    int rc_open = eg_cli_open_existing(cli, &s);
    if (rc_open)
        return rc_open;
    if (o.as_of == EG_NO_DATE &&
        (eg_store_leg_stats(s, &legs, &o.as_of) || o.as_of == EG_NO_DATE)) {
        fprintf(cli->err, "epigrid: screen: no travel legs imported and no --as-of\n");
        eg_store_close(s);
        return EG_EX_NOINPUT;
    }
    /* stamped AS_OF 23:59 unless the command's clock is given */
    if (cli->now_text || getenv("EPIGRID_NOW"))
        stamp = eg_clock_now(&cli->clock);
    else
        eg_time_from_parts(o.as_of, 23, 59, &stamp);
    rc = eg_cli_screen_run(cli, s, o.city, o.as_of, o.days, stamp);
    eg_store_close(s);
    return rc;
}
