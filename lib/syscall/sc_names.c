// SPDX-License-Identifier: LGPL-2.1
/*
 * Syscall names by number (sc_names.h). The list of names is generated from
 * <asm/unistd.h> by the Makefile; the numbers come from the same header here,
 * so a name is always paired with this architecture's number.
 */
#include "syscall/sc_names.h"
#include "util.h"

#include <asm/unistd.h>
#include <string.h>

static const char *const names[] = {
#define SC(name) [__NR_##name] = #name,
#include "syscall/sc_list.h"
#undef SC
};

const char *sc_name(long nr)
{
	if (nr < 0 || nr >= (long)ARRAY_SIZE(names))
		return NULL;
	return names[nr];
}

long sc_nr(const char *name)
{
	for (long i = 0; i < (long)ARRAY_SIZE(names); i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
}

long sc_nr_max(void)
{
	return ARRAY_SIZE(names);
}

/*
 * The classes, as strace groups them: %file takes a file name, %process
 * makes, runs, waits for or ends processes, %network is sockets.
 */
static const char *const file_calls[] = {
	"open", "openat", "openat2", "creat", "access", "faccessat", "faccessat2", "stat",
	"lstat", "newfstatat", "statx", "statfs", "readlink", "readlinkat", "chdir", "chroot",
	"execve", "execveat", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename",
	"renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "chmod", "fchmodat",
	"fchmodat2", "chown", "lchown", "fchownat", "truncate", "utime", "utimes", "utimensat",
	"futimesat", "mknod", "mknodat", "getxattr", "lgetxattr", "setxattr", "lsetxattr",
	"listxattr", "llistxattr", "removexattr", "lremovexattr", "mount", "umount2",
	"swapon", "swapoff", "pivot_root", "acct", "name_to_handle_at", "inotify_add_watch",
	"fanotify_mark", "quotactl", "uselib", "open_tree", "move_mount", "mount_setattr",
	"statmount", "file_getattr", "file_setattr", NULL,
};
static const char *const process_calls[] = {
	"fork", "vfork", "clone", "clone3", "execve", "execveat", "exit", "exit_group", "wait4",
	"waitid", "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
	"pidfd_open", "pidfd_send_signal", "unshare", "setns", NULL,
};
static const char *const network_calls[] = {
	"socket", "socketpair", "bind", "listen", "accept", "accept4", "connect", "getsockname",
	"getpeername", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
	"shutdown", "setsockopt", "getsockopt", NULL,
};
static const char *const signal_calls[] = {
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "rt_sigpending",
	"rt_sigtimedwait", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaltstack", "kill",
	"tkill", "tgkill", "pause", "signalfd", "signalfd4", "pidfd_send_signal", NULL,
};
static const char *const memory_calls[] = {
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "mlock", "mlock2", "munlock",
	"mlockall", "munlockall", "msync", "mincore", "pkey_mprotect", "remap_file_pages",
	"mbind", "set_mempolicy", "get_mempolicy", "migrate_pages", "move_pages", NULL,
};
static const char *const desc_calls[] = {
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2",
	"pwritev2", "close", "dup", "dup2", "dup3", "fcntl", "ioctl", "lseek", "fstat", "fstatfs",
	"getdents64", "fchdir", "fchmod", "fchown", "fsync", "fdatasync", "ftruncate", "poll",
	"ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_ctl", "sendfile",
	"splice", "tee", "flock", "pipe", "pipe2", "eventfd2", "close_range", NULL,
};

static const struct {
	const char *name;
	const char *const *calls;
} classes[] = {
	{ "file", file_calls }, { "process", process_calls }, { "network", network_calls },
	{ "net", network_calls }, { "signal", signal_calls }, { "memory", memory_calls },
	{ "desc", desc_calls },
};

int sc_in_class(const char *class_name, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		if (strcmp(classes[i].name, class_name))
			continue;
		for (const char *const *c = classes[i].calls; *c; c++)
			if (!strcmp(*c, name))
				return 1;
		return 0;
	}
	return -1;
}

const char *sc_closest(const char *word)
{
	const char *best = NULL;
	int best_d = 3;	/* farther than this is no suggestion */
	size_t len = strlen(word);

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		int d;

		if (!names[i])
			continue;
		d = st_edit_distance(word, len, names[i], best_d);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	return best;
}
