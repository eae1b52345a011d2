// SPDX-License-Identifier: LGPL-2.1
/*
 * Hints about -g/-l functions that never ran (see ftrace_hints.h): the
 * option record stores, the scan of a file's function records, and the words.
 */
#include "tracedat/ftrace_hints.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <fnmatch.h>
#include <search.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#define GLOB_CHARS "*?[\\"

/* ------------------------------------------------------------------------- */
/* The option, at record time */

/* Kernel commands ("f:mod:ext4") and removals ("!f") say nothing about a call. */
static bool judgeable(const char *pattern)
{
	return *pattern && *pattern != '!' && !strpbrk(pattern, ": \t\n");
}

static int shortest_first(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

/* "KIND NR PATTERN [NAME...]\n" for one pattern, appended to out; nothing if it matched nothing. */
static void add_line(struct strlist *out, char kind, const char *pattern,
		     const struct strlist *names)
{
	size_t prefix = strcspn(pattern, GLOB_CHARS);
	const char **near = xcalloc(names->nr + 1, sizeof(*near));
	int nr_matched = 0, nr_near = 0, kept = 0;
	char *line;

	for (int i = 0; i < names->nr; i++) {
		const char *name = names->items[i];

		if (!fnmatch(pattern, name, 0))
			nr_matched++;
		else if (prefix >= 3 && !strncmp(name, pattern, prefix))
			near[nr_near++] = name;
	}
	qsort(near, nr_near, sizeof(*near), shortest_first);
	line = xasprintf("%c %d %s", kind, nr_matched, pattern);
	for (int i = 0; i < nr_near && kept < FTRACE_HINTS_MAX_NAMES; i++) {
		char *next;

		if (i && !strcmp(near[i], near[i - 1]))
			continue;	/* the kernel lists same-named static functions apart */
		next = xasprintf("%s %s", line, near[i]);
		free(line);
		line = next;
		kept++;
	}
	if (nr_matched)
		strlist_add_owned(out, line);
	else
		free(line);
	free(near);
}

char *ftrace_hints_option(const struct strlist *graph, const struct strlist *filter,
			  const struct strlist *names)
{
	struct strlist lines = { 0 };
	char *text = xstrdup(""), *next;

	for (int i = 0; i < graph->nr; i++)
		if (judgeable(graph->items[i]))
			add_line(&lines, 'g', graph->items[i], names);
	for (int i = 0; i < filter->nr; i++)
		if (judgeable(filter->items[i]))
			add_line(&lines, 'l', filter->items[i], names);
	for (int i = 0; i < lines.nr; i++) {
		next = xasprintf("%s%s\n", text, lines.items[i]);
		free(text);
		text = next;
	}
	strlist_free(&lines);
	if (!*text) {
		free(text);
		return NULL;
	}
	return text;
}

/* ------------------------------------------------------------------------- */
/* The option, read back */

struct hint_pattern {
	int nr_matched;
	char *pattern;
	struct strlist names;	/* near names, in the stored order */
	bool *name_ran;
	bool ran;
};

struct hint_set {
	struct hint_pattern *p;
	int nr;
	int left;		/* patterns no record has matched yet */
};

/* One stored line; false if it is not one (a damaged or newer file: skipped). */
static bool parse_line(char *line, struct hint_pattern *p)
{
	char *save = NULL, *kind = strtok_r(line, " ", &save);
	char *nr = strtok_r(NULL, " ", &save), *pattern = strtok_r(NULL, " ", &save), *end;
	long n;

	if (!kind || (strcmp(kind, "g") && strcmp(kind, "l")) || !nr || !pattern)
		return false;
	n = strtol(nr, &end, 10);
	if (*end || n <= 0 || n > INT32_MAX || !judgeable(pattern))
		return false;
	memset(p, 0, sizeof(*p));
	p->nr_matched = n;
	p->pattern = xstrdup(pattern);
	for (char *name; (name = strtok_r(NULL, " ", &save)) &&
	     p->names.nr < FTRACE_HINTS_MAX_NAMES;)
		strlist_add(&p->names, name);
	p->name_ran = xcalloc(p->names.nr + 1, sizeof(*p->name_ran));
	return true;
}

static void parse_option(const struct td_blob *opt, struct hint_set *set)
{
	char *text = xmalloc(opt->size + 1), *save = NULL;

	memcpy(text, opt->data, opt->size);
	text[opt->size] = '\0';
	memset(set, 0, sizeof(*set));
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		set->p = xrealloc(set->p, (set->nr + 1) * sizeof(*set->p));
		if (parse_line(line, &set->p[set->nr]))
			set->nr++;
	}
	set->left = set->nr;
	free(text);
}

static void free_set(struct hint_set *set)
{
	for (int i = 0; i < set->nr; i++) {
		free(set->p[i].pattern);
		strlist_free(&set->p[i].names);
		free(set->p[i].name_ran);
	}
	free(set->p);
}

/* ------------------------------------------------------------------------- */
/* Which functions ran */

/* The events that name a traced function, and the field that holds it. */
struct func_event {
	int id;
	struct tep_format_field *field;
};

static int find_func_events(struct td_file *f, struct func_event *ev)
{
	static const char *const events[][2] = {
		{ "function", "ip" }, { "funcgraph_entry", "func" }, { "funcgraph_exit", "func" },
	};
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(events); i++) {
		struct tep_event *e = td_find_event_by_name(f, "ftrace", events[i][0]);
		struct tep_format_field *f = e ? tep_find_field(e, events[i][1]) : NULL;

		if (f)
			ev[n++] = (struct func_event){ e->id, f };
	}
	return n;
}

