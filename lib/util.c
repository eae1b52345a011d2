// SPDX-License-Identifier: LGPL-2.1
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static __thread char error_buf[1024];
static const char *progname = "sidetrace";

void st_set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error_buf, sizeof(error_buf), fmt, ap);
	va_end(ap);
}

const char *st_last_error(void)
{
	return error_buf[0] ? error_buf : "unknown error";
}

void st_set_progname(const char *name)
{
	progname = name;
}

void st_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void out_of_memory(size_t size)
{
	fprintf(stderr, "%s: out of memory (%zu bytes)\n", progname, size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory(n * size);
	return p;
}

#define HUGE_PAGE (2UL << 20)	/* x86-64's transparent huge page */
#define HUGE_MIN  (1UL << 20)	/* smaller blocks are not worth rounding up to one */

void *st_sparse_alloc(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		out_of_memory(size);
	return p;
}

void st_sparse_free(void *p, size_t size)
{
	if (p)
		munmap(p, size ? size : 1);
}

void st_prefault(void *p, size_t size)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + size) & ~(page - 1);

	if (end <= start)
		return;
#ifdef MADV_POPULATE_WRITE
	madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#endif
}

void *xmalloc_prefaulted(size_t size)
{
	/* from 1 MiB on, whole 2 MiB pages where the kernel gives them */
	size_t n = (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	void *p;

	/*
	 * Huge pages are not populated ahead: MADV_POPULATE_WRITE holds the
	 * mm lock while it clears megabytes, and every other thread's mmap
	 * (a thread stack, a large malloc) then waits for it. Their first
	 * touch faults a whole 2 MiB page in, under that VMA's own lock.
	 */
	if (size >= HUGE_MIN && !posix_memalign(&p, HUGE_PAGE, n)) {
#ifdef MADV_HUGEPAGE
		madvise(p, n, MADV_HUGEPAGE);
#endif
		return p;
	}
	p = xmalloc(size);
	st_prefault(p, size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		out_of_memory(size);
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		out_of_memory(strlen(s));
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (ret < 0)
		out_of_memory(0);
	return s;
}

char *read_file(const char *path, size_t *size)
{
	size_t len = 0, alloc = 8192;
	char *buf;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		st_set_error("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(alloc);
	for (;;) {
		if (len + 1 >= alloc) {
			alloc *= 2;
			buf = xrealloc(buf, alloc);
		}
		r = read(fd, buf + len, alloc - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			st_set_error("cannot read %s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		len += r;
	}
	close(fd);
	buf[len] = '\0';
	if (size)
		*size = len;
	return buf;
}

int write_all(int fd, const void *buf, size_t size)
{
	const char *p = buf;

	while (size) {
		ssize_t w = write(fd, p, size);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		size -= w;
	}
	return 0;
}

int pwrite_all(int fd, const void *buf, size_t size, uint64_t offset)
{
	const char *p = buf;

	while (size) {
		ssize_t w = pwrite(fd, p, size, offset);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		size -= w;
		offset += w;
	}
	return 0;
}

const char *st_file_kind(unsigned int st_mode)
{
	switch (st_mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFLNK: return "a symbolic link";
	default: return "not a regular file";
	}
}

int open_regular(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), err;

	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0)
		err = errno;
	else if (!S_ISREG(st->st_mode))
		err = EINVAL;
	else
		return fd;
	close(fd);
	errno = err;
	return -1;
}

char *st_escape_controls(const char *s)
{
	char *out = xmalloc(4 * strlen(s) + 1), *p = out;

	for (; *s; s++) {
		unsigned char c = *s;

		if (c < 0x20 || c == 0x7f)
			p += sprintf(p, "\\x%02x", c);
		else
			*p++ = c;
	}
	*p = '\0';
	return out;
}

int parse_duration_ns(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = { { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "", 1 } };
	char *end;
	double v;
	size_t i;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0)
		return -1;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			*ns = (uint64_t)(v * units[i].mult + 0.5);
			return 0;
		}
	}
	return -1;
}

void strlist_add_owned(struct strlist *l, char *s)
{
	if (l->nr + 2 > l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 8;
		l->items = xrealloc(l->items, l->alloc * sizeof(*l->items));
	}
	l->items[l->nr++] = s;
	l->items[l->nr] = NULL;
}

void strlist_add(struct strlist *l, const char *s)
{
	strlist_add_owned(l, xstrdup(s));
}

bool strlist_contains(const struct strlist *l, const char *s)
{
	for (int i = 0; i < l->nr; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

void strlist_free(struct strlist *l)
{
	for (int i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

/*
 * Levenshtein distance of a (la bytes) and b, or limit + 1 when it is more
 * than limit: only the cells within limit of the diagonal are computed.
 */
int st_edit_distance(const char *a, size_t la, const char *b, int limit)
{
	size_t lb = strlen(b), band = limit;
	int inf = limit + 1, *row, ret;

	if ((la > lb ? la - lb : lb - la) > band)
		return inf;
	row = xmalloc((lb + 1) * sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = j <= band ? (int)j : inf;
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > band ? i - band : 1, hi = i + band < lb ? i + band : lb;
		int diag = row[lo - 1], best;

		/* cell (i, lo - 1): the first column, or outside the band */
		row[lo - 1] = lo == 1 && i <= band ? (int)i : inf;
		best = row[lo - 1];
		for (size_t j = lo; j <= hi; j++) {
			int up = row[j], v = diag + (a[i - 1] != b[j - 1]);

			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (up + 1 < v)
				v = up + 1;
			row[j] = v < inf ? v : inf;
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (best > limit) {
			free(row);
			return inf;
		}
	}
	ret = row[lb];
	free(row);
	return ret;
}
