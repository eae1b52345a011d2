/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The undo list: every change sidetrace makes to tracefs (and to the few /proc
 * files tracing needs) is made through it, so that one routine can put
 * everything back on every exit path. It also names the temporary files that
 * exist under a name for a while (outfile.h), so that they are deleted too.
 *
 * Each change is recorded (and persisted) BEFORE it is made, so a crash in
 * between leaves at worst a harmless extra undo step. The persisted file is a
 * small text file that `sidetrace reset` can replay after a SIGKILL:
 *
 *	sidetrace-undo 1
 *	rmdir /sys/kernel/tracing/instances/sidetrace-1234
 *	write /sys/kernel/tracing/instances/sidetrace-1234/events/sched/sched_switch/enable 0
 *	write /proc/sys/kernel/kptr_restrict 1
 *	remove /home/me/.sidetrace-Xk3bQ9mA0c
 *
 * Lines are applied in order; undoing replays them from the last to the first,
 * except that an instance the list created goes first: the changes inside it,
 * then the instance itself, whose removal also resets its event files and
 * event pid lists (st_undo_finish).
 * Values, and the paths of "remove" lines, are escaped: "\\" for a backslash,
 * "\n" for a newline (st_undo_unescape() returns the text they stand for).
 */
#ifndef SIDETRACE_TRACEFS_UNDO_H
#define SIDETRACE_TRACEFS_UNDO_H

#include <stdbool.h>
#include <sys/types.h>

struct tracefs_instance;
struct st_undo;

/*
 * Where record persists its undo lists (one file per process), and reset
 * looks for them: ST_UNDO_DIR, or ST_UNDO_DIR_FALLBACK on a system where that
 * cannot be made (no /run, and a read-only root). Each must be a directory
 * (not a link) that only its owner, sidetrace's user (root), can write: reset
 * replays what the lists there say, as root.
 */
#define ST_UNDO_DIR "/run/sidetrace"
#define ST_UNDO_DIR_FALLBACK "/tmp/sidetrace-undo"

/*
 * The directory to persist undo lists in: ST_UNDO_DIR, made (0700) if missing,
 * with /run itself (0755) on a system that has none (an initramfs, a
 * container); else ST_UNDO_DIR_FALLBACK, made likewise. One that exists but
 * is not private is refused, not worked around. NULL with st_set_error().
 */
const char *st_undo_dir(void);

/*
 * 0 if dir is a directory (not a link) of the effective user that no one else
 * can write; else -1 with st_set_error() and errno (ENOENT: there is none).
 */
int st_undo_dir_check(const char *dir);

/*
 * A new, empty undo list. persist_path: the file that mirrors the list (its
 * directory is made as st_undo_dir() makes one, and must be private), or
 * NULL to keep the list in memory only.
 * Returns NULL with st_set_error() if the file cannot be created.
 */
struct st_undo *st_undo_new(const char *persist_path);

/*
 * Undo everything still on the list: first each instance it created (the
 * changes inside it that removing it does not reset, last change first, then
 * the instance: the kernel disables its events and clears its event pid lists
 * in one go), then the rest, last change first. Then free the list and
 * delete the persisted file if every step succeeded (a failed step is warned
 * about and the file is kept for `sidetrace reset`). Returns 0 or -1.
 * NULL is allowed.
 */
int st_undo_finish(struct st_undo *u);

/*
 * Write value to the file at path, remembering the current contents so that
 * undoing writes them back. Nothing is written or recorded when the file
 * already holds value. How the old contents become a value to write back
 * depends on the file: trace_clock keeps the selected "[clock]", a filter of
 * "none" becomes "0", an enable file keeps its first character, and pid lists
 * are restored by truncating and writing the old pids.
 * Returns 0, or -1 with st_set_error() (the list is then unchanged).
 */
int st_undo_write(struct st_undo *u, const char *path, const char *value);

/* st_undo_write() for a file of an instance (NULL = top level). */
int st_undo_instance_write(struct st_undo *u, struct tracefs_instance *inst, const char *file,
			   const char *value);

/*
 * Append value to path (a tracefs file such as uprobe_events) and record that
 * undoing appends undo_value to it, e.g. value "p:grp/ev /lib/libc.so.6:0x..."
 * and undo_value "-:grp/ev". Persisted as "append PATH UNDO_VALUE".
 * Returns 0, or -1 with st_set_error() (the list is then unchanged).
 */
int st_undo_append(struct st_undo *u, const char *path, const char *value, const char *undo_value);

/*
 * Create the tracefs instance name (which must not exist yet) and record its
 * removal. Returns the instance or NULL with st_set_error().
 */
struct tracefs_instance *st_undo_instance_create(struct st_undo *u, const char *name);

/*
 * What a session (record, trace) starts with, named for this process
 * (tracefs_names.h): its undo list, persisted in st_undo_dir() so `sidetrace
 * reset` can finish it after a crash, and its own instance, created through
 * that list. NULL with st_set_error().
 */
struct st_undo *st_undo_new_session(void);
struct tracefs_instance *st_undo_session_instance(struct st_undo *u);

/* Set an instance's buffer_size_kb (kb 0: leave it), through the list. Returns 0 or -1. */
int st_undo_buffer_kb(struct st_undo *u, struct tracefs_instance *inst, unsigned long kb);

/*
 * A mark of the list's current length, and undoing every change made after
 * it (for a change that must not outlive a short step, such as kptr_restrict
 * around reading /proc/kallsyms). Returns 0 or -1 (as st_undo_finish).
 */
int st_undo_mark(const struct st_undo *u);
int st_undo_rollback(struct st_undo *u, int mark);

/* Number of changes on the list. */
int st_undo_count(const struct st_undo *u);

/*
 * Replay (undo) a persisted list left behind by a killed process, and delete
 * it if every step succeeded. For `sidetrace reset`. Returns 0 or -1.
 */
int st_undo_replay_file(const char *persist_path);

/*
 * rmdir an instance directory, retrying for up to a second while the kernel
 * says EBUSY (a reader that just closed one of its files). ENOENT counts as done.
 */
int st_undo_remove_dir(const char *path);

/*
 * A temporary file this process is about to create (persisted as "remove
 * PATH"): undoing deletes it, if it is still a regular file of our user's.
 * st_undo_forget_file() drops the entry without deleting anything, once the
 * file is renamed into place or deleted; it must not drop an entry older
 * than a mark that is still to be rolled back to (marks are positions).
 * Returns 0, or -1 with st_set_error().
 */
int st_undo_add_file(struct st_undo *u, const char *path);
void st_undo_forget_file(struct st_undo *u, const char *path);

char *st_undo_unescape(const char *s);

/* Write a space-separated pid list (set_event_pid, set_ftrace_pid, ...) through the undo list. */
int st_undo_write_pids(struct st_undo *u, struct tracefs_instance *inst, const char *file,
		       const pid_t *pids, int nr);

#endif
