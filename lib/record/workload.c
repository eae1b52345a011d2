// SPDX-License-Identifier: LGPL-2.1
/*
 * A session's COMMAND and stop signals (see workload.h), shared by record and
 * trace.
 */
#include "record/workload.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* One per process: a signal handler has no session to write into. */
static volatile sig_atomic_t stop_signal;

static const int handled_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

void workload_init(struct workload *w, char *const *argv, const char *stopped_when)
{
	*w = (struct workload){
		.argv = argv, .stopped_when = stopped_when, .pidfd = -1, .status = -1,
		.go_pipe = { -1, -1 }, .err_pipe = { -1, -1 },
	};
}

/* ------------------------------------------------------------------------- */
/* Signals */

static void stop_signal_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(handled_signals); i++)
		sigaddset(set, handled_signals[i]);
}

void workload_catch_signals(struct workload *w)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t block;

	stop_signal = 0;
	stop_signal_set(&block);
	sigprocmask(SIG_BLOCK, &block, &w->sig.orig_mask);
	for (size_t i = 0; i < ARRAY_SIZE(handled_signals); i++)
		sigaction(handled_signals[i], &sa, &w->sig.old_actions[i]);
	sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, &w->sig.old_sigpipe);
}

int workload_stop_signal(void)
{
	return stop_signal;
}

/* The first one counts. */
bool workload_take_pending_signals(void)
{
	const struct timespec now = { 0 };
	sigset_t set;
	int sig;

	stop_signal_set(&set);
	while ((sig = sigtimedwait(&set, NULL, &now)) > 0)
		if (!stop_signal)
			stop_signal = sig;
	return stop_signal != 0;
}

bool workload_stopped_in_setup(const struct workload *w)
{
	if (!workload_take_pending_signals())
		return false;
	st_set_error("stopped by SIG%s %s", sigabbrev_np(stop_signal), w->stopped_when);
	return true;
}

static void put_back_dispositions(const struct workload_signals *sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(handled_signals); i++)
		sigaction(handled_signals[i], &sig->old_actions[i], NULL);
	sigaction(SIGPIPE, &sig->old_sigpipe, NULL);
}

void workload_restore_signals(struct workload *w)
{
	workload_take_pending_signals();
	put_back_dispositions(&w->sig);
}

/* ------------------------------------------------------------------------- */
/* The command */

/* It starts with the caller's dispositions and mask, as if run by a shell. */
static void child_exec(struct workload *w)
{
	char go;
	int err;

	put_back_dispositions(&w->sig);
	sigprocmask(SIG_SETMASK, &w->sig.orig_mask, NULL);
	close(w->go_pipe[1]);
	close(w->err_pipe[0]);
	if (read(w->go_pipe[0], &go, 1) != 1)
		_exit(127);	/* the session failed before tracing started */
	close(w->go_pipe[0]);
	execvp(w->argv[0], w->argv);
	err = errno;
	if (write(w->err_pipe[1], &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

int workload_fork(struct workload *w)
{
	if (pipe2(w->go_pipe, O_CLOEXEC) < 0 || pipe2(w->err_pipe, O_CLOEXEC) < 0) {
		st_set_error("cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	w->pid = fork();
	if (w->pid < 0) {
		st_set_error("cannot fork: %s", strerror(errno));
		w->pid = 0;
		return -1;
	}
	if (w->pid == 0)
		child_exec(w);
	close(w->go_pipe[0]);
	close(w->err_pipe[1]);
	w->go_pipe[0] = w->err_pipe[1] = -1;
	w->pidfd = pidfd_open(w->pid, 0);
	if (w->pidfd < 0) {
		st_set_error("cannot watch the command: pidfd_open: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int workload_release(struct workload *w)
{
	ssize_t n;
	int err;

	if (write(w->go_pipe[1], "g", 1) != 1) {
		/* Most likely a Ctrl-C that reached the waiting child too. */
		if (!workload_stopped_in_setup(w))
			st_set_error("cannot start the command: %s", strerror(errno));
		return -1;
	}
	close(w->go_pipe[1]);
	w->go_pipe[1] = -1;
	do {
		n = read(w->err_pipe[0], &err, sizeof(err));
	} while (n < 0 && errno == EINTR);
	if (n == sizeof(err)) {
		st_set_error("cannot run %s: %s", w->argv[0], strerror(err));
		return -1;
	}
	return 0;
}

void workload_reap(struct workload *w, bool block)
{
	int status;

	if (!w->pid || w->status != -1)
		return;
	if (waitpid(w->pid, &status, block ? 0 : WNOHANG) == w->pid)
		w->status = status;
}

void workload_forward_signal(struct workload *w, int sig)
{
	struct pollfd p = { .fd = w->pidfd, .events = POLLIN };

	if (!w->pid || w->status != -1)
		return;
	kill(w->pid, sig);
	if (poll(&p, 1, 1000) == 1)
		workload_reap(w, true);
}

void workload_cancel(struct workload *w)
{
	if (w->go_pipe[1] < 0)
		return;
	close(w->go_pipe[1]);
	w->go_pipe[1] = -1;
	workload_reap(w, true);
}

void workload_close(struct workload *w)
{
	if (w->pidfd >= 0)
		close(w->pidfd);
	if (w->err_pipe[0] >= 0)
		close(w->err_pipe[0]);
	w->pidfd = w->err_pipe[0] = -1;
}
