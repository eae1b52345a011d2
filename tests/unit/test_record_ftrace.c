// SPDX-License-Identifier: GPL-2.0
/*
 * record's function-tracing options (record_ftrace.h): parsing through
 * record_parse_args, the checks between options, function names and globs,
 * the closest-name suggestions, and the undo list restoring function lists
 * and pid lists as the kernel shows them (on ordinary files).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "record/record.h"
#include "record/record_ftrace.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include "record_test.h"

static void test_parse_function_graph(void **state)
{
	struct record_opts o;

	assert_int_equal(PARSE(&o, "-p", "function_graph", "-g", "do_sys_openat2", "-g", "vfs_*",
			       "-n", "kfree", "--max-graph-depth", "3", "-O", "funcgraph-proc",
			       "-O", "nofuncgraph-irqs", "ls", "-l"), 0);
	assert_string_equal(o.ftrace.tracer, "function_graph");
	assert_int_equal(o.ftrace.graph_funcs.nr, 2);
	assert_string_equal(o.ftrace.graph_funcs.items[1], "vfs_*");
	assert_int_equal(o.ftrace.notrace_funcs.nr, 1);
	assert_int_equal(o.ftrace.max_graph_depth, 3);
	assert_int_equal(o.ftrace.options.nr, 2);
	assert_string_equal(o.ftrace.options.items[1], "nofuncgraph-irqs");
	assert_int_equal(o.nr_events, 0);	/* a tracer needs no -e */
	/* parsing stops at the command: its -l is not ours */
	assert_int_equal(o.ftrace.filter_funcs.nr, 0);
	assert_int_equal(o.command_argc, 2);
	assert_true(record_ftrace_wanted(&o.ftrace));
	record_opts_free(&o);
	assert_null(o.ftrace.tracer);
}

static void test_parse_function(void **state)
{
	struct record_opts o;

	assert_int_equal(PARSE(&o, "--tracer", "function", "--function", "vfs_read",
			       "-l", "vfs_write", "--func-stack", "-e", "sched", "-F", "ls"), 0);
	assert_string_equal(o.ftrace.tracer, "function");
	assert_int_equal(o.ftrace.filter_funcs.nr, 2);
	assert_true(o.ftrace.func_stack);
	assert_int_equal(o.nr_events, 1);
	assert_true(o.follow_command);
	record_opts_free(&o);

	/* without -p it is still an events-only record */
	assert_int_equal(PARSE(&o, "-e", "sched", "true"), 0);
	assert_false(record_ftrace_wanted(&o.ftrace));
	record_opts_free(&o);

	/* -O needs no tracer: trace options (stacktrace) apply to the events */
	assert_int_equal(PARSE(&o, "-e", "sched", "-O", "stacktrace", "true"), 0);
	assert_false(record_ftrace_wanted(&o.ftrace));
	assert_int_equal(o.ftrace.options.nr, 1);
	assert_string_equal(o.ftrace.options.items[0], "stacktrace");
	record_opts_free(&o);
}

static void test_parse_errors(void **state)
{
	struct record_opts o;

	expect_error(PARSE(&o, "-g", "vfs_read", "ls"), "-g needs -p function_graph");
	expect_error(PARSE(&o, "-p", "function", "-g", "vfs_read", "ls"),
		     "-g needs -p function_graph");
	expect_error(PARSE(&o, "-p", "function", "--max-graph-depth", "2", "ls"),
		     "--max-graph-depth needs -p function_graph");
	expect_error(PARSE(&o, "-p", "nop", "-l", "vfs_read", "ls"), "-l needs a function tracer");
	expect_error(PARSE(&o, "-e", "sched", "-n", "vfs_read", "ls"),
		     "-n needs a function tracer");
	expect_error(PARSE(&o, "-p", "function", "--func-stack", "ls"), "--func-stack needs -l");
	expect_error(PARSE(&o, "-p", "function_graph", "-l", "x", "--func-stack", "ls"),
		     "--func-stack needs -p function");
	expect_error(PARSE(&o, "-p", "function_graph", "--max-graph-depth", "0", "ls"),
		     "--max-graph-depth: '0'");
	expect_error(PARSE(&o, "-p", "function_graph", "--max-graph-depth", "2x", "ls"),
		     "--max-graph-depth: '2x'");
	expect_error(PARSE(&o, "-p", "", "ls"), "-p: '' is not a tracer name");
	expect_error(PARSE(&o, "-p", "../x", "ls"), "is not a tracer name");
	expect_error(PARSE(&o, "-p", "function", "-l", "a b", "ls"), "-l: 'a b'");
	expect_error(PARSE(&o, "-p", "nop", "-O", "no", "ls"), "-O: 'no' is not an option");
	expect_error(PARSE(&o, "-p", "nop", "-O", "../../x", "ls"), "is not an option name");
	expect_error(PARSE(&o, "-p"), "option '-p' needs a value");
	expect_error(PARSE(&o, "ls"), "or -p TRACER");
}

static const char available[] =
	"vfs_read\n"
	"vfs_readv\n"
	"vfs_write\n"
	"do_sys_open\n"
	"do_sys_openat2\n"
	"getname_flags.part.0\n"
	"virtqueue_get_vring_size [virtio_ring]\n"
	"vfs_read\n";	/* names can repeat (static functions of several files) */

static void test_function_names(void **state)
{
	struct strlist names = { 0 };

	ftrace_function_names(available, &names);
	assert_int_equal(names.nr, 8);
	assert_string_equal(names.items[6], "virtqueue_get_vring_size");
	ftrace_function_names("", &names);
	assert_int_equal(names.nr, 8);
	ftrace_function_names("last_without_newline", &names);
	assert_int_equal(names.nr, 9);
	strlist_free(&names);
}

