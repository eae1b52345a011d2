// SPDX-License-Identifier: GPL-2.0
/*
 * One parser for every command's options: getopt_long, driven by the
 * command's table (cli.h).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "util.h"

/* getopt_long's two tables for cmd: the short option string and the long options. */
struct getopt_tables {
	char *shorts;
	struct option *longs;
};

static int nr_options(const struct cli_command *cmd)
{
	int n = 0;

	while (cmd->options[n].code)
		n++;
	return n;
}

static int getopt_has_arg(enum cli_value v)
{
	switch (v) {
	case CLI_FLAG:
		return no_argument;
	case CLI_VALUE:
		return required_argument;
	default:
		return optional_argument;
	}
}

static void build_tables(const struct cli_command *cmd, struct getopt_tables *t)
{
	int n = nr_options(cmd), nr_longs = 0;
	char *s;

	t->shorts = s = xmalloc(3 + 3 * n + 1);
	t->longs = xcalloc(n + 1, sizeof(*t->longs));
	/* '-': operands come to us in order; '+': the first one ends the options */
	*s++ = cmd->operands_anywhere ? '-' : '+';
	*s++ = ':';	/* a missing value is ':', not '?' */
	for (int i = 0; i < n; i++) {
		const struct cli_option *o = &cmd->options[i];

		if (o->code < CLI_LONG) {
			*s++ = o->code;
			if (o->value != CLI_FLAG)
				*s++ = ':';
			if (o->value == CLI_OPTIONAL || o->value == CLI_OPTIONAL_WORD)
				*s++ = ':';
		}
		if (o->name) {
			t->longs[nr_longs].name = o->name;
			t->longs[nr_longs].has_arg = getopt_has_arg(o->value);
			t->longs[nr_longs].val = o->code;
			nr_longs++;
		}
	}
	*s = '\0';
}

static void free_tables(struct getopt_tables *t)
{
	free(t->shorts);
	free(t->longs);
}

static const struct cli_option *option_by_code(const struct cli_command *cmd, int code)
{
	for (const struct cli_option *o = cmd->options; o->code; o++)
		if (o->code == code)
			return o;
	return NULL;
}

const struct cli_option *cli_find_option(const struct cli_command *cmd, const char *name)
{
	for (const struct cli_option *o = cmd->options; o->code; o++) {
		if (name[0] == '-' && name[1] == '-' && o->name && !strcmp(name + 2, o->name))
			return o;
		if (name[0] == '-' && o->code < CLI_LONG && name[1] == o->code && !name[2])
			return o;
	}
	return NULL;
}

/* The long option that word ("--name" or "--name=VALUE") means, abbreviated or not. */
static const struct cli_option *long_option(const struct cli_command *cmd, const char *word)
{
	size_t len = strcspn(word + 2, "=");
	const struct cli_option *o, *found = NULL;

	for (o = cmd->options; o->code; o++)
		if (o->name && !strncmp(o->name, word + 2, len) && !o->name[len])
			return o;	/* an exact match wins */
	for (o = cmd->options; o->code; o++) {
		if (!o->name || strncmp(o->name, word + 2, len))
			continue;
		if (found && found->code != o->code)
			return NULL;	/* ambiguous */
		found = o;
	}
	return found;
}

/*
 * How many words the option word argv[i] takes: 1, or 2 with its value.
 * *mode is set when it switches tables.
 */
static int option_words(const struct cli_command *cmd, int argc, char **argv, int i,
			const struct cli_command **mode)
{
	const char *word = argv[i];
	const struct cli_option *o;

	if (word[1] == '-') {
		o = long_option(cmd, word);
		if (o && o->mode)
			*mode = o->mode;
		return o && o->value == CLI_VALUE && !strchr(word, '=') && i + 1 < argc ? 2 : 1;
	}
	for (const char *c = word + 1; *c; c++) {
		char name[3] = { '-', *c, 0 };

		o = cli_find_option(cmd, name);
		if (!o || o->value == CLI_OPTIONAL || o->value == CLI_OPTIONAL_WORD)
			return 1;	/* the rest of the word is its value, if any */
		if (o->value == CLI_VALUE)
			return !c[1] && i + 1 < argc ? 2 : 1;
	}
	return 1;
}

const struct cli_command *cli_mode(const struct cli_command *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); ) {
		const struct cli_command *mode = NULL;

		if (argv[i][0] != '-' || !argv[i][1]) {
			if (!cmd->operands_anywhere)
				break;
			i++;
			continue;
		}
		i += option_words(cmd, argc, argv, i, &mode);
		if (mode)
			return mode;
	}
	return cmd;
}

static void set_hint(const struct cli_command *cmd, char *buf, size_t len)
{
	snprintf(buf, len, "see sidetrace%s%s --help", *cmd->name ? " " : "", cmd->name);
}

