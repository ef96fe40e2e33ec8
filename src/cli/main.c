/*
 * cli/main.c: the `epigrid` program: global options and the command table.
 *
 * Grammar (spec/api.md): epigrid [--db PATH] [--now TIME] COMMAND ...
 * Global options (--db, --now, --format) may also appear after the command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(eg_cli *cli, int argc, char **argv);
    const char *summary;
} command;

static const command COMMANDS[] = {
    { "init", eg_cmd_init, "create the database and load Tonghua's bundled division tree" },
    { "import", eg_cmd_import, "import a CSV file: divisions, staff, persons, travel, case-trips, risk-areas, readings, tests, facilities, checkpoints, check-logs, fevers" },
    { "juris", eg_cmd_juris, "show the jurisdiction tree with officials and persons; add grids" },
    { "person", eg_cmd_person, "show a person of the registry, or their itinerary (audited)" },
    { "screen", eg_cmd_screen, "precise screening (精准排查): control orders, tasks, assistance requests" },
    { "drill", eg_cmd_drill, "generate drill data; run the main job (the drill on real data)" },
    { "analyze", eg_cmd_analyze, "serial interval, reproduction number, projections" },
    { "control", eg_cmd_control, "control orders (六坚持): list, show, transitions, notices, self-report links" },
    { "test", eg_cmd_test, "laboratory results (nucleic-acid tests): add, list" },
    { "team", eg_cmd_team, "four-person teams (四人一专班): propose, confirm, set, show, load" },
    { "reading", eg_cmd_reading, "temperature and symptom readings: add, list" },
    { "alert", eg_cmd_alert, "alerts: list, acknowledge, resolve" },
    { "task", eg_cmd_task, "verification and referral tasks: list, close" },
    { "daily", eg_cmd_daily, "the daily run: end orders due, missed readings, escalations, to-do per grid" },
    { "facility", eg_cmd_facility, "isolation sites, fever clinics, designated hospitals: admit, discharge, allocate" },
    { "checkpoint", eg_cmd_checkpoint, "temperature checkpoints (体温监测点): hourly logs, fevers and their outcomes" },
    { "report", eg_cmd_report, "the daily report (日报) of any date and node; stored versions and corrections" },
    { "user", eg_cmd_user, "server accounts: add (password never on the command line), list, revoke" },
    { "serve", eg_cmd_serve, "serve the JSON API under /api/v1/ (roles, scopes, audit)" },
    { "purge", eg_cmd_purge, "pseudonymise persons whose last order ended before a date (retention)" },
};

/* Print the program's help. */
static void usage(FILE *f)
{
    fputs("usage: epigrid [--db PATH] [--now \"YYYY-MM-DD HH:MM\"] COMMAND [ARGS] [--format table|csv|json|jsonl]\n\n"
          "EpiGrid, the command system of a city's epidemic prevention and control headquarters\n"
          "(疫情防控指挥部). Commands:\n", f);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fputs("\nGlobal options:\n"
          "  --db PATH     SQLite database file (default $EPIGRID_DB, else ./epigrid.db)\n"
          "  --now TIME    the clock, China Standard Time (default $EPIGRID_NOW, else the real clock)\n"
          "  --format F    output: table (default on a terminal), csv (default otherwise), json, jsonl\n"
          "  --version     print the version\n\n"
          "Run `epigrid COMMAND --help` for a command's options. Exit codes: 0 ok, 64 usage,\n"
          "65 some input rejected (the rest done), 66 input missing, 70 internal error.\n"
          "Documentation: docs/cli.md and docs/formats.md.\n", f);
}

/* Take a global option at argv[i] (`--db X` or `--db=X`); returns the
 * number of argv entries consumed (0 when argv[i] is not global, -1 when
 * its value is missing). */
static int take_global(eg_cli *cli, int argc, char **argv, int i)
{
    static const char *const NAMES[] = { "--db", "--now", "--format" };
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(NAMES[k]);
        const char *val = NULL;
        int used = 0;
        if (strcmp(argv[i], NAMES[k]) == 0) {
            if (i + 1 >= argc)
                return -1;
            val = argv[i + 1];
            used = 2;
        } else if (strncmp(argv[i], NAMES[k], n) == 0 && argv[i][n] == '=') {
            val = argv[i] + n + 1;
            used = 1;
        } else {
            continue;
        }
        if (k == 0) {
            cli->db_path = val;
        } else if (k == 1) {
            cli->now_text = val;
        } else {
            if (eg_cli_parse_format(val, &cli->format)) {
                fprintf(cli->err, "epigrid: --format: '%s' is not one of table, csv, json, jsonl\n", val);
                return -2;
            }
            cli->format_given = 1;
        }
        return used;
    }
    return 0;
}

/* Remove global options from argv (anywhere), leaving the rest in order.
 * Returns the new argc, or -1 on a usage error. Stops at "--". */
static int strip_globals(eg_cli *cli, int argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < argc;) {
        int used;
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc)
                argv[out++] = argv[i++];
            break;
        }
        used = take_global(cli, argc, argv, i);
        if (used < 0) {
            if (used == -1)
                fprintf(cli->err, "epigrid: %s needs a value\n", argv[i]);
            return -1;
        }
        if (used == 0)
            argv[out++] = argv[i++];
        else
            i += used;
    }
    argv[out] = NULL;
    return out;
}

int main(int argc, char **argv)
{
    eg_cli cli = { 0 };
    eg_diag d;
    const char *env_db = getenv("EPIGRID_DB");
    cli.out = stdout;
    cli.err = stderr;
    cli.out_is_tty = isatty(STDOUT_FILENO);
    cli.err_is_tty = isatty(STDERR_FILENO);
    cli.db_path = env_db && *env_db ? env_db : "epigrid.db";
    argc = strip_globals(&cli, argc, argv);
    if (argc < 0)
        return EG_EX_USAGE;
    if (!cli.format_given)
        cli.format = cli.out_is_tty ? EG_FMT_TABLE : EG_FMT_CSV;
    if (eg_clock_init(&cli.clock, cli.now_text, &d)) {
        eg_cli_error(&cli, EG_ERR_PARSE, &d, NULL);
        return EG_EX_USAGE;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("epigrid %s\n", EG_VERSION);
        return EG_EX_OK;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0)
            return COMMANDS[i].run(&cli, argc - 1, argv + 1);
    fprintf(stderr, "epigrid: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return EG_EX_USAGE;
}
