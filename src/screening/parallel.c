/*
 * screening/parallel.c: reading a large CSV file with several threads.
 * The calling thread cuts the file into blocks of whole records (a few
 * megabytes each, cut where the number of quotes so far is even) and
 * hands them to worker threads through a small bounded queue; each worker
 * runs the caller's block function on its blocks. A regular file is not
 * copied: each block is a mapping of its part of the file (pages mapped
 * in by the reader, unmapped by the worker when done, so memory stays at
 * the blocks in flight); other input is read into buffers, which go back
 * to the reader through a free list, so fresh memory is not faulted in
 * for every block.
 *
 * On top of it: travel.csv parsed through the fast path into one engine
 * shard per worker. Rows the fast path does not take are kept as text
 * with their line (eg_kept) and, after the workers are done, read in line
 * order by the full row reader on the calling thread, so messages come
 * out in file order and callbacks are never called from a worker. Results
 * do not depend on the thread count: every tie is broken by line number.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "screening/internal.h"

/* Most threads of a pipeline. */
#define MAX_THREADS 64

/* A block of records. */
typedef struct block {
    char *base;               /* a buffer read into... */
    size_t size;              /* ...of this size */
    void *map;                /* or a mapping of the file... */
    size_t maplen;            /* ...of this length */
    const char *data;
    size_t len;
    unsigned long first_line;
    struct block *next;
} block;

/* The queue between the reader and the workers, and the free buffers. */
typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    block *head, *tail;
    size_t n, max;
    int closed;
    char *spare[MAX_THREADS * 2 + 4]; /* buffers given back by workers... */
    size_t spare_size[MAX_THREADS * 2 + 4]; /* ...and their sizes */
    size_t nspare;
} queue;

/* One worker of a pipeline. */
typedef struct pworker {
    pthread_t th;
    queue *q;
    int index;
    eg_block_fn fn;
    eg_block_end_fn end;
    void *ctx;
    eg_err err;
} pworker;

/* Worker thread: take blocks until the queue is closed and empty. */
static void *work(void *arg)
{
    pworker *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->q->mu);
        while (!w->q->head && !w->q->closed)
            pthread_cond_wait(&w->q->not_empty, &w->q->mu);
        block *b = w->q->head;
        if (b) {
            w->q->head = b->next;
            if (!w->q->head)
                w->q->tail = NULL;
            w->q->n--;
            pthread_cond_signal(&w->q->not_full);
        }
        pthread_mutex_unlock(&w->q->mu);
        if (!b) {
            if (!w->err && w->end)
                w->err = w->end(w->ctx, w->index);
            break;
        }
        if (!w->err)
            w->err = w->fn(w->ctx, w->index, b->data, b->len, b->first_line);
        if (b->map)
            munmap(b->map, b->maplen);
        pthread_mutex_lock(&w->q->mu);
        if (w->q->nspare < sizeof w->q->spare / sizeof w->q->spare[0]) {
            w->q->spare_size[w->q->nspare] = b->size;
            w->q->spare[w->q->nspare++] = b->base;
            b->base = NULL;
        }
        pthread_mutex_unlock(&w->q->mu);
        free(b->base);
        free(b);
    }
    return NULL;
}

