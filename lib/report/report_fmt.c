// SPDX-License-Identifier: LGPL-2.1
/*
 * The fixed part of a report line, the CPU list parser and the output
 * buffer. Every helper reproduces what tep_print_event() prints for the
 * format strings of trace-cmd 3.1.6; tests/unit/test_report_fmt.c checks
 * them against libtraceevent itself.
 */
#include "report/report_fmt.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void report_out_init(struct report_out *o, int fd)
{
	o->fd = fd;
	o->error = 0;
	o->len = 0;
	o->cap = REPORT_OUT_SIZE;
	o->buf = xmalloc_prefaulted(o->cap);
}

int report_out_flush(struct report_out *o)
{
	if (o->len && !o->error && write_all(o->fd, o->buf, o->len) < 0)
		o->error = errno ? errno : EIO;
	o->len = 0;
	if (o->error) {
		st_set_error("cannot write the report: %s", strerror(o->error));
		return -1;
	}
	return 0;
}

void report_out_free(struct report_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

/* "00".."99": two digits per division, the usual trick for decimal output. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

int report_u64_digits(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 100) {
		p -= 2;
		memcpy(p, &digit_pairs[(v % 100) * 2], 2);
		v /= 100;
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, &digit_pairs[v * 2], 2);
	} else {
		*--p = '0' + v;
	}
	return end - p;
}

char *report_put_u64(char *p, uint64_t v)
{
	int n = report_dec_len(v);

	report_u64_digits(p + n, v);
	return p + n;
}

/* v as exactly width digits with leading zeros (v < 10^width). */
static char *put_zero_padded(char *p, uint64_t v, int width)
{
	int i = width;

	while (i >= 2) {
		i -= 2;
		memcpy(p + i, &digit_pairs[(v % 100) * 2], 2);
		v /= 100;
	}
	if (i)
		p[0] = '0' + v % 10;
	return p + width;
}

static char *put_spaces(char *p, int n)
{
	while (n-- > 0)
		*p++ = ' ';
	return p;
}

/* "%Nllu": right-aligned in width columns. */
static char *put_u64_right(char *p, uint64_t v, int width)
{
	int n = report_dec_len(v);

	p = put_spaces(p, width - n);
	report_u64_digits(p + n, v);
	return p + n;
}

enum report_time_mode report_time_mode(const char *clock, bool nsec)
{
	static const char *const ns_clocks[] = { "local", "global", "uptime", "perf", "tai",
						 "tsc2nsec" };
	bool in_ns = !clock;

	for (size_t i = 0; clock && i < ARRAY_SIZE(ns_clocks); i++)
		if (!strcmp(clock, ns_clocks[i]))
			in_ns = true;
	if (clock && !strncmp(clock, "mono", 4))
		in_ns = true;
	if (!in_ns)
		return REPORT_TIME_RAW;
	return nsec ? REPORT_TIME_NSECS : REPORT_TIME_USECS;
}

/* "%5llu": right-aligned in five columns, longer numbers in full. */
static inline char *put_u64_width5(char *p, uint64_t v)
{
	if (v >= 100000)
		return report_put_u64(p, v);
	memset(p, ' ', 5);
	report_u64_digits(p + 5, v);
	return p + 5;
}

/* "%06llu" of v < 10^6: three digit pairs. */
static inline char *put_six_digits(char *p, uint32_t v)
{
	memcpy(p, &digit_pairs[(v / 10000) * 2], 2);
	memcpy(p + 2, &digit_pairs[(v / 100 % 100) * 2], 2);
	memcpy(p + 4, &digit_pairs[(v % 100) * 2], 2);
	return p + 6;
}

/*
 * " %5llu." of the seconds: the lines of a second share it, so the last one
 * is kept (per thread) and copied.
 */
static char *put_seconds(char *p, uint64_t sec)
{
	static __thread uint64_t last_sec = UINT64_MAX;
	static __thread char last[32];
	static __thread int last_len;

	if (sec != last_sec) {
		char *q = last;

		*q++ = ' ';
		q = put_u64_width5(q, sec);
		*q++ = '.';
		last_len = q - last;
		last_sec = sec;
	}
	memcpy(p, last, 8);	/* the usual length, then the rest if longer */
	if (last_len > 8)
		memcpy(p + 8, last + 8, last_len - 8);
	return p + last_len;
}

/*
 * libtraceevent 1.7.1 divides (rounding, in 64-bit arithmetic that may wrap)
 * by the divider after the '.', then prints "%5llu.%0*llu" with the precision
 * before it; "%12d" has no usable precision and prints the raw "%12llu".
 * Every line has one: the usual case (microseconds) is written digit pair by
 * digit pair.
 */
char *report_put_time(char *p, uint64_t ts, enum report_time_mode mode)
{
	uint64_t t;

	switch (mode) {
	case REPORT_TIME_USECS:
		t = (ts + 500) / 1000;
		p = put_seconds(p, t / 1000000);
		p = put_six_digits(p, (uint32_t)(t % 1000000));
		break;
	case REPORT_TIME_NSECS:
		*p++ = ' ';
		p = put_u64_width5(p, ts / 1000000000);
		*p++ = '.';
		p = put_zero_padded(p, ts % 1000000000, 9);
		break;
	case REPORT_TIME_RAW:
		p = put_u64_right(p, ts, 12);
		break;
	}
	*p++ = ':';
	return p;
}

char *report_put_comm_pid(char *p, const char *comm, int pid)
{
	size_t len = strlen(comm);
	char *start;

	if (len < 16)
		p = put_spaces(p, 16 - len);
	memcpy(p, comm, len);
	p += len;
	*p++ = '-';

	start = p;
	if (pid < 0) {
		*p++ = '-';
		p = report_put_u64(p, -(int64_t)pid);
	} else {
		p = report_put_u64(p, pid);
	}
	return put_spaces(p, 5 - (p - start));
}

char *report_put_cpu(char *p, int cpu)
{
	*p++ = ' ';
	*p++ = '[';
	if (cpu >= 0 && cpu < 1000) {
		/* the usual case first: three digits */
		*p++ = '0' + cpu / 100;
		memcpy(p, &digit_pairs[(cpu % 100) * 2], 2);
		p += 2;
	} else if (cpu < 0) {
		/* "%03d" of a negative number: the sign counts in the width */
		*p++ = '-';
		cpu = -cpu;
		if (cpu < 10)
			*p++ = '0';
		p = report_put_u64(p, cpu);
	} else {
		p = report_put_u64(p, cpu);
	}
	*p++ = ']';
	return p;
}

char *report_put_comm_pid_cpu(char *p, const char *comm, int pid, int cpu)
{
	return report_put_cpu(report_put_comm_pid(p, comm, pid), cpu);
}

/* Twenty blanks: the padding of an event name, copied whole (the callers leave room). */
static const char name_pad[20] = "                    ";

char *report_put_event_name(char *p, const char *name)
{
	size_t len = strlen(name);

	*p++ = ' ';
	memcpy(p, name, len);
	p += len;
	*p++ = ':';
	*p++ = ' ';
	if (len < 20) {
		memcpy(p, name_pad, 20);
		p += 20 - len;
	}
	return p;
}

/*
 * Colours for event names: no red or yellow, which mark slow functions and
 * dropped events.
 */
static const char *const event_colors[] = {
	"\033[32m", "\033[34m", "\033[35m", "\033[36m",
	"\033[1;32m", "\033[1;34m", "\033[1;35m", "\033[1;36m",
};

const char *report_event_color(int id)
{
	return event_colors[(unsigned int)id % ARRAY_SIZE(event_colors)];
}

char *report_put_event_name_color(char *p, const char *name, const char *color)
{
	size_t len = strlen(name), clen = strlen(color);

	*p++ = ' ';
	memcpy(p, color, clen);
	p += clen;
	memcpy(p, name, len);
	p += len;
	memcpy(p, "\033[0m", 4);
	p += 4;
	*p++ = ':';
	*p++ = ' ';
	if (len < 20) {
		memcpy(p, name_pad, 20);
		p += 20 - len;
	}
	return p;
}

bool report_use_color(enum report_color when, int fd)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (when != REPORT_COLOR_AUTO)
		return when == REPORT_COLOR_ALWAYS;
	/* https://no-color.org: set and not empty means no colour unless asked for */
	if (no_color && *no_color)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fd);
}

