/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Per-CPU recorder threads: each streams one CPU's trace_pipe_raw of an
 * instance into an unnamed scratch file next to the output (outfile_scratch)
 * with splice (libtracefs tracefs_cpu_write), and on
 * stop drains what is left (tracefs_cpu_flush_write) and pads the file to a
 * whole number of sub-buffers, which is what trace.dat stores.
 */
#ifndef SIDETRACE_RECORDER_H
#define SIDETRACE_RECORDER_H

#include <stdint.h>
#include <sys/types.h>

struct outfile;
struct tracefs_instance;
struct recorders;

/*
 * Open every CPU's trace_pipe_raw of inst and a scratch file for each
 * (outfile_scratch(out)). page_size: the instance's sub-buffer size
 * (libtracefs 1.6.4's tracefs_cpu_open() would take the top level's).
 * Nothing runs yet. Returns NULL with st_set_error().
 */
struct recorders *recorders_open(struct tracefs_instance *inst, int nr_cpus, struct outfile *out,
				 int page_size);

/*
 * Start one thread per CPU. The threads block SIGINT, SIGTERM, SIGHUP and
 * SIGCHLD, so those reach the main thread. Returns 0 or -1.
 */
int recorders_start(struct recorders *r);

/* The threads' kernel task ids (for set_event_notrace_pid); n = nr_cpus. */
const pid_t *recorders_tids(const struct recorders *r);

/* Ask every thread to stop, wait for them to drain and pad. Returns 0 or -1. */
int recorders_stop(struct recorders *r);

/* After stop: CPU cpu's temp file (open, read-write) and its size. */
int recorders_fd(const struct recorders *r, int cpu);
uint64_t recorders_size(const struct recorders *r, int cpu);

/*
 * While running: the bytes CPU cpu's thread has written so far (a relaxed
 * atomic the thread bumps after each splice, so reading it costs the thread
 * nothing). For the live status line.
 */
uint64_t recorders_written(const struct recorders *r, int cpu);

/* The sub-buffer size the data is padded to. */
int recorders_page_size(const struct recorders *r);

/*
 * A descriptor that becomes readable (POLLIN) when a thread fails, e.g. on a
 * full disk, so that the recording stops at once; recorders_stop() then
 * returns the error ("writing FILE: No space left on device").
 */
int recorders_failed_fd(const struct recorders *r);

/* Close everything (the scratch files go with their descriptors). NULL is allowed. */
void recorders_free(struct recorders *r);

#endif
