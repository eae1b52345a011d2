// SPDX-License-Identifier: GPL-2.0
/*
 * Safe output files (outfile.h) in a scratch directory: the temporary and the
 * rename, the mode, links and files of other users (made with lchown, so
 * those tests need root), sticky directories, FIFOs, long names.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "outfile/outfile.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include "record_test.h"

#define OTHER_UID 65534		/* nobody */


static const struct outfile_opts private_file = { .mode = OUTFILE_PRIVATE, .seekable = true };
static const struct outfile_opts public_file = { .mode = OUTFILE_PUBLIC };

static void need_root(void)
{
	if (geteuid() != 0)
		skip();	/* lchown to another user needs root */
}

/* A fresh directory in tmpdir with mode mode (e.g. 01777: sticky, world-writable). */
static char *new_dir(const char *name, mode_t mode)
{
	char *dir = xasprintf("%s/%s", tmpdir, name);

	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, mode), 0);
	return dir;
}

/* The number of entries in dir besides . and .. */
static int nr_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void write_text(struct outfile *f, const char *text)
{
	assert_int_equal(write_all(outfile_fd(f), text, strlen(text)), 0);
}

static void expect_open_error(const char *path, const struct outfile_opts *o, const char *what)
{
	struct outfile *f = outfile_open(path, o);

	assert_null(f);
	if (!strstr(st_last_error(), what))
		fail_msg("error '%s' does not contain '%s'", st_last_error(), what);
}

static void test_new_file_appears_complete_and_private(void **state)
{
	char *dir = new_dir("new", 0755), *path = xasprintf("%s/t.dat", dir);
	mode_t old = umask(022);
	struct outfile *f = outfile_open(path, &private_file);
	struct stat st;

	assert_non_null(f);
	write_text(f, "trace");
	/* Nothing has a name until the commit (O_TMPFILE here). */
	assert_int_equal(nr_entries(dir), 0);
	assert_int_equal(outfile_commit(f), 0);
	outfile_close(f);
	assert_file(path, "trace");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(nr_entries(dir), 1);

	/* An ordinary output takes what the umask leaves of 0666. */
	f = outfile_open(path, &public_file);
	assert_non_null(f);
	assert_int_equal(outfile_commit(f), 0);
	outfile_close(f);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	umask(old);
	free(dir);
	free(path);
}

static void test_existing_file_kept_until_commit(void **state)
{
	char *dir = new_dir("keep", 0755);
	char *path = make_file(dir, "t.dat", "old contents");
	struct outfile *f = outfile_open(path, &private_file);

	assert_non_null(f);
	write_text(f, "new");
	assert_file(path, "old contents");
	outfile_close(f);	/* no commit: given up */
	assert_file(path, "old contents");
	assert_int_equal(nr_entries(dir), 1);

	f = outfile_open(path, &private_file);
	assert_non_null(f);
	write_text(f, "new");
	assert_int_equal(outfile_commit(f), 0);
	outfile_close(f);
	assert_file(path, "new");
	free(dir);
	free(path);
}

/* Another user's link is replaced, never written through; its target is untouched. */
static void test_foreign_link_replaced(void **state)
{
	char *dir, *victim, *link;
	struct outfile *f;
	struct stat st;

	need_root();
	dir = new_dir("links", 0777);	/* not sticky: others may plant, not protected */
	victim = make_file(tmpdir, "victim", "root's file");
	link = xasprintf("%s/t.dat", dir);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(lchown(link, OTHER_UID, OTHER_UID), 0);
	f = outfile_open(link, &private_file);
	assert_non_null(f);
	write_text(f, "trace");
	assert_int_equal(outfile_commit(f), 0);
	outfile_close(f);
	assert_file(victim, "root's file");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_file(link, "trace");

	/* Our own link is followed: the file it names is replaced. */
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink(victim, link), 0);
	f = outfile_open(link, &private_file);
	assert_non_null(f);
	write_text(f, "through my link");
	assert_int_equal(outfile_commit(f), 0);
	outfile_close(f);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_file(victim, "through my link");
	free(dir);
	free(victim);
	free(link);
}

