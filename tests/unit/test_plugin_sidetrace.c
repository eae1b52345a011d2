// SPDX-License-Identifier: GPL-2.0
/*
 * plugins/plugin_sidetrace.c on synthetic records: the text of each
 * record --files event, an unknown kind, records too short for their fields
 * or whose string points past their end (a note, no read outside the record:
 * the asan tier runs this too), and an event of the same name in another
 * system (its plain fields).
 *
 * The plugin's source is compiled into this test, so that the sanitizers see
 * its handlers; the loader registers them as libtraceevent would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugins/plugin_sidetrace.c"

#define COMMON_FIELDS \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

/* As the kernel writes a uprobe event with "kind=\2:u8 path=+0(%di):string". */
static const char path_format[] =
	"name: path\nID: %d\nformat:\n" COMMON_FIELDS
	"\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u8 kind;\toffset:16;\tsize:1;\tsigned:0;\n"
	"\tfield:__data_loc char[] path;\toffset:20;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"(%%lx) kind=%%u path=\\\"%%s\\\"\", REC->__probe_ip, REC->kind, __get_str(path)\n";

static const char dlopenret_format[] =
	"name: dlopenret_dlopen\nID: 31\nformat:\n" COMMON_FIELDS
	"\tfield:unsigned long __probe_func;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long __probe_ret_ip;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 ret;\toffset:24;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"(%%lx <- %%lx) ret=0x%%Lx\", REC->__probe_func, REC->__probe_ret_ip, REC->ret\n";

struct fixture {
	struct tep_handle *tep;
	struct trace_seq s;
};

static void parse(struct tep_handle *tep, const char *fmt, int id, const char *sys)
{
	char buf[2048];
	int n = snprintf(buf, sizeof(buf), fmt, id);

	assert_int_equal(tep_parse_event(tep, buf, n, sys), TEP_ERRNO__SUCCESS);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->tep = tep_alloc();
	tep_set_long_size(f->tep, 8);
	tep_set_file_bigendian(f->tep, TEP_LITTLE_ENDIAN);
	/* another group's "path" first: the one a by-name search may find first */
	parse(f->tep, path_format, 20, "other_group");
	parse(f->tep, path_format, 30, "sidetrace_files_1234");
	parse(f->tep, dlopenret_format, 31, "sidetrace_files_1234");
	TEP_PLUGIN_LOADER(f->tep);
	trace_seq_init(&f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	TEP_PLUGIN_UNLOADER(f->tep);
	trace_seq_destroy(&f->s);
	tep_free(f->tep);
	free(f);
	return 0;
}

/* A path record: kind, and path at data_loc (off, len), in a buffer of size bytes. */
static void path_record(unsigned char *buf, int id, int kind, const char *path, uint16_t off,
			uint16_t len)
{
	uint32_t loc = (uint32_t)len << 16 | off;
	uint64_t ip = 0x7f0011223344;

	memset(buf, 0, 64);
	memcpy(buf, &(uint16_t){ id }, 2);
	memcpy(buf + 8, &ip, 8);
	buf[16] = kind;
	memcpy(buf + 20, &loc, 4);
	if (path)
		memcpy(buf + off, path, strlen(path) + 1);
}

/* The event's info text for the record's first size bytes (a copy, so ASan sees the end). */
static const char *info(struct fixture *f, const unsigned char *data, int size)
{
	unsigned char *copy = malloc(size);
	struct tep_record rec = { .size = size, .data = copy };

	memcpy(copy, data, size);
	trace_seq_reset(&f->s);
	tep_print_event(f->tep, &f->s, &rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(&f->s);
	free(copy);
	return f->s.buffer;
}

static void test_path_kinds(void **state)
{
	struct fixture *f = *state;
	unsigned char buf[64];

	path_record(buf, 30, FS_K_OPEN, "/etc/passwd", 24, 12);
	assert_string_equal(info(f, buf, 36), "open path=\"/etc/passwd\"");
	path_record(buf, 30, FS_K_DLOPEN, "libz.so.1", 24, 10);
	assert_string_equal(info(f, buf, 34), "dlopen path=\"libz.so.1\"");
	path_record(buf, 30, FS_K_EXEC, "", 24, 1);
	assert_string_equal(info(f, buf, 25), "exec path=\"\"");
}

static void test_unknown_kind(void **state)
{
	struct fixture *f = *state;
	unsigned char buf[64];

	path_record(buf, 30, 77, "/x", 24, 3);
	assert_string_equal(info(f, buf, 27), "kind=77 path=\"/x\"");
	path_record(buf, 30, FS_K_NONE, "/x", 24, 3);
	assert_string_equal(info(f, buf, 27), "kind=0 path=\"/x\"");
}

static void test_truncated(void **state)
{
	struct fixture *f = *state;
	unsigned char buf[64];

	path_record(buf, 30, FS_K_OPEN, "/etc/passwd", 24, 12);
	/* the string's end is past the record */
	assert_string_equal(info(f, buf, 30), "<sidetrace record too short: 30 bytes>");
	/* the data_loc word itself is cut */
	assert_string_equal(info(f, buf, 22), "<sidetrace record too short: 22 bytes>");
	/* no NUL within the string's length: printed up to its length */
	path_record(buf, 30, FS_K_OPEN, "/etc/passwd", 24, 4);
	assert_string_equal(info(f, buf, 28), "open path=\"/etc\"");
}

static void test_dlopen_result(void **state)
{
	struct fixture *f = *state;
	unsigned char buf[64] = { 0 };
	uint64_t handle = 0x5581e2a4b2c0;

	memcpy(buf, &(uint16_t){ 31 }, 2);
	memcpy(buf + 24, &handle, 8);
	assert_string_equal(info(f, buf, 32), "dlopenret handle=0x5581e2a4b2c0");
	memset(buf + 24, 0, 8);
	assert_string_equal(info(f, buf, 32), "dlopenret handle=NULL (failed)");
	assert_string_equal(info(f, buf, 28), "<sidetrace record too short: 28 bytes>");
}

/* Another group's "path" event keeps a plain text (the handler matched it by name only). */
static void test_other_system(void **state)
{
	struct fixture *f = *state;
	unsigned char buf[64];
	const char *text;

	path_record(buf, 20, FS_K_OPEN, "/etc/passwd", 24, 12);
	text = info(f, buf, 36);
	assert_null(strstr(text, "open path"));
	assert_non_null(strstr(text, "kind=2"));
	assert_non_null(strstr(text, "/etc/passwd"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_kinds),
		cmocka_unit_test(test_unknown_kind),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_dlopen_result),
		cmocka_unit_test(test_other_system),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
