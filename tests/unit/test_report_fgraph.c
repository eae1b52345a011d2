// SPDX-License-Identifier: GPL-2.0
/*
 * The function_graph printer end to end: build a small trace.dat with
 * td_write() holding hand-made ring-buffer pages of ftrace:funcgraph_entry and
 * funcgraph_exit records (this kernel cannot record them), print it with
 * report_run() and compare with trace-cmd 3.1.6's output for the same records
 * (Documentation/trace-dat.md 2.2; `trace-cmd report` on these files was
 * checked to print exactly these lines).
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

#include "report/fgraph.h"
#include "report/report.h"
#include "report/report_calls.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include "fgraph_synth.h"

/* report_run() on path with extra -O options; returns the malloc'd output. */
static char *report(const char *path, const char *opt1, const char *opt2)
{
	struct report_opts o = { .input = path };
	char out_path[] = "/tmp/sidetrace-fgraph-out.XXXXXX";
	int fd = mkstemp(out_path);
	char *text;

	assert_true(fd >= 0);
	if (opt1)
		strlist_add(&o.plugin_opts, opt1);
	if (opt2)
		strlist_add(&o.plugin_opts, opt2);
	if (report_run(&o, NULL, fd) < 0)
		fail_msg("report_run: %s", st_last_error());
	close(fd);
	text = read_file(out_path, NULL);
	assert_non_null(text);
	unlink(out_path);
	unlink(path);
	report_opts_free(&o);
	return text;
}

static void check_output(const char *got, const char *expect)
{
	if (strcmp(got, expect))
		fail_msg("report output differs.\n--- expected:\n%s--- got:\n%s", expect, got);
}

/* The records behind the example output of Documentation/trace-dat.md 2.2. */
static void fill_reference_example(struct page *pg)
{
	const uint64_t t0 = 500000000000ULL;

	entry(pg, t0, 1234, DO_SYS_OPEN, 0);
	entry(pg, t0 + 1000, 1234, GETNAME, 1);
	exit_(pg, t0 + 2300, 1234, GETNAME, 1, 1234);
	entry(pg, t0 + 3000, 1234, DO_FILP_OPEN, 1);
	entry(pg, t0 + 4000, 1234, PATH_OPENAT, 2);
	exit_(pg, t0 + 19000, 1234, PATH_OPENAT, 2, 15000);
	entry(pg, t0 + 20000, 1234, SLOW_LEAF, 2);
	exit_(pg, t0 + 21000, 1234, SLOW_LEAF, 2, 2500000000ULL);
	exit_(pg, t0 + 153000, 1234, DO_FILP_OPEN, 1, 150000);
	entry(pg, t0 + 154000, 1234, HUGE_LEAF, 1);
	exit_(pg, t0 + 155000, 1234, HUGE_LEAF, 1, 12345678000ULL);
	exit_(pg, t0 + 2003000, 1234, DO_SYS_OPEN, 0, 2003000);
}

static const char reference_output[] =
	"cpus=1\n"
	"              ls-1234  [000]   500.000000: funcgraph_entry:                   |  do_sys_open() {\n"
	"              ls-1234  [000]   500.000001: funcgraph_entry:        1.234 us   |    getname();\n"
	"              ls-1234  [000]   500.000003: funcgraph_entry:                   |    do_filp_open() {\n"
	"              ls-1234  [000]   500.000004: funcgraph_entry:      + 15.000 us  |      path_openat();\n"
	"              ls-1234  [000]   500.000020: funcgraph_entry:      $ 2500000 us |      slow_leaf();\n"
	"              ls-1234  [000]   500.000153: funcgraph_exit:       ! 150.000 us |    }\n"
	"              ls-1234  [000]   500.000154: funcgraph_entry:      $ 12345678 us |    huge_leaf();\n"
	"              ls-1234  [000]   500.002003: funcgraph_exit:       # 2003.000 us |  }\n";

static void test_reference_example(void **state)
{
	for (int version = 6; version <= 7; version++) {
		struct page pg = { 0 };
		char *out;

		fill_reference_example(&pg);
		out = report(write_file(&pg, 1, version), NULL, NULL);
		check_output(out, reference_output);
		free(out);
	}
}

