/*
 * cli/cmd_screen.c: `epigrid screen`, precise screening (精准排查,
 * spec/screening.md). With --travel it is the streaming batch mode: the
 * feed files are read once each and the results written as CSV, with no
 * database. Without --travel it screens the database (eg_cli_screen_db,
 * cmd_screen_db.c). Both use the engine of epigrid/screening.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"
#include "epigrid/juris.h"
#include "epigrid/screening.h"
#include "epigrid/text.h"

#define BUNDLED_DIVISIONS "real/tonghua_admin_divisions_2019.csv"

/* Options of the batch mode. */
typedef struct screen_opts {
    eg_screen_files files;
    const char *out;
    const char *divisions;
    const char *city;
    const char *rejects;
    eg_date as_of;
    int days;
    int quiet;
} screen_opts;

/* Print the help of the command. */
static void screen_usage(FILE *f)
{
    fputs(
"usage: epigrid screen --travel FILE --cases FILE --risk FILE [--persons FILE]\n"
"                      --as-of DATE [--city CODE] [--days N] [--divisions FILE]\n"
"                      --out FILE [--rejects FILE] [--threads N] [--quiet]\n"
"       epigrid screen [--as-of DATE] [--city CODE] [--days N]   (over the database)\n"
"\n"
"Precise screening (精准排查, spec/screening.md): everyone who came from a risk\n"
"area or travelled with a case, and the division that must find them.\n"
"\n"
"With --travel, the streaming batch mode: no database; each file is read once,\n"
"only legs departing in [AS_OF - (2D - 1), AS_OF] are kept (packed, about 32\n"
"bytes a leg), and one row per person is written, sorted by id_no.\n"
"\n"
"Rules (D = --days, default 14, the national plan's observation period):\n"
"  R1  an arrival in the city (to_code in one of the city's county-level units,\n"
"      or the city's own code) with arr_date in [AS_OF - (D - 1), AS_OF], and a\n"
"      leg of the same person (the arrival itself counts) touching a risk area\n"
"      that departed in [arr_date - D, arr_date]: home_quarantine from the\n"
"      latest such arrival.\n"
"  R2  a leg on a case trip (mode, trip number or a codeshare partner, date;\n"
"      flights: rows within 3, trains: the same car, other modes: the whole\n"
"      vehicle; an unknown seat or car matches) departing in\n"
"      [AS_OF - (D - 1), AS_OF]: central_isolation from the latest such leg.\n"
"      R2 outranks R1. end_date = start_date + D is the day of release.\n"
"\n"
"Files (spec/formats.md):\n"
"  --travel FILE     travel.csv, the ticket feed (\"-\" reads standard input)\n"
"  --cases FILE      case_trips.csv, or a public same-trip list\n"
"  --risk FILE       risk_areas.csv\n"
"  --persons FILE    persons.csv, the registry: a registered person's\n"
"                    address_code is the responsible division\n"
"  --out FILE        results as CSV (\"-\" for standard output):\n"
"                    id_no,name,measure,start_date,end_date,kind,rules,\n"
"                    jurisdiction_code,evidence; the file is replaced\n"
"                    only once complete\n"
"  --rejects FILE    rejected rows and warnings (default OUT.rejects.csv,\n"
"                    written only when there are any)\n"
"Parameters:\n"
"  --as-of DATE      the last day screened (required in batch mode)\n"
"  --days N          observation period D in days, 1..365 (default 14)\n"
"  --city CODE       the city, a node of the division tree (default 2205,\n"
"                    Tonghua; 220500 and 220500000000 name it too); Meihekou\n"
"                    220581, administered by the province, is not in it\n"
"  --divisions FILE  the division tree to take the city from (default the\n"
"                    bundled data/real/tonghua_admin_divisions_2019.csv)\n"
"  --threads N       threads parsing travel.csv (default 0: one per processor,\n"
"                    at most 8; 1: none besides the main one); the results do\n"
"                    not depend on it\n"
"  --quiet           no summary line\n"
"\n"
"Output columns: kind is `order` when the responsible division lies in the\n"
"city, else `assistance_request` (协查), attached to the city's node;\n"
"jurisdiction_code is the responsible division: the registry's address_code,\n"
"else the to_code of the person's latest leg, else the first six digits of a\n"
"resident identity number, else `unlocated`. rules is R1, R2 or R1;R2.\n"
"evidence lists leg:LINE (lines of travel.csv) and case:LINE (lines of\n"
"case_trips.csv).\n"
"\n"
"Rejected rows are reported as FILE:LINE: column: reason. Exit status: 0; 65\n"
"when rows were rejected (the results are still written); 64 bad usage; 66 a\n"
"file cannot be read; 70 internal error. Progress goes to standard error when\n"
"it is a terminal.\n", f);
}