/* fs.protected_regular / protected_symlinks, whatever the sysctls say. */
static void test_sticky_directory_rules(void **state)
{
	char *dir, *file, *link, *through, *sub;
	struct outfile *f;

	need_root();
	dir = new_dir("sticky", 01777);
	file = make_file(dir, "theirs.dat", "their data");
	assert_int_equal(chown(file, OTHER_UID, OTHER_UID), 0);
	expect_open_error(file, &private_file, "belongs to another user (uid 65534) in a sticky");
	assert_file(file, "their data");

	link = xasprintf("%s/link.dat", dir);
	assert_int_equal(symlink("/etc/hostname", link), 0);
	assert_int_equal(lchown(link, OTHER_UID, OTHER_UID), 0);
	expect_open_error(link, &public_file, "belongs to another user");

	/* A directory reached through another user's link in a sticky directory. */
	sub = new_dir("elsewhere", 0755);
	through = xasprintf("%s/dirlink/t.dat", dir);
	free(link);
	link = xasprintf("%s/dirlink", dir);
	assert_int_equal(symlink(sub, link), 0);
	assert_int_equal(lchown(link, OTHER_UID, OTHER_UID), 0);
	expect_open_error(through, &public_file, "goes through a symbolic link of another user");
	assert_int_equal(nr_entries(sub), 0);

	/* Our own file there is ours to replace. */
	free(file);
	file = make_file(dir, "mine.dat", "old");
	f = outfile_open(file, &private_file);
	assert_non_null(f);
	assert_int_equal(outfile_commit(f), 0);
	outfile_close(f);
	assert_file(file, "");
	free(dir);
	free(file);
	free(link);
	free(through);
	free(sub);
}

static void test_fifo_never_blocks(void **state)
{
	char *dir = new_dir("fifo", 0755), *fifo = xasprintf("%s/pipe", dir);
	time_t start = time(NULL);

	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* A writer that seeks cannot use one. */
	expect_open_error(fifo, &private_file, "needs a seekable file");
	/* A streamed output can, but only while someone reads it. */
	expect_open_error(fifo, &public_file, "no process is reading the FIFO");
	assert_true(time(NULL) - start < 5);
	free(dir);
	free(fifo);
}

static void test_special_destinations(void **state)
{
	char *dir = new_dir("special", 0755), *slash = xasprintf("%s/", dir);
	struct outfile *f;

	expect_open_error(dir, &public_file, "Is a directory");
	expect_open_error(slash, &public_file, "Is a directory");
	/* A device of root's is written in place. */
	f = outfile_open("/dev/null", &private_file);
	assert_non_null(f);
	write_text(f, "nothing");
	assert_int_equal(outfile_commit(f), 0);
	outfile_close(f);
	/* A trusted link to a pipe, with no path behind it (/dev/stdout | ...). */
	{
		int p[2];
		char *through = NULL, got[8] = "";

		assert_int_equal(pipe(p), 0);
		through = xasprintf("/proc/self/fd/%d", p[1]);
		f = outfile_open(through, &public_file);
		assert_non_null(f);
		write_text(f, "piped");
		assert_int_equal(outfile_commit(f), 0);
		outfile_close(f);
		assert_int_equal(read(p[0], got, sizeof(got) - 1), 5);
		assert_string_equal(got, "piped");
		expect_open_error(through, &private_file, "needs a seekable file");
		close(p[0]);
		close(p[1]);
		free(through);
	}
	/* "-" is standard output, by its name in messages. */
	f = outfile_open("-", &public_file);
	assert_non_null(f);
	assert_string_equal(outfile_name(f), "standard output");
	outfile_close(f);
	assert_int_equal(nr_entries(dir), 0);
	free(dir);
	free(slash);
}

