/*
 * http/pool.c: store handles for reading, one per request in flight
 * (a store handle is not thread-safe). Handles are opened on demand and
 * kept for the next request; each has its own text normaliser.
 */
#include <stdlib.h>
#include "internal.h"

eg_reader *eg_pool_get(eg_server *srv)
{
    eg_reader *rd;
    pthread_mutex_lock(&srv->pool_mu);
    rd = srv->pool;
    if (rd)
        srv->pool = rd->next;
    pthread_mutex_unlock(&srv->pool_mu);
    if (rd)
        return rd;
    if (!(rd = calloc(1, sizeof *rd)))
        return NULL;
    if (eg_store_open(srv->db_path, 0, &rd->s, NULL) || eg_normalizer_new(&rd->norm)) {
        eg_store_close(rd->s);
        eg_normalizer_free(rd->norm);
        free(rd);
        return NULL;
    }
    return rd;
}

void eg_pool_put(eg_server *srv, eg_reader *rd)
{
    if (!rd)
        return;
    pthread_mutex_lock(&srv->pool_mu);
    rd->next = srv->pool;
    srv->pool = rd;
    pthread_mutex_unlock(&srv->pool_mu);
}

void eg_pool_free(eg_server *srv)
{
    eg_reader *rd = srv->pool, *next;
    for (; rd; rd = next) {
        next = rd->next;
        eg_store_close(rd->s);
        eg_normalizer_free(rd->norm);
        free(rd);
    }
    srv->pool = NULL;
}
