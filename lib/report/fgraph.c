// SPDX-License-Identifier: LGPL-2.1
/*
 * trace-cmd's function_graph text (Documentation/trace-dat.md 2.2), written
 * from the documented behaviour:
 *
 *   nested entry   "  " "           |  " indent "func() {"
 *   leaf           mark duration indent "func();"
 *   exit           mark duration indent "}"
 *
 * -O fgraph:tailprint appends the function name in a C comment after "}" and
 * -O fgraph:depth appends " (depth)". Fields are looked up by name
 * once per file: kernels lay these events out differently.
 */
#include "report/fgraph.h"

#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "tracedat/fgraph_text.h"
#include "tracedat/tracedat.h"
#include "util.h"

#define FGRAPH_INDENT 2

enum { OPT_TAILPRINT, OPT_DEPTH, NR_OPTS };

struct fgraph {
	struct tep_handle *tep;
	struct td_iter *iter;
	int entry_id;			/* -1 when the file has no such event */
	int exit_id;
	struct tep_format_field *ent_func, *ent_depth;
	struct tep_format_field *ret_func, *ret_depth, *ret_calltime, *ret_rettime;
	bool registered;
	bool color;
	/* libtraceevent keeps pointers to these until tep_plugin_remove_options() */
	struct tep_plugin_option opts[NR_OPTS + 1];
};

struct fgraph *fgraph_new(void)
{
	struct fgraph *fg = xcalloc(1, sizeof(*fg));

	fg->entry_id = -1;
	fg->exit_id = -1;
	fg->opts[OPT_TAILPRINT].name = "tailprint";
	fg->opts[OPT_TAILPRINT].plugin_alias = "fgraph";
	fg->opts[OPT_TAILPRINT].description =
		"Print function name at function exit in function graph";
	fg->opts[OPT_DEPTH].name = "depth";
	fg->opts[OPT_DEPTH].plugin_alias = "fgraph";
	fg->opts[OPT_DEPTH].description = "Show the depth of each entry";
	tep_plugin_add_options("fgraph", fg->opts);
	return fg;
}

static int entry_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			 void *ctx);
static int exit_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			void *ctx);

void fgraph_free(struct fgraph *fg)
{
	if (!fg)
		return;
	if (fg->registered) {
		tep_unregister_event_handler(fg->tep, -1, "ftrace", "funcgraph_entry",
					     entry_handler, fg);
		tep_unregister_event_handler(fg->tep, -1, "ftrace", "funcgraph_exit",
					     exit_handler, fg);
	}
	tep_plugin_remove_options(fg->opts);
	free(fg);
}

void fgraph_set_iter(struct fgraph *fg, struct td_iter *it)
{
	fg->iter = it;
}

int fgraph_register(struct fgraph *fg, struct tep_handle *tep)
{
	struct tep_event *ent, *ret;

	fg->tep = tep;
	ent = tep_find_event_by_name(tep, "ftrace", "funcgraph_entry");
	ret = tep_find_event_by_name(tep, "ftrace", "funcgraph_exit");
	if (ent) {
		fg->entry_id = ent->id;
		fg->ent_func = tep_find_field(ent, "func");
		fg->ent_depth = tep_find_field(ent, "depth");
	}
	if (ret) {
		fg->exit_id = ret->id;
		fg->ret_func = tep_find_field(ret, "func");
		fg->ret_depth = tep_find_field(ret, "depth");
		fg->ret_calltime = tep_find_field(ret, "calltime");
		fg->ret_rettime = tep_find_field(ret, "rettime");
	}
	if (!ent && !ret)
		return 0;
	if (tep_register_event_handler(tep, -1, "ftrace", "funcgraph_entry", entry_handler,
				       fg) < 0 ||
	    tep_register_event_handler(tep, -1, "ftrace", "funcgraph_exit", exit_handler,
				       fg) < 0) {
		st_set_error("cannot install the function_graph printer");
		return -1;
	}
	fg->registered = true;
	return 0;
}

void fgraph_set_color(struct fgraph *fg, bool on)
{
	fg->color = on;
}

static const char *duration_color(uint64_t d)
{
	int i = fgraph_overhead_level(d);

	return i < 0 ? NULL : fgraph_overheads[i].color;
}

/* Overhead mark and duration, coloured from the mark to the unit when asked. */
static void print_mark_duration(const struct fgraph *fg, struct trace_seq *s, uint64_t d)
{
	const char *color = fg->color ? duration_color(d) : NULL;

	if (color)
		trace_seq_puts(s, color);
	trace_seq_puts(s, fgraph_overhead_mark(d));
	fgraph_put_duration(s, d, color ? "\033[0m" : NULL);
}

/* A field's value; -1 if the event has no such field or the record is too short. */
static int read_field(struct tep_format_field *f, const struct tep_record *rec,
		      unsigned long long *val)
{
	return td_field_number(f, rec, val);
}

/*
 * The kernel's call depth stays far below FGRAPH_MAX_DEPTH (its return stack
 * is a few dozen calls deep); a corrupt record's depth is cut there, so that
 * one record never prints gigabytes of blanks.
 */
