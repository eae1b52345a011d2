// SPDX-License-Identifier: GPL-2.0
/*
 * sidetrace list: what this kernel offers (tracers, events, trace options,
 * traceable functions) and which probes exist, as `trace-cmd list` does.
 *
 * tracefs files that cannot be read are normal on locked-down kernels
 * (available_filter_functions gives EPERM here, kprobe_events may not exist):
 * each such section gets one line on stderr and the others are still listed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tracefs.h>

#include "cli.h"
#include "cmds.h"
#include "tracefs/tracefs_state.h"
#include "util.h"

enum list_section {
	LIST_TRACERS = 1 << 0,
	LIST_EVENTS = 1 << 1,
	LIST_OPTIONS = 1 << 2,
	LIST_FUNCTIONS = 1 << 3,
	LIST_PROBES = 1 << 4,
	LIST_ALL = (1 << 5) - 1,
};

struct list_opts {
	unsigned int sections;
	const char *event_glob;
	const char *func_glob;
	const char *instance;
	bool help;
};

static const char list_usage[] =
	"usage: sidetrace list [-t] [-e [GLOB]] [-o] [-f [GLOB]] [-p] [-B INSTANCE]\n"
	"\n"
	"List what this kernel's tracefs offers. Without options, every section with\n"
	"headings.\n"
	"\n"
	"  -t, --tracers          tracers (available_tracers), one per line\n"
	"  -e, --events [GLOB]    events as SYSTEM:EVENT; GLOB is SYS:EVENT (a glob on\n"
	"                         each side) or one glob matched against the system or\n"
	"                         the event name\n"
	"  -o, --options          trace options with their state: NAME when on, noNAME\n"
	"                         when off\n"
	"  -f, --functions [GLOB] functions that can be traced\n"
	"                         (available_filter_functions)\n"
	"  -p, --probes           existing probes: uprobe_events, kprobe_events, and the\n"
	"                         eprobes, synthetic events and fprobes of dynamic_events\n"
	"  -B, --instance NAME    tracers and options of this instance instead of the top\n"
	"                         level\n"
	"  -h, --help             this help\n"
	"\n"
	"A section whose tracefs file cannot be read is reported on stderr in one line.\n"
	"Exit status: 0 if something was listed (a section read without a GLOB counts\n"
	"even when empty), 1 if nothing could be listed, 2 on a bad command line.\n";

static const struct cli_option list_option_table[] = {
	CLI_OPT('t', "tracers", CLI_FLAG, NULL),
	CLI_OPT('e', "events", CLI_OPTIONAL_WORD, "event-glob"),
	CLI_OPT('o', "options", CLI_FLAG, NULL),
	CLI_OPT('f', "functions", CLI_OPTIONAL_WORD, "function"),
	CLI_OPT('p', "probes", CLI_FLAG, NULL),
	CLI_OPT('B', "instance", CLI_VALUE, "instance"),
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

const struct cli_command list_cli = {
	.name = "list",
	.options = list_option_table,
};

static int parse_option(void *ctx, int c, const char *arg)
{
	struct list_opts *o = ctx;

	switch (c) {
	case 'h':
		o->help = true;
		return 1;
	case 't':
		o->sections |= LIST_TRACERS;
		return 0;
	case 'o':
		o->sections |= LIST_OPTIONS;
		return 0;
	case 'p':
		o->sections |= LIST_PROBES;
		return 0;
	case 'e':
		o->sections |= LIST_EVENTS;
		o->event_glob = arg;
		return 0;
	case 'f':
		o->sections |= LIST_FUNCTIONS;
		o->func_glob = arg;
		return 0;
	case 'B':
		o->instance = arg;
		return 0;
	}
	st_set_error("option code %d has no parser", c);	/* a table without its case */
	return -1;
}

static int parse_list_args(int argc, char **argv, struct list_opts *o)
{
	int first_operand;

	memset(o, 0, sizeof(*o));
	first_operand = cli_parse(&list_cli, argc, argv, parse_option, o);
	if (first_operand < 0)
		return -1;
	if (o->help)
		return 0;
	if (first_operand < argc)
		return cli_unexpected(&list_cli, argv[first_operand]);
	if (!o->sections)
		o->sections = LIST_ALL;
	return 0;
}

/* Print a section's items, indented under a heading when several sections are shown. */
static void print_items(const struct strlist *items, bool headings)
{
	for (int i = 0; i < items->nr; i++)
		printf("%s%s\n", headings ? "  " : "", items->items[i]);
}

static void heading(const char *title, bool headings, bool first)
{
	if (headings)
		printf("%s%s:\n", first ? "" : "\n", title);
}

