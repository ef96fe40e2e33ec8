/*
 * cli/cmd_drill.c: `epigrid drill generate` and `epigrid drill run`, the
 * main job of spec/main-job.md (a drill on Tonghua's real data).
 *
 * Each step of main-job.md runs when its capability is built; a step
 * whose capability is not built yet is skipped with a line that says so.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "epigrid/drill.h"
#include "epigrid/feed.h"
#include "epigrid/juris.h"

#define CITY "2205"
#define BUNDLED_DIVISIONS "real/tonghua_admin_divisions_2019.csv"
#define BUNDLED_SERIES "real/covid_city_daily_official_jilin_2020.csv"
#define BUNDLED_CASE_TRIPS "real/same_trip_confirmed_cases_202001.csv"
/* main-job.md step 3: the feed is as of this day. */
#define DRILL_AS_OF "2020-01-31"
/* The drill's last moment (main-job.md: the report is dated 2020-02-13). */
#define DRILL_END_NOW "2020-02-13 23:59"
/* The drill's clock while the tree and registry are set up (main-job.md:
 * the feed is as of 2020-01-31). */
#define DRILL_SETUP_NOW "2020-01-31 08:00"

static void drill_usage(FILE *f)
{
    fputs("usage: epigrid drill generate [--seed S] [--size N] [--as-of DATE] [--travellers N]\n"
          "                              [--out DIR] [--load]\n"
          "       epigrid drill run [--seed S] [--size N] [--no-serve]\n\n"
          "generate: write synthetic drill data (演练数据, marked synthetic) for the city 2205\n"
          "  (通化市) from the tree in the database: DIR/grids.csv (grids under every village\n"
          "  and community), DIR/staff.csv (officials and workers of every node, enough for\n"
          "  four-person teams), DIR/persons.csv (N persons, default 200000, with valid and\n"
          "  unique identity numbers, living in grids). Deterministic for a seed (default 1).\n"
          "  --as-of DATE adds the travel feed: DIR/travel.csv (legs of the 35 days up to DATE,\n"
          "  N travellers, default as many as persons: residents coming home, travellers from\n"
          "  risk areas, and drill travellers on the real case trips of the bundled same-trip\n"
          "  list that fall in the window) and DIR/risk_areas.csv (Hubei, Wuhan, Wenzhou).\n"
          "  --load imports them into the database (with the bundled same-trip list when\n"
          "  --as-of is given). DIR defaults to drill-data.\n"
          "run: the main job (docs/main-job.md) on the database given by --db, which must be\n"
          "  new or an earlier drill's (it is recreated): the real division tree, synthetic\n"
          "  grids, staff and registry, then the later steps as they are built, and ends with\n"
          "  `epigrid: drill finished`. The clock is the drill's (2020), never today's.\n"
          "Example: epigrid --db var/drill.db drill run --seed 1\n", f);
}

/* Parsed options of both subcommands. */
typedef struct drill_opts {
    unsigned long seed;
    long size;
    long travellers;     /* 0: as many as persons */
    eg_date as_of;       /* EG_NO_DATE: no feed */
    const char *out;
    int load;
    int no_serve;
} drill_opts;

static int parse_opts(eg_cli *cli, int argc, char **argv, drill_opts *o)
{
    static const struct option OPTS[] = {
        { "seed", required_argument, NULL, 's' }, { "size", required_argument, NULL, 'n' },
        { "out", required_argument, NULL, 'o' }, { "load", no_argument, NULL, 'l' },
        { "no-serve", no_argument, NULL, 'x' }, { "as-of", required_argument, NULL, 'a' },
        { "travellers", required_argument, NULL, 't' }, { 0 }
    };
    char *end;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", OPTS, NULL)) != -1) {
        switch (c) {
        case 's':
            o->seed = strtoul(optarg, &end, 10);
            if (*end || !*optarg)
                goto bad;
            break;
        case 'n':
            o->size = strtol(optarg, &end, 10);
            if (*end || o->size <= 0 || o->size > 50000000)
                goto bad;
            break;
        case 'o': o->out = optarg; break;
        case 'l': o->load = 1; break;
        case 'x': o->no_serve = 1; break;
        case 'a':
            if (eg_date_parse(optarg, &o->as_of)) {
                fprintf(cli->err, "epigrid: drill: --as-of '%s' is not a date (YYYY-MM-DD)\n", optarg);
                return -1;
            }
            break;
        case 't':
            o->travellers = strtol(optarg, &end, 10);
            if (*end || o->travellers <= 0 || o->travellers > 50000000)
                goto bad;
            break;
        default: goto bad;
        }
    }
    if (optind < argc)
        goto bad;
    return 0;
