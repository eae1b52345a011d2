// SPDX-License-Identifier: LGPL-2.1
/*
 * User call records: decoding, depth from the stack pointer, text (ucall_report.h).
 */
#include "report/ucall_report.h"
#include "report/fgraph.h"
#include "tracedat/tracedat.h"
#include "elf/ucall.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

/* Calls nested deeper in one task are not tracked (memory bound, as calltree's). */
#define UCALL_MAX_STACK 1024

struct frame {
	uint64_t sp;
	uint64_t ret;
	uint64_t ts;
	int func;
};

struct task_stack {
	int pid;		/* 0 = free slot (pid 0 never runs user code) */
	int depth;
	int cap;
	struct frame *frames;
};

struct ucall_events {
	struct ucall_table table;
	char **names;		/* demangled, per function, made on first use */
	struct tep_handle *tep;
	struct td_iter *iter;
	int entry_id, exit_id;
	struct tep_format_field *entry_func, *entry_sp, *entry_ret, *exit_func, *exit_sp;
	bool registered;
	struct task_stack *tasks;	/* open addressing on pid */
	int nr_tasks, cap_tasks;
};

static int find_fields(struct ucall_events *u)
{
	struct tep_event *ent = tep_find_event_by_name(u->tep, u->table.group,
						       u->table.entry_event);
	struct tep_event *ret = tep_find_event_by_name(u->tep, u->table.group,
						       u->table.return_event);

	if (!ent || !ret)
		return -1;
	u->entry_id = ent->id;
	u->exit_id = ret->id;
	u->entry_func = tep_find_field(ent, "id");
	u->entry_sp = tep_find_field(ent, "sp");
	u->entry_ret = tep_find_field(ent, "ret");	/* optional */
	u->exit_func = tep_find_field(ret, "id");
	u->exit_sp = tep_find_field(ret, "sp");
	return u->entry_func && u->entry_sp && u->exit_func && u->exit_sp ? 0 : -1;
}

struct ucall_events *ucall_events_new(const struct td_meta *meta, struct tep_handle *tep)
{
	const struct td_blob *opt = td_meta_get_option(meta, TD_OPT_UCALLS);
	struct ucall_events *u;

	if (!opt || !opt->size)
		return NULL;
	u = xcalloc(1, sizeof(*u));
	u->tep = tep;
	u->entry_id = u->exit_id = -1;
	if (ucall_table_parse(opt->data, opt->size, &u->table) < 0) {
		free(u);
		return NULL;
	}
	if (find_fields(u) < 0) {
		st_set_error("the user call events %s:%s/%s are missing from this trace.dat",
			     u->table.group, u->table.entry_event, u->table.return_event);
		ucall_events_free(u);
		return NULL;
	}
	u->names = xcalloc(u->table.nr_funcs + 1, sizeof(*u->names));
	return u;
}

static int entry_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			 void *ctx);
static int exit_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			void *ctx);

void ucall_events_free(struct ucall_events *u)
{
	if (!u)
		return;
	if (u->registered) {
		tep_unregister_event_handler(u->tep, u->entry_id, u->table.group,
					     u->table.entry_event, entry_handler, u);
		tep_unregister_event_handler(u->tep, u->exit_id, u->table.group,
					     u->table.return_event, exit_handler, u);
	}
	for (int i = 0; u->names && i < u->table.nr_funcs; i++)
		free(u->names[i]);
	free(u->names);
	for (int i = 0; i < u->cap_tasks; i++)
		free(u->tasks[i].frames);
	free(u->tasks);
	ucall_table_free(&u->table);
	free(u);
}

static int read_field(struct tep_format_field *f, const struct tep_record *rec,
		      unsigned long long *val)
{
	return td_field_number(f, rec, val);
}

int ucall_events_decode(const struct ucall_events *u, const struct tep_record *rec,
			struct ucall_call *call)
{
	int type = tep_data_type(u->tep, (struct tep_record *)rec);
	unsigned long long func, sp, ret = 0;

