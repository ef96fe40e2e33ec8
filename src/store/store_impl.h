/*
 * store/store_impl.h: what a storage backend implements.
 *
 * eg_store is a backend handle that starts with `struct eg_store`: a
 * pointer to its table of operations (one member per entry of
 * EG_STORE_OPERATIONS in epigrid/store.h, generated from that list), the
 * per-operation call counts the contract suite reads, and the fault a test
 * may inject. store.c dispatches every public eg_store_* call through the
 * table; a NULL member answers EG_ERR_UNSUPPORTED. A PostgreSQL backend
 * fills in the same table and no service changes.
 */
#ifndef EG_STORE_IMPL_H
#define EG_STORE_IMPL_H

#include "epigrid/store.h"

/* The table of a backend: its name and lifecycle, then every operation. */
typedef struct eg_store_ops {
    const char *name;                             /* "sqlite"; static */
    void (*close)(eg_store *s);                   /* frees the handle */
    int (*schema_version)(eg_store *s);
    const char *(*errmsg)(const eg_store *s);
#define EG_STORE_OP_MEMBER(name, params, args) eg_err (*name) params;
    EG_STORE_OPERATIONS(EG_STORE_OP_MEMBER)
#undef EG_STORE_OP_MEMBER
} eg_store_ops;

/* Every backend handle starts with this (store.c owns the counters and
 * the fault; the backend sets `ops` when it opens). */
struct eg_store {
    const eg_store_ops *ops;
    unsigned long calls[EG_STORE_OP__COUNT];   /* calls per operation */
    eg_store_op fault_op;                      /* EG_STORE_OP__COUNT: none */
    eg_err fault_err;
    unsigned long fault_after;                 /* calls to let through first */
    int tx_depth;                              /* open eg_store_tx levels (tx.c) */
    struct eg_tx_refusal *refused;             /* refusals to record at the end (tx.c) */
};

/* Free the refusals still waiting to be recorded (tx.c; eg_store_close). */
void eg_store_tx_forget(eg_store *s);

/* Backend constructors (see eg_store_open). */
eg_err eg_sqlite_open(const char *path, int migrate_to, eg_store **out, eg_diag *d);

#endif
