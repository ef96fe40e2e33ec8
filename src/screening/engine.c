/*
 * screening/engine.c: the screening engine (spec/screening.md, rules R1
 * and R2, one result per person).
 *
 * Legs arrive one at a time, in any order. Each leg in the window
 * [AS_OF - (2D - 1), AS_OF] is judged at once against what does not
 * depend on the person's other legs: does it touch a risk area, is it an
 * arrival in the city within the last D days, which case trips did it
 * ride with. It is then packed into 32 bytes (eg_pleg) and the eg_leg is
 * forgotten; of a run of fast-path legs of one person, those that can
 * matter only as the latest leg are dropped but the latest (run_close).
 * At the end the packed legs are radix-sorted by person and each person's
 * group is walked once to pair arrivals with touching legs
 * (R1), take R2 from the recorded case matches, and pick the latest leg;
 * with several threads each walks a range of keys.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "epigrid/array.h"
#include "screening/internal.h"

/* Most threads that walk the people (by key range). */
#define MAX_WALKERS 8

/* Most sorted runs of packed legs kept apart (one per shard merged). */
#define MAX_RUNS 16

/* A leg that rode with a case trip. */
typedef struct r2_match {
    uint64_t key;
    uint32_t ref;
    uint32_t case_idx;
    eg_date dep;
} r2_match;

/* A code's length and whether it is a level code (2, 4, 6, 9 or 12
 * digits), which alone can contain others (eg_code_lies_in). */
typedef struct code_n {
    size_t len;
    int level;
} code_n;

struct eg_screen {
    eg_date as_of;
    int days;
    eg_date win_start;        /* AS_OF - (2D - 1): first day a leg can matter */
    eg_date recent_start;     /* AS_OF - (D - 1): first day of arrivals and R2 */
    const eg_screen_city *city;
    eg_case_index ci;
    eg_risk_area *areas;
    size_t nareas;
    code_n *area_n;           /* per area: its code's length and kind */
    code_n city_n;            /* the city's own code */
    code_n unit_n[EG_SCREEN_MAX_UNITS];
    eg_intern ids, codes;
    eg_pleg *legs;
    size_t nlegs, caplegs;
    char *names;
    size_t lnames, capnames;
    r2_match *r2;
    size_t nr2, capr2;
    int r2_unsorted;          /* r2 is not (known to be) in cmp_r2 order */
    eg_screen_stats st;
    int finished;
    /* scratch of eg_screen_add_leg's case-match callback */
    uint64_t cur_key;
    uint32_t cur_ref;
    eg_date cur_dep;
    int shard;                /* 1: ci and areas are borrowed from the parent */
    int sorted;               /* legs are sorted (a shard after eg_screen_shard_sort) */
    eg_pleg *runs[MAX_RUNS];  /* sorted legs adopted from shards, walked with legs */
    size_t nrun[MAX_RUNS];
    uint32_t run_shift[MAX_RUNS]; /* what a run's name references are short of ours */
    size_t nruns;
    /* the legs of the fast path given last for one person, legs[run_start..nlegs):
     * thinned when the person changes (run_close) */
    int run_open;
    uint64_t run_key;
    size_t run_start;
};

const char *eg_measure_name(eg_measure m)
{
    switch (m) {
    case EG_MEASURE_HOME_QUARANTINE: return "home_quarantine";
    case EG_MEASURE_CENTRAL_ISOLATION: return "central_isolation";
    default: return "none";
    }
}

const char *eg_screen_kind_name(eg_screen_kind k)
{
    return k == EG_SCREEN_ORDER ? "order" : "assistance_request";
}

/* Length and kind of a code. */
static code_n code_info(const char *code)
{
    code_n c = { strlen(code), 0 };
    c.level = c.len == 2 || c.len == 4 || c.len == 6 || c.len == 9 || c.len == 12;
    for (size_t i = 0; c.level && i < c.len; i++)
        c.level = code[i] >= '0' && code[i] <= '9';
    return c;
}

_Static_assert(EG_CODE_BUFSZ >= 16, "prefix_eq reads 16 bytes of a code buffer");

/* 1 if the first n bytes of a and b agree; both have 16 bytes readable
 * (code buffers) when n <= 16. */
static int prefix_eq(const char *a, const char *b, size_t n)
{
    /* ONES + 16 - n: n bytes 0xFF, then zeros (masks in memory order, so
     * the byte order of the machine does not matter) */
    static const unsigned char ONES[32] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
    uint64_t a0, a1, b0, b1, m0, m1;
    if (n > 16)
        return memcmp(a, b, n) == 0;
    memcpy(&a0, a, 8);
    memcpy(&a1, a + 8, 8);
    memcpy(&b0, b, 8);
    memcpy(&b1, b + 8, 8);
    memcpy(&m0, ONES + 16 - n, 8);
    memcpy(&m1, ONES + 24 - n, 8);
    return ((a0 ^ b0) & m0) == 0 && ((a1 ^ b1) & m1) == 0;
}

/* eg_code_lies_in(inner, outer) with both lengths known (code buffers). */
static int lies_in_n(const char *inner, size_t nin, const char *outer, code_n o)
{
    if (nin == o.len)
        return prefix_eq(inner, outer, nin);
    return o.level && nin > o.len && prefix_eq(inner, outer, o.len);
}

