// SPDX-License-Identifier: GPL-2.0
/*
 * The trace.dat reader on stored files: real kernel ring-buffer data (sched and
 * syscall events of an instance, extracted by trace-cmd 3.1.6 and rewritten
 * small) whose expected records come from `trace-cmd report -t`, and the
 * damaged files in tests/fixtures/bad/ (fuzzer finds) that must not crash.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <traceevent/event-parse.h>

#include "tracedat/tracedat.h"
#include "util.h"

static char *fixture(const char *name)
{
	const char *top = getenv("TOP");

	return xasprintf("%s/tests/fixtures/%s", top ? top : ".", name);
}

/* Our records as "CPU TS PID" lines, with "drop CPU [N ]" before a record after lost events. */
static char *records_as_text(const char *path, int *count)
{
	struct td_file *f = td_open(path);
	struct tep_handle *tep;
	struct td_iter *it;
	struct tep_record *r;
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);

	if (!f)
		fail_msg("%s: %s", path, st_last_error());
	tep = td_get_tep(f);
	assert_non_null(tep);
	it = td_iter_new(f, 0, NULL, 0);
	assert_non_null(it);
	*count = 0;
	while ((r = td_iter_next(it))) {
		if (r->missed_events > 0)
			fprintf(mem, "drop %d %lld \n", r->cpu, r->missed_events);
		else if (r->missed_events < 0)
			fprintf(mem, "drop %d \n", r->cpu);
		fprintf(mem, "%03d %llu %d\n", r->cpu, r->ts, tep_data_pid(tep, r));
		++*count;
	}
	assert_int_equal(td_iter_error(it), 0);
	td_iter_free(it);
	td_close(f);
	fclose(mem);
	return out;
}

static void check_against_tracecmd(const char *name)
{
	char *path = xasprintf("%s.dat", name), *exp_path = xasprintf("%s.expected", name);
	char *dat = fixture(path), *exp = fixture(exp_path);
	size_t size;
	char *expected = read_file(exp, &size);
	int count;
	char *got = records_as_text(dat, &count);

	assert_non_null(expected);
	assert_true(count > 100);
	assert_string_equal(got, expected);
	free(got);
	free(expected);
	free(dat);
	free(exp);
	free(path);
	free(exp_path);
}

static void test_real_v6(void **state)
{
	check_against_tracecmd("sched-v6");
}

static void test_real_v7_zstd(void **state)
{
	check_against_tracecmd("sched-v7-zstd");
}

/* trace-cmd cannot read zlib, so: the same data as the zstd file, cut to 5 pages per CPU. */
static void test_real_v7_zlib(void **state)
{
	char *zlib = fixture("sched-v7-zlib.dat"), *zstd = fixture("sched-v7-zstd.dat");
	struct td_file *fz = td_open(zlib), *fs = td_open(zstd);
	int cpu;

	assert_non_null(fz);
	assert_non_null(fs);
	assert_int_equal(td_get_meta(fz)->compression, TD_COMPRESS_ZLIB);
	for (cpu = 0; cpu < 2; cpu++) {
		bool mask[2] = { cpu == 0, cpu == 1 };
		struct td_iter *a = td_iter_new(fz, 0, mask, 2), *b = td_iter_new(fs, 0, mask, 2);
		struct tep_record *ra, *rb;
		int n = 0;

		assert_non_null(a);
		assert_non_null(b);
		while ((ra = td_iter_next(a))) {
			rb = td_iter_next(b);
			assert_non_null(rb);
			assert_true(ra->ts == rb->ts);
			assert_int_equal(ra->size, rb->size);
			assert_memory_equal(ra->data, rb->data, ra->size);
			n++;
		}
		assert_int_equal(td_iter_error(a), 0);
		assert_true(n > 50);
		td_iter_free(a);
		td_iter_free(b);
	}
	td_close(fz);
	td_close(fs);
	free(zlib);
	free(zstd);
}

/* Damaged files: an error or a clean read, never a crash. */
static void test_bad_files(void **state)
{
	char *dir = fixture("bad");
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d) {
		free(dir);
		skip();
	}
	while ((de = readdir(d))) {
		char *path;
		struct td_file *f;
		int b;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		f = td_open(path);
		if (f) {
			for (b = 0; b < td_nr_buffers(f); b++) {
				struct td_iter *it = td_iter_new(f, b, NULL, 0);

				while (it && td_iter_next(it))
					td_iter_peek(it);
				td_iter_free(it);
			}
			td_close(f);
		} else {
			assert_true(*st_last_error());
		}
		free(path);
		n++;
	}
	closedir(d);
	free(dir);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_v6),
		cmocka_unit_test(test_real_v7_zstd),
		cmocka_unit_test(test_real_v7_zlib),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
