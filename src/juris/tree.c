/*
 * juris/tree.c: the jurisdiction tree in memory, built from the store.
 *
 * Nodes live in one array ordered by short code, so a code is found by
 * binary search (bsearch(3)); children are pointer arrays ordered by code.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "epigrid/juris.h"

/* State while reading divisions from the store. */
typedef struct load_ctx {
    eg_juris *j;
    char (*parent)[EG_CODE_BUFSZ];  /* effective parent code per node */
    size_t cap;
    eg_err err;
} load_ctx;

/* Store callback: append one division as a node. */
static eg_err add_division(void *ctx, const eg_division_rec *r)
{
    load_ctx *c = ctx;
    eg_juris *j = c->j;
    eg_juris_node *n;
    if (j->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        void *nodes = realloc(j->nodes, cap * sizeof *j->nodes);
        void *par;
        if (!nodes)
            return EG_ERR_NOMEM;
        j->nodes = nodes;
        par = realloc(c->parent, cap * sizeof *c->parent);
        if (!par)
            return EG_ERR_NOMEM;
        c->parent = par;
        c->cap = cap;
    }
    n = &j->nodes[j->n];
    memset(n, 0, sizeof *n);
    snprintf(n->code, sizeof n->code, "%s", r->code);
    n->name = strdup(r->name);
    if (!n->name)
        return EG_ERR_NOMEM;
    n->level = r->level;
    n->synthetic = r->synthetic;
    snprintf(c->parent[j->n], EG_CODE_BUFSZ, "%s",
             r->administered_by[0] ? r->administered_by : r->parent_code);
    j->n++;
    return EG_OK;
}

/* bsearch comparator: key is a code string, element a node. */
static int cmp_code_node(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const eg_juris_node *)elem)->code);
}

/* Append `child` to the pointer array *arr (n, cap). */
static eg_err push_node(eg_juris_node ***arr, size_t *n, size_t *cap, eg_juris_node *child)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        eg_juris_node **p = realloc(*arr, nc * sizeof *p);
        if (!p)
            return EG_ERR_NOMEM;
        *arr = p;
        *cap = nc;
    }
    (*arr)[(*n)++] = child;
    return EG_OK;
}

/* Link every node to its parent (or make it a root). Nodes are visited
 * in code order, so children and roots come out ordered by code. */
static eg_err link_nodes(eg_juris *j, char (*parent)[EG_CODE_BUFSZ])
{
    size_t roots_cap = 0;
    for (size_t i = 0; i < j->n; i++) {
        eg_juris_node *n = &j->nodes[i];
        eg_juris_node *p = NULL;
        eg_err e;
        if (parent[i][0] && strcmp(parent[i], n->code) != 0)
            p = bsearch(parent[i], j->nodes, j->n, sizeof *j->nodes, cmp_code_node);
        if (p) {
            n->parent = p;
            e = push_node(&p->children, &p->nchildren, &p->cap_children, n);
        } else {
            e = push_node(&j->roots, &j->nroots, &roots_cap, n);
        }
        if (e)
            return e;
    }
    return EG_OK;
}

/* Refuse cycles made by administered_by: every node must reach a root. */
static int has_cycle(const eg_juris *j)
{
    for (size_t i = 0; i < j->n; i++) {
        const eg_juris_node *n = &j->nodes[i];
        size_t steps = 0;
        while (n->parent) {
            n = n->parent;
            if (++steps > j->n)
                return 1;
        }
    }
    return 0;
}

eg_err eg_juris_load(eg_store *s, eg_juris **out)
{
    load_ctx c = { 0 };
    eg_err e;
    *out = NULL;
    c.j = calloc(1, sizeof *c.j);
    if (!c.j)
        return EG_ERR_NOMEM;
    e = eg_store_division_each(s, add_division, &c);
    if (!e)
        e = link_nodes(c.j, c.parent);
    if (!e && has_cycle(c.j))
        e = EG_ERR_INVALID;
    free(c.parent);
    if (e) {
        eg_juris_free(c.j);
        return e;
    }
    *out = c.j;
    return EG_OK;
}

void eg_juris_free(eg_juris *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++) {
        free(j->nodes[i].name);
        free(j->nodes[i].children);
    }
    free(j->nodes);
    free(j->roots);
    free(j);
}

eg_juris_node *eg_juris_find(const eg_juris *j, const char *code)
{
    char sc[EG_CODE_BUFSZ];
    if (!code || eg_code_short(code, sc))
        return NULL;
    return bsearch(sc, j->nodes, j->n, sizeof *j->nodes, cmp_code_node);
}

eg_juris_node *eg_juris_deepest(const eg_juris *j, const char *code)
{
    char sc[EG_CODE_BUFSZ], up[EG_CODE_BUFSZ];
    eg_juris_node *n;
    if (!code || eg_code_short(code, sc))
        return NULL;
    for (;;) {
        n = bsearch(sc, j->nodes, j->n, sizeof *j->nodes, cmp_code_node);
        if (n)
            return n;
        if (eg_code_parent(sc, up))
            return NULL;
        memcpy(sc, up, sizeof sc);
    }
}

int eg_juris_is_within(const eg_juris_node *node, const eg_juris_node *anc)
{
    for (; node; node = node->parent)
        if (node == anc)
            return 1;
    return 0;
}

void eg_juris_count_levels(const eg_juris_node *n, long out[EG_LEVEL_GRID + 1])
{
    for (size_t i = 0; i < n->nchildren; i++) {
        const eg_juris_node *c = n->children[i];
        assert(c->level >= EG_LEVEL_PROVINCE && c->level <= EG_LEVEL_GRID);
        out[c->level]++;
        eg_juris_count_levels(c, out);
    }
}

/* Which counter a count callback fills. */
typedef struct count_ctx {
    eg_juris *j;
    int staff;          /* 1: staff, 0: persons */
    long unplaced;      /* items whose node is not in the tree */
} count_ctx;

/* Store callback: add n items directly to the node of `code`. */
static eg_err add_direct(void *ctx, const char *code, long n)
{
    count_ctx *c = ctx;
    eg_juris_node *node = bsearch(code, c->j->nodes, c->j->n, sizeof *c->j->nodes, cmp_code_node);
    if (!node) {
        c->unplaced += n;
        return EG_OK;
    }
    if (c->staff)
        node->counts.staff_direct += n;
    else
        node->counts.persons_direct += n;
    return EG_OK;
}

/* Roll direct counts up: total = direct + children's totals. */
static void roll_up(eg_juris_node *n)
{
    n->counts.persons_total = n->counts.persons_direct;
    n->counts.staff_total = n->counts.staff_direct;
    for (size_t i = 0; i < n->nchildren; i++) {
        roll_up(n->children[i]);
        n->counts.persons_total += n->children[i]->counts.persons_total;
        n->counts.staff_total += n->children[i]->counts.staff_total;
    }
}

eg_err eg_juris_load_counts(eg_juris *j, eg_store *s)
{
    count_ctx c = { .j = j };
    eg_err e;
    for (size_t i = 0; i < j->n; i++)
        memset(&j->nodes[i].counts, 0, sizeof j->nodes[i].counts);
    e = eg_store_person_count_by_juris(s, add_direct, &c);
    c.staff = 1;
    if (!e)
        e = eg_store_staff_count_by_juris(s, add_direct, &c);
    if (e)
        return e;
    for (size_t i = 0; i < j->nroots; i++)
        roll_up(j->roots[i]);
    return EG_OK;
}
