// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled print formats (lib/report_fast.c) against libtraceevent: for events
 * covering every field size, signedness, cast, array element, string kind,
 * operator, table, function lookup and printf flag the compiler accepts, the text must equal tep_print_event()'s
 * INFO for many values, edge values included. Formats it must refuse are
 * checked too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "report/report_fast.h"

#define COMMON \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

#define FIELDS \
	"\tfield:u8 a8;\toffset:8;\tsize:1;\tsigned:0;\n" \
	"\tfield:s8 b8;\toffset:9;\tsize:1;\tsigned:1;\n" \
	"\tfield:short a16;\toffset:10;\tsize:2;\tsigned:1;\n" \
	"\tfield:int a32;\toffset:12;\tsize:4;\tsigned:1;\n" \
	"\tfield:unsigned int u32;\toffset:16;\tsize:4;\tsigned:0;\n" \
	"\tfield:long a64;\toffset:24;\tsize:8;\tsigned:1;\n" \
	"\tfield:unsigned long u64;\toffset:32;\tsize:8;\tsigned:0;\n" \
	"\tfield:unsigned long args[3];\toffset:40;\tsize:24;\tsigned:0;\n" \
	"\tfield:char comm[16];\toffset:64;\tsize:16;\tsigned:0;\n" \
	"\tfield:__data_loc char[] name;\toffset:80;\tsize:4;\tsigned:0;\n\n"

#define RECORD_SIZE 128

struct fmt_case {
	const char *print_fmt;
	bool compiles;
};

