/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Values that several commands' options share (record and trace: -P, -b,
 * -o), parsed and worded once. Each returns 0, or -1 with st_set_error().
 */
#ifndef SIDETRACE_CLI_VALUES_H
#define SIDETRACE_CLI_VALUES_H

#include <sys/types.h>

/* A decimal number in 1..max (no sign, no spaces); -1 without an error message. */
int cli_positive(const char *s, unsigned long max, unsigned long *out);

/* -P PID[,PID...]: appends each process id to *pids / *nr_pids. */
int cli_add_pids(pid_t **pids, int *nr_pids, const char *list);

/* -b KB: a ring buffer size per CPU in KiB. */
int cli_buffer_kb(const char *arg, unsigned long *kb);

/* -o FILE: replaces *output with a copy of a non-empty file name. */
int cli_output(char **output, const char *arg);

#endif
