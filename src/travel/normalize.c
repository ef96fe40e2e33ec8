/*
 * travel/normalize.c: normalising trip numbers, seats, carriages and modes
 * of the travel feed and the public same-trip lists, and the two matching
 * predicates of spec/screening.md (a leg touches a risk area; a trip
 * number is one of a case trip's).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "epigrid/text.h"
#include "epigrid/travel.h"

static const char *const MODE_NAMES[] = { "", "train", "flight", "bus", "ship", "car", "other" };

const char *eg_mode_name(eg_mode m)
{
    return m >= EG_MODE_TRAIN && m <= EG_MODE_OTHER ? MODE_NAMES[m] : "unknown";
}

eg_err eg_mode_parse(const char *s, eg_mode *out)
{
    static const struct { const char *name; eg_mode m; } ZH[] = {
        { "火车", EG_MODE_TRAIN }, { "高铁", EG_MODE_TRAIN }, { "动车", EG_MODE_TRAIN },
        { "列车", EG_MODE_TRAIN }, { "飞机", EG_MODE_FLIGHT }, { "航班", EG_MODE_FLIGHT },
        { "客车", EG_MODE_BUS }, { "大巴", EG_MODE_BUS }, { "汽车", EG_MODE_BUS },
        { "公交", EG_MODE_BUS }, { "轮船", EG_MODE_SHIP }, { "船", EG_MODE_SHIP },
        { "私家车", EG_MODE_CAR },
    };
    char buf[32];
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= sizeof buf)
        return EG_ERR_INVALID;
    memcpy(buf, s, n);
    buf[n] = 0;
    for (int m = EG_MODE_TRAIN; m <= EG_MODE_OTHER; m++)
        if (strcasecmp(buf, MODE_NAMES[m]) == 0) {
            *out = (eg_mode)m;
            return EG_OK;
        }
    for (size_t i = 0; i < sizeof ZH / sizeof ZH[0]; i++)
        if (strcmp(buf, ZH[i].name) == 0) {
            *out = ZH[i].m;
            return EG_OK;
        }
    return EG_ERR_INVALID;
}

/* Half-width, upper-cased, blanks removed, into out (size bytes).
 * Returns EG_OK, EG_ERR_INVALID (too long), EG_ERR_ENCODING. */
static eg_err squeeze(const char *in, char *out, size_t size)
{
    char *hw = NULL;
    size_t n = 0;
    eg_err e = eg_text_halfwidth(in, &hw);
    if (e)
        return e;
    for (const char *p = hw; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (n + 1 >= size) {
            free(hw);
            return EG_ERR_INVALID;
        }
        out[n++] = (char)(c < 0x80 ? toupper(c) : c);
    }
    out[n] = 0;
    free(hw);
    return EG_OK;
}

eg_err eg_trip_no_normalize(const char *in, char *out)
{
    eg_err e = squeeze(in, out, EG_TRIP_BUFSZ);
    if (e)
        return e;
    return out[0] ? EG_OK : EG_ERR_INVALID;
}

eg_err eg_trip_no_split(const char *in, char nos[][EG_TRIP_BUFSZ], size_t *n)
{
    char buf[EG_TRIP_BUFSZ * EG_TRIP_MAX_NOS + 8];
    char *p, *save = NULL;
    eg_err e = squeeze(in, buf, sizeof buf);
    *n = 0;
    if (e)
        return e;
    /* half-width brackets after squeeze: ( ) ; separators ( ) / */
    for (p = buf; *p; p++)
        if (*p == '(' || *p == ')' || *p == '/')
            *p = ' ';
    for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        if (*n == EG_TRIP_MAX_NOS || strlen(p) >= EG_TRIP_BUFSZ)
            return EG_ERR_INVALID;
        strcpy(nos[(*n)++], p);
    }
    return *n ? EG_OK : EG_ERR_INVALID;
}

eg_err eg_seat_normalize(const char *in, char *out, int *row)
{
    char buf[EG_SEAT_BUFSZ * 2];
    const char *p;
    long num = 0;
    int digits = 0, letters = 0;
    eg_err e = squeeze(in, buf, sizeof buf);
    if (row)
        *row = 0;
    out[0] = 0;
    if (e)
        return e == EG_ERR_ENCODING ? e : EG_ERR_INVALID;
    if (!buf[0])
        return EG_OK;
    for (p = buf; isdigit((unsigned char)*p); p++, digits++)
        if ((num = num * 10 + (*p - '0')) > 9999)
            return EG_ERR_INVALID;
    for (const char *q = p; *q; q++, letters++)
        if (!isupper((unsigned char)*q))
            return EG_ERR_INVALID;
    if (digits == 0 || letters > 2)
        return EG_ERR_INVALID;
    {
        char tmp[48];
        snprintf(tmp, sizeof tmp, "%ld%.2s", num, p);
        memcpy(out, tmp, EG_SEAT_BUFSZ - 1);
        out[EG_SEAT_BUFSZ - 1] = 0;
    }
    if (row)
        *row = (int)num;
    return EG_OK;
}

