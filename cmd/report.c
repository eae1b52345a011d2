// SPDX-License-Identifier: GPL-2.0
/*
 * sidetrace report: print a trace.dat as `trace-cmd report` 3.1.6 does.
 * This file only turns argv into struct report_cmdline and picks the view;
 * lib/report/report.c prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmds.h"
#include "report_opts.h"
#include "util.h"

static const char usage_text[] =
	"usage: sidetrace report [OPTIONS] [-i FILE | FILE]\n"
	"\n"
	"Print the events of a trace.dat (default ./trace.dat) in trace-cmd report's\n"
	"layout.\n"
	"\n"
	"  -i FILE            the file to read\n"
	"  --cpu LIST         only these CPUs (0,2-3)\n"
	"  --pid PID[,PID]    only events of these pids (common_pid, pid or next_pid)\n"
	"  --comm NAME        only events of the tasks called NAME\n"
	"  -F FILTER          libtraceevent filter, e.g. 'sched_switch: prev_pid == 0'\n"
	"  -R                 raw: field=value instead of the event's print format\n"
	"  -t                 nanosecond timestamps\n"
	"  -N                 do not load libtraceevent plugins\n"
	"  -O PLUGIN:OPT[=V]  plugin option (fgraph:tailprint, fgraph:depth, parent, ...)\n"
	"  -E                 list the events whose formats the file stores\n"
	"  --stat             print the kernel buffer statistics saved at record time\n"
	"  --uname            print the uname of the traced machine\n"
	"  --version          print the version of the tool that wrote the file\n"
	"  --first-event      the first timestamp of each CPU (--last-event: the last)\n"
	"  --graph            function_graph calls as call trees per task, with total and\n"
	"                     self time (better than the event lines: merged across CPUs)\n"
	"  --profile          per function: calls, total, self, average and maximum time\n"
	"  --per-task         with --profile: one table per task\n"
	"  --min-duration T   with --graph/--profile: leave out calls shorter than T\n"
	"                     (500ns, 1.5us, 2ms)\n"
	"  --depth N          with --graph: show N levels of calls\n"
	"  --root FUNC        with --graph/--profile: only FUNC and what runs under it\n"
	"  --format chrome    a timeline for ui.perfetto.dev / chrome://tracing (JSON):\n"
	"                     calls as slices per task, events as instants\n"
	"  --format speedscope\n"
	"                     the calls for speedscope (its JSON file format): one\n"
	"                     profile per task, the kernel's exact durations\n"
	"  --format folded    one line per call stack, 'comm;outer;...;inner SELF_NS'\n"
	"  --format text      the event lines (the default)\n"
	"  --count            with --format folded: call counts instead of self time\n"
	"  --flamegraph FILE  write an SVG flame graph of the calls (or stack traces)\n"
	"  --icicle           with --flamegraph: top-down\n"
	"  --title TEXT       with --flamegraph: its title\n"
	"  --width PX         with --flamegraph: its width (default 1200)\n"
	"  --min-width PX     with --flamegraph: leave out frames narrower than PX\n"
	"                     (default 0.1, as flamegraph.pl; 0 draws every frame)\n"
	"  --time-range S,E   only records from S to E seconds (as printed; either\n"
	"                     optional)\n"
	"  --color[=WHEN]     colour event names and slow functions: auto (on a terminal,\n"
	"                     unless NO_COLOR is set; the default), always, never\n"
	"  --colour[=WHEN]    the same as --color\n"
	"  --no-color         the same as --color=never\n"
	"  --files            the files a 'record --files' trace shows were used (a list\n"
	"                     or JSON manifest for bundlers; see\n"
	"                     'sidetrace report --files --help')\n"
	"  --syscalls         the system calls of a 'record --syscalls' trace, one\n"
	"                     strace-like line each, as 'sidetrace trace' prints them\n"
	"                     (see 'sidetrace report --syscalls --help')\n"
	"  -h, --help         this text\n"
	"\n"
	"man sidetrace-report has the details.\n";

enum {
	OPT_CPU = CLI_LONG,
	OPT_PID,
	OPT_COMM,
	OPT_STAT,
	OPT_UNAME,
	OPT_VERSION,
	OPT_FIRST_EVENT,
	OPT_LAST_EVENT,
	OPT_COLOR,
	OPT_NO_COLOR,
	OPT_GRAPH,
	OPT_PROFILE,
	OPT_PER_TASK,
	OPT_MIN_DURATION,
	OPT_DEPTH,
	OPT_ROOT,
	OPT_FORMAT,
	OPT_COUNT,
	OPT_FLAMEGRAPH,
	OPT_ICICLE,
	OPT_TITLE,
	OPT_WIDTH,
	OPT_MIN_WIDTH,
	OPT_TIME_RANGE,
	OPT_FILES,
	OPT_SYSCALLS,
};

static const struct cli_option report_options[] = {
	CLI_OPT('i', NULL, CLI_VALUE, "file"),
	CLI_OPT('F', NULL, CLI_VALUE, NULL),
	CLI_OPT('O', NULL, CLI_VALUE, NULL),
	CLI_OPT('R', NULL, CLI_FLAG, NULL),
	CLI_OPT('t', NULL, CLI_FLAG, NULL),
	CLI_OPT('N', NULL, CLI_FLAG, NULL),
	CLI_OPT('E', NULL, CLI_FLAG, NULL),
	CLI_OPT(OPT_CPU, "cpu", CLI_VALUE, NULL),
	CLI_OPT(OPT_PID, "pid", CLI_VALUE, "pid"),
	CLI_OPT(OPT_COMM, "comm", CLI_VALUE, NULL),
	CLI_OPT(OPT_STAT, "stat", CLI_FLAG, NULL),
	CLI_OPT(OPT_UNAME, "uname", CLI_FLAG, NULL),
	CLI_OPT(OPT_VERSION, "version", CLI_FLAG, NULL),
	CLI_OPT(OPT_FIRST_EVENT, "first-event", CLI_FLAG, NULL),
	CLI_OPT(OPT_LAST_EVENT, "last-event", CLI_FLAG, NULL),
	CLI_OPT(OPT_COLOR, "color", CLI_OPTIONAL, "auto|always|never"),
	CLI_OPT(OPT_COLOR, "colour", CLI_OPTIONAL, "auto|always|never"),
	CLI_OPT(OPT_NO_COLOR, "no-color", CLI_FLAG, NULL),
	CLI_OPT(OPT_GRAPH, "graph", CLI_FLAG, NULL),
	CLI_OPT(OPT_PROFILE, "profile", CLI_FLAG, NULL),
	CLI_OPT(OPT_PER_TASK, "per-task", CLI_FLAG, NULL),
	CLI_OPT(OPT_MIN_DURATION, "min-duration", CLI_VALUE, NULL),
	CLI_OPT(OPT_DEPTH, "depth", CLI_VALUE, NULL),
	CLI_OPT(OPT_ROOT, "root", CLI_VALUE, "function"),
	CLI_OPT(OPT_FORMAT, "format", CLI_VALUE, "chrome|speedscope|folded|text"),
	CLI_OPT(OPT_COUNT, "count", CLI_FLAG, NULL),
	CLI_OPT(OPT_FLAMEGRAPH, "flamegraph", CLI_VALUE, "file"),
	CLI_OPT(OPT_ICICLE, "icicle", CLI_FLAG, NULL),
	CLI_OPT(OPT_TITLE, "title", CLI_VALUE, NULL),
	CLI_OPT(OPT_WIDTH, "width", CLI_VALUE, NULL),
	CLI_OPT(OPT_MIN_WIDTH, "min-width", CLI_VALUE, NULL),
	CLI_OPT(OPT_TIME_RANGE, "time-range", CLI_VALUE, NULL),
	{ OPT_FILES, "files", CLI_FLAG, NULL, &report_files_cli },
	{ OPT_SYSCALLS, "syscalls", CLI_FLAG, NULL, &report_syscalls_cli },
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

const struct cli_command report_cli = {
	.name = "report",
	.options = report_options,
	.operands = "file",
};

/* "1,2" adds two items; empty items are an error. */
static int add_list(struct strlist *l, const char *arg, const char *what)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int ret = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		strlist_add(l, tok);
	if (!l->nr) {
		st_set_error("empty %s list '%s'", what, arg);
		ret = -1;
	}
	free(copy);
	return ret;
}