bad:
    drill_usage(cli->err);
    return -1;
}

/* mkdir -p for one or two levels (the drill's own folders). */
static int make_dir(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(buf, 0755) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/* What to import after generating. */
#define LOAD_REGISTRY 1   /* grids, staff, persons */
#define LOAD_FEED 2       /* travel legs, risk areas, the bundled same-trip list */

/* Import the generated files of `dir` selected by `what` (synthetic), and
 * the bundled same-trip list with LOAD_FEED. Returns a sysexits code. */
static int load_files(eg_cli *cli, eg_store *s, const char *dir, int what)
{
    static const struct { const char *kind, *file; int what; } FILES[] = {
        { "divisions", "grids.csv", LOAD_REGISTRY }, { "staff", "staff.csv", LOAD_REGISTRY },
        { "persons", "persons.csv", LOAD_REGISTRY }, { "travel", "travel.csv", LOAD_FEED },
        { "risk-areas", "risk_areas.csv", LOAD_FEED },
    };
    char path[4096], rej[4200];
    int rc = EG_EX_OK;
    for (size_t i = 0; rc == EG_EX_OK && i < sizeof FILES / sizeof FILES[0]; i++) {
        if (!(FILES[i].what & what))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i].file);
        snprintf(rej, sizeof rej, "%s/%s.rejects.csv", dir, FILES[i].file);
        rc = eg_cli_import_file(cli, s, FILES[i].kind, path, rej, 1, 1);
    }
    if (rc == EG_EX_OK && (what & LOAD_FEED)) {
        eg_feed_result fr = { 0 };
        snprintf(rej, sizeof rej, "%s/same_trip.rejects.csv", dir);
        cli->last_feed = &fr;
        /* the public list has unreadable descriptions: warnings, not rejects */
        rc = eg_cli_import_file(cli, s, "case-trips", eg_cli_data_path(BUNDLED_CASE_TRIPS, path, sizeof path),
                                rej, 0, 1);
        cli->last_feed = NULL;
        fprintf(cli->out, "  real same-trip list: %ld case trips; %ld descriptions could not be read "
                "(the whole train, flight or bus is traced; listed in %s)\n", fr.case_trips,
                fr.unreadable, rej);
    }
    return rc;
}

/* The day no drill birth date may pass: the clock's when --now or
 * EPIGRID_NOW is given, else the drill's own date, so that a seed gives the
 * same files on any day. */
static eg_date drill_today(const eg_cli *cli)
{
    eg_date d;
    if (cli->now_text || getenv("EPIGRID_NOW"))
        return eg_clock_today(&cli->clock);
    eg_date_parse(DRILL_AS_OF, &d);
    return d;
}

/* Generate the drill files into `dir`. Returns a sysexits code. */
static int generate(eg_cli *cli, eg_store *s, const drill_opts *o, const char *dir)
{
    char ctpath[4096], buf[EG_DATE_BUFSZ];
    eg_drill_opts go = { .seed = o->seed, .size = o->size, .city_code = CITY,
                         .today = drill_today(cli), .as_of = o->as_of,
                         .travellers = o->travellers ? o->travellers : o->size,
                         .case_trips_path = eg_cli_data_path(BUNDLED_CASE_TRIPS, ctpath, sizeof ctpath) };
    eg_drill_summary sum;
    eg_juris *j = NULL;
    eg_diag d;
    eg_err e;
    if (make_dir(dir)) {
        fprintf(cli->err, "epigrid: drill: cannot create %s: %s\n", dir, strerror(errno));
        return EG_EX_SOFTWARE;
    }
    e = eg_juris_load(s, &j);
    if (!e)
        e = eg_drill_generate(j, &go, dir, &sum, &d);
    eg_juris_free(j);
    if (e) {
        eg_cli_error(cli, e, &d, "drill generate");
        return eg_cli_exit_code(e);
    }
    fprintf(cli->err, "drill generate: seed %lu: %ld grids, %ld staff, %ld persons in %s\n",
            o->seed, sum.grids, sum.staff, sum.persons, dir);
    if (o->as_of != EG_NO_DATE)
        fprintf(cli->err, "drill generate: feed as of %s: %ld legs of %ld travellers (%ld on real "
                "case trips), %ld risk areas\n", eg_date_format(o->as_of, buf), sum.legs,
                sum.travellers, sum.on_case_trips, sum.risk_areas);
    return EG_EX_OK;
}

