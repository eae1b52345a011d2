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
 *           (a build-id debug file, e.g. libc6-dbg).
 * Both add the syscall events that give results, dirfds and flags, and the
 * sched/task events of the process tree. Which backend was used, and what it
 * cannot see, goes into the trace.dat as the TD_OPT_FILES option (fileset.h
 * reads it).
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

/*
 * Create the probes (unique names, group "sidetrace_files_<pid>") and add
 * them and the needed kernel events to targets, for the caller to enable in
 * inst. Every probe is created through undo. Returns NULL with st_set_error().
 */
struct record_files *record_files_setup(struct st_undo *undo, struct record_targets *targets);

/* Store the TD_OPT_FILES option: backend, blind spots, cwd, root pid, command. */
void record_files_add_option(const struct record_files *rf, struct td_meta *meta, pid_t root,
			     char *const *command);

/* The backend's name ("kprobe", "uprobe"). */
const char *record_files_backend(const struct record_files *rf);

void record_files_free(struct record_files *rf);

#endif
