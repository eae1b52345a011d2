// SPDX-License-Identifier: LGPL-2.1
/*
 * trace-cmd's function_graph text (Documentation/trace-dat.md 2.2), written
 * from the documented behaviour:
 *
 *   nested entry   "  " "           |  " indent "func() {"
 *   leaf           mark duration indent "func();"
 *   exit           mark duration indent "}"
 *
 * -O fgraph:tailprint appends the function name in a C comment after "}" (an
 * exit it cannot name ends at the "}") and -O fgraph:depth appends " (depth)".
 * Fields are looked up by name once per file: kernels lay these events out
 * differently.
 */
#include "report/fgraph.h"

#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "report/report_field.h"
#include "report/report_fmt.h"
#include "tracedat/fgraph_text.h"
#include "tracedat/tracedat.h"
#include "util.h"

#define FGRAPH_INDENT 2

/*
 * Function names by address, direct-mapped: a trace calls the same few
 * thousand functions over and over, and each kallsyms lookup is a binary
 * search (the name and its length are kept).
 */
#define NAME_SLOTS 8192		/* a power of two */

struct name_slot {
	uint64_t addr;
	const char *name;	/* NULL: kallsyms has no function there */
	uint32_t len;
	bool used;
};

enum { OPT_TAILPRINT, OPT_DEPTH, NR_OPTS };

struct fgraph {
	struct tep_handle *tep;
	struct td_iter *iter;
	int entry_id;			/* -1 when the file has no such event */
	int exit_id;
	/* resolved once per file (report_field.h); size 0 = missing */
	struct report_field ent_func, ent_depth;
	struct report_field ret_func, ret_depth, ret_calltime, ret_rettime;
	struct report_common common;	/* where tep_data_type/pid read */
	struct name_slot *names;	/* NAME_SLOTS, made by fgraph_register() */
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
	st_sparse_free(fg->names, NAME_SLOTS * sizeof(*fg->names));
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
		fg->ent_func = report_field_of(tep, tep_find_field(ent, "func"));
		fg->ent_depth = report_field_of(tep, tep_find_field(ent, "depth"));
	}
	if (ret) {
		fg->exit_id = ret->id;
		fg->ret_func = report_field_of(tep, tep_find_field(ret, "func"));
		fg->ret_depth = report_field_of(tep, tep_find_field(ret, "depth"));
		fg->ret_calltime = report_field_of(tep, tep_find_field(ret, "calltime"));
		fg->ret_rettime = report_field_of(tep, tep_find_field(ret, "rettime"));
	}
	fg->common = report_common_of(tep);
	if (!ent && !ret)
		return 0;
	/* every file has these formats: the table's pages come with use */
	fg->names = st_sparse_alloc(NAME_SLOTS * sizeof(*fg->names));
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
 * Per record: fields read at offsets resolved once, names from the cache, the
 * lookahead's record looked at where the iterator keeps it, no allocation.
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
	uint64_t func, depth, duration;
	const char *name;	/* the function's (exit: only with tailprint); NULL: unnamed */
	uint32_t name_len;
	bool tail_cut;		/* exit: nothing after '}' (tailprint found no name) */
};

/* The hash of a function address: its low bits are mostly alignment. */
static inline unsigned int name_slot_of(uint64_t addr)
{
	return (unsigned int)((addr * 0x9e3779b97f4a7c15ULL) >> 40) & (NAME_SLOTS - 1);
}

unsigned int fgraph_name_slot(uint64_t addr)
{
	return name_slot_of(addr);
}

/* l->name and l->name_len for l->func: tep_find_function(), remembered. */
static void find_name(struct fgraph *fg, struct fg_line *l)
{
	struct name_slot *s;

	if (!fg->names) {	/* not registered: only the decoders run */
		l->name = tep_find_function(fg->tep, l->func);
		l->name_len = l->name ? strlen(l->name) : 0;
		return;
	}
	s = &fg->names[name_slot_of(l->func)];
	if (!s->used || s->addr != l->func) {
		s->name = tep_find_function(fg->tep, l->func);
		s->len = s->name ? strlen(s->name) : 0;
		s->addr = l->func;
		s->used = true;
	}
	l->name = s->name;
	l->name_len = s->len;
}

/*
 * The record after this entry, if it is the entry's own exit (same pid, same
 * function): then the call is a leaf and the exit is consumed. The peeked
 * record is looked at in place (the iterator keeps it; nothing is copied).
 */
static struct tep_record *take_leaf_exit(struct fgraph *fg, int pid, uint64_t func)
{
	struct tep_record *next;
	uint64_t val;

	if (!fg->iter || fg->exit_id < 0)
		return NULL;
	next = td_iter_peek(fg->iter);
	if (!next || report_record_type(&fg->common, next) != fg->exit_id ||
	    report_record_pid(&fg->common, next) != pid)
		return NULL;
	if (!report_field_read(&fg->ret_func, next, &val) || val != func)
		return NULL;
	return td_iter_next(fg->iter);
}

