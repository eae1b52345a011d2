// SPDX-License-Identifier: GPL-2.0
/*
 * cmd/cli.c: the one option parser of every command. The wording of its
 * errors, which word an error names, values (attached, next word, optional),
 * operands, and the table that --list-options prints for the completion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "cmds.h"
#include "report_opts.h"
#include "util.h"

enum { OPT_COLOR = CLI_LONG, OPT_COUNT, OPT_COMM, OPT_MODE };

static const struct cli_option mode_options[] = {
	CLI_OPT('z', "zeta", CLI_FLAG, NULL),
	{ 0 },
};
static const struct cli_command mode_cli = { .name = "demo --mode", .options = mode_options };

static const struct cli_option demo_options[] = {
	CLI_OPT('q', "quiet", CLI_FLAG, NULL),
	CLI_OPT('o', "output", CLI_VALUE, "file"),
	CLI_OPT('e', "events", CLI_OPTIONAL_WORD, "event-glob"),
	CLI_OPT(OPT_COLOR, "color", CLI_OPTIONAL, "auto|always|never"),
	CLI_OPT(OPT_COLOR, "colour", CLI_OPTIONAL, "auto|always|never"),
	CLI_OPT(OPT_COUNT, "count", CLI_FLAG, NULL),
	CLI_OPT(OPT_COMM, "comm", CLI_VALUE, NULL),
	{ OPT_MODE, "mode", CLI_FLAG, NULL, &mode_cli },
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

static const struct cli_command demo_cli = { .name = "demo", .options = demo_options };
static const struct cli_command demo_anywhere_cli = {
	.name = "demo",
	.options = demo_options,
	.operands_anywhere = true,
	.operands = "file",
};

/* What the handler was given, as "code=value" words: "q o=x 1=file". */
struct seen {
	char text[512];
};

static int record_seen(void *ctx, int code, const char *value)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	if (code == 'h')
		return 1;
	if (code == 'o' && value && !strcmp(value, "bad")) {
		st_set_error("-o: 'bad' is bad");
		return -1;
	}
	snprintf(s->text + len, sizeof(s->text) - len, "%s%c%s%s", len ? " " : "",
		 code < CLI_LONG ? (code == CLI_OPERAND ? '1' : code) : 'L', value ? "=" : "",
		 value ? value : "");
	return 0;
}

#define ARGV(...) ((char *[]){ "demo", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "demo", __VA_ARGS__ }) / sizeof(char *)))

/* Parse with cmd; check the return and what the handler saw. */
#define EXPECT_PARSE(cmd, want_ret, want_seen, ...)                                          \
	do {                                                                                 \
		struct seen s = { "" };                                                      \
		assert_int_equal(cli_parse(cmd, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__),        \
					   record_seen, &s), want_ret);                      \
		assert_string_equal(s.text, want_seen);                                      \
	} while (0)

#define EXPECT_ERROR(cmd, message, ...)                                                      \
	do {                                                                                 \
		struct seen s = { "" };                                                      \
		assert_int_equal(cli_parse(cmd, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__),        \
					   record_seen, &s), -1);                            \
		assert_string_equal(st_last_error(), message);                               \
	} while (0)

static void test_values(void **state)
{
	EXPECT_PARSE(&demo_cli, 6, "q o=a o=b o=c", "-q", "-oa", "-o", "b", "--output=c");
	EXPECT_PARSE(&demo_cli, 3, "q o=d", "-qo", "d");
	EXPECT_PARSE(&demo_cli, 3, "o=e", "--output", "e");
	/* an abbreviation that is unique */
	EXPECT_PARSE(&demo_cli, 3, "o=f", "--out", "f");
	/* optional: only attached */
	EXPECT_PARSE(&demo_cli, 2, "L", "--color", "always");
	EXPECT_PARSE(&demo_cli, 2, "L=never", "--colour=never");
	/* optional word: attached, or the next word unless it is an option */
	EXPECT_PARSE(&demo_cli, 3, "e=sched", "-e", "sched");
	EXPECT_PARSE(&demo_cli, 3, "e=irq q", "-eirq", "-q");
	EXPECT_PARSE(&demo_cli, 3, "e q", "-e", "-q");
	EXPECT_PARSE(&demo_cli, 3, "e=x*", "--events", "x*");
	EXPECT_PARSE(&demo_cli, 2, "e", "--events");
}

