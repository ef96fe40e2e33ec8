/*
 * store/sqlite_server.c: the SQLite side of the server module: its schema
 * migration (version 6) and operations. Placeholder until the module
 * lands: the migration creates nothing.
 */
#include "sqlite_internal.h"
#include "server_ops.h"

const char *const EG_SQ_MIGRATION_6[] = { NULL };

const struct eg_server_ops EG_SQ_SERVER_OPS = { 0 };
