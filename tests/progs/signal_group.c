// SPDX-License-Identifier: GPL-2.0
/*
 * signal_group: what a terminal's Ctrl-C does, at a chosen moment.
 *
 *	signal_group [-s SIG] [-w FILE] DELAY_MS COMMAND [ARGS...]
 *
 * Runs COMMAND in a process group of its own (as a shell's job), waits until
 * it has exec'd (and, with -w, until FILE is not empty), then DELAY_MS more,
 * sends SIG (default SIGINT) to the whole group, and waits for COMMAND.
 * Prints "PID exit N" or "PID signal N": whether COMMAND exited by itself or
 * was killed by the signal, which a shell's $? (128+N both) cannot tell.
 * Exits 0, or 1 if it could not do that.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static pid_t start(char **argv)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		/* A terminal's job starts with the default dispositions. */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (pid > 0) {
		setpgid(pid, pid);	/* whichever runs first, the group exists before kill */
		close(ready[1]);
		while (read(ready[0], &c, 1) < 0 && errno == EINTR)
			;	/* EOF: the exec happened (close-on-exec) */
	}
	close(ready[0]);
	return pid;
}

static void wait_not_empty(const char *file)
{
	struct stat st;

	for (int i = 0; i < 3000; i++) {
		if (stat(file, &st) == 0 && st.st_size > 0)
			return;
		sleep_ms(5);
	}
	fprintf(stderr, "signal_group: %s stayed empty for 15 s\n", file);
}

int main(int argc, char **argv)
{
	const char *wait_file = NULL;
	int sig = SIGINT, opt, status;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+s:w:")) != -1) {
		switch (opt) {
		case 's':
			sig = atoi(optarg);
			break;
		case 'w':
			wait_file = optarg;
			break;
		default:
			return 1;
		}
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: signal_group [-s SIG] [-w FILE] DELAY_MS COMMAND [ARGS...]\n");
		return 1;
	}
	pid = start(argv + optind + 1);
	if (pid < 0) {
		perror("signal_group: fork");
		return 1;
	}
	if (wait_file)
		wait_not_empty(wait_file);
	sleep_ms(atol(argv[optind]));
	kill(-pid, sig);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFSIGNALED(status))
		printf("%d signal %d\n", pid, WTERMSIG(status));
	else
		printf("%d exit %d\n", pid, WEXITSTATUS(status));
	return 0;
}