static void test_tailprint_and_depth(void **state)
{
	struct page pg = { 0 };
	char *out;

	fill_reference_example(&pg);
	out = report(write_file(&pg, 1, 6), "fgraph:tailprint", "fgraph:depth");
	check_output(out,
		"cpus=1\n"
		"              ls-1234  [000]   500.000000: funcgraph_entry:                   |  do_sys_open() { (0)\n"
		"              ls-1234  [000]   500.000001: funcgraph_entry:        1.234 us   |    getname(); (1)\n"
		"              ls-1234  [000]   500.000003: funcgraph_entry:                   |    do_filp_open() { (1)\n"
		"              ls-1234  [000]   500.000004: funcgraph_entry:      + 15.000 us  |      path_openat(); (2)\n"
		"              ls-1234  [000]   500.000020: funcgraph_entry:      $ 2500000 us |      slow_leaf(); (2)\n"
		"              ls-1234  [000]   500.000153: funcgraph_exit:       ! 150.000 us |    } /* do_filp_open */ (1)\n"
		"              ls-1234  [000]   500.000154: funcgraph_entry:      $ 12345678 us |    huge_leaf(); (1)\n"
		"              ls-1234  [000]   500.002003: funcgraph_exit:       # 2003.000 us |  } /* do_sys_open */ (0)\n");
	free(out);
}

/*
 * A leaf needs the very next record of the whole buffer (every CPU) to be
 * its exit, from the same pid: another task's record in between, even on
 * another CPU, makes it a nested entry; an exit on another CPU still counts.
 *
 * trace-cmd 3.1.6 prints the same lines but, after consuming a leaf's exit
 * from another CPU, it prints the next two records out of timestamp order
 * (600.000004 before 600.000003). We keep timestamp order.
 */
static void test_leaf_detection_across_cpus(void **state)
{
	struct page pg[2] = { 0 };
	const uint64_t t0 = 600000000000ULL;
	char *out;

	entry(&pg[0], t0, 1234, GETNAME, 0);
	exit_(&pg[1], t0 + 1000, 1234, GETNAME, 0, 1000);	/* migrated: still a leaf */
	entry(&pg[0], t0 + 2000, 1234, PATH_OPENAT, 0);
	entry(&pg[1], t0 + 3000, 5678, GETNAME, 3);		/* other task in between */
	exit_(&pg[0], t0 + 4000, 1234, PATH_OPENAT, 0, 2000);
	exit_(&pg[1], t0 + 5000, 5678, DO_SYS_OPEN, 3, 2000);	/* other function */
	out = report(write_file(pg, 2, 7), NULL, NULL);
	check_output(out,
		"cpus=2\n"
		"              ls-1234  [000]   600.000000: funcgraph_entry:        1.000 us   |  getname();\n"
		"              ls-1234  [000]   600.000002: funcgraph_entry:                   |  path_openat() {\n"
		"             cat-5678  [001]   600.000003: funcgraph_entry:                   |        getname() {\n"
		"              ls-1234  [000]   600.000004: funcgraph_exit:         2.000 us   |  }\n"
		"             cat-5678  [001]   600.000005: funcgraph_exit:         2.000 us   |        }\n");
	free(out);
}

/* The consumer hook (for --graph/--profile): every record, decoded, no text. */
struct consumed {
	int records, entries, exits, leaf_exits;
	char names[256];
	uint64_t durations;
};

static void consume(void *ctx, struct tep_handle *tep, const struct fgraph *fg,
		    struct tep_record *rec)
{
	struct consumed *c = ctx;
	struct fgraph_call call;

	c->records++;
	assert_int_equal(fgraph_decode(fg, rec, &call), 1);
	assert_int_equal(call.pid, 1234);
	if (call.is_exit) {
		c->exits++;
		c->durations += call.rettime - call.calltime;
	} else {
		c->entries++;
		strcat(c->names, fgraph_func_name(fg, call.func));
		strcat(c->names, " ");
	}
}

static int consumer_done(void *ctx, int fd)
{
	return dprintf(fd, "done %d\n", ((struct consumed *)ctx)->records) > 0 ? 0 : -1;
}

