/*
 * control/notice.c: the written notice of a measure (居家隔离医学观察通知书,
 * 集中隔离医学观察通知书) as printable HTML, from a template with
 * {{placeholders}} (the built-in one below, or the caller's). Values are
 * HTML-escaped; the page prints on one A4 sheet.
 */
#include "internal.h"

/* The built-in template. */
static const char TEMPLATE[] =
    "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>{{title}}</title>\n<style>\n"
    "@page { size: A4; margin: 20mm; }\n"
    "body { font-family: \"Songti SC\", \"SimSun\", serif; font-size: 14pt; line-height: 1.8; }\n"
    "h1 { text-align: center; font-size: 20pt; letter-spacing: 0.2em; }\n"
    "table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #000; padding: 2px 6px; }\n"
    ".sign { margin-top: 3em; text-align: right; } .no { text-align: right; font-size: 10pt; }\n"
    "</style>\n</head>\n<body>\n"
    "<p class=\"no\">编号 No. {{oid}}</p>\n<h1>{{title}}</h1>\n"
    "<p><b>{{name}}</b>（身份证号 {{id_no}}）：</p>\n"
    "<p>根据《中华人民共和国传染病防治法》和新型冠状病毒肺炎防控方案的要求，现对您实施<b>{{measure_zh}}</b>，"
    "期限自 <b>{{start}}</b> 起至 <b>{{last_day}}</b> 止，<b>{{end}}</b> 解除。"
    "观察期间请每日早晚各测量体温一次（12:00、20:00 前报告），如出现发热（≥37.3℃）、咳嗽、气促、胸闷等症状，"
    "请立即报告专班，不得自行就医或外出。</p>\n"
    "<p>观察地点：{{address}}</p>\n"
    "<p>包保专班（四人一专班）：</p>\n{{team}}\n"
    "<p>咨询电话：{{hotline}}</p>\n"
    "<p class=\"sign\">{{juris}} 新型冠状病毒感染的肺炎疫情防控指挥部<br>{{issued}}</p>\n"
    "</body>\n</html>\n";

/* Write text HTML-escaped. */
static void put_escaped(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* The team table, built while reading members. */
typedef struct team_html {
    char buf[4096];
    size_t used;
    int n;
} team_html;

/* Append escaped text to the team table buffer. */
static void team_put(team_html *t, const char *s, int escape)
{
    for (; s && *s && t->used + 8 < sizeof t->buf; s++) {
        const char *rep = NULL;
        if (escape)
            rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
        if (rep) {
            size_t k = strlen(rep);
            if (t->used + k + 1 >= sizeof t->buf)
                break;
            memcpy(t->buf + t->used, rep, k);
            t->used += k;
        } else {
            t->buf[t->used++] = *s;
        }
    }
    t->buf[t->used] = 0;
}

static eg_err add_member(void *ctx, const eg_ctl_member *m)
{
    static const char *const ZH[][2] = { { "township_cadre", "乡镇(街道)干部" }, { "village_cadre", "村(社区)干部" },
                                         { "police", "民警" }, { "doctor", "医生" } };
    team_html *t = ctx;
    const char *role = m->role;
    for (size_t i = 0; i < 4; i++)
        if (strcmp(ZH[i][0], m->role) == 0)
            role = ZH[i][1];
    team_put(t, "<tr><td>", 0);
    team_put(t, role, 1);
    team_put(t, "</td><td>", 0);
    team_put(t, m->staff_name, 1);
    team_put(t, "</td><td>", 0);
    team_put(t, m->phone, 1);
    team_put(t, "</td></tr>\n", 0);
    t->n++;
    return EG_OK;
}

/* Registry details of the person. */
typedef struct who {
    char address[EG_CTL_TEXT_BUFSZ];
} who;

static eg_err take_address(void *ctx, const eg_person_rec *r)
{
    CTL_COPY(((who *)ctx)->address, r->address);
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_notice(eg_store *s, const eg_control_params *p, const char *oid, const char *template_html,
                         eg_time now, FILE *f, eg_diag *d)
{
    eg_ctl_order o;
    team_html team;
    who w = { "" };
    char start[EG_DATE_BUFSZ], end[EG_DATE_BUFSZ], last[EG_DATE_BUFSZ], issued[EG_DATE_BUFSZ];
    const char *title, *tpl = template_html ? template_html : TEMPLATE;
    eg_err e = ctl_find_order(s, oid, &o, d);
    if (e)
        return e;
    if (strcmp(o.measure, "home_quarantine") == 0)
        title = "居家隔离医学观察通知书";
    else if (strcmp(o.measure, "central_isolation") == 0)
        title = "集中隔离医学观察通知书";
    else
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "measure", "the order is %s: notices are written for home "
                           "quarantine and central isolation", o.measure);
    memset(&team, 0, sizeof team);
    team_put(&team, "<table><tr><th>职责</th><th>姓名</th><th>电话</th></tr>\n", 0);
    if ((e = eg_store_ctl_member_each(s, o.id, eg_control_team_order(), add_member, &team)))
        return e;
    if (team.n == 0)
        team_put(&team, "<tr><td colspan=\"3\">（专班待确定）</td></tr>\n", 0);
    team_put(&team, "</table>", 0);
    e = eg_store_person_get(s, o.id_no, take_address, &w);
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    if (!w.address[0])
        CTL_COPY(w.address, strcmp(o.measure, "central_isolation") == 0 ? "集中隔离观察点" : "居住地");
    eg_date_format(o.start_date, start);
    eg_date_format(o.end_date, end);
    eg_date_format(o.end_date - 1, last);
    eg_date_format(eg_time_date(now), issued);
    for (const char *c = tpl; *c;) {
        const char *open = strstr(c, "{{"), *close = open ? strstr(open, "}}") : NULL;
        if (!open || !close) {
            fputs(c, f);
            break;
        }
        fwrite(c, 1, (size_t)(open - c), f);
        char key[32];
        size_t k = (size_t)(close - open - 2);
        snprintf(key, sizeof key, "%.*s", (int)(k < sizeof key ? k : sizeof key - 1), open + 2);
        if (strcmp(key, "title") == 0) put_escaped(f, title);
        else if (strcmp(key, "name") == 0) put_escaped(f, o.name);
        else if (strcmp(key, "id_no") == 0) put_escaped(f, o.id_no);
        else if (strcmp(key, "address") == 0) put_escaped(f, w.address);
        else if (strcmp(key, "measure_zh") == 0) put_escaped(f, eg_control_measure_zh(o.measure));
        else if (strcmp(key, "start") == 0) put_escaped(f, start);
        else if (strcmp(key, "end") == 0) put_escaped(f, end);
        else if (strcmp(key, "last_day") == 0) put_escaped(f, last);
        else if (strcmp(key, "team") == 0) fputs(team.buf, f);
        else if (strcmp(key, "hotline") == 0) put_escaped(f, p->hotline);
        else if (strcmp(key, "issued") == 0) put_escaped(f, issued);
        else if (strcmp(key, "juris") == 0) put_escaped(f, o.juris_code);
        else if (strcmp(key, "oid") == 0) put_escaped(f, o.oid);
        c = close + 2;
    }
    return ferror(f) ? EG_ERR_IO : EG_OK;
}
