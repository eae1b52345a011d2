// SPDX-License-Identifier: GPL-2.0
/*
 * The dispatcher: a table of subcommands, as git's builtin table.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "util.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "record", cmd_record, "trace events, tracers and probes into a trace.dat file" },
	{ "report", cmd_report, "print a trace.dat file (ours or trace-cmd's)" },
	{ "probe", cmd_probe, "add, list and delete kprobe/uprobe events (perf-probe syntax)" },
	{ "dump", cmd_dump, "show a trace.dat file's sections, options and per-CPU sizes" },
	{ "list", cmd_list, "list tracers, events, options, functions and probes of this kernel" },
	{ "stat", cmd_stat, "show what is configured in tracefs now (top level and instances)" },
	{ "reset", cmd_reset, "undo what a killed sidetrace left in tracefs (only that)" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: sidetrace [--version] [--help] COMMAND [ARGS]\n\n"
		     "Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "   %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'sidetrace help COMMAND' or 'sidetrace COMMAND --help' describes a command;\n"
		     "man sidetrace-COMMAND has the details.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int run_command(const struct command *cmd, int argc, char **argv)
{
	static char progname[64];

	snprintf(progname, sizeof(progname), "sidetrace %s", cmd->name);
	st_set_progname(progname);
	return cmd->fn(argc, argv);
}

static int cmd_help(int argc, char **argv)
{
	const struct command *cmd;
	char *help_argv[] = { NULL, "--help", NULL };

	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		st_warn("'%s' is not a sidetrace command. See 'sidetrace --help'.", argv[1]);
		return EXIT_USAGE;
	}
	help_argv[0] = argv[1];
	return run_command(cmd, 2, help_argv);
}

int sidetrace_main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("sidetrace version %s\n", SIDETRACE_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "help"))
		return cmd_help(argc - 1, argv + 1);

	cmd = find_command(argv[1]);
	if (!cmd) {
		st_warn("'%s' is not a sidetrace command. See 'sidetrace --help'.", argv[1]);
		return EXIT_USAGE;
	}
	return run_command(cmd, argc - 1, argv + 1);
}