/* Print the tree summary of main-job steps 1-2. */
static void print_summary(eg_cli *cli, eg_store *s)
{
    eg_juris *j = NULL;
    long persons = 0;
    if (eg_juris_load(s, &j) || eg_juris_load_counts(j, s)) {
        eg_juris_free(j);
        return;
    }
    eg_store_person_count(s, &persons);
    for (size_t i = 0; i < j->nroots; i++) {
        const eg_juris_node *r = j->roots[i];
        long lv[EG_LEVEL_GRID + 1] = { 0 };
        eg_juris_count_levels(r, lv);
        fprintf(cli->out, "  %s %s (%s%s): %ld county-level units, %ld townships, %ld villages, "
                "%ld communities, %ld village-like, %ld grids; %ld staff; %ld persons\n",
                r->code, r->name, eg_level_name(r->level),
                strcmp(r->code, "220581") == 0 ? ", administered by the province 省直管" : "",
                lv[EG_LEVEL_COUNTY], lv[EG_LEVEL_TOWNSHIP], lv[EG_LEVEL_VILLAGE],
                lv[EG_LEVEL_COMMUNITY], lv[EG_LEVEL_VILLAGE_LIKE], lv[EG_LEVEL_GRID],
                r->counts.staff_total, r->counts.persons_total);
        for (size_t k = 0; strcmp(r->code, CITY) == 0 && k < r->nchildren; k++) {
            const eg_juris_node *c = r->children[k];
            long cl[EG_LEVEL_GRID + 1] = { 0 };
            eg_juris_count_levels(c, cl);
            fprintf(cli->out, "    %s %s\t%3ld townships %4ld villages %3ld communities %5ld grids %7ld persons\n",
                    c->code, c->name, cl[EG_LEVEL_TOWNSHIP], cl[EG_LEVEL_VILLAGE],
                    cl[EG_LEVEL_COMMUNITY], cl[EG_LEVEL_GRID], c->counts.persons_total);
        }
    }
    fprintf(cli->out, "  registry: %ld persons\n", persons);
    eg_juris_free(j);
}

/* Remove an earlier drill database (only one marked as a drill). */
static int fresh_db(eg_cli *cli)
{
    eg_store *s;
    char mark[16], p[4200];
    long n = 0;
    if (access(cli->db_path, F_OK) != 0)
        return 0;
    if (eg_cli_open_store(cli, &s))
        return -1;
    int is_drill = eg_store_meta_get(s, "drill", mark, sizeof mark) == EG_OK;
    eg_store_division_count(s, &n);
    eg_store_close(s);
    if (!is_drill && n > 0) {
        fprintf(cli->err, "epigrid: drill run: %s holds data that is not a drill's; "
                "give another --db\n", cli->db_path);
        return -1;
    }
    static const char *const SUFFIX[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", cli->db_path, SUFFIX[i]);
        unlink(p);
    }
    return 0;
}

