// SPDX-License-Identifier: LGPL-2.1
/*
 * record's function tracing (see record_ftrace.h): option parsing, checks
 * against the kernel's lists made before tracefs changes, the choice between
 * sidetrace's instance and the top level, and the set-up through the undo list.
 */
#include "record/record_ftrace.h"
#include "tracefs/tracefs_state.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tracefs.h>

#define FTRACE_ENABLED "/proc/sys/kernel/ftrace_enabled"

/* ------------------------------------------------------------------------- */
/* Options */

static int add_function(struct strlist *l, const char *opt, const char *arg)
{
	if (!*arg || strpbrk(arg, " \t\n")) {
		st_set_error("%s: '%s' is not a function name or glob", opt, arg);
		return -1;
	}
	strlist_add(l, arg);
	return 0;
}

static int parse_depth(struct record_ftrace_opts *f, const char *arg)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || errno || *end || v == 0 || v > INT_MAX) {
		st_set_error("--max-graph-depth: '%s' is not a positive number", arg);
		return -1;
	}
	f->max_graph_depth = v;
	return 0;
}

int record_ftrace_parse(struct record_ftrace_opts *f, int c, const char *arg)
{
	switch (c) {
	case 'p':
		if (!*arg || strpbrk(arg, " \t\n/")) {
			st_set_error("-p: '%s' is not a tracer name", arg);
			return -1;
		}
		free(f->tracer);
		f->tracer = xstrdup(arg);
		return 0;
	case 'g':
		return add_function(&f->graph_funcs, "-g", arg);
	case 'l':
		return add_function(&f->filter_funcs, "-l", arg);
	case 'n':
		return add_function(&f->notrace_funcs, "-n", arg);
	case 'O':
		if (!*arg || !strcmp(arg, "no") || strpbrk(arg, " \t\n/.")) {
			st_set_error("-O: '%s' is not an option name", arg);
			return -1;
		}
		strlist_add(&f->options, arg);
		return 0;
	case RECORD_OPT_MAX_GRAPH_DEPTH:
		return parse_depth(f, arg);
	case RECORD_OPT_FUNC_STACK:
		f->func_stack = true;
		return 0;
	default:
		return 1;
	}
}

static bool is_tracer(const struct record_ftrace_opts *f, const char *name)
{
	return f->tracer && !strcmp(f->tracer, name);
}

/* function and function_graph: the tracers that trace kernel functions. */
static bool function_tracer(const struct record_ftrace_opts *f)
{
	return f->tracer && !strncmp(f->tracer, "function", 8);
}

int record_ftrace_check_options(const struct record_ftrace_opts *f)
{
	if ((f->graph_funcs.nr || f->max_graph_depth) && !is_tracer(f, "function_graph")) {
		st_set_error("%s needs -p function_graph",
			     f->graph_funcs.nr ? "-g" : "--max-graph-depth");
		return -1;
	}
	if ((f->filter_funcs.nr || f->notrace_funcs.nr) && !function_tracer(f)) {
		st_set_error("%s needs a function tracer (-p function or -p function_graph)",
			     f->filter_funcs.nr ? "-l" : "-n");
		return -1;
	}
	if (f->func_stack && !is_tracer(f, "function")) {
		st_set_error("--func-stack needs -p function");
		return -1;
	}
	/* A stack for every kernel function call would stall the machine. */
	if (f->func_stack && !f->filter_funcs.nr) {
		st_set_error("--func-stack needs -l FUNC (a stack for every function is too much)");
		return -1;
	}
	return 0;
}

void record_ftrace_opts_free(struct record_ftrace_opts *f)
{
	free(f->tracer);
	strlist_free(&f->graph_funcs);
	strlist_free(&f->filter_funcs);
	strlist_free(&f->notrace_funcs);
	strlist_free(&f->options);
	memset(f, 0, sizeof(*f));
}

bool record_ftrace_wanted(const struct record_ftrace_opts *f)
{
	return f->tracer != NULL;
}

/* ------------------------------------------------------------------------- */
/* Function names and patterns */

void ftrace_function_names(const char *text, struct strlist *out)
{
	const char *line = text, *end;
	size_t len;

	while (line && *line) {
		end = strchr(line, '\n');
		len = strcspn(line, " \t\n");
		if (len)
			strlist_add_owned(out, strndup(line, len));
		line = end ? end + 1 : NULL;
	}
}

