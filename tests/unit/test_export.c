// SPDX-License-Identifier: GPL-2.0
/*
 * The exports (export.h) end to end on a small trace.dat built with td_write()
 * from hand-made function_graph records (as test_report_fgraph.c does):
 * folded stacks exactly, with --count, the chrome timeline's events, the flame
 * graph's frames; and merged stacks from stack-trace samples.
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

#include "export/export.h"
#include "export/export_flame.h"
#include "export/export_folded.h"
#include "report/report.h"
#include "report/report_calls.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include "fgraph_synth.h"

/*
 * ls (1234) calls do_sys_open twice on CPU 0; another ls thread (1240) once
 * on CPU 1; cat's (5678) trace starts inside do_filp_open -> path_openat (exits
 * only), then its getname never returns. With example_lost, CPU 1 lost events
 * (a number unknown) before its first page.
 */
static bool example_lost;

static const char *example_file(void)
{
	const uint64_t t0 = 500000000000ULL;
	struct page pg[2] = { 0 };

	entry(&pg[0], t0, 1234, DO_SYS_OPEN, 0);
	entry(&pg[0], t0 + 1000, 1234, GETNAME, 1);
	exit_(&pg[0], t0 + 2300, 1234, GETNAME, 1, 1234);
	entry(&pg[0], t0 + 3000, 1234, DO_FILP_OPEN, 1);
	entry(&pg[0], t0 + 4000, 1234, PATH_OPENAT, 2);
	exit_(&pg[0], t0 + 19000, 1234, PATH_OPENAT, 2, 15000);
	exit_(&pg[0], t0 + 20000, 1234, DO_FILP_OPEN, 1, 17000);
	exit_(&pg[0], t0 + 30000, 1234, DO_SYS_OPEN, 0, 30000);
	entry(&pg[0], t0 + 40000, 1234, DO_SYS_OPEN, 0);
	entry(&pg[0], t0 + 41000, 1234, GETNAME, 1);
	exit_(&pg[0], t0 + 42000, 1234, GETNAME, 1, 1000);
	exit_(&pg[0], t0 + 45000, 1234, DO_SYS_OPEN, 0, 5000);

	entry(&pg[1], t0 + 5000, 1240, DO_SYS_OPEN, 0);
	entry(&pg[1], t0 + 6000, 1240, GETNAME, 1);
	exit_(&pg[1], t0 + 8000, 1240, GETNAME, 1, 2000);
	exit_(&pg[1], t0 + 10000, 1240, DO_SYS_OPEN, 0, 5000);
	exit_(&pg[1], t0 + 12000, 5678, PATH_OPENAT, 2, 3000);
	exit_(&pg[1], t0 + 13000, 5678, DO_FILP_OPEN, 1, 5000);
	entry(&pg[1], t0 + 14000, 5678, GETNAME, 1);
	if (example_lost) {
		uint64_t commit;

		memcpy(&commit, pg[1].data + 8, 8);
		commit |= 1ULL << 31;	/* RB_MISSED_EVENTS: lost before this page */
		memcpy(pg[1].data + 8, &commit, 8);
	}
	return write_file(pg, 2, 7);
}

/* report_run() of input with the export options in e; returns stdout's bytes (malloc'd). */
static char *run_export_on(const struct export_opts *e, const char *input,
			   const char *time_range_from)
{
	struct report_opts o = { .input = input };
	struct report_calls_opts calls = { 0 };
	char out_path[] = "/tmp/sidetrace-export-out.XXXXXX";
	int fd = mkstemp(out_path);
	struct export *x;
	char *text;

	assert_true(fd >= 0);
	if (time_range_from)
		o.time_from = 500000000000ULL + strtoull(time_range_from, NULL, 10);
	x = export_new(e, &calls, fd);
	if (report_run(&o, export_consumer(x), fd) < 0)
		fail_msg("report_run: %s", st_last_error());
	close(fd);
	text = read_file(out_path, NULL);
	assert_non_null(text);
	unlink(out_path);
	export_free(x);
	report_opts_free(&o);
	return text;
}

/* The same on the example file. */
static char *run_export(const struct export_opts *e, const char *time_range_from)
{
	const char *input = example_file();
	char *text = run_export_on(e, input, time_range_from);

	unlink(input);
	return text;
}

