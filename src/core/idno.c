/*
 * core/idno.c: resident identity numbers (GB 11643-1999) and the masking
 * of identity and phone numbers for display (spec/formats.md persons.csv,
 * spec/api.md masked forms).
 *
 * A number is refused with the first reason that applies, in this order:
 * empty, spreadsheet float, 15-digit first generation, bad character, bad
 * length, bad region, bad or future birth date, and last the check
 * character (spreadsheet-zeroed when the number ends in 000).
 */
#include "epigrid/idno.h"
#include "epigrid/text.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define IDNO_LEN 18
#define FIRST_GEN_LEN 15

/* Reasons for reports, indexed by eg_idno_reason. */
static const char *const reason_texts[EG_IDNO__COUNT] = {
    [EG_IDNO_OK] = "valid",
    [EG_IDNO_EMPTY] = "identity number is empty",
    [EG_IDNO_FIRST_GENERATION] =
        "15-digit first-generation identity number (invalid since 2013)",
    [EG_IDNO_SPREADSHEET_FLOAT] =
        "identity number was turned into a float by a spreadsheet (like 2.20502E+17)",
    [EG_IDNO_SPREADSHEET_ZEROED] =
        "identity number's last digits were zeroed by a spreadsheet",
    [EG_IDNO_BAD_LENGTH] = "identity number is not 18 characters",
    [EG_IDNO_BAD_CHARACTER] =
        "identity number has a character other than digits and a final X",
    [EG_IDNO_BAD_REGION] = "identity number's region is not a province (11..82)",
    [EG_IDNO_BAD_BIRTH_DATE] = "identity number's birth date is not a calendar day",
    [EG_IDNO_FUTURE_BIRTH_DATE] = "identity number's birth date is in the future",
    [EG_IDNO_BAD_CHECK] = "wrong check character",
};

/* English text of a refusal reason. */
const char *eg_idno_reason_str(eg_idno_reason r)
{
    if ((unsigned)r >= (unsigned)EG_IDNO__COUNT)
        return "unknown reason";
    return reason_texts[r];
}

/* 1 if c is an ASCII digit. */
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 1 if s[0..n) are all ASCII digits. */
static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

/* Count the digits at s[*pos..len), advancing *pos past them. */
static size_t skip_digits(const char *s, size_t len, size_t *pos)
{
    size_t start = *pos;
    while (*pos < len && is_digit(s[*pos]))
        (*pos)++;
    return *pos - start;
}

/* 1 if s[0..len) is a number in scientific notation as a spreadsheet
 * writes it: digits, optional fraction, E, optional sign, digits. */
static int is_spreadsheet_float(const char *s, size_t len)
{
    size_t pos = 0;
    if (skip_digits(s, len, &pos) == 0)
        return 0;
    if (pos < len && s[pos] == '.') {
        pos++;
        skip_digits(s, len, &pos);
    }
    if (pos >= len || (s[pos] != 'E' && s[pos] != 'e'))
        return 0;
    pos++;
    if (pos < len && (s[pos] == '+' || s[pos] == '-'))
        pos++;
    return skip_digits(s, len, &pos) > 0 && pos == len;
}

/* 1 if every character of s[0..len) is a digit, but for a final X or x. */
static int has_only_id_chars(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (is_digit(s[i]))
            continue;
        if (i == len - 1 && (s[i] == 'X' || s[i] == 'x'))
            continue;
        return 0;
    }
    return 1;
}

/* Value of n digits at s (digits already checked). */
static int digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* 1 if the first two digits at s name a plausible province (11..82). */
static int region_plausible(const char *s)
{
    int province = digits_value(s, 2);
    return province >= 11 && province <= 82;
}

/* Store a refusal reason (when asked for) and return the error. */
static eg_err refuse(eg_idno_reason *reason, eg_idno_reason r, eg_err e)
{
    if (reason)
        *reason = r;
    return e;
}

/* ISO 7064 MOD 11-2 check character over 17 digits. */
char eg_idno_check_char(const char *first17)
{
    static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    assert(first17 != NULL);
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        assert(is_digit(first17[i]));
        sum += (first17[i] - '0') * weights[i];
    }
    return "10X98765432"[sum % 11];
}

/* Check a resident identity number (see idno.h and the file comment for
 * the order of the reasons). */
