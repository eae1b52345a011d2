/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * A function's prototype as probes need it: its parameters and return type,
 * from the kernel's BTF (btf.h), a binary's DWARF (probe_dwarf.c) or, without
 * either, the x86-64 calling convention. The lowest layer of the probe module:
 * btf.h and probe.h build on it.
 */
#ifndef SIDETRACE_PROBE_FUNC_H
#define SIDETRACE_PROBE_FUNC_H

#include <stdbool.h>
#include <stdint.h>

/* One function parameter, from BTF, DWARF or the calling convention. */
struct probe_param {
	char *name;		/* "filename", or "arg1".. without debug info */
	char *ctype;		/* C type for display ("const char *"), or NULL */
	int size;		/* bytes, 0 if unknown */
	bool is_signed;
	bool is_pointer;
	bool is_char_ptr;	/* char * / char[]: can be fetched as a string */
	bool is_float;		/* passed in an SSE register: cannot be fetched */
	bool is_aggregate;	/* struct/union passed by value */
	bool user;		/* points to user memory (BTF __user tag, or user space) */
	const char *user_why;	/* why user is set, for -V ("syscall layer"; a static string) */
	unsigned int type_id;	/* the type's BTF id, 0 without BTF */
	/* Filled by probe_func_assign_abi(): */
	char *fetch;		/* "%si", "$stack1", or NULL when it cannot be fetched */
	char default_type[8];	/* "s32", "u64", "x64", ... */
};

struct probe_func {
	char *name;
	int nr_params;
	struct probe_param *params;
	struct probe_param ret;	/* the return type (name unused); size 0 for void */
	bool have_ret;		/* ret describes a known type */
	const char *source;	/* "BTF", "DWARF" or "x86-64 ABI" (a static string) */
};

/*
 * Where each parameter is at the function's entry by the x86-64 SysV calling
 * convention: integers and pointers in di, si, dx, cx, r8, r9, then on the stack
 * ($stack1 is the first stack argument; $stack0 is the return address), floats in
 * SSE registers (not fetchable), big structs in memory. Sets fetch and default_type.
 */
void probe_func_assign_abi(struct probe_func *func);
/* A function of unknown prototype: $arg1..$arg6 in the argument registers. */
struct probe_func *probe_func_unknown(const char *name);
void probe_func_free(struct probe_func *func);

/*
 * The prototype of the function at link-time address vaddr in file's DWARF (libdw),
 * or NULL without an error when there is no DWARF for it.
 */
struct probe_func *probe_dwarf_func(const char *file, const char *name, uint64_t vaddr);

#endif
