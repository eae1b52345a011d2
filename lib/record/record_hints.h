/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * record's end for -g/-l: store what report needs to tell that a function
 * never ran, then say so now (report/ftrace_hints.h has the why and the how).
 */
#ifndef SIDETRACE_RECORD_HINTS_H
#define SIDETRACE_RECORD_HINTS_H

struct record_ftrace_opts;
struct td_meta;

/*
 * Before the file is written: the TD_OPT_FTRACE_FUNCS option for f's -g and
 * -l patterns, with the kernel's traceable functions (available_filter_functions,
 * read now). Nothing without -g/-l, or when that file cannot be read.
 */
void record_hints_add_option(const struct record_ftrace_opts *f, struct td_meta *meta);

/*
 * After the file is written to out_fd: one warning per -g/-l pattern that no
 * recorded function matched. The file is read again through /proc/self/fd,
 * whatever its name is at this point.
 */
void record_hints_print(const struct record_ftrace_opts *f, int out_fd);

#endif
