/*
 * drill/generate.c: synthetic grids, staff and registry for drills.
 *
 * One pass over the tree in code order: every village-level unit gets
 * grids (communities 4-8, villages and village-like units 2-4); every node
 * of the city gets its officials and workers; persons are spread over the
 * city's grids, communities weighted three times villages (towns are denser).
 * Identity numbers are built with eg_idno_make (GB 11643-1999), region =
 * the county, and made unique by sorting and bumping the sequence.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include "epigrid/array.h"
#include "epigrid/csv.h"
#include "epigrid/drill.h"
#include "epigrid/idno.h"
#include "drill_internal.h"

static const char *const SURNAMES[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "范", "金", "石",
};
static const char *const GIVEN[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "文", "辉", "建", "国",
    "海", "红", "春", "梅", "林", "波", "宇", "浩", "鑫", "婷", "雪", "丹", "凤", "斌", "宁",
};
#define NSUR (sizeof SURNAMES / sizeof SURNAMES[0])
#define NGIV (sizeof GIVEN / sizeof GIVEN[0])

/* A random integer in [0, n). */
unsigned long drill_rnd(gen *g, unsigned long n)
{
    return gsl_rng_uniform_int(g->rng, n);
}

/* Write a synthetic name (surname + one or two given characters). */
void drill_make_name(gen *g, char *out, size_t size)
{
    if (drill_rnd(g, 3) == 0)
        snprintf(out, size, "%s%s", SURNAMES[drill_rnd(g, NSUR)], GIVEN[drill_rnd(g, NGIV)]);
    else
        snprintf(out, size, "%s%s%s", SURNAMES[drill_rnd(g, NSUR)], GIVEN[drill_rnd(g, NGIV)], GIVEN[drill_rnd(g, NGIV)]);
}

/* Write a synthetic mobile number (13x-19x and 8 digits). */
void drill_make_phone(gen *g, char *out)
{
    snprintf(out, 12, "1%lu%09lu", 3 + drill_rnd(g, 7), drill_rnd(g, 1000000000UL));
}

/* Write CSV fields separated by commas, ending the line. */
void drill_write_row(FILE *f, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        eg_csv_write_field(f, v[i]);
        fputc(i + 1 < n ? ',' : '\n', f);
    }
}

/* One staff row for the node of `code`. */
static void add_staff_code(gen *g, const char *role, const char *code, const char *unit)
{
    char id[24], name[32], phone[16];
    snprintf(id, sizeof id, "S%06ld", ++g->staff_seq);
    drill_make_name(g, name, sizeof name);
    drill_make_phone(g, phone);
    const char *v[] = { id, name, phone, role, code, unit };
    drill_write_row(g->staff_f, v, 6);
    g->sum->staff++;
}

/* One staff row for node `n`. */
static void add_staff(gen *g, const char *role, const eg_juris_node *n, const char *unit)
{
    add_staff_code(g, role, n->code, unit);
}

/* Staff of one node, by level (see docs/drill.md for the table). */
static void staff_for_node(gen *g, const eg_juris_node *n)
{
    int vill = n->level >= EG_LEVEL_VILLAGE && n->level <= EG_LEVEL_VILLAGE_LIKE;
    switch (n->level) {
    case EG_LEVEL_CITY:
        add_staff(g, "secretary", n, "市委");
        for (int i = 0; i < 4; i++)
            add_staff(g, "cdc_staff", n, "市疾控中心");
        break;
    case EG_LEVEL_COUNTY:
        add_staff(g, "city_leader", n, "市级包保领导");
        add_staff(g, "secretary", n, "县(区)委");
        add_staff(g, "cdc_staff", n, "县疾控中心");
        break;
    case EG_LEVEL_TOWNSHIP:
        add_staff(g, "secretary", n, "乡镇(街道)党委");
        for (int i = 0; i < 3; i++)
            add_staff(g, "township_cadre", n, "");
        for (int i = 0; i < 2; i++)
            add_staff(g, "police", n, "派出所");
        break;
    default:
        if (!vill)
            break;
        add_staff(g, "secretary", n, "");
        if (n->level != EG_LEVEL_COMMUNITY)
            add_staff(g, "first_secretary", n, "驻村工作队");
        for (int i = 0; i < 2; i++)
            add_staff(g, "village_cadre", n, "");
        add_staff(g, "doctor", n, n->level == EG_LEVEL_COMMUNITY ? "社区卫生服务站" : "村卫生室");
        add_staff(g, "police", n, "警务室");
        break;
    }
}

