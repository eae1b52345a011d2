// SPDX-License-Identifier: GPL-2.0
/*
 * `sidetrace record` option parsing (record_parse_args), and the undo list
 * on ordinary files (no tracefs needed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "record/record.h"
#include "record/record_command.h"
#include "tracedat/tracedat.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include "record_test.h"

/* Parsing must fail, and the message must contain what. */
static void test_defaults(void **state)
{
	struct record_opts o;

	assert_int_equal(PARSE(&o, "-e", "sched"), 0);
	assert_string_equal(o.output, "trace.dat");
	assert_int_equal(o.nr_events, 1);
	assert_string_equal(o.events[0].spec, "sched");
	assert_null(o.events[0].filter);
	assert_int_equal(o.buffer_kb, 0);
	assert_null(o.clock);
	assert_int_equal(o.nr_pids, 0);
	assert_false(o.follow_command);
	assert_false(o.quiet);
	assert_false(o.no_kallsyms);
	assert_int_equal(o.file_version, 0);
	assert_int_equal(o.compression, -1);
	assert_null(o.command);
	record_opts_free(&o);
}

static void test_events_and_filters(void **state)
{
	struct record_opts o;

	assert_int_equal(PARSE(&o, "-e", "sched:sched_switch", "-f", "prev_pid > 0",
			       "-e", "sched:sched_process_*", "--event", "syscalls",
			       "--filter", "id == 1"), 0);
	assert_int_equal(o.nr_events, 3);
	assert_string_equal(o.events[0].spec, "sched:sched_switch");
	assert_string_equal(o.events[0].filter, "prev_pid > 0");
	assert_string_equal(o.events[1].spec, "sched:sched_process_*");
	assert_null(o.events[1].filter);
	assert_string_equal(o.events[2].spec, "syscalls");
	assert_string_equal(o.events[2].filter, "id == 1");
	record_opts_free(&o);
}

/* --stack: a flag (record_stack_setup() sets the options and triggers), -O untouched. */
static void test_stack(void **state)
{
	struct record_opts o;

	assert_int_equal(PARSE(&o, "-e", "probe_x:f", "-O", "nooverwrite", "--stack", "--stack"), 0);
	assert_true(o.stack);
	assert_int_equal(o.ftrace.options.nr, 1);
	assert_string_equal(o.ftrace.options.items[0], "nooverwrite");
	record_opts_free(&o);
	assert_int_equal(PARSE(&o, "-e", "sched"), 0);
	assert_false(o.stack);
	assert_int_equal(o.ftrace.options.nr, 0);
	record_opts_free(&o);
}

static void test_all_options(void **state)
{
	struct record_opts o;

	assert_int_equal(PARSE(&o, "-q", "-o", "out.dat", "-b", "4096", "-C", "global",
			       "-e", "sched", "--file-version", "6", "--no-filter",
			       "--no-kallsyms"), 0);
	assert_true(o.quiet);
	assert_true(o.no_filter);
	assert_true(o.no_kallsyms);
	assert_string_equal(o.output, "out.dat");
	assert_int_equal(o.buffer_kb, 4096);
	assert_string_equal(o.clock, "global");
	assert_int_equal(o.file_version, 6);
	record_opts_free(&o);

	assert_int_equal(PARSE(&o, "-e", "sched", "--compression", "zlib"), 0);
	assert_int_equal(o.compression, TD_COMPRESS_ZLIB);
	record_opts_free(&o);
	assert_int_equal(PARSE(&o, "-e", "sched", "--file-version=7", "--compression=none"), 0);
	assert_int_equal(o.file_version, 7);
	assert_int_equal(o.compression, TD_COMPRESS_NONE);
	record_opts_free(&o);
}

