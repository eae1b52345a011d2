// SPDX-License-Identifier: GPL-2.0
/*
 * sidetrace trace: parse the options into struct trace_opts and run the live
 * syscall view (lib/trace/).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_values.h"
#include "cmds.h"
#include "syscall/sc_fmt.h"
#include "trace/trace.h"
#include "trace_opts.h"
#include "util.h"

const char trace_usage[] =
	"usage: sidetrace trace [OPTIONS] COMMAND [ARGS...]\n"
	"       sidetrace trace [OPTIONS] -P PID[,PID...]\n"
	"\n"
	"Print the system calls of COMMAND and of every process it starts (always\n"
	"followed: -f is the default), or of running processes, one line per call as\n"
	"they happen, from the kernel's syscall events (no ptrace: the program runs at\n"
	"nearly full speed):\n"
	"\n"
	"   0.224 ( 0.014 ms) ls/14234 openat(AT_FDCWD, \"/etc/ld.so.cache\",\n"
	"                                     O_RDONLY|O_CLOEXEC) = 3\n"
	"\n"
	"Time in ms since the first event, the call's duration, comm/tid. File names\n"
	"come from probes on the C library's (or the kernel's) path functions.\n"
	"\n"
	"Options:\n"
	"  -e, --expr EXPR         which calls to show (strace's -e trace=): names,\n"
	"                          classes %file %process %network %signal %memory\n"
	"                          %desc, '!' in front to exclude; comma-separated,\n"
	"                          repeatable (default: every call)\n"
	"  -o, --output FILE       write the lines to FILE (default: standard error)\n"
	"  -P, -p, --pid PID[,PID...]\n"
	"                          attach to running processes (all their threads) until\n"
	"                          they exit; Ctrl-C detaches\n"
	"  -f, --follow-forks      follow children (always on; accepted for strace users)\n"
	"      --failed            only calls that returned an error\n"
	"      --duration MS       only calls that took at least MS milliseconds\n"
	"  -t, --time              the time of day instead of ms since the start\n"
	"  -c, --summary           no lines: a table per syscall at the end (calls,\n"
	"                          errors, time), as strace -c\n"
	"  -s, --string-limit N    print at most N bytes of a file name (default: all)\n"
	"      --no-strings        no path probes: file names as addresses\n"
	"  -b, --buffer-size KB    ring buffer size per CPU, in KiB\n"
	"  -h, --help              show this help\n"
	"\n"
	"Lost events (a full ring buffer) are stated in a line. Exit status: the\n"
	"command's (128+N if signal N killed it); 0 with -P; 1 on error, 2 on a bad\n"
	"command line. See sidetrace-trace(1).\n";


static const struct cli_option trace_options[] = {
	CLI_OPT('e', "expr", CLI_VALUE, NULL),
	CLI_OPT('o', "output", CLI_VALUE, "file"),
	CLI_OPT('P', "pid", CLI_VALUE, "pid"),
	CLI_OPT('p', NULL, CLI_VALUE, "pid"),
	CLI_OPT('f', "follow-forks", CLI_FLAG, NULL),
	CLI_OPT(TRACE_OPT_FAILED, "failed", CLI_FLAG, NULL),
	CLI_OPT(TRACE_OPT_DURATION, "duration", CLI_VALUE, NULL),
	CLI_OPT('t', "time", CLI_FLAG, NULL),
	CLI_OPT('c', "summary", CLI_FLAG, NULL),
	CLI_OPT('s', "string-limit", CLI_VALUE, NULL),
	CLI_OPT(TRACE_OPT_NO_STRINGS, "no-strings", CLI_FLAG, NULL),
	CLI_OPT('b', "buffer-size", CLI_VALUE, NULL),
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

const struct cli_command trace_cli = {
	.name = "trace",
	.options = trace_options,
	.operands = "command",
};

/* --duration MS: a number of milliseconds, fractions allowed ("0.5"). */
static int parse_duration_ms(const char *s, uint64_t *ns)
{
	char *end;
	double ms;

	errno = 0;
	ms = strtod(s, &end);
	if (errno || end == s || *end || !(ms >= 0) || ms > 1e9) {
		st_set_error("--duration: '%s' is not a number of milliseconds", s);
		return -1;
	}
	*ns = (uint64_t)(ms * 1e6);
	return 0;
}

int trace_parse_option(void *ctx, int c, const char *arg)
{
	struct trace_opts *o = ctx;
	unsigned long v;

	switch (c) {
	case 'e':
		o->exprs = xrealloc(o->exprs, (o->nr_exprs + 1) * sizeof(*o->exprs));
		o->exprs[o->nr_exprs++] = xstrdup(arg);
		return 0;
	case 'o':
		return cli_output(&o->output, arg);
	case 'P':
	case 'p':
		return cli_add_pids(&o->pids, &o->nr_pids, arg);
	case 'f':
		return 0;	/* children are always followed */
	case TRACE_OPT_FAILED:
		o->failed_only = true;
		return 0;
	case TRACE_OPT_DURATION:
		return parse_duration_ms(arg, &o->min_duration_ns);
	case 't':
		o->wall_clock = true;
		return 0;
	case 'c':
		o->summary = true;
		return 0;
	case 's':
		if (cli_positive(arg, INT_MAX, &v) < 0) {
			st_set_error("-s: '%s' is not a positive number of bytes", arg);
			return -1;
		}
		o->strsize = v;
		return 0;
	case TRACE_OPT_NO_STRINGS:
		o->no_strings = true;
		return 0;
	case 'b':
		return cli_buffer_kb(arg, &o->buffer_kb);
	case 'h':
		o->help = true;
		return 1;
	case TRACE_OPT_SYSCALLS:
		return 0;	/* report --syscalls: the mode's own name */
	}
	st_set_error("option code %d has no parser", c);	/* a table without its case */
	return -1;
}

void trace_opts_free(struct trace_opts *o)
{
	for (int i = 0; i < o->nr_exprs; i++)
		free(o->exprs[i]);
	free(o->exprs);
	free(o->pids);
	free(o->output);
	memset(o, 0, sizeof(*o));
}

int trace_parse_args(int argc, char **argv, struct trace_opts *o)
{
	int first;

	memset(o, 0, sizeof(*o));
	first = cli_parse(&trace_cli, argc, argv, trace_parse_option, o);
	if (first < 0)
		goto fail;
	if (o->help)
		return 0;
	if (first < argc)
		o->command = &argv[first];
	if (o->command && o->nr_pids) {
		st_set_error("-P attaches to running processes; it cannot be combined with a command");
		goto fail;
	}
	if (o->nr_exprs) {
		bool *sel = sc_parse_selection(o->exprs, o->nr_exprs);

		if (!sel)
			goto fail;
		free(sel);
	}
	if (!o->command && !o->nr_pids) {
		st_set_error("nothing to trace: give a COMMAND or -P PID (see sidetrace trace --help)");
		goto fail;
	}
	return 0;
fail:
	trace_opts_free(o);
	return -1;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o;
	int ret;

	if (trace_parse_args(argc, argv, &o) < 0)
		return cli_usage_error();
	if (o.help) {
		fputs(trace_usage, stdout);
		trace_opts_free(&o);
		return EXIT_OK;
	}
	ret = trace_run(&o);
	trace_opts_free(&o);
	return ret;
}
