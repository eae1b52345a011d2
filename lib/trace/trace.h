/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `sidetrace trace`: a live, strace-like view of a program's system calls
 * (and its descendants'), or of running processes', from the kernel's
 * raw_syscalls events read as they arrive from a private tracefs instance.
 * Options are parsed by cmd/trace.c; the lines are syscall/sc_fmt.h's.
 */
#ifndef SIDETRACE_TRACE_H
#define SIDETRACE_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct trace_opts {
	char **command;		/* NULL-terminated, into argv; NULL with -P */
	pid_t *pids;		/* -P */
	int nr_pids;
	char **exprs;		/* -e, in order */
	int nr_exprs;
	char *output;		/* -o; NULL = standard error, as strace */
	uint64_t min_duration_ns;	/* --duration */
	bool failed_only;	/* --failed */
	bool summary;		/* -c */
	bool wall_clock;	/* -t */
	bool no_strings;	/* --no-strings: no path probes */
	int strsize;		/* -s; 0 = whole paths */
	unsigned long buffer_kb;	/* -b */
	bool help;
};

/*
 * Trace until the command and its descendants (or every -P process and its
 * descendants) are gone, or SIGINT, SIGTERM or SIGHUP. tracefs is restored on every path. Returns the exit status
 * sidetrace should end with: the command's (128 + signal if a signal
 * killed it), 0 for -P (Ctrl-C detaches), 1 with the error printed.
 */
int trace_run(const struct trace_opts *opts);

/*
 * The same lines from a trace.dat of `record --syscalls` (trace_offline.c):
 * -e, --failed, --duration, -c and -s of opts apply. Returns 0, or -1 with
 * st_set_error().
 */
int trace_report(const char *path, const struct trace_opts *opts, FILE *out);

#endif
