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
#include <stdio.h>

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
 * The duration column, "1.234 us   |  "; color_end (or NULL) goes right after
 * the unit. trace-cmd 3.1.6 always prints three decimals when the
 * microseconds have fewer than 7 digits (the kernel would shorten 4- and
 * 5-digit values), so "2003.000 us" overflows the 7-character column; so do we.
 */
static inline void fgraph_put_duration(struct trace_seq *s, uint64_t d, const char *color_end)
{
	char num[32];
	int len;

	len = snprintf(num, sizeof(num), "%llu", (unsigned long long)(d / 1000));
	if (len < 7)
		len += snprintf(num + len, sizeof(num) - len, ".%03llu",
				(unsigned long long)(d % 1000));
	trace_seq_puts(s, num);
	trace_seq_puts(s, " us");
	if (color_end)
		trace_seq_puts(s, color_end);
	trace_seq_putc(s, ' ');
	for (; len < 7; len++)
		trace_seq_putc(s, ' ');
	trace_seq_puts(s, "|  ");
}

/* The column of a call still open: as wide as a duration's. */
static inline void fgraph_put_no_duration(struct trace_seq *s)
{
	trace_seq_puts(s, "  ");
	trace_seq_puts(s, "           |  ");
}

#endif