/* NAME_MAX is 255: a 254-character name needs no room for a suffix. */
static void test_longest_names(void **state)
{
	char *dir = new_dir("long", 0755), name[NAME_MAX + 1], *path;
	struct outfile *f;

	memset(name, 'n', 254);
	name[254] = '\0';
	path = xasprintf("%s/%s", dir, name);
	f = outfile_open(path, &private_file);
	assert_non_null(f);
	write_text(f, "long");
	assert_int_equal(outfile_commit(f), 0);
	outfile_close(f);
	assert_file(path, "long");
	free(dir);
	free(path);
}

static void test_scratch_files_are_unnamed(void **state)
{
	char *dir = new_dir("scratch", 0755), *path = xasprintf("%s/t.dat", dir);
	struct outfile *f = outfile_open(path, &private_file);
	int fd;

	assert_non_null(f);
	fd = outfile_scratch(f);
	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, "data", 4), 0);
	assert_int_equal(nr_entries(dir), 0);
	assert_string_equal(outfile_scratch_name(f), path);
	close(fd);
	outfile_close(f);
	assert_int_equal(nr_entries(dir), 0);
	free(dir);
	free(path);
}

/* ------------------------------------------------------------------------- */
/* The undo list's "remove PATH" entries, which outfile makes for named temporaries */

static void test_undo_removes_left_files(void **state)
{
	char *dir = new_dir("left", 0755), *persist = xasprintf("%s/list.undo", tmpdir);
	char *odd = make_file(dir, "new\nline and space", "x");
	char *kept = make_file(dir, "kept", "x");
	struct st_undo *u = st_undo_new(persist);
	char *text;

	assert_non_null(u);
	assert_int_equal(st_undo_add_file(u, odd), 0);
	assert_int_equal(st_undo_add_file(u, kept), 0);
	st_undo_forget_file(u, kept);	/* renamed into place: not to be deleted */
	text = read_file(persist, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "remove "));
	assert_null(strstr(text, "kept"));
	assert_null(strstr(text, "new\nline"));	/* one line per entry */
	free(text);
	/* As after a SIGKILL: sidetrace reset replays the persisted list. */
	assert_int_equal(st_undo_replay_file(persist), 0);
	assert_int_equal(access(odd, F_OK), -1);
	assert_int_equal(access(kept, F_OK), 0);
	assert_int_equal(st_undo_finish(u), 0);	/* gone already: nothing to do */
	free(dir);
	free(persist);
	free(odd);
	free(kept);
}

/* What has the name now is not ours to delete: another user's file, a link. */
static void test_undo_leaves_what_is_not_ours(void **state)
{
	char *dir, *theirs, *link;
	struct st_undo *u;

	need_root();
	dir = new_dir("notours", 0755);
	theirs = make_file(dir, ".sidetrace-aaaaaaaaaa", "theirs");
	link = xasprintf("%s/.sidetrace-bbbbbbbbbb", dir);
	assert_int_equal(chown(theirs, OTHER_UID, OTHER_UID), 0);
	assert_int_equal(symlink(theirs, link), 0);
	u = st_undo_new(NULL);
	assert_int_equal(st_undo_add_file(u, theirs), 0);
	assert_int_equal(st_undo_add_file(u, link), 0);
	assert_int_equal(st_undo_finish(u), 0);	/* with a warning: nothing more to do */
	assert_file(theirs, "theirs");
	assert_int_equal(access(link, F_OK), 0);
	free(dir);
	free(theirs);
	free(link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_file_appears_complete_and_private),
		cmocka_unit_test(test_existing_file_kept_until_commit),
		cmocka_unit_test(test_foreign_link_replaced),
		cmocka_unit_test(test_sticky_directory_rules),
		cmocka_unit_test(test_fifo_never_blocks),
		cmocka_unit_test(test_special_destinations),
		cmocka_unit_test(test_longest_names),
		cmocka_unit_test(test_scratch_files_are_unnamed),
		cmocka_unit_test(test_undo_removes_left_files),
		cmocka_unit_test(test_undo_leaves_what_is_not_ours),
	};

	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
