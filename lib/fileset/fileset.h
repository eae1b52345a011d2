/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * File sets for bundlers: which files a traced command and its descendants
 * opened, executed or looked up, derived from a `record --files` trace.
 *
 * The model (fileset.c) is fed one event at a time, so it is unit-testable
 * without trace files: a process tree with shared or copied cwd and fd tables
 * (clone flags), names paired with the syscall results on the same thread,
 * relative paths resolved against the cwd or the dirfd's path, and the files
 * the kernel opens itself at exec (PT_INTERP, #! interpreters) added.
 * fileset_trace.c feeds it from a trace.dat; fileset_out.c prints it;
 * fileset_deps.c adds the static DT_NEEDED layer.
 */
#ifndef SIDETRACE_FILESET_H
#define SIDETRACE_FILESET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "fileset/fs_kind.h"

/* How a file was used (bits). */
enum fs_access {
	FS_READ = 1 << 0,
	FS_WRITE = 1 << 1,
	FS_CREATE = 1 << 2,
	FS_EXEC = 1 << 3,
	FS_STAT = 1 << 4,	/* looked up only: stat, access, readlink, chdir */
	FS_DLOPEN = 1 << 5,	/* named by dlopen */
	FS_INTERP = 1 << 6,	/* opened by the kernel at exec (PT_INTERP, #!) */
	FS_NEEDED = 1 << 7,	/* --with-deps: the static DT_NEEDED layer */
};
#define FS_OPENED (FS_READ | FS_WRITE | FS_CREATE | FS_EXEC | FS_INTERP | FS_NEEDED)

/* Which backend saw a file (bits of fs_file.seen_by). */
enum fs_seen {
	FS_SEEN_TRACE = 1 << 0,		/* the trace's events: probes, syscalls, exec */
	FS_SEEN_FANOTIFY = 1 << 1,	/* record --files' fanotify events */
};

/*
 * The kind of a probe event's records: "open_open64" -> FS_K_OPEN (the
 * event's name is "<kind>_<what>", as record_files.c names its events; for
 * the one event that carries a "kind" argument, that argument decides).
 */
enum fs_kind fs_kind_of_probe(const char *event);

struct fs_errno_count {
	int err;
	int count;
};

struct fs_file {
	char *path;		/* absolute, normalized, as requested */
	unsigned access;	/* successful uses (enum fs_access) */
	pid_t pid;		/* first successful user */
	char comm[16];
	struct fs_errno_count *errs;	/* failed attempts, per errno */
	int nr_errs;
	unsigned seen_by;	/* enum fs_seen */
	char *as_seen;		/* the path as its process saw it (another root), or NULL */
};

/* The arguments of a syscall the model uses (AT_FDCWD, -1 when absent). */
struct fs_sys_args {
	long dfd;
	long flags;
	long fd;	/* fchdir, close, dup*, fcntl, execveat */
	long newfd;	/* dup2, dup3 */
	long cmd;	/* fcntl */
};

struct fs_model;

/* cwd: the launcher's working directory (where the root process starts). */
struct fs_model *fs_model_new(const char *cwd);
void fs_model_free(struct fs_model *m);

/*
 * Read paths relative to root (a directory standing for "/", for tests) when
 * looking at files: "#!" lines, PT_INTERP, symlinks for "..". NULL = "/".
 */
void fs_model_set_root(struct fs_model *m, const char *root);

/* Process tree. clone_flags as task_newtask gives them (CLONE_THREAD/FS/FILES). */
void fs_clone(struct fs_model *m, pid_t parent, pid_t child, uint64_t clone_flags,
	      const char *comm);
/* A successful exec (sched_process_exec); old_pid differs for a non-leader thread. */
void fs_exec(struct fs_model *m, pid_t pid, pid_t old_pid, const char *filename);
void fs_exit(struct fs_model *m, pid_t tid);

/* A probe's path string for tid (uprobe before the syscall, kprobe inside it). */
void fs_name(struct fs_model *m, pid_t tid, enum fs_kind kind, const char *path);
/* dlopen's return value (0 = failed) for the last dlopen name of tid. */
void fs_dlopen_ret(struct fs_model *m, pid_t tid, uint64_t handle);
/* Syscall enter and exit ("openat", "close", ...: the event name without sys_enter_). */
void fs_sys_enter(struct fs_model *m, pid_t tid, const char *sys, const struct fs_sys_args *a);
void fs_sys_exit(struct fs_model *m, pid_t tid, const char *sys, long ret);

/*
 * Resolve path as tid sees it: absolute, or relative to dfd (AT_FDCWD = the
 * cwd). Returns a new normalized absolute path ("." and "//" removed, ".."
 * taken physically: after the symlinks of the prefix), or NULL when the path
 * is empty or dfd is unknown.
 */
char *fs_resolve(struct fs_model *m, pid_t tid, long dfd, const char *path);
/* A cwd/fd query for tests: the cwd of tid, or NULL. */
const char *fs_cwd(struct fs_model *m, pid_t tid);
/* The path of fd in tid's table, or NULL. */
const char *fs_fd_path(struct fs_model *m, pid_t tid, int fd);
/* The thread-group id of tid (tid itself if unknown). */
pid_t fs_tgid(struct fs_model *m, pid_t tid);

/* Normalize an absolute path (see fs_resolve); root as in fs_model_set_root. */
char *fs_normalize(const char *root, const char *path);

/* Record a use of path directly (for the deps layer and tests); seen by the trace. */
void fs_add(struct fs_model *m, const char *path, unsigned access, pid_t pid, const char *comm);
/* The same, saying which backend saw it (enum fs_seen); returns the file. */
struct fs_file *fs_add_seen(struct fs_model *m, const char *path, unsigned access, pid_t pid,
			    const char *comm, unsigned seen_by);
/* Whether tid appeared in the trace (it is of the command's tree); its comm if so. */
bool fs_task_known(struct fs_model *m, pid_t tid, const char **comm);

/* Every file, sorted by path. */
int fs_files(struct fs_model *m, struct fs_file ***files);
/* Counters: names that no result took, results without names, unresolved dirfds. */
struct fs_counts {
	long unnamed_ok;	/* successful open/exec results that had no name */
	long unnamed_failed;
	long unresolved;	/* relative to an unknown dirfd */
	long io_uring;		/* io_uring instances created (opens not seen) */
	long lost_events;
	long fan_overflows;	/* fanotify queue overflows: its events were lost */
	long fan_unresolved;	/* the tree's fanotify events whose directory was not named */
	long fan_outside;	/* fanotify events of processes not in the trace's tree */
};
const struct fs_counts *fs_model_counts(struct fs_model *m);
struct fs_counts *fs_model_counts_mut(struct fs_model *m);

/* Whether path is in /proc, /sys or /dev. */
bool fs_is_pseudo(const char *path);

/* ------------------------------------------------------------------------- */
/* From a trace.dat (fileset_trace.c) */

/* One fanotify event of the option: a "fan" line and its "fan_as_seen". */
struct fs_fan_event {
	pid_t pid;
	unsigned access;	/* FS_READ, FS_WRITE, FS_EXEC */
	char *path;
	char *as_seen;		/* or NULL */
};

/* What record --files stored (the TD_OPT_FILES option). */
struct fs_info {
	char *backend;		/* "uprobe", "kprobe", "fanotify", "uprobe+fanotify", ... */
	char *cannot_see;	/* what no backend of the recording sees */
	char *cannot_see_probes;	/* the probe backend's own blind spots, or NULL */
	char *cannot_see_fanotify;	/* fanotify's, or NULL */
	bool fanotify;		/* the fanotify backend was used */
	long fan_overflows, fan_unresolved, fan_dropped;
	char *fan_unmarked;	/* filesystem types fanotify could not mark */
	char *fan_error;	/* the reader's failure */
	struct fs_fan_event *fan;
	int nr_fan;
	struct fs_fan_event *fan_lost;	/* per process: access = events not named */
	int nr_fan_lost;
	char *missing;
	char *cwd;
	char *ld_library_path;
	pid_t root_pid;
	char **argv;
	int argc;
};
void fs_info_free(struct fs_info *info);
/*
 * One key=value line of the option if it is one of the fanotify backend's or
 * a per-backend "cannot_see_*" (*value taken, set to NULL); false otherwise.
 */
bool fs_info_parse_fanotify(struct fs_info *info, const char *key, char **value);
/* Parse the option text. Returns 0 or -1 with st_set_error(). */
int fs_info_parse(const char *text, size_t len, struct fs_info *info);

/*
 * Add the fanotify events of info to m: those of the root and of processes the
 * trace shows (others are counted as fan_outside); a file the model has under
 * another name that resolves to the same path (a symbolic link; looked up
 * under the model's root, on this machine) is the same file.
 */
void fs_merge_fanotify(struct fs_model *m, const struct fs_info *info);

/*
 * Read a trace.dat recorded with --files into a new model (info filled).
 * Returns NULL with st_set_error() ("recorded without --files", ...).
 */
struct fs_model *fs_model_from_trace(const char *path, struct fs_info *info);

/* ------------------------------------------------------------------------- */
/* The static layer (fileset_deps.c) */

struct fs_deps_env {
	const char *ld_library_path;	/* the recorded one, or NULL */
	const char *root;		/* as fs_model_set_root; NULL = "/" */
};

/*
 * The libraries the dynamic loader would load for the ELF file at path (its
 * DT_NEEDED closure), each searched for as elf/ldsearch.h says; $ORIGIN is
 * the directory of the object's real path. Adds each found path to *out
 * (strlist-like array, deduplicated), and the sonames not found to *missing.
 * Returns 0, or -1 if path is not an x86-64 ELF file.
 */
int fs_needed_closure(const char *path, const struct fs_deps_env *env, char ***out, int *nr,
		      char ***missing, int *nr_missing);
/* The interpreter of a "#!" script (its first word), or NULL. */
char *fs_script_interp(const char *path);
/* The PT_INTERP of an ELF file, or NULL. */
char *fs_elf_interp(const char *path);

/* Add the static layer for every ELF and script the model has opened or executed. */
void fs_add_deps(struct fs_model *m, const struct fs_deps_env *env);

/* ------------------------------------------------------------------------- */
/* Output (fileset_out.c) and `report --files` (fileset_report.c) */

enum fs_format { FS_FORMAT_LIST, FS_FORMAT_NULL, FS_FORMAT_JSON };

struct fs_out_opts {
	enum fs_format format;
	bool failed;
	bool include_pseudo;
	bool with_deps;
};

int fs_write(struct fs_model *m, const struct fs_info *info, const struct fs_out_opts *o,
	     FILE *out);

/*
 * Read the trace.dat input (recorded with --files), print its file set to out
 * as o asks, then on stderr the backend, what it cannot see and what was
 * missed (lost events, paths not resolved). Returns 0, or -1 with
 * st_set_error().
 */
int fs_report(const char *input, const struct fs_out_opts *o, FILE *out);

#endif
