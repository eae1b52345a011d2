// SPDX-License-Identifier: LGPL-2.1
/*
 * Signatures of the syscalls strace decodes most often (sc_args.h), with the
 * names of this kernel's x86_64 and generic tables.
 */
#include "syscall/sc_args.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct signature {
	const char *name;
	const char *args;
};

/* Sorted by name (bsearch). */
static const struct signature signatures[] = {
	{ "access", "pa" },
	{ "arch_prctl", "ix" },
	{ "brk", "x:x" },
	{ "chdir", "p" },
	{ "chmod", "pm" },
	{ "close", "d" },
	{ "close_range", "uui" },
	{ "connect", "dxi" },
	{ "creat", "pm" },
	{ "dup", "d" },
	{ "dup2", "dd" },
	{ "dup3", "ddo" },
	{ "execve", "pxx" },
	{ "execveat", "Dpxxi" },
	{ "exit", "i:?" },
	{ "exit_group", "i:?" },
	{ "faccessat", "Dpa" },
	{ "faccessat2", "DpaA" },
	{ "fchdir", "d" },
	{ "fcntl", "dix" },
	{ "fstat", "dx" },
	{ "fsync", "d" },
	{ "ftruncate", "dl" },
	{ "getdents64", "dxu" },
	{ "getegid", "" },
	{ "geteuid", "" },
	{ "getgid", "" },
	{ "getpid", "" },
	{ "getppid", "" },
	{ "getrandom", "xui" },
	{ "gettid", "" },
	{ "getuid", "" },
	{ "ioctl", "dxx" },
	{ "kill", "is" },
	{ "lseek", "dli" },
	{ "lstat", "px" },
	{ "madvise", "xui" },
	{ "mkdir", "pm" },
	{ "mkdirat", "Dpm" },
	{ "mmap", "xuPMdh:x" },
	{ "mprotect", "xuP" },
	{ "mremap", "xuuix:x" },
	{ "munmap", "xu" },
	{ "newfstatat", "DpxA" },
	{ "open", "pom" },
	{ "openat", "Dpom" },
	{ "pipe2", "xo" },
	{ "pread64", "dxul" },
	{ "prlimit64", "iixx" },
	{ "pwrite64", "dxul" },
	{ "read", "dxu" },
	{ "readlink", "pxu" },
	{ "readlinkat", "Dpxu" },
	{ "rename", "xx" },
	{ "rseq", "xuix" },
	{ "rt_sigaction", "sxxu" },
	{ "rt_sigprocmask", "ixxu" },
	{ "rt_sigreturn", "" },
	{ "set_robust_list", "xu" },
	{ "set_tid_address", "x" },
	{ "stat", "px" },
	{ "statfs", "px" },
	{ "statx", "DpAux" },
	{ "tgkill", "iis" },
	{ "tkill", "is" },
	{ "umask", "m" },
	{ "unlink", "x" },
	{ "unlinkat", "DxA" },
	{ "wait4", "ixix" },
	{ "write", "dxu" },
};

static int compare(const void *key, const void *elem)
{
	return strcmp(key, ((const struct signature *)elem)->name);
}

const char *sc_signature(const char *name)
{
	const struct signature *s = bsearch(name, signatures, ARRAY_SIZE(signatures),
					    sizeof(*signatures), compare);

	return s ? s->args : NULL;
}

int sc_path_arg(const char *name)
{
	const char *sig = sc_signature(name);
	const char *p = sig ? strchr(sig, 'p') : NULL;
	const char *colon = sig ? strchr(sig, ':') : NULL;

	if (!p || (colon && p > colon))
		return -1;
	return p - sig;
}
