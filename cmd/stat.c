// SPDX-License-Identifier: GPL-2.0
/*
 * sidetrace stat: what is configured in tracefs right now, at the top level
 * and in each instance, as `trace-cmd stat` does. One block per instance.
 *
 * Only what differs from the kernel's defaults is shown, so that a block
 * that says little means an instance that does little; the tracer, the
 * tracing switch and the buffer size are always shown (they are what one
 * looks for first, and the default buffer size varies with the kernel and
 * with whether the buffer has been expanded). -a shows everything.
 *
 * Reading tracefs races with whoever else uses it: an instance that vanishes
 * while its block is read is left out, and files that cannot be read are
 * named once on stderr at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tracefs.h>

#include "cli.h"
#include "cmds.h"
#include "tracefs/tracefs_state.h"
#include "util.h"

struct stat_opts {
	struct strlist instances; /* -B: only these */
	bool top_only;
	bool all;
	bool help;
};

/* What one block is being read from and written to. */
struct stat_ctx {
	struct tracefs_instance *inst; /* NULL = top level */
	const struct stat_opts *o;
	FILE *out;
	struct strlist *unreadable; /* "REASON<tab>FILE" once each */
};

static const char stat_usage[] =
	"usage: sidetrace stat [-a] [-t | -B INSTANCE...]\n"
	"\n"
	"Show what is configured in tracefs now: one block for the top level and one\n"
	"per instance, each with the tracer, tracing on/off, the buffer size, and\n"
	"whatever differs from the kernel's defaults (enabled events, event filters\n"
	"and triggers, pid and function filters, trace clock, CPU mask, trace options;\n"
	"at the top level also the probes and tracing_thresh).\n"
	"\n"
	"  -a, --all              show every setting, defaults included\n"
	"  -t, --top              the top level only\n"
	"  -B, --instance NAME    this instance only (repeatable)\n"
	"  -h, --help             this help\n"
	"\n"
	"Nothing is changed. Exit status: 0, or 1 if tracefs or a named instance cannot\n"
	"be read, 2 on a bad command line.\n";

static const struct cli_option stat_options[] = {
	CLI_OPT('a', "all", CLI_FLAG, NULL),
	CLI_OPT('t', "top", CLI_FLAG, NULL),
	CLI_OPT('B', "instance", CLI_VALUE, "instance"),
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

const struct cli_command stat_cli = {
	.name = "stat",
	.options = stat_options,
};

static int parse_option(void *ctx, int c, const char *arg)
{
	struct stat_opts *o = ctx;

	switch (c) {
	case 'h':
		o->help = true;
		return 1;
	case 'a':
		o->all = true;
		return 0;
	case 't':
		o->top_only = true;
		return 0;
	case 'B':
		strlist_add(&o->instances, arg);
		return 0;
	}
	st_set_error("option code %d has no parser", c);	/* a table without its case */
	return -1;
}

static int parse_stat_args(int argc, char **argv, struct stat_opts *o)
{
	int first_operand = cli_parse(&stat_cli, argc, argv, parse_option, o);

	if (first_operand < 0)
		return -1;
	if (o->help)
		return 0;
	if (first_operand < argc)
		return cli_unexpected(&stat_cli, argv[first_operand]);
	if (o->top_only && o->instances.nr) {
		st_set_error("-t and -B exclude each other");
		return -1;
	}
	return 0;
}

static void trim_end(char *s)
{
	size_t len = strlen(s);

	while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
		s[--len] = '\0';
}

/*
 * Read a file of the block's instance, trimmed. A file the kernel does not
 * have means "not configured" (NULL, silently); one it refuses is remembered
 * for the note at the end.
 */
static char *read_setting(struct stat_ctx *c, const char *file)
{
	char *val = st_tracefs_read(c->inst, file);
	char *what;

	if (!val) {
		if (errno != ENOENT) {
			what = xasprintf("%s\t%s", strerror(errno), file);
			if (!strlist_contains(c->unreadable, what))
				strlist_add(c->unreadable, what);
			free(what);
		}
		return NULL;
	}
	trim_end(val);
	return val;
}

/* Print "  LABEL: VALUE" when value is not the default (or always with -a). */
static void print_setting(struct stat_ctx *c, const char *label, const char *value,
			  const char *default_value)
{
	if (!value)
		return;
	if (!c->o->all && default_value && !strcmp(value, default_value))
		return;
	fprintf(c->out, "  %s: %s\n", label, value);
}

static void print_file_setting(struct stat_ctx *c, const char *file, const char *default_value)
{
	char *val = read_setting(c, file);

	print_setting(c, file, val, default_value);
	free(val);
}

/* Remove "#..." lines in place, and the newline that ends the text. */
static void drop_comment_lines(char *text)
{
	char *src = text, *dst = text, *eol;
	size_t len;

	while (*src) {
		eol = strchrnul(src, '\n');
		len = eol - src + (*eol == '\n');
		if (*src != '#') {
			memmove(dst, src, len);
			dst += len;
		}
		src += len;
	}
	*dst = '\0';
	trim_end(text);
}

/*
 * A list file (pids, functions): its lines joined by spaces, unless it is empty
 * or says it is ("no pid", or comments such as "#### all functions enabled ####"
 * and "#### no functions disabled ####").
 */
static void print_list_file(struct stat_ctx *c, const char *file, const char *empty_text)
{
	char *val = read_setting(c, file);

	if (!val)
		return;
	drop_comment_lines(val);
	for (char *p = val; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (!*val || (empty_text && !strcmp(val, empty_text)))
		print_setting(c, file, "(empty)", "(empty)");
	else
		print_setting(c, file, val, NULL);
	free(val);
}

static void print_tracing(struct stat_ctx *c)
{
	char *tracer = read_setting(c, "current_tracer");
	int on = tracefs_trace_is_on(c->inst);

	print_setting(c, "tracer", tracer, NULL);
	print_setting(c, "tracing", on < 0 ? "unknown" : on ? "on" : "off", NULL);
	free(tracer);
}

static void print_per_cpu_buffers(struct stat_ctx *c)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF);

	fprintf(c->out, "  buffer (KiB per CPU):");
	for (long cpu = 0; cpu < cpus; cpu++) {
		ssize_t kb = tracefs_instance_get_buffer_size(c->inst, cpu);

		if (kb >= 0)
			fprintf(c->out, " cpu%ld=%zd", cpu, kb);
	}
	fputc('\n', c->out);
}

