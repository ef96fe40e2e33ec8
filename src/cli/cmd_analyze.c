/*
 * cli/cmd_analyze.c: `epigrid analyze si|rt|project` and main-job step 7
 * (eg_cli_drill_analysis).
 *
 * An adapter only: options are parsed here, the numbers come from
 * epigrid/analysis.h (src/analysis). Results go to cli->out in the chosen
 * format (table, csv, json); notes (corrections of a cumulative series,
 * filled days, EpiEstim's warnings) and the seed of random results go to
 * cli->err, so that CSV output stays one clean table. Exit codes: 0; 64
 * usage; 65 data rejected; 66 input missing; 70 internal.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "epigrid/analysis.h"
#include "epigrid/date.h"
#include "epigrid/case_series.h"

/* ------------------------------------------------------------------ */
/* Option parsing                                                       */
/* ------------------------------------------------------------------ */

/* Options of all three subcommands (a subcommand refuses the ones it does
 * not take). Strings point into argv. */
typedef struct an_opts {
    const char *incidence, *series, *region, *column, *from, *to;
    int cumulative;
    const char *si_mean, *si_sd, *si_distr;
    const char *std_mean_si, *min_mean_si, *max_mean_si, *std_std_si, *min_std_si, *max_std_si;
    const char *n1, *n2;
    const char *window, *t_start, *t_end, *mean_prior, *std_prior, *seed, *threads;
    const char *days, *as_of, *n_sim, *r_mean, *r_sd, *r_change, *rt_region;
    int r_from_rt;
    const char *dispersion, *admit_prob, *los_mean, *los_sd, *capacity, *standby;
    const char *no_case_days, *more_than, *more_than_days;
    int cases;                     /* --cases: the database's case records */
    const char *juris, *by;        /* with --cases: the node, report|onset */
} an_opts;

typedef struct opt_def {
    const char *name;
    size_t off;      /* offsetof into an_opts */
    int is_flag;
    unsigned where;  /* bit 1 si, 2 rt, 4 project */
} opt_def;

#define O(f) offsetof(an_opts, f)
#define SI 1u
#define RT 2u
#define PR 4u
static const opt_def OPTS[] = {
    {"--incidence", O(incidence), 0, RT | PR},
    {"--series", O(series), 0, RT | PR},
    {"--region", O(region), 0, RT | PR},
    {"--column", O(column), 0, RT | PR},
    {"--cumulative", O(cumulative), 1, RT | PR},
    {"--from", O(from), 0, RT | PR},
    {"--to", O(to), 0, RT},
    {"--si-mean", O(si_mean), 0, SI | RT | PR},
    {"--si-sd", O(si_sd), 0, SI | RT | PR},
    {"--si-distr", O(si_distr), 0, SI | RT | PR},
    {"--std-mean-si", O(std_mean_si), 0, RT | PR},
    {"--min-mean-si", O(min_mean_si), 0, RT | PR},
    {"--max-mean-si", O(max_mean_si), 0, RT | PR},
    {"--std-std-si", O(std_std_si), 0, RT | PR},
    {"--min-std-si", O(min_std_si), 0, RT | PR},
    {"--max-std-si", O(max_std_si), 0, RT | PR},
    {"--n1", O(n1), 0, RT | PR},
    {"--n2", O(n2), 0, RT | PR},
    {"--window", O(window), 0, RT | PR},
    {"--t-start", O(t_start), 0, RT},
    {"--t-end", O(t_end), 0, RT},
    {"--mean-prior", O(mean_prior), 0, RT | PR},
    {"--std-prior", O(std_prior), 0, RT | PR},
    {"--seed", O(seed), 0, RT | PR},
    {"--threads", O(threads), 0, RT | PR},
    {"--days", O(days), 0, SI | PR},
    {"--as-of", O(as_of), 0, PR},
    {"--n-sim", O(n_sim), 0, PR},
    {"--r-mean", O(r_mean), 0, PR},
    {"--r-sd", O(r_sd), 0, PR},
    {"--r-change", O(r_change), 0, PR},
    {"--r-from-rt", O(r_from_rt), 1, PR},
    {"--rt-region", O(rt_region), 0, PR},
    {"--dispersion", O(dispersion), 0, PR},
    {"--admit-prob", O(admit_prob), 0, PR},
    {"--los-mean", O(los_mean), 0, PR},
    {"--los-sd", O(los_sd), 0, PR},
    {"--capacity", O(capacity), 0, PR},
    {"--standby", O(standby), 0, PR},
    {"--no-case-days", O(no_case_days), 0, PR},
    {"--more-than", O(more_than), 0, PR},
    {"--more-than-days", O(more_than_days), 0, PR},
    {"--cases", O(cases), 1, RT | PR},
    {"--juris", O(juris), 0, RT | PR},
    {"--by", O(by), 0, RT | PR},
};

/* Parse argv[1..] (argv[0] is the subcommand) into o. Returns 0, or 64
 * after printing the reason. */
static int parse_opts(eg_cli *cli, const char *sub, unsigned where, int argc, char **argv,
                      an_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        const opt_def *def = NULL;
        for (size_t k = 0; k < sizeof OPTS / sizeof OPTS[0]; k++)
            if (strlen(OPTS[k].name) == nlen && !strncmp(OPTS[k].name, a, nlen)) {
                def = &OPTS[k];
                break;
            }
        if (!def || !(def->where & where)) {
            fprintf(cli->err, "epigrid: analyze %s: unknown option '%s' (see --help)\n", sub, a);
            return EG_EX_USAGE;
        }
        char *slot = (char *)o + def->off;
        if (def->is_flag) {
            if (eq) {
                fprintf(cli->err, "epigrid: analyze %s: %s takes no value\n", sub, def->name);
                return EG_EX_USAGE;
            }
            *(int *)(void *)slot = 1;
            continue;
        }
        const char *val;
        if (eq)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        else {
            fprintf(cli->err, "epigrid: analyze %s: %s needs a value\n", sub, def->name);
            return EG_EX_USAGE;
        }
        *(const char **)(void *)slot = val;
    }
    return 0;
}

/* A number option; 0 on success, else prints and returns 64. */
static int num_opt(eg_cli *cli, const char *name, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v)) {
        fprintf(cli->err, "epigrid: analyze: %s: '%s' is not a number\n", name, s);
        return EG_EX_USAGE;
    }
    *out = v;
    return 0;
}

/* A non-negative whole number option. */
static int count_opt(eg_cli *cli, const char *name, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-') {
        fprintf(cli->err, "epigrid: analyze: %s: '%s' is not a non-negative whole number\n", name, s);
        return EG_EX_USAGE;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno) {
        fprintf(cli->err, "epigrid: analyze: %s: '%s' is not a non-negative whole number\n", name, s);
        return EG_EX_USAGE;
    }
    *out = v;
    return 0;
}

/* A comma-separated list of day numbers; *out malloc'ed. */
static int list_opt(eg_cli *cli, const char *name, const char *s, size_t **out, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    size_t *v = malloc(cap * sizeof *v);
    if (!v)
        return EG_EX_SOFTWARE;
    size_t k = 0;
    const char *p = s;
    while (*p) {
        char *end;
        errno = 0;
        if (*p == '-' || *p == ',') {
            free(v);
            fprintf(cli->err, "epigrid: analyze: %s: '%s' is not a list of day numbers\n", name, s);
            return EG_EX_USAGE;
        }
        unsigned long long x = strtoull(p, &end, 10);
        if (end == p || errno || (*end && *end != ',')) {
            free(v);
            fprintf(cli->err, "epigrid: analyze: %s: '%s' is not a list of day numbers\n", name, s);
            return EG_EX_USAGE;
        }
        v[k++] = (size_t)x;
        p = *end ? end + 1 : end;
    }
    *out = v;
    *n = k;
    return 0;
}

