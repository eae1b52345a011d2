// SPDX-License-Identifier: GPL-2.0
/*
 * The report line helpers against libtraceevent itself: each must print
 * exactly what tep_print_event() prints with trace-cmd 3.1.6's format strings.
 * Also the CPU list parser and the function_graph duration column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "report/fgraph.h"
#include "tracedat/fgraph_text.h"
#include "cmds.h"
#include "report/report.h"
#include "report_opts.h"

static const char test_format[] =
	"name: test_ev\n"
	"ID: 42\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int value;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"value=%d\", REC->value\n";

struct fixture {
	struct tep_handle *tep;
	struct tep_record rec;
	unsigned char data[12];
	struct trace_seq seq;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->tep = tep_alloc();
	tep_set_file_bigendian(fx->tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(fx->tep, TEP_LITTLE_ENDIAN);
	tep_set_long_size(fx->tep, 8);
	assert_int_equal(tep_parse_event(fx->tep, test_format, strlen(test_format), "test"), 0);
	tep_register_comm(fx->tep, "ls", 1234);
	tep_register_comm(fx->tep, "a-very-long-comm", 77);
	fx->data[0] = 42;
	fx->rec.data = fx->data;
	fx->rec.size = sizeof(fx->data);
	trace_seq_init(&fx->seq);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	trace_seq_destroy(&fx->seq);
	tep_free(fx->tep);
	free(fx);
	return 0;
}

static void set_pid(struct fixture *fx, int pid)
{
	memcpy(fx->data + 4, &pid, 4);
}

static void check_time(struct fixture *fx, uint64_t ts)
{
	static const struct {
		enum report_time_mode mode;
		const char *fmt;
	} modes[] = {
		{ REPORT_TIME_USECS, " %6.1000d:" },
		{ REPORT_TIME_NSECS, " %9.1d:" },
		{ REPORT_TIME_RAW, "%12d:" },
	};
	char buf[REPORT_TIME_MAX + 1];

	fx->rec.ts = ts;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char *end = report_put_time(buf, ts, modes[i].mode);

		*end = '\0';
		trace_seq_reset(&fx->seq);
		tep_print_event(fx->tep, &fx->seq, &fx->rec, modes[i].fmt, TEP_PRINT_TIME);
		trace_seq_terminate(&fx->seq);
		assert_true(end - buf <= REPORT_TIME_MAX);
		if (strcmp(buf, fx->seq.buffer))
			fail_msg("ts %llu fmt '%s': ours '%s', libtraceevent '%s'",
				 (unsigned long long)ts, modes[i].fmt, buf, fx->seq.buffer);
	}
}

static void test_time_matches_libtraceevent(void **state)
{
	static const uint64_t stamps[] = {
		0, 1, 499, 500, 999, 1000, 999999, 1000000, 1000499, 1000500, 999999999,
		1000000000, 1000000001, 1000000499, 1000000500, 1000001500, 500000000000ULL,
		500000000499ULL, 500000000500ULL, 385012646123ULL, 99999999999999ULL,
		123456789012345ULL, 1ULL << 40, 1ULL << 62, UINT64_MAX - 1000, UINT64_MAX,
	};
	struct fixture *fx = *state;

	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++)
		check_time(fx, stamps[i]);
	for (uint64_t ts = 999000; ts < 1002000; ts += 7)
		check_time(fx, ts);
}

static void check_comm_pid_cpu(struct fixture *fx, int pid, int cpu)
{
	char buf[128];
	char *end;

	set_pid(fx, pid);
	fx->rec.cpu = cpu;
	end = report_put_comm_pid_cpu(buf, tep_data_comm_from_pid(fx->tep, pid), pid, cpu);
	*end = '\0';
	trace_seq_reset(&fx->seq);
	tep_print_event(fx->tep, &fx->seq, &fx->rec, "%16s-%-5d [%03d]", TEP_PRINT_COMM,
			TEP_PRINT_PID, TEP_PRINT_CPU);
	trace_seq_terminate(&fx->seq);
	if (strcmp(buf, fx->seq.buffer))
		fail_msg("pid %d cpu %d: ours '%s', libtraceevent '%s'", pid, cpu, buf,
			 fx->seq.buffer);
}

static void test_comm_pid_cpu_matches_libtraceevent(void **state)
{
	static const int pids[] = { 0, 1, 77, 1234, 12345, 123456, 99999999, -1, -42 };
	static const int cpus[] = { 0, 1, 9, 10, 99, 100, 999, 1000, 4095, -1, -12 };
	struct fixture *fx = *state;

	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++)
		for (size_t j = 0; j < sizeof(cpus) / sizeof(cpus[0]); j++)
			check_comm_pid_cpu(fx, pids[i], cpus[j]);
}

static void check_name(const char *name, const char *expect)
{
	char buf[128];
	char *end = report_put_event_name(buf, name);

	*end = '\0';
	assert_string_equal(buf, expect);
}

static void test_event_name_padding(void **state)
{
	check_name("sched_switch", " sched_switch:         ");
	check_name("funcgraph_entry", " funcgraph_entry:      ");
	check_name("sys_enter_openat", " sys_enter_openat:     ");
	check_name("abcdefghijklmnopqrst", " abcdefghijklmnopqrst: ");
	check_name("sched_wake_idle_without_ipi", " sched_wake_idle_without_ipi: ");
	check_name("", " :                     ");
}

/* The digit counts, against snprintf, at every power of 10 and of 2 and either side of them. */
static void check_lens(uint64_t v)
{
	char buf[32], put[32];

	assert_int_equal(report_dec_len(v), snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v));
	assert_int_equal(report_hex_len(v), snprintf(buf, sizeof(buf), "%llx", (unsigned long long)v));
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	*report_put_u64(put, v) = '\0';
	assert_string_equal(put, buf);
}

