// SPDX-License-Identifier: GPL-2.0
/*
 * The file-set model: path resolution (cwd, dirfd, "..", symlinks), the
 * process tree (fork, threads, exec, pid reuse), name/result pairing, and the
 * trace.dat option text.
 */
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileset/fileset.h"
#include "util.h"

static const struct fs_sys_args no_args = { .dfd = AT_FDCWD, .flags = 0, .fd = -1, .newfd = -1,
					    .cmd = -1 };

/* One open syscall as the uprobe backend records it: name, enter, exit. */
static void open_at(struct fs_model *m, pid_t tid, long dfd, const char *path, long flags, long ret)
{
	struct fs_sys_args a = no_args;

	a.dfd = dfd;
	a.flags = flags;
	fs_name(m, tid, FS_K_OPEN, path);
	fs_sys_enter(m, tid, "openat", &a);
	fs_sys_exit(m, tid, "openat", ret);
}

static void sys_fd(struct fs_model *m, pid_t tid, const char *sys, long fd, long ret)
{
	struct fs_sys_args a = no_args;

	a.fd = fd;
	fs_sys_enter(m, tid, sys, &a);
	fs_sys_exit(m, tid, sys, ret);
}

static void chdir_to(struct fs_model *m, pid_t tid, const char *path)
{
	fs_name(m, tid, FS_K_CHDIR, path);
	fs_sys_enter(m, tid, "chdir", &no_args);
	fs_sys_exit(m, tid, "chdir", 0);
}

static const struct fs_file *find(struct fs_model *m, const char *path)
{
	struct fs_file **files;
	const struct fs_file *found = NULL;
	int n = fs_files(m, &files);

	for (int i = 0; i < n; i++)
		if (!strcmp(files[i]->path, path))
			found = files[i];
	free(files);
	return found;
}

static void test_normalize(void **state)
{
	static const char *const cases[][2] = {
		{ "/a/./b//c/", "/a/b/c" }, { "/", "/" }, { "//", "/" }, { "/a/b/../c", "/a/c" },
		{ "/..", "/" }, { "/a/../../b", "/b" }, { "/nonexistent-x/../y", "/y" },
	};
	char *s;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		s = fs_normalize(NULL, cases[i][0]);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
}

/* ".." after a symlink goes up from the link's target, as the kernel does. */
static void test_dotdot_symlink(void **state)
{
	char root[] = "/tmp/fileset-test.XXXXXX", *p;

	(void)state;
	assert_non_null(mkdtemp(root));
	p = xasprintf("%s/real", root);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/real/sub", root);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/link", root);
	assert_int_equal(symlink("real/sub", p), 0);
	free(p);
	p = fs_normalize(root, "/link/../file");	/* link -> real/sub, so .. is /real */
	assert_string_equal(p, "/real/file");
	free(p);
	p = fs_normalize(root, "/plain/../file");	/* missing: lexical */
	assert_string_equal(p, "/file");
	free(p);
	p = xasprintf("rm -rf %s", root);
	assert_int_equal(system(p), 0);
	free(p);
}

static void test_cwd_and_dirfd(void **state)
{
	struct fs_model *m = fs_model_new("/home/u");
	char *p;

	(void)state;
	open_at(m, 10, AT_FDCWD, "rel/a.conf", O_RDONLY, 3);
	assert_non_null(find(m, "/home/u/rel/a.conf"));
	chdir_to(m, 10, "../w");
	assert_string_equal(fs_cwd(m, 10), "/home/w");
	open_at(m, 10, AT_FDCWD, "conf", O_RDONLY | O_DIRECTORY, 4);
	assert_string_equal(fs_fd_path(m, 10, 4), "/home/w/conf");
	open_at(m, 10, 4, "x.conf", O_RDONLY, 5);
	assert_non_null(find(m, "/home/w/conf/x.conf"));
	/* fchdir through the fd table, then dup keeps the path. */
	sys_fd(m, 10, "fchdir", 4, 0);
	assert_string_equal(fs_cwd(m, 10), "/home/w/conf");
	sys_fd(m, 10, "dup", 4, 7);
	assert_string_equal(fs_fd_path(m, 10, 7), "/home/w/conf");
	sys_fd(m, 10, "close", 4, 0);
	assert_null(fs_fd_path(m, 10, 4));
	/* An unknown dirfd is not guessed. */
	p = fs_resolve(m, 10, 42, "y");
	assert_null(p);
	assert_int_equal(fs_model_counts(m)->unresolved, 1);
	fs_model_free(m);
}

