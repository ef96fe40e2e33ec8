/*
 * report/sections.c: the registry of the daily report's sections, listed
 * once, in report order (the order of spec/api.md and of the counters in a
 * stored version). Each descriptor lives in its module's own source file;
 * a new capability adds its section here with one line (and its extern
 * declaration), without touching the report's core.
 */
#include <string.h>
#include "internal.h"

/* The descriptors, defined by their modules. */
extern const eg_report_section eg_control_report_measures, eg_control_report_cases, eg_checkpoint_report_section,
    eg_facility_report_section, eg_control_report_alerts, eg_control_report_tasks, eg_control_report_requests;

static const eg_report_section *const SECTIONS[] = {
    &eg_control_report_measures,
    &eg_control_report_cases,
    &eg_checkpoint_report_section,
    &eg_facility_report_section,
    &eg_control_report_alerts,
    &eg_control_report_tasks,
    &eg_control_report_requests,
};
#define NSECTIONS ((int)(sizeof SECTIONS / sizeof SECTIONS[0]))

/* See epigrid/report.h. */
const eg_report_section *const *eg_report_sections(int *n)
{
    *n = NSECTIONS;
    return SECTIONS;
}

/* See epigrid/report.h. */
int eg_report_ncounters(void)
{
    int n = 0;
    for (int i = 0; i < NSECTIONS; i++)
        n += SECTIONS[i]->ncounters;
    return n;
}

/* See epigrid/report.h. */
const char *eg_report_counter_name(int i)
{
    for (int k = 0; i >= 0 && k < NSECTIONS; k++) {
        if (i < SECTIONS[k]->ncounters)
            return SECTIONS[k]->counters[i];
        i -= SECTIONS[k]->ncounters;
    }
    return NULL;
}

/* See epigrid/report.h. */
int eg_report_counter_index(const char *name)
{
    int base = 0;
    for (int k = 0; name && k < NSECTIONS; k++) {
        for (int i = 0; i < SECTIONS[k]->ncounters; i++)
            if (strcmp(SECTIONS[k]->counters[i], name) == 0)
                return base + i;
        base += SECTIONS[k]->ncounters;
    }
    return -1;
}

/* See internal.h. */
int rpt_section_base(const char *name)
{
    int base = 0;
    for (int k = 0; k < NSECTIONS; k++) {
        if (strcmp(SECTIONS[k]->name, name) == 0)
            return base;
        base += SECTIONS[k]->ncounters;
    }
    return -1;
}
