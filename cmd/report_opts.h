/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `sidetrace report`'s command line: argv to the struct report_opts that
 * lib/report/ runs (cmd/report.c), and report --files' own (cmd/report_files.c).
 */
#ifndef SIDETRACE_REPORT_OPTS_H
#define SIDETRACE_REPORT_OPTS_H

#include "report/report.h"
#include "report/report_calls.h"
#include "export/export.h"

/* What `sidetrace report`'s command line asks for: the report, and the view it feeds. */
struct report_cmdline {
	struct report_opts report;
	struct report_calls_opts calls;	/* --graph, --profile, ... (report_calls.h) */
	struct export_opts exp;		/* --format, --flamegraph, ... (export.h) */
};

/*
 * argv (argv[0] = "report") -> options. Returns 0, 1 for --help, or -1 with
 * st_set_error() on a bad command line. Pure apart from getopt's own state
 * (which it resets).
 */
int report_parse_args(int argc, char **argv, struct report_cmdline *a);

/* `sidetrace report --files ...`: returns the exit status. */
int report_files_main(int argc, char **argv);

/* report --files' options: report_cli's --files switches to them. */
extern const struct cli_command report_files_cli;

/* `sidetrace report --syscalls ...` (cmd/report_syscalls.c), and its options. */
int report_syscalls_main(int argc, char **argv);
extern const struct cli_command report_syscalls_cli;

#endif
