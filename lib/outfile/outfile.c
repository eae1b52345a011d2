// SPDX-License-Identifier: LGPL-2.1
/*
 * Output files written safely (see outfile.h): the path is walked one
 * component at a time through O_PATH descriptors, so what was checked is what
 * gets written; the file is a temporary renamed over the destination at the
 * end.
 */
#include "outfile/outfile.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINKS 40		/* as the kernel, in one lookup */
#define TEMP_PREFIX ".sidetrace-"
#define TEMP_TRIES 100		/* random names taken by others before we give up */

struct outfile {
	char *path;		/* as given, for messages */
	int dirfd;		/* O_PATH: the directory that holds the destination */
	char *dir_path;		/* its absolute path, for the undo list and messages */
	char *base;		/* the destination's name in dirfd */
	int fd;			/* the temporary, or the destination itself when direct */
	bool direct;		/* a FIFO, a device or standard output: written in place */
	bool via_link;		/* that FIFO or device is the target of a trusted link */
	char *temp;		/* the temporary's name in dirfd; NULL while it has none */
	struct st_undo *undo;	/* where named temporaries are noted, or NULL */
	int scratch_dirfd;	/* for a direct output: $TMPDIR or /var/tmp, opened on first use */
	char *scratch_path;
};

/* ------------------------------------------------------------------------- */
/* Who may be trusted */

/* Links and FIFOs that we follow or write through: our own, or root's (/dev/stdout). */
static bool trusted_owner(uid_t uid)
{
	return uid == geteuid() || uid == 0;
}

/*
 * The kernel's fs.protected_regular / protected_symlinks rule: in a sticky
 * directory others may write, an entry that belongs neither to us nor to
 * the directory's owner is someone else's trap.
 */
static bool protected_entry(const struct stat *dir, const struct stat *st)
{
	return (dir->st_mode & S_ISVTX) && (dir->st_mode & (S_IWOTH | S_IWGRP)) &&
	       st->st_uid != geteuid() && st->st_uid != dir->st_uid;
}

static bool is_special(mode_t mode)
{
	return S_ISFIFO(mode) || S_ISCHR(mode) || S_ISBLK(mode) || S_ISSOCK(mode);
}

/* ------------------------------------------------------------------------- */
/* Names */

/* The absolute path of a descriptor (O_PATH ones too), or NULL. */
static char *fd_path(int fd)
{
	char proc[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

static char *random_temp_name(void)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[10];
	char name[sizeof(TEMP_PREFIX) + sizeof(rnd)];
	size_t len = strlen(TEMP_PREFIX);

	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
		/* Unguessable only matters for the attempts; O_EXCL keeps it safe. */
		for (size_t i = 0; i < sizeof(rnd); i++)
			rnd[i] = (unsigned char)(getpid() * 31 + time(NULL) + i * 7 + rand());
	}
	memcpy(name, TEMP_PREFIX, len);
	for (size_t i = 0; i < sizeof(rnd); i++)
		name[len + i] = chars[rnd[i] % (sizeof(chars) - 1)];
	name[len + sizeof(rnd)] = '\0';
	return xstrdup(name);
}

/* Note (or forget) the temporary dir/name on the undo list, for `sidetrace reset`. */
static void note_temp(struct outfile *f, const char *dir, const char *name, bool add)
{
	char *full;

	if (!f->undo || !dir)
		return;
	full = xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
	if (add)
		st_undo_add_file(f->undo, full);	/* best effort: reset is the fallback's fallback */
	else
		st_undo_forget_file(f->undo, full);
	free(full);
}

/*
 * A new file with a random name in dirfd, for filesystems without O_TMPFILE:
 * O_EXCL|O_NOFOLLOW never opens anything that is already there. The name is
 * noted on the undo list before the file exists, as every undo step is.
 */