static void test_command_stops_parsing(void **state)
{
	struct record_opts o;

	assert_int_equal(PARSE(&o, "-e", "sched", "-F", "ls", "-l", "-e", "/"), 0);
	assert_true(o.follow_command);
	assert_int_equal(o.nr_events, 1);
	assert_non_null(o.command);
	assert_int_equal(o.command_argc, 4);
	assert_string_equal(o.command[0], "ls");
	assert_string_equal(o.command[1], "-l");
	assert_string_equal(o.command[2], "-e");
	assert_null(o.command[4]);
	record_opts_free(&o);

	/* "--" ends the options too, so a command may start with a dash. */
	assert_int_equal(PARSE(&o, "-e", "sched", "--", "-weird"), 0);
	assert_string_equal(o.command[0], "-weird");
	record_opts_free(&o);
}

static void test_pids(void **state)
{
	struct record_opts o;

	assert_int_equal(PARSE(&o, "-e", "sched", "-P", "12,34", "-P", "56"), 0);
	assert_int_equal(o.nr_pids, 3);
	assert_int_equal(o.pids[0], 12);
	assert_int_equal(o.pids[1], 34);
	assert_int_equal(o.pids[2], 56);
	record_opts_free(&o);

	expect_error(PARSE(&o, "-e", "sched", "-P", "12,abc"), "'abc' is not a process id");
	expect_error(PARSE(&o, "-e", "sched", "-P", "-3"), "not a process id");
	expect_error(PARSE(&o, "-e", "sched", "-P", "0"), "not a process id");
	expect_error(PARSE(&o, "-e", "sched", "-P", ","), "-P needs a process id");
	expect_error(PARSE(&o, "-e", "sched", "-P", "1", "ls"),
		     "cannot be combined with a command");
}

static void test_errors(void **state)
{
	struct record_opts o;

	expect_error(PARSE(&o, "-f", "pid > 1", "-e", "sched"), "must follow the -e");
	expect_error(PARSE(&o, "-e", "a", "-f", "x", "-f", "y"), "has two filters");
	expect_error(PARSE(&o, "-e", "sched", "-b", "0"), "-b: '0'");
	expect_error(PARSE(&o, "-e", "sched", "-b", "12k"), "-b: '12k'");
	expect_error(PARSE(&o, "-e", "sched", "-b", "-5"), "-b: '-5'");
	expect_error(PARSE(&o, "-e", "sched", "-b", "99999999999999999999"), "-b:");
	expect_error(PARSE(&o, "-e", "sched", "-Z"),
		     "unknown option '-Z' (see sidetrace record --help)");
	expect_error(PARSE(&o, "-e", "sched", "--frobnicate"),
		     "unknown option '--frobnicate' (see sidetrace record --help)");
	expect_error(PARSE(&o, "-e", "sched", "--frobnicate=1"), "unknown option '--frobnicate'");
	expect_error(PARSE(&o, "-e"), "option '-e' needs a value");
	expect_error(PARSE(&o, "-e", "sched", "--file-version"), "option '--file-version' needs a value");
	expect_error(PARSE(&o, "-e", "sched", "--follow=yes"), "option '--follow' takes no value");
	/* the unknown letter of a cluster, not the word before it */
	expect_error(PARSE(&o, "--quiet", "-qZ", "-e", "sched"), "unknown option '-Z'");
	expect_error(PARSE(&o, "-e", "sched", "--f"), "option '--f' is ambiguous (--filter, --follow,");
	expect_error(PARSE(&o, "-e", "sched", "--file-version", "5"), "'5' is not 6 or 7");
	expect_error(PARSE(&o, "-e", "sched", "--compression", "lzma"), "'lzma' is not");
	expect_error(PARSE(&o, "-e", "sched", "--file-version", "6", "--compression", "zstd"),
		     "needs --file-version 7");
	expect_error(PARSE(&o, "-e", "sched", "-F"), "-F needs a command");
	expect_error(PARSE(&o, "-e", ""), "-e needs an event name");
	/* An empty side of ':' or '/' names nothing ("-e :" once enabled every event). */
	expect_error(PARSE(&o, "-e", ":", "true"), "-e ':': no system or event name (every event is 'all')");
	expect_error(PARSE(&o, "-e", "/", "true"), "-e '/': no system or event name");
	expect_error(PARSE(&o, "-e", "sched:", "true"),
		     "-e 'sched:': no event name after ':' (the whole system: 'sched' or 'sched:*')");
	expect_error(PARSE(&o, "-e", "sched/", "true"), "-e 'sched/': no event name after '/'");
	expect_error(PARSE(&o, "-e", ":sched_switch", "true"),
		     "-e ':sched_switch': no system name before ':' "
		     "(in any system: 'sched_switch' or '*:sched_switch')");
	expect_error(PARSE(&o, "-e", "sched", "-e", "/x", "true"), "-e '/x': no system name before '/'");
	expect_error(PARSE(&o, "-e", "sched", "-o", ""), "-o needs a file name");
	expect_error(PARSE(&o, "-e", "sched", "-C", "bad clock"), "not a clock name");
	expect_error(PARSE(&o, "ls"), "no events given");
}