/* Formats the compiler must accept (and print exactly as libtraceevent does). */
static const struct fmt_case cases[] = {
	{ "\"a8=%d b8=%d a16=%d a32=%d u32=%u\", REC->a8, REC->b8, REC->a16, REC->a32, REC->u32",
	  true },
	{ "\"%ld %lu %lx %lld %llu %llx\", REC->a32, REC->a32, REC->a32, REC->a64, REC->a64, "
	  "REC->a64", true },
	{ "\"%d %u %x %X\", REC->a64, REC->u64, REC->a64, REC->u64", true },
	{ "\"[%5d] [%-5d] [%05d] [%-05d] [%3d]\", REC->a32, REC->a32, REC->a32, REC->a32, REC->a8",
	  true },
	{ "\"%#x %#lx %#08lx %08lx %-#10x| %#X\", REC->u32, REC->u64, REC->a64, REC->u64, "
	  "REC->u32, REC->u32", true },
	{ "\"dfd: 0x%08lx, flags: 0x%08lx\", ((unsigned long)(REC->a32)), "
	  "((unsigned long)(REC->u64))", true },
	{ "\"%d %u %x\", (int)REC->a64, (unsigned int)REC->u64, (u32)REC->a64", true },
	{ "\"%ld %lu %lx %lld\", (int)REC->a64, (unsigned int)REC->a64, (u32)REC->u64, "
	  "(s32)REC->a64", true },
	{ "\"%ld\", (long)REC->a32", true },
	{ "\"NR %ld (%lx, %lx, %lx)\", REC->a64, REC->args[0], REC->args[1], REC->args[2]",
	  true },
	{ "\"comm=%s [%16s] [%-16s] name=%s|%-8s|\", REC->comm, REC->comm, REC->comm, "
	  "__get_str(name), __get_str(name)", true },
	{ "\"100%% %d%%\", REC->a8", true },
	{ "\"no conversions at all\"", true },
	{ "\"target_cpu=%03d prio=%d\", REC->a32, REC->a16", true },
	/* escapes, as kprobe formats have them */
	{ "\"(%lx) path=\\\"%s\\\" flags=0x%x\", REC->u64, __get_str(name), REC->u32", true },
	{ "\"a\\tb\\\\c\\qd %d\\n\", REC->a32", true },
	{ "\"%d\\n\", REC->a32", true },
	{ "\"(%lx <- %lx) ret=%Ld %Lu %Lx\", REC->u64, REC->u64, REC->a64, REC->a64, REC->a32",
	  true },
	/* symbol tables, values in and out of them */
	{ "\"%s\", __print_symbolic(REC->a8, { 0, \"ZERO\" }, { 1, \"ONE\" }, { 128, \"BIG\" })",
	  true },
	{ "\"[%-8s] [%8s] %s\", __print_symbolic(REC->b8, { 1, \"x\" }), "
	  "__print_symbolic(REC->u32, { 0xffffffff, \"all\" }, { 5, \"five\" }), "
	  "__print_symbolic(REC->a64, { 0x8000000000000000, \"min\" }, { 17, \"\" })", true },
	{ "\"vec=%u [action=%s]\", REC->u32, __print_symbolic((int)REC->a64, { 0, \"HI\" }, "
	  "{ 1, \"TIMER\" }, { 9, \"RCU\" })", true },
	{ "\"%s\", __print_flags(REC->u32, \"|\", { 1, \"A\" })", true },
	{ "\"f=%s g=[%-4s]\", __print_flags(REC->u32, \"|\", { 1, \"A\" }, { 2, \"B\" }, "
	  "{ 0x80000000, \"TOP\" }, { 0x300, \"PAIR\" }), "
	  "__print_flags(REC->a64, \"\", { 0x10, \"s\" }, { 0x8000000000000000, \"m\" })", true },
	{ "\"%s\", __print_flags(REC->a16, \", \", { 0, \"NONE\" }, { 1, \"ONE\" })", true },
	/* choices and short conversions, as sched_process_exit and task_rename have them */
	{ "\"dead=%s [%-6s] [%5s]\", REC->a8 ? \"true\" : \"false\", REC->a32 ? \"yes\" : \"\", "
	  "(int)REC->a64 ? \"x\" : \"y\"", true },
	{ "\"adj=%hd %hu %hx %hhd %hhu %hhx %05hd\", REC->a16, REC->a32, REC->a64, REC->a32, "
	  "REC->a16, REC->u64, REC->b8", true },
	{ "\"hrtimer=%p timer=%p %p|\", REC->u64, REC->a32, REC->a8", true },
	/* kernel functions, found (the values are masked into the registered ones) or not */
	{ "\"function=%ps %pS %pf %pF|\", REC->u64 & 0x1fff, REC->u64 & 0x1fff, REC->a64, "
	  "(REC->a32 & 0xfff) + 0x1000", true },
	{ "\"%ps:%pS\", (void *)REC->u64, REC->a8 << 8", true },
	/* arithmetic as eval_num_arg() does it: 64-bit unsigned, casts as masks */
	{ "\"timeout=%ld cpu=%u idx=%u %lu %d\", (long)REC->a64 - REC->u64, REC->u32 & 0x0003FFFF, "
	  "REC->u32 >> 22, REC->u64 * 3 + 7, -REC->a32", true },
	{ "\"%llu %llu %d %d %d %d %d %d %d %d\", REC->u64 / 10, REC->u64 % 7, REC->a32 == REC->u32, "
	  "REC->a8 != 0, REC->a16 < REC->a32, REC->a16 <= 5, REC->a64 > REC->u64, REC->a8 >= 128, "
	  "REC->a8 && REC->b8, REC->a8 || REC->b8", true },
	{ "\"%lx %x %d %lx %lu\", ~REC->u64, !REC->a8, (u8)(REC->a32 + 1), REC->u64 << 4 | 1, "
	  "(unsigned char)REC->a16 + (s16)REC->a64", true },
	{ "\"%d %x\", (char)REC->a32, (short)REC->u64", true },
	{ "\"%s\", __print_flags(REC->u32 & (0x00040000 | 0x00080000 | 0x00100000), \"|\", "
	  "{ 0x00040000, \"M\" }, { 0x00080000, \"D\" }, { 0x00100000, \"P\" })", true },
	{ "\"[%s] %s\", __print_symbolic(REC->u32 >> 30, { 0, \"zero\" }, { 3, \"three\" }), "
	  "REC->a32 & 0x100 ? \"+\" : \"\"", true },
	/* a table on a side of a choice, as sched_switch's prev_state */
	{ "\"prev_state=%s%s [%-6s]\", (REC->a64 & ((((0x0 | 0x1 | 0x2 | 0x4) + 1) << 1) - 1)) ? "
	  "__print_flags(REC->a64 & ((((0x0 | 0x1 | 0x2 | 0x4) + 1) << 1) - 1), \"|\", "
	  "{ 0x1, \"S\" }, { 0x2, \"D\" }, { 0x4, \"T\" }, { 0x8, \"t\" }) : \"R\", "
	  "REC->a64 & 16 ? \"+\" : \"\", REC->a8 & 1 ? \"odd\" : "
	  "__print_symbolic(REC->a8, { 0, \"zero\" }, { 2, \"two\" })", true },
	/* table values that are names: the few libtraceevent knows, -1 for the others */
	{ "\"%s %s\", __print_symbolic(REC->a8 & 15, { HI_SOFTIRQ, \"HI\" }, { TIMER_SOFTIRQ, "
	  "\"TIMER\" }, { RCU_SOFTIRQ, \"RCU\" }, { HRTIMER_RESTART, \"RESTART\" }), "
	  "__print_symbolic(REC->u32, { HRTIMER_MODE_ABS, \"ABS\" }, { 2, \"TWO\" })", true },
	{ "\"%s|%s\", __print_symbolic(REC->a64, { HRTIMER_MODE_REL, \"REL\" }, { 1, \"ONE\" }), "
	  "__print_flags(REC->a16, \"|\", { SCHED_SOFTIRQ, \"S\" }, { NOT_A_NAME, \"NONE\" })",
	  true },
	/* refused: libtraceevent's own machinery needed, or it would fail itself */
	{ "\"%8p\", REC->u64", false },
	{ "\"%10ps\", REC->u64", false },
	{ "\"%d\", REC->a32 / REC->a8", false },
	{ "\"%d\", REC->a32 % 0", false },
	{ "\"%d\", REC->a32 << 64", false },
	{ "\"%d\", REC->a32 << REC->a8", false },
	{ "\"%d\", REC->a32 ^ 1", false },
	{ "\"%d\", REC->a32 + NAME", false },
	{ "\"%.3d\", REC->a32", false },
	{ "\"%*d\", REC->a32, REC->a32", false },
	{ "\"%hs\", REC->comm", false },
	{ "\"%s\", REC->a8 ? REC->comm : \"none\"", false },
	{ "\"%c\", REC->a8", false },
	{ "\"%s\", REC->u64", false },
	{ "\"%d\", __print_flags(REC->u32, \"|\", { 1, \"A\" })", false },
	{ "\"%s\", __print_symbolic(REC->u32, { 1, \"A\" }), REC->u32", false },
	{ "\"%d\", REC->a32, REC->a16", false },
	{ "\"%d %d\", REC->a32", false },
	/* the cast applies to the array, not the element: libtraceevent reads it as a pointer */
	{ "\"%lx\", (unsigned long)REC->args[1]", false },
};

