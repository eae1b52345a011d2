// SPDX-License-Identifier: GPL-2.0
/*
 * The hints about -g/-l functions that never ran (report/ftrace_hints.h):
 * the option record builds from the kernel's names, and the verdict and words
 * on small function_graph trace.dat files (fgraph_synth.h) carrying it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tracedat/ftrace_hints.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include "fgraph_synth.h"

/* ------------------------------------------------------------------------- */
/* The option */

static void add_all(struct strlist *l, const char *const *items)
{
	for (; *items; items++)
		strlist_add(l, *items);
}

static void test_option_text(void **state)
{
	/* available_filter_functions, unsorted, with a name listed twice (two static functions) */
	static const char *const kernel[] = {
		"do_sys_openat2", "vfs_read", "do_sys_open", "do_sys_open_helper_with_long_name",
		"do_sys_openat2", "vfs_readv", "vfs_readlink", "do_sys_openat3", "ksys_read",
		"do_sys_ope", NULL,
	};
	static const char *const graph[] = { "do_sys_open", "ksys_read", NULL };
	static const char *const filter[] = {
		"vfs_read*", "do_sys_op?n", "!vfs_read", "vfs_read:mod:ext4", "*read", NULL,
	};
	struct strlist names = { 0 }, g = { 0 }, l = { 0 };
	char *text;

	add_all(&names, kernel);
	add_all(&g, graph);
	add_all(&l, filter);
	text = ftrace_hints_option(&g, &l, &names);
	/*
	 * Near names start with the pattern's part before any glob character, do
	 * not match it, shortest first, once each; '!' and ':' patterns say
	 * nothing about a call; a glob counts the functions it matches.
	 */
	assert_string_equal(text,
			    "g 1 do_sys_open do_sys_openat2 do_sys_openat3 "
			    "do_sys_open_helper_with_long_name\n"
			    "g 1 ksys_read\n"
			    "l 3 vfs_read*\n"
			    "l 1 do_sys_op?n do_sys_ope do_sys_openat2 do_sys_openat3 "
			    "do_sys_open_helper_with_long_name\n"
			    "l 2 *read\n");
	free(text);

	/* At most FTRACE_HINTS_MAX_NAMES near names; no line for nothing to judge. */
	strlist_free(&g);
	strlist_free(&l);
	strlist_add(&g, "do_sys_open");
	for (int i = 0; i < 20; i++)
		strlist_add_owned(&names, xasprintf("do_sys_open_%02d", i));
	text = ftrace_hints_option(&g, &l, &names);
	assert_string_equal(text, "g 1 do_sys_open do_sys_open_00 do_sys_open_01 do_sys_open_02 "
			    "do_sys_open_03 do_sys_open_04 do_sys_open_05 do_sys_open_06 "
			    "do_sys_open_07\n");
	free(text);
	strlist_free(&g);
	strlist_add(&g, "!do_sys_open");
	assert_null(ftrace_hints_option(&g, &l, &names));
	strlist_free(&g);
	strlist_free(&names);
}

/* ------------------------------------------------------------------------- */
/* The verdict and the words */

static const char *option_text;
static bool drop_kallsyms;

static void add_hint_option(struct td_meta *meta)
{
	if (option_text)
		td_meta_add_option(meta, TD_OPT_FTRACE_FUNCS, option_text, strlen(option_text));
	if (drop_kallsyms) {
		free(meta->kallsyms.data);
		meta->kallsyms.data = NULL;
		meta->kallsyms.size = 0;
	}
}

/* The hints for a file of these pages with this option, one per line ("" if none). */
static char *hints(struct page *pages, int nr_cpus, const char *option, bool no_kallsyms)
{
	struct strlist lines = { 0 };
	struct td_file *f;
	const char *path;
	char *out = xstrdup(""), *next;

	option_text = option;
	drop_kallsyms = no_kallsyms;
	path = write_file_meta(pages, nr_cpus, 7, add_hint_option);
	f = td_open(path);
	if (!f)
		fail_msg("td_open: %s", st_last_error());
	assert_true(ftrace_hints_find(f, &lines) >= 0);
	for (int i = 0; i < lines.nr; i++) {
		next = xasprintf("%s%s\n", out, lines.items[i]);
		free(out);
		out = next;
	}
	td_close(f);
	unlink(path);
	strlist_free(&lines);
	return out;
}

#define INLINED "(it may be inlined into its callers on this kernel, or not be on the workload's path)"

static void expect_hints(struct page *pages, int nr_cpus, const char *option, bool no_kallsyms,
			 const char *want)
{
	char *got = hints(pages, nr_cpus, option, no_kallsyms);

	if (strcmp(got, want))
		fail_msg("hints differ.\n--- expected:\n%s--- got:\n%s", want, got);
	free(got);
}