static int create_named(struct outfile *f, int dirfd, const char *dir, mode_t mode, char **name)
{
	int fd;

	for (int i = 0; i < TEMP_TRIES; i++) {
		*name = random_temp_name();
		note_temp(f, dir, *name, true);
		fd = openat(dirfd, *name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0)
			return fd;
		note_temp(f, dir, *name, false);
		free(*name);
		*name = NULL;
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* O_TMPFILE's errors when the filesystem (EOPNOTSUPP) or the kernel (EISDIR) lacks it. */
static bool no_tmpfile(int err)
{
	return err == EOPNOTSUPP || err == EISDIR;
}

/* ------------------------------------------------------------------------- */
/* The walk */

/* The next component of *rest, NUL-terminated in place; NULL when none is left. */
static char *next_component(char **rest)
{
	char *p = *rest, *end;

	while (*p == '/')
		p++;
	if (!*p)
		return NULL;
	end = strchr(p, '/');
	if (end) {
		*end = '\0';
		*rest = end + 1;
	} else {
		*rest = p + strlen(p);
	}
	return p;
}

static bool nothing_left(const char *rest)
{
	return !rest[strspn(rest, "/")];
}

static int step_into(struct outfile *f, const char *name)
{
	int fd = openat(f->dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	close(f->dirfd);
	f->dirfd = fd;
	return 0;
}

static char *read_link(int dirfd, const char *name)
{
	char buf[PATH_MAX];
	ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

/*
 * Whether to follow the link st in the current directory: in the middle of
 * the path unless protected_symlinks would refuse it; at the end only if it
 * is trusted (another user's link there is replaced instead).
 */
static int may_follow(struct outfile *f, const struct stat *st, bool last, bool *follow)
{
	struct stat dir;

	if (fstat(f->dirfd, &dir) < 0) {
		st_set_error("cannot write %s: %s", f->path, strerror(errno));
		return -1;
	}
	if (last) {
		*follow = trusted_owner(st->st_uid);
		return 0;
	}
	if (protected_entry(&dir, st)) {
		st_set_error("cannot write %s: it goes through a symbolic link of another user "
			     "(uid %u) in a sticky directory", f->path, (unsigned)st->st_uid);
		return -1;
	}
	*follow = true;
	return 0;
}

/* Replace the rest of the walk with target + rest, from / when target is absolute. */
static int follow_link(struct outfile *f, const char *name, char **buf, char **rest)
{
	char *target = read_link(f->dirfd, name), *joined;
	int root;

	if (!target)
		return -1;
	if (*target == '/') {
		root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0) {
			free(target);
			return -1;
		}
		close(f->dirfd);
		f->dirfd = root;
	}
	joined = xasprintf("%s/%s", target, *rest);
	free(target);
	free(*buf);
	*buf = *rest = joined;
	return 0;
}

/*
 * Walk f->path down to the directory that holds its last component: sets
 * f->dirfd, f->base and, if the entry exists, *st (not followed). Returns 1
 * if it exists, 0 if not, -1 with st_set_error().
 */
static int walk(struct outfile *f, struct stat *st)
{
	char *buf = xstrdup(f->path), *rest = buf, *name;
	int links = 0, ret = -1;
	bool last, follow, told = false;

	f->dirfd = open(*rest == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (f->dirfd < 0)
		goto out;
	while ((name = next_component(&rest))) {
		last = nothing_left(rest);
		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			if (last)
				break;	/* a directory */
			if (step_into(f, name) < 0)
				goto out;
			continue;
		}
		if (fstatat(f->dirfd, name, st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT && last) {
				f->base = xstrdup(name);
				ret = 0;
			}
			goto out;
		}
		follow = false;
		if (S_ISLNK(st->st_mode) && may_follow(f, st, last, &follow) < 0) {
			told = true;
			goto out;
		}
		/*
		 * A trusted link to a pipe, socket or terminal (/dev/stdout,
		 * /dev/fd/N) may have no path to follow ("pipe:[1234]"):
		 * open it through the link.
		 */
		if (follow && last && fstatat(f->dirfd, name, st, 0) == 0 && is_special(st->st_mode)) {
			f->base = xstrdup(name);
			f->via_link = true;
			ret = 1;
			goto out;
		}
		if (follow) {
			if (++links > MAX_LINKS) {
				errno = ELOOP;
				goto out;
			}
			if (follow_link(f, name, &buf, &rest) < 0)
				goto out;
			continue;
		}
		if (last) {
			f->base = xstrdup(name);
			ret = 1;
			goto out;
		}
		if (step_into(f, name) < 0)
			goto out;
	}
	errno = EISDIR;
out:
	if (ret < 0 && !told)
		st_set_error("cannot write %s: %s", f->path, strerror(errno));
	free(buf);
	return ret;
}

/* ------------------------------------------------------------------------- */
/* Opening */

static struct outfile *fail(struct outfile *f, const char *why)
{
	st_set_error("cannot write %s: %s", outfile_name(f), why);
	outfile_close(f);
	return NULL;
}

/* A writer that seeks cannot use a pipe, FIFO or terminal, nor rewrite an O_APPEND file. */
static const char *unseekable(int fd)
{
	if (lseek(fd, 0, SEEK_CUR) < 0)
		return "a trace file needs a seekable file, not a pipe, FIFO or terminal";
	if (fcntl(fd, F_GETFL) & O_APPEND)
		return "it is open for appending (>>); a trace file is written from its start";
	return NULL;
}

static struct outfile *open_stdout(struct outfile *f, const struct outfile_opts *o)
{
	const char *why;

	f->direct = true;
	f->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (f->fd < 0)
		return fail(f, strerror(errno));
	if (o->seekable && (why = unseekable(f->fd)))
		return fail(f, why);
	return f;
}

/*
 * A FIFO or device of ours or root's, or one a trusted link leads to:
 * written in place. O_NONBLOCK, so that a FIFO without a reader is an error
 * (ENXIO) and not a wait without end.
 */
static struct outfile *open_direct(struct outfile *f, const struct stat *st,
				   const struct outfile_opts *o)
{
	struct stat now;
	const char *why;

	f->direct = true;
	if (o->seekable && (S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode)))
		return fail(f, "a trace file needs a seekable file, not a FIFO or socket");
	f->fd = openat(f->dirfd, f->base, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
		       (f->via_link ? 0 : O_NOFOLLOW));
	if (f->fd < 0 && errno == ENXIO && S_ISFIFO(st->st_mode))
		return fail(f, "no process is reading the FIFO");
	if (f->fd < 0)
		return fail(f, strerror(errno));
	if (fstat(f->fd, &now) < 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
		return fail(f, "it changed while it was being opened");
	fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) & ~O_NONBLOCK);
	if (o->seekable && (why = unseekable(f->fd)))
		return fail(f, why);
	return f;
}

/* The temporary that becomes the output: unnamed if the filesystem allows. */
static struct outfile *open_temp(struct outfile *f, mode_t mode)
{
	f->fd = openat(f->dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
	if (f->fd < 0 && no_tmpfile(errno))
		f->fd = create_named(f, f->dirfd, f->dir_path, mode, &f->temp);
	if (f->fd < 0)
		return fail(f, strerror(errno));
	return f;
}

struct outfile *outfile_open(const char *path, const struct outfile_opts *o)
{
	struct outfile *f = xcalloc(1, sizeof(*f));
	struct stat st, dir;
	int found;

	f->path = xstrdup(path);
	f->fd = f->dirfd = f->scratch_dirfd = -1;
	if (!strcmp(path, "-"))
		return open_stdout(f, o);
	if (!*path || path[strlen(path) - 1] == '/')
		return fail(f, strerror(EISDIR));
	found = walk(f, &st);
	if (found < 0) {
		outfile_close(f);
		return NULL;
	}
	f->dir_path = fd_path(f->dirfd);
	if (found && fstat(f->dirfd, &dir) == 0 && protected_entry(&dir, &st)) {
		st_set_error("cannot write %s: it belongs to another user (uid %u) in a sticky "
			     "directory; not replacing it", path, (unsigned)st.st_uid);
		outfile_close(f);
		return NULL;
	}
	if (found && S_ISDIR(st.st_mode))
		return fail(f, strerror(EISDIR));
	if (found && is_special(st.st_mode) && (f->via_link || trusted_owner(st.st_uid)))
		return open_direct(f, &st, o);
	return open_temp(f, o->mode);
}

int outfile_fd(const struct outfile *f)
{
	return f->fd;
}

const char *outfile_name(const struct outfile *f)
{
	return strcmp(f->path, "-") ? f->path : "standard output";
}

void outfile_track(struct outfile *f, struct st_undo *undo)
{
	if (f->temp)
		note_temp(f, f->dir_path, f->temp, false);	/* from the list before, if any */
	f->undo = undo;
	if (f->temp)
		note_temp(f, f->dir_path, f->temp, true);
}

/* ------------------------------------------------------------------------- */
/* Scratch files */

static int open_scratch_dir(struct outfile *f)
{
	const char *dir = getenv("TMPDIR");

	if (f->scratch_dirfd >= 0)
		return 0;
	if (!dir || !*dir)
		dir = "/var/tmp";	/* on disk, unlike /tmp on many systems */
	f->scratch_path = xstrdup(dir);
	f->scratch_dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (f->scratch_dirfd < 0) {
		st_set_error("cannot use %s for temporary files: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int outfile_scratch(struct outfile *f)
{
	const char *dir;
	char *name = NULL;
	int dirfd, fd;

	if (f->direct && open_scratch_dir(f) < 0)
		return -1;
	dirfd = f->direct ? f->scratch_dirfd : f->dirfd;
	dir = f->direct ? f->scratch_path : f->dir_path;
	fd = openat(dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && no_tmpfile(errno)) {
		/* Named for an instant: unlinked at once, it lives on unnamed like O_TMPFILE's. */
		fd = create_named(f, dirfd, dir, 0600, &name);
		if (fd >= 0) {
			unlinkat(dirfd, name, 0);
			note_temp(f, dir, name, false);
			free(name);
		}
	}
	if (fd < 0)
		st_set_error("cannot create a temporary file in %s: %s", dir ? dir : f->path,
			     strerror(errno));
	return fd;
}

const char *outfile_scratch_name(const struct outfile *f)
{
	return f->direct && f->scratch_path ? f->scratch_path : outfile_name(f);
}

/* ------------------------------------------------------------------------- */
/* The end */

/* Give an O_TMPFILE temporary a name, so that it can be renamed over the destination. */
static int name_temp(struct outfile *f)
{
	char proc[64];
	char *name;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
	for (int i = 0; i < TEMP_TRIES; i++) {
		name = random_temp_name();
		note_temp(f, f->dir_path, name, true);
		if (linkat(AT_FDCWD, proc, f->dirfd, name, AT_SYMLINK_FOLLOW) == 0) {
			f->temp = name;
			return 0;
		}
		note_temp(f, f->dir_path, name, false);
		free(name);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

static void free_outfile(struct outfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->dirfd >= 0)
		close(f->dirfd);
	if (f->scratch_dirfd >= 0)
		close(f->scratch_dirfd);
	free(f->path);
	free(f->dir_path);
	free(f->base);
	free(f->temp);
	free(f->scratch_path);
	free(f);
}

int outfile_commit(struct outfile *f)
{
	int fd = f->fd;

	if (f->direct) {
		f->fd = -1;
		if (close(fd) < 0) {
			st_set_error("writing %s: %s", outfile_name(f), strerror(errno));
			return -1;
		}
		return 0;
	}
	/* On disk before the rename: a crash must not turn the old file into an empty one. */
	if (fsync(fd) < 0) {
		st_set_error("writing %s: %s", f->path, strerror(errno));
		return -1;
	}
	if (!f->temp && name_temp(f) < 0) {
		st_set_error("cannot write %s: cannot link its temporary file: %s", f->path,
			     strerror(errno));
		return -1;
	}
	if (renameat(f->dirfd, f->temp, f->dirfd, f->base) < 0) {
		st_set_error("cannot replace %s: %s", f->path, strerror(errno));
		return -1;
	}
	note_temp(f, f->dir_path, f->temp, false);
	free(f->temp);
	f->temp = NULL;
	return 0;
}

void outfile_close(struct outfile *f)
{
	if (!f)
		return;
	if (f->temp) {
		unlinkat(f->dirfd, f->temp, 0);
		note_temp(f, f->dir_path, f->temp, false);
	}
	free_outfile(f);
}
