/*
 * screening/internal.h: what the files of the screening engine share and
 * nobody else sees: packed person keys and division codes, the case-trip
 * index, and the radix sort of packed legs.
 */
#ifndef EG_SCREENING_INTERNAL_H
#define EG_SCREENING_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "epigrid/screening.h"

/* ---- interning of strings that do not pack into 64 bits ---- */

/* A set of strings, each given a dense index (0, 1, ...) on first sight.
 * Backed by a POSIX tsearch tree; used only for the rare document numbers
 * that are not resident identity numbers and for grid codes. */
typedef struct eg_intern {
    void *root;        /* tsearch tree of char * into `strs` */
    char **strs;       /* index -> string (malloc'ed) */
    size_t n, cap;
} eg_intern;

/* Index of `s`, adding it when new. Returns EG_OK or EG_ERR_NOMEM. */
eg_err eg_intern_get(eg_intern *t, const char *s, uint32_t *idx);
/* Free the set's memory (the struct itself is the caller's). */
void eg_intern_free(eg_intern *t);

/* ---- person keys ---- */

/* Top bit of a key that names an interned document number. */
#define EG_KEY_OTHER (UINT64_C(1) << 63)

/*
 * Pack a normalised document number: an 18-character resident identity
 * shape (17 digits and a digit or X) becomes its 17 digits × 11 plus the
 * check value (X = 10), which keeps byte order; anything else is interned
 * in `t` and marked with EG_KEY_OTHER. Returns EG_OK or EG_ERR_NOMEM.
 */
eg_err eg_key_pack(eg_intern *t, const char *id_no, uint64_t *key);
/* eg_key_pack of a number of resident-id shape (17 digits, then a digit
 * or X), which needs no table: 1 with *key, 0 for any other number. */
int eg_key_resident(const char *id_no, uint64_t *key);
/* Write the document number of `key` into out (EG_DOCNO_BUFSZ). */
void eg_key_unpack(const eg_intern *t, uint64_t key, char *out);

/* ---- division codes ---- */

/* Pack a short code: up to 12 digits become (length << 40) | value; any
 * other code (grids) is interned in t with length 15. "" packs to 0. */
eg_err eg_code_pack(eg_intern *t, const char *code, uint64_t *out);
/* Write the code of a packed value into out (EG_CODE_BUFSZ). */
void eg_code_unpack(const eg_intern *t, uint64_t v, char *out);

/* ---- case trips ---- */

/* One (date, trip number) of a case trip; a codeshare gives several. */
typedef struct eg_case_key {
    eg_date date;
    uint32_t idx;                  /* index of the case trip */
    uint64_t pre;                  /* first 8 bytes of `no`, big-endian: most comparisons end here */
    char no[EG_TRIP_BUFSZ];
} eg_case_key;

/* The first 8 bytes of a trip number (NUL-padded) as a big-endian
 * integer, so that integer order is byte order. */
uint64_t eg_trip_prefix(const char *no);

/* Case trips sorted by (date, trip number) for binary search. */
typedef struct eg_case_index {
    eg_case_trip *trips;           /* copies, in the caller's order */
    size_t ntrips;
    eg_case_key *keys;             /* sorted */
    size_t nkeys;
    uint64_t *filter;              /* bit set over hashed (date, number prefix) of the
                                      keys: a cheap "surely no case trip" */
} eg_case_index;

/* Build the index from copies of cases[0..n). Returns EG_OK or EG_ERR_NOMEM. */
eg_err eg_case_index_build(eg_case_index *ci, const eg_case_trip *cases, size_t n);
void eg_case_index_free(eg_case_index *ci);

/* 1 if leg l rides with case trip c by the seat rules of R2 (mode, number
 * and date are assumed to agree). */
int eg_case_seat_match(const eg_leg *l, const eg_case_trip *c);

/*
 * Call fn(ctx, case index) for every case trip that leg l matches (mode,
 * trip number or codeshare partner, date = dep_date, seat rules). The
 * window test is the caller's. Returns EG_OK or what fn returned.
 */
eg_err eg_case_index_match(const eg_case_index *ci, const eg_leg *l,
                           eg_err (*fn)(void *ctx, uint32_t idx), void *ctx);
/* The same for a leg given by its parts (trip_no normalised). */
eg_err eg_case_index_match_trip(const eg_case_index *ci, eg_mode mode, const char *trip_no,
                                eg_date dep, int car, int seat_row,
                                eg_err (*fn)(void *ctx, uint32_t idx), void *ctx);