/*
 * buffer_size_kb is "N", or "X" when CPUs differ. Until the top level's buffer is
 * first used it is "N (expanded: M)", in instances too (up to Linux 6.x at least)
 * although their buffers are allocated in full at mkdir: only the top level's
 * buffer grows.
 */
static void print_buffer(struct stat_ctx *c)
{
	char *val = read_setting(c, "buffer_size_kb");
	unsigned long kb, expanded;

	if (!val)
		return;
	if (val[0] == 'X')
		print_per_cpu_buffers(c);
	else if (!c->inst && sscanf(val, "%lu (expanded: %lu)", &kb, &expanded) == 2)
		fprintf(c->out, "  buffer: %lu KiB per CPU (%lu KiB once tracing starts)\n", kb,
			expanded);
	else if (sscanf(val, "%lu", &kb) == 1)
		fprintf(c->out, "  buffer: %lu KiB per CPU\n", kb);
	free(val);
	print_file_setting(c, "buffer_subbuf_size_kb", "4");
	print_file_setting(c, "buffer_percent", "50");
}

static void print_clock(struct stat_ctx *c)
{
	char *clock = tracefs_get_clock(c->inst);

	print_setting(c, "trace_clock", clock, "local");
	free(clock);
}

/*
 * set_event also lists events that a trigger enabled in "soft" mode (their
 * enable file says "0*"): they record nothing, and their trigger is shown.
 */
static bool event_really_enabled(struct stat_ctx *c, const char *sys, const char *ev)
{
	char *enable = tracefs_event_file_read(c->inst, sys, ev, "enable", NULL);
	bool on = enable && enable[0] == '1';

	free(enable);
	return on;
}

/* Events: "all" when events/enable says 1, else SYS:* for whole systems, else SYS:EVENT. */
static void print_enabled_events(struct stat_ctx *c)
{
	char *all = read_setting(c, "events/enable");
	char *set, *line, *save = NULL, *colon, *file, *sys_enable;
	struct strlist shown = { 0 };

	if (all && all[0] == '1') {
		fprintf(c->out, "  events: all enabled\n");
		goto out;
	}
	set = read_setting(c, "set_event");
	for (line = set ? strtok_r(set, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		file = xasprintf("events/%s/enable", line);
		sys_enable = st_tracefs_read(c->inst, file);
		free(file);
		if (sys_enable && sys_enable[0] == '1')
			strlist_add_owned(&shown, xasprintf("%s:*", line));
		else if (event_really_enabled(c, line, colon + 1))
			strlist_add_owned(&shown, xasprintf("%s:%s", line, colon + 1));
		free(sys_enable);
	}
	free(set);
	if (shown.nr || c->o->all)
		fprintf(c->out, "  events:%s\n", shown.nr ? "" : " none");
	for (int i = 0; i < shown.nr; i++)
		if (i == 0 || strcmp(shown.items[i], shown.items[i - 1]))
			fprintf(c->out, "    %s\n", shown.items[i]);
	strlist_free(&shown);
out:
	free(all);
}

/* The trigger file lists "# Available triggers:" comments when no trigger is set. */
static void add_triggers(const char *sys, const char *ev, char *text, struct strlist *out)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#')
			strlist_add_owned(out, xasprintf("%s:%s: %s", sys, ev, line));
}