/* A date option. */
static int date_opt(eg_cli *cli, const char *name, const char *s, eg_date *out)
{
    if (eg_date_parse(s, out)) {
        fprintf(cli->err, "epigrid: analyze: %s: '%s' is not a date (YYYY-MM-DD)\n", name, s);
        return EG_EX_USAGE;
    }
    return 0;
}

/* Print an error with its diag and return the matching exit code. */
static int fail(eg_cli *cli, eg_err e, const eg_diag *d, const char *ctx)
{
    eg_cli_error(cli, e, d, ctx);
    return eg_cli_exit_code(e);
}

/* Print the notes of a loader to cli->err. */
static void print_notes(eg_cli *cli, const eg_an_notes *n)
{
    char buf[700];
    for (size_t i = 0; i < n->n; i++)
        fprintf(cli->err, "epigrid: note: %s\n", eg_diag_format(&n->items[i], buf, sizeof buf));
}

/* A default seed when none is given: from the real time and the process;
 * always printed with the result, so the run can be repeated. */
static uint64_t fresh_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t s = (uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
    return s % 1000000000u + 1;
}

/* Number formatting: exact (%.17g) for csv/json, short for tables. */
static void fmt_num(char *buf, size_t n, double v, int exact)
{
    if (isnan(v))
        snprintf(buf, n, "NA");
    else
        snprintf(buf, n, exact ? "%.17g" : "%.4f", v);
}

/* ------------------------------------------------------------------ */
/* Shared loading of incidence and SI                                   */
/* ------------------------------------------------------------------ */

/* Load the case series of the database (--cases [--juris CODE] [--by
 * report|onset]): confirmed cases, local and imported apart
 * (epigrid/case_series.h). Returns an exit code. */
static int load_cases(eg_cli *cli, const an_opts *o, eg_incidence *inc, char *label, size_t label_size)
{
    eg_case_day by = EG_CASE_DAY_REPORT;
    eg_case_counts k;
    eg_store *s = NULL;
    eg_juris *tree = NULL;
    const eg_juris_node *node = NULL;
    eg_diag d;
    eg_err e;
    int rc;
    if (o->by && strcmp(o->by, "report") && strcmp(o->by, "onset")) {
        fprintf(cli->err, "epigrid: analyze: --by is report or onset, not '%s'\n", o->by);
        return EG_EX_USAGE;
    }
    if (o->by && strcmp(o->by, "onset") == 0)
        by = EG_CASE_DAY_ONSET;
    if ((rc = eg_cli_open_existing(cli, &s)))
        return rc;
    eg_diag_clear(&d);
    e = eg_juris_load(s, &tree);
    if (!e && o->juris && !(node = eg_juris_find(tree, o->juris))) {
        fprintf(cli->err, "epigrid: analyze: --juris %s is not in the jurisdiction tree\n", o->juris);
        eg_juris_free(tree);
        eg_store_close(s);
        return EG_EX_USAGE;
    }
    if (!e)
        e = eg_case_incidence(s, tree, node, by, EG_NO_DATE, EG_NO_DATE, inc, &k, &d);
    eg_juris_free(tree);
    eg_store_close(s);
    if (e)
        return fail(cli, e, &d, "analyze");
    /* EpiEstim's rule (process_I): the first day's cases count as imported */
    eg_incidence_first_day_imported(inc);
    snprintf(label, label_size, "case records of %s%s by day of %s", cli->db_path,
             node ? " under " : "", by == EG_CASE_DAY_ONSET ? "onset" : "report");
    if (node)
        snprintf(label + strlen(label), label_size - strlen(label), " (%s %s)", node->code, node->name);
    fprintf(cli->err, "analyze: %ld confirmed cases (%ld local, %ld imported: found by screening of "
            "travel)%s\n", k.cases, k.local, k.imported,
            by == EG_CASE_DAY_ONSET && k.onset_unknown ? "; some without a fever or symptom reading "
                                                        "are counted on their report day" : "");
    return 0;
}

/* Load the incidence named by the options (--incidence or --series).
 * `region_override` replaces --region when not NULL. Returns an exit
 * code. */
static int load_incidence(eg_cli *cli, const an_opts *o, const char *region_override,
                          eg_incidence *inc, char *label, size_t label_size)
{
    eg_diag d;
    eg_an_notes notes = {0};
    eg_err e;
    const char *region = region_override ? region_override : o->region;
    if (!!o->incidence + !!o->series + !!o->cases > 1) {
        fprintf(cli->err, "epigrid: analyze: give one of --incidence, --series or --cases\n");
        return EG_EX_USAGE;
    }
    if (o->cases)
        return load_cases(cli, o, inc, label, label_size);
    if (o->incidence) {
        e = eg_incidence_read_csv(o->incidence, inc, &notes, &d);
        snprintf(label, label_size, "%s", o->incidence);
    } else if (o->series) {
        if (!region) {
            fprintf(cli->err, "epigrid: analyze: --series needs --region CODE\n");
            return EG_EX_USAGE;
        }
        const char *col = o->column ? o->column : "confirmed";
        e = eg_incidence_read_series(o->series, region, col, inc, &notes, &d);
        snprintf(label, label_size, "%s region %s column %s", o->series, region, col);
    } else {
        fprintf(cli->err, "epigrid: analyze: give --incidence FILE or --series FILE --region CODE "
                          "(see --help)\n");
        return EG_EX_USAGE;
    }
    print_notes(cli, &notes);
    eg_an_notes_free(&notes);
    if (e)
        return fail(cli, e, &d, "analyze");
    return 0;
}

/* Apply --from/--to (to_text may override --to). */
static int apply_range(eg_cli *cli, eg_incidence *inc, const char *from_s, const char *to_s)
{
    eg_date from = EG_AN_NO_DATE, to = EG_AN_NO_DATE;
    eg_diag d;
    int rc;
    if (!from_s && !to_s)
        return 0;
    if (from_s && (rc = date_opt(cli, "--from", from_s, &from)))
        return rc;
    if (to_s && (rc = date_opt(cli, "--to", to_s, &to)))
        return rc;
    eg_err e = eg_incidence_slice(inc, from, to, &d);
    return e ? fail(cli, e, &d, "analyze") : 0;
}

/* Fill the SI part of an Rt configuration from the options; *si_owned
 * receives a distribution read from --si-distr (caller frees). */
static int si_config(eg_cli *cli, const an_opts *o, eg_rt_config *c, double **si_owned)
{
    int rc;
    *si_owned = NULL;
    if (o->si_distr) {
        if (o->si_mean || o->si_sd) {
            fprintf(cli->err, "epigrid: analyze: give --si-distr or --si-mean/--si-sd, not both\n");
            return EG_EX_USAGE;
        }
        eg_diag d;
        size_t n;
        eg_err e = eg_si_read_csv(o->si_distr, si_owned, &n, &d);
        if (e)
            return fail(cli, e, &d, "--si-distr");
        c->method = EG_SI_NON_PARAMETRIC;
        c->si_distr = *si_owned;
        c->si_len = n;
        return 0;
    }
    if (!o->si_mean || !o->si_sd) {
        fprintf(cli->err, "epigrid: analyze: the serial interval needs --si-mean DAYS --si-sd DAYS, "
                          "or --si-distr FILE\n");
        return EG_EX_USAGE;
    }
    if ((rc = num_opt(cli, "--si-mean", o->si_mean, &c->mean_si)) ||
        (rc = num_opt(cli, "--si-sd", o->si_sd, &c->std_si)))
        return rc;
    const char *u[6] = {o->std_mean_si, o->min_mean_si, o->max_mean_si,
                        o->std_std_si, o->min_std_si, o->max_std_si};
    const char *un[6] = {"--std-mean-si", "--min-mean-si", "--max-mean-si",
                         "--std-std-si", "--min-std-si", "--max-std-si"};
    double *uv[6] = {&c->std_mean_si, &c->min_mean_si, &c->max_mean_si,
                     &c->std_std_si, &c->min_std_si, &c->max_std_si};
    int nu = 0;
    for (int i = 0; i < 6; i++)
        if (u[i]) {
            nu++;
            if ((rc = num_opt(cli, un[i], u[i], uv[i])))
                return rc;
        }
    if (nu > 0 && nu < 6) {
        fprintf(cli->err, "epigrid: analyze: the uncertain serial interval needs all of "
                          "--std-mean-si --min-mean-si --max-mean-si --std-std-si --min-std-si "
                          "--max-std-si\n");
        return EG_EX_USAGE;
    }
    c->method = nu ? EG_SI_UNCERTAIN : EG_SI_PARAMETRIC;
    uint64_t v;
    if (o->n1) {
        if ((rc = count_opt(cli, "--n1", o->n1, &v)))
            return rc;
        c->n1 = (size_t)v;
    }
    if (o->n2) {
        if ((rc = count_opt(cli, "--n2", o->n2, &v)))
            return rc;
        c->n2 = (size_t)v;
    }
    return 0;
}

