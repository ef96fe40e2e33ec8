/*
 * store/server_ops.h: the operations a backend implements for the
 * server (users, sessions) module. The module's owner adds function pointers
 * here, their public wrappers in src/store/server.c and the SQLite versions in
 * src/store/sqlite_server.c (schema version 6, statement slots
 * EG_SQ_EXT_SERVER..).
 */
#ifndef EG_STORE_SERVER_OPS_H
#define EG_STORE_SERVER_OPS_H

#include "store_impl.h"

struct eg_server_ops {
    int reserved;   /* placeholder until the module adds its operations */
};

#endif