static void test_help(void **state)
{
	struct record_opts o;

	/* --help wins over missing events. */
	assert_int_equal(PARSE(&o, "--help"), 0);
	assert_true(o.help);
	record_opts_free(&o);
	assert_int_equal(PARSE(&o, "-h"), 0);
	assert_true(o.help);
	record_opts_free(&o);
	assert_non_null(strstr(record_usage, "--file-version"));
}

/* Parsing twice in one process must give the same result (getopt is reset). */
static void test_repeatable(void **state)
{
	struct record_opts o;

	for (int i = 0; i < 3; i++) {
		assert_int_equal(PARSE(&o, "-e", "a", "-o", "x.dat", "true"), 0);
		assert_string_equal(o.output, "x.dat");
		assert_string_equal(o.command[0], "true");
		record_opts_free(&o);
	}
}


/* ------------------------------------------------------------------------- */
/* Expanding -e specs, against a fake events directory */

static void make_event(const char *root, const char *sys, const char *event)
{
	char *cmd = xasprintf("mkdir -p %s/events/%s/%s && touch %s/events/%s/enable "
			      "%s/events/%s/%s/enable %s/events/%s/%s/format",
			      root, sys, event, root, sys, root, sys, event, root, sys, event);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static char *fake_tracefs(void)
{
	char *root = xasprintf("%s/tracefs", tmpdir);

	make_event(root, "sched", "sched_switch");
	make_event(root, "sched", "sched_wakeup");
	make_event(root, "sched", "sched_process_exec");
	make_event(root, "sched", "sched_process_fork");
	make_event(root, "syscalls", "sys_enter_openat");
	make_event(root, "syscalls", "sys_exit_openat");
	make_event(root, "raw_syscalls", "sys_enter");
	make_event(root, "ftrace", "function");
	return root;
}

/* Expand specs (with the given filters) and return "sys:ev[=filter] ..." */
static char *expand(const char *root, const char **specs, const char **filters, int n)
{
	struct record_event ev[8];
	struct record_targets t;
	char *out = xstrdup(""), *next;

	for (int i = 0; i < n; i++) {
		ev[i].spec = (char *)specs[i];
		ev[i].filter = filters ? (char *)filters[i] : NULL;
	}
	if (record_expand_events(root, ev, n, &t) < 0) {
		free(out);
		return xasprintf("error: %s", st_last_error());
	}
	for (int i = 0; i < t.nr; i++) {
		next = xasprintf("%s%s%s:%s%s%s", out, i ? " " : "", t.items[i].system,
				 t.items[i].event, t.items[i].filter ? "=" : "",
				 t.items[i].filter ? t.items[i].filter : "");
		free(out);
		out = next;
	}
	record_targets_free(&t);
	return out;
}

#define EXPECT_EXPANSION(root, expected, ...) do {					\
		const char *specs[] = { __VA_ARGS__ };					\
		char *got = expand(root, specs, NULL, ARRAY_SIZE(specs));		\
		assert_string_equal(got, expected);					\
		free(got);								\
	} while (0)