static void scan_event(struct stat_ctx *c, const char *sys, const char *ev,
		       struct strlist *filters, struct strlist *triggers)
{
	char *text;

	text = tracefs_event_file_read(c->inst, sys, ev, "filter", NULL);
	if (text) {
		trim_end(text);
		if (*text && strcmp(text, "none"))
			strlist_add_owned(filters, xasprintf("%s:%s: %s", sys, ev, text));
		free(text);
	}
	text = tracefs_event_file_read(c->inst, sys, ev, "trigger", NULL);
	if (text)
		add_triggers(sys, ev, text, triggers);
	free(text);
}

static void print_list(struct stat_ctx *c, const char *label, const struct strlist *l)
{
	if (!l->nr && !c->o->all)
		return;
	fprintf(c->out, "  %s:%s\n", label, l->nr ? "" : " none");
	for (int i = 0; i < l->nr; i++)
		fprintf(c->out, "    %s\n", l->items[i]);
}

/* Filters and triggers live in every event's own files: read them all. */
static void print_filters_and_triggers(struct stat_ctx *c)
{
	/* the instance's directory is allocated, the top level's is not */
	char *inst_dir = c->inst ? tracefs_instance_get_dir(c->inst) : NULL;
	const char *dir = c->inst ? inst_dir : tracefs_tracing_dir();
	struct strlist filters = { 0 }, triggers = { 0 };
	char **systems, **events;

	systems = dir ? tracefs_event_systems(dir) : NULL;
	for (int s = 0; systems && systems[s]; s++) {
		events = tracefs_system_events(dir, systems[s]);
		for (int e = 0; events && events[e]; e++)
			scan_event(c, systems[s], events[e], &filters, &triggers);
		tracefs_list_free(events);
	}
	tracefs_list_free(systems);
	tracefs_put_tracing_file(inst_dir);
	st_strlist_sort(&filters);
	st_strlist_sort(&triggers);
	print_list(c, "event filters", &filters);
	print_list(c, "event triggers", &triggers);
	strlist_free(&filters);
	strlist_free(&triggers);
}

static void print_pid_and_function_filters(struct stat_ctx *c)
{
	print_list_file(c, "set_event_pid", NULL);
	print_list_file(c, "set_event_notrace_pid", NULL);
	print_list_file(c, "set_ftrace_pid", "no pid");
	print_list_file(c, "set_ftrace_notrace_pid", "no pid");
	print_list_file(c, "set_ftrace_filter", NULL);
	print_list_file(c, "set_ftrace_notrace", NULL);
	print_list_file(c, "set_graph_function", NULL);
	print_list_file(c, "set_graph_notrace", NULL);
	print_file_setting(c, "max_graph_depth", "0");
}

/* The CPU mask is the default when it covers every possible CPU. */
static void print_cpumask(struct stat_ctx *c)
{
	char *mask = tracefs_instance_get_affinity(c->inst);
	char *possible = read_file("/sys/devices/system/cpu/possible", NULL);

	if (possible)
		trim_end(possible);
	if (mask)
		print_setting(c, "tracing_cpumask (CPUs)", mask, possible);
	free(mask);
	free(possible);
}

static void print_options(struct stat_ctx *c)
{
	struct st_options opts;
	struct strlist changed = { 0 };

	if (st_options_read(c->inst, &opts) < 0)
		return;
	for (int i = 0; i < opts.nr; i++) {
		const struct st_option *opt = &opts.items[i];

		if (c->o->all || opt->enabled != st_option_default(opt->name, !c->inst))
			strlist_add_owned(&changed, xasprintf("%s%s", opt->enabled ? "" : "no",
							      opt->name));
	}
	st_options_free(&opts);
	print_list(c, c->o->all ? "options" : "options (not at their defaults)", &changed);
	strlist_free(&changed);
}

/* Probes and a few settings exist once, at the top level. */
static void print_top_level_only(struct stat_ctx *c)
{
	static const char *const probe_files[] = { "uprobe_events", "kprobe_events",
						   "dynamic_events" };
	struct strlist probes = { 0 };

	print_file_setting(c, "tracing_thresh", "0");
	if (c->o->all)
		print_file_setting(c, "saved_cmdlines_size", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(probe_files); i++)
		st_probes_read(probe_files[i], &probes);
	print_list(c, "probes", &probes);
	strlist_free(&probes);
}