static void test_operands(void **state)
{
	/* the first operand ends the options: it and the rest are the caller's */
	EXPECT_PARSE(&demo_cli, 2, "q", "-q", "ls", "-q");
	EXPECT_PARSE(&demo_cli, 3, "q", "-q", "--", "-q");
	/* operands anywhere come in order, and all words after "--" are operands */
	EXPECT_PARSE(&demo_anywhere_cli, 6, "1=a q 1=b 1=-q", "a", "-q", "b", "--", "-q");
	/* a value "--" is a value, not the end of the options */
	EXPECT_PARSE(&demo_anywhere_cli, 5, "o=-- 1=a q", "-o", "--", "a", "-q");
	/* --help stops the parsing where it is: what follows is not looked at */
	EXPECT_PARSE(&demo_cli, 3, "q", "-q", "--help", "--bogus");
}

static void test_errors(void **state)
{
	EXPECT_ERROR(&demo_cli, "unknown option '--bogus' (see sidetrace demo --help)", "--bogus");
	EXPECT_ERROR(&demo_cli, "unknown option '--bogus' (see sidetrace demo --help)",
		     "--bogus=1");
	EXPECT_ERROR(&demo_cli, "unknown option '-Z' (see sidetrace demo --help)", "-Z");
	/* the letter of the cluster, not the word before it */
	EXPECT_ERROR(&demo_cli, "unknown option '-Z' (see sidetrace demo --help)", "--count",
		     "-qZq");
	EXPECT_ERROR(&demo_cli, "option '-o' needs a value", "-q", "-o");
	EXPECT_ERROR(&demo_cli, "option '-o' needs a value", "-qo");
	EXPECT_ERROR(&demo_cli, "option '--output' needs a value", "--output");
	EXPECT_ERROR(&demo_cli, "option '--quiet' takes no value", "--quiet=yes");
	EXPECT_ERROR(&demo_cli, "option '--co' is ambiguous (--color, --colour, --count, --comm)",
		     "--co");
	/* --color and --colour are one option: --colo is not ambiguous */
	EXPECT_PARSE(&demo_cli, 2, "L", "--colo");
	/* the handler's own message */
	EXPECT_ERROR(&demo_cli, "-o: 'bad' is bad", "-o", "bad");
	assert_int_equal(cli_unexpected(&demo_cli, "x"), -1);
	assert_string_equal(st_last_error(), "unexpected argument 'x' (see sidetrace demo --help)");
}

static void test_repeatable(void **state)
{
	for (int i = 0; i < 3; i++) {
		EXPECT_ERROR(&demo_cli, "unknown option '-Z' (see sidetrace demo --help)", "-qZ");
		EXPECT_PARSE(&demo_cli, 3, "q o=x", "-q", "-ox", "file");
	}
}

static void test_mode(void **state)
{
	assert_ptr_equal(cli_mode(&demo_cli, ARGC("-q", "--mode"), ARGV("-q", "--mode")),
			 &mode_cli);
	assert_ptr_equal(cli_mode(&demo_cli, ARGC("--mo"), ARGV("--mo")), &mode_cli);
	/* values and operands are not the mode */
	assert_ptr_equal(cli_mode(&demo_cli, ARGC("-o", "--mode"), ARGV("-o", "--mode")),
			 &demo_cli);
	assert_ptr_equal(cli_mode(&demo_cli, ARGC("--comm", "--mode"), ARGV("--comm", "--mode")),
			 &demo_cli);
	assert_ptr_equal(cli_mode(&demo_cli, ARGC("-qo", "--mode"), ARGV("-qo", "--mode")),
			 &demo_cli);
	assert_ptr_equal(cli_mode(&demo_cli, ARGC("ls", "--mode"), ARGV("ls", "--mode")),
			 &demo_cli);
	assert_ptr_equal(cli_mode(&demo_cli, ARGC("--", "--mode"), ARGV("--", "--mode")),
			 &demo_cli);
	/* report's own: -F takes a value */
	assert_ptr_equal(cli_mode(&report_cli, 3, (char *[]){ "report", "-F", "--files", NULL }),
			 &report_cli);
	assert_ptr_equal(cli_mode(&report_cli, 3, (char *[]){ "report", "-t", "--files", NULL }),
			 &report_files_cli);
}

