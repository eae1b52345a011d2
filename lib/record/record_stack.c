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
