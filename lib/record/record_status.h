/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The live status of `sidetrace record` on a terminal: one line on stderr,
 * redrawn a few times a second with the elapsed time, events/s, MB written
 * and the events lost on each CPU; and the summary table printed at the end.
 *
 * Everything is read by the main thread: the bytes from the recorder threads'
 * relaxed atomics (recorders_written) and the event counts from each CPU's
 * per_cpu/cpuN/stats, through descriptors opened once. The recorder threads
 * do no extra work for it.
 */
#ifndef SIDETRACE_RECORD_STATUS_H
#define SIDETRACE_RECORD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct tracefs_instance;
struct recorders;
struct record_status;

/* How often the line is redrawn. */
#define RECORD_STATUS_INTERVAL_MS 250

/* Whether to show it: not with -q, and only when stderr is a terminal. */
bool record_status_wanted(bool quiet);

/*
 * Start the clock and open the stats files of inst's nr_cpus CPUs. Returns
 * NULL (and shows nothing) if they cannot be opened.
 */
struct record_status *record_status_new(struct tracefs_instance *inst, const struct recorders *rec,
					 int nr_cpus);

/* Redraw the line if RECORD_STATUS_INTERVAL_MS have passed. NULL is allowed. */
void record_status_tick(struct record_status *st);

/* Erase the line (before the summary). NULL is allowed. */
void record_status_end(struct record_status *st);

void record_status_free(struct record_status *st);

/* ------------------------------------------------------------------------- */
/* Pure formatting (unit-tested) */

struct record_status_sample {
	double elapsed_s;
	double events_per_s;
	uint64_t bytes;
	const uint64_t *lost;	/* per CPU */
	int nr_cpus;
};

/*
 * The text of the status line, at most width - 1 visible characters (so it
 * never wraps), in buf (size bytes, NUL-terminated). With colour, the lost
 * part is bold red once any event is lost; without it, it turns to capitals.
 * Returns the length of buf.
 */
size_t record_status_format(char *buf, size_t size, const struct record_status_sample *s,
			    int width, bool color);

/*
 * The summary table: one row per CPU and a total row, numbers right-aligned.
 *
 *	CPU  events     bytes  lost
 *	  0   12345   1048576     0
 *	all   12399   1052672     0
 */
void record_status_print_table(FILE *f, int nr_cpus, const uint64_t *events, const uint64_t *bytes,
			       const uint64_t *lost);

#endif
