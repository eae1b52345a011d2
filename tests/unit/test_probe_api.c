// SPDX-License-Identifier: GPL-2.0
/*
 * The probe library API as other parts of sidetrace use it for temporary
 * uprobes: probe_resolve_uprobe() + probe_create_uprobe(), probe_list(),
 * probe_delete(); and probe_create() from a spec. These touch tracefs, so they
 * skip without root or uprobe events; names are unique (sidetest_api_<pid>) and
 * everything created is removed.
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
#include <tracefs.h>

#include "probe/probe.h"
#include "util.h"

static bool listed(const char *group, const char *event, struct probe_event *copy)
{
	struct probe_event *evs;
	bool found = false;
	int nr;

	assert_int_equal(probe_list(&evs, &nr), 0);
	for (int i = 0; i < nr && !found; i++) {
		if (strcmp(evs[i].group, group) || strcmp(evs[i].event, event))
			continue;
		found = true;
		if (copy) {
			*copy = evs[i];
			memset(&evs[i], 0, sizeof(evs[i]));
		}
	}
	probe_list_free(evs, nr);
	return found;
}

static void need_uprobes(void)
{
	if (geteuid() != 0 || !tracefs_file_exists(NULL, "uprobe_events"))
		skip();
}

static void test_temporary_uprobe(void **state)
{
	struct uprobe_target t = { 0 };
	struct probe_event ev;
	char event[64];

	need_uprobes();
	snprintf(event, sizeof(event), "sidetest_api_%d", getpid());
	assert_int_equal(probe_resolve_uprobe("bash", "readline", true, &t), 0);
	assert_int_equal(probe_create_uprobe("sidetest", event, &t, true, "line=+0($retval):string"), 0);
	assert_true(probe_event_exists("sidetest", event));
	assert_true(listed("sidetest", event, &ev));
	assert_true(ev.ret);
	assert_false(ev.kernel);
	assert_string_equal(ev.path, t.path);
	assert_int_equal(ev.offset, t.offset);
	assert_string_equal(ev.args, "line=+0($retval):string");
	probe_event_clear(&ev);
	/* the same name twice: the kernel refuses, and says why */
	assert_int_equal(probe_create_uprobe("sidetest", event, &t, true, NULL), -1);
	assert_non_null(strstr(st_last_error(), "the kernel refused"));
	assert_int_equal(probe_delete("sidetest", event), 0);
	assert_false(listed("sidetest", event, NULL));
	assert_false(probe_event_exists("sidetest", event));
	assert_int_equal(probe_delete("sidetest", event), -1);
	assert_non_null(strstr(st_last_error(), "no probe event"));
	uprobe_target_free(&t);
}

static void test_create_from_spec(void **state)
{
	struct probe_spec spec;
	char *group, *event, *second, *g2;

	need_uprobes();
	/* GROUP:FUNC without EVENT= is not a name: perf reads FUNC:LINE there */
	assert_int_equal(probe_spec_parse("sidetest_api_grp:readline%return +0($retval):string", &spec), -1);
	assert_int_equal(probe_spec_parse("readline%return +0($retval):string", &spec), 0);
	free(spec.group);
	spec.group = xasprintf("sidetest_api_%d", getpid());
	assert_int_equal(probe_create(&spec, "/bin/bash", &group, &event), 0);
	assert_string_equal(group, spec.group);
	assert_string_equal(event, "readline__return");
	/* a second one gets the next free name */
	assert_int_equal(probe_create(&spec, "/bin/bash", &g2, &second), 0);
	assert_string_equal(second, "readline__return_1");
	assert_int_equal(probe_delete(g2, second), 0);
	assert_int_equal(probe_delete(group, event), 0);
	free(group);
	free(event);
	free(g2);
	free(second);
	probe_spec_free(&spec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_temporary_uprobe),
		cmocka_unit_test(test_create_from_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
