// SPDX-License-Identifier: GPL-2.0
/*
 * `sidetrace trace` option parsing (trace_parse_args, cmd/trace.c), and
 * record --syscalls' events: every option's value, and each bad command line
 * with its one message. And report --syscalls (trace_report) on
 * tests/fixtures/syscalls-v7.dat, a record --syscalls of tests/progs/trace_calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmds.h"
#include "record_opts.h"
#include "trace/trace.h"
#include "util.h"

#define PARSE(o, ...)                                                                        \
	({                                                                                    \
		char *argv_[] = { "trace", __VA_ARGS__, NULL };                              \
		trace_parse_args(ARRAY_SIZE(argv_) - 1, argv_, (o));                          \
	})

static void expect_error(int ret, const char *what)
{
	assert_int_equal(ret, -1);
	if (!strstr(st_last_error(), what))
		fail_msg("error '%s' does not contain '%s'", st_last_error(), what);
}

static void test_values(void **state)
{
	/* the command points into argv: it must outlive the checks */
	char *argv[] = { "trace", "-e", "openat", "-e", "!%file", "-o", "out.txt", "--failed",
			 "--duration", "0.5", "-t", "-c", "-s", "40", "-b", "4096",
			 "--no-strings", "-f", "ls", "-l", NULL };
	struct trace_opts o;

	(void)state;
	assert_int_equal(trace_parse_args(ARRAY_SIZE(argv) - 1, argv, &o), 0);
	assert_int_equal(o.nr_exprs, 2);
	assert_string_equal(o.exprs[1], "!%file");
	assert_string_equal(o.output, "out.txt");
	assert_true(o.failed_only && o.wall_clock && o.summary && o.no_strings);
	assert_int_equal(o.min_duration_ns, 500000);
	assert_int_equal(o.strsize, 40);
	assert_int_equal(o.buffer_kb, 4096);
	assert_string_equal(o.command[0], "ls");
	assert_string_equal(o.command[1], "-l");	/* the command's own option */
	trace_opts_free(&o);

	assert_int_equal(PARSE(&o, "-P", "12,34", "-p", "56"), 0);
	assert_int_equal(o.nr_pids, 3);
	assert_int_equal(o.pids[2], 56);
	assert_null(o.command);
	trace_opts_free(&o);
}

static void test_errors(void **state)
{
	struct trace_opts o;

	(void)state;
	expect_error(PARSE(&o, "-e", "opne", "ls"), "unknown syscall 'opne' (did you mean 'open'?)");
	expect_error(PARSE(&o, "-e", "%fil", "ls"), "unknown class '%fil'");
	expect_error(PARSE(&o, "-e", "!", "ls"), "-e needs syscall names");
	expect_error(PARSE(&o, "-P", "12x"), "-P: '12x' is not a process id");
	expect_error(PARSE(&o, "-P", "1", "ls"), "cannot be combined with a command");
	expect_error(PARSE(&o, "--duration", "fast", "ls"), "--duration: 'fast'");
	expect_error(PARSE(&o, "-s", "0", "ls"), "-s: '0'");
	expect_error(PARSE(&o, "-b", "-1", "ls"), "-b: '-1'");
	expect_error(PARSE(&o, "-c"), "nothing to trace");
}

/* record --syscalls: the view's kernel events, and -F with a command. */
static void test_record_syscalls(void **state)
{
	struct record_opts o;
	char *argv[] = { "record", "--syscalls", "ls", NULL };
	bool enter = false, fork = false;

	(void)state;
	assert_int_equal(record_parse_args(3, argv, &o), 0);
	assert_true(o.syscalls);
	assert_true(o.follow_command);
	for (int i = 0; i < o.nr_events; i++) {
		enter |= !strcmp(o.events[i].spec, "raw_syscalls:sys_enter");
		fork |= !strcmp(o.events[i].spec, "sched:sched_process_fork");
	}
	assert_true(enter && fork);
	record_opts_free(&o);
}

static char *fixture(const char *name)
{
	const char *top = getenv("TOP");

	return xasprintf("%s/tests/fixtures/%s", top ? top : ".", name);
}

/* report --syscalls of the fixture with opts, as text. */
static char *offline(struct trace_opts *opts, const char *name, int *ret)
{
	char *path = fixture(name), *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	*ret = trace_report(path, opts, out);
	fclose(out);
	free(path);
	return text;
}

static void test_offline_lines(void **state)
{
	struct trace_opts o = { 0 };
	int ret;
	char *text = offline(&o, "syscalls-v7.dat", &ret);

	(void)state;
	assert_int_equal(ret, 0);
	assert_non_null(strstr(text, " access(\"/sidetrace-trace-begin-marker\", F_OK) = -1 ENOENT "
				     "(No such file or directory)\n"));
	assert_non_null(strstr(text, " openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3\n"));
	assert_non_null(strstr(text, " read(3</etc/hostname>, 0x"));
	assert_non_null(strstr(text, " --- SIGUSR1 ---\n"));
	assert_non_null(strstr(text, " <unfinished ...>\n"));
	assert_non_null(strstr(text, "+++ exited with 3 +++\n"));
	assert_non_null(strstr(text, "+++ exited with 7 +++\n"));
	free(text);
}

static void test_offline_filters(void **state)
{
	char *exprs[] = { "access" };
	struct trace_opts failed = { .exprs = exprs, .nr_exprs = 1, .failed_only = true };
	struct trace_opts summary = { .summary = true };
	int ret, lines = 0;
	char *text = offline(&failed, "syscalls-v7.dat", &ret);

	(void)state;
	assert_int_equal(ret, 0);
	for (char *p = text; (p = strchr(p, '\n')); p++)
		lines++;
	assert_true(lines >= 3);	/* the markers, the missing path, ld.so.preload */
	assert_null(strstr(text, "= 0\n"));
	assert_null(strstr(text, "openat("));
	free(text);
	text = offline(&summary, "syscalls-v7.dat", &ret);
	assert_non_null(strstr(text, "% time     seconds  usecs/call     calls    errors syscall\n"));
	assert_non_null(strstr(text, " openat\n"));
	free(text);
	text = offline(&summary, "sched-v6.dat", &ret);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(st_last_error(), "record it with 'sidetrace record --syscalls'"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_record_syscalls),
		cmocka_unit_test(test_offline_lines),
		cmocka_unit_test(test_offline_filters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