/* ---- packed legs ---- */

/* Flags of a packed leg. */
#define EG_PLEG_TOUCH 1u      /* touches a risk area */
#define EG_PLEG_ARRIVAL 2u    /* arrives in the city within the last D days */
#define EG_PLEG_CASE 4u       /* rode with a case trip (within the last D days) */

/* A leg in the window, as kept: 32 bytes. */
typedef struct eg_pleg {
    uint64_t key;             /* person (eg_key_pack) */
    uint64_t to;              /* to_code (eg_code_pack) */
    uint32_t ref;             /* caller's reference (evidence) */
    uint32_t name;            /* offset + 1 of the name in the name arena, 0 = none kept */
    uint32_t moment;          /* (dep_date - window start) * 1441 + minute + 1 (0: no time) */
    uint16_t arr_off;         /* arr_date - window start, saturated */
    uint8_t flags;            /* EG_PLEG_* */
    uint8_t id_flag;          /* eg_leg.id_flag */
} eg_pleg;

/* Sort v[0..n) by key (stable LSD radix sort, 11-bit digits that never vary are
 * skipped). Returns EG_OK or EG_ERR_NOMEM (then v is unchanged). */
eg_err eg_pleg_sort(eg_pleg *v, size_t n);


/* ---- the fast path of batch mode ---- */

/* A file read in large blocks and cut into records: lines, except that a
 * line with an odd number of double quotes continues on the next (a
 * quoted field with a line break). Line ends (LF or CRLF) are not part of
 * a record. */
typedef struct eg_lines {
    int fd;
    int own_fd;
    char *buf;
    size_t cap, pos, end;
    int eof;
    unsigned long next_line;      /* line number where the next record starts */
    unsigned long long consumed;  /* bytes handed out so far */
    unsigned long long size;      /* of a regular file (0: not one, not mapped) */
} eg_lines;

/* Open `path` ("-": standard input). Returns EG_OK, EG_ERR_IO (d says
 * why) or EG_ERR_NOMEM. */
eg_err eg_lines_open(eg_lines *r, const char *path, eg_diag *d);
/*
 * The next record: *rec (not NUL-terminated; valid until the next call),
 * *len, *line its first line, *quoted 1 when it holds a double quote.
 * Returns EG_OK, EG_ERR_EOF, EG_ERR_IO or EG_ERR_NOMEM.
 */
eg_err eg_lines_next(eg_lines *r, const char **rec, size_t *len, unsigned long *line, int *quoted);
void eg_lines_close(eg_lines *r);

/* 1 if s[0..len) is valid UTF-8 (RFC 3629: no overlongs, surrogates or
 * code points above U+10FFFF). */
int eg_utf8_ok(const char *s, size_t len);

/*
 * Rows the fast path does not take (quoted fields, other date forms,
 * full-width text, anything that is not already normal) are collected
 * with their line numbers and read in batches through eg_csv over a
 * memory stream holding the file's header and those rows, so the row
 * readers of epigrid/travel.h judge them and report them under their
 * real line numbers.
 */
typedef struct eg_fallback eg_fallback;

/* Called for each row of a batch with a reader positioned on it; `line`
 * is the row's real line. Return EG_OK to go on. */
typedef eg_err (*eg_fallback_row_fn)(void *ctx, eg_csv *csv, const eg_import_opts *o,
                                     eg_import_result *res, unsigned long line);

/* New collector for file `name` whose header record is hdr[0..hlen);
 * `first_line` is the line of the first data row (a first data row that
 * is not UTF-8 refuses the file). o and res are where rows are reported
 * and counted; fn handles each good row. */
eg_err eg_fallback_new(eg_fallback **out, const char *name, const char *hdr, size_t hlen,
                       unsigned long first_line, const eg_import_opts *o, eg_import_result *res,
                       eg_fallback_row_fn fn, void *ctx);
/* Add a row (the record as read, starting at `line`); flushes when full. */
eg_err eg_fallback_add(eg_fallback *f, const char *rec, size_t len, unsigned long line, eg_diag *d);
/* Read the rows collected so far. Returns EG_OK, what fn returned, or
 * EG_ERR_ENCODING (d filled) when the file's first data row is not UTF-8. */
eg_err eg_fallback_flush(eg_fallback *f, eg_diag *d);
void eg_fallback_free(eg_fallback *f);

