/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `report --graph` and `report --profile`: a report consumer (report.h) that
 * feeds the function_graph records through the call-tree builder (calltree.h)
 * and prints its views (callview.h) at the end.
 *
 * Each call's time is exactly rettime - calltime of its funcgraph_exit, the
 * duration the function_graph printer shows: the exit is given to the builder
 * at its record's timestamp with the call's start that far before it.
 * sched_process_exit events in the trace close a task's open calls.
 */
#ifndef SIDETRACE_REPORT_CALLS_H
#define SIDETRACE_REPORT_CALLS_H

#include <stdbool.h>
#include <stdint.h>

#include <stdio.h>

struct calltree;
struct calltree_observer;
struct report_consumer;
struct report_calls;

struct report_calls_opts {
	bool graph;		/* --graph */
	bool profile;		/* --profile (after the graph when both) */
	bool per_task;		/* --per-task: one profile per task */
	uint64_t min_duration;	/* --min-duration, ns; 0 = every call */
	int max_depth;		/* --depth, 0 = all */
	const char *root;	/* --root FUNC, or NULL */
	/*
	 * The exports (export_*.h): view() prints the finished tree instead of
	 * --graph/--profile; observer sees every call as it opens and closes
	 * (with one, a trace without calls is not an error).
	 */
	int (*view)(void *ctx, const struct calltree *ct, FILE *out);
	void *view_ctx;
	const struct calltree_observer *observer;
};

/* One of the views was asked for. */
bool report_calls_wanted(const struct report_calls_opts *o);

/*
 * Options that only make sense with a view, checked once all are parsed.
 * Returns 0 or -1 with st_set_error().
 */
int report_calls_check_options(const struct report_calls_opts *o);

/* A builder for one report run; o must outlive it. */
struct report_calls *report_calls_new(const struct report_calls_opts *o);
void report_calls_free(struct report_calls *rc);	/* NULL is allowed */

/* The consumer to put in report_opts.consumer (valid while rc lives). */
const struct report_consumer *report_calls_consumer(struct report_calls *rc);

#endif