eg_err eg_screen_new(const eg_screen_params *p, const eg_case_trip *cases, size_t ncases,
                     const eg_risk_area *areas, size_t nareas, eg_screen **out)
{
    int days;
    eg_screen *s;
    eg_err e;
    if (!p || !out || !p->city || p->as_of == EG_NO_DATE || (ncases && !cases) || (nareas && !areas))
        return EG_ERR_INVALID;
    days = p->days ? p->days : EG_SCREEN_DEFAULT_DAYS;
    if (days < 1 || days > EG_SCREEN_MAX_DAYS)
        return EG_ERR_INVALID;
    s = calloc(1, sizeof *s);
    if (!s)
        return EG_ERR_NOMEM;
    s->as_of = p->as_of;
    s->days = days;
    s->win_start = p->as_of - (2 * days - 1);
    s->recent_start = p->as_of - (days - 1);
    s->city = p->city;
    s->city_n = code_info(p->city->code);
    for (size_t i = 0; i < p->city->nunits && i < EG_SCREEN_MAX_UNITS; i++)
        s->unit_n[i] = code_info(p->city->units[i]);
    e = eg_case_index_build(&s->ci, cases, ncases);
    if (!e && nareas) {
        s->areas = malloc(nareas * sizeof *areas);
        s->area_n = malloc(nareas * sizeof *s->area_n);
        if (!s->areas || !s->area_n)
            e = EG_ERR_NOMEM;
        else {
            memcpy(s->areas, areas, nareas * sizeof *areas);
            s->nareas = nareas;
            for (size_t i = 0; i < nareas; i++)
                s->area_n[i] = code_info(areas[i].code);
        }
    }
    if (e) {
        eg_screen_free(s);
        return e;
    }
    *out = s;
    return EG_OK;
}

void eg_screen_free(eg_screen *s)
{
    if (!s)
        return;
    if (!s->shard) {
        eg_case_index_free(&s->ci);
        free(s->areas);
        free(s->area_n);
    }
    eg_intern_free(&s->ids);
    eg_intern_free(&s->codes);
    free(s->legs);
    for (size_t r = 0; r < s->nruns; r++)
        free(s->runs[r]);
    free(s->names);
    free(s->r2);
    free(s);
}

void eg_screen_get_stats(const eg_screen *s, eg_screen_stats *out)
{
    *out = s->st;
}

/* 1 if a leg (with arrival date arr) touches risk area a. */
static int touches(const eg_leg *l, eg_date arr, const eg_risk_area *a)
{
    int open = a->valid_to == EG_NO_DATE;
    if (l->dep_date >= a->valid_from && (open || l->dep_date <= a->valid_to) &&
        eg_code_lies_in(l->from_code, a->code))
        return 1;
    return arr >= a->valid_from && (open || arr <= a->valid_to) && eg_code_lies_in(l->to_code, a->code);
}

/* Order of R2 matches: person, then leg, then case trip. */
static int cmp_r2(const void *a, const void *b)
{
    const r2_match *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->ref != y->ref)
        return x->ref < y->ref ? -1 : 1;
    return x->case_idx < y->case_idx ? -1 : x->case_idx > y->case_idx;
}

/* Case-match callback: record (person, leg, case trip). */
static eg_err on_case(void *ctx, uint32_t idx)
{
    eg_screen *s = ctx;
    if (s->nr2 == s->capr2 &&
        eg_array_grow(&s->r2, s->nr2, &s->capr2, sizeof *s->r2))
        return EG_ERR_NOMEM;
    s->r2[s->nr2] = (r2_match){ s->cur_key, s->cur_ref, idx, s->cur_dep };
    if (s->nr2 && cmp_r2(&s->r2[s->nr2 - 1], &s->r2[s->nr2]) > 0)
        s->r2_unsorted = 1;
    s->nr2++;
    s->st.case_matches++;
    return EG_OK;
}

/* 1 if leg a departed after b (the later line when at the same minute):
 * an order that does not depend on the order legs were given in. */
static int later(const eg_pleg *a, const eg_pleg *b)
{
    return a->moment > b->moment || (a->moment == b->moment && a->ref > b->ref);
}

/*
 * End the run of fast-path legs of one person given one after the other
 * (legs[run_start..nlegs)): a leg that neither touches a risk area, nor
 * arrives, nor rode with a case can matter only as the person's latest leg
 * (its to_code) or to count the person, so of those only the run's latest
 * leg is kept, and only when it is later than every flagged leg of the run.
 * The walk then finds the same latest leg, the same evidence and the same
 * people. Fast-path legs carry no id_flag, which is why only they are
 * thinned.
 */
static void run_close(eg_screen *s)
{
    if (!s->run_open)
        return;
    s->run_open = 0;
    eg_pleg *v = s->legs + s->run_start;
    size_t n = s->nlegs - s->run_start, k = 0, latest = 0;
    if (n < 2)
        return;
    for (size_t i = 1; i < n; i++)
        if (later(&v[i], &v[latest]))
            latest = i;
    for (size_t i = 0; i < n; i++)
        if (v[i].flags || i == latest)
            v[k++] = v[i];
    s->nlegs = s->run_start + k;
}

static eg_err keep_name_n(eg_screen *s, const char *name, size_t n, uint32_t *ref);

/* Keep a name in the arena; returns its offset + 1 (0 when empty). */
static eg_err keep_name(eg_screen *s, const char *name, uint32_t *ref)
{
    return keep_name_n(s, name, strnlen(name, EG_LEG_NAME_BUFSZ - 1), ref);
}