#define FGRAPH_MAX_DEPTH 256

static void print_indent(struct trace_seq *s, unsigned long long depth)
{
	int n = (int)((depth < FGRAPH_MAX_DEPTH ? depth : FGRAPH_MAX_DEPTH) * FGRAPH_INDENT);

	for (int i = 0; i < n; i++)
		trace_seq_putc(s, ' ');
}

static void print_func(struct trace_seq *s, struct tep_handle *tep, unsigned long long addr,
		       const char *suffix)
{
	const char *name = tep_find_function(tep, addr);

	if (name)
		trace_seq_printf(s, "%s%s", name, suffix);
	else
		trace_seq_printf(s, "%llx%s", addr, suffix);
}

static void print_depth_opt(struct fgraph *fg, struct trace_seq *s, unsigned long long depth)
{
	if (fg->opts[OPT_DEPTH].set)
		trace_seq_printf(s, " (%lld)", (long long)depth);
}

/*
 * The record after this entry, if it is the entry's own exit (same pid, same
 * function): then the call is a leaf and the exit is consumed.
 */
static struct tep_record *take_leaf_exit(struct fgraph *fg, int pid, unsigned long long func)
{
	struct tep_record *next;
	unsigned long long val;

	if (!fg->iter || fg->exit_id < 0)
		return NULL;
	next = td_iter_peek(fg->iter);
	if (!next || tep_data_type(fg->tep, next) != fg->exit_id ||
	    tep_data_pid(fg->tep, next) != pid)
		return NULL;
	if (read_field(fg->ret_func, next, &val) || val != func)
		return NULL;
	return td_iter_next(fg->iter);
}

static int entry_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			 void *ctx)
{
	struct fgraph *fg = ctx;
	unsigned long long func, depth, calltime, rettime;
	struct tep_record *ret;
	int pid;

	pid = tep_data_pid(fg->tep, rec);
	if (read_field(fg->ent_func, rec, &func) || read_field(fg->ent_depth, rec, &depth))
		return trace_seq_putc(s, '!');

	/* rec may be gone once the iterator moves: everything needed is read */
	ret = take_leaf_exit(fg, pid, func);
	if (!ret) {
		fgraph_put_no_duration(s);
		print_indent(s, depth);
		print_func(s, fg->tep, func, "() {");
		print_depth_opt(fg, s, depth);
		return 0;
	}

	if (read_field(fg->ret_calltime, ret, &calltime) ||
	    read_field(fg->ret_rettime, ret, &rettime))
		return trace_seq_putc(s, '!');
	print_mark_duration(fg, s, rettime - calltime);
	print_indent(s, depth);
	print_func(s, fg->tep, func, "();");
	print_depth_opt(fg, s, depth);
	return 0;
}

static int exit_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			void *ctx)
{
	struct fgraph *fg = ctx;
	unsigned long long func = 0, depth, calltime, rettime;
	const char *name;

	if (read_field(fg->ret_calltime, rec, &calltime) ||
	    read_field(fg->ret_rettime, rec, &rettime))
		return trace_seq_putc(s, '!');
	print_mark_duration(fg, s, rettime - calltime);
	if (read_field(fg->ret_depth, rec, &depth))
		return trace_seq_putc(s, '!');
	read_field(fg->ret_func, rec, &func);
	print_indent(s, depth);
	trace_seq_putc(s, '}');
	if (fg->opts[OPT_TAILPRINT].set && fg->ret_func) {
		name = tep_find_function(fg->tep, func);
		if (name)
			trace_seq_printf(s, " /* %s */", name);
	}
	print_depth_opt(fg, s, depth);
	return 0;
}

int fgraph_decode(const struct fgraph *fg, const struct tep_record *rec,
		  struct fgraph_call *call)
{
	unsigned long long func, depth, calltime = 0, rettime = 0;
	int type;

	if (!fg->tep)
		return 0;
	type = tep_data_type(fg->tep, (struct tep_record *)rec);
	if (type == fg->entry_id && fg->entry_id >= 0) {
		if (read_field(fg->ent_func, rec, &func) || read_field(fg->ent_depth, rec, &depth))
			return -1;
		call->is_exit = false;
	} else if (type == fg->exit_id && fg->exit_id >= 0) {
		if (read_field(fg->ret_func, rec, &func) || read_field(fg->ret_depth, rec, &depth) ||
		    read_field(fg->ret_calltime, rec, &calltime) ||
		    read_field(fg->ret_rettime, rec, &rettime))
			return -1;
		call->is_exit = true;
	} else {
		return 0;
	}
	call->pid = tep_data_pid(fg->tep, (struct tep_record *)rec);
	call->func = func;
	call->depth = (int)depth;
	call->calltime = calltime;
	call->rettime = rettime;
	return 1;
}

const char *fgraph_func_name(const struct fgraph *fg, uint64_t addr)
{
	return fg->tep ? tep_find_function(fg->tep, addr) : NULL;
}