static void test_list_options(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cli_list_options(&demo_anywhere_cli, f);
	fclose(f);
	assert_string_equal(text,
			    "-q none\n--quiet none\n"
			    "-o required file\n--output required file\n"
			    "-e optional-word event-glob\n--events optional-word event-glob\n"
			    "--color optional auto|always|never\n"
			    "--colour optional auto|always|never\n"
			    "--count none\n--comm required any\n--mode none mode\n"
			    "-h none\n--help none\n"
			    "operands anywhere file\n");
	free(text);
	assert_ptr_equal(cli_find_option(&demo_cli, "--mode")->mode, &mode_cli);
	assert_int_equal(cli_find_option(&demo_cli, "-o")->code, 'o');
	assert_null(cli_find_option(&demo_cli, "--mod"));
	assert_null(cli_find_option(&demo_cli, "-Z"));
}

/* Every command's table, as the commands parse with them. */
static const struct cli_command *const tables[] = {
	&record_cli, &report_cli, &report_files_cli, &probe_cli,
	&dump_cli, &list_cli, &stat_cli, &reset_cli,
};

static int take_all(void *ctx, int code, const char *value)
{
	return 0;
}

/* What cli_list_options says of name: "none", "required", ...; NULL when not listed. */
static char *listed_value(const char *listing, const char *name)
{
	char *key = xasprintf("\n%s ", name), *at, *value = NULL;
	char *text = xasprintf("\n%s", listing);

	at = strstr(text, key);
	if (at) {
		at += strlen(key);
		value = strndup(at, strcspn(at, " \n"));
	}
	free(key);
	free(text);
	return value;
}

static char *listing_of(const struct cli_command *cmd)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cli_list_options(cmd, f);
	fclose(f);
	return text;
}

/*
 * The parser takes word (followed by two unknown options, so that a value it
 * needs is one of them): not "unknown option".
 */
static bool parser_takes(const struct cli_command *cmd, const char *word)
{
	char *argv[] = { "x", (char *)word, "-%", "-%", NULL };
	char *unknown = xasprintf("unknown option '%.*s'", (int)strcspn(word, "="), word);
	bool taken;

	taken = cli_parse(cmd, 4, argv, take_all, NULL) >= 0 ||
		strncmp(st_last_error(), unknown, strlen(unknown));
	free(unknown);
	return taken;
}

/* What --list-options lists (and so the completion offers) is what the parser takes. */
static void test_tables_listed_as_parsed(void **state)
{
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
		const struct cli_command *cmd = tables[t];
		char *listing = listing_of(cmd);
		const char *letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

		for (const char *c = letters; *c; c++) {
			char shortname[3] = { '-', *c, 0 }, prefix[4] = { '-', '-', *c, 0 };
			char *value = listed_value(listing, shortname);
			char *line_start = xasprintf("\n%s", prefix);
			bool long_listed = strstr(listing, line_start) || !strncmp(listing, prefix, 3);

			if (parser_takes(cmd, shortname) != (value != NULL))
				fail_msg("%s %s: taken %d, listed %d", cmd->name, shortname,
					 parser_takes(cmd, shortname), value != NULL);
			if (*c >= 'a' && *c <= 'z' && parser_takes(cmd, prefix) != long_listed)
				fail_msg("%s %s...: taken %d, listed %d", cmd->name, prefix,
					 parser_takes(cmd, prefix), long_listed);
			free(value);
			free(line_start);
		}
		free(listing);
	}
}

/* Each listed option takes a value exactly when the listing says so. */
static void test_tables_values(void **state)
{
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
		const struct cli_command *cmd = tables[t];

		for (const struct cli_option *o = cmd->options; o->code; o++) {
			char *name = o->name ? xasprintf("--%s", o->name) : xasprintf("-%c", o->code);
			char *argv[] = { "x", name, NULL };
			char *listing = listing_of(cmd);
			char *value = listed_value(listing, name);

			assert_non_null(value);
			if (!strcmp(value, "required")) {
				assert_int_equal(cli_parse(cmd, 2, argv, take_all, NULL), -1);
				assert_non_null(strstr(st_last_error(), "needs a value"));
			} else {
				assert_int_equal(cli_parse(cmd, 2, argv, take_all, NULL), 2);
			}
			free(value);
			free(listing);
			free(name);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_operands),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_repeatable),
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_list_options),
		cmocka_unit_test(test_tables_listed_as_parsed),
		cmocka_unit_test(test_tables_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