bool ftrace_pattern_matches(const char *pattern, const char *name)
{
	if (*pattern == '!')
		pattern++;
	return fnmatch(pattern, name, 0) == 0;
}

#define SUGGEST_MAX_EDITS 32

/* Levenshtein distance, or limit once it reaches limit. */
static int edit_distance(const char *a, size_t len_a, const char *b, int limit)
{
	return st_edit_distance(a, len_a, b, limit - 1);
}

struct candidate {
	const char *name;
	int score;
};

/*
 * Lower is closer: names that start with or contain the pattern (len bytes)
 * come first. Each test costs the name's length, not the pattern's: a long
 * pattern against tens of thousands of names must stay fast.
 */
static int closeness(const char *word, size_t len, const char *name, int limit)
{
	size_t name_len = strnlen(name, len);

	if (name_len < len)
		return 4 + edit_distance(word, len, name, limit);
	if (len && !strncmp(name, word, len))
		return (int)(strlen(name) - len) / 8;
	if (len >= 3 && strstr(name, word))
		return 2 + (int)(strlen(name) - len) / 8;
	return 4 + edit_distance(word, len, name, limit);
}

/* Keep the best max candidates, closest first, without repeating a name. */
static void consider(struct candidate *best, int max, const char *name, int score)
{
	int i, n = 0;

	for (; n < max && best[n].name; n++)
		if (!strcmp(best[n].name, name))
			return;
	for (i = 0; i < n && best[i].score <= score; i++)
		;
	if (i == max)
		return;
	memmove(&best[i + 1], &best[i], (max - i - 1) * sizeof(*best));
	best[i] = (struct candidate){ name, score };
}

char *ftrace_closest_names(const char *pattern, const struct strlist *names, int max)
{
	struct candidate *best = xcalloc(max + 1, sizeof(*best));
	char *word = xmalloc(strlen(pattern) + 1), *out = xstrdup(""), *next;
	const char *p;
	int limit, n = 0;

	/* The pattern without its glob characters is what the user meant to type. */
	for (p = pattern; *p; p++)
		if (!strchr("!*?[]", *p))
			word[n++] = *p;
	word[n] = '\0';
	/* typos, not rewrites: a long pattern gets no more than SUGGEST_MAX_EDITS */
	limit = n / 2 + 3 < SUGGEST_MAX_EDITS ? n / 2 + 3 : SUGGEST_MAX_EDITS;
	for (int i = 0; i < names->nr; i++) {
		int score = closeness(word, n, names->items[i], limit);

		if (score < limit + 4)
			consider(best, max, names->items[i], score);
	}
	for (int i = 0; i < max && best[i].name; i++) {
		next = xasprintf("%s%s%s", out, i ? ", " : "", best[i].name);
		free(out);
		out = next;
	}
	free(word);
	free(best);
	return out;
}

/* ------------------------------------------------------------------------- */
/* Checks before tracefs changes */

/* A tracefs file's words, e.g. available_tracers; NULL with st_set_error(). */
static char *read_top_file(const char *file)
{
	char *text = st_tracefs_read(NULL, file);

	if (!text)
		st_set_error("cannot read %s: %s", file, strerror(errno));
	return text;
}

static bool has_word(const char *text, const char *word)
{
	size_t len = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word))) {
		bool starts = p == text || strchr(" \t\n", p[-1]);
		bool ends = !p[len] || strchr(" \t\n", p[len]);

		if (starts && ends)
			return true;
		p += len;
	}
	return false;
}

static int check_tracer(const char *tracer)
{
	char *text = read_top_file("available_tracers");
	int ret = 0;

	if (!text)
		return -1;
	if (!has_word(text, tracer)) {
		text[strcspn(text, "\n")] = '\0';
		st_set_error("unknown tracer '%s' (this kernel has: %s)", tracer, text);
		ret = -1;
	}
	free(text);
	return ret;
}

/* Patterns with ':' are kernel commands or :mod: filters: the kernel judges them. */
static int check_patterns(const struct strlist *patterns, const char *opt,
			  const struct strlist *names)
{
	for (int i = 0; i < patterns->nr; i++) {
		const char *pat = patterns->items[i];
		bool found = strchr(pat, ':') != NULL;
		char *closest;

		for (int j = 0; j < names->nr && !found; j++)
			found = ftrace_pattern_matches(pat, names->items[j]);
		if (found)
			continue;
		closest = ftrace_closest_names(pat, names, 3);
		st_set_error("%s: no traceable function matches '%s'%s%s%s", opt, pat,
			     *closest ? " (closest: " : "", closest, *closest ? ")" : "");
		free(closest);
		return -1;
	}
	return 0;
}