/* Grids of one village-level unit; also their grid leaders when the unit
 * lies in the city. */
static eg_err grids_for_village(gen *g, const eg_juris_node *n, int in_city)
{
    int k = n->level == EG_LEVEL_COMMUNITY ? 4 + (int)drill_rnd(g, 5) : 2 + (int)drill_rnd(g, 3);
    char longc[EG_CODE_BUFSZ];
    eg_code_long(n->code, longc);
    for (int i = 1; i <= k; i++) {
        char code[EG_CODE_BUFSZ], name[32];
        snprintf(code, sizeof code, "%.12s-%d", longc, i % 1000);
        snprintf(name, sizeof name, "第%d网格", i);
        const char *v[] = { code, name, "grid", longc, "", "synthetic grid" };
        drill_write_row(g->grids_f, v, 6);
        g->sum->grids++;
        if (!in_city)
            continue;
        if (g->ngrids == g->cap &&
            eg_array_grow(&g->grids, g->ngrids, &g->cap, sizeof *g->grids))
            return EG_ERR_NOMEM;
        grid *gr = &g->grids[g->ngrids++];
        snprintf(gr->code, sizeof gr->code, "%s", code);
        gr->village = n;
        gr->weight = n->level == EG_LEVEL_COMMUNITY ? 3.0 : 1.0;
        add_staff_code(g, "grid_leader", code, "");
    }
    return EG_OK;
}

/* Walk the tree below `n` in code order. */
static eg_err walk(gen *g, const eg_juris_node *n, int in_city)
{
    eg_err e = EG_OK;
    in_city = in_city || n == g->city;
    if (in_city)
        staff_for_node(g, n);
    if (n->level >= EG_LEVEL_VILLAGE && n->level <= EG_LEVEL_VILLAGE_LIKE)
        e = grids_for_village(g, n, in_city);
    for (size_t i = 0; !e && i < n->nchildren; i++)
        if (n->children[i]->level != EG_LEVEL_GRID)
            e = walk(g, n->children[i], in_city);
    return e;
}

static int cmp_person_id(const void *a, const void *b)
{
    return strcmp(((const person *)a)->id, ((const person *)b)->id);
}

