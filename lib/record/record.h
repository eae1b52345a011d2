/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `sidetrace record`: its options (parsed from argv by cmd/record_opts.c) and
 * the recording session that sets up a private tracefs instance, streams every
 * CPU's ring buffer to temp files, and writes trace.dat.
 */
#ifndef SIDETRACE_RECORD_H
#define SIDETRACE_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "record/record_files.h"
#include "record/record_ftrace.h"
#include "record/record_targets.h"
#include "record/record_ucalls.h"

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
	enum record_files_backend files_backend;	/* --files=BACKEND, --files-backend */
	bool no_kallsyms;	/* --no-kallsyms: no kernel addresses in the file's metadata */
	bool stack;		/* --stack: stack traces at hits (record_stack.h) */
	bool syscalls;		/* --syscalls: record --files' path probes too, for report --syscalls */
	struct record_ftrace_opts ftrace; /* -p -g -l -n -O ... (record_ftrace.h) */
	struct record_ucall_opts ucalls;	/* -x PATH -g/-n ..., --max-probes (record_ucalls.h) */
	bool quiet;
	bool help;		/* --help was given: print usage, do nothing else */
	int file_version;	/* 6 or 7; 0 = default */
	int compression;	/* enum td_compression; -1 = default */
	char **command;		/* NULL-terminated, points into argv; NULL = none */
	int command_argc;
};


/* What a finished session reports. */
enum record_outcome {
	RECORD_DONE,		/* the command exited, or the -P pids did, or an error */
	RECORD_INTERRUPTED,	/* stopped by SIGINT */
	RECORD_TERMINATED,	/* stopped by SIGTERM (or SIGHUP) */
};

/*
 * Run a whole recording session. Every change to tracefs is undone before it
 * returns, whatever happens. Returns 0 (the output file is complete), or -1
 * with st_set_error() (nothing was written). *outcome says whether SIGINT,
 * SIGTERM or SIGHUP stopped it, the recording (0) or its set-up (-1).
 * *cmd_status is the workload's wait status (or -1 if there was none or it
 * was not reaped).
 * Those signals are caught from the start and are still blocked when it
 * returns: one arriving at the very end is dropped at exit rather than kill
 * the process before it has printed how the recording ended.
 */
int record_run(const struct record_opts *opts, enum record_outcome *outcome, int *cmd_status);

/*
 * Whether this process may trace: tracefs mounted, root's rights on it.
 * 0, or -1 with st_set_error() ("permission denied: recording needs root ...").
 */
int record_check_tracefs(void);

#endif