eg_err eg_screen_add_leg(eg_screen *s, const eg_leg *l, uint32_t ref)
{
    eg_pleg pl;
    eg_date arr;
    size_t r2_before;
    eg_err e;
    if (s->finished)
        return EG_ERR_STATE;
    run_close(s); /* this leg is not thinned: it may carry an id_flag */
    s->st.legs_seen++;
    if (l->dep_date == EG_NO_DATE || l->dep_date < s->win_start || l->dep_date > s->as_of)
        return EG_OK;
    arr = l->arr_date == EG_NO_DATE ? l->dep_date : l->arr_date;
    memset(&pl, 0, sizeof pl);
    if (strnlen(l->id_no, EG_DOCNO_BUFSZ) == 18 && l->id_no[17] == 'x') {
        char id[EG_DOCNO_BUFSZ];
        memcpy(id, l->id_no, 19);
        id[17] = 'X';
        e = eg_key_pack(&s->ids, id, &pl.key);
    } else {
        e = eg_key_pack(&s->ids, l->id_no, &pl.key);
    }
    if (!e)
        e = eg_code_pack(&s->codes, l->to_code, &pl.to);
    if (e)
        return e;
    pl.ref = ref;
    pl.id_flag = l->id_flag;
    pl.moment = (uint32_t)(l->dep_date - s->win_start) * 1441u +
                (l->dep_minute >= 0 && l->dep_minute < 1440 ? (uint32_t)l->dep_minute + 1u : 0u);
    pl.arr_off = arr - s->win_start > 65535 ? 65535 : (uint16_t)(arr - s->win_start);
    for (size_t i = 0; i < s->nareas; i++)
        if (touches(l, arr, &s->areas[i])) {
            pl.flags |= EG_PLEG_TOUCH;
            s->st.touching++;
            break;
        }
    if (arr >= s->recent_start && arr <= s->as_of && eg_screen_city_contains(s->city, l->to_code)) {
        pl.flags |= EG_PLEG_ARRIVAL;
        s->st.arrivals++;
    }
    r2_before = s->nr2;
    if (l->dep_date >= s->recent_start && s->ci.nkeys) {
        s->cur_key = pl.key;
        s->cur_ref = ref;
        s->cur_dep = l->dep_date;
        e = eg_case_index_match(&s->ci, l, on_case, s);
        if (e)
            return e;
    }
    if ((pl.flags & EG_PLEG_TOUCH) || s->nr2 > r2_before) {
        e = keep_name(s, l->name, &pl.name);
        if (e)
            return e;
    }
    if (s->nlegs == s->caplegs &&
        eg_array_grow(&s->legs, s->nlegs, &s->caplegs, sizeof *s->legs))
        return EG_ERR_NOMEM;
    s->legs[s->nlegs++] = pl;
    s->st.legs_kept++;
    return EG_OK;
}

/* Keep name[0..n) (n < EG_LEG_NAME_BUFSZ, no NUL in it) in the arena;
 * *ref as keep_name gives it. */
static eg_err keep_name_n(eg_screen *s, const char *name, size_t n, uint32_t *ref)
{
    *ref = 0;
    if (n == 0)
        return EG_OK;
    if (s->lnames + n + 1 > s->capnames) {
        size_t cap = s->capnames ? s->capnames * 2 : 4096;
        while (cap < s->lnames + n + 1)
            cap *= 2;
        if (cap > UINT32_MAX)
            return EG_ERR_NOMEM;
        char *p = realloc(s->names, cap);
        if (!p)
            return EG_ERR_NOMEM;
        s->names = p;
        s->capnames = cap;
    }
    memcpy(s->names + s->lnames, name, n);
    s->names[s->lnames + n] = '\0';
    *ref = (uint32_t)(s->lnames + 1);
    s->lnames += n + 1;
    return EG_OK;
}

/* eg_screen_city_contains for a code of known length (not empty). */
static int city_has(const eg_screen *s, const char *code, size_t n)
{
    if (n == s->city_n.len && memcmp(code, s->city->code, n) == 0)
        return 1;
    for (size_t i = 0; i < s->city->nunits; i++)
        if (lies_in_n(code, n, s->city->units[i], s->unit_n[i]))
            return 1;
    return 0;
}