/* Parse the options; returns 0, or an exit code. */
static int parse_opts(eg_cli *cli, int argc, char **argv, screen_opts *o)
{
    static const struct option OPTS[] = {
        { "travel", required_argument, NULL, 't' }, { "cases", required_argument, NULL, 'c' },
        { "risk", required_argument, NULL, 'r' }, { "persons", required_argument, NULL, 'p' },
        { "as-of", required_argument, NULL, 'a' }, { "city", required_argument, NULL, 'C' },
        { "days", required_argument, NULL, 'd' }, { "divisions", required_argument, NULL, 'D' },
        { "out", required_argument, NULL, 'o' }, { "rejects", required_argument, NULL, 'R' },
        { "quiet", no_argument, NULL, 'q' }, { "threads", required_argument, NULL, 'T' }, { 0 }
    };
    char *end;
    long v;
    int c;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, "+", OPTS, NULL)) != -1) {
        switch (c) {
        case 't': o->files.travel = optarg; break;
        case 'c': o->files.cases = optarg; break;
        case 'r': o->files.risk = optarg; break;
        case 'p': o->files.persons = optarg; break;
        case 'C': o->city = optarg; break;
        case 'D': o->divisions = optarg; break;
        case 'o': o->out = optarg; break;
        case 'R': o->rejects = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'a':
            if (eg_date_parse(optarg, &o->as_of)) {
                fprintf(cli->err, "epigrid: screen: --as-of '%s' is not a date (YYYY-MM-DD)\n", optarg);
                return EG_EX_USAGE;
            }
            break;
        case 'T':
            v = strtol(optarg, &end, 10);
            if (*end || !*optarg || v < 0 || v > 64) {
                fprintf(cli->err, "epigrid: screen: --threads '%s' is not 0..64\n", optarg);
                return EG_EX_USAGE;
            }
            o->files.threads = (int)v;
            break;
        case 'd':
            v = strtol(optarg, &end, 10);
            if (*end || !*optarg || v < 1 || v > EG_SCREEN_MAX_DAYS) {
                fprintf(cli->err, "epigrid: screen: --days '%s' is not a number of days in 1..%d\n",
                        optarg, EG_SCREEN_MAX_DAYS);
                return EG_EX_USAGE;
            }
            o->days = (int)v;
            break;
        default:
            fprintf(cli->err, "epigrid: screen: unknown or incomplete option '%s'\n", argv[optind - 1]);
            return EG_EX_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(cli->err, "epigrid: screen: unexpected argument '%s'\n", argv[optind]);
        return EG_EX_USAGE;
    }
    if (!o->files.cases || !o->files.risk || !o->out || o->as_of == EG_NO_DATE) {
        fprintf(cli->err, "epigrid: screen: batch mode needs --travel, --cases, --risk, --as-of "
                          "and --out (see epigrid screen --help)\n");
        return EG_EX_USAGE;
    }
    return 0;
}

/* Resolve the city from a division tree loaded into a temporary store.
 * Returns 0 or an exit code. */
