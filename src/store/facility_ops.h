/*
 * store/facility_ops.h: the operations a backend implements for the
 * facilities, checkpoints and daily-report module. The module's owner adds
 * function pointers here, their public wrappers in src/store/facility.c and
 * the SQLite versions in src/store/sqlite_facility.c (schema version 7,
 * statement slots EG_SQ_EXT_FACILITY.. and EG_SQ_EXT_REPORT..).
 */
#ifndef EG_STORE_FACILITY_OPS_H
#define EG_STORE_FACILITY_OPS_H

#include "store_impl.h"

struct eg_facility_ops {
    int reserved;   /* placeholder until the module adds its operations */
};

#endif
