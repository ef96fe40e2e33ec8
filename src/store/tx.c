/*
 * store/tx.c: the one transaction rule (epigrid/store.h, "transactions").
 *
 * Every service opens and closes its transaction here. The handle counts
 * the open levels: the first begins a transaction, a deeper one sets a
 * savepoint, so a service called inside another's transaction (or inside
 * the server's batch) joins it. Refused attempts wait on the handle, in
 * copies, until the outermost level ends, and are then written with its
 * commit or, after a rollback, in a transaction of their own. Uses only
 * the public operations, so it serves every backend alike.
 */
#include <stdlib.h>
#include <string.h>
#include <assert.h>
#include "store_impl.h"

/* A refused attempt waiting to be recorded: the record and its strings. */
struct eg_tx_refusal {
    struct eg_tx_refusal *next;
    eg_audit_rec rec;
    char text[];            /* actor, action, person_pid, detail, each NUL-ended */
};

/* See epigrid/store.h. */
int eg_store_tx_depth(const eg_store *s)
{
    return s->tx_depth;
}

/* See epigrid/store.h. */
eg_err eg_store_tx_begin(eg_store *s, eg_store_tx *tx)
{
    eg_err e;
    tx->s = NULL;
    tx->nested = s->tx_depth > 0;
    e = tx->nested ? eg_store_savepoint(s) : eg_store_begin(s);
    if (e)
        return e;
    tx->s = s;
    s->tx_depth++;
    return EG_OK;
}

/* See epigrid/store.h. */
eg_err eg_store_tx_audit(eg_store_tx *tx, const eg_audit_rec *r)
{
    assert(tx->s);
    return eg_store_audit_add(tx->s, r);
}

/* Take the refusals waiting on `s` (oldest first), leaving none. */
static struct eg_tx_refusal *take_refused(eg_store *s)
{
    struct eg_tx_refusal *list = s->refused, *rev = NULL;
    s->refused = NULL;
    while (list) {          /* kept newest first: reverse */
        struct eg_tx_refusal *next = list->next;
        list->next = rev;
        rev = list;
        list = next;
    }
    return rev;
}

/* Write the records of `list` in the open transaction; stops at the first
 * error and returns it (EG_OK when all were written). */
static eg_err write_refused(eg_store *s, const struct eg_tx_refusal *list)
{
    eg_err e = EG_OK;
    for (; list && !e; list = list->next)
        e = eg_store_audit_add(s, &list->rec);
    return e;
}

/* Free `list`. */
static void free_refused(struct eg_tx_refusal *list)
{
    while (list) {
        struct eg_tx_refusal *next = list->next;
        free(list);
        list = next;
    }
}

/* Write `list` in a transaction of its own (no transaction is open) and
 * free it. Returns EG_OK or the store's error (nothing written then). */
static eg_err record_alone(eg_store *s, struct eg_tx_refusal *list)
{
    eg_err e = EG_OK;
    if (list && !(e = eg_store_begin(s))) {
        if (!(e = write_refused(s, list)))
            e = eg_store_commit(s);
        if (e)
            eg_store_rollback(s);
    }
    free_refused(list);
    return e;
}

/* See epigrid/store.h. */
eg_err eg_store_tx_end(eg_store_tx *tx, eg_err e)
{
    eg_store *s = tx->s;
    struct eg_tx_refusal *list;
    assert(s && s->tx_depth > 0);
    tx->s = NULL;
    s->tx_depth--;
    if (tx->nested) {
        if (!e)
            e = eg_store_savepoint_release(s);
        if (e)
            eg_store_savepoint_rollback(s);
        return e;
    }
    /* the refusals commit with the change; after a rollback, alone */
    list = take_refused(s);
    if (!e)
        e = write_refused(s, list);
    if (!e)
        e = eg_store_commit(s);
    if (!e) {
        free_refused(list);
        return EG_OK;
    }
    eg_store_rollback(s);
    record_alone(s, list);  /* its failure is secondary: e is what the caller reports */
    return e;
}

/* See epigrid/store.h. */
eg_err eg_store_tx_run(eg_store *s, eg_store_tx_fn fn, void *ctx)
{
    eg_store_tx tx;
    eg_err e = eg_store_tx_begin(s, &tx);
    if (e)
        return e;
    return eg_store_tx_end(&tx, fn(s, ctx));
}

/* Length of `t` plus its NUL ("" for NULL). */
static size_t text_size(const char *t)
{
    return (t ? strlen(t) : 0) + 1;
}

/* Copy `t` ("" for NULL) to *at and advance it; returns the copy. */
static const char *text_copy(char **at, const char *t)
{
    char *c = *at;
    size_t n = text_size(t);
    memcpy(c, t ? t : "", n);
    *at += n;
    return c;
}

/* See epigrid/store.h. */
eg_err eg_store_tx_refused(eg_store *s, const eg_audit_rec *r)
{
    size_t n = text_size(r->actor) + text_size(r->action) + text_size(r->person_pid) + text_size(r->detail);
    struct eg_tx_refusal *f = malloc(sizeof *f + n);
    char *at;
    if (!f)
        return EG_ERR_NOMEM;
    at = f->text;
    f->rec = *r;
    f->rec.actor = text_copy(&at, r->actor);
    f->rec.action = text_copy(&at, r->action);
    f->rec.person_pid = text_copy(&at, r->person_pid);
    f->rec.detail = text_copy(&at, r->detail);
    f->next = NULL;
    if (s->tx_depth == 0)
        return record_alone(s, f);
    f->next = s->refused;
    s->refused = f;
    return EG_OK;
}

/* See store_impl.h. */
void eg_store_tx_forget(eg_store *s)
{
    free_refused(s->refused);
    s->refused = NULL;
}
