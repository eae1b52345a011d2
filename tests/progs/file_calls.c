// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of one file call, for bench/files: calls FUNC (stat, open or
 * access) on PATH N times (argv[3], default 100000) through the C library,
 * and prints the mean time per call in microseconds. A missing PATH keeps
 * the loop to the lookup: no descriptor to close.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void call(const char *func, const char *path)
{
	struct stat st;
	int fd;

	if (!strcmp(func, "stat")) {
		stat(path, &st);
	} else if (!strcmp(func, "access")) {
		access(path, R_OK);
	} else {
		fd = open(path, O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
}

int main(int argc, char **argv)
{
	long n = argc > 3 ? atol(argv[3]) : 100000;
	struct timespec a, b;

	if (argc < 3 || n <= 0 || (strcmp(argv[1], "stat") && strcmp(argv[1], "open") &&
				   strcmp(argv[1], "access"))) {
		fprintf(stderr, "usage: file_calls stat|open|access PATH [N]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		call(argv[1], argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.2f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n / 1000.0);
	return 0;
}
