// SPDX-License-Identifier: LGPL-2.1
/*
 * `sidetrace record` option parsing: a pure function from argv to
 * struct record_opts, so that every case is a unit test.
 */
#include "record/record.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
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
	"  -e, --event EVENT       trace EVENT: SYSTEM:EVENT, SYSTEM, EVENT or a glob of them\n"
	"                          ('sched:sched_process_*'), or 'all'; repeatable\n"
	"  -f, --filter FILTER     kernel filter for the -e before it ('prev_pid > 0')\n"
	"  -o, --output FILE       write FILE (default: trace.dat)\n"
	"  -b, --buffer-size KB    ring buffer size per CPU, in KiB\n"
	"  -C, --clock CLOCK       trace clock (local, global, mono, x86-tsc, ...)\n"
	"  -P, --pid PID[,PID...]  attach to running processes: only their events, until\n"
	"                          they exit or Ctrl-C\n"
	"  -F, --follow            only the COMMAND and its descendants\n"
	"      --no-filter         also record sidetrace's own threads\n"
	RECORD_FTRACE_USAGE
	RECORD_UCALL_USAGE
	"      --files             also record which files the COMMAND and its descendants\n"
	"                          open and execute, for 'sidetrace report --files' (implies -F)\n"
	"  -q, --quiet             print nothing but errors\n"
	"      --file-version 6|7  trace.dat version (default: 7)\n"
	"      --compression none|zlib|zstd\n"
	"                          v7 compression (default: zstd; v6 is never compressed)\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 when done, 130 when stopped by SIGINT (the file is still complete),\n"
	"1 on error, 2 on a bad command line. See sidetrace-record(1).\n";

enum {
	OPT_FILE_VERSION = 256,
	OPT_COMPRESSION,
	OPT_NO_FILTER,
	OPT_FILES,
};

static const struct option long_options[] = {
	{ "event", required_argument, NULL, 'e' },
	{ "filter", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "buffer-size", required_argument, NULL, 'b' },
	{ "clock", required_argument, NULL, 'C' },
	{ "pid", required_argument, NULL, 'P' },
	{ "follow", no_argument, NULL, 'F' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "no-filter", no_argument, NULL, OPT_NO_FILTER },
	{ "files", no_argument, NULL, OPT_FILES },
	{ "file-version", required_argument, NULL, OPT_FILE_VERSION },
	{ "compression", required_argument, NULL, OPT_COMPRESSION },
	{ "tracer", required_argument, NULL, 'p' },
	{ "graph-function", required_argument, NULL, 'g' },
	{ "function", required_argument, NULL, 'l' },
	{ "notrace", required_argument, NULL, 'n' },
	{ "option", required_argument, NULL, 'O' },
	{ "max-graph-depth", required_argument, NULL, RECORD_OPT_MAX_GRAPH_DEPTH },
	{ "func-stack", no_argument, NULL, RECORD_OPT_FUNC_STACK },
	{ "exec", required_argument, NULL, 'x' },
	{ "max-probes", required_argument, NULL, RECORD_OPT_MAX_PROBES },
	{ NULL, 0, NULL, 0 },
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

/* A positive decimal number that fits max; -1 otherwise. */
static int parse_positive(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int add_pids(struct record_opts *opts, const char *list)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	unsigned long pid;
	int ret = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (parse_positive(tok, INT_MAX, &pid) < 0) {
			st_set_error("-P: '%s' is not a process id", tok);
			ret = -1;
			break;
		}
		opts->pids = xrealloc(opts->pids, (opts->nr_pids + 1) * sizeof(*opts->pids));
		opts->pids[opts->nr_pids++] = pid;
	}
	if (!ret && !opts->nr_pids) {
		st_set_error("-P needs a process id");
		ret = -1;
	}
	free(copy);
	return ret;
}

static int parse_one(struct record_opts *opts, int c, const char *arg, const char *bad)
{
	unsigned long v;

	switch (c) {
	case 'e':
		return add_event(opts, arg);
	case 'f':
		return add_filter(opts, arg);
	case 'o':
		if (!*arg) {
			st_set_error("-o needs a file name");
			return -1;
		}
		free(opts->output);
		opts->output = xstrdup(arg);
		return 0;
	case 'b':
		/* The kernel takes KiB as an unsigned long; cap at 1 TiB to catch typos. */
		if (parse_positive(arg, 1UL << 30, &v) < 0) {
			st_set_error("-b: '%s' is not a buffer size in KiB (a positive number)", arg);
			return -1;
		}
		opts->buffer_kb = v;
		return 0;
	case 'C':
		if (!*arg || strpbrk(arg, " \t\n[]")) {
			st_set_error("-C: '%s' is not a clock name", arg);
			return -1;
		}
		free(opts->clock);
		opts->clock = xstrdup(arg);
		return 0;
	case 'P':
		return add_pids(opts, arg);
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
		opts->files = true;
		return 0;
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
	case ':':
		st_set_error("option %s needs an argument", bad);
		return -1;
	default:
		if (c != '?') {
			/* -x PATH: the -g/-n after it are for that program, not the kernel */
			int ret = record_ucall_parse(&opts->ucalls, c, arg);

			if (ret <= 0)
				return ret;
			ret = record_ftrace_parse(&opts->ftrace, c, arg);

			if (ret <= 0)
				return ret;
		}
		st_set_error("unknown option %s (see 'sidetrace record --help')", bad);
		return -1;
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
	if (opts->files)
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

/* How the option at argv[optind - 1] was written, for error messages. */
static const char *bad_option(int argc, char **argv, int optopt_char, char *buf, size_t len)
{
	if (optopt_char && optopt_char < 256) {
		snprintf(buf, len, "-%c", optopt_char);
		return buf;
	}
	if (optind - 1 < argc && optind >= 1)
		return argv[optind - 1];
	return "?";
}

int record_parse_args(int argc, char **argv, struct record_opts *opts)
{
	char buf[16];
	int c;

	memset(opts, 0, sizeof(*opts));
	opts->compression = -1;
	opterr = 0;
	optind = 0;	/* glibc: 0 re-initialises getopt, so parsing can be repeated */
	while ((c = getopt_long(argc, argv, "+:e:f:o:b:C:P:Fqhx:" RECORD_FTRACE_SHORTOPTS,
				long_options, NULL)) != -1) {
		const char *bad = (c == '?' || c == ':') ?
				  bad_option(argc, argv, optopt, buf, sizeof(buf)) : NULL;

		if (parse_one(opts, c, optarg, bad) < 0)
			goto fail;
	}
	if (optind < argc) {
		opts->command = &argv[optind];
		opts->command_argc = argc - optind;
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