static void mark_ran(struct hint_set *set, const char *name)
{
	for (int i = 0; i < set->nr; i++) {
		struct hint_pattern *p = &set->p[i];

		if (!p->ran && !fnmatch(p->pattern, name, 0)) {
			p->ran = true;
			set->left--;
		}
		for (int k = 0; k < p->names.nr; k++)
			if (!strcmp(p->names.items[k], name))
				p->name_ran[k] = true;
	}
}

static int compare_addresses(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

	return x < y ? -1 : x > y;
}

static void forget_address(void *node)
{
	(void)node;	/* the keys are the addresses themselves */
}

/* What a scan found out. */
struct scan {
	struct tep_handle *tep;
	struct func_event ev[3];
	int nr_ev;
	void *seen;		/* tsearch tree of addresses already looked at */
	bool lost;		/* events were lost: a call may be among them */
	bool unnamed;		/* an address kallsyms cannot name */
};

static void look_at(struct scan *sc, struct hint_set *set, struct tep_record *rec)
{
	int type = tep_data_type(sc->tep, rec);
	unsigned long long addr;
	const char *name;

	if (rec->missed_events)
		sc->lost = true;
	for (int i = 0; i < sc->nr_ev; i++) {
		if (sc->ev[i].id != type)
			continue;
		/* A function shows up again and again: name each address once. */
		if (tep_read_number_field(sc->ev[i].field, rec->data, &addr) < 0 ||
		    tfind((void *)(uintptr_t)addr, &sc->seen, compare_addresses))
			return;
		tsearch((void *)(uintptr_t)addr, &sc->seen, compare_addresses);
		name = tep_find_function(sc->tep, addr);
		if (name)
			mark_ran(set, name);
		else
			sc->unnamed = true;
		return;
	}
}

/* Every buffer's records, until each pattern has run. -1 with st_set_error(). */
static int scan_file(struct td_file *f, struct hint_set *set, struct scan *sc)
{
	/* only three events are looked at: formats are parsed as needed (report's tep too) */
	sc->tep = td_get_tep_lazy(f);
	if (!sc->tep)
		return -1;
	sc->nr_ev = find_func_events(f, sc->ev);
	for (int b = 0; b < td_nr_buffers(f) && sc->nr_ev && set->left; b++) {
		const struct td_buffer *buf = td_get_buffer(f, b);
		struct tep_record *rec;
		struct td_iter *it;
		int err;

		if (!buf || buf->latency)
			continue;
		it = td_iter_new(f, b, NULL, 0);
		if (!it)
			return -1;
		while (set->left && (rec = td_iter_next(it)))
			look_at(sc, set, rec);
		err = td_iter_error(it);
		td_iter_free(it);
		if (err)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------- */
/* The words */

/* "a", "a or b", "a, b or c": the near names that ran first; NULL if none. */
static char *suggestions(const struct hint_pattern *p)
{
	const char *pick[FTRACE_HINTS_SHOWN];
	int n = 0;
	char *out, *next;

	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < p->names.nr && n < FTRACE_HINTS_SHOWN; k++)
			if (p->name_ran[k] == !pass)
				pick[n++] = p->names.items[k];
	if (!n)
		return NULL;
	out = xstrdup(pick[0]);
	for (int i = 1; i < n; i++) {
		next = xasprintf("%s%s%s", out, i == n - 1 ? " or " : ", ", pick[i]);
		free(out);
		out = next;
	}
	return out;
}

static char *word_hint(const struct hint_pattern *p)
{
	bool glob = p->pattern[strcspn(p->pattern, GLOB_CHARS)] != '\0';
	char *what, *names = suggestions(p), *line;

	if (!glob)
		what = xasprintf("%s was never called (it may be inlined into its callers on "
				 "this kernel, or not be on the workload's path)", p->pattern);
	else if (p->nr_matched == 1)
		what = xasprintf("the one function matching '%s' was never called (it may be "
				 "inlined into its callers on this kernel, or not be on the "
				 "workload's path)", p->pattern);
	else
		what = xasprintf("none of the %d functions matching '%s' was called (they may "
				 "be inlined into their callers on this kernel, or not be on the "
				 "workload's path)", p->nr_matched, p->pattern);
	if (!names)
		return what;
	line = xasprintf("%s; did you mean %s?", what, names);
	free(what);
	free(names);
	return line;
}

int ftrace_hints_find(struct td_file *f, struct strlist *lines)
{
	const struct td_blob *opt = td_meta_get_option(td_get_meta(f), TD_OPT_FTRACE_FUNCS);
	struct scan sc = { 0 };
	struct hint_set set;
	int ret, added = 0;

	if (!opt || !opt->size)
		return 0;
	parse_option(opt, &set);
	ret = set.nr ? scan_file(f, &set, &sc) : 0;
	/* A verdict only when it is sure: nothing lost, every address named. */
	if (ret == 0 && set.left && !sc.lost && !sc.unnamed) {
		for (int i = 0; i < set.nr; i++) {
			if (!set.p[i].ran) {
				strlist_add_owned(lines, word_hint(&set.p[i]));
				added++;
			}
		}
	}
	tdestroy(sc.seen, forget_address);
	free_set(&set);
	return ret < 0 ? -1 : added;
}

void ftrace_hints_warn(struct td_file *f)
{
	struct strlist lines = { 0 };

	if (ftrace_hints_find(f, &lines) > 0)
		for (int i = 0; i < lines.nr; i++)
			st_warn("%s", lines.items[i]);
	strlist_free(&lines);
}
