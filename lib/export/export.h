/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The picture formats of `sidetrace report`: --format chrome
 * (export_chrome.h), --format speedscope (export_speedscope.h), --format
 * folded [--count] (export_folded.h) and
 * --flamegraph FILE [--icicle] (export_flame.h). This file ties them to a
 * report run: one pass over the records through the call-tree builder
 * (report_calls.h), so they show whatever feeds it (kernel function_graph,
 * user-space calls), and, for folded stacks and flame graphs, the stack traces
 * of function-tracer traces recorded with --func-stack (ftrace:kernel_stack
 * events) when the trace has no calls.
 */
#ifndef SIDETRACE_EXPORT_H
#define SIDETRACE_EXPORT_H

#include <stdbool.h>

struct report_opts;
struct report_calls_opts;
struct report_consumer;
struct export;

struct export_opts {
	enum export_format {
		EXPORT_NONE,
		EXPORT_CHROME,		/* --format chrome */
		EXPORT_FOLDED,		/* --format folded */
		EXPORT_SPEEDSCOPE,	/* --format speedscope */
	} format;
	bool count;			/* --count: folded values are calls */
	const char *flamegraph;		/* --flamegraph FILE */
	bool icicle;			/* --icicle: top-down flame graph */
	const char *title;		/* --title: the flame graph's; NULL: the default */
	int width;			/* --width: its pixels; 0: the default */
	double min_width;		/* --min-width: pixels; narrower frames left out */
	bool min_width_given;		/* --min-width given (0 draws every frame); else
					 * FLAME_DEFAULT_MIN_WIDTH unless min_width > 0 */
	const char *source;		/* the trace file, named in the flame graph */
};

bool export_wanted(const struct export_opts *e);

/* --format's argument ("text" is the default, the event lines). 0, or -1 with st_set_error(). */
int export_parse_format(struct export_opts *e, const char *arg);

/* --width PX and --min-width PX. 0, or -1 with st_set_error(). */
int export_parse_width(struct export_opts *e, const char *arg);
int export_parse_min_width(struct export_opts *e, const char *arg);

/*
 * Options that conflict or need another one, among e and the rest of the
 * report's. 0, or -1 with st_set_error().
 */
int export_check_options(const struct export_opts *e, const struct report_opts *o,
			 const struct report_calls_opts *calls);

/*
 * Set up a run with the call-tree builder's options calls: output goes to fd,
 * the flame graph to its file. e and calls must outlive the export.
 */
struct export *export_new(const struct export_opts *e, const struct report_calls_opts *calls,
			  int fd);
void export_free(struct export *x);	/* NULL is allowed */

/* The view to give report_run() (valid while x lives). */
const struct report_consumer *export_consumer(struct export *x);

#endif