static void test_digit_counts(void **state)
{
	uint64_t p = 1;

	for (int i = 0; i < 20; i++, p *= 10) {
		check_lens(p - 1);
		check_lens(p);
		check_lens(p + 1);
	}
	for (int i = 0; i < 64; i++) {
		check_lens((1ULL << i) - 1);
		check_lens(1ULL << i);
		check_lens((1ULL << i) + 1);
	}
	check_lens(UINT64_MAX);
}

static void test_time_mode_by_clock(void **state)
{
	assert_int_equal(report_time_mode("local", false), REPORT_TIME_USECS);
	assert_int_equal(report_time_mode("global", false), REPORT_TIME_USECS);
	assert_int_equal(report_time_mode("mono_raw", false), REPORT_TIME_USECS);
	assert_int_equal(report_time_mode("perf", true), REPORT_TIME_NSECS);
	assert_int_equal(report_time_mode(NULL, false), REPORT_TIME_USECS);
	/* 3.1.6 leaves boot out of its list of nanosecond clocks */
	assert_int_equal(report_time_mode("boot", false), REPORT_TIME_RAW);
	assert_int_equal(report_time_mode("counter", true), REPORT_TIME_RAW);
	assert_int_equal(report_time_mode("x86-tsc", false), REPORT_TIME_RAW);
}

static void check_cpulist(const char *s, const char *expect)
{
	char got[64] = "";
	bool *mask = NULL;
	int len = 0;

	assert_int_equal(report_parse_cpulist(s, &mask, &len), 0);
	for (int i = 0; i < len && i < 63; i++)
		got[i] = mask[i] ? '1' : '0';
	got[len < 63 ? len : 63] = '\0';
	assert_string_equal(got, expect);
	free(mask);
}

static void test_cpulist(void **state)
{
	bool *mask = NULL;
	int len;

	check_cpulist("0", "1");
	check_cpulist("2", "001");
	check_cpulist("0,2-3", "1011");
	check_cpulist("3-3", "0001");
	check_cpulist("1:4", "01001");
	check_cpulist("5,1", "010001");
	check_cpulist(" 1, 2", "011");
	check_cpulist("0,", "1");
	assert_int_equal(report_parse_cpulist("", &mask, &len), -1);
	assert_int_equal(report_parse_cpulist("a", &mask, &len), -1);
	assert_int_equal(report_parse_cpulist("3-1", &mask, &len), -1);
	assert_int_equal(report_parse_cpulist("1-", &mask, &len), -1);
	assert_int_equal(report_parse_cpulist("1;2", &mask, &len), -1);
	assert_int_equal(report_parse_cpulist("99999999", &mask, &len), -1);
	assert_null(mask);
}

