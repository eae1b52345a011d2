/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Small helpers shared by every part of sidetrace: error messages, allocation
 * that never returns NULL, whole-file reads and string lists.
 */
#ifndef SIDETRACE_UTIL_H
#define SIDETRACE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Library functions report failure by returning -1 or NULL after recording a
 * one-line message here; the command that called them prints it once.
 * The message is per thread.
 */
void st_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *st_last_error(void);

/* Print "sidetrace: MSG" (or "sidetrace CMD: MSG") to stderr. */
void st_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void st_set_progname(const char *name);

/* Allocation that aborts with a message on out-of-memory. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

/*
 * Page faults are dear (a trap per 4 KiB page: microseconds on a virtual
 * machine, where a short report can spend a fifth of its time in them).
 *
 * st_sparse_alloc(): a zeroed table whose pages exist only where it is
 * touched, for tables indexed by event type or hash that are mostly unused
 * (calloc() clears a table that comes from the heap: a fault per page).
 * Aborts like xmalloc(); st_sparse_free() takes the same size.
 *
 * st_prefault(): fault in the whole pages of a buffer about to be filled in
 * one call (MADV_POPULATE_WRITE) instead of a trap per page. Only a hint.
 * xmalloc_prefaulted(): xmalloc() and that; from 1 MiB on, in 2 MiB pages
 * where the kernel gives them (transparent huge pages, "madvise" mode),
 * rounded up to whole ones: on a VM a fresh 4 KiB page costs microseconds
 * even after MADV_POPULATE_WRITE, a 2 MiB page hardly more (4 MiB first
 * written: 6 ms in small pages, 0.4 ms in huge ones, when the machine has
 * used that memory before; fresh memory costs far more either way). The
 * huge pages are left to fault in at first touch (see util.c). Freed with
 * free().
 */
void *st_sparse_alloc(size_t size);
void st_sparse_free(void *p, size_t size);
void st_prefault(void *p, size_t size);
void *xmalloc_prefaulted(size_t size);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Read a whole file (tracefs files report size 0, so read until EOF).
 * Returns a NUL-terminated buffer and its length, or NULL with st_set_error.
 */
char *read_file(const char *path, size_t *size);

/* Write all of buf, retrying on short writes and EINTR. */
int write_all(int fd, const void *buf, size_t size);
int pwrite_all(int fd, const void *buf, size_t size, uint64_t offset);

/*
 * What a non-regular file is, for messages: "a directory", "a FIFO", "a
 * socket", "a character device", "a block device", "a symbolic link"
 * ("a regular file" for one).
 */
const char *st_file_kind(unsigned int st_mode);

struct stat;

/*
 * Open path read-only, to read it, only if it is a regular file: a file a
 * trace or a command line names may be a FIFO (opening and reading it would
 * block: O_NONBLOCK keeps the open from waiting) or a device. Returns the
 * descriptor with *st filled, or -1 with errno (EINVAL, *st filled, for a file
 * that is not regular: st_file_kind() names it). Sets no error message.
 */
int open_regular(const char *path, struct stat *st);

/*
 * Levenshtein distance of a (la bytes) and b, or limit + 1 when it is more
 * than limit; only the cells within limit of the diagonal are computed, so a
 * long name costs a narrow band per candidate, not its length squared.
 * For "did you mean" suggestions.
 */
int st_edit_distance(const char *a, size_t la, const char *b, int limit);

/*
 * A copy of s for a message, control characters and DEL written as \xNN so
 * that the reader sees them (newly allocated).
 */
char *st_escape_controls(const char *s);

/* Parse "123", "1.5us", "2ms", "1s" into nanoseconds; bare numbers are ns. */
int parse_duration_ns(const char *s, uint64_t *ns);

/* A growable NULL-terminated string list. */
struct strlist {
	char **items;
	int nr;
	int alloc;
};
void strlist_add(struct strlist *l, const char *s);
void strlist_add_owned(struct strlist *l, char *s);
bool strlist_contains(const struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

#endif
