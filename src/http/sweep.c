/*
 * http/sweep.c: the server's daily sweep, every minute (issue 5: "the
 * server runs the same sweep every minute").
 *
 * A thread of its own, on its own store handle: every `sweep_seconds` of
 * real time it runs, as at the server's clock, the control module's daily
 * run for the clock's day (orders due end, missed-reading alerts after each
 * deadline, escalations; idempotent for the same moment) and the
 * facilities' sweep (places follow transitions, overdue admissions,
 * standby and fever-outcome alerts). It does not store the day's report:
 * version 1 is the end-of-day run's (`epigrid daily`). SQLite serialises its
 * transactions with the writer thread's (busy timeout).
 */
#include <errno.h>
#include <time.h>
#include "epigrid/facility.h"
#include "internal.h"

/* One sweep at the server's clock. Errors go to the log; the next sweep
 * tries again. */
static void sweep_once(eg_server *srv, eg_store *s)
{
    eg_time now = eg_clock_now(&srv->clock);
    eg_daily_summary sum;
    eg_facility_params fp;
    eg_facility_sweep fs;
    eg_diag d;
    eg_err e;
    eg_diag_clear(&d);
    e = eg_control_daily(s, &srv->ctl, eg_time_date(now), now, "server:sweep", &sum, &d);
    if (!e)
        e = eg_facility_params_load(s, &fp, &d);
    if (!e)
        e = eg_facility_sweep_run(s, srv->tree, &fp, now, &fs, &d);
    if (e && srv->log) {
        char buf[700];
        fprintf(srv->log, "epigrid: serve: sweep: %s\n", d.reason[0] ? eg_diag_format(&d, buf, sizeof buf)
                                                                     : eg_strerror(e));
    }
    pthread_mutex_lock(&srv->q_mu);
    srv->sweeps++;
    if (!e && !sum.repeated)
        srv->batches++;   /* something may have changed: caches and the checkpointer see a commit */
    pthread_mutex_unlock(&srv->q_mu);
}

/* The sweep thread: wait the period (or the stop), sweep, again. */
static void *sweep_main(void *arg)
{
    eg_server *srv = arg;
    eg_store *s = NULL;
    if (eg_store_open(srv->db_path, 0, &s, NULL)) {
        if (srv->log)
            fprintf(srv->log, "epigrid: serve: sweep: cannot open the store; no sweep\n");
        return NULL;
    }
    pthread_mutex_lock(&srv->q_mu);
    while (!srv->sweep_stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += srv->sweep_seconds;
        while (!srv->sweep_stopping &&
               pthread_cond_timedwait(&srv->sw_cv, &srv->q_mu, &until) != ETIMEDOUT)
            ;
        if (srv->sweep_stopping)
            break;
        pthread_mutex_unlock(&srv->q_mu);
        sweep_once(srv, s);
        pthread_mutex_lock(&srv->q_mu);
    }
    pthread_mutex_unlock(&srv->q_mu);
    eg_store_close(s);
    return NULL;
}

eg_err eg_sweep_start(eg_server *srv, int seconds)
{
    if (seconds <= 0)
        return EG_OK;
    srv->sweep_seconds = seconds;
    pthread_cond_init(&srv->sw_cv, NULL);
    if (pthread_create(&srv->sweeper, NULL, sweep_main, srv)) {
        pthread_cond_destroy(&srv->sw_cv);
        return EG_ERR_NOMEM;
    }
    srv->sweep_started = 1;
    return EG_OK;
}

void eg_sweep_stop(eg_server *srv)
{
    if (!srv->sweep_started)
        return;
    pthread_mutex_lock(&srv->q_mu);
    srv->sweep_stopping = 1;
    pthread_cond_signal(&srv->sw_cv);
    pthread_mutex_unlock(&srv->q_mu);
    pthread_join(srv->sweeper, NULL);
    pthread_cond_destroy(&srv->sw_cv);
    srv->sweep_started = 0;
}
