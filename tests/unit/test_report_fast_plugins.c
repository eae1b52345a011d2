// SPDX-License-Identifier: GPL-2.0
/*
 * Native printers of libtraceevent's plugins (lib/report/report_fast_plugins.c)
 * against the real plugins: with libtraceevent's plugins loaded, the INFO of
 * sched_switch, sched_wakeup(_new), hrtimer_expire_entry, hrtimer_start and
 * sys_enter_futex records with fuzzed fields (comms full or empty, unknown
 * state bits, negative pids, functions found or not, every futex command)
 * must equal tep_print_event()'s. Also: a handler that is not libtraceevent's
 * own is never replaced, a record too short is left to libtraceevent, and
 * comms are registered as the plugin registers them.
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
#include "util.h"

#define COMMON \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

#define RECORD_SIZE 72

struct event_def {
	const char *system, *name;
	int id;
	const char *fields, *print_fmt;
};

/* The kernel's layouts (6.x), and an older sched_wakeup_new with its success field. */
static const struct event_def events[] = {
	{ "sched", "sched_switch", 301,
	  "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	  "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	  "\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
	  "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
	  "\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;\n"
	  "\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;\n"
	  "\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;\n",
	  "\"prev_comm=%s prev_pid=%d ==> next_comm=%s\", REC->prev_comm, REC->prev_pid, "
	  "REC->next_comm" },
	{ "sched", "sched_wakeup", 302,
	  "\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	  "\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	  "\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n"
	  "\tfield:int target_cpu;\toffset:32;\tsize:4;\tsigned:1;\n",
	  "\"comm=%s pid=%d prio=%d target_cpu=%03d\", REC->comm, REC->pid, REC->prio, "
	  "REC->target_cpu" },
	{ "sched", "sched_wakeup_new", 303,
	  "\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	  "\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	  "\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n"
	  "\tfield:int success;\toffset:32;\tsize:4;\tsigned:1;\n"
	  "\tfield:int target_cpu;\toffset:36;\tsize:4;\tsigned:1;\n",
	  "\"comm=%s pid=%d\", REC->comm, REC->pid" },
	{ "timer", "hrtimer_expire_entry", 304,
	  "\tfield:void * hrtimer;\toffset:8;\tsize:8;\tsigned:0;\n"
	  "\tfield:s64 now;\toffset:16;\tsize:8;\tsigned:1;\n"
	  "\tfield:void * function;\toffset:24;\tsize:8;\tsigned:0;\n",
	  "\"hrtimer=%p function=%ps now=%llu\", REC->hrtimer, REC->function, "
	  "(unsigned long long) REC->now" },
	{ "timer", "hrtimer_start", 305,
	  "\tfield:void * hrtimer;\toffset:8;\tsize:8;\tsigned:0;\n"
	  "\tfield:void * function;\toffset:16;\tsize:8;\tsigned:0;\n"
	  "\tfield:s64 expires;\toffset:24;\tsize:8;\tsigned:1;\n"
	  "\tfield:s64 softexpires;\toffset:32;\tsize:8;\tsigned:1;\n"
	  "\tfield:enum hrtimer_mode mode;\toffset:40;\tsize:4;\tsigned:0;\n",
	  "\"hrtimer=%p function=%ps\", REC->hrtimer, REC->function" },
	{ "syscalls", "sys_enter_futex", 306,
	  "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	  "\tfield:u32 * uaddr;\toffset:16;\tsize:8;\tsigned:0;\n"
	  "\tfield:int op;\toffset:24;\tsize:8;\tsigned:0;\n"
	  "\tfield:u32 val;\toffset:32;\tsize:8;\tsigned:0;\n"
	  "\tfield:const struct __kernel_timespec * utime;\toffset:40;\tsize:8;\tsigned:0;\n"
	  "\tfield:u32 * uaddr2;\toffset:48;\tsize:8;\tsigned:0;\n"
	  "\tfield:u32 val3;\toffset:56;\tsize:8;\tsigned:0;\n",
	  "\"uaddr: 0x%08lx, op: 0x%08lx\", ((unsigned long)(REC->uaddr)), "
	  "((unsigned long)(REC->op))" },
	/* a sched_switch without next_prio: the plugin prints it, we leave it to it */
	{ "sched", "sched_switch", 307,
	  "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	  "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n",
	  "\"prev_comm=%s\", REC->prev_comm" },
};

