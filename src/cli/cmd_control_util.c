/*
 * cli/cmd_control_util.c: helpers of the control-measures commands (see
 * cmd_control.h).
 */
#include <stdio.h>
#include <string.h>
#include "cmd_control.h"
#include "epigrid/idno.h"

/* See cmd_control.h. */
int ctl_parse(const eg_cli *cli, int argc, char **argv, int start, const char *const *flags,
              const char *const *opts, ctl_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = start; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0 || arg[2] == 0) {
            if (a->npos == CTL_MAX_ARGS)
                goto many;
            a->pos[a->npos++] = arg;
            continue;
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int known = 0;
        if (a->nopt == CTL_MAX_ARGS)
            goto many;
        for (const char *const *f = flags; f && *f && !known; f++)
            if (strlen(*f) == len && strncmp(*f, name, len) == 0) {
                a->key[a->nopt] = *f;
                a->val[a->nopt++] = "1";
                known = 1;
            }
        for (const char *const *o = opts; o && *o && !known; o++)
            if (strlen(*o) == len && strncmp(*o, name, len) == 0) {
                const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (!v) {
                    fprintf(cli->err, "epigrid: %s: --%s needs a value\n", argv[0], *o);
                    return -1;
                }
                a->key[a->nopt] = *o;
                a->val[a->nopt++] = v;
                known = 1;
            }
        if (!known) {
            fprintf(cli->err, "epigrid: %s: unknown option %s (see epigrid %s --help)\n", argv[0], arg, argv[0]);
            return -1;
        }
    }
    return 0;
many:
    fprintf(cli->err, "epigrid: %s: too many arguments\n", argv[0]);
    return -1;
}

/* See cmd_control.h. */
const char *ctl_opt(const ctl_args *a, const char *key)
{
    const char *v = NULL;
    for (int i = 0; i < a->nopt; i++)
        if (strcmp(a->key[i], key) == 0)
            v = a->val[i];
    return v;
}

/* See cmd_control.h. */
int ctl_open(eg_cli *cli, eg_store **s, eg_control_params *p)
{
    eg_diag d;
    eg_err e;
    int rc = eg_cli_open_existing(cli, s);
    if (rc)
        return rc;
    if ((e = eg_control_params_load(*s, p, &d))) {
        eg_store_close(*s);
        *s = NULL;
        return ctl_fail(cli, e, &d, "parameters");
    }
    return EG_EX_OK;
}

/* See cmd_control.h. */
int ctl_fail(const eg_cli *cli, eg_err e, const eg_diag *d, const char *context)
{
    eg_cli_error(cli, e, d, context);
    if (e == EG_ERR_NOT_FOUND)
        return EG_EX_DATAERR;   /* an unknown order, person or alert is bad input, not a missing file */
    return eg_cli_exit_code(e);
}

static eg_err take_pid(void *ctx, const eg_person_rec *r)
{
    snprintf(ctx, 24, "%s", r->pid);
    return EG_OK;
}

/* See cmd_control.h. */
void ctl_audit(const eg_cli *cli, eg_store *s, const char *id_no, const char *action, const char *detail)
{
    char actor[128], pid[24] = "";
    eg_store_person_get(s, id_no, take_pid, pid);
    eg_audit_rec a = { .at = eg_clock_now(&cli->clock), .actor = eg_cli_actor(actor, sizeof actor),
                       .action = action, .person_pid = pid, .detail = detail ? detail : "" };
    if (eg_store_audit_add(s, &a))
        fprintf(cli->err, "epigrid: cannot write the audit log: %s\n", eg_store_errmsg(s));
}

/* See cmd_control.h. */
const char *ctl_show_id(const eg_cli *cli, eg_store *s, const char *id_no, int reveal, const char *action,
                        const char *detail, char *buf)
{
    if (!reveal)
        return eg_idno_mask(id_no, buf);
    ctl_audit(cli, s, id_no, action, detail);
    snprintf(buf, EG_CTL_DOC_BUFSZ, "%s", id_no);
    return buf;
}

/* See cmd_control.h. */
const char *ctl_time(eg_time t, char *buf)
{
    if (t == 0)
        buf[0] = 0;
    else
        eg_time_format(t, buf);
    return buf;
}

/* See cmd_control.h. */
const char *ctl_date(eg_date d, char *buf)
{
    int y;
    buf[0] = 0;
    if (d == EG_NO_DATE)
        return buf;
    eg_date_to_ymd(d, &y, NULL, NULL);
    if (y < 9999)
        eg_date_format(d, buf);
    return buf;
}

/* See cmd_control.h. */
int ctl_parse_time(const eg_cli *cli, const char *opt, const char *text, eg_time *out)
{
    if (text && eg_time_parse(text, out) == EG_OK)
        return 0;
    fprintf(cli->err, "epigrid: --%s: '%s' is not a moment (\"YYYY-MM-DD HH:MM\", CST)\n", opt, text ? text : "");
    return -1;
}

/* See cmd_control.h. */
int ctl_parse_date(const eg_cli *cli, const char *opt, const char *text, eg_date *out)
{
    if (text && eg_date_parse(text, out) == EG_OK)
        return 0;
    fprintf(cli->err, "epigrid: --%s: '%s' is not a date (YYYY-MM-DD)\n", opt, text ? text : "");
    return -1;
}
