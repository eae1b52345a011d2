/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The calls in progress of each task, from the stack pointers of the user
 * call records (record -x, ucall.h): the one depth rule that report
 * (lib/report/ucall_report.c: --graph, --profile, exports) and the
 * libtraceevent plugin (plugins/plugin_sidetrace.c: the text trace-cmd and
 * report print) both follow. lib/report/ucall_report.h explains the rule
 * (exact sp matches, longjmp, tail calls). Header-only, with libc only,
 * because the plugin is a shared object that links no code of ours; an
 * allocation failure only stops tracking deeper calls.
 */
#ifndef SIDETRACE_UCALL_STACK_H
#define SIDETRACE_UCALL_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* Calls nested deeper in one task are not tracked (a memory bound). */
#define UCALL_MAX_STACK 1024

/*
 * A return probe records sp after the return address was popped: 8 bytes
 * above its entry's sp (x86-64, the only arch record -x supports).
 */
static inline uint64_t ucall_exit_entry_sp(uint64_t sp)
{
	return sp - 8;
}

struct ucall_frame {
	uint64_t sp;
	uint64_t ret;
	uint64_t ts;
	int func;
};

struct ucall_task {
	int pid;		/* 0 = free slot (pid 0 never runs user code) */
	int depth;
	int cap;
	struct ucall_frame *frames;
};

struct ucall_stacks {
	struct ucall_task *tasks;	/* open addressing on pid */
	int nr_tasks, cap_tasks;
};

static inline unsigned int ucall_pid_hash(int pid, int cap)
{
	return ((unsigned int)pid * 2654435761u) & (cap - 1);
}

static inline bool ucall_stacks_grow(struct ucall_stacks *st)
{
	int cap = st->cap_tasks ? st->cap_tasks * 2 : 64;
	struct ucall_task *tasks = calloc(cap, sizeof(*tasks));

	if (!tasks)
		return false;
	for (int i = 0; i < st->cap_tasks; i++) {
		unsigned int h;

		if (!st->tasks[i].pid)
			continue;
		for (h = ucall_pid_hash(st->tasks[i].pid, cap); tasks[h].pid; h = (h + 1) & (cap - 1))
			;
		tasks[h] = st->tasks[i];
	}
	free(st->tasks);
	st->tasks = tasks;
	st->cap_tasks = cap;
	return true;
}

/* The task's calls; created when create is set, else NULL if it has none. */
static inline struct ucall_task *ucall_stacks_task(struct ucall_stacks *st, int pid, bool create)
{
	unsigned int h;

	if (pid <= 0)
		return NULL;
	if (create && (st->nr_tasks + 1) * 2 > st->cap_tasks && !ucall_stacks_grow(st))
		return NULL;
	if (!st->cap_tasks)
		return NULL;
	for (h = ucall_pid_hash(pid, st->cap_tasks); st->tasks[h].pid;
	     h = (h + 1) & (st->cap_tasks - 1))
		if (st->tasks[h].pid == pid)
			return &st->tasks[h];
	if (!create)
		return NULL;
	st->nr_tasks++;
	st->tasks[h].pid = pid;
	return &st->tasks[h];
}

/*
 * A call starts (sp and ret as the entry probe saw them): its depth (0 =
 * outermost) after dropping the calls it shows are over; it is pushed.
 */
static inline int ucall_stacks_entry(struct ucall_stacks *st, int pid, int func, uint64_t sp,
				     uint64_t ret, uint64_t ts)
{
	struct ucall_task *t = ucall_stacks_task(st, pid, true);

	if (!t)
		return 0;
	/* calls whose frame this one reuses are over (longjmp, lost returns), but a tail call */
	while (t->depth && (t->frames[t->depth - 1].sp < sp ||
			    (t->frames[t->depth - 1].sp == sp && t->frames[t->depth - 1].ret == ret)))
		t->depth--;
	if (t->depth >= UCALL_MAX_STACK)
		return t->depth;
	if (t->depth == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		struct ucall_frame *frames = realloc(t->frames, cap * sizeof(*frames));

		if (!frames)
			return t->depth;
		t->frames = frames;
		t->cap = cap;
	}
	t->frames[t->depth] = (struct ucall_frame){ .sp = sp, .ret = ret, .ts = ts, .func = func };
	return t->depth++;
}

/*
 * A call ends (sp converted back to its entry's, ucall_exit_entry_sp()): the
 * depth of the call it ends, which is popped with the calls above it
 * (*unwound of them, which left without returning); *start = its entry's
 * time. -1 when no open call matches (its entry was not seen).
 */
static inline int ucall_stacks_exit(struct ucall_stacks *st, int pid, int func, uint64_t sp,
				    uint64_t *start, int *unwound)
{
	struct ucall_task *t = ucall_stacks_task(st, pid, false);

	*unwound = 0;
	if (!t)
		return -1;
	for (int d = t->depth - 1; d >= 0; d--) {
		if (t->frames[d].sp != sp || t->frames[d].func != func)
			continue;
		*unwound = t->depth - 1 - d;
		*start = t->frames[d].ts;
		t->depth = d;
		return d;
	}
	return -1;
}

/* How many of the task's calls are open (the depth of its next call). */
static inline int ucall_stacks_open(struct ucall_stacks *st, int pid)
{
	struct ucall_task *t = ucall_stacks_task(st, pid, false);

	return t ? t->depth : 0;
}

/* The task is gone (or its records start over): forget its calls. */
static inline void ucall_stacks_forget(struct ucall_stacks *st, int pid)
{
	struct ucall_task *t = ucall_stacks_task(st, pid, false);

	if (t)
		t->depth = 0;
}

static inline void ucall_stacks_free(struct ucall_stacks *st)
{
	for (int i = 0; i < st->cap_tasks; i++)
		free(st->tasks[i].frames);
	free(st->tasks);
	st->tasks = NULL;
	st->nr_tasks = st->cap_tasks = 0;
}

#endif