static struct tep_handle *tep;

static int setup(void **state)
{
	char fmt[4096];

	tep = tep_alloc();
	tep_set_file_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_long_size(tep, 8);
	/* for %ps: functions at 0x1000.. (a lookup between two gives the lower one) */
	tep_register_function(tep, "alpha", 0x1000, NULL);
	tep_register_function(tep, "beta_function", 0x1080, NULL);
	tep_register_function(tep, "gamma", 0x1800, "mod");
	tep_register_function(tep, "delta", 0x1f00, NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(fmt, sizeof(fmt), "name: ev%zu\nID: %zu\nformat:\n" COMMON FIELDS
			 "print fmt: %s\n", i, 100 + i, cases[i].print_fmt);
		if (tep_parse_event(tep, fmt, strlen(fmt), "test"))
			fail_msg("cannot parse case %zu: %s", i, cases[i].print_fmt);
	}
	return 0;
}

static int teardown(void **state)
{
	tep_free(tep);
	return 0;
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A record for event id with field bytes from rnd, or the edge value pattern. */
static void fill_record(unsigned char *data, int id, uint64_t *rnd, int round)
{
	static const uint64_t edges[] = { 0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
					  0x7fffffff, 0x80000000, 0xffffffff, 1ULL << 32,
					  0x7fffffffffffffffULL, 0x8000000000000000ULL,
					  0xffffffffffffffffULL, 12345, 0xdeadbeef };
	uint16_t type = id;
	const char *names[] = { "", "x", "openat", "a-name-of-some-length" };
	const char *name = names[round % 4];
	uint32_t loc;

	memset(data, 0, RECORD_SIZE);
	memcpy(data, &type, 2);
	for (int off = 8; off < 64; off += 8) {
		uint64_t v = round < 17 ? edges[(round + off / 8) % 17] : next_rand(rnd);

		if (round % 3 == 1)
			v = -v;
		memcpy(data + off, &v, 8);
	}
	/* comm: sometimes full 16 bytes without a NUL, sometimes short */
	if (round % 5 == 0)
		memcpy(data + 64, "abcdefghijklmnop", 16);
	else
		memcpy(data + 64, "ls", 3);
	loc = 96 | (uint32_t)(strlen(name) + 1) << 16;
	memcpy(data + 80, &loc, 4);
	memcpy(data + 96, name, strlen(name) + 1);
}

static void test_matches_libtraceevent(void **state)
{
	struct report_fast *f = report_fast_new(tep);
	unsigned char data[RECORD_SIZE];
	struct tep_record rec = { .data = data, .size = RECORD_SIZE };
	uint64_t rnd = 88172645463325252ULL;
	struct trace_seq s;
	char *buf;

	trace_seq_init(&s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tep_event *ev = tep_find_event(tep, 100 + i);
		struct fast_fmt *ff;

		assert_non_null(ev);
		ff = report_fast_get(f, ev);
		if (!cases[i].compiles) {
			if (ff)
				fail_msg("case %zu should not compile: %s", i, cases[i].print_fmt);
			continue;
		}
		if (!ff)
			fail_msg("case %zu does not compile: %s", i, cases[i].print_fmt);
		buf = malloc(report_fast_max_len(ff) + 1);
		for (int round = 0; round < 400; round++) {
			int n;

			fill_record(data, 100 + i, &rnd, round);
			n = report_fast_format(ff, tep, &rec, buf);
			assert_true(n >= 0 && (size_t)n <= report_fast_max_len(ff));
			buf[n] = '\0';
			trace_seq_reset(&s);
			tep_print_event(tep, &s, &rec, "%s", TEP_PRINT_INFO);
			trace_seq_terminate(&s);
			if (strcmp(buf, s.buffer))
				fail_msg("case %zu round %d (%s):\n ours: '%s'\n  tep: '%s'", i, round,
					 cases[i].print_fmt, buf, s.buffer);
		}
		free(buf);
	}
	trace_seq_destroy(&s);
	report_fast_free(f);
}

/* A record too short for its fields is left to libtraceevent. */
static void test_short_record(void **state)
{
	struct report_fast *f = report_fast_new(tep);
	struct tep_event *ev = NULL;
	unsigned char data[RECORD_SIZE] = { 0 };
	struct tep_record rec = { .data = data, .size = 60 };
	struct fast_fmt *ff;
	char buf[512];

	/* the case printing args[2], at bytes 56..64 */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strncmp(cases[i].print_fmt, "\"NR %ld", 7))
			ev = tep_find_event(tep, 100 + i);
	assert_non_null(ev);
	data[0] = ev->id;
	ff = report_fast_get(f, ev);
	assert_non_null(ff);
	assert_int_equal(report_fast_format(ff, tep, &rec, buf), -1);
	rec.size = 64;
	assert_true(report_fast_format(ff, tep, &rec, buf) > 0);
	report_fast_free(f);
}

