/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `sidetrace record -x PATH -g PATTERN [-n PATTERN] [--max-probes N]`: user
 * call graphs of an unmodified binary or library, on uprobes (ucall.h).
 *
 * `-x PATH` starts a user group: the -g/-n that follow it name functions of
 * PATH (a glob or /regex/; -n excludes), until the next -x. -g/-n before any
 * -x keep their kernel meaning (set_graph_function / set_ftrace_notrace).
 * Every chosen function gets an entry and a return uprobe, appended to the two
 * events GROUP:ucall_entry / GROUP:ucall_return of the group sidetrace_<pid>,
 * created through the undo list (removed at the end on every path; `sidetrace
 * reset` removes them after a killed record).
 */
#ifndef SIDETRACE_RECORD_UCALLS_H
#define SIDETRACE_RECORD_UCALLS_H

#include <stdbool.h>

#include "util.h"

struct st_undo;
struct td_meta;
struct record_targets;

/* Default of --max-probes: uprobes, two per function. */
#define UCALL_DEFAULT_MAX_PROBES 1000

struct record_ucall_group {
	char *path;			/* -x as given */
	struct strlist patterns;	/* -g */
	struct strlist notrace;		/* -n */
};

struct record_ucall_opts {
	struct record_ucall_group *groups;
	int nr_groups;
	unsigned long max_probes;	/* --max-probes; 0 = the default */
};

/* Option code of --max-probes (above cmd/record_opts.c's and record_ftrace.h's). */
enum { RECORD_OPT_MAX_PROBES = 0x400 };

/*
 * Handle option c: 'x', and 'g'/'n' once an -x was given, and --max-probes.
 * Returns 0, -1 with st_set_error(), or 1 when c is not for this part.
 */
int record_ucall_parse(struct record_ucall_opts *u, int c, const char *arg);
/* Every -x has a -g. 0 or -1 with st_set_error(). */
int record_ucall_check_options(const struct record_ucall_opts *u);
bool record_ucall_wanted(const struct record_ucall_opts *u);
void record_ucall_opts_free(struct record_ucall_opts *u);

struct record_ucalls;

/*
 * Find the functions (.symtab, .dynsym or a build-id debug file), check the
 * patterns and --max-probes, create the probes through undo and add their
 * events (and sched_process_exit) to targets. Patterns that match nothing are
 * reported on stderr (unless quiet) when others did match; nothing matched at
 * all is an error. Returns NULL with st_set_error().
 */
struct record_ucalls *record_ucalls_setup(struct st_undo *undo, const struct record_ucall_opts *u,
					  struct record_targets *targets, bool quiet);
/*
 * Store the function table as the TD_OPT_UCALLS option, and the names where
 * every reader finds them (ucall.h): the kallsyms section and the print fmt of
 * the two events.
 */
void record_ucalls_add_option(const struct record_ucalls *ru, struct td_meta *meta);
void record_ucalls_free(struct record_ucalls *ru);

/* The number of functions probed. */
int record_ucalls_nr_funcs(const struct record_ucalls *ru);

#endif
