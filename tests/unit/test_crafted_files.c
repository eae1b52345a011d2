// SPDX-License-Identifier: GPL-2.0
/*
 * Crafted trace.dat files: event formats written to crash, hang or flood the
 * printer (Documentation/trace-dat.md, "Limits"). Each class is built with
 * the synthetic trace of tracedat_synth.h, whose records (event 1000, 28
 * bytes: pid at 4, an int "value" at 8, 16 name bytes at 12) are then read
 * with the crafted format. A class is either left out when the formats are
 * loaded (the rest of the file stays readable) or printed with each record
 * checked first. Then every file in tests/fixtures/bad/ (these classes,
 * fuzzer finds) goes through report, report -R, --graph, --files, --syscalls, each
 * export and dump, each in a child process: a clean error or output, never
 * a crash, a sanitizer report, a hang or a flood.
 *
 * Hidden mode: test_crafted_files --write-fixtures DIR writes the classes
 * (the files in tests/fixtures/bad/ named after them come from it).
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <traceevent/event-parse.h>

#include "cmds.h"
#include "report/report.h"
#include "tracedat/tracedat_priv.h"
#include "tracedat_synth.h"

#define COMMON_FIELDS \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
#define VALUE "\tfield:int value;\toffset:8;\tsize:4;\tsigned:1;\n"
#define NAME "\tfield:char name[16];\toffset:12;\tsize:16;\tsigned:0;\n"

enum outcome {
	LEFT_OUT,	/* td_get_tep leaves the event out */
	CHECKED,	/* kept; records that do not fit print the marker */
	PRINTED,	/* kept and printed */
};

struct crafted {
	const char *name;	/* the fixture's file name */
	enum outcome outcome;
	const char *fields;
	const char *print;	/* print fmt (after "print fmt: ") */
	char *(*make_print)(void);
	const char *system;	/* default "sidetrace_test" */
	const char *event;	/* default "sample" */
	const char *printk;	/* replaces the printk formats */
};

/* "%d", (((...REC->value...))) */
static char *nested(int depth)
{
	char *s = xmalloc(2 * depth + 32), *p = s;

	p += sprintf(p, "\"%%d\", ");
	memset(p, '(', depth);
	p += depth;
	p += sprintf(p, "REC->value");
	memset(p, ')', depth);
	p[depth] = '\0';
	return s;
}

/* "%d", REC->value+1+1+... */
static char *chain(int ops)
{
	char *s = xmalloc(2 * ops + 32), *p = s;

	p += sprintf(p, "\"%%d\", REC->value");
	for (int i = 0; i < ops; i++)
		p += sprintf(p, "+1");
	return s;
}

/* what overflowed libtraceevent's stack (and is now larger than a format may be) */
static char *nested_deep(void)
{
	return nested(60000);
}

static char *operator_chain(void)
{
	return chain(60000);
}

/* one past the limits */
static char *nested_past_limit(void)
{
	return nested(TD_MAX_FORMAT_DEPTH + 1);
}

static char *chain_past_limit(void)
{
	/* "->" counts as two operator characters */
	return chain(TD_MAX_FORMAT_OPS);
}

/* name, outcome, fields, print fmt, then any other member */
#define C(n, o, f, p, ...) { .name = n, .outcome = o, .fields = f, .print = p, __VA_ARGS__ }

