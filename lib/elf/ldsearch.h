/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Where glibc's dynamic loader (x86-64) finds a library, written once for
 * every part of sidetrace that needs it: -x LIBRARY and record --files's
 * libc (ld_find_library), and the DT_NEEDED closure of a file set
 * (ld_search with the needing object's paths).
 *
 * For a name without '/', the loader tries in this order:
 *   1. the DT_RPATH of the needing object, then of the object that loaded
 *      it, up to the executable; skipped when the needing object has a
 *      DT_RUNPATH;
 *   2. LD_LIBRARY_PATH;
 *   3. the DT_RUNPATH of the needing object (only its own);
 *   4. /etc/ld.so.cache (its x86-64 entries);
 *   5. the default directories (Debian's multiarch ones first).
 * In a path list, $ORIGIN / ${ORIGIN} is the directory of the object the list
 * belongs to, $LIB / ${LIB} is lib/x86_64-linux-gnu and $PLATFORM /
 * ${PLATFORM} is x86_64 (the kernel's AT_PLATFORM there). Only x86-64 ELF files count as found, as for the loader, which
 * skips a library of another machine and searches on.
 */
#ifndef SIDETRACE_ELF_LDSEARCH_H
#define SIDETRACE_ELF_LDSEARCH_H

#include <stdbool.h>

/* One link of the DT_RPATH chain: an object's and, through up, its loaders'. */
struct ld_rpath {
	const char *rpath;		/* NULL: none (or the object has a DT_RUNPATH) */
	const char *origin;		/* the directory of the object it belongs to */
	const struct ld_rpath *up;	/* the loader's link, NULL at the executable */
};

/* The object whose DT_NEEDED is searched for. */
struct ld_needer {
	const char *origin;		/* its directory, for $ORIGIN (NULL: unknown) */
	const char *runpath;		/* its DT_RUNPATH, or NULL */
	const struct ld_rpath *rpaths;	/* its own link of the DT_RPATH chain, or NULL */
};

/* What the search runs in. */
struct ld_env {
	const char *ld_library_path;	/* NULL or "": none */
	const char *root;		/* search a system image under this directory; NULL: / */
};

/*
 * Where the loader finds name for needer (NULL: no object, as for a bare
 * soname given by the user). A name with '/' is that file itself. With a
 * root, paths are searched under it, returned without it, and ld.so.cache
 * (the machine's, not the image's) is not read. Returns a malloc'ed path, or
 * NULL when the loader would not find it.
 */
char *ld_search(const char *name, const struct ld_needer *needer, const struct ld_env *env);

/*
 * A library soname as the loader would find it for a program started here
 * (this process's LD_LIBRARY_PATH). Returns a malloc'ed path, or NULL with
 * st_set_error().
 */
char *ld_find_library(const char *soname);

/*
 * A user's -x argument to an absolute path: a path as is (symlinks resolved),
 * a name without '/' looked up in $PATH and then as a library.
 * Returns a malloc'ed path, or NULL with st_set_error().
 */
char *ld_find_file(const char *name);

/* Whether path is an x86-64 ELF file, the only kind the loader takes. */
bool ld_is_x86_64_elf(const char *path);

#endif
