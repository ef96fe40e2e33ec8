/*
 * report/json.c: the report's JSON: the document of spec/api.md for one
 * node (counters nested by their dotted names, `direct`, `children` one
 * level down), and the stored form of a version (the direct parts of every
 * node, by division code, with the counter names so that a later program
 * reads an older version correctly, and a counter it lacks reads as not
 * reported). The counters come from the registry of sections.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "internal.h"

/* Set obj[path] = v (stolen), creating the objects on the way ("a.b.c"). */
static int set_path(json_t *obj, const char *path, json_t *v)
{
    char key[96];
    const char *dot;
    while ((dot = strchr(path, '.')) != NULL) {
        size_t n = (size_t)(dot - path);
        json_t *sub;
        if (n >= sizeof key) {
            json_decref(v);
            return -1;
        }
        memcpy(key, path, n);
        key[n] = 0;
        sub = json_object_get(obj, key);
        if (!sub) {
            sub = json_object();
            if (!sub || json_object_set_new(obj, key, sub)) {
                json_decref(v);
                return -1;
            }
        }
        obj = sub;
        path = dot + 1;
    }
    return json_object_set_new(obj, path, v);
}

/* Add every counter of `c` to obj, nested, section by section: a counter
 * the report does not hold is null, a section none of whose counters it
 * holds is null as a whole. */
static int add_counters(json_t *obj, const eg_report *r, const long *c)
{
    int nsec, base = 0;
    const eg_report_section *const *sec = eg_report_sections(&nsec);
    for (int k = 0; k < nsec; base += sec[k]->ncounters, k++) {
        int any = 0;
        for (int i = base; i < base + sec[k]->ncounters; i++)
            any |= r->reported[i];
        if (!any) {
            if (json_object_set_new(obj, sec[k]->name, json_null()))
                return -1;
            continue;
        }
        for (int i = base; i < base + sec[k]->ncounters; i++)
            if (set_path(obj, sec[k]->counters[i - base], r->reported[i] ? json_integer(c[i]) : json_null()))
                return -1;
    }
    return 0;
}

/* {"code","name","level"} of a node. */
static json_t *juris_obj(const eg_juris_node *n)
{
    return json_pack("{s:s, s:s, s:s}", "code", n->code, "name", n->name ? n->name : "",
                     "level", eg_level_name(n->level));
}

/* A node's counters and direct part under obj. */
static int node_part(json_t *obj, const eg_report *r, const eg_juris_node *n)
{
    json_t *direct = json_object();
    if (!direct || json_object_set_new(obj, "juris", juris_obj(n)) || add_counters(obj, r, eg_report_total(r, n)) ||
        json_object_set_new(obj, "direct", direct) || add_counters(direct, r, eg_report_direct(r, n)))
        return -1;
    return 0;
}

