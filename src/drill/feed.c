/*
 * drill/feed.c: the drill's travel feed (main-job.md, step 3).
 *
 * Travellers come home to the city within the 35 days before AS_OF, as in
 * ../shared/bench/gen_feed.py: 70 % registered residents, 30 % from
 * elsewhere; origins weighted by size and ties (Wuhan and Hubei among
 * them); a third change at a hub; some left earlier in the window. Then
 * drill travellers are put on the real case trips of the public same-trip
 * list that fall in the window and whose stations are known here, so that
 * screening finds them (K7393 梅河口→通化 2020-01-18, G727 沈阳→长春
 * carriage 5 2020-01-20, ...), continuing home when the trip ends elsewhere.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drill_internal.h"
#include "epigrid/travel.h"

/* A place travellers come from or pass through. */
typedef struct place {
    const char *name;
    const char *code;   /* short code */
    int weight;
    int airport;
    int hub;
} place;

static const place ORIGINS[] = {
    { "武汉", "4201", 20, 1, 0 }, { "孝感", "4209", 4, 0, 0 }, { "黄冈", "4211", 4, 0, 0 },
    { "宜昌", "4205", 2, 1, 0 }, { "温州", "3303", 4, 1, 0 }, { "北京", "1101", 60, 1, 1 },
    { "天津", "1201", 15, 1, 0 }, { "沈阳", "2101", 50, 1, 1 }, { "大连", "2102", 25, 1, 1 },
    { "丹东", "2106", 8, 0, 0 }, { "长春", "2201", 70, 1, 1 }, { "吉林", "2202", 30, 0, 0 },
    { "梅河口", "220581", 20, 0, 0 }, { "哈尔滨", "2301", 20, 1, 0 }, { "上海", "3101", 25, 1, 0 },
    { "杭州", "3301", 10, 1, 0 }, { "郑州", "4101", 10, 1, 0 }, { "广州", "4401", 15, 1, 0 },
    { "深圳", "4403", 12, 1, 0 },
};
#define NORIGINS (sizeof ORIGINS / sizeof ORIGINS[0])

/* The city's stations: (name, county). The airport is 通化三源浦机场 in 柳河县. */
static const place HOME[] = {
    { "通化站", "220502", 0, 0, 0 }, { "通化东站", "220502", 0, 0, 0 },
    { "二道江站", "220503", 0, 0, 0 }, { "快大茂站", "220521", 0, 0, 0 },
    { "辉南站", "220523", 0, 0, 0 }, { "柳河站", "220524", 0, 0, 0 }, { "集安站", "220582", 0, 0, 0 },
};
static const place HOME_AIRPORT = { "通化三源浦机场", "220524", 0, 1, 0 };
#define NHOME (sizeof HOME / sizeof HOME[0])

/* Station names of the public list that the drill can place (name prefix → code). */
static const struct { const char *prefix; const char *code; } STATIONS[] = {
    { "梅河口", "220581" }, { "通化", "220502" }, { "沈阳", "2101" }, { "长春", "2201" },
    { "佳木斯", "2308" }, { "松原", "2207" }, { "乾安", "220723" }, { "武汉", "4201" },
    { "汉口", "4201" }, { "武昌", "4201" }, { "北京", "1101" }, { "杭州", "3301" },
    { "郑州", "4101" }, { "哈尔滨", "2301" }, { "广州", "4401" }, { "上海", "3101" },
    { "长沙", "4301" }, { "深圳", "4403" }, { "天津", "1201" }, { "大连", "2102" },
    { "吉林", "2202" }, { "四平", "2203" },
};

/* The code of a station name, or NULL when the drill does not know it. */
static const char *station_code(const char *name)
{
    for (size_t i = 0; i < sizeof STATIONS / sizeof STATIONS[0]; i++)
        if (strncmp(name, STATIONS[i].prefix, strlen(STATIONS[i].prefix)) == 0)
            return STATIONS[i].code;
    return NULL;
}

