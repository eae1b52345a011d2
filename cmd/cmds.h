/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One entry point per subcommand (cmd/NAME.c), called with argv[0] = "NAME".
 * Each returns the process exit status.
 */
#ifndef SIDETRACE_CMDS_H
#define SIDETRACE_CMDS_H

#include "export/export.h"
#include "report/report.h"
#include "report/report_calls.h"

int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_reset(int argc, char **argv);

int sidetrace_main(int argc, char **argv);

/* What `sidetrace report`'s command line asks for: the report, and the view it feeds. */
struct report_cmdline {
	struct report_opts report;
	struct report_calls_opts calls;	/* --graph, --profile, ... (report_calls.h) */
	struct export_opts exp;		/* --format, --flamegraph, ... (export.h) */
};

/*
 * argv (argv[0] = "report") -> options; in cmd/report.c. Returns 0, 1 for
 * --help, or -1 with st_set_error() on a bad command line.
 */
int report_parse_args(int argc, char **argv, struct report_cmdline *a);

/* Exit statuses shared by every command. */
enum {
	EXIT_OK = 0,
	EXIT_FAILURE_ = 1,	/* an error; the message was printed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_INTERRUPTED = 130,	/* stopped by SIGINT (128 + 2), output still valid */
};

#endif
