// SPDX-License-Identifier: GPL-2.0
/*
 * report_run() on the files trace-cmd 3.1.6 recorded in the VM
 * (tests/fixtures/tracecmd/: function, function_graph, kprobe and uprobe
 * events, multi-buffer, v6, --date, -C x86-tsc/counter, --ts-offset, -T
 * stack traces, uncompressed) must
 * print exactly what `trace-cmd report` printed for them. Each line of
 * tests/fixtures/tracecmd/cases names the expected output, the trace.dat and
 * the report options (tests/host/report-tracecmd-fixtures.sh reruns trace-cmd
 * on the same cases).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmds.h"
#include "report/report.h"
#include "report_opts.h"
#include "util.h"

static char *fixture(const char *name)
{
	const char *top = getenv("TOP");

	return xasprintf("%s/tests/fixtures/tracecmd/%s", top ? top : ".", name);
}

static char *slurp(const char *path, size_t *len)
{
	char *text = read_file(path, len);

	if (!text)
		fail_msg("%s: %s", path, st_last_error());
	return text;
}

/* report_run() with "report OPTS -i DAT"; returns its output. */
static char *run_report(const char *dat, char *opts, size_t *len)
{
	char *argv[32] = { "report" }, *path = fixture(dat), *tok, *save = NULL, *out;
	char fd_path[64];
	int argc = 1, fd = memfd_create("report", 0);
	struct report_cmdline a = { 0 };
	int status;
	pid_t pid;

	for (tok = strtok_r(opts, " \t", &save); tok && argc < 29; tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	argv[argc++] = "-i";
	argv[argc++] = path;
	assert_true(fd >= 0);
	/* a child per case: plugin options (-O) are libtraceevent globals, like in a real run */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		optind = 0;
		if (report_parse_args(argc, argv, &a) != 0 || report_run(&a.report, NULL, fd) < 0) {
			fprintf(stderr, "%s %s: %s\n", dat, opts, st_last_error());
			_exit(1);
		}
		report_opts_free(&a.report);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("report of %s failed (status 0x%x)", dat, status);
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
	out = slurp(fd_path, len);
	close(fd);
	free(path);
	return out;
}

/* Line number of the first difference, for a readable failure. */
static int first_diff_line(const char *a, const char *b)
{
	int line = 1;

	for (; *a && *a == *b; a++, b++)
		if (*a == '\n')
			line++;
	return line;
}

static void test_cases(void **state)
{
	char *cases_path = fixture("cases"), *cases, *line, *save = NULL;
	size_t len;
	int nr = 0, failed = 0;

	cases = slurp(cases_path, &len);
	for (line = strtok_r(cases, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char txt[128], dat[128], opts[256] = "";
		char *expect, *got, *txt_path;
		size_t elen, glen;

		if (line[0] == '#' || sscanf(line, "%127s %127s %255[^\n]", txt, dat, opts) < 2)
			continue;
		txt_path = fixture(txt);
		expect = slurp(txt_path, &elen);
		got = run_report(dat, opts, &glen);
		if (glen != elen || memcmp(got, expect, elen)) {
			print_error("%s: report differs from trace-cmd's from line %d\n", txt,
				    first_diff_line(got, expect));
			failed++;
		}
		nr++;
		free(expect);
		free(got);
		free(txt_path);
	}
	free(cases);
	free(cases_path);
	assert_true(nr >= 20);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
