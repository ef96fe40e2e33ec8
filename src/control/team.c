/*
 * control/team.c: four-person teams (四人一专班): a township or street
 * cadre, a village or community cadre, a police officer and a doctor for
 * every person under control, proposed from the staff of the person's
 * division (walking up the tree by the codes: grid → village → township
 * → county → city), the least loaded first, and confirmed by a user.
 */
#include <stdlib.h>
#include "epigrid/array.h"
#include "internal.h"

/* One staff member who may serve on teams. */
typedef struct worker {
    char id[EG_CTL_WORD_BUFSZ];
    char juris[EG_CODE_BUFSZ];
    int role;          /* index in eg_control_team_roles */
    long load;         /* running orders */
} worker;

/* Staff and orders of one proposal run. */
typedef struct pool {
    worker *w;
    size_t n, cap;
    worker **by_id;    /* sorted by id for load look-ups */
    int64_t *orders;   /* orders to complete */
    char (*ojuris)[EG_CODE_BUFSZ];
    size_t norders, cap_orders;
} pool;

/* Role index of a name, -1 when not a team role. */
static int role_index(const char *name)
{
    size_t n;
    const char *const *r = eg_control_team_roles(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i], name) == 0)
            return (int)i;
    return -1;
}

static eg_err take_staff(void *ctx, const eg_staff_rec *r)
{
    pool *p = ctx;
    int role = role_index(r->role);
    if (role < 0)
        return EG_OK;
    if (p->n == p->cap &&
        eg_array_grow(&p->w, p->n, &p->cap, sizeof *p->w))
        return EG_ERR_NOMEM;
    worker *w = &p->w[p->n++];
    CTL_COPY(w->id, r->staff_id);
    CTL_COPY(w->juris, r->juris_code);
    w->role = role;
    w->load = 0;
    return EG_OK;
}

/* Order workers by division, role, id. */
static int cmp_worker(const void *a, const void *b)
{
    const worker *x = a, *y = b;
    int c = strcmp(x->juris, y->juris);
    if (c)
        return c;
    if (x->role != y->role)
        return x->role - y->role;
    return strcmp(x->id, y->id);
}

static int cmp_by_id(const void *a, const void *b)
{
    return strcmp((*(worker *const *)a)->id, (*(worker *const *)b)->id);
}

/* The worker with id `id`, or NULL. */
static worker *find_id(const pool *p, const char *id)
{
    worker key, *kp = &key, **hit;
    CTL_COPY(key.id, id);
    hit = bsearch(&kp, p->by_id, p->n, sizeof *p->by_id, cmp_by_id);
    return hit ? *hit : NULL;
}

static eg_err take_load(void *ctx, const char *staff_id, long n)
{
    worker *w = find_id(ctx, staff_id);
    if (w)
        w->load = n;
    return EG_OK;
}

/* Load the team-role staff and their loads. */
static eg_err pool_load(eg_store *s, pool *p)
{
    eg_err e = eg_store_staff_each(s, NULL, take_staff, p);
    if (e)
        return e;
    qsort(p->w, p->n, sizeof *p->w, cmp_worker);
    p->by_id = malloc((p->n ? p->n : 1) * sizeof *p->by_id);
    if (!p->by_id)
        return EG_ERR_NOMEM;
    for (size_t i = 0; i < p->n; i++)
        p->by_id[i] = &p->w[i];
    qsort(p->by_id, p->n, sizeof *p->by_id, cmp_by_id);
    return eg_store_ctl_load_each(s, take_load, p);
}

static void pool_free(pool *p)
{
    free(p->w);
    free(p->by_id);
    free(p->orders);
    free(p->ojuris);
}

