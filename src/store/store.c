/*
 * store/store.c: the storage interface, dispatching to a backend.
 *
 * Chooses the backend from the target (a path is SQLite; a postgres:// URL
 * is PostgreSQL, not built yet) and forwards every call through the
 * backend's operations table. The wrappers are generated from the one
 * list of operations (EG_STORE_OPERATIONS, epigrid/store.h): each counts
 * its calls, answers an injected fault, and answers EG_ERR_UNSUPPORTED
 * where the backend lacks the operation.
 */
#include <string.h>
#include <assert.h>
#include "store_impl.h"

/* 1 if `target` names a PostgreSQL database. */
static int is_postgres_url(const char *target)
{
    return strncmp(target, "postgres://", 11) == 0 ||
           strncmp(target, "postgresql://", 13) == 0;
}

eg_err eg_store_open(const char *target, int migrate_to, eg_store **out, eg_diag *d)
{
    eg_err e;
    *out = NULL;
    if (!target || !*target)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "--db", "no database given");
    if (is_postgres_url(target))
        return eg_diag_set(d, EG_ERR_UNSUPPORTED, NULL, 0, "--db",
                           "the PostgreSQL backend is not built yet; use an SQLite file path");
    e = eg_sqlite_open(target, migrate_to, out, d);
    if (!e) {
        assert((*out)->ops && (*out)->ops->name);
        memset((*out)->calls, 0, sizeof (*out)->calls);
        (*out)->fault_op = EG_STORE_OP__COUNT;
        (*out)->tx_depth = 0;
        (*out)->refused = NULL;
    }
    return e;
}

void eg_store_close(eg_store *s)
{
    if (s) {
        eg_store_tx_forget(s);
        s->ops->close(s);
    }
}

int eg_store_schema_version(eg_store *s) { return s->ops->schema_version(s); }
const char *eg_store_backend(const eg_store *s) { return s->ops->name; }
const char *eg_store_errmsg(const eg_store *s) { return s->ops->errmsg(s); }

/* Count a call of `op` and return the injected fault's code when it is due
 * (EG_OK otherwise). */
static eg_err enter(eg_store *s, eg_store_op op)
{
    assert(op < EG_STORE_OP__COUNT);
    s->calls[op]++;
    if (s->fault_op != op)
        return EG_OK;
    if (s->fault_after > 0) {
        s->fault_after--;
        return EG_OK;
    }
    return s->fault_err;
}

/* One wrapper per operation. */
#define EG_STORE_WRAPPER(name, params, args)                     \
    eg_err eg_store_##name params                                \
    {                                                            \
        eg_err fault_ = enter(s, EG_STORE_OP_##name);            \
        if (fault_)                                              \
            return fault_;                                       \
        if (!s->ops->name)                                       \
            return EG_ERR_UNSUPPORTED;                           \
        return s->ops->name args;                                \
    }
EG_STORE_OPERATIONS(EG_STORE_WRAPPER)
#undef EG_STORE_WRAPPER

/* The operations' names, in the list's order. */
#define EG_STORE_OP_NAME(name, params, args) #name,
static const char *const OP_NAMES[EG_STORE_OP__COUNT] = { EG_STORE_OPERATIONS(EG_STORE_OP_NAME) };
#undef EG_STORE_OP_NAME

const char *eg_store_op_name(eg_store_op op)
{
    return (unsigned)op < EG_STORE_OP__COUNT ? OP_NAMES[op] : NULL;
}

eg_store_op eg_store_op_find(const char *name)
{
    for (int i = 0; i < EG_STORE_OP__COUNT; i++)
        if (strcmp(OP_NAMES[i], name) == 0)
            return (eg_store_op)i;
    return EG_STORE_OP__COUNT;
}

unsigned long eg_store_op_calls(const eg_store *s, eg_store_op op)
{
    return (unsigned)op < EG_STORE_OP__COUNT ? s->calls[op] : 0;
}

void eg_store_fault_set(eg_store *s, eg_store_op op, eg_err err, unsigned long after)
{
    s->fault_op = op;
    s->fault_err = err;
    s->fault_after = after;
}

void eg_store_fault_clear(eg_store *s)
{
    s->fault_op = EG_STORE_OP__COUNT;
}