#define NATIVE_EVENTS 6		/* the first ones get native printers */

static struct tep_handle *tep;
static struct tep_plugin_list *plugins;

static struct tep_handle *new_tep(const struct event_def *defs, int nr)
{
	struct tep_handle *t = tep_alloc();
	char fmt[4096];

	tep_set_file_bigendian(t, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(t, TEP_LITTLE_ENDIAN);
	tep_set_long_size(t, 8);
	tep_register_function(t, "tick_nohz_handler", 0xffffffff81000000ULL, NULL);
	tep_register_function(t, "hrtimer_wakeup", 0xffffffff81000100ULL, NULL);
	tep_register_function(t, "a_function_with_a_name_so_long_that_the_plugins_buffer_of_128_"
			      "bytes_cuts_it_somewhere_in_the_middle_of_its_many_words_x",
			      0xffffffff81000200ULL, NULL);
	tep_register_function(t, "last", 0xffffffff81000400ULL, NULL);
	for (int i = 0; i < nr; i++) {
		snprintf(fmt, sizeof(fmt), "name: %s\nID: %d\nformat:\n" COMMON "%s\nprint fmt: %s\n",
			 defs[i].name, defs[i].id, defs[i].fields, defs[i].print_fmt);
		if (tep_parse_event(t, fmt, strlen(fmt), defs[i].system))
			fail_msg("cannot parse %s", defs[i].name);
	}
	return t;
}

static int setup(void **state)
{
	/* the last definition reuses a name: it gets a tep of its own */
	tep = new_tep(events, ARRAY_SIZE(events) - 1);
	plugins = tep_load_plugins(tep);
	return 0;
}

static int teardown(void **state)
{
	tep_unload_plugins(plugins, tep);
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

/* A value for a field: edge values first, then random ones, some near the functions. */
static uint64_t field_value(uint64_t *rnd, int round, int slot)
{
	static const uint64_t edges[] = { 0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fffffff, 0x80000000,
					  0xffffffff, 1ULL << 32, 0x8000000000000000ULL,
					  0xffffffffffffffffULL, 0xffffffff81000000ULL,
					  0xffffffff81000123ULL, 0xffffffff810003ffULL,
					  0xffffffff81000400ULL, 0xffffffff81000401ULL,
					  0xffffffff80ffffffULL };
	uint64_t v;

	if (round < 40)
		return edges[(round + slot * 7) % ARRAY_SIZE(edges)];
	v = next_rand(rnd);
	switch (round % 4) {
	case 0:
		return v & 0x1ff;			/* small: state bits, futex commands */
	case 1:
		return 0xffffffff81000000ULL + (v & 0x7ff);	/* in and past the functions */
	case 2:
		return (uint64_t)(int32_t)v;		/* sign-extended 32-bit */
	}
	return v;
}

static void fill_record(unsigned char *data, int id, uint64_t *rnd, int round)
{
	static const char *const comms[] = { "swapper/1", "", "abcdefghijklmnop", "bash",
					     "kworker/u8:3" };
	uint16_t type = id;
	int32_t pid = round % 3 ? (int32_t)next_rand(rnd) : 0;

	memset(data, 0, RECORD_SIZE);
	memcpy(data, &type, 2);
	memcpy(data + 4, &pid, 4);
	for (int off = 8; off + 8 <= RECORD_SIZE; off += 8) {
		uint64_t v = field_value(rnd, round, off / 8);

		memcpy(data + off, &v, 8);
	}
	/* futex: mostly commands the plugin knows, with its flag bits, sometimes more */
	if (id == 306 && round % 5) {
		uint64_t op = next_rand(rnd) & (round % 5 == 1 ? 0xffffffff : 0x18f);

		memcpy(data + 24, &op, 8);
	}
	/* the comms of the sched events, at 8 (and 40 for sched_switch) */
	if (id <= 303) {
		const char *a = comms[round % 5], *b = comms[(round / 5) % 5];

		memcpy(data + 8, a, strnlen(a, 16));
		memset(data + 8 + strnlen(a, 16), 0, 16 - strnlen(a, 16));
		if (id == 301) {
			memcpy(data + 40, b, strnlen(b, 16));
			memset(data + 40 + strnlen(b, 16), 0, 16 - strnlen(b, 16));
		}
	}
}

static void test_matches_plugins(void **state)
{
	struct report_fast *f = report_fast_new(tep);
	unsigned char data[RECORD_SIZE];
	struct tep_record rec = { .data = data, .size = RECORD_SIZE };
	uint64_t rnd = 0x9e3779b97f4a7c15ULL;
	struct trace_seq s;
	char *buf;

	trace_seq_init(&s);
	for (int i = 0; i < NATIVE_EVENTS; i++) {
		struct tep_event *ev = tep_find_event(tep, events[i].id);
		struct fast_fmt *ff;
		int printed = 0;

		assert_non_null(ev);
		assert_non_null(ev->handler);
		ff = report_fast_get(f, ev);
		if (!ff)
			fail_msg("%s has no native printer", events[i].name);
		buf = malloc(report_fast_max_len(ff) + 1);
		for (int round = 0; round < 3000; round++) {
			int n;

			fill_record(data, events[i].id, &rnd, round);
			n = report_fast_format(ff, tep, &rec, buf);
			if (n < 0)	/* left to libtraceevent (a futex op the plugin gives up on) */
				continue;
			printed++;
			assert_true((size_t)n <= report_fast_max_len(ff));
			buf[n] = '\0';
			trace_seq_reset(&s);
			tep_print_event(tep, &s, &rec, "%s", TEP_PRINT_INFO);
			trace_seq_terminate(&s);
			if (strcmp(buf, s.buffer))
				fail_msg("%s round %d:\n ours: '%s'\n  tep: '%s'", events[i].name,
					 round, buf, s.buffer);
		}
		/* futex: commands 13 and up, and op's high bits, are left to libtraceevent */
		assert_true(printed > 1000);
		free(buf);
	}
	trace_seq_destroy(&s);
	report_fast_free(f);
}

/* The futex commands the plugin does not know: its handler gives up, so do we. */
static void test_futex_unknown_op(void **state)
{
	struct report_fast *f = report_fast_new(tep);
	struct fast_fmt *ff = report_fast_get(f, tep_find_event(tep, 306));
	unsigned char data[RECORD_SIZE] = { 0 };
	struct tep_record rec = { .data = data, .size = RECORD_SIZE };
	char buf[1024];
	uint64_t op;

	assert_non_null(ff);
	data[0] = 306 & 0xff;
	data[1] = 306 >> 8;
	for (op = 0; op < 20; op++) {
		uint64_t with_flags = op | 128 | 256;

		memcpy(data + 24, &with_flags, 8);
		if (op < 13)
			assert_true(report_fast_format(ff, tep, &rec, buf) > 0);
		else
			assert_int_equal(report_fast_format(ff, tep, &rec, buf), -1);
	}
	report_fast_free(f);
}

static void test_short_record(void **state)
{
	struct report_fast *f = report_fast_new(tep);
	struct fast_fmt *ff = report_fast_get(f, tep_find_event(tep, 301));
	unsigned char data[RECORD_SIZE] = { 0x2d, 0x01 };
	struct tep_record rec = { .data = data, .size = 63 };
	char buf[1024];

	assert_non_null(ff);
	assert_int_equal(report_fast_format(ff, tep, &rec, buf), -1);
	rec.size = 64;
	assert_true(report_fast_format(ff, tep, &rec, buf) > 0);
	report_fast_free(f);
}

/* An event lacking a field the handler reads is left to the handler. */
static void test_missing_field(void **state)
{
	struct tep_handle *t = new_tep(&events[ARRAY_SIZE(events) - 1], 1);
	struct tep_plugin_list *list = tep_load_plugins(t);
	struct report_fast *f = report_fast_new(t);
	struct tep_event *ev = tep_find_event(t, 307);

	assert_non_null(ev);
	assert_non_null(ev->handler);
	assert_null(report_fast_get(f, ev));
	report_fast_free(f);
	tep_unload_plugins(list, t);
	tep_free(t);
}

static int other_handler(struct trace_seq *s, struct tep_record *r, struct tep_event *e, void *c)
{
	return trace_seq_puts(s, "someone else's");
}

/* A handler that is not libtraceevent's own plugin's keeps its events. */
static void test_other_handler(void **state)
{
	struct tep_handle *t = new_tep(events, 1);
	struct tep_plugin_list *list = tep_load_plugins(t);
	struct report_fast *f = report_fast_new(t);

	tep_register_event_handler(t, 301, "sched", "sched_switch", other_handler, NULL);
	assert_null(report_fast_get(f, tep_find_event(t, 301)));
	report_fast_free(f);
	tep_unload_plugins(list, t);
	tep_free(t);
}

/* Without plugins nothing is native: the event's format is compiled or not. */
static void test_no_plugins(void **state)
{
	struct tep_handle *t = new_tep(events, NATIVE_EVENTS);
	struct report_fast *f = report_fast_new(t);

	for (int i = 0; i < NATIVE_EVENTS; i++) {
		struct tep_event *ev = tep_find_event(t, events[i].id);

		assert_null(ev->handler);
		report_fast_get(f, ev);
	}
	report_fast_free(f);
	tep_free(t);
}

static void switch_record(unsigned char *data, int common_pid, const char *prev, int prev_pid,
			  const char *next, int next_pid)
{
	uint16_t type = 301;

	memset(data, 0, RECORD_SIZE);
	memcpy(data, &type, 2);
	memcpy(data + 4, &common_pid, 4);
	strncpy((char *)data + 8, prev, 16);
	memcpy(data + 24, &prev_pid, 4);
	strncpy((char *)data + 40, next, 16);
	memcpy(data + 56, &next_pid, 4);
}

/*
 * The plugin registers the comms it prints; so does its native printer once
 * its format is trusted (before, the caller's libtraceevent print does it),
 * and it tells the caller.
 */
static void test_registers_comms(void **state)
{
	struct tep_handle *t = new_tep(events, 1);
	struct tep_plugin_list *list = tep_load_plugins(t);
	struct report_fast *f = report_fast_new(t);
	struct fast_fmt *ff = report_fast_get(f, tep_find_event(t, 301));
	unsigned char data[RECORD_SIZE];
	struct tep_record rec = { .data = data, .size = RECORD_SIZE };
	char buf[1024];

	assert_non_null(ff);
	tep_register_comm(t, "saved", 100);
	assert_string_equal(tep_data_comm_from_pid(t, 100), "saved");

	/* being checked: the caller's libtraceevent print registers */
	switch_record(data, 100, "first", 100, "newtask", 200);
	assert_true(report_fast_format(ff, t, &rec, buf) > 0);
	assert_false(report_fast_comms_changed(f));
	assert_string_equal(tep_data_comm_from_pid(t, 200), "<...>");

	while (!report_fast_trusted(ff))
		report_fast_verdict(ff, true);
	assert_true(report_fast_format(ff, t, &rec, buf) > 0);
	assert_true(report_fast_comms_changed(f));
	assert_false(report_fast_comms_changed(f));
	assert_string_equal(tep_data_comm_from_pid(t, 200), "newtask");
	/* the first comm of a pid stays, as tep_register_comm() keeps it */
	assert_string_equal(tep_data_comm_from_pid(t, 100), "saved");
	switch_record(data, 100, "renamed", 200, "other", 300);
	assert_true(report_fast_format(ff, t, &rec, buf) > 0);
	assert_string_equal(tep_data_comm_from_pid(t, 200), "newtask");
	assert_string_equal(tep_data_comm_from_pid(t, 300), "other");
	report_fast_free(f);
	tep_unload_plugins(list, t);
	tep_free(t);
}

/* Without libtraceevent's plugins installed there is nothing to compare with. */
static bool plugins_installed(void)
{
	struct tep_handle *t = new_tep(events, 1);
	struct tep_plugin_list *list = tep_load_plugins(t);
	bool found = tep_find_event(t, 301)->handler != NULL;

	tep_unload_plugins(list, t);
	tep_free(t);
	return found;
}

static void test_without_plugins(void **state)
{
	skip();
}

int main(void)
{
	const struct CMUnitTest without[] = {
		cmocka_unit_test(test_without_plugins),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_plugins),
		cmocka_unit_test(test_futex_unknown_op),
		cmocka_unit_test(test_short_record),
		cmocka_unit_test(test_missing_field),
		cmocka_unit_test(test_other_handler),
		cmocka_unit_test(test_no_plugins),
		cmocka_unit_test(test_registers_comms),
	};

	if (!plugins_installed())
		return cmocka_run_group_tests(without, NULL, NULL);
	return cmocka_run_group_tests(tests, setup, teardown);
}
