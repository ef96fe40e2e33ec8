/*
 * cli/cmd_control.h: what the control-measures commands share (control,
 * test, reading, team, alert, task, daily): a small option parser, the
 * store and parameters, masking and auditing of personal data.
 */
#ifndef EG_CMD_CONTROL_H
#define EG_CMD_CONTROL_H

#include "cli.h"
#include "epigrid/control.h"

#define CTL_MAX_ARGS 16

/* Parsed arguments: positionals and --key value / --flag options. */
typedef struct ctl_args {
    const char *pos[CTL_MAX_ARGS];
    int npos;
    const char *key[CTL_MAX_ARGS];
    const char *val[CTL_MAX_ARGS];   /* "1" for flags */
    int nopt;
} ctl_args;

/* Parse argv[start..]: `flags` and `opts` are NULL-terminated lists of the
 * accepted flag and option names (without "--"). Prints an error and
 * returns -1 on an unknown option or a missing value. */
int ctl_parse(const eg_cli *cli, int argc, char **argv, int start, const char *const *flags,
              const char *const *opts, ctl_args *a);
/* The value of option `key`, or NULL. */
const char *ctl_opt(const ctl_args *a, const char *key);

/* Open the existing store and load the control parameters. Returns a
 * sysexits code. */
int ctl_open(eg_cli *cli, eg_store **s, eg_control_params *p);

/* Print the error of a failed call and return its sysexits code. */
int ctl_fail(const eg_cli *cli, eg_err e, const eg_diag *d, const char *context);

/* The identity number for display: masked unless `reveal`; when
 * revealed, the read is audited (action, detail). Writes into buf
 * (EG_CTL_DOC_BUFSZ). */
const char *ctl_show_id(const eg_cli *cli, eg_store *s, const char *id_no, int reveal, const char *action,
                        const char *detail, char *buf);

/* Append an audit record for a read of `id_no`'s unmasked data. */
void ctl_audit(const eg_cli *cli, eg_store *s, const char *id_no, const char *action, const char *detail);

/* Format a moment (0: "") or a date (EG_NO_DATE or the open end: ""). */
const char *ctl_time(eg_time t, char *buf);
const char *ctl_date(eg_date d, char *buf);

/* Parse `--now`-style moment text or a date, with an error message. */
int ctl_parse_time(const eg_cli *cli, const char *opt, const char *text, eg_time *out);
int ctl_parse_date(const eg_cli *cli, const char *opt, const char *text, eg_date *out);

#endif
