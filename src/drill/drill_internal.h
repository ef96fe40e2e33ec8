/*
 * drill/drill_internal.h: state shared by the drill generator's files
 * (generate.c: grids, staff, registry; feed.c: the travel feed).
 */
#ifndef EG_DRILL_INTERNAL_H
#define EG_DRILL_INTERNAL_H

#include <stdio.h>
#include <gsl/gsl_rng.h>
#include "epigrid/drill.h"
#include "epigrid/idno.h"

/* A grid with its population weight. */
typedef struct grid {
    char code[EG_CODE_BUFSZ];
    const eg_juris_node *village;
    double weight;
} grid;

typedef struct gen {
    const eg_juris *j;
    const eg_drill_opts *o;
    const eg_juris_node *city;
    gsl_rng *rng;
    FILE *grids_f, *staff_f, *persons_f;
    grid *grids;
    size_t ngrids, cap;
    long staff_seq;
    eg_drill_summary *sum;
    struct person *persons;   /* the registry drawn, sorted by id (o->size) */
} gen;

/* One generated person before writing. */
struct person {
    char id[EG_IDNO_BUFSZ];
    unsigned grid;       /* index into g->grids */
    unsigned house;
    eg_date birth;
    int seq;
    char name[32];
    char phone[16];
};
typedef struct person person;


/* A random integer in [0, n) from the generator's stream. */
unsigned long drill_rnd(gen *g, unsigned long n);

/* Write CSV fields separated by commas, ending the line. */
void drill_write_row(FILE *f, const char *const *v, size_t n);

/* Write a synthetic name and mobile number. */
void drill_make_name(gen *g, char *out, size_t size);
void drill_make_phone(gen *g, char *out);

/* Write OUTDIR/travel.csv and OUTDIR/risk_areas.csv (feed.c). */
eg_err drill_gen_feed(gen *g, const char *outdir, eg_diag *d);

#endif
