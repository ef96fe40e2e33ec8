/*
 * epigrid/code.h: administrative division codes.
 *
 * Official codes of the National Bureau of Statistics (统计用区划代码):
 * 2 digits province, 4 prefecture city, 6 county-level unit, 9 township,
 * 12 village-level unit. Everywhere a code is accepted it is first reduced
 * to its short form by dropping trailing zero groups (12→9→6→4→2 digits):
 * `220500000000`, `220500` and `2205` are all Tonghua (spec/formats.md).
 * Grids, made by the system, are a 12-digit village code, `-`, and a grid
 * number: `220502001001-3`.
 */
#ifndef EPIGRID_CODE_H
#define EPIGRID_CODE_H

#include <stddef.h>
#include "epigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest short form plus NUL: 12 digits, '-', up to 6 digits of grid. */
#define EG_CODE_BUFSZ 24

/* Levels of the jurisdiction tree, from the top. */
typedef enum eg_level {
    EG_LEVEL_PROVINCE = 1,
    EG_LEVEL_CITY,
    EG_LEVEL_COUNTY,
    EG_LEVEL_TOWNSHIP,
    EG_LEVEL_VILLAGE,      /* 村委会: villagers' committee, kind 200-399 */
    EG_LEVEL_COMMUNITY,    /* 居委会: residents' committee, kind 001-199 */
    EG_LEVEL_VILLAGE_LIKE, /* 类似村/居委会: state farms and similar, 400-599 */
    EG_LEVEL_GRID          /* 网格: made by the system under a village/community */
} eg_level;

/* Name of a level as used in files and the API ("county", "village_like").
 * Static; "unknown" for out-of-range values. */
const char *eg_level_name(eg_level l);

/* Chinese name of a level (市, 县级, 乡级, 村, 社区, 类似村, 网格). Static. */
const char *eg_level_name_zh(eg_level l);

/* Parse a level name. Returns EG_OK or EG_ERR_INVALID. */
eg_err eg_level_parse(const char *s, eg_level *out);

/*
 * Reduce a code to its short form. Accepts 2, 4, 6, 9 or 12 digits, or a
 * grid code (12 digits, '-', 1..6 digits); blanks around are trimmed.
 * Writes the short form into out (at least EG_CODE_BUFSZ bytes): trailing
 * zero groups are dropped (000 for 12→9 and 9→6, 00 for 6→4 and 4→2), but
 * never below 2 digits. A grid code keeps its 12-digit village part.
 * Returns EG_OK, or EG_ERR_INVALID for anything else (wrong length,
 * non-digits, "00").
 */
eg_err eg_code_short(const char *in, char *out);

/* Level implied by a short code's length and, for 12 digits, by its last
 * three digits (001-199 community, 200-399 village, 400-599 village_like).
 * Precondition: `shortcode` came from eg_code_short. Returns EG_OK or
 * EG_ERR_INVALID (a 12-digit kind of 000 or 600-999). */
eg_err eg_code_level(const char *shortcode, eg_level *out);

/* Pad a short code back to 12 digits (grid codes are returned unchanged).
 * out: at least EG_CODE_BUFSZ bytes. Returns EG_OK or EG_ERR_INVALID. */
eg_err eg_code_long(const char *shortcode, char *out);

/*
 * 1 if short code `inner` lies in short code `outer` (equal, or `outer` is
 * a prefix at a group boundary: "420102" lies in "4201" and "42"; a grid
 * lies in its village), else 0. Both must be short forms.
 */
int eg_code_lies_in(const char *inner, const char *outer);

/* Write the short code of the parent implied by the code itself (grid →
 * village, 12 → 9, 9 → 6, 6 → 4, 4 → 2) into out (EG_CODE_BUFSZ bytes).
 * Returns EG_OK, or EG_ERR_NOT_FOUND for a 2-digit province code. */
eg_err eg_code_parent(const char *shortcode, char *out);

#ifdef __cplusplus
}
#endif
#endif