static int check_functions(const struct record_ftrace_opts *f)
{
	struct strlist names = { 0 };
	char *text;
	int ret;

	if (!f->graph_funcs.nr && !f->filter_funcs.nr && !f->notrace_funcs.nr)
		return 0;
	/* Empty, the list is no error: no function matches then. */
	text = st_tracefs_read(NULL, "available_filter_functions");
	if (!text) {
		st_set_error("this kernel refuses function filters "
			     "(available_filter_functions: %s)", strerror(errno));
		return -1;
	}
	ftrace_function_names(text, &names);
	free(text);
	ret = check_patterns(&f->graph_funcs, "-g", &names);
	if (!ret)
		ret = check_patterns(&f->filter_funcs, "-l", &names);
	if (!ret)
		ret = check_patterns(&f->notrace_funcs, "-n", &names);
	strlist_free(&names);
	return ret;
}

/* "noOPT" clears OPT, unless the kernel really has an option called noOPT. */
static const char *option_name(struct tracefs_instance *inst, const char *opt, bool *set)
{
	char *file = xasprintf("options/%s", opt);
	bool exists = tracefs_file_exists(inst, file);

	free(file);
	*set = exists || strncmp(opt, "no", 2);
	return *set ? opt : opt + 2;
}

static bool option_exists(struct tracefs_instance *inst, const char *opt)
{
	char *file;
	bool set, exists;

	file = xasprintf("options/%s", option_name(inst, opt, &set));
	exists = tracefs_file_exists(inst, file);
	free(file);
	return exists;
}

static int check_trace_options(const struct record_ftrace_opts *f)
{
	for (int i = 0; i < f->options.nr; i++) {
		if (!option_exists(NULL, f->options.items[i])) {
			st_set_error("-O: this kernel has no trace option '%s' (see %s/options)",
				     f->options.items[i], tracefs_tracing_dir());
			return -1;
		}
	}
	return 0;
}

int record_ftrace_check(const struct record_ftrace_opts *f)
{
	if (record_ftrace_wanted(f) && (check_tracer(f->tracer) < 0 || check_functions(f) < 0))
		return -1;
	return check_trace_options(f);
}

/* ------------------------------------------------------------------------- */
/* Instance or top level */

static bool instance_has_tracer(struct tracefs_instance *inst, const char *tracer)
{
	char *text = tracefs_instance_file_read(inst, "available_tracers", NULL);
	bool found = text && has_word(text, tracer);

	free(text);
	return found;
}

/* Why the instance cannot do what f asks (static text), or NULL if it can. */
static const char *instance_lacks(struct tracefs_instance *inst,
				  const struct record_ftrace_opts *f)
{
	if (!instance_has_tracer(inst, f->tracer))
		return "runs only at the top level";
	if (f->graph_funcs.nr && !tracefs_file_exists(inst, "set_graph_function"))
		return "with -g needs set_graph_function, which only the top level has";
	if (f->max_graph_depth && !tracefs_file_exists(inst, "max_graph_depth"))
		return "with --max-graph-depth needs max_graph_depth, which only the top level has";
	if ((f->filter_funcs.nr && !tracefs_file_exists(inst, "set_ftrace_filter")) ||
	    (f->notrace_funcs.nr && !tracefs_file_exists(inst, "set_ftrace_notrace")))
		return "with -l/-n needs function filters, which only the top level has";
	for (int i = 0; i < f->options.nr; i++)
		if (!option_exists(inst, f->options.items[i]))
			return "with these -O options needs the top level's options";
	return NULL;
}

/* Someone's events at the top level would mix into the recording (and lose their buffer). */
static int top_events_in_use(void)
{
	char *events = tracefs_instance_file_read(NULL, "set_event", NULL);
	int nr = 0;

	for (char *p = events; p && *p; p++)
		nr += *p == '\n';
	if (nr) {
		events[strcspn(events, "\n")] = '\0';
		st_set_error("the top level is in use: %d event%s enabled there (%s%s); "
			     "not taking it over", nr, nr > 1 ? "s are" : " is", events,
			     nr > 1 ? ", ..." : "");
	}
	free(events);
	return nr ? -1 : 0;
}