eg_err eg_screen_add_fast(eg_screen *s, const eg_fast_row *r, uint32_t ref)
{
    eg_pleg pl;
    eg_err e;
    if (s->finished)
        return EG_ERR_STATE;
    s->st.legs_seen++;
    if (r->dep < s->win_start || r->dep > s->as_of)
        return EG_OK;
    eg_date arr = r->arr;
    pl.key = r->key;
    /* eg_code_pack of a short code of digits */
    uint64_t to = 0;
    for (size_t i = 0; i < r->nto; i++)
        to = to * 10 + (uint64_t)(r->to[i] - '0');
    pl.to = ((uint64_t)r->nto << 40) | to;
    pl.ref = ref;
    pl.name = 0;
    pl.id_flag = 0; /* the fast path takes valid numbers only */
    pl.flags = 0;
    pl.moment = (uint32_t)(r->dep - s->win_start) * 1441u +
                (r->minute >= 0 && r->minute < 1440 ? (uint32_t)r->minute + 1u : 0u);
    pl.arr_off = arr - s->win_start > 65535 ? 65535 : (uint16_t)(arr - s->win_start);
    for (size_t i = 0; i < s->nareas; i++) {
        const eg_risk_area *a = &s->areas[i];
        int open = a->valid_to == EG_NO_DATE;
        if ((r->dep >= a->valid_from && (open || r->dep <= a->valid_to) &&
             lies_in_n(r->from, r->nfrom, a->code, s->area_n[i])) ||
            (arr >= a->valid_from && (open || arr <= a->valid_to) &&
             lies_in_n(r->to, r->nto, a->code, s->area_n[i]))) {
            pl.flags |= EG_PLEG_TOUCH;
            s->st.touching++;
            break;
        }
    }
    if (arr >= s->recent_start && arr <= s->as_of && city_has(s, r->to, r->nto)) {
        pl.flags |= EG_PLEG_ARRIVAL;
        s->st.arrivals++;
    }
    size_t r2_before = s->nr2;
    if (r->dep >= s->recent_start && s->ci.nkeys) {
        s->cur_key = pl.key;
        s->cur_ref = ref;
        s->cur_dep = r->dep;
        e = eg_case_index_match_trip(&s->ci, r->mode, r->trip, r->dep, r->car, r->seat_row,
                                     on_case, s);
        if (e)
            return e;
    }
    if (s->nr2 > r2_before)
        pl.flags |= EG_PLEG_CASE;
    if (pl.flags & (EG_PLEG_TOUCH | EG_PLEG_CASE)) {
        e = keep_name_n(s, r->name, r->nname, &pl.name);
        if (e)
            return e;
    }
    if (s->run_open && pl.key != s->run_key)
        run_close(s);
    if (!s->run_open) {
        s->run_open = 1;
        s->run_key = pl.key;
        s->run_start = s->nlegs;
    }
    if (s->nlegs == s->caplegs &&
        eg_array_grow(&s->legs, s->nlegs, &s->caplegs, sizeof *s->legs))
        return EG_ERR_NOMEM;
    s->legs[s->nlegs++] = pl;
    s->st.legs_kept++;
    return EG_OK;
}

eg_err eg_screen_shard_new(const eg_screen *s, eg_screen **out)
{
    eg_screen *c = calloc(1, sizeof *c);
    if (!c)
        return EG_ERR_NOMEM;
    c->as_of = s->as_of;
    c->days = s->days;
    c->win_start = s->win_start;
    c->recent_start = s->recent_start;
    c->city = s->city;
    c->ci = s->ci;
    c->areas = s->areas;
    c->area_n = s->area_n;
    c->nareas = s->nareas;
    c->city_n = s->city_n;
    memcpy(c->unit_n, s->unit_n, sizeof c->unit_n);
    c->shard = 1;
    *out = c;
    return EG_OK;
}

eg_err eg_screen_shard_reserve(eg_screen *c, size_t n)
{
    if (c->nlegs || n <= c->caplegs)
        return EG_OK;
    eg_pleg *v = malloc(n * sizeof *v);
    if (!v)
        return EG_ERR_NOMEM;
    free(c->legs);
    c->legs = v;
    c->caplegs = n;
    return EG_OK;
}

/* Map a key of `from` to the same person's key in `to`. */
static eg_err remap_key(eg_screen *to, const eg_screen *from, uint64_t *key)
{
    if (!(*key & EG_KEY_OTHER))
        return EG_OK;
    uint32_t idx;
    eg_err e = eg_intern_get(&to->ids, from->ids.strs[*key & 0xffffffffu], &idx);
    if (!e)
        *key = EG_KEY_OTHER | idx;
    return e;
}

