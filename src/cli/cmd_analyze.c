/* PLACEHOLDER written by the lead so the program links; the analysis helper replaces this whole file. */
#include "cli.h"
int eg_cmd_analyze(eg_cli *cli, int argc, char **argv) { (void)argc; (void)argv; fprintf(cli->err, "epigrid: analyze: not built yet\n"); return EG_EX_SOFTWARE; }
int eg_cli_drill_analysis(eg_cli *cli, const char *series_path) { (void)series_path; fprintf(cli->out, "  analysis: not built yet\n"); return EG_EX_OK; }
