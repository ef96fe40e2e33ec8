/*
 * http/report_cache.c: the server's cache of daily reports (GET
 * /reports/daily). Computing a live report costs tens of milliseconds
 * (the whole tree, epigrid/report.h); reading a stored version back costs
 * about ten. A report is kept per (date, version asked for, as-at moment)
 * and shared by every request for any node of it (the JSON of one node is
 * made per request: a fraction of a millisecond).
 *
 * Freshness: an entry records the writer's count of committed batches
 * (srv->batches) read before it was computed; once the writer commits
 * again the entry is stale, so an answer that follows a 2xx write of this
 * server always reflects it. Writes made outside the server (the command
 * line: corrections, the daily run, imports) are seen within
 * EG_REPORT_CACHE_MS of real time, the most an entry of the latest version
 * or of a live report is kept. An explicit stored version never changes:
 * it is kept until evicted (least recently used, EG_REPORT_CACHE_N
 * entries). One request computes a missing entry while the others asking
 * for it wait (no stampede after a write).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "epigrid/report.h"

#define EG_REPORT_CACHE_N 8
#define EG_REPORT_CACHE_MS 5000

/* One cached report. */
typedef struct rc_entry {
    eg_date day;
    int version;            /* asked for: 0 = the latest stored, else live */
    eg_time as_at;          /* min(day 23:59, now): the moment a live report is as at */
    long gen;               /* srv->batches before it was computed */
    int64_t born_ms;        /* monotonic */
    int64_t used;           /* LRU tick */
    int ready;              /* 0 while one request computes it */
    int in_cache;           /* 0 once evicted (freed when the last user releases it) */
    int refs;
    eg_report *rep;
} rc_entry;

struct eg_report_cache {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rc_entry *e[EG_REPORT_CACHE_N];
    int64_t tick;
};

/* Monotonic milliseconds. */
static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The writer's count of committed batches. */
static long commit_gen(eg_server *srv)
{
    long g;
    pthread_mutex_lock(&srv->q_mu);
    g = srv->batches;
    pthread_mutex_unlock(&srv->q_mu);
    return g;
}

eg_err eg_report_cache_init(eg_server *srv)
{
    struct eg_report_cache *c = calloc(1, sizeof *c);
    if (!c)
        return EG_ERR_NOMEM;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    srv->rcache = c;
    return EG_OK;
}

/* Free an entry (its report too). */
static void entry_free(rc_entry *e)
{
    eg_report_free(e->rep);
    free(e);
}

void eg_report_cache_free(eg_server *srv)
{
    struct eg_report_cache *c = srv->rcache;
    if (!c)
        return;
    for (int i = 0; i < EG_REPORT_CACHE_N; i++)
        if (c->e[i])
            entry_free(c->e[i]);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
    srv->rcache = NULL;
}

/* Take entry i out of the cache (under c->mu); freed now or by its last user. */
static void evict(struct eg_report_cache *c, int i)
{
    rc_entry *e = c->e[i];
    c->e[i] = NULL;
    e->in_cache = 0;
    if (e->refs == 0)
        entry_free(e);
}

/* 1 if a ready entry may still be served. */
static int fresh(const rc_entry *e, long gen, int64_t now_ms)
{
    if (e->version > 0)
        return 1;   /* a stored version never changes */
    return e->gen == gen && now_ms - e->born_ms < EG_REPORT_CACHE_MS;
}

void eg_report_cache_release(eg_server *srv, void *handle)
{
    struct eg_report_cache *c = srv->rcache;
    rc_entry *e = handle;
    if (!e)
        return;
    pthread_mutex_lock(&c->mu);
    if (--e->refs == 0 && !e->in_cache)
        entry_free(e);
    pthread_mutex_unlock(&c->mu);
}

eg_err eg_report_cache_get(eg_server *srv, eg_store *s, eg_date day, int version, eg_time now,
                           const eg_report **out, void **handle, int *hit, eg_diag *d)
{
    struct eg_report_cache *c = srv->rcache;
    eg_time end, as_at;
    rc_entry *mine = NULL;
    eg_report *rep = NULL;
    eg_err e;
    *out = NULL;
    *handle = NULL;
    *hit = 0;
    if (eg_time_from_parts(day, 23, 59, &end))
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "date", "not a date of the calendar");
    as_at = now < end ? now : end;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        long gen = commit_gen(srv);
        int64_t now_ms = mono_ms();
        int found = -1, waiting = 0;
        for (int i = 0; i < EG_REPORT_CACHE_N; i++) {
            rc_entry *x = c->e[i];
            if (!x || x->day != day || x->version != version || (version == 0 && x->as_at != as_at))
                continue;
            if (!x->ready) {
                waiting = 1;    /* another request computes it */
                continue;
            }
            if (!fresh(x, gen, now_ms)) {
                evict(c, i);
                continue;
            }
            found = i;
            break;
        }
        if (found >= 0) {
            rc_entry *x = c->e[found];
            x->refs++;
            x->used = ++c->tick;
            pthread_mutex_unlock(&c->mu);
            *hit = 1;
            *out = x->rep;
            *handle = x;
            return EG_OK;
        }
        if (waiting) {
            pthread_cond_wait(&c->cv, &c->mu);
            continue;
        }
        /* compute it: a placeholder others wait on, in a free or the least recently used slot */
        int slot = -1;
        for (int i = 0; i < EG_REPORT_CACHE_N && slot < 0; i++)
            if (!c->e[i])
                slot = i;
        for (int i = 0; i < EG_REPORT_CACHE_N && slot < 0; i++)
            if (c->e[i]->ready && (slot < 0 || c->e[i]->used < c->e[slot]->used))
                slot = i;
        if (slot >= 0 && c->e[slot])
            evict(c, slot);
        if (slot >= 0 && (mine = calloc(1, sizeof *mine)) != NULL) {
            mine->day = day;
            mine->version = version;
            mine->as_at = as_at;
            mine->gen = gen;
            mine->in_cache = 1;
            mine->refs = 1;
            c->e[slot] = mine;
        }
        pthread_mutex_unlock(&c->mu);
        break;
    }
    e = eg_report_get(s, srv->tree, day, version, now, &rep, d);
    pthread_mutex_lock(&c->mu);
    if (!mine) {
        /* no slot (every one being computed) or no memory: an uncached report */
        pthread_mutex_unlock(&c->mu);
        if (e)
            return e;
        if (!(mine = calloc(1, sizeof *mine))) {
            eg_report_free(rep);
            return EG_ERR_NOMEM;
        }
        mine->rep = rep;
        mine->refs = 1;
        *out = rep;
        *handle = mine;
        return EG_OK;
    }
    if (e) {
        for (int i = 0; i < EG_REPORT_CACHE_N; i++)
            if (c->e[i] == mine)
                c->e[i] = NULL;
        mine->in_cache = 0;
        mine->refs = 0;
        entry_free(mine);
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
        return e;
    }
    mine->rep = rep;
    mine->ready = 1;
    mine->born_ms = mono_ms();
    mine->used = ++c->tick;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    *out = rep;
    *handle = mine;
    return EG_OK;
}
