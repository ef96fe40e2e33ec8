/*
 * cli/cli.h: what every command of the `epigrid` program shares.
 *
 * The adapter layer: commands parse their options, call services, and
 * format output here. They contain no rules. Each command is one function
 * `int eg_cmd_NAME(eg_cli *cli, int argc, char **argv)` (argv[0] is the
 * command name) returning a sysexits code; the dispatcher in main.c holds
 * them in one table.
 */
#ifndef EG_CLI_H
#define EG_CLI_H

#include <stdio.h>
#include <stddef.h>
#include "epigrid/date.h"
#include "epigrid/error.h"

/* sysexits(3) codes used by the program (spec/api.md). */
#define EG_EX_OK 0
#define EG_EX_USAGE 64     /* bad command line */
#define EG_EX_DATAERR 65   /* some input rejected, the rest done */
#define EG_EX_NOINPUT 66   /* input file missing or unreadable */
#define EG_EX_SOFTWARE 70  /* internal error */

typedef enum eg_format {
    EG_FMT_TABLE = 0,  /* aligned columns for a person (default on a terminal) */
    EG_FMT_CSV,        /* header row + rows, RFC 4180 */
    EG_FMT_JSON,       /* one JSON document */
    EG_FMT_JSONL       /* one JSON object a line */
} eg_format;

/* The program's context, built by main() from the global options. */
typedef struct eg_cli {
    const char *db_path;   /* --db PATH (default "epigrid.db" or $EPIGRID_DB) */
    eg_clock clock;        /* --now / EPIGRID_NOW */
    const char *now_text;  /* the --now text, NULL when not given */
    eg_format format;      /* --format, after the command's own options */
    int format_given;      /* 1 when --format was given */
    FILE *out;             /* results (stdout) */
    FILE *err;             /* messages and progress (stderr) */
    int out_is_tty;        /* stdout is a terminal */
    int err_is_tty;        /* stderr is a terminal (progress lines) */
    struct eg_feed_result *last_feed; /* when set, feed imports copy their counts here */
    int drill_clock_taken; /* 1 once the clock was set from a drill database */
} eg_cli;

/* Parse a --format value. Returns 0 or -1 for an unknown name. */
int eg_cli_parse_format(const char *s, eg_format *out);

/* Map an eg_err to a sysexits code (EG_ERR_IO→66, parse/invalid→65,
 * NOMEM/DB/other→70). */
int eg_cli_exit_code(eg_err e);

/* Print `epigrid: CONTEXT: message` (from d when given, else
 * eg_strerror(e)) to cli->err. */
void eg_cli_error(const eg_cli *cli, eg_err e, const eg_diag *d, const char *context);

/* Path of a bundled data file: $EPIGRID_DATA/REL, else EG_DATADIR/REL.
 * Writes into buf (size bytes). Returns buf. */
char *eg_cli_data_path(const char *rel, char *buf, size_t size);

/*
 * Tabular output in the four formats. Columns are typed so that JSON gets
 * numbers where the value is a number ("NA" or "" become null).
 */
typedef enum eg_coltype { EG_COL_STR = 0, EG_COL_INT, EG_COL_NUM } eg_coltype;
typedef struct eg_column { const char *name; eg_coltype type; } eg_column;
typedef struct eg_table eg_table;

/* New table with `ncols` columns (the array is copied). NULL on no memory. */
eg_table *eg_table_new(const eg_column *cols, size_t ncols);
/* Append a row of ncols strings (copied; NULL means empty). Returns
 * EG_OK or EG_ERR_NOMEM. */
eg_err eg_table_add(eg_table *t, const char *const *vals);
/* Print in cli->format to cli->out. Returns EG_OK or EG_ERR_IO. */
eg_err eg_table_print(const eg_table *t, const eg_cli *cli);
void eg_table_free(eg_table *t);

/* Open the store at cli->db_path, printing any error. Returns EG_OK. */
#include "epigrid/store.h"
#include "epigrid/import.h"
eg_err eg_cli_open_store(eg_cli *cli, eg_store **s);
/* Open a store that must exist already (commands that only read or act on
 * existing data): a missing file is EG_EX_NOINPUT with a message, instead
 * of a new empty database. Returns a sysexits code. */
int eg_cli_open_existing(eg_cli *cli, eg_store **s);

/* The actor of audit and import records: "os:USER" (the operating-system
 * user running the command). Writes into buf. Returns buf. */
char *eg_cli_actor(char *buf, size_t size);

/* Reporter for imports: prints the first `limit` rejects and warnings as
 * `FILE:LINE: column: reason` to cli->err, then counts the rest. */
typedef struct eg_cli_reporter {
    const eg_cli *cli;
    long shown;
    long limit;
} eg_cli_reporter;
void eg_cli_report(void *ctx, const eg_diag *d, int is_warning);

/* Progress for long imports: a self-overwriting line on a terminal. */
void eg_cli_progress(void *ctx, unsigned long long bytes, unsigned long rows);

/* Import one file of `kind` (divisions, staff, persons, travel, case-trips,
 * risk-areas) into an open
 * store, printing a summary line. `rejects_path` may be NULL (then
 * FILE.rejects.csv is written when rows are rejected). `synthetic` marks
 * drill data. Returns a sysexits code (0, 65 some rows rejected, 66, 70). */
int eg_cli_import_file(eg_cli *cli, eg_store *s, const char *kind, const char *path,
                       const char *rejects_path, int synthetic, int quiet);

/* Parse "--help"/"-h" among argv: 1 when present. */
int eg_cli_wants_help(int argc, char **argv);

