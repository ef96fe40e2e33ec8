/*
 * store/sqlite_facility.c: the SQLite side of the facilities, checkpoints and
 * daily-report module: its schema migration (version 7) and operations.
 * Placeholder until the module lands: the migration creates nothing.
 */
#include "sqlite_internal.h"
#include "facility_ops.h"

const char *const EG_SQ_MIGRATION_7[] = { NULL };

const struct eg_facility_ops EG_SQ_FACILITY_OPS = { 0 };
