// SPDX-License-Identifier: GPL-2.0
/*
 * The dispatcher: a table of subcommands, as git's builtin table, and the
 * options of sidetrace itself.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "report/report.h"
#include "util.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

/* help and version take no option but --help; what follows `help` is a command. */
static const struct cli_option help_only[] = {
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};
static const struct cli_command help_cli = {
	.name = "help",
	.options = help_only,
	.operands = "subcommand",
};
static const struct cli_command version_cli = { .name = "version", .options = help_only };

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const struct cli_command *cli;
	const char *summary;
};

static const struct command commands[] = {
	{ "record", cmd_record, &record_cli,
	  "trace events, tracers and probes into a trace.dat file" },
	{ "report", cmd_report, &report_cli, "print a trace.dat file (ours or trace-cmd's)" },
	{ "trace", cmd_trace, &trace_cli,
	  "show a program's system calls live, as strace does" },
	{ "probe", cmd_probe, &probe_cli,
	  "add, list and delete kprobe/uprobe events (perf-probe syntax)" },
	{ "dump", cmd_dump, &dump_cli,
	  "show a trace.dat file's sections, options and per-CPU sizes" },
	{ "list", cmd_list, &list_cli,
	  "list tracers, events, options, functions and probes of this kernel" },
	{ "stat", cmd_stat, &stat_cli,
	  "show what is configured in tracefs now (top level and instances)" },
	{ "reset", cmd_reset, &reset_cli, "undo what a killed sidetrace left in tracefs (only that)" },
	{ "help", cmd_help, &help_cli, "describe a command (as 'sidetrace COMMAND --help')" },
	{ "version", cmd_version, &version_cli, "print sidetrace's version" },
};

enum { OPT_LIST_COMMANDS = CLI_LONG, OPT_LIST_OPTIONS };

/* --list-commands and --list-options are for the bash completion. */
static const struct cli_option sidetrace_options[] = {
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	CLI_OPT('v', "version", CLI_FLAG, NULL),
	CLI_OPT(OPT_LIST_COMMANDS, "list-commands", CLI_FLAG, NULL),
	CLI_OPT(OPT_LIST_OPTIONS, "list-options", CLI_FLAG, NULL),
	{ 0 },
};

static const struct cli_command sidetrace_cli = {
	.name = "",
	.options = sidetrace_options,
	.operands = "subcommand",
};

static void print_version(void)
{
	printf("sidetrace version %s\n", SIDETRACE_VERSION);
	report_print_plugins(stdout);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: sidetrace [-v | --version] [-h | --help] COMMAND [ARGS]\n\n"
		     "Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "   %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'sidetrace help COMMAND' or 'sidetrace COMMAND --help' describes a\n"
		     "command; man sidetrace-COMMAND has the details.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	st_set_error("'%s' is not a sidetrace command (see sidetrace --help)", name);
	return NULL;
}

static int run_command(const struct command *cmd, int argc, char **argv)
{
	static char progname[64];

	snprintf(progname, sizeof(progname), "sidetrace %s", cmd->name);
	st_set_progname(progname);
	return cmd->fn(argc, argv);
}

/* The handler of help's and version's table: -h is the only option. */
static int help_flag(void *ctx, int code, const char *value)
{
	*(bool *)ctx = true;
	return 1;
}

static int cmd_help(int argc, char **argv)
{
	const struct command *cmd;
	char *help_argv[] = { NULL, "--help", NULL };
	bool help = false;
	int first = cli_parse(&help_cli, argc, argv, help_flag, &help);

	if (first < 0)
		return cli_usage_error();
	if (help) {
		printf("usage: sidetrace help [COMMAND]\n\n"
		       "Describe COMMAND as 'sidetrace COMMAND --help' does, or sidetrace itself.\n\n"
		       "  -h, --help   this help\n");
		return EXIT_OK;
	}
	if (first == argc) {
		usage(stdout);
		return EXIT_OK;
	}
	if (first + 1 < argc) {
		cli_unexpected(&help_cli, argv[first + 1]);
		return cli_usage_error();
	}
	cmd = find_command(argv[first]);
	if (!cmd)
		return cli_usage_error();
	help_argv[0] = argv[first];
	return run_command(cmd, 2, help_argv);
}

static int cmd_version(int argc, char **argv)
{
	bool help = false;
	int first = cli_parse(&version_cli, argc, argv, help_flag, &help);

	if (first < 0)
		return cli_usage_error();
	if (help) {
		printf("usage: sidetrace version\n\nPrint sidetrace's version (as sidetrace --version).\n\n"
		       "  -h, --help   this help\n");
		return EXIT_OK;
	}
	if (first < argc) {
		cli_unexpected(&version_cli, argv[first]);
		return cli_usage_error();
	}
	print_version();
	return EXIT_OK;
}

static void list_commands(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("%s\n", commands[i].name);
}

/* --list-options [COMMAND [OPTION]]: the table of sidetrace, COMMAND or OPTION's mode. */
static int list_options(int argc, char **argv)
{
	const struct cli_command *cli = &sidetrace_cli;
	const struct cli_option *mode_option;

	if (argc > 0) {
		const struct command *cmd = find_command(argv[0]);

		if (!cmd)
			return cli_usage_error();
		cli = cmd->cli;
	}
	if (argc > 1) {
		mode_option = cli_find_option(cli, argv[1]);
		if (!mode_option || !mode_option->mode || argc > 2) {
			st_set_error("--list-options: '%s' is not an option of sidetrace %s that "
				     "has options of its own", argv[1], cli->name);
			return cli_usage_error();
		}
		cli = mode_option->mode;
	}
	cli_list_options(cli, stdout);
	return EXIT_OK;
}

struct sidetrace_opts {
	bool help;
	bool version;
	bool list_commands;
	bool list_options;
};

static int parse_option(void *ctx, int code, const char *value)
{
	struct sidetrace_opts *o = ctx;

	switch (code) {
	case 'h':
		o->help = true;
		return 1;
	case 'v':
		o->version = true;
		return 1;
	case OPT_LIST_COMMANDS:
		o->list_commands = true;
		return 0;
	case OPT_LIST_OPTIONS:
		o->list_options = true;
		return 0;
	}
	st_set_error("option code %d has no parser", code);	/* a table without its case */
	return -1;
}

int sidetrace_main(int argc, char **argv)
{
	struct sidetrace_opts o = { 0 };
	const struct command *cmd;
	int first = cli_parse(&sidetrace_cli, argc, argv, parse_option, &o);

	if (first < 0)
		return cli_usage_error();
	if (o.help) {
		usage(stdout);
		return EXIT_OK;
	}
	if (o.version) {
		print_version();
		return EXIT_OK;
	}
	if (o.list_commands) {
		list_commands();
		return EXIT_OK;
	}
	if (o.list_options)
		return list_options(argc - first, argv + first);
	if (first == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[first]);
	if (!cmd)
		return cli_usage_error();
	return run_command(cmd, argc - first, argv + first);
}
