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

void eg_fast_cols_find(const eg_csv *csv, eg_date today, eg_fast_cols *c)
{
    int y, m, d;
    eg_date_to_ymd(today, &y, &m, &d);
    c->today_ymd = y * 10000 + m * 100 + d;
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

/* The mode of an exact lower-case English name s[0..n), 0 otherwise. */
static eg_mode fast_mode(const char *s, size_t n)
{
    switch (s[0]) {
    case 't': return n == 5 && memcmp(s, "train", 5) == 0 ? EG_MODE_TRAIN : 0;
    case 'f': return n == 6 && memcmp(s, "flight", 6) == 0 ? EG_MODE_FLIGHT : 0;
    case 'b': return n == 3 && memcmp(s, "bus", 3) == 0 ? EG_MODE_BUS : 0;
    case 's': return n == 4 && memcmp(s, "ship", 4) == 0 ? EG_MODE_SHIP : 0;
    case 'c': return n == 3 && memcmp(s, "car", 3) == 0 ? EG_MODE_CAR : 0;
    case 'o': return n == 5 && memcmp(s, "other", 5) == 0 ? EG_MODE_OTHER : 0;
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
 * two upper-case letters; "" is unknown. *row is its number (0 when
 * unknown); screening needs nothing else of it. 0 when not in that form. */
static int fast_seat(const char *s, size_t n, int *row)
{
    size_t i = 0;
    int num = 0;
    *row = 0;
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


/* Value of n ASCII digits at s, or -1 when one is not a digit. */
static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned char)s[i] - (unsigned)'0';
        if (d > 9)
            return -1;
        v = v * 10 + (int)d;
    }
    return v;
}

/* A date in exactly the form YYYY-MM-DD (what eg_date_parse gives for
 * it), looked up in the memo first; 0 for any other form, which the full
 * reader judges. */
static int fast_date(const char *s, size_t n, eg_fast_memo *memo, eg_date *out)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    uint64_t head;
    uint16_t tail;
    memcpy(&head, s, 8);
    memcpy(&tail, s + 8, 2);
    unsigned slot = ((unsigned char)s[9] & 15u) | (((unsigned char)s[8] & 3u) << 4) |
                    (((unsigned char)s[6] & 1u) << 6);
    if (memo->dates[slot].head == head && memo->dates[slot].tail == tail) {
        *out = memo->dates[slot].date;
        return 1;
    }
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || eg_date_from_ymd(y, m, d, out) != EG_OK)
        return 0;
    memo->dates[slot].head = head;
    memo->dates[slot].tail = tail;
    memo->dates[slot].date = *out;
    return 1;
}

/* A time of day in exactly the form HH:MM; 0 otherwise. */
static int fast_time(const char *s, size_t n, int *minute)
{
    if (n != 5 || s[2] != ':')
        return 0;
    int h = digits(s, 2), m = digits(s + 3, 2);
    if (h < 0 || m < 0 || h > 23 || m > 59)
        return 0;
    *minute = h * 60 + m;
    return 1;
}

/* A division code of 2, 4, 6, 9 or 12 digits reduced to its short form
 * (trailing zero groups dropped, as eg_code_short does) into out (NUL
 * terminated), *nout its length. 0 for any other code (grids, bad codes),
 * which the full reader judges. */
static int fast_code(const char *s, size_t n, char *out, unsigned char *nout)
{
    if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] - (unsigned)'0' > 9)
            return 0;
    for (;;) {
        size_t up = n == 12 ? 9 : n == 9 ? 6 : n - 2, i = up;
        if (n <= 2)
            break;
        while (i < n && s[i] == '0')
            i++;
        if (i < n)
            break;
        n = up;
    }
    if (n == 2 && s[0] == '0' && s[1] == '0')
        return 0;
    memcpy(out, s, n);
    out[n] = '\0';
    *nout = (unsigned char)n;
    return 1;
}

/* A resident identity number of 18 characters that passes every check of
 * eg_idno_check (plausible region, real birth date not after today,
 * check character; a final 'x' is taken as 'X'), packed as eg_key_pack
 * packs its normal form. today_ymd is today as YYYYMMDD. 0 otherwise. */