eg_err eg_blocks_parallel(eg_lines *lr, int nthreads, eg_block_fn fn, eg_block_end_fn end,
                          void *ctx, const eg_import_opts *o)
{
    queue q;
    pworker w[MAX_THREADS];
    int started = 0;
    eg_err e = EG_OK;
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > MAX_THREADS)
        nthreads = MAX_THREADS;
    memset(&q, 0, sizeof q);
    memset(w, 0, sizeof w);
    q.max = (size_t)nthreads * 2;
    pthread_mutex_init(&q.mu, NULL);
    pthread_cond_init(&q.not_empty, NULL);
    pthread_cond_init(&q.not_full, NULL);
    for (int i = 0; i < nthreads && !e; i++) {
        w[i] = (pworker){ .q = &q, .index = i, .fn = fn, .end = end, .ctx = ctx };
        if (pthread_create(&w[i].th, NULL, work, &w[i]) != 0)
            e = EG_ERR_NOMEM;
        else
            started++;
    }
    /* the reader: cut blocks and queue them */
    while (!e) {
        block *b = malloc(sizeof *b);
        if (!b) {
            e = EG_ERR_NOMEM;
            break;
        }
        b->base = NULL;
        b->map = NULL;
        if (lr->size) { /* a regular file: mapped, not copied */
            e = eg_lines_map_block(lr, &b->map, &b->maplen, &b->data, &b->len, &b->first_line);
        } else {
            pthread_mutex_lock(&q.mu);
            char *spare = NULL;
            size_t spare_size = 0;
            if (q.nspare) {
                q.nspare--;
                spare = q.spare[q.nspare];
                spare_size = q.spare_size[q.nspare];
            }
            pthread_mutex_unlock(&q.mu);
            e = eg_lines_block(lr, spare, spare_size, &b->base, &b->size, &b->data, &b->len,
                               &b->first_line);
        }
        if (e) {
            free(b);
            break;
        }
        b->next = NULL;
        pthread_mutex_lock(&q.mu);
        while (q.n >= q.max)
            pthread_cond_wait(&q.not_full, &q.mu);
        if (q.tail)
            q.tail->next = b;
        else
            q.head = b;
        q.tail = b;
        q.n++;
        pthread_cond_signal(&q.not_empty);
        pthread_mutex_unlock(&q.mu);
        if (o && o->progress)
            o->progress(o->progress_ctx, lr->consumed, lr->next_line - 2);
    }
    if (e == EG_ERR_EOF)
        e = EG_OK;
    pthread_mutex_lock(&q.mu);
    q.closed = 1;
    pthread_cond_broadcast(&q.not_empty);
    pthread_mutex_unlock(&q.mu);
    for (int i = 0; i < started; i++)
        pthread_join(w[i].th, NULL);
    /* blocks left when the reader failed */
    for (block *b = q.head, *n; b; b = n) {
        n = b->next;
        if (b->map)
            munmap(b->map, b->maplen);
        free(b->base);
        free(b);
    }
    for (size_t i = 0; i < q.nspare; i++)
        free(q.spare[i]);
    for (int i = 0; i < started && !e; i++)
        e = w[i].err;
    pthread_cond_destroy(&q.not_full);
    pthread_cond_destroy(&q.not_empty);
    pthread_mutex_destroy(&q.mu);
    return e;
}

/* Header of a row kept for the full reader. */
typedef struct kept_row {
    unsigned long line;
    size_t len;
} kept_row;

eg_err eg_kept_add(eg_kept *k, const char *rec, size_t len, unsigned long line)
{
    size_t need = sizeof(kept_row) + ((len + 7) & ~(size_t)7);
    if (k->len + need > k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 65536;
        while (cap < k->len + need)
            cap *= 2;
        char *n = realloc(k->buf, cap);
        if (!n)
            return EG_ERR_NOMEM;
        k->buf = n;
        k->cap = cap;
    }
    kept_row h = { line, len };
    memcpy(k->buf + k->len, &h, sizeof h);
    memcpy(k->buf + k->len + sizeof h, rec, len);
    k->len += need;
    k->n++;
    return EG_OK;
}

/* Order of kept rows by line. */
static int cmp_rows(const void *a, const void *b)
{
    const kept_row *x = *(const kept_row *const *)a, *y = *(const kept_row *const *)b;
    return x->line < y->line ? -1 : x->line > y->line;
}

eg_err eg_kept_replay(eg_kept *k, size_t nk, eg_fallback *fb, eg_diag *d)
{
    size_t nrows = 0, n = 0;
    eg_err e = EG_OK;
    for (size_t i = 0; i < nk; i++)
        nrows += k[i].n;
    if (nrows) {
        kept_row **v = malloc(nrows * sizeof *v);
        if (!v)
            return EG_ERR_NOMEM;
        for (size_t i = 0; i < nk; i++)
            for (size_t off = 0; off < k[i].len;) {
                kept_row *h = (kept_row *)(void *)(k[i].buf + off);
                v[n++] = h;
                off += sizeof *h + ((h->len + 7) & ~(size_t)7);
            }
        qsort(v, nrows, sizeof *v, cmp_rows);
        for (size_t i = 0; i < nrows && !e; i++)
            e = eg_fallback_add(fb, (const char *)(v[i] + 1), v[i]->len, v[i]->line, d);
        free(v);
    }
    return e ? e : eg_fallback_flush(fb, d);
}

