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

/* ------------------------------------------------------------------------- */
/*
 * The cases below were printed by trace-cmd 3.1.6 from the same files
 * (fill_*() then write_file()), and its lines pasted here.
 */

#define THRESHOLDS_OUTPUT \
	"cpus=1\n" \
	"              ls-1234  [000]   800.000000: funcgraph_entry:        10.000 us  |  getname();\n" \
	"              ls-1234  [000]   800.000002: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000003: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000005: funcgraph_exit:         10.000 us  |  }\n" \
	"              ls-1234  [000]   800.000010: funcgraph_entry:      + 10.001 us  |  getname();\n" \
	"              ls-1234  [000]   800.000012: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000013: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000015: funcgraph_exit:       + 10.001 us  |  }\n" \
	"              ls-1234  [000]   800.000020: funcgraph_entry:      + 100.000 us |  getname();\n" \
	"              ls-1234  [000]   800.000022: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000023: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000025: funcgraph_exit:       + 100.000 us |  }\n" \
	"              ls-1234  [000]   800.000030: funcgraph_entry:      ! 100.001 us |  getname();\n" \
	"              ls-1234  [000]   800.000032: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000033: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000035: funcgraph_exit:       ! 100.001 us |  }\n" \
	"              ls-1234  [000]   800.000040: funcgraph_entry:      ! 1000.000 us |  getname();\n" \
	"              ls-1234  [000]   800.000042: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000043: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000045: funcgraph_exit:       ! 1000.000 us |  }\n" \
	"              ls-1234  [000]   800.000050: funcgraph_entry:      # 1000.001 us |  getname();\n" \
	"              ls-1234  [000]   800.000052: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000053: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000055: funcgraph_exit:       # 1000.001 us |  }\n" \
	"              ls-1234  [000]   800.000060: funcgraph_entry:      # 10000.001 us |  getname();\n" \
	"              ls-1234  [000]   800.000062: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000063: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000065: funcgraph_exit:       # 10000.001 us |  }\n" \
	"              ls-1234  [000]   800.000070: funcgraph_entry:      # 100000.001 us |  getname();\n" \
	"              ls-1234  [000]   800.000072: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000073: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000075: funcgraph_exit:       # 100000.001 us |  }\n" \
	"              ls-1234  [000]   800.000080: funcgraph_entry:      # 1000000 us |  getname();\n" \
	"              ls-1234  [000]   800.000082: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000083: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000085: funcgraph_exit:       # 1000000 us |  }\n" \
	"              ls-1234  [000]   800.000090: funcgraph_entry:      $ 1000000 us |  getname();\n" \
	"              ls-1234  [000]   800.000092: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   800.000093: funcgraph_entry:        0.999 us   |    path_openat();\n" \
	"              ls-1234  [000]   800.000095: funcgraph_exit:       $ 1000000 us |  }\n"

#define LOOKAHEAD_OUTPUT \
	"cpus=1\n" \
	"              ls-1234  [000]   810.000000: funcgraph_entry:                   |  do_sys_open() {\n" \
	"              ls-1234  [000]   810.000001: funcgraph_exit:         1.000 us   |  }\n" \
	"              ls-1234  [000]   810.000002: funcgraph_entry:                   |  getname() {\n" \
	"              ls-1240  [000]   810.000003: funcgraph_exit:         1.000 us   |  }\n" \
	"              ls-1234  [000]   810.000004: funcgraph_entry:        1.000 us   |    path_openat();\n" \
	"              ls-1234  [000]   810.000006: funcgraph_entry:                   |  do_filp_open() {\n" \
	"              ls-1234  [000]   810.000007: funcgraph_entry:        1.000 us   |    slow_leaf();\n" \
	"              ls-1234  [000]   810.000009: funcgraph_exit:         3.000 us   |  }\n" \
	"              ls-1234  [000]   810.000010: funcgraph_entry:                   |      huge_leaf() {\n"

#define INTERLEAVED_OUTPUT \
	"cpus=2\n" \
	"              ls-1234  [000]   820.000000: funcgraph_entry:                   |  do_sys_open() {\n" \
	"             cat-5678  [001]   820.000001: funcgraph_entry:        1.000 us   |  getname();\n" \
	"              ls-1234  [000]   820.000003: funcgraph_exit:         3.000 us   |  }\n"

