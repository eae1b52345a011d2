/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Dynamic probes (kprobe and uprobe events) in perf-probe syntax.
 *
 * The work is split so that everything but the last step is testable without root:
 *   1. probe_spec_parse()        string -> struct probe_spec          (pure)
 *   2. probe_resolve_kernel() /  spec -> struct probe_site: where the probe goes and what the
 *      probe_resolve_user()      function's parameters are (BTF, DWARF or the x86-64 ABI)
 *   3. probe_default_group() /   names as perf gives them                 (pure)
 *      probe_default_event()
 *   4. probe_definition()        spec + site + names -> the tracefs line   (pure)
 *   5. probe_create_line() / probe_delete() / probe_list()                 (tracefs)
 *
 * Other parts of sidetrace (file sets, user call graphs) create temporary uprobes with
 * probe_resolve_uprobe() + probe_create_uprobe() and remove them with probe_delete().
 */
#ifndef SIDETRACE_PROBE_H
#define SIDETRACE_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "probe/probe_func.h"

struct st_undo;

/* Limits the kernel puts on names; perf keeps event names below 64 bytes too. */
#define PROBE_NAME_MAX 63

/* One fetch expression of an argument, as the user wrote it. */
enum probe_fetch_kind {
	PROBE_FETCH_VAR,	/* a parameter name: resolved through BTF/DWARF/ABI */
	PROBE_FETCH_PARAMS,	/* $params / $vars: every parameter */
	PROBE_FETCH_RETVAL,	/* $retval */
	PROBE_FETCH_ARGN,	/* $argN (becomes a register or stack slot) */
	PROBE_FETCH_REG,	/* %REG */
	PROBE_FETCH_STACK,	/* $stack, $stackN */
	PROBE_FETCH_COMM,	/* $comm */
	PROBE_FETCH_MEM,	/* @SYM[+-off], @ADDR, @+FILEOFF */
	PROBE_FETCH_IMM,	/* \IMM or \"str" */
	PROBE_FETCH_DEREF,	/* [+-][u]OFFS(FETCH) */
};

/* One step of a member access after a parameter: ->NAME, .NAME or [INDEX]. */
enum probe_step_kind { PROBE_STEP_ARROW, PROBE_STEP_DOT, PROBE_STEP_INDEX };
struct probe_step {
	enum probe_step_kind kind;
	char *member;		/* ARROW, DOT */
	long long index;	/* INDEX */
};

struct probe_fetch {
	enum probe_fetch_kind kind;
	char *text;		/* VAR name, REG name ("di"), STACK/MEM/IMM text as written */
	int argn;		/* ARGN: N (1-based) */
	long long offset;	/* DEREF: the offset */
	bool user;		/* DEREF: +u (user memory) */
	struct probe_fetch *inner;	/* DEREF: what is dereferenced */
	int nr_steps;		/* VAR, ARGN: "file->f_path.dentry" has 3 */
	struct probe_step *steps;
};

struct probe_arg {
	char *raw;		/* the argument as written, for messages */
	char *name;		/* NAME= as given, or NULL */
	struct probe_fetch *fetch;
	char *type;		/* :TYPE as given ("u32", "string", ...) or NULL */
	bool user;		/* perf's @user suffix: the value points to user memory */
};

/* A parsed probe: [[GROUP:]EVENT=]FUNC[+OFFS|%return] [ARG ...] */
struct probe_spec {
	char *group;		/* NULL: the default group */
	char *event;		/* NULL: the default event name */
	char *func;		/* symbol (may hold @VERSION); NULL when addr is used */
	uint64_t addr;		/* FUNC given as 0xADDR (a link-time address) */
	uint64_t offset;	/* +OFFS */
	bool ret;		/* %return */
	int nr_args;
	struct probe_arg *args;
};

/*
 * Parse a probe string. On error returns -1 with a message that names the
 * offending token and why. Pure: no file or tracefs access.
 */
int probe_spec_parse(const char *str, struct probe_spec *spec);
void probe_spec_free(struct probe_spec *spec);

