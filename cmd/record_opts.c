// SPDX-License-Identifier: LGPL-2.1
/*
 * `sidetrace record` option parsing: a pure function from argv to
 * struct record_opts (lib/record/record.h), so that every case is a unit test.
 * The values of the function tracing and user call graph options are parsed
 * by their parts of lib/record/.
 */
#include "cli.h"
#include "cli_values.h"
#include "cmds.h"
#include "record_opts.h"
#include "trace/trace_events.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char record_usage[] =
	"usage: sidetrace record [OPTIONS] [COMMAND [ARGS...]]\n"
	"\n"
	"Trace kernel events into a trace.dat file (trace-cmd's format), in a private\n"
	"tracefs instance that is removed afterwards. With a COMMAND, trace it from just\n"
	"before its exec until it exits; with -P, until those processes exit; otherwise\n"
	"until Ctrl-C (SIGINT) or SIGTERM.\n"
	"\n"
	"Options:\n"
	"  -e, --event EVENT       trace EVENT: SYSTEM:EVENT, SYSTEM, EVENT or a glob of\n"
	"                          them ('sched:sched_process_*'), or 'all'; repeatable\n"
	"  -f, --filter FILTER     kernel filter for the -e before it ('prev_pid > 0')\n"
	"  -o, --output FILE       write FILE (default: trace.dat), mode 0600\n"
	"      --no-kallsyms       leave kernel addresses out of the file (kallsyms and\n"
	"                          printk formats), for files meant to be shared\n"
	"  -b, --buffer-size KB    ring buffer size per CPU, in KiB\n"
	"  -C, --clock CLOCK       trace clock (local, global, mono, x86-tsc, ...)\n"
	"  -P, --pid PID[,PID...]  attach to running processes: only their events, until\n"
	"                          they exit or Ctrl-C\n"
	"  -F, --follow            only the COMMAND and its descendants\n"
	"      --no-filter         also record sidetrace's own threads\n"
	"  -p, --tracer TRACER     run TRACER (function_graph, function, ... as the\n"
	"                          kernel lists them in available_tracers); -e is then\n"
	"                          optional\n"
	"  -g, --graph-function FUNC\n"
	"                          function_graph: only FUNC and what it calls (a glob;\n"
	"                          repeatable)\n"
	"  -l, --function FUNC     trace only FUNC (set_ftrace_filter; a glob;\n"
	"                          repeatable)\n"
	"  -n, --notrace FUNC      never trace FUNC (set_ftrace_notrace; repeatable)\n"
	"      --max-graph-depth N function_graph: at most N levels of calls\n"
	"  -O, --option [no]OPTION set (or clear) a trace or tracer option for the\n"
	"                          recording (funcgraph-proc, func_stack_trace, ...);\n"
	"                          repeatable\n"
	"      --func-stack        function tracer: a kernel stack for every call\n"
	"                          (needs -l)\n"
	"      --stack             a kernel stack after every event and a user stack\n"
	"                          (uprobes: symbolized by report) after every hit\n"
	"  -x, --exec PATH         user call graphs: the -g/-n after it name functions of\n"
	"                          PATH (a program or library; globs or /regex/); every\n"
	"                          one gets an entry and a return uprobe. Repeatable\n"
	"      --max-probes N      at most N uprobes for -x (two per function; default\n"
	"                          1000)\n"
	"      --files[=BACKEND]   also record which files the COMMAND and its\n"
	"                          descendants open and execute, for\n"
	"                          'sidetrace report --files' (implies -F). BACKEND:\n"
	"                          auto (default: kprobe where the kernel has kprobes,\n"
	"                          else fanotify and uprobe together), kprobe, uprobe,\n"
	"                          fanotify, combined (fanotify and the strongest probes)\n"
	"      --files-backend BACKEND  the same as --files=BACKEND\n"
	"      --syscalls          also what 'sidetrace report --syscalls' needs to print\n"
	"                          the system calls as 'sidetrace trace' does (implies\n"
	"                          -F with a COMMAND)\n"
	"  -q, --quiet             print nothing but errors\n"
	"      --file-version 6|7  trace.dat version (default: 7)\n"
	"      --compression none|zlib|zstd\n"
	"                          v7 compression (default: zstd; v6 is never compressed)\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 when done (also by Ctrl-C without a COMMAND), 130 when Ctrl-C\n"
	"cut the COMMAND short (the file is still complete), 1 on error, 2 on a bad\n"
	"command line. See sidetrace-record(1).\n";

/* Long-only options (those of function tracing and user calls are in lib/record/). */
enum {
	OPT_FILE_VERSION = CLI_LONG,
	OPT_COMPRESSION,
	OPT_NO_FILTER,
	OPT_FILES,
	OPT_FILES_BACKEND,
	OPT_NO_KALLSYMS,
	OPT_STACK,
	OPT_SYSCALLS,
};

