/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Reading user calls (record -x, ucall.h) back from a trace.dat: decoding the
 * ucall_entry/ucall_return records and the call depth of each (the rule
 * itself is in lib/elf/ucall_stack.h, shared with the plugin).
 *
 * Depth from the stack pointer. Each probe also records %sp: at a function's
 * entry it points to the return address, at its uretprobe the return address
 * has been popped (sp + 8). Per task, the calls in progress are a stack of
 * entry sps, so
 *  - an exit is matched to its own entry exactly (sp + 8), and the calls
 *    above it ended without returning (longjmp, exception unwinding);
 *  - an entry whose sp is above an open call's entry sp means that call is
 *    over without a return: it is dropped (longjmp out of it, or one of the
 *    kernel's limits: a task keeps at most 64 nested return probes, deeper
 *    calls get no return event);
 *  - an entry at the same sp is a tail call (F ends with "jmp G": G runs on
 *    F's frame) when the return address it sees differs from F's: F's return
 *    probe replaced it with the kernel's trampoline, and both return events
 *    come when G returns. G is then F's child. The same return address means
 *    F is over (a new call from the same place after a longjmp);
 *  - a process dying inside calls leaves them open until its exit event.
 * A signal handler on an alternate stack (sigaltstack) breaks the sp order:
 * its calls may close the interrupted ones early.
 */
#ifndef SIDETRACE_UCALL_REPORT_H
#define SIDETRACE_UCALL_REPORT_H

#include <stdbool.h>
#include <stdint.h>

struct td_meta;
struct tep_handle;
struct tep_record;

struct ucall_events;

/*
 * The user calls of a file: NULL when it has none (no TD_OPT_UCALLS option)
 * or when the table is damaged (with st_set_error()).
 */
struct ucall_events *ucall_events_new(const struct td_meta *meta, struct tep_handle *tep);
void ucall_events_free(struct ucall_events *u);	/* NULL is allowed */
/*
 * For a file recorded before the names travelled in its function table (the
 * events' print fmt has no "%ps"), the kallsyms lines that name its calls
 * (malloc'ed) for td_add_functions, so the plugin names them too; else NULL.
 */
char *ucall_events_names_for_old_file(const struct ucall_events *u);

struct ucall_call {
	bool is_exit;
	int pid;
	int func;		/* index in the table */
	uint64_t sp;		/* the stack pointer at the entry (exits: converted back) */
	uint64_t ret;		/* entry: the return address on the stack; 0 if unknown */
};

/* 1 and *call filled for a user call record, 0 for any other, -1 if it is damaged. */
int ucall_events_decode(const struct ucall_events *u, const struct tep_record *rec,
			struct ucall_call *call);

/* The function's display name (demangled); "?" for an id not in the table. */
const char *ucall_events_func(struct ucall_events *u, int func);

/*
 * Depth tracking (see above). ucall_depth_entry(): the depth of a new call
 * (0 = outermost) after dropping the calls it shows are over; pushes it.
 * ucall_depth_exit(): the depth of the call this exit ends, and pops it and
 * the calls above it (*unwound of them), *start = its entry timestamp; -1
 * when no open call matches (its entry was not seen).
 */
int ucall_depth_entry(struct ucall_events *u, const struct ucall_call *c, uint64_t ts);
int ucall_depth_exit(struct ucall_events *u, const struct ucall_call *c, uint64_t *start,
		     int *unwound);
/* How many of the task's calls are open (the depth of its next call). */
int ucall_depth_open(struct ucall_events *u, int pid);
/* The task is gone: forget its calls. */
void ucall_depth_task_exit(struct ucall_events *u, int pid);

/*
 * Their text in the default report is not ours to print: plugins/plugin_sidetrace.so,
 * which trace-cmd loads too, prints it (Documentation/trace-dat.md 3.1).
 */

#endif
