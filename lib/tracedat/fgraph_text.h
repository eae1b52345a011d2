/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * trace-cmd's function_graph duration column (Documentation/trace-dat.md 2.2):
 * the overhead mark and the duration with its padding and "|  ". Written
 * once for report's function_graph printer (lib/report/fgraph.c) and the
 * user-call text of the libtraceevent plugin (plugins/plugin_sidetrace.c),
 * hence header-only: the plugin links no code of ours.
 */
#ifndef SIDETRACE_FGRAPH_TEXT_H
#define SIDETRACE_FGRAPH_TEXT_H

#include <stdint.h>
#include <string.h>

#include <traceevent/trace-seq.h>

/* trace-cmd's overhead marks (strictly over the threshold, in ns) and our colours. */
static const struct {
	uint64_t over;
	const char *mark;
	const char *color;
} fgraph_overheads[] = {
	{ 1000000000ULL, "$ ", "\033[1;35m" },
	{ 1000000ULL, "# ", "\033[1;31m" },
	{ 100000ULL, "! ", "\033[31m" },
	{ 10000ULL, "+ ", "\033[33m" },
};

/* The index in fgraph_overheads of a duration in ns, -1 for none (10 us or less). */
static inline int fgraph_overhead_level(uint64_t d)
{
	for (size_t i = 0; i < sizeof(fgraph_overheads) / sizeof(fgraph_overheads[0]); i++)
		if (d > fgraph_overheads[i].over)
			return (int)i;
	return -1;
}

/* The 2-character overhead mark for a duration in ns: "$ ", "# ", "! ", "+ ", "  ". */
static inline const char *fgraph_overhead_mark(uint64_t d)
{
	int i = fgraph_overhead_level(d);

	return i < 0 ? "  " : fgraph_overheads[i].mark;
}

/*
 * The duration column, "1.234 us   |  ", written at p; returns its end (no
 * NUL). At most 40 bytes plus color_end (or NULL), which goes right after the
 * unit. trace-cmd 3.1.6 always prints three decimals when the microseconds
 * have fewer than 7 digits (the kernel would shorten 4- and 5-digit values),
 * so "2003.000 us" overflows the 7-character column; so do we.
 */
static inline char *fgraph_write_duration(char *p, uint64_t d, const char *color_end)
{
	char digits[20];
	uint64_t us = d / 1000, ns = d % 1000;
	int n = 0, len;

	do {
		digits[n++] = (char)('0' + us % 10);
		us /= 10;
	} while (us);
	for (len = n; n; )
		*p++ = digits[--n];
	if (len < 7) {
		*p++ = '.';
		*p++ = (char)('0' + ns / 100);
		*p++ = (char)('0' + ns / 10 % 10);
		*p++ = (char)('0' + ns % 10);
		len += 4;
	}
	memcpy(p, " us", 3);
	p += 3;
	for (; color_end && *color_end; color_end++)
		*p++ = *color_end;
	*p++ = ' ';
	for (; len < 7; len++)
		*p++ = ' ';
	memcpy(p, "|  ", 3);
	return p + 3;
}

/* The same into a trace_seq; color_end at most 16 bytes. */
static inline void fgraph_put_duration(struct trace_seq *s, uint64_t d, const char *color_end)
{
	char buf[64];

	*fgraph_write_duration(buf, d, color_end) = '\0';
	trace_seq_puts(s, buf);
}

/* The column of a call still open: as wide as a duration's (mark included). */
#define FGRAPH_NO_DURATION "  " "           |  "

static inline void fgraph_put_no_duration(struct trace_seq *s)
{
	trace_seq_puts(s, FGRAPH_NO_DURATION);
}

#endif
