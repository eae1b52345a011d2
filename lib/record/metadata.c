// SPDX-License-Identifier: LGPL-2.1
/*
 * td_meta from tracefs and /proc (see metadata.h). Every file is read from the
 * recording's own instance when it has one, else from the top level (the
 * kernel keeps saved_cmdlines and printk_formats only there).
 */
#include "record/metadata.h"
#include "tracefs/tracefs_state.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#define KPTR_RESTRICT "/proc/sys/kernel/kptr_restrict"

int meta_page_size(struct tracefs_instance *inst)
{
	struct tep_handle *tep = tep_alloc();
	int size = 0, len;
	char *buf;

	buf = tracefs_instance_file_read(inst, "events/header_page", &len);
	if (tep && buf && tep_parse_header_page(tep, buf, len, sizeof(long)) == 0)
		size = tep_get_sub_buffer_size(tep);
	free(buf);
	tep_free(tep);
	return size > 0 ? size : getpagesize();
}

int meta_nr_cpus(struct tracefs_instance *inst)
{
	char dir[64];
	int n = 0;

	for (;;) {
		snprintf(dir, sizeof(dir), "per_cpu/cpu%d", n);
		if (!tracefs_dir_exists(inst, dir))
			return n;
		n++;
	}
}

/*
 * An instance file as a blob; the top level's if the instance has no such
 * file. An empty file (saved_cmdlines before any task was recorded) is an
 * empty blob: st_tracefs_read() tells it from a failure, which
 * tracefs_instance_file_read() does not (NULL for both, errno stale).
 */
static int read_blob(struct tracefs_instance *inst, const char *file, struct td_blob *b,
		     bool required)
{
	char *buf;

	buf = st_tracefs_read(inst && tracefs_file_exists(inst, file) ? inst : NULL, file);
	if (!buf) {
		if (required) {
			st_set_error("cannot read tracefs file %s: %s", file, strerror(errno));
			return -1;
		}
		st_warn("cannot read %s (%s): the file will not have it", file, strerror(errno));
		return 0;
	}
	td_blob_set(b, buf, strlen(buf));	/* these are text files */
	free(buf);
	return 0;
}

static int add_format(struct td_meta *meta, struct tracefs_instance *inst, const char *system,
		      const char *event)
{
	char *file = xasprintf("events/%s/%s/format", system, event);
	char *text = st_tracefs_read(inst, file);

	free(file);
	if (!text || !*text) {
		st_set_error("cannot read the format of %s:%s: %s", system, event,
			     text ? "the kernel gave an empty file" : strerror(errno));
		free(text);
		return -1;
	}
	td_meta_add_format(meta, system, text, strlen(text));
	free(text);
	return 0;
}

/* trace-cmd stores every ftrace event format, whatever was recorded. */
static int add_ftrace_formats(struct td_meta *meta, struct tracefs_instance *inst)
{
	char *dir = tracefs_instance_get_dir(inst);
	char **events = dir ? tracefs_system_events(dir, "ftrace") : NULL;
	int ret = 0;

	for (int i = 0; events && events[i]; i++) {
		if (add_format(meta, inst, "ftrace", events[i]) < 0) {
			ret = -1;
			break;
		}
	}
	tracefs_list_free(events);
	free(dir);
	return ret;
}

/* /proc/kallsyms shows real addresses only with kptr_restrict 0 (for root, 1 is enough). */
static void read_kallsyms(struct td_meta *meta, struct st_undo *undo)
{
	int mark = st_undo_mark(undo);
	size_t size;
	char *text;

	if (st_undo_write(undo, KPTR_RESTRICT, "0") < 0)
		st_warn("%s; kernel addresses may be hidden", st_last_error());
	text = read_file("/proc/kallsyms", &size);
	st_undo_rollback(undo, mark);
	if (!text) {
		st_warn("%s: the file will have no kernel symbols", st_last_error());
		return;
	}
	td_blob_set(&meta->kallsyms, text, size);
	free(text);
}

static char *selected_clock(const char *trace_clock)
{
	const char *open = strchr(trace_clock, '['), *close = open ? strchr(open, ']') : NULL;

	if (!open || !close)
		return xstrdup("local");
	return strndup(open + 1, close - open - 1);
}

static int read_clock(struct td_meta *meta, struct tracefs_instance *inst)
{
	char *text = st_tracefs_read(inst, "trace_clock");

	if (!text) {
		st_set_error("cannot read trace_clock: %s", strerror(errno));
		return -1;
	}
	meta->trace_clock = text;
	meta->clock = selected_clock(text);
	return 0;
}

static void read_identity(struct td_meta *meta)
{
	struct utsname u;
	uint64_t id;

	if (uname(&u) == 0)
		meta->uname = xasprintf("%s %s %s %s", u.sysname, u.nodename, u.release, u.machine);
	meta->version = xasprintf("sidetrace %s", SIDETRACE_VERSION);
	/* A session id so tools can tell recordings apart (trace-cmd hashes sysinfo). */
	if (getrandom(&id, sizeof(id), 0) == sizeof(id)) {
		meta->trace_id = id;
		meta->has_trace_id = true;
	}
}

static void read_cpustats(struct td_meta *meta, struct tracefs_instance *inst, int nr_cpus)
{
	char file[64];

	meta->nr_cpus = nr_cpus;
	meta->cpustats = xcalloc(nr_cpus, sizeof(*meta->cpustats));
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		meta->cpustats[cpu] = tracefs_instance_file_read(inst, file, NULL);
	}
}

int meta_collect(struct td_meta *meta, struct tracefs_instance *inst,
		 const struct meta_event *events, int nr_events, int nr_cpus,
		 bool kernel_addresses, struct st_undo *undo)
{
	meta->big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	meta->long_size = sizeof(long);
	meta->page_size = meta_page_size(inst);

	if (read_blob(inst, "events/header_page", &meta->header_page, true) < 0 ||
	    read_blob(inst, "events/header_event", &meta->header_event, true) < 0)
		return -1;
	if (add_ftrace_formats(meta, inst) < 0)
		return -1;
	for (int i = 0; i < nr_events; i++)
		if (add_format(meta, inst, events[i].system, events[i].event) < 0)
			return -1;
	if (kernel_addresses) {
		read_kallsyms(meta, undo);
		if (read_blob(inst, "printk_formats", &meta->printk, false) < 0)
			return -1;
	}
	if (read_blob(inst, "saved_cmdlines", &meta->cmdlines, false) < 0)
		return -1;
	if (read_clock(meta, inst) < 0)
		return -1;
	read_identity(meta);
	read_cpustats(meta, inst, nr_cpus);
	return 0;
}
