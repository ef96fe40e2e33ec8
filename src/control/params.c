/*
 * control/params.c: the parameters of control measures, with their
 * defaults, units and sources (a parameter table like OpenABM's), loaded
 * from the store's settings `control.NAME` so that a headquarters can
 * follow the plan in force.
 */
#include <stdlib.h>
#include "internal.h"

/* The table: name, default, unit, source. */
static const eg_control_param_info TABLE[] = {
    { "home_quarantine_days", "14", "days",
      "国家卫健委 新型冠状病毒肺炎防控方案 第四版 (2020-02-06) and 第五版 (2020-02-21): 14 days of "
      "medical observation from arrival from an affected area" },
    { "central_isolation_days", "14", "days",
      "防控方案 第四版/第五版, 密切接触者管理: 14 days of centralised medical observation from the last "
      "unprotected exposure; a new exposure restarts it" },
    { "suspected_min_stay_days", "14", "days",
      "Tonghua headquarters (通化市): 疑似病例医院筛查并住满两周 (suspected cases screened in hospital "
      "and kept for a full two weeks); 0 applies the national plan alone" },
    { "test_gap_hours", "24", "hours",
      "新型冠状病毒肺炎诊疗方案 试行第五版 (2020-02-04) and 第六版 (2020-02-18): two consecutive "
      "negative nucleic-acid tests on samples taken at least 24 h apart (exclusion and discharge)" },
    { "normal_temp_days", "3", "days",
      "诊疗方案 试行第五版/第六版, 解除隔离和出院标准: temperature normal for more than 3 days" },
    { "post_discharge_days", "14", "days",
      "诊疗方案 试行第六版, 出院后注意事项: 14 days of isolation management and health monitoring "
      "after discharge" },
    { "fever_threshold_c", "37.3", "°C",
      "防控方案 第四版/第五版: fever is an axillary temperature of 37.3 °C or more" },
    { "temp_min_c", "34.0", "°C", "spec/formats.md, readings.csv: readings below are refused" },
    { "temp_max_c", "43.0", "°C", "spec/formats.md, readings.csv: readings above are refused" },
    { "morning_deadline", "12:00", "HH:MM CST",
      "EpiGrid default (issue 5): the morning reading is missing after this" },
    { "evening_deadline", "20:00", "HH:MM CST",
      "EpiGrid default (issue 5): the evening reading is missing after this" },
    { "escalate_hours", "2", "hours",
      "EpiGrid default (issue 5): an alert not acknowledged within this goes one level up" },
    { "referral_due_hours", "2", "hours",
      "EpiGrid default: a person with fever is to reach a fever clinic (发热门诊) within this" },
    { "team_size", "4", "persons",
      "四人一专班 (Tonghua, the model city): a team of four (township cadre, village cadre, police officer, "
      "doctor) per person under control; a running order with fewer confirmed members raises team_incomplete" },
    { "hotline", "12320", "text",
      "the national public-health hotline 12320 (卫生热线), printed on notices" },
};
#define NTABLE (sizeof TABLE / sizeof TABLE[0])

/* See epigrid/control.h. */
const eg_control_param_info *eg_control_param_table(size_t *n)
{
    *n = NTABLE;
    return TABLE;
}

/* Parse a whole number in [lo, hi]. */
static int parse_int(const char *v, int lo, int hi, int *out)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < lo || x > hi)
        return -1;
    *out = (int)x;
    return 0;
}

/* Parse a temperature in tenths. */
static int parse_dc(const char *v, int *out)
{
    return eg_control_parse_temp(v, out) ? -1 : 0;
}

/* Set one field of p by name from text. Returns EG_OK, EG_ERR_NOT_FOUND,
 * EG_ERR_INVALID. */
static eg_err set_field(eg_control_params *p, const char *name, const char *v)
{
    int r = -1;
    if (strcmp(name, "home_quarantine_days") == 0)
        r = parse_int(v, 1, 60, &p->home_quarantine_days);
    else if (strcmp(name, "central_isolation_days") == 0)
        r = parse_int(v, 1, 60, &p->central_isolation_days);
    else if (strcmp(name, "suspected_min_stay_days") == 0)
        r = parse_int(v, 0, 60, &p->suspected_min_stay_days);
    else if (strcmp(name, "test_gap_hours") == 0)
        r = parse_int(v, 0, 240, &p->test_gap_hours);
    else if (strcmp(name, "normal_temp_days") == 0)
        r = parse_int(v, 0, 30, &p->normal_temp_days);
    else if (strcmp(name, "post_discharge_days") == 0)
        r = parse_int(v, 0, 60, &p->post_discharge_days);
    else if (strcmp(name, "fever_threshold_c") == 0)
        r = parse_dc(v, &p->fever_dc);
    else if (strcmp(name, "temp_min_c") == 0)
        r = parse_dc(v, &p->temp_min_dc);
    else if (strcmp(name, "temp_max_c") == 0)
        r = parse_dc(v, &p->temp_max_dc);
    else if (strcmp(name, "morning_deadline") == 0)
        r = eg_time_of_day_parse(v, &p->morning_deadline_min) ? -1 : 0;
    else if (strcmp(name, "evening_deadline") == 0)
        r = eg_time_of_day_parse(v, &p->evening_deadline_min) ? -1 : 0;
    else if (strcmp(name, "escalate_hours") == 0)
        r = parse_int(v, 0, 72, &p->escalate_hours);
    else if (strcmp(name, "referral_due_hours") == 0)
        r = parse_int(v, 0, 72, &p->referral_due_hours);
    else if (strcmp(name, "team_size") == 0)
        r = parse_int(v, 1, 4, &p->team_size);
    else if (strcmp(name, "hotline") == 0) {
        if (!*v || strlen(v) >= sizeof p->hotline)
            return EG_ERR_INVALID;
        CTL_COPY(p->hotline, v);
        r = 0;
    } else
        return EG_ERR_NOT_FOUND;
    return r ? EG_ERR_INVALID : EG_OK;
}