/* A recorded file of tests/fixtures/tracecmd (TOP: the source tree). */
static char *fixture(const char *name)
{
	const char *top = getenv("TOP");

	return xasprintf("%s/tests/fixtures/tracecmd/%s", top ? top : ".", name);
}

static void check_output(const char *got, const char *expect)
{
	if (strcmp(got, expect))
		fail_msg("output differs.\n--- expected:\n%s--- got:\n%s", expect, got);
}

static void test_folded(void **state)
{
	struct export_opts e = { .format = EXPORT_FOLDED };
	char *out = run_export(&e, NULL);

	check_output(out,
		"cat;do_filp_open 2000\n"
		"cat;do_filp_open;path_openat 3000\n"
		"cat;getname 31000\n"
		"ls;do_sys_open 18766\n"
		"ls;do_sys_open;do_filp_open 2000\n"
		"ls;do_sys_open;do_filp_open;path_openat 15000\n"
		"ls;do_sys_open;getname 4234\n");
	free(out);
}

static void test_folded_count(void **state)
{
	struct export_opts e = { .format = EXPORT_FOLDED, .count = true };
	char *out = run_export(&e, NULL);

	check_output(out,
		"cat;do_filp_open 1\n"
		"cat;do_filp_open;path_openat 1\n"
		"cat;getname 1\n"
		"ls;do_sys_open 3\n"
		"ls;do_sys_open;do_filp_open 1\n"
		"ls;do_sys_open;do_filp_open;path_openat 1\n"
		"ls;do_sys_open;getname 3\n");
	free(out);
}