static int drill_run(eg_cli *cli, const drill_opts *o)
{
    char path[4096], rej[4200], dir[4200];
    eg_store *s;
    eg_diag d;
    int rc;
    cli->drill_clock_taken = 1;   /* the drill sets its own clock at each step */
    if (!cli->now_text && getenv("EPIGRID_NOW") == NULL)
        eg_clock_init(&cli->clock, DRILL_SETUP_NOW, &d);
    if (fresh_db(cli))
        return EG_EX_USAGE;
    if (eg_cli_open_store(cli, &s))
        return EG_EX_SOFTWARE;
    eg_store_meta_set(s, "drill", "1");
    fprintf(cli->out, "epigrid: drill run: seed %lu, size %ld, database %s\n", o->seed, o->size,
            cli->db_path);
    fprintf(cli->out, "step 1: tree: Tonghua's real division tree (NBS 2019), synthetic grids and staff\n");
    snprintf(rej, sizeof rej, "%s.init-rejects.csv", cli->db_path);
    rc = eg_cli_import_file(cli, s, "divisions", eg_cli_data_path(BUNDLED_DIVISIONS, path, sizeof path),
                            rej, 0, 1);
    snprintf(dir, sizeof dir, "%s.data", cli->db_path);
    drill_opts go = *o;
    eg_date_parse(DRILL_AS_OF, &go.as_of);
    if (rc == EG_EX_OK)
        rc = generate(cli, s, &go, dir);
    if (rc == EG_EX_OK)
        rc = load_files(cli, s, dir, LOAD_REGISTRY);
    if (rc != EG_EX_OK) {
        eg_store_close(s);
        fprintf(cli->err, "epigrid: drill run failed at steps 1-2\n");
        return rc;
    }
    fprintf(cli->out, "step 2: registry: synthetic population loaded\n");
    print_summary(cli, s);
    fprintf(cli->out, "step 3: feed: drill travel feed as of %s and the real same-trip list\n", DRILL_AS_OF);
    rc = load_files(cli, s, dir, LOAD_FEED);
    {
        long legs = 0;
        eg_date latest;
        eg_store_leg_stats(s, &legs, &latest);
        fprintf(cli->out, "  %ld legs stored\n", legs);
    }
    if (rc != EG_EX_OK) {
        eg_store_close(s);
        fprintf(cli->err, "epigrid: drill run failed at step 3\n");
        return rc;
    }
    fprintf(cli->out, "step 4: screening as of %s (clock %s 23:59): orders, verification tasks, "
            "assistance requests\n", DRILL_AS_OF, DRILL_AS_OF);
    fflush(cli->out);
    {
        eg_date as_of;
        eg_time stamp;
        eg_format f = cli->format;
        eg_date_parse(DRILL_AS_OF, &as_of);
        eg_time_from_parts(as_of, 23, 59, &stamp);
        eg_clock_init(&cli->clock, "2020-01-31 23:59", NULL);
        cli->format = EG_FMT_TABLE;
        rc = eg_cli_screen_run(cli, s, CITY, as_of, 14, stamp);
        cli->format = f;
    }
    eg_store_close(s);
    if (rc != EG_EX_OK) {
        fprintf(cli->err, "epigrid: drill run failed at step 4\n");
        return rc;
    }
    /* step 5: control measures, day by day (cmd_drill_daily.c) */
    if (eg_cli_open_store(cli, &s))
        return EG_EX_SOFTWARE;
    rc = eg_cli_drill_daily(cli, s, o->seed);
    /* steps 5-6: facilities and checkpoints of the same days, and the report (drill_facility.c) */
    if (rc == EG_EX_OK)
        rc = eg_cli_drill_facilities(cli, s, o->seed);
    eg_store_close(s);
    if (rc != EG_EX_OK) {
        fprintf(cli->err, "epigrid: drill run failed at steps 5-6\n");
        return rc;
    }
    fprintf(cli->out, "step 7: analysis as of 2020-02-13\n");
    fflush(cli->out);
    rc = eg_cli_drill_analysis(cli, eg_cli_data_path(BUNDLED_SERIES, path, sizeof path));
    if (rc != EG_EX_OK) {
        fprintf(cli->err, "epigrid: drill run failed at step 7\n");
        return rc;
    }
    /* step 8: the drill's accounts, then the server on the drill's last moment */
    fprintf(cli->out, "step 8: serve: drill accounts%s\n", o->no_serve ? "; --no-serve given: not serving" : "");
    eg_clock_init(&cli->clock, DRILL_END_NOW, NULL);
    /* later commands on this database run on the drill's clock by default */
    if (eg_cli_open_store(cli, &s) == EG_OK) {
        eg_store_meta_set(s, "drill.clock", DRILL_END_NOW);
        eg_store_close(s);
    }
    rc = eg_cli_drill_accounts(cli);
    if (rc != EG_EX_OK) {
        fprintf(cli->err, "epigrid: drill run failed at step 8\n");
        return rc;
    }
    fprintf(cli->out, "epigrid: drill finished\n");
    fflush(cli->out);
    return o->no_serve ? EG_EX_OK : eg_cli_serve(cli, "127.0.0.1:8080", 0, 12 * 60, 1, 60);
}

int eg_cmd_drill(eg_cli *cli, int argc, char **argv)
{
    drill_opts o = { .seed = 1, .size = EG_DRILL_DEFAULT_SIZE, .out = "drill-data", .as_of = EG_NO_DATE };
    eg_store *s;
    int rc;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return drill_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (parse_opts(cli, argc, argv, &o))
        return EG_EX_USAGE;
    if (strcmp(argv[1], "run") == 0)
        return drill_run(cli, &o);
    if (strcmp(argv[1], "generate") != 0)
        return drill_usage(cli->err), EG_EX_USAGE;
    if (eg_cli_open_store(cli, &s))
        return EG_EX_SOFTWARE;
    if (o.load) {
        /* drill data must never overwrite real data: load only into an
         * empty registry or an earlier drill's database */
        char mark[8];
        long persons = 0;
        eg_store_person_count(s, &persons);
        if (persons > 0 && eg_store_meta_get(s, "drill", mark, sizeof mark) != EG_OK) {
            fprintf(cli->err, "epigrid: drill generate --load: %s holds a registry that is not a "
                    "drill's; load drill data into a new database (--db)\n", cli->db_path);
            eg_store_close(s);
            return EG_EX_USAGE;
        }
        eg_store_meta_set(s, "drill", "1");
    }
    rc = generate(cli, s, &o, o.out);
    if (rc == EG_EX_OK && o.load)
        rc = load_files(cli, s, o.out, LOAD_REGISTRY | (o.as_of != EG_NO_DATE ? LOAD_FEED : 0));
    eg_store_close(s);
    return rc;
}
