// SPDX-License-Identifier: GPL-2.0
/*
 * plugins/plugin_sidetrace.c on synthetic records: the text of each
 * record --files event, an unknown kind, records too short for their fields
 * or whose string points past their end (a note, no read outside the record:
 * the asan tier runs this too), and an event of the same name in another
 * system (its own print format). Then record -x's events: the names the
 * record side puts in the file (ucall_table_kallsyms(), the print fmt of
 * ucall_format_with_names(), also read without the plugin), nesting and
 * durations, ids unknown or past the table, no function table at all,
 * truncated records, a return without its entry, time going back, lines
 * asked for again; and, in
 * trace-cmd's order (plugin loaded before the formats), every one of two
 * groups of a file gets the handlers, and unloading leaves none behind.
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
#include "elf/ucall.h"

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
	"name: dlopenret_dlopen\nID: %d\nformat:\n" COMMON_FIELDS
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

/* Another group's "path" event keeps its own print format. */
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

/* ------------------------------------------------------------------------- */
/* record -x */

/* The kernel's uprobe formats for "p:G/ucall_entry ... id=\N:u32 sp=%sp:x64 ret=+0(%sp):x64". */
static const char entry_format[] =
	"name: ucall_entry\nID: %d\nformat:\n" COMMON_FIELDS
	"\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u32 id;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 sp;\toffset:20;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 ret;\toffset:28;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"(%%lx) id=%%u sp=0x%%Lx ret=0x%%Lx\", REC->__probe_ip, REC->id, REC->sp, "
	"REC->ret\n";

static const char return_format[] =
	"name: ucall_return\nID: %d\nformat:\n" COMMON_FIELDS
	"\tfield:unsigned long __probe_func;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long __probe_ret_ip;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u32 id;\toffset:24;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 sp;\toffset:28;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"(%%lx <- %%lx) id=%%u sp=0x%%Lx\", REC->__probe_func, REC->__probe_ret_ip, "
	"REC->id, REC->sp\n";

#define ENTRY_ID 40
#define RETURN_ID 41
#define NR_FUNCS 3

/* A ucall format as record stores it: the kernel's, with the names in its print fmt. */
static void parse_named(struct tep_handle *tep, const char *fmt, int id, const char *sys)
{
	char buf[2048], *named;
	int n = snprintf(buf, sizeof(buf), fmt, id);

	named = ucall_format_with_names(buf, n);
	assert_non_null(named);
	assert_int_equal(tep_parse_event(tep, named, strlen(named), sys), TEP_ERRNO__SUCCESS);
	free(named);
}

/* The function table's names as record puts them in the kallsyms section. */
static void parse_names(struct tep_handle *tep)
{
	struct ucall_table t = { 0 };
	char *text;

	ucall_table_add(&t, "/usr/bin/bash", "main");
	ucall_table_add(&t, "/usr/bin/bash", "read_builtin");
	ucall_table_add(&t, "/usr/bin/demo", "_ZNK6shapes6Circle4areaEi");
	text = ucall_table_kallsyms(&t);
	/* a kernel symbol first, as in a real file */
	tep_parse_kallsyms(tep, "ffffffff81000000 T _stext\n");
	assert_int_equal(tep_parse_kallsyms(tep, text), 0);
	free(text);
	ucall_table_free(&t);
}

static struct tep_handle *ucall_tep(bool names, bool plugin)
{
	struct tep_handle *tep = tep_alloc();

	tep_set_long_size(tep, 8);
	tep_set_file_bigendian(tep, TEP_LITTLE_ENDIAN);
	parse_named(tep, entry_format, ENTRY_ID, "sidetrace_4321");
	parse_named(tep, return_format, RETURN_ID, "sidetrace_4321");
	if (names)
		parse_names(tep);
	if (plugin)
		TEP_PLUGIN_LOADER(tep);
	return tep;
}

static void ucall_tep_free(struct tep_handle *tep, bool plugin)
{
	if (plugin)
		TEP_PLUGIN_UNLOADER(tep);
	tep_free(tep);
}

struct ucall_rec {
	bool exit;
	int pid;
	uint32_t func;
	uint64_t sp;
	uint64_t ts;
};

