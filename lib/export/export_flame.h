/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `report --flamegraph FILE [--icicle]`: a self-contained SVG flame graph of
 * merged stacks (export_folded.h), no external script.
 *
 * One frame per stack: the root ("all") at the bottom, then one frame per
 * comm, then the calls, each child on top of its parent (--icicle: root at
 * the top, children below). A frame's width is its total time (samples for
 * stack traces); siblings are sorted by name, as flamegraph.pl draws them.
 * Every frame is drawn, however narrow, unless min_width says otherwise (then
 * the SVG says how many were left out); names are shown where they fit.
 * Colours are a hash of the function name (warm hues; comms in blue), so
 * a function keeps its colour across graphs.
 *
 * A subtitle under the title (flame_opts.subtitle) tells e.g. of lost events.
 *
 * Each frame has a tooltip (<title>): name, total (and percent of all),
 * self, calls. Inline JavaScript: click a frame to zoom to it, "Reset zoom"
 * to go back, "Search" to highlight the frames whose name matches a regex
 * (with the matched share of the total).
 */
#ifndef SIDETRACE_EXPORT_FLAME_H
#define SIDETRACE_EXPORT_FLAME_H

#include <stdbool.h>
#include <stdio.h>

struct stacks;

#define FLAME_MIN_WIDTH 200
#define FLAME_MAX_WIDTH 100000

struct flame_opts {
	bool icicle;		/* top-down */
	const char *title;	/* NULL: "Flame Graph" / "Icicle Graph" */
	int width;		/* pixels (FLAME_MIN_WIDTH..FLAME_MAX_WIDTH); 0: 1200 */
	double min_width;	/* frames narrower (pixels) are left out, said in the SVG */
	const char *subtitle;	/* a line under the title (e.g. lost events); NULL: none */
};

/* The RGB colour of a function name (stable hash). */
void flame_color(const char *name, bool comm, unsigned char rgb[3]);

/*
 * Write the SVG (s sorted, see stacks_sort()). opts may be NULL. 0, or -1
 * with st_set_error() when a write fails.
 */
int flame_write_svg(FILE *out, const struct stacks *s, const struct flame_opts *opts);

#endif
