// SPDX-License-Identifier: GPL-2.0
/*
 * The pure parts of `sidetrace list` and `sidetrace stat`: event globs,
 * option defaults and probe descriptions (no tracefs needed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tracefs/tracefs_state.h"

static void test_event_glob_either_side(void **state)
{
	assert_true(st_event_glob_match(NULL, "sched", "sched_switch"));
	assert_true(st_event_glob_match("", "sched", "sched_switch"));
	assert_true(st_event_glob_match("sched", "sched", "sched_wakeup"));
	assert_true(st_event_glob_match("*switch*", "sched", "sched_switch"));
	assert_true(st_event_glob_match("*switch*", "writeback", "inode_switch_wbs"));
	assert_false(st_event_glob_match("sched", "irq", "irq_handler_entry"));
	assert_false(st_event_glob_match("sched_*", "irq", "softirq_raise"));
}

static void test_event_glob_system_and_event(void **state)
{
	assert_true(st_event_glob_match("sched:*", "sched", "sched_switch"));
	assert_true(st_event_glob_match("sched:", "sched", "sched_switch"));
	assert_true(st_event_glob_match("sched/sched_sw*", "sched", "sched_switch"));
	assert_true(st_event_glob_match(":sched_switch", "sched", "sched_switch"));
	assert_true(st_event_glob_match("sys*:*openat", "syscalls", "sys_enter_openat"));
	/* both sides must match: sched_switch is not in a system called irq */
	assert_false(st_event_glob_match("irq:sched_switch", "sched", "sched_switch"));
	assert_false(st_event_glob_match("sched:*wakeup", "sched", "sched_switch"));
	/* a side is not matched against the other name */
	assert_false(st_event_glob_match("sched_switch:*", "sched", "sched_switch"));
}

static void test_option_defaults(void **state)
{
	assert_true(st_option_default("overwrite", false));
	assert_true(st_option_default("print-parent", true));
	assert_true(st_option_default("record-cmd", false));
	assert_false(st_option_default("record-tgid", true));
	assert_false(st_option_default("event-fork", true));
	assert_false(st_option_default("blk_classic", true));
	/* only the top level takes trace_printk() output and trace_marker copies */
	assert_true(st_option_default("trace_printk_dest", true));
	assert_false(st_option_default("trace_printk_dest", false));
	assert_true(st_option_default("copy_trace_marker", true));
	assert_false(st_option_default("copy_trace_marker", false));
	/* function_graph's own flags */
	assert_true(st_option_default("funcgraph-duration", false));
	assert_false(st_option_default("funcgraph-proc", false));
}

static void check_describe(const char *line, const char *file, const char *want)
{
	char *got = st_probe_describe(line, file);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_probe_describe(void **state)
{
	check_describe("p:uprobes/rl /bin/bash:0x00000000000d5690 a=%ax", "uprobe_events",
		       "uprobe     uprobes:rl  /bin/bash:0x00000000000d5690 a=%ax");
	check_describe("r:probe_bash/readline /bin/bash:0x0000000000001000 l=+0($retval):string",
		       "uprobe_events",
		       "uretprobe  probe_bash:readline  /bin/bash:0x0000000000001000 "
		       "l=+0($retval):string");
	check_describe("p:kprobes/o1 do_sys_openat2 filename=+0(%si):ustring", "kprobe_events",
		       "kprobe     kprobes:o1  do_sys_openat2 filename=+0(%si):ustring");
	check_describe("r16:kprobes/g1 getname_flags $retval", "kprobe_events",
		       "kretprobe  kprobes:g1  getname_flags $retval");
	check_describe("e:eprobes/op syscalls.sys_enter_openat f=+0($filename):ustring",
		       "dynamic_events",
		       "eprobe     eprobes:op  syscalls.sys_enter_openat f=+0($filename):ustring");
	check_describe("s:wake_lat pid_t pid; u64 delta", "dynamic_events",
		       "synthetic  wake_lat  pid_t pid; u64 delta");
	check_describe("", "uprobe_events", NULL);
	check_describe("# comment", "uprobe_events", NULL);
	check_describe("p /bin/bash:0x10", "uprobe_events", NULL);
	check_describe("p:", "uprobe_events", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_glob_either_side),
		cmocka_unit_test(test_event_glob_system_and_event),
		cmocka_unit_test(test_option_defaults),
		cmocka_unit_test(test_probe_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