/* The info text of one user call record cut to size bytes (36: whole), in s. */
static const char *ucall_info(struct tep_handle *tep, struct trace_seq *s,
			      const struct ucall_rec *r, int size)
{
	unsigned char buf[36] = { 0 }, *copy = malloc(size);
	struct tep_record rec = { .size = size, .data = copy, .ts = r->ts };
	uint64_t ip = 0x55e204c043e0, ret = 0x55e204ba13d2;
	int32_t pid = r->pid;

	memcpy(buf, &(uint16_t){ r->exit ? RETURN_ID : ENTRY_ID }, 2);
	memcpy(buf + 4, &pid, 4);
	memcpy(buf + 8, &ip, 8);
	if (r->exit) {
		memcpy(buf + 16, &ret, 8);
		memcpy(buf + 24, &r->func, 4);
		memcpy(buf + 28, &r->sp, 8);
	} else {
		memcpy(buf + 16, &r->func, 4);
		memcpy(buf + 20, &r->sp, 8);
		memcpy(buf + 28, &ret, 8);
	}
	memcpy(copy, buf, size);
	trace_seq_reset(s);
	tep_print_event(tep, s, &rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(s);
	free(copy);
	return s->buffer;
}

#define SP 0x7fff70734ef8ULL
#define NONE "             |  "

/* main() { read_builtin() { } } on one task, then a lone return. */
static void test_ucall_nesting(void **state)
{
	struct tep_handle *tep = ucall_tep(true, true);
	struct trace_seq s;

	trace_seq_init(&s);
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ false, 7, 0, SP, 1000 }, 36),
			    NONE "main() {");
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ false, 7, 1, SP - 64, 2000 },
				       36), NONE "  read_builtin() {");
	/* an other task's call does not nest in them */
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ false, 8, 2, SP, 2500 }, 36),
			    NONE "shapes::Circle::area(int) const() {");
	/* exits carry sp + 8 (the return address was popped) */
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ true, 7, 1, SP - 56, 17000 },
				       36), "+ 15.000 us  |    }");
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ true, 7, 0, SP + 8, 2001000 },
				       36), "# 2000.000 us |  }");
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ true, 7, 0, SP + 8, 3000000 },
				       36), NONE "} /* main: no entry */");
	/* an exit below two open calls ends them too */
	ucall_info(tep, &s, &(struct ucall_rec){ false, 9, 0, SP, 4000000 }, 36);
	ucall_info(tep, &s, &(struct ucall_rec){ false, 9, 1, SP - 64, 4000001 }, 36);
	ucall_info(tep, &s, &(struct ucall_rec){ false, 9, 1, SP - 128, 4000002 }, 36);
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ true, 9, 0, SP + 8, 4000500 },
				       36), "  0.500 us   |  } /* 2 unfinished calls above */");
	/* time going back (a viewer redrawing) starts over: no stale depth */
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ false, 7, 0, SP, 10 }, 36),
			    NONE "main() {");
	trace_seq_destroy(&s);
	ucall_tep_free(tep, true);
}

/* A viewer asking for lines again, back in time (KernelShark scrolling up), gets the same text. */
static void test_ucall_asked_again(void **state)
{
	struct tep_handle *tep = ucall_tep(true, true);
	const struct ucall_rec main_in = { false, 7, 0, SP, 1000 };
	const struct ucall_rec read_in = { false, 7, 1, SP - 64, 2000 };
	const struct ucall_rec read_out = { true, 7, 1, SP - 56, 3000 };
	struct trace_seq s;

	trace_seq_init(&s);
	ucall_info(tep, &s, &main_in, 36);
	ucall_info(tep, &s, &read_in, 36);
	assert_string_equal(ucall_info(tep, &s, &read_out, 36), "  1.000 us   |    }");
	assert_string_equal(ucall_info(tep, &s, &read_out, 36), "  1.000 us   |    }");
	assert_string_equal(ucall_info(tep, &s, &read_in, 36), NONE "  read_builtin() {");
	assert_string_equal(ucall_info(tep, &s, &main_in, 36), NONE "main() {");
	assert_string_equal(ucall_info(tep, &s, &read_out, 36), "  1.000 us   |    }");
	trace_seq_destroy(&s);
	ucall_tep_free(tep, true);
}

/* Ids the file does not name: past the table, far past it; and no table at all. */
static void test_ucall_unknown_ids(void **state)
{
	struct tep_handle *tep = ucall_tep(true, true), *bare = ucall_tep(false, true);
	struct trace_seq s;

	trace_seq_init(&s);
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ false, 7, NR_FUNCS, SP, 1 },
				       36), NONE "ucall#3() {");
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ false, 7, 0xffffffff, SP - 64,
							   2 }, 36), NONE "  ucall#4294967295() {");
	assert_string_equal(ucall_info(bare, &s, &(struct ucall_rec){ false, 7, 1, SP, 1 }, 36),
			    NONE "ucall#1() {");
	assert_string_equal(ucall_info(bare, &s, &(struct ucall_rec){ true, 7, 1, SP + 8, 5001 },
				       36), "  5.000 us   |  }");
	trace_seq_destroy(&s);
	ucall_tep_free(bare, true);
	ucall_tep_free(tep, true);
}

static void test_ucall_truncated(void **state)
{
	struct tep_handle *tep = ucall_tep(true, true);
	struct trace_seq s;

	trace_seq_init(&s);
	/* ret cut, sp cut, id cut */
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ false, 7, 1, SP, 1 }, 30),
			    "<sidetrace record too short: 30 bytes>");
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ false, 7, 1, SP, 1 }, 22),
			    "<sidetrace record too short: 22 bytes>");
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ true, 7, 1, SP, 1 }, 26),
			    "<sidetrace record too short: 26 bytes>");
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ true, 7, 1, SP, 1 }, 8),
			    "<sidetrace record too short: 8 bytes>");
	trace_seq_destroy(&s);
	ucall_tep_free(tep, true);
}