#define UNKNOWN_OUTPUT \
	"cpus=1\n" \
	"              ls-1234  [000]   830.000000: funcgraph_entry:        1.000 us   |  ffffffff81000000();\n" \
	"              ls-1234  [000]   830.000002: funcgraph_entry:                   |  ffffffff81777700() {\n" \
	"              ls-1234  [000]   830.000003: funcgraph_entry:        1.000 us   |    getname();\n" \
	"              ls-1234  [000]   830.000005: funcgraph_entry:      + 20.000 us  |    ffffffff81000000();\n" \
	"              ls-1234  [000]   830.000007: funcgraph_exit:         5.000 us   |  }\n"

#define UNKNOWN_TAILPRINT_OUTPUT \
	"cpus=1\n" \
	"              ls-1234  [000]   830.000000: funcgraph_entry:        1.000 us   |  ffffffff81000000(); (0)\n" \
	"              ls-1234  [000]   830.000002: funcgraph_entry:                   |  ffffffff81777700() { (0)\n" \
	"              ls-1234  [000]   830.000003: funcgraph_entry:        1.000 us   |    getname(); (1)\n" \
	"              ls-1234  [000]   830.000005: funcgraph_entry:      + 20.000 us  |    ffffffff81000000(); (1)\n" \
	"              ls-1234  [000]   830.000007: funcgraph_exit:         5.000 us   |  }\n"

/* Durations at and just over each of trace-cmd's overhead thresholds (ns). */
static const uint64_t threshold_durations[] = {
	10000, 10001, 100000, 100001, 1000000, 1000001,
	10000001, 100000001,	/* the kernel has '*' and '@' there, trace-cmd does not */
	1000000000, 1000000001,
};

/* Each duration as a leaf, then as a nested call's exit. */
static void fill_thresholds(struct page *pg)
{
	uint64_t t = 800000000000ULL;

	for (size_t i = 0; i < sizeof(threshold_durations) / sizeof(threshold_durations[0]); i++) {
		uint64_t d = threshold_durations[i];

		entry(pg, t, 1234, GETNAME, 0);
		exit_(pg, t + 1000, 1234, GETNAME, 0, d);
		entry(pg, t + 2000, 1234, DO_FILP_OPEN, 0);
		entry(pg, t + 3000, 1234, PATH_OPENAT, 1);
		exit_(pg, t + 4000, 1234, PATH_OPENAT, 1, 999);
		exit_(pg, t + 5000, 1234, DO_FILP_OPEN, 0, d);
		t += 10000;
	}
}

static void test_overhead_marks(void **state)
{
	struct page pg = { 0 };
	char *out;

	fill_thresholds(&pg);
	out = report(write_file(&pg, 1, 7), NULL, NULL);
	check_output(out, THRESHOLDS_OUTPUT);
	free(out);
}

/*
 * Leaf or nested, from the very next record: an exit of another function or
 * of another task makes a nested entry; the exit's own depth does not count;
 * a call interrupted by another entry is nested; the buffer's last record has
 * nothing after it.
 */
static void fill_lookahead(struct page *pg)
{
	const uint64_t t0 = 810000000000ULL;

	entry(pg, t0, 1234, DO_SYS_OPEN, 0);
	exit_(pg, t0 + 1000, 1234, GETNAME, 0, 1000);		/* another function */
	entry(pg, t0 + 2000, 1234, GETNAME, 0);
	exit_(pg, t0 + 3000, 1240, GETNAME, 0, 1000);		/* another task */
	entry(pg, t0 + 4000, 1234, PATH_OPENAT, 1);
	exit_(pg, t0 + 5000, 1234, PATH_OPENAT, 5, 1000);	/* another depth: a leaf */
	entry(pg, t0 + 6000, 1234, DO_FILP_OPEN, 0);
	entry(pg, t0 + 7000, 1234, SLOW_LEAF, 1);		/* an interrupt */
	exit_(pg, t0 + 8000, 1234, SLOW_LEAF, 1, 1000);
	exit_(pg, t0 + 9000, 1234, DO_FILP_OPEN, 0, 3000);
	entry(pg, t0 + 10000, 1234, HUGE_LEAF, 2);		/* the last record */
}