static void test_expand_events(void **state)
{
	char *root = fake_tracefs();

	EXPECT_EXPANSION(root, "sched:sched_switch", "sched:sched_switch");
	EXPECT_EXPANSION(root, "sched:sched_switch", "sched/sched_switch");
	EXPECT_EXPANSION(root, "sched:sched_process_exec sched:sched_process_fork",
			 "sched:sched_process_*");
	/* A single word is a system or an event name in any system. */
	EXPECT_EXPANSION(root, "sched:sched_process_exec sched:sched_process_fork "
			 "sched:sched_switch sched:sched_wakeup", "sched");
	EXPECT_EXPANSION(root, "syscalls:sys_enter_openat", "sys_enter_openat");
	EXPECT_EXPANSION(root, "raw_syscalls:sys_enter syscalls:sys_enter_openat", "sys_enter*");
	EXPECT_EXPANSION(root, "syscalls:sys_enter_openat syscalls:sys_exit_openat", "syscalls:*");
	/* The parser refuses an empty side; here it matches nothing rather than everything. */
	EXPECT_EXPANSION(root, "error: no event matches ':'", ":");
	EXPECT_EXPANSION(root, "error: no event matches 'syscalls:'", "syscalls:");
	/* Sorted and without duplicates; ftrace is never enabled. */
	EXPECT_EXPANSION(root, "sched:sched_switch syscalls:sys_exit_openat",
			 "syscalls:sys_exit_openat", "sched:sched_switch", "sched_switch");
	{
		char *all = expand(root, (const char *[]){ "all" }, NULL, 1);

		assert_null(strstr(all, "ftrace"));
		assert_non_null(strstr(all, "raw_syscalls:sys_enter"));
		free(all);
	}
	/* Unknown: one clear error naming the spec. */
	EXPECT_EXPANSION(root, "error: no event matches 'foo:bar'", "sched", "foo:bar");
	EXPECT_EXPANSION(root, "error: no event matches 'sched:nope*'", "sched:nope*");
	EXPECT_EXPANSION(root, "error: no event matches 'ftrace:function'", "ftrace:function");
	free(root);
}

static void test_expand_filters(void **state)
{
	char *root = fake_tracefs();
	const char *specs[] = { "sched:sched_process_*", "sched:sched_switch", "sched:*exec" };
	const char *filters[] = { "pid > 1", NULL, "pid == 7" };
	char *got = expand(root, specs, filters, 3);

	/* Each event gets the filter of its -e; the last -e that has one wins. */
	assert_string_equal(got, "sched:sched_process_exec=pid == 7 "
			    "sched:sched_process_fork=pid > 1 sched:sched_switch");
	free(got);
	free(root);
}

/* The back ends (--files, -x) add their events to -e's: each event once, the first filter kept. */
static void test_targets_add_once(void **state)
{
	struct record_targets t = { 0 };

	record_targets_add(&t, "sched", "sched_switch", "prev_pid > 0");
	record_targets_add(&t, "grp", "ev", NULL);
	record_targets_add(&t, "sched", "sched_switch", NULL);
	record_targets_add(&t, "grp", "ev", "x");
	assert_int_equal(t.nr, 2);
	assert_string_equal(t.items[0].filter, "prev_pid > 0");
	assert_null(t.items[1].filter);
	assert_true(record_targets_has(&t, "grp", "ev"));
	assert_false(record_targets_has(&t, "grp", "sched_switch"));
	record_targets_free(&t);
	assert_int_equal(t.nr, 0);
}

/* ------------------------------------------------------------------------- */
/* The undo list on plain files */

