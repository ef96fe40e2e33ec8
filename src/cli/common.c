/*
 * cli/common.c: helpers shared by the commands: opening the store, the
 * actor of audit records, import reporting and progress.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "epigrid/checkpoint.h"
#include "epigrid/control.h"
#include "epigrid/feed.h"
#include "epigrid/juris.h"
#include "epigrid/registry.h"
#include "epigrid/staff.h"

/* A drill's database carries the drill's clock (meta drill.clock): when no
 * --now or EPIGRID_NOW is given, commands on it run at that moment rather
 * than today's date, and say so once. */
static void take_drill_clock(eg_cli *cli, eg_store *s)
{
    char buf[EG_TIME_BUFSZ + 8];
    const char *env = getenv("EPIGRID_NOW");
    if (cli->now_text || (env && *env) || cli->drill_clock_taken)
        return;
    if (eg_store_meta_get(s, "drill.clock", buf, sizeof buf) != EG_OK)
        return;
    if (eg_clock_init(&cli->clock, buf, NULL) == EG_OK) {
        cli->drill_clock_taken = 1;
        fprintf(cli->err, "epigrid: %s is a drill's database: the clock is the drill's, %s "
                "(give --now to change it)\n", cli->db_path, buf);
    }
}

eg_err eg_cli_open_store(eg_cli *cli, eg_store **s)
{
    eg_diag d;
    eg_err e = eg_store_open(cli->db_path, 0, s, &d);
    if (e)
        eg_cli_error(cli, e, &d, NULL);
    else
        take_drill_clock(cli, *s);
    return e;
}

int eg_cli_open_existing(eg_cli *cli, eg_store **s)
{
    if (strstr(cli->db_path, "://") == NULL && access(cli->db_path, F_OK) != 0) {
        fprintf(cli->err, "epigrid: no database at %s (run `epigrid --db %s init` first, or give "
                "--db)\n", cli->db_path, cli->db_path);
        return EG_EX_NOINPUT;
    }
    return eg_cli_open_store(cli, s) ? EG_EX_SOFTWARE : EG_EX_OK;
}

char *eg_cli_actor(char *buf, size_t size)
{
    struct passwd *pw = getpwuid(geteuid());
    const char *user = pw ? pw->pw_name : getenv("USER");
    snprintf(buf, size, "os:%s", user && *user ? user : "unknown");
    return buf;
}

int eg_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

void eg_cli_report(void *ctx, const eg_diag *d, int is_warning)
{
    eg_cli_reporter *r = ctx;
    char buf[700];
    if (r->shown++ >= r->limit)
        return;
    fprintf(r->cli->err, "%s%s\n", eg_diag_format(d, buf, sizeof buf), is_warning ? " (warning)" : "");
}

void eg_cli_progress(void *ctx, unsigned long long bytes, unsigned long rows)
{
    const eg_cli *cli = ctx;
    if (cli->err_is_tty)
        fprintf(cli->err, "\r  %lu rows, %.1f MB read", rows, bytes / 1e6);
}

/* The importers by kind. */
static eg_err run_kind(eg_store *s, eg_normalizer *norm, const eg_juris *j, const char *kind,
                       const char *path, const eg_import_opts *o, eg_import_result *res,
                       eg_feed_result *fr, eg_diag *d)
{
    if (strcmp(kind, "travel") == 0)
        return eg_travel_import(s, path, o, res, fr, d);
    if (strcmp(kind, "case-trips") == 0)
        return eg_case_trips_import(s, path, o, res, fr, d);
    if (strcmp(kind, "risk-areas") == 0)
        return eg_risk_areas_import(s, path, o, res, d);
    if (strcmp(kind, "readings") == 0 || strcmp(kind, "tests") == 0) {
        eg_control_params p;
        eg_err e = eg_control_params_load(s, &p, d);
        if (e)
            return e;
        return kind[0] == 'r' ? eg_control_readings_import(s, &p, path, o, res, d)
                              : eg_control_tests_import(s, path, o, res, d);
    }
    if (strcmp(kind, "facilities") == 0 || strcmp(kind, "fevers") == 0) {
        eg_facility_params fp;
        eg_err e = eg_facility_params_load(s, &fp, d);
        if (e)
            return e;
        return kind[1] == 'a' ? eg_facility_import(s, j, &fp, path, o, res, d)
                              : eg_checkpoint_fevers_import(s, j, &fp, path, o, res, d);
    }
    if (strcmp(kind, "checkpoints") == 0)
        return eg_checkpoint_import(s, j, path, o, res, d);
    if (strcmp(kind, "check-logs") == 0)
        return eg_checkpoint_logs_import(s, path, o, res, d);
    if (strcmp(kind, "divisions") == 0)
        return eg_juris_import(s, norm, path, o, res, d);
    if (strcmp(kind, "staff") == 0)
        return eg_staff_import(s, j, path, o, res, d);
    if (strcmp(kind, "persons") == 0)
        return eg_registry_import(s, norm, j, path, o, res, d);
    return EG_ERR_UNSUPPORTED;
}