static int check_pid(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 0x7fffffff) {
		st_set_error("invalid pid '%s'", s);
		return -1;
	}
	return 0;
}

/* --color's WHEN, as ls and grep take it (no WHEN means always). */
static int parse_color(struct report_opts *o, const char *arg)
{
	if (!arg || !strcmp(arg, "always") || !strcmp(arg, "yes") || !strcmp(arg, "force"))
		o->color = REPORT_COLOR_ALWAYS;
	else if (!strcmp(arg, "never") || !strcmp(arg, "no") || !strcmp(arg, "none"))
		o->color = REPORT_COLOR_NEVER;
	else if (!strcmp(arg, "auto") || !strcmp(arg, "tty") || !strcmp(arg, "if-tty"))
		o->color = REPORT_COLOR_AUTO;
	else {
		st_set_error("--color takes auto, always or never, not '%s'", arg);
		return -1;
	}
	return 0;
}

/* Seconds as the report prints them ("500.000123", up to 9 decimals) -> ns. */
static int parse_seconds(const char *s, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0, scale = 1000000000ULL;
	const char *p = s;

	if (!*p || *p == '.')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (sec > 18000000000ULL)
			return -1;
		sec = sec * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale == 1)
				return -1;
			scale /= 10;
			frac += (*p - '0') * scale;
		}
	}
	if (*p)
		return -1;
	*ns = sec * 1000000000ULL + frac;
	return 0;
}