/* do_sys_open { getname(); do_filp_open { path_openat(); } } on CPU 0, slow_leaf on CPU 1. */
static void fill(struct page *pg)
{
	const uint64_t t0 = 500000000000ULL;

	memset(pg, 0, 2 * sizeof(*pg));
	entry(&pg[0], t0, 1234, DO_SYS_OPEN, 0);
	entry(&pg[0], t0 + 1000, 1234, GETNAME, 1);
	exit_(&pg[0], t0 + 2000, 1234, GETNAME, 1, 1000);
	entry(&pg[0], t0 + 3000, 1234, DO_FILP_OPEN, 1);
	entry(&pg[0], t0 + 4000, 1234, PATH_OPENAT, 2);
	exit_(&pg[0], t0 + 5000, 1234, PATH_OPENAT, 2, 1000);
	exit_(&pg[0], t0 + 6000, 1234, DO_FILP_OPEN, 1, 3000);
	exit_(&pg[0], t0 + 7000, 1234, DO_SYS_OPEN, 0, 7000);
	entry(&pg[1], t0 + 500, 5678, SLOW_LEAF, 0);
	exit_(&pg[1], t0 + 900, 5678, SLOW_LEAF, 0, 400);
}

static void test_no_hint_when_it_ran(void **state)
{
	struct page pg[2];

	fill(pg);
	/* -g at depth 0, a function deeper down, a glob, a leaf on another CPU */
	expect_hints(pg, 2, "g 1 do_sys_open do_sys_openat2\n"
		     "l 1 path_openat\n"
		     "l 2 do_filp*\n"
		     "g 1 slow_leaf\n", false, "");
	/* No option: nothing to say. */
	expect_hints(pg, 2, NULL, false, "");
}

static void test_hint_when_it_never_ran(void **state)
{
	struct page pg[2];

	fill(pg);
	expect_hints(pg, 2,
		     "g 1 do_sys_open\n"
		     "g 1 vfs_open vfs_openat vfs_open_tree\n"
		     "l 1 path_open path_open_x path_openat\n"
		     "l 3 ext4_*\n"
		     "l 1 zz?\n"
		     "g 1 getname_flags\n",
		     false,
		     "vfs_open was never called " INLINED "; did you mean vfs_openat or vfs_open_tree?\n"
		     /* the near name that ran comes first */
		     "path_open was never called " INLINED "; did you mean path_openat or path_open_x?\n"
		     "none of the 3 functions matching 'ext4_*' was called (they may be inlined into "
		     "their callers on this kernel, or not be on the workload's path)\n"
		     "the one function matching 'zz?' was never called " INLINED "\n"
		     "getname_flags was never called " INLINED "\n");
	/* At most three names, ran ones first, then the stored order. */
	expect_hints(pg, 2, "g 1 path a b c d path_openat\n", false,
		     "path was never called " INLINED "; did you mean path_openat, a or b?\n");
}

static void test_empty_recording(void **state)
{
	struct page pg[2];

	/* The recording of `-g do_sys_open ls` on 6.1: no records at all. */
	memset(pg, 0, sizeof(pg));
	expect_hints(pg, 2, "g 1 do_sys_open do_sys_openat2\n", false,
		     "do_sys_open was never called " INLINED "; did you mean do_sys_openat2?\n");
	/* Nothing to name, so no kernel symbols are needed to judge. */
	expect_hints(pg, 2, "g 1 do_sys_open do_sys_openat2\n", true,
		     "do_sys_open was never called " INLINED "; did you mean do_sys_openat2?\n");
}

static void test_no_verdict_when_unsure(void **state)
{
	struct page pg[2];
	uint64_t commit;

	/* Records whose functions cannot be named (no kallsyms): no verdict. */
	fill(pg);
	expect_hints(pg, 2, "g 1 vfs_open\n", true, "");

	/* Lost events (the page's missed-events flag): the call may be among them. */
	fill(pg);
	memcpy(&commit, pg[1].data + 8, 8);
	commit |= 1ULL << 31;
	memcpy(pg[1].data + 8, &commit, 8);
	expect_hints(pg, 2, "g 1 vfs_open\n", false, "");

	/* A damaged option: its bad lines are skipped, good ones still judged. */
	fill(pg);
	expect_hints(pg, 2, "x 1 foo\ng zero vfs_open\ng 0 vfs_open\nl 1 !foo\ng\n\ng 1 vfs_open\n",
		     false, "vfs_open was never called " INLINED "\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_option_text),
		cmocka_unit_test(test_no_hint_when_it_ran),
		cmocka_unit_test(test_hint_when_it_never_ran),
		cmocka_unit_test(test_empty_recording),
		cmocka_unit_test(test_no_verdict_when_unsure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
