// SPDX-License-Identifier: LGPL-2.1
/*
 * record -x PATH -g PATTERN: user call-graph probes (record_ucalls.h).
 */
#include "record/record_ucalls.h"
#include "elf/elfsym.h"
#include "elf/ldsearch.h"
#include "probe/probe.h"
#include "record/record_targets.h"
#include "record/record_ftrace.h"
#include "tracedat/tracedat.h"
#include "tracefs/tracefs_names.h"
#include "tracefs/tracefs_undo.h"
#include "elf/ucall.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tracefs.h>

/* ------------------------------------------------------------------------- */
/* Options */

int record_ucall_parse(struct record_ucall_opts *u, int c, const char *arg)
{
	struct record_ucall_group *g;
	char *end;

	switch (c) {
	case 'x':
		if (!*arg) {
			st_set_error("-x needs a program or library");
			return -1;
		}
		u->groups = xrealloc(u->groups, (u->nr_groups + 1) * sizeof(*u->groups));
		g = &u->groups[u->nr_groups++];
		memset(g, 0, sizeof(*g));
		g->path = xstrdup(arg);
		return 0;
	case 'g':
	case 'n':
		if (!u->nr_groups)
			return 1;	/* the kernel's -g/-n */
		g = &u->groups[u->nr_groups - 1];
		if (!*arg) {
			st_set_error("-%c needs a function pattern", c);
			return -1;
		}
		strlist_add(c == 'g' ? &g->patterns : &g->notrace, arg);
		return 0;
	case RECORD_OPT_MAX_PROBES:
		errno = 0;
		u->max_probes = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || errno || !u->max_probes ||
		    u->max_probes > 1000000) {
			st_set_error("--max-probes: '%s' is not a number of probes (1-1000000)",
				     arg);
			return -1;
		}
		return 0;
	default:
		return 1;
	}
}

int record_ucall_check_options(const struct record_ucall_opts *u)
{
	for (int i = 0; i < u->nr_groups; i++) {
		if (!u->groups[i].patterns.nr) {
			st_set_error("-x %s needs at least one -g PATTERN after it (the functions "
				     "to graph, e.g. -g '*')", u->groups[i].path);
			return -1;
		}
	}
	if (u->max_probes && !u->nr_groups) {
		st_set_error("--max-probes needs -x PATH -g PATTERN");
		return -1;
	}
	return 0;
}

bool record_ucall_wanted(const struct record_ucall_opts *u)
{
	return u->nr_groups > 0;
}

void record_ucall_opts_free(struct record_ucall_opts *u)
{
	for (int i = 0; i < u->nr_groups; i++) {
		free(u->groups[i].path);
		strlist_free(&u->groups[i].patterns);
		strlist_free(&u->groups[i].notrace);
	}
	free(u->groups);
	memset(u, 0, sizeof(*u));
}

/* ------------------------------------------------------------------------- */
/* Choosing the functions */

struct record_ucalls {
	struct ucall_table table;
	uint64_t *offsets;	/* per function id: its file offset */
};

int record_ucalls_nr_funcs(const struct record_ucalls *ru)
{
	return ru->table.nr_funcs;
}

void record_ucalls_free(struct record_ucalls *ru)
{
	if (!ru)
		return;
	ucall_table_free(&ru->table);
	free(ru->offsets);
	free(ru);
}

/*
 * Entry points with no return address on the stack: a return probe would
 * overwrite what is there (argc for _start) and break the program.
 */