/* --time-range START,END: either may be empty; END 0 stays "no end". */
static int parse_time_range(struct report_opts *o, const char *arg)
{
	const char *comma = strchr(arg, ',');
	char *start = comma ? strndup(arg, comma - arg) : NULL;
	int ret = 0;

	if (!comma || (!*start && !comma[1]) ||
	    (*start && parse_seconds(start, &o->time_from) < 0) ||
	    (comma[1] && parse_seconds(comma + 1, &o->time_to) < 0) ||
	    (o->time_to && o->time_to < o->time_from)) {
		st_set_error("--time-range: '%s' is not START,END in seconds (500.1,500.2; "
			     "500.1, or ,500.2)", arg);
		ret = -1;
	}
	free(start);
	return ret;
}

/* parse_option()'s "not one of this group's options". */
#define NOT_MINE 1

/* --graph, --profile and their options (report_calls.h). */
static int parse_calls_option(struct report_calls_opts *o, int c, const char *arg)
{
	char *end;
	long v;

	switch (c) {
	case OPT_GRAPH:
		o->graph = true;
		return 0;
	case OPT_PROFILE:
		o->profile = true;
		return 0;
	case OPT_PER_TASK:
		o->per_task = true;
		return 0;
	case OPT_MIN_DURATION:
		if (parse_duration_ns(arg, &o->min_duration) < 0) {
			st_set_error("--min-duration: '%s' is not a duration (500ns, 1.5us, 2ms)",
				     arg);
			return -1;
		}
		return 0;
	case OPT_DEPTH:
		v = strtol(arg, &end, 10);
		if (end == arg || *end || v < 1 || v > 100000) {
			st_set_error("--depth: '%s' is not a number from 1", arg);
			return -1;
		}
		o->max_depth = (int)v;
		return 0;
	case OPT_ROOT:
		o->root = arg;
		return 0;
	}
	st_set_error("option code %d has no parser", c);	/* a table without its case */
	return -1;
}

/* An option of the report itself; NOT_MINE for the views' options. */
static int parse_report_option(struct report_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'i':
		o->input = arg;
		return 0;
	case 'F':
		strlist_add(&o->filters, arg);
		return 0;
	case 'O':
		strlist_add(&o->plugin_opts, arg);
		return 0;
	case 'R':
		o->raw = true;
		return 0;
	case 't':
		o->nsec = true;
		return 0;
	case 'N':
		o->no_plugins = true;
		return 0;
	case 'E':
		o->list_events = true;
		return 0;
	case OPT_CPU:
		free(o->cpu_mask);
		o->cpu_mask = NULL;
		return report_parse_cpulist(arg, &o->cpu_mask, &o->cpu_mask_len);
	case OPT_PID: {
		int first = o->pids.nr;

		if (add_list(&o->pids, arg, "pid") < 0)
			return -1;
		for (int i = first; i < o->pids.nr; i++)
			if (check_pid(o->pids.items[i]) < 0)
				return -1;
		return 0;
	}
	case OPT_COMM:
		strlist_add(&o->comms, arg);
		return 0;
	case OPT_STAT:
		o->stat = true;
		return 0;
	case OPT_UNAME:
		o->uname = true;
		return 0;
	case OPT_VERSION:
		o->version = true;
		return 0;
	case OPT_FIRST_EVENT:
		o->first_event = true;
		return 0;
	case OPT_LAST_EVENT:
		o->last_event = true;
		return 0;
	case OPT_COLOR:
		return parse_color(o, arg);
	case OPT_NO_COLOR:
		o->color = REPORT_COLOR_NEVER;
		return 0;
	case OPT_TIME_RANGE:
		return parse_time_range(o, arg);
	}
	return NOT_MINE;
}

