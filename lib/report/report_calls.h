/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `report --graph` and `report --profile`: a report consumer (report.h) that
 * feeds the function_graph records through the call-tree builder (calltree.h)
 * and prints its views (callview.h) at the end. The exports (export/) use the
 * same builder with their own hooks instead of those views.
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
struct tep_record;

struct report_calls_opts {
	bool graph;		/* --graph */
	bool profile;		/* --profile (after the graph when both) */
	bool per_task;		/* --per-task: one profile per task */
	uint64_t min_duration;	/* --min-duration, ns; 0 = every call */
	int max_depth;		/* --depth, 0 = all */
	const char *root;	/* --root FUNC, or NULL */
};

/*
 * How another view (an export) uses the builder: view() prints the finished
 * tree instead of --graph/--profile; observer, if not NULL, sees every call
 * as it opens and closes (with one, a trace without calls is not an error).
 */
struct report_calls_hooks {
	int (*view)(void *ctx, const struct calltree *ct, FILE *out);
	void *ctx;
	const struct calltree_observer *observer;
};

/* --graph or --profile was asked for. */
bool report_calls_wanted(const struct report_calls_opts *o);

/*
 * Options that only make sense with a view, checked once all are parsed.
 * Returns 0 or -1 with st_set_error().
 */
int report_calls_check_options(const struct report_calls_opts *o);

/*
 * A builder for one report run, printing --graph/--profile, or handing the
 * tree to hooks (NULL: none). o and hooks must outlive it.
 */
struct report_calls *report_calls_new(const struct report_calls_opts *o,
				      const struct report_calls_hooks *hooks);
void report_calls_free(struct report_calls *rc);	/* NULL is allowed */

/* The view to give report_run() (valid while rc lives). */
const struct report_consumer *report_calls_consumer(struct report_calls *rc);

/*
 * tep_data_type() of a record that went through rc's consumer, read at the
 * offset rc resolved once (for the exports' own per-record checks).
 */
int report_calls_record_type(const struct report_calls *rc, struct tep_record *rec);

#endif