eg_err eg_idno_check(const char *s, eg_date today, eg_idno_info *info,
                     eg_idno_reason *reason, char *expected)
{
    assert(s != NULL);
    size_t len;
    const char *p = eg_text_trim_span(s, strlen(s), &len);
    if (len == 0)
        return refuse(reason, EG_IDNO_EMPTY, EG_ERR_INVALID);
    if (is_spreadsheet_float(p, len))
        return refuse(reason, EG_IDNO_SPREADSHEET_FLOAT, EG_ERR_INVALID);
    if (len == FIRST_GEN_LEN && all_digits(p, len))
        return refuse(reason, EG_IDNO_FIRST_GENERATION, EG_ERR_INVALID);
    if (!has_only_id_chars(p, len))
        return refuse(reason, EG_IDNO_BAD_CHARACTER, EG_ERR_INVALID);
    if (len != IDNO_LEN)
        return refuse(reason, EG_IDNO_BAD_LENGTH, EG_ERR_INVALID);
    if (!region_plausible(p))
        return refuse(reason, EG_IDNO_BAD_REGION, EG_ERR_INVALID);
    eg_date birth;
    if (eg_date_from_ymd(digits_value(p + 6, 4), digits_value(p + 10, 2),
                         digits_value(p + 12, 2), &birth) != EG_OK)
        return refuse(reason, EG_IDNO_BAD_BIRTH_DATE, EG_ERR_INVALID);
    if (birth > today)
        return refuse(reason, EG_IDNO_FUTURE_BIRTH_DATE, EG_ERR_INVALID);
    char want = eg_idno_check_char(p);
    char got = p[17] == 'x' ? 'X' : p[17];
    if (got != want) {
        if (expected)
            *expected = want;
        if (memcmp(p + 15, "000", 3) == 0)
            return refuse(reason, EG_IDNO_SPREADSHEET_ZEROED, EG_ERR_INVALID);
        return refuse(reason, EG_IDNO_BAD_CHECK, EG_ERR_CHECKSUM);
    }
    if (info) {
        memcpy(info->norm, p, 17);
        info->norm[17] = got;
        info->norm[18] = '\0';
        memcpy(info->region, p, 6);
        info->region[6] = '\0';
        info->birth = birth;
        info->sex = ((p[16] - '0') % 2) ? 'M' : 'F';
    }
    return refuse(reason, EG_IDNO_OK, EG_OK);
}

/* Build a valid number: region, birth date, sequence and check. */
eg_err eg_idno_make(const char *region6, eg_date birth, int seq, char *out)
{
    assert(region6 != NULL && out != NULL);
    int y, m, d;
    if (strlen(region6) != 6 || !all_digits(region6, 6) || !region_plausible(region6) ||
        seq < 0 || seq > 999)
        return EG_ERR_INVALID;
    eg_date_to_ymd(birth, &y, &m, &d);
    if (y < EG_DATE_MIN_YEAR || y > EG_DATE_MAX_YEAR)
        return EG_ERR_INVALID;
    snprintf(out, EG_IDNO_BUFSZ, "%.6s%04d%02d%02d%03d", region6, y, m, d, seq);
    assert(strlen(out) == 17);
    out[17] = eg_idno_check_char(out);
    out[18] = '\0';
    return EG_OK;
}

/* Number of UTF-8 characters in s (continuation bytes not counted). */
static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Copy s to out keeping the first `head` and last `tail` characters and
 * writing one '*' for each character between. Works on UTF-8 characters,
 * so the output is never longer than s. */
static char *mask_keep(const char *s, char *out, size_t head, size_t tail)
{
    size_t n = count_chars(s), ci = 0, o = 0;
    assert(head + tail <= n);
    for (const char *p = s; *p; p++) {
        int lead = ((unsigned char)*p & 0xC0) != 0x80;
        if (lead)
            ci++;
        int keep = ci <= head || ci > n - tail;
        if (keep)
            out[o++] = *p;
        else if (lead)
            out[o++] = '*';
    }
    out[o] = '\0';
    return out;
}

/* Mask keeping `head`+`tail` characters when s has `min_len` characters or
 * more; else 2+2 when at least two stay hidden; else everything masked. */
static char *mask_number(const char *s, char *out, size_t head, size_t tail, size_t min_len)
{
    assert(s != NULL && out != NULL);
    size_t n = count_chars(s);
    if (n >= min_len)
        return mask_keep(s, out, head, tail);
    if (n >= 6)
        return mask_keep(s, out, 2, 2);
    return mask_keep(s, out, 0, 0);
}

/* Mask an identity number (6 + 4 kept of 18) or another document number
 * (2 + 2 kept). */
char *eg_idno_mask(const char *s, char *out)
{
    assert(s != NULL && out != NULL);
    if (count_chars(s) == IDNO_LEN)
        return mask_keep(s, out, 6, 4);
    return mask_number(s, out, 2, 2, 6);
}

/* Mask a phone number (3 + 4 kept of 11 or more characters). */
char *eg_phone_mask(const char *s, char *out)
{
    return mask_number(s, out, 3, 4, 11);
}
