// SPDX-License-Identifier: LGPL-2.1
/*
 * Kernel events to struct sc_event (trace_events.h).
 */
#include "fileset/fs_kind.h"
#include "syscall/sc_fmt.h"
#include "trace/trace_events.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <string.h>

#include <event-parse.h>

const char *const trace_kernel_events[][2] = {
	{ "raw_syscalls", "sys_enter" },
	{ "raw_syscalls", "sys_exit" },
	{ "sched", "sched_process_fork" },
	{ "sched", "sched_process_exec" },
	{ "sched", "sched_process_exit" },
	{ "signal", "signal_deliver" },
	{ NULL, NULL },
};

static int event_id(struct tep_handle *tep, const char *system, const char *name)
{
	struct tep_event *e = tep_find_event_by_name(tep, system, name);

	return e ? e->id : -1;
}

static struct tep_format_field *field(struct tep_handle *tep, int id, const char *name)
{
	struct tep_event *e = id >= 0 ? tep_find_event(tep, id) : NULL;

	return e ? tep_find_any_field(e, name) : NULL;
}

int trace_decoder_init(struct trace_decoder *d, struct tep_handle *tep, const char *group,
		       bool path_inside)
{
	static const char *const path_events[] = { "path", "any_getname" };

	memset(d, 0, sizeof(*d));
	d->tep = tep;
	d->path_inside = path_inside;
	d->enter_id = event_id(tep, "raw_syscalls", "sys_enter");
	d->exit_id = event_id(tep, "raw_syscalls", "sys_exit");
	d->fork_id = event_id(tep, "sched", "sched_process_fork");
	d->exec_id = event_id(tep, "sched", "sched_process_exec");
	d->task_exit_id = event_id(tep, "sched", "sched_process_exit");
	d->signal_id = event_id(tep, "signal", "signal_deliver");
	d->enter_nr = field(tep, d->enter_id, "id");
	d->enter_args = field(tep, d->enter_id, "args");
	d->exit_nr = field(tep, d->exit_id, "id");
	d->exit_ret = field(tep, d->exit_id, "ret");
	d->fork_parent = field(tep, d->fork_id, "parent_pid");
	d->fork_child = field(tep, d->fork_id, "child_pid");
	d->exec_pid = field(tep, d->exec_id, "pid");
	d->signal_sig = field(tep, d->signal_id, "sig");
	if (!d->enter_nr || !d->enter_args || !d->exit_nr || !d->exit_ret) {
		st_set_error("no raw_syscalls:sys_enter/sys_exit events with the fields id, args "
			     "and ret");
		return -1;
	}
	for (size_t i = 0; group && i < ARRAY_SIZE(path_events); i++) {
		int id = event_id(tep, group, path_events[i]);

		if (id >= 0)
			d->path_ids[d->nr_path_ids++] = id;
	}
	return 0;
}

bool trace_group_is_kprobe(struct tep_handle *tep, const char *group)
{
	return tep_find_event_by_name(tep, group, "any_getname") != NULL;
}

/*
 * Fields are read only where they lie inside the record (td_field_*), since a
 * trace.dat's formats and records may not agree.
 */
static unsigned long long number(struct tep_format_field *f, struct tep_record *rec)
{
	unsigned long long v = 0;

	if (td_field_number(f, rec, &v) < 0)
		return 0;
	return v;
}

/* A string field (char[] or __data_loc) into buf. */
static const char *string(struct tep_record *rec, struct tep_event *e, const char *name, char *buf,
			  size_t size)
{
	struct tep_format_field *f = e ? tep_find_any_field(e, name) : NULL;
	int len = 0;
	const char *s = f ? td_field_bytes(f, rec, &len) : NULL;

	if (!s || len <= 0)
		return NULL;
	snprintf(buf, size, "%.*s", (int)strnlen(s, len), s);
	return buf;
}

/* The six arguments of sys_enter (unsigned long args[6]). */
static int enter_args(struct trace_decoder *d, struct tep_record *rec, uint64_t args[6])
{
	int len = 0, each;
	const unsigned char *p = td_field_bytes(d->enter_args, rec, &len);

	if (!p || len < 6 || len % 6)
		return -1;
	each = len / 6;
	for (int i = 0; i < 6; i++) {
		unsigned long long v = 0;

		memcpy(&v, p + i * each, each < 8 ? each : 8);
		args[i] = v;
	}
	return 0;
}

static bool is_path_event(const struct trace_decoder *d, int type)
{
	for (int i = 0; i < d->nr_path_ids; i++)
		if (d->path_ids[i] == type)
			return true;
	return false;
}

/* A path of the uprobe backend belongs to a syscall unless it is dlopen's (a library name). */
static bool syscall_path_kind(struct tep_event *e, struct tep_record *rec)
{
	struct tep_format_field *kind = tep_find_any_field(e, "kind");
	unsigned long long v;

	if (!kind || td_field_number(kind, rec, &v) < 0)
		return true;
	return v != FS_K_DLOPEN && v != FS_K_DLOPENRET;
}

static int decode_path(struct trace_decoder *d, struct tep_record *rec, int type,
		       struct sc_event *ev)
{
	struct tep_event *e = tep_find_event(d->tep, type);

	if (!e || !syscall_path_kind(e, rec))
		return 0;
	ev->path = string(rec, e, "path", d->path, sizeof(d->path));
	if (!ev->path)
		return 0;
	ev->type = SC_EV_PATH;
	ev->path_inside = d->path_inside;
	return 1;
}

int trace_decode(struct trace_decoder *d, struct tep_record *rec, struct sc_event *ev)
{
	int type = tep_data_type(d->tep, rec);

	memset(ev, 0, sizeof(*ev));
	ev->ts = rec->ts;
	ev->cpu = rec->cpu;
	ev->tid = tep_data_pid(d->tep, rec);
	if (type == d->enter_id) {
		ev->type = SC_EV_ENTER;
		ev->nr = (long)number(d->enter_nr, rec);
		if (enter_args(d, rec, ev->args) < 0)
			return 0;
	} else if (type == d->exit_id) {
		ev->type = SC_EV_EXIT;
		ev->nr = (long)number(d->exit_nr, rec);
		ev->ret = (int64_t)number(d->exit_ret, rec);
	} else if (type == d->fork_id) {
		ev->type = SC_EV_FORK;
		ev->tid = (int)number(d->fork_parent, rec);
		ev->child = (int)number(d->fork_child, rec);
		ev->comm = string(rec, tep_find_event(d->tep, type), "child_comm", d->comm,
				  sizeof(d->comm));
	} else if (type == d->exec_id) {
		ev->type = SC_EV_EXEC;
		ev->tid = (int)number(d->exec_pid, rec);
		ev->comm = string(rec, tep_find_event(d->tep, type), "filename", d->path,
				  sizeof(d->path));
	} else if (type == d->task_exit_id) {
		ev->type = SC_EV_TASK_EXIT;
	} else if (type == d->signal_id) {
		ev->type = SC_EV_SIGNAL;
		ev->sig = (int)number(d->signal_sig, rec);
	} else if (is_path_event(d, type)) {
		return decode_path(d, rec, type, ev);
	} else {
		return 0;
	}
	return 1;
}