static int fast_id(const char *s, int today_ymd, uint64_t *key)
{
    static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    uint64_t v = 0;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        unsigned d = (unsigned char)s[i] - (unsigned)'0';
        if (d > 9)
            return 0;
        v = v * 10 + d;
        sum += (int)d * weights[i];
    }
    unsigned last = s[17] == 'x' || s[17] == 'X' ? 10u : (unsigned char)s[17] - (unsigned)'0';
    if (last > 10)
        return 0;
    int province = (s[0] - '0') * 10 + (s[1] - '0');
    if (province < 11 || province > 82)
        return 0;
    /* a real birth date (as eg_date_from_ymd judges it) not after today:
     * valid dates compare as YYYYMMDD numbers */
    int y = digits(s + 6, 4), m = digits(s + 10, 2), d = digits(s + 12, 2);
    if (y < EG_DATE_MIN_YEAR || y > EG_DATE_MAX_YEAR || d < 1 || d > eg_days_in_month(y, m) ||
        y * 10000 + m * 100 + d > today_ymd)
        return 0;
    if ("10X98765432"[sum % 11] != (last == 10 ? 'X' : (char)('0' + last)))
        return 0;
    *key = v * 11 + last;
    return 1;
}

/* 1 if the 18 bytes at a and b are the same (three loads a side). */
static int same18(const char *a, const char *b)
{
    uint64_t a0, a1, b0, b1;
    uint16_t a2, b2;
    memcpy(&a0, a, 8);
    memcpy(&a1, a + 8, 8);
    memcpy(&a2, a + 16, 2);
    memcpy(&b0, b, 8);
    memcpy(&b1, b + 8, 8);
    memcpy(&b2, b + 16, 2);
    return ((a0 ^ b0) | (a1 ^ b1) | (uint64_t)(a2 ^ b2)) == 0;
}

/*
 * Take the fields of a record split into nf fields starting at st[0..nf)
 * (st[nf] = len + 1; the record is valid UTF-8 and has no quote): what
 * eg_fast_row_read gives. maybe_blank is 0 only when the record holds no
 * space, tab, CR and no byte 0xE3 (which starts U+3000, the ideographic
 * space), so no field can have a blank at either end. The record holds
 * no NUL byte (the CSV reader rejects a row with one).
 */
static int convert(const char *rec, const uint32_t *st, int nf, const eg_fast_cols *cp,
                   int maybe_blank, eg_fast_row *r)
{
    const eg_fast_cols cols = *cp, *c = &cols; /* a copy the stores into *r cannot alias */
    for (int k = 0; maybe_blank && k < nf; k++) {
        size_t n = st[k + 1] - 1 - st[k];
        if (n && has_edge_blank(rec + st[k], n))
            return 0;
    }
#define FIELD(k) (c->k >= 0 ? rec + st[c->k] : "")
#define FLEN(k) (c->k >= 0 ? (size_t)(st[c->k + 1] - 1 - st[c->k]) : (size_t)0)
    if (FLEN(id) != 18 || !FLEN(mode) || !FLEN(trip) || !FLEN(dep) || !FLEN(from) || !FLEN(to))
        return 0;
    if (FLEN(doc) && !(FLEN(doc) == 11 && memcmp(FIELD(doc), "resident_id", 11) == 0))
        return 0;
    if (!(r->mode = fast_mode(FIELD(mode), FLEN(mode))))
        return 0;
    if (!fast_trip(FIELD(trip), FLEN(trip), r->trip))
        return 0;
    if (!fast_date(FIELD(dep), FLEN(dep), &r->memo, &r->dep))
        return 0;
    if (!FLEN(arr))
        r->arr = r->dep;
    else if (FLEN(arr) == FLEN(dep) && memcmp(FIELD(arr), FIELD(dep), FLEN(dep)) == 0)
        r->arr = r->dep; /* the same text: the same day */
    else if (!fast_date(FIELD(arr), FLEN(arr), &r->memo, &r->arr))
        return 0;
    if (r->arr < r->dep)
        return 0;
    if (!fast_code(FIELD(from), FLEN(from), r->from, &r->nfrom) ||
        !fast_code(FIELD(to), FLEN(to), r->to, &r->nto))
        return 0;
    r->minute = -1;
    if (FLEN(dept) && !fast_time(FIELD(dept), FLEN(dept), &r->minute))
        return 0;
    if (!fast_car(FIELD(car), FLEN(car), &r->car))
        return 0;
    if (!fast_seat(FIELD(seat), FLEN(seat), &r->seat_row))
        return 0;
    if (r->mode != EG_MODE_FLIGHT)
        r->seat_row = 0;
    if (r->memo.has_id && same18(FIELD(id), r->memo.id)) {
        r->key = r->memo.key; /* the same person as the row before */
    } else {
        if (!fast_id(FIELD(id), c->today_ymd, &r->key))
            return 0;
        memcpy(r->memo.id, FIELD(id), 18);
        r->memo.key = r->key;
        r->memo.has_id = 1;
    }
    /* the name as the row reader keeps it: cut at a character boundary to
     * fit EG_LEG_NAME_BUFSZ */
    const char *nm = FIELD(name);
    size_t nn = FLEN(name);
    if (nn >= EG_LEG_NAME_BUFSZ) {
        nn = EG_LEG_NAME_BUFSZ - 1;
        while (nn > 0 && ((unsigned char)nm[nn] & 0xC0) == 0x80)
            nn--;
    }
    r->name = nm;
    r->nname = nn;
    /* phone, from_name and to_name: screening does not read them */
#undef FIELD
#undef FLEN
    return 1;
}

