/*
 * screening/lines.c: reading a large CSV file in blocks of a few
 * megabytes and cutting it into records exactly where eg_csv ends its
 * rows (eg_csv_record_len: a quoted field may span lines, a stray quote
 * does not), with line numbers; and a fast UTF-8 check. The fast
 * path of the batch mode reads travel.csv and persons.csv through this
 * instead of eg_csv, whose per-field work would dominate the run.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "epigrid/csv.h"
#include "screening/internal.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define BLOCK (4u << 20)

eg_err eg_lines_open(eg_lines *r, const char *path, eg_diag *d)
{
    memset(r, 0, sizeof *r);
    if (strcmp(path, "-") == 0) {
        r->fd = STDIN_FILENO;
    } else {
        r->fd = open(path, O_RDONLY);
        if (r->fd < 0)
            return eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot open: %s", strerror(errno));
        r->own_fd = 1;
        struct stat st;
        if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
            r->size = (unsigned long long)st.st_size;
    }
    r->cap = BLOCK;
    r->buf = malloc(r->cap);
    if (!r->buf) {
        eg_lines_close(r);
        return EG_ERR_NOMEM;
    }
    r->next_line = 1;
    return EG_OK;
}

void eg_lines_close(eg_lines *r)
{
    if (r->own_fd && r->fd >= 0)
        close(r->fd);
    free(r->buf);
    memset(r, 0, sizeof *r);
    r->fd = -1;
}

/* Move the unread tail to the front and read more; grows the buffer when
 * a record fills it. Returns EG_OK (maybe at EOF) or an error. */
static eg_err refill(eg_lines *r)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->end -= r->pos;
        r->pos = 0;
    }
    if (r->end == r->cap) {
        char *nb = realloc(r->buf, r->cap * 2);
        if (!nb)
            return EG_ERR_NOMEM;
        r->buf = nb;
        r->cap *= 2;
    }
    while (r->end < r->cap) {
        ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return EG_ERR_IO;
        if (n == 0) {
            r->eof = 1;
            break;
        }
        r->end += (size_t)n;
        if (r->end - r->pos >= BLOCK / 2)
            break;
    }
    return EG_OK;
}

/* The length of s[0..n) without its line break (LF, CRLF, or a CR at the
 * end of the input). */
static size_t without_break(const char *s, size_t n)
{
    if (n && s[n - 1] == '\n')
        n--;
    if (n && s[n - 1] == '\r')
        n--;
    return n;
}

eg_err eg_lines_next(eg_lines *r, const char **rec, size_t *len, unsigned long *line, int *quoted)
{
    for (;;) {
        char *start = r->buf + r->pos;
        size_t avail = r->end - r->pos, n = 0;
        unsigned long nl = 0;
        if (avail == 0 && r->eof)
            return EG_ERR_EOF;
        if (avail)
            n = eg_csv_record_len(start, avail, r->eof, &nl);
        if (n) {
            *rec = start;
            *len = without_break(start, n);
            *line = r->next_line;
            *quoted = memchr(start, '"', *len) != NULL;
            r->next_line += nl + (start[n - 1] != '\n');
            r->consumed += n;
            r->pos += n;
            return EG_OK;
        }
        eg_err e = refill(r);
        if (e)
            return e;
    }
}

int eg_utf8_ok(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = u[i];
        if (c < 0x80) {
            /* ASCII: eight bytes at a time once aligned to a run */
            i++;
            while (i + 8 <= len) {
                uint64_t w;
                memcpy(&w, u + i, 8);
                if (w & UINT64_C(0x8080808080808080))
                    break;
                i += 8;
            }
            while (i < len && u[i] < 0x80)
                i++;
            continue;
        }
        /* the common case of CJK text: a three-byte sequence that needs no
         * bound beyond the continuation bytes (not E0 or ED) */
        if (c >= 0xE1 && c <= 0xEF && c != 0xED) {
            if (i + 3 > len || (u[i + 1] & 0xC0) != 0x80 || (u[i + 2] & 0xC0) != 0x80)
                return 0;
            i += 3;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            n = 2;
        else if (c == 0xE0 || c == 0xED) {
            n = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else
            return 0;
        if (i + n > len || u[i + 1] < lo || u[i + 1] > hi)
            return 0;
        for (size_t k = 2; k < n; k++)
            if ((u[i + k] & 0xC0) != 0x80)
                return 0;
        i += n;
    }
    return 1;
}

/* Number of line breaks in s[0..n). */
static unsigned long count_lf(const char *s, size_t n)
{
    unsigned long c = 0;
    size_t i = 0;
#ifdef __SSE2__
    const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        /* per byte lane, up to 255 matches (each compare gives -1) */
        __m128i acc = zero;
        size_t stop = i + 255 * 16 < n ? i + 255 * 16 : n;
        for (; i + 16 <= stop; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, lf));
        }
        __m128i sum = _mm_sad_epu8(acc, zero);
        c += (unsigned long)_mm_cvtsi128_si32(sum) + (unsigned long)_mm_extract_epi16(sum, 4);
    }
#endif
    for (; i < n; i++)
        c += s[i] == '\n';
    return c;
}

/* The last line break in s[0..n), NULL if none. */
static const char *last_lf(const char *s, size_t n)
{
    while (n > 0)
        if (s[--n] == '\n')
            return s + n;
    return NULL;
}