static int load_city(eg_cli *cli, const screen_opts *o, eg_screen_city *city)
{
    char path[4096];
    const char *file = o->divisions ? o->divisions : eg_cli_data_path(BUNDLED_DIVISIONS, path, sizeof path);
    /* the tree's own warnings (levels the code overrides) are not this command's business */
    eg_cli_reporter rep = { cli, 0, 0 };
    eg_import_opts io = { 0 };
    eg_import_result res;
    eg_normalizer *norm = NULL;
    eg_store *s = NULL;
    eg_juris *tree = NULL;
    eg_juris_node *node;
    eg_diag d;
    int rc = 0;
    eg_err e;

    eg_diag_clear(&d);
    io.report = eg_cli_report;
    io.report_ctx = &rep;
    io.now = eg_clock_now(&cli->clock);
    if (access(file, R_OK) != 0) {
        fprintf(cli->err, "epigrid: screen: %s: cannot read the division tree\n", file);
        return EG_EX_NOINPUT;
    }
    e = eg_store_open(":memory:", 0, &s, &d);
    if (!e)
        e = eg_normalizer_new(&norm);
    if (!e)
        e = eg_juris_import(s, norm, file, &io, &res, &d);
    if (!e)
        e = eg_juris_load(s, &tree);
    if (e) {
        eg_cli_error(cli, e, &d, file);
        rc = eg_cli_exit_code(e);
    } else if (!(node = eg_juris_find(tree, o->city ? o->city : "2205"))) {
        fprintf(cli->err, "epigrid: screen: --city %s is not a division of %s\n",
                o->city ? o->city : "2205", file);
        rc = EG_EX_USAGE;
    } else if (eg_screen_city_from_node(node, city)) {
        fprintf(cli->err, "epigrid: screen: %s has too many units to screen as a city\n", node->code);
        rc = EG_EX_USAGE;
    }
    eg_juris_free(tree);
    eg_normalizer_free(norm);
    eg_store_close(s);
    return rc;
}

/* Print the summary line. */
static void summary(eg_cli *cli, const eg_screen_results *r, const eg_screen_stats *st,
                    const eg_import_result res[4])
{
    long ci = 0, hq = 0, ord = 0, ass = 0, unl = 0;
    for (size_t i = 0; i < r->n; i++) {
        const eg_screen_result *x = &r->v[i];
        if (x->measure == EG_MEASURE_CENTRAL_ISOLATION)
            ci++;
        else
            hq++;
        if (x->kind == EG_SCREEN_ORDER)
            ord++;
        else if (x->kind == EG_SCREEN_ASSISTANCE)
            ass++;
        else
            unl++;
    }
    fprintf(cli->err, "screen: %lu legs read, %lu in the window, %lu persons; %zu results: "
            "%ld central_isolation, %ld home_quarantine; %ld orders, %ld assistance requests "
            "(%ld unlocated); rejected rows: travel %ld, cases %ld, risk %ld, persons %ld\n",
            st->legs_seen, st->legs_kept, st->persons, r->n, ci, hq, ord, ass + unl, unl,
            res[0].rejected, res[1].rejected, res[2].rejected, res[3].rejected);
}