int eg_fast_row_read(const char *rec, size_t len, const eg_fast_cols *c, eg_fast_row *r)
{
    uint32_t st[MAX_FIELDS + 1]; /* start of each field; st[nf] = len + 1 */
    int nf = 1;

    if (len >= UINT32_MAX || !eg_utf8_ok(rec, len) || memchr(rec, 0, len))
        return 0;
    /* split at commas, eight bytes at a time (a zero byte of w ^ ",,,,"
     * marks a comma: the classic has-zero-byte test) */
    st[0] = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, rec + i, 8);
        w ^= UINT64_C(0x2C2C2C2C2C2C2C2C);
        uint64_t z = (w - UINT64_C(0x0101010101010101)) & ~w & UINT64_C(0x8080808080808080);
        while (z) {
            size_t k = i + ((size_t)__builtin_ctzll(z) >> 3);
            z &= z - 1;
            if (nf == MAX_FIELDS)
                return 0;
            st[nf++] = (uint32_t)k + 1;
        }
    }
    for (; i < len; i++)
        if (rec[i] == ',') {
            if (nf == MAX_FIELDS)
                return 0;
            st[nf++] = (uint32_t)i + 1;
        }
    if (nf != c->ncols)
        return 0;
    st[nf] = (uint32_t)len + 1;
    return convert(rec, st, nf, c, 1, r);
}

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifdef __SSE2__
/* Bytes of v in [lo, lo + span] (unsigned), as a 16-bit mask. */
static inline unsigned in_range(__m128i v, unsigned char lo, unsigned char span)
{
    __m128i t = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)span)), t));
}

/*
 * The UTF-8 check of the common case, on 16 bytes at a time: every byte
 * of 0x80 or above belongs to a three-byte sequence led by E1..EC or
 * EE..EF and followed by two continuation bytes (80..BF). Such sequences
 * are always valid (no overlong form: the lead is above E0; no surrogate:
 * not ED), which is how CJK text (U+1000..U+CFFF, U+E000..U+FFFF) is
 * written. mh: the bytes of v at or above 0x80 within the record (below:
 * the mask of its bytes in the record); *carry: the continuation bytes
 * the chunk before expects at the start of this one, replaced by what
 * this one expects of the next. Returns 0 when v breaks the pattern (the
 * text may still be valid UTF-8 of another kind: the caller asks
 * eg_utf8_ok), 1 otherwise.
 */
static inline int cjk_chunk_ok(__m128i v, unsigned mh, unsigned below, unsigned *carry)
{
    unsigned lead = in_range(v, 0xE1, 0x0E) & ~(unsigned)_mm_movemask_epi8(
                        _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)));
    unsigned cont = in_range(v, 0x80, 0x3F);
    lead &= below;
    cont &= below;
    unsigned want = (lead << 1) | (lead << 2) | *carry;
    *carry = (want >> 16) & 3u;
    want &= 0xFFFFu;
    return (mh & ~(lead | cont)) == 0 && cont == want; /* want beyond the record: cont has none */
}
#endif