/* Pick a grid index by weight (cumulative weights, binary search). */
static size_t pick_grid(gen *g, const double *cum)
{
    double x = gsl_rng_uniform(g->rng) * cum[g->ngrids - 1];
    size_t lo = 0, hi = g->ngrids - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Build the identity number of p from its grid's county, birth and seq. */
static void person_idno(const gen *g, person *p)
{
    char region[7], longc[EG_CODE_BUFSZ];
    eg_code_long(g->grids[p->grid].village->code, longc);
    memcpy(region, longc, 6);
    region[6] = 0;
    eg_idno_make(region, p->birth, p->seq, p->id);
}

/* Generate persons: draw, make identity numbers unique, write sorted by
 * generation order of grids. */
static eg_err gen_persons(gen *g)
{
    long n = g->o->size;
    person *ps = calloc((size_t)n, sizeof *ps);
    double *cum = malloc(g->ngrids * sizeof *cum);
    eg_date lo, hi;
    if (!ps || !cum) {
        free(ps);
        free(cum);
        return EG_ERR_NOMEM;
    }
    for (size_t i = 0; i < g->ngrids; i++)
        cum[i] = g->grids[i].weight + (i ? cum[i - 1] : 0);
    eg_date_from_ymd(1935, 1, 1, &lo);
    hi = g->o->today - 1;
    if (hi < lo)
        hi = lo;
    for (long i = 0; i < n; i++) {
        ps[i].grid = (unsigned)pick_grid(g, cum);
        ps[i].birth = lo + (eg_date)drill_rnd(g, (unsigned long)(hi - lo + 1));
        ps[i].seq = (int)drill_rnd(g, 1000);
        ps[i].house = 1 + (unsigned)drill_rnd(g, 300);
        person_idno(g, &ps[i]);
    }
    /* make the numbers unique: a duplicate takes the next free sequence of
     * the same parity (so the sex stays) */
    for (int round = 0; round < 1000; round++) {
        int dup = 0;
        qsort(ps, (size_t)n, sizeof *ps, cmp_person_id);
        for (long i = 1; i < n; i++)
            if (strcmp(ps[i].id, ps[i - 1].id) == 0) {
                ps[i].seq = (ps[i].seq + 2) % 1000;
                person_idno(g, &ps[i]);
                dup = 1;
            }
        if (!dup)
            break;
    }
    for (long i = 0; i < n; i++) {
        person *p = &ps[i];
        const grid *gr = &g->grids[p->grid];
        char birth[EG_DATE_BUFSZ], addr[512];
        drill_make_name(g, p->name, sizeof p->name);
        drill_make_phone(g, p->phone);
        eg_date_format(p->birth, birth);
        snprintf(addr, sizeof addr, "%s第%s网格 %u号", gr->village->name,
                 strchr(gr->code, '-') + 1, p->house);
        const char *v[] = { p->id, p->name, (p->seq % 2) ? "M" : "F", birth, p->phone, gr->code, addr };
        drill_write_row(g->persons_f, v, 7);
        g->sum->persons++;
    }
    g->persons = ps;
    free(cum);
    return EG_OK;
}

/* Open OUTDIR/NAME for writing with a header line. */
static FILE *open_out(const char *dir, const char *name, const char *header, eg_diag *d)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f)
        eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
    else
        fputs(header, f);
    return f;
}

/* Close an output file; EG_ERR_IO when a write failed. */
static eg_err close_out(FILE *f)
{
    int bad = !f || ferror(f);
    if (f && fclose(f))
        bad = 1;
    return bad ? EG_ERR_IO : EG_OK;
}

eg_err eg_drill_generate(const eg_juris *j, const eg_drill_opts *o, const char *outdir,
                         eg_drill_summary *sum, eg_diag *d)
{
    gen g = { .j = j, .o = o, .sum = sum };
    eg_err e = EG_OK, e2;
    memset(sum, 0, sizeof *sum);
    if (o->size <= 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "--size", "must be a positive number");
    g.city = eg_juris_find(j, o->city_code);
    if (!g.city)
        return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, "city",
                           "%s is not in the tree; run `epigrid init` first", o->city_code);
    g.rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!g.rng)
        return EG_ERR_NOMEM;
    gsl_rng_set(g.rng, o->seed);
    g.grids_f = open_out(outdir, "grids.csv", "code,name,level,parent_code,administered_by,unit_type\n", d);
    g.staff_f = open_out(outdir, "staff.csv", "staff_id,name,phone,role,juris_code,unit\n", d);
    g.persons_f = open_out(outdir, "persons.csv",
                           "id_no,name,sex,birth_date,phone,address_code,address\n", d);
    if (!g.grids_f || !g.staff_f || !g.persons_f)
        e = EG_ERR_IO;
    for (size_t i = 0; !e && i < j->nroots; i++)
        e = walk(&g, j->roots[i], 0);
    if (!e && g.ngrids == 0)
        e = eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "city",
                        "%s has no villages or communities to put grids in", o->city_code);
    if (!e)
        e = gen_persons(&g);
    if (!e && o->as_of != EG_NO_DATE)
        e = drill_gen_feed(&g, outdir, d);
    e2 = close_out(g.grids_f);
    if (close_out(g.staff_f))
        e2 = EG_ERR_IO;
    if (close_out(g.persons_f))
        e2 = EG_ERR_IO;
    if (!e && e2)
        e = eg_diag_set(d, EG_ERR_IO, outdir, 0, NULL, "cannot write the drill files");
    free(g.grids);
    free(g.persons);
    gsl_rng_free(g.rng);
    return e;
}