static void test_lookahead(void **state)
{
	struct page pg = { 0 };
	char *out;

	fill_lookahead(&pg);
	out = report(write_file(&pg, 1, 6), NULL, NULL);
	check_output(out, LOOKAHEAD_OUTPUT);
	free(out);
}

/*
 * Another CPU's call in the middle of this CPU's: the record after the entry
 * (in timestamp order) is the other task's, so the outer call is nested
 * while the other one, entry and exit next to each other, is a leaf.
 */
static void fill_interleaved_cpus(struct page *pg)
{
	const uint64_t t0 = 820000000000ULL;

	entry(&pg[0], t0, 1234, DO_SYS_OPEN, 0);
	entry(&pg[1], t0 + 1000, 5678, GETNAME, 0);
	exit_(&pg[1], t0 + 2000, 5678, GETNAME, 0, 1000);
	exit_(&pg[0], t0 + 3000, 1234, DO_SYS_OPEN, 0, 3000);
}

static void test_interleaved_cpus(void **state)
{
	struct page pg[2] = { 0 };
	char *out;

	fill_interleaved_cpus(pg);
	out = report(write_file(pg, 2, 7), NULL, NULL);
	check_output(out, INTERLEAVED_OUTPUT);
	free(out);
}

/*
 * Addresses kallsyms does not name (below its first function, past its last
 * one) print in hex; one inside a function prints that function's name.
 */
static void fill_unknown_addresses(struct page *pg)
{
	const uint64_t t0 = 830000000000ULL;

	entry_addr(pg, t0, 1234, FUNC(0), 0);				/* below the first */
	exit_addr(pg, t0 + 1000, 1234, FUNC(0), 0, 1000);
	entry_addr(pg, t0 + 2000, 1234, FUNC(0x7777), 0);		/* past the last */
	entry_addr(pg, t0 + 3000, 1234, FUNC(GETNAME) + 0x10, 1);	/* inside getname */
	exit_addr(pg, t0 + 4000, 1234, FUNC(GETNAME) + 0x10, 1, 1000);
	entry_addr(pg, t0 + 5000, 1234, FUNC(0), 1);
	exit_addr(pg, t0 + 6000, 1234, FUNC(0), 1, 20000);
	exit_addr(pg, t0 + 7000, 1234, FUNC(0x7777), 0, 5000);
}

static void test_unknown_addresses(void **state)
{
	struct page pg = { 0 };
	char *out;

	fill_unknown_addresses(&pg);
	out = report(write_file(&pg, 1, 7), NULL, NULL);
	check_output(out, UNKNOWN_OUTPUT);
	free(out);
}

/* A function name longer than any column, deep in the call graph. */
#define LONG_FUNC 0xffffffff81000800ULL
#define LONG_NAME                                                                     \
	"a_function_name_much_longer_than_any_column_of_the_report_line_so_that_the_"  \
	"line_grows_past_the_usual_reserve_and_the_name_cache_keeps_its_length_right_" \
	"0123456789_abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ_end"

#define LONG_NAME_OUTPUT \
	"cpus=1\n" \
	"              ls-1234  [000]   840.000000: funcgraph_entry:      ! 123.456 us |" \
	"                                                                                  " LONG_NAME "();\n" \
	"              ls-1234  [000]   840.000002: funcgraph_entry:                   |" \
	"                                                                                    " LONG_NAME "() {\n" \
	"              ls-1234  [000]   840.000003: funcgraph_entry:        1.000 us   |" \
	"                                                                                      getname();\n" \
	"              ls-1234  [000]   840.000005: funcgraph_exit:         3.000 us   |" \
	"                                                                                    }\n"

#define LONG_NAME_TAILPRINT_OUTPUT \
	"cpus=1\n" \
	"              ls-1234  [000]   840.000000: funcgraph_entry:      ! 123.456 us |" \
	"                                                                                  " LONG_NAME "(); (40)\n" \
	"              ls-1234  [000]   840.000002: funcgraph_entry:                   |" \
	"                                                                                    " LONG_NAME "() { (41)\n" \
	"              ls-1234  [000]   840.000003: funcgraph_entry:        1.000 us   |" \
	"                                                                                      getname(); (42)\n" \
	"              ls-1234  [000]   840.000005: funcgraph_exit:         3.000 us   |" \
	"                                                                                    } /* " LONG_NAME " */ (41)\n"

