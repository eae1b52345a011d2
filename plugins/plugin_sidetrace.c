// SPDX-License-Identifier: LGPL-2.1
/*
 * A libtraceevent plugin for the events sidetrace writes itself, so that
 * trace-cmd, KernelShark and `sidetrace report` (which loads the same file)
 * print them alike. Today: the record --files events of the group
 * "sidetrace_files_PID":
 *
 *   path              kind=2 path="/etc/passwd"   ->  open path="/etc/passwd"
 *   any_getname       path="/etc/passwd"          ->  any path="/etc/passwd"
 *   dlopenret_dlopen  ret=0x5581e2a4b2c0          ->  dlopenret handle=0x5581e2a4b2c0
 *
 * The kind names come from lib/fileset/fs_kind.h, the table the analysis uses.
 * libtraceevent matches a handler's system name exactly, and ours carries the
 * recorder's pid, so the handlers are registered by event name (and by id,
 * see register_all) and check the system themselves: another system's event
 * of the same name is printed as its plain fields. A record too short for its fields prints a
 * note instead of reading past its end.
 */
#include "fileset/fs_kind.h"

#include <stdbool.h>
#include <string.h>

#include <event-parse.h>
#include <trace-seq.h>

#define FILES_SYSTEM_PREFIX "sidetrace_files_"

static bool is_ours(const struct tep_event *event)
{
	return event->system &&
	       !strncmp(event->system, FILES_SYSTEM_PREFIX, strlen(FILES_SYSTEM_PREFIX));
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

	if (!is_ours(event)) {
		tep_print_fields(s, record->data, record->size, event);
		return 0;
	}
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

	if (!is_ours(event)) {
		tep_print_fields(s, record->data, record->size, event);
		return 0;
	}
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

	if (!is_ours(event)) {
		tep_print_fields(s, record->data, record->size, event);
		return 0;
	}
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

static const struct {
	const char *event;
	tep_event_handler_func func;
} handlers[] = {
	{ "path", path_handler },
	{ "any_getname", getname_handler },
	{ "dlopenret_dlopen", dlopenret_handler },
};

/*
 * Each handler once by event name alone, which libtraceevent keeps for the
 * first event of that name it parses later (trace-cmd loads plugins before
 * the file's formats) or gives to the first it already has (sidetrace report
 * loads them after); and by id for each of our events already parsed, which
 * the first may not be.
 */
static void register_all(struct tep_handle *tep, bool unregister)
{
	/* by index: tep_list_events() would cache a list that later formats leave stale */
	int nr_events = tep_get_events_count(tep);

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		const char *name = handlers[i].event;
		tep_event_handler_func func = handlers[i].func;

		for (int e = 0; e < nr_events; e++) {
			struct tep_event *event = tep_get_event(tep, e);

			if (!event || !is_ours(event) || strcmp(event->name, name))
				continue;
			if (unregister)
				tep_unregister_event_handler(tep, event->id, NULL, name, func, NULL);
			else
				tep_register_event_handler(tep, event->id, NULL, name, func, NULL);
		}
		if (unregister)
			tep_unregister_event_handler(tep, -1, NULL, name, func, NULL);
		else
			tep_register_event_handler(tep, -1, NULL, name, func, NULL);
	}
}

int TEP_PLUGIN_LOADER(struct tep_handle *tep)
{
	register_all(tep, false);
	return 0;
}

void TEP_PLUGIN_UNLOADER(struct tep_handle *tep)
{
	register_all(tep, true);
}
