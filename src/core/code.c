/*
 * core/code.c: administrative division codes (spec/formats.md "Division
 * codes"): reduction to the short form, the level a code implies, padding
 * back to 12 digits, "lies in" prefix tests and the implied parent.
 * Grid codes (`220502001001-3`) are made by the system under a village.
 */
#include "epigrid/code.h"
#include "epigrid/text.h"

#include <assert.h>
#include <string.h>

/* Digits of a grid number after the '-'. */
#define GRID_MAX_DIGITS 6

/* 1 if s[0..n) are all ASCII digits. */
static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* 1 if n is the length of a code level (2, 4, 6, 9 or 12 digits). */
static int is_group_length(size_t n)
{
    return n == 2 || n == 4 || n == 6 || n == 9 || n == 12;
}

/* Length of the code one level up from a code of n digits (n > 2). */
static size_t shorter_length(size_t n)
{
    return n == 12 ? 9 : n == 9 ? 6 : n - 2;
}

/* 1 if digits s[from..to) are all '0'. */
static int all_zero(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (s[i] != '0')
            return 0;
    return 1;
}

/* Drop trailing zero groups from n digits at s; returns the new length
 * (2 at least). */
static size_t strip_zero_groups(const char *s, size_t n)
{
    while (n > 2 && all_zero(s, shorter_length(n), n))
        n = shorter_length(n);
    return n;
}

/* Numeric value of the 3-digit village kind at s (the last three digits
 * of a 12-digit code). */