int eg_fast_row_next(const char *data, size_t dlen, size_t *pos, const eg_fast_cols *c,
                     eg_fast_row *r, const char **rec, size_t *rlen)
{
    uint32_t st[MAX_FIELDS + 17]; /* a chunk adds at most 16 before nf is checked */
    int nf = 1, high = 0, over = 0, blank = 0, ncr = 0; /* ncr: CRs, counted up to 2 */
    int cjk = 1, nul = 0;     /* the record passed the CJK-only UTF-8 check; holds a NUL */
    unsigned carry = 0;       /* continuation bytes expected at the next chunk's start */
    size_t last_cr = 0;
    size_t p = *pos, i = p, nl;
    st[0] = 0;
#ifdef __SSE2__
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r');
    const __m128i e3 = _mm_set1_epi8((char)0xE3), zero = _mm_setzero_si128();
    for (;; i += 16) {
        if (i + 16 > dlen)
            goto tail;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(data + i));
        unsigned mc = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
        unsigned ml = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf));
        unsigned mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        unsigned mh = (unsigned)_mm_movemask_epi8(v);
        unsigned mb = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_or_si128(_mm_cmpeq_epi8(v, tab),
                                                             _mm_cmpeq_epi8(v, e3))));
        unsigned mr = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cr));
        unsigned mz = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
        if (ml | mq) {
            unsigned stop = (unsigned)__builtin_ctz(ml | mq);
            if (mq && (unsigned)__builtin_ctz(mq) == stop)
                return -1; /* a quote: the caller reads the record in full */
            unsigned below = (1u << stop) - 1;
            mc &= below;
            if (((mh & below) | carry) && cjk)
                cjk = cjk_chunk_ok(v, mh & below, below, &carry);
            nul |= (mz & below) != 0;
            high |= (mh & below) != 0;
            blank |= (mb & below) != 0;
            mr &= below;
            if (mr) {
                ncr += (mr & (mr - 1)) ? 2 : 1;
                last_cr = i + 31 - (size_t)__builtin_clz(mr);
            }
            while (mc) {
                st[nf++] = (uint32_t)(i + (size_t)__builtin_ctz(mc) - p) + 1;
                mc &= mc - 1;
            }
            if (nf > MAX_FIELDS)
                over = 1, nf = MAX_FIELDS;
            nl = i + stop;
            break;
        }
        if ((mh | carry) && cjk)
            cjk = cjk_chunk_ok(v, mh, 0xFFFFu, &carry);
        nul |= mz != 0;
        high |= mh != 0;
        blank |= mb != 0;
        if (mr) {
            ncr += (mr & (mr - 1)) ? 2 : 1;
            last_cr = i + 31 - (size_t)__builtin_clz(mr);
        }
        while (mc) {
            st[nf++] = (uint32_t)(i + (size_t)__builtin_ctz(mc) - p) + 1;
            mc &= mc - 1;
        }
        if (nf > MAX_FIELDS)
            over = 1, nf = MAX_FIELDS;
    }
    goto found;
tail:
    cjk = 0; /* the scalar tail leaves the UTF-8 check to eg_utf8_ok */
#endif
    for (;; i++) {
        if (i == dlen) {
            nl = dlen;
            break;
        }
        unsigned char ch = (unsigned char)data[i];
        if (ch == '\n') {
            nl = i;
            break;
        }
        if (ch == '"')
            return -1;
        high |= ch >= 0x80;
        nul |= ch == 0;
        blank |= ch == ' ' || ch == '\t' || ch == 0xE3;
        if (ch == '\r') {
            ncr++;
            last_cr = i;
        }
        if (ch == ',') {
            if (nf < MAX_FIELDS)
                st[nf++] = (uint32_t)(i - p) + 1;
            else
                over = 1;
        }
    }
#ifdef __SSE2__
found:
#endif
    *pos = nl < dlen ? nl + 1 : dlen;
    *rec = data + p;
    *rlen = nl - p;
    if (*rlen && data[nl - 1] == '\r')
        (*rlen)--;
    /* a CR other than the line end's could be a blank at a field's edge */
    blank |= ncr > 1 || (ncr == 1 && last_cr != p + *rlen);
    if (over || nul || nf != c->ncols || *rlen >= UINT32_MAX ||
        (high && !cjk && !eg_utf8_ok(*rec, *rlen)))
        return 0; /* a NUL byte: the full reader rejects the row */
    /* a CR at the end belongs to the line end, not to the last field */
    st[nf] = (uint32_t)*rlen + 1;
    if (st[nf - 1] > st[nf])
        return 0;
    return convert(*rec, st, nf, c, blank, r);
}