static void test_consumer_hook(void **state)
{
	struct consumed c = { 0 };
	struct report_consumer consumer = { .record = consume, .done = consumer_done, .ctx = &c };
	struct report_opts o = { 0 };
	char out_path[] = "/tmp/sidetrace-fgraph-out.XXXXXX";
	struct page pg = { 0 };
	char *text;
	int fd;

	fill_reference_example(&pg);
	o.input = write_file(&pg, 1, 7);
	fd = mkstemp(out_path);
	assert_true(fd >= 0);
	if (report_run(&o, &consumer, fd) < 0)
		fail_msg("report_run: %s", st_last_error());
	close(fd);
	text = read_file(out_path, NULL);
	unlink(out_path);
	unlink(o.input);
	assert_string_equal(text, "done 12\n");
	free(text);
	assert_int_equal(c.entries, 6);
	assert_int_equal(c.exits, 6);
	assert_string_equal(c.names,
			    "do_sys_open getname do_filp_open path_openat slow_leaf huge_leaf ");
	assert_int_equal(c.durations, 1234 + 15000 + 2500000000ULL + 150000 + 12345678000ULL +
			 2003000);
}

/* An id the file has no format for: the line trace-cmd 3.1.6 prints, no crash. */
static void test_unknown_event(void **state)
{
	struct page pg = { 0 };
	unsigned char p[24] = { 0 };
	char *out;

	put_common(p, 99, 1234);
	put_event(&pg, 700000001000ULL, p, sizeof(p));
	entry(&pg, 700000003000ULL, 0, 0x7777, 0);	/* and an address kallsyms lacks */
	out = report(write_file(&pg, 1, 6), NULL, NULL);
	check_output(out,
		"cpus=1\n"
		"[UNKNOWN EVENT][UNKNOWN EVENT] (NULL):               [UNKNOWN EVENT]\n"
		"          <idle>-0     [000]   700.000003: funcgraph_entry:                   |  ffffffff81777700() {\n");
	free(out);
}

/* report_run() with --color=always on path; returns the malloc'd output. */
static char *report_colored(const char *path)
{
	struct report_opts o = { .input = path, .color = REPORT_COLOR_ALWAYS };
	char out_path[] = "/tmp/sidetrace-fgraph-out.XXXXXX";
	int fd = mkstemp(out_path);
	char *text;

	assert_true(fd >= 0);
	if (report_run(&o, NULL, fd) < 0)
		fail_msg("report_run: %s", st_last_error());
	close(fd);
	text = read_file(out_path, NULL);
	assert_non_null(text);
	unlink(out_path);
	unlink(path);
	return text;
}

/* Drop every "ESC[...m" in place. */
static void strip_colors(char *s)
{
	char *o = s;

	while (*s) {
		if (*s == '\033') {
			while (*s && *s != 'm')
				s++;
			if (*s)
				s++;
			continue;
		}
		*o++ = *s++;
	}
	*o = '\0';
}

static void expect_in(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("'%s' is not in:\n%s", what, text);
}

/* --color: the marks' colours from the mark to the unit; without colour the same bytes. */
static void test_color(void **state)
{
	struct page pg = { 0 };
	char *out;

	fill_reference_example(&pg);
	out = report_colored(write_file(&pg, 1, 7));
	expect_in(out, " \033[36mfuncgraph_entry\033[0m:        1.234 us   |    getname();\n");
	expect_in(out, " \033[35mfuncgraph_exit\033[0m: ");
	expect_in(out, "\033[33m+ 15.000 us\033[0m  |      path_openat();\n");
	expect_in(out, "\033[1;35m$ 2500000 us\033[0m |      slow_leaf();\n");
	expect_in(out, "\033[31m! 150.000 us\033[0m |    }\n");
	expect_in(out, "\033[1;31m# 2003.000 us\033[0m |  }\n");
	strip_colors(out);
	check_output(out, reference_output);
	free(out);
}

/* report_run() with --graph and --profile; returns the malloc'd output. */
static char *report_views(const char *path)
{
	struct report_opts o = { .input = path };
	struct report_calls_opts views = { .graph = true, .profile = true };
	struct report_calls *calls;
	char out_path[] = "/tmp/sidetrace-fgraph-out.XXXXXX";
	int fd = mkstemp(out_path);
	char *text;

	assert_true(fd >= 0);
	calls = report_calls_new(&views, NULL);
	if (report_run(&o, report_calls_consumer(calls), fd) < 0)
		fail_msg("report_run: %s", st_last_error());
	close(fd);
	text = read_file(out_path, NULL);
	assert_non_null(text);
	unlink(out_path);
	unlink(path);
	report_calls_free(calls);
	report_opts_free(&o);
	return text;
}

/*
 * --graph/--profile: ls migrates from CPU 0 to CPU 1 inside do_filp_open, and
 * events were lost on CPU 1 before its first record; cat's trace starts inside
 * do_filp_open and ends inside getname. Durations are rettime - calltime.
 */
