/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `report --flamegraph FILE [--icicle]`: a self-contained SVG flame graph of
 * merged stacks (export_folded.h), no external script.
 *
 * One frame per stack: the root ("all") at the bottom, then one frame per
 * comm, then the calls, each child on top of its parent (--icicle: root at
 * the top, children below). A frame's width is its total time (samples for
 * stack traces); siblings are sorted by name, as flamegraph.pl draws them.
 * Frames narrower than min_width pixels are left out, with everything above
 * them (by default FLAME_DEFAULT_MIN_WIDTH, a tenth of a pixel, as
 * flamegraph.pl does: a huge trace then makes an SVG a browser opens); the
 * SVG says how many and under what width. Names are shown where they fit.
 * Colours are a hash of the function name (warm hues; comms in blue), so
 * a function keeps its colour across graphs.
 *
 * A subtitle under the title says what the picture is: the trace file, what
 * a frame's width measures (call time, or stack-trace samples), the time
 * range of the records, then flame_opts.subtitle (e.g. lost events) and the
 * frames left out; in as many lines as the width needs (cut after a "; ").
 * Below 640 px the buttons get a row of their own under the title.
 *
 * Each frame has a tooltip (<title>): name, total (and percent of all),
 * self, calls. Inline JavaScript: click a frame to zoom to it, "Reset zoom"
 * to go back; "Search" (or Ctrl-F, F3) highlights the frames whose name
 * matches a regular expression and shows the matched share of the total
 * (frames under a matched frame counted once); "ignore case" toggles case
 * (and searches again); "Reset search" (or Escape) clears it. The SVG's
 * URL may carry a first search: file.svg?s=REGEX (&i=1: ignoring case).
 */
#ifndef SIDETRACE_EXPORT_FLAME_H
#define SIDETRACE_EXPORT_FLAME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct stacks;

#define FLAME_MIN_WIDTH 200
#define FLAME_MAX_WIDTH 100000
#define FLAME_DEFAULT_MIN_WIDTH 0.1

struct flame_opts {
	bool icicle;		/* top-down */
	const char *title;	/* NULL: "Flame Graph" / "Icicle Graph" */
	int width;		/* pixels (FLAME_MIN_WIDTH..FLAME_MAX_WIDTH); 0: 1200 */
	double min_width;	/* frames narrower (pixels) are left out, said in the SVG */
	const char *source;	/* the trace file, for the subtitle; NULL: not said */
	uint64_t first_ts, last_ts;	/* the records' time range (ns); 0, 0: not said */
	const char *subtitle;	/* more for the subtitle (e.g. lost events); NULL: none */
};

/* The RGB colour of a function name (stable hash). */
void flame_color(const char *name, bool comm, unsigned char rgb[3]);

/*
 * Write the SVG (s sorted, see stacks_sort()). opts may be NULL. 0, or -1
 * with st_set_error() when a write fails.
 */
int flame_write_svg(FILE *out, const struct stacks *s, const struct flame_opts *opts);

#endif
