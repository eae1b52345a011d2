// SPDX-License-Identifier: GPL-2.0
/*
 * no_tmpfile COMMAND [ARGS...]: run COMMAND as on a filesystem without
 * O_TMPFILE (NFS, vfat): a seccomp filter makes every open(2)/openat(2) with
 * O_TMPFILE fail with EOPNOTSUPP, as those filesystems do. Everything else
 * is the real system call. For the tests of sidetrace's named temporaries.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __x86_64__
#error "the filter below checks x86-64 system call numbers"
#endif

/* A jump to "refuse" when the flags argument args[n] has every bit of __O_TMPFILE. */
#define REFUSE_IF_TMPFILE(n)                                                            \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[n])),     \
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, __O_TMPFILE),                                \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __O_TMPFILE, 0, 1),                          \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EOPNOTSUPP)

int main(int argc, char **argv)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_open, 6, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* openat(dirfd, path, flags, mode) */
		REFUSE_IF_TMPFILE(2),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* open(path, flags, mode) */
		REFUSE_IF_TMPFILE(1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

	if (argc < 2) {
		fprintf(stderr, "usage: no_tmpfile COMMAND [ARGS...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("no_tmpfile: seccomp");
		return 2;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