/* An output file that appears whole or not at all: written under a
 * temporary name in its own folder, renamed over the path only when all
 * of it was written, so a kill or a failed write never leaves half a
 * file (the old file, if any, stays until then). A symbolic link is kept
 * (what it points to is replaced); a path that is not a regular file (a
 * device such as /dev/null, a pipe) is written to directly. Until it is
 * closed an interrupt, terminate or hang-up signal removes the temporary
 * file first; a kill -9 can leave it, never half of the output. */
typedef struct eg_cli_outfile {
    FILE *f;                  /* write here */
    char path[4096];
    char tmp[4096 + 16];
} eg_cli_outfile;

/* Open o for `path` (a temporary file beside it). Returns o->f, or NULL
 * (errno set) when the path is too long or the folder not writable. */
FILE *eg_cli_outfile_open(eg_cli_outfile *o, const char *path);

/* Close o->f; when `ok` and the close succeeds, rename the temporary file
 * over the path, else remove it. Returns 0 when the file is in place, -1
 * otherwise (nothing was replaced). */
int eg_cli_outfile_close(eg_cli_outfile *o, int ok);

/* Copy all of the open file `tmp` (from its start) to `path` through an
 * eg_cli_outfile. Returns 0, or -1 (errno set; `path` untouched), also
 * when a write to `tmp` had failed. */
int eg_cli_save_copy(FILE *tmp, const char *path);

/* Command entry points (one file each: cmd_NAME.c). */
int eg_cmd_init(eg_cli *cli, int argc, char **argv);
int eg_cmd_import(eg_cli *cli, int argc, char **argv);
int eg_cmd_juris(eg_cli *cli, int argc, char **argv);
int eg_cmd_person(eg_cli *cli, int argc, char **argv);
int eg_cmd_drill(eg_cli *cli, int argc, char **argv);
int eg_cmd_analyze(eg_cli *cli, int argc, char **argv);
int eg_cmd_screen(eg_cli *cli, int argc, char **argv);
/* Control measures (issue 5): cmd_control.c, cmd_reading.c (reading, test),
 * cmd_team.c, cmd_alert.c (alert, task), cmd_daily.c. */
int eg_cmd_control(eg_cli *cli, int argc, char **argv);
int eg_cmd_test(eg_cli *cli, int argc, char **argv);
int eg_cmd_team(eg_cli *cli, int argc, char **argv);
int eg_cmd_reading(eg_cli *cli, int argc, char **argv);
int eg_cmd_alert(eg_cli *cli, int argc, char **argv);
int eg_cmd_task(eg_cli *cli, int argc, char **argv);
int eg_cmd_daily(eg_cli *cli, int argc, char **argv);
/* Main-job step 5 (cmd_drill_daily.c): the days 2020-02-01..2020-02-13 of
 * the drill, seeded by `seed`. Returns a sysexits code. */
int eg_cli_drill_daily(eg_cli *cli, eg_store *s, unsigned long seed);
int eg_cmd_serve(eg_cli *cli, int argc, char **argv);
int eg_cmd_user(eg_cli *cli, int argc, char **argv);
int eg_cmd_purge(eg_cli *cli, int argc, char **argv);
/* Serve the API on cli->db_path at `listen` until SIGINT/SIGTERM (cmd_serve.c;
 * used by `serve` and the drill's step 8); `durable`: fsync every commit.
 * Returns a sysexits code. */
int eg_cli_serve(eg_cli *cli, const char *listen, int threads, long session_minutes, int durable,
                 int sweep_seconds);
/* Main-job step 8: create the drill's accounts (drill_accounts.c), printing
 * their one-time passwords unless EPIGRID_PASSWORD_FILE gives them. */
int eg_cli_drill_accounts(eg_cli *cli);
/* `epigrid screen` over the database (cmd_screen_db.c), called by eg_cmd_screen when --travel is not given. */
int eg_cli_screen_db(eg_cli *cli, int argc, char **argv);
/* Screen the open store for `city_code` as of `as_of` (D = days), stamped
 * `stamp`, and print the summary by measure, county and rule (used by
 * `screen` and the drill's step 4). Returns a sysexits code. */
int eg_cli_screen_run(eg_cli *cli, eg_store *s, const char *city_code, eg_date as_of, int days,
                      eg_time stamp);

/* Main-job step 7 (spec/main-job.md): Rt of Jilin province, projection for
 * Tonghua and the probability of no new case, from the bundled official
 * series at `series_path`. Prints a summary; returns a sysexits code.
 * Implemented in cmd_analyze.c. */
int eg_cli_drill_analysis(eg_cli *cli, const char *series_path);

/* Facilities, checkpoints and the daily report (issue 6): cmd_facility.c,
 * cmd_checkpoint.c, cmd_report.c; the drill's part in drill_facility.c. */
int eg_cmd_facility(eg_cli *cli, int argc, char **argv);
int eg_cmd_checkpoint(eg_cli *cli, int argc, char **argv);
int eg_cmd_report(eg_cli *cli, int argc, char **argv);
struct eg_report;
struct eg_juris_node;
/* Print a report for `node` in cli->format (table, csv, json). Returns a
 * sysexits code. */
int eg_cli_report_print(eg_cli *cli, const struct eg_report *r, const struct eg_juris_node *node);
/* Main-job steps 5-6, facilities and checkpoints (drill_facility.c): load
 * the bundled illustrative facilities and checkpoints, then for each drill
 * day: places follow the day's transitions, hourly checkpoint logs and
 * fevers with clinic outcomes, standby opened after its alert, the sweep
 * and the day's report stored as version 1; then print the city's report
 * of the last day and its counties. Returns a sysexits code. */
int eg_cli_drill_facilities(eg_cli *cli, eg_store *s, unsigned long seed);

#endif