static const struct crafted classes[] = {
	C("field-offset-int-max", LEFT_OUT,
	  "\tfield:int value;\toffset:2147483647;\tsize:4;\tsigned:1;\n" NAME,
	  "\"value=%d name=%s\", REC->value, REC->name"),
	C("field-size-int-max", LEFT_OUT,
	  "\tfield:int value;\toffset:8;\tsize:2147483647;\tsigned:1;\n" NAME,
	  "\"value=%d name=%s\", REC->value, REC->name"),
	C("field-array-int-max", LEFT_OUT,
	  VALUE "\tfield:char name[2147483647];\toffset:12;\tsize:16;\tsigned:0;\n",
	  "\"value=%d name=%s\", REC->value, REC->name"),
	C("field-past-largest-page", LEFT_OUT,
	  "\tfield:u64 value;\toffset:4090;\tsize:8;\tsigned:0;\n", "\"%llu\", REC->value"),
	C("print-width-huge", LEFT_OUT, VALUE NAME,
	  "\"value=%d name=%99999999s\", REC->value, REC->name"),
	C("print-precision-huge", LEFT_OUT, VALUE, "\"%.99999999d\", REC->value"),
	C("print-padding-total", LEFT_OUT, VALUE,
	  "\"%1000d%1000d%1000d%1000d%1000d\", REC->value, REC->value, REC->value, "
	  "REC->value, REC->value"),
	C("print-width-from-record", LEFT_OUT, VALUE, "\"%*d\", REC->value, REC->value"),
	C("print-nested-deep", LEFT_OUT, VALUE, NULL, .make_print = nested_deep),
	C("print-operator-chain", LEFT_OUT, VALUE, NULL, .make_print = operator_chain),
	C("print-nested-past-limit", LEFT_OUT, VALUE, NULL, .make_print = nested_past_limit),
	C("print-operators-past-limit", LEFT_OUT, VALUE, NULL, .make_print = chain_past_limit),
	C("print-divide-by-field", LEFT_OUT, VALUE, "\"%d\", REC->value / REC->common_pid"),
	C("print-divide-by-zero", LEFT_OUT, VALUE, "\"%d\", REC->value / (2-2)"),
	C("print-index-from-record", LEFT_OUT, VALUE NAME, "\"%d\", REC->name[REC->value]"),
	C("print-cpumask-undeclared", LEFT_OUT, VALUE, "\"%s\", __get_cpumask(nosuch)"),
	C("print-hex-of-a-cast", LEFT_OUT, VALUE, "\"%s\", __print_hex((u8)REC->value, 4)"),
	C("print-hex-length-from-record", CHECKED, VALUE NAME,
	  "\"%s\", __print_hex(REC->name, REC->value)"),
	C("print-array-length-from-record", CHECKED, VALUE NAME,
	  "\"%s\", __print_array(REC->name, REC->value, 4)"),
	C("data-loc-outside-record", CHECKED,
	  "\tfield:__data_loc char[] str;\toffset:8;\tsize:4;\tsigned:0;\n",
	  "\"%s\", __get_str(str)"),
	C("zero-size-field-past-record", CHECKED,
	  VALUE "\tfield:char buf[];\toffset:40;\tsize:0;\tsigned:0;\n", "\"%s\", REC->buf"),
	/* the function_graph printer indented by the record's depth ("ev0-"): 1.5 GB a record */
	C("fgraph-depth-huge", PRINTED,
	  "\tfield:unsigned int calltime;\toffset:8;\tsize:4;\tsigned:0;\n"
	  "\tfield:unsigned int depth;\toffset:12;\tsize:4;\tsigned:0;\n"
	  "\tfield:unsigned long func;\toffset:16;\tsize:8;\tsigned:0;\n"
	  "\tfield:unsigned int rettime;\toffset:24;\tsize:4;\tsigned:0;\n",
	  "\"%ps depth=%d\", (void *)REC->func, REC->depth", .system = "ftrace",
	  .event = "funcgraph_exit"),
	C("printk-width-huge", PRINTED, VALUE, "\"value=%d\", REC->value", .printk =
	  "0xffffffff81000000 : \"%99999999d\\n\"\n0xffffffff81000100 : \"ok %d\\n\"\n"),
};

static char *format_text(const struct crafted *c)
{
	char *print = c->make_print ? c->make_print() : xstrdup(c->print);
	char *text = xasprintf("name: %s\nID: %d\nformat:\n" COMMON_FIELDS "%s\nprint fmt: %s\n",
			       c->event ? c->event : "sample", SYNTH_EVENT_ID, c->fields, print);

	free(print);
	return text;
}

/* The synthetic trace (v7, zstd: the long formats compress to little) with c's format. */
static void write_crafted(const struct crafted *c, const char *path)
{
	static const int pages[2] = { 2, 1 };
	struct synth s;
	char *text = format_text(c);

	synth_init(&s, 7, TD_COMPRESS_ZSTD, pages, 2);
	free(s.meta.systems[0].formats[0].data);
	td_blob_set(&s.meta.systems[0].formats[0], text, strlen(text));
	if (c->system) {
		free(s.meta.systems[0].name);
		s.meta.systems[0].name = xstrdup(c->system);
	}
	if (c->printk) {
		free(s.meta.printk.data);
		td_blob_set(&s.meta.printk, c->printk, strlen(c->printk));
	}
	if (synth_write(&s, path) < 0)
		fail_msg("%s: %s", c->name, st_last_error());
	synth_free(&s);
	free(text);
}