eg_err eg_screen_merge(eg_screen *s, eg_screen *c)
{
    eg_err e = EG_OK;
    if (s->finished || c->finished)
        return EG_ERR_STATE;
    run_close(s);
    run_close(c);
    /* names: append the shard's arena; its offsets shift by our length */
    size_t shift = s->lnames;
    if (c->lnames) {
        if (s->lnames + c->lnames > UINT32_MAX)
            return EG_ERR_NOMEM;
        char *n = realloc(s->names, s->lnames + c->lnames);
        if (!n)
            return EG_ERR_NOMEM;
        memcpy(n + s->lnames, c->names, c->lnames);
        s->names = n;
        s->lnames += c->lnames;
        s->capnames = s->lnames;
    }
    /* a sorted shard is adopted as a run, not copied (keys of other
     * document numbers are renumbered below, which would break its order:
     * such a shard is copied and sorted again at the end) */
    int adopt = c->sorted && c->ids.n == 0 && s->nruns < MAX_RUNS;
    if (!adopt && s->nlegs + c->nlegs > s->caplegs) {
        size_t cap = s->nlegs + c->nlegs;
        eg_pleg *n = realloc(s->legs, cap * sizeof *n);
        if (!n)
            return EG_ERR_NOMEM;
        s->legs = n;
        s->caplegs = cap;
    }
    /* an adopted run keeps its name references (the walk adds the shift):
     * its legs are gone over only when some key or code must be renumbered */
    uint32_t leg_shift = adopt ? 0 : (uint32_t)shift;
    size_t nloop = adopt && c->ids.n == 0 && c->codes.n == 0 ? 0 : c->nlegs;
    for (size_t i = 0; i < nloop && !e; i++) {
        eg_pleg *pl = &c->legs[i];
        if (pl->name)
            pl->name += leg_shift;
        e = remap_key(s, c, &pl->key);
        if (!e && (pl->to >> 40) == 15u) { /* an interned (grid) code */
            char code[EG_CODE_BUFSZ];
            eg_code_unpack(&c->codes, pl->to, code);
            e = eg_code_pack(&s->codes, code, &pl->to);
        }
        if (!adopt)
            s->legs[s->nlegs++] = *pl;
    }
    if (adopt && c->nlegs) {
        s->runs[s->nruns] = c->legs;
        s->nrun[s->nruns] = c->nlegs;
        s->run_shift[s->nruns++] = (uint32_t)shift;
        c->legs = NULL;
    }
    if (c->nr2 && !c->r2_unsorted && !s->r2_unsorted && c->ids.n == 0) {
        /* both in order (the shard sorted its own): merge them */
        r2_match *m = malloc((s->nr2 + c->nr2) * sizeof *m);
        if (!m)
            return EG_ERR_NOMEM;
        size_t a = 0, b = 0, n = 0;
        while (a < s->nr2 || b < c->nr2)
            m[n++] = b == c->nr2 || (a < s->nr2 && cmp_r2(&s->r2[a], &c->r2[b]) <= 0) ? s->r2[a++]
                                                                                  : c->r2[b++];
        free(s->r2);
        s->r2 = m;
        s->nr2 = s->capr2 = n;
        c->nr2 = 0; /* taken */
    }
    for (size_t i = 0; i < c->nr2 && !e; i++) {
        r2_match m = c->r2[i];
        if (!(e = remap_key(s, c, &m.key))) {
            s->cur_key = m.key;
            s->cur_ref = m.ref;
            s->cur_dep = m.dep;
            e = on_case(s, m.case_idx);
            s->st.case_matches--; /* counted below */
        }
    }
    s->st.legs_seen += c->st.legs_seen;
    s->st.legs_kept += c->st.legs_kept;
    s->st.touching += c->st.touching;
    s->st.arrivals += c->st.arrivals;
    s->st.case_matches += c->st.case_matches;
    free(c->legs);
    c->legs = NULL;
    c->nlegs = c->caplegs = 0;
    free(c->names);
    c->names = NULL;
    c->lnames = c->capnames = 0;
    free(c->r2);
    c->r2 = NULL;
    c->nr2 = c->capr2 = 0;
    memset(&c->st, 0, sizeof c->st);
    return e;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_result_id(const void *a, const void *b)
{
    return strcmp(((const eg_screen_result *)a)->id_no, ((const eg_screen_result *)b)->id_no);
}

/* A growable array of uint32_t. */
typedef struct u32vec {
    uint32_t *v;
    size_t n, cap;
} u32vec;

static eg_err u32_push(u32vec *a, uint32_t x)
{
    if (a->n == a->cap &&
        eg_array_grow(&a->v, a->n, &a->cap, sizeof *a->v))
        return EG_ERR_NOMEM;
    a->v[a->n++] = x;
    return EG_OK;
}

/* Sort v[from..) and drop duplicates; returns the new count after `from`. */
static size_t sort_unique(u32vec *a, size_t from)
{
    size_t n = a->n - from, k = 0;
    uint32_t *v = a->v + from;
    if (n > 16) {
        qsort(v, n, sizeof *v, cmp_u32);
    } else { /* evidence lists are short: insertion sort */
        for (size_t i = 1; i < n; i++) {
            uint32_t x = v[i];
            size_t j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (k == 0 || v[i] != v[k - 1])
            v[k++] = v[i];
    a->n = from + k;
    return k;
}

/* State of the walk over the sorted legs. */
/* A result as the walk finds it: 48 bytes, made into an eg_screen_result
 * (over 200) only once all are known, straight into the final array. */
typedef struct pres {
    uint64_t key;            /* the person */
    uint64_t latest_to;      /* packed to_code of the latest leg */
    size_t ev_off;           /* its legs, then cases, in the walk's evidence */
    uint32_t name;           /* name arena reference of the leg named, 0 = none */
    uint32_t nlegs, ncases;
    eg_date r1, r2;          /* each rule's start or EG_NO_DATE */
    unsigned char id_flag;
} pres;

typedef struct walk {
    _Alignas(64) const eg_screen *s; /* a cache line of its own: a walker writes its own */
    pres *res;               /* the results found */
    size_t nres, cap;
    u32vec ev;               /* evidence of every result */
    size_t r2_pos;           /* next R2 match to look at */
    uint64_t lo, hi;         /* the keys walked: [lo, hi), or [lo, ...) when `last` */
    int last;
    unsigned long persons;   /* people walked */
    eg_screen_result *out;   /* where the results go at the end... */
    const uint32_t *evidence; /* ...with their evidence here... */
    uint64_t *keys;          /* ...and their keys here, when asked */
    eg_err err;
} walk;

/* Apply the rules to the legs g[0..n) of one person, whose name
 * references are name_shift short of the arena's. */
static eg_err person(walk *w, const eg_pleg *g, size_t n, uint32_t name_shift)
{
    const eg_screen *s = w->s;
    eg_date r1 = EG_NO_DATE, r2 = EG_NO_DATE;
    size_t ev0 = w->ev.n, nlegs, ncases;
    const eg_pleg *latest = &g[0], *named = NULL;
    unsigned char id_flag = 0;
    eg_err e;

    /* R1: an arrival with a touching leg that departed in [arr - D, arr] */
    for (size_t i = 0; i < n; i++) {
        const eg_pleg *a = &g[i];
        if (later(a, latest))
            latest = a;
        if (!id_flag && a->id_flag)
            id_flag = a->id_flag;
        if (!(a->flags & EG_PLEG_ARRIVAL))
            continue;
        int arr = a->arr_off;
        int fired = 0;
        for (size_t j = 0; j < n; j++) {
            const eg_pleg *t = &g[j];
            int dep = (int)(t->moment / 1441u);
            if ((t->flags & EG_PLEG_TOUCH) && dep >= arr - s->days && dep <= arr) {
                fired = 1;
                if ((e = u32_push(&w->ev, t->ref)))
                    return e;
                if (t->name && (!named || later(t, named)))
                    named = t;
            }
        }
        if (fired) {
            eg_date d = s->win_start + arr;
            if (r1 == EG_NO_DATE || d > r1)
                r1 = d;
            if ((e = u32_push(&w->ev, a->ref)))
                return e;
        }
    }
    /* R2: the matches recorded for this person */
    uint64_t key = g[0].key;
    while (w->r2_pos < s->nr2 && s->r2[w->r2_pos].key < key)
        w->r2_pos++;
    size_t r2_first = w->r2_pos;
    for (size_t k = r2_first; k < s->nr2 && s->r2[k].key == key; k++) {
        if (r2 == EG_NO_DATE || s->r2[k].dep > r2)
            r2 = s->r2[k].dep;
        if ((e = u32_push(&w->ev, s->r2[k].ref)))
            return e;
    }
    if (r1 == EG_NO_DATE && r2 == EG_NO_DATE) {
        w->ev.n = ev0;
        return EG_OK;
    }
    if (r2 != EG_NO_DATE)
        for (size_t i = 0; i < n; i++)
            if (g[i].name && (!named || later(&g[i], named)))
                for (size_t k = r2_first; k < s->nr2 && s->r2[k].key == key; k++)
                    if (s->r2[k].ref == g[i].ref) {
                        named = &g[i];
                        break;
                    }
    nlegs = sort_unique(&w->ev, ev0);
    size_t cases0 = w->ev.n;
    for (size_t k = r2_first; k < s->nr2 && s->r2[k].key == key; k++)
        if ((e = u32_push(&w->ev, s->r2[k].case_idx)))
            return e;
    ncases = sort_unique(&w->ev, cases0);

    if (w->nres == w->cap &&
        eg_array_grow(&w->res, w->nres, &w->cap, sizeof *w->res))
        return EG_ERR_NOMEM;
    if (nlegs > UINT32_MAX || ncases > UINT32_MAX)
        return EG_ERR_RANGE;
    w->res[w->nres++] = (pres){ .key = key, .latest_to = latest->to, .ev_off = ev0,
                                .name = named && named->name ? named->name + name_shift : 0,
                                .nlegs = (uint32_t)nlegs,
                                .ncases = (uint32_t)ncases, .r1 = r1, .r2 = r2,
                                .id_flag = id_flag };
    return EG_OK;
}

/* Make the walk's results into w->out[0..nres) (evidence in w->evidence). */
static void expand(const walk *w)
{
    const eg_screen *s = w->s;
    for (size_t i = 0; i < w->nres; i++) {
        const pres *p = &w->res[i];
        eg_screen_result *r = &w->out[i];
        /* the names lie anywhere in the arena: fetch one a few results ahead */
        if (i + 8 < w->nres && w->res[i + 8].name)
            __builtin_prefetch(s->names + w->res[i + 8].name - 1);
        memset(r, 0, sizeof *r);
        eg_key_unpack(&s->ids, p->key, r->id_no);
        if (w->keys)
            w->keys[i] = p->key;
        r->id_flag = p->id_flag;
        if (p->name) {
            const char *nm = s->names + p->name - 1;
            size_t ln = strnlen(nm, EG_LEG_NAME_BUFSZ - 1);
            memcpy(r->name, nm, ln);
            r->name[ln] = '\0';
        }
        r->r1_start = p->r1;
        r->r2_start = p->r2;
        r->rules = (p->r1 != EG_NO_DATE ? EG_RULE_R1 : 0u) | (p->r2 != EG_NO_DATE ? EG_RULE_R2 : 0u);
        r->measure = p->r2 != EG_NO_DATE ? EG_MEASURE_CENTRAL_ISOLATION : EG_MEASURE_HOME_QUARANTINE;
        r->start = p->r2 != EG_NO_DATE ? p->r2 : p->r1;
        r->end = r->start + s->days;
        eg_code_unpack(&s->codes, p->latest_to, r->latest_to);
        r->nlegs = p->nlegs;
        r->ncases = p->ncases;
        r->legs = w->evidence + p->ev_off;
        r->cases = r->legs + p->nlegs;
    }
}

eg_err eg_screen_shard_sort(eg_screen *c)
{
    run_close(c);
    eg_err e = eg_pleg_sort(c->legs, c->nlegs);
    if (!e)
        c->sorted = 1;
    if (c->r2_unsorted) {
        qsort(c->r2, c->nr2, sizeof *c->r2, cmp_r2);
        c->r2_unsorted = 0;
    }
    return e;
}

/* First index of the sorted legs v[0..n) whose key is not below k. */
static size_t lower_key(const eg_pleg *v, size_t n, uint64_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Walk every person of w's key range in key order over the sorted legs
 * and the adopted runs (a k-way merge that copies only a person whose
 * legs lie in several runs). */
static eg_err walk_people(const eg_screen *s, walk *w)
{
    const eg_pleg *arr[MAX_RUNS + 1];
    size_t n[MAX_RUNS + 1], pos[MAX_RUNS + 1], k = 0;
    uint32_t shift[MAX_RUNS + 1];
    eg_pleg *scratch = NULL;
    size_t scap = 0;
    eg_err e = EG_OK;
    if (s->nlegs) {
        arr[k] = s->legs;
        shift[k] = 0;
        n[k++] = s->nlegs;
    }
    for (size_t r = 0; r < s->nruns; r++) {
        arr[k] = s->runs[r];
        shift[k] = s->run_shift[r];
        n[k++] = s->nrun[r];
    }
    for (size_t r = 0; r < k; r++) {
        pos[r] = lower_key(arr[r], n[r], w->lo);
        if (!w->last)
            n[r] = lower_key(arr[r], n[r], w->hi);
    }
    /* the R2 matches are sorted by person: start at the range's first */
    size_t lo = 0, hi = s->nr2;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->r2[mid].key < w->lo)
            lo = mid + 1;
        else
            hi = mid;
    }
    w->r2_pos = lo;
    for (;;) {
        size_t best = k, ends[MAX_RUNS + 1], total = 0, from = k;
        uint64_t key = 0;
        for (size_t r = 0; r < k; r++)
            if (pos[r] < n[r] && (best == k || arr[r][pos[r]].key < key))
                best = r, key = arr[r][pos[r]].key;
        if (best == k)
            break;
        for (size_t r = 0; r < k; r++) {
            size_t j = pos[r];
            while (j < n[r] && arr[r][j].key == key)
                j++;
            ends[r] = j;
            if (j > pos[r]) {
                total += j - pos[r];
                from = from == k ? r : k + 1; /* k + 1: in several runs */
            }
        }
        w->persons++;
        if (from < k) {
            e = person(w, &arr[from][pos[from]], total, shift[from]);
        } else {
            if (total > scap) {
                eg_pleg *ns = realloc(scratch, total * sizeof *ns);
                if (!ns) {
                    e = EG_ERR_NOMEM;
                    break;
                }
                scratch = ns;
                scap = total;
            }
            size_t m = 0;
            for (size_t r = 0; r < k; r++)
                for (size_t j = pos[r]; j < ends[r]; j++) {
                    scratch[m] = arr[r][j];
                    if (scratch[m].name)
                        scratch[m].name += shift[r];
                    m++;
                }
            e = person(w, scratch, total, 0);
        }
        if (e)
            break;
        for (size_t r = 0; r < k; r++)
            pos[r] = ends[r];
    }
    free(scratch);
    return e;
}

/* Thread body: walk one key range. */
static void *walk_range(void *arg)
{
    walk *w = arg;
    w->err = walk_people(w->s, w);
    return NULL;
}

/* Thread body: make a range's results. */
static void *expand_range(void *arg)
{
    expand(arg);
    return NULL;
}

/* Free what a walk kept (its results and evidence). */
static void walk_free(walk *w)
{
    free(w->res);
    free(w->ev.v);
    w->res = NULL;
    w->ev.v = NULL;
}

/* Split the people into `nw` key ranges of about equal numbers of legs,
 * at keys of the largest sorted run; w[i].lo, hi and last are set. */
static void split_ranges(const eg_screen *s, walk *w, int nw)
{
    const eg_pleg *big = s->legs;
    size_t nbig = s->nlegs;
    for (size_t r = 0; r < s->nruns; r++)
        if (s->nrun[r] > nbig)
            big = s->runs[r], nbig = s->nrun[r];
    w[0].lo = 0;
    for (int i = 1; i < nw; i++) {
        uint64_t k = big[nbig * (size_t)i / (size_t)nw].key;
        w[i].lo = k > w[i - 1].lo ? k : w[i - 1].lo;
    }
    for (int i = 0; i < nw; i++) {
        w[i].last = i == nw - 1;
        w[i].hi = w[i].last ? 0 : w[i + 1].lo;
    }
}

eg_err eg_screen_finish_keys(eg_screen *s, eg_screen_results *out, int nthreads, uint64_t **keys)
{
    walk w[MAX_WALKERS];
    pthread_t th[MAX_WALKERS];
    int nw, started = 0;
    eg_err e;
    if (!s || !out)
        return EG_ERR_INVALID;
    if (keys)
        *keys = NULL;
    if (s->finished)
        return EG_ERR_STATE;
    memset(out, 0, sizeof *out);
    run_close(s);
    s->finished = 1;
    e = s->sorted ? EG_OK : eg_pleg_sort(s->legs, s->nlegs);
    if (e)
        return e;
    if (s->r2_unsorted)
        qsort(s->r2, s->nr2, sizeof *s->r2, cmp_r2);
    nw = nthreads < 1 ? 1 : nthreads > MAX_WALKERS ? MAX_WALKERS : nthreads;
    if (s->nlegs + (s->nruns ? s->nrun[0] : 0) < 65536)
        nw = 1; /* not worth a thread */
    memset(w, 0, sizeof w);
    for (int i = 0; i < nw; i++)
        w[i].s = s;
    split_ranges(s, w, nw);
    for (int i = 1; i < nw; i++) {
        if (pthread_create(&th[i], NULL, walk_range, &w[i]) != 0) {
            w[i].err = EG_ERR_NOMEM;
            break;
        }
        started = i;
    }
    walk_range(&w[0]);
    for (int i = 1; i <= started; i++)
        pthread_join(th[i], NULL);
    e = EG_OK;
    for (int i = 0; i < nw && !e; i++)
        e = w[i].err;
    for (int i = 0; i < nw; i++)
        s->st.persons += w[i].persons;
    /* the legs are done with; the first run's array becomes the results'
     * (its pages are already mapped: fewer first touches than fresh memory) */
    void *spare = s->nruns ? (void *)s->runs[0] : NULL;
    free(s->legs);
    s->legs = NULL;
    s->nlegs = s->caplegs = 0;
    for (size_t r = spare ? 1 : 0; r < s->nruns; r++)
        free(s->runs[r]);
    s->nruns = 0;
    /* the ranges' results one after the other, made by the threads straight
     * into the final array; the evidence of the first range grows to hold
     * all of it */
    size_t nres = 0, nev = 0;
    for (int i = 0; i < nw; i++)
        nres += w[i].nres, nev += w[i].ev.n;
    uint64_t *kv = NULL;
    if (!e && nres) {
        out->v = realloc(spare, nres * sizeof *out->v);
        if (out->v)
            spare = NULL;
        uint32_t *ev = realloc(w[0].ev.v, (nev ? nev : 1) * sizeof *ev);
        if (ev)
            w[0].ev.v = ev;
        if (keys && !(kv = malloc(nres * sizeof *kv)))
            e = EG_ERR_NOMEM;
        if (!out->v || !ev)
            e = EG_ERR_NOMEM;
    }
    if (!e && nres) {
        size_t n = 0, m = 0;
        for (int i = 0; i < nw; i++) {
            if (i && w[i].ev.n)
                memcpy(w[0].ev.v + m, w[i].ev.v, w[i].ev.n * sizeof *w[0].ev.v);
            w[i].out = out->v + n;
            w[i].evidence = w[0].ev.v + m;
            w[i].keys = kv ? kv + n : NULL;
            n += w[i].nres;
            m += w[i].ev.n;
        }
        started = 0;
        for (int i = 1; i < nw; i++) {
            if (pthread_create(&th[i], NULL, expand_range, &w[i]) != 0) {
                expand(&w[i]);
                continue;
            }
            started |= 1 << i;
        }
        expand(&w[0]);
        for (int i = 1; i < nw; i++)
            if (started & (1 << i))
                pthread_join(th[i], NULL);
        out->n = nres;
        out->evidence = w[0].ev.v;
        out->nevidence = nev;
        w[0].ev.v = NULL;
    }
    free(spare);
    for (int i = 0; i < nw; i++)
        walk_free(&w[i]);
    if (!e && s->ci.ntrips) {
        out->case_ids = malloc(s->ci.ntrips * sizeof *out->case_ids);
        if (!out->case_ids)
            e = EG_ERR_NOMEM;
        else {
            for (size_t i = 0; i < s->ci.ntrips; i++)
                out->case_ids[i] = s->ci.trips[i].id;
            out->ncase_ids = s->ci.ntrips;
        }
    }
    if (e) {
        free(kv);
        eg_screen_results_free(out);
        return e;
    }
    if (s->ids.n) { /* numbers of other shapes: key order is not id_no order */
        qsort(out->v, out->n, sizeof *out->v, cmp_result_id);
        free(kv);
        kv = NULL;
    }
    if (keys)
        *keys = kv;
    return EG_OK;
}

eg_err eg_screen_finish_threads(eg_screen *s, eg_screen_results *out, int nthreads)
{
    return eg_screen_finish_keys(s, out, nthreads, NULL);
}

eg_err eg_screen_finish(eg_screen *s, eg_screen_results *out)
{
    return eg_screen_finish_threads(s, out, 1);
}

void eg_screen_results_free(eg_screen_results *r)
{
    if (!r)
        return;
    free(r->v);
    free(r->evidence);
    free(r->case_ids);
    memset(r, 0, sizeof *r);
}

eg_err eg_screen_run(const eg_screen_params *p, const eg_leg *legs, size_t nlegs,
                     const eg_case_trip *cases, size_t ncases,
                     const eg_risk_area *areas, size_t nareas,
                     eg_screen_lookup_fn lookup, void *ctx, eg_screen_results *out)
{
    eg_screen *s = NULL;
    eg_err e;
    if (!out || (nlegs && !legs) || nlegs > UINT32_MAX)
        return EG_ERR_INVALID;
    memset(out, 0, sizeof *out);
    e = eg_screen_new(p, cases, ncases, areas, nareas, &s);
    for (size_t i = 0; !e && i < nlegs; i++)
        e = eg_screen_add_leg(s, &legs[i], (uint32_t)i);
    if (!e)
        e = eg_screen_finish(s, out);
    eg_screen_free(s);
    if (!e)
        e = eg_screen_resolve(out, p->city, lookup, ctx);
    if (e)
        eg_screen_results_free(out);
    return e;
}
