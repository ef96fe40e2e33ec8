/*
 * cli/drill_accounts.c: the drill's server accounts (main-job.md step 8):
 * admin, commander (the city), gridworker (the grid of 东昌区 220502 with
 * the most persons),
 * checkpoint, clinician and analyst, each linked to a drill staff row.
 * Passwords come from the file named by EPIGRID_PASSWORD_FILE (one
 * `username:password` a line) or are random and printed once; nothing
 * secret is written anywhere else (only argon2id hashes are stored).
 * The drill generator makes no checkpoint or clinician staff, so one
 * synthetic row of each is added; their `unit` is the checkpoint or the
 * facility they work at (the server's checkpoint and facility routes), a
 * checkpoint and a fever clinic of 东昌区 from data/drill.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "epigrid/auth.h"
#include "epigrid/juris.h"

#define CITY "2205"
#define COUNTY "220502"   /* 东昌区 */

/* The staff rows chosen for the accounts. */
typedef struct picks {
    char secretary[40], cdc1[40], cdc2[40], grid_staff[40], grid[EG_CODE_BUFSZ];
    char busiest[EG_CODE_BUFSZ];   /* the grid of 东昌区 with the most persons */
    long most;
} picks;

/* Find the grid of the county with the most registered persons. */
static eg_err busiest(void *ctx, const char *code, long n)
{
    picks *p = ctx;
    if (strncmp(code, COUNTY, 6) == 0 && strchr(code, '-') && n > p->most) {
        p->most = n;
        snprintf(p->busiest, sizeof p->busiest, "%s", code);
    }
    return EG_OK;
}

static eg_err pick(void *ctx, const eg_staff_rec *r)
{
    picks *p = ctx;
    if (strcmp(r->juris_code, CITY) == 0 && strcmp(r->role, "secretary") == 0 && !p->secretary[0])
        snprintf(p->secretary, sizeof p->secretary, "%s", r->staff_id);
    else if (strcmp(r->juris_code, CITY) == 0 && strcmp(r->role, "cdc_staff") == 0)
    {
        if (!p->cdc1[0])
            snprintf(p->cdc1, sizeof p->cdc1, "%s", r->staff_id);
        else if (!p->cdc2[0])
            snprintf(p->cdc2, sizeof p->cdc2, "%s", r->staff_id);
    }
    else if (!p->grid_staff[0] && strcmp(r->role, "grid_leader") == 0 && strncmp(r->juris_code, COUNTY, 6) == 0 &&
             strchr(r->juris_code, '-') && (!p->busiest[0] || strcmp(r->juris_code, p->busiest) == 0)) {
        snprintf(p->grid_staff, sizeof p->grid_staff, "%s", r->staff_id);
        snprintf(p->grid, sizeof p->grid, "%s", r->juris_code);
    }
    return EG_OK;
}

/* The password of `user` from the file (NULL: none there). */
static int file_password(const char *path, const char *user, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    char line[1200];
    size_t n = strlen(user);
    int found = 0;
    if (!f)
        return -1;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (strncmp(line, user, n) == 0 && line[n] == ':') {
            snprintf(out, size, "%s", line + n + 1);
            found = 1;
        }
    }
    fclose(f);
    return found ? 0 : 1;
}

int eg_cli_drill_accounts(eg_cli *cli)
{
    const char *pwfile = getenv("EPIGRID_PASSWORD_FILE");
    picks p = { 0 };
    eg_store *s;
    eg_juris *j = NULL;
    eg_diag d;
    eg_store_tx tx;
    eg_err e;
    if (eg_cli_open_store(cli, &s))
        return EG_EX_SOFTWARE;
    eg_staff_rec chk = { "DRILL-CHK-1", "演练检查站工作人员", "13800000001", "checkpoint_staff", COUNTY,
                         "CP-220502-01", 1 };
    eg_staff_rec cln = { "DRILL-CLN-1", "演练临床医生", "13800000002", "clinician", COUNTY, "FC-220502-01", 1 };
    e = eg_store_tx_begin(s, &tx);
    if (!e)
        e = eg_store_staff_put(s, &chk, NULL);
    if (!e)
        e = eg_store_staff_put(s, &cln, NULL);
    if (!e)
        e = eg_store_person_count_by_juris(s, busiest, &p);
    if (!e)
        e = eg_store_staff_each(s, NULL, pick, &p);
    if (!e)
        e = eg_juris_load(s, &j);
    if (!e && (!p.secretary[0] || !p.cdc2[0] || !p.grid[0]))
        e = eg_diag_set(&d, EG_ERR_NOT_FOUND, NULL, 0, NULL, "the drill staff lacks a city secretary, two CDC "
                        "staff or a grid leader of %s", COUNTY);
    else
        eg_diag_clear(&d);
    const struct { const char *name, *role, *juris, *staff; } ACC[] = {
        { "admin", "admin", CITY, p.cdc1 },
        { "commander", "commander", CITY, p.secretary },
        { "gridworker", "grid_worker", p.grid, p.grid_staff },
        { "checkpoint", "checkpoint_staff", COUNTY, "DRILL-CHK-1" },
        { "clinician", "clinician", COUNTY, "DRILL-CLN-1" },
        { "analyst", "analyst", CITY, p.cdc2 },
    };
    char pw[6][EG_PASSWORD_MAX + 2];
    for (size_t i = 0; !e && i < 6; i++) {
        if (pwfile && *pwfile) {
            int r = file_password(pwfile, ACC[i].name, pw[i], sizeof pw[i]);
            if (r)
                e = eg_diag_set(&d, r < 0 ? EG_ERR_IO : EG_ERR_NOT_FOUND, pwfile, 0, NULL, r < 0
                                ? "cannot read EPIGRID_PASSWORD_FILE" : "no line '%s:PASSWORD'", ACC[i].name);
        } else {
            eg_password_random(pw[i], 16);
        }
        if (!e)
            e = eg_user_create(s, j, ACC[i].name, ACC[i].role, ACC[i].juris, ACC[i].staff, pw[i],
                               eg_clock_now(&cli->clock), NULL, &d);
    }
    if (tx.s)
        e = eg_store_tx_end(&tx, e);
    eg_juris_free(j);
    eg_store_close(s);
    if (e) {
        eg_cli_error(cli, e, &d, "drill accounts");
        return eg_cli_exit_code(e);
    }
    fprintf(cli->out, "  drill accounts (%s):\n", pwfile && *pwfile ? "passwords from EPIGRID_PASSWORD_FILE"
                                                                    : "one-time passwords, shown only now");
    for (size_t i = 0; i < 6; i++)
        fprintf(cli->out, "    %-10s %-16s %-16s %s\n", ACC[i].name, ACC[i].role, ACC[i].juris,
                pwfile && *pwfile ? "" : pw[i]);
    memset(pw, 0, sizeof pw);
    fflush(cli->out);
    return EG_EX_OK;
}
