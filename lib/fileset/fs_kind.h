/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The kinds of path a record --files probe reports, and their names: the one
 * table that lib/fileset (event names, analysis) and plugins/ (trace-cmd's
 * text for our events) both read. Header-only, with no other include of
 * ours, because the libtraceevent plugin is a shared object that does not
 * link libsidetrace.a.
 */
#ifndef SIDETRACE_FS_KIND_H
#define SIDETRACE_FS_KIND_H

#include <stddef.h>

/*
 * The kind of call a path belongs to. The uprobe backend stores these numbers in its
 * probes' "kind" argument (record_files.c), so they are part of the trace.dat
 * format: never renumber them.
 */
enum fs_kind {
	FS_K_NONE = 0,
	FS_K_ANY = 1,		/* the kernel's getname: whatever path syscall is running */
	FS_K_OPEN = 2,
	FS_K_EXEC = 3,
	FS_K_STAT = 4,
	FS_K_ACCESS = 5,
	FS_K_READLINK = 6,
	FS_K_CHDIR = 7,
	FS_K_DLOPEN = 8,
	FS_K_DLOPENRET = 9,
	FS_K_MAX = FS_K_DLOPENRET,
};

/*
 * The name of a kind, as the probe events' names start with it ("open_open64")
 * and as trace-cmd's plugin prints it; NULL for FS_K_NONE and unknown numbers.
 */
static inline const char *fs_kind_name(long kind)
{
	static const char *const names[FS_K_MAX + 1] = {
		[FS_K_ANY] = "any", [FS_K_OPEN] = "open", [FS_K_EXEC] = "exec",
		[FS_K_STAT] = "stat", [FS_K_ACCESS] = "access", [FS_K_READLINK] = "readlink",
		[FS_K_CHDIR] = "chdir", [FS_K_DLOPEN] = "dlopen", [FS_K_DLOPENRET] = "dlopenret",
	};

	return kind > FS_K_NONE && kind <= FS_K_MAX ? names[kind] : NULL;
}

#endif
