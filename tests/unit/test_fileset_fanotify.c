// SPDX-License-Identifier: GPL-2.0
/*
 * The fanotify part of a record --files option: its lines parsed into
 * fs_info (events, their path as seen, counts, per-backend blind spots), and
 * their merge into the model: events of processes outside the trace's tree
 * dropped, a file the probes saw under a symbolic link's name merged with
 * fanotify's real path, each file saying who saw it.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileset/fileset.h"
#include "util.h"

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

static void test_parse(void **state)
{
	static const char text[] =
		"version=1\nbackend=uprobe+fanotify\ngroup=g\ncannot_see=both\n"
		"cannot_see_uprobe=static\ncannot_see_fanotify=failed\nroot_pid=7\n"
		"fanotify_overflows=2\nfanotify_unresolved=3\nfanotify_dropped=9\n"
		"fanotify_marked=4\nfanotify_unmarked=proc, sysfs\n"
		"fan=7 ox /usr/bin/busybox\nfan=8 o /jail/etc/motd\nfan_as_seen=/etc/motd\n"
		"fan=8 ow /tmp/out with space\nfan=x o /bad\nfan=9 o relative\n";
	struct fs_info info;

	(void)state;
	assert_int_equal(fs_info_parse(text, sizeof(text), &info), 0);
	assert_true(info.fanotify);
	assert_string_equal(info.backend, "uprobe+fanotify");
	assert_string_equal(info.cannot_see_probes, "static");
	assert_string_equal(info.cannot_see_fanotify, "failed");
	assert_string_equal(info.fan_unmarked, "proc, sysfs");
	assert_int_equal(info.fan_overflows, 2);
	assert_int_equal(info.fan_unresolved, 3);
	assert_int_equal(info.fan_dropped, 9);
	assert_int_equal(info.nr_fan, 3);	/* the malformed lines are skipped */
	assert_int_equal(info.fan[0].pid, 7);
	assert_int_equal(info.fan[0].access, FS_READ | FS_EXEC);
	assert_string_equal(info.fan[0].path, "/usr/bin/busybox");
	assert_null(info.fan[0].as_seen);
	assert_string_equal(info.fan[1].as_seen, "/etc/motd");
	assert_string_equal(info.fan[2].path, "/tmp/out with space");
	assert_int_equal(info.fan[2].access, FS_WRITE);
	fs_info_free(&info);

	/* A probes-only recording has no fanotify part. */
	assert_int_equal(fs_info_parse("backend=kprobe\n", 16, &info), 0);
	assert_false(info.fanotify);
	assert_int_equal(info.nr_fan, 0);
	fs_info_free(&info);
}

static void test_merge(void **state)
{
	char dir[] = "/tmp/st-fanotify-XXXXXX", real[PATH_MAX], *target, *link, *text;
	struct fs_model *m;
	struct fs_info info;
	const struct fs_file *f;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_non_null(realpath(dir, real));
	target = xasprintf("%s/target.conf", real);
	link = xasprintf("%s/link.conf", real);
	fd = open(target, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(symlink("target.conf", link), 0);

	text = xasprintf("backend=uprobe+fanotify\nroot_pid=100\n"
			 "fan=101 o %s\nfan=101 ox /usr/bin/static\nfan=999 o /etc/secret\n"
			 "fan=100 o /etc/root-file\nfan=101 o /jail/etc/motd\nfan_as_seen=/etc/motd\n"
			 "fan_unresolved=101 2\nfan_unresolved=999 5\n",
			 target);
	assert_int_equal(fs_info_parse(text, strlen(text) + 1, &info), 0);

	m = fs_model_new("/");
	fs_clone(m, 100, 101, 0, "child");
	fs_add(m, link, FS_READ, 101, "child");	/* as the probes saw it: the link's name */
	fs_merge_fanotify(m, &info);

	f = find(m, link);
	assert_non_null(f);
	assert_int_equal(f->seen_by, FS_SEEN_TRACE | FS_SEEN_FANOTIFY);
	assert_null(find(m, target));	/* the same file: not listed twice */
	f = find(m, "/usr/bin/static");
	assert_non_null(f);
	assert_int_equal(f->seen_by, FS_SEEN_FANOTIFY);
	assert_int_equal(f->access, FS_READ | FS_EXEC);
	assert_string_equal(f->comm, "child");
	assert_null(find(m, "/etc/secret"));	/* pid 999 is not of the tree */
	assert_int_equal(fs_model_counts(m)->fan_outside, 1);
	assert_int_equal(fs_model_counts(m)->fan_unresolved, 2);	/* not pid 999's */
	assert_non_null(find(m, "/etc/root-file"));	/* the root, even without a trace event */
	f = find(m, "/jail/etc/motd");
	assert_non_null(f);
	assert_string_equal(f->as_seen, "/etc/motd");

	fs_model_free(m);
	fs_info_free(&info);
	unlink(link);
	unlink(target);
	rmdir(dir);
	free(text);
	free(link);
	free(target);
}

/* busybox re-executes /proc/self/exe: the reader's own binary says nothing of it. */
static void test_exec_proc_self(void **state)
{
	struct fs_model *m = fs_model_new("/");
	struct fs_file **files;
	int n;

	(void)state;
	fs_exec(m, 5, 5, "/proc/self/exe");
	n = fs_files(m, &files);
	assert_int_equal(n, 1);	/* the pseudo path itself, left out of the list later */
	assert_string_equal(files[0]->path, "/proc/self/exe");
	free(files);
	fs_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_exec_proc_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
