/*
 * http/h_analysis.c: GET /analysis/series, /analysis/rt and
 * /analysis/projection (epigrid/analysis.h) over the bundled official
 * case series (data/real/, see PROVENANCE.md), read from the file on each
 * request as `epigrid analyze` does. Shapes follow spec/api.md; NA and
 * NaN are null.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define JILIN "real/covid_city_daily_official_jilin_2020.csv"
#define HUBEI "real/covid_city_daily_official_hubei_202001_202004.csv"
#define SRC_JL "Jilin Provincial Health Commission daily reports (official), data/real/PROVENANCE.md"
#define SRC_HB "Hubei Provincial Health Commission daily reports (official), data/real/PROVENANCE.md"

/* The catalogue: id, name, region code, file, source. */
static const eg_series CATALOGUE[] = {
    { "jilin", "吉林省 Jilin province (province total)", "22", JILIN, SRC_JL, 0, 0, 0 },
    { "changchun", "长春市 Changchun", "220100", JILIN, SRC_JL, 0, 0, 0 },
    { "jilin-city", "吉林市 Jilin city", "220200", JILIN, SRC_JL, 0, 0, 0 },
    { "siping", "四平市 Siping", "220300", JILIN, SRC_JL, 0, 0, 0 },
    { "liaoyuan", "辽源市 Liaoyuan", "220400", JILIN, SRC_JL, 0, 0, 0 },
    { "tonghua", "通化市 Tonghua", "220500", JILIN, SRC_JL, 0, 0, 0 },
    { "baishan", "白山市 Baishan", "220600", JILIN, SRC_JL, 0, 0, 0 },
    { "songyuan", "松原市 Songyuan", "220700", JILIN, SRC_JL, 0, 0, 0 },
    { "baicheng", "白城市 Baicheng", "220800", JILIN, SRC_JL, 0, 0, 0 },
    { "yanbian", "延边朝鲜族自治州 Yanbian", "222400", JILIN, SRC_JL, 0, 0, 0 },
    { "hubei", "湖北省 Hubei province (province total)", "42", HUBEI, SRC_HB, 0, 0, 0 },
    { "wuhan", "武汉市 Wuhan", "420100", HUBEI, SRC_HB, 0, 0, 0 },
};
#define N_CAT (sizeof CATALOGUE / sizeof CATALOGUE[0])

/* Read series `s` into inc (daily confirmed). */
static eg_err read_series(const eg_server *srv, const eg_series *s, eg_incidence *inc, eg_diag *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", srv->data_dir ? srv->data_dir : ".", s->file);
    return eg_incidence_read_series(path, s->region, "confirmed", inc, NULL, d);
}

eg_err eg_series_load(eg_server *srv)
{
    if (!(srv->series = calloc(N_CAT, sizeof *srv->series)))
        return EG_ERR_NOMEM;
    srv->n_series = N_CAT;
    for (size_t i = 0; i < N_CAT; i++) {
        eg_incidence inc = { 0 };
        srv->series[i] = CATALOGUE[i];
        if (srv->data_dir && read_series(srv, &srv->series[i], &inc, NULL) == EG_OK) {
            srv->series[i].loaded = 1;
            srv->series[i].first = inc.first;
            srv->series[i].last = inc.first + (eg_date)inc.n - 1;
        }
        eg_incidence_free(&inc);
    }
    return EG_OK;
}

void eg_series_free(eg_server *srv)
{
    free(srv->series);
    srv->series = NULL;
    srv->n_series = 0;
}

/* JSON of one series. */
static json_t *series_json(const eg_series *s)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "id", s->id, "name", s->name, "region", s->region, "source",
                     s->source, "first_date", eg_json_date(s->first), "last_date", eg_json_date(s->last));
}

void eg_h_series(eg_req *r)
{
    json_t *items = json_array();
    for (size_t i = 0; i < r->srv->n_series; i++)
        if (r->srv->series[i].loaded)
            json_array_append_new(items, series_json(&r->srv->series[i]));
    eg_req_json(r, 200, json_pack("{s:o}", "items", items));
}

/* The series named by ?series= and its incidence sliced to [from, to]:
 * 0, or -1 after an error answer. */
static int load_param(eg_req *r, const eg_series **out, eg_incidence *inc, eg_date from, eg_date to)
{
    const char *id = eg_req_query(r, "series");
    eg_diag d;
    eg_err e;
    *out = NULL;
    for (size_t i = 0; id && i < r->srv->n_series; i++)
        if (r->srv->series[i].loaded && strcmp(r->srv->series[i].id, id) == 0)
            *out = &r->srv->series[i];
    if (!id || !*id) {
        eg_req_error(r, 400, "missing_parameter", "series", "'series' is required (GET /analysis/series)");
        return -1;
    }
    if (!*out) {
        eg_req_error(r, 404, "not_found", "series", "no such series");
        return -1;
    }
    if ((e = read_series(r->srv, *out, inc, &d))) {
        eg_req_error(r, 503, "unavailable", "series", "cannot read the series: %s", d.reason);
        return -1;
    }
    if ((from != EG_NO_DATE || to != EG_NO_DATE) &&
        (e = eg_incidence_slice(inc, from == EG_NO_DATE ? EG_AN_NO_DATE : from, to == EG_NO_DATE ? EG_AN_NO_DATE : to,
                                &d))) {
        eg_req_error(r, 422, eg_err_name(e), from != EG_NO_DATE ? "from" : "to", "%s", d.reason);
        return -1;
    }
    if (inc->n < 2) {
        eg_req_error(r, 422, "out_of_range", "from", "the range holds fewer than 2 days");
        return -1;
    }
    return 0;
}

