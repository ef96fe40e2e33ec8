/*
 * epigrid/text.h: text validation and normalisation for matching.
 *
 * Names may arrive in Simplified or Traditional Chinese, full-width or
 * half-width (spec/formats.md): they are stored as given and compared after
 * normalisation: UTF-8 validated, Unicode NFKC (utf8proc; this also maps
 * full-width ASCII to half-width and the ideographic space U+3000 to a
 * space), Traditional → Simplified Chinese (OpenCC, config t2s.json), blanks
 * trimmed and runs of blanks collapsed to one.
 *
 * The OpenCC handle is held in an eg_normalizer value (no global state); it
 * is not thread-safe: use one per thread.
 */
#ifndef EPIGRID_TEXT_H
#define EPIGRID_TEXT_H

#include <stddef.h>
#include "epigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Check that s[0..len) is valid UTF-8 (no overlongs, no surrogates, no
 * code points above U+10FFFF). Returns EG_OK or EG_ERR_ENCODING; on error
 * *bad_offset (may be NULL) receives the byte offset of the first bad byte.
 */
eg_err eg_utf8_validate(const char *s, size_t len, size_t *bad_offset);

/* Opaque normaliser (owns an OpenCC converter). */
typedef struct eg_normalizer eg_normalizer;

/*
 * Create a normaliser. Returns EG_OK, EG_ERR_NOMEM, or EG_ERR_IO when
 * OpenCC's t2s.json cannot be opened (package opencc not installed); then
 * *out is NULL. Free with eg_normalizer_free.
 */
eg_err eg_normalizer_new(eg_normalizer **out);

/* Free a normaliser (NULL is fine). */
void eg_normalizer_free(eg_normalizer *n);

/*
 * Normalise NUL-terminated UTF-8 `s` for matching (see the file comment).
 * On success *out receives a new NUL-terminated string owned by the
 * caller (free()). Returns EG_OK, EG_ERR_ENCODING (s is not UTF-8),
 * EG_ERR_NOMEM.
 */
eg_err eg_text_normalize(eg_normalizer *n, const char *s, char **out);

/*
 * Full-width to half-width for ASCII forms only (U+FF01..U+FF5E →
 * U+0021..U+007E, U+3000 → space), without NFKC or Chinese conversion;
 * used for codes and trip numbers. *out is malloc'ed (caller frees).
 * Returns EG_OK, EG_ERR_ENCODING, EG_ERR_NOMEM.
 */
eg_err eg_text_halfwidth(const char *s, char **out);

/* Copy n bytes of UTF-8 text src into dst (size bytes, always
 * NUL-terminated), cutting at a character boundary when it does not fit,
 * so a truncated name never ends in half a character. size >= 1. Returns
 * the bytes copied. */
size_t eg_text_copy(char *dst, size_t size, const char *src, size_t n);

/* Trim ASCII blanks (space, tab, CR, LF) and U+3000 at both ends, in
 * place. Returns s. */
char *eg_text_trim(char *s);

/* The same trimming without copying or writing: returns a pointer to the
 * first byte of s[0..len) that is not a blank, and stores in *out_len the
 * length up to the last such byte (0 when s is all blanks). Used by the
 * parsers of dates, codes and identity numbers. */
const char *eg_text_trim_span(const char *s, size_t len, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