void eg_kept_free(eg_kept *k)
{
    free(k->buf);
    memset(k, 0, sizeof *k);
}

/* One travel worker and what it produced (a cache line of its own: the
 * workers write their own all the time, and sharing lines would make
 * every write a miss on the other core). */
typedef struct tworker {
    _Alignas(64) eg_screen *shard;
    eg_kept kept;             /* rows for the full reader */
    long rows, taken;
} tworker;

/* What the travel workers share. */
typedef struct travel_par {
    const eg_fast_cols *fc;
    tworker *w;
} travel_par;

/* Parse one block of travel.csv into worker i's shard. */
static eg_err travel_block(void *ctx, int i, const char *data, size_t dlen, unsigned long first)
{
    travel_par *t = ctx;
    tworker *w = &t->w[i];
    size_t pos = 0, len;
    const char *rec;
    unsigned long line = first, nl;
    int quoted;
    eg_fast_row r;
    eg_err e = EG_OK;
    long taken = 0;
    memset(&r.memo, 0, sizeof r.memo);
    while (pos < dlen && !e) {
        unsigned long at = line;
        int k = eg_fast_row_next(data, dlen, &pos, t->fc, &r, &rec, &len);
        if (k < 0) { /* a quoted record, maybe of several lines */
            eg_block_next(data, dlen, &pos, &rec, &len, &nl, &quoted);
            line += nl;
        } else {
            line++;
        }
        if (len == 0)
            continue;
        if (k > 0 && at <= UINT32_MAX) {
            taken++;
            e = eg_screen_add_fast(w->shard, &r, (uint32_t)at);
            continue;
        }
        e = eg_kept_add(&w->kept, rec, len, at);
    }
    w->rows += taken;
    w->taken += taken;
    return e;
}

/* A travel worker is done: sort its shard (in parallel with the others). */
static eg_err travel_end(void *ctx, int i)
{
    travel_par *t = ctx;
    return eg_screen_shard_sort(t->w[i].shard);
}

eg_err eg_screen_read_travel_parallel(eg_screen *s, eg_lines *lr, const eg_fast_cols *fc,
                                      int nthreads, eg_fallback *fb,
                                      const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    travel_par t = { .fc = fc };
    eg_err e = EG_OK;
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > MAX_THREADS)
        nthreads = MAX_THREADS;
    t.w = aligned_alloc(64, (size_t)nthreads * sizeof *t.w); /* whole cache lines each */
    if (!t.w)
        return EG_ERR_NOMEM;
    memset(t.w, 0, (size_t)nthreads * sizeof *t.w);
    /* rows are rarely under 64 bytes: room for that many legs, spread over
     * the workers (address space; only what is filled takes memory) */
    size_t guess = lr->size > lr->consumed ? (size_t)((lr->size - lr->consumed) / 64) : 0;
    for (int i = 0; i < nthreads && !e; i++) {
        e = eg_screen_shard_new(s, &t.w[i].shard);
        if (!e && guess >= 65536)
            e = eg_screen_shard_reserve(t.w[i].shard, guess / (size_t)nthreads + 4096);
    }
    if (!e)
        e = eg_blocks_parallel(lr, nthreads, travel_block, travel_end, &t, o);
    eg_kept *kept = malloc((size_t)nthreads * sizeof *kept);
    if (!kept && !e)
        e = EG_ERR_NOMEM;
    for (int i = 0; i < nthreads; i++) {
        if (!e && t.w[i].shard)
            e = eg_screen_merge(s, t.w[i].shard);
        res->rows += t.w[i].rows;
        res->imported += t.w[i].taken;
        if (kept)
            kept[i] = t.w[i].kept;
    }
    /* the rows for the full reader, in line order */
    if (!e)
        e = eg_kept_replay(kept, (size_t)nthreads, fb, d);
    for (int i = 0; i < nthreads; i++) {
        eg_screen_free(t.w[i].shard);
        eg_kept_free(&t.w[i].kept);
    }
    free(kept);
    free(t.w);
    if (e == EG_ERR_IO)
        eg_diag_set(d, e, NULL, 0, NULL, "read error");
    return e;
}
