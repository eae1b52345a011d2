// SPDX-License-Identifier: LGPL-2.1
/*
 * record --stack's option (see record_stack.h).
 */
#include "record/record_stack.h"
#include "record/record_targets.h"
#include "probe/probe.h"
#include "tracedat/stack_probes.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <tracefs.h>

#include "tracefs/tracefs_undo.h"

/* Whether system:event is a uprobe event (in uprobe_events). */
static bool is_uprobe(const struct probe_event *evs, int nr, const char *system, const char *event)
{
	for (int i = 0; i < nr; i++)
		if (!evs[i].kernel && !strcmp(evs[i].group, system) && !strcmp(evs[i].event, event))
			return true;
	return false;
}

static int write_option(struct st_undo *u, struct tracefs_instance *inst, const char *name)
{
	char *file = xasprintf("options/%s", name);
	int ret = -1;

	if (!tracefs_file_exists(inst, file))
		st_set_error("--stack: this kernel has no trace option '%s' in instances", name);
	else
		ret = st_undo_instance_write(u, inst, file, "1");
	free(file);
	return ret;
}

/* A kernel stack after each hit of system:event, removed with "!stacktrace". */
static int add_trigger(struct st_undo *u, struct tracefs_instance *inst, const char *system,
		       const char *event)
{
	char *file = xasprintf("events/%s/%s/trigger", system, event);
	char *path = tracefs_instance_get_file(inst, file);
	int ret = path ? st_undo_append(u, path, "stacktrace", "!stacktrace") : -1;

	if (ret < 0)
		st_set_error("--stack: cannot set a stacktrace trigger on %s:%s: %s", system, event,
			     path ? st_last_error() : "no such file");
	tracefs_put_tracing_file(path);
	free(file);
	return ret;
}

int record_stack_setup(struct st_undo *u, struct tracefs_instance *inst,
		       const struct record_targets *t)
{
	struct probe_event *evs = NULL;
	int nr = 0, nr_uprobes = 0, ret = 0;

	if (write_option(u, inst, "userstacktrace") < 0)
		return -1;
	if (probe_list(&evs, &nr) < 0)
		nr = 0;
	for (int i = 0; i < t->nr; i++)
		nr_uprobes += is_uprobe(evs, nr, t->items[i].system, t->items[i].event);
	if (!nr_uprobes)
		ret = write_option(u, inst, "stacktrace");
	for (int i = 0; nr_uprobes && i < t->nr && ret == 0; i++)
		if (!is_uprobe(evs, nr, t->items[i].system, t->items[i].event))
			ret = add_trigger(u, inst, t->items[i].system, t->items[i].event);
	probe_list_free(evs, nr);
	return ret;
}

/* The -P processes' mappings, so that report names their libraries' frames too. */
static void add_procmaps(const pid_t *pids, int nr_pids, struct td_meta *meta)
{
	char *text = NULL;

	for (int i = 0; i < nr_pids; i++) {
		char *path = xasprintf("/proc/%d/maps", (int)pids[i]);
		char *maps = read_file(path, NULL), *comm;

		free(path);
		if (!maps)
			continue;	/* gone: its frames stay addresses */
		path = xasprintf("/proc/%d/comm", (int)pids[i]);
		comm = read_file(path, NULL);
		free(path);
		if (comm)
			comm[strcspn(comm, "\n ")] = '\0';
		procmaps_append(&text, pids[i], comm && *comm ? comm : "?", maps);
		free(comm);
		free(maps);
	}
	free(meta->procmaps);
	meta->procmaps = text;
}

void record_stack_add_option(const struct record_targets *t, const pid_t *pids, int nr_pids,
			     struct td_meta *meta)
{
	struct probe_event *evs;
	char *text = NULL;
	int nr;

	add_procmaps(pids, nr_pids, meta);
	if (probe_list(&evs, &nr) < 0)
		return;	/* report then prints the stacks' addresses */
	for (int i = 0; i < nr; i++) {
		struct stack_probe p = {
			.system = evs[i].group, .event = evs[i].event,
			.offset = evs[i].offset, .path = evs[i].path,
		};

		if (!evs[i].kernel && record_targets_has(t, evs[i].group, evs[i].event))
			stack_probes_append(&text, &p);
	}
	if (text)
		td_meta_add_option(meta, TD_OPT_STACK_PROBES, text, strlen(text));
	free(text);
	probe_list_free(evs, nr);
}
