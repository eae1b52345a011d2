/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Read-only views of tracefs for `sidetrace list` and `sidetrace stat` (and
 * anyone else who needs to know what the kernel offers or what is configured):
 * event names, tracers, trace options with their defaults, traceable functions
 * and probe definitions. Nothing here ever writes to tracefs.
 *
 * Where libtracefs already answers the question we use it; these helpers exist
 * where libtracefs 1.6.4 answers it in a way that does not fit an operator's
 * listing: tracefs_tracers() leaves out "nop", tracefs_filter_functions()
 * returns 0 and an empty list when available_filter_functions cannot be read
 * (EPERM here), and tracefs_dynevent_get_all() cannot tell kprobes from uprobes.
 */
#ifndef SIDETRACE_TRACEFS_STATE_H
#define SIDETRACE_TRACEFS_STATE_H

#include <stdbool.h>

#include "util.h"

struct tracefs_instance;

/*
 * Read a tracefs file of an instance (NULL = top level) whole.
 * Returns a malloc'd NUL-terminated string, or NULL with st_set_error()
 * ("cannot open PATH: REASON") and errno set.
 */
char *st_tracefs_read(struct tracefs_instance *inst, const char *file);

/*
 * Does the event system:event match glob? The glob (fnmatch(3) syntax) is
 * either "SYS:EVENT" (or "SYS/EVENT"; an empty side means "*"), matched on
 * both sides, or a single word matched against the system OR the event name,
 * so "sched" gives every sched event and "*switch*" every event named so.
 * A NULL or empty glob matches everything.
 */
bool st_event_glob_match(const char *glob, const char *system, const char *event);

/*
 * Add the kernel's events (available_events) that match glob to out as
 * "system:event", sorted. Returns the number added, or -1 with st_set_error().
 */
int st_available_events(const char *glob, struct strlist *out);

/* The tracers an instance (NULL = top) accepts, "nop" included. Returns the count or -1. */
int st_available_tracers(struct tracefs_instance *inst, struct strlist *out);

/*
 * Add the traceable functions matching glob (NULL = all) to out as the kernel
 * lists them ("name" or "name [module]"), in the kernel's order, duplicates
 * kept. The glob is matched against the name only.
 * Returns the number added, or -1 with st_set_error() and errno set (EPERM on
 * kernels that refuse available_filter_functions).
 */
int st_filter_functions(const char *glob, struct strlist *out);

/* A trace option (a file in the instance's options/ directory) and its state. */
struct st_option {
	char *name;
	bool enabled;
};

struct st_options {
	struct st_option *items;
	int nr;
};

/*
 * Read every option of an instance (NULL = top), sorted by name: the generic
 * ones and those of every registered tracer. An option file that vanishes or
 * cannot be read is left out. Returns 0 or -1 with st_set_error().
 */
int st_options_read(struct tracefs_instance *inst, struct st_options *opts);
void st_options_free(struct st_options *opts);

/*
 * The value the kernel gives an option in a new instance (top_level false) or
 * at boot (top_level true). Options not known to be on by default are off.
 */
bool st_option_default(const char *name, bool top_level);

/*
 * The probe files: "uprobe_events" and "kprobe_events" are read separately
 * because libtracefs 1.6.4 cannot tell their entries apart.
 *
 * st_probe_describe() turns one definition line of such a file (or of
 * dynamic_events: eprobes "e:", synthetic events "s:", fprobes "f:"/"t:")
 * into "KIND SYSTEM:EVENT DEFINITION", e.g.
 *	"uretprobe  uprobes:readline  /bin/bash:0x00000000000d5690 line=+0($retval):string".
 * from_file: the file the line came from, which decides what "p:"/"r:" mean.
 * Returns a malloc'd string, or NULL when the line is not a definition.
 */
char *st_probe_describe(const char *line, const char *from_file);

/*
 * Add the described definitions of one probe file to out. Returns the number
 * added, or -1 with st_set_error() and errno set (ENOENT when the kernel has
 * no such file, e.g. kprobe_events without CONFIG_KPROBE_EVENTS).
 * For "dynamic_events" only the kinds that have no file of their own are taken
 * (eprobes, synthetic events, fprobes): its "p:"/"r:" lines are ambiguous.
 */
int st_probes_read(const char *file, struct strlist *out);

/* Sort a string list in place (strcmp order). */
void st_strlist_sort(struct strlist *l);

#endif