int eg_cli_import_file(eg_cli *cli, eg_store *s, const char *kind, const char *path,
                       const char *rejects_path, int synthetic, int quiet)
{
    char rpath[4096], actor[128];
    eg_cli_reporter rep = { cli, 0, quiet ? 0 : 20 };
    eg_import_opts o = { 0 };
    eg_import_result res;
    eg_feed_result fr = { 0 };
    eg_normalizer *norm = NULL;
    eg_juris *j = NULL;
    eg_diag d;
    FILE *rf;
    int rejects_lost = 0;
    eg_err e;

    if (access(path, R_OK) != 0 && strcmp(path, "-") != 0) {
        fprintf(cli->err, "epigrid: %s: cannot read the file\n", path);
        return EG_EX_NOINPUT;
    }
    snprintf(rpath, sizeof rpath, "%s", rejects_path ? rejects_path : "");
    if (!rejects_path) {
        /* in the current directory: the input's folder may be read-only */
        const char *base = strrchr(path, '/');
        snprintf(rpath, sizeof rpath, "%s.rejects.csv",
                 strcmp(path, "-") ? (base ? base + 1 : path) : "stdin");
    }
    rf = tmpfile();
    if (!rf || eg_import_rejects_header(rf)) {
        fprintf(cli->err, "epigrid: cannot create a temporary rejects file\n");
        return EG_EX_SOFTWARE;
    }
    e = eg_normalizer_new(&norm);
    if (!e)
        e = eg_juris_load(s, &j);
    if (e) {
        fclose(rf);
        eg_normalizer_free(norm);
        eg_cli_error(cli, e, NULL, "import");
        return eg_cli_exit_code(e);
    }
    o.rejects = rf;
    o.report = eg_cli_report;
    o.report_ctx = &rep;
    o.now = eg_clock_now(&cli->clock);
    o.actor = eg_cli_actor(actor, sizeof actor);
    o.synthetic = synthetic;
    o.progress = quiet ? NULL : eg_cli_progress;
    o.progress_ctx = cli;
    e = run_kind(s, norm, j, kind, path, &o, &res, &fr, &d);
    if (!quiet && cli->err_is_tty)
        fputs("\r\033[K", cli->err);
    eg_juris_free(j);
    eg_normalizer_free(norm);
    if (rep.shown > rep.limit && !quiet)
        fprintf(cli->err, "... and %ld more messages\n", rep.shown - rep.limit);
    if (!e && (res.rejected || res.warnings)) {
        if (eg_cli_save_copy(rf, rpath) != 0) {
            fprintf(cli->err, "epigrid: cannot write the rejects file %s: %s\n", rpath,
                    strerror(errno));
            rejects_lost = 1;
        }
    }
    fclose(rf);
    if (e) {
        eg_cli_error(cli, e, &d, NULL);
        if (e != EG_ERR_DB && e != EG_ERR_NOMEM)
            fprintf(cli->err, "epigrid: %s: file refused as a whole; nothing was imported\n", path);
        return eg_cli_exit_code(e);
    }
    fprintf(cli->err, "import %s %s: %ld rows, %ld imported (%ld updated), %ld rejected, %ld warnings%s%s\n",
            kind, path, res.rows, res.imported, res.updated, res.rejected, res.warnings,
            (res.rejected || res.warnings) ? "; details in " : "",
            (res.rejected || res.warnings) ? rpath : "");
    if (strcmp(kind, "travel") == 0)
        fprintf(cli->err, "  %ld duplicate legs (same person, trip and date) counted once; %ld legs "
                "kept and flagged: their identity number failed its check\n", fr.duplicates,
                fr.flagged_ids);
    else if (strcmp(kind, "case-trips") == 0)
        fprintf(cli->err, "  %ld case trips stored (one per carriage named), %ld already stored; "
                "%ld descriptions could not be read: the whole trip is traced\n", fr.case_trips,
                fr.duplicates, fr.unreadable);
    if (cli->last_feed)
        *cli->last_feed = fr;
    if (rejects_lost)
        return EG_EX_SOFTWARE; /* the rows are imported, their rejects not written */
    return res.rejected ? EG_EX_DATAERR : EG_EX_OK;
}

