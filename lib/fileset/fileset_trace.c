// SPDX-License-Identifier: LGPL-2.1
/*
 * A `record --files` trace.dat into the file-set model (fileset.h): the
 * TD_OPT_FILES option, then every record in time order.
 */
#include "fileset/fileset.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

void fs_info_free(struct fs_info *info)
{
	free(info->backend);
	free(info->cannot_see);
	free(info->missing);
	free(info->cwd);
	free(info->ld_library_path);
	free(info->cannot_see_probes);
	free(info->cannot_see_fanotify);
	free(info->fan_unmarked);
	free(info->fan_error);
	for (int i = 0; i < info->nr_fan; i++) {
		free(info->fan[i].path);
		free(info->fan[i].as_seen);
	}
	free(info->fan);
	free(info->fan_lost);
	for (int i = 0; i < info->argc; i++)
		free(info->argv[i]);
	free(info->argv);
	memset(info, 0, sizeof(*info));
}

static char *unescape(const char *s, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			i++;
			*o++ = s[i] == 'n' ? '\n' : s[i];
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

int fs_info_parse(const char *text, size_t len, struct fs_info *info)
{
	const char *p = text, *end = text + len;

	memset(info, 0, sizeof(*info));
	while (p < end && *p) {
		const char *nl = memchr(p, '\n', end - p), *eq;
		char *key, *val;

		if (!nl)
			nl = p + strnlen(p, end - p);
		eq = memchr(p, '=', nl - p);
		if (eq) {
			key = xasprintf("%.*s", (int)(eq - p), p);
			val = unescape(eq + 1, nl - eq - 1);
			if (!strcmp(key, "backend") && !info->backend)
				info->backend = val, val = NULL;
			else if (!strcmp(key, "cannot_see") && !info->cannot_see)
				info->cannot_see = val, val = NULL;
			else if (!strcmp(key, "missing") && !info->missing)
				info->missing = val, val = NULL;
			else if (!strcmp(key, "cwd") && !info->cwd)
				info->cwd = val, val = NULL;
			else if (!strcmp(key, "ld_library_path") && !info->ld_library_path)
				info->ld_library_path = val, val = NULL;
			else if (fs_info_parse_fanotify(info, key, &val))
				;
			else if (!strcmp(key, "root_pid"))
				info->root_pid = atoi(val);
			else if (!strcmp(key, "argv")) {
				info->argv = xrealloc(info->argv,
						      (info->argc + 2) * sizeof(char *));
				info->argv[info->argc++] = val;
				info->argv[info->argc] = NULL;
				val = NULL;
			}
			free(key);
			free(val);
		}
		p = nl + 1;
	}
	if (!info->backend) {
		fs_info_free(info);
		st_set_error("the file-set option has no backend");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------- */

struct reader {
	struct fs_model *m;
	struct tep_handle *tep;
	const char *group;
	bool has_newtask;
};

/* A number field's value; false if absent or not inside the record. */
static bool field_val(struct tep_event *ev, struct tep_record *rec, const char *name,
		      unsigned long long *val)
{
	return td_field_number(tep_find_any_field(ev, name), rec, val) == 0;
}

static long field_or(struct tep_event *ev, struct tep_record *rec, const char *name, long def)
{
	unsigned long long v;

	return field_val(ev, rec, name, &v) ? (long)v : def;
}

/* A string field (fixed array or __data_loc), copied; NULL if absent. */
static char *field_str(struct tep_event *ev, struct tep_record *rec, const char *name)
{
	struct tep_format_field *f = tep_find_field(ev, name);
	const char *s;
	int len;

	/* tep_get_field_raw() would follow a __data_loc outside the record */
	if (!f || !(s = td_field_bytes(f, rec, &len)))
		return NULL;
	return xasprintf("%.*s", (int)strnlen(s, len), s);
}

static void on_syscall(struct reader *r, struct tep_event *ev, struct tep_record *rec, pid_t pid)
{
	if (!strncmp(ev->name, "sys_enter_", 10)) {
		struct fs_sys_args a = {
			.dfd = (int)field_or(ev, rec, "dfd", AT_FDCWD),
			.flags = field_or(ev, rec, "flags", 0),
			.fd = (int)field_or(ev, rec, "fd", -1),
			.newfd = (int)field_or(ev, rec, "newfd", -1),
			.cmd = (int)field_or(ev, rec, "cmd", -1),
		};

		if (!strcmp(ev->name, "sys_enter_dup"))
			a.fd = (int)field_or(ev, rec, "fildes", -1);
		else if (!strncmp(ev->name, "sys_enter_dup", 13))
			a.fd = (int)field_or(ev, rec, "oldfd", -1);
		else if (!strcmp(ev->name, "sys_enter_newfstatat"))
			a.flags = field_or(ev, rec, "flag", 0);
		else if (!strcmp(ev->name, "sys_enter_execveat"))
			a.dfd = a.fd;	/* its dirfd is called fd */
		fs_sys_enter(r->m, pid, ev->name + 10, &a);
	} else if (!strncmp(ev->name, "sys_exit_", 9)) {
		fs_sys_exit(r->m, pid, ev->name + 9, field_or(ev, rec, "ret", 0));
	}
}

static void on_task(struct reader *r, struct tep_event *ev, struct tep_record *rec, pid_t pid)
{
	char *s;

	if (!strcmp(ev->name, "task_newtask")) {
		s = field_str(ev, rec, "comm");
		fs_clone(r->m, pid, (pid_t)field_or(ev, rec, "pid", 0),
			 (uint64_t)field_or(ev, rec, "clone_flags", 0), s);
		free(s);
	} else if (!strcmp(ev->name, "sched_process_fork") && !r->has_newtask) {
		s = field_str(ev, rec, "child_comm");
		fs_clone(r->m, (pid_t)field_or(ev, rec, "parent_pid", pid),
			 (pid_t)field_or(ev, rec, "child_pid", 0), 0, s);
		free(s);
	} else if (!strcmp(ev->name, "sched_process_exec")) {
		s = field_str(ev, rec, "filename");
		if (s)
			fs_exec(r->m, (pid_t)field_or(ev, rec, "pid", pid),
				(pid_t)field_or(ev, rec, "old_pid", pid), s);
		free(s);
	} else if (!strcmp(ev->name, "sched_process_exit")) {
		fs_exit(r->m, (pid_t)field_or(ev, rec, "pid", pid));
	} else if (!strcmp(ev->name, "io_uring_create")) {
		fs_model_counts_mut(r->m)->io_uring++;
	}
}

static void on_probe(struct reader *r, struct tep_event *ev, struct tep_record *rec, pid_t pid)
{
	long arg = field_or(ev, rec, "kind", -1);
	enum fs_kind kind = arg < 0 ? fs_kind_of_probe(ev->name) :
			    arg <= FS_K_MAX ? (enum fs_kind)arg : FS_K_NONE;
	char *path;

	if (kind == FS_K_DLOPENRET) {
		fs_dlopen_ret(r->m, pid, (uint64_t)field_or(ev, rec, "ret", 0));
		return;
	}
	if (kind == FS_K_NONE)
		return;
	path = field_str(ev, rec, "path");
	fs_name(r->m, pid, kind, path ? path : "");
	free(path);
}

static void count_lost(struct fs_model *m, const struct td_meta *meta)
{
	struct td_cpu_stats st;

	for (int i = 0; meta->cpustats && i < meta->nr_cpus; i++) {
		if (!meta->cpustats[i])
			continue;
		td_parse_cpu_stats(meta->cpustats[i], &st);
		fs_model_counts_mut(m)->lost_events += st.lost;
	}
}

static int read_records(struct reader *r, struct td_file *f)
{
	struct td_iter *it = td_iter_new(f, 0, NULL, 0);
	struct tep_record *rec;
	int ret = 0;

	if (!it)
		return -1;
	while ((rec = td_iter_next(it))) {
		struct tep_event *ev = tep_find_event_by_record(r->tep, rec);
		pid_t pid = tep_data_pid(r->tep, rec);

		if (rec->missed_events)
			fs_model_counts_mut(r->m)->lost_events +=
				rec->missed_events > 0 ? rec->missed_events : 1;
		if (!ev)
			continue;
		if (!strcmp(ev->system, "syscalls"))
			on_syscall(r, ev, rec, pid);
		else if (!strcmp(ev->system, r->group))
			on_probe(r, ev, rec, pid);
		else
			on_task(r, ev, rec, pid);
	}
	if (td_iter_error(it))
		ret = -1;
	td_iter_free(it);
	return ret;
}

/* The "group=" line of the option (the probes' event system). */
static char *option_group(const struct td_blob *b)
{
	const char *p = memmem(b->data, b->size, "\ngroup=", 7);
	size_t n;

	if (!p)
		return xstrdup("");
	p += 7;
	n = strcspn(p, "\n");
	return xasprintf("%.*s", (int)n, p);
}

struct fs_model *fs_model_from_trace(const char *path, struct fs_info *info)
{
	struct td_file *f = td_open(path);
	const struct td_blob *opt;
	struct reader r = { 0 };
	char *group = NULL;

	if (!f)
		return NULL;
	opt = td_meta_get_option(td_get_meta(f), TD_OPT_FILES);
	if (!opt) {
		st_set_error("%s was not recorded with 'sidetrace record --files'", path);
		goto fail;
	}
	if (fs_info_parse(opt->data, opt->size, info) < 0)
		goto fail;
	r.tep = td_get_tep(f);
	if (!r.tep)
		goto fail_info;
	group = option_group(opt);
	r.group = group;
	r.has_newtask = tep_find_event_by_name(r.tep, "task", "task_newtask") != NULL;
	r.m = fs_model_new(info->cwd);
	count_lost(r.m, td_get_meta(f));
	if (read_records(&r, f) < 0) {
		fs_model_free(r.m);
		goto fail_info;
	}
	fs_merge_fanotify(r.m, info);
	free(group);
	td_close(f);
	return r.m;
fail_info:
	fs_info_free(info);
fail:
	free(group);
	td_close(f);
	return NULL;
}
