/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `sidetrace record`: its options (a pure parser, unit-tested) and the
 * recording session that sets up a private tracefs instance, streams every
 * CPU's ring buffer to temp files, and writes trace.dat.
 */
#ifndef SIDETRACE_RECORD_H
#define SIDETRACE_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "record/record_ftrace.h"
#include "record/record_ucalls.h"

/* One -e: an event spec and the -f filter that followed it (or NULL). */
struct record_event {
	char *spec;	/* "sched:sched_switch", "sched", "sched_switch", "sched:*exec", "all" */
	char *filter;	/* kernel filter syntax */
};

struct record_opts {
	struct record_event *events;
	int nr_events;
	char *output;		/* default "trace.dat" */
	unsigned long buffer_kb;/* per-CPU buffer size; 0 = the kernel's default */
	char *clock;		/* trace clock, NULL = the kernel's default */
	pid_t *pids;		/* -P: processes to attach to */
	int nr_pids;
	bool follow_command;	/* -F: only the command and its descendants */
	bool no_filter;		/* --no-filter: do not hide sidetrace's own threads */
	bool files;		/* --files: what file-set derivation needs (record_files.h) */
	struct record_ftrace_opts ftrace; /* -p -g -l -n -O ... (record_ftrace.h) */
	struct record_ucall_opts ucalls;	/* -x PATH -g/-n ..., --max-probes (record_ucalls.h) */
	bool quiet;
	bool help;		/* --help was given: print usage, do nothing else */
	int file_version;	/* 6 or 7; 0 = default */
	int compression;	/* enum td_compression; -1 = default */
	char **command;		/* NULL-terminated, points into argv; NULL = none */
	int command_argc;
};

/*
 * Parse `record`'s argv (argv[0] = "record") into opts, which it initialises.
 * Parsing stops at the first non-option: that word and the rest are the
 * command. Returns 0, or -1 with st_set_error() set to a one-line message
 * (the opts are then freed). Never prints, never exits.
 */
int record_parse_args(int argc, char **argv, struct record_opts *opts);
void record_opts_free(struct record_opts *opts);

/* The text of `sidetrace record --help`. */
extern const char record_usage[];

/* An event the session enables, with the filter of the last -e that selected it. */
struct record_target {
	char *system;
	char *event;
	const char *filter;	/* points into the opts; NULL = none */
};

struct record_targets {
	struct record_target *items;
	int nr;
};

/*
 * Whether an -e spec names something: not empty, and no empty side of its
 * ':' or '/' ("-e ':'" once enabled every event). 0, or -1 with
 * st_set_error() saying what to write instead.
 */
int record_event_spec_check(const char *spec);

/*
 * Expand the -e specs against the kernel's events under tracing_dir (the
 * tracefs mount or an instance's directory). A spec is "SYSTEM:EVENT" (or
 * "SYSTEM/EVENT"; both sides needed), a single word matched
 * against system and event names (so "sched" is the sched system), or "all";
 * fnmatch(3) globs anywhere. The ftrace system is never enabled (its events
 * are always on). The result is sorted by system and event, without
 * duplicates. A spec that matches nothing is an error:
 * "no event matches 'foo:bar'". Returns 0 or -1 with st_set_error().
 */
int record_expand_events(const char *tracing_dir, const struct record_event *specs, int nr_specs,
			 struct record_targets *out);
void record_targets_free(struct record_targets *t);

/* What a finished session reports. */
enum record_outcome {
	RECORD_DONE,		/* the command exited, or the -P pids did */
	RECORD_INTERRUPTED,	/* stopped by SIGINT */
	RECORD_TERMINATED,	/* stopped by SIGTERM (or SIGHUP) */
};

/*
 * Run a whole recording session. Every change to tracefs is undone before it
 * returns, whatever happens. Returns 0 with *outcome set (the output file is
 * complete), or -1 with st_set_error() (nothing was written).
 * *cmd_status is the workload's wait status (or -1 if there was none or it
 * was not reaped).
 */
int record_run(const struct record_opts *opts, enum record_outcome *outcome, int *cmd_status);

#endif