/*
 * A member access compiled to memory loads: the value is
 * +offs[nr_loads-1](...+offs[0](PARAM)), of fetch type type.
 */
#define PROBE_MEMBER_MAX_LOADS 16
struct probe_member {
	bool resolved;		/* false: not a member access, or no type information */
	int nr_loads;
	long long offs[PROBE_MEMBER_MAX_LOADS];
	char type[24];		/* "u32", "x64", "b3@5/32", or "string" for char arrays/pointers */
	bool char_ptr;		/* a char *: a string is read where it points (+0()) */
	bool pointer;		/* any pointer: :string reads where it points too */
	bool char_array;	/* a char array: :string reads it in place */
	char ctype[64];		/* the member's C type ("unsigned int"), for -V */
};

/*
 * The member accesses of spec's arguments (PARAM->a.b[3]) in the user function
 * at link-time address vaddr, through file's DWARF, into members[] (one per
 * argument). 0 (members without DWARF stay unresolved), or -1 with a one-line
 * error as kbtf_member_access() gives.
 */
int probe_dwarf_members(const char *file, uint64_t vaddr, const struct probe_spec *spec,
			struct probe_member *members);
/*
 * For -V: the members of the struct/union the parameter param points to (none
 * for other types), each compiled as PARAM->MEMBER into (*members)[i] (not
 * resolved when it is no value: a struct, a non-char array). Returns the count.
 */
struct strlist;
int probe_dwarf_pointee_members(const char *file, uint64_t vaddr, const char *param,
				struct strlist *names, struct probe_member **members);

/* Where a probe goes, once resolved. */
struct probe_site {
	bool kernel;
	char *symbol;		/* the real symbol ("readline", "memcpy@@GLIBC_2.14") */
	char *path;		/* uprobe: the ELF file (absolute) */
	uint64_t file_offset;	/* uprobe: file offset of the probed instruction (OFFS added) */
	struct probe_func *func;	/* parameters, or NULL if unknown */
	bool no_ustring;	/* the kernel predates ustring (5.3): use string */
	struct probe_member *members;	/* per spec argument (BTF, DWARF), or NULL */
	char *dwarf_file;	/* uprobe: where its DWARF may be, or NULL */
	uint64_t vaddr;		/* uprobe: the function's link-time address */
};
void probe_site_free(struct probe_site *site);

/* Resolve a kernel probe point: checks the function exists (BTF, kallsyms). */
int probe_resolve_kernel(const struct probe_spec *spec, struct probe_site *site);
/*
 * Resolve a user probe point in the ELF at exe (a path, a command in $PATH or a
 * soname such as libc.so.6, found as the dynamic loader would).
 */
int probe_resolve_user(const struct probe_spec *spec, const char *exe, struct probe_site *site);

/* The file offset uprobe_events wants for a user function. */
struct uprobe_target {
	char *path;		/* absolute path of the ELF file */
	char *symbol;		/* the symbol found, with its version if any */
	uint64_t vaddr;		/* st_value */
	uint64_t size;		/* st_size */
	uint64_t offset;	/* file offset: vaddr mapped through its PT_LOAD */
};
/*
 * Find func (a symbol, "sym@VER"/"sym@@VER", or NULL with the address in
 * out->vaddr on entry) in the ELF at path (resolved like probe_resolve_user()),
 * in .symtab, .dynsym or the separate debug file found by build-id.
 * ret only adds a check that the symbol is a function start.
 */
int probe_resolve_uprobe(const char *path, const char *func, bool ret, struct uprobe_target *out);
void uprobe_target_free(struct uprobe_target *t);

/* "probe" for the kernel, "probe_<basename cut at its first non-identifier char>". */
char *probe_default_group(bool kernel, const char *path);
/* The function name cut at '.'/'@', sanitised, with "__return" for return probes. */
char *probe_default_event(const char *func, bool ret);