static bool never_probe(const char *name)
{
	static const char *const names[] = {
		"_start", "_dl_start_user", "__restore_rt", "_dl_runtime_resolve_xsave",
		"_dl_runtime_resolve_xsavec", "_dl_runtime_resolve_fxsave",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

struct compiled_group {
	struct ucall_pattern **match;
	int nr_match;
	struct ucall_pattern **skip;
	int nr_skip;
	int *hits;		/* per -g pattern */
};

static void free_compiled(struct compiled_group *cg)
{
	for (int i = 0; i < cg->nr_match; i++)
		ucall_pattern_free(cg->match[i]);
	for (int i = 0; i < cg->nr_skip; i++)
		ucall_pattern_free(cg->skip[i]);
	free(cg->match);
	free(cg->skip);
	free(cg->hits);
}

static int compile_list(const struct strlist *l, struct ucall_pattern ***out, int *nr)
{
	*out = xcalloc(l->nr ? l->nr : 1, sizeof(**out));
	for (*nr = 0; *nr < l->nr; (*nr)++) {
		(*out)[*nr] = ucall_pattern_new(l->items[*nr]);
		if (!(*out)[*nr])
			return -1;
	}
	return 0;
}

static int compile_group(const struct record_ucall_group *g, struct compiled_group *cg)
{
	memset(cg, 0, sizeof(*cg));
	cg->hits = xcalloc(g->patterns.nr ? g->patterns.nr : 1, sizeof(int));
	if (compile_list(&g->patterns, &cg->match, &cg->nr_match) < 0 ||
	    compile_list(&g->notrace, &cg->skip, &cg->nr_skip) < 0) {
		char *msg = xasprintf("-x %s: %s", g->path, st_last_error());

		st_set_error("%s", msg);
		free(msg);
		return -1;
	}
	return 0;
}

static bool match_either(const struct ucall_pattern *p, const char *name, const char *demangled)
{
	return ucall_pattern_match(p, name) || (demangled && ucall_pattern_match(p, demangled));
}

/*
 * Whether the function is chosen; counts the -g patterns it matches. A C++ or
 * Rust name matches by its symbol or by its demangled form
 * ("shapes::Circle::*").
 */
static bool chosen(struct compiled_group *cg, const char *name)
{
	char *demangled = strncmp(name, "_Z", 2) ? NULL : ucall_demangle(name);
	bool yes = false;

	for (int i = 0; i < cg->nr_match; i++) {
		if (match_either(cg->match[i], name, demangled)) {
			cg->hits[i]++;
			yes = true;
		}
	}
	for (int i = 0; yes && i < cg->nr_skip; i++)
		if (match_either(cg->skip[i], name, demangled))
			yes = false;
	free(demangled);
	return yes;
}

struct candidate {
	const struct elfsym_sym *sym;
	uint64_t offset;
};

static int by_address(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->sym->value != y->sym->value)
		return x->sym->value < y->sym->value ? -1 : 1;
	/* aliases: the global name first, then by name, for a stable choice */
	if (x->sym->global != y->sym->global)
		return x->sym->global ? -1 : 1;
	return strcmp(x->sym->name, y->sym->name);
}

/* One message per -g pattern that matched nothing, into unmatched. */
static void note_unmatched(const struct record_ucall_group *g, const struct compiled_group *cg,
			   struct elfsym *e, const struct elfsym_sym *syms, int nr,
			   struct strlist *unmatched)
{
	struct strlist names = { 0 };
	char *closest;

	for (int i = 0; i < nr; i++)
		strlist_add(&names, syms[i].name);
	for (int i = 0; i < cg->nr_match; i++) {
		if (cg->hits[i])
			continue;
		closest = ftrace_closest_names(g->patterns.items[i], &names, 3);
		strlist_add_owned(unmatched, xasprintf(
			"-x %s: -g '%s' matches no function%s%s%s%s", g->path,
			g->patterns.items[i], closest && *closest ? " (closest: " : "",
			closest && *closest ? closest : "", closest && *closest ? ")" : "",
			elfsym_stripped(e) ? "; the file is stripped and has no debug file: "
			"only its exported (.dynsym) functions can be seen" : ""));
		free(closest);
	}
	strlist_free(&names);
}

/* Add the chosen functions of one -x group to the table. Returns how many, or -1. */
static int choose_functions(struct record_ucalls *ru, const struct record_ucall_group *g,
			    struct strlist *unmatched)
{
	struct compiled_group cg;
	const struct elfsym_sym *syms;
	struct candidate *cand = NULL;
	struct elfsym *e = NULL;
	char *path = ld_find_file(g->path);
	int nr, nr_cand = 0, added = 0, ret = -1;
	bool exec;

	if (!path) {
		st_set_error("-x %s: no such program or library", g->path);
		return -1;
	}
	if (compile_group(g, &cg) < 0)
		goto out;
	e = elfsym_open(path, NULL);
	if (!e) {
		/* The message starts with the file's path: say it once when -x gave that path. */
		const char *why = st_last_error();
		size_t len = strlen(path);
		char *msg;

		if (!strcmp(g->path, path) && !strncmp(why, path, len) && !strncmp(why + len, ": ", 2))
			why += len + 2;
		msg = xasprintf("-x %s: %s", g->path, why);

		st_set_error("%s", msg);
		free(msg);
		goto out;
	}
	nr = elfsym_functions(e, &syms);
	cand = xcalloc(nr ? nr : 1, sizeof(*cand));
	for (int i = 0; i < nr; i++) {
		const struct elfsym_sym *s = &syms[i];

		if (!chosen(&cg, s->name) || never_probe(s->name) || s->ifunc || !s->value ||
		    strpbrk(s->name, "\t\n"))
			continue;
		if (elfsym_vaddr_to_offset(e, s->value, &cand[nr_cand].offset, &exec) < 0 || !exec)
			continue;
		cand[nr_cand++].sym = s;
	}
	note_unmatched(g, &cg, e, syms, nr, unmatched);
	qsort(cand, nr_cand, sizeof(*cand), by_address);
	for (int i = 0; i < nr_cand; i++) {
		int id;

		if (i && cand[i].sym->value == cand[i - 1].sym->value)
			continue;	/* an alias: one probe per address */
		id = ucall_table_add(&ru->table, path, cand[i].sym->name);
		ru->offsets = xrealloc(ru->offsets, (id + 1) * sizeof(*ru->offsets));
		ru->offsets[id] = cand[i].offset;
		added++;
	}
	ret = added;
out:
	free(cand);
	elfsym_close(e);
	free_compiled(&cg);
	free(path);
	return ret;
}

/* ------------------------------------------------------------------------- */
/* Probes */

static int create_probes(struct record_ucalls *ru, struct st_undo *undo)
{
	const struct ucall_table *t = &ru->table;
	int ret = 0;

	for (int i = 0; i < t->nr_funcs && !ret; i++) {
		for (int r = 0; r < 2 && !ret; r++) {
			const char *event = r ? t->return_event : t->entry_event;
			/* the entry's return address tells a tail call (ucall_report.h) */
			char *line = xasprintf("%c:%s/%s %s:0x%llx id=\\%d:u32 sp=%%sp:x64%s",
					       r ? 'r' : 'p', t->group, event, t->funcs[i].binary,
					       (unsigned long long)ru->offsets[i], i,
					       r ? "" : " ret=+0(%sp):x64");

			ret = probe_add_to_event(undo, false, t->group, event, line, i == 0);
			free(line);
		}
	}
	return ret;
}

static int check_kernel(const char *group)
{
	char *dir = xasprintf("events/%s", group);
	bool exists = tracefs_dir_exists(NULL, dir);

	free(dir);
	if (!tracefs_file_exists(NULL, "uprobe_events")) {
		st_set_error("-x: this kernel has no uprobe events (CONFIG_UPROBE_EVENTS)");
		return -1;
	}
	if (exists) {
		st_set_error("-x: probe group %s exists already (see sidetrace reset)", group);
		return -1;
	}
	return 0;
}

static int check_count(const struct record_ucalls *ru, const struct record_ucall_opts *u)
{
	unsigned long max = u->max_probes ? u->max_probes : UCALL_DEFAULT_MAX_PROBES;
	unsigned long probes = 2UL * ru->table.nr_funcs;

	if (probes > max) {
		st_set_error("-x: the patterns match %d functions, %lu uprobes (an entry and a "
			     "return each), more than --max-probes %lu: narrow them with -g/-n or "
			     "raise --max-probes", ru->table.nr_funcs, probes, max);
		return -1;
	}
	return 0;
}

struct record_ucalls *record_ucalls_setup(struct st_undo *undo, const struct record_ucall_opts *u,
					  struct record_targets *targets, bool quiet)
{
	struct record_ucalls *ru = xcalloc(1, sizeof(*ru));
	struct strlist unmatched = { 0 };

	ru->table.group = st_name(ST_NAME_UCALL_GROUP, getpid());
	ru->table.entry_event = xstrdup(UCALL_ENTRY_EVENT);
	ru->table.return_event = xstrdup(UCALL_RETURN_EVENT);
	if (check_kernel(ru->table.group) < 0)
		goto fail;
	for (int i = 0; i < u->nr_groups; i++)
		if (choose_functions(ru, &u->groups[i], &unmatched) < 0)
			goto fail;
	if (!ru->table.nr_funcs) {
		/* nothing to graph: every pattern's reason, on one line */
		st_set_error("%s", unmatched.nr ? unmatched.items[0] : "-x: no function to probe");
		for (int i = 1; i < unmatched.nr; i++) {
			char *msg = xasprintf("%s; %s", st_last_error(), unmatched.items[i]);

			st_set_error("%s", msg);
			free(msg);
		}
		goto fail;
	}
	for (int i = 0; i < unmatched.nr && !quiet; i++)
		st_warn("%s", unmatched.items[i]);
	if (check_count(ru, u) < 0 || create_probes(ru, undo) < 0)
		goto fail;
	record_targets_add(targets, ru->table.group, ru->table.entry_event, NULL);
	record_targets_add(targets, ru->table.group, ru->table.return_event, NULL);
	/* a process exiting inside calls closes them (report) */
	if (tracefs_event_file_exists(NULL, "sched", "sched_process_exit", "format"))
		record_targets_add(targets, "sched", "sched_process_exit", NULL);
	if (!quiet)
		fprintf(stderr, "Graphing %d user functions (%d uprobes).\n", ru->table.nr_funcs,
			2 * ru->table.nr_funcs);
	strlist_free(&unmatched);
	return ru;
fail:
	strlist_free(&unmatched);
	record_ucalls_free(ru);
	return NULL;
}

/* The functions' names at their addresses of ucall.h, after the kernel's symbols. */
static void add_kallsyms(const struct record_ucalls *ru, struct td_meta *meta)
{
	const struct td_blob *k = &meta->kallsyms;
	char *ours = ucall_table_kallsyms(&ru->table);
	bool newline = k->size && k->data[k->size - 1] != '\n';
	char *text = xasprintf("%.*s%s%s", (int)k->size, k->size ? k->data : "",
			       newline ? "\n" : "", ours);

	td_blob_set(&meta->kallsyms, text, strlen(text));
	free(text);
	free(ours);
}

/* The two events' print fmt names the function (ucall.h), for every reader. */
static void name_in_formats(const struct record_ucalls *ru, struct td_meta *meta)
{
	for (int i = 0; i < meta->nr_systems; i++) {
		struct td_system *sys = &meta->systems[i];

		if (strcmp(sys->name, ru->table.group))
			continue;
		for (int f = 0; f < sys->nr_formats; f++) {
			struct td_blob *b = &sys->formats[f];
			char *named = ucall_format_with_names(b->data, b->size);

			if (!named) {
				st_warn("-x: the format of %s is not laid out as expected: "
					"other readers will print function ids", ru->table.group);
				continue;
			}
			td_blob_set(b, named, strlen(named));
			free(named);
		}
	}
}

void record_ucalls_add_option(const struct record_ucalls *ru, struct td_meta *meta)
{
	char *text = ucall_table_format(&ru->table);

	td_meta_add_option(meta, TD_OPT_UCALLS, text, strlen(text) + 1);
	free(text);
	add_kallsyms(ru, meta);
	name_in_formats(ru, meta);
}
