// SPDX-License-Identifier: LGPL-2.1
/*
 * Argument decoders (sc_decode.h). Flag names are the C library's macros,
 * listed once each in a value/name table that one printer walks.
 */
#include "syscall/sc_decode.h"
#include "util.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void sc_buf_printf(struct sc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->s && (size_t)n < room) {
			b->len += n;
			return;
		}
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
}

void sc_buf_puts(struct sc_buf *b, const char *s)
{
	sc_buf_printf(b, "%s", s);
}

const char *sc_buf_str(const struct sc_buf *b)
{
	return b->s ? b->s : "";
}

void sc_buf_reset(struct sc_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void sc_buf_free(struct sc_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

struct flag_name {
	uint64_t value;
	const char *name;
};
#define FLAG(x) { (x), #x }

/* Each flag of table set in v, joined by '|', then what is left in hex; zero when none. */
static void put_flags(struct sc_buf *b, uint64_t v, const struct flag_name *table, size_t n,
		      const char *zero, bool first)
{
	for (size_t i = 0; i < n; i++) {
		if (!table[i].value || (v & table[i].value) != table[i].value)
			continue;
		sc_buf_printf(b, "%s%s", first ? "" : "|", table[i].name);
		first = false;
		v &= ~table[i].value;
	}
	if (v)
		sc_buf_printf(b, "%s%#llx", first ? "" : "|", (unsigned long long)v);
	else if (first)
		sc_buf_puts(b, zero);
}

/* The kernel's restart codes, which user space never sees (include/linux/errno.h). */
static const struct {
	int err;
	const char *name, *text;
} restart_codes[] = {
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ 513, "ERESTARTNOINTR", "To be restarted" },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
};

void sc_put_errno(struct sc_buf *b, int err)
{
	const char *name = strerrorname_np(err);

	for (size_t i = 0; i < ARRAY_SIZE(restart_codes); i++) {
		if (restart_codes[i].err == err) {
			sc_buf_printf(b, "? %s (%s)", restart_codes[i].name, restart_codes[i].text);
			return;
		}
	}
	if (name)
		sc_buf_printf(b, "-1 %s (%s)", name, strerror(err));
	else
		sc_buf_printf(b, "-1 errno %d", err);
}

/* The kernel's O_LARGEFILE, which x86_64's C library defines as 0. */
#if defined(__x86_64__) || defined(__i386__)
#define K_O_LARGEFILE 0100000
#else
#define K_O_LARGEFILE 0
#endif

static const struct flag_name open_flags[] = {
	/* composite flags first, so that their parts are not named again */
	FLAG(O_TMPFILE), FLAG(O_SYNC),
	FLAG(O_CREAT), FLAG(O_EXCL), FLAG(O_NOCTTY), FLAG(O_TRUNC), FLAG(O_APPEND),
	FLAG(O_NONBLOCK), FLAG(O_DSYNC), FLAG(O_ASYNC), FLAG(O_DIRECT),
	{ K_O_LARGEFILE, "O_LARGEFILE" }, FLAG(O_NOFOLLOW), FLAG(O_NOATIME), FLAG(O_CLOEXEC),
	FLAG(O_PATH), FLAG(O_DIRECTORY),	/* in strace's order */
};

void sc_put_open_flags(struct sc_buf *b, uint64_t flags)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };

	flags &= 0xffffffffu;
	sc_buf_puts(b, acc[flags & O_ACCMODE]);
	put_flags(b, flags & ~(uint64_t)O_ACCMODE, open_flags, ARRAY_SIZE(open_flags), "", false);
}

void sc_put_mode(struct sc_buf *b, uint64_t mode)
{
	sc_buf_printf(b, "%#03llo", (unsigned long long)(mode & 0xffffffffu));
}

void sc_put_fd(struct sc_buf *b, int64_t fd, const char *path)
{
	int v = (int)fd;	/* an int in every syscall that takes one */

	if (path && v >= 0)
		sc_buf_printf(b, "%d<%s>", v, path);
	else
		sc_buf_printf(b, "%d", v);
}

void sc_put_dirfd(struct sc_buf *b, int64_t fd, const char *path)
{
	if ((int)fd == AT_FDCWD)
		sc_buf_puts(b, "AT_FDCWD");
	else
		sc_put_fd(b, fd, path);
}