/* FNV-1a over strings: a deterministic trip number for a route. */
static unsigned long route_hash(const char *a, const char *b, const char *c, unsigned k)
{
    unsigned long h = 2166136261UL;
    const char *parts[3] = { a, b, c };
    for (int i = 0; i < 3; i++) {
        for (const char *p = parts[i]; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619UL;
        h = (h ^ '|') * 16777619UL;
    }
    return (h ^ k) * 16777619UL & 0xffffffffUL;
}

typedef struct feed {
    gen *g;
    FILE *f;          /* travel.csv */
    FILE *cases_f;    /* case_trips.csv (the public list, formats.md shape) */
    long legs;
} feed;

/* Write one leg of traveller (id, name, phone). */
static void write_leg(feed *fd, const char *id, const char *name, const char *phone, eg_mode mode,
                      const char *trip, eg_date dep, int minute, const place *from, const place *to,
                      eg_date arr, int car, const char *seat)
{
    char dd[EG_DATE_BUFSZ], ad[EG_DATE_BUFSZ], tm[8], cs[8] = "";
    snprintf(tm, sizeof tm, "%02d:%02d", minute / 60 % 24, minute % 60);
    if (car)
        snprintf(cs, sizeof cs, "%d", car);
    const char *v[] = { id, name, phone, eg_mode_name(mode), trip, eg_date_format(dep, dd), tm,
                        from->code, from->name, to->code, to->name, eg_date_format(arr, ad), cs, seat };
    drill_write_row(fd->f, v, 14);
    fd->legs++;
}

/* A synthetic leg between two places on day `day`; returns the arrival day. */
static eg_date random_leg(feed *fd, const char *id, const char *name, const char *phone,
                          const place *a, const place *b, eg_date day)
{
    gen *g = fd->g;
    static const char *const AIRLINES[] = { "CA", "CZ", "MU", "HU", "3U", "ZH", "9C", "GS" };
    eg_mode mode = EG_MODE_TRAIN;
    char trip[EG_TRIP_BUFSZ], seat[32] = "";
    unsigned long h;
    int car = 0, minute;
    eg_date arr = day;
    if ((strncmp(a->code, "2205", 4) == 0 || strncmp(b->code, "2205", 4) == 0) &&
        (strcmp(a->code, "2201") == 0 || strcmp(b->code, "2201") == 0 || strcmp(a->code, "220581") == 0 ||
         strcmp(a->code, "2202") == 0) && drill_rnd(g, 10) < 3)
        mode = EG_MODE_BUS;
    else if (a->airport && b->airport && drill_rnd(g, 4) == 0)
        mode = EG_MODE_FLIGHT;
    h = route_hash(eg_mode_name(mode), a->code, b->code, (unsigned)drill_rnd(g, 3));
    if (mode == EG_MODE_FLIGHT)
        snprintf(trip, sizeof trip, "%s%lu", AIRLINES[h % 8], 1000 + h % 9000);
    else if (mode == EG_MODE_BUS)
        snprintf(trip, sizeof trip, "吉E%05lu", h % 100000);
    else
        snprintf(trip, sizeof trip, "%c%lu", "GDKTZ"[h % 5], 1 + h % 2999);
    minute = (int)((5 + h % 18) * 60 + (h >> 8) % 12 * 5);
    if (mode == EG_MODE_TRAIN) {
        car = 1 + (int)drill_rnd(g, 16);
        snprintf(seat, sizeof seat, "%02d%c", 1 + (int)drill_rnd(g, 20), "ABCDF"[drill_rnd(g, 5)]);
        if (strncmp(a->code, b->code, 2) != 0 && minute >= 16 * 60)
            arr = day + 1;
    } else if (mode == EG_MODE_FLIGHT) {
        snprintf(seat, sizeof seat, "%d%c", 1 + (int)drill_rnd(g, 45), "ABCDEF"[drill_rnd(g, 6)]);
    } else {
        snprintf(seat, sizeof seat, "%d", 1 + (int)drill_rnd(g, 45));
    }
    write_leg(fd, id, name, phone, mode, trip, day, minute, a, b, arr, car, seat);
    return arr;
}

/* Pick an origin by weight. */
static const place *pick_origin(gen *g, int hubs_only)
{
    int total = 0, x;
    for (size_t i = 0; i < NORIGINS; i++)
        if (!hubs_only || ORIGINS[i].hub)
            total += ORIGINS[i].weight;
    x = (int)drill_rnd(g, (unsigned long)total);
    for (size_t i = 0; i < NORIGINS; i++) {
        if (hubs_only && !ORIGINS[i].hub)
            continue;
        if (x < ORIGINS[i].weight)
            return &ORIGINS[i];
        x -= ORIGINS[i].weight;
    }
    return &ORIGINS[0];
}

/* A traveller: a registered resident (persons[i]) or someone from `from`. */
typedef struct traveller {
    char id[EG_IDNO_BUFSZ];
    char name[32];
    char phone[16];
} traveller;

/* Draw a traveller; `origin` gives the region of a non-resident. */
static void draw_traveller(gen *g, const place *origin, traveller *t)
{
    if (drill_rnd(g, 10) < 7) {
        const person *p = &g->persons[drill_rnd(g, (unsigned long)g->o->size)];
        snprintf(t->id, sizeof t->id, "%s", p->id);
        snprintf(t->name, sizeof t->name, "%s", p->name);
        snprintf(t->phone, sizeof t->phone, "%s", p->phone);
        return;
    }
    char region[8];
    eg_date birth;
    eg_date_from_ymd(1940, 1, 1, &birth);
    birth += (eg_date)drill_rnd(g, 365 * 75);
    if (strlen(origin->code) >= 6)
        snprintf(region, sizeof region, "%.6s", origin->code);
    else
        snprintf(region, sizeof region, "%.4s%02lu", origin->code, 1 + drill_rnd(g, 9));
    /* drawn at random: a clash with another traveller's number merges the
     * two into one person with more legs, which screening handles */
    eg_idno_make(region, birth, (int)drill_rnd(g, 1000), t->id);
    drill_make_name(g, t->name, sizeof t->name);
    drill_make_phone(g, t->phone);
}

/* The ordinary travellers of the window. */
static void gen_travellers(feed *fd)
{
    gen *g = fd->g;
    eg_date as_of = g->o->as_of;
    for (long i = 0; i < g->o->travellers; i++) {
        const place *origin = pick_origin(g, 0), *home = &HOME[drill_rnd(g, NHOME)];
        traveller t;
        eg_date day = as_of - (eg_date)drill_rnd(g, 35);
        draw_traveller(g, origin, &t);
        if (drill_rnd(g, 100) < 15) {      /* left earlier in the window */
            eg_date out = day - 1 - (eg_date)drill_rnd(g, 10);
            random_leg(fd, t.id, t.name, t.phone, home, origin, out);
        }
        if (drill_rnd(g, 100) < 35 && !origin->hub) {  /* change at a hub */
            const place *hub = pick_origin(g, 1);
            day = random_leg(fd, t.id, t.name, t.phone, origin, hub, day) + (eg_date)drill_rnd(g, 3);
            origin = hub;
        }
        if (day <= as_of) {
            if (origin->airport && drill_rnd(g, 10) < 2)
                home = &HOME_AIRPORT;
            random_leg(fd, t.id, t.name, t.phone, origin, home, day);
        }
        g->sum->travellers++;
    }
}

/* Put drill travellers on one real case trip (its stations known). */
static void place_on_case_trip(feed *fd, const eg_case_trip *c, const char *from_code,
                               const char *to_code)
{
    gen *g = fd->g;
    place from = { c->from_name, from_code, 0, 0, 0 }, to = { c->to_name, to_code, 0, 0, 0 };
    int in_city = strncmp(to_code, "2205", 4) == 0;
    for (int k = 0; k < 4; k++) {
        const person *p = &g->persons[drill_rnd(g, (unsigned long)g->o->size)];
        char seat[32] = "";
        int car = c->car;
        /* the fourth rides another carriage: the same train, not the same place */
        if (k == 3 && c->mode == EG_MODE_TRAIN && c->car)
            car = c->car % 16 + 1;
        if (c->mode == EG_MODE_TRAIN && !car)
            car = 1 + (int)drill_rnd(g, 16);
        if (c->mode == EG_MODE_TRAIN)
            snprintf(seat, sizeof seat, "%02d%c", 1 + (int)drill_rnd(g, 20), "ABCDF"[drill_rnd(g, 5)]);
        else if (c->mode == EG_MODE_FLIGHT)
            snprintf(seat, sizeof seat, "%d%c", c->seat_row ? c->seat_row + (int)drill_rnd(g, 3)
                                                            : 1 + (int)drill_rnd(g, 40), "ABCDEF"[drill_rnd(g, 6)]);
        write_leg(fd, p->id, p->name, p->phone, c->mode, c->nos[0], c->date, 8 * 60, &from, &to,
                  c->date, car, seat);
        if (!in_city)   /* then home, a day or two later */
            random_leg(fd, p->id, p->name, p->phone, &to, &HOME[drill_rnd(g, NHOME)],
                       c->date + 1 + (eg_date)drill_rnd(g, 2));
        g->sum->on_case_trips++;
        g->sum->travellers++;
    }
}

/* Write case trips read from the public list in the shape of formats.md
 * (one row per carriage; an unreadable description leaves car and seat
 * empty: the whole trip), so that batch screening and the reference SQL
 * of ../shared/bench/reference can read them. */
static void write_case_trips(feed *fd, const eg_case_trip *t, size_t n, unsigned long line)
{
    for (size_t i = 0; i < n; i++) {
        char d[EG_DATE_BUFSZ], car[16] = "", nos[EG_TRIP_BUFSZ * EG_TRIP_MAX_NOS] = "", src[96];
        for (size_t k = 0; k < t[i].nnos; k++) {
            if (k)
                strcat(nos, "/");
            strcat(nos, t[i].nos[k]);
        }
        if (t[i].car)
            snprintf(car, sizeof car, "%d", t[i].car);
        snprintf(src, sizeof src, "same_trip_confirmed_cases_202001.csv:%lu", line);
        const char *v[] = { eg_date_format(t[i].date, d), eg_mode_name(t[i].mode), nos, car, t[i].seat,
                            t[i].from_name, t[i].to_name,
                            t[i].status == EG_CASE_SUSPECTED ? "suspected" : "confirmed", src };
        drill_write_row(fd->cases_f, v, 9);
    }
}

/* Read the public same-trip list; place travellers on its trips in the
 * window. Unreadable rows are simply not used here (import reports them). */
static eg_err gen_case_travellers(feed *fd, eg_diag *d)
{
    gen *g = fd->g;
    eg_csv *csv = NULL;
    eg_feed_cols cols;
    eg_import_opts o = { 0 };
    eg_import_result res = { 0 };
    eg_err e;
    if (!g->o->case_trips_path)
        return EG_OK;
    e = eg_csv_open(g->o->case_trips_path, &csv, d);
    if (!e)
        e = eg_case_trip_cols(csv, &cols, d);
    while (!e && (e = eg_csv_next(csv, NULL)) != EG_ERR_EOF) {
        eg_case_trip t[16];
        size_t n = 0;
        if (e) {
            e = EG_OK;
            continue;
        }
        if (eg_case_trips_from_row(csv, &cols, t, 16, &n, NULL, &o, &res) || !n)
            continue;
        write_case_trips(fd, t, n, eg_csv_line(csv));
        if (t[0].date > g->o->as_of || t[0].date < g->o->as_of - 34)
            continue;
        const char *fc = station_code(t[0].from_name), *tc = station_code(t[0].to_name);
        if (!fc || !tc)
            continue;
        for (size_t i = 0; i < n; i++)
            place_on_case_trip(fd, &t[i], fc, tc);
    }
    eg_csv_close(csv);
    return e == EG_ERR_EOF ? EG_OK : e;
}

/* The drill's risk areas (see drill.h). */
static eg_err write_risk_areas(gen *g, const char *outdir, eg_diag *d)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/risk_areas.csv", outdir);
    f = fopen(path, "w");
    if (!f)
        return eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
    fputs("code,level,valid_from,valid_to,name\n"
          "42,high,2020-01-01,2020-04-08,湖北省\n"
          "4201,high,2019-12-01,2020-04-08,武汉市\n"
          "3303,high,2020-01-25,2020-02-25,温州市\n", f);
    g->sum->risk_areas = 3;
    return fclose(f) ? eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot write") : EG_OK;
}

eg_err drill_gen_feed(gen *g, const char *outdir, eg_diag *d)
{
    char path[4096];
    feed fd = { .g = g };
    eg_err e;
    if (g->o->travellers <= 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "travellers", "must be a positive number");
    snprintf(path, sizeof path, "%s/travel.csv", outdir);
    fd.f = fopen(path, "w");
    if (!fd.f)
        return eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
    fputs("id_no,name,phone,mode,trip_no,dep_date,dep_time,from_code,from_name,to_code,to_name,"
          "arr_date,car,seat\n", fd.f);
    snprintf(path, sizeof path, "%s/case_trips.csv", outdir);
    fd.cases_f = fopen(path, "w");
    if (!fd.cases_f) {
        fclose(fd.f);
        return eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
    }
    fputs("date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n", fd.cases_f);
    gen_travellers(&fd);
    e = gen_case_travellers(&fd, d);
    if (fclose(fd.cases_f) && !e)
        e = eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot write");
    snprintf(path, sizeof path, "%s/travel.csv", outdir);
    g->sum->legs = fd.legs;
    if (fclose(fd.f) && !e)
        e = eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot write");
    if (!e)
        e = write_risk_areas(g, outdir, d);
    return e;
}
