/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Call trees from function entry/exit events, per task.
 *
 * One builder for kernel function_graph events (funcgraph_entry/funcgraph_exit,
 * which carry a depth and, on exit, the call time) and for user-space uprobe
 * entry/uretprobe events (no depth: pass CT_DEPTH_UNKNOWN). It knows nothing of
 * tep or trace.dat: the caller resolves addresses to names and feeds events in
 * timestamp order.
 *
 * What is kept: per task, a stack of the calls in progress, and a tree of call
 * PATHS (root -> a -> b is one node, however many times it ran) with calls,
 * total, self and maximum time. Memory is bounded by the number of distinct
 * paths (about 150 bytes each), not by the number of events. Per-function
 * profiles are computed from these trees (see callview.h): a node counts
 * towards its function's total only when no ancestor runs the same function,
 * so recursion is not counted twice.
 *
 * A task is a pid (thread id); the per-CPU idle tasks (pid 0) are one task per
 * CPU. A task migrating between CPUs keeps its stack: only the pid matters.
 *
 * Nothing is silently wrong. A call whose end or start had to be guessed is
 * counted in `unfinished` / `no_entry` of its node; a node whose subtree may
 * miss calls because events were lost has `lost` set:
 *
 *  - exit of a frame below the top (longjmp, exception, lost exits): the
 *    frames above it are closed at that time as unfinished;
 *  - entry at a known depth <= the top frame's depth: the frames at that depth
 *    or deeper lost their exits and are closed as unfinished;
 *  - exit that matches no frame: "no entry". With a known depth, open frames
 *    at that depth or deeper are first closed as unfinished (at calltime if
 *    known: they ended before this call began). Then, if the task has nothing
 *    open and every top-level call seen so far in it ran deeper (always, when
 *    the depth is unknown), the trace started inside this function: it wraps
 *    everything seen so far in the task, and its time runs from calltime (or,
 *    unknown, from the task's first event). Otherwise its entry was lost: it
 *    is added under the current frame as a leaf of time ts - calltime (0 when
 *    calltime is unknown);
 *  - calltree_task_exit() and calltree_finish() close what is still open, as
 *    unfinished, at the time given;
 *  - calltree_lost(): every task last seen on that CPU, and the task of the
 *    next event on that CPU, get `lost` on all their open frames' nodes (and
 *    on the task itself).
 */
#ifndef SIDETRACE_CALLTREE_H
#define SIDETRACE_CALLTREE_H

#include <stdbool.h>
#include <stdint.h>

#define CT_DEPTH_UNKNOWN (-1)

/*
 * Calls nested deeper than this in one task are not kept (their exits are
 * matched and dropped); the call at the limit is marked lost. Like uftrace's
 * default --max-stack, it bounds memory when a stream has entries without
 * exits.
 */
#define CT_MAX_STACK 1024

struct calltree;
struct ct_task;

/* How a call was closed (calltree_observer.close). */
enum ct_end {
	CT_END_EXIT,		/* its exit event */
	CT_END_UNFINISHED,	/* closed without an exit */
	CT_END_NO_ENTRY,	/* only its exit was seen: it ran from start to ts */
};

/*
 * Optional: sees every call as the builder opens and closes it, after the
 * repair rules above, in event order (report --format chrome draws its
 * timeline from this). Opens and closes of a task nest properly, except
 * CT_END_NO_ENTRY calls, which were never opened. ts is the event's time (or
 * the time given to calltree_task_exit/finish); start is the call's start.
 */
struct calltree_observer {
	void (*open)(void *ctx, const struct ct_task *t, const char *func, uint64_t ts);
	void (*close)(void *ctx, const struct ct_task *t, const char *func, uint64_t start,
		      uint64_t ts, enum ct_end how);
	void *ctx;
};

struct calltree_opts {
	/*
	 * Calls shorter than this are not counted (their parent's self time
	 * still excludes them). Calls closed artificially, and calls with a
	 * counted call below them, are always counted: no line loses its parent.
	 */
	uint64_t min_duration_ns;
	/*
	 * Exits carry the call's exact start (e.g. the exit's timestamp minus
	 * the kernel's rettime - calltime): always take it, even far before the
	 * entry's timestamp (ring-buffer timestamps of nested events can lag).
	 */
	bool exact_calltime;
	const struct calltree_observer *observer;	/* NULL: none */
};