/* Without the plugin, the stored print fmt names the function: what an older trace-cmd shows. */
static void test_ucall_without_plugin(void **state)
{
	struct tep_handle *tep = ucall_tep(true, false), *bare = ucall_tep(false, false);
	struct trace_seq s;

	trace_seq_init(&s);
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ false, 7, 1, SP, 1 }, 36),
			    "(55e204c043e0) read_builtin id=1 sp=0x7fff70734ef8 ret=0x55e204ba13d2");
	assert_string_equal(ucall_info(tep, &s, &(struct ucall_rec){ true, 7, 2, SP, 1 }, 36),
			    "(55e204c043e0 <- 55e204ba13d2) _ZNK6shapes6Circle4areaEi id=2 "
			    "sp=0x7fff70734ef8");
	/* past the table: the end marker, not the last function's name */
	assert_non_null(strstr(ucall_info(tep, &s, &(struct ucall_rec){ false, 7, 3, SP, 1 }, 36),
			       " " UCALL_UNKNOWN_SYMBOL " id=3 "));
	/* no names in the file: the address, and the id still */
	assert_string_equal(ucall_info(bare, &s, &(struct ucall_rec){ false, 7, 1, SP, 1 }, 36),
			    "(55e204c043e0) 0x5354000000000001 id=1 sp=0x7fff70734ef8 "
			    "ret=0x55e204ba13d2");
	trace_seq_destroy(&s);
	ucall_tep_free(bare, false);
	ucall_tep_free(tep, false);
}

/* A format laid out otherwise is left alone. */
static void test_format_not_rewritten(void **state)
{
	const char *odd = "name: ucall_entry\nprint fmt: \"(%lx) idx=%u\", REC->__probe_ip, "
			  "REC->idx\n";

	assert_null(ucall_format_with_names(odd, strlen(odd)));
	assert_null(ucall_format_with_names("", 0));
}

/*
 * trace-cmd's order: plugin first, then the formats. Two --files groups and two
 * -x groups: each gets the handlers; another group's "path" gets its format back.
 */
static void test_tracecmd_order_two_groups(void **state)
{
	struct tep_handle *tep = tep_alloc();
	unsigned char buf[64];
	struct fixture f = { .tep = tep };

	tep_set_long_size(tep, 8);
	tep_set_file_bigendian(tep, TEP_LITTLE_ENDIAN);
	TEP_PLUGIN_LOADER(tep);
	parse(tep, path_format, 20, "other_group");
	parse(tep, path_format, 30, "sidetrace_files_1234");
	parse(tep, path_format, 32, "sidetrace_files_5678");
	parse(tep, dlopenret_format, 31, "sidetrace_files_1234");
	parse(tep, dlopenret_format, 33, "sidetrace_files_5678");
	parse_named(tep, entry_format, ENTRY_ID, "sidetrace_4321");
	parse_named(tep, return_format, RETURN_ID, "sidetrace_4321");
	parse_named(tep, entry_format, 50, "sidetrace_8765");
	parse_names(tep);
	trace_seq_init(&f.s);

	path_record(buf, 30, FS_K_OPEN, "/etc/passwd", 24, 12);
	assert_string_equal(info(&f, buf, 36), "open path=\"/etc/passwd\"");
	path_record(buf, 32, FS_K_STAT, "/etc/group", 24, 11);
	assert_string_equal(info(&f, buf, 35), "stat path=\"/etc/group\"");
	path_record(buf, 20, FS_K_OPEN, "/etc/passwd", 24, 12);
	assert_string_equal(info(&f, buf, 36), "(7f0011223344) kind=2 path=\"/etc/passwd\"");
	assert_string_equal(info(&f, buf, 36), "(7f0011223344) kind=2 path=\"/etc/passwd\"");
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &(uint16_t){ 33 }, 2);
	assert_string_equal(info(&f, buf, 32), "dlopenret handle=NULL (failed)");
	assert_non_null(tep_find_event(tep, 50)->handler);
	assert_string_equal(ucall_info(tep, &f.s, &(struct ucall_rec){ false, 7, 1, SP, 1 }, 36),
			    NONE "read_builtin() {");

	TEP_PLUGIN_UNLOADER(tep);
	for (int e = 0; e < tep_get_events_count(tep); e++)
		assert_null(tep_get_event(tep, e)->handler);
	/* no copy waits any more for a later event */
	parse(tep, path_format, 34, "sidetrace_files_9999");
	assert_null(tep_find_event(tep, 34)->handler);
	trace_seq_destroy(&f.s);
	tep_free(tep);
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
	const struct CMUnitTest alone[] = {
		cmocka_unit_test(test_ucall_nesting),
		cmocka_unit_test(test_ucall_asked_again),
		cmocka_unit_test(test_ucall_unknown_ids),
		cmocka_unit_test(test_ucall_truncated),
		cmocka_unit_test(test_ucall_without_plugin),
		cmocka_unit_test(test_format_not_rewritten),
		cmocka_unit_test(test_tracecmd_order_two_groups),
	};

	return cmocka_run_group_tests(tests, setup, teardown) |
	       cmocka_run_group_tests(alone, NULL, NULL);
}