static void check_duration(uint64_t ns, const char *expect)
{
	struct trace_seq s;

	trace_seq_init(&s);
	trace_seq_puts(&s, fgraph_overhead_mark(ns));
	fgraph_put_duration(&s, ns, NULL);
	trace_seq_terminate(&s);
	assert_string_equal(s.buffer, expect);
	trace_seq_destroy(&s);
}

/* Expected strings: Documentation/trace-dat.md 2.1 (trace-cmd 3.1.6 output). */
static void test_fgraph_duration(void **state)
{
	check_duration(1234, "  1.234 us   |  ");
	check_duration(15000, "+ 15.000 us  |  ");
	check_duration(150000, "! 150.000 us |  ");
	check_duration(2003000, "# 2003.000 us |  ");
	check_duration(2500000000ULL, "$ 2500000 us |  ");
	check_duration(12345678000ULL, "$ 12345678 us |  ");
	check_duration(0, "  0.000 us   |  ");
	/* the marks compare strictly */
	check_duration(10000, "  10.000 us  |  ");
	check_duration(10001, "+ 10.001 us  |  ");
	check_duration(100000, "+ 100.000 us |  ");
	check_duration(1000000, "! 1000.000 us |  ");
	check_duration(1000000000ULL, "# 1000000 us |  ");
	check_duration(1000000001ULL, "$ 1000000 us |  ");
}

static void test_fgraph_marks(void **state)
{
	assert_string_equal(fgraph_overhead_mark(0), "  ");
	assert_string_equal(fgraph_overhead_mark(10000), "  ");
	assert_string_equal(fgraph_overhead_mark(10001), "+ ");
	assert_string_equal(fgraph_overhead_mark(100001), "! ");
	assert_string_equal(fgraph_overhead_mark(1000001), "# ");
	assert_string_equal(fgraph_overhead_mark(1000000001), "$ ");
}

static void test_parse_args(void **state)
{
	char *argv1[] = { "report", "-i", "x.dat", "--cpu", "0,2", "--pid", "1,2", "-t", "-R",
			  "-N", "-O", "fgraph:depth", "-F", "sched_switch", "--comm", "ls", NULL };
	char *argv2[] = { "report", "y.dat", NULL };
	char *argv3[] = { "report", "--bogus", NULL };
	char *argv4[] = { "report", "--pid", "12x", NULL };
	char *argv5[] = { "report", "--help", NULL };
	char *argv6[] = { "report", "-i", NULL };
	struct report_cmdline a;
	struct report_opts *o = &a.report;

	assert_int_equal(report_parse_args(16, argv1, &a), 0);
	assert_string_equal(o->input, "x.dat");
	assert_int_equal(o->cpu_mask_len, 3);
	assert_true(o->cpu_mask[0] && !o->cpu_mask[1] && o->cpu_mask[2]);
	assert_int_equal(o->pids.nr, 2);
	assert_true(o->nsec && o->raw && o->no_plugins);
	assert_string_equal(o->plugin_opts.items[0], "fgraph:depth");
	assert_string_equal(o->filters.items[0], "sched_switch");
	assert_string_equal(o->comms.items[0], "ls");
	report_opts_free(o);

	assert_int_equal(report_parse_args(2, argv2, &a), 0);
	assert_string_equal(o->input, "y.dat");
	report_opts_free(o);

	assert_int_equal(report_parse_args(2, argv3, &a), -1);
	report_opts_free(o);
	assert_int_equal(report_parse_args(3, argv4, &a), -1);
	report_opts_free(o);
	assert_int_equal(report_parse_args(2, argv5, &a), 1);
	report_opts_free(o);
	assert_int_equal(report_parse_args(2, argv6, &a), -1);
	report_opts_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_time_matches_libtraceevent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comm_pid_cpu_matches_libtraceevent, setup,
						teardown),
		cmocka_unit_test(test_event_name_padding),
		cmocka_unit_test(test_digit_counts),
		cmocka_unit_test(test_time_mode_by_clock),
		cmocka_unit_test(test_cpulist),
		cmocka_unit_test(test_fgraph_duration),
		cmocka_unit_test(test_fgraph_marks),
		cmocka_unit_test(test_parse_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
