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

#include "report/report_fmt.h"
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

/* ------------------------------------------------------------------------- */
/*
 * A line is decoded first (fields, leaf lookahead, names), then written into
 * a buffer of at most line_max() bytes: the tep handlers copy it into their
 * trace_seq, fgraph_print_line() writes it straight into the report's output.
 */

/*
 * The kernel's call depth stays far below FGRAPH_MAX_DEPTH (its return stack
 * is a few dozen calls deep); a corrupt record's depth is cut there, so that
 * one record never prints gigabytes of blanks.
 */
#define FGRAPH_MAX_DEPTH 256

enum line_kind {
	LINE_BAD,		/* "!": a field is missing or the record is short */
	LINE_NESTED,		/* "func() {" */
	LINE_LEAF,		/* "func();" with its duration */
	LINE_EXIT,		/* "}" with its duration */
	LINE_EXIT_BAD,		/* the exit's duration, then "!" (no depth) */
};

struct fg_line {
	enum line_kind kind;
	unsigned long long func, depth, duration;
	const char *name;	/* the function's (exit: only with tailprint); NULL: unnamed */
};

/* A field's value; -1 if the event has no such field or the record is too short. */
static int read_field(struct tep_format_field *f, const struct tep_record *rec,
		      unsigned long long *val)
{
	return td_field_number(f, rec, val);
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

static void decode_entry(struct fgraph *fg, struct tep_record *rec, struct fg_line *l)
{
	unsigned long long calltime, rettime;
	struct tep_record *ret;
	int pid = tep_data_pid(fg->tep, rec);

	l->kind = LINE_BAD;
	if (read_field(fg->ent_func, rec, &l->func) || read_field(fg->ent_depth, rec, &l->depth))
		return;
	/* rec may be gone once the iterator moves: everything needed is read */
	ret = take_leaf_exit(fg, pid, l->func);
	l->name = tep_find_function(fg->tep, l->func);
	if (!ret) {
		l->kind = LINE_NESTED;
		return;
	}
	if (read_field(fg->ret_calltime, ret, &calltime) ||
	    read_field(fg->ret_rettime, ret, &rettime))
		return;
	l->duration = rettime - calltime;
	l->kind = LINE_LEAF;
}

static void decode_exit(struct fgraph *fg, struct tep_record *rec, struct fg_line *l)
{
	unsigned long long calltime, rettime;

	l->kind = LINE_BAD;
	l->func = 0;
	l->name = NULL;
	if (read_field(fg->ret_calltime, rec, &calltime) ||
	    read_field(fg->ret_rettime, rec, &rettime))
		return;
	l->duration = rettime - calltime;
	l->kind = LINE_EXIT_BAD;
	if (read_field(fg->ret_depth, rec, &l->depth))
		return;
	l->kind = LINE_EXIT;
	read_field(fg->ret_func, rec, &l->func);
	if (fg->opts[OPT_TAILPRINT].set && fg->ret_func)
		l->name = tep_find_function(fg->tep, l->func);
}

/* The most bytes put_line() writes for l. */
static size_t line_max(const struct fg_line *l)
{
	return 128 + FGRAPH_MAX_DEPTH * FGRAPH_INDENT + (l->name ? strlen(l->name) : 20) + 48;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *put_blanks(char *p, int n)
{
	memset(p, ' ', n > 0 ? n : 0);
	return p + (n > 0 ? n : 0);
}

static char *put_hex(char *p, unsigned long long v)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* " (%lld)" */
static char *put_signed(char *p, long long v)
{
	if (v < 0) {
		*p++ = '-';
		return report_put_u64(p, -(unsigned long long)v);
	}
	return report_put_u64(p, v);
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
static char *put_mark_duration(const struct fgraph *fg, char *p, uint64_t d)
{
	const char *color = fg->color ? duration_color(d) : NULL;

	if (color)
		p = put_str(p, color);
	p = put_str(p, fgraph_overhead_mark(d));
	return fgraph_write_duration(p, d, color ? "\033[0m" : NULL);
}

static char *put_indent(char *p, unsigned long long depth)
{
	return put_blanks(p, (int)((depth < FGRAPH_MAX_DEPTH ? depth : FGRAPH_MAX_DEPTH) *
				   FGRAPH_INDENT));
}

static char *put_func(char *p, const struct fg_line *l, const char *suffix)
{
	p = l->name ? put_str(p, l->name) : put_hex(p, l->func);
	return put_str(p, suffix);
}

static char *put_depth_opt(const struct fgraph *fg, char *p, unsigned long long depth)
{
	if (!fg->opts[OPT_DEPTH].set)
		return p;
	p = put_str(p, " (");
	p = put_signed(p, (long long)depth);
	*p++ = ')';
	return p;
}

static char *put_line(const struct fgraph *fg, char *p, const struct fg_line *l)
{
	switch (l->kind) {
	case LINE_BAD:
		*p++ = '!';
		return p;
	case LINE_NESTED:
		p = put_str(p, FGRAPH_NO_DURATION);
		p = put_indent(p, l->depth);
		p = put_func(p, l, "() {");
		return put_depth_opt(fg, p, l->depth);
	case LINE_LEAF:
		p = put_mark_duration(fg, p, l->duration);
		p = put_indent(p, l->depth);
		p = put_func(p, l, "();");
		return put_depth_opt(fg, p, l->depth);
	case LINE_EXIT_BAD:
		p = put_mark_duration(fg, p, l->duration);
		*p++ = '!';
		return p;
	case LINE_EXIT:
		p = put_mark_duration(fg, p, l->duration);
		p = put_indent(p, l->depth);
		*p++ = '}';
		if (l->name) {
			p = put_str(p, " /* ");
			p = put_str(p, l->name);
			p = put_str(p, " */");
		}
		return put_depth_opt(fg, p, l->depth);
	}
	return p;
}

static int handler_output(struct fgraph *fg, struct trace_seq *s, const struct fg_line *l)
{
	char stack[1024], *buf = stack, *end;
	size_t max = line_max(l);

	if (max > sizeof(stack))
		buf = xmalloc(max);
	end = put_line(fg, buf, l);
	*end = '\0';	/* the line holds no NUL: names are C strings */
	trace_seq_puts(s, buf);
	if (buf != stack)
		free(buf);
	return 0;
}

static int entry_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			 void *ctx)
{
	struct fg_line l;

	decode_entry(ctx, rec, &l);
	return handler_output(ctx, s, &l);
}

static int exit_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			void *ctx)
{
	struct fg_line l;

	decode_exit(ctx, rec, &l);
	return handler_output(ctx, s, &l);
}

bool fgraph_prints(const struct fgraph *fg, const struct tep_event *ev)
{
	return fg->registered && (ev->id == fg->entry_id || ev->id == fg->exit_id);
}

void fgraph_print_line(struct fgraph *fg, struct td_iter *it, struct tep_record *rec,
		       const struct tep_event *ev, struct report_out *out)
{
	struct fg_line l;
	char *p;

	fg->iter = it;
	if (ev->id == fg->entry_id)
		decode_entry(fg, rec, &l);
	else
		decode_exit(fg, rec, &l);
	p = report_out_reserve(out, line_max(&l) + 1);
	p = put_line(fg, p, &l);
	*p++ = '\n';
	report_out_commit(out, p);
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