/* See epigrid/control.h. */
void eg_control_params_default(eg_control_params *p)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < NTABLE; i++)
        set_field(p, TABLE[i].name, TABLE[i].def);
}

/* See epigrid/control.h. */
eg_err eg_control_params_load(eg_store *s, eg_control_params *p, eg_diag *d)
{
    eg_control_params_default(p);
    for (size_t i = 0; i < NTABLE; i++) {
        char key[80], val[64];
        snprintf(key, sizeof key, "control.%s", TABLE[i].name);
        eg_err e = eg_store_meta_get(s, key, val, sizeof val);
        if (e == EG_ERR_NOT_FOUND)
            continue;
        if (e)
            return e;
        if (set_field(p, TABLE[i].name, val))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, key, "stored value '%s' is not valid", val);
    }
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_fever_threshold(eg_store *s, int *fever_dc)
{
    eg_control_params p;
    char val[64];
    eg_err e;
    eg_control_params_default(&p);
    e = eg_store_meta_get(s, "control.fever_threshold_c", val, sizeof val);
    if (!e && set_field(&p, "fever_threshold_c", val))
        return EG_ERR_INVALID;
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    *fever_dc = p.fever_dc;
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_param_set(eg_store *s, eg_control_params *p, const char *name, const char *value,
                            eg_diag *d)
{
    char key[80];
    eg_err e = set_field(p, name, value);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, name, "unknown parameter (see `epigrid control params`)");
    if (e)
        return eg_diag_set(d, e, NULL, 0, name, "'%s' is not a valid value", value);
    if (!s)
        return EG_OK;
    snprintf(key, sizeof key, "control.%s", name);
    return eg_store_meta_set(s, key, value);
}

/* Format tenths of a degree. */
static void fmt_dc(int dc, char *buf, size_t size)
{
    snprintf(buf, size, "%d.%d", dc / 10, dc % 10);
}

/* See epigrid/control.h. */
eg_err eg_control_param_get(const eg_control_params *p, const char *name, char *buf, size_t size)
{
    int v = -1;
    if (strcmp(name, "home_quarantine_days") == 0) v = p->home_quarantine_days;
    else if (strcmp(name, "central_isolation_days") == 0) v = p->central_isolation_days;
    else if (strcmp(name, "suspected_min_stay_days") == 0) v = p->suspected_min_stay_days;
    else if (strcmp(name, "test_gap_hours") == 0) v = p->test_gap_hours;
    else if (strcmp(name, "normal_temp_days") == 0) v = p->normal_temp_days;
    else if (strcmp(name, "post_discharge_days") == 0) v = p->post_discharge_days;
    else if (strcmp(name, "escalate_hours") == 0) v = p->escalate_hours;
    else if (strcmp(name, "referral_due_hours") == 0) v = p->referral_due_hours;
    else if (strcmp(name, "team_size") == 0) v = p->team_size;
    else if (strcmp(name, "fever_threshold_c") == 0) return fmt_dc(p->fever_dc, buf, size), EG_OK;
    else if (strcmp(name, "temp_min_c") == 0) return fmt_dc(p->temp_min_dc, buf, size), EG_OK;
    else if (strcmp(name, "temp_max_c") == 0) return fmt_dc(p->temp_max_dc, buf, size), EG_OK;
    else if (strcmp(name, "morning_deadline") == 0 || strcmp(name, "evening_deadline") == 0) {
        int m = name[0] == 'm' ? p->morning_deadline_min : p->evening_deadline_min;
        snprintf(buf, size, "%02d:%02d", m / 60, m % 60);
        return EG_OK;
    } else if (strcmp(name, "hotline") == 0) {
        snprintf(buf, size, "%s", p->hotline);
        return EG_OK;
    } else
        return EG_ERR_NOT_FOUND;
    snprintf(buf, size, "%d", v);
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_parse_temp(const char *s, int *temp_dc)
{
    int whole = 0, frac = 0, nd = 0, neg = 0;
    const char *p = s;
    while (*p == ' ')
        p++;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (*p < '0' || *p > '9')
        return EG_ERR_PARSE;
    while (*p >= '0' && *p <= '9') {
        whole = whole * 10 + (*p++ - '0');
        if (whole > 1000)
            return EG_ERR_PARSE;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (nd == 0)
                frac = *p - '0';
            else if (*p != '0')
                return EG_ERR_PARSE;   /* more than one decimal */
            nd++;
            p++;
        }
        if (nd == 0)
            return EG_ERR_PARSE;
    }
    while (*p == ' ')
        p++;
    if (*p)
        return EG_ERR_PARSE;
    *temp_dc = (neg ? -1 : 1) * (whole * 10 + frac);
    return EG_OK;
}