/* The temporary file being written, removed if the program is stopped by
 * a signal before it is renamed into place. A signal handler can reach
 * only static storage, so this is the program's one piece of it; the
 * library keeps none. */
static char stop_cleanup[sizeof ((eg_cli_outfile *)0)->tmp];

/* Signal handler: remove the temporary file, then die of the signal. */
static void remove_on_stop(int sig)
{
    if (stop_cleanup[0])
        unlink(stop_cleanup);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Install (or with on = 0 remove) remove_on_stop for the signals that
 * stop a command: interrupt, terminate, hang-up. */
static void guard_signals(int on)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? remove_on_stop : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

FILE *eg_cli_outfile_open(eg_cli_outfile *o, const char *path)
{
    struct stat st;
    memset(o, 0, sizeof *o);
    if (snprintf(o->path, sizeof o->path, "%s", path) >= (int)sizeof o->path) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        /* a link: replace what it points to, keep the link */
        char *real = realpath(path, NULL);
        if (real && snprintf(o->path, sizeof o->path, "%s", real) >= (int)sizeof o->path) {
            free(real);
            errno = ENAMETOOLONG;
            return NULL;
        }
        free(real);
    }
    if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device, a pipe, a terminal: written to, not replaced */
        o->tmp[0] = '\0';
        return o->f = fopen(o->path, "w");
    }
    if (snprintf(o->tmp, sizeof o->tmp, "%s.tmp-XXXXXX", o->path) >= (int)sizeof o->tmp) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    int fd = mkstemp(o->tmp);
    if (fd < 0)
        return NULL;
    /* mkstemp makes it 0600; an output is as readable as any file made here */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "w"))) {
        int err = errno;
        close(fd);
        unlink(o->tmp);
        errno = err;
        return NULL;
    }
    memcpy(stop_cleanup, o->tmp, sizeof stop_cleanup);
    guard_signals(1);
    return o->f;
}

int eg_cli_outfile_close(eg_cli_outfile *o, int ok)
{
    if (!o->f)
        return -1;
    ok = fclose(o->f) == 0 && ok;
    o->f = NULL;
    if (!o->tmp[0]) /* written in place */
        return ok ? 0 : -1;
    int placed = ok && rename(o->tmp, o->path) == 0, err = errno;
    if (!placed)
        unlink(o->tmp);
    guard_signals(0);
    stop_cleanup[0] = '\0';
    errno = err;
    return placed ? 0 : -1;
}

int eg_cli_save_copy(FILE *tmp, const char *path)
{
    eg_cli_outfile of;
    char buf[65536];
    size_t n;
    int ok = 1;
    /* a write to the temporary file that failed (a full disk, a size
     * limit) must not pass for an empty file: rewind clears the flag */
    if (fflush(tmp) != 0 || ferror(tmp)) {
        errno = errno ? errno : EIO;
        return -1;
    }
    if (!eg_cli_outfile_open(&of, path))
        return -1;
    rewind(tmp);
    while (ok && (n = fread(buf, 1, sizeof buf, tmp)) > 0)
        ok = fwrite(buf, 1, n, of.f) == n;
    return eg_cli_outfile_close(&of, ok && !ferror(tmp));
}
