/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line of every command, from one table per command: getopt_long's
 * tables are built from it, the errors about options are worded here once for
 * all commands, and `sidetrace --list-options COMMAND` prints it for the bash
 * completion (contrib/completion/sidetrace.bash), which therefore offers
 * exactly what the parser accepts.
 */
#ifndef SIDETRACE_CLI_H
#define SIDETRACE_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* How an option takes its value. */
enum cli_value {
	CLI_FLAG,		/* none */
	CLI_VALUE,		/* one: -oVAL, -o VAL, --opt=VAL, --opt VAL */
	CLI_OPTIONAL,		/* one only when attached: -oVAL, --opt=VAL */
	CLI_OPTIONAL_WORD,	/* attached, or the next word unless it starts with '-' */
};

/* Codes of long-only options start here, above every short option's letter. */
#define CLI_LONG 256

/* The code the handler gets for an operand (a word that is not an option). */
#define CLI_OPERAND 1

struct cli_command;

struct cli_option {
	int code;		/* the short option's letter, or CLI_LONG + n */
	const char *name;	/* the long name; NULL = a short option only */
	enum cli_value value;
	/*
	 * What the value is, for the completion: a choice of words
	 * ("auto|always|never") or a kind the completion knows how to list:
	 * file, event, event-glob, function, tracer, clock, instance, option,
	 * pid, probe. NULL: any text.
	 */
	const char *complete;
	/* The rest of the command line follows this table instead (report --files). */
	const struct cli_command *mode;
};

/* A table entry: CLI_OPT('o', "output", CLI_VALUE, "file"); a mode's entry is written out. */
#define CLI_OPT(code, name, value, complete) { (code), (name), (value), (complete), NULL }

struct cli_command {
	const char *name;	/* "report", "report --files"; "" for sidetrace itself */
	const struct cli_option *options;	/* ended by an entry whose code is 0 */
	/*
	 * Operands may come between options (each goes to the handler as
	 * CLI_OPERAND); else the first operand ends the options and cli_parse
	 * leaves it and the rest to the caller (record's COMMAND, probe's SPEC).
	 */
	bool operands_anywhere;
	/*
	 * What the operands are, for the completion: "file", "command" (a
	 * program to run), "subcommand" (one of sidetrace's), "any"; NULL when
	 * the command takes none.
	 */
	const char *operands;
};

/*
 * Called for each option, in order, with its code and value (NULL when none
 * was given). Returns 0 to go on, 1 to stop parsing there (--help), or -1
 * with st_set_error().
 */
typedef int (*cli_handler)(void *ctx, int code, const char *value);

/*
 * Parse argv (argv[0] is the command's name) against cmd's table, calling
 * handle(ctx, ...) for each option. Returns the index of the first word left
 * to the caller (argc when none is), or -1 with st_set_error() set to a
 * one-line message: "unknown option '--foo' (see sidetrace report --help)",
 * "option '-i' needs a value", "option '--stat' takes no value",
 * "option '--co' is ambiguous (--color, --comm, --count)", or the handler's.
 * Resets getopt's state itself, so it can be called again.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, cli_handler handle,
	      void *ctx);

/* "unexpected argument 'x' (see sidetrace stat --help)", as st_set_error(); returns -1. */
int cli_unexpected(const struct cli_command *cmd, const char *word);

/*
 * The end of a command whose command line was bad: prints the message set by
 * the parser ("sidetrace CMD: ..." on stderr, one line) and returns EXIT_USAGE.
 */
int cli_usage_error(void);

/*
 * What `sidetrace --list-options` prints, one line per option name:
 * "NAME VALUE [KIND]", VALUE being none, required, optional or
 * optional-word, KIND the option's complete (or "any"), or "mode" for an
 * option that switches tables; then, when cmd takes operands,
 * "operands anywhere KIND" or "operands first KIND" (the first operand ends
 * the options).
 */
void cli_list_options(const struct cli_command *cmd, FILE *out);

/*
 * The table that argv asks for: the mode of the first option in argv that
 * switches tables (report --files; a long name may be abbreviated, as getopt
 * allows), else cmd itself. Values of options are skipped, so that "-F --files"
 * is a filter, not the mode.
 */
const struct cli_command *cli_mode(const struct cli_command *cmd, int argc, char **argv);

/* The option of cmd's table called name ("-e", "--event"), or NULL. */
const struct cli_option *cli_find_option(const struct cli_command *cmd, const char *name);

#endif