/* The top level becomes the recording's buffer: free of other tracers and events, off, empty. */
static int take_top_level(struct st_undo *u)
{
	char *tracer = tracefs_instance_file_read(NULL, "current_tracer", NULL);
	int fd;

	if (tracer && strcmp(tracer, "nop\n") && strcmp(tracer, "nop")) {
		tracer[strcspn(tracer, "\n")] = '\0';
		st_set_error("the top-level tracer is in use (current_tracer: %s); "
			     "not taking it over", tracer);
		free(tracer);
		return -1;
	}
	free(tracer);
	if (top_events_in_use() < 0)
		return -1;
	if (st_undo_instance_write(u, NULL, "tracing_on", "0") < 0)
		return -1;
	/* What someone left in the top-level buffer is not ours to record. */
	fd = tracefs_instance_file_open(NULL, "trace", O_WRONLY | O_TRUNC);
	if (fd < 0) {
		st_set_error("cannot clear the top-level ring buffer: %s", strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int record_ftrace_choose_buffer(struct st_undo *u, int mark, struct tracefs_instance **inst,
				const struct record_ftrace_opts *f, bool quiet)
{
	const char *why;

	if (!record_ftrace_wanted(f) || !*inst)
		return 0;
	why = instance_lacks(*inst, f);
	if (!why)
		return 0;
	if (st_undo_rollback(u, mark) < 0)
		return -1;
	tracefs_instance_free(*inst);
	*inst = NULL;
	if (!quiet)
		st_warn("on this kernel the %s tracer %s: recording there; its settings are "
			"restored afterwards", f->tracer, why);
	return take_top_level(u);
}

/* ------------------------------------------------------------------------- */
/* Set-up */

/* ftrace_enabled=0 switches every function tracer off: turn it on for the recording. */
static int enable_ftrace(struct st_undo *u)
{
	char *text = read_file(FTRACE_ENABLED, NULL);
	int ret = 0;

	if (!text)
		return 0;	/* no such knob: nothing to do */
	if (text[0] == '0' && st_undo_write(u, FTRACE_ENABLED, "1") < 0) {
		st_set_error("function tracing is off (%s is 0) and cannot be switched on: %s",
			     FTRACE_ENABLED, strerror(errno));
		ret = -1;
	}
	free(text);
	return ret;
}

static int write_functions(struct st_undo *u, struct tracefs_instance *inst, const char *file,
			   const struct strlist *patterns, const char *opt)
{
	char *list = xstrdup(""), *next;
	int ret;

	if (!patterns->nr)
		return 0;
	for (int i = 0; i < patterns->nr; i++) {
		next = xasprintf("%s%s%s", list, i ? " " : "", patterns->items[i]);
		free(list);
		list = next;
	}
	ret = st_undo_instance_write(u, inst, file, list);
	if (ret < 0)
		st_set_error("%s %s: the kernel refuses it (%s: %s)", opt, list, file,
			     strerror(errno));
	free(list);
	return ret;
}

static int write_option(struct st_undo *u, struct tracefs_instance *inst, const char *opt)
{
	bool set;
	const char *name = option_name(inst, opt, &set);
	char *file = xasprintf("options/%s", name);
	int ret;

	/* Checked against the top level's options: an instance may have fewer. */
	if (inst && !tracefs_file_exists(inst, file)) {
		st_set_error("-O %s: on this kernel only the top level has this option, "
			     "not sidetrace's instance", opt);
		free(file);
		return -1;
	}
	ret = st_undo_instance_write(u, inst, file, set ? "1" : "0");
	if (ret < 0)
		st_set_error("-O %s: the kernel refuses it (%s: %s)", opt, file, strerror(errno));
	free(file);
	return ret;
}

/*
 * The size the top-level buffer gets on first use while it has never been
 * used, e.g. "1408" from "7 (expanded: 1408)"; NULL once it is in use.
 */
static char *top_buffer_size_unused(void)
{
	char *text = tracefs_instance_file_read(NULL, "buffer_size_kb", NULL);
	char *p = text ? strstr(text, "(expanded: ") : NULL;
	char *size = NULL;

	if (p) {
		p += 11;
		p[strcspn(p, ")")] = '\0';
		size = xstrdup(p);
	}
	free(text);
	return size;
}

/*
 * The tracer is written before anything outside our instance, so that a
 * tracer the kernel refuses leaves the machine as it was: a tracer written to
 * the top level's current_tracer, even a refused one, expands its buffer for
 * good. After it, a quirk of older kernels (6.1): a tracer set in an instance
 * marks the top-level buffer expanded without expanding it, so it would stay
 * at its boot-time 7 KiB. It then gets the size it would have got on first use,
 * which the undo list puts back. Newer kernels keep the mark per buffer.
 */
static int write_tracer(struct st_undo *u, struct tracefs_instance *inst, const char *tracer)
{
	char *unused = inst && strcmp(tracer, "nop") ? top_buffer_size_unused() : NULL;
	char *still_unused = NULL;
	int ret = 0;

	if (st_undo_instance_write(u, inst, "current_tracer", tracer) < 0) {
		st_set_error("this kernel refuses the %s tracer (current_tracer: %s)", tracer,
			     strerror(errno));
		ret = -1;
	} else if (unused && !(still_unused = top_buffer_size_unused())) {
		ret = st_undo_instance_write(u, NULL, "buffer_size_kb", unused);
	}
	free(still_unused);
	free(unused);
	return ret;
}

static int write_options(struct st_undo *u, struct tracefs_instance *inst,
			 const struct record_ftrace_opts *f)
{
	for (int i = 0; i < f->options.nr; i++)
		if (write_option(u, inst, f->options.items[i]) < 0)
			return -1;
	return 0;
}

int record_ftrace_setup(struct st_undo *u, struct tracefs_instance *inst,
			const struct record_ftrace_opts *f)
{
	char depth[16];

	/* The trace options (-O stacktrace, ...) are the instance's, whatever its tracer. */
	if (!record_ftrace_wanted(f))
		return write_options(u, inst, f);
	if (function_tracer(f) && enable_ftrace(u) < 0)
		return -1;
	/* The lists go in before the tracer, so it never runs on every function. */
	if (write_functions(u, inst, "set_ftrace_filter", &f->filter_funcs, "-l") < 0 ||
	    write_functions(u, inst, "set_ftrace_notrace", &f->notrace_funcs, "-n") < 0 ||
	    write_functions(u, inst, "set_graph_function", &f->graph_funcs, "-g") < 0)
		return -1;
	if (f->max_graph_depth) {
		snprintf(depth, sizeof(depth), "%u", f->max_graph_depth);
		if (st_undo_instance_write(u, inst, "max_graph_depth", depth) < 0)
			return -1;
	}
	if (write_options(u, inst, f) < 0)
		return -1;
	if (f->func_stack && write_option(u, inst, "func_stack_trace") < 0)
		return -1;
	return write_tracer(u, inst, f->tracer);
}

int record_ftrace_set_pids(struct st_undo *u, struct tracefs_instance *inst,
			   const struct record_ftrace_opts *f, const struct record_ftrace_tasks *t)
{
	pid_t *own;

	if (!function_tracer(f))
		return 0;
	if (t->nr_pids && st_undo_write_pids(u, inst, "set_ftrace_pid", t->pids, t->nr_pids) < 0)
		return -1;
	if (t->command) {
		if (st_undo_write_pids(u, inst, "set_ftrace_pid", &t->command, 1) < 0)
			return -1;
		if (tracefs_file_exists(inst, "options/function-fork") &&
		    st_undo_instance_write(u, inst, "options/function-fork", "1") < 0)
			return -1;
	}
	if (!t->own || !tracefs_file_exists(inst, "set_ftrace_notrace_pid"))
		return 0;
	/*
	 * Their reads of the ring buffer would otherwise fill it with themselves.
	 * Only a nicety: a kernel that refuses it still records what was asked.
	 */
	own = xmalloc((t->nr_own + 1) * sizeof(*own));
	own[0] = getpid();
	memcpy(own + 1, t->own, t->nr_own * sizeof(*own));
	if (st_undo_write_pids(u, inst, "set_ftrace_notrace_pid", own, t->nr_own + 1) < 0)
		st_warn("%s; sidetrace's own threads may show up in the trace", st_last_error());
	free(own);
	return 0;
}
