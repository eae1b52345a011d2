/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The two views of a call tree (calltree.h): `report --graph` and
 * `report --profile`. Both write text to a FILE* and are deterministic.
 *
 * Times use 10 columns, "%3u.%03u UU" with UU one of "us", "ms", " s", scaled
 * so the integer part stays below 1000 (truncated, not rounded): 523 ns is
 * "  0.523 us", 2579 ns "  2.579 us", 10 100 000 ns " 10.100 ms". From 1000 s
 * on the seconds just take more digits (no minutes or hours).
 *
 * If events were lost, both views start with one line per CPU:
 *   # lost events on CPU 1: 12; calls marked [lost events] may be incomplete
 * ("unknown number" when the count is unknown; "# lost events: 12; ..." for
 * losses reported without a CPU).
 *
 * Graph, per task (sorted by pid), tasks separated by a blank line, or one
 * tree "# all tasks" with merge_tasks:
 *
 *   # task 1234 ls
 *     Total time   Self time       Calls  Function
 *     ==========  ==========  ==========  ====================
 *       2.003 ms    1.851 ms           1  do_sys_open
 *     150.000 us  126.000 us           1  +- do_filp_open
 *      15.000 us   15.000 us           1  |  +- path_openat
 *       9.000 us    9.000 us           1  |  +- slow_leaf
 *       1.234 us    1.234 us           1  +- getname
 *
 * One line per call path: every call of that path is merged (calls, total,
 * self). Top-level calls have no branch mark; children of a node are drawn
 * with "+- " under it, "|  " continuing a parent that has more siblings below.
 * Siblings are sorted by total time, descending, then by name.
 * The idle task is "# task 0 cpu N <idle>"; " [lost events]" ends the header
 * of a task that may miss events. After the name a line may carry:
 *   (unfinished)    its calls were closed without their exit (end of trace,
 *                   task exit, longjmp, lost events); "(N unfinished)" if
 *                   only N of the calls were;
 *   (no entry)      only the exit was seen ("(N no entry)");
 *   [lost events]   events were lost during a call: children may be missing.
 *
 * Profile: one row per function, sorted by total time, descending, then name:
 *
 *     Total time   Self time       Calls    Avg time    Max time  Function
 *     ==========  ==========  ==========  ==========  ==========  ====================
 *       2.003 ms    1.851 ms           1    2.003 ms    2.003 ms  do_sys_open
 *
 * Calls counts every call; Total counts a call only when no outer call of the
 * same function is running in the same task (recursion is not counted twice,
 * as uftrace does); Self counts every call's own time; Avg is
 * Total / Calls; Max is the longest single call. The marks above follow the
 * name. With per_task, one such table per task, each under its "# task" line.
 */
#ifndef SIDETRACE_CALLVIEW_H
#define SIDETRACE_CALLVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "callgraph/calltree.h"

struct callview_opts {
	int max_depth;		/* graph: levels shown, 1 = top-level calls only; 0 = all */
	const char *root;	/* only what runs under this function (its outermost calls,
				 * merged per task); the graph draws it as the top level */
	const int *pids;	/* only these tasks; NULL = all */
	int nr_pids;
	bool per_task;		/* profile: one table per task */
	bool merge_tasks;	/* graph: one tree for all the tasks ("# all tasks"), as
				 * uftrace graph does */
};

/* Format ns into buf (at least CALLVIEW_TIME_LEN + 1 bytes); returns buf. */
#define CALLVIEW_TIME_LEN 10
char *callview_format_time(char *buf, size_t size, uint64_t ns);

/*
 * Write the graph / profile view. opts may be NULL. Returns 0, or -1 with
 * st_set_error() (opts->root names a function no event named, or a write failed).
 */
int callview_graph(FILE *out, const struct calltree *ct, const struct callview_opts *opts);
int callview_profile(FILE *out, const struct calltree *ct, const struct callview_opts *opts);

#endif