/* A number or null. */
static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* Estimate Rt of inc with SI (mean, sd) and sliding windows. */
static int estimate(eg_req *r, const eg_incidence *inc, double mean, double sd, long window, eg_rt_result *rr)
{
    eg_rt_config c;
    eg_diag d;
    eg_err e;
    eg_rt_config_default(&c);
    c.mean_si = mean;
    c.std_si = sd;
    c.window = (size_t)window;
    if ((size_t)window > inc->n - 1) {
        eg_req_error(r, 422, "out_of_range", "window", "the window is longer than the series allows (%zu days)",
                     inc->n - 1);
        return -1;
    }
    if ((e = eg_rt_estimate(inc->local, inc->imported, inc->n, &c, rr, &d))) {
        eg_req_error(r, 422, eg_err_name(e), NULL, "%s", d.reason);
        return -1;
    }
    return 0;
}

void eg_h_rt(eg_req *r)
{
    const eg_series *s;
    eg_incidence inc = { 0 };
    eg_rt_result rr = { 0 };
    eg_date from, to;
    double mean, sd;
    long window;
    static const char *const QN[EG_RT_NQ] = { "q0.025", "q0.05", "q0.25", "median", "q0.75", "q0.95", "q0.975" };
    if (eg_query_date(r, "from", &from) || eg_query_date(r, "to", &to) ||
        eg_query_double(r, "si_mean", 1.0001, 60, 7.5, &mean) || eg_query_double(r, "si_sd", 0.01, 60, 3.4, &sd) ||
        eg_query_long(r, "window", 1, 365, 7, &window) || load_param(r, &s, &inc, from, to) ||
        estimate(r, &inc, mean, sd, window, &rr)) {
        eg_incidence_free(&inc);
        return;
    }
    json_t *ws = json_array();
    for (size_t i = 0; i < rr.n_windows; i++) {
        const eg_rt_window *w = &rr.windows[i];
        json_t *o = json_pack("{s:I,s:I,s:o,s:o,s:o,s:o}", "t_start", (json_int_t)w->t_start, "t_end",
                              (json_int_t)w->t_end, "date_start", eg_json_date(inc.first + (eg_date)w->t_start - 1),
                              "date_end", eg_json_date(inc.first + (eg_date)w->t_end - 1), "mean",
                              w->na ? json_null() : num(w->mean), "std", w->na ? json_null() : num(w->std));
        for (int q = 0; q < EG_RT_NQ; q++)
            json_object_set_new(o, QN[q], w->na ? json_null() : num(w->q[q]));
        json_array_append_new(ws, o);
    }
    eg_req_json(r, 200, json_pack("{s:o,s:{s:f,s:f},s:o,s:b}", "series", series_json(s), "si", "mean", mean, "sd",
                                  sd, "windows", ws, "first_window_low", rr.first_window_low));
    eg_rt_result_free(&rr);
    eg_incidence_free(&inc);
}

/* Quantile arrays {"q0.05":[..],...} of q[EG_PROJ_NQ * days]. */
static json_t *quantiles(const double *q, size_t days)
{
    static const char *const QN[EG_PROJ_NQ] = { "q0.05", "q0.25", "median", "q0.75", "q0.95" };
    json_t *o = json_object();
    for (int j = 0; j < EG_PROJ_NQ; j++) {
        json_t *a = json_array();
        for (size_t t = 0; t < days; t++)
            json_array_append_new(a, num(q[(size_t)j * days + t]));
        json_object_set_new(o, QN[j], a);
    }
    return o;
}