/* Events with a handler (plugins, fgraph) are never compiled. */
static int dummy_handler(struct trace_seq *s, struct tep_record *r, struct tep_event *e, void *c)
{
	return 0;
}

static void test_handler_wins(void **state)
{
	struct report_fast *f = report_fast_new(tep);
	struct tep_event *ev = tep_find_event(tep, 100);

	tep_register_event_handler(tep, 100, "test", "ev0", dummy_handler, NULL);
	assert_null(report_fast_get(f, ev));
	tep_unregister_event_handler(tep, 100, "test", "ev0", dummy_handler, NULL);
	report_fast_free(f);
}

static void test_verdicts(void **state)
{
	struct report_fast *f = report_fast_new(tep);
	struct fast_fmt *ff = report_fast_get(f, tep_find_event(tep, 101));
	int n = 0;

	assert_non_null(ff);
	while (!report_fast_trusted(ff) && n++ < 100)
		report_fast_verdict(ff, true);
	assert_true(report_fast_trusted(ff) && report_fast_usable(ff));
	report_fast_verdict(ff, false);
	assert_false(report_fast_usable(ff));
	assert_false(report_fast_trusted(ff));
	report_fast_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_libtraceevent),
		cmocka_unit_test(test_short_record),
		cmocka_unit_test(test_handler_wins),
		cmocka_unit_test(test_verdicts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