static void test_failed_and_access(void **state)
{
	struct fs_model *m = fs_model_new("/");
	const struct fs_file *f;

	(void)state;
	open_at(m, 1, AT_FDCWD, "/etc/missing", O_RDONLY, -2);
	open_at(m, 1, AT_FDCWD, "/etc/missing", O_RDONLY, -2);
	open_at(m, 1, AT_FDCWD, "/tmp/out", O_WRONLY | O_CREAT, 3);
	f = find(m, "/etc/missing");
	assert_non_null(f);
	assert_int_equal(f->access, 0);
	assert_int_equal(f->nr_errs, 1);
	assert_int_equal(f->errs[0].err, 2);
	assert_int_equal(f->errs[0].count, 2);
	assert_int_equal(find(m, "/tmp/out")->access, FS_WRITE | FS_CREATE);
	/* A result without a name is counted, never invented. */
	fs_sys_enter(m, 1, "openat", &no_args);
	fs_sys_exit(m, 1, "openat", 5);
	assert_int_equal(fs_model_counts(m)->unnamed_ok, 1);
	/* A name of another kind (a stat) does not name an open. */
	fs_name(m, 1, FS_K_STAT, "/etc/statted");
	fs_sys_enter(m, 1, "openat", &no_args);
	fs_sys_exit(m, 1, "openat", 6);
	assert_null(find(m, "/etc/statted"));
	assert_int_equal(fs_model_counts(m)->unnamed_ok, 2);
	fs_model_free(m);
}

/* The kprobe backend: the name arrives inside the syscall; stray lookups are ignored. */
static void test_kprobe_pairing(void **state)
{
	struct fs_model *m = fs_model_new("/");

	(void)state;
	fs_name(m, 1, FS_K_ANY, "/not/a/recorded/syscall");	/* e.g. unlink */
	fs_sys_enter(m, 1, "openat", &no_args);
	fs_name(m, 1, FS_K_ANY, "/etc/passwd");
	fs_name(m, 1, FS_K_ANY, "/second/lookup");
	fs_sys_exit(m, 1, "openat", 3);
	assert_non_null(find(m, "/etc/passwd"));
	assert_null(find(m, "/second/lookup"));
	assert_null(find(m, "/not/a/recorded/syscall"));
	fs_model_free(m);
}

static void test_fork_thread_exec(void **state)
{
	struct fs_model *m = fs_model_new("/start");

	(void)state;
	chdir_to(m, 100, "/parent");
	open_at(m, 100, AT_FDCWD, "/d", O_RDONLY | O_DIRECTORY, 3);
	open_at(m, 100, AT_FDCWD, "/cloexec", O_RDONLY | O_CLOEXEC, 4);
	/* fork: copies of cwd and fds */
	fs_clone(m, 100, 101, 0, "sh");
	assert_string_equal(fs_cwd(m, 101), "/parent");
	assert_string_equal(fs_fd_path(m, 101, 3), "/d");
	chdir_to(m, 101, "/child");
	assert_string_equal(fs_cwd(m, 100), "/parent");
	assert_int_equal(fs_tgid(m, 101), 101);
	/* a thread: shared cwd and fd table, same thread group */
	fs_clone(m, 100, 102, CLONE_THREAD | CLONE_FS | CLONE_FILES | CLONE_VM, "sh");
	assert_int_equal(fs_tgid(m, 102), 100);
	chdir_to(m, 102, "/threaddir");
	assert_string_equal(fs_cwd(m, 100), "/threaddir");
	/* exec keeps the cwd and drops O_CLOEXEC fds */
	fs_exec(m, 101, 101, "/usr/bin/nonexistent-prog");
	assert_string_equal(fs_cwd(m, 101), "/child");
	assert_null(fs_fd_path(m, 101, 4));
	assert_string_equal(fs_fd_path(m, 101, 3), "/d");
	assert_true(find(m, "/usr/bin/nonexistent-prog")->access & FS_EXEC);
	/* a relative exec resolves against the cwd; fexecve's /dev/fd/N through the fds */
	fs_exec(m, 101, 101, "./tool");
	assert_non_null(find(m, "/child/tool"));
	fs_exec(m, 101, 101, "/dev/fd/3");
	assert_true(find(m, "/d")->access & FS_EXEC);
	/* a non-leader thread's exec takes the leader's pid, keeping its state */
	fs_exec(m, 100, 102, "/bin/true-ish");
	assert_string_equal(fs_cwd(m, 100), "/threaddir");
	fs_model_free(m);
}

