/*
 * cli/cmd_purge.c: `epigrid purge --ended-before DATE`: retention. Every
 * person whose last control order ended before DATE is pseudonymised
 * (epigrid/auth.h, eg_store_purge): their identifying fields are blanked
 * and their document number replaced everywhere, while orders, tasks and
 * counts stay for the reports. One transaction; the audit log records it.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "epigrid/auth.h"

static void purge_usage(FILE *f)
{
    fputs("usage: epigrid purge --ended-before DATE\n\n"
          "Pseudonymise persons whose last control order ended before DATE (YYYY-MM-DD):\n"
          "document number replaced by PSEUDO-<16 hex> in the registry, orders, assistance\n"
          "requests and travel legs; name, phone, address and birth date blanked. Counts that\n"
          "reports need (orders, tasks, divisions) are kept. Recorded in the audit log.\n", f);
}

int eg_cmd_purge(eg_cli *cli, int argc, char **argv)
{
    eg_date before = EG_NO_DATE;
    eg_store *s;
    char actor[128], detail[160], b[EG_DATE_BUFSZ];
    long n = 0;
    eg_store_tx tx;
    eg_err e;
    int rc;
    if (eg_cli_wants_help(argc, argv))
        return purge_usage(cli->out), EG_EX_OK;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ended-before") == 0 && i + 1 < argc) {
            if (eg_date_parse(argv[++i], &before)) {
                fprintf(cli->err, "epigrid: purge: '%s' is not a date (YYYY-MM-DD)\n", argv[i]);
                return EG_EX_USAGE;
            }
        } else {
            return purge_usage(cli->err), EG_EX_USAGE;
        }
    }
    if (before == EG_NO_DATE)
        return purge_usage(cli->err), EG_EX_USAGE;
    if ((rc = eg_cli_open_existing(cli, &s)))
        return rc;
    e = eg_store_tx_begin(s, &tx);
    if (!e) {
        e = eg_store_purge(s, before, eg_clock_now(&cli->clock), &n);
        if (!e) {
            snprintf(detail, sizeof detail, "%ld persons pseudonymised: last order ended before %s", n,
                     eg_date_format(before, b));
            eg_audit_rec a = { .at = eg_clock_now(&cli->clock), .actor = eg_cli_actor(actor, sizeof actor),
                               .action = "purge", .person_pid = "", .detail = detail };
            e = eg_store_tx_audit(&tx, &a);
        }
        e = eg_store_tx_end(&tx, e);
    }
    if (e) {
        fprintf(cli->err, "epigrid: purge: %s\n", eg_store_errmsg(s));
        eg_store_close(s);
        return EG_EX_SOFTWARE;
    }
    eg_store_close(s);
    fprintf(cli->out, "purge: %ld persons pseudonymised (last order ended before %s)\n", n, b);
    return EG_EX_OK;
}
