// SPDX-License-Identifier: LGPL-2.1
/*
 * A libtraceevent plugin for the events sidetrace writes itself, so that
 * trace-cmd, KernelShark and `sidetrace report` (which loads the same file)
 * print them alike (Documentation/trace-dat.md 3.1).
 *
 * record --files, the group "sidetrace_files_PID":
 *   path              kind=2 path="/etc/passwd"   ->  open path="/etc/passwd"
 *   any_getname       path="/etc/passwd"          ->  any path="/etc/passwd"
 *   dlopenret_dlopen  ret=0x5581e2a4b2c0          ->  dlopenret handle=0x5581e2a4b2c0
 * The kind names come from lib/fileset/fs_kind.h, the table the analysis uses.
 *
 * record -x, the group "sidetrace_PID": ucall_entry / ucall_return as
 * function_graph lines, "read_builtin() {" and "}" with the call's duration,
 * indented by the call depth. The names are the file's (kallsyms section,
 * lib/elf/ucall.h), demangled; the depth follows the rule of
 * lib/elf/ucall_stack.h from the records seen so far, per task, so it holds
 * when the records come in time order, as report prints them; the last
 * 65536 lines are kept, so that a viewer asking for one again (KernelShark's
 * list, scrolling back) gets the same text. A handler sees one record: a
 * call is never folded into "leaf();" as report's kernel function_graph
 * lines are.
 *
 * libtraceevent matches a handler's system name exactly, and ours carry the
 * recorder's pid, so the handlers are registered by event name and id (see
 * register_all) and check the system themselves: another system's event of
 * the same name loses the handler and prints with its own format. A record
 * too short for its fields prints a note instead of reading past its end.
 */
#include "elf/ucall.h"
#include "elf/ucall_demangle.h"
#include "elf/ucall_stack.h"
#include "fileset/fs_kind.h"
#include "tracedat/fgraph_text.h"
#include "tracefs/tracefs_names.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <trace-seq.h>

/*
 * Handlers registered by name before the file's formats are parsed (as
 * trace-cmd loads plugins) each go to the first event of that name parsed
 * after: so many copies wait, one per group a file may hold.
 */
#define PENDING_COPIES 32

/* Ids of user calls cached with their display names (the table's limit, ucall.c). */
#define MAX_NAMED_IDS 1000000

/*
 * What a user call's line says besides its name: kept for the last lines,
 * because a viewer asks for a line again (KernelShark's list when it scrolls
 * back), and the nesting state has moved on since.
 */
struct ucall_line {
	unsigned long long ts, sp;	/* the record: time, sp, task, event, id */
	int pid, type;
	unsigned int id;
	bool used;
	int depth;			/* -1: an exit whose entry was not seen */
	unsigned long long duration;	/* exits */
	int unwound;			/* exits: calls above it that ended without returning */
};

#define LINE_CACHE_SIZE 65536		/* a power of 2 */

/* What the handlers keep per tep (the handlers' context). */
struct plugin_state {
	struct tep_handle *tep;
	struct ucall_stacks stacks;
	unsigned long long last_ts;	/* records going back in time start the nesting over */
	struct ucall_line *lines;	/* LINE_CACHE_SIZE, allocated with the first user call */
	char **names;			/* per user call id: its display name, made on first use */
	int nr_names;
	struct plugin_state *next;
};

static struct plugin_state *states;

