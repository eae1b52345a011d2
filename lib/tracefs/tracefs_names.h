/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The one place that names what sidetrace creates in tracefs (and the file
 * that lists it for `sidetrace reset`), and reads those names back. Every name
 * carries the pid of the sidetrace process that made it, so that `reset` can
 * tell a dead process's leftovers from a running one's and from other users':
 *
 *	sidetrace-PID		record's tracefs instance
 *	sidetrace_PID		the probe group of `record -x` (user call graphs)
 *	sidetrace_files_PID	the probe group of `record --files`
 *	NAME-PID.undo		a persisted undo list in ST_UNDO_DIR (record writes
 *				record-PID.undo; reset takes any NAME)
 *
 * Anything else, "sidetrace-test-12" or "sidetrace_files_12x" say, is not ours.
 */
#ifndef SIDETRACE_TRACEFS_NAMES_H
#define SIDETRACE_TRACEFS_NAMES_H

#include <sys/types.h>

/* The two probe groups' prefixes, which the plugin (header-only use) checks too. */
#define ST_UCALL_GROUP_PREFIX "sidetrace_"
#define ST_FILES_GROUP_PREFIX "sidetrace_files_"

enum st_name_kind {
	ST_NAME_INSTANCE,
	ST_NAME_UCALL_GROUP,
	ST_NAME_FILES_GROUP,
	ST_NAME_UNDO_LIST,
};

/* The name of kind for process pid (allocated; the undo list's file name, without its directory). */
char *st_name(enum st_name_kind kind, pid_t pid);

/*
 * Which of our names name is and whose: returns the pid (with *kind set, if
 * kind is not NULL), or -1 when name is none of them.
 */
pid_t st_name_parse(const char *name, enum st_name_kind *kind);

/* A pid written in decimal, nothing else ("123"), or -1. */
pid_t st_pid_parse(const char *s);

#endif
