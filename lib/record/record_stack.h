/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * record --stack: a user stack after every event (the instance's
 * userstacktrace option) and a kernel stack after every event but uprobe hits
 * (the stacktrace option, or, when uprobes are among the events, a stacktrace
 * trigger on each other event: a uprobe's kernel stack is only the uprobe
 * handler). At the end, where each recorded uprobe is (tracedat/stack_probes.h),
 * so that report can name the functions of a user stack.
 */
#ifndef SIDETRACE_RECORD_STACK_H
#define SIDETRACE_RECORD_STACK_H

struct record_targets;
struct td_meta;

#include <sys/types.h>

struct st_undo;
struct tracefs_instance;

/* Set it up in inst, through the undo list. 0, or -1 with st_set_error(). */
int record_stack_setup(struct st_undo *u, struct tracefs_instance *inst,
		       const struct record_targets *t);

/*
 * The TD_OPT_STACK_PROBES option for the uprobe events among t (none: nothing),
 * and trace-cmd's PROCMAPS option with the mappings of those of the -P pids that
 * are still alive (read now, from /proc/PID/maps).
 */
void record_stack_add_option(const struct record_targets *t, const pid_t *pids, int nr_pids,
			     struct td_meta *meta);

#endif
