/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * How to print the arguments and result of the common syscalls: one
 * signature per call, a letter per argument (see sc_args.c), so that the
 * formatter, the fd tracking and the tests read the same table.
 */
#ifndef SIDETRACE_SC_ARGS_H
#define SIDETRACE_SC_ARGS_H

/*
 * The argument letters of syscall name ("Dpom" for openat), or NULL when it
 * has no signature here. Letters:
 *   d fd   D dirfd (AT_FDCWD)   p path   o open flags   m mode   a access mode
 *   A AT_* flags   s signal   P mmap prot   M mmap flags   x pointer (0 is NULL)
 *   h hex   i int
 *   l long   u unsigned long
 * After a ':', how the result prints: x hex (mmap, brk), ? none (exit_group).
 */
const char *sc_signature(const char *name);

/* The index of the path argument of name (the first 'p'), or -1. */
int sc_path_arg(const char *name);

#endif
