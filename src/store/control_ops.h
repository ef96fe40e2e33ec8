/*
 * store/control_ops.h: the operations a backend implements for the
 * control-measures module. The module's owner adds function pointers
 * here, their public wrappers in src/store/control.c and the SQLite versions in
 * src/store/sqlite_control.c (schema version 5, statement slots
 * EG_SQ_EXT_CONTROL..).
 */
#ifndef EG_STORE_CONTROL_OPS_H
#define EG_STORE_CONTROL_OPS_H

#include "store_impl.h"

struct eg_control_ops {
    int reserved;   /* placeholder until the module adds its operations */
};

#endif
