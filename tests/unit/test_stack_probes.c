// SPDX-License-Identifier: GPL-2.0
/*
 * The TD_OPT_STACK_PROBES option's text (record --stack): written and read back,
 * a path with spaces kept whole, damaged lines skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tracedat/stack_probes.h"

static void test_round_trip(void **state)
{
	struct stack_probe in[2] = {
		{ .system = "probe_prog", .event = "inner", .offset = 0x1129, .path = "/usr/bin/prog" },
		{ .system = "probe_libc", .event = "malloc", .offset = 0xa0c30,
		  .path = "/opt/my libs/libc.so.6" },
	};
	struct stack_probe *out;
	char *text = NULL;

	stack_probes_append(&text, &in[0]);
	stack_probes_append(&text, &in[1]);
	assert_string_equal(text, "uprobe probe_prog inner 0x1129 /usr/bin/prog\n"
			    "uprobe probe_libc malloc 0xa0c30 /opt/my libs/libc.so.6\n");
	assert_int_equal(stack_probes_parse(text, strlen(text), &out), 2);
	for (int i = 0; i < 2; i++) {
		assert_string_equal(out[i].system, in[i].system);
		assert_string_equal(out[i].event, in[i].event);
		assert_int_equal(out[i].offset, in[i].offset);
		assert_string_equal(out[i].path, in[i].path);
	}
	stack_probes_free(out, 2);
	free(text);
}

static void test_damaged_lines(void **state)
{
	const char text[] = "uprobe a b 0x10 /bin/x\nkprobe a b 0x10 /x\nuprobe a b zz /x\n"
			    "uprobe a b 0x20\nuprobe c d 0x30 /bin/y";
	struct stack_probe *out;

	/* Not NUL-terminated at size: the parser copies what it is given. */
	assert_int_equal(stack_probes_parse(text, sizeof(text) - 1, &out), 2);
	assert_string_equal(out[0].path, "/bin/x");
	assert_string_equal(out[1].event, "d");
	stack_probes_free(out, 2);
}

/* /proc/PID/maps to trace-cmd's PROCMAPS: one line per file, lowest start to highest end. */
static void test_procmaps(void **state)
{
	const char maps[] =
		"55d0c0a00000-55d0c0a01000 r--p 00000000 fe:01 123  /usr/bin/prog\n"
		"55d0c0a01000-55d0c0a02000 r-xp 00001000 fe:01 123  /usr/bin/prog\n"
		"55d0c1000000-55d0c1021000 rw-p 00000000 00:00 0    [heap]\n"
		"7f0000000000-7f0000028000 r--p 00000000 fe:01 456  /usr/lib/libc.so.6\n"
		"7f0000028000-7f000019d000 r-xp 00028000 fe:01 456  /usr/lib/libc.so.6\n"
		"7f00001f0000-7f00001f2000 rw-p 00000000 00:00 0 \n"
		"7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0    [stack]\n";
	struct proc_map *m;
	char *text = NULL;

	procmaps_append(&text, 1234, "prog", maps);
	procmaps_append(&text, 0x20, "other", "");
	assert_string_equal(text, "4d2 2 prog\n"
			    "55d0c0a00000 55d0c0a02000 /usr/bin/prog\n"
			    "7f0000000000 7f000019d000 /usr/lib/libc.so.6\n"
			    "20 0 other\n");
	assert_int_equal(procmaps_parse(text, strlen(text), &m), 2);
	assert_int_equal(m[0].pid, 1234);
	assert_string_equal(m[0].comm, "prog");
	assert_int_equal(m[0].nr_libs, 2);
	assert_int_equal(m[0].libs[1].start, 0x7f0000000000ULL);
	assert_int_equal(m[0].libs[1].end, 0x7f000019d000ULL);
	assert_string_equal(m[0].libs[1].path, "/usr/lib/libc.so.6");
	assert_int_equal(m[1].pid, 0x20);
	assert_int_equal(m[1].nr_libs, 0);
	procmaps_free(m, 2);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damaged_lines),
		cmocka_unit_test(test_procmaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
