// SPDX-License-Identifier: GPL-2.0
/*
 * A workload for the fanotify file-set tests, built static: it opens files
 * with raw syscall(SYS_openat) only, so no C library function the uprobe
 * backend probes ever sees a path. In DIR (argv[1], holding a.conf, b.conf
 * and sub/c.conf) it opens a.conf by its absolute path, chdirs (a raw
 * syscall too) and opens b.conf relative to the new cwd, then sub/ as a
 * directory and c.conf relative to that descriptor. It prints each path it
 * opened, absolute, one a line: its own list, for the test to compare.
 * Exit status 0 when every open worked.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int raw_open(int dfd, const char *path, int flags)
{
	return (int)syscall(SYS_openat, dfd, path, flags | O_CLOEXEC, 0);
}

static int opened(int fd, const char *dir, const char *rel)
{
	if (fd < 0) {
		fprintf(stderr, "files_raw_openat: cannot open %s/%s\n", dir, rel);
		return 1;
	}
	printf("%s/%s\n", dir, rel);
	return 0;
}

int main(int argc, char **argv)
{
	char abs[4096];
	int bad = 0, dfd;

	if (argc != 2) {
		fprintf(stderr, "usage: files_raw_openat DIR\n");
		return 2;
	}
	snprintf(abs, sizeof(abs), "%s/a.conf", argv[1]);
	bad |= opened(raw_open(AT_FDCWD, abs, O_RDONLY), argv[1], "a.conf");
	if (syscall(SYS_chdir, argv[1]) < 0)
		return 1;
	bad |= opened(raw_open(AT_FDCWD, "b.conf", O_RDONLY), argv[1], "b.conf");
	dfd = raw_open(AT_FDCWD, "sub", O_RDONLY | O_DIRECTORY);
	bad |= opened(dfd, argv[1], "sub");
	bad |= opened(raw_open(dfd, "c.conf", O_RDONLY), argv[1], "sub/c.conf");
	return bad;
}
