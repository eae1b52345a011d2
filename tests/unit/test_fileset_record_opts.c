// SPDX-License-Identifier: GPL-2.0
/* record --files on the command line: needs a command, implies -F, needs no -e; its backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "record_opts.h"
#include "util.h"

static int parse(struct record_opts *o, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return record_parse_args(argc, argv, o);
}

static void test_files_alone(void **state)
{
	char *argv[] = { "record", "--files", "-o", "f.dat", "ls", "/", NULL };
	struct record_opts o;

	(void)state;
	assert_int_equal(parse(&o, argv), 0);
	assert_true(o.files);
	assert_true(o.follow_command);
	assert_int_equal(o.nr_events, 0);
	assert_int_equal(o.command_argc, 2);
	assert_string_equal(o.command[0], "ls");
	record_opts_free(&o);
}

static void test_files_with_events(void **state)
{
	char *argv[] = { "record", "-e", "sched", "--files", "true", NULL };
	struct record_opts o;

	(void)state;
	assert_int_equal(parse(&o, argv), 0);
	assert_true(o.files);
	assert_int_equal(o.nr_events, 1);
	record_opts_free(&o);
}

static void test_files_needs_command(void **state)
{
	char *argv[] = { "record", "--files", NULL };
	char *argv_pid[] = { "record", "--files", "-P", "1", NULL };
	struct record_opts o;

	(void)state;
	assert_int_equal(parse(&o, argv), -1);
	assert_non_null(strstr(st_last_error(), "--files needs a command"));
	assert_int_equal(parse(&o, argv_pid), -1);
}

/* --files=BACKEND and --files-backend BACKEND; "--files ls" runs ls with auto. */
static void test_files_backend(void **state)
{
	char *eq[] = { "record", "--files=fanotify", "true", NULL };
	char *sep[] = { "record", "--files-backend", "combined", "true", NULL };
	char *bare[] = { "record", "--files", "uprobe", NULL };
	char *bad[] = { "record", "--files=strace", "true", NULL };
	struct record_opts o;

	(void)state;
	assert_int_equal(parse(&o, eq), 0);
	assert_true(o.files);
	assert_int_equal(o.files_backend, RF_FANOTIFY);
	record_opts_free(&o);
	assert_int_equal(parse(&o, sep), 0);
	assert_true(o.files && o.follow_command);
	assert_int_equal(o.files_backend, RF_COMBINED);
	record_opts_free(&o);
	assert_int_equal(parse(&o, bare), 0);
	assert_int_equal(o.files_backend, RF_AUTO);
	assert_string_equal(o.command[0], "uprobe");	/* a value only when attached */
	record_opts_free(&o);
	assert_int_equal(parse(&o, bad), -1);
	assert_string_equal(st_last_error(), "--files: unknown backend 'strace' "
			    "(auto, kprobe, uprobe, fanotify or combined)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_alone),
		cmocka_unit_test(test_files_with_events),
		cmocka_unit_test(test_files_needs_command),
		cmocka_unit_test(test_files_backend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
