// SPDX-License-Identifier: GPL-2.0
/*
 * A workload for the fanotify file-set tests: opens each FILE argument
 * through io_uring (IORING_OP_OPENAT, liburing), which neither strace nor the
 * probes on the C library see as an open. Prints each path it opened, one a
 * line: its own list is the test's oracle. Exit status 0 when every open
 * worked, 77 when io_uring is not allowed here (io_uring_disabled, seccomp).
 */
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int open_one(struct io_uring *ring, const char *path)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int fd;

	io_uring_prep_openat(sqe, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (io_uring_submit(ring) != 1 || io_uring_wait_cqe(ring, &cqe) < 0)
		return -1;
	fd = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	if (fd < 0) {
		fprintf(stderr, "files_uring: %s: %s\n", path, strerror(-fd));
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct io_uring ring;
	int bad = 0, ret = io_uring_queue_init(4, &ring, 0);

	if (ret < 0) {
		fprintf(stderr, "files_uring: io_uring_queue_init: %s\n", strerror(-ret));
		return 77;
	}
	for (int i = 1; i < argc; i++) {
		if (open_one(&ring, argv[i]) == 0)
			printf("%s\n", argv[i]);
		else
			bad = 1;
	}
	io_uring_queue_exit(&ring);
	return bad;
}
