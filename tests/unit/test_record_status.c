// SPDX-License-Identifier: GPL-2.0
/*
 * The live status line of `sidetrace record` and its summary table: the pure
 * formatting (record_status_format, record_status_print_table).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "record/record_status.h"

static void test_line_without_losses(void **state)
{
	uint64_t lost[2] = { 0, 0 };
	struct record_status_sample s = {
		.elapsed_s = 12.34, .events_per_s = 45678, .bytes = 12300000, .lost = lost,
		.nr_cpus = 2,
	};
	char buf[256];

	(void)state;
	record_status_format(buf, sizeof(buf), &s, 200, true);
	assert_string_equal(buf, "12.3s  45.7k events/s  12.3 MB  lost/CPU 0 0");
}

static void test_losses_turn_visible(void **state)
{
	uint64_t lost[2] = { 0, 17 };
	struct record_status_sample s = {
		.elapsed_s = 75, .events_per_s = 2500000, .bytes = 0, .lost = lost, .nr_cpus = 2,
	};
	char buf[256];

	(void)state;
	record_status_format(buf, sizeof(buf), &s, 200, true);
	assert_string_equal(buf, "1m15s  2.50M events/s  0.0 MB  \033[1;31mLOST/CPU 0 17\033[0m");
	record_status_format(buf, sizeof(buf), &s, 200, false);
	assert_string_equal(buf, "1m15s  2.50M events/s  0.0 MB  LOST/CPU 0 17");
}

static void test_many_cpus_list_only_the_losing_ones(void **state)
{
	uint64_t lost[16] = { 0 };
	struct record_status_sample s = {
		.elapsed_s = 3, .events_per_s = 12, .bytes = 1000000, .lost = lost, .nr_cpus = 16,
	};
	char buf[256];

	(void)state;
	record_status_format(buf, sizeof(buf), &s, 200, false);
	assert_string_equal(buf, "3.0s  12 events/s  1.0 MB  lost 0");
	lost[3] = 5;
	lost[12] = 1;
	record_status_format(buf, sizeof(buf), &s, 200, false);
	assert_string_equal(buf, "3.0s  12 events/s  1.0 MB  LOST cpu3:5 cpu12:1");
}

/* The line never wraps: at most width - 1 visible characters, colour codes closed. */
static void test_line_fits_the_terminal(void **state)
{
	uint64_t lost[2] = { 9, 17 };
	struct record_status_sample s = {
		.elapsed_s = 1, .events_per_s = 10, .bytes = 0, .lost = lost, .nr_cpus = 2,
	};
	char buf[256];
	size_t len;

	(void)state;
	len = record_status_format(buf, sizeof(buf), &s, 36, false);
	assert_int_equal(len, 35);
	assert_string_equal(buf, "1.0s  10 events/s  0.0 MB  LOST/CPU");
	record_status_format(buf, sizeof(buf), &s, 36, true);
	assert_string_equal(buf, "1.0s  10 events/s  0.0 MB  \033[1;31mLOST/CPU\033[0m");
	len = record_status_format(buf, sizeof(buf), &s, 11, true);
	assert_string_equal(buf, "1.0s  10 e");
	assert_int_equal(len, 10);
	len = record_status_format(buf, 4, &s, 200, false);
	assert_int_equal(len, 3);
	assert_string_equal(buf, "1.0");
}

static void test_table(void **state)
{
	uint64_t events[2] = { 12345, 54 }, bytes[2] = { 1048576, 4096 }, lost[2] = { 0, 3 };
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	(void)state;
	record_status_print_table(f, 2, events, bytes, lost);
	fclose(f);
	assert_string_equal(text, "CPU  events    bytes  lost\n"
				  "  0   12345  1048576     0\n"
				  "  1      54     4096     3\n"
				  "all   12399  1052672     3\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_without_losses),
		cmocka_unit_test(test_losses_turn_visible),
		cmocka_unit_test(test_many_cpus_list_only_the_losing_ones),
		cmocka_unit_test(test_line_fits_the_terminal),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