static void test_graph_and_profile(void **state)
{
	const uint64_t t0 = 500000000000ULL;
	struct page pg[2] = { 0 };
	uint64_t commit;
	char *out;

	entry(&pg[0], t0, 1234, DO_SYS_OPEN, 0);
	entry(&pg[0], t0 + 1000, 1234, GETNAME, 1);
	exit_(&pg[0], t0 + 2300, 1234, GETNAME, 1, 1234);
	entry(&pg[0], t0 + 3000, 1234, DO_FILP_OPEN, 1);
	exit_(&pg[0], t0 + 5000, 5678, PATH_OPENAT, 2, 3000);
	exit_(&pg[0], t0 + 6000, 5678, DO_FILP_OPEN, 1, 5000);
	entry(&pg[0], t0 + 7000, 5678, GETNAME, 1);
	entry(&pg[1], t0 + 4000, 1234, PATH_OPENAT, 2);
	exit_(&pg[1], t0 + 19000, 1234, PATH_OPENAT, 2, 15000);
	entry(&pg[1], t0 + 20000, 1234, SLOW_LEAF, 2);
	exit_(&pg[1], t0 + 120000, 1234, SLOW_LEAF, 2, 100010);
	exit_(&pg[1], t0 + 153000, 1234, DO_FILP_OPEN, 1, 150010);
	entry(&pg[1], t0 + 154000, 1234, HUGE_LEAF, 1);
	exit_(&pg[1], t0 + 155000, 1234, HUGE_LEAF, 1, 1010);
	exit_(&pg[1], t0 + 2003000, 1234, DO_SYS_OPEN, 0, 2003010);
	memcpy(&commit, pg[1].data + 8, 8);
	commit |= 1ULL << 31;		/* RB_MISSED_EVENTS: lost before this page */
	memcpy(pg[1].data + 8, &commit, 8);

	out = report_views(write_file(pg, 2, 7));
	check_output(out,
		"# lost events on CPU 1: unknown number; calls marked [lost events] may be incomplete\n"
		"# task 1234 ls [lost events]\n"
		"  Total time   Self time       Calls  Function\n"
		"  ==========  ==========  ==========  ====================\n"
		"    2.003 ms    1.850 ms           1  do_sys_open [lost events]\n"
		"  150.010 us   35.000 us           1  +- do_filp_open [lost events]\n"
		"  100.010 us  100.010 us           1  |  +- slow_leaf\n"
		"   15.000 us   15.000 us           1  |  +- path_openat\n"
		"    1.234 us    1.234 us           1  +- getname\n"
		"    1.010 us    1.010 us           1  +- huge_leaf\n"
		"\n"
		"# task 5678 cat\n"
		"  Total time   Self time       Calls  Function\n"
		"  ==========  ==========  ==========  ====================\n"
		"    1.996 ms    1.996 ms           1  getname (unfinished)\n"
		"    5.000 us    2.000 us           1  do_filp_open (no entry)\n"
		"    3.000 us    3.000 us           1  +- path_openat (no entry)\n"
		"\n"
		"# lost events on CPU 1: unknown number; calls marked [lost events] may be incomplete\n"
		"  Total time   Self time       Calls    Avg time    Max time  Function\n"
		"  ==========  ==========  ==========  ==========  ==========  ====================\n"
		"    2.003 ms    1.850 ms           1    2.003 ms    2.003 ms  do_sys_open [lost events]\n"
		"    1.997 ms    1.997 ms           2  998.617 us    1.996 ms  getname (1 unfinished)\n"
		"  155.010 us   37.000 us           2   77.505 us  150.010 us  do_filp_open (1 no entry) [lost events]\n"
		"  100.010 us  100.010 us           1  100.010 us  100.010 us  slow_leaf\n"
		"   18.000 us   18.000 us           2    9.000 us   15.000 us  path_openat (1 no entry)\n"
		"    1.010 us    1.010 us           1    1.010 us    1.010 us  huge_leaf\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_example),
		cmocka_unit_test(test_leaf_detection_across_cpus),
		cmocka_unit_test(test_unknown_event),
		cmocka_unit_test(test_consumer_hook),
		cmocka_unit_test(test_graph_and_profile),
		cmocka_unit_test(test_color),
		/* last: libtraceevent keeps -O option values for the whole process */
		cmocka_unit_test(test_tailprint_and_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
