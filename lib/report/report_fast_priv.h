/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * What report_fast.c (compiled print formats) and report_fast_plugins.c
 * (native printers of libtraceevent's plugin handlers) share: the compiled
 * program of an event and the writers of numbers. Not for other files:
 * report_fast.h is the interface.
 */
#ifndef SIDETRACE_REPORT_FAST_PRIV_H
#define SIDETRACE_REPORT_FAST_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "report/report_field.h"

#include "report/report_fast.h"

enum op_kind {
	OP_LIT, OP_NUM, OP_STR, OP_SYMBOLIC, OP_FLAGS, OP_CHOICE,
	OP_FUNC,	/* %ps %pS %pf %pF: a kernel function's name */
	OP_NATIVE,	/* a plugin's whole INFO (report_fast_plugins.c) */
};

/* A __print_symbolic() or __print_flags() table entry. */
struct fast_sym {
	long long value;
	const char *name;	/* libtraceevent's string: lives as long as the event */
	int len;
};

/*
 * A number computed as libtraceevent's eval_num_arg() computes it: unsigned
 * 64-bit arithmetic on fields read as unsigned numbers of their size.
 */
enum expr_kind { EX_CONST, EX_FIELD, EX_MASK, EX_OP };

struct fast_expr {
	enum expr_kind kind;
	unsigned long long value;	/* EX_CONST: the number; EX_MASK: the cast's mask */
	int offset, size;		/* EX_FIELD */
	char op[3];			/* EX_OP: "+", "<<", "&&", ... */
	struct fast_expr *left, *right;	/* EX_OP; EX_MASK: left only */
};

struct fast_native;

struct fast_op {
	enum op_kind kind;
	/* OP_LIT */
	const char *lit;
	int lit_len;
	/* OP_NUM and OP_STR: where the value is */
	int offset;
	int size;
	bool data_loc;		/* OP_STR: a __data_loc string (offset field) */
	uint64_t mask;		/* OP_NUM: a cast's mask (all ones: none) */
	struct fast_expr *expr;	/* not NULL: the value is computed (offset/size: its fields' span) */
	/* the conversion */
	char conv;		/* d u x X s p; OP_FUNC: s or S */
	bool is_long;		/* 'l' or "ll" */
	int short_bits;		/* 'h': 16, "hh": 8 (printf's conversion of the value); 0: none */
	bool left, zero, alt;
	int width;
	/* OP_SYMBOLIC and OP_FLAGS: the value is an OP_NUM's (offset, size, mask, expr) */
	struct fast_sym *syms;
	int nr_syms;
	const char *delim;	/* OP_FLAGS; NULL: none */
	/*
	 * OP_CHOICE: COND ? "yes" : "no" (libtraceevent's strings), the value is
	 * COND's; a side that is a table instead is branch[0] (yes) or branch[1]
	 */
	const char *yes, *no;
	struct fast_op *branch[2];
	/* OP_NATIVE */
	struct fast_native *native;
};

struct fast_fmt {
	struct fast_op *ops;
	int nr_ops;
	size_t max_len;
	int checked;		/* records printed both ways and found equal */
	bool failed;		/* a difference was seen: use libtraceevent */
	bool swap;		/* the file's byte order is not the host's */
	struct report_fast *owner;
};

#define FUNC_SLOTS 1024		/* direct-mapped cache of function lookups, a power of two */

struct func_slot {
	unsigned long long addr, start;
	const char *name;	/* NULL: no function there */
	bool valid;
};

struct report_fast {
	struct tep_handle *tep;
	/* by event id, TD_NR_TYPES each: sparse, a file has a few hundred */
	struct fast_fmt **fmts;
	char *state;			/* 0 not compiled yet, 1 compiled, 2 not compilable */
	int max_id;			/* no format compiled above it */
	struct func_slot funcs[FUNC_SLOTS];
	uint8_t *comm_known;		/* bit per pid: tep_register_comm() has seen it */
	bool cmdlines_ready;		/* libtraceevent's comm list is its sorted array */
	bool comms_changed;		/* a native printer registered a new comm */
};

/* report_fast_plugins.c: the native printer of ev's plugin handler, or NULL. */
struct fast_fmt *fast_native_compile(struct report_fast *f, struct tep_event *ev);
void fast_native_free(struct fast_native *n);
int fast_native_print(const struct fast_native *n, struct report_fast *f, bool swap,
		      bool checking, const struct tep_record *rec, char *buf);

/* report_fast.c: printf of one conversion described by op, into p; the end. */
char *fast_put_number(char *p, const struct fast_op *op, unsigned long long val);

/* tep_find_function() and tep_find_function_address() of addr, remembered. */
const char *fast_find_function(struct report_fast *f, unsigned long long addr,
			       unsigned long long *start);

struct fast_fmt *fast_fmt_alloc(struct report_fast *f);
struct fast_op *fast_add_op(struct fast_fmt *ff, enum op_kind kind);

/* tep_read_number() without the call for the sizes of numbers. */
static inline unsigned long long fast_read_number(struct tep_handle *tep, bool swap,
						  const void *p, int size)
{
	if (size == 1 || size == 2 || size == 4 || size == 8)
		return report_read_number(p, size, swap);
	return tep_read_number(tep, p, size);
}

#endif