static void test_undo_restores_in_reverse(void **state)
{
	char *a = make_file(tmpdir, "a", "1\n"), *filter = make_file(tmpdir, "filter", "none\n");
	char *persist = xasprintf("%s/undo/list", tmpdir);
	struct st_undo *u = st_undo_new(persist);
	char *saved;

	assert_non_null(u);
	assert_int_equal(st_undo_write(u, a, "5"), 0);
	assert_int_equal(st_undo_write(u, a, "7"), 0);
	assert_int_equal(st_undo_write(u, filter, "pid > 1"), 0);
	assert_int_equal(st_undo_count(u), 3);
	assert_file(a, "7");
	saved = read_file(persist, NULL);
	assert_non_null(saved);
	assert_non_null(strstr(saved, "sidetrace-undo 1\n"));
	assert_non_null(strstr(saved, "\nwrite "));
	free(saved);
	/* Writing what the file holds already records nothing. */
	assert_int_equal(st_undo_write(u, a, "7"), 0);
	assert_int_equal(st_undo_count(u), 3);

	assert_int_equal(st_undo_finish(u), 0);
	assert_file(a, "1");
	assert_file(filter, "0");	/* "none" is cleared by writing 0 */
	assert_int_equal(access(persist, F_OK), -1);
	free(a);
	free(filter);
	free(persist);
}

static void test_undo_rollback_and_replay(void **state)
{
	char *a = make_file(tmpdir, "b", "x\n");
	char *clock = make_file(tmpdir, "trace_clock", "[local] global\n");
	char *persist = xasprintf("%s/undo2", tmpdir);
	struct st_undo *u = st_undo_new(persist);
	int mark;

	assert_non_null(u);
	assert_int_equal(st_undo_write(u, clock, "global"), 0);
	mark = st_undo_mark(u);
	assert_int_equal(st_undo_write(u, a, "two\nlines"), 0);
	assert_int_equal(st_undo_rollback(u, mark), 0);
	assert_file(a, "x");
	assert_int_equal(st_undo_count(u), 1);

	/* A killed process leaves the persisted list; replaying it restores. */
	assert_int_equal(st_undo_write(u, a, "again"), 0);
	assert_int_equal(st_undo_replay_file(persist), 0);
	assert_file(a, "x");
	assert_file(clock, "local");	/* the selected clock, not the whole list */
	assert_int_equal(access(persist, F_OK), -1);
	/* Undoing the same list again changes nothing. */
	assert_int_equal(st_undo_finish(u), 0);
	assert_file(a, "x");
	assert_file(clock, "local");
	free(a);
	free(clock);
	free(persist);
}

static void test_undo_failed_write_is_not_recorded(void **state)
{
	char *missing = xasprintf("%s/no/such/file", tmpdir);
	struct st_undo *u = st_undo_new(NULL);

	assert_int_equal(st_undo_write(u, missing, "1"), -1);
	assert_int_equal(st_undo_count(u), 0);
	assert_int_equal(st_undo_finish(u), 0);
	free(missing);
}

/* The list is rewritten in place: only in a directory no one else can write. */
static void test_undo_needs_a_private_directory(void **state)
{
	char *dir = xasprintf("%s/shared", tmpdir), *persist = xasprintf("%s/list.undo", dir);

	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 01777), 0);
	assert_null(st_undo_new(persist));
	expect_error(-1, "others can write it (mode 1777)");
	assert_int_equal(access(persist, F_OK), -1);
	assert_int_equal(chmod(dir, 0700), 0);
	st_undo_finish(st_undo_new(persist));
	free(dir);
	free(persist);
}

/* A persisted list that removes directory dir (an instance) and restores keep inside it. */
static char *instance_list(const char *name, const char *dir, const char *outside)
{
	char *path = xasprintf("%s/%s.undo", tmpdir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "sidetrace-undo 1\nwrite %s 1\nrmdir %s\nwrite %s/keep orig\n", outside,
		dir, dir);
	fclose(f);
	return path;
}