/* Aggregate of every call of one path. Times in ns. */
struct ct_stats {
	uint64_t calls;
	uint64_t total_ns;	/* inclusive */
	uint64_t self_ns;	/* total minus time in children */
	uint64_t max_ns;	/* the longest single call */
	uint64_t unfinished;	/* calls closed without their exit */
	uint64_t no_entry;	/* calls seen only by their exit */
	bool lost;		/* events were lost while a call was in progress */
};

/* One call path. Read-only for users of the library. */
struct ct_node {
	int func;			/* function id: calltree_func_name(); -1 for a task root */
	struct ct_node *parent;
	struct ct_node *first_child;	/* in order of first call */
	struct ct_node *next_sibling;
	struct ct_node *last_child;
	struct ct_stats st;
	uint32_t serial;		/* unique per builder */
	uint32_t nr_children;
};

/* One task (thread). Read-only for users of the library. */
struct ct_task {
	int pid;
	int cpu;			/* the CPU for the idle task (pid 0), else -1 */
	const char *comm;		/* NULL if never set */
	bool lost;			/* events may be missing in this task */
	struct ct_node *root;		/* a pseudo node: its children are the top-level calls */
	uint32_t serial;		/* creation order: a reused pid is a new task */
};

struct calltree *calltree_new(const struct calltree_opts *opts);	/* opts may be NULL */
void calltree_free(struct calltree *ct);

/* Name a task (comm). Optional; may be called at any time. */
void calltree_set_comm(struct calltree *ct, int pid, const char *comm);

/*
 * Events, in timestamp order. depth: the kernel's funcgraph depth (0 = the
 * outermost traced call) or CT_DEPTH_UNKNOWN. calltime: the entry time the exit
 * event carries (funcgraph_exit's calltime), 0 if unknown. When it is no later
 * than ts and at most 10 us before the matched entry's ts, it is taken as the
 * call's start: with ts = funcgraph_exit's rettime, a call's time is then
 * exactly rettime - calltime, the duration function_graph prints. A calltime
 * on another clock fails that test and only the event timestamps are used.
 */
void calltree_entry(struct calltree *ct, int pid, int cpu, uint64_t ts, const char *func,
		    int depth);
void calltree_exit(struct calltree *ct, int pid, int cpu, uint64_t ts, const char *func,
		   int depth, uint64_t calltime);

/*
 * The same with the function as an id from calltree_intern(): a caller that
 * knows its functions by address resolves each address to an id once
 * (addr_ids.h) instead of giving the name, hashed and compared, per event.
 */
int calltree_intern(struct calltree *ct, const char *name);	/* NULL: "(null)" */
void calltree_entry_id(struct calltree *ct, int pid, int cpu, uint64_t ts, int func, int depth);
void calltree_exit_id(struct calltree *ct, int pid, int cpu, uint64_t ts, int func, int depth,
		      uint64_t calltime);

/*
 * count events were lost on cpu before the next event from that CPU; 0 = unknown
 * count. cpu < 0: the CPU is not known, every task is marked.
 */
void calltree_lost(struct calltree *ct, int cpu, uint64_t count);

/*
 * The task exited (sched_process_exit, or the process died inside a call):
 * its open calls are closed as unfinished at ts; later events of the same
 * pid start a new task (pid reuse).
 */
void calltree_task_exit(struct calltree *ct, int pid, uint64_t ts);

/* End of the trace: close every open call at end_ts (0 = each task's last event). */
void calltree_finish(struct calltree *ct, uint64_t end_ts);

/* ------------------------------------------------------------------------- */
/* Reading the result */

/* Tasks in the order pid, then cpu (idle tasks), then creation. */
int calltree_nr_tasks(const struct calltree *ct);
const struct ct_task *calltree_task(const struct calltree *ct, int index);

int calltree_nr_funcs(const struct calltree *ct);
const char *calltree_func_name(const struct calltree *ct, int func);
/* The id of a function name, or -1 if no event named it. */
int calltree_find_func(const struct calltree *ct, const char *name);

/*
 * Lost events per CPU (for warnings): true if calltree_lost() named this cpu;
 * cpu -1 for the losses reported without a CPU.
 */
int calltree_nr_cpus(const struct calltree *ct);	/* highest CPU seen + 1 */
bool calltree_cpu_lost(const struct calltree *ct, int cpu, uint64_t *count, bool *count_known);

#endif
