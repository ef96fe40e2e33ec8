/*
 * cli/cmd_serve.c: `epigrid serve [--listen HOST:PORT] [--threads N]
 * [--session-hours H]`: the HTTP/JSON server of spec/api.md (docs/server.md)
 * on the database of --db, on the command's clock (--now / EPIGRID_NOW),
 * until SIGINT or SIGTERM. When ready it prints
 * `epigrid: serving on http://HOST:PORT`.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "epigrid/http.h"

static void serve_usage(FILE *f)
{
    fputs("usage: epigrid serve [--listen HOST:PORT] [--threads N] [--session-hours H] [--sync full|normal]\n"
          "                     [--sweep-seconds N]\n\n"
          "The daily sweep (orders due end, missed readings, escalations, facility alerts)\n"
          "runs every N seconds (default 60; 0: none) as at the clock.\n\n"
          "Serve the JSON API under /api/v1/ (docs/server.md) on the database given by --db,\n"
          "until interrupted (SIGINT, SIGTERM). --listen defaults to 127.0.0.1:8080 (port 0: any\n"
          "free port); --threads to twice the CPUs (at least 4); sessions last 12 hours unless\n"
          "--session-hours says otherwise. Every stamp uses the clock (--now, EPIGRID_NOW).\n"
          "A 2xx answer follows the commit; --sync full (default) makes each commit durable\n"
          "against power loss (fsync), --sync normal against a crash of the process only.\n"
          "Accounts: `epigrid user add`. Prints `epigrid: serving on http://HOST:PORT` when ready.\n", f);
}

int eg_cli_serve(eg_cli *cli, const char *listen, int threads, long session_minutes, int durable,
                 int sweep_seconds)
{
    eg_http_opts o = { 0 };
    eg_server *srv;
    eg_diag d;
    sigset_t set;
    int sig = 0;
    char data[4096];
    eg_err e;
    eg_cli_data_path(".", data, sizeof data);
    o.db_path = cli->db_path;
    o.listen = listen;
    o.clock = cli->clock;
    o.threads = threads;
    o.session_minutes = session_minutes;
    o.data_dir = data;
    o.durable = durable;
    o.sweep_seconds = sweep_seconds;
    o.log = cli->err;
    /* the server's threads inherit the blocked signals; this thread waits for them */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if ((e = eg_server_start(&o, &srv, &d))) {
        eg_cli_error(cli, e, &d, "serve");
        return e == EG_ERR_INVALID ? EG_EX_USAGE : EG_EX_SOFTWARE;
    }
    {
        char host[64];
        const char *colon = strrchr(listen, ':');
        snprintf(host, sizeof host, "%.*s", colon ? (int)(colon - listen) : 0, listen);
        fprintf(cli->out, "epigrid: serving on http://%s:%u\n", host[0] ? host : "127.0.0.1", eg_server_port(srv));
        fflush(cli->out);
    }
    sigwait(&set, &sig);
    fprintf(cli->err, "epigrid: serve: stopping (signal %d)\n", sig);
    eg_server_stop(srv);
    return EG_EX_OK;
}

int eg_cmd_serve(eg_cli *cli, int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080";
    long threads = 0, hours = 12, sweep = 60;
    int durable = 1;
    eg_store *s;
    int rc;
    if (eg_cli_wants_help(argc, argv))
        return serve_usage(cli->out), EG_EX_OK;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
            listen = argv[++i];
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = strtol(argv[++i], &end, 10);
            if (*end || threads < 1 || threads > 256)
                return serve_usage(cli->err), EG_EX_USAGE;
        } else if (strcmp(argv[i], "--session-hours") == 0 && i + 1 < argc) {
            hours = strtol(argv[++i], &end, 10);
            if (*end || hours < 1 || hours > 24 * 30)
                return serve_usage(cli->err), EG_EX_USAGE;
        } else if (strcmp(argv[i], "--sweep-seconds") == 0 && i + 1 < argc) {
            sweep = strtol(argv[++i], &end, 10);
            if (*end || sweep < 0 || sweep > 3600)
                return serve_usage(cli->err), EG_EX_USAGE;
        } else if (strcmp(argv[i], "--sync") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "full") && strcmp(argv[i], "normal"))
                return serve_usage(cli->err), EG_EX_USAGE;
            durable = strcmp(argv[i], "full") == 0;
        } else {
            return serve_usage(cli->err), EG_EX_USAGE;
        }
    }
    if ((rc = eg_cli_open_existing(cli, &s)))
        return rc;
    eg_store_close(s);
    return eg_cli_serve(cli, listen, (int)threads, hours * 60, durable, (int)sweep);
}