static const struct flag_name access_modes[] = { FLAG(R_OK), FLAG(W_OK), FLAG(X_OK) };

void sc_put_access_mode(struct sc_buf *b, uint64_t mode)
{
	put_flags(b, mode & 0xffffffffu, access_modes, ARRAY_SIZE(access_modes), "F_OK", true);
}

static const struct flag_name at_flags[] = {
	FLAG(AT_SYMLINK_NOFOLLOW), FLAG(AT_REMOVEDIR), FLAG(AT_SYMLINK_FOLLOW),
	FLAG(AT_NO_AUTOMOUNT), FLAG(AT_EMPTY_PATH),
};

void sc_put_at_flags(struct sc_buf *b, uint64_t flags)
{
	put_flags(b, flags & 0xffffffffu, at_flags, ARRAY_SIZE(at_flags), "0", true);
}

void sc_put_signal(struct sc_buf *b, int64_t sig)
{
	const char *abbrev;

	if (sig == 0) {
		sc_buf_puts(b, "0");
		return;
	}
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		if (sig == SIGRTMIN)
			sc_buf_puts(b, "SIGRTMIN");
		else
			sc_buf_printf(b, "SIGRTMIN+%d", (int)(sig - SIGRTMIN));
		return;
	}
	abbrev = sig > 0 && sig < NSIG ? sigabbrev_np((int)sig) : NULL;
	if (abbrev)
		sc_buf_printf(b, "SIG%s", abbrev);
	else
		sc_buf_printf(b, "%lld", (long long)sig);
}

static const struct flag_name mmap_prots[] = {
	FLAG(PROT_READ), FLAG(PROT_WRITE), FLAG(PROT_EXEC),
#ifdef PROT_SEM
	FLAG(PROT_SEM),
#endif
	FLAG(PROT_GROWSDOWN), FLAG(PROT_GROWSUP),
};

void sc_put_mmap_prot(struct sc_buf *b, uint64_t prot)
{
	put_flags(b, prot & 0xffffffffu, mmap_prots, ARRAY_SIZE(mmap_prots), "PROT_NONE", true);
}

static const struct flag_name mmap_flags[] = {
	FLAG(MAP_FIXED_NOREPLACE), FLAG(MAP_FIXED), FLAG(MAP_ANONYMOUS),
#ifdef MAP_32BIT
	FLAG(MAP_32BIT),
#endif
	FLAG(MAP_GROWSDOWN), FLAG(MAP_DENYWRITE), FLAG(MAP_EXECUTABLE), FLAG(MAP_LOCKED),
	FLAG(MAP_NORESERVE), FLAG(MAP_POPULATE), FLAG(MAP_NONBLOCK), FLAG(MAP_STACK),
	FLAG(MAP_HUGETLB), FLAG(MAP_SYNC),
};

void sc_put_mmap_flags(struct sc_buf *b, uint64_t flags)
{
	static const char *const types[] = { NULL, "MAP_SHARED", "MAP_PRIVATE",
					     "MAP_SHARED_VALIDATE" };
	uint64_t type = flags & MAP_TYPE;

	flags &= 0xffffffffu;
	if (type < ARRAY_SIZE(types) && types[type]) {
		sc_buf_puts(b, types[type]);
		flags &= ~(uint64_t)MAP_TYPE;
	}
	put_flags(b, flags, mmap_flags, ARRAY_SIZE(mmap_flags), "0",
		  !(type < ARRAY_SIZE(types) && types[type]));
}

void sc_put_string(struct sc_buf *b, const char *s, int max)
{
	size_t n = strlen(s);
	bool cut = max > 0 && n > (size_t)max;

	if (cut)
		n = max;
	sc_buf_puts(b, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"': sc_buf_puts(b, "\\\""); break;
		case '\\': sc_buf_puts(b, "\\\\"); break;
		case '\n': sc_buf_puts(b, "\\n"); break;
		case '\t': sc_buf_puts(b, "\\t"); break;
		case '\r': sc_buf_puts(b, "\\r"); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				sc_buf_printf(b, "\\%o", c);
			else
				sc_buf_printf(b, "%c", c);
		}
	}
	sc_buf_puts(b, cut ? "\"..." : "\"");
}