static void add_long_name(struct td_meta *meta)
{
	char *syms = xasprintf("%s%llx T %s\nffffffff81000900 T zzz_end2\n", kallsyms,
			       LONG_FUNC, LONG_NAME);

	free(meta->kallsyms.data);
	td_blob_set(&meta->kallsyms, syms, strlen(syms));
	free(syms);
}

static void fill_long_name(struct page *pg)
{
	const uint64_t t0 = 840000000000ULL;

	entry_addr(pg, t0, 1234, LONG_FUNC, 40);
	exit_addr(pg, t0 + 1000, 1234, LONG_FUNC, 40, 123456);
	entry_addr(pg, t0 + 2000, 1234, LONG_FUNC, 41);
	entry(pg, t0 + 3000, 1234, GETNAME, 42);
	exit_(pg, t0 + 4000, 1234, GETNAME, 42, 1000);
	exit_addr(pg, t0 + 5000, 1234, LONG_FUNC, 41, 3000);
}

static void test_long_name(void **state)
{
	struct page pg = { 0 };
	char *out;

	fill_long_name(&pg);
	out = report(write_file_meta(&pg, 1, 7, add_long_name), NULL, NULL);
	check_output(out, LONG_NAME_OUTPUT);
	free(out);
}

/*
 * Two functions whose addresses take the same slot of the name cache, called
 * in turn: each line still names its own function.
 */
static uint64_t collide[2];

static void add_colliding_names(struct td_meta *meta)
{
	char *syms = xasprintf("%s%llx T coll_a\n%llx T coll_b\n", kallsyms,
			       (unsigned long long)collide[0], (unsigned long long)collide[1]);

	free(meta->kallsyms.data);
	td_blob_set(&meta->kallsyms, syms, strlen(syms));
	free(syms);
}

static void test_name_cache_collision(void **state)
{
	const uint64_t t0 = 850000000000ULL, base = 0xffffffff82000000ULL;
	struct page pg = { 0 };
	char expect[4096], *p = expect, *out;

	collide[0] = base;
	collide[1] = 0;
	for (uint64_t a = base + 0x10; !collide[1]; a += 0x10)
		if (fgraph_name_slot(a) == fgraph_name_slot(base))
			collide[1] = a;
	p += sprintf(p, "cpus=1\n");
	for (int i = 0; i < 6; i++) {
		entry_addr(&pg, t0 + i * 2000, 1234, collide[i % 2], 0);
		exit_addr(&pg, t0 + i * 2000 + 1000, 1234, collide[i % 2], 0, 1000);
		p += sprintf(p, "              ls-1234  [000]   850.%06d: funcgraph_entry:"
			     "        1.000 us   |  coll_%c();\n", i * 2, "ab"[i % 2]);
	}
	out = report(write_file_meta(&pg, 1, 7, add_colliding_names), NULL, NULL);
	check_output(out, expect);
	free(out);
}

/*
 * With -O fgraph:tailprint: trace-cmd ends an exit's line at its '}' when it
 * cannot name the function (no comment, and no depth either).
 */
static void test_unknown_addresses_tailprint(void **state)
{
	struct page pg = { 0 };
	char *out;

	fill_unknown_addresses(&pg);
	out = report(write_file(&pg, 1, 7), "fgraph:tailprint=1", "fgraph:depth=1");
	check_output(out, UNKNOWN_TAILPRINT_OUTPUT);
	free(out);
}

static void test_long_name_tailprint(void **state)
{
	struct page pg = { 0 };
	char *out;

	fill_long_name(&pg);
	out = report(write_file_meta(&pg, 1, 7, add_long_name), "fgraph:tailprint=1",
		     "fgraph:depth=1");
	check_output(out, LONG_NAME_TAILPRINT_OUTPUT);
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
		cmocka_unit_test(test_overhead_marks),
		cmocka_unit_test(test_lookahead),
		cmocka_unit_test(test_interleaved_cpus),
		cmocka_unit_test(test_unknown_addresses),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_name_cache_collision),
		/*
		 * last: libtraceevent keeps -O option values for the whole process,
		 * and a second "fgraph:tailprint" toggles it off again; "=1" sets
		 */
		cmocka_unit_test(test_tailprint_and_depth),
		cmocka_unit_test(test_unknown_addresses_tailprint),
		cmocka_unit_test(test_long_name_tailprint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
