/*
 * epigrid/juris.h: the jurisdiction tree (属地管理: city → county →
 * township → village/community → grid) and its import.
 *
 * The tree is built in memory from the store's divisions. A node's parent
 * is its `administered_by` unit when that is set, else its `parent_code`;
 * when that parent is not in the store the node is a root. So Meihekou
 * (220581, administered by the province 220000, which the city's file does
 * not hold) is a root beside Tonghua (2205), not inside it
 * (spec/formats.md, divisions.csv).
 *
 * Counts roll up the tree: every node holds its own items (`direct`) apart
 * from its descendants' (`total` = direct + the children's totals).
 */
#ifndef EPIGRID_JURIS_H
#define EPIGRID_JURIS_H

#include <stddef.h>
#include "epigrid/code.h"
#include "epigrid/error.h"
#include "epigrid/import.h"
#include "epigrid/store.h"
#include "epigrid/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counters kept per node: direct (this node's own) and total (subtree). */
typedef struct eg_juris_counts {
    long persons_direct, persons_total;
    long staff_direct, staff_total;
} eg_juris_counts;

/* One node. Owned by its eg_juris; never free it alone. */
typedef struct eg_juris_node {
    char code[EG_CODE_BUFSZ];     /* short form */
    char *name;                   /* as stored */
    eg_level level;
    int synthetic;
    struct eg_juris_node *parent; /* NULL for a root */
    struct eg_juris_node **children; /* nchildren pointers, ordered by code */
    size_t nchildren;
    size_t cap_children;
    eg_juris_counts counts;       /* filled by eg_juris_load_counts */
} eg_juris_node;

/* The tree. */
typedef struct eg_juris {
    eg_juris_node *nodes;   /* n nodes, ordered by code (for eg_juris_find) */
    size_t n;
    eg_juris_node **roots;  /* nroots pointers, ordered by code */
    size_t nroots;
} eg_juris;

/* Build the tree from the store's divisions. *out is owned by the caller
 * (eg_juris_free). Returns EG_OK, EG_ERR_NOMEM or EG_ERR_DB. */
eg_err eg_juris_load(eg_store *s, eg_juris **out);

/* Free a tree (NULL is fine). */
void eg_juris_free(eg_juris *j);

/* The node with code `code` (any accepted form: 12-digit, short, grid);
 * NULL when the code is invalid or not in the tree. */
eg_juris_node *eg_juris_find(const eg_juris *j, const char *code);

/* The deepest node that contains `code`: the node itself, else its nearest
 * ancestor by the code (a village not in the tree → its township). NULL
 * when no ancestor is in the tree or the code is invalid. */
eg_juris_node *eg_juris_deepest(const eg_juris *j, const char *code);

/* 1 if `node` is `anc` or lies below it in the tree (by the tree's
 * parents, so administered_by is honoured), else 0. */
int eg_juris_is_within(const eg_juris_node *node, const eg_juris_node *anc);

/* Count the nodes strictly below `n` by level: out[level] for every
 * eg_level (the array has EG_LEVEL_GRID + 1 entries; index 0 unused). */
void eg_juris_count_levels(const eg_juris_node *n, long out[EG_LEVEL_GRID + 1]);

/* Fill every node's counts from the store (persons and staff per node,
 * rolled up). Returns EG_OK or EG_ERR_DB. */
eg_err eg_juris_load_counts(eg_juris *j, eg_store *s);

/*
 * Import divisions.csv (`code,name,level,parent_code[,administered_by]
 * [,unit_type]`) into the store, in one transaction. The level is decided
 * by the code; a `level` that disagrees is a warning. Grids (codes
 * `VILLAGE-N`) are accepted when their village is in the store or the
 * file. `norm` is a normaliser for name matching.
 * Returns EG_OK (rows may have been rejected: see res), or for a file
 * refused as a whole EG_ERR_IO (cannot read), EG_ERR_ENCODING (not UTF-8),
 * EG_ERR_MISSING_COLUMN, EG_ERR_PARSE (no header); or EG_ERR_DB. `d` says
 * why a file was refused.
 */
eg_err eg_juris_import(eg_store *s, eg_normalizer *norm, const char *path,
                       const eg_import_opts *o, eg_import_result *res, eg_diag *d);

/*
 * Add a grid under village-level node `parent_code` (village, community or
 * village_like). The grid's code is the parent's 12 digits, '-', and
 * `number` (1..999999), or when `number` is 0 the next free number after
 * the grids the tree `j` holds under that parent; written into code_out
 * (EG_CODE_BUFSZ). An existing grid of that code is renamed.
 * `name` may be NULL (then "第N网格"). Not in a transaction of its own:
 * callers that add many wrap them. Returns EG_OK, EG_ERR_NOT_FOUND (no
 * such parent), EG_ERR_INVALID (parent is not village-level), EG_ERR_DB.
 * The tree `j` is not updated; reload it.
 */
eg_err eg_juris_add_grid(eg_store *s, eg_normalizer *norm, const eg_juris *j,
                         const char *parent_code, int number, const char *name,
                         int synthetic, char *code_out);

#ifdef __cplusplus
}
#endif
#endif
