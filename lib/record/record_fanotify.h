/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The fanotify backend of `record --files`: a notification group with
 * filesystem marks on every filesystem mounted in sidetrace's mount namespace,
 * for FAN_OPEN, FAN_OPEN_EXEC and FAN_CLOSE_WRITE (directories too), whose
 * events a thread reads while the command runs.
 *
 * A filesystem mark sees the whole machine, so events are filtered as soon as
 * they are read, by pid: the command's tree is known here only through
 * /proc (parent links and start times); a process that is certainly outside
 * (older than the command, or below a process that is) is dropped, and one
 * that is gone or whose ancestry ends at one of sidetrace's own ancestors (an
 * orphan may have been reparented there) is kept "unsure", for the report to
 * decide with the process tree that the trace events record.
 *
 * The group reports directory file handles and names (FAN_REPORT_DFID_NAME),
 * never open descriptors: the kernel then opens nothing on our behalf (a
 * device's open has side effects), and the name is the one the program used.
 * The group, its marks and its queue belong to its descriptor: they go when
 * sidetrace exits, however it exits.
 */
#ifndef SIDETRACE_RECORD_FANOTIFY_H
#define SIDETRACE_RECORD_FANOTIFY_H

#include <stdio.h>
#include <sys/types.h>

struct fan_recorder;

/*
 * Whether this kernel and these privileges allow a fanotify group that
 * reports file handles. 0, or -1 with st_set_error() saying why in one line
 * ("fanotify: not permitted (needs CAP_SYS_ADMIN)", "fanotify: this kernel
 * has no fanotify (CONFIG_FANOTIFY)", ...).
 */
int fan_check(void);

/*
 * Create the group, mark every mounted filesystem that accepts a mark, and
 * start the reader thread. root: the command, already forked and not yet
 * running. Returns NULL with st_set_error().
 */
struct fan_recorder *fan_recorder_start(pid_t root);

/* Read what is queued, then stop the thread (once; later calls do nothing). */
void fan_recorder_stop(struct fan_recorder *fr);

/*
 * The option lines (lib/fileset/fileset.h, "fanotify" keys), each through
 * put(ctx, key, value): counts, what was not marked, then one "fan" line per
 * distinct (pid, path) and a "fan_as_seen" line after it when the process saw
 * the file under another path (another root or mount namespace).
 */
void fan_recorder_put_lines(const struct fan_recorder *fr,
			    void (*put)(void *ctx, const char *key, const char *value),
			    void *ctx);

/* After stop: one line for record's summary (events kept and dropped, overflows). */
void fan_recorder_print_summary(const struct fan_recorder *fr, FILE *out);

void fan_recorder_free(struct fan_recorder *fr);

#endif