static void test_pid_reuse(void **state)
{
	struct fs_model *m = fs_model_new("/");

	(void)state;
	fs_clone(m, 1, 50, 0, "a");
	chdir_to(m, 50, "/old");
	open_at(m, 50, AT_FDCWD, "/old/fd", O_RDONLY, 3);
	fs_exit(m, 50);
	chdir_to(m, 1, "/new");
	fs_clone(m, 1, 50, 0, "b");	/* the same pid, a new process */
	assert_string_equal(fs_cwd(m, 50), "/new");
	assert_null(fs_fd_path(m, 50, 3));
	open_at(m, 50, AT_FDCWD, "x", O_RDONLY, 3);
	assert_int_equal(find(m, "/new/x")->pid, 50);
	assert_string_equal(find(m, "/new/x")->comm, "b");
	fs_model_free(m);
}

/* Many tasks: the tables grow and keep every entry. */
static void test_many_tasks(void **state)
{
	struct fs_model *m = fs_model_new("/");
	char dir[32];

	(void)state;
	for (int i = 2; i < 3000; i++) {
		fs_clone(m, 1, i, 0, "w");
		snprintf(dir, sizeof(dir), "/d%d", i);
		chdir_to(m, i, dir);
	}
	for (int i = 2; i < 3000; i += 97) {
		snprintf(dir, sizeof(dir), "/d%d", i);
		assert_string_equal(fs_cwd(m, i), dir);
	}
	fs_model_free(m);
}

static void test_info_parse(void **state)
{
	static const char text[] = "version=1\nbackend=uprobe\ngroup=g\ncannot_see=a\\nb\n"
				   "cwd=/w\nroot_pid=42\nargv=ls\nargv=/\nld_library_path=/x\n";
	struct fs_info info;

	(void)state;
	assert_int_equal(fs_info_parse(text, sizeof(text), &info), 0);
	assert_string_equal(info.backend, "uprobe");
	assert_string_equal(info.cannot_see, "a\nb");
	assert_string_equal(info.cwd, "/w");
	assert_int_equal(info.root_pid, 42);
	assert_int_equal(info.argc, 2);
	assert_string_equal(info.argv[1], "/");
	assert_string_equal(info.ld_library_path, "/x");
	fs_info_free(&info);
	assert_int_equal(fs_info_parse("cwd=/\n", 7, &info), -1);
}

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(fs_kind_of_probe("open_open64"), FS_K_OPEN);
	assert_int_equal(fs_kind_of_probe("any_getname"), FS_K_ANY);
	assert_int_equal(fs_kind_of_probe("dlopenret_dlopen"), FS_K_DLOPENRET);
	assert_int_equal(fs_kind_of_probe("dlopen_dlopen"), FS_K_DLOPEN);
	assert_int_equal(fs_kind_of_probe("weird"), FS_K_NONE);
	assert_true(fs_is_pseudo("/proc/self/maps"));
	assert_true(fs_is_pseudo("/dev"));
	assert_false(fs_is_pseudo("/devices"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_dotdot_symlink),
		cmocka_unit_test(test_cwd_and_dirfd),
		cmocka_unit_test(test_failed_and_access),
		cmocka_unit_test(test_kprobe_pairing),
		cmocka_unit_test(test_fork_thread_exec),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_many_tasks),
		cmocka_unit_test(test_info_parse),
		cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
