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

#include "export.h"
#include "export_flame.h"
#include "export_folded.h"
#include "report.h"
#include "tracedat.h"
#include "util.h"

#define PAGE_SIZE 4096
#define ENTRY_ID 11
#define EXIT_ID 10

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

/* The formats of this 6.18 kernel (trace-dat.md 1.7). */
static const char entry_format[] =
	"name: funcgraph_entry\n"
	"ID: 11\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long func;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int depth;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long args[];\toffset:24;\tsize:0;\tsigned:0;\n"
	"\n"
	"print fmt: \"--> %ps (%u)\", (void *)REC->func, REC->depth\n";

static const char exit_format[] =
	"name: funcgraph_exit\n"
	"ID: 10\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long func;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int depth;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int overrun;\toffset:20;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long long calltime;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long long rettime;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"<-- %ps (%u) (start: %llx  end: %llx) over: %u\", (void *)REC->func, "
	"REC->depth, REC->calltime, REC->rettime, REC->depth\n";

static const char kallsyms[] =
	"ffffffff81000100 T do_sys_open\n"
	"ffffffff81000200 T getname\n"
	"ffffffff81000300 T do_filp_open\n"
	"ffffffff81000400 T path_openat\n"
	"ffffffff81000500 T slow_leaf\n"
	"ffffffff81000600 T huge_leaf\n"
	"ffffffff81000700 T zzz_end\n";

enum { DO_SYS_OPEN = 1, GETNAME, DO_FILP_OPEN, PATH_OPENAT, SLOW_LEAF, HUGE_LEAF };
#define FUNC(n) (0xffffffff81000000ULL + (n) * 0x100)

/* One CPU's ring-buffer page under construction. */
struct page {
	unsigned char data[PAGE_SIZE];
	size_t len;		/* bytes of events */
	uint64_t ts;		/* timestamp of the last event */
	bool started;
};

static void put_event(struct page *pg, uint64_t ts, const void *payload, size_t size)
{
	uint32_t header;

	if (!pg->started) {
		memcpy(pg->data, &ts, 8);
		pg->ts = ts;
		pg->started = true;
	}
	assert_true(ts - pg->ts < (1u << 27));
	assert_true(size % 4 == 0 && size <= 112);
	header = (uint32_t)(size / 4) | (uint32_t)((ts - pg->ts) << 5);
	assert_true(16 + pg->len + 4 + size <= PAGE_SIZE);
	memcpy(pg->data + 16 + pg->len, &header, 4);
	memcpy(pg->data + 16 + pg->len + 4, payload, size);
	pg->len += 4 + size;
	pg->ts = ts;
	memcpy(pg->data + 8, &(uint64_t){ pg->len }, 8);
}

static void put_common(unsigned char *p, uint16_t type, int32_t pid)
{
	memset(p, 0, 8);
	memcpy(p, &type, 2);
	memcpy(p + 4, &pid, 4);
}

static void entry(struct page *pg, uint64_t ts, int pid, int func, uint32_t depth)
{
	unsigned char p[24] = { 0 };
	uint64_t addr = FUNC(func);

	put_common(p, ENTRY_ID, pid);
	memcpy(p + 8, &addr, 8);
	memcpy(p + 16, &depth, 4);
	put_event(pg, ts, p, sizeof(p));
}

/* An exit at ts for a call that lasted duration ns. */
static void exit_(struct page *pg, uint64_t ts, int pid, int func, uint32_t depth,
		  uint64_t duration)
{
	unsigned char p[40] = { 0 };
	uint64_t addr = FUNC(func), rettime = ts, calltime = ts - duration;

	put_common(p, EXIT_ID, pid);
	memcpy(p + 8, &addr, 8);
	memcpy(p + 16, &depth, 4);
	memcpy(p + 24, &calltime, 8);
	memcpy(p + 32, &rettime, 8);
	put_event(pg, ts, p, sizeof(p));
}