/* trace-cmd's rule: digits, optional "-digits", separated by ',' or ':'. */
int report_parse_cpulist(const char *s, bool **mask, int *len)
{
	const char *p = s;
	bool *m = NULL;
	int n = 0;

	do {
		unsigned long a, b;
		char *end;

		while (isspace((unsigned char)*p))
			p++;
		if (!isdigit((unsigned char)*p))
			goto bad;
		a = b = strtoul(p, &end, 10);
		p = end;
		if (*p == '-') {
			p++;
			while (isspace((unsigned char)*p))
				p++;
			if (!isdigit((unsigned char)*p))
				goto bad;
			b = strtoul(p, &end, 10);
			p = end;
		}
		if (a > b) {
			st_set_error("CPU range '%s': the range must go from lower to greater", s);
			goto err;
		}
		if (b >= 1 << 16) {
			st_set_error("CPU %lu in '%s' is out of range", b, s);
			goto err;
		}
		if ((int)b >= n) {
			m = xrealloc(m, b + 1);
			memset(m + n, 0, b + 1 - n);
			n = b + 1;
		}
		for (unsigned long c = a; c <= b; c++)
			m[c] = true;
		if (*p == ',' || *p == ':')
			p++;
		else if (*p)
			goto bad;
	} while (*p);

	*mask = m;
	*len = n;
	return 0;
bad:
	st_set_error("invalid character '%c' in CPU list '%s'", *p ? *p : ' ', s);
err:
	free(m);
	return -1;
}
