// SPDX-License-Identifier: GPL-2.0
/*
 * A syscall storm for record's tests and benchmark: getppid() N times
 * (argv[1], in millions, may be fractional; default 1), as fast as it can.
 * Prints the number of calls made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	double millions = argc > 1 ? strtod(argv[1], NULL) : 1.0;
	long n = (long)(millions * 1e6), i;

	if (n <= 0) {
		fprintf(stderr, "usage: syscall_storm [MILLIONS]\n");
		return 2;
	}
	/* syscall() rather than getppid(), so no libc could ever cache it. */
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("%ld\n", i);
	return 0;
}
