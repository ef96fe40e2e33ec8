/*
 * cli/cmd_user.c: `epigrid user add NAME --role ROLE --juris CODE --staff
 * STAFF_ID` (the password from the terminal without echo, twice, or one
 * line of standard input; never from the command line), `user list`,
 * `user revoke NAME` (the account and its sessions). Changes are audited
 * under the operating-system user.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "cli.h"
#include "epigrid/auth.h"
#include "epigrid/juris.h"

static void user_usage(FILE *f)
{
    fputs("usage: epigrid user add NAME --role ROLE --juris CODE --staff STAFF_ID\n"
          "       epigrid user list [--format table|csv|json]\n"
          "       epigrid user revoke NAME\n\n"
          "add: an account of the server for the staff row STAFF_ID, scoped to the division CODE\n"
          "  (inside the staff row's division). ROLE: admin, commander, township_officer,\n"
          "  grid_worker, checkpoint_staff, clinician, analyst (spec/api.md). The password is read\n"
          "  from the terminal without echo (asked twice) or as one line of standard input;\n"
          "  at least 8 bytes; stored as an argon2id hash.\n"
          "revoke: disable the account and end its sessions.\n", f);
}

/* Read one line into buf without its newline; echo off on a terminal. */
static int read_secret(const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO);
    char *ok;
    if (tty) {
        fputs(prompt, stderr);
        fflush(stderr);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    ok = fgets(buf, (int)size, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!ok)
        return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    return 0;
}

static int user_add(eg_cli *cli, int argc, char **argv)
{
    const char *name = NULL, *role = NULL, *juris = NULL, *staff = NULL;
    char pw[EG_PASSWORD_MAX + 2], again[EG_PASSWORD_MAX + 2], actor[128], detail[160];
    eg_juris *j = NULL;
    eg_store *s;
    eg_diag d;
    int64_t id = 0;
    eg_store_tx tx;
    eg_err e;
    int rc;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role = argv[++i];
        else if (strcmp(argv[i], "--juris") == 0 && i + 1 < argc)
            juris = argv[++i];
        else if (strcmp(argv[i], "--staff") == 0 && i + 1 < argc)
            staff = argv[++i];
        else if (!name && argv[i][0] != '-')
            name = argv[i];
        else
            return user_usage(cli->err), EG_EX_USAGE;
    }
    if (!name || !role || !juris || !staff)
        return user_usage(cli->err), EG_EX_USAGE;
    if ((rc = eg_cli_open_existing(cli, &s)))
        return rc;
    if ((e = eg_juris_load(s, &j))) {
        eg_store_close(s);
        eg_cli_error(cli, e, NULL, "user add");
        return EG_EX_SOFTWARE;
    }
    char code[EG_CODE_BUFSZ];
    if ((e = eg_user_check(s, j, name, role, juris, staff, code, &d)) == EG_OK) {
        if (read_secret("Password: ", pw, sizeof pw) ||
            (isatty(STDIN_FILENO) && (read_secret("Repeat: ", again, sizeof again) || strcmp(pw, again) != 0))) {
            fprintf(cli->err, "epigrid: user add: no password given, or the two differ\n");
            eg_juris_free(j);
            eg_store_close(s);
            return EG_EX_USAGE;
        }
        if (!(e = eg_store_tx_begin(s, &tx))) {
            e = eg_user_create(s, j, name, role, juris, staff, pw, eg_clock_now(&cli->clock), &id, &d);
            if (!e) {
                snprintf(detail, sizeof detail, "%s %s %s staff %s", name, role, code, staff);
                eg_audit_rec a = { .at = eg_clock_now(&cli->clock), .actor = eg_cli_actor(actor, sizeof actor),
                                   .action = "user.add", .person_pid = "", .detail = detail };
                e = eg_store_tx_audit(&tx, &a);
            }
            e = eg_store_tx_end(&tx, e);
        }
    }
    memset(pw, 0, sizeof pw);
    memset(again, 0, sizeof again);
    eg_juris_free(j);
    eg_store_close(s);
    if (e) {
        eg_cli_error(cli, e, &d, "user add");
        return e == EG_ERR_DB ? EG_EX_SOFTWARE : EG_EX_DATAERR;
    }
    fprintf(cli->out, "user add: %s (%s, %s), id %lld\n", name, role, code, (long long)id);
    return EG_EX_OK;
}