/* See epigrid/report.h. */
eg_err eg_report_json(const eg_report *r, const eg_juris_node *node, int indent, char **json)
{
    char day[EG_DATE_BUFSZ], at[EG_TIME_BUFSZ];
    json_t *doc = json_object(), *kids = json_array();
    int bad = !doc || !kids;
    *json = NULL;
    if (!bad)
        bad = json_object_set_new(doc, "date", json_string(eg_date_format(r->date, day))) ||
              json_object_set_new(doc, "version", r->live ? json_null() : json_integer(r->version)) ||
              json_object_set_new(doc, "live", json_boolean(r->live)) ||
              json_object_set_new(doc, "generated_at", json_string(eg_time_format(r->generated_at, at))) ||
              node_part(doc, r, node);
    for (size_t k = 0; !bad && k < node->nchildren; k++) {
        json_t *c = json_object();
        bad = !c || json_array_append_new(kids, c) || node_part(c, r, node->children[k]);
    }
    if (!bad) {
        bad = json_object_set_new(doc, "children", kids);
        kids = NULL;
    }
    if (!bad)
        *json = json_dumps(doc, (indent ? JSON_INDENT(indent) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(kids);
    json_decref(doc);
    return *json ? EG_OK : EG_ERR_NOMEM;
}

/* See internal.h. */
char *rpt_body(const eg_report *r)
{
    json_t *doc = json_object(), *names = json_array(), *nodes = json_object(), *outside = json_array();
    char day[EG_DATE_BUFSZ], at[EG_TIME_BUFSZ], *text = NULL;
    int bad = !doc || !names || !nodes || !outside;
    for (int i = 0; !bad && i < r->ncounters; i++)
        bad = json_array_append_new(names, json_string(eg_report_counter_name(i)));
    for (size_t i = 0; !bad && i < r->tree->n; i++) {
        const long *c = eg_report_direct(r, &r->tree->nodes[i]);
        json_t *row;
        int any = 0;
        for (int k = 0; k < r->ncounters; k++)
            any |= c[k] != 0;
        if (!any)
            continue;
        row = json_array();
        bad = !row || json_object_set_new(nodes, r->tree->nodes[i].code, row);
        for (int k = 0; !bad && k < r->ncounters; k++)
            bad = json_array_append_new(row, json_integer(c[k]));
    }
    for (int k = 0; !bad && k < r->ncounters; k++)
        bad = json_array_append_new(outside, json_integer(r->outside[k]));
    if (!bad) {
        bad = json_object_set_new(doc, "format", json_string("epigrid-daily-report/1")) ||
              json_object_set_new(doc, "date", json_string(eg_date_format(r->date, day))) ||
              json_object_set_new(doc, "generated_at", json_string(eg_time_format(r->generated_at, at))) ||
              json_object_set_new(doc, "counters", names) || json_object_set_new(doc, "nodes", nodes) ||
              json_object_set_new(doc, "outside", outside);
        names = nodes = outside = NULL;
    }
    if (!bad)
        text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(names);
    json_decref(nodes);
    json_decref(outside);
    json_decref(doc);
    return text;
}

/* See internal.h. */
eg_err rpt_from_body(eg_report *r, const char *body, eg_diag *d)
{
    json_error_t err;
    json_t *doc = json_loads(body, 0, &err), *names, *nodes, *outside, *row;
    int *map;
    size_t nnames;
    const char *code;
    if (!doc)
        return eg_diag_set(d, EG_ERR_PARSE, NULL, 0, "body", "stored report is not JSON: %s", err.text);
    names = json_object_get(doc, "counters");
    nodes = json_object_get(doc, "nodes");
    outside = json_object_get(doc, "outside");
    if (!json_is_array(names) || !json_is_object(nodes)) {
        json_decref(doc);
        return eg_diag_set(d, EG_ERR_PARSE, NULL, 0, "body", "stored report lacks counters or nodes");
    }
    nnames = json_array_size(names);
    if (!(map = malloc((nnames ? nnames : 1) * sizeof *map))) {
        json_decref(doc);
        return EG_ERR_NOMEM;
    }
    /* counters by name: a version stored by an older program keeps its meaning, and what it did not
     * report stays "not reported" */
    memset(r->reported, 0, (size_t)r->ncounters);
    for (size_t i = 0; i < nnames; i++) {
        map[i] = eg_report_counter_index(json_string_value(json_array_get(names, i)));
        if (map[i] >= 0)
            r->reported[map[i]] = 1;
    }
    json_object_foreach(nodes, code, row) {
        long *c = rpt_slot(r, code);
        for (size_t i = 0; i < nnames && i < json_array_size(row); i++)
            if (map[i] >= 0)
                c[map[i]] += (long)json_integer_value(json_array_get(row, i));
    }
    for (size_t i = 0; json_is_array(outside) && i < nnames && i < json_array_size(outside); i++)
        if (map[i] >= 0)
            r->outside[map[i]] += (long)json_integer_value(json_array_get(outside, i));
    free(map);
    json_decref(doc);
    rpt_roll_up(r);
    return EG_OK;
}