int eg_cmd_screen(eg_cli *cli, int argc, char **argv)
{
    screen_opts o;
    eg_screen_city *city = NULL;
    eg_screen_params p;
    eg_screen_results r;
    eg_screen_stats st;
    eg_import_result res[4];
    eg_import_opts io = { 0 };
    eg_cli_reporter rep = { cli, 0, 20 };
    eg_diag d;
    FILE *rf = NULL, *out = NULL;
    char rpath[4096];
    long rejected = 0, warnings = 0;
    int rc, rejects_lost = 0;
    eg_err e;

    if (eg_cli_wants_help(argc, argv)) {
        screen_usage(cli->out);
        return EG_EX_OK;
    }
    int batch = 0;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--travel") == 0 || strncmp(argv[i], "--travel=", 9) == 0)
            batch = 1;
    if (!batch)
        return eg_cli_screen_db(cli, argc, argv);

    memset(&o, 0, sizeof o);
    o.as_of = EG_NO_DATE;
    if ((rc = parse_opts(cli, argc, argv, &o)))
        return rc;
    const char *inputs[5] = { o.files.travel, o.files.cases, o.files.risk, o.files.persons,
                              o.divisions };
    static const char *const input_opt[5] = { "--travel", "--cases", "--risk", "--persons",
                                              "--divisions" };
    for (int i = 0; i < 5; i++) {
        struct stat in;
        if (!inputs[i] || strcmp(inputs[i], "-") == 0)
            continue;
        if (access(inputs[i], R_OK) != 0 || stat(inputs[i], &in) != 0) {
            fprintf(cli->err, "epigrid: screen: %s: cannot read the file: %s\n", inputs[i],
                    strerror(errno));
            return EG_EX_NOINPUT;
        }
        if (S_ISDIR(in.st_mode)) {
            fprintf(cli->err, "epigrid: screen: %s: a folder, not a file\n", inputs[i]);
            return EG_EX_NOINPUT;
        }
        /* an output over an input would destroy it */
        const char *outs[2] = { strcmp(o.out, "-") ? o.out : NULL, o.rejects };
        for (int k = 0; k < 2; k++) {
            struct stat os;
            if (outs[k] && S_ISREG(in.st_mode) && stat(outs[k], &os) == 0 &&
                os.st_dev == in.st_dev && os.st_ino == in.st_ino) {
                fprintf(cli->err, "epigrid: screen: %s %s is the file of %s: it would be overwritten\n",
                        k ? "--rejects" : "--out", outs[k], input_opt[i]);
                return EG_EX_USAGE;
            }
        }
    }
    city = malloc(sizeof *city);
    if (!city)
        return EG_EX_SOFTWARE;
    if ((rc = load_city(cli, &o, city))) {
        free(city);
        return rc;
    }
    rf = tmpfile();
    if (!rf || eg_import_rejects_header(rf)) {
        fprintf(cli->err, "epigrid: screen: cannot create a temporary rejects file\n");
        free(city);
        if (rf)
            fclose(rf);
        return EG_EX_SOFTWARE;
    }
    io.rejects = rf;
    io.report = eg_cli_report;
    io.report_ctx = &rep;
    io.now = eg_clock_now(&cli->clock);
    io.progress = cli->err_is_tty && !o.quiet ? eg_cli_progress : NULL;
    io.progress_ctx = cli;
    p.as_of = o.as_of;
    p.days = o.days ? o.days : EG_SCREEN_DEFAULT_DAYS;
    p.city = city;
    memset(&st, 0, sizeof st);
    eg_diag_clear(&d);
    e = eg_screen_files_run(&p, &o.files, &io, res, &r, &st, &d);
    if (io.progress)
        fputs("\r\033[K", cli->err);
    if (rep.shown > rep.limit)
        fprintf(cli->err, "... and %ld more messages\n", rep.shown - rep.limit);
    if (e) {
        eg_cli_error(cli, e, &d, "screen");
        if (e != EG_ERR_NOMEM && e != EG_ERR_DB)
            fprintf(cli->err, "epigrid: screen: a file was refused as a whole; nothing was written\n");
        fclose(rf);
        free(city);
        return eg_cli_exit_code(e);
    }
    for (int i = 0; i < 4; i++) {
        rejected += res[i].rejected;
        warnings += res[i].warnings;
    }
    if (rejected || warnings) {
        snprintf(rpath, sizeof rpath, "%s", o.rejects ? o.rejects : "");
        struct stat os; /* beside a file, not beside a device or pipe */
        int plain = strcmp(o.out, "-") && (stat(o.out, &os) != 0 || S_ISREG(os.st_mode));
        if (!o.rejects)
            snprintf(rpath, sizeof rpath, "%s.rejects.csv", plain ? o.out : "screen");
        if (eg_cli_save_copy(rf, rpath) != 0) {
            fprintf(cli->err, "epigrid: screen: cannot write the rejects file %s: %s\n", rpath,
                    strerror(errno));
            rejects_lost = 1;
        }
    }
    fclose(rf);
    eg_cli_outfile of;
    out = strcmp(o.out, "-") == 0 ? cli->out : eg_cli_outfile_open(&of, o.out);
    if (!out) {
        fprintf(cli->err, "epigrid: screen: %s: cannot write the results: %s\n", o.out,
                strerror(errno));
        eg_screen_results_free(&r);
        free(city);
        return EG_EX_SOFTWARE;
    }
    e = eg_screen_write_csv(out, &r);
    if (out != cli->out ? eg_cli_outfile_close(&of, e == EG_OK) != 0 : fflush(out) != 0)
        e = e ? e : EG_ERR_IO;
    if (e)
        fprintf(cli->err, "epigrid: screen: %s: cannot write the results: %s\n", o.out,
                e == EG_ERR_IO && errno ? strerror(errno) : eg_strerror(e));
    else if (!o.quiet) {
        summary(cli, &r, &st, res);
        if (rejected || warnings)
            fprintf(cli->err, "screen: %ld rows rejected, %ld warnings; details in %s\n", rejected,
                    warnings, rpath);
    }
    eg_screen_results_free(&r);
    free(city);
    if (e || rejects_lost)
        return EG_EX_SOFTWARE; /* what was promised was not all written */
    return rejected ? EG_EX_DATAERR : EG_EX_OK;
}
