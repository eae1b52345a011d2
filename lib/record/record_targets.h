/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The events a recording enables: the -e specs expanded against the kernel's
 * events, then the events of the back ends (--files, -x) added to them. The
 * back ends include this, never record.h (the session above them).
 */
#ifndef SIDETRACE_RECORD_TARGETS_H
#define SIDETRACE_RECORD_TARGETS_H

#include <stdbool.h>

/* One -e: an event spec and the -f filter that followed it (or NULL). */
struct record_event {
	char *spec;	/* "sched:sched_switch", "sched", "sched_switch", "sched:*exec", "all" */
	char *filter;	/* kernel filter syntax */
};

/* An event the session enables, with the filter of the last -e that selected it. */
struct record_target {
	char *system;
	char *event;
	const char *filter;	/* points into the opts; NULL = none */
};

struct record_targets {
	struct record_target *items;
	int nr;
};

/*
 * Whether an -e spec names something: not empty, and no empty side of its
 * ':' or '/' ("-e ':'" once enabled every event). 0, or -1 with
 * st_set_error() saying what to write instead.
 */
int record_event_spec_check(const char *spec);

/*
 * Expand the -e specs against the kernel's events under tracing_dir (the
 * tracefs mount or an instance's directory). A spec is "SYSTEM:EVENT" (or
 * "SYSTEM/EVENT"; both sides needed), a single word matched
 * against system and event names (so "sched" is the sched system), or "all";
 * fnmatch(3) globs anywhere. The ftrace system is never enabled (its events
 * are always on). The result is sorted by system and event, without
 * duplicates. A spec that matches nothing is an error:
 * "no event matches 'foo:bar'". Returns 0 or -1 with st_set_error().
 */
int record_expand_events(const char *tracing_dir, const struct record_event *specs, int nr_specs,
			 struct record_targets *out);
void record_targets_free(struct record_targets *t);
/* Whether system:event is a target already. */
bool record_targets_has(const struct record_targets *t, const char *system, const char *event);
/* Add system:event (with filter, which is not copied) unless it is a target already. */
void record_targets_add(struct record_targets *t, const char *system, const char *event,
			const char *filter);

#endif
