/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `report --format speedscope`: the calls in speedscope's own file format
 * (https://www.speedscope.app/file-format-schema.json), one evented profile
 * per task, the function names shared:
 *
 *   {"$schema":"https://www.speedscope.app/file-format-schema.json",
 *    "name":"trace.dat","exporter":"sidetrace 0.1.0","activeProfileIndex":0,
 *    "shared":{"frames":[{"name":"do_sys_openat2"},{"name":"getname"}]},
 *    "profiles":[
 *     {"type":"evented","name":"task 1234 ls","unit":"nanoseconds",
 *      "startValue":0,"endValue":45000,"events":[
 *       {"type":"O","frame":0,"at":0},{"type":"O","frame":1,"at":1000},
 *       {"type":"C","frame":1,"at":2300},{"type":"C","frame":0,"at":30000}]}],
 *    "metadata":{"time_origin_ns":500000000000,"calls_moved":0,"calls_lifted":0,
 *                "lost_events":[...]}}
 *
 * A call opens ("O") at its start and closes ("C") at its end as the
 * call-tree builder has them (calltree_observer): for a function_graph call
 * the kernel's calltime and rettime, for a user call its entry and return
 * events, so C - O is exactly the duration --graph counts. Profiles are the
 * tasks in --graph's order, named as its "# task" lines ("task PID [cpu N]
 * COMM", " [lost events]" when the task may miss calls). Times are ns from
 * the earliest call's start (metadata.time_origin_ns, the report's
 * timestamp), the same origin for all tasks; a profile runs from its
 * task's first call to its last (speedscope shows a profile over that
 * span). Events are in time order and nest: a call's events lie between
 * its caller's. To nest, a call whose lagging timestamps overlap its
 * neighbour's is moved (never resized), and a callee longer than what is
 * left of its caller runs after it, under the caller's caller (see place()
 * in the .c). The keys under "metadata" are sidetrace's (the schema allows
 * more keys): the origin, calls_moved and calls_lifted, and lost_events as
 * in --format chrome.
 *
 * Unlike chrome, the file is written at the end: each task's calls are kept
 * (24 bytes a call) because a profile's events must be in time order and a
 * function_graph call's start is known only at its exit.
 */
#ifndef SIDETRACE_EXPORT_SPEEDSCOPE_H
#define SIDETRACE_EXPORT_SPEEDSCOPE_H

#include <stdio.h>

struct calltree;
struct calltree_observer;
struct speedscope;

struct speedscope *speedscope_new(void);
void speedscope_free(struct speedscope *s);	/* NULL is allowed */

/* The call-tree builder's observer (report_calls_hooks.observer). */
const struct calltree_observer *speedscope_observer(struct speedscope *s);

/*
 * The file, once ct is finished. source (the trace file; NULL: none) and
 * lost (what to say of lost events; NULL: none) make its name. 0, or -1 with
 * st_set_error() when the trace has no calls or the write fails.
 */
int speedscope_write(struct speedscope *s, const struct calltree *ct, FILE *out,
		     const char *source, const char *lost);

#endif
