/*
 * cli/cmd_team.c: `epigrid team`: four-person teams (四人一专班): propose
 * from the staff of the person's division, confirm, set a member, show
 * an order's team and each worker's load.
 */
#include <stdio.h>
#include <string.h>
#include "cmd_control.h"

static void team_usage(FILE *f)
{
    fputs("usage: epigrid team propose [ORDER]      (every running order without a full team when no ORDER)\n"
          "       epigrid team confirm [ORDER]      (confirm the proposed members, by the operating-system user)\n"
          "       epigrid team set ORDER --role R --staff STAFF_ID\n"
          "       epigrid team show ORDER\n"
          "       epigrid team load [--juris CODE]  (running orders per worker)\n\n"
          "A team has a township or street cadre (township_cadre), a village or community cadre\n"
          "(village_cadre), a police officer (police) and a doctor (doctor), taken from the staff of\n"
          "the person's division or the nearest division above it, the least loaded first. A person\n"
          "without a full confirmed team raises an alert in the daily run.\n", f);
}

static eg_err add_member(void *ctx, const eg_ctl_member *m)
{
    char c[EG_TIME_BUFSZ];
    const char *v[] = { m->role, m->staff_id, m->staff_name, m->phone, m->staff_juris, m->state,
                        ctl_time(m->confirmed_at, c), m->confirmed_by };
    return eg_table_add(ctx, v);
}

/* Staff loads joined with their details. */
typedef struct load_ctx {
    eg_table *t;
    const char *juris;
    eg_store *s;
} load_ctx;

static eg_err add_load(void *ctx, const char *staff_id, long n)
{
    load_ctx *c = ctx;
    char num[24];
    snprintf(num, sizeof num, "%ld", n);
    const char *v[] = { staff_id, num };
    return eg_table_add(c->t, v);
}

/* See cli.h. */
int eg_cmd_team(eg_cli *cli, int argc, char **argv)
{
    static const char *const FLAGS[] = { "help", NULL };
    static const char *const OPTS[] = { "role", "staff", "juris", NULL };
    static const eg_column MCOLS[] = {
        { "role", EG_COL_STR }, { "staff_id", EG_COL_STR }, { "name", EG_COL_STR }, { "phone", EG_COL_STR },
        { "staff_juris", EG_COL_STR }, { "state", EG_COL_STR }, { "confirmed_at", EG_COL_STR },
        { "confirmed_by", EG_COL_STR },
    };
    static const eg_column LCOLS[] = { { "staff_id", EG_COL_STR }, { "running_orders", EG_COL_INT } };
    eg_control_params p;
    eg_store *s = NULL;
    char actor[128];
    ctl_args a;
    eg_diag d;
    eg_err e = EG_OK;
    int rc;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return team_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    if (ctl_parse(cli, argc, argv, 1, FLAGS, OPTS, &a) || a.npos < 1 || a.npos > 2)
        return team_usage(cli->err), EG_EX_USAGE;
    const char *sub = a.pos[0], *order = a.npos == 2 ? a.pos[1] : NULL;
    if ((!strcmp(sub, "set") || !strcmp(sub, "show")) && !order)
        return team_usage(cli->err), EG_EX_USAGE;
    if (strcmp(sub, "propose") && strcmp(sub, "confirm") && strcmp(sub, "set") && strcmp(sub, "show") &&
        strcmp(sub, "load"))
        return team_usage(cli->err), EG_EX_USAGE;
    if ((rc = ctl_open(cli, &s, &p)))
        return rc;
    eg_diag_clear(&d);
    eg_cli_actor(actor, sizeof actor);
    if (!strcmp(sub, "propose")) {
        long np = 0, ns = 0;
        e = eg_control_team_propose(s, order, eg_clock_now(&cli->clock), &np, &ns, &d);
        if (!e)
            fprintf(cli->out, "team propose: %ld members proposed; %ld roles without staff in the division or "
                    "above\n", np, ns);
    } else if (!strcmp(sub, "confirm")) {
        long n = 0;
        e = eg_control_team_confirm(s, order, actor, eg_clock_now(&cli->clock), &n, &d);
        if (!e)
            fprintf(cli->out, "team confirm: %ld members confirmed by %s\n", n, actor);
    } else if (!strcmp(sub, "set")) {
        e = eg_control_team_set(s, order, ctl_opt(&a, "role"), ctl_opt(&a, "staff"), actor, eg_clock_now(&cli->clock), &d);
        if (!e)
            fprintf(cli->out, "team set: %s is the %s of %s\n", ctl_opt(&a, "staff"), ctl_opt(&a, "role"), order);
    } else if (!strcmp(sub, "show")) {
        eg_ctl_order o;
        eg_table *t = eg_table_new(MCOLS, 8);
        e = eg_control_order_get(s, order, &o);
        if (e == EG_ERR_NOT_FOUND)
            eg_diag_set(&d, e, NULL, 0, "order", "no order '%s'", order);
        if (!e)
            e = t ? eg_store_ctl_member_each(s, o.id, eg_control_team_order(), add_member, t) : EG_ERR_NOMEM;
        if (!e)
            e = eg_table_print(t, cli);
        eg_table_free(t);
    } else {
        load_ctx c = { eg_table_new(LCOLS, 2), ctl_opt(&a, "juris"), s };
        e = c.t ? eg_store_ctl_load_each(s, eg_control_running(), add_load, &c) : EG_ERR_NOMEM;
        if (!e)
            e = eg_table_print(c.t, cli);
        eg_table_free(c.t);
    }
    eg_store_close(s);
    return e ? ctl_fail(cli, e, &d, "team") : EG_EX_OK;
}
