/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `report --format chrome`: the Trace Event Format that ui.perfetto.dev and
 * chrome://tracing open, streamed as the records come (memory holds only
 * the open calls of each task and one small entry per task).
 *
 *   {"displayTimeUnit":"ns","traceEvents":[
 *   {"ph":"M","name":"process_name","pid":1234,"tid":1234,"args":{"name":"ls"}},
 *   {"ph":"M","name":"thread_name","pid":1234,"tid":1234,"args":{"name":"ls"}},
 *   {"ph":"X","name":"do_sys_open","cat":"call","pid":1234,"tid":1234,"ts":500000000.000,
 *    "dur":2.003,"args":{"duration_ns":2003}},
 *   {"ph":"i","s":"t","name":"sched_switch","cat":"sched","pid":...,"args":{"prev_comm":"ls",...}},
 *   ...
 *   ]}
 *
 * Calls are what the call-tree builder (calltree.h) opens and closes, whoever
 * feeds it (kernel function_graph, user-space calls): one complete event
 * ("X") when a call is closed, from the call's start as the builder has it
 * (a function_graph exit's time minus rettime - calltime; a user call's
 * entry) for exactly the duration --graph counts, repeated in ns as
 * args.duration_ns. X events need no name on a matching end and no order
 * (viewers sort them); they are written as calls end, children first. A call
 * closed without its exit (end of the trace or of --time-range, task exit,
 * lost events) has "unfinished":true in its args; a call seen only by its
 * exit has "no_entry":true.
 *
 * Every other record is an instant event ("i", thread scope) named after the
 * event, its system as "cat", its fields (not the common ones) as "args":
 * numbers as JSON numbers (beyond 2^53, and pointers, as "0x..." strings),
 * kernel code addresses (ip, parent_ip, call_site) as "func+0xoff" from the
 * file's kallsyms, strings as strings, other arrays as "0x" and their bytes in
 * hex (at most 64). An event of a second buffer (-B) has "instance" first in
 * its args.
 * Lost events are a global instant event "lost events" with the CPU and count,
 * and the list of CPUs that lost events ends the file: "metadata":{"lost_events":
 * [{"cpu":1,"count":12}]} (null: not known).
 *
 * ts is in microseconds with 3 decimals (nanosecond precision), the report's
 * timestamps. pid and tid are the thread id (trace.dat does not say which
 * process a thread belongs to), so each task is its own track; the idle task
 * of CPU N is tid 4194304 + N (above any pid), named "<idle>/N". Names are
 * the comms of the trace's saved cmdlines.
 */
#ifndef SIDETRACE_EXPORT_CHROME_H
#define SIDETRACE_EXPORT_CHROME_H

#include <stdio.h>

struct calltree;
struct calltree_observer;
struct report_calls;
struct report_consumer;
struct chrome;

#define CHROME_IDLE_TID 4194304	/* PID_MAX_LIMIT: no task has this id */

/* A converter writing to fd. */
struct chrome *chrome_new(int fd);
void chrome_free(struct chrome *c);	/* NULL is allowed */

/*
 * What c needs to see of the call-tree builder (report_calls_hooks): its
 * observer, and chrome_view() at the end.
 */
const struct calltree_observer *chrome_observer(struct chrome *c);

/*
 * The view for report_run(): every record goes to inner (the consumer of
 * calls, built with c's observer) and the records that are not calls become
 * instant events.
 */
const struct report_consumer *chrome_consumer(struct chrome *c,
					      const struct report_consumer *inner,
					      const struct report_calls *calls);

/* The end of the run, for report_calls_hooks.view: ends the JSON. */
int chrome_view(void *ctx, const struct calltree *ct, FILE *out);

/* Events written so far, per kind, for the tests: B, E, X, i, M. */
void chrome_counts(const struct chrome *c, unsigned long long counts[5]);

#endif
