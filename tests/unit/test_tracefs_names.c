// SPDX-License-Identifier: GPL-2.0
/*
 * Our tracefs names (tracefs/tracefs_names.h): every kind we create reads back
 * to its kind and pid, and look-alikes of other users are not ours.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tracefs/tracefs_names.h"

static const enum st_name_kind kinds[] = {
	ST_NAME_INSTANCE, ST_NAME_UCALL_GROUP, ST_NAME_FILES_GROUP, ST_NAME_UNDO_LIST,
};

static void expect_name(const char *name, enum st_name_kind kind, pid_t pid)
{
	enum st_name_kind found = -1;

	assert_int_equal(st_name_parse(name, &found), pid);
	assert_int_equal(found, kind);
}

/* The names as users, tests and the man pages know them. */
static void test_the_names_we_make(void **state)
{
	static const char *const want[] = {
		[ST_NAME_INSTANCE] = "sidetrace-1234",
		[ST_NAME_UCALL_GROUP] = "sidetrace_1234",
		[ST_NAME_FILES_GROUP] = "sidetrace_files_1234",
		[ST_NAME_UNDO_LIST] = "record-1234.undo",
	};
	char *name;

	(void)state;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		name = st_name(kinds[k], 1234);
		assert_string_equal(name, want[kinds[k]]);
		free(name);
	}
}

static void test_every_kind_reads_back(void **state)
{
	static const pid_t pids[] = { 1, 42, 1234, 4194304 };
	char *name;

	(void)state;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (size_t p = 0; p < sizeof(pids) / sizeof(pids[0]); p++) {
			name = st_name(kinds[k], pids[p]);
			expect_name(name, kinds[k], pids[p]);
			assert_int_equal(st_name_parse(name, NULL), pids[p]);
			free(name);
		}
	}
}

/* The bug of issue 22: reset read no pid out of a --files group. */
static void test_files_group(void **state)
{
	(void)state;
	expect_name("sidetrace_files_1234", ST_NAME_FILES_GROUP, 1234);
	expect_name("sidetrace_1234", ST_NAME_UCALL_GROUP, 1234);
	expect_name("sidetrace-1234", ST_NAME_INSTANCE, 1234);
}

/* Any word names an undo list (reset replays what any sidetrace command wrote). */
static void test_undo_lists_of_any_command(void **state)
{
	(void)state;
	expect_name("record-77.undo", ST_NAME_UNDO_LIST, 77);
	expect_name("resettest-77.undo", ST_NAME_UNDO_LIST, 77);
	expect_name("a-b-77.undo", ST_NAME_UNDO_LIST, 77);
	assert_int_equal(st_name_parse("record-77.undo.tmp", NULL), -1);
	assert_int_equal(st_name_parse("-77.undo", NULL), -1);
	assert_int_equal(st_name_parse("record-.undo", NULL), -1);
	assert_int_equal(st_name_parse("record-7x.undo", NULL), -1);
	assert_int_equal(st_name_parse("record77.undo", NULL), -1);
	assert_int_equal(st_name_parse("x/record-77.undo", NULL), -1);
}

/* Names of other users and of our tests, made to look like ours, are not ours. */
static void test_look_alikes_are_not_ours(void **state)
{
	static const char *const others[] = {
		"", "sidetrace", "sidetrace-", "sidetrace_", "sidetrace_files_",
		"sidetrace-test-12", "sidetrace-12x", "sidetrace_12 ", "sidetrace_lt12",
		"sidetrace_files_12x", "sidetrace_files12", "sidetrace__12", "Sidetrace-12",
		"xsidetrace-12", "sidetrace-+12", "sidetrace--12", "sidetrace-0", "sidetrace_files_0",
		"sidetrace-99999999999", "sidetest_reset12", "probe_bash",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		if (st_name_parse(others[i], NULL) != -1)
			fail_msg("'%s' parsed as ours", others[i]);
	}
}

static void test_pid_parse(void **state)
{
	(void)state;
	assert_int_equal(st_pid_parse("123"), 123);
	assert_int_equal(st_pid_parse("0"), -1);
	assert_int_equal(st_pid_parse(""), -1);
	assert_int_equal(st_pid_parse("12x"), -1);
	assert_int_equal(st_pid_parse("-5"), -1);
	assert_int_equal(st_pid_parse("99999999999"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_names_we_make),
		cmocka_unit_test(test_every_kind_reads_back),
		cmocka_unit_test(test_files_group),
		cmocka_unit_test(test_undo_lists_of_any_command),
		cmocka_unit_test(test_look_alikes_are_not_ours),
		cmocka_unit_test(test_pid_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
