// SPDX-License-Identifier: GPL-2.0
/*
 * A workload for the file-set tests: dlopen()s a library by soname, then in
 * DIR (argv[1], holding conf/app.conf, conf/child.conf, conf/fchdir.conf)
 * reads a config through a relative path after chdir, through a dirfd, from
 * a forked child that inherited the cwd, and after fchdir to the dirfd.
 * Exit status 0 when every expected file was read.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int read_one(int fd)
{
	char buf[64];
	int ok = fd >= 0 && read(fd, buf, sizeof(buf)) >= 0;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	void *lib = dlopen("libz.so.1", RTLD_NOW);
	int dfd, bad = 0, status;
	pid_t child;

	if (argc < 2 || !lib || chdir(argv[1]) < 0) {
		fprintf(stderr, "usage: files_dlopen DIR (with libz.so.1 installed)\n");
		return 2;
	}
	bad |= read_one(open("conf/app.conf", O_RDONLY));
	dfd = open("conf", O_RDONLY | O_DIRECTORY);
	bad |= read_one(openat(dfd, "app.conf", O_RDONLY));
	if (openat(dfd, "missing.conf", O_RDONLY) >= 0)
		bad = 1;
	child = fork();
	if (child == 0)
		_exit(read_one(open("conf/child.conf", O_RDONLY)));
	if (child < 0 || waitpid(child, &status, 0) != child || status != 0)
		bad = 1;
	if (fchdir(dfd) < 0)
		bad = 1;
	bad |= read_one(open("fchdir.conf", O_RDONLY));
	close(dfd);
	dlclose(lib);
	return bad;
}
