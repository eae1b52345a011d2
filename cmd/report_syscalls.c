// SPDX-License-Identifier: GPL-2.0
/*
 * `sidetrace report --syscalls`: the lines of `sidetrace trace` from a
 * trace.dat of `record --syscalls` (lib/trace/trace_offline.c).
 */
#include "cli.h"
#include "cmds.h"
#include "report_opts.h"
#include "trace/trace.h"
#include "trace_opts.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: sidetrace report --syscalls [-e EXPR] [--failed] [--duration MS] [-c]\n"
	"                        [-s N] [-i FILE | FILE]\n"
	"\n"
	"Print the system calls of a 'sidetrace record --syscalls' trace as\n"
	"'sidetrace trace' prints them live: one strace-like line per call.\n"
	"\n"
	"  -e, --expr EXPR       which calls (names, %file, %process, ..., '!' to\n"
	"                        exclude), as sidetrace trace -e\n"
	"      --failed          only calls that returned an error\n"
	"      --duration MS     only calls that took at least MS milliseconds\n"
	"  -c, --summary         a table per syscall instead of the lines\n"
	"  -s, --string-limit N  at most N bytes of a file name\n"
	"  -i FILE               the trace (default: trace.dat)\n"
	"  -h, --help            this help\n";

static const struct cli_option syscalls_options[] = {
	CLI_OPT(TRACE_OPT_SYSCALLS, "syscalls", CLI_FLAG, NULL),
	CLI_OPT('e', "expr", CLI_VALUE, NULL),
	CLI_OPT(TRACE_OPT_FAILED, "failed", CLI_FLAG, NULL),
	CLI_OPT(TRACE_OPT_DURATION, "duration", CLI_VALUE, NULL),
	CLI_OPT('c', "summary", CLI_FLAG, NULL),
	CLI_OPT('s', "string-limit", CLI_VALUE, NULL),
	CLI_OPT('i', NULL, CLI_VALUE, "file"),
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

const struct cli_command report_syscalls_cli = {
	.name = "report --syscalls",
	.options = syscalls_options,
	.operands = "file",
};

struct syscalls_args {
	struct trace_opts o;	/* first: trace_parse_option() takes it */
	const char *input;
};

static int parse_option(void *ctx, int c, const char *arg)
{
	struct syscalls_args *a = ctx;

	if (c == 'i') {
		a->input = arg;
		return 0;
	}
	return trace_parse_option(&a->o, c, arg);
}

static int parse_args(int argc, char **argv, struct syscalls_args *a)
{
	int first = cli_parse(&report_syscalls_cli, argc, argv, parse_option, a);

	if (first < 0 || a->o.help)
		return first < 0 ? -1 : 0;
	if (first < argc) {
		if (a->input || first + 1 < argc) {
			st_set_error("one input file only");
			return -1;
		}
		a->input = argv[first];
	}
	if (!a->input)
		a->input = "trace.dat";
	return 0;
}

int report_syscalls_main(int argc, char **argv)
{
	struct syscalls_args a = { 0 };
	int ret = EXIT_OK;

	if (parse_args(argc, argv, &a) < 0) {
		trace_opts_free(&a.o);
		return cli_usage_error();
	}
	if (a.o.help) {
		fputs(usage_text, stdout);
	} else if (trace_report(a.input, &a.o, stdout) < 0) {
		st_warn("%s", st_last_error());
		ret = EXIT_FAILURE_;
	}
	trace_opts_free(&a.o);
	return ret;
}