static int count_of(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static void expect_count(const char *text, const char *what, int n)
{
	if (count_of(text, what) != n)
		fail_msg("%d times '%s', not %d, in:\n%s", count_of(text, what), what, n, text);
}

static void expect_in(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("'%s' is not in:\n%s", what, text);
}

static void test_chrome(void **state)
{
	struct export_opts e = { .format = EXPORT_CHROME };
	char *out = run_export(&e, NULL);

	assert_int_equal(strncmp(out, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", 40), 0);
	/* every call one complete event, named, with its exact duration */
	expect_count(out, "\"ph\":\"B\"", 0);
	expect_count(out, "\"ph\":\"E\"", 0);
	expect_count(out, "\"ph\":\"X\"", 11);
	expect_count(out, "\"ph\":\"M\"", 6);
	expect_count(out, "\"ph\":\"i\"", 0);
	expect_in(out, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1240,\"tid\":1240,"
		  "\"args\":{\"name\":\"ls\"}},\n");
	expect_in(out, "{\"ph\":\"X\",\"name\":\"do_sys_open\",\"cat\":\"call\",\"pid\":1234,"
		  "\"tid\":1234,\"ts\":500000000.000,\"dur\":30.000,"
		  "\"args\":{\"duration_ns\":30000}},\n");
	/*
	 * getname's records are 1.3 us apart, the kernel says it ran 1.234 us
	 * (rettime - calltime): the slice is the kernel's, ending at its exit.
	 */
	expect_in(out, "{\"ph\":\"X\",\"name\":\"getname\",\"cat\":\"call\",\"pid\":1234,"
		  "\"tid\":1234,\"ts\":500000001.066,\"dur\":1.234,"
		  "\"args\":{\"duration_ns\":1234}},\n");
	expect_in(out, "{\"ph\":\"X\",\"name\":\"do_filp_open\",\"cat\":\"call\",\"pid\":5678,"
		  "\"tid\":5678,\"ts\":500000008.000,\"dur\":5.000,"
		  "\"args\":{\"duration_ns\":5000,\"no_entry\":true}},\n");
	/* getname of cat never returned: closed at the last record */
	expect_in(out, "{\"ph\":\"X\",\"name\":\"getname\",\"cat\":\"call\",\"pid\":5678,"
		  "\"tid\":5678,\"ts\":500000014.000,\"dur\":31.000,"
		  "\"args\":{\"duration_ns\":31000,\"unfinished\":true}}\n]}\n");
	free(out);
}

/* speedscope: its schema, the tasks' calls as nested O/C events, exact durations. */
static void test_speedscope(void **state)
{
	struct export_opts e = { .format = EXPORT_SPEEDSCOPE };
	char *out = run_export(&e, NULL);

	assert_int_equal(strncmp(out, "{\"$schema\":\"https://www.speedscope.app/"
				 "file-format-schema.json\",\"name\":\"calls\",", 73), 0);
	expect_in(out, "\"shared\":{\"frames\":[\n{\"name\":\"do_sys_open\"},\n{\"name\":\"getname\"},\n"
		  "{\"name\":\"do_filp_open\"},\n{\"name\":\"path_openat\"}]},\n");
	/* getname from the kernel's calltime (1.066 us) for its 1.234 us */
	expect_in(out, "{\"type\":\"evented\",\"name\":\"task 1234 ls\",\"unit\":\"nanoseconds\","
		  "\"startValue\":0,\"endValue\":45000,\"events\":[{\"type\":\"O\",\"frame\":0,"
		  "\"at\":0},{\"type\":\"O\",\"frame\":1,\"at\":1066},{\"type\":\"C\",\"frame\":1,"
		  "\"at\":2300},{\"type\":\"O\",\"frame\":2,\"at\":3000},");
	expect_in(out, "\"name\":\"task 1240 ls\",\"unit\":\"nanoseconds\",\"startValue\":5000,"
		  "\"endValue\":10000,");
	/* cat's trace began inside do_filp_open (no entry): it wraps path_openat */
	expect_in(out, "{\"type\":\"evented\",\"name\":\"task 5678 cat\",\"unit\":\"nanoseconds\","
		  "\"startValue\":8000,\"endValue\":45000,\"events\":[{\"type\":\"O\",\"frame\":2,"
		  "\"at\":8000},{\"type\":\"O\",\"frame\":3,\"at\":9000},{\"type\":\"C\",\"frame\":3,"
		  "\"at\":12000},{\"type\":\"C\",\"frame\":2,\"at\":13000},{\"type\":\"O\",\"frame\":1,"
		  "\"at\":14000},{\"type\":\"C\",\"frame\":1,\"at\":45000}]}],\n");
	expect_in(out, "\"metadata\":{\"time_origin_ns\":500000000000,\"calls_moved\":0,"
		  "\"calls_lifted\":0}}\n");
	free(out);
}

/*
 * Lagging timestamps: the builder nests getname under do_sys_open (its
 * records say so), the kernel's times say getname (8 us) ran from before
 * do_sys_open (3 us) began to near its end: it cannot fit, and is lifted to
 * run after it, at the top. path_openat's exit says it began at 8.25 us,
 * before do_filp_open (9.1 to 9.2 us) ended: they keep the kernel's order
 * (path_openat first) and do_filp_open is moved after it. Every duration
 * stays exact.
 */
static void test_speedscope_lag(void **state)
{
	const uint64_t t0 = 500000000000ULL;
	struct export_opts e = { .format = EXPORT_SPEEDSCOPE };
	struct page pg[1] = { 0 };
	const char *input;
	char *out;

	entry(&pg[0], t0, 1234, DO_SYS_OPEN, 0);
	entry(&pg[0], t0 + 1000, 1234, GETNAME, 1);
	exit_(&pg[0], t0 + 9000, 1234, GETNAME, 1, 8000);
	entry(&pg[0], t0 + 9100, 1234, DO_FILP_OPEN, 1);
	exit_(&pg[0], t0 + 9200, 1234, DO_FILP_OPEN, 1, 100);
	entry(&pg[0], t0 + 9200, 1234, PATH_OPENAT, 1);
	exit_(&pg[0], t0 + 9250, 1234, PATH_OPENAT, 1, 1000);
	exit_(&pg[0], t0 + 9500, 1234, DO_SYS_OPEN, 0, 3000);
	input = write_file(pg, 1, 7);
	out = run_export_on(&e, input, NULL);
	unlink(input);
	/* times from getname's start, 1 us */
	expect_in(out, "\"startValue\":5500,\"endValue\":16500,\"events\":["
		  "{\"type\":\"O\",\"frame\":0,\"at\":5500},"	/* do_sys_open, 3 us */
		  "{\"type\":\"O\",\"frame\":3,\"at\":7250},"	/* path_openat, 1 us */
		  "{\"type\":\"C\",\"frame\":3,\"at\":8250},"
		  "{\"type\":\"O\",\"frame\":2,\"at\":8250},"	/* do_filp_open, moved */
		  "{\"type\":\"C\",\"frame\":2,\"at\":8350},"
		  "{\"type\":\"C\",\"frame\":0,\"at\":8500},"
		  "{\"type\":\"O\",\"frame\":1,\"at\":8500},"	/* getname, 8 us, lifted */
		  "{\"type\":\"C\",\"frame\":1,\"at\":16500}]}],\n"
		  "\"metadata\":{\"time_origin_ns\":500000001000,\"calls_moved\":2,"
		  "\"calls_lifted\":1}}\n");
	free(out);
}

/* --time-range from 20 us: what began before is cut, what ends after closes at the end. */
static void test_chrome_time_range(void **state)
{
	struct export_opts e = { .format = EXPORT_CHROME };
	char *out = run_export(&e, "20000");

	/*
	 * 1234: the second do_sys_open and its getname, and the exits of
	 * do_filp_open and do_sys_open at 20 and 30 us
	 */
	expect_count(out, "\"ph\":\"B\"", 0);
	expect_count(out, "\"ph\":\"E\"", 0);
	expect_count(out, "\"ph\":\"X\"", 4);
	assert_null(strstr(out, "\"pid\":1240"));
	assert_null(strstr(out, "\"pid\":5678"));
	/* the first do_sys_open wraps the do_filp_open seen before it */
	expect_in(out, "{\"ph\":\"X\",\"name\":\"do_sys_open\",\"cat\":\"call\",\"pid\":1234,"
		  "\"tid\":1234,\"ts\":500000000.000,\"dur\":30.000,"
		  "\"args\":{\"duration_ns\":30000,\"no_entry\":true}},\n");
	free(out);
}

/* trace-cmd's function_graph: slices are the kernel's rettime - calltime. */
static void test_chrome_fgraph_fixture(void **state)
{
	struct export_opts e = { .format = EXPORT_CHROME };
	char *path = fixture("function_graph.dat");
	char *out = run_export_on(&e, path, NULL);

	expect_count(out, "\"ph\":\"B\"", 0);
	expect_count(out, "\"ph\":\"E\"", 0);
	/* --graph: "19.328 us ... mutex_unlock"; its records are 28.8 us apart */
	expect_in(out, "\"name\":\"mutex_unlock\",\"cat\":\"call\",\"pid\":134,\"tid\":134,"
		  "\"ts\":103216788.456,\"dur\":19.328,\"args\":{\"duration_ns\":19328}}");
	free(out);
	free(path);
}

/* function tracer: ip and parent_ip as report names them, from the file's kallsyms. */
static void test_chrome_function_symbols(void **state)
{
	struct export_opts e = { .format = EXPORT_CHROME };
	char *path = fixture("function.dat");
	char *out = run_export_on(&e, path, NULL);

	expect_in(out, "\"args\":{\"ip\":\"getname\",\"parent_ip\":\"__x64_sys_execve+0x18\"}}");
	assert_null(strstr(out, "\"ip\":\"0x"));
	free(out);
	free(path);
}

/* A second buffer's (-B fx1) events are labelled with their instance, the top level's not. */
static void test_chrome_instances(void **state)
{
	struct export_opts e = { .format = EXPORT_CHROME };
	char *path = fixture("multibuf.dat");
	char *out = run_export_on(&e, path, NULL);

	/* report prints 44 lines "fx1: ..." and 73 of the top level */
	expect_count(out, "\"ph\":\"i\"", 117);
	expect_count(out, "\"args\":{\"instance\":\"fx1\",", 44);
	free(out);
	free(path);
}

static void test_flamegraph(void **state)
{
	char svg[] = "/tmp/sidetrace-export-svg.XXXXXX";
	int fd = mkstemp(svg);
	struct export_opts e = { .flamegraph = svg };
	char *out, *text;

	assert_true(fd >= 0);
	close(fd);
	out = run_export(&e, NULL);
	assert_string_equal(out, "");	/* nothing on stdout */
	text = read_file(svg, NULL);
	assert_non_null(text);
	unlink(svg);
	assert_int_equal(strncmp(text, "<?xml version=\"1.0\"", 19), 0);
	expect_count(text, "<g><title>", 10);	/* all, 2 comms, 7 calls */
	expect_count(text, "<title>path_openat\n", 2);
	expect_in(text, "<title>ls\ntotal: 40.000 us (");
	expect_in(text, "<title>do_sys_open\ntotal: 40.000 us (52.63%)\nself: 18.766 us\n"
		  "calls: 3</title>");
	expect_in(text, "<title>all\ntotal: 76.000 us (100.00%)");
	assert_non_null(strstr(text, "</svg>\n"));
	/* what it shows: no file name given here, the unit and the records' time range */
	expect_in(text, ">frame width: time in calls; 500.000000 s to 500.000045 s (45.000 us)</text>");
	/* the search controls */
	expect_in(text, "<text id=\"case\" ");
	expect_in(text, "<text id=\"reset-search\" ");
	expect_in(text, "addEventListener('keydown', onKey)");
	free(text);
	free(out);
}

/* run_export() with stderr caught: *err gets its bytes (malloc'd). */
static char *run_export_err(const struct export_opts *e, char **err)
{
	char err_path[] = "/tmp/sidetrace-export-err.XXXXXX";
	int fd = mkstemp(err_path), saved = dup(2);
	char *out;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	out = run_export(e, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	*err = read_file(err_path, NULL);
	assert_non_null(*err);
	unlink(err_path);
	return out;
}

/* Every picture of a trace that lost events says so: on stderr and inside the file. */
static void test_lost_events(void **state)
{
	const char *warning = "lost events on CPU 1: unknown number; "
			      "the calls around them may be incomplete\n";
	char svg[] = "/tmp/sidetrace-export-svg.XXXXXX";
	struct export_opts chrome = { .format = EXPORT_CHROME };
	struct export_opts folded = { .format = EXPORT_FOLDED };
	struct export_opts speedscope = { .format = EXPORT_SPEEDSCOPE };
	struct export_opts flame = { .flamegraph = svg };
	int fd = mkstemp(svg);
	char *out, *err, *text;

	assert_true(fd >= 0);
	close(fd);
	example_lost = true;
	out = run_export_err(&chrome, &err);
	expect_in(out, "\n],\"metadata\":{\"lost_events\":[{\"cpu\":1,\"count\":null}]}}\n");
	expect_in(err, warning);
	free(out);
	free(err);
	out = run_export_err(&speedscope, &err);
	expect_in(out, "\"name\":\"calls (lost events on CPU 1: unknown number)\",");
	expect_in(out, "\"name\":\"task 1240 ls [lost events]\",");
	expect_in(out, ",\"lost_events\":[{\"cpu\":1,\"count\":null}]}}\n");
	expect_in(err, warning);
	free(out);
	free(err);
	out = run_export_err(&folded, &err);
	expect_in(err, warning);
	free(out);
	free(err);
	out = run_export_err(&flame, &err);
	expect_in(err, warning);
	text = read_file(svg, NULL);
	assert_non_null(text);
	unlink(svg);
	expect_in(text, "<text id=\"subtitle\" x=\"600\" y=\"38\" text-anchor=\"middle\" "
		  "style=\"font-size: 11px\">frame width: time in calls; 500.000000 s to "
		  "500.000045 s (45.000 us); lost events on CPU 1: unknown number</text>");
	free(text);
	free(out);
	free(err);
	example_lost = false;

	/* none lost: nothing said */
	out = run_export_err(&chrome, &err);
	assert_null(strstr(out, "metadata"));
	assert_string_equal(err, "");
	free(out);
	free(err);
}

/* --title, --width, --min-width: frames narrower than min_width pixels are left out, and counted. */
static void test_flamegraph_min_width(void **state)
{
	char svg[] = "/tmp/sidetrace-export-svg.XXXXXX";
	int fd = mkstemp(svg);
	struct export_opts e = { .flamegraph = svg, .title = "a & b", .width = 780,
				 .min_width = 35 };
	char *out, *text;

	assert_true(fd >= 0);
	close(fd);
	out = run_export(&e, NULL);
	text = read_file(svg, NULL);
	assert_non_null(text);
	unlink(svg);
	expect_in(text, "<svg version=\"1.1\" width=\"780\" ");
	expect_in(text, "style=\"font-size: 17px\">a &amp; b</text>");
	/* 76 us over 760 px, 10 px a us: only cat's path_openat (3 us) is narrower */
	expect_in(text, "; 1 frame narrower than 35 px left out</text>");
	expect_count(text, "<g><title>", 9);
	assert_null(strstr(text, "<title>path_openat\ntotal: 3.000 us"));
	expect_in(text, "<title>path_openat\ntotal: 15.000 us");
	free(text);
	free(out);
}

static char *folded_text(const struct stacks *s, bool count)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(stacks_write_folded(s, f, count), 0);
	fclose(f);
	return buf;
}

/* Stack-trace samples (function tracer with --func-stack); reserved characters. */
static void test_samples(void **state)
{
	const char *abc[] = { "a", "b", "c" }, *odd[] = { "x;y z" };
	struct stacks *s = stacks_new();
	char *text;

	stacks_add_sample(s, "bash", abc, 3, 1);
	stacks_add_sample(s, "bash", abc, 2, 1);
	stacks_add_sample(s, "bash", abc, 3, 1);
	stacks_add_sample(s, "my prog", odd, 1, 5);
	stacks_sort(s);
	assert_true(stacks_are_samples(s));
	text = folded_text(s, false);
	check_output(text, "bash;a;b 1\nbash;a;b;c 2\nmy_prog;x_y_z 5\n");
	free(text);
	text = folded_text(s, true);
	check_output(text, "bash;a 3\nbash;a;b 3\nbash;a;b;c 2\nmy_prog;x_y_z 5\n");
	free(text);
	assert_int_equal(stacks_root(s)->total, 8);
	stacks_free(s);
}

/*
 * By default frames narrower than a tenth of a pixel are left out, and the
 * SVG says so; min_width 0 draws them all.
 */
static void test_flamegraph_default_min_width(void **state)
{
	const char *wide[] = { "wide" }, *thin[] = { "wide", "thin" };
	struct stacks *s = stacks_new();
	struct flame_opts all = { .min_width = 0, .source = "t.dat", .first_ts = 1000000000,
				  .last_ts = 3500000000 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	/* 1180 px for 100000 samples: one sample is 0.0118 px */
	stacks_add_sample(s, "prog", wide, 1, 99999);
	stacks_add_sample(s, "prog", thin, 2, 1);
	stacks_sort(s);
	f = open_memstream(&buf, &len);
	assert_int_equal(flame_write_svg(f, s, NULL), 0);
	fclose(f);
	expect_count(buf, "<g><title>", 3);
	expect_in(buf, ">frame width: stack-trace samples; 1 frame narrower than 0.1 px left out</text>");
	free(buf);
	f = open_memstream(&buf, &len);
	assert_int_equal(flame_write_svg(f, s, &all), 0);
	fclose(f);
	expect_count(buf, "<g><title>", 4);
	assert_null(strstr(buf, "left out"));
	expect_in(buf, ">t.dat; frame width: stack-trace samples; 1.000000 s to 3.500000 s "
		  "(2.500 s)</text>");
	free(buf);
	stacks_free(s);
}

/* Colours: stable per name, warm for functions, blue for comms. */
static void test_colors(void **state)
{
	unsigned char a[3], b[3], c[3];

	flame_color("do_sys_open", false, a);
	flame_color("do_sys_open", false, b);
	assert_memory_equal(a, b, 3);
	assert_true(a[0] >= 205 && a[2] < 55);
	flame_color("ls", true, c);
	assert_true(c[2] >= 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_folded_count),
		cmocka_unit_test(test_chrome),
		cmocka_unit_test(test_chrome_time_range),
		cmocka_unit_test(test_speedscope),
		cmocka_unit_test(test_speedscope_lag),
		cmocka_unit_test(test_chrome_fgraph_fixture),
		cmocka_unit_test(test_chrome_function_symbols),
		cmocka_unit_test(test_chrome_instances),
		cmocka_unit_test(test_lost_events),
		cmocka_unit_test(test_flamegraph_min_width),
		cmocka_unit_test(test_flamegraph),
		cmocka_unit_test(test_flamegraph_default_min_width),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_colors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