/* The least loaded worker of `role` at division `juris`, or NULL. */
static worker *pick_at(pool *p, const char *juris, int role)
{
    worker key;
    size_t lo = 0, hi = p->n;
    CTL_COPY(key.juris, juris);
    key.role = role;
    key.id[0] = 0;
    while (lo < hi) {   /* first worker >= (juris, role, "") */
        size_t mid = (lo + hi) / 2;
        if (cmp_worker(&p->w[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    worker *best = NULL;
    for (size_t i = lo; i < p->n && p->w[i].role == role && strcmp(p->w[i].juris, juris) == 0; i++)
        if (!best || p->w[i].load < best->load)
            best = &p->w[i];
    return best;
}

/* The least loaded worker of `role` at `juris` or the nearest division
 * above it. */
static worker *pick(pool *p, const char *juris, int role)
{
    char code[EG_CODE_BUFSZ], up[EG_CODE_BUFSZ];
    CTL_COPY(code, juris);
    for (;;) {
        worker *w = pick_at(p, code, role);
        if (w)
            return w;
        if (eg_code_parent(code, up))
            return NULL;
        CTL_COPY(code, up);
    }
}

static eg_err take_order(void *ctx, const eg_ctl_order *o)
{
    pool *p = ctx;
    if (p->norders == p->cap_orders) {
        size_t cap = p->cap_orders ? p->cap_orders * 2 : 256;
        int64_t *ids = realloc(p->orders, cap * sizeof *ids);
        if (!ids)
            return EG_ERR_NOMEM;
        p->orders = ids;
        char (*j)[EG_CODE_BUFSZ] = realloc(p->ojuris, cap * sizeof *j);
        if (!j)
            return EG_ERR_NOMEM;
        p->ojuris = j;
        p->cap_orders = cap;
    }
    p->orders[p->norders] = o->id;
    CTL_COPY(p->ojuris[p->norders], o->juris_code);
    p->norders++;
    return EG_OK;
}

/* Roles already filled of one order (bit per role). */
static eg_err note_role(void *ctx, const eg_ctl_member *m)
{
    int r = role_index(m->role);
    if (r >= 0)
        *(unsigned *)ctx |= 1u << r;
    return EG_OK;
}

/* Propose the missing members of the collected orders. */
static eg_err propose_all(eg_store *s, pool *p, eg_time now, long *proposed, long *short_roles)
{
    size_t nroles;
    const char *const *roles = eg_control_team_roles(&nroles);
    eg_err e = EG_OK;
    for (size_t i = 0; !e && i < p->norders; i++) {
        unsigned have = 0;
        if ((e = eg_store_ctl_member_each(s, p->orders[i], note_role, &have)))
            break;
        for (size_t r = 0; !e && r < nroles; r++) {
            if (have & (1u << r))
                continue;
            worker *w = pick(p, p->ojuris[i], (int)r);
            if (!w) {
                (*short_roles)++;
                continue;
            }
            eg_ctl_member m;
            memset(&m, 0, sizeof m);
            m.order_id = p->orders[i];
            CTL_COPY(m.role, roles[r]);
            CTL_COPY(m.staff_id, w->id);
            CTL_COPY(m.state, "proposed");
            m.proposed_at = now;
            if (!(e = eg_store_ctl_member_put(s, &m))) {
                w->load++;
                (*proposed)++;
            }
        }
    }
    return e;
}

/* Run `body` over the orders selected by oid (one) or all short ones, in
 * one transaction. */
static eg_err collect(eg_store *s, const char *oid, int confirmed_only, pool *p, eg_diag *d)
{
    eg_ctl_order o;
    eg_err e;
    if (oid) {
        if ((e = ctl_find_order(s, oid, &o, d)))
            return e;
        if (!eg_control_is_running(o.state))
            return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "the order is %s/%s: teams serve running "
                               "orders only", o.measure, o.state);
        return take_order(p, &o);
    }
    return eg_store_ctl_order_short_team(s, 4, confirmed_only ? "confirmed" : "", take_order, p);
}

/* See epigrid/control.h. */
eg_err eg_control_team_propose(eg_store *s, const char *oid, eg_time now, long *proposed, long *short_roles,
                               eg_diag *d)
{
    pool p = { 0 };
    long np = 0, ns = 0;
    eg_store_tx tx;
    eg_err e = eg_store_tx_begin(s, &tx);
    if (e)
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    e = collect(s, oid, 0, &p, d);
    if (!e)
        e = pool_load(s, &p);
    if (!e)
        e = propose_all(s, &p, now, &np, &ns);
    e = eg_store_tx_end(&tx, e);
    pool_free(&p);
    if (proposed)
        *proposed = np;
    if (short_roles)
        *short_roles = ns;
    return e;
}

/* Members to confirm. */
typedef struct confirm_ctx {
    eg_ctl_member m[8];
    size_t n;
} confirm_ctx;

static eg_err take_member(void *ctx, const eg_ctl_member *m)
{
    confirm_ctx *c = ctx;
    if (c->n < 8 && strcmp(m->state, "proposed") == 0)
        c->m[c->n++] = *m;
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_team_confirm(eg_store *s, const char *oid, const char *actor, eg_time now, long *n,
                               eg_diag *d)
{
    pool p = { 0 };
    long k = 0;
    eg_store_tx tx;
    eg_err e = eg_store_tx_begin(s, &tx);
    if (e)
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    e = collect(s, oid, 1, &p, d);
    for (size_t i = 0; !e && i < p.norders; i++) {
        confirm_ctx c = { .n = 0 };
        if ((e = eg_store_ctl_member_each(s, p.orders[i], take_member, &c)))
            break;
        for (size_t j = 0; !e && j < c.n; j++) {
            CTL_COPY(c.m[j].state, "confirmed");
            c.m[j].confirmed_at = now;
            CTL_COPY(c.m[j].confirmed_by, actor);
            if (!(e = eg_store_ctl_member_put(s, &c.m[j])))
                k++;
        }
    }
    e = eg_store_tx_end(&tx, e);
    pool_free(&p);
    if (n)
        *n = k;
    return e;
}

/* See epigrid/control.h. */
eg_err eg_control_team_set(eg_store *s, const char *oid, const char *role, const char *staff_id,
                           const char *actor, eg_time now, eg_diag *d)
{
    pool p = { 0 };
    eg_ctl_order o;
    int r = role ? role_index(role) : -1;
    worker *w;
    eg_err e;
    if (r < 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "role", "'%s' is not a team role (township_cadre, "
                           "village_cadre, police, doctor)", role ? role : "");
    if ((e = ctl_find_order(s, oid, &o, d)))
        return e;
    if (!eg_control_is_running(o.state))
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "the order is %s/%s: teams serve running orders "
                           "only", o.measure, o.state);
    if ((e = pool_load(s, &p))) {
        pool_free(&p);
        return e;
    }
    w = find_id(&p, staff_id ? staff_id : "");
    if (!w || w->role != r) {
        e = eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "staff", "%s is not a staff member with the role %s",
                        staff_id ? staff_id : "", role);
        pool_free(&p);
        return e;
    }
    pool_free(&p);
    eg_ctl_member m;
    memset(&m, 0, sizeof m);
    m.order_id = o.id;
    CTL_COPY(m.role, role);
    CTL_COPY(m.staff_id, staff_id);
    CTL_COPY(m.state, "confirmed");
    m.proposed_at = m.confirmed_at = now;
    CTL_COPY(m.confirmed_by, actor);
    return eg_store_ctl_member_put(s, &m);
}
