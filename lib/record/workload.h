/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The COMMAND a session traces, and the stop signals around it: what
 * `sidetrace record` and `sidetrace trace` share, written once so both start,
 * stop and report a command the same way.
 *
 * The session catches SIGINT, SIGTERM and SIGHUP and blocks them before
 * anything changes; it unblocks them only while it waits (ppoll() with
 * workload_signals.orig_mask), so they can only end the waiting, never
 * interrupt a half-done step. One that arrives while they are blocked stays
 * pending: set-up looks for it between its steps (workload_stopped_in_setup)
 * and it is always taken before the caller's dispositions come back, which
 * it would otherwise kill sidetrace with.
 *
 * The command is forked early, before any tracefs file or ring buffer is
 * opened, so that it inherits none of them; it waits on a pipe until tracing
 * is on (workload_release), and an exec error comes back through a second
 * pipe as "cannot run CMD: REASON".
 */
#ifndef SIDETRACE_RECORD_WORKLOAD_H
#define SIDETRACE_RECORD_WORKLOAD_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* What the session changed, to give back. */
struct workload_signals {
	sigset_t orig_mask;	/* the caller's mask, also the one to wait with */
	struct sigaction old_actions[3];	/* SIGINT, SIGTERM, SIGHUP */
	struct sigaction old_sigpipe;
};

struct workload {
	char *const *argv;	/* the command, NULL if none */
	const char *stopped_when;	/* ends "stopped by SIGINT ..." in set-up */
	struct workload_signals sig;
	pid_t pid;		/* 0 until forked */
	int pidfd;		/* readable once it has ended */
	int go_pipe[2];		/* the child execs when a byte arrives, exits on EOF */
	int err_pipe[2];	/* the child's exec errno, or EOF when exec worked */
	int status;		/* wait status, -1 until reaped */
};

/*
 * No process yet, every descriptor -1. stopped_when words how set-up ended
 * when a stop signal came, after "stopped by SIGINT ".
 */
void workload_init(struct workload *w, char *const *argv, const char *stopped_when);

/* Catch and block the stop signals and ignore SIGPIPE (a closed stderr must
 * not kill sidetrace before it has restored tracefs). */
void workload_catch_signals(struct workload *w);

/* The first stop signal taken, 0 if none yet. */
int workload_stop_signal(void);

/* Take the stop signals pending while blocked; whether one has come. */
bool workload_take_pending_signals(void);

/* Between set-up steps: true, with st_set_error(), if a stop signal came. */
bool workload_stopped_in_setup(const struct workload *w);

/*
 * The caller's dispositions back; the stop signals stay blocked, so that one
 * arriving from now on is dropped when the process exits instead of killing
 * it before it has said how the session ended.
 */
void workload_restore_signals(struct workload *w);

/* Fork the command, waiting to exec. Returns 0, or -1 with st_set_error(). */
int workload_fork(struct workload *w);

/* Let the command exec; -1 with st_set_error() if the exec failed. */
int workload_release(struct workload *w);

/* Its wait status into status if it has ended (block: wait for that). */
void workload_reap(struct workload *w, bool block);

/* Send sig to a running command and give it a second to end (reaped then). */
void workload_forward_signal(struct workload *w, int sig);

/* If never released: the child sees EOF and exits without running; reaped. */
void workload_cancel(struct workload *w);

/* Its descriptors closed (not the signals: workload_restore_signals). */
void workload_close(struct workload *w);

#endif