/* --format, --flamegraph and their options (export.h). */
static int parse_export_option(struct export_opts *e, int c, const char *arg)
{
	switch (c) {
	case OPT_FORMAT:
		return export_parse_format(e, arg);
	case OPT_COUNT:
		e->count = true;
		return 0;
	case OPT_FLAMEGRAPH:
		e->flamegraph = arg;
		return 0;
	case OPT_ICICLE:
		e->icicle = true;
		return 0;
	case OPT_TITLE:
		e->title = arg;
		return 0;
	case OPT_WIDTH:
		return export_parse_width(e, arg);
	case OPT_MIN_WIDTH:
		return export_parse_min_width(e, arg);
	}
	return NOT_MINE;
}

/* The handler's context: the command line, and whether --help was given. */
struct report_args {
	struct report_cmdline *cmd;
	bool help;
};

/* Every option goes to the report, then to the exports, then to --graph/--profile. */
static int parse_option(void *ctx, int c, const char *arg)
{
	struct report_args *a = ctx;
	int ret;

	switch (c) {
	case 'h':
		a->help = true;
		return 1;
	case OPT_FILES:
		/* cmd_report gives such a command line to report_files_main */
		st_set_error("--files has options of its own (see sidetrace report --files --help)");
		return -1;
	}
	ret = parse_report_option(&a->cmd->report, c, arg);
	if (ret == NOT_MINE)
		ret = parse_export_option(&a->cmd->exp, c, arg);
	if (ret == NOT_MINE)
		ret = parse_calls_option(&a->cmd->calls, c, arg);
	return ret;
}

int report_parse_args(int argc, char **argv, struct report_cmdline *cmd)
{
	struct report_args a = { cmd, false };
	struct report_opts *o = &cmd->report;
	int first_operand;

	memset(cmd, 0, sizeof(*cmd));
	first_operand = cli_parse(&report_cli, argc, argv, parse_option, &a);
	if (first_operand < 0)
		return -1;
	if (a.help)
		return 1;
	if (first_operand < argc) {
		if (o->input || first_operand + 1 < argc) {
			st_set_error("one input file only (see sidetrace report --help)");
			return -1;
		}
		o->input = argv[first_operand];
	}
	if (!o->input)
		o->input = "trace.dat";
	cmd->exp.source = o->input;
	if (export_check_options(&cmd->exp, o, &cmd->calls) < 0)
		return -1;
	return report_calls_check_options(&cmd->calls);
}

int cmd_report(int argc, char **argv)
{
	const struct report_consumer *view = NULL;
	struct report_calls *calls = NULL;
	struct export *exp = NULL;
	struct report_cmdline a;
	int ret;

	if (cli_mode(&report_cli, argc, argv) == &report_files_cli)
		return report_files_main(argc, argv);
	if (cli_mode(&report_cli, argc, argv) == &report_syscalls_cli)
		return report_syscalls_main(argc, argv);
	ret = report_parse_args(argc, argv, &a);
	if (ret == 1) {
		fputs(usage_text, stdout);
		report_opts_free(&a.report);
		return EXIT_OK;
	}
	if (ret < 0) {
		report_opts_free(&a.report);
		return cli_usage_error();
	}
	if (export_wanted(&a.exp)) {
		exp = export_new(&a.exp, &a.calls, STDOUT_FILENO);
		view = export_consumer(exp);
	} else if (report_calls_wanted(&a.calls)) {
		calls = report_calls_new(&a.calls, NULL);
		view = report_calls_consumer(calls);
	}
	a.report.exiting = !view;	/* a view still has its output to write */
	ret = report_run(&a.report, view, STDOUT_FILENO);
	if (ret < 0)
		st_warn("%s", st_last_error());
	report_calls_free(calls);
	export_free(exp);
	report_opts_free(&a.report);
	return ret < 0 ? EXIT_FAILURE_ : EXIT_OK;
}
