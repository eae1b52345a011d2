/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * ELF function symbols and the file offsets uprobes want (libelf).
 *
 * A uprobe offset is a file offset: the symbol's st_value mapped through the
 * PT_LOAD segment that holds it (offset = st_value - p_vaddr + p_offset). That
 * is right for non-PIE executables, PIEs and shared libraries, GNU ld and lld
 * alike. Symbols come from .symtab, .dynsym (with their versions) and, for
 * stripped files, the separate debug file found by build-id or .gnu_debuglink.
 */
#ifndef SIDETRACE_ELFSYM_H
#define SIDETRACE_ELFSYM_H

#include <stdbool.h>
#include <stdint.h>

struct elfsym;

struct elfsym_sym {
	const char *name;	/* the name without version ("memcpy") */
	const char *version;	/* "GLIBC_2.14" or NULL */
	bool default_version;	/* "@@" (the one the linker binds) rather than "@" */
	bool ifunc;		/* STT_GNU_IFUNC: the address is the resolver's */
	bool global;		/* STB_GLOBAL/STB_WEAK */
	uint64_t value;		/* st_value (link-time address) */
	uint64_t size;
};

/*
 * Open path; debug_root is where build-id debug files live ("/usr/lib/debug",
 * the default when NULL). Returns NULL with st_set_error.
 */
struct elfsym *elfsym_open(const char *path, const char *debug_root);
void elfsym_close(struct elfsym *e);

/* Whether the symbols are only .dynsym's: no .symtab and no debug file was found. */
bool elfsym_stripped(const struct elfsym *e);
/* The debug file used for extra symbols and DWARF, or NULL. */
const char *elfsym_debug_file(const struct elfsym *e);
/* The file to read DWARF from: the debug file, else the ELF itself. */
const char *elfsym_dwarf_file(const struct elfsym *e);
bool elfsym_is_64bit_x86(const struct elfsym *e);

/* Every function symbol (deduplicated by name+address), sorted by name. */
int elfsym_functions(const struct elfsym *e, const struct elfsym_sym **syms);

/*
 * Find a function by name: "name" (the default version if several), "name@VER" or
 * "name@@VER". -1 with st_set_error when absent or ambiguous (two local functions
 * of that name at different addresses).
 */
int elfsym_lookup(const struct elfsym *e, const char *name, struct elfsym_sym *out);
/* The function containing vaddr (for listing probes), or -1. */
int elfsym_at(const struct elfsym *e, uint64_t vaddr, struct elfsym_sym *out);

/*
 * Map a link-time address to a file offset through the PT_LOAD that holds it (the
 * section headers if none does). *exec tells whether that segment is executable.
 */
int elfsym_vaddr_to_offset(const struct elfsym *e, uint64_t vaddr, uint64_t *offset, bool *exec);
int elfsym_offset_to_vaddr(const struct elfsym *e, uint64_t offset, uint64_t *vaddr);

#endif
