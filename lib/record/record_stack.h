/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * record --stack: the trace options stacktrace and userstacktrace are set in
 * the instance like -O's (cmd/record_opts.c adds them); at the end, this
 * stores where each recorded uprobe is (tracedat/stack_probes.h), so that
 * report can name the functions of a user stack.
 */
#ifndef SIDETRACE_RECORD_STACK_H
#define SIDETRACE_RECORD_STACK_H

struct record_targets;
struct td_meta;

#include <sys/types.h>

/*
 * The TD_OPT_STACK_PROBES option for the uprobe events among t (none: nothing),
 * and trace-cmd's PROCMAPS option with the mappings of those of the -P pids that
 * are still alive (read now, from /proc/PID/maps).
 */
void record_stack_add_option(const struct record_targets *t, const pid_t *pids, int nr_pids,
			     struct td_meta *meta);

#endif