/* Write a trace.dat of nr_cpus pages; returns its path (static buffer). */
static const char *write_file(struct page *pages, int nr_cpus, int version)
{
	static char path[64];
	struct td_meta meta = { 0 };
	struct td_cpu_input cpus[4];
	int fd;

	meta.file_version = version;
	meta.long_size = 8;
	meta.page_size = PAGE_SIZE;
	td_blob_set(&meta.header_page, header_page, strlen(header_page));
	meta.ftrace_formats = xcalloc(2, sizeof(struct td_blob));
	td_blob_set(&meta.ftrace_formats[0], entry_format, strlen(entry_format));
	td_blob_set(&meta.ftrace_formats[1], exit_format, strlen(exit_format));
	meta.nr_ftrace_formats = 2;
	td_blob_set(&meta.kallsyms, kallsyms, strlen(kallsyms));
	td_blob_set(&meta.cmdlines, "1234 ls\n1240 ls\n5678 cat\n", 25);
	meta.trace_clock = xstrdup("[local] global counter\n");
	meta.clock = xstrdup("local");
	meta.nr_cpus = nr_cpus;

	for (int i = 0; i < nr_cpus; i++) {
		char tmp[] = "/tmp/sidetrace-export-cpu.XXXXXX";

		cpus[i].fd = mkstemp(tmp);
		assert_true(cpus[i].fd >= 0);
		unlink(tmp);
		cpus[i].size = pages[i].started ? PAGE_SIZE : 0;
		if (cpus[i].size)
			assert_int_equal(pwrite(cpus[i].fd, pages[i].data, PAGE_SIZE, 0),
					 PAGE_SIZE);
	}
	snprintf(path, sizeof(path), "/tmp/sidetrace-export.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	if (td_write(fd, &meta, cpus) < 0)
		fail_msg("td_write: %s", st_last_error());
	close(fd);
	for (int i = 0; i < nr_cpus; i++)
		close(cpus[i].fd);
	td_meta_free(&meta);
	return path;
}


/*
 * ls (1234) calls do_sys_open twice on CPU 0; another ls thread (1240) once
 * on CPU 1; cat's (5678) trace starts inside do_filp_open -> path_openat (exits
 * only), then its getname never returns.
 */
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
	return write_file(pg, 2, 7);
}

/* report_run() with the export options in e; returns stdout's bytes (malloc'd). */
static char *run_export(const struct export_opts *e, const char *time_range_from)
{
	struct report_opts o = { .input = example_file(), .exp = *e };
	char out_path[] = "/tmp/sidetrace-export-out.XXXXXX";
	int fd = mkstemp(out_path);
	struct export *x;
	char *text;

	assert_true(fd >= 0);
	if (time_range_from)
		o.time_from = 500000000000ULL + strtoull(time_range_from, NULL, 10);
	x = export_new(&o, fd);
	if (report_run(&o, fd) < 0)
		fail_msg("report_run: %s", st_last_error());
	close(fd);
	text = read_file(out_path, NULL);
	assert_non_null(text);
	unlink(out_path);
	unlink(o.input);
	export_free(x);
	report_opts_free(&o);
	return text;
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
	expect_count(out, "\"ph\":\"B\"", 9);
	expect_count(out, "\"ph\":\"E\"", 9);
	expect_count(out, "\"ph\":\"X\"", 2);
	expect_count(out, "\"ph\":\"M\"", 6);
	expect_count(out, "\"ph\":\"i\"", 0);
	expect_in(out, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1240,\"tid\":1240,"
		  "\"args\":{\"name\":\"ls\"}},\n");
	expect_in(out, "{\"ph\":\"B\",\"name\":\"do_sys_open\",\"cat\":\"call\",\"pid\":1234,"
		  "\"tid\":1234,\"ts\":500000000.000},\n");
	/* path_openat's exit is at 19 us; its call began 15 us before */
	expect_in(out, "{\"ph\":\"E\",\"pid\":1234,\"tid\":1234,\"ts\":500000019.000},\n");
	expect_in(out, "{\"ph\":\"X\",\"name\":\"do_filp_open\",\"cat\":\"call\",\"pid\":5678,"
		  "\"tid\":5678,\"ts\":500000008.000,\"dur\":5.000,"
		  "\"args\":{\"no_entry\":true}},\n");
	/* getname of cat never returned: closed at the last record */
	expect_in(out, "{\"ph\":\"E\",\"pid\":5678,\"tid\":5678,\"ts\":500000045.000,"
		  "\"args\":{\"unfinished\":true}}\n]}\n");
	free(out);
}

/* --time-range from 20 us: what began before is cut, what ends after closes at the end. */
static void test_chrome_time_range(void **state)
{
	struct export_opts e = { .format = EXPORT_CHROME };
	char *out = run_export(&e, "20000");

	/* 1234: the second do_sys_open and its getname */
	expect_count(out, "\"ph\":\"B\"", 2);
	expect_count(out, "\"ph\":\"E\"", 2);
	/* 1234's do_filp_open and do_sys_open exits at 20 and 30 us */
	expect_count(out, "\"ph\":\"X\"", 2);
	assert_null(strstr(out, "\"pid\":1240"));
	assert_null(strstr(out, "\"pid\":5678"));
	/* the first do_sys_open wraps the do_filp_open seen before it */
	expect_in(out, "{\"ph\":\"X\",\"name\":\"do_sys_open\",\"cat\":\"call\",\"pid\":1234,"
		  "\"tid\":1234,\"ts\":500000000.000,\"dur\":30.000,"
		  "\"args\":{\"no_entry\":true}},\n");
	free(out);
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
		cmocka_unit_test(test_flamegraph),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_colors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
