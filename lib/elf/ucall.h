/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * User-space call graphs on uprobes (record -x PATH -g PATTERN): what record
 * and report share.
 *
 * Record puts an entry and a return uprobe on every matching function. All of
 * them are appended to just two multi-probe events of the recording's group,
 * GROUP:ucall_entry and GROUP:ucall_return (the kernel's "Create/append"),
 * each probe carrying an immediate `id=\N:u32`: the index of its function in
 * a table stored in the trace.dat as the TD_OPT_UCALLS option. Report maps
 * (event id, id field) to the function without looking at any name; two
 * events also mean one write each to enable, disable and delete them all.
 *
 * The option is text, one "key=value" per line:
 *   version=1
 *   group=sidetrace_1234
 *   entry=ucall_entry
 *   return=ucall_return
 *   func=ID<TAB>BINARY<TAB>SYMBOL      (one per function, ID from 0)
 */
#ifndef SIDETRACE_UCALL_H
#define SIDETRACE_UCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UCALL_ENTRY_EVENT "ucall_entry"
#define UCALL_RETURN_EVENT "ucall_return"

struct ucall_func {
	char *binary;		/* absolute path of the ELF file */
	char *symbol;		/* the symbol as in the ELF (mangled) */
};

struct ucall_table {
	char *group;
	char *entry_event;
	char *return_event;
	struct ucall_func *funcs;
	int nr_funcs;
};

/* Add a function; returns its id. */
int ucall_table_add(struct ucall_table *t, const char *binary, const char *symbol);
void ucall_table_free(struct ucall_table *t);

/* The TD_OPT_UCALLS text (malloc'ed, NUL-terminated). */
char *ucall_table_format(const struct ucall_table *t);
/* Parse that text (size bytes, a trailing NUL optional). 0, or -1 with st_set_error(). */
int ucall_table_parse(const char *text, size_t size, struct ucall_table *t);

/*
 * The names travel where every trace.dat reader looks (Documentation/trace-dat.md
 * 3.1): the function table (kallsyms section) gets function ID at address
 * UCALL_SYMBOL_BASE + ID, in the non-canonical hole of x86-64 and arm64 where
 * no kernel or user symbol lives, plus UCALL_UNKNOWN_SYMBOL just after the
 * last one, so that an id past the table does not borrow the last name; and
 * the two events' print fmt prints "%ps" of that address. ELF names without
 * blanks only (kallsyms lines end a name at one).
 */
#define UCALL_SYMBOL_BASE 0x5354000000000000ULL
#define UCALL_UNKNOWN_SYMBOL "sidetrace_unknown_ucall"

/* Whether a symbol can be a kallsyms name (not empty, no blanks). */
bool ucall_symbol_fits_kallsyms(const char *symbol);
/* The kallsyms lines of the table (malloc'ed). */
char *ucall_table_kallsyms(const struct ucall_table *t);
/*
 * The format text of a ucall_entry/ucall_return event with its print fmt
 * naming the function (malloc'ed): "id=%u" becomes "%ps id=%u" and
 * "REC->id" "REC->id + UCALL_SYMBOL_BASE, REC->id". NULL when the text is
 * not laid out as expected (then it is kept as the kernel wrote it).
 */
char *ucall_format_with_names(const char *format, size_t size);

/*
 * A -g/-n pattern: a glob (fnmatch(3): *, ?, [...]) or, between slashes, a POSIX
 * extended regular expression matched anywhere in the name ("/^parse_/").
 */
struct ucall_pattern;
/* NULL with st_set_error() for an empty glob or a regex that does not compile. */
struct ucall_pattern *ucall_pattern_new(const char *text);
bool ucall_pattern_match(const struct ucall_pattern *p, const char *name);
void ucall_pattern_free(struct ucall_pattern *p);

/*
 * A function name for display: C++ (Itanium ABI) and Rust legacy names
 * demangled with the C++ runtime's __cxa_demangle (libstdc++, loaded on first
 * use; no extra build dependency), the Rust "::h<16 hex>" hash dropped. Any
 * other name, or without libstdc++, a copy of name. Always malloc'ed.
 */
char *ucall_demangle(const char *name);

#endif
