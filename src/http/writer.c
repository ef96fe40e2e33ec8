/*
 * http/writer.c: the single writer. Requests that change the database
 * (or add audit records) queue their write here and wait suspended; the
 * writer thread takes everything queued, runs each request's write and its
 * audit records in its own savepoint inside one transaction (the store's
 * nested eg_store_tx), commits, and then resumes the requests, so a 2xx
 * answer always follows the commit (group commit:
 * SQLite in WAL mode, one fsync per batch). A second thread copies the
 * log back into the database (passive checkpoints) off the writer's path.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "internal.h"

/* Append the request's audit records (actor "user:NAME") in its open
 * transaction `tx`, so that they commit with its change or not at all. */
static eg_err write_audit(eg_store_tx *tx, eg_req *r)
{
    char actor[80];
    snprintf(actor, sizeof actor, "user:%s", r->authed ? r->user.name : "-");
    for (int i = 0; i < r->n_audit; i++) {
        eg_audit_rec a = { .at = r->now, .actor = actor, .action = r->audit[i].action,
                           .person_pid = r->audit[i].pid, .detail = r->audit[i].detail };
        eg_err e = eg_store_tx_audit(tx, &a);
        if (e)
            return e;
    }
    return EG_OK;
}

/* Run one batch of requests in one transaction, each request's audit
 * records and change in a transaction of its own nested in it (a
 * savepoint: the services it calls join it), so that one failing request
 * leaves the others of its batch. */
static void run_batch(eg_server *srv, eg_req *batch)
{
    eg_store_tx tx;
    eg_err e = eg_store_tx_begin(srv->w, &tx);
    long n = 0;
    for (eg_req *r = batch; r; r = r->q_next, n++) {
        eg_store_tx rtx;
        eg_err re;
        if (e) {
            r->job_result = e;
            continue;
        }
        if ((re = eg_store_tx_begin(srv->w, &rtx)) == EG_OK) {
            re = write_audit(&rtx, r);
            if (!re && r->job)
                re = r->job(srv->w, r);
            re = eg_store_tx_end(&rtx, re);
        }
        r->job_result = re;
    }
    if (!e && eg_store_tx_end(&tx, EG_OK)) {
        if (srv->log)
            fprintf(srv->log, "epigrid: serve: commit failed: %s\n", eg_store_errmsg(srv->w));
        for (eg_req *r = batch; r; r = r->q_next)
            if (!r->job_result)
                r->job_result = EG_ERR_DB;
    }
    pthread_mutex_lock(&srv->q_mu);
    srv->batches++;
    srv->writes += n;
    pthread_mutex_unlock(&srv->q_mu);
    for (eg_req *r = batch, *next; r; r = next) {
        next = r->q_next;   /* r may be freed once resumed */
        MHD_resume_connection(r->conn);
    }
}

/* The writer thread: wait for requests, commit them in batches. A batch is
 * whatever queued while the previous one ran; the writer never sleeps to let
 * a batch grow (it is the one serial stage: under 64 connections batches
 * average ~30 requests by themselves, and a 300 µs wait for more measured
 * slower, not faster; docs/performance.md). */
static void *writer_main(void *arg)
{
    eg_server *srv = arg;
    for (;;) {
        eg_req *batch;
        pthread_mutex_lock(&srv->q_mu);
        while (!srv->q_head && !srv->stopping)
            pthread_cond_wait(&srv->q_cv, &srv->q_mu);
        batch = srv->q_head;
        srv->q_head = srv->q_tail = NULL;
        pthread_mutex_unlock(&srv->q_mu);
        if (!batch)
            break;
        run_batch(srv, batch);
    }
    return NULL;
}

/* The checkpointer thread: after batches were committed, a passive
 * checkpoint on its own handle, so the writer never stops to copy the log
 * back (sqlite's checkpoint in the committing thread otherwise). */
static void *ckpt_main(void *arg)
{
    eg_server *srv = arg;
    pthread_mutex_lock(&srv->q_mu);
    while (!srv->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 50 * 1000000L;
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&srv->ck_cv, &srv->q_mu, &until);
        if (srv->batches == srv->ck_seen)
            continue;
        srv->ck_seen = srv->batches;
        pthread_mutex_unlock(&srv->q_mu);
        eg_store_wal_checkpoint(srv->ck);
        pthread_mutex_lock(&srv->q_mu);
    }
    pthread_mutex_unlock(&srv->q_mu);
    eg_store_wal_checkpoint(srv->ck);
    return NULL;
}

eg_err eg_writer_start(eg_server *srv, int durable)
{
    eg_err e = eg_store_open(srv->db_path, 0, &srv->w, NULL);
    if (e)
        return e;
    if (durable && (e = eg_store_durable(srv->w, 1)))
        return e;
    if (!eg_store_open(srv->db_path, 0, &srv->ck, NULL) && !eg_store_wal_autocheckpoint(srv->w, 0)) {
        pthread_cond_init(&srv->ck_cv, NULL);
        if (pthread_create(&srv->ckpt, NULL, ckpt_main, srv) == 0)
            srv->ckpt_started = 1;
        else
            eg_store_wal_autocheckpoint(srv->w, 1000);
    }
    if (pthread_create(&srv->writer, NULL, writer_main, srv))
        return EG_ERR_NOMEM;
    srv->writer_started = 1;
    return EG_OK;
}

void eg_writer_submit(eg_server *srv, eg_req *r)
{
    r->q_next = NULL;
    pthread_mutex_lock(&srv->q_mu);
    if (srv->q_tail)
        srv->q_tail->q_next = r;
    else
        srv->q_head = r;
    srv->q_tail = r;
    pthread_cond_signal(&srv->q_cv);
    pthread_mutex_unlock(&srv->q_mu);
}

void eg_writer_stop(eg_server *srv)
{
    if (srv->writer_started) {
        pthread_mutex_lock(&srv->q_mu);
        srv->stopping = 1;
        pthread_cond_signal(&srv->q_cv);
        pthread_mutex_unlock(&srv->q_mu);
        pthread_join(srv->writer, NULL);
        srv->writer_started = 0;
    }
    if (srv->ckpt_started) {
        pthread_mutex_lock(&srv->q_mu);
        srv->stopping = 1;
        pthread_cond_signal(&srv->ck_cv);
        pthread_mutex_unlock(&srv->q_mu);
        pthread_join(srv->ckpt, NULL);
        pthread_cond_destroy(&srv->ck_cv);
        srv->ckpt_started = 0;
    }
    eg_store_close(srv->ck);
    srv->ck = NULL;
    eg_store_close(srv->w);
    srv->w = NULL;
}