static int village_kind(const char *s)
{
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/* Write the short form of a grid code p[0..len) (dash at `dash`) into out:
 * the 12-digit village part as is, the grid number without leading
 * zeros. */
static eg_err shorten_grid(const char *p, size_t len, size_t dash, char *out)
{
    const char *num = p + dash + 1;
    size_t nlen = len - dash - 1;
    if (dash != 12 || !all_digits(p, 12) || nlen < 1 || nlen > GRID_MAX_DIGITS ||
        !all_digits(num, nlen))
        return EG_ERR_INVALID;
    if (village_kind(p + 9) == 0)
        return EG_ERR_INVALID; /* the part before '-' is not a village */
    while (nlen > 1 && num[0] == '0') {
        num++;
        nlen--;
    }
    if (nlen == 1 && num[0] == '0')
        return EG_ERR_INVALID; /* grid numbers start at 1 */
    memcpy(out, p, 13);
    memcpy(out + 13, num, nlen);
    out[13 + nlen] = '\0';
    return EG_OK;
}

/* Reduce a code to its short form (see code.h). */
eg_err eg_code_short(const char *in, char *out)
{
    assert(in != NULL && out != NULL);
    size_t len;
    const char *p = eg_text_trim_span(in, strlen(in), &len);
    const char *dash = memchr(p, '-', len);
    if (dash)
        return shorten_grid(p, len, (size_t)(dash - p), out);
    if (!is_group_length(len) || !all_digits(p, len))
        return EG_ERR_INVALID;
    size_t n = strip_zero_groups(p, len);
    if (n == 2 && p[0] == '0' && p[1] == '0')
        return EG_ERR_INVALID;
    memcpy(out, p, n);
    out[n] = '\0';
    return EG_OK;
}

/* Names of the levels for files and the API, indexed by eg_level. */
static const char *const level_names[] = {
    [EG_LEVEL_PROVINCE] = "province",   [EG_LEVEL_CITY] = "city",
    [EG_LEVEL_COUNTY] = "county",       [EG_LEVEL_TOWNSHIP] = "township",
    [EG_LEVEL_VILLAGE] = "village",     [EG_LEVEL_COMMUNITY] = "community",
    [EG_LEVEL_VILLAGE_LIKE] = "village_like", [EG_LEVEL_GRID] = "grid",
};

/* Chinese names of the levels, indexed by eg_level. */
static const char *const level_names_zh[] = {
    [EG_LEVEL_PROVINCE] = "省",     [EG_LEVEL_CITY] = "市",
    [EG_LEVEL_COUNTY] = "县级",     [EG_LEVEL_TOWNSHIP] = "乡级",
    [EG_LEVEL_VILLAGE] = "村",      [EG_LEVEL_COMMUNITY] = "社区",
    [EG_LEVEL_VILLAGE_LIKE] = "类似村", [EG_LEVEL_GRID] = "网格",
};

/* 1 if l is one of the eg_level values. */
static int level_valid(eg_level l)
{
    return l >= EG_LEVEL_PROVINCE && l <= EG_LEVEL_GRID;
}

/* File/API name of a level. */
const char *eg_level_name(eg_level l)
{
    return level_valid(l) ? level_names[l] : "unknown";
}

/* Chinese name of a level. */
const char *eg_level_name_zh(eg_level l)
{
    return level_valid(l) ? level_names_zh[l] : "未知";
}

/* Parse a level name as written by eg_level_name (blanks around ignored). */
eg_err eg_level_parse(const char *s, eg_level *out)
{
    assert(s != NULL && out != NULL);
    size_t len;
    const char *p = eg_text_trim_span(s, strlen(s), &len);
    for (int l = EG_LEVEL_PROVINCE; l <= EG_LEVEL_GRID; l++) {
        if (strlen(level_names[l]) == len && memcmp(level_names[l], p, len) == 0) {
            *out = (eg_level)l;
            return EG_OK;
        }
    }
    return EG_ERR_INVALID;
}

/* Level implied by a short code. */
eg_err eg_code_level(const char *shortcode, eg_level *out)
{
    assert(shortcode != NULL && out != NULL);
    size_t len = strlen(shortcode);
    if (len > 12 && shortcode[12] == '-') {
        *out = EG_LEVEL_GRID;
        return EG_OK;
    }
    if (!is_group_length(len) || !all_digits(shortcode, len))
        return EG_ERR_INVALID;
    switch (len) {
    case 2: *out = EG_LEVEL_PROVINCE; return EG_OK;
    case 4: *out = EG_LEVEL_CITY; return EG_OK;
    case 6: *out = EG_LEVEL_COUNTY; return EG_OK;
    case 9: *out = EG_LEVEL_TOWNSHIP; return EG_OK;
    default: break;
    }
    int kind = village_kind(shortcode + 9);
    if (kind >= 1 && kind <= 199)
        *out = EG_LEVEL_COMMUNITY;
    else if (kind >= 200 && kind <= 399)
        *out = EG_LEVEL_VILLAGE;
    else if (kind >= 400 && kind <= 599)
        *out = EG_LEVEL_VILLAGE_LIKE;
    else
        return EG_ERR_INVALID;
    return EG_OK;
}

/* Pad a short code with zeros to 12 digits; grid codes unchanged. */
eg_err eg_code_long(const char *shortcode, char *out)
{
    assert(shortcode != NULL && out != NULL);
    size_t len = strlen(shortcode);
    if (len > 12 && shortcode[12] == '-') {
        if (len >= EG_CODE_BUFSZ)
            return EG_ERR_INVALID;
        memcpy(out, shortcode, len + 1);
        return EG_OK;
    }
    if (!is_group_length(len) || !all_digits(shortcode, len))
        return EG_ERR_INVALID;
    memcpy(out, shortcode, len);
    memset(out + len, '0', 12 - len);
    out[12] = '\0';
    return EG_OK;
}

/* 1 if `inner` equals `outer` or lies under it at a group boundary. */
int eg_code_lies_in(const char *inner, const char *outer)
{
    assert(inner != NULL && outer != NULL);
    size_t olen = strlen(outer);
    if (strcmp(inner, outer) == 0)
        return 1;
    /* Only a level code (not a grid) can contain others. */
    if (!is_group_length(olen) || !all_digits(outer, olen))
        return 0;
    return strlen(inner) > olen && strncmp(inner, outer, olen) == 0;
}

/* Short code of the parent a code implies: grid → village, otherwise the
 * next shorter level, reduced again to its short form (`220001`, whose
 * city group is 00, has the province `22` as parent). */
eg_err eg_code_parent(const char *shortcode, char *out)
{
    assert(shortcode != NULL && out != NULL);
    size_t len = strlen(shortcode);
    char buf[EG_CODE_BUFSZ];
    if (len > 12 && shortcode[12] == '-') {
        len = 12;
    } else {
        if (!is_group_length(len) || !all_digits(shortcode, len))
            return EG_ERR_INVALID;
        if (len == 2)
            return EG_ERR_NOT_FOUND;
        len = shorter_length(len);
    }
    memcpy(buf, shortcode, len);
    buf[len] = '\0';
    return eg_code_short(buf, out);
}