/* Windows, priors, seed and threads of an Rt configuration. *ts and *te are
 * malloc'ed lists (caller frees). */
static int rt_config(eg_cli *cli, const an_opts *o, eg_rt_config *c, size_t **ts, size_t **te)
{
    int rc;
    uint64_t v;
    *ts = *te = NULL;
    if (o->t_start || o->t_end) {
        size_t n1, n2;
        if (o->window) {
            fprintf(cli->err, "epigrid: analyze rt: give --window or --t-start/--t-end, not both\n");
            return EG_EX_USAGE;
        }
        if (!o->t_start || !o->t_end) {
            fprintf(cli->err, "epigrid: analyze rt: --t-start and --t-end go together\n");
            return EG_EX_USAGE;
        }
        if ((rc = list_opt(cli, "--t-start", o->t_start, ts, &n1)) ||
            (rc = list_opt(cli, "--t-end", o->t_end, te, &n2)))
            return rc;
        if (n1 != n2) {
            fprintf(cli->err, "epigrid: analyze rt: --t-start has %zu days and --t-end %zu\n", n1, n2);
            return EG_EX_USAGE;
        }
        c->t_start = *ts;
        c->t_end = *te;
        c->n_windows = n1;
    } else if (o->window) {
        if ((rc = count_opt(cli, "--window", o->window, &v)))
            return rc;
        c->window = (size_t)v;
    }
    if (o->mean_prior && (rc = num_opt(cli, "--mean-prior", o->mean_prior, &c->mean_prior)))
        return rc;
    if (o->std_prior && (rc = num_opt(cli, "--std-prior", o->std_prior, &c->std_prior)))
        return rc;
    if (o->seed) {
        if ((rc = count_opt(cli, "--seed", o->seed, &v)))
            return rc;
        c->seed = v;
    } else {
        c->seed = fresh_seed();
    }
    if (o->threads) {
        if ((rc = count_opt(cli, "--threads", o->threads, &v)))
            return rc;
        c->threads = v < 1 ? 1 : (int)(v > 2 ? 2 : v);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* analyze si                                                           */
/* ------------------------------------------------------------------ */

static void help_si(FILE *f)
{
    fputs("usage: epigrid analyze si (--si-mean DAYS --si-sd DAYS [--days N] | --si-distr FILE)\n"
          "                          [--format table|csv|json]\n\n"
          "Print a discrete serial-interval distribution k,w (w = probability that the serial\n"
          "interval is k days), with its mean and sd.\n\n"
          "  --si-mean DAYS  mean of the serial interval in days (> 1); with --si-sd, the\n"
          "                  discretised gamma of EpiEstim's discr_si (Cori et al. 2013, web\n"
          "                  appendix 11): 1 + gamma with mean DAYS-1 and sd --si-sd\n"
          "  --si-sd DAYS    sd of the serial interval in days (> 0)\n"
          "  --days N        print k = 0..N-1 (default: up to the last non-zero weight)\n"
          "  --si-distr FILE read a distribution from CSV k,w (k = 0,1,2,... without gaps,\n"
          "                  w[0] = 0, no negative weight, sum within 0.01 of 1; used as given)\n\n"
          "Example (Li et al. 2020, NEJM 382:1199, COVID-19 in Wuhan):\n"
          "  epigrid analyze si --si-mean 7.5 --si-sd 3.4 --format csv\n", f);
}

static int cmd_si(eg_cli *cli, int argc, char **argv)
{
    an_opts o;
    int rc = parse_opts(cli, "si", SI, argc, argv, &o);
    if (rc)
        return rc;
    double *w = NULL;
    size_t n = 0;
    eg_diag d;
    if (o.si_distr) {
        if (o.si_mean || o.si_sd || o.days) {
            fprintf(cli->err, "epigrid: analyze si: --si-distr goes alone\n");
            return EG_EX_USAGE;
        }
        eg_err e = eg_si_read_csv(o.si_distr, &w, &n, &d);
        if (e)
            return fail(cli, e, &d, "--si-distr");
    } else {
        double mu, sd;
        uint64_t days = 0;
        if (!o.si_mean || !o.si_sd) {
            fprintf(cli->err, "epigrid: analyze si: give --si-mean and --si-sd, or --si-distr "
                              "(see --help)\n");
            return EG_EX_USAGE;
        }
        if ((rc = num_opt(cli, "--si-mean", o.si_mean, &mu)) ||
            (rc = num_opt(cli, "--si-sd", o.si_sd, &sd)) ||
            (o.days && (rc = count_opt(cli, "--days", o.days, &days))))
            return rc;
        if (o.days && (days < 1 || days > 100000)) {
            fprintf(cli->err, "epigrid: analyze si: --days must be 1..100000\n");
            return EG_EX_USAGE;
        }
        size_t len = days ? (size_t)days : 100000;
        w = malloc(len * sizeof *w);
        if (!w)
            return EG_EX_SOFTWARE;
        eg_err e = eg_discr_si(mu, sd, len, w, &d);
        if (e) {
            free(w);
            return fail(cli, e, &d, "analyze si");
        }
        n = days ? len : eg_si_support(w, len);
        if (n < 2)
            n = 2;
    }
    double mean = eg_si_mean(w, n), sdv = eg_si_sd(w, n);
    int exact = cli->format != EG_FMT_TABLE;
    if (cli->format == EG_FMT_JSON) {
        json_t *root = json_object(), *arr = json_array();
        for (size_t k = 0; k < n; k++) {
            json_t *row = json_object();
            json_object_set_new(row, "k", json_integer((json_int_t)k));
            json_object_set_new(row, "w", json_real(w[k]));
            json_array_append_new(arr, row);
        }
        json_object_set_new(root, "si", arr);
        json_object_set_new(root, "mean", json_real(mean));
        json_object_set_new(root, "sd", json_real(sdv));
        json_dumpf(root, cli->out, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
        fputc('\n', cli->out);
        json_decref(root);
    } else {
        static const eg_column cols[] = {{"k", EG_COL_INT}, {"w", EG_COL_NUM}};
        eg_table *t = eg_table_new(cols, 2);
        if (!t) {
            free(w);
            return EG_EX_SOFTWARE;
        }
        for (size_t k = 0; k < n; k++) {
            char kb[32], wb[40];
            snprintf(kb, sizeof kb, "%zu", k);
            snprintf(wb, sizeof wb, exact ? "%.17g" : "%.6f", w[k]);
            const char *vals[2] = {kb, wb};
            eg_table_add(t, vals);
        }
        eg_table_print(t, cli);
        eg_table_free(t);
        fprintf(cli->err, "epigrid: serial interval: mean %.6g days, sd %.6g days (discrete)\n", mean,
                sdv);
    }
    free(w);
    return EG_EX_OK;
}

/* ------------------------------------------------------------------ */
/* analyze rt                                                           */
/* ------------------------------------------------------------------ */

static void help_rt(FILE *f)
{
    fputs(
        "usage: epigrid analyze rt INPUT SI [WINDOWS] [--mean-prior R --std-prior R] [--seed N]\n"
        "                          [--format table|csv|json]\n\n"
        "Time-varying reproduction number by the method of Cori et al. 2013 (Am J Epidemiol\n"
        "178:1505) with imported cases (Thompson et al. 2019, Epidemics 29:100356), as EpiEstim\n"
        "2.2-4 estimate_R. Writes t_start,t_end,mean,std,q0.025,q0.05,q0.25,median,q0.75,\n"
        "q0.95,q0.975 per window (t = 1 is the first day of the data; NA where EpiEstim gives\n"
        "NA: t_end <= mean of the discrete serial interval).\n\n"
        "INPUT (one of):\n"
        "  --incidence FILE      incidence.csv: date,local,imported (or t,...; or EpiEstim's\n"
        "                        dates,I); all day-1 cases count as imported (EpiEstim)\n"
        "  --cases [--juris CODE] [--by report|onset]\n"
        "                        the database's confirmed cases (--db), local and imported apart\n"
        "                        (imported: found by screening of travel, rules R1/R2), by day of\n"
        "                        report (default) or of onset (first fever or symptom reading)\n"
        "  --series FILE --region CODE [--column NAME] [--cumulative]\n"
        "                        a published cumulative series (covid_city_daily_*.csv): a\n"
        "                        2-digit province code selects its `(province total)` rows, a\n"
        "                        city code (2205, 220500) its own rows; column default\n"
        "                        confirmed; daily counts by differences, decreases corrected\n"
        "                        (each correction reported on stderr)\n"
        "  --from DATE --to DATE keep these days only (inclusive; dated input)\n"
        "SI (one of):\n"
        "  --si-mean DAYS --si-sd DAYS   parametric: discretised gamma (EpiEstim discr_si)\n"
        "  --si-distr FILE               non-parametric: CSV k,w\n"
        "  --si-mean M --si-sd S --std-mean-si X --min-mean-si A --max-mean-si B\n"
        "        --std-std-si Y --min-std-si C --max-std-si D [--n1 N] [--n2 N]\n"
        "                                uncertain SI: n1 (default 500) pairs, mean from\n"
        "                                N(M, X) within [A, B], sd from N(S, Y) within [C, D],\n"
        "                                n2 (default 50) posterior draws each, pooled\n"
        "WINDOWS (default: weekly sliding windows, t_start = 2..T-6):\n"
        "  --window DAYS                 sliding windows of DAYS days (t_start = 2..T-DAYS+1)\n"
        "  --t-start LIST --t-end LIST   explicit windows, comma-separated day numbers\n"
        "                                (2 <= t_start <= t_end <= T)\n"
        "OTHER:\n"
        "  --mean-prior R --std-prior R  gamma prior of R (default 5 and 5)\n"
        "  --seed N                      seed of the uncertain-SI draws (default: fresh, printed)\n"
        "  --threads N                   1 or 2 (default 2)\n\n"
        "Examples:\n"
        "  epigrid analyze rt --incidence flu2009.csv --si-mean 2.6 --si-sd 1.5 --format csv\n"
        "  epigrid analyze rt --series data/real/covid_city_daily_official_jilin_2020.csv \\\n"
        "      --region 22 --column confirmed --cumulative --to 2020-02-13 --si-mean 7.5 --si-sd 3.4\n",
        f);
}

/* Estimate Rt from parsed options. On success *res and *inc are filled. */
static int run_rt(eg_cli *cli, const an_opts *o, const char *region_override, const char *to_override,
                  eg_incidence *inc, eg_rt_result *res, eg_rt_config *cfg, char *label,
                  size_t label_size)
{
    int rc;
    double *si_owned = NULL;
    size_t *ts = NULL, *te = NULL;
    eg_rt_config_default(cfg);
    if ((rc = si_config(cli, o, cfg, &si_owned)) || (rc = rt_config(cli, o, cfg, &ts, &te)))
        goto out;
    if ((rc = load_incidence(cli, o, region_override, inc, label, label_size)))
        goto out;
    if ((rc = apply_range(cli, inc, o->from, to_override ? to_override : o->to))) {
        eg_incidence_free(inc);
        goto out;
    }
    eg_diag d;
    eg_err e = eg_rt_estimate(inc->local, inc->imported, inc->n, cfg, res, &d);
    if (e) {
        rc = fail(cli, e, &d, "analyze rt");
        eg_incidence_free(inc);
        goto out;
    }
    if (res->first_window_low)
        fprintf(cli->err, "epigrid: note: the first window has fewer cases than "
                          "ceil(1/cv_posterior^2 - a_prior): estimating R too early in the "
                          "epidemic to get the desired posterior CV (EpiEstim's warning)\n");
out:
    /* the result does not keep cfg's borrowed pointers */
    free(si_owned);
    free(ts);
    free(te);
    cfg->si_distr = NULL;
    cfg->t_start = cfg->t_end = NULL;
    return rc;
}

/* Date text of day t (1-based) of a dated series, or "". */
static void day_date(const eg_incidence *inc, size_t t, char *buf)
{
    if (inc->has_dates)
        eg_date_format(inc->first + (eg_date)t - 1, buf);
    else
        buf[0] = 0;
}

static const char *const RT_Q_NAMES[EG_RT_NQ] = {"q0.025", "q0.05", "q0.25", "median",
                                                 "q0.75",  "q0.95", "q0.975"};

/* Print an Rt result in the chosen format. */
static int print_rt(eg_cli *cli, const eg_incidence *inc, const eg_rt_result *r,
                    const eg_rt_config *cfg, const char *label)
{
    int exact = cli->format != EG_FMT_TABLE;
    if (cli->format == EG_FMT_JSON) {
        json_t *root = json_object(), *series = json_object(), *si = json_object();
        json_t *wins = json_array();
        char b1[EG_DATE_BUFSZ], b2[EG_DATE_BUFSZ];
        json_object_set_new(series, "source", json_string(label));
        json_object_set_new(series, "days", json_integer((json_int_t)inc->n));
        if (inc->has_dates) {
            day_date(inc, 1, b1);
            day_date(inc, inc->n, b2);
            json_object_set_new(series, "first", json_string(b1));
            json_object_set_new(series, "last", json_string(b2));
        }
        static const char *const MN[] = {"parametric", "non_parametric", "uncertain"};
        json_object_set_new(si, "method", json_string(MN[cfg->method]));
        json_object_set_new(si, "mean", cfg->method == EG_SI_NON_PARAMETRIC ? json_real(r->si_mean)
                                                                           : json_real(cfg->mean_si));
        json_object_set_new(si, "sd", cfg->method == EG_SI_NON_PARAMETRIC ? json_real(r->si_sd)
                                                                         : json_real(cfg->std_si));
        json_object_set_new(si, "mean_discrete", json_real(r->si_mean));
        json_object_set_new(si, "sd_discrete", json_real(r->si_sd));
        for (size_t i = 0; i < r->n_windows; i++) {
            const eg_rt_window *w = &r->windows[i];
            json_t *o = json_object();
            json_object_set_new(o, "t_start", json_integer((json_int_t)w->t_start));
            json_object_set_new(o, "t_end", json_integer((json_int_t)w->t_end));
            if (inc->has_dates) {
                day_date(inc, w->t_start, b1);
                day_date(inc, w->t_end, b2);
                json_object_set_new(o, "date_start", json_string(b1));
                json_object_set_new(o, "date_end", json_string(b2));
            }
            json_object_set_new(o, "mean", w->na ? json_null() : json_real(w->mean));
            json_object_set_new(o, "std", w->na ? json_null() : json_real(w->std));
            for (int q = 0; q < EG_RT_NQ; q++)
                json_object_set_new(o, RT_Q_NAMES[q], w->na ? json_null() : json_real(w->q[q]));
            json_array_append_new(wins, o);
        }
        json_object_set_new(root, "series", series);
        json_object_set_new(root, "si", si);
        json_object_set_new(root, "windows", wins);
        if (cfg->method == EG_SI_UNCERTAIN)
            json_object_set_new(root, "seed", json_integer((json_int_t)r->seed));
        json_dumpf(root, cli->out, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
        fputc('\n', cli->out);
        json_decref(root);
    } else {
        static const eg_column cols[] = {
            {"t_start", EG_COL_INT}, {"t_end", EG_COL_INT}, {"mean", EG_COL_NUM},
            {"std", EG_COL_NUM},     {"q0.025", EG_COL_NUM}, {"q0.05", EG_COL_NUM},
            {"q0.25", EG_COL_NUM},   {"median", EG_COL_NUM}, {"q0.75", EG_COL_NUM},
            {"q0.95", EG_COL_NUM},   {"q0.975", EG_COL_NUM}};
        eg_table *t = eg_table_new(cols, 11);
        if (!t)
            return EG_EX_SOFTWARE;
        char buf[11][40];
        for (size_t i = 0; i < r->n_windows; i++) {
            const eg_rt_window *w = &r->windows[i];
            snprintf(buf[0], 40, "%zu", w->t_start);
            snprintf(buf[1], 40, "%zu", w->t_end);
            fmt_num(buf[2], 40, w->na ? NAN : w->mean, exact);
            fmt_num(buf[3], 40, w->na ? NAN : w->std, exact);
            for (int q = 0; q < EG_RT_NQ; q++)
                fmt_num(buf[4 + q], 40, w->na ? NAN : w->q[q], exact);
            const char *vals[11];
            for (int k = 0; k < 11; k++)
                vals[k] = buf[k];
            if (eg_table_add(t, vals)) {
                eg_table_free(t);
                return EG_EX_SOFTWARE;
            }
        }
        eg_err e = eg_table_print(t, cli);
        eg_table_free(t);
        if (e)
            return EG_EX_SOFTWARE;
        if (inc->has_dates) {
            char b1[EG_DATE_BUFSZ];
            day_date(inc, 1, b1);
            fprintf(cli->err, "epigrid: day t = 1 is %s\n", b1);
        }
    }
    if (cfg->method == EG_SI_UNCERTAIN)
        fprintf(cli->err, "epigrid: seed %llu (n1 %zu, n2 %zu)\n", (unsigned long long)r->seed,
                cfg->n1, cfg->n2);
    return EG_EX_OK;
}

static int cmd_rt(eg_cli *cli, int argc, char **argv)
{
    an_opts o;
    int rc = parse_opts(cli, "rt", RT, argc, argv, &o);
    if (rc)
        return rc;
    eg_incidence inc = {0};
    eg_rt_result r;
    eg_rt_config cfg;
    char label[600];
    if ((rc = run_rt(cli, &o, NULL, NULL, &inc, &r, &cfg, label, sizeof label)))
        return rc;
    rc = print_rt(cli, &inc, &r, &cfg, label);
    eg_rt_result_free(&r);
    eg_incidence_free(&inc);
    return rc;
}

/* ------------------------------------------------------------------ */
/* analyze project                                                      */
/* ------------------------------------------------------------------ */

static void help_project(FILE *f)
{
    fputs(
        "usage: epigrid analyze project INPUT SI R [OPTIONS] [--format table|csv|json]\n\n"
        "Project daily incidence by simulating the renewal process I_t ~ Poisson(R Lambda_t)\n"
        "(or negative binomial), with daily quantiles (5%, 25%, median, 75%, 95%) of new cases\n"
        "and of beds in use, and probabilities of events. Every result is reproducible from the\n"
        "seed printed with it.\n\n"
        "INPUT: --incidence FILE, or --series FILE --region CODE [--column NAME] [--cumulative]\n"
        "       (as for `analyze rt`); --from DATE; --as-of DATE: the last observed day (default\n"
        "       the last day of the data); the projection starts the day after.\n"
        "SI:    --si-mean DAYS --si-sd DAYS (discretised gamma) or --si-distr FILE (k,w)\n"
        "R (one of):\n"
        "  --r-mean R [--r-sd R]   R drawn once per trajectory from a gamma with this mean and\n"
        "                          sd (sd 0 or absent: R fixed)\n"
        "  --r-from-rt             R drawn from the gamma posterior of the last Rt window\n"
        "                          (method of `analyze rt`, same SI, --window, --mean-prior,\n"
        "                          --std-prior) estimated on the same data up to --as-of, or on\n"
        "                          region --rt-region CODE of the same --series file\n"
        "  --r-change LIST         piecewise R: DAY:MEAN[:SD],... from projected day DAY on\n"
        "                          (e.g. 8:1.5:0.2 = \"measures lifted after a week\")\n"
        "OPTIONS:\n"
        "  --days N            days to project (default 14)\n"
        "  --n-sim N           trajectories (default 10000)\n"
        "  --seed N            seed of the GSL streams (default: fresh, printed)\n"
        "  --dispersion K      negative binomial daily counts, variance m + m^2/K (default:\n"
        "                      Poisson)\n"
        "  --admit-prob P      probability that a case is admitted (0..1; default 0: no beds)\n"
        "  --los-mean DAYS --los-sd DAYS  length of stay: gamma rounded to whole days, >= 1\n"
        "                      (default mean 14, sd 7); observed cases of the last days are\n"
        "                      admitted the same way, so beds start from the current patients\n"
        "  --capacity N        beds in use; reports P(beds needed > N on some day)\n"
        "  --standby N         standby beds; reports P(beds needed > N + standby on some day)\n"
        "  --no-case-days K    P(no new case on the first K projected days) (default 14, or\n"
        "                      --days when smaller)\n"
        "  --more-than X       P(more than X new cases over --more-than-days K, default --days)\n"
        "  --threads N         1 or 2 (default 2)\n\n"
        "Example:\n"
        "  epigrid analyze project --series data/real/covid_city_daily_official_jilin_2020.csv \\\n"
        "      --region 2205 --as-of 2020-02-13 --days 14 --si-mean 7.5 --si-sd 3.4 \\\n"
        "      --r-from-rt --rt-region 22 --n-sim 100000 --seed 1 --admit-prob 0.2 --capacity 3\n",
        f);
}

/* Parse --r-change "DAY:MEAN[:SD],..." into pieces[1..]. */
static int parse_changes(eg_cli *cli, const char *s, eg_r_piece *pieces, size_t max, size_t *n)
{
    const char *p = s;
    while (*p) {
        if (*n >= max) {
            fprintf(cli->err, "epigrid: analyze project: --r-change: too many pieces\n");
            return EG_EX_USAGE;
        }
        char *end;
        unsigned long day = strtoul(p, &end, 10);
        if (end == p || *end != ':')
            goto bad;
        p = end + 1;
        double mean = strtod(p, &end), sd = 0;
        if (end == p)
            goto bad;
        p = end;
        if (*p == ':') {
            sd = strtod(p + 1, &end);
            if (end == p + 1)
                goto bad;
            p = end;
        }
        if (*p == ',')
            p++;
        else if (*p)
            goto bad;
        pieces[*n] = (eg_r_piece){(size_t)day, mean, sd, 0, 0};
        (*n)++;
    }
    return 0;
bad:
    fprintf(cli->err, "epigrid: analyze project: --r-change: '%s' is not DAY:MEAN[:SD],...\n", s);
    return EG_EX_USAGE;
}

/* Write the projection in the JSON shape of api.md /analysis/projection. */
static void print_project_json(eg_cli *cli, const eg_proj_result *r, const eg_proj_config *pc,
                               eg_date first_day, int dated)
{
    static const char *const QN[EG_PROJ_NQ] = {"q0.05", "q0.25", "median", "q0.75", "q0.95"};
    json_t *root = json_object(), *dates = json_array(), *inc = json_object(), *beds = json_object();
    for (size_t h = 0; h < r->days; h++) {
        char b[EG_DATE_BUFSZ];
        if (dated)
            json_array_append_new(dates, json_string(eg_date_format(first_day + (eg_date)h, b)));
        else
            json_array_append_new(dates, json_integer((json_int_t)h + 1));
    }
    for (int j = 0; j < EG_PROJ_NQ; j++) {
        json_t *a = json_array(), *bq = json_array();
        for (size_t h = 0; h < r->days; h++) {
            json_array_append_new(a, json_real(r->inc_q[(size_t)j * r->days + h]));
            if (r->beds_q)
                json_array_append_new(bq, json_real(r->beds_q[(size_t)j * r->days + h]));
        }
        json_object_set_new(inc, QN[j], a);
        if (r->beds_q)
            json_object_set_new(beds, QN[j], bq);
        else
            json_decref(bq);
    }
    json_t *pr = json_object(), *mt = json_object();
    json_object_set_new(pr, "no_new_case_days", json_integer((json_int_t)pc->no_case_days));
    json_object_set_new(pr, "p_no_new_case", json_real(r->p_no_new_case));
    json_object_set_new(mt, "x", pc->more_than >= 0 ? json_integer(pc->more_than) : json_null());
    json_object_set_new(mt, "days", json_integer((json_int_t)(pc->more_than_days ? pc->more_than_days
                                                                                : pc->days)));
    json_object_set_new(mt, "p", isnan(r->p_more_than) ? json_null() : json_real(r->p_more_than));
    json_object_set_new(pr, "p_more_than", mt);
    json_object_set_new(pr, "p_beds_over_capacity",
                        isnan(r->p_over_capacity) ? json_null() : json_real(r->p_over_capacity));
    json_object_set_new(pr, "p_beds_over_capacity_with_standby",
                        isnan(r->p_over_capacity_standby) ? json_null()
                                                          : json_real(r->p_over_capacity_standby));
    json_object_set_new(root, "dates", dates);
    json_object_set_new(root, "incidence", inc);
    json_object_set_new(root, "beds", r->beds_q ? beds : (json_decref(beds), json_null()));
    json_object_set_new(root, "probabilities", pr);
    json_object_set_new(root, "n_sim", json_integer((json_int_t)pc->n_sim));
    json_object_set_new(root, "seed", json_integer((json_int_t)r->seed));
    json_dumpf(root, cli->out, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    fputc('\n', cli->out);
    json_decref(root);
}

/* Table or CSV of the projection, then the probabilities. */
static int print_project_table(eg_cli *cli, const eg_proj_result *r, const eg_proj_config *pc,
                               eg_date first_day, int dated)
{
    static const eg_column cols[] = {
        {"date", EG_COL_STR},        {"day", EG_COL_INT},          {"inc_q0.05", EG_COL_NUM},
        {"inc_q0.25", EG_COL_NUM},   {"inc_median", EG_COL_NUM},   {"inc_q0.75", EG_COL_NUM},
        {"inc_q0.95", EG_COL_NUM},   {"beds_q0.05", EG_COL_NUM},   {"beds_q0.25", EG_COL_NUM},
        {"beds_median", EG_COL_NUM}, {"beds_q0.75", EG_COL_NUM},   {"beds_q0.95", EG_COL_NUM}};
    size_t nc = r->beds_q ? 12 : 7;
    eg_table *t = eg_table_new(cols, nc);
    if (!t)
        return EG_EX_SOFTWARE;
    for (size_t h = 0; h < r->days; h++) {
        char buf[12][40];
        const char *vals[12];
        if (dated)
            eg_date_format(first_day + (eg_date)h, buf[0]);
        else
            buf[0][0] = 0;
        snprintf(buf[1], 40, "%zu", h + 1);
        for (int j = 0; j < EG_PROJ_NQ; j++) {
            snprintf(buf[2 + j], 40, "%.10g", r->inc_q[(size_t)j * r->days + h]);
            if (r->beds_q)
                snprintf(buf[7 + j], 40, "%.10g", r->beds_q[(size_t)j * r->days + h]);
        }
        for (size_t k = 0; k < nc; k++)
            vals[k] = buf[k];
        if (eg_table_add(t, vals)) {
            eg_table_free(t);
            return EG_EX_SOFTWARE;
        }
    }
    eg_table_print(t, cli);
    eg_table_free(t);
    FILE *f = cli->format == EG_FMT_TABLE ? cli->out : cli->err;
    const char *pre = cli->format == EG_FMT_TABLE ? "" : "epigrid: ";
    fprintf(f, "%sP(no new case in %zu days) = %.4f\n", pre, pc->no_case_days, r->p_no_new_case);
    if (pc->more_than >= 0)
        fprintf(f, "%sP(more than %ld cases in %zu days) = %.4f\n", pre, pc->more_than,
                pc->more_than_days ? pc->more_than_days : pc->days, r->p_more_than);
    if (!isnan(r->p_over_capacity)) {
        fprintf(f, "%sP(beds in use > capacity %ld on some day) = %.4f\n", pre, pc->capacity,
                r->p_over_capacity);
        fprintf(f, "%sP(beds in use > capacity + standby %ld on some day) = %.4f\n", pre,
                pc->capacity + (pc->standby > 0 ? pc->standby : 0), r->p_over_capacity_standby);
    }
    fprintf(f, "%smean projected cases %.4g; %zu trajectories; seed %llu\n", pre, r->mean_total,
            pc->n_sim, (unsigned long long)r->seed);
    return EG_EX_OK;
}

static int cmd_project(eg_cli *cli, int argc, char **argv)
{
    an_opts o;
    int rc = parse_opts(cli, "project", PR, argc, argv, &o);
    if (rc)
        return rc;
    eg_proj_config pc;
    eg_project_config_default(&pc);
    uint64_t v;
    int no_case_given = 0;
    if (o.days) {
        if ((rc = count_opt(cli, "--days", o.days, &v)))
            return rc;
        if (v < 1 || v > 3650) {
            fprintf(cli->err, "epigrid: analyze project: --days must be 1..3650\n");
            return EG_EX_USAGE;
        }
        pc.days = (size_t)v;
    }
    if (o.n_sim) {
        if ((rc = count_opt(cli, "--n-sim", o.n_sim, &v)))
            return rc;
        if (v < 1 || v > 10000000) {
            fprintf(cli->err, "epigrid: analyze project: --n-sim must be 1..10000000\n");
            return EG_EX_USAGE;
        }
        pc.n_sim = (size_t)v;
    }
    if (o.seed) {
        if ((rc = count_opt(cli, "--seed", o.seed, &v)))
            return rc;
        pc.seed = v;
    } else {
        pc.seed = fresh_seed();
    }
    if (o.threads) {
        if ((rc = count_opt(cli, "--threads", o.threads, &v)))
            return rc;
        pc.threads = v < 1 ? 1 : (v > 2 ? 2 : (int)v);
    }
    if (o.dispersion && (rc = num_opt(cli, "--dispersion", o.dispersion, &pc.dispersion)))
        return rc;
    if (o.admit_prob && (rc = num_opt(cli, "--admit-prob", o.admit_prob, &pc.admit_prob)))
        return rc;
    if (o.capacity) {
        if ((rc = count_opt(cli, "--capacity", o.capacity, &v)))
            return rc;
        pc.capacity = (long)v;
    }
    if (o.standby) {
        if ((rc = count_opt(cli, "--standby", o.standby, &v)))
            return rc;
        pc.standby = (long)v;
    }
    if (o.no_case_days) {
        if ((rc = count_opt(cli, "--no-case-days", o.no_case_days, &v)))
            return rc;
        pc.no_case_days = (size_t)v;
        no_case_given = 1;
    }
    if (!no_case_given && pc.no_case_days > pc.days)
        pc.no_case_days = pc.days;
    if (o.more_than) {
        if ((rc = count_opt(cli, "--more-than", o.more_than, &v)))
            return rc;
        pc.more_than = (long)v;
    }
    if (o.more_than_days) {
        if ((rc = count_opt(cli, "--more-than-days", o.more_than_days, &v)))
            return rc;
        pc.more_than_days = (size_t)v;
    }
    /* SI */
    eg_rt_config sicfg;
    eg_rt_config_default(&sicfg);
    double *si_owned = NULL, *si = NULL, *los = NULL;
    size_t si_len = 0, los_len = 0;
    if ((rc = si_config(cli, &o, &sicfg, &si_owned)))
        return rc;
    if (sicfg.method == EG_SI_UNCERTAIN) {
        fprintf(cli->err, "epigrid: analyze project: give a fixed serial interval (--si-mean "
                          "--si-sd or --si-distr)\n");
        free(si_owned);
        return EG_EX_USAGE;
    }
    eg_incidence inc = {0}, rtinc = {0};
    eg_rt_result rr = {0};
    eg_diag d;
    char label[600];
    eg_r_piece pieces[33];
    size_t np = 0;
    eg_proj_result res = {0};
    if ((rc = load_incidence(cli, &o, NULL, &inc, label, sizeof label)) ||
        (rc = apply_range(cli, &inc, o.from, o.as_of)))
        goto out;
    if (o.as_of && !inc.has_dates) {
        fprintf(cli->err, "epigrid: analyze project: --as-of needs dated data\n");
        rc = EG_EX_USAGE;
        goto out;
    }
    if (o.as_of) {
        eg_date asof;
        date_opt(cli, "--as-of", o.as_of, &asof);
        if (inc.first + (eg_date)inc.n - 1 < asof) {
            char b1[EG_DATE_BUFSZ];
            fprintf(cli->err, "epigrid: note: the data end on %s, before --as-of %s: the days "
                              "between are counted as 0 cases\n",
                    eg_date_format(inc.first + (eg_date)inc.n - 1, b1), o.as_of);
            size_t n2 = (size_t)(asof - inc.first) + 1;
            double *l = realloc(inc.local, n2 * sizeof *l);
            if (l)
                inc.local = l;
            double *im = l ? realloc(inc.imported, n2 * sizeof *im) : NULL;
            if (im)
                inc.imported = im;
            if (!l || !im) {
                rc = EG_EX_SOFTWARE;
                goto out;
            }
            for (size_t t = inc.n; t < n2; t++)
                inc.local[t] = inc.imported[t] = 0;
            inc.n = n2;
        }
    }
    /* the SI array */
    if (sicfg.method == EG_SI_NON_PARAMETRIC) {
        si = si_owned;
        si_len = sicfg.si_len;
    } else {
        si_len = inc.n + pc.days + 1;
        si = malloc(si_len * sizeof *si);
        if (!si) {
            rc = EG_EX_SOFTWARE;
            goto out;
        }
        eg_err e = eg_discr_si(sicfg.mean_si, sicfg.std_si, si_len, si, &d);
        if (e) {
            rc = fail(cli, e, &d, "analyze project");
            goto out;
        }
        si_len = eg_si_support(si, si_len);
        if (si_len < 2)
            si_len = 2;
    }
    /* R */
    if (o.r_from_rt) {
        if (o.r_mean || o.r_sd) {
            fprintf(cli->err, "epigrid: analyze project: give --r-from-rt or --r-mean, not both\n");
            rc = EG_EX_USAGE;
            goto out;
        }
        eg_rt_config rc2;
        char lab2[600];
        an_opts o2 = o;
        o2.from = o.from;
        if ((rc = run_rt(cli, &o2, o.rt_region, o.as_of, &rtinc, &rr, &rc2, lab2, sizeof lab2)))
            goto out;
        const eg_rt_window *w = &rr.windows[rr.n_windows - 1];
        if (w->na) {
            fprintf(cli->err, "epigrid: analyze project: the last Rt window is NA (it ends before "
                              "the mean serial interval)\n");
            rc = EG_EX_DATAERR;
            goto out;
        }
        pieces[np++] = (eg_r_piece){1, w->mean, w->std, w->shape, w->scale};
        char b1[EG_DATE_BUFSZ] = "", b2[EG_DATE_BUFSZ] = "";
        if (rtinc.has_dates) {
            eg_date_format(rtinc.first + (eg_date)w->t_start - 1, b1);
            eg_date_format(rtinc.first + (eg_date)w->t_end - 1, b2);
        }
        fprintf(cli->err, "epigrid: R from the last Rt window %s..%s of %s: mean %.4f, sd %.4f "
                          "(gamma shape %.6g, scale %.6g)\n",
                b1, b2, lab2, w->mean, w->std, w->shape, w->scale);
    } else if (o.r_mean) {
        double m, s = 0;
        if ((rc = num_opt(cli, "--r-mean", o.r_mean, &m)) ||
            (o.r_sd && (rc = num_opt(cli, "--r-sd", o.r_sd, &s))))
            goto out;
        pieces[np++] = (eg_r_piece){1, m, s, 0, 0};
    } else {
        fprintf(cli->err, "epigrid: analyze project: give --r-mean R [--r-sd R] or --r-from-rt\n");
        rc = EG_EX_USAGE;
        goto out;
    }
    if (o.r_change && (rc = parse_changes(cli, o.r_change, pieces, 33, &np)))
        goto out;
    pc.pieces = pieces;
    pc.n_pieces = np;
    pc.si = si;
    pc.si_len = si_len;
    if (pc.admit_prob > 0) {
        double lm = 14, ls = 7;
        if ((o.los_mean && (rc = num_opt(cli, "--los-mean", o.los_mean, &lm))) ||
            (o.los_sd && (rc = num_opt(cli, "--los-sd", o.los_sd, &ls))))
            goto out;
        eg_err e = eg_los_gamma(lm, ls, &los, &los_len, &d);
        if (e) {
            rc = fail(cli, e, &d, "analyze project");
            goto out;
        }
        pc.los = los;
        pc.los_len = los_len;
    } else if (o.capacity || o.los_mean) {
        fprintf(cli->err, "epigrid: note: beds need --admit-prob P > 0; no beds projected\n");
    }
    eg_err e = eg_project(inc.local, inc.imported, inc.n, &pc, &res, &d);
    if (e) {
        rc = fail(cli, e, &d, "analyze project");
        goto out;
    }
    eg_date first_day = inc.first + (eg_date)inc.n;
    if (cli->format == EG_FMT_JSON) {
        print_project_json(cli, &res, &pc, first_day, inc.has_dates);
        fprintf(cli->err, "epigrid: seed %llu\n", (unsigned long long)res.seed);
    } else {
        rc = print_project_table(cli, &res, &pc, first_day, inc.has_dates);
    }
out:
    eg_project_result_free(&res);
    eg_rt_result_free(&rr);
    eg_incidence_free(&rtinc);
    eg_incidence_free(&inc);
    if (si != si_owned)
        free(si);
    free(si_owned);
    free(los);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Dispatcher                                                           */
/* ------------------------------------------------------------------ */

static void help_analyze(FILE *f)
{
    fputs("usage: epigrid analyze si|rt|project [OPTIONS] [--format table|csv|json]\n\n"
          "Epidemic analysis (疫情分析研判):\n"
          "  si       a discrete serial interval (EpiEstim's discr_si, or a k,w file)\n"
          "  rt       time-varying reproduction number (Cori et al. 2013; EpiEstim 2.2)\n"
          "  project  projections of incidence and beds, probabilities of events\n\n"
          "Run `epigrid analyze SUBCOMMAND --help` for the options. Days are the unit of every\n"
          "duration. Exit codes: 0 ok, 64 usage, 65 data rejected, 66 input missing, 70 internal.\n",
          f);
}

/* `epigrid analyze ...`: argv[0] is "analyze". */
int eg_cmd_analyze(eg_cli *cli, int argc, char **argv)
{
    if (argc < 2) {
        help_analyze(cli->err);
        return EG_EX_USAGE;
    }
    const char *sub = argv[1];
    int help = eg_cli_wants_help(argc - 1, argv + 1);
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        help_analyze(cli->out);
        return EG_EX_OK;
    }
    if (!strcmp(sub, "si")) {
        if (help) {
            help_si(cli->out);
            return EG_EX_OK;
        }
        return cmd_si(cli, argc - 1, argv + 1);
    }
    if (!strcmp(sub, "rt")) {
        if (help) {
            help_rt(cli->out);
            return EG_EX_OK;
        }
        return cmd_rt(cli, argc - 1, argv + 1);
    }
    if (!strcmp(sub, "project")) {
        if (help) {
            help_project(cli->out);
            return EG_EX_OK;
        }
        return cmd_project(cli, argc - 1, argv + 1);
    }
    fprintf(cli->err, "epigrid: analyze: unknown subcommand '%s'\n\n", sub);
    help_analyze(cli->err);
    return EG_EX_USAGE;
}

/* ------------------------------------------------------------------ */
/* Main job, step 7                                                     */
/* ------------------------------------------------------------------ */

/* Fixed so that the drill is deterministic; printed with the result. */
#define DRILL_SEED 20200213u
#define DRILL_NSIM 100000u
#define DRILL_DAYS 14u

/* Sum of x[0..n). */
static double total(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s;
}

/* Count the notes that are corrections. */
static size_t count_corrections(const eg_an_notes *n)
{
    size_t k = 0;
    for (size_t i = 0; i < n->n; i++)
        if (!strncmp(n->items[i].reason, "correction", 10))
            k++;
    return k;
}

/* Rt of Jilin (province total, confirmed, to 2020-02-13, SI 7.5/3.4 of Li
 * et al. 2020) and a 14-day projection for Tonghua with R from the
 * posterior of Jilin's last window. */
int eg_cli_drill_analysis(eg_cli *cli, const char *series_path)
{
    eg_diag d;
    eg_an_notes notes = {0};
    eg_incidence jl = {0}, th = {0};
    eg_rt_result rr = {0};
    eg_proj_result pr = {0};
    double *si = NULL;
    int rc = EG_EX_OK;
    eg_date asof;
    eg_err e = eg_date_from_ymd(2020, 2, 13, &asof);
    char b1[EG_DATE_BUFSZ], b2[EG_DATE_BUFSZ];
    FILE *f = cli->out;
    if (e)
        return EG_EX_SOFTWARE;
    /* Jilin province */
    if ((e = eg_incidence_read_series(series_path, "22", "confirmed", &jl, &notes, &d)) ||
        (e = eg_incidence_slice(&jl, EG_AN_NO_DATE, asof, &d))) {
        rc = fail(cli, e, &d, "analysis: Jilin series");
        goto out;
    }
    fprintf(f, "  Jilin province (22, `(province total)` rows, confirmed): %s..%s, %zu days, "
               "%.0f cases; %zu corrections of decreases\n",
            eg_date_format(jl.first, b1), eg_date_format(jl.first + (eg_date)jl.n - 1, b2), jl.n,
            total(jl.local, jl.n) + total(jl.imported, jl.n), count_corrections(&notes));
    {
        char buf[700];
        for (size_t i = 0; i < notes.n; i++)
            fprintf(f, "    note: %s\n", eg_diag_format(&notes.items[i], buf, sizeof buf));
    }
    eg_an_notes_free(&notes);
    eg_rt_config c;
    eg_rt_config_default(&c);
    c.mean_si = 7.5;
    c.std_si = 3.4;
    if ((e = eg_rt_estimate(jl.local, jl.imported, jl.n, &c, &rr, &d))) {
        rc = fail(cli, e, &d, "analysis: Rt of Jilin");
        goto out;
    }
    fprintf(f, "  Rt of Jilin, weekly windows, serial interval mean 7.5 d, sd 3.4 d (Li et al. "
               "2020), prior mean 5 sd 5:\n");
    fprintf(f, "    %-23s %8s %8s  %s\n", "window", "mean", "median", "95% credible interval");
    for (size_t i = 0; i < rr.n_windows; i++) {
        const eg_rt_window *w = &rr.windows[i];
        eg_date_format(jl.first + (eg_date)w->t_start - 1, b1);
        eg_date_format(jl.first + (eg_date)w->t_end - 1, b2);
        if (w->na)
            fprintf(f, "    %s..%s %8s %8s  (t_end <= mean SI)\n", b1, b2, "NA", "NA");
        else
            fprintf(f, "    %s..%s %8.3f %8.3f  [%.3f, %.3f]\n", b1, b2, w->mean, w->q[3], w->q[0],
                    w->q[6]);
    }
    if (rr.first_window_low)
        fprintf(f, "    (EpiEstim's warning: the first window has few cases; early estimates are "
                   "uncertain)\n");
    const eg_rt_window *last = &rr.windows[rr.n_windows - 1];
    if (last->na) {
        fprintf(cli->err, "epigrid: analysis: Jilin's last window is NA\n");
        rc = EG_EX_DATAERR;
        goto out;
    }
    /* Tonghua */
    if ((e = eg_incidence_read_series(series_path, "220500", "confirmed", &th, &notes, &d)) ||
        (e = eg_incidence_slice(&th, EG_AN_NO_DATE, asof, &d))) {
        rc = fail(cli, e, &d, "analysis: Tonghua series");
        goto out;
    }
    fprintf(f, "  Tonghua (220500 -> 2205, confirmed): %s..%s, %.0f cases (first day counted as "
               "imported); %zu corrections\n",
            eg_date_format(th.first, b1), eg_date_format(th.first + (eg_date)th.n - 1, b2),
            total(th.local, th.n) + total(th.imported, th.n), count_corrections(&notes));
    eg_an_notes_free(&notes);
    size_t si_len = th.n + DRILL_DAYS + 1;
    si = malloc(si_len * sizeof *si);
    if (!si) {
        rc = EG_EX_SOFTWARE;
        goto out;
    }
    if ((e = eg_discr_si(7.5, 3.4, si_len, si, &d))) {
        rc = fail(cli, e, &d, "analysis");
        goto out;
    }
    eg_r_piece piece = {1, last->mean, last->std, last->shape, last->scale};
    eg_proj_config pc;
    eg_project_config_default(&pc);
    pc.si = si;
    pc.si_len = eg_si_support(si, si_len);
    pc.days = DRILL_DAYS;
    pc.n_sim = DRILL_NSIM;
    pc.seed = DRILL_SEED;
    pc.pieces = &piece;
    pc.n_pieces = 1;
    pc.no_case_days = DRILL_DAYS;
    if ((e = eg_project(th.local, th.imported, th.n, &pc, &pr, &d))) {
        rc = fail(cli, e, &d, "analysis: projection for Tonghua");
        goto out;
    }
    eg_date_format(jl.first + (eg_date)last->t_start - 1, b1);
    eg_date_format(jl.first + (eg_date)last->t_end - 1, b2);
    fprintf(f, "  projection for Tonghua, %u days after 2020-02-13, %u trajectories, R ~ posterior "
               "of Jilin's last window %s..%s (gamma, mean %.3f, sd %.3f), Poisson renewal:\n",
            DRILL_DAYS, DRILL_NSIM, b1, b2, last->mean, last->std);
    fprintf(f, "    %-10s %6s %6s\n", "date", "median", "q0.95");
    for (size_t h = 0; h < pr.days; h++)
        fprintf(f, "    %s %6.0f %6.0f\n", eg_date_format(asof + 1 + (eg_date)h, b1),
                pr.inc_q[2 * pr.days + h], pr.inc_q[4 * pr.days + h]);
    fprintf(f, "    expected new cases over the 14 days: %.3f\n", pr.mean_total);
    fprintf(f, "  P(no new confirmed case in Tonghua 2020-02-14..2020-02-27) = %.4f "
               "(seed %u; Monte Carlo se %.4f)\n",
            pr.p_no_new_case, DRILL_SEED,
            sqrt(pr.p_no_new_case * (1 - pr.p_no_new_case) / (double)DRILL_NSIM));
    fprintf(f, "  (what happened: Tonghua's cumulative count went from 3 on 2020-02-09 to 4 on "
               "2020-02-20 and 6 on 2020-02-24)\n");
out:
    eg_an_notes_free(&notes);
    eg_incidence_free(&jl);
    eg_incidence_free(&th);
    eg_rt_result_free(&rr);
    eg_project_result_free(&pr);
    free(si);
    return rc;
}