/* Length of the longest prefix of s[0..n) (which starts a record) made of
 * whole records as eg_csv reads them (eg_csv_record_len); 0 if none. Up
 * to the line of the first double quote every line is a record; from
 * there records are cut one by one where quotes are, by lines where there
 * are none. at_eof: nothing follows s[0..n). */
static size_t find_cut(const char *s, size_t n, int at_eof)
{
    size_t cut = 0;
    for (;;) {
        const char *q = memchr(s + cut, '"', n - cut);
        if (!q) { /* plain lines to the end */
            if (at_eof)
                return n;
            const char *last = last_lf(s + cut, n - cut);
            return last ? (size_t)(last - s) + 1 : cut;
        }
        const char *ls = last_lf(s + cut, (size_t)(q - s) - cut); /* the quote's line starts after it */
        size_t at = ls ? (size_t)(ls - s) + 1 : cut;
        unsigned long nl;
        size_t rec = eg_csv_record_len(s + at, n - at, at_eof, &nl);
        if (rec == 0)
            return at;
        cut = at + rec;
        if (cut == n)
            return n;
    }
}

eg_err eg_lines_block(eg_lines *r, char *spare, size_t spare_size, char **base, size_t *base_size,
                      const char **data, size_t *len, unsigned long *first_line)
{
    for (;;) {
        size_t avail = r->end - r->pos, cut;
        eg_err e;
        if (!r->eof && avail < r->cap / 2) {
            if ((e = refill(r))) {
                free(spare);
                return e;
            }
            continue;
        }
        if (avail == 0) {
            free(spare);
            return EG_ERR_EOF;
        }
        cut = find_cut(r->buf + r->pos, avail, r->eof);
        if (cut == 0 && !r->eof) {
            /* one record longer than the buffer: make room and read on */
            if (r->pos == 0 && r->end == r->cap) {
                char *nb = realloc(r->buf, r->cap * 2);
                if (!nb) {
                    free(spare);
                    return EG_ERR_NOMEM;
                }
                r->buf = nb;
                r->cap *= 2;
            }
            if ((e = refill(r))) {
                free(spare);
                return e;
            }
            continue;
        }
        if (cut == 0)
            cut = avail;
        /* hand the buffer over; the tail moves to a spare or fresh one */
        char *nb = spare && spare_size == r->cap ? spare : malloc(r->cap);
        if (nb != spare)
            free(spare);
        if (!nb)
            return EG_ERR_NOMEM;
        *base_size = r->cap;
        memcpy(nb, r->buf + r->pos + cut, avail - cut);
        *base = r->buf;
        *data = r->buf + r->pos;
        *len = cut;
        *first_line = r->next_line;
        r->next_line += count_lf(*data, cut);
        r->consumed += cut;
        r->buf = nb;
        r->end = avail - cut;
        r->pos = 0;
        return EG_OK;
    }
}

int eg_block_next(const char *buf, size_t len, size_t *pos, const char **rec, size_t *rlen,
                  unsigned long *lines, int *quoted)
{
    size_t p = *pos;
    if (p >= len)
        return 0;
    /* the block ends at a record's end: what follows it is no concern */
    size_t n = eg_csv_record_len(buf + p, len - p, 1, lines);
    assert(n > 0);
    *rec = buf + p;
    *rlen = without_break(buf + p, n);
    *quoted = memchr(buf + p, '"', *rlen) != NULL;
    *pos = p + n;
    return 1;
}

int eg_plain_next(const char *buf, size_t len, size_t *pos, const char **rec, size_t *rlen)
{
    size_t p = *pos, i = p, nl = len;
    if (p >= len)
        return 0;
#ifdef __SSE2__
    const __m128i lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, quote)));
        if (m) {
            i += (size_t)__builtin_ctz(m);
            goto found;
        }
    }
#endif
    for (; i < len; i++)
        if (buf[i] == '\n' || buf[i] == '"')
            break;
#ifdef __SSE2__
found:
#endif
    if (i < len && buf[i] == '"')
        return -1;
    nl = i;
    *rec = buf + p;
    *rlen = nl - p;
    if (*rlen && buf[nl - 1] == '\r')
        (*rlen)--;
    *pos = nl < len ? nl + 1 : len;
    return 1;
}

eg_err eg_lines_map_block(eg_lines *r, void **map, size_t *maplen, const char **data, size_t *len,
                          unsigned long *first_line)
{
    unsigned long long off = r->consumed, end;
    size_t limit = BLOCK, page = (size_t)sysconf(_SC_PAGESIZE), cut;
    if (!r->size)
        return EG_ERR_INVALID;
    if (off >= r->size)
        return EG_ERR_EOF;
    unsigned long long aoff = off & ~(unsigned long long)(page - 1);
    for (;;) {
        end = off + limit < r->size ? off + limit : r->size;
        int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
        flags |= MAP_POPULATE;
#endif
        void *m = mmap(NULL, (size_t)(end - aoff), PROT_READ, flags, r->fd, (off_t)aoff);
        if (m == MAP_FAILED)
            return EG_ERR_IO;
        const char *s = (const char *)m + (off - aoff);
        size_t n = (size_t)(end - off);
        cut = find_cut(s, n, end == r->size);
        if (cut == 0) { /* one record longer than the block: map more */
            munmap(m, (size_t)(end - aoff));
            limit *= 2;
            continue;
        }
        *map = m;
        *maplen = (size_t)(end - aoff);
        *data = s;
        *len = cut;
        break;
    }
    *first_line = r->next_line;
    r->next_line += count_lf(*data, cut);
    r->consumed += cut;
    return EG_OK;
}
