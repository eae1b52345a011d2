// SPDX-License-Identifier: LGPL-2.1
/*
 * record's end for -g/-l (see record_hints.h).
 */
#include "record/record_ftrace.h"
#include "record/record_hints.h"
#include "tracedat/ftrace_hints.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tracefs.h>

static bool has_patterns(const struct record_ftrace_opts *f)
{
	return f->graph_funcs.nr || f->filter_funcs.nr;
}

void record_hints_add_option(const struct record_ftrace_opts *f, struct td_meta *meta)
{
	struct strlist names = { 0 };
	char *text, *option;

	if (!has_patterns(f))
		return;
	text = tracefs_instance_file_read(NULL, "available_filter_functions", NULL);
	if (!text)
		return;	/* the check before the recording read it: nothing to add to that */
	ftrace_function_names(text, &names);
	free(text);
	option = ftrace_hints_option(&f->graph_funcs, &f->filter_funcs, &names);
	if (option)
		td_meta_add_option(meta, TD_OPT_FTRACE_FUNCS, option, strlen(option));
	free(option);
	strlist_free(&names);
}

void record_hints_print(const struct record_ftrace_opts *f, int out_fd)
{
	char path[64];
	struct td_file *file;
	int fd;

	if (!has_patterns(f))
		return;
	/* A read-only descriptor of the very file written, even if it has no name yet. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", out_fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	file = td_open_fd(fd);
	if (!file)
		return;
	ftrace_hints_warn(file);
	td_close(file);
}
