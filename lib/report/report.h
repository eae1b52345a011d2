/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `sidetrace report`: print a trace.dat the way `trace-cmd report` 3.1.6 does,
 * byte for byte. The line layout (Documentation/trace-dat.md 2.1) is
 *
 *   [BUFFER: ]COMM-PID [CPU] TIME: NAME: INFO
 *
 * The prefix up to NAME is formatted here, without printf, because it is the
 * same for every event and formatting it dominates the run time; INFO comes
 * from libtraceevent (tep_print_event), its plugins and our function_graph
 * printer (fgraph.h). The unit tests check each helper against
 * tep_print_event with the format strings trace-cmd uses.
 */
#ifndef SIDETRACE_REPORT_H
#define SIDETRACE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/report_fmt.h"
#include "util.h"

/* ------------------------------------------------------------------------- */
/* Options */

struct tep_handle;
struct tep_record;
struct fgraph;
struct td_meta;

/*
 * The interface of the views other than the text lines (report --graph and
 * --profile in report_calls.h, the exports in export/): given to report_run(),
 * it receives every record that passes the filters in timestamp order instead
 * of their being printed (no "cpus=" line either); fgraph_decode() on the
 * given fgraph decodes function graph records. rec->missed_events tells about
 * lost events. Then done() is called once; it may print the view to the
 * output (fd given to report_run). The engine knows no view but through this.
 */
struct report_consumer {
	void (*record)(void *ctx, struct tep_handle *tep, const struct fgraph *fg,
		       struct tep_record *rec);
	int (*done)(void *ctx, int fd);	/* 0, or -1 with st_set_error() */
	void *ctx;
	/*
	 * Optional: events were lost before rec, a record the filters drop
	 * (missed as in rec->missed_events), so views filtered by pid still
	 * know a CPU lost events.
	 */
	void (*lost)(void *ctx, const struct tep_record *rec);
	/*
	 * Optional: called once before the first record, with the file's
	 * metadata (its private options, e.g. the user call table).
	 * 0, or -1 with st_set_error() to stop the report.
	 */
	int (*start)(void *ctx, struct tep_handle *tep, const struct td_meta *meta);
	/*
	 * Optional: the records that follow come from this buffer of the file
	 * (its instance name, NULL for the top level), until the next call.
	 * Called before the first record and whenever the buffer changes.
	 */
	void (*buffer)(void *ctx, const char *instance);
};

struct report_opts {
	const char *input;		/* default "trace.dat" */
	bool *cpu_mask;			/* --cpu: NULL = every CPU */
	int cpu_mask_len;
	struct strlist pids;		/* --pid, one pid per item */
	struct strlist comms;		/* --comm */
	struct strlist filters;		/* -F, libtraceevent filter strings */
	struct strlist plugin_opts;	/* -O plugin:opt[=val] */
	bool raw;			/* -R: field=value instead of the print format */
	bool nsec;			/* -t: nanosecond timestamps */
	bool no_plugins;		/* -N */
	bool list_events;		/* -E */
	bool stat;			/* --stat */
	bool uname;			/* --uname */
	bool version;			/* --version (the file's VERSION option) */
	bool first_event;		/* --first-event */
	bool last_event;		/* --last-event */
	uint64_t time_from;		/* --time-range: only records shown at these times */
	uint64_t time_to;		/* (ns, as the timestamps are printed); 0 = no end */
	enum report_color color;	/* --color=WHEN, --no-color (report_fmt.h) */
	/*
	 * The process ends after the report: report_run() leaves its memory,
	 * threads, file and plugins to exit(), which drops them at once
	 * (taking them down one by one was a millisecond or two).
	 */
	bool exiting;
};

void report_opts_free(struct report_opts *o);

/*
 * Run the whole report on o->input, writing to fd: the event lines, or, with
 * a view, every record that passes the filters to it (see report_consumer).
 * 0, or -1 with st_set_error().
 */
int report_run(const struct report_opts *o, const struct report_consumer *view, int fd);

/*
 * Print to out one "plugin: PATH" line per libtraceevent plugin that report
 * loads (sidetrace's own from the build tree or the installed place, see
 * sidetrace-report(1) -N, and the system's), for --version.
 */
void report_print_plugins(FILE *out);

#endif
