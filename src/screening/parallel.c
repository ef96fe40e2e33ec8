/*
 * screening/parallel.c: reading travel.csv with several threads. The
 * calling thread cuts the file into blocks of whole records (a few
 * megabytes each, cut where the number of quotes so far is even) and
 * hands them to worker threads through a small bounded queue; each worker
 * parses its blocks through the fast path into its own engine shard.
 * Rows the fast path does not take are kept as text with their line and,
 * after the workers are done, read in line order by the full row reader
 * on the calling thread, so messages come out in file order and callbacks
 * are never called from a worker. Results do not depend on the thread
 * count: every tie is broken by line number.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "screening/internal.h"

/* A block of records. */
typedef struct block {
    char *base;
    const char *data;
    size_t len;
    unsigned long first_line;
    struct block *next;
} block;

/* The queue between the reader and the workers. */
typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    block *head, *tail;
    size_t n, max;
    int closed;
} queue;

/* One worker and what it produced. */
typedef struct worker {
    pthread_t th;
    queue *q;
    eg_screen *shard;
    const eg_fast_cols *fc;
    eg_date today;
    char *fb;                 /* rows for the full reader: [line][len][bytes]... */
    size_t fblen, fbcap, nfb;
    long rows, taken;
    eg_err err;
} worker;

/* Header of a row kept for the full reader. */
typedef struct fb_row {
    unsigned long line;
    size_t len;
} fb_row;

/* Keep a row for the full reader. */
static eg_err keep_row(worker *w, const char *rec, size_t len, unsigned long line)
{
    size_t need = sizeof(fb_row) + ((len + 7) & ~(size_t)7);
    if (w->fblen + need > w->fbcap) {
        size_t cap = w->fbcap ? w->fbcap * 2 : 65536;
        while (cap < w->fblen + need)
            cap *= 2;
        char *n = realloc(w->fb, cap);
        if (!n)
            return EG_ERR_NOMEM;
        w->fb = n;
        w->fbcap = cap;
    }
    fb_row h = { line, len };
    memcpy(w->fb + w->fblen, &h, sizeof h);
    memcpy(w->fb + w->fblen + sizeof h, rec, len);
    w->fblen += need;
    w->nfb++;
    return EG_OK;
}

/* Parse one block into the worker's shard. */
static eg_err parse_block(worker *w, const block *b, char **scratch, size_t *scap)
{
    size_t pos = 0, len;
    const char *rec;
    unsigned long line = b->first_line, nl;
    int quoted;
    eg_leg l;
    eg_err e;
    while (eg_block_next(b->data, b->len, &pos, &rec, &len, &nl, &quoted)) {
        unsigned long at = line;
        line += nl;
        if (len == 0)
            continue;
        if (!quoted) {
            if (len + 1 > *scap) {
                char *n = realloc(*scratch, len + 1);
                if (!n)
                    return EG_ERR_NOMEM;
                *scratch = n;
                *scap = len + 1;
            }
            if (at <= UINT32_MAX && eg_fast_leg(rec, len, *scratch, w->fc, w->today, at, &l)) {
                w->rows++;
                w->taken++;
                if ((e = eg_screen_add_leg(w->shard, &l, (uint32_t)at)))
                    return e;
                continue;
            }
        }
        if ((e = keep_row(w, rec, len, at)))
            return e;
    }
    return EG_OK;
}

/* Worker thread: take blocks until the queue is closed and empty. */
static void *work(void *arg)
{
    worker *w = arg;
    char *scratch = NULL;
    size_t scap = 0;
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
            if (!w->err)
                w->err = eg_screen_shard_sort(w->shard);
            break;
        }
        if (!w->err)
            w->err = parse_block(w, b, &scratch, &scap);
        free(b->base);
        free(b);
    }
    free(scratch);
    return NULL;
}

/* Order of kept rows by line. */
static int cmp_rows(const void *a, const void *b)
{
    const fb_row *x = *(const fb_row *const *)a, *y = *(const fb_row *const *)b;
    return x->line < y->line ? -1 : x->line > y->line;
}

eg_err eg_screen_read_travel_parallel(eg_screen *s, eg_lines *lr, const eg_fast_cols *fc,
                                      eg_date today, int nthreads, eg_fallback *fb,
                                      const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    queue q;
    worker *w;
    int started = 0;
    eg_err e = EG_OK;
    if (nthreads < 1)
        nthreads = 1;
    w = calloc((size_t)nthreads, sizeof *w);
    if (!w)
        return EG_ERR_NOMEM;
    memset(&q, 0, sizeof q);
    q.max = (size_t)nthreads * 2;
    pthread_mutex_init(&q.mu, NULL);
    pthread_cond_init(&q.not_empty, NULL);
    pthread_cond_init(&q.not_full, NULL);
    for (int i = 0; i < nthreads && !e; i++) {
        w[i].q = &q;
        w[i].fc = fc;
        w[i].today = today;
        e = eg_screen_shard_new(s, &w[i].shard);
        if (!e && pthread_create(&w[i].th, NULL, work, &w[i]) != 0)
            e = EG_ERR_NOMEM;
        if (!e)
            started++;
    }
    /* the reader: cut blocks and queue them */
    while (!e) {
        block *b = malloc(sizeof *b);
        if (!b) {
            e = EG_ERR_NOMEM;
            break;
        }
        e = eg_lines_block(lr, &b->base, &b->data, &b->len, &b->first_line);
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
        if (o->progress)
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
        free(b->base);
        free(b);
    }
    size_t nrows = 0;
    for (int i = 0; i < nthreads; i++) {
        if (!e && w[i].err)
            e = w[i].err;
        if (!e && w[i].shard)
            e = eg_screen_merge(s, w[i].shard);
        res->rows += w[i].rows;
        res->imported += w[i].taken;
        nrows += w[i].nfb;
    }
    /* the rows for the full reader, in line order */
    if (!e && nrows) {
        fb_row **v = malloc(nrows * sizeof *v);
        size_t k = 0;
        if (!v)
            e = EG_ERR_NOMEM;
        for (int i = 0; v && i < nthreads; i++)
            for (size_t off = 0; off < w[i].fblen;) {
                fb_row *h = (fb_row *)(void *)(w[i].fb + off);
                v[k++] = h;
                off += sizeof *h + ((h->len + 7) & ~(size_t)7);
            }
        if (v)
            qsort(v, nrows, sizeof *v, cmp_rows);
        for (size_t i = 0; v && i < nrows && !e; i++)
            e = eg_fallback_add(fb, (const char *)(v[i] + 1), v[i]->len, v[i]->line, d);
        free(v);
    }
    if (!e)
        e = eg_fallback_flush(fb, d);
    for (int i = 0; i < nthreads; i++) {
        eg_screen_free(w[i].shard);
        free(w[i].fb);
    }
    free(w);
    pthread_cond_destroy(&q.not_full);
    pthread_cond_destroy(&q.not_empty);
    pthread_mutex_destroy(&q.mu);
    if (e == EG_ERR_IO)
        eg_diag_set(d, e, NULL, 0, NULL, "read error");
    return e;
}