	if (type != u->entry_id && type != u->exit_id)
		return 0;
	call->is_exit = type == u->exit_id;
	if (read_field(call->is_exit ? u->exit_func : u->entry_func, rec, &func) ||
	    read_field(call->is_exit ? u->exit_sp : u->entry_sp, rec, &sp))
		return -1;
	if (!call->is_exit && u->entry_ret && read_field(u->entry_ret, rec, &ret))
		return -1;
	call->ret = ret;
	call->pid = tep_data_pid(u->tep, (struct tep_record *)rec);
	call->func = func < (unsigned long long)u->table.nr_funcs ? (int)func : -1;
	/* the return address was popped: back to the entry's sp */
	call->sp = call->is_exit ? sp - 8 : sp;
	return 1;
}

const char *ucall_events_func(struct ucall_events *u, int func)
{
	if (func < 0 || func >= u->table.nr_funcs || !*u->table.funcs[func].symbol)
		return "?";
	if (!u->names[func])
		u->names[func] = ucall_demangle(u->table.funcs[func].symbol);
	return u->names[func];
}

/* ------------------------------------------------------------------------- */
/* Depth */

static unsigned int pid_hash(int pid, int cap)
{
	return ((unsigned int)pid * 2654435761u) & (cap - 1);
}

static void grow_tasks(struct ucall_events *u)
{
	struct task_stack *old = u->tasks;
	int old_cap = u->cap_tasks;

	u->cap_tasks = old_cap ? old_cap * 2 : 64;
	u->tasks = xcalloc(u->cap_tasks, sizeof(*u->tasks));
	for (int i = 0; i < old_cap; i++) {
		unsigned int h;

		if (!old[i].pid)
			continue;
		for (h = pid_hash(old[i].pid, u->cap_tasks); u->tasks[h].pid;
		     h = (h + 1) & (u->cap_tasks - 1))
			;
		u->tasks[h] = old[i];
	}
	free(old);
}

/* The task's stack; created when create is set, else NULL if it has none. */
static struct task_stack *task_stack(struct ucall_events *u, int pid, bool create)
{
	unsigned int h;

	if (pid <= 0)
		return NULL;
	if (create && (u->nr_tasks + 1) * 2 > u->cap_tasks)
		grow_tasks(u);
	if (!u->cap_tasks)
		return NULL;
	for (h = pid_hash(pid, u->cap_tasks); u->tasks[h].pid; h = (h + 1) & (u->cap_tasks - 1))
		if (u->tasks[h].pid == pid)
			return &u->tasks[h];
	if (!create)
		return NULL;
	u->nr_tasks++;
	u->tasks[h].pid = pid;
	return &u->tasks[h];
}

int ucall_depth_entry(struct ucall_events *u, const struct ucall_call *c, uint64_t ts)
{
	struct task_stack *t = task_stack(u, c->pid, true);

	if (!t)
		return 0;
	/* calls whose frame this one reuses are over (longjmp, lost returns), but a tail call */
	while (t->depth && (t->frames[t->depth - 1].sp < c->sp ||
			    (t->frames[t->depth - 1].sp == c->sp &&
			     t->frames[t->depth - 1].ret == c->ret)))
		t->depth--;
	if (t->depth >= UCALL_MAX_STACK)
		return t->depth;
	if (t->depth == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->frames = xrealloc(t->frames, t->cap * sizeof(*t->frames));
	}
	t->frames[t->depth] = (struct frame){
		.sp = c->sp, .ret = c->ret, .ts = ts, .func = c->func,
	};
	return t->depth++;
}

int ucall_depth_exit(struct ucall_events *u, const struct ucall_call *c, uint64_t *start,
		     int *unwound)
{
	struct task_stack *t = task_stack(u, c->pid, false);

	*unwound = 0;
	if (!t)
		return -1;
	for (int d = t->depth - 1; d >= 0; d--) {
		if (t->frames[d].sp != c->sp || t->frames[d].func != c->func)
			continue;
		*unwound = t->depth - 1 - d;
		*start = t->frames[d].ts;
		t->depth = d;
		return d;
	}
	return -1;
}