/* prefix followed by a pid: decimal digits and nothing else. */
static bool is_group(const char *system, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!system || strncmp(system, prefix, n) || !system[n])
		return false;
	for (const char *p = system + n; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

static bool is_files_event(const struct tep_event *event)
{
	return is_group(event->system, ST_FILES_GROUP_PREFIX);
}

static bool is_ucall_event(const struct tep_event *event)
{
	return is_group(event->system, ST_UCALL_GROUP_PREFIX);
}

/*
 * An event of another system with one of our names got our handler: give it
 * back its own print format, now and for its next records.
 */
static int print_foreign(struct trace_seq *s, struct tep_record *record, struct tep_event *event,
			 tep_event_handler_func func, void *context)
{
	tep_unregister_event_handler(event->tep, event->id, NULL, NULL, func, context);
	if (event->handler)	/* still one: printing through it would come back here */
		tep_print_fields(s, record->data, record->size, event);
	else
		tep_print_event(event->tep, s, record, "%s", TEP_PRINT_INFO);
	return 0;
}

/* A fixed-size number field of record, within its bounds. */
static bool read_number(struct tep_event *event, struct tep_record *record, const char *name,
			unsigned long long *val)
{
	struct tep_format_field *f = tep_find_field(event, name);

	if (!f || f->size <= 0 || f->size > 8 || f->offset < 0 ||
	    f->offset + f->size > record->size)
		return false;
	*val = tep_read_number(event->tep, (char *)record->data + f->offset, f->size);
	return true;
}

/* A __data_loc string field of record: its start and length (to its NUL), within bounds. */
static bool read_string(struct tep_event *event, struct tep_record *record, const char *name,
			const char **str, int *len)
{
	struct tep_format_field *f = tep_find_field(event, name);
	unsigned long long loc;
	unsigned int off, size;
	const char *p;

	if (!f || !(f->flags & TEP_FIELD_IS_DYNAMIC) || (f->flags & TEP_FIELD_IS_RELATIVE) ||
	    f->size != 4 || f->offset < 0 || f->offset + 4 > record->size)
		return false;
	loc = tep_read_number(event->tep, (char *)record->data + f->offset, 4);
	off = loc & 0xffff;
	size = loc >> 16;
	if (off + size > (unsigned int)record->size)
		return false;
	p = (const char *)record->data + off;
	*str = p;
	*len = strnlen(p, size);
	return true;
}

static void print_truncated(struct trace_seq *s, struct tep_record *record)
{
	trace_seq_printf(s, "<sidetrace record too short: %d bytes>", record->size);
}

static void print_kind(struct trace_seq *s, unsigned long long kind)
{
	const char *name = fs_kind_name((long)kind);

	if (name)
		trace_seq_puts(s, name);
	else
		trace_seq_printf(s, "kind=%llu", kind);
}

static void print_path(struct trace_seq *s, const char *path, int len)
{
	trace_seq_printf(s, " path=\"%.*s\"", len, path);
}

/* The uprobe backend's "path" event: the kind of call and its path argument. */
static int path_handler(struct trace_seq *s, struct tep_record *record, struct tep_event *event,
			void *context)
{
	unsigned long long kind;
	const char *path;
	int len;

	if (!is_files_event(event))
		return print_foreign(s, record, event, path_handler, context);
	if (!read_number(event, record, "kind", &kind) ||
	    !read_string(event, record, "path", &path, &len)) {
		print_truncated(s, record);
		return 0;
	}
	print_kind(s, kind);
	print_path(s, path, len);
	return 0;
}

/* The kprobe backend's getname results: a path of whatever syscall runs. */
static int getname_handler(struct trace_seq *s, struct tep_record *record,
			   struct tep_event *event, void *context)
{
	const char *path;
	int len;

	if (!is_files_event(event))
		return print_foreign(s, record, event, getname_handler, context);
	if (!read_string(event, record, "path", &path, &len)) {
		print_truncated(s, record);
		return 0;
	}
	print_kind(s, FS_K_ANY);
	print_path(s, path, len);
	return 0;
}

/* dlopen's result: the handle, or NULL when it failed. */
static int dlopenret_handler(struct trace_seq *s, struct tep_record *record,
			     struct tep_event *event, void *context)
{
	unsigned long long handle;

	if (!is_files_event(event))
		return print_foreign(s, record, event, dlopenret_handler, context);
	if (!read_number(event, record, "ret", &handle)) {
		print_truncated(s, record);
		return 0;
	}
	print_kind(s, FS_K_DLOPENRET);
	if (handle)
		trace_seq_printf(s, " handle=0x%llx", handle);
	else
		trace_seq_puts(s, " handle=NULL (failed)");
	return 0;
}

/* ------------------------------------------------------------------------- */
/* record -x: user calls */

/* The display name of user call id, or NULL when the file's function table lacks it. */
static const char *ucall_name(struct plugin_state *st, unsigned long long id)
{
	unsigned long long addr = UCALL_SYMBOL_BASE + id, start = 0;
	const char *name = NULL;
	char *shown;

	if (id < (unsigned long long)st->nr_names && st->names[id])
		return st->names[id];
	if (id >= MAX_NAMED_IDS || !tep_find_function_info(st->tep, addr, &name, &start, NULL) ||
	    start != addr || !name || !strcmp(name, UCALL_UNKNOWN_SYMBOL))
		return NULL;
	if (id >= (unsigned long long)st->nr_names) {
		int nr = id + 64;
		char **names = realloc(st->names, nr * sizeof(*names));

		if (!names)
			return name;
		memset(names + st->nr_names, 0, (nr - st->nr_names) * sizeof(*names));
		st->names = names;
		st->nr_names = nr;
	}
	shown = ucall_demangle_or_null(name);
	st->names[id] = shown ? shown : strdup(name);
	return st->names[id] ? st->names[id] : name;
}

static void print_ucall_name(struct trace_seq *s, struct plugin_state *st,
			     unsigned long long id)
{
	const char *name = ucall_name(st, id);

	if (name)
		trace_seq_puts(s, name);
	else
		trace_seq_printf(s, "ucall#%llu", id);
}

static void print_indent(struct trace_seq *s, int depth)
{
	for (int i = 0; i < depth * 2; i++)
		trace_seq_putc(s, ' ');
}

/* A reader going back in time (KernelShark's list) starts the nesting over. */
static void follow_time(struct plugin_state *st, unsigned long long ts)
{
	if (ts < st->last_ts)
		ucall_stacks_free(&st->stacks);
	st->last_ts = ts;
}

/* The record's slot in the line cache, NULL without one. */
static struct ucall_line *line_slot(struct plugin_state *st, const struct ucall_line *key)
{
	unsigned long long h = key->ts * 0x9e3779b97f4a7c15ULL ^ key->sp ^ (unsigned)key->pid;

	if (!st->lines)
		st->lines = calloc(LINE_CACHE_SIZE, sizeof(*st->lines));
	return st->lines ? &st->lines[(h >> 20) & (LINE_CACHE_SIZE - 1)] : NULL;
}

static bool same_record(const struct ucall_line *a, const struct ucall_line *b)
{
	return a->used && a->ts == b->ts && a->sp == b->sp && a->pid == b->pid &&
	       a->type == b->type && a->id == b->id;
}

/*
 * The depth (and for an exit its duration) of the record's line: the one
 * given before if the line was asked for already, else from the stacks.
 */
static void ucall_line_of(struct plugin_state *st, struct ucall_line *l, bool exit,
			  unsigned long long ret)
{
	struct ucall_line *slot = line_slot(st, l);
	uint64_t start = 0;

	if (slot && same_record(slot, l)) {
		*l = *slot;
		return;
	}
	follow_time(st, l->ts);
	if (exit) {
		l->depth = ucall_stacks_exit(&st->stacks, l->pid, (int)l->id, ucall_exit_entry_sp(l->sp),
					     &start, &l->unwound);
		l->duration = l->ts - start;
	} else {
		l->depth = ucall_stacks_entry(&st->stacks, l->pid, (int)l->id, l->sp, ret, l->ts);
	}
	l->used = true;
	if (slot)
		*slot = *l;
}

static int ucall_entry_handler(struct trace_seq *s, struct tep_record *record,
			       struct tep_event *event, void *context)
{
	struct plugin_state *st = context;
	unsigned long long id, sp, ret = 0;
	struct ucall_line l = { 0 };

	if (!is_ucall_event(event))
		return print_foreign(s, record, event, ucall_entry_handler, context);
	if (!read_number(event, record, "id", &id) || !read_number(event, record, "sp", &sp) ||
	    (tep_find_field(event, "ret") && !read_number(event, record, "ret", &ret))) {
		print_truncated(s, record);
		return 0;
	}
	l = (struct ucall_line){ .ts = record->ts, .sp = sp, .type = event->id, .id = id,
				 .pid = tep_data_pid(event->tep, record) };
	ucall_line_of(st, &l, false, ret);
	fgraph_put_no_duration(s);
	print_indent(s, l.depth);
	print_ucall_name(s, st, id);
	trace_seq_puts(s, "() {");
	return 0;
}

static int ucall_return_handler(struct trace_seq *s, struct tep_record *record,
				struct tep_event *event, void *context)
{
	struct plugin_state *st = context;
	unsigned long long id, sp;
	struct ucall_line l;

	if (!is_ucall_event(event))
		return print_foreign(s, record, event, ucall_return_handler, context);
	if (!read_number(event, record, "id", &id) || !read_number(event, record, "sp", &sp)) {
		print_truncated(s, record);
		return 0;
	}
	l = (struct ucall_line){ .ts = record->ts, .sp = sp, .type = event->id, .id = id,
				 .pid = tep_data_pid(event->tep, record) };
	ucall_line_of(st, &l, true, 0);
	if (l.depth < 0) {
		fgraph_put_no_duration(s);
		trace_seq_puts(s, "} /* ");
		print_ucall_name(s, st, id);
		trace_seq_puts(s, ": no entry */");
		return 0;
	}
	trace_seq_puts(s, fgraph_overhead_mark(l.duration));
	fgraph_put_duration(s, l.duration, NULL);
	print_indent(s, l.depth);
	trace_seq_putc(s, '}');
	if (l.unwound)
		trace_seq_printf(s, " /* %d unfinished call%s above */", l.unwound,
				 l.unwound > 1 ? "s" : "");
	return 0;
}

/* ------------------------------------------------------------------------- */
/* Registration */

static const struct {
	const char *event;
	tep_event_handler_func func;
} handlers[] = {
	{ "path", path_handler },
	{ "any_getname", getname_handler },
	{ "dlopenret_dlopen", dlopenret_handler },
	{ UCALL_ENTRY_EVENT, ucall_entry_handler },
	{ UCALL_RETURN_EVENT, ucall_return_handler },
};

static bool is_our_event(const struct tep_event *event)
{
	return is_files_event(event) || is_ucall_event(event);
}

/*
 * By id, each of our events already parsed (sidetrace report loads plugins
 * after the formats). With none parsed yet (trace-cmd loads plugins first),
 * PENDING_COPIES copies by name, which libtraceevent hands to the events of
 * that name as it parses them, one each: every group of the file gets one.
 */
static void register_all(struct plugin_state *st)
{
	/* by index: tep_list_events() would cache a list that later formats leave stale */
	int nr_events = tep_get_events_count(st->tep);

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		for (int e = 0; e < nr_events; e++) {
			struct tep_event *event = tep_get_event(st->tep, e);

			if (event && is_our_event(event) && !strcmp(event->name, handlers[i].event))
				tep_register_event_handler(st->tep, event->id, event->system,
							   event->name, handlers[i].func, st);
		}
		for (int c = 0; !nr_events && c < PENDING_COPIES; c++)
			tep_register_event_handler(st->tep, -1, NULL, handlers[i].event,
						   handlers[i].func, st);
	}
}

