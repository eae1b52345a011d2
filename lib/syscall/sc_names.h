/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * System call numbers and names of the architecture sidetrace is built for:
 * the table is generated at build time from the C library's <asm/unistd.h>
 * (the __NR_* macros, build/gen/syscall/sc_list.h), so it always matches the
 * numbers the kernel's raw_syscalls events carry on this machine. Also the
 * classes strace's -e takes (%file, %process, %network, ...).
 */
#ifndef SIDETRACE_SC_NAMES_H
#define SIDETRACE_SC_NAMES_H

#include <stdbool.h>

/* The name of syscall nr ("openat"), or NULL for a number the table lacks. */
const char *sc_name(long nr);

/* The number of name, or -1. */
long sc_nr(const char *name);

/* One more than the highest number in the table. */
long sc_nr_max(void);

/*
 * Whether syscall name belongs to class ("file", "process", "network",
 * "signal", "memory", "desc"; without the '%'). -1 for an unknown class.
 */
int sc_in_class(const char *class_name, const char *name);

/* The syscall name closest to word (for "did you mean"), or NULL if none is close. */
const char *sc_closest(const char *word);

#endif