/* Columns of travel.csv by position in the header, -1 when absent. */
typedef struct eg_fast_cols {
    int id, name, phone, mode, trip, dep, dept, from, fromn, to, ton, arr, car, seat, doc;
    int ncols;
    int today_ymd;    /* the day identity numbers are checked against, as YYYYMMDD */
} eg_fast_cols;

/* Find the columns in the header reader (the same names as eg_leg_cols);
 * `today` is the day birth dates may not be after. */
void eg_fast_cols_find(const eg_csv *csv, eg_date today, eg_fast_cols *c);

/* What the fast path remembers from row to row of one reader: the dates
 * and the identity number it has converted (rows of one person follow
 * each other; a feed spans a few dozen days). Entries are only ever the
 * conversion of their own text, so a stale one can never give a wrong
 * answer; all zero is empty. */
typedef struct eg_fast_memo {
    struct {
        uint64_t head;             /* "YYYY-MM-" as 8 bytes, 0 = empty */
        uint16_t tail;             /* "DD" */
        eg_date date;
    } dates[128];                  /* by the day's digits and the month's parity */
    char id[18];                   /* the last identity number converted... */
    uint64_t key;                  /* ...and its key */
    int has_id;
} eg_fast_memo;

/* A travel.csv row read by the fast path: what screening needs of the
 * leg eg_leg_from_row would give (codes in short form, the key of the
 * normalised identity number, the name as the row reader cuts it).
 * memo is carried from one call to the next: zero it (or the whole row)
 * before a reader's first call. */
typedef struct eg_fast_row {
    uint64_t key;                  /* eg_key_pack of the identity number */
    eg_mode mode;
    char trip[EG_TRIP_BUFSZ];      /* normalised trip number */
    eg_date dep, arr;              /* arr = dep when the file left it empty */
    int minute;                    /* of departure, -1 = none */
    char from[EG_CODE_BUFSZ], to[EG_CODE_BUFSZ]; /* short forms */
    unsigned char nfrom, nto;      /* their lengths */
    int car, seat_row;             /* 0 = unknown (seat_row: flights only) */
    const char *name;              /* into the record, not NUL-terminated */
    size_t nname;
    eg_fast_memo memo;
} eg_fast_row;

/*
 * Read a record of travel.csv that is already in normal form (no quotes,
 * no blanks around fields, ISO dates, HH:MM times, ASCII or CJK trip
 * numbers, digits for codes, valid resident identity number, ...) into
 * *r, giving what eg_leg_from_row would give, without a message. Returns
 * 1 for a leg, 0 when the row must take the full reader.
 */
int eg_fast_row_read(const char *rec, size_t len, const eg_fast_cols *c, eg_fast_row *r);

/*
 * The next record of a block data[0..dlen) (which ends at a record
 * boundary) from *pos, found and split in one pass. Returns -1 when the
 * record holds a double quote (*pos unchanged: read it with
 * eg_block_next); else *rec, *rlen are the record (line end excluded, one
 * line), *pos is moved past it and the result is eg_fast_row_read's.
 */
int eg_fast_row_next(const char *data, size_t dlen, size_t *pos, const eg_fast_cols *c,
                     eg_fast_row *r, const char **rec, size_t *rlen);

/* eg_screen_add_leg for a row of the fast path: the same packed leg,
 * the same judgement. */
eg_err eg_screen_add_fast(eg_screen *s, const eg_fast_row *r, uint32_t ref);

/* ---- shards: one engine per worker thread, merged at the end ---- */

/* A new engine that shares s's parameters, case index and risk areas
 * (read-only, owned by s, which must outlive it) and keeps its own legs;
 * legs may be added to it from another thread than s's. */
eg_err eg_screen_shard_new(const eg_screen *s, eg_screen **out);
/* Room for about n legs in a shard before its first leg (a guess from
 * the file's size: address space only, pages are taken as legs come), so
 * that its array is not copied as it grows. Returns EG_OK or EG_ERR_NOMEM. */
eg_err eg_screen_shard_reserve(eg_screen *shard, size_t n);
/* Sort a shard's legs (in its worker's thread, before the merge, so that
 * sorting runs in parallel and the merge adopts them as a sorted run). */
eg_err eg_screen_shard_sort(eg_screen *shard);
/* eg_screen_finish with the people walked by `nthreads` threads, each
 * over a range of keys (results do not depend on the number). */
