// SPDX-License-Identifier: GPL-2.0
/*
 * sidetrace record: parse the options (record_opts.c), run the session
 * (lib/record/record.c), turn its outcome into an exit status.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"
#include "cmds.h"
#include "record_opts.h"
#include "util.h"

/* What happened to the workload, when it is worth saying. */
static void report_workload(const struct record_opts *opts, int status)
{
	const char *cmd = opts->command[0];

	if (status == -1) {
		st_warn("'%s' was still running when the recording stopped", cmd);
	} else if (WIFSIGNALED(status)) {
		st_warn("'%s' was killed by signal %d (%s); the trace is complete up to then", cmd,
			WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else if (WIFEXITED(status) && WEXITSTATUS(status) && !opts->quiet) {
		st_warn("'%s' exited with status %d", cmd, WEXITSTATUS(status));
	}
}

/* As a shell reports a command stopped by the signal. */
static int exit_status_of(enum record_outcome outcome)
{
	switch (outcome) {
	case RECORD_INTERRUPTED:
		return EXIT_INTERRUPTED;
	case RECORD_TERMINATED:
		return EXIT_TERMINATED;
	default:
		return EXIT_OK;
	}
}

int cmd_record(int argc, char **argv)
{
	struct record_opts opts;
	enum record_outcome outcome;
	int status, ret;

	if (record_parse_args(argc, argv, &opts) < 0)
		return cli_usage_error();
	if (opts.help) {
		fputs(record_usage, stdout);
		record_opts_free(&opts);
		return EXIT_OK;
	}
	ret = record_run(&opts, &outcome, &status);
	if (ret < 0) {
		st_warn("%s", st_last_error());
		record_opts_free(&opts);
		return outcome == RECORD_DONE ? EXIT_FAILURE_ : exit_status_of(outcome);
	}
	if (opts.command)
		report_workload(&opts, status);
	/*
	 * Without a COMMAND, a signal is the normal end of the recording (as
	 * for trace-cmd and perf); with one, it cut the command short.
	 */
	if (opts.command)
		ret = exit_status_of(outcome);
	record_opts_free(&opts);
	return ret;
}