void eg_h_projection(eg_req *r)
{
    const eg_series *s;
    eg_incidence inc = { 0 };
    eg_rt_result rr = { 0 };
    eg_proj_result pr = { 0 };
    eg_proj_config pc;
    eg_r_piece piece = { 1, 0, 0, 0, 0 };
    double *si = NULL, *los = NULL;
    size_t los_len = 0;
    eg_date as_of;
    long days, n_sim, seed, capacity, standby, more_than;
    double r_mean, r_sd, disp, admit, los_mean, los_sd, si_mean, si_sd;
    eg_diag d;
    eg_err e;
    if (eg_query_date(r, "as_of", &as_of) || eg_query_long(r, "days", 1, 120, 14, &days) ||
        eg_query_long(r, "n_sim", 1, 100000, 10000, &n_sim) || eg_query_long(r, "seed", 0, 1L << 52, 1, &seed) ||
        eg_query_double(r, "r_mean", 0, 20, NAN, &r_mean) || eg_query_double(r, "r_sd", 0, 20, 0, &r_sd) ||
        eg_query_double(r, "dispersion", 0, 1e6, 0, &disp) || eg_query_double(r, "admit_prob", 0, 1, 0, &admit) ||
        eg_query_double(r, "los_mean", 0.01, 365, NAN, &los_mean) ||
        eg_query_double(r, "los_sd", 0.01, 365, NAN, &los_sd) ||
        eg_query_long(r, "capacity", 0, 10000000, -1, &capacity) ||
        eg_query_long(r, "standby", 0, 10000000, -1, &standby) ||
        eg_query_long(r, "more_than", 0, 100000000, -1, &more_than) ||
        eg_query_double(r, "si_mean", 1.0001, 60, 7.5, &si_mean) || eg_query_double(r, "si_sd", 0.01, 60, 3.4, &si_sd) ||
        load_param(r, &s, &inc, EG_NO_DATE, as_of))
        goto out;
    if (isnan(r_mean)) {
        /* R from the posterior of the series' last weekly window */
        if (estimate(r, &inc, si_mean, si_sd, 7, &rr))
            goto out;
        const eg_rt_window *w = &rr.windows[rr.n_windows - 1];
        if (w->na) {
            eg_req_error(r, 422, "invalid", "r_mean", "the last Rt window is NA; give r_mean");
            goto out;
        }
        piece = (eg_r_piece){ 1, w->mean, w->std, w->shape, w->scale };
    } else {
        piece = (eg_r_piece){ 1, r_mean, r_sd, 0, 0 };
    }
    size_t si_len = inc.n + (size_t)days + 1;
    if (!(si = malloc(si_len * sizeof *si)) || eg_discr_si(si_mean, si_sd, si_len, si, &d)) {
        eg_req_error(r, 422, "invalid", "si_mean", "bad serial interval");
        goto out;
    }
    if (!isnan(los_mean) || !isnan(los_sd)) {
        if (isnan(los_mean) || isnan(los_sd) || eg_los_gamma(los_mean, los_sd, &los, &los_len, &d)) {
            eg_req_error(r, 422, "invalid", "los_mean", "give los_mean and los_sd (days, > 0)");
            goto out;
        }
    }
    eg_project_config_default(&pc);
    pc.si = si;
    pc.si_len = eg_si_support(si, si_len);
    pc.days = (size_t)days;
    pc.n_sim = (size_t)n_sim;
    pc.seed = (uint64_t)seed;
    pc.pieces = &piece;
    pc.n_pieces = 1;
    pc.dispersion = disp > 0 ? disp : 0;
    pc.admit_prob = admit;
    pc.los = los;
    pc.los_len = los_len;
    pc.capacity = capacity;
    pc.standby = standby;
    pc.no_case_days = (size_t)days < 14 ? (size_t)days : 14;
    pc.more_than = more_than;
    if ((e = eg_project(inc.local, inc.imported, inc.n, &pc, &pr, &d))) {
        eg_req_error(r, 422, eg_err_name(e), NULL, "%s", d.reason);
        goto out;
    }
    {
        json_t *dates = json_array();
        eg_date last = inc.first + (eg_date)inc.n - 1;
        for (long t = 0; t < days; t++)
            json_array_append_new(dates, eg_json_date(last + 1 + (eg_date)t));
        json_t *probs = json_pack("{s:I,s:o,s:o,s:o,s:o}", "no_new_case_days", (json_int_t)pc.no_case_days,
                                  "p_no_new_case", num(pr.p_no_new_case), "p_more_than",
                                  more_than >= 0 ? json_pack("{s:I,s:o}", "x", (json_int_t)more_than, "p",
                                                             num(pr.p_more_than)) : json_null(),
                                  "p_beds_over_capacity", num(pr.p_over_capacity),
                                  "p_beds_over_capacity_with_standby", num(pr.p_over_capacity_standby));
        eg_req_json(r, 200, json_pack("{s:o,s:o,s:o,s:o,s:o,s:I,s:o,s:{s:f,s:f,s:f,s:f}}", "series", series_json(s),
                                      "dates", dates, "incidence", quantiles(pr.inc_q, pr.days), "beds",
                                      pr.beds_q ? quantiles(pr.beds_q, pr.days) : json_null(), "probabilities",
                                      probs, "seed", (json_int_t)seed, "as_of", eg_json_date(last), "r", "mean",
                                      piece.mean, "sd", piece.sd, "shape", piece.shape, "scale", piece.scale));
    }
out:
    eg_project_result_free(&pr);
    eg_rt_result_free(&rr);
    eg_incidence_free(&inc);
    free(si);
    free(los);
}