static eg_err list_row(void *ctx, const eg_user_rec *u)
{
    eg_table *t = ctx;
    char id[24], ca[EG_TIME_BUFSZ] = "", ra[EG_TIME_BUFSZ] = "";
    snprintf(id, sizeof id, "%lld", (long long)u->id);
    if (u->created_at)
        eg_time_format(u->created_at, ca);
    if (u->revoked_at)
        eg_time_format(u->revoked_at, ra);
    const char *v[] = { id, u->name, u->role, u->juris_code, u->staff_id, u->active ? "1" : "0", ca, ra };
    return eg_table_add(t, v);
}

static int user_list(eg_cli *cli)
{
    static const eg_column COLS[] = {
        { "id", EG_COL_INT }, { "name", EG_COL_STR }, { "role", EG_COL_STR }, { "juris", EG_COL_STR },
        { "staff_id", EG_COL_STR }, { "active", EG_COL_INT }, { "created_at", EG_COL_STR },
        { "revoked_at", EG_COL_STR },
    };
    eg_table *t = eg_table_new(COLS, 8);
    eg_store *s;
    eg_err e;
    int rc;
    if (!t)
        return EG_EX_SOFTWARE;
    if ((rc = eg_cli_open_existing(cli, &s))) {
        eg_table_free(t);
        return rc;
    }
    e = eg_store_user_each(s, list_row, t);
    if (!e)
        e = eg_table_print(t, cli);
    eg_table_free(t);
    eg_store_close(s);
    if (e)
        eg_cli_error(cli, e, NULL, "user list");
    return eg_cli_exit_code(e);
}

static eg_err take_id(void *ctx, const eg_user_rec *u)
{
    *(int64_t *)ctx = u->id;
    return EG_OK;
}

static int user_revoke(eg_cli *cli, const char *name)
{
    eg_store *s;
    int64_t id = 0;
    char actor[128], detail[96];
    eg_store_tx tx;
    eg_err e;
    int rc;
    if ((rc = eg_cli_open_existing(cli, &s)))
        return rc;
    e = eg_store_user_get(s, name, 0, take_id, &id);
    if (!e && !(e = eg_store_tx_begin(s, &tx))) {
        e = eg_store_user_revoke(s, id, eg_clock_now(&cli->clock));
        snprintf(detail, sizeof detail, "%s", name);
        eg_audit_rec a = { .at = eg_clock_now(&cli->clock), .actor = eg_cli_actor(actor, sizeof actor),
                           .action = "user.revoke", .person_pid = "", .detail = detail };
        if (!e)
            e = eg_store_tx_audit(&tx, &a);
        e = eg_store_tx_end(&tx, e);
    }
    eg_store_close(s);
    if (e == EG_ERR_NOT_FOUND) {
        fprintf(cli->err, "epigrid: user revoke: no user '%s'\n", name);
        return EG_EX_NOINPUT;
    }
    if (e) {
        eg_cli_error(cli, e, NULL, "user revoke");
        return EG_EX_SOFTWARE;
    }
    fprintf(cli->out, "user revoke: %s revoked\n", name);
    return EG_EX_OK;
}

int eg_cmd_user(eg_cli *cli, int argc, char **argv)
{
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return user_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (strcmp(argv[1], "add") == 0)
        return user_add(cli, argc, argv);
    if (strcmp(argv[1], "list") == 0 && argc == 2)
        return user_list(cli);
    if (strcmp(argv[1], "revoke") == 0 && argc == 3)
        return user_revoke(cli, argv[2]);
    return user_usage(cli->err), EG_EX_USAGE;
}
