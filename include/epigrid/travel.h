/*
 * epigrid/travel.h: the travel big-data feed (出行大数据): ticket legs,
 * trips that carried cases (同行程), and risk areas, in the normalised form
 * that screening matches on.
 *
 * Normalisation (spec/formats.md): trip numbers upper-cased, blanks removed,
 * full-width forms made half-width (`Ｋ７３９３` → `K7393`); seats likewise
 * and with leading zeros of the number dropped (`05A` and `5A` are one
 * seat); carriages as numbers; dates in the accepted forms; codes in short
 * form; identity numbers with `x` → `X`. Records are plain values with
 * inline buffers: arrays of them own nothing else.
 */
#ifndef EPIGRID_TRAVEL_H
#define EPIGRID_TRAVEL_H

#include <stddef.h>
#include "epigrid/code.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/idno.h"
#include "epigrid/csv.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "train", "flight", ... Static; "unknown" for other values. */
const char *eg_mode_name(eg_mode m);
/* Parse a mode: the names above (any case, blanks trimmed) and the
 * Chinese ones of the public lists (火车 高铁 动车 飞机 航班 客车 大巴 汽车
 * 公交 轮船 船 私家车). Returns EG_OK or EG_ERR_INVALID. */
eg_err eg_mode_parse(const char *s, eg_mode *out);

/* Normalise a trip number (see the file comment). out: EG_TRIP_BUFSZ.
 * Returns EG_OK, EG_ERR_INVALID (empty after normalisation, or too long),
 * EG_ERR_ENCODING. */
eg_err eg_trip_no_normalize(const char *in, char *out);

/*
 * Split a trip number naming codeshare partners, `ZH4751(CA8215)`,
 * `ZH4751（CA8215）` or `ZH4751/CA8215`, into normalised numbers
 * (nos: EG_TRIP_MAX_NOS × EG_TRIP_BUFSZ; *n receives how many, >= 1).
 * A single number gives n = 1. Returns EG_OK, EG_ERR_INVALID (empty or a
 * part that is not a trip number), EG_ERR_ENCODING.
 */
eg_err eg_trip_no_split(const char *in, char nos[][EG_TRIP_BUFSZ], size_t *n);

/* Normalise a seat: `05A` → `5A`, `０５ａ` → `5A`, `018` → `18`; "" stays
 * "" (unknown). out: EG_SEAT_BUFSZ. *row (may be NULL) receives the
 * leading number (a flight's row), 0 when there is none.
 * Returns EG_OK or EG_ERR_INVALID (not digits followed by at most two
 * letters). */
eg_err eg_seat_normalize(const char *in, char *out, int *row);

/* Parse a carriage number (`5`, `05`, `5号`, `5车`, `5号车厢`); "" gives 0
 * (unknown). Returns EG_OK or EG_ERR_INVALID (`加1`, letters, 0, > 99). */
eg_err eg_car_parse(const char *in, int *car);

/*
 * Parse a free-text carriage and seat description of the public same-trip
 * lists: `10号车厢`, `11车09A号二等座`, `13车007号下铺`, `3、17号车厢`,
 * `4、6、13号车厢`, `10号车厢01中铺`, `27D` (a seat: flights), `5A`.
 * cars: room for max_cars numbers, *ncars receives how many (0 = no
 * carriage given); seat: EG_SEAT_BUFSZ, "" when none, *row its number.
 * An empty text is EG_OK with nothing. Returns EG_ERR_PARSE for a text that
 * cannot be read (`加1号车厢`: an added carriage numbered 1, not carriage 1;
 * `1号线2号车`; `车次1831`): the whole train or flight must be traced.
 */
eg_err eg_carriage_parse(const char *text, int *cars, size_t max_cars, size_t *ncars,
                         char *seat, int *row);

/* 1 if leg `l` touches risk area `a` (spec/screening.md): from_code lies
 * in a and dep_date is in a's window, or to_code lies in a and arr_date is
 * in it. */
int eg_leg_touches(const eg_leg *l, const eg_risk_area *a);

/* 1 if trip number `trip_no` (normalised) is one of c's numbers. */
int eg_case_trip_has_no(const eg_case_trip *c, const char *trip_no);

/* Import options and counts (epigrid/import.h, which includes this
 * header through store.h; C11 allows the repeated typedefs). */
typedef struct eg_import_opts eg_import_opts;
typedef struct eg_import_result eg_import_result;

/* ---- reading the feed files row by row (shared by the importers and the
 * streaming screening pass) ---- */

/* Column positions found in a header; `has` says which are present. */
typedef struct eg_feed_cols {
    size_t idx[16];
    int has[16];
    int public_list;   /* case trips: the public same-trip list's own shape */
} eg_feed_cols;

/* Find the columns of travel.csv (required: id_no, mode, trip_no,
 * dep_date, from_code, to_code). Returns EG_OK or EG_ERR_MISSING_COLUMN
 * (d names it). */
eg_err eg_leg_cols(eg_csv *csv, eg_feed_cols *c, eg_diag *d);

/*
 * Read the current travel.csv row into *out. A bad row (missing required
 * value, unknown mode, unusable date or code, arr_date before dep_date)
 * is rejected through eg_import_rowf (counted in res) and EG_ERR_INVALID
 * is returned; the caller skips it. An identity number that fails its
 * check is kept, flagged in out->id_flag, and reported as a warning; a car
 * or seat that cannot be read is a warning and left unknown. Returns
 * EG_OK for a usable leg.
 */
eg_err eg_leg_from_row(eg_csv *csv, const eg_feed_cols *c, eg_date today, eg_leg *out,
                       const eg_import_opts *o, eg_import_result *res);

/* Find the columns of case_trips.csv (`date,mode,trip_no,car,seat,...`) or
 * of the public same-trip list (`travel_date,mode,trip_number,
 * carriage_seat,from,to,...`). Returns EG_OK or EG_ERR_MISSING_COLUMN. */
eg_err eg_case_trip_cols(eg_csv *csv, eg_feed_cols *c, eg_diag *d);

/*
 * Read the current case-trip row into out[0..*n) (max entries): one per
 * carriage named (`3、17号车厢` gives two), or one for the whole trip. A
 * description that cannot be read gives one case trip with unreadable = 1
 * and car/seat unknown, and is reported as a warning (the import report
 * lists it). `original` (may be NULL; EG_LEG_NAME_BUFSZ*2 bytes) receives
 * the description as given. Bad rows (missing date, mode or trip number,
 * unusable date, unknown mode, bad status) are rejected: EG_ERR_INVALID.
 */
eg_err eg_case_trips_from_row(eg_csv *csv, const eg_feed_cols *c, eg_case_trip *out,
                              size_t max, size_t *n, char *original,
                              const eg_import_opts *o, eg_import_result *res);

/* Find the columns of risk_areas.csv (required: code, level, valid_from). */
eg_err eg_risk_area_cols(eg_csv *csv, eg_feed_cols *c, eg_diag *d);

/* Read the current risk-area row. Bad rows (bad code, unknown level,
 * unusable date, valid_to before valid_from) are rejected: EG_ERR_INVALID. */
eg_err eg_risk_area_from_row(eg_csv *csv, const eg_feed_cols *c, eg_risk_area *out,
                             const eg_import_opts *o, eg_import_result *res);

#ifdef __cplusplus
}
#endif
#endif