static const struct cli_option record_options[] = {
	CLI_OPT('e', "event", CLI_VALUE, "event"),
	CLI_OPT('f', "filter", CLI_VALUE, NULL),
	CLI_OPT('o', "output", CLI_VALUE, "file"),
	CLI_OPT('b', "buffer-size", CLI_VALUE, NULL),
	CLI_OPT('C', "clock", CLI_VALUE, "clock"),
	CLI_OPT('P', "pid", CLI_VALUE, "pid"),
	CLI_OPT('F', "follow", CLI_FLAG, NULL),
	CLI_OPT('q', "quiet", CLI_FLAG, NULL),
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	CLI_OPT(OPT_NO_FILTER, "no-filter", CLI_FLAG, NULL),
	CLI_OPT(OPT_FILES, "files", CLI_OPTIONAL, "auto|kprobe|uprobe|fanotify|combined"),
	CLI_OPT(OPT_FILES_BACKEND, "files-backend", CLI_VALUE,
		"auto|kprobe|uprobe|fanotify|combined"),
	CLI_OPT(OPT_NO_KALLSYMS, "no-kallsyms", CLI_FLAG, NULL),
	CLI_OPT(OPT_STACK, "stack", CLI_FLAG, NULL),
	CLI_OPT(OPT_SYSCALLS, "syscalls", CLI_FLAG, NULL),
	CLI_OPT(OPT_FILE_VERSION, "file-version", CLI_VALUE, "6|7"),
	CLI_OPT(OPT_COMPRESSION, "compression", CLI_VALUE, "none|zlib|zstd"),
	CLI_OPT('p', "tracer", CLI_VALUE, "tracer"),
	CLI_OPT('g', "graph-function", CLI_VALUE, "function"),
	CLI_OPT('l', "function", CLI_VALUE, "function"),
	CLI_OPT('n', "notrace", CLI_VALUE, "function"),
	CLI_OPT('O', "option", CLI_VALUE, "option"),
	CLI_OPT(RECORD_OPT_MAX_GRAPH_DEPTH, "max-graph-depth", CLI_VALUE, NULL),
	CLI_OPT(RECORD_OPT_FUNC_STACK, "func-stack", CLI_FLAG, NULL),
	CLI_OPT('x', "exec", CLI_VALUE, "file"),
	CLI_OPT(RECORD_OPT_MAX_PROBES, "max-probes", CLI_VALUE, NULL),
	{ 0 },
};

const struct cli_command record_cli = {
	.name = "record",
	.options = record_options,
	.operands = "command",
};

void record_opts_free(struct record_opts *opts)
{
	for (int i = 0; i < opts->nr_events; i++) {
		free(opts->events[i].spec);
		free(opts->events[i].filter);
	}
	free(opts->events);
	free(opts->output);
	free(opts->clock);
	free(opts->pids);
	record_ftrace_opts_free(&opts->ftrace);
	record_ucall_opts_free(&opts->ucalls);
	memset(opts, 0, sizeof(*opts));
	opts->compression = -1;
}

static int add_event(struct record_opts *opts, const char *spec)
{
	if (record_event_spec_check(spec) < 0)
		return -1;
	opts->events = xrealloc(opts->events, (opts->nr_events + 1) * sizeof(*opts->events));
	opts->events[opts->nr_events].spec = xstrdup(spec);
	opts->events[opts->nr_events].filter = NULL;
	opts->nr_events++;
	return 0;
}

static int add_filter(struct record_opts *opts, const char *filter)
{
	struct record_event *ev;

	if (!opts->nr_events && !opts->files) {
		st_set_error("-f '%s' must follow the -e it filters", filter);
		return -1;
	}
	ev = &opts->events[opts->nr_events - 1];
	if (ev->filter) {
		st_set_error("-e %s has two filters (combine them with && or ||)", ev->spec);
		return -1;
	}
	if (!*filter) {
		st_set_error("-f needs a filter expression");
		return -1;
	}
	ev->filter = xstrdup(filter);
	return 0;
}

/* --syscalls: the kernel events of the syscall view; the path probes come with opts->syscalls. */
static int add_syscall_events(struct record_opts *opts)
{
	if (opts->syscalls)
		return 0;
	opts->syscalls = true;
	for (int i = 0; trace_kernel_events[i][0]; i++) {
		char *spec = xasprintf("%s:%s", trace_kernel_events[i][0], trace_kernel_events[i][1]);
		int ret = add_event(opts, spec);

		free(spec);
		if (ret < 0)
			return -1;
	}
	return 0;
}

