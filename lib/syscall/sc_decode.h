/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Decoders of system call arguments and results into strace's notation, each
 * appending to a growable buffer: errno names with their text, open flags,
 * modes, AT_FDCWD, access modes, AT_* flags, signals, mmap's prot and flags,
 * descriptors with their paths, quoted strings. The names come from the C
 * library's headers and functions (strerrorname_np, sigabbrev_np), not from
 * tables of our own, except where the kernel's value has no libc name.
 */
#ifndef SIDETRACE_SC_DECODE_H
#define SIDETRACE_SC_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct sc_buf {
	char *s;	/* NUL-terminated, or NULL while empty */
	size_t len;
	size_t cap;
};

void sc_buf_printf(struct sc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sc_buf_puts(struct sc_buf *b, const char *s);
/* The text so far ("" while empty); stays the buffer's. */
const char *sc_buf_str(const struct sc_buf *b);
void sc_buf_reset(struct sc_buf *b);
void sc_buf_free(struct sc_buf *b);

/* A return value that is an error: -4095..-1, as the kernel returns them. */
static inline int sc_ret_errno(int64_t ret)
{
	return ret < 0 && ret >= -4095 ? (int)-ret : 0;
}

/*
 * "-1 ENOENT (No such file or directory)"; the kernel's restart codes as
 * strace shows them: "? ERESTARTSYS (To be restarted if SA_RESTART is set)".
 */
void sc_put_errno(struct sc_buf *b, int err);
/* "O_RDONLY|O_CLOEXEC" (access mode first, unknown bits in hex). */
void sc_put_open_flags(struct sc_buf *b, uint64_t flags);
/* "0644" (octal, as strace prints a mode). */
void sc_put_mode(struct sc_buf *b, uint64_t mode);
/* "AT_FDCWD" for -100, else the descriptor (with its path when path is not NULL). */
void sc_put_dirfd(struct sc_buf *b, int64_t fd, const char *path);
/* "3</etc/ld.so.cache>", or "3" without a path. */
void sc_put_fd(struct sc_buf *b, int64_t fd, const char *path);
/* "F_OK", "R_OK|W_OK". */
void sc_put_access_mode(struct sc_buf *b, uint64_t mode);
/* "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH", "0". */
void sc_put_at_flags(struct sc_buf *b, uint64_t flags);
/* "SIGUSR1", "SIGRTMIN+3", "0"; a number the C library has no name for in decimal. */
void sc_put_signal(struct sc_buf *b, int64_t sig);
/* "PROT_READ|PROT_WRITE", "PROT_NONE". */
void sc_put_mmap_prot(struct sc_buf *b, uint64_t prot);
/* "MAP_PRIVATE|MAP_ANONYMOUS". */
void sc_put_mmap_flags(struct sc_buf *b, uint64_t flags);
/*
 * s quoted and escaped as strace does ("a\"b\n"); at most max bytes of it
 * (0: all), followed by "..." when cut.
 */
void sc_put_string(struct sc_buf *b, const char *s, int max);

#endif
