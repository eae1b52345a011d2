/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `sidetrace record`'s function tracing: the tracer (-p), the function lists
 * (-g set_graph_function, -l set_ftrace_filter, -n set_ftrace_notrace),
 * --max-graph-depth, trace and tracer options (-O), --func-stack, and the
 * pid files of the function tracers.
 *
 * Everything is applied to sidetrace's own instance where the kernel allows
 * it. Some kernels (6.1) run function_graph (and have set_graph_function,
 * max_graph_depth and the funcgraph-* options) only at the top level: the
 * recording then moves there, says so, and the undo list puts every top-level
 * file back afterwards. Every change goes through the undo list.
 */
#ifndef SIDETRACE_RECORD_FTRACE_H
#define SIDETRACE_RECORD_FTRACE_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

struct st_undo;
struct tracefs_instance;

struct record_ftrace_opts {
	char *tracer;			/* -p; NULL = no tracer (events only) */
	struct strlist graph_funcs;	/* -g: set_graph_function patterns */
	struct strlist filter_funcs;	/* -l: set_ftrace_filter patterns */
	struct strlist notrace_funcs;	/* -n: set_ftrace_notrace patterns */
	unsigned int max_graph_depth;	/* --max-graph-depth; 0 = not given */
	struct strlist options;		/* -O: "OPTION" or "noOPTION", in order */
	bool func_stack;		/* --func-stack: options/func_stack_trace */
};

/* Option codes of the long-only options (above those of cmd/record_opts.c). */
enum {
	RECORD_OPT_MAX_GRAPH_DEPTH = 0x300,
	RECORD_OPT_FUNC_STACK,
};

/*
 * Handle one parsed option c with argument arg. Returns 0, -1 with
 * st_set_error(), or 1 when c is not one of these options.
 */
int record_ftrace_parse(struct record_ftrace_opts *f, int c, const char *arg);

/* Checks between the options once all are parsed. Returns 0 or -1 with st_set_error(). */
int record_ftrace_check_options(const struct record_ftrace_opts *f);

void record_ftrace_opts_free(struct record_ftrace_opts *f);

/* A tracer was asked for: the rest of this file has work to do. */
bool record_ftrace_wanted(const struct record_ftrace_opts *f);

/*
 * Before anything in tracefs changes: the tracer is in available_tracers,
 * every -g/-l/-n pattern matches a function of available_filter_functions
 * (else "no function matches 'x' (closest: a, b, c)"), every -O option exists
 * (with or without a tracer).
 * Returns 0 or -1 with st_set_error().
 */
int record_ftrace_check(const struct record_ftrace_opts *f);

/*
 * Where the recording can run. *inst is sidetrace's new instance, created
 * through u after mark. If the kernel cannot do what f asks in an instance,
 * the instance is removed again (u rolled back to mark), *inst becomes NULL
 * (the top level), the reason is printed unless quiet, and the top level is
 * taken over: it must have no tracer (current_tracer nop) nor events of others, its
 * tracing_on is switched off (through u) and its buffer emptied.
 * Returns 0 or -1 with st_set_error().
 */
int record_ftrace_choose_buffer(struct st_undo *u, int mark, struct tracefs_instance **inst,
				const struct record_ftrace_opts *f, bool quiet);

/*
 * Apply f to inst (NULL = top level) through u: ftrace_enabled (only when a
 * function tracer is asked for and it is 0), the function lists, the graph
 * depth, the options, and last the tracer. Without a tracer, only the -O
 * options (trace options such as stacktrace apply to events too). A tracer the kernel refuses gives
 * "this kernel refuses the function tracer (current_tracer: ...)".
 * Returns 0 or -1 with st_set_error().
 */
int record_ftrace_setup(struct st_undo *u, struct tracefs_instance *inst,
			const struct record_ftrace_opts *f);

/* Which tasks a recording traces, and which never (from -P, -F and --no-filter). */
struct record_ftrace_tasks {
	const pid_t *pids;	/* -P: these processes */
	int nr_pids;
	pid_t command;		/* -F: the command and its descendants; 0 without -F */
	const pid_t *own;	/* sidetrace's recorder threads; NULL with --no-filter */
	int nr_own;
};

/*
 * The function tracers' pid files, as the events get them: set_ftrace_pid =
 * the -P pids, or the -F command with options/function-fork;
 * set_ftrace_notrace_pid = sidetrace itself and its recorder threads unless
 * --no-filter. Nothing without a tracer. Returns 0 or -1 with st_set_error().
 */
int record_ftrace_set_pids(struct st_undo *u, struct tracefs_instance *inst,
			   const struct record_ftrace_opts *f, const struct record_ftrace_tasks *t);

/*
 * Pure helpers, for the unit tests. ftrace_function_names: the names of an
 * available_filter_functions text ("name" or "name [module]" per line; the
 * module part is dropped), in file order, duplicates kept.
 * ftrace_pattern_matches: whether a -g/-l/-n pattern matches a name (globs as
 * the kernel's: *, ?, [...]; a leading '!' is ignored).
 * ftrace_closest_names: up to max names closest to pattern (edit distance,
 * prefix and substring matches first), as "a, b, c" (newly allocated).
 */
void ftrace_function_names(const char *text, struct strlist *out);
bool ftrace_pattern_matches(const char *pattern, const char *name);
char *ftrace_closest_names(const char *pattern, const struct strlist *names, int max);

#endif
