/*
 * cli/cmd_juris.c: `epigrid juris show [CODE] [--depth N]` and
 * `epigrid juris add-grid CODE [--name NAME] [--count N]`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "epigrid/juris.h"
#include "epigrid/staff.h"

static void juris_usage(FILE *f)
{
    fputs("usage: epigrid juris show [CODE] [--depth N] [--format table|csv|json|jsonl]\n"
          "       epigrid juris add-grid CODE [--name NAME] [--count N]\n\n"
          "show: the jurisdiction tree (属地管理) from CODE (any form: 220500000000, 220500,\n"
          "  2205; default: every root, such as 通化市 and 梅河口市 beside it) down N levels\n"
          "  (default 1). Each node shows its secretary (书记), its officials and workers\n"
          "  (staff: the node's own and under it), its registered persons (persons_direct:\n"
          "  placed on the node itself; persons: the whole subtree), and how many units of\n"
          "  each level lie under it.\n"
          "add-grid: add N grids (网格, default 1) under a village or community; the grid\n"
          "  codes are the village's 12 digits, '-', and a number.\n"
          "Example: epigrid juris show 220502 --depth 2 --format csv\n", f);
}

static const eg_column COLS[] = {
    { "code", EG_COL_STR }, { "name", EG_COL_STR }, { "level", EG_COL_STR },
    { "parent_code", EG_COL_STR }, { "secretary", EG_COL_STR }, { "staff", EG_COL_INT },
    { "persons_direct", EG_COL_INT }, { "persons", EG_COL_INT }, { "counties", EG_COL_INT },
    { "townships", EG_COL_INT }, { "villages", EG_COL_INT }, { "communities", EG_COL_INT },
    { "village_like", EG_COL_INT }, { "grids", EG_COL_INT },
};
#define NCOLS (sizeof COLS / sizeof COLS[0])

/* Store callback: remember the first secretary of a node. */
static eg_err take_secretary(void *ctx, const eg_staff_rec *r)
{
    char *out = ctx;
    if (strcmp(r->role, "secretary") == 0 && !out[0]) {
        snprintf(out, 128, "%s", r->name);
        return EG_ERR_EOF;   /* stop: found */
    }
    return EG_OK;
}

/* Add node `n` and its descendants down to `depth` more levels. */
static eg_err add_rows(eg_table *t, eg_store *s, const eg_juris_node *n, int depth, int indent,
                       int pretty)
{
    char name[512], sec[128] = "", num[10][24];
    long lv[EG_LEVEL_GRID + 1] = { 0 };
    const char *v[NCOLS];
    eg_err e;
    eg_store_staff_each(s, n->code, take_secretary, sec);
    eg_juris_count_levels(n, lv);
    snprintf(name, sizeof name, "%*s%s", pretty ? indent * 2 : 0, "", n->name);
    snprintf(num[0], 24, "%ld", n->counts.staff_total);
    snprintf(num[1], 24, "%ld", n->counts.persons_direct);
    snprintf(num[2], 24, "%ld", n->counts.persons_total);
    for (int l = EG_LEVEL_COUNTY; l <= EG_LEVEL_GRID; l++)
        snprintf(num[3 + l - EG_LEVEL_COUNTY], 24, "%ld", lv[l]);
    v[0] = n->code; v[1] = name; v[2] = eg_level_name(n->level);
    v[3] = n->parent ? n->parent->code : ""; v[4] = sec;
    for (int i = 0; i < 9; i++)
        v[5 + i] = num[i];
    e = eg_table_add(t, v);
    for (size_t i = 0; !e && depth > 0 && i < n->nchildren; i++)
        e = add_rows(t, s, n->children[i], depth - 1, indent + 1, pretty);
    return e;
}

