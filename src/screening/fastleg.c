/*
 * screening/fastleg.c: the fast path for a travel.csv row that is already
 * in normal form. Such rows are the bulk of a machine-made feed; reading
 * them through eg_csv and eg_leg_from_row costs about a microsecond and a
 * half each, most of it in general machinery (trimming, UTF-8 checks field
 * by field, half-width conversion with an allocation per trip number).
 * Here a row is split once and each field is taken only when it is in a
 * form whose normalisation is the identity (or a plain number); for dates,
 * times, codes and identity numbers the library's own parsers are called,
 * so the result is the one eg_leg_from_row gives. Anything else returns 0
 * and the row goes to the full reader, which reports what is wrong.
 */
#include <string.h>
#include "screening/internal.h"

#define MAX_FIELDS 64

void eg_fast_cols_find(const eg_csv *csv, eg_fast_cols *c)
{
    static const char *const NAMES[] = { "id_no", "name", "phone", "mode", "trip_no", "dep_date",
                                         "dep_time", "from_code", "from_name", "to_code", "to_name",
                                         "arr_date", "car", "seat", "doc_type" };
    int *slot[] = { &c->id, &c->name, &c->phone, &c->mode, &c->trip, &c->dep, &c->dept, &c->from,
                    &c->fromn, &c->to, &c->ton, &c->arr, &c->car, &c->seat, &c->doc };
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) {
        size_t idx;
        *slot[i] = eg_csv_find(csv, NAMES[i], &idx, NULL) == EG_OK && idx < MAX_FIELDS ? (int)idx : -1;
    }
    c->ncols = (int)eg_csv_ncols(csv);
}

/* 1 if a field has a blank (ASCII or ideographic space) at either end,
 * which the CSV reader would trim. */
static int has_edge_blank(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char a = (unsigned char)s[0], z = (unsigned char)s[n - 1];
    if (a == ' ' || a == '\t' || a == '\r' || z == ' ' || z == '\t' || z == '\r')
        return 1;
    if (n >= 3 && a == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
        return 1;
    return n >= 3 && (unsigned char)s[n - 3] == 0xE3 && (unsigned char)s[n - 2] == 0x80 && z == 0x80;
}

/* Copy UTF-8 text into a fixed buffer, cut at a character boundary (as
 * the row reader does). */
static void copy_text(char *dst, size_t size, const char *src, size_t n)
{
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* The mode of an exact lower-case English name, 0 otherwise. */
static eg_mode fast_mode(const char *s)
{
    switch (s[0]) {
    case 't': return strcmp(s, "train") == 0 ? EG_MODE_TRAIN : 0;
    case 'f': return strcmp(s, "flight") == 0 ? EG_MODE_FLIGHT : 0;
    case 'b': return strcmp(s, "bus") == 0 ? EG_MODE_BUS : 0;
    case 's': return strcmp(s, "ship") == 0 ? EG_MODE_SHIP : 0;
    case 'c': return strcmp(s, "car") == 0 ? EG_MODE_CAR : 0;
    case 'o': return strcmp(s, "other") == 0 ? EG_MODE_OTHER : 0;
    default: return 0;
    }
}

/* A trip number already normal: upper-case ASCII letters and digits and
 * CJK unified ideographs (U+4E00..U+9FFF, which half-width conversion
 * leaves alone, as in bus plates 吉E62761). Copies it; 0 otherwise. */
static int fast_trip(const char *s, size_t n, char *out)
{
    if (n == 0 || n >= EG_TRIP_BUFSZ)
        return 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            i++;
            continue;
        }
        if (c >= 0xE4 && c <= 0xE9 && i + 2 < n) {
            i += 3; /* UTF-8 validity was checked for the whole row */
            continue;
        }
        return 0;
    }
    memcpy(out, s, n);
    out[n] = 0;
    return 1;
}

/* A seat already normal except for leading zeros: 1-4 digits and at most
 * two upper-case letters; "" is unknown. 0 when not in that form. */