static void test_undo_removes_instances_first(void **state)
{
	char *out = make_file(tmpdir, "outside", "changed\n"), *dir = xasprintf("%s/inst", tmpdir);
	char *keep = xasprintf("%s/keep", dir), *list = instance_list("inst", dir, out);

	/* Removable: it goes first, and what was changed inside it goes with it. */
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(st_undo_replay_file(list), 0);
	assert_int_equal(access(dir, F_OK), -1);
	assert_file(out, "1");

	/* Not removable (here: not empty): restored file by file, in order. */
	free(list);
	list = instance_list("busy", dir, out);
	assert_int_equal(mkdir(dir, 0755), 0);
	free(make_file(tmpdir, "inst/keep", "changed\n"));
	assert_int_equal(st_undo_replay_file(list), -1);
	assert_file(keep, "orig");
	assert_int_equal(access(list, F_OK), 0);	/* kept for sidetrace reset */
	free(out);
	free(dir);
	free(keep);
	free(list);
}

/* ------------------------------------------------------------------------- */
/* The COMMAND, checked as a shell would before anything is forked */

static char *make_program(const char *name, const char *text, size_t len, mode_t mode)
{
	char *path = xasprintf("%s/bin/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void expect_command_error(const char *cmd, const char *what)
{
	expect_error(record_check_command(cmd), what);
}

static void test_command_checks(void **state)
{
	char *dir = xasprintf("%s/bin", tmpdir), *path = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
	int made = mkdir(dir, 0700);
	char *garbage = make_program("garbage", "\0\1\2\3junk\n", 9, 0755);
	char *script = make_program("script", "echo hi\n", 8, 0755);
	char *elf = make_program("elf", "\177ELF\2\1\1", 7, 0755);
	char *plain = make_program("plain", "echo hi\n", 8, 0644);
	char *fifo = xasprintf("%s/fifo", dir);

	assert_int_equal(made, 0);
	assert_int_equal(mkfifo(fifo, 0755), 0);
	/* Paths: what is wrong with the file, in a shell's words. */
	assert_int_equal(record_check_command(script), 0);	/* /bin/sh runs it */
	assert_int_equal(record_check_command(elf), 0);	/* the kernel judges it */
	expect_command_error(dir, "cannot run ");
	expect_command_error(dir, ": is a directory");
	expect_command_error(plain, ": Permission denied (not executable)");
	expect_command_error(garbage, ": exec format error (neither an ELF program nor a script)");
	expect_command_error(fifo, ": a FIFO, not a program");
	expect_command_error("./no/such/program", "cannot run ./no/such/program: No such file or directory");
	expect_command_error("", "command not found: ''");

	/* Names: $PATH as execvp searches it; a directory of that name is skipped. */
	setenv("PATH", tmpdir, 1);
	expect_command_error("bin", "command not found: bin");
	setenv("PATH", dir, 1);
	assert_int_equal(record_check_command("script"), 0);
	expect_command_error("garbage", "cannot run garbage: exec format error");
	expect_command_error("plain", "cannot run plain: Permission denied (");
	expect_command_error("plain", "/bin/plain is not executable)");
	expect_command_error("nothing-here", "command not found: nothing-here");
	if (path)
		setenv("PATH", path, 1);
	else
		unsetenv("PATH");
	free(path);
	free(fifo);
	free(plain);
	free(elf);
	free(script);
	free(garbage);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_events_and_filters),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_stack),
		cmocka_unit_test(test_command_stops_parsing),
		cmocka_unit_test(test_pids),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_repeatable),
		cmocka_unit_test(test_expand_events),
		cmocka_unit_test(test_expand_filters),
		cmocka_unit_test(test_targets_add_once),
		cmocka_unit_test(test_command_checks),
		cmocka_unit_test(test_undo_restores_in_reverse),
		cmocka_unit_test(test_undo_rollback_and_replay),
		cmocka_unit_test(test_undo_failed_write_is_not_recorded),
		cmocka_unit_test(test_undo_needs_a_private_directory),
		cmocka_unit_test(test_undo_removes_instances_first),
	};

	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
