/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The options that `sidetrace trace` (cmd/trace.c) and `sidetrace report
 * --syscalls` (cmd/report_syscalls.c) share: one parser for both tables.
 */
#ifndef SIDETRACE_TRACE_OPTS_H
#define SIDETRACE_TRACE_OPTS_H

#include "cli.h"

enum {
	TRACE_OPT_FAILED = CLI_LONG,
	TRACE_OPT_DURATION,
	TRACE_OPT_NO_STRINGS,
	TRACE_OPT_SYSCALLS,
};

/* cli_parse()'s handler for struct trace_opts (trace/trace.h). */
int trace_parse_option(void *ctx, int c, const char *arg);

#endif