/* Read a decimal number at *p (advancing it); -1 when none (an internal
 * scanning helper; never returned to callers as a value). */
static long take_number(const char **p)
{
    long v = 0;
    int any = 0;
    while (isdigit((unsigned char)**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        if (v > 100000)
            return -1;
        any = 1;
    }
    return any ? v : -1;
}

/* If *p starts with `word`, skip it and return 1. */
static int skip(const char **p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*p, word, n) == 0) {
        *p += n;
        return 1;
    }
    return 0;
}

eg_err eg_car_parse(const char *in, int *car)
{
    char buf[64];
    const char *p = buf;
    long v;
    *car = 0;
    if (squeeze(in, buf, sizeof buf))
        return EG_ERR_INVALID;
    if (!buf[0])
        return EG_OK;
    v = take_number(&p);
    if (v < 1 || v > 99)
        return EG_ERR_INVALID;
    skip(&p, "号");
    if (!skip(&p, "车厢"))
        skip(&p, "车");
    if (*p)
        return EG_ERR_INVALID;
    *car = (int)v;
    return EG_OK;
}

/* Berth and class words that may follow a seat number. */
static void skip_seat_words(const char **p)
{
    static const char *const W[] = { "号", "二等座", "一等座", "商务座", "硬座", "软座", "无座",
                                     "下铺", "中铺", "上铺", "硬卧", "软卧", "座" };
    for (int again = 1; again;) {
        again = 0;
        for (size_t i = 0; i < sizeof W / sizeof W[0]; i++)
            if (skip(p, W[i]))
                again = 1;
    }
}

/* Parse `NN[A-Z]{0,2}` seat text at *p into seat/row; 0 or -1. */
static int take_seat(const char **p, char *seat, int *row)
{
    char buf[EG_SEAT_BUFSZ];
    size_t n = 0;
    while ((isdigit((unsigned char)**p) || isupper((unsigned char)**p)) && n + 1 < sizeof buf)
        buf[n++] = *(*p)++;
    buf[n] = 0;
    if (!n)
        return -1;
    return eg_seat_normalize(buf, seat, row) ? -1 : 0;
}

eg_err eg_carriage_parse(const char *text, int *cars, size_t max_cars, size_t *ncars,
                         char *seat, int *row)
{
    char buf[256];
    const char *p = buf;
    *ncars = 0;
    seat[0] = 0;
    *row = 0;
    if (squeeze(text, buf, sizeof buf))
        return EG_ERR_PARSE;
    if (!buf[0])
        return EG_OK;
    if (!isdigit((unsigned char)*p))
        return EG_ERR_PARSE;             /* 加1号车厢, 车次1831 */
    /* a bare seat: 27D, 5A (digits then letters, nothing else) */
    {
        const char *q = p;
        while (isdigit((unsigned char)*q))
            q++;
        if (isupper((unsigned char)*q)) {
            if (take_seat(&p, seat, row) || *p)
                return EG_ERR_PARSE;
            return EG_OK;
        }
    }
    /* one or more carriages: N[、N]* then 号车厢 | 车 */
    for (;;) {
        long v = take_number(&p);
        if (v < 1 || v > 99 || *ncars == max_cars)
            return EG_ERR_PARSE;
        cars[(*ncars)++] = (int)v;
        if (skip(&p, "、") || skip(&p, ",") || skip(&p, "，"))
            continue;
        break;
    }
    if (skip(&p, "号车厢") || skip(&p, "车厢")) {
        /* 10号车厢01中铺 */
    } else if (skip(&p, "车")) {
        if (*ncars != 1)
            return EG_ERR_PARSE;
    } else {
        return EG_ERR_PARSE;            /* 1号线2号车, 3路 */
    }
    if (*p) {
        if (*ncars != 1 || take_seat(&p, seat, row))
            return EG_ERR_PARSE;
        skip_seat_words(&p);
        if (*p)
            return EG_ERR_PARSE;
    }
    return EG_OK;
}

int eg_leg_touches(const eg_leg *l, const eg_risk_area *a)
{
    int open = a->valid_to == EG_NO_DATE;
    if (eg_code_lies_in(l->from_code, a->code) && l->dep_date >= a->valid_from &&
        (open || l->dep_date <= a->valid_to))
        return 1;
    return eg_code_lies_in(l->to_code, a->code) && l->arr_date >= a->valid_from &&
           (open || l->arr_date <= a->valid_to);
}

int eg_case_trip_has_no(const eg_case_trip *c, const char *trip_no)
{
    for (size_t i = 0; i < c->nnos; i++)
        if (strcmp(c->nos[i], trip_no) == 0)
            return 1;
    return 0;
}
