/*
 * store/sqlite_control.c: the SQLite side of the control module: its schema
 * migration (version 5) and operations. Placeholder until the module
 * lands: the migration creates nothing.
 */
#include "sqlite_internal.h"
#include "control_ops.h"

const char *const EG_SQ_MIGRATION_5[] = { NULL };

const struct eg_control_ops EG_SQ_CONTROL_OPS = { 0 };