static void unregister_all(struct plugin_state *st)
{
	int nr_events = tep_get_events_count(st->tep);

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		for (int e = 0; e < nr_events; e++) {
			struct tep_event *event = tep_get_event(st->tep, e);

			if (event && event->handler == handlers[i].func && event->context == st)
				tep_unregister_event_handler(st->tep, event->id, NULL, NULL,
							     handlers[i].func, st);
		}
		/* the copies no event took */
		while (!tep_unregister_event_handler(st->tep, -1, NULL, handlers[i].event,
						     handlers[i].func, st))
			;
	}
}

int TEP_PLUGIN_LOADER(struct tep_handle *tep)
{
	struct plugin_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -1;
	st->tep = tep;
	st->next = states;
	states = st;
	register_all(st);
	return 0;
}

void TEP_PLUGIN_UNLOADER(struct tep_handle *tep)
{
	for (struct plugin_state **p = &states; *p; p = &(*p)->next) {
		struct plugin_state *st = *p;

		if (st->tep != tep)
			continue;
		unregister_all(st);
		*p = st->next;
		ucall_stacks_free(&st->stacks);
		free(st->lines);
		for (int i = 0; i < st->nr_names; i++)
			free(st->names[i]);
		free(st->names);
		free(st);
		return;
	}
}