/*
 * The tracefs line for a probe, e.g. "p:probe/do_sys_openat2 do_sys_openat2
 * filename=+0(%si):ustring" or "r:probe_bash/readline__return /usr/bin/bash:0xc6c20
 * +0($retval):string". Pure. NULL + st_set_error for arguments that cannot be had
 * there (unknown parameter, $retval at entry, @SYM in a uprobe, ...).
 */
char *probe_definition(const struct probe_spec *spec, const struct probe_site *site,
		       const char *group, const char *event);

/* A probe event read back from kprobe_events/uprobe_events. */
struct probe_event {
	bool kernel;
	bool ret;
	char *group;
	char *event;
	char *target;		/* "do_sys_openat2+0" or "/usr/bin/bash:0x00000000000c6c20" */
	char *path;		/* uprobe: the file */
	uint64_t offset;	/* uprobe: the file offset; kprobe: +offs */
	char *args;		/* the fetch arguments as the kernel prints them ("" if none) */
};
/* Parse one line of kprobe_events/uprobe_events. Pure. */
int probe_event_parse(const char *line, bool kernel, struct probe_event *ev);
void probe_event_clear(struct probe_event *ev);

/* Every kprobe and uprobe event defined now. */
int probe_list(struct probe_event **events, int *nr);
void probe_list_free(struct probe_event *events, int nr);

/* Whether this kernel has kprobe events at all (tracefs kprobe_events). */
bool probe_kernel_has_kprobes(void);
/* Whether an event GROUP:EVENT exists (any kind). */
bool probe_event_exists(const char *group, const char *event);
/*
 * base, or base_1, base_2, ... : the first name not used in group.
 * Returns a new string, or NULL if 1024 suffixes are taken.
 */
char *probe_unique_event(const char *group, const char *base);

/*
 * Write a definition line to kprobe_events or uprobe_events. On a kernel refusal
 * the message holds the kernel's error_log line.
 */
int probe_create_line(const char *line, bool kernel);
/*
 * Add a probe definition line to the multi-probe event group/event. The
 * first probe of the event (first) goes through the undo list, whose undoing
 * deletes the event with every probe added to it later; the kernel requires
 * the later ones to have the same argument names and types. On a kernel
 * refusal the message holds the kernel's error_log line.
 */
int probe_add_to_event(struct st_undo *undo, bool kernel, const char *group, const char *event,
		       const char *line, bool first);
/* A probe ready to be written: its names, its line and how to describe it. */
struct probe_prepared {
	bool kernel;
	char *group;
	char *event;
	char *line;		/* the definition for kprobe_events/uprobe_events */
	char *point;		/* "readline%return", "vfs_read+16" */
	char *path;		/* uprobe: the ELF file; NULL for the kernel */
};
/*
 * Resolve spec (exe NULL for the kernel) and build its definition. The event name
 * is spec's, or the default made unique with _1, _2...; with dry_run, names are
 * not checked against tracefs and kprobe support is not required.
 */
int probe_prepare(const struct probe_spec *spec, const char *exe, bool dry_run,
		  struct probe_prepared *out);
void probe_prepared_free(struct probe_prepared *p);

/*
 * Create the probe for spec (exe NULL for the kernel) with default or given names;
 * returns the names used in *group / *event (to free) for probe_delete().
 */
int probe_create(const struct probe_spec *spec, const char *exe, char **group, char **event);
/* A uprobe at a resolved target, e.g. for a recording's temporary probes. */
int probe_create_uprobe(const char *group, const char *event, const struct uprobe_target *t,
			bool ret, const char *fetchargs);
/* Remove one kprobe or uprobe event. */
int probe_delete(const char *group, const char *event);

struct strlist;
/*
 * The one-line error for a member that does not exist: "'ARG': DECL has no member
 * 'NAME'; did you mean CLOSEST? (members: a, b, ... N in all)".
 */
void probe_set_no_member_error(const char *arg, const char *decl, const char *name,
			       const struct strlist *members);

/* Up to max names from candidates[] closest to name (edit distance), for "did you mean". */
int probe_suggest(const char *name, char *const *candidates, int nr, const char **out, int max);

#endif
