/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The pieces of a report line that do not depend on the event, the output
 * buffer they are written to, colour and the CPU list syntax: the helpers
 * under the report engine (report.h) and the views that write text
 * (export_chrome.c).
 */
#ifndef SIDETRACE_REPORT_FMT_H
#define SIDETRACE_REPORT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

enum report_color {
	REPORT_COLOR_AUTO,	/* on a terminal, unless NO_COLOR is set */
	REPORT_COLOR_NEVER,
	REPORT_COLOR_ALWAYS,
};

/* Whether to colour output going to fd: --color, NO_COLOR, TERM=dumb, isatty(). */
bool report_use_color(enum report_color when, int fd);

/*
 * Parse a CPU list as trace-cmd does ("0,2-3", ':' also separates).
 * Sets *mask to a calloc'd array of *len bools (len = highest CPU + 1).
 * Returns 0, or -1 with st_set_error() on a malformed list.
 */
int report_parse_cpulist(const char *s, bool **mask, int *len);

/* ------------------------------------------------------------------------- */
/* Output: one big buffer in front of write(2) */

#define REPORT_OUT_SIZE (1 << 18)

struct report_out {
	int fd;
	int error;		/* errno of the first failed write, 0 if none */
	size_t len;
	size_t cap;
	char *buf;
};

void report_out_init(struct report_out *o, int fd);
int report_out_flush(struct report_out *o);	/* 0, or -1 with st_set_error */
void report_out_free(struct report_out *o);	/* does not flush */

/* Make room for n more bytes and return where they go. */
static inline char *report_out_reserve(struct report_out *o, size_t n)
{
	if (o->len + n > o->cap) {
		report_out_flush(o);
		if (n > o->cap) {
			o->buf = xrealloc(o->buf, n);
			o->cap = n;
		}
	}
	return o->buf + o->len;
}

static inline void report_out_commit(struct report_out *o, char *end)
{
	o->len = end - o->buf;
}

static inline void report_out_write(struct report_out *o, const char *s, size_t n)
{
	char *p = report_out_reserve(o, n);

	memcpy(p, s, n);
	o->len += n;
}

static inline void report_out_puts(struct report_out *o, const char *s)
{
	report_out_write(o, s, strlen(s));
}

/* ------------------------------------------------------------------------- */
/* Line layout helpers: each appends at p and returns the new end */

/*
 * How TIME is printed. trace-cmd picks " %6.1000d:" (microseconds, rounded)
 * for clocks counting nanoseconds, " %9.1d:" with -t, and "%12d:" (the raw
 * counter, no leading space) for the other clocks (counter, x86-tsc, boot...).
 */
enum report_time_mode {
	REPORT_TIME_USECS,
	REPORT_TIME_NSECS,
	REPORT_TIME_RAW,
};

/* The mode trace-cmd 3.1.6 uses for this clock name (NULL = "local"). */
enum report_time_mode report_time_mode(const char *clock, bool nsec);

/* Longest output of report_put_time(), with its space and colon. */
#define REPORT_TIME_MAX 48

/* " 500.000000:" as tep_print_event(" %6.1000d:", TEP_PRINT_TIME) prints it. */
char *report_put_time(char *p, uint64_t ts, enum report_time_mode mode);

/* "%16s-%-5d [%03d]"; writes at most strlen(comm) + 40 bytes. */
char *report_put_comm_pid_cpu(char *p, const char *comm, int pid, int cpu);

/* Its two parts: "%16s-%-5d" (at most strlen(comm) + 28 bytes) and " [%03d]" (at most 16). */
char *report_put_comm_pid(char *p, const char *comm, int pid);
char *report_put_cpu(char *p, int cpu);

/* " NAME: " padded with spaces to 20 characters of name; at most strlen + 24. */
char *report_put_event_name(char *p, const char *name);

/* Most bytes of an escape sequence the colour helpers add (start + reset). */
#define REPORT_COLOR_MAX 16

/* An event name's colour, picked by its id from a fixed palette ("\033[...m"). */
const char *report_event_color(int id);

/* report_put_event_name() with NAME in color; at most strlen + 24 + REPORT_COLOR_MAX. */
char *report_put_event_name_color(char *p, const char *name, const char *color);

/* Append an unsigned decimal number. */
char *report_put_u64(char *p, uint64_t v);

/* The decimal digits of v written backwards from end (they end there); their number. */
int report_u64_digits(char *end, uint64_t v);

/*
 * How many digits v has in base 10 and in base 16: with the count known, the
 * digits go straight to their place (no scratch copy, no memcpy() call of a
 * variable length, which is a library call per number).
 */
static inline int report_dec_len(uint64_t v)
{
	static const uint64_t pow10[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
		100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
		1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
		1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL,
	};
	/* floor(log10(2^bits)) by 1233/4096, then one compare settles it */
	int t;

	if (v < 10)
		return 1;
	t = ((64 - __builtin_clzll(v)) * 1233) >> 12;
	return t + (v >= pow10[t]);
}

static inline int report_hex_len(uint64_t v)
{
	return v ? (67 - __builtin_clzll(v)) / 4 : 1;
}

#endif
