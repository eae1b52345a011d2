/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The function_graph printer of `trace-cmd report` (Documentation/trace-dat.md
 * 2.2): INFO text for ftrace:funcgraph_entry and ftrace:funcgraph_exit.
 * libtraceevent has no plugin for these; trace-cmd prints them itself, and so
 * do we, from a tep event handler.
 *
 * An entry whose matching exit is the very next record of the buffer (global
 * timestamp order) is a leaf: it prints as "func();" with the call's duration
 * and the exit is consumed, so the handler needs the record iterator.
 */
#ifndef SIDETRACE_FGRAPH_H
#define SIDETRACE_FGRAPH_H

#include <stdbool.h>
#include <stdint.h>

struct tep_handle;
struct tep_record;
struct trace_seq;
struct td_iter;
struct tep_event;
struct report_out;

struct fgraph;

/*
 * Register the "fgraph" plugin options (tailprint, depth) with libtraceevent,
 * so that tep_plugin_add_option("fgraph:depth", NULL) (what -O does) sets
 * them. Call once before the -O options are applied; fgraph_free() removes them.
 */
struct fgraph *fgraph_new(void);
void fgraph_free(struct fgraph *fg);

/*
 * Install the printer on tep's ftrace:funcgraph_entry/exit (when the file has
 * them). Returns 0, or -1 with st_set_error() if the handler cannot be set.
 */
int fgraph_register(struct fgraph *fg, struct tep_handle *tep);

/*
 * Colour the overhead mark and duration of calls over 10 us (as the marks:
 * "+" yellow, "!" red, "#" bold red, "$" bold magenta). Off by default.
 */
void fgraph_set_color(struct fgraph *fg, bool on);

/* The iterator the record being printed came from (leaf detection peeks it). */
void fgraph_set_iter(struct fgraph *fg, struct td_iter *it);

/* Whether fgraph_print_line() prints ev's records (the printer is installed and ev is one of its two). */
bool fgraph_prints(const struct fgraph *fg, const struct tep_event *ev);

/*
 * INFO of a funcgraph record and its newline, straight into out: the bytes the
 * tep handler would print, without tep_print_event(). it is rec's iterator
 * (a leaf's exit is taken from it).
 */
void fgraph_print_line(struct fgraph *fg, struct td_iter *it, struct tep_record *rec,
		       const struct tep_event *ev, struct report_out *out);

/* One funcgraph record, decoded (for the call-tree views). */
struct fgraph_call {
	bool is_exit;
	int pid;
	uint64_t func;		/* address; fgraph_func_name() names it */
	int depth;
	uint64_t calltime;	/* exit only */
	uint64_t rettime;	/* exit only */
};

/*
 * Decode rec if it is a funcgraph_entry or funcgraph_exit of the tep given to
 * fgraph_register(): 1 and *call filled, 0 for any other event, -1 when a
 * field is missing or the record is too short.
 */
int fgraph_decode(const struct fgraph *fg, const struct tep_record *rec,
		  struct fgraph_call *call);

/* The kallsyms name of a function address, or NULL. */
const char *fgraph_func_name(const struct fgraph *fg, uint64_t addr);

/* Layout helpers, exported for the unit tests. */

/* The slot of the function-name cache an address takes (tests make two collide). */
unsigned int fgraph_name_slot(uint64_t addr);

#endif