/* The long options that start with prefix, as "--a, --b"; NULL unless two or more. */
static char *ambiguous_names(const struct cli_command *cmd, const char *prefix, size_t len)
{
	char *names = NULL, *s;
	int first_code = 0;
	bool several = false;

	for (const struct cli_option *o = cmd->options; o->code; o++) {
		if (!o->name || strncmp(o->name, prefix, len))
			continue;
		if (!first_code)
			first_code = o->code;
		else if (o->code != first_code)
			several = true;	/* --color and --colour are one option */
		s = xasprintf("%s%s--%s", names ? names : "", names ? ", " : "", o->name);
		free(names);
		names = s;
	}
	if (!several) {
		free(names);
		return NULL;
	}
	return names;
}

/*
 * getopt_long refused the word argv[cur] ('?': unknown, ambiguous or given a
 * value it takes none; ':': missing its value): say so in our words.
 */
static int option_error(const struct cli_command *cmd, int c, const char *word)
{
	char hint[96], shortname[3] = { '-', (char)optopt, 0 };
	bool is_long = word[0] == '-' && word[1] == '-';
	size_t len = is_long ? strcspn(word + 2, "=") : 0;
	char *name = is_long ? xasprintf("%.*s", (int)len + 2, word) : xstrdup(shortname);
	char *names;

	set_hint(cmd, hint, sizeof(hint));
	if (c == ':') {
		st_set_error("option '%s' needs a value", name);
	} else if (is_long && optopt) {
		st_set_error("option '%s' takes no value", name);
	} else if (is_long && (names = ambiguous_names(cmd, word + 2, len))) {
		st_set_error("option '%s' is ambiguous (%s)", name, names);
		free(names);
	} else {
		st_set_error("unknown option '%s' (%s)", name, hint);
	}
	free(name);
	return -1;
}

/* CLI_OPTIONAL_WORD without an attached value: the next word, unless it is an option. */
static const char *optional_word(int argc, char **argv)
{
	if (optind < argc && argv[optind][0] != '-')
		return argv[optind++];
	return NULL;
}

/* After "--", every word is an operand. */
static int rest_as_operands(const struct cli_command *cmd, int argc, char **argv,
			    cli_handler handle, void *ctx)
{
	if (!cmd->operands_anywhere)
		return optind;
	for (; optind < argc; optind++) {
		int ret = handle(ctx, CLI_OPERAND, argv[optind]);

		if (ret)
			return ret < 0 ? -1 : optind + 1;
	}
	return argc;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, cli_handler handle,
	      void *ctx)
{
	struct getopt_tables t;
	int c, ret = 0;

	build_tables(cmd, &t);
	opterr = 0;
	optind = 0;	/* glibc: 0 starts getopt afresh, so that parsing can be repeated */
	for (;;) {
		/* the word getopt_long looks at (mid-cluster too: it only moves on after) */
		int cur = optind ? optind : 1;
		const struct cli_option *o;
		const char *value;

		c = getopt_long(argc, argv, t.shorts, t.longs, NULL);
		if (c == -1) {
			ret = rest_as_operands(cmd, argc, argv, handle, ctx);
			break;
		}
		if (c == '?' || c == ':') {
			ret = option_error(cmd, c, argv[cur]);
			break;
		}
		value = optarg;
		o = option_by_code(cmd, c);
		if (o && o->value == CLI_OPTIONAL_WORD && !value)
			value = optional_word(argc, argv);
		ret = handle(ctx, c, value);
		if (ret) {
			ret = ret < 0 ? -1 : optind;
			break;
		}
	}
	free_tables(&t);
	return ret;
}

int cli_unexpected(const struct cli_command *cmd, const char *word)
{
	char hint[96];

	set_hint(cmd, hint, sizeof(hint));
	st_set_error("unexpected argument '%s' (%s)", word, hint);
	return -1;
}

int cli_usage_error(void)
{
	st_warn("%s", st_last_error());
	return EXIT_USAGE;
}

static const char *value_name(enum cli_value v)
{
	static const char *const names[] = {
		[CLI_FLAG] = "none",
		[CLI_VALUE] = "required",
		[CLI_OPTIONAL] = "optional",
		[CLI_OPTIONAL_WORD] = "optional-word",
	};

	return names[v];
}

static void list_option(const struct cli_option *o, const char *name, FILE *out)
{
	if (o->mode)
		fprintf(out, "%s none mode\n", name);
	else if (o->value == CLI_FLAG)
		fprintf(out, "%s none\n", name);
	else
		fprintf(out, "%s %s %s\n", name, value_name(o->value),
			o->complete ? o->complete : "any");
}

void cli_list_options(const struct cli_command *cmd, FILE *out)
{
	for (const struct cli_option *o = cmd->options; o->code; o++) {
		char name[64];

		if (o->code < CLI_LONG) {
			snprintf(name, sizeof(name), "-%c", o->code);
			list_option(o, name, out);
		}
		if (o->name) {
			snprintf(name, sizeof(name), "--%s", o->name);
			list_option(o, name, out);
		}
	}
	if (cmd->operands)
		fprintf(out, "operands %s %s\n", cmd->operands_anywhere ? "anywhere" : "first",
			cmd->operands);
}
