/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `sidetrace record --files`: what the kernel at hand needs to derive a file
 * set, set up for one recording and removed at its end through the undo list.
 *
 * Backends, strongest first:
 *   kprobe  a kretprobe on getname_flags (every path the kernel looks up, from
 *           the kernel's own copy of the name);
 *   uprobe  uprobes on the C library's file functions, dlopen, and the dynamic
 *           loader's own open/access functions when their symbols can be found
 *           (a build-id debug file, e.g. libc6-dbg);
 *   fanotify  filesystem marks (record_fanotify.h): every successful open and
 *           exec, whatever the program is made of, but no failed lookups and
 *           no path as the program wrote it.
 * combined is fanotify and the strongest probe backend together; auto is
 * kprobe where the kernel has kprobes, else combined when fanotify is
 * allowed, else uprobe. The probe backends add the syscall events that give
 * results, dirfds and flags; all add the sched/task events of the process
 * tree. Which backends were used, what each cannot see, and the fanotify
 * events go into the trace.dat as the TD_OPT_FILES option (fileset.h reads it).
 */
#ifndef SIDETRACE_RECORD_FILES_H
#define SIDETRACE_RECORD_FILES_H

#include <stdbool.h>
#include <sys/types.h>

struct st_undo;
struct td_meta;
struct tracefs_instance;
struct record_targets;

struct record_files;

enum record_files_backend {
	RF_AUTO,
	RF_KPROBE,
	RF_UPROBE,
	RF_FANOTIFY,
	RF_COMBINED,
	RF_PROBES,	/* not a --files name: the strongest probe backend alone (the path
			   names of sidetrace trace and record --syscalls) */
};

/* "auto", "kprobe", ...: the backend, or -1 with st_set_error(). */
int record_files_backend_from_name(const char *name);

/*
 * Create the probes (unique names, group "sidetrace_files_<pid>") and add
 * them and the needed kernel events to targets, for the caller to enable in
 * inst. Every probe is created through undo. With fanotify, start reading
 * its events for root (the command, forked and waiting to exec). When auto
 * cannot use fanotify, one line says why unless quiet. Returns NULL with
 * st_set_error().
 */
struct record_files *record_files_setup(struct st_undo *undo, struct record_targets *targets,
					enum record_files_backend backend, pid_t root, bool quiet);

/*
 * Store the TD_OPT_FILES option: backends, blind spots, cwd, root pid,
 * command, and the fanotify events (read to the end first).
 */
void record_files_add_option(struct record_files *rf, struct td_meta *meta, pid_t root,
			     char *const *command);

/* The backends' name ("kprobe", "uprobe", "fanotify", "uprobe+fanotify"). */
const char *record_files_backend(const struct record_files *rf);

void record_files_free(struct record_files *rf);

#endif
