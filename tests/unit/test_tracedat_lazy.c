// SPDX-License-Identifier: GPL-2.0
/*
 * What the reader leaves for later (tracedat.h, td_get_tep_lazy and
 * td_get_kallsyms): an event's format is parsed when a record of it is first
 * handed out or when it is looked up, kallsyms when a function is first
 * named, and a damaged kallsyms section or a format that fails a check is a
 * warning at that moment, not at open. Files come from tracedat_synth.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <traceevent/event-parse.h>

#include "tracedat/tracedat_priv.h"
#include "tracedat_synth.h"

/* A third event no record has. */
static const char unused_format[] =
	"name: unused\n"
	"ID: 2000\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int x;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"x=%d\", REC->x\n";

/* An event printing a function name: the reader builds the function table ahead for it. */
static const char function_format[] =
	"name: calls\n"
	"ID: 2001\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:void * fn;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"fn=%ps\", REC->fn\n";

static char path[64];
static bool with_function_format;	/* write_file() adds function_format */

/* A v7 zstd file of the synthetic trace, with the unused event, or with sample's format replaced. */
static void write_file(const char *sample_format)
{
	static const int pages[2] = { 2, 1 };
	struct synth s;
	int fd;

	synth_init(&s, 7, TD_COMPRESS_ZSTD, pages, 2);
	td_meta_add_format(&s.meta, "sidetrace_test", unused_format, strlen(unused_format));
	if (with_function_format)
		td_meta_add_format(&s.meta, "sidetrace_test", function_format,
				   strlen(function_format));
	if (sample_format) {
		struct td_blob *b = &s.meta.systems[0].formats[0];

		free(b->data);
		td_blob_set(b, sample_format, strlen(sample_format));
	}
	snprintf(path, sizeof(path), "/tmp/td-lazy-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(synth_write(&s, path), 0);
	synth_free(&s);
}

/* stderr into a file while the test looks, then back. */
static int saved_stderr = -1;
static FILE *captured;
static long captured_done;	/* bytes of it stderr_text() gave */

static void capture_stderr(void)
{
	fflush(stderr);
	captured = tmpfile();
	assert_non_null(captured);
	saved_stderr = dup(2);
	dup2(fileno(captured), 2);
	captured_done = 0;
}

/* What was written to stderr since capture_stderr() or the last call (malloc'ed). */
static char *stderr_text(void)
{
	long end, done = captured_done;
	char *text;

	fflush(stderr);
	end = lseek(2, 0, SEEK_CUR);
	text = xcalloc(1, end - done + 1);
	assert_int_equal(pread(fileno(captured), text, end - done, done), end - done);
	captured_done = end;
	return text;
}

static void restore_stderr(void)
{
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	fclose(captured);
}

static void test_format_parsed_on_first_record(void **state)
{
	struct td_file *f;
	struct tep_handle *tep;
	struct td_iter *it;
	struct tep_record *rec;

	(void)state;
	write_file(NULL);
	f = td_open(path);
	assert_non_null(f);
	tep = td_get_tep_lazy(f);
	assert_non_null(tep);
	assert_int_equal(tep_get_events_count(tep), 0);
	it = td_iter_new(f, 0, NULL, 0);
	assert_non_null(it);
	rec = td_iter_next(it);
	assert_non_null(rec);
	/* sample, and print (the lowest id: libtraceevent finds common_type in it) */
	assert_non_null(tep_find_event(tep, SYNTH_EVENT_ID));
	assert_int_equal(tep_data_type(tep, rec), SYNTH_EVENT_ID);
	assert_non_null(tep_find_event(tep, 5));
	assert_null(tep_find_event(tep, 2000));
	assert_int_equal(tep_get_events_count(tep), 2);
	while ((rec = td_iter_next(it)))
		;
	assert_int_equal(td_iter_error(it), 0);
	td_iter_free(it);
	/* the eager handle is the same one, with every format */
	assert_ptr_equal(td_get_tep(f), tep);
	assert_non_null(tep_find_event(tep, 2000));
	assert_int_equal(tep_get_events_count(tep), 3);
	td_close(f);
	unlink(path);
}

static void test_lookup_parses_on_demand(void **state)
{
	struct td_file *f;
	struct tep_handle *tep;
	struct tep_event *ev;

	(void)state;
	write_file(NULL);
	f = td_open(path);
	assert_non_null(f);
	tep = td_get_tep_lazy(f);
	assert_null(tep_find_event_by_name(tep, "sidetrace_test", "unused"));
	assert_null(td_find_event_by_name(f, "ftrace", "unused"));
	ev = td_find_event_by_name(f, NULL, "unused");
	assert_non_null(ev);
	assert_int_equal(ev->id, 2000);
	assert_string_equal(ev->system, "sidetrace_test");
	assert_null(tep_find_event(tep, SYNTH_EVENT_ID));
	ev = td_find_event(f, SYNTH_EVENT_ID);
	assert_non_null(ev);
	assert_string_equal(ev->name, "sample");
	assert_null(td_find_event(f, 3333));
	td_close(f);
	unlink(path);
}

static void test_kallsyms_on_first_lookup(void **state)
{
	struct td_file *f;
	struct tep_handle *tep;
	const struct td_blob *k;

	(void)state;
	write_file(NULL);
	f = td_open(path);
	assert_non_null(f);
	assert_null(td_get_meta(f)->kallsyms.data);
	assert_true(td_has_kallsyms(f));
	tep = td_get_tep_lazy(f);
	assert_null(f->ksyms);
	assert_false(f->preloading);	/* no event prints a function */
	/* (past the last symbol is nothing, as in libtraceevent) */
	assert_string_equal(tep_find_function(tep, 0xffffffff81000010ULL), "_stext");
	assert_non_null(f->ksyms);
	assert_int_equal(tep_find_function_address(tep, 0xffffffff81000010ULL),
			 0xffffffff81000000ULL);
	k = td_get_kallsyms(f);
	assert_non_null(k->data);
	assert_non_null(strstr(k->data, "T do_sys_open\n"));
	td_close(f);
	unlink(path);
}

/* The compressed bytes of the kallsyms section, past its two size words. */
static void damage_kallsyms(void)
{
	struct td_file *f = td_open(path);
	uint64_t at = 0;
	int fd;

	assert_non_null(f);
	for (int i = 0; i < td_nr_items(f); i++) {
		const struct td_item *it = td_get_item(f, i);

		if (it->kind == TD_ITEM_SECTION && it->id == SEC_KALLSYMS)
			at = it->offset + 16 + 8;
	}
	td_close(f);
	assert_true(at > 0);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\xff\xff\xff\xff", 4, at), 4);
	close(fd);
}

static void test_damaged_kallsyms_warns_at_first_use(void **state)
{
	struct td_file *f;
	struct tep_handle *tep;
	char *err;

	(void)state;
	write_file(NULL);
	damage_kallsyms();
	capture_stderr();
	f = td_open(path);
	assert_non_null(f);
	tep = td_get_tep_lazy(f);
	assert_non_null(tep);
	err = stderr_text();
	assert_string_equal(err, "");
	free(err);
	assert_null(tep_find_function(tep, 0xffffffff81000010ULL));
	assert_null(tep_find_function(tep, 0xffffffff81000000ULL));
	assert_int_equal(td_get_kallsyms(f)->size, 0);
	err = stderr_text();
	restore_stderr();
	/* once, on one line */
	assert_non_null(strstr(err, "kallsyms"));
	assert_non_null(strstr(err, "function addresses are shown as numbers"));
	assert_null(strchr(err, '\n') ? strchr(strchr(err, '\n') + 1, '\n') : NULL);
	free(err);
	td_close(f);
	unlink(path);
}

static void test_preload_when_events_print_functions(void **state)
{
	struct td_file *f;
	struct tep_handle *tep;

	(void)state;
	with_function_format = true;
	write_file(NULL);
	with_function_format = false;
	f = td_open(path);
	assert_non_null(f);
	tep = td_get_tep_lazy(f);
	assert_true(f->preloading);
	assert_null(f->ksyms);
	assert_string_equal(tep_find_function(tep, 0xffffffff81000100ULL), "do_sys_open");
	assert_false(f->preloading);
	assert_non_null(f->ksyms);
	assert_null(f->preload_ksyms);
	assert_string_equal(tep_find_function(tep, 0xffffffff81000010ULL), "_stext");
	td_close(f);
	/* closed before any lookup: the preload is waited for and freed */
	f = td_open(path);
	assert_non_null(f);
	assert_non_null(td_get_tep_lazy(f));
	td_close(f);
	unlink(path);
}

static void test_preload_then_added_functions(void **state)
{
	struct td_file *f;
	struct tep_handle *tep;

	(void)state;
	with_function_format = true;
	write_file(NULL);
	with_function_format = false;
	f = td_open(path);
	assert_non_null(f);
	tep = td_get_tep_lazy(f);
	assert_true(f->preloading);
	assert_int_equal(td_add_functions(f, "ffffffffa0000000 t mod_fn\t[mod]\n"), 0);
	assert_false(f->preloading);
	assert_string_equal(tep_find_function(tep, 0xffffffffa0000000ULL), "mod_fn");
	assert_string_equal(tep_find_function(tep, 0xffffffff81000100ULL), "do_sys_open");
	td_close(f);
	unlink(path);
}

static void test_damaged_kallsyms_preloaded_warns_at_first_use(void **state)
{
	struct td_file *f;
	struct tep_handle *tep;
	char *err;

	(void)state;
	with_function_format = true;
	write_file(NULL);
	with_function_format = false;
	damage_kallsyms();
	capture_stderr();
	f = td_open(path);
	assert_non_null(f);
	tep = td_get_tep_lazy(f);
	assert_non_null(tep);
	assert_true(f->preloading);
	err = stderr_text();
	assert_string_equal(err, "");
	free(err);
	assert_null(tep_find_function(tep, 0xffffffff81000010ULL));
	assert_null(tep_find_function(tep, 0xffffffff81000000ULL));
	assert_int_equal(td_get_kallsyms(f)->size, 0);
	err = stderr_text();
	restore_stderr();
	/* once, on one line, as without the preload */
	assert_non_null(strstr(err, "kallsyms"));
	assert_non_null(strstr(err, "function addresses are shown as numbers"));
	assert_null(strchr(err, '\n') ? strchr(strchr(err, '\n') + 1, '\n') : NULL);
	free(err);
	td_close(f);
	unlink(path);
}

static void test_left_out_warns_at_first_record(void **state)
{
	/* sample with a field past any record: left out */
	static const char bad_sample[] =
		"name: sample\n"
		"ID: 1000\n"
		"format:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
		"\n"
		"\tfield:int value;\toffset:100000;\tsize:4;\tsigned:1;\n"
		"\n"
		"print fmt: \"value=%d\", REC->value\n";
	struct td_file *f;
	struct tep_handle *tep;
	struct td_iter *it;
	struct tep_record *rec;
	char *err;

	(void)state;
	write_file(bad_sample);
	capture_stderr();
	f = td_open(path);
	assert_non_null(f);
	tep = td_get_tep_lazy(f);
	it = td_iter_new(f, 0, NULL, 0);
	assert_non_null(it);
	err = stderr_text();
	assert_string_equal(err, "");
	free(err);
	rec = td_iter_next(it);
	assert_non_null(rec);
	err = stderr_text();
	assert_non_null(strstr(err, "event sidetrace_test:sample left out"));
	free(err);
	/*
	 * left out: the record has no event, the others are there (the format
	 * was parsed into the tep once and stays there, unseen by the lookups)
	 */
	assert_true(td_record_left_out(f, rec));
	assert_null(td_find_event(f, SYNTH_EVENT_ID));
	assert_null(td_find_event_by_name(f, "sidetrace_test", "sample"));
	assert_null(td_event_kept(f, tep_find_event(tep, SYNTH_EVENT_ID)));
	assert_non_null(td_find_event_by_name(f, "ftrace", "print"));
	while (td_iter_next(it))
		;
	td_iter_free(it);
	err = stderr_text();
	restore_stderr();
	assert_null(strstr(err, "left out"));	/* said once */
	free(err);
	td_close(f);
	unlink(path);
}

/* The count of the events left out past the named ones: once, by td_final_warnings() or td_close(). */
static void test_final_warnings_once(void **state)
{
	struct td_file *f;
	char *err;

	(void)state;
	write_file(NULL);
	f = td_open(path);
	assert_non_null(f);
	assert_non_null(td_get_tep_lazy(f));
	f->nr_left_out = 13;	/* as if 13 formats had failed: 10 named, 3 counted */
	capture_stderr();
	td_final_warnings(f);
	err = stderr_text();
	assert_non_null(strstr(err, "trace.dat: 3 more events left out"));
	free(err);
	td_final_warnings(f);
	td_close(f);
	err = stderr_text();
	restore_stderr();
	assert_string_equal(err, "");	/* said once */
	free(err);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parsed_on_first_record),
		cmocka_unit_test(test_lookup_parses_on_demand),
		cmocka_unit_test(test_kallsyms_on_first_lookup),
		cmocka_unit_test(test_damaged_kallsyms_warns_at_first_use),
		cmocka_unit_test(test_left_out_warns_at_first_record),
		cmocka_unit_test(test_final_warnings_once),
		cmocka_unit_test(test_preload_when_events_print_functions),
		cmocka_unit_test(test_preload_then_added_functions),
		cmocka_unit_test(test_damaged_kallsyms_preloaded_warns_at_first_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
