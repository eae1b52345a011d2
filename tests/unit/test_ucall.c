// SPDX-License-Identifier: GPL-2.0
/*
 * User call graphs (record -x): option parsing (kernel -g/-n before -x, user
 * ones after it), the TD_OPT_UCALLS table round trip, patterns, demangling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "record/record.h"
#include "record/record_ucalls.h"
#include "elf/ucall.h"
#include "util.h"

#include "record_test.h"

static void test_parse_groups(void **state)
{
	struct record_opts o;

	assert_int_equal(PARSE(&o, "-p", "function_graph", "-g", "vfs_read", "-n", "kfree",
			       "-x", "./prog", "-g", "parse*", "-g", "/^lex/", "-n", "lex_skip",
			       "-x", "libc.so.6", "-g", "malloc", "--max-probes", "50", "./prog",
			       "-g"), 0);
	/* before -x: the kernel's */
	assert_int_equal(o.ftrace.graph_funcs.nr, 1);
	assert_string_equal(o.ftrace.graph_funcs.items[0], "vfs_read");
	assert_int_equal(o.ftrace.notrace_funcs.nr, 1);
	/* after: the program's, per -x */
	assert_int_equal(o.ucalls.nr_groups, 2);
	assert_string_equal(o.ucalls.groups[0].path, "./prog");
	assert_int_equal(o.ucalls.groups[0].patterns.nr, 2);
	assert_string_equal(o.ucalls.groups[0].patterns.items[1], "/^lex/");
	assert_int_equal(o.ucalls.groups[0].notrace.nr, 1);
	assert_string_equal(o.ucalls.groups[1].path, "libc.so.6");
	assert_int_equal(o.ucalls.groups[1].patterns.nr, 1);
	assert_int_equal(o.ucalls.max_probes, 50);
	/* the command's own -g is not ours */
	assert_int_equal(o.command_argc, 2);
	assert_true(record_ucall_wanted(&o.ucalls));
	record_opts_free(&o);
	assert_int_equal(o.ucalls.nr_groups, 0);
}

static void test_parse_alone(void **state)
{
	struct record_opts o;

	/* -x with -g is enough: no -e or -p needed */
	assert_int_equal(PARSE(&o, "--exec", "/bin/true", "-g", "main", "/bin/true"), 0);
	assert_int_equal(o.ucalls.nr_groups, 1);
	assert_null(o.ftrace.tracer);
	assert_int_equal(o.ftrace.graph_funcs.nr, 0);
	record_opts_free(&o);
}

static void test_parse_errors(void **state)
{
	struct record_opts o;

	expect_error(PARSE(&o, "-x", "./prog", "./prog"), "needs at least one -g");
	expect_error(PARSE(&o, "-x", "./prog", "-n", "a", "./prog"), "needs at least one -g");
	expect_error(PARSE(&o, "-x", "", "-g", "a", "ls"), "-x needs");
	expect_error(PARSE(&o, "-x", "p", "-g", "", "ls"), "-g needs a function pattern");
	expect_error(PARSE(&o, "-x", "p", "-g", "a", "--max-probes", "0", "ls"), "--max-probes");
	expect_error(PARSE(&o, "-x", "p", "-g", "a", "--max-probes", "1x", "ls"), "--max-probes");
	expect_error(PARSE(&o, "-e", "sched", "--max-probes", "9", "ls"), "needs -x");
}

static void test_table_round_trip(void **state)
{
	struct ucall_table t = { 0 }, back;
	char *text;

	t.group = xstrdup("sidetrace_42");
	t.entry_event = xstrdup(UCALL_ENTRY_EVENT);
	t.return_event = xstrdup(UCALL_RETURN_EVENT);
	assert_int_equal(ucall_table_add(&t, "/bin/prog", "main"), 0);
	assert_int_equal(ucall_table_add(&t, "/lib/libc.so.6", "_ZN3foo3barEv"), 1);
	text = ucall_table_format(&t);
	assert_int_equal(ucall_table_parse(text, strlen(text) + 1, &back), 0);
	assert_string_equal(back.group, "sidetrace_42");
	assert_string_equal(back.entry_event, "ucall_entry");
	assert_string_equal(back.return_event, "ucall_return");
	assert_int_equal(back.nr_funcs, 2);
	assert_string_equal(back.funcs[1].binary, "/lib/libc.so.6");
	assert_string_equal(back.funcs[1].symbol, "_ZN3foo3barEv");
	ucall_table_free(&back);
	/* damaged: no group, ids out of order, another version */
	assert_int_equal(ucall_table_parse("version=1\nentry=a\nreturn=b\n", 26, &back), -1);
	assert_int_equal(ucall_table_parse("version=1\ngroup=g\nentry=a\nreturn=b\n"
					   "func=1\tx\ty\nfunc=0\tx\ty\n", 58, &back), -1);
	assert_int_equal(ucall_table_parse("version=2\n", 10, &back), -1);
	assert_int_equal(ucall_table_parse(text, 3, &back), -1);	/* truncated */
	free(text);
	ucall_table_free(&t);
}

static void test_patterns(void **state)
{
	struct ucall_pattern *p = ucall_pattern_new("parse_*");

	assert_true(ucall_pattern_match(p, "parse_expr"));
	assert_false(ucall_pattern_match(p, "do_parse_expr"));
	ucall_pattern_free(p);
	p = ucall_pattern_new("/^lex|tok$/");
	assert_true(ucall_pattern_match(p, "lex_number"));
	assert_true(ucall_pattern_match(p, "next_tok"));
	assert_false(ucall_pattern_match(p, "alexandre"));
	ucall_pattern_free(p);
	p = ucall_pattern_new("/parse/");	/* unanchored */
	assert_true(ucall_pattern_match(p, "do_parse_expr"));
	ucall_pattern_free(p);
	assert_null(ucall_pattern_new("/(/"));
	assert_non_null(strstr(st_last_error(), "bad regular expression"));
	assert_null(ucall_pattern_new(""));
}

static void test_demangle(void **state)
{
	char *s;

	s = ucall_demangle("_ZNK6shapes6Circle4areaEi");
	assert_string_equal(s, "shapes::Circle::area(int) const");
	free(s);
	/* Rust legacy mangling: the hash goes */
	s = ucall_demangle("_ZN4core3fmt5write17h0123456789abcdefE");
	assert_string_equal(s, "core::fmt::write");
	free(s);
	s = ucall_demangle("fib");
	assert_string_equal(s, "fib");
	free(s);
	s = ucall_demangle("_Znot_valid((");
	assert_string_equal(s, "_Znot_valid((");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_groups),
		cmocka_unit_test(test_parse_alone),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_table_round_trip),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_demangle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