int ucall_depth_open(struct ucall_events *u, int pid)
{
	struct task_stack *t = task_stack(u, pid, false);

	return t ? t->depth : 0;
}

void ucall_depth_task_exit(struct ucall_events *u, int pid)
{
	struct task_stack *t = task_stack(u, pid, false);

	if (t)
		t->depth = 0;
}

/* ------------------------------------------------------------------------- */
/* Text */

void ucall_events_set_iter(struct ucall_events *u, struct td_iter *it)
{
	if (u)
		u->iter = it;
}

static void print_indent(struct trace_seq *s, int depth)
{
	for (int i = 0; i < depth * 2; i++)
		trace_seq_putc(s, ' ');
}

/* The next record, if it is this entry's own exit: then the call is a leaf. */
static struct tep_record *take_leaf_exit(struct ucall_events *u, const struct ucall_call *c)
{
	struct tep_record *next;
	struct ucall_call n;

	if (!u->iter)
		return NULL;
	next = td_iter_peek(u->iter);
	if (!next || ucall_events_decode(u, next, &n) != 1 || !n.is_exit || n.pid != c->pid ||
	    n.func != c->func || n.sp != c->sp)
		return NULL;
	return td_iter_next(u->iter);
}

static int entry_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			 void *ctx)
{
	struct ucall_events *u = ctx;
	struct tep_record *ret;
	struct ucall_call c;
	uint64_t ts = rec->ts, start;
	int depth, unwound;

	if (ucall_events_decode(u, rec, &c) != 1)
		return trace_seq_putc(s, '!');
	depth = ucall_depth_entry(u, &c, ts);
	/* rec may be gone once the iterator moves: everything needed is read */
	ret = take_leaf_exit(u, &c);
	if (!ret) {
		trace_seq_puts(s, "  ");
		trace_seq_puts(s, "           |  ");
		print_indent(s, depth);
		trace_seq_printf(s, "%s() {", ucall_events_func(u, c.func));
		return 0;
	}
	c.is_exit = true;
	ucall_depth_exit(u, &c, &start, &unwound);	/* pops the leaf's own frame */
	trace_seq_puts(s, fgraph_overhead_mark(ret->ts - ts));
	fgraph_print_duration(s, ret->ts - ts);
	print_indent(s, depth);
	trace_seq_printf(s, "%s();", ucall_events_func(u, c.func));
	return 0;
}

static int exit_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			void *ctx)
{
	struct ucall_events *u = ctx;
	struct ucall_call c;
	uint64_t start = 0;
	int depth, unwound;

	if (ucall_events_decode(u, rec, &c) != 1)
		return trace_seq_putc(s, '!');
	depth = ucall_depth_exit(u, &c, &start, &unwound);
	if (depth < 0) {
		trace_seq_puts(s, "  ");
		trace_seq_puts(s, "           |  ");
		trace_seq_printf(s, "} /* %s: no entry */", ucall_events_func(u, c.func));
		return 0;
	}
	trace_seq_puts(s, fgraph_overhead_mark(rec->ts - start));
	fgraph_print_duration(s, rec->ts - start);
	print_indent(s, depth);
	trace_seq_putc(s, '}');
	if (unwound)
		trace_seq_printf(s, " /* %d unfinished call%s above */", unwound,
				 unwound > 1 ? "s" : "");
	return 0;
}

int ucall_events_register_printer(struct ucall_events *u)
{
	if (tep_register_event_handler(u->tep, u->entry_id, u->table.group, u->table.entry_event,
				       entry_handler, u) < 0 ||
	    tep_register_event_handler(u->tep, u->exit_id, u->table.group,
				       u->table.return_event, exit_handler, u) < 0) {
		st_set_error("cannot install the user call printer");
		return -1;
	}
	u->registered = true;
	return 0;
}
