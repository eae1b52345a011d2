// SPDX-License-Identifier: GPL-2.0
/*
 * Colour in `sidetrace report`: when it is on (--color, NO_COLOR, TERM, a
 * terminal or not), the option parsing, and the coloured event name keeping
 * the plain layout once the escape codes are taken out.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmds.h"
#include "report/report.h"
#include "report_opts.h"
#include "util.h"

#define ARGV(...) ((char *[]){ "report", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "report", __VA_ARGS__ }) / sizeof(char *)))

static void test_auto_follows_the_terminal(void **state)
{
	int pipefd[2], pty;

	(void)state;
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	assert_int_equal(pipe(pipefd), 0);
	assert_false(report_use_color(REPORT_COLOR_AUTO, pipefd[1]));
	assert_true(report_use_color(REPORT_COLOR_ALWAYS, pipefd[1]));
	pty = posix_openpt(O_RDWR | O_NOCTTY);
	if (pty < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		skip();
	}
	assert_true(report_use_color(REPORT_COLOR_AUTO, pty));
	assert_false(report_use_color(REPORT_COLOR_NEVER, pty));
	setenv("NO_COLOR", "1", 1);
	assert_false(report_use_color(REPORT_COLOR_AUTO, pty));
	assert_true(report_use_color(REPORT_COLOR_ALWAYS, pty));	/* asked for explicitly */
	setenv("NO_COLOR", "", 1);					/* empty: not set */
	assert_true(report_use_color(REPORT_COLOR_AUTO, pty));
	unsetenv("NO_COLOR");
	setenv("TERM", "dumb", 1);
	assert_false(report_use_color(REPORT_COLOR_AUTO, pty));
	close(pty);
	close(pipefd[0]);
	close(pipefd[1]);
}

static enum report_color parse(int argc, char **argv, int expect_ret)
{
	struct report_cmdline a;
	enum report_color c;

	assert_int_equal(report_parse_args(argc, argv, &a), expect_ret);
	c = a.report.color;
	report_opts_free(&a.report);
	return c;
}

static void test_options(void **state)
{
	(void)state;
	assert_int_equal(parse(ARGC("x.dat"), ARGV("x.dat"), 0), REPORT_COLOR_AUTO);
	assert_int_equal(parse(ARGC("--color", "x.dat"), ARGV("--color", "x.dat"), 0),
			 REPORT_COLOR_ALWAYS);
	assert_int_equal(parse(ARGC("--color=always"), ARGV("--color=always"), 0),
			 REPORT_COLOR_ALWAYS);
	assert_int_equal(parse(ARGC("--color=never"), ARGV("--color=never"), 0),
			 REPORT_COLOR_NEVER);
	assert_int_equal(parse(ARGC("--color=always", "--no-color"),
			       ARGV("--color=always", "--no-color"), 0),
			 REPORT_COLOR_NEVER);
	assert_int_equal(parse(ARGC("--no-color", "--color=auto"),
			       ARGV("--no-color", "--color=auto"), 0),
			 REPORT_COLOR_AUTO);
	parse(ARGC("--color=sometimes"), ARGV("--color=sometimes"), -1);
	assert_non_null(strstr(st_last_error(), "auto, always or never"));
}

static void test_colored_name_keeps_the_layout(void **state)
{
	const char *names[] = { "sched_switch", "a_name_longer_than_twenty_chars", "x" };
	size_t at;
	char plain[128], colored[128 + REPORT_COLOR_MAX], *end;
	const char *color = report_event_color(3);
	size_t clen = strlen(color);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		end = report_put_event_name(plain, names[i]);
		*end = '\0';
		end = report_put_event_name_color(colored, names[i], color);
		*end = '\0';
		assert_true(end - colored <= (ptrdiff_t)(strlen(names[i]) + 24 + REPORT_COLOR_MAX));
		/* " " ESC NAME RESET ": " padding */
		assert_memory_equal(colored + 1, color, clen);
		assert_memory_equal(colored + 1 + clen + strlen(names[i]), "\033[0m", 4);
		/* take the reset, then the colour out */
		at = 1 + clen + strlen(names[i]);
		memmove(colored + at, colored + at + 4, strlen(colored + at + 4) + 1);
		memmove(colored + 1, colored + 1 + clen, strlen(colored + 1 + clen) + 1);
		assert_string_equal(colored, plain);
	}
	/* No red or yellow for names: those mean slow functions and dropped events. */
	for (int id = 0; id < 64; id++) {
		assert_null(strstr(report_event_color(id), "31m"));
		assert_null(strstr(report_event_color(id), "33m"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto_follows_the_terminal),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_colored_name_keeps_the_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
