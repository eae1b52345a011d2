// SPDX-License-Identifier: GPL-2.0
/*
 * The syscall view's decoders (syscall/sc_decode.h), names (sc_names.h), -e
 * selections and the formatter's lines (sc_fmt.h) against known values:
 * strace's notation for the same numbers, and lines for crafted event streams
 * (entry/exit joined, unfinished/resumed between threads, descriptors followed
 * through open, dup2 and close, exits and lost events).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>

#include "syscall/sc_args.h"
#include "syscall/sc_decode.h"
#include "syscall/sc_fmt.h"
#include "syscall/sc_names.h"
#include "util.h"

#define EXPECT(call, want)                                                                   \
	do {                                                                                  \
		struct sc_buf b = { 0 };                                                     \
		call;                                                                         \
		assert_string_equal(sc_buf_str(&b), want);                                   \
		sc_buf_free(&b);                                                              \
	} while (0)

static void test_errno(void **state)
{
	(void)state;
	EXPECT(sc_put_errno(&b, ENOENT), "-1 ENOENT (No such file or directory)");
	EXPECT(sc_put_errno(&b, EACCES), "-1 EACCES (Permission denied)");
	EXPECT(sc_put_errno(&b, 512), "? ERESTARTSYS (To be restarted if SA_RESTART is set)");
	assert_int_equal(sc_ret_errno(-2), ENOENT);
	assert_int_equal(sc_ret_errno(-4096), 0);	/* an address, not an error */
	assert_int_equal(sc_ret_errno(3), 0);
}

