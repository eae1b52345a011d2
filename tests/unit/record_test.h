/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the record tests (options, tracers, user call graphs, the undo
 * list): parsing a record command line, expecting an error, and files that
 * stand in for tracefs files. Include after <cmocka.h>.
 */
#ifndef RECORD_TEST_H
#define RECORD_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_opts.h"
#include "util.h"

#define ARGV(...) ((char *[]){ "record", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "record", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(opts, ...) record_parse_args(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), opts)

/* ret is a failure whose message contains what. */
static inline void expect_error(int ret, const char *what)
{
	assert_int_equal(ret, -1);
	if (!strstr(st_last_error(), what))
		fail_msg("error '%s' does not contain '%s'", st_last_error(), what);
}

/* dir/name holding text (a stand-in for a tracefs file); returns its path. */
static inline char *make_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static inline void assert_file(const char *path, const char *want)
{
	char *got = read_file(path, NULL);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* A scratch directory for a whole group: cmocka_run_group_tests(tests, setup_tmp, teardown_tmp). */
static char *tmpdir __attribute__((unused));

static inline int setup_tmp(void **state)
{
	char tmpl[] = "/tmp/sidetrace-unit.XXXXXX";

	tmpdir = xstrdup(mkdtemp(tmpl));
	return 0;
}

static inline int teardown_tmp(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);

	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	free(cmd);
	free(tmpdir);
	return 0;
}

#endif
