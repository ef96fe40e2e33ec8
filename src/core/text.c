/*
 * core/text.c: UTF-8 validation and the normalisation of names for
 * matching (spec/formats.md "Names"): NFKC with utf8proc, Traditional to
 * Simplified Chinese with OpenCC (t2s.json), blanks trimmed and collapsed.
 * Also the plain full-width to half-width mapping used for codes and trip
 * numbers, and the trimming of blanks shared by all parsers of core/.
 */
#include "epigrid/text.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <opencc/opencc.h>
#include <utf8proc.h>

/* The normaliser owns one OpenCC converter (not thread-safe). */
struct eg_normalizer {
    opencc_t cc;
};

/* UTF-8 of U+3000 IDEOGRAPHIC SPACE. */
static const char ideographic_space[] = "\xe3\x80\x80";

/* Return the length of the valid UTF-8 sequence at s[0..avail), or 0 when
 * it is not valid (bad lead byte, overlong, surrogate, above U+10FFFF,
 * missing continuation bytes). */
static size_t measure_sequence(const unsigned char *s, size_t avail)
{
    unsigned char b = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3;
        if (b == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (b == 0xED)
            hi = 0x9F; /* surrogates U+D800..U+DFFF */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4;
        if (b == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (b == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* continuation byte, C0/C1 overlong, F5..FF */
    }
    if (avail < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return need;
}

/* Check that s[0..len) is valid UTF-8; report the offset of the first byte
 * of the first invalid sequence. */
eg_err eg_utf8_validate(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = measure_sequence(u + i, len - i);
        if (n == 0) {
            if (bad_offset)
                *bad_offset = i;
            return EG_ERR_ENCODING;
        }
        i += n;
    }
    return EG_OK;
}

/* 1 if c is an ASCII blank. */
static int is_ascii_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Length of the blank (ASCII blank or U+3000) starting at s[i], 0 if none. */
static size_t blank_at(const char *s, size_t i, size_t len)
{
    if (is_ascii_blank(s[i]))
        return 1;
    if (len - i >= 3 && memcmp(s + i, ideographic_space, 3) == 0)
        return 3;
    return 0;
}

/* Length of the blank ending just before s[end], 0 if none. */
static size_t blank_before(const char *s, size_t end)
{
    if (is_ascii_blank(s[end - 1]))
        return 1;
    if (end >= 3 && memcmp(s + end - 3, ideographic_space, 3) == 0)
        return 3;
    return 0;
}

/* Find the part of s[0..len) without blanks at either end. */
const char *eg_text_trim_span(const char *s, size_t len, size_t *out_len)
{
    assert(s != NULL && out_len != NULL);
    size_t begin = 0, end = len, n;
    while (begin < end && (n = blank_at(s, begin, end)) > 0)
        begin += n;
    while (end > begin && (n = blank_before(s + begin, end - begin)) > 0)
        end -= n;
    *out_len = end - begin;
    return s + begin;
}

/* Trim blanks at both ends of s in place. */
char *eg_text_trim(char *s)
{
    assert(s != NULL);
    size_t n;
    const char *start = eg_text_trim_span(s, strlen(s), &n);
    memmove(s, start, n);
    s[n] = '\0';
    return s;
}

/* Open the OpenCC Traditional-to-Simplified converter. */
eg_err eg_normalizer_new(eg_normalizer **out)
{
    assert(out != NULL);
    *out = NULL;
    eg_normalizer *n = malloc(sizeof *n);
    if (!n)
        return EG_ERR_NOMEM;
    n->cc = opencc_open("t2s.json");
    if (n->cc == (opencc_t)-1) {
        free(n);
        return EG_ERR_IO;
    }
    *out = n;
    return EG_OK;
}

/* Close the converter and free the normaliser. */
void eg_normalizer_free(eg_normalizer *n)
{
    if (!n)
        return;
    opencc_close(n->cc);
    free(n);
}

/* Copy `in` to a new string with blanks trimmed and each inner run of
 * blanks replaced by one space. Returns NULL when out of memory. */
static char *collapse_blanks(const char *in)
{
    char *out = malloc(strlen(in) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int pending_space = 0;
    for (const char *p = in; *p; p++) {
        if (is_ascii_blank(*p)) {
            pending_space = o > 0;
            continue;
        }
        if (pending_space)
            out[o++] = ' ';
        pending_space = 0;
        out[o++] = *p;
    }
    out[o] = '\0';
    return out;
}

/* NFKC, then Traditional to Simplified, then blanks trimmed and collapsed.
 * (NFKC has already turned U+3000 and other wide spaces into U+0020.) */
eg_err eg_text_normalize(eg_normalizer *n, const char *s, char **out)
{
    assert(n != NULL && s != NULL && out != NULL);
    *out = NULL;
    if (eg_utf8_validate(s, strlen(s), NULL) != EG_OK)
        return EG_ERR_ENCODING;
    utf8proc_uint8_t *nfkc = NULL;
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &nfkc,
                                        UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                            UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    if (len < 0)
        return len == UTF8PROC_ERROR_NOMEM ? EG_ERR_NOMEM : EG_ERR_ENCODING;
    char *simp = opencc_convert_utf8(n->cc, (const char *)nfkc, (size_t)len);
    free(nfkc);
    if (!simp)
        return EG_ERR_NOMEM;
    *out = collapse_blanks(simp);
    opencc_convert_utf8_free(simp);
    return *out ? EG_OK : EG_ERR_NOMEM;
}

/* Map full-width ASCII forms (U+FF01..U+FF5E) and U+3000 to ASCII. */
eg_err eg_text_halfwidth(const char *s, char **out)
{
    assert(s != NULL && out != NULL);
    *out = NULL;
    size_t len = strlen(s);
    if (eg_utf8_validate(s, len, NULL) != EG_OK)
        return EG_ERR_ENCODING;
    char *res = malloc(len + 1);
    if (!res)
        return EG_ERR_NOMEM;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len) {
        size_t n = measure_sequence(u + i, len - i);
        assert(n > 0);
        if (n == 3) {
            unsigned cp = ((u[i] & 0x0Fu) << 12) | ((u[i + 1] & 0x3Fu) << 6) |
                          (u[i + 2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                res[o++] = (char)(cp - 0xFEE0);
                i += 3;
                continue;
            }
            if (cp == 0x3000) {
                res[o++] = ' ';
                i += 3;
                continue;
            }
        }
        memcpy(res + o, s + i, n);
        o += n;
        i += n;
    }
    res[o] = '\0';
    *out = res;
    return EG_OK;
}

size_t eg_text_copy(char *dst, size_t size, const char *src, size_t n)
{
    assert(dst != NULL && src != NULL && size >= 1);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = 0;
    return n;
}