static void test_open_flags(void **state)
{
	(void)state;
	EXPECT(sc_put_open_flags(&b, O_RDONLY), "O_RDONLY");
	EXPECT(sc_put_open_flags(&b, O_RDONLY | O_CLOEXEC), "O_RDONLY|O_CLOEXEC");
	EXPECT(sc_put_open_flags(&b, O_WRONLY | O_CREAT | O_TRUNC), "O_WRONLY|O_CREAT|O_TRUNC");
	EXPECT(sc_put_open_flags(&b, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
	       "O_RDONLY|O_CLOEXEC|O_DIRECTORY");
	EXPECT(sc_put_open_flags(&b, O_RDWR | O_TMPFILE), "O_RDWR|O_TMPFILE");
	EXPECT(sc_put_open_flags(&b, O_WRONLY | O_SYNC), "O_WRONLY|O_SYNC");
	EXPECT(sc_put_open_flags(&b, O_RDONLY | 0x80000000u), "O_RDONLY|0x80000000");
}

static void test_modes_and_fds(void **state)
{
	(void)state;
	EXPECT(sc_put_mode(&b, 0644), "0644");
	EXPECT(sc_put_mode(&b, 0), "000");
	EXPECT(sc_put_mode(&b, 04755), "04755");
	EXPECT(sc_put_dirfd(&b, AT_FDCWD, NULL), "AT_FDCWD");
	EXPECT(sc_put_dirfd(&b, (uint32_t)AT_FDCWD, NULL), "AT_FDCWD");	/* as a register holds it */
	EXPECT(sc_put_dirfd(&b, 5, "/etc"), "5</etc>");
	EXPECT(sc_put_fd(&b, 3, "/etc/ld.so.cache"), "3</etc/ld.so.cache>");
	EXPECT(sc_put_fd(&b, 3, NULL), "3");
	EXPECT(sc_put_fd(&b, 0xffffffff, "x"), "-1");
	EXPECT(sc_put_access_mode(&b, F_OK), "F_OK");
	EXPECT(sc_put_access_mode(&b, R_OK | W_OK), "R_OK|W_OK");
	EXPECT(sc_put_access_mode(&b, X_OK | 0x40), "X_OK|0x40");
	EXPECT(sc_put_at_flags(&b, AT_EMPTY_PATH), "AT_EMPTY_PATH");
	EXPECT(sc_put_at_flags(&b, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH),
	       "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
	EXPECT(sc_put_at_flags(&b, 0), "0");
}

static void test_signals(void **state)
{
	(void)state;
	EXPECT(sc_put_signal(&b, SIGUSR1), "SIGUSR1");
	EXPECT(sc_put_signal(&b, SIGKILL), "SIGKILL");
	EXPECT(sc_put_signal(&b, 0), "0");
	EXPECT(sc_put_signal(&b, SIGRTMIN), "SIGRTMIN");
	EXPECT(sc_put_signal(&b, SIGRTMIN + 2), "SIGRTMIN+2");
	EXPECT(sc_put_signal(&b, 200), "200");
}

static void test_mmap(void **state)
{
	(void)state;
	EXPECT(sc_put_mmap_prot(&b, PROT_NONE), "PROT_NONE");
	EXPECT(sc_put_mmap_prot(&b, PROT_READ | PROT_EXEC), "PROT_READ|PROT_EXEC");
	EXPECT(sc_put_mmap_flags(&b, MAP_PRIVATE | MAP_ANONYMOUS), "MAP_PRIVATE|MAP_ANONYMOUS");
	EXPECT(sc_put_mmap_flags(&b, MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE),
	       "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
	EXPECT(sc_put_mmap_flags(&b, MAP_SHARED), "MAP_SHARED");
}

static void test_strings(void **state)
{
	(void)state;
	EXPECT(sc_put_string(&b, "/etc/passwd", 0), "\"/etc/passwd\"");
	EXPECT(sc_put_string(&b, "/etc/passwd", 4), "\"/etc\"...");
	EXPECT(sc_put_string(&b, "a\"b\n\\", 0), "\"a\\\"b\\n\\\\\"");
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sc_name(__NR_openat), "openat");
	assert_string_equal(sc_name(__NR_read), "read");
	assert_int_equal(sc_nr("execve"), __NR_execve);
	assert_int_equal(sc_nr("no_such_call"), -1);
	assert_null(sc_name(-1));
	assert_null(sc_name(100000));
	assert_string_equal(sc_closest("opne"), "open");
	assert_string_equal(sc_closest("opnat"), "openat");
	assert_int_equal(sc_in_class("file", "openat"), 1);
	assert_int_equal(sc_in_class("file", "read"), 0);
	assert_int_equal(sc_in_class("process", "clone"), 1);
	assert_int_equal(sc_in_class("network", "connect"), 1);
	assert_int_equal(sc_in_class("nonsense", "read"), -1);
	assert_int_equal(sc_path_arg("openat"), 1);
	assert_int_equal(sc_path_arg("read"), -1);
	assert_string_equal(sc_signature("openat"), "Dpom");
}

static void test_selection(void **state)
{
	char *plain[] = { "openat,close" };
	char *classes[] = { "trace=%process" };
	char *negated[] = { "!%file", "openat" };
	char *bad[] = { "opne" };
	char *bad_class[] = { "%files" };
	bool *sel;

	(void)state;
	sel = sc_parse_selection(plain, 1);
	assert_non_null(sel);
	assert_true(sel[__NR_openat] && sel[__NR_close] && !sel[__NR_read]);
	free(sel);
	sel = sc_parse_selection(classes, 1);
	assert_true(sel[__NR_clone] && sel[__NR_execve] && !sel[__NR_openat]);
	free(sel);
	sel = sc_parse_selection(negated, 2);
	assert_true(sel[__NR_read] && !sel[__NR_access] && sel[__NR_openat]);
	free(sel);
	assert_null(sc_parse_selection(bad, 1));
	assert_string_equal(st_last_error(), "-e: unknown syscall 'opne' (did you mean 'open'?)");
	assert_null(sc_parse_selection(bad_class, 1));
	assert_non_null(strstr(st_last_error(), "unknown class '%files'"));
}

/* ---- the formatter on crafted streams ---- */

struct stream {
	char *text;
	size_t len;
	FILE *out;
	struct sc_fmt *f;
};

static void stream_open(struct stream *s, struct sc_fmt_opts o)
{
	memset(s, 0, sizeof(*s));
	s->out = open_memstream(&s->text, &s->len);
	o.out = s->out;
	s->f = sc_fmt_new(&o);
}

static const char *stream_close(struct stream *s)
{
	sc_fmt_finish(s->f);
	sc_fmt_free(s->f);
	fclose(s->out);
	return s->text;
}

static void enter(struct sc_fmt *f, uint64_t us, int tid, long nr, uint64_t a0, uint64_t a1,
		  uint64_t a2)
{
	struct sc_event ev = { .type = SC_EV_ENTER, .ts = us * 1000, .tid = tid, .nr = nr,
			       .args = { a0, a1, a2 } };

	sc_fmt_feed(f, &ev);
}

static void leave(struct sc_fmt *f, uint64_t us, int tid, long nr, int64_t ret)
{
	struct sc_event ev = { .type = SC_EV_EXIT, .ts = us * 1000, .tid = tid, .nr = nr,
			       .ret = ret };

	sc_fmt_feed(f, &ev);
}

static void path(struct sc_fmt *f, uint64_t us, int tid, const char *p)
{
	struct sc_event ev = { .type = SC_EV_PATH, .ts = us * 1000, .tid = tid, .path = p };

	sc_fmt_feed(f, &ev);
}

static void test_lines(void **state)
{
	struct stream s;

	(void)state;
	stream_open(&s, (struct sc_fmt_opts){ 0 });
	sc_fmt_add_task(s.f, 100, "ls");
	path(s.f, 0, 100, "/etc/ld.so.cache");
	enter(s.f, 10, 100, __NR_openat, (uint32_t)AT_FDCWD, 0x1234, O_RDONLY | O_CLOEXEC);
	leave(s.f, 24, 100, __NR_openat, 3);
	enter(s.f, 30, 100, __NR_read, 3, 0x7ffd0000, 832);
	leave(s.f, 40, 100, __NR_read, 832);
	enter(s.f, 50, 100, __NR_dup2, 3, 7, 0);
	leave(s.f, 51, 100, __NR_dup2, 7);
	enter(s.f, 60, 100, __NR_close, 3, 0, 0);
	leave(s.f, 61, 100, __NR_close, 0);
	enter(s.f, 70, 100, __NR_fstat, 7, 0x7ffd0000, 0);
	leave(s.f, 71, 100, __NR_fstat, 0);
	enter(s.f, 80, 100, __NR_close, 3, 0, 0);
	leave(s.f, 81, 100, __NR_close, -EBADF);
	enter(s.f, 90, 999, __NR_close, 3, 0, 0);	/* a thread not followed */
	leave(s.f, 91, 999, __NR_close, 0);
	assert_string_equal(stream_close(&s),
		"   0.000 ( 0.014 ms) ls/100 openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3\n"
		"   0.020 ( 0.010 ms) ls/100 read(3</etc/ld.so.cache>, 0x7ffd0000, 832) = 832\n"
		"   0.040 ( 0.001 ms) ls/100 dup2(3</etc/ld.so.cache>, 7) = 7\n"
		"   0.050 ( 0.001 ms) ls/100 close(3</etc/ld.so.cache>) = 0\n"
		"   0.060 ( 0.001 ms) ls/100 fstat(7</etc/ld.so.cache>, 0x7ffd0000) = 0\n"
		"   0.070 ( 0.001 ms) ls/100 close(3) = -1 EBADF (Bad file descriptor)\n");
	free(s.text);
}

static void test_unfinished(void **state)
{
	struct stream s;

	(void)state;
	stream_open(&s, (struct sc_fmt_opts){ 0 });
	sc_fmt_add_task(s.f, 1, "a");
	sc_fmt_add_task(s.f, 2, "b");
	enter(s.f, 0, 1, __NR_read, 0, 0x10, 5);
	enter(s.f, 1000, 2, __NR_getpid, 0, 0, 0);
	leave(s.f, 1002, 2, __NR_getpid, 2);
	leave(s.f, 2000, 1, __NR_read, 5);
	enter(s.f, 3000, 2, __NR_exit_group, 4, 0, 0);
	{
		struct sc_event ev = { .type = SC_EV_TASK_EXIT, .ts = 3001000, .tid = 2 };

		sc_fmt_feed(s.f, &ev);
	}
	assert_string_equal(stream_close(&s),
		"   0.000 (         ) a/1 read(0, 0x10, 5 <unfinished ...>\n"
		"   1.000 ( 0.002 ms) b/2 getpid() = 2\n"
		"   2.000 ( 2.000 ms) a/1 <... read resumed>) = 5\n"
		"   3.000 (         ) b/2 exit_group(4) = ?\n"
		"   3.001 (         ) b/2 +++ exited with 4 +++\n");
	free(s.text);
}

static void event(struct sc_fmt *f, struct sc_event ev)
{
	sc_fmt_feed(f, &ev);
}

/*
 * A fork copies the descriptors, an exec closes the close-on-exec ones and
 * renames the task; a kernel probe's path (inside the call) names the call's
 * argument; a launcher's calls before its exec are not shown.
 */
static void test_fork_exec_and_kernel_paths(void **state)
{
	struct stream s;

	(void)state;
	stream_open(&s, (struct sc_fmt_opts){ 0 });
	sc_fmt_add_task(s.f, 10, "sidetrace");
	sc_fmt_await_exec(s.f, 10);
	sc_fmt_set_fd(s.f, 10, 4, "/dev/null", false);
	enter(s.f, 0, 10, __NR_close, 5, 0, 0);	/* the launcher's own: hidden */
	leave(s.f, 1, 10, __NR_close, 0);
	enter(s.f, 2, 10, __NR_execve, 0x1000, 0x2000, 0x3000);
	event(s.f, (struct sc_event){ .type = SC_EV_PATH, .ts = 3000, .tid = 10, .path = "/bin/sh",
				      .path_inside = true });
	event(s.f, (struct sc_event){ .type = SC_EV_EXEC, .ts = 4000, .tid = 10, .comm = "/bin/sh" });
	leave(s.f, 5, 10, __NR_execve, 0);
	enter(s.f, 10, 10, __NR_openat, (uint32_t)AT_FDCWD, 0x1234, O_RDONLY | O_CLOEXEC);
	event(s.f, (struct sc_event){ .type = SC_EV_PATH, .ts = 11000, .tid = 10, .path = "/etc/x",
				      .path_inside = true });
	leave(s.f, 12, 10, __NR_openat, 3);
	event(s.f, (struct sc_event){ .type = SC_EV_FORK, .ts = 20000, .tid = 10, .child = 11,
				      .comm = "sh" });
	enter(s.f, 30, 11, __NR_read, 3, 0x10, 1);
	leave(s.f, 31, 11, __NR_read, 1);
	enter(s.f, 40, 11, __NR_execve, 0x1000, 0x2000, 0x3000);
	event(s.f, (struct sc_event){ .type = SC_EV_EXEC, .ts = 41000, .tid = 11,
				      .comm = "/usr/bin/a-very-long-program-name" });
	leave(s.f, 42, 11, __NR_execve, 0);
	enter(s.f, 50, 11, __NR_fstat, 3, 0x10, 0);	/* closed at exec */
	leave(s.f, 51, 11, __NR_fstat, -EBADF);
	enter(s.f, 60, 11, __NR_fstat, 4, 0x10, 0);	/* inherited from the launcher */
	leave(s.f, 61, 11, __NR_fstat, 0);
	assert_string_equal(stream_close(&s),
		"   0.000 ( 0.003 ms) sh/10 execve(\"/bin/sh\", 0x2000, 0x3000) = 0\n"
		"   0.008 ( 0.002 ms) sh/10 openat(AT_FDCWD, \"/etc/x\", O_RDONLY|O_CLOEXEC) = 3\n"
		"   0.028 ( 0.001 ms) sh/11 read(3</etc/x>, 0x10, 1) = 1\n"
		"   0.038 ( 0.002 ms) a-very-long-pro/11 execve(0x1000, 0x2000, 0x3000) = 0\n"
		"   0.048 ( 0.001 ms) a-very-long-pro/11 fstat(3, 0x10) = -1 EBADF (Bad file descriptor)\n"
		"   0.058 ( 0.001 ms) a-very-long-pro/11 fstat(4</dev/null>, 0x10) = 0\n");
	free(s.text);
}

static void test_filters_and_summary(void **state)
{
	struct stream s;
	const char *text;

	(void)state;
	stream_open(&s, (struct sc_fmt_opts){ .failed_only = true });
	enter(s.f, 0, 5, __NR_access, 0x1, R_OK, 0);
	leave(s.f, 1, 5, __NR_access, -ENOENT);
	enter(s.f, 2, 5, __NR_access, 0x1, R_OK, 0);
	leave(s.f, 3, 5, __NR_access, 0);
	{
		struct sc_event ev = { .type = SC_EV_LOST, .ts = 4000, .cpu = 1, .lost = 12 };

		sc_fmt_feed(s.f, &ev);
	}
	text = stream_close(&s);
	assert_non_null(strstr(text, "?/5 access(0x1, R_OK) = -1 ENOENT"));
	assert_null(strstr(text, ") = 0\n"));
	assert_non_null(strstr(text, "... 12 events lost on CPU 1"));
	free(s.text);

	stream_open(&s, (struct sc_fmt_opts){ .summary = true });
	enter(s.f, 0, 5, __NR_access, 0x1, R_OK, 0);
	leave(s.f, 10, 5, __NR_access, -ENOENT);
	enter(s.f, 20, 5, __NR_access, 0x1, R_OK, 0);
	leave(s.f, 50, 5, __NR_access, 0);
	text = stream_close(&s);
	assert_non_null(strstr(text, "% time     seconds  usecs/call     calls    errors syscall\n"));
	assert_non_null(strstr(text, "100.00    0.000040          20         2         1 access\n"));
	assert_non_null(strstr(text, " total\n"));
	assert_null(strstr(text, "R_OK"));	/* no lines */
	free(s.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errno),
		cmocka_unit_test(test_open_flags),
		cmocka_unit_test(test_modes_and_fds),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_mmap),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_unfinished),
		cmocka_unit_test(test_fork_exec_and_kernel_paths),
		cmocka_unit_test(test_filters_and_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
