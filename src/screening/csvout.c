/*
 * screening/csvout.c: writing screening results as the CSV of the batch
 * mode: `id_no,name,measure,start_date,end_date,kind,rules,
 * jurisdiction_code,evidence`, one row per person in the results' order
 * (by id_no).
 */
#include <stdio.h>
#include "epigrid/csv.h"
#include "epigrid/screening.h"

/* Write one result's row. Returns 0 or -1 on a write error. */
static int write_row(FILE *f, const eg_screen_results *rs, const eg_screen_result *r)
{
    char s[EG_DATE_BUFSZ], e[EG_DATE_BUFSZ];
    const char *rules = r->rules == (EG_RULE_R1 | EG_RULE_R2) ? "R1;R2" : r->rules == EG_RULE_R2 ? "R2" : "R1";
    if (eg_csv_write_field(f, r->id_no) || fputc(',', f) == EOF || eg_csv_write_field(f, r->name))
        return -1;
    if (fprintf(f, ",%s,%s,%s,%s,%s,", eg_measure_name(r->measure), eg_date_format(r->start, s),
                eg_date_format(r->end, e), eg_screen_kind_name(r->kind), rules) < 0)
        return -1;
    if (eg_csv_write_field(f, r->kind == EG_SCREEN_UNLOCATED ? "unlocated" : r->division) ||
        fputc(',', f) == EOF)
        return -1;
    const char *sep = "";
    for (size_t i = 0; i < r->nlegs; i++, sep = ";")
        if (fprintf(f, "%sleg:%lu", sep, (unsigned long)r->legs[i]) < 0)
            return -1;
    for (size_t i = 0; i < r->ncases; i++, sep = ";") {
        uint32_t c = r->cases[i];
        long id = c < rs->ncase_ids ? rs->case_ids[c] : (long)c;
        if (fprintf(f, "%scase:%ld", sep, id) < 0)
            return -1;
    }
    return fputc('\n', f) == EOF ? -1 : 0;
}

eg_err eg_screen_write_csv(FILE *f, const eg_screen_results *rs)
{
    if (!f || !rs)
        return EG_ERR_INVALID;
    if (fputs("id_no,name,measure,start_date,end_date,kind,rules,jurisdiction_code,evidence\n", f) == EOF)
        return EG_ERR_IO;
    for (size_t i = 0; i < rs->n; i++)
        if (write_row(f, rs, &rs->v[i]))
            return EG_ERR_IO;
    return ferror(f) ? EG_ERR_IO : EG_OK;
}