static void print_block(struct stat_ctx *c, const char *name)
{
	if (name)
		fprintf(c->out, "Instance %s:\n", name);
	else
		fprintf(c->out, "Top level:\n");
	print_tracing(c);
	print_buffer(c);
	print_clock(c);
	print_cpumask(c);
	print_enabled_events(c);
	print_filters_and_triggers(c);
	print_pid_and_function_filters(c);
	print_options(c);
	if (!name)
		print_top_level_only(c);
}

static void add_missing(struct strlist *to, const struct strlist *from)
{
	for (int i = 0; i < from->nr; i++)
		if (!strlist_contains(to, from->items[i]))
			strlist_add(to, from->items[i]);
}

/*
 * Write one block to stdout, or nothing if the instance vanished meanwhile
 * (another user removed it: what could not be read in it is forgotten too).
 * Returns -1 only when a named instance is missing.
 */
static int stat_one(const struct stat_opts *o, const char *name, bool named,
		    struct strlist *unreadable, bool *first)
{
	struct strlist block_unreadable = { 0 };
	struct stat_ctx c = { .o = o, .unreadable = &block_unreadable };
	char *text = NULL;
	size_t len = 0;
	int ret = 0;

	if (name) {
		c.inst = tracefs_instance_exists(name) ? tracefs_instance_alloc(NULL, name) : NULL;
		if (!c.inst)
			goto gone;
	}
	c.out = open_memstream(&text, &len);
	if (!c.out) {
		st_warn("out of memory");
		ret = -1;
		goto out;
	}
	print_block(&c, name);
	fclose(c.out);
	if (name && !tracefs_instance_exists(name))
		goto gone;
	printf("%s%s", *first ? "" : "\n", text);
	*first = false;
	add_missing(unreadable, &block_unreadable);
	goto out;
gone:
	if (named) {
		st_warn("no tracefs instance named '%s'", name);
		ret = -1;
	}
out:
	free(text);
	strlist_free(&block_unreadable);
	tracefs_instance_free(c.inst);
	return ret;
}

/* One line for everything left out, grouped by reason: "FILE, FILE (REASON); ..." */
static void warn_unreadable(struct strlist *unreadable)
{
	char *msg = xstrdup(""), *joined, *tab, *prev_reason = NULL;

	if (!unreadable->nr)
		goto out;
	st_strlist_sort(unreadable);
	for (int i = 0; i < unreadable->nr; i++) {
		tab = strchr(unreadable->items[i], '\t');
		*tab = '\0';
		if (prev_reason && strcmp(prev_reason, unreadable->items[i]))
			joined = xasprintf("%s (%s); %s", msg, prev_reason, tab + 1);
		else
			joined = xasprintf("%s%s%s", msg, prev_reason ? ", " : "", tab + 1);
		free(msg);
		msg = joined;
		prev_reason = unreadable->items[i];
	}
	st_warn("could not read (left out above): %s (%s)", msg, prev_reason);
out:
	free(msg);
}

static int stat_all(const struct stat_opts *o)
{
	struct strlist unreadable = { 0 };
	bool first = true;
	char **names = NULL;
	int ret = EXIT_OK;

	if (o->instances.nr) {
		for (int i = 0; i < o->instances.nr; i++)
			if (stat_one(o, o->instances.items[i], true, &unreadable, &first) < 0)
				ret = EXIT_FAILURE_;
		goto out;
	}
	stat_one(o, NULL, false, &unreadable, &first);
	if (o->top_only)
		goto out;
	names = tracefs_instances(NULL);
	if (names) {
		struct strlist sorted = { .items = names };

		while (names[sorted.nr])
			sorted.nr++;
		st_strlist_sort(&sorted);
	}
	for (int i = 0; names && names[i]; i++)
		stat_one(o, names[i], false, &unreadable, &first);
out:
	tracefs_list_free(names);
	warn_unreadable(&unreadable);
	strlist_free(&unreadable);
	return ret;
}

int cmd_stat(int argc, char **argv)
{
	struct stat_opts o = { 0 };
	int ret;

	if (parse_stat_args(argc, argv, &o) < 0) {
		ret = cli_usage_error();
		goto out;
	}
	if (o.help) {
		fputs(stat_usage, stdout);
		ret = EXIT_OK;
		goto out;
	}
	if (!tracefs_tracing_dir()) {
		st_warn("tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
		ret = EXIT_FAILURE_;
		goto out;
	}
	ret = stat_all(&o);
	if (fflush(stdout) != 0) {
		st_warn("cannot write: %s", strerror(errno));
		ret = EXIT_FAILURE_;
	}
out:
	strlist_free(&o.instances);
	return ret;
}