static void test_patterns(void **state)
{
	assert_true(ftrace_pattern_matches("vfs_read", "vfs_read"));
	assert_false(ftrace_pattern_matches("vfs_read", "vfs_readv"));
	assert_true(ftrace_pattern_matches("vfs_*", "vfs_readv"));
	assert_true(ftrace_pattern_matches("*_openat2", "do_sys_openat2"));
	assert_true(ftrace_pattern_matches("*name*", "getname_flags.part.0"));
	assert_true(ftrace_pattern_matches("vfs_rea?", "vfs_read"));
	assert_true(ftrace_pattern_matches("vfs_[rw]*", "vfs_write"));
	assert_true(ftrace_pattern_matches("!vfs_read", "vfs_read"));
	assert_false(ftrace_pattern_matches("vfs_*", "do_sys_open"));
}

static void test_closest_names(void **state)
{
	struct strlist names = { 0 };
	char *s;

	ftrace_function_names(available, &names);
	s = ftrace_closest_names("vfs_raed", &names, 3);
	assert_non_null(strstr(s, "vfs_read"));
	assert_null(strstr(s, "do_sys"));
	/* each name once, though vfs_read is listed twice */
	assert_null(strstr(s, "vfs_read, vfs_read,"));
	assert_false(strlen(s) >= 8 && !strcmp(s + strlen(s) - 8, "vfs_read") &&
		     strstr(s, "vfs_read,"));
	free(s);
	s = ftrace_closest_names("do_sys_opnat2", &names, 3);
	assert_true(!strncmp(s, "do_sys_openat2, do_sys_open", 27));
	free(s);
	/* a prefix comes first */
	s = ftrace_closest_names("getname*", &names, 1);
	assert_string_equal(s, "getname_flags.part.0");
	free(s);
	s = ftrace_closest_names("zzzzzzzzzzzzzzzzzzzzzzzzzzz", &names, 3);
	assert_string_equal(s, "");
	free(s);
	strlist_free(&names);
}

/*
 * A 131,000-character pattern against 60,000 function names: no suggestion,
 * without comparing the whole pattern with every name (that took 20 s to over
 * a minute; the 10 s alarm, 1000 times what it takes now, stops a hang). A
 * long name with a typo still gets its suggestion.
 */
static void test_closest_names_long_pattern(void **state)
{
	enum { NR = 60000, LONG = 131000 };
	struct strlist names = { 0 };
	char *pattern = xmalloc(LONG + 1), *s;

	for (int i = 0; i < NR; i++)
		strlist_add_owned(&names, xasprintf("kernel_function_number_%d", i));
	strlist_add(&names, "a_rather_long_function_name_of_a_driver_with_many_words_in_it");
	memset(pattern, 'k', LONG);
	pattern[LONG] = '\0';
	alarm(10);
	s = ftrace_closest_names(pattern, &names, 3);
	assert_string_equal(s, "");
	free(s);
	s = ftrace_closest_names("a_rather_long_function_name_of_a_drvier_with_many_words_in_it",
				 &names, 1);
	alarm(0);
	assert_string_equal(s, "a_rather_long_function_name_of_a_driver_with_many_words_in_it");
	free(s);
	free(pattern);
	strlist_free(&names);
}

static void test_undo_function_lists(void **state)
{
	char dir[] = "/tmp/sidetrace-ftrace-undo.XXXXXX";
	struct st_undo *u;
	char *filter, *notrace, *graph, *pid, *size;

	assert_non_null(mkdtemp(dir));
	filter = make_file(dir, "set_ftrace_filter", "#### all functions enabled ####\n");
	notrace = make_file(dir, "set_ftrace_notrace",
			    "vfs_fsync\nvirtqueue_get_vring_size [virtio_ring]\n"
			    "vfs_read:traceoff:unlimited\n");
	graph = make_file(dir, "set_graph_function", "do_sys_openat2\n");
	pid = make_file(dir, "set_ftrace_pid", "no pid\n");
	size = make_file(dir, "buffer_size_kb", "7 (expanded: 1408)\n");

	u = st_undo_new(NULL);
	assert_int_equal(st_undo_write(u, filter, "vfs_*"), 0);
	assert_int_equal(st_undo_write(u, notrace, "kfree"), 0);
	assert_int_equal(st_undo_write(u, graph, "vfs_read"), 0);
	assert_int_equal(st_undo_write(u, pid, "123"), 0);
	assert_int_equal(st_undo_write(u, size, "4096"), 0);
	assert_file(filter, "vfs_*");
	assert_int_equal(st_undo_count(u), 5);
	assert_int_equal(st_undo_finish(u), 0);

	/* What writes the old lists back: empty for "all"/"no pid", modules as :mod:. */
	assert_file(filter, "");
	assert_file(notrace, "vfs_fsync virtqueue_get_vring_size:mod:virtio_ring");
	assert_file(graph, "do_sys_openat2");
	assert_file(pid, "");
	/* an unexpanded buffer gets the size of its first use */
	assert_file(size, "1408");

	/* The same list is not written (nor recorded) again. */
	u = st_undo_new(NULL);
	assert_int_equal(st_undo_write(u, graph, "do_sys_openat2"), 0);
	assert_int_equal(st_undo_count(u), 0);
	st_undo_finish(u);

	unlink(filter);
	unlink(notrace);
	unlink(graph);
	unlink(pid);
	unlink(size);
	rmdir(dir);
	free(filter);
	free(notrace);
	free(graph);
	free(pid);
	free(size);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_function_graph),
		cmocka_unit_test(test_parse_function),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_function_names),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_closest_names),
		cmocka_unit_test(test_closest_names_long_pattern),
		cmocka_unit_test(test_undo_function_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