eg_err eg_screen_finish_threads(eg_screen *s, eg_screen_results *out, int nthreads);
/* eg_screen_finish_threads that also gives *keys (malloc'ed, out->n
 * entries, the caller frees): each result's eg_key_pack key, in the
 * results' order; *keys is NULL when there are no results or when some
 * number is not of resident-id shape (then id_no order is not key order
 * and the results were sorted again). Errors as eg_screen_finish. */
eg_err eg_screen_finish_keys(eg_screen *s, eg_screen_results *out, int nthreads, uint64_t **keys);
/* Move everything kept by `shard` into s (same thread as s; the shard is
 * emptied, still to be freed with eg_screen_free). */
eg_err eg_screen_merge(eg_screen *s, eg_screen *shard);

/* The next record of a memory block that ends at a record boundary, cut
 * where eg_csv ends its rows (eg_csv_record_len): returns 0 at the end,
 * else 1 with *rec, *rlen (line end excluded), *lines the line feeds it
 * spans (1 for a plain line, or 0 for a last line without one) and
 * *quoted. */
int eg_block_next(const char *buf, size_t len, size_t *pos, const char **rec, size_t *rlen,
                  unsigned long *lines, int *quoted);

/* The next record of such a block when it holds no double quote: returns
 * 0 at the end, 1 with *rec, *rlen (one line, line end excluded; *pos
 * moved past it), or -1 when a quote comes before the line end (*pos
 * unchanged: read the record with eg_block_next). */
int eg_plain_next(const char *buf, size_t len, size_t *pos, const char **rec, size_t *rlen);

/*
 * The next block of whole records of r (a few megabytes, ending at a
 * record boundary): *base is the malloc'ed buffer to free, *data and *len
 * the records, *first_line the line of the first. `spare` (spare_size
 * bytes) is the buffer of an earlier block to use again (NULL: none); it
 * is taken over in every case. *base_size is the size of *base. Returns
 * EG_OK, EG_ERR_EOF, EG_ERR_IO or EG_ERR_NOMEM.
 */
eg_err eg_lines_block(eg_lines *r, char *spare, size_t spare_size, char **base, size_t *base_size,
                      const char **data, size_t *len, unsigned long *first_line);

/*
 * eg_lines_block for a regular file (r->size > 0): the next block of whole
 * records mapped straight from the page cache (no copy), its pages
 * mapped in at once; *map (*maplen bytes) is the mapping to munmap. At
 * the end of the file the block is the whole rest.
 */
eg_err eg_lines_map_block(eg_lines *r, void **map, size_t *maplen, const char **data, size_t *len,
                          unsigned long *first_line);

/* What a worker does with a block of whole records data[0..len) whose
 * first record starts on line `first_line`; `worker` is its index. */
typedef eg_err (*eg_block_fn)(void *ctx, int worker, const char *data, size_t len,
                              unsigned long first_line);
/* What a worker does when the blocks are done (may be NULL). */
typedef eg_err (*eg_block_end_fn)(void *ctx, int worker);

/*
 * Cut the rest of lr into blocks on the calling thread and run fn on them
 * in `nthreads` worker threads (then end in each); progress through
 * o->progress (o may be NULL). Returns EG_OK, the first error of a
 * worker, or a read error.
 */
eg_err eg_blocks_parallel(eg_lines *lr, int nthreads, eg_block_fn fn, eg_block_end_fn end,
                          void *ctx, const eg_import_opts *o);

/* Rows kept by a worker for the full reader, as text with their lines. */
typedef struct eg_kept {
    char *buf;
    size_t len, cap, n;
} eg_kept;

/* Keep a record that starts on `line`. */
eg_err eg_kept_add(eg_kept *k, const char *rec, size_t len, unsigned long line);
/* Give the rows of k[0..nk) to fb in line order, then flush it. */
eg_err eg_kept_replay(eg_kept *k, size_t nk, eg_fallback *fb, eg_diag *d);
void eg_kept_free(eg_kept *k);

/*
 * Read the rest of travel.csv from lr (positioned after the header) into
 * s with `nthreads` worker threads, each with its own shard (merged into
 * s at the end). Rows in normal form take eg_fast_row_read (columns fc); the
 * others are collected and given to fb in line order after the workers
 * finish (fb reads them with the full row reader). Progress through
 * o->progress from the calling thread. res counts rows read and taken.
 */
eg_err eg_screen_read_travel_parallel(eg_screen *s, eg_lines *lr, const eg_fast_cols *fc,
                                      int nthreads, eg_fallback *fb,
                                      const eg_import_opts *o, eg_import_result *res, eg_diag *d);

#endif