/*
 * Each lister adds its entries to items and returns the number found, or -1
 * after printing its one-line note about what could not be read.
 */
static int list_tracers(const struct list_opts *o, struct tracefs_instance *inst,
			struct strlist *items)
{
	int n = st_available_tracers(inst, items);

	if (n < 0)
		st_warn("tracers: %s", st_last_error());
	return n;
}

static int list_events(const struct list_opts *o, struct tracefs_instance *inst,
		       struct strlist *items)
{
	int n = st_available_events(o->event_glob, items);

	if (n < 0)
		st_warn("events: %s", st_last_error());
	else if (n == 0 && o->event_glob)
		st_warn("no event matches '%s'", o->event_glob);
	return n;
}

static int list_options(const struct list_opts *o, struct tracefs_instance *inst,
			struct strlist *items)
{
	struct st_options opts;

	if (st_options_read(inst, &opts) < 0) {
		st_warn("options: %s", st_last_error());
		return -1;
	}
	for (int i = 0; i < opts.nr; i++)
		strlist_add_owned(items, xasprintf("%s%s", opts.items[i].enabled ? "" : "no",
						   opts.items[i].name));
	st_options_free(&opts);
	return items->nr;
}

static int list_functions(const struct list_opts *o, struct tracefs_instance *inst,
			  struct strlist *items)
{
	int n = st_filter_functions(o->func_glob, items);

	if (n < 0)
		st_warn("functions: %s%s", st_last_error(),
			errno == EPERM ? " (this kernel does not allow function tracing)" : "");
	else if (n == 0 && o->func_glob)
		st_warn("no function matches '%s'", o->func_glob);
	return n;
}

static int list_probes(const struct list_opts *o, struct tracefs_instance *inst,
		       struct strlist *items)
{
	static const char *const files[] = { "uprobe_events", "kprobe_events", "dynamic_events" };
	bool any_read = false;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (st_probes_read(files[i], items) >= 0)
			any_read = true;
		else if (strcmp(files[i], "dynamic_events"))
			st_warn("probes: %s", st_last_error());
	}
	return any_read ? items->nr : -1;
}

struct section {
	unsigned int flag;
	const char *title;
	int (*list)(const struct list_opts *o, struct tracefs_instance *inst,
		    struct strlist *items);
	bool globbed; /* an empty result means "no match" when a glob was given */
};

static const struct section sections[] = {
	{ LIST_TRACERS, "Tracers", list_tracers, false },
	{ LIST_EVENTS, "Events", list_events, true },
	{ LIST_OPTIONS, "Options", list_options, false },
	{ LIST_FUNCTIONS, "Functions", list_functions, true },
	{ LIST_PROBES, "Probes", list_probes, false },
};

static const char *section_glob(const struct list_opts *o, const struct section *s)
{
	if (s->flag == LIST_EVENTS)
		return o->event_glob;
	if (s->flag == LIST_FUNCTIONS)
		return o->func_glob;
	return NULL;
}

int cmd_list(int argc, char **argv)
{
	struct tracefs_instance *inst = NULL;
	struct list_opts o;
	bool headings, listed = false, first = true;
	int ret = EXIT_FAILURE_;

	if (parse_list_args(argc, argv, &o) < 0)
		return cli_usage_error();
	if (o.help) {
		fputs(list_usage, stdout);
		return EXIT_OK;
	}
	if (!tracefs_tracing_dir()) {
		st_warn("tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
		return EXIT_FAILURE_;
	}
	if (o.instance) {
		if (!tracefs_instance_exists(o.instance)) {
			st_warn("no tracefs instance named '%s'", o.instance);
			return EXIT_FAILURE_;
		}
		inst = tracefs_instance_alloc(NULL, o.instance);
		if (!inst) {
			st_warn("cannot open the instance '%s'", o.instance);
			return EXIT_FAILURE_;
		}
	}

	headings = (o.sections & (o.sections - 1)) != 0;
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
		const struct section *s = &sections[i];
		struct strlist items = { 0 };
		int n;

		if (!(o.sections & s->flag))
			continue;
		heading(s->title, headings, first);
		first = false;
		n = s->list(&o, inst, &items);
		print_items(&items, headings);
		if (n > 0 || (n == 0 && !(s->globbed && section_glob(&o, s))))
			listed = true;
		strlist_free(&items);
	}
	if (listed)
		ret = EXIT_OK;
	if (fflush(stdout) != 0) {
		st_warn("cannot write the listing: %s", strerror(errno));
		ret = EXIT_FAILURE_;
	}
	tracefs_instance_free(inst);
	return ret;
}
