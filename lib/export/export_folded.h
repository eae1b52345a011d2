/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Merged stacks: the call paths of a call tree (calltree.h) merged across the
 * tasks of one comm, the input of `report --format folded` and of the flame
 * graph (export_flame.h). One node per distinct stack "comm;outer;...;inner",
 * with the calls, total and self time of every call of that path; memory is
 * bounded by the number of distinct stacks, not by the number of events.
 *
 * Folded output, one line per stack whose value is not 0, parents before
 * their children, siblings sorted by name (strcmp):
 *
 *   ls;do_sys_open 151234            self time in ns (or calls with count)
 *   ls;do_sys_open;getname 1234
 *
 * Names are written as they are, except that ';' (the separator), spaces,
 * tabs and newlines become '_' so that every line splits back the same way.
 */
#ifndef SIDETRACE_EXPORT_FOLDED_H
#define SIDETRACE_EXPORT_FOLDED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct calltree;
struct stacks;

/* One stack. Read-only for users. */
struct stack_node {
	const char *name;	/* function, or the comm at depth 1; "all" for the root */
	int depth;		/* 0 root, 1 comm, 2 outermost call ... */
	uint64_t calls;
	uint64_t total;		/* ns (or samples), inclusive */
	uint64_t self;		/* ns (or samples), exclusive */
	struct stack_node **kids;	/* sorted by name after stacks_sort() */
	int nr_kids;
	int alloc_kids;
	uint32_t id;
};

struct stacks *stacks_new(void);
void stacks_free(struct stacks *s);	/* NULL is allowed */

/*
 * Merge every task of ct under a node for its comm ("<idle>" for pid 0,
 * "<...>" when unknown). The root's and the comms' totals are the sums of
 * their children's.
 */
void stacks_add_calltree(struct stacks *s, const struct calltree *ct);

/*
 * Add count samples of one stack, frames[0] outermost (a stack trace event):
 * calls and total of every frame on the path grow by count, self of the last.
 */
void stacks_add_sample(struct stacks *s, const char *comm, const char *const *frames, int nr,
		       uint64_t count);

/* Sort every node's children by name; call once all is added. */
void stacks_sort(struct stacks *s);

const struct stack_node *stacks_root(const struct stacks *s);
/* Node ids run from 0 (the root) to stacks_max_id(). */
uint32_t stacks_max_id(const struct stacks *s);

/* Whether values are samples (stacks_add_sample) rather than ns. */
bool stacks_are_samples(const struct stacks *s);

/*
 * Write the folded lines (after stacks_sort): self time, or calls with
 * count. 0, or -1 with st_set_error() when the write fails.
 */
int stacks_write_folded(const struct stacks *s, FILE *out, bool count);

#endif
