/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The syscall view: a stream of events (a thread's syscall entries and exits,
 * forks, execs, exits, signals, the path strings of probes, lost events), in
 * time order, becomes strace-like lines:
 *
 *	  0.224 ( 0.014 ms) ls/14234 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3
 *
 * Entry and exit are joined per thread; a call still running when another
 * thread's line is printed is shown as "<unfinished ...>" and finished by a
 * "<... NAME resumed>" line, as strace does. Descriptors are followed per
 * thread (opens, dup, close, exec's close-on-exec) to print their paths.
 * The same code serves the live `sidetrace trace` and `report --syscalls`:
 * each turns its records into struct sc_event and feeds them here.
 */
#ifndef SIDETRACE_SC_FMT_H
#define SIDETRACE_SC_FMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum sc_ev_type {
	SC_EV_ENTER,		/* nr, args */
	SC_EV_EXIT,		/* nr, ret */
	SC_EV_FORK,		/* tid made child (comm: the child's) */
	SC_EV_EXEC,		/* tid runs comm (the new program's file name) */
	SC_EV_TASK_EXIT,	/* tid is gone */
	SC_EV_PATH,		/* path: a file name the thread passed to the kernel */
	SC_EV_SIGNAL,		/* sig was delivered to tid */
	SC_EV_LOST,		/* lost events on cpu were dropped before this point */
};

struct sc_event {
	enum sc_ev_type type;
	uint64_t ts;		/* ns, any origin (the first event's is time 0) */
	int cpu;
	int tid;
	long nr;
	uint64_t args[6];
	int64_t ret;
	int child;
	const char *comm;
	const char *path;
	/*
	 * Where the path was taken: inside the call, between its entry and
	 * exit (a kernel probe), or just before its entry (a probe on the C
	 * library's function, which the next syscall of the thread consumes).
	 */
	bool path_inside;
	int sig;
	uint64_t lost;		/* 0: an unknown number */
};

struct sc_fmt_opts {
	FILE *out;
	/* Calls to print, by number (sc_nr_max() entries); NULL: every call. */
	const bool *selected;
	bool failed_only;		/* --failed: only calls that returned an error */
	uint64_t min_duration_ns;	/* --duration: only calls at least this long */
	bool summary;			/* -c: no lines, a table per syscall at the end */
	int strsize;			/* -s: at most this many bytes of a string; 0: all */
	bool wall_clock;		/* -t: the time of day instead of ms since the start */
	int64_t realtime_offset_ns;	/* -t: added to an event's ts gives CLOCK_REALTIME */
	/* The number of arguments of a syscall the decoder has no signature of (6 if NULL). */
	int (*nargs)(void *ctx, const char *name);
	void *nargs_ctx;
};

struct sc_fmt;

struct sc_fmt *sc_fmt_new(const struct sc_fmt_opts *opts);

/*
 * Follow tid (its events are printed, and its children's): without any, every
 * thread is. comm may be NULL.
 */
void sc_fmt_add_task(struct sc_fmt *f, int tid, const char *comm);
/*
 * tid's command name, when the formatter has none yet (a trace file's saved
 * command lines); made when every thread is followed.
 */
void sc_fmt_set_comm(struct sc_fmt *f, int tid, const char *comm);
/* Whether the formatter has a command name for tid. */
bool sc_fmt_has_comm(struct sc_fmt *f, int tid);
/* Show nothing of tid before its first successful execve (a launcher's own calls). */
void sc_fmt_await_exec(struct sc_fmt *f, int tid);
/* What descriptor fd of tid is (at attach: /proc/PID/fd), and whether it closes on exec. */
void sc_fmt_set_fd(struct sc_fmt *f, int tid, int fd, const char *path, bool cloexec);

/* One event, in time order. */
void sc_fmt_feed(struct sc_fmt *f, const struct sc_event *ev);

/* The end: calls still running are shown unfinished; the -c table. */
void sc_fmt_finish(struct sc_fmt *f);

/*
 * The followed threads the events have not seen exit yet (for a view that,
 * as strace -f, lasts until the command's last descendant is gone), and
 * marking one gone whose exit event was lost.
 */
int sc_fmt_nr_alive(const struct sc_fmt *f);
void sc_fmt_for_each_alive(struct sc_fmt *f, void (*fn)(void *ctx, int tid), void *ctx);
void sc_fmt_gone(struct sc_fmt *f, int tid);

/* Lines printed so far (not counting the summary). */
uint64_t sc_fmt_lines(const struct sc_fmt *f);

void sc_fmt_free(struct sc_fmt *f);

/*
 * The -e expressions to the selection by number (sc_nr_max() entries), in
 * strace's syntax: "open,openat", "%file", "trace=%process,read", "!close",
 * "all", "none". Applied in order: a plain one adds its calls, one starting
 * with '!' removes them (and when the first one does, it removes them from
 * every call). Returns a new array, or NULL with st_set_error():
 * "-e: unknown syscall 'opne' (did you mean 'open'?)".
 */
bool *sc_parse_selection(char *const *exprs, int nr);

#endif