static void decode_entry(struct fgraph *fg, struct tep_record *rec, struct fg_line *l)
{
	uint64_t calltime, rettime;
	struct tep_record *ret;
	int pid = report_record_pid(&fg->common, rec);

	l->kind = LINE_BAD;
	if (!report_field_read(&fg->ent_func, rec, &l->func) ||
	    !report_field_read(&fg->ent_depth, rec, &l->depth))
		return;
	/* rec may be gone once the iterator moves: everything needed is read */
	ret = take_leaf_exit(fg, pid, l->func);
	find_name(fg, l);
	if (!ret) {
		l->kind = LINE_NESTED;
		return;
	}
	if (!report_field_read(&fg->ret_calltime, ret, &calltime) ||
	    !report_field_read(&fg->ret_rettime, ret, &rettime))
		return;
	l->duration = rettime - calltime;
	l->kind = LINE_LEAF;
}

static void decode_exit(struct fgraph *fg, struct tep_record *rec, struct fg_line *l)
{
	uint64_t calltime, rettime;

	l->kind = LINE_BAD;
	l->func = 0;
	l->name = NULL;
	l->tail_cut = false;
	if (!report_field_read(&fg->ret_calltime, rec, &calltime) ||
	    !report_field_read(&fg->ret_rettime, rec, &rettime))
		return;
	l->duration = rettime - calltime;
	l->kind = LINE_EXIT_BAD;
	if (!report_field_read(&fg->ret_depth, rec, &l->depth))
		return;
	l->kind = LINE_EXIT;
	if (!fg->opts[OPT_TAILPRINT].set)
		return;
	/* trace-cmd ends the line at '}' when it cannot name the function: no depth either */
	if (!report_field_read(&fg->ret_func, rec, &l->func)) {
		l->tail_cut = true;
		return;
	}
	find_name(fg, l);
	l->tail_cut = !l->name;
}

/* The most bytes put_line() writes for l. */
static size_t line_max(const struct fg_line *l)
{
	return 128 + FGRAPH_MAX_DEPTH * FGRAPH_INDENT + (l->name ? l->name_len : 20) + 48;
}

static char *put_hex(char *p, uint64_t v)
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

/* "%lld" */
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

/* Overhead mark and duration, coloured from the mark to the unit when asked. */
static char *put_mark_duration(const struct fgraph *fg, char *p, uint64_t d)
{
	int level = fgraph_overhead_level(d);
	const char *color = fg->color && level >= 0 ? fgraph_overheads[level].color : NULL;

	if (color) {
		size_t n = strlen(color);

		memcpy(p, color, n);
		p += n;
	}
	/* every mark is two characters (fgraph_text.h) */
	memcpy(p, level < 0 ? "  " : fgraph_overheads[level].mark, 2);
	return fgraph_write_duration(p + 2, d, color ? "\033[0m" : NULL);
}

static char *put_indent(char *p, uint64_t depth)
{
	size_t n = (depth < FGRAPH_MAX_DEPTH ? depth : FGRAPH_MAX_DEPTH) * FGRAPH_INDENT;

	memset(p, ' ', n);
	return p + n;
}

static char *put_func(char *p, const struct fg_line *l)
{
	if (!l->name)
		return put_hex(p, l->func);
	memcpy(p, l->name, l->name_len);
	return p + l->name_len;
}

static char *put_depth_opt(const struct fgraph *fg, char *p, uint64_t depth)
{
	if (!fg->opts[OPT_DEPTH].set)
		return p;
	*p++ = ' ';
	*p++ = '(';
	p = put_signed(p, (long long)depth);
	*p++ = ')';
	return p;
}

#define PUT_CONST(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

static char *put_line(const struct fgraph *fg, char *p, const struct fg_line *l)
{
	switch (l->kind) {
	case LINE_BAD:
		*p++ = '!';
		return p;
	case LINE_NESTED:
		p = PUT_CONST(p, FGRAPH_NO_DURATION);
		p = put_indent(p, l->depth);
		p = put_func(p, l);
		p = PUT_CONST(p, "() {");
		return put_depth_opt(fg, p, l->depth);
	case LINE_LEAF:
		p = put_mark_duration(fg, p, l->duration);
		p = put_indent(p, l->depth);
		p = put_func(p, l);
		p = PUT_CONST(p, "();");
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
			p = PUT_CONST(p, " /* ");
			memcpy(p, l->name, l->name_len);
			p = PUT_CONST(p + l->name_len, " */");
		}
		return l->tail_cut ? p : put_depth_opt(fg, p, l->depth);
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
	uint64_t func, depth, calltime = 0, rettime = 0;
	struct tep_record *r = (struct tep_record *)rec;
	int type;

	if (!fg->tep)
		return 0;
	type = report_record_type(&fg->common, r);
	if (type == fg->entry_id && fg->entry_id >= 0) {
		if (!report_field_read(&fg->ent_func, rec, &func) ||
		    !report_field_read(&fg->ent_depth, rec, &depth))
			return -1;
		call->is_exit = false;
	} else if (type == fg->exit_id && fg->exit_id >= 0) {
		if (!report_field_read(&fg->ret_func, rec, &func) ||
		    !report_field_read(&fg->ret_depth, rec, &depth) ||
		    !report_field_read(&fg->ret_calltime, rec, &calltime) ||
		    !report_field_read(&fg->ret_rettime, rec, &rettime))
			return -1;
		call->is_exit = true;
	} else {
		return 0;
	}
	call->pid = report_record_pid(&fg->common, r);
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
