/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One entry point per subcommand (cmd/NAME.c), called with argv[0] = "NAME".
 * Each returns the process exit status.
 */
#ifndef SIDETRACE_CMDS_H
#define SIDETRACE_CMDS_H


int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_reset(int argc, char **argv);
int cmd_trace(int argc, char **argv);

int sidetrace_main(int argc, char **argv);

/* Each command's options (cli.h), for its parser and `sidetrace --list-options`. */
struct cli_command;
extern const struct cli_command record_cli;
extern const struct cli_command report_cli;
extern const struct cli_command probe_cli;
extern const struct cli_command dump_cli;
extern const struct cli_command list_cli;
extern const struct cli_command stat_cli;
extern const struct cli_command reset_cli;
extern const struct cli_command trace_cli;

/* trace's parser (cmd/trace.c), for the unit tests. */
struct trace_opts;
int trace_parse_args(int argc, char **argv, struct trace_opts *o);
void trace_opts_free(struct trace_opts *o);
extern const char trace_usage[];

/* Exit statuses shared by every command. */
enum {
	EXIT_OK = 0,
	EXIT_FAILURE_ = 1,	/* an error; the message was printed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_INTERRUPTED = 130,	/* stopped by SIGINT (128 + 2) */
	EXIT_TERMINATED = 143,	/* stopped by SIGTERM (128 + 15) or SIGHUP */
};

#endif