/* The options whose values lib/record/ parses: function tracing and user calls. */
static int parse_lib_option(struct record_opts *opts, int c, const char *arg)
{
	/* -x PATH: the -g/-n after it are for that program, not the kernel */
	int ret = record_ucall_parse(&opts->ucalls, c, arg);

	if (ret <= 0)
		return ret;
	ret = record_ftrace_parse(&opts->ftrace, c, arg);
	if (ret <= 0)
		return ret;
	st_set_error("option code %d has no parser", c);	/* a table without its case */
	return -1;
}

static int parse_one(void *ctx, int c, const char *arg)
{
	struct record_opts *opts = ctx;

	switch (c) {
	case 'e':
		return add_event(opts, arg);
	case 'f':
		return add_filter(opts, arg);
	case 'o':
		return cli_output(&opts->output, arg);
	case 'b':
		return cli_buffer_kb(arg, &opts->buffer_kb);
	case 'C':
		if (!*arg || strpbrk(arg, " \t\n[]")) {
			st_set_error("-C: '%s' is not a clock name", arg);
			return -1;
		}
		free(opts->clock);
		opts->clock = xstrdup(arg);
		return 0;
	case 'P':
		return cli_add_pids(&opts->pids, &opts->nr_pids, arg);
	case 'F':
		opts->follow_command = true;
		return 0;
	case 'q':
		opts->quiet = true;
		return 0;
	case 'h':
		opts->help = true;
		return 0;
	case OPT_NO_FILTER:
		opts->no_filter = true;
		return 0;
	case OPT_FILES:
	case OPT_FILES_BACKEND:
		opts->files = true;
		if (arg && (int)(opts->files_backend = record_files_backend_from_name(arg)) < 0)
			return -1;
		return 0;
	case OPT_NO_KALLSYMS:
		opts->no_kallsyms = true;
		return 0;
	case OPT_STACK:
		opts->stack = true;
		return 0;
	case OPT_SYSCALLS:
		return add_syscall_events(opts);
	case OPT_FILE_VERSION:
		if (strcmp(arg, "6") && strcmp(arg, "7")) {
			st_set_error("--file-version: '%s' is not 6 or 7", arg);
			return -1;
		}
		opts->file_version = arg[0] - '0';
		return 0;
	case OPT_COMPRESSION:
		opts->compression = td_compression_from_name(arg);
		if (opts->compression < 0) {
			st_set_error("--compression: '%s' is not none, zlib or zstd", arg);
			return -1;
		}
		return 0;
	default:
		return parse_lib_option(opts, c, arg);
	}
}

/* Combinations that each option alone cannot see. */
static int check_combinations(struct record_opts *opts)
{
	if (opts->help)
		return 0;
	if (opts->files && !opts->command) {
		st_set_error("--files needs a command to follow");
		return -1;
	}
	if (opts->files || (opts->syscalls && opts->command))
		opts->follow_command = true;
	if (opts->follow_command && !opts->command) {
		st_set_error("-F needs a command to follow");
		return -1;
	}
	if (opts->nr_pids && opts->command) {
		st_set_error("-P attaches to running processes; it cannot be combined with a command");
		return -1;
	}
	if (opts->nr_pids && opts->follow_command) {
		st_set_error("-P and -F cannot be combined");
		return -1;
	}
	if (opts->file_version == 6 && opts->compression > 0) {
		st_set_error("--compression needs --file-version 7 (version 6 is never compressed)");
		return -1;
	}
	if (record_ftrace_check_options(&opts->ftrace) < 0)
		return -1;
	if (record_ucall_check_options(&opts->ucalls) < 0)
		return -1;
	if (!opts->nr_events && !opts->files && !record_ftrace_wanted(&opts->ftrace) &&
	    !record_ucall_wanted(&opts->ucalls)) {
		st_set_error("no events given: use -e EVENT (e.g. -e sched:sched_switch, -e all), "
			     "-x PROGRAM -g FUNC or -p TRACER");
		return -1;
	}
	return 0;
}

int record_parse_args(int argc, char **argv, struct record_opts *opts)
{
	int first_operand;

	memset(opts, 0, sizeof(*opts));
	opts->compression = -1;
	first_operand = cli_parse(&record_cli, argc, argv, parse_one, opts);
	if (first_operand < 0)
		goto fail;
	if (first_operand < argc) {
		opts->command = &argv[first_operand];
		opts->command_argc = argc - first_operand;
	}
	if (!opts->output)
		opts->output = xstrdup("trace.dat");
	if (check_combinations(opts) < 0)
		goto fail;
	return 0;
fail:
	record_opts_free(opts);
	return -1;
}
