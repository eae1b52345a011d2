/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Saying so when a function given to `record -g` or `-l` never ran.
 *
 * `record -p function_graph -g do_sys_open ls` records nothing on a 6.1
 * kernel, silently: do_sys_open is traceable, but openat reaches
 * do_sys_openat2 without passing through it. So record stores what a hint
 * needs in the file, and record (at its end) and report (after the records)
 * say, for each -g/-l pattern no recorded function matches:
 *
 *   do_sys_open was never called (it may be inlined into its callers on this
 *   kernel, or not be on the workload's path); did you mean do_sys_openat2?
 *
 * The TD_OPT_FTRACE_FUNCS option holds one line per pattern:
 *
 *   KIND NR PATTERN [NAME...]
 *
 * KIND is g (-g) or l (-l); NR is how many traceable functions the pattern
 * matched when recording; the NAMEs are the traceable functions whose names
 * start with the pattern (its part before any glob character) but do not
 * match it, shortest first, at most FTRACE_HINTS_MAX_NAMES. Patterns that
 * cannot be judged (kernel commands with ':', '!' removals) have no line.
 *
 * A pattern ran when a function, function_graph entry or exit record of the
 * file is for a function it matches. The suggested names are those that ran
 * first, then the others, in the stored order.
 */
#ifndef SIDETRACE_FTRACE_HINTS_H
#define SIDETRACE_FTRACE_HINTS_H

#include "util.h"

struct td_file;

#define FTRACE_HINTS_MAX_NAMES 8	/* stored per pattern */
#define FTRACE_HINTS_SHOWN 3		/* named in a hint */

/*
 * The option text for the -g patterns graph and the -l patterns filter,
 * given names, the kernel's traceable functions (available_filter_functions,
 * in any order, duplicates allowed). NULL when no pattern can be judged.
 */
char *ftrace_hints_option(const struct strlist *graph, const struct strlist *filter,
			  const struct strlist *names);

/*
 * Add to lines one hint (without "sidetrace CMD: ") per stored pattern that
 * never ran in f, in the order of the option. None when the file has no such
 * option, when events were lost (the call may be among them), or when a
 * recorded function address cannot be named (no kernel symbols in the file).
 * Returns the number of lines added, or -1 with st_set_error() when the
 * records cannot be read.
 */
int ftrace_hints_find(struct td_file *f, struct strlist *lines);

/* st_warn() each hint of f (nothing on an error: hints are a courtesy). */
void ftrace_hints_warn(struct td_file *f);

#endif
