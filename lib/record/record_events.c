// SPDX-License-Identifier: LGPL-2.1
/*
 * Expanding record's -e specs (names and globs) into the kernel's events,
 * using libtracefs's lists of systems and of each system's events.
 */
#include "record/record_targets.h"
#include "util.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <tracefs.h>

struct spec_glob {
	char *system;	/* NULL: a single word, matched against both names */
	char *event;
	bool matched;
};

/* An empty side ("-e ':'", "-e sched:") names nothing: see record_event_spec_check(). */
static void split_spec(const char *spec, struct spec_glob *g)
{
	const char *sep = strpbrk(spec, ":/");

	memset(g, 0, sizeof(*g));
	if (!strcmp(spec, "all")) {
		g->system = xstrdup("*");
		g->event = xstrdup("*");
	} else if (sep) {
		g->system = strndup(spec, sep - spec);
		g->event = xstrdup(sep + 1);
	} else {
		g->event = xstrdup(spec);
	}
}

int record_event_spec_check(const char *spec)
{
	const char *sep = strpbrk(spec, ":/");

	if (!*spec) {
		st_set_error("-e needs an event name");
		return -1;
	}
	if (!sep)
		return 0;
	if (sep == spec && !sep[1]) {
		st_set_error("-e '%s': no system or event name (every event is 'all')", spec);
		return -1;
	}
	if (sep == spec) {
		st_set_error("-e '%s': no system name before '%c' (in any system: '%s' or '*%s')",
			     spec, *sep, sep + 1, spec);
		return -1;
	}
	if (!sep[1]) {
		st_set_error("-e '%s': no event name after '%c' (the whole system: '%.*s' or '%s*')",
			     spec, *sep, (int)(sep - spec), spec, spec);
		return -1;
	}
	return 0;
}

static bool glob_matches(const struct spec_glob *g, const char *system, const char *event)
{
	if (!g->system)
		return !fnmatch(g->event, system, 0) || !fnmatch(g->event, event, 0);
	return !fnmatch(g->system, system, 0) && !fnmatch(g->event, event, 0);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_list(char **list)
{
	int n = 0;

	while (list && list[n])
		n++;
	if (n)
		qsort(list, n, sizeof(*list), compare_names);
}

/* Whether any spec can match an event of system (listing a system costs a stat per event). */
static bool system_wanted(const struct spec_glob *globs, int nr_specs, const char *system)
{
	for (int s = 0; s < nr_specs; s++)
		if (!globs[s].system || !fnmatch(globs[s].system, system, 0))
			return true;
	return false;
}

/* Select the events of one system that any spec matches. */
static void expand_system(const char *tracing_dir, const char *system,
			  const struct record_event *specs, struct spec_glob *globs, int nr_specs,
			  struct record_targets *out)
{
	char **events = tracefs_system_events(tracing_dir, system);

	sort_list(events);
	for (int e = 0; events && events[e]; e++) {
		const char *filter = NULL;
		bool selected = false;

		for (int s = 0; s < nr_specs; s++) {
			if (!glob_matches(&globs[s], system, events[e]))
				continue;
			globs[s].matched = true;
			selected = true;
			if (specs[s].filter)
				filter = specs[s].filter;	/* a later -e's filter wins */
		}
		if (selected)
			record_targets_add(out, system, events[e], filter);
	}
	tracefs_list_free(events);
}

int record_expand_events(const char *tracing_dir, const struct record_event *specs, int nr_specs,
			 struct record_targets *out)
{
	struct spec_glob *globs = xcalloc(nr_specs, sizeof(*globs));
	char **systems;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	for (int s = 0; s < nr_specs; s++)
		split_spec(specs[s].spec, &globs[s]);
	systems = tracefs_event_systems(tracing_dir);
	if (!systems) {
		st_set_error("cannot list the kernel's events under %s/events", tracing_dir);
		ret = -1;
		goto out;
	}
	sort_list(systems);
	for (int i = 0; systems[i]; i++)
		if (strcmp(systems[i], "ftrace") != 0 && system_wanted(globs, nr_specs, systems[i]))
			expand_system(tracing_dir, systems[i], specs, globs, nr_specs, out);
	for (int s = 0; s < nr_specs; s++) {
		if (!globs[s].matched) {
			st_set_error("no event matches '%s'", specs[s].spec);
			ret = -1;
			break;
		}
	}
out:
	for (int s = 0; s < nr_specs; s++) {
		free(globs[s].system);
		free(globs[s].event);
	}
	free(globs);
	tracefs_list_free(systems);
	if (ret)
		record_targets_free(out);
	return ret;
}

bool record_targets_has(const struct record_targets *t, const char *system, const char *event)
{
	for (int i = 0; i < t->nr; i++)
		if (!strcmp(t->items[i].system, system) && !strcmp(t->items[i].event, event))
			return true;
	return false;
}

void record_targets_add(struct record_targets *t, const char *system, const char *event,
			const char *filter)
{
	if (record_targets_has(t, system, event))
		return;
	t->items = xrealloc(t->items, (t->nr + 1) * sizeof(*t->items));
	t->items[t->nr++] = (struct record_target){ xstrdup(system), xstrdup(event), filter };
}

void record_targets_free(struct record_targets *t)
{
	for (int i = 0; i < t->nr; i++) {
		free(t->items[i].system);
		free(t->items[i].event);
	}
	free(t->items);
	t->items = NULL;
	t->nr = 0;
}
