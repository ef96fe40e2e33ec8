/*
 * cli/cmd_import.c: `epigrid init` and `epigrid import KIND FILE`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "epigrid/juris.h"

/* Bundled division tree (NBS 2019 edition; data/real/PROVENANCE.md). */
#define BUNDLED_DIVISIONS "real/tonghua_admin_divisions_2019.csv"

static const char *const KINDS[] = { "divisions", "staff", "persons", "travel", "case-trips",
                                     "risk-areas", "readings", "tests", "facilities", "checkpoints",
                                     "check-logs", "fevers" };

static void import_usage(FILE *f)
{
    fputs("usage: epigrid import KIND FILE [--rejects FILE]\n\n"
          "Import a UTF-8 CSV file (formats: docs/formats.md). KIND is one of:\n"
          "  divisions  code,name,level,parent_code[,administered_by][,unit_type]\n"
          "  staff      staff_id,name,phone,role,juris_code[,unit]\n"
          "  persons    id_no,name,sex,birth_date,phone,address_code,address[,doc_type]\n"
          "  travel     id_no,name,phone,mode,trip_no,dep_date,dep_time,from_code,from_name,\n"
          "             to_code,to_name,arr_date,car,seat[,doc_type] (ticket legs)\n"
          "  case-trips date,mode,trip_no,car,seat,from_name,to_name,case_status,source, or the\n"
          "             public same-trip list (travel_date,mode,trip_number,carriage_seat,from,to)\n"
          "  risk-areas code,level,valid_from,valid_to,name\n"
          "  readings   id_no,taken_at,temperature_c,symptoms,source (twice-daily monitoring)\n"
          "  tests      id_no,sampled_at,method,result[,lab] (laboratory results)\n"
          "  facilities facility_id,name,kind,juris_code,places_in_use,places_standby[,family_rooms]\n"
          "             [,address] (isolation_site, fever_clinic 5+5, designated_hospital 20+10)\n"
          "  checkpoints checkpoint_id,name,kind,juris_code[,max_checks_per_hour]\n"
          "  check-logs checkpoint_id,hour_start,checked,fevers (hourly)\n"
          "  fevers     checkpoint_id,at,temperature_c,id_no,name,phone,destination (37.3 °C or more)\n\n"
          "The good rows are imported in one transaction; each bad row is reported as\n"
          "FILE:LINE: column: reason and written with its reason to the rejects file\n"
          "(default: FILE's name + .rejects.csv in the current folder). A file without a required column, or not in UTF-8,\n"
          "is refused as a whole. FILE - reads standard input.\n"
          "Exit: 0 all imported, 65 some rows rejected (the rest imported) or the file refused\n"
          "as a whole (nothing imported), 66 file missing or unreadable, 70 internal error.\n"
          "Example: epigrid import persons persons.csv --rejects bad.csv\n", f);
}

int eg_cmd_import(eg_cli *cli, int argc, char **argv)
{
    static const struct option OPTS[] = {
        { "rejects", required_argument, NULL, 'r' }, { "help", no_argument, NULL, 'h' }, { 0 }
    };
    const char *rejects = NULL;
    eg_store *s = NULL;
    int c, known = 0, rc;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", OPTS, NULL)) != -1) {
        if (c == 'r')
            rejects = optarg;
        else if (c == 'h')
            return import_usage(cli->out), EG_EX_OK;
        else
            return import_usage(cli->err), EG_EX_USAGE;
    }
    /* getopt permutes: options may come before or after KIND FILE */
    if (argc - optind != 2) {
        import_usage(cli->err);
        return EG_EX_USAGE;
    }
    const char *kind = argv[optind], *path = argv[optind + 1];
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        known |= strcmp(kind, KINDS[i]) == 0;
    if (!known) {
        fprintf(cli->err, "epigrid: import: '%s' is not a kind this build imports "
                "(divisions, staff, persons, travel, case-trips, risk-areas, readings, tests, facilities,\n"
                "checkpoints, check-logs, fevers)\n", kind);
        return EG_EX_USAGE;
    }
    if (eg_cli_open_store(cli, &s))
        return EG_EX_SOFTWARE;
    rc = eg_cli_import_file(cli, s, kind, path, rejects, 0, 0);
    eg_store_close(s);
    return rc;
}

static void init_usage(FILE *f)
{
    fputs("usage: epigrid [--db PATH] init [--divisions FILE]\n\n"
          "Create the database (SQLite, WAL mode) or migrate it to this program's schema,\n"
          "and load the division tree: Tonghua's real 2019 tree (NBS 统计用区划代码 2019,\n"
          "bundled in data/real/, provenance in data/real/PROVENANCE.md), or FILE.\n"
          "The tree is loaded only when the database has no divisions yet.\n", f);
}

int eg_cmd_init(eg_cli *cli, int argc, char **argv)
{
    static const struct option OPTS[] = {
        { "divisions", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' }, { 0 }
    };
    char path[4096], rej[4096];
    const char *file = NULL;
    eg_store *s = NULL;
    long n = 0;
    int c, rc = EG_EX_OK;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", OPTS, NULL)) != -1) {
        if (c == 'd')
            file = optarg;
        else if (c == 'h')
            return init_usage(cli->out), EG_EX_OK;
        else
            return init_usage(cli->err), EG_EX_USAGE;
    }
    if (optind < argc)
        return init_usage(cli->err), EG_EX_USAGE;
    if (eg_cli_open_store(cli, &s))
        return EG_EX_SOFTWARE;
    if (eg_store_division_count(s, &n) == EG_OK && n == 0) {
        if (!file)
            file = eg_cli_data_path(BUNDLED_DIVISIONS, path, sizeof path);
        snprintf(rej, sizeof rej, "%s.init-rejects.csv", cli->db_path);
        rc = eg_cli_import_file(cli, s, "divisions", file, rej, 0, 1);
        eg_store_division_count(s, &n);
    } else if (file) {
        fprintf(cli->err, "epigrid: init: the database already has %ld divisions; %s was not "
                "loaded (use `epigrid import divisions %s` to add or update)\n", n, file, file);
        rc = EG_EX_USAGE;
    }
    fprintf(cli->out, "epigrid: database %s (%s, schema %d): %ld divisions\n", cli->db_path,
            eg_store_backend(s), eg_store_schema_version(s), n);
    eg_store_close(s);
    return rc;
}