static char tmpdir[] = "/tmp/sidetrace-crafted.XXXXXX";

static char *temp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* report_run() of path with o's options (input set here); the output (malloc'd). */
static char *report_text(const char *path, struct report_opts *o, size_t *len)
{
	char *out_path = temp_path("report.out");
	int fd = open(out_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char *text;

	assert_true(fd >= 0);
	o->input = path;
	o->color = REPORT_COLOR_NEVER;
	if (report_run(o, NULL, fd) < 0)
		fail_msg("report %s: %s", path, st_last_error());
	close(fd);
	text = read_file(out_path, len);
	assert_non_null(text);
	unlink(out_path);
	free(out_path);
	return text;
}

static const char marker[] = "[record does not fit its event's format]";

static int count(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static void check_class(const struct crafted *c)
{
	char *path = temp_path(c->name);
	struct report_opts o = { 0 };
	struct tep_handle *tep;
	struct td_file *f;
	size_t len;
	char *text;

	write_crafted(c, path);
	f = td_open(path);
	if (!f)
		fail_msg("%s: %s", c->name, st_last_error());
	tep = td_get_tep(f);
	assert_non_null(tep);
	/* the other events stay: only this one may be left out */
	assert_non_null(tep_find_event_by_name(tep, "ftrace", "print"));
	if ((c->outcome == LEFT_OUT) != !tep_find_event(tep, SYNTH_EVENT_ID))
		fail_msg("%s: the event was%s left out", c->name,
			 c->outcome == LEFT_OUT ? " not" : "");
	td_close(f);

	text = report_text(path, &o, &len);
	/* 300 records of about 100 bytes (4 KiB of padding at most): nothing floods */
	assert_true(len > 1000 && len < 2 << 20);
	if (c->outcome == LEFT_OUT)
		/* "[UNKNOWN EVENT][UNKNOWN EVENT] (NULL): [UNKNOWN EVENT]" */
		assert_int_equal(count(text, "[UNKNOWN EVENT]"), 3 * SYNTH_PER_PAGE * 3);
	if (c->outcome == CHECKED) {
		if (!count(text, marker))
			fail_msg("%s: no record printed the marker", c->name);
	} else {
		assert_int_equal(count(text, marker), 0);
	}
	free(text);
	free(path);
}

static void test_classes(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++)
		check_class(&classes[i]);
}

/* Where the checks draw their lines: a field may end on the largest page's last byte. */
static void test_field_limits(void **state)
{
	static const struct crafted fits = C("fits", PRINTED,
		"\tfield:u64 value;\toffset:4088;\tsize:8;\tsigned:0;\n", "\"%llu\", REC->value");
	static const struct crafted padding = C("padding", PRINTED, VALUE,
		"\"%1024d%1024d%1024d%1024d\", REC->value, REC->value, REC->value, REC->value");
	static const struct crafted at_limits = C("at-limits", PRINTED, VALUE, NULL);
	struct crafted c = at_limits;
	char *print;

	check_class(&fits);
	check_class(&padding);
	c.print = print = nested(TD_MAX_FORMAT_DEPTH);
	check_class(&c);
	free(print);
	/* "%d", REC->value+1+...: 2 for the "->", then one per "+" */
	c.print = print = chain(TD_MAX_FORMAT_OPS - 2);
	check_class(&c);
	free(print);
}

/*
 * A printk format with a huge width, a width from the record or more
 * arguments than TD_MAX_PRINTK_ARGS is left out; the good lines stay.
 */
static void test_printk_widths(void **state)
{
	char *many = xstrdup("0xffffffff81000300 : \""), *t, *copy, *text;
	int left_out;

	for (int i = 0; i <= TD_MAX_PRINTK_ARGS; i++) {
		t = xasprintf("%s%%lld ", many);
		free(many);
		many = t;
	}
	text = xasprintf("0xffffffff81000000 : \"%%99999999d\\n\"\n"
			 "0xffffffff81000100 : \"%%*d\\n\"\n"
			 "0xffffffff81000200 : \"ok %%d %%.*s\\n\"\n%s\"\n", many);
	copy = td_printk_safe_copy(text, &left_out);
	assert_int_equal(left_out, 3);
	assert_string_equal(copy, "0xffffffff81000200 : \"ok %d %.*s\\n\"\n");
	free(copy);
	free(text);
	free(many);
}

/* ---- every file of tests/fixtures/bad/ through every command that reads one ---- */

static const char *const commands[][6] = {
	{ "report", NULL },
	{ "report", "-R", NULL },
	{ "report", "--graph", "--profile", NULL },
	{ "report", "--format", "chrome", NULL },
	{ "report", "--format", "folded", NULL },
	{ "report", "--flamegraph", "@FLAME", NULL },
	{ "report", "--files", NULL },
	{ "report", "--syscalls", NULL },
	{ "dump", NULL },
};

#define MAX_OUTPUT (8 << 20)	/* a flood, for files of at most a few hundred KB */

static char *describe(const char *file, const char *const *cmd)
{
	char *s = xasprintf("%s:", file), *t;

	for (int i = 0; cmd[i]; i++) {
		t = xasprintf("%s %s", s, cmd[i]);
		free(s);
		s = t;
	}
	return s;
}

/* Run `sidetrace CMD... FILE` in a child; fail unless it ends cleanly. */
static void run_command(const char *file, const char *const *cmd)
{
	char *out = temp_path("cmd.out"), *err = temp_path("cmd.err"), *flame = temp_path("f.svg");
	char *what = describe(file, cmd), *text;
	struct stat st;
	size_t len;
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char *argv[10];
		int n = 0;

		argv[n++] = "sidetrace";
		for (int i = 0; cmd[i]; i++)
			argv[n++] = strcmp(cmd[i], "@FLAME") ? (char *)cmd[i] : flame;
		argv[n++] = (char *)file;
		argv[n] = NULL;
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(99);
		alarm(60);	/* a crafted file must finish in well under a second */
		exit(sidetrace_main(n, argv));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	text = read_file(err, &len);
	assert_non_null(text);
	if (WIFSIGNALED(status))
		fail_msg("%s: killed by signal %d\n%s", what, WTERMSIG(status), text);
	if (strstr(text, "Sanitizer") || strstr(text, "runtime error"))
		fail_msg("%s: sanitizer report\n%s", what, text);
	if (WEXITSTATUS(status) != EXIT_OK && WEXITSTATUS(status) != EXIT_FAILURE_)
		fail_msg("%s: exit %d\n%s", what, WEXITSTATUS(status), text);
	/* an error is a "sidetrace CMD: why" line */
	if (WEXITSTATUS(status) == EXIT_FAILURE_ && strncmp(text, "sidetrace", 9))
		fail_msg("%s: exit 1 without a message\n%s", what, text);
	assert_int_equal(stat(out, &st), 0);
	if (st.st_size > MAX_OUTPUT)
		fail_msg("%s: %lld bytes of output", what, (long long)st.st_size);
	free(text);
	unlink(out);
	unlink(err);
	unlink(flame);
	free(out);
	free(err);
	free(flame);
	free(what);
}

static void test_bad_fixtures(void **state)
{
	const char *top = getenv("TOP");
	char *dir = xasprintf("%s/tests/fixtures/bad", top ? top : ".");
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		fail_msg("%s: %m", dir);
	while ((de = readdir(d))) {
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
			run_command(path, commands[i]);
		free(path);
		n++;
	}
	closedir(d);
	free(dir);
	assert_true(n >= (int)ARRAY_SIZE(classes));
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf %s", tmpdir);
	int ret = system(cmd);

	free(cmd);
	return ret;
}

static int write_fixtures(const char *dir)
{
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		char *path = xasprintf("%s/%s", dir, classes[i].name);

		write_crafted(&classes[i], path);
		free(path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_field_limits),
		cmocka_unit_test(test_printk_widths),
		cmocka_unit_test(test_bad_fixtures),
	};

	if (argc == 3 && !strcmp(argv[1], "--write-fixtures"))
		return write_fixtures(argv[2]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
