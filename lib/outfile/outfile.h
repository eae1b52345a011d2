/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Output files written safely by root in directories other users can write.
 *
 * Every file a command writes (record -o, report --flamegraph) goes through
 * here. A regular output is written to a temporary file in the destination's
 * directory and renamed over the destination once complete, so:
 *   - a symbolic link or hard link at the destination is replaced, never
 *     written through;
 *   - an existing file stays as it was until the new one is complete (a
 *     failure, a full disk or a kill leaves it untouched);
 *   - the temporary has no name at all while it is written (O_TMPFILE), or on
 *     filesystems without O_TMPFILE a random one, ".sidetrace-XXXXXX",
 *     created with O_EXCL|O_NOFOLLOW; so any name up to NAME_MAX works.
 *
 * The path is walked as the kernel walks it, with fs.protected_symlinks' and
 * fs.protected_regular's rules applied whatever the sysctls say: in a sticky
 * directory, a symbolic link is followed, and an existing entry replaced,
 * only if it belongs to us or to the directory's owner; otherwise it is an
 * error. The last component is followed only if it is a link of ours (or of
 * root's, like /dev/stdout); another user's link is replaced, not followed.
 *
 * A FIFO or a device of ours or root's (/dev/null, a FIFO made with mkfifo),
 * or one that a link of ours or root's leads to (/dev/stdout to a pipe), is
 * written in place, opened without blocking: a FIFO nobody reads is an
 * error, not a hang. "-" is standard output.
 */
#ifndef SIDETRACE_OUTFILE_H
#define SIDETRACE_OUTFILE_H

#include <stdbool.h>
#include <sys/types.h>

struct st_undo;
struct outfile;

struct outfile_opts {
	mode_t mode;		/* a new file's mode, before the umask */
	bool seekable;		/* the writer seeks (pwrite): refuse FIFOs, pipes, terminals */
};

/* Mode of files that hold kernel addresses or other users' activity. */
#define OUTFILE_PRIVATE 0600
/* Mode of ordinary outputs: what the umask leaves of 0666. */
#define OUTFILE_PUBLIC 0666

/*
 * Check path and prepare to write it: create the temporary, or open the
 * FIFO, device or standard output. Nothing at path changes until
 * outfile_commit(). Returns NULL with st_set_error() ("cannot write PATH: ...").
 */
struct outfile *outfile_open(const char *path, const struct outfile_opts *opts);

/* The descriptor to write (read-write for a temporary). */
int outfile_fd(const struct outfile *f);

/* The output's name for messages: the path as given, or "standard output". */
const char *outfile_name(const struct outfile *f);

/*
 * Note every temporary file that has (or will get) a name on undo, while it
 * has one, so that `sidetrace reset` deletes what a SIGKILL left. undo must
 * outlive f or be replaced by NULL before it is finished.
 */
void outfile_track(struct outfile *f, struct st_undo *undo);

/*
 * A scratch file for bulky intermediate data (record's per-CPU buffers):
 * read-write, mode 0600, unnamed (deleted when closed, also after a kill),
 * in the output's directory, or for a FIFO, device or standard output in
 * $TMPDIR or /var/tmp. Returns a descriptor or -1 with st_set_error().
 */
int outfile_scratch(struct outfile *f);

/*
 * The name to give in write errors of scratch files: the output's name when
 * they share its directory (and filesystem), else the scratch directory.
 */
const char *outfile_scratch_name(const struct outfile *f);

/*
 * Make the output complete: flush it to disk and rename the temporary over
 * the destination (or close the FIFO, device or standard output).
 * Returns 0, or -1 with st_set_error() and the destination left as it was.
 */
int outfile_commit(struct outfile *f);

/*
 * Free f. Without a successful outfile_commit() first, the temporary is
 * removed and the destination left as it was. NULL is allowed.
 */
void outfile_close(struct outfile *f);

#endif
