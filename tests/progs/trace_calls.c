// SPDX-License-Identifier: GPL-2.0
/*
 * A fixed sequence of system calls for the `sidetrace trace` tests, which
 * compare its lines with strace's: opens, a read, failing calls, a stat, a
 * readlink, a signal to itself, a thread that opens a file, a fork whose child
 * execs this program again ("exec" argument), and an exit status of 7 (the
 * child's: 3).
 *
 * Each program image starts its own part with access() of a marker path, so
 * that the tests can cut away the dynamic loader's start-up on both sides.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
	getppid();	/* a syscall inside the handler */
}

static void *thread_main(void *arg)
{
	int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);

	(void)arg;
	close(fd);
	return NULL;
}

static void files(void)
{
	char buf[64];
	struct stat st;
	int fd = open("/etc/hostname", O_RDONLY);

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf)) < 0)
			perror("read");
		close(fd);
	}
	open("/nonexistent-sidetrace/x", O_RDONLY);	/* ENOENT */
	access("/nonexistent-sidetrace", R_OK);	/* ENOENT */
	stat("/etc", &st);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 10);
		close(10);
		close(fd);
	}
}

static int exec_part(void)
{
	int fd;

	access("/sidetrace-trace-exec-marker", F_OK);
	fd = open("/etc/passwd", O_RDONLY);
	close(fd);
	return 3;
}

int main(int argc, char **argv)
{
	char self[4096];
	ssize_t n;
	pid_t child;
	int status;

	if (argc > 1 && !strcmp(argv[1], "exec"))
		return exec_part();
	access("/sidetrace-trace-begin-marker", F_OK);
	files();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = '\0';
	signal(SIGUSR1, on_usr1);
	kill(getpid(), SIGUSR1);
	{
		pthread_t thread;

		if (pthread_create(&thread, NULL, thread_main, NULL) == 0)
			pthread_join(thread, NULL);
	}
	child = fork();
	if (child == 0) {
		int fd = open("/etc/hostname", O_RDONLY);

		close(fd);
		execl(self, "trace_calls", "exec", (char *)NULL);
		_exit(127);
	}
	waitpid(child, &status, 0);
	write(1, "done\n", 5);
	return WIFEXITED(status) && WEXITSTATUS(status) == 3 ? 7 : 1;
}
