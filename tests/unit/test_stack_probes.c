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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damaged_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