static int fast_seat(const char *s, size_t n, char *out, int *row)
{
    size_t i = 0;
    int num = 0;
    *row = 0;
    out[0] = 0;
    if (n == 0)
        return 1;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        num = num * 10 + (s[i] - '0');
        if (++i > 4)
            return 0;
    }
    if (i == 0 || n - i > 2)
        return 0;
    for (size_t k = i; k < n; k++)
        if (s[k] < 'A' || s[k] > 'Z')
            return 0;
    /* "%d%s" without the cost of printf */
    char digits[8];
    int nd = 0, v = num;
    do {
        digits[nd++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    size_t o = 0;
    while (nd)
        out[o++] = digits[--nd];
    for (size_t k = i; k < n; k++)
        out[o++] = s[k];
    out[o] = 0;
    *row = num;
    return 1;
}

/* A carriage of 1 or 2 digits, 1..99; "" is unknown. */
static int fast_car(const char *s, size_t n, int *car)
{
    *car = 0;
    if (n == 0)
        return 1;
    if (n > 2 || s[0] < '0' || s[0] > '9' || (n == 2 && (s[1] < '0' || s[1] > '9')))
        return 0;
    int v = n == 2 ? (s[0] - '0') * 10 + (s[1] - '0') : s[0] - '0';
    if (v < 1)
        return 0;
    *car = v;
    return 1;
}

int eg_fast_leg(const char *rec, size_t len, char *scratch, const eg_fast_cols *c,
                eg_date today, unsigned long line, eg_leg *l)
{
    const char *f[MAX_FIELDS];
    size_t fl[MAX_FIELDS];
    int nf = 0;
    int minute;
    eg_idno_info info;

    if (!eg_utf8_ok(rec, len))
        return 0;
    memcpy(scratch, rec, len);
    scratch[len] = 0;
    /* split at commas, eight bytes at a time (a zero byte of w ^ ",,,,"
     * marks a comma: the classic has-zero-byte test) */
    f[0] = scratch;
    nf = 1;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, scratch + i, 8);
        w ^= UINT64_C(0x2C2C2C2C2C2C2C2C);
        uint64_t z = (w - UINT64_C(0x0101010101010101)) & ~w & UINT64_C(0x8080808080808080);
        while (z) {
            size_t k = i + ((size_t)__builtin_ctzll(z) >> 3);
            z &= z - 1;
            if (nf == MAX_FIELDS)
                return 0;
            fl[nf - 1] = (size_t)(scratch + k - f[nf - 1]);
            scratch[k] = 0;
            f[nf++] = scratch + k + 1;
        }
    }
    for (; i < len; i++)
        if (scratch[i] == ',') {
            if (nf == MAX_FIELDS)
                return 0;
            fl[nf - 1] = (size_t)(scratch + i - f[nf - 1]);
            scratch[i] = 0;
            f[nf++] = scratch + i + 1;
        }
    fl[nf - 1] = (size_t)(scratch + len - f[nf - 1]);
    if (nf != c->ncols)
        return 0;
    for (int k = 0; k < nf; k++)
        if (has_edge_blank(f[k], fl[k]))
            return 0;
#define FIELD(k) (c->k >= 0 ? f[c->k] : "")
#define FLEN(k) (c->k >= 0 ? fl[c->k] : 0)
    if (!FLEN(id) || !FLEN(mode) || !FLEN(trip) || !FLEN(dep) || !FLEN(from) || !FLEN(to))
        return 0;
    if (FLEN(doc) && strcmp(FIELD(doc), "resident_id") != 0)
        return 0;
    memset(l, 0, sizeof *l);
    l->line = (long)line;
    if (!(l->mode = fast_mode(FIELD(mode))))
        return 0;
    if (!fast_trip(FIELD(trip), FLEN(trip), l->trip_no))
        return 0;
    if (FLEN(dep) != 10 || eg_date_parse(FIELD(dep), &l->dep_date))
        return 0;
    if (!FLEN(arr))
        l->arr_date = l->dep_date;
    else if (FLEN(arr) != 10 || eg_date_parse(FIELD(arr), &l->arr_date))
        return 0;
    if (l->arr_date < l->dep_date)
        return 0;
    if (eg_code_short(FIELD(from), l->from_code) || eg_code_short(FIELD(to), l->to_code))
        return 0;
    l->dep_minute = EG_NO_MINUTE;
    if (FLEN(dept)) {
        if (eg_time_of_day_parse(FIELD(dept), &minute))
            return 0;
        l->dep_minute = (short)minute;
    }
    if (!fast_car(FIELD(car), FLEN(car), &l->car))
        return 0;
    if (!fast_seat(FIELD(seat), FLEN(seat), l->seat, &l->seat_row))
        return 0;
    if (l->mode != EG_MODE_FLIGHT)
        l->seat_row = 0;
    if (FLEN(id) != 18 || eg_idno_check(FIELD(id), today, &info, NULL, NULL) != EG_OK)
        return 0;
    memcpy(l->id_no, info.norm, EG_IDNO_BUFSZ);
    copy_text(l->name, sizeof l->name, FIELD(name), FLEN(name));
    /* phone, from_name and to_name: screening does not read them */
#undef FIELD
#undef FLEN
    return 1;
}