static int juris_show(eg_cli *cli, eg_store *s, const char *code, int depth)
{
    eg_juris *j = NULL;
    eg_table *t = eg_table_new(COLS, NCOLS);
    eg_err e = t ? eg_juris_load(s, &j) : EG_ERR_NOMEM;
    int pretty = cli->format == EG_FMT_TABLE;
    if (!e)
        e = eg_juris_load_counts(j, s);
    if (!e && code) {
        eg_juris_node *n = eg_juris_find(j, code);
        if (!n) {
            fprintf(cli->err, "epigrid: juris show: %s is not in the jurisdiction tree\n", code);
            eg_juris_free(j);
            eg_table_free(t);
            return EG_EX_NOINPUT;
        }
        e = add_rows(t, s, n, depth, 0, pretty);
    }
    for (size_t i = 0; !e && !code && i < j->nroots; i++)
        e = add_rows(t, s, j->roots[i], depth, 0, pretty);
    if (!e)
        e = eg_table_print(t, cli);
    eg_juris_free(j);
    eg_table_free(t);
    if (e)
        eg_cli_error(cli, e, NULL, "juris show");
    return eg_cli_exit_code(e);
}

static int juris_add_grid(eg_cli *cli, eg_store *s, const char *code, const char *name, int count)
{
    eg_normalizer *norm = NULL;
    eg_juris *j = NULL;
    eg_store_tx tx = { 0 };
    eg_err e = eg_normalizer_new(&norm);
    if (!e)
        e = eg_juris_load(s, &j);
    if (!e)
        e = eg_store_tx_begin(s, &tx);
    for (int i = 0; !e && i < count; i++) {
        char out[EG_CODE_BUFSZ];
        eg_juris_node *p = eg_juris_find(j, code);
        int next = 1;
        for (size_t k = 0; p && k < p->nchildren; k++) {
            const char *dash = strchr(p->children[k]->code, '-');
            if (dash && atoi(dash + 1) >= next)
                next = atoi(dash + 1) + 1;
        }
        e = eg_juris_add_grid(s, norm, j, code, next + i, count == 1 ? name : NULL, 0, out);
        if (!e)
            fprintf(cli->out, "%s\n", out);
    }
    if (tx.s)
        e = eg_store_tx_end(&tx, e);
    eg_juris_free(j);
    eg_normalizer_free(norm);
    if (e == EG_ERR_NOT_FOUND)
        fprintf(cli->err, "epigrid: juris add-grid: %s is not in the jurisdiction tree\n", code);
    else if (e == EG_ERR_INVALID)
        fprintf(cli->err, "epigrid: juris add-grid: %s is not a village, community or "
                "village-like unit; grids go under those\n", code);
    else if (e)
        eg_cli_error(cli, e, NULL, "juris add-grid");
    return eg_cli_exit_code(e);
}

int eg_cmd_juris(eg_cli *cli, int argc, char **argv)
{
    static const struct option OPTS[] = {
        { "depth", required_argument, NULL, 'd' }, { "name", required_argument, NULL, 'n' },
        { "count", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' }, { 0 }
    };
    const char *sub, *code = NULL, *name = NULL;
    int depth = 1, count = 1, c, rc;
    eg_store *s;
    char *end;
    if (argc < 2 || eg_cli_wants_help(argc, argv))
        return juris_usage(argc < 2 ? cli->err : cli->out), argc < 2 ? EG_EX_USAGE : EG_EX_OK;
    sub = argv[1];
    optind = 2;
    while ((c = getopt_long(argc, argv, "", OPTS, NULL)) != -1) {
        if (c == 'd' && (depth = (int)strtol(optarg, &end, 10), !*end && depth >= 0))
            continue;
        if (c == 'c' && (count = (int)strtol(optarg, &end, 10), !*end && count >= 1 && count <= 1000))
            continue;
        if (c == 'n') {
            name = optarg;
            continue;
        }
        fprintf(cli->err, "epigrid: juris: bad option\n");
        return juris_usage(cli->err), EG_EX_USAGE;
    }
    if (optind < argc)
        code = argv[optind++];
    if (optind < argc || (strcmp(sub, "show") && strcmp(sub, "add-grid")) ||
        (!code && strcmp(sub, "add-grid") == 0))
        return juris_usage(cli->err), EG_EX_USAGE;
    int rc_open = eg_cli_open_existing(cli, &s);
    if (rc_open)
        return rc_open;
    rc = strcmp(sub, "show") == 0 ? juris_show(cli, s, code, depth)
                                  : juris_add_grid(cli, s, code, name, count);
    eg_store_close(s);
    return rc;
}
