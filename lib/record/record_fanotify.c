// SPDX-License-Identifier: LGPL-2.1
/*
 * record --files, fanotify backend (record_fanotify.h): the group, its marks,
 * the reader thread, the pid filter and the events kept for the trace.dat.
 */
#include "record/record_fanotify.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define FAN_MASK (FAN_OPEN | FAN_OPEN_EXEC | FAN_CLOSE_WRITE | FAN_ONDIR)
#define FAN_INIT_FLAGS (FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_NONBLOCK)
#define MAX_ANCESTRY 256

/* What the pid filter knows of a process. */
enum verdict { V_NONE, V_IN, V_OUT, V_UNSURE };

struct pid_entry {
	pid_t pid;		/* 0 = free slot */
	enum verdict verdict;
	char *root;		/* its root when last read, if not "/" (chroot, container) */
	struct mount_entry *mounts;	/* its mounts when last read, if its mount namespace */
	int nr_mounts;			/* is not record's; -1 when it is */
	long unresolved;	/* its events whose directory could not be named */
	unsigned long long start;	/* its start time, 0 if never read */
};

/* A marked filesystem: its fsid and a descriptor to open its handles through. */
struct fan_fs {
	fsid_t fsid;
	dev_t dev;
	int mount_fd;
	bool whole;		/* the mount shows the filesystem's root */
	char *mnt_root;		/* the directory of the filesystem that mount shows */
	char *mnt_point;	/* where record sees it */
};

/* A line of a mountinfo file. */
struct mount_entry {
	dev_t dev;
	char *root;		/* the directory of the filesystem it shows */
	char *point;		/* where it is, as the reading process's view has it */
	char fstype[64];
};

/* A directory handle already turned into a path. */
struct dir_entry {
	unsigned char *key;	/* fsid + struct file_handle; NULL = free slot */
	size_t key_len;
	char *path;
};

struct fan_event {
	pid_t pid;
	unsigned flags;		/* FAN_OPEN, FAN_OPEN_EXEC, FAN_CLOSE_WRITE */
	char *path;		/* as sidetrace sees it */
	char *as_seen;		/* as the process saw it, when different; or NULL */
};

struct fan_recorder {
	int fd;
	int stop_fd;		/* eventfd: the thread drains the queue and ends */
	pthread_t thread;
	bool started, stopped;
	pid_t root, self;
	ino_t mnt_ns;		/* record's mount namespace */
	unsigned long long root_start;	/* the command's start time (clock ticks) */
	pid_t *ancestors;	/* sidetrace's ancestors: where orphans may be reparented */
	int nr_ancestors;

	struct fan_fs *fss;
	int nr_fss;
	char *unmarked;		/* "proc, sysfs, ...": filesystem types refused */

	struct pid_entry *pids;
	size_t pids_cap, nr_pids;
	struct dir_entry *dirs;
	size_t dirs_cap, nr_dirs;

	struct fan_event *events;
	size_t nr_events, events_cap;
	size_t *index;		/* open addressing over events: index + 1, 0 = free */
	size_t index_cap;

	long overflows, dropped, unresolved, kept;
	char error[256];	/* the thread's failure, if any */
};

/* ------------------------------------------------------------------------- */
/* Availability */

static int init_error(int err)
{
	if (err == EPERM)
		st_set_error("fanotify: not permitted (a filesystem mark needs CAP_SYS_ADMIN)");
	else if (err == ENOSYS)
		st_set_error("fanotify: this kernel has no fanotify (CONFIG_FANOTIFY)");
	else if (err == EINVAL)
		st_set_error("fanotify: this kernel cannot report file names "
			     "(FAN_REPORT_DFID_NAME needs Linux 5.9)");
	else
		st_set_error("fanotify: fanotify_init: %s", strerror(err));
	return -1;
}

static int mark_error(int err)
{
	if (err == EPERM)
		return init_error(err);
	st_set_error("fanotify: cannot mark the root filesystem: %s", strerror(err));
	return -1;
}

/* Unprivileged users may create a group (Linux 5.13) but not mark a filesystem: try both. */
int fan_check(void)
{
	int fd = fanotify_init(FAN_INIT_FLAGS, O_RDONLY | O_LARGEFILE), ret = 0;

	if (fd < 0)
		return init_error(errno);
	if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_MASK, AT_FDCWD, "/") < 0)
		ret = mark_error(errno);
	close(fd);
	return ret;
}

/* ------------------------------------------------------------------------- */
/* /proc: parents and start times */

/* The parent and start time (field 22, clock ticks since boot) of pid. */
static bool read_stat(pid_t pid, pid_t *ppid, unsigned long long *start)
{
	char file[64], buf[1024], *p;
	int fd, n;

	snprintf(file, sizeof(file), "/proc/%d/stat", (int)pid);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the comm may hold spaces and parentheses */
	if (!p)
		return false;
	/* After ')': state(3) ppid(4) ... starttime(22) */
	p++;
	for (int field = 3; field <= 22 && p; field++) {
		p = strchr(p, ' ');
		if (!p)
			return false;
		p++;
		if (field == 3)
			*ppid = (pid_t)strtol(p + 2, NULL, 10);
		if (field == 22)
			*start = strtoull(p, NULL, 10);
	}
	return p != NULL;
}

static void find_ancestors(struct fan_recorder *fr)
{
	pid_t pid = getppid(), ppid;
	unsigned long long start;

	while (pid > 0 && fr->nr_ancestors < MAX_ANCESTRY) {
		fr->ancestors = xrealloc(fr->ancestors, (fr->nr_ancestors + 1) * sizeof(pid_t));
		fr->ancestors[fr->nr_ancestors++] = pid;
		if (!read_stat(pid, &ppid, &start) || ppid == pid)
			break;
		pid = ppid;
	}
}

static bool is_ancestor(const struct fan_recorder *fr, pid_t pid)
{
	for (int i = 0; i < fr->nr_ancestors; i++)
		if (fr->ancestors[i] == pid)
			return true;
	return pid == 1;
}

/* ------------------------------------------------------------------------- */
/* The pid filter */

static struct pid_entry *pid_slot(struct fan_recorder *fr, pid_t pid)
{
	size_t i = ((size_t)pid * 2654435761u) & (fr->pids_cap - 1);

	while (fr->pids[i].pid && fr->pids[i].pid != pid)
		i = (i + 1) & (fr->pids_cap - 1);
	return &fr->pids[i];
}

static void grow_pids(struct fan_recorder *fr)
{
	struct pid_entry *old = fr->pids;
	size_t old_cap = fr->pids_cap;

	fr->pids_cap = old_cap ? old_cap * 2 : 256;
	fr->pids = xcalloc(fr->pids_cap, sizeof(*fr->pids));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].pid)
			*pid_slot(fr, old[i].pid) = old[i];
	free(old);
}

static struct pid_entry *pid_remember(struct fan_recorder *fr, pid_t pid, enum verdict v)
{
	struct pid_entry *e;

	if ((fr->nr_pids + 1) * 2 > fr->pids_cap)
		grow_pids(fr);
	e = pid_slot(fr, pid);
	if (!e->pid) {
		e->pid = pid;
		e->nr_mounts = -1;
		fr->nr_pids++;
	}
	e->verdict = v;
	return e;
}

/*
 * The root directory of p's process (NULL for "/"), read at each event since
 * a chroot changes it without a new process; the one last read when the
 * process is gone already (a short-lived one often is by the time its events
 * are read).
 */
static const char *process_root(struct pid_entry *p)
{
	char link[64], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/root", (int)p->pid);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return p->root;
	target[n] = '\0';
	if (!p->root || strcmp(p->root, target)) {
		free(p->root);
		p->root = strcmp(target, "/") ? xstrdup(target) : NULL;
	}
	return p->root;
}

/*
 * Walk pid's parents up to the command (in), a process older than the
 * command (out, unless orphans may be reparented there: unsure), or one that
 * is gone (unsure). Every process met on the way gets the same verdict.
 */
static enum verdict walk_ancestry(struct fan_recorder *fr, pid_t pid)
{
	pid_t chain[64], ppid;
	unsigned long long start, starts[64];
	enum verdict v = V_UNSURE;
	int n = 0;

	for (pid_t p = pid; n < (int)ARRAY_SIZE(chain); p = ppid) {
		struct pid_entry *known = p != pid ? pid_slot(fr, p) : NULL;

		if (p == fr->root) {
			v = V_IN;
			break;
		}
		if (p <= 0 || p == fr->self) {
			v = V_OUT;
			break;
		}
		if (known && known->pid) {
			v = known->verdict;
			break;
		}
		if (!read_stat(p, &ppid, &start)) {
			v = V_UNSURE;	/* gone: the trace's process tree decides */
			break;
		}
		chain[n] = p;
		starts[n++] = start;
		if (start < fr->root_start) {	/* older than the command: not of it */
			v = is_ancestor(fr, p) ? V_UNSURE : V_OUT;
			break;
		}
	}
	for (int i = 0; i < n; i++)
		pid_remember(fr, chain[i], v)->start = starts[i];
	return v;
}

/*
 * A process the filter keeps is looked at again at each event: a pid reused
 * by another process (another start time) is walked anew. One it drops is
 * not, so that unrelated activity costs one lookup.
 */
static bool pid_reused(struct pid_entry *e)
{
	unsigned long long start;
	pid_t ppid;

	return e->verdict != V_OUT && e->start && read_stat(e->pid, &ppid, &start) &&
	       start != e->start;
}

static struct pid_entry *pid_lookup(struct fan_recorder *fr, pid_t pid)
{
	struct pid_entry *e = pid_slot(fr, pid);
	enum verdict v;

	if (e->pid && !pid_reused(e))
		return e;
	if (pid == fr->root)
		return pid_remember(fr, pid, V_IN);
	v = walk_ancestry(fr, pid);
	e = pid_slot(fr, pid);
	return e->pid ? e : pid_remember(fr, pid, v);
}

/* ------------------------------------------------------------------------- */
/* Marks */

/* A mountinfo field with its octal escapes (\040 for a space) decoded. */
static char *unescape_field(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static struct fan_fs *find_fs(struct fan_recorder *fr, const fsid_t *fsid)
{
	for (int i = 0; i < fr->nr_fss; i++)
		if (!memcmp(&fr->fss[i].fsid, fsid, sizeof(*fsid)))
			return &fr->fss[i];
	return NULL;
}

static void note_unmarked(struct fan_recorder *fr, const char *fstype)
{
	char *s;

	if (fr->unmarked) {
		size_t len = strlen(fstype);

		for (const char *p = fr->unmarked; (p = strstr(p, fstype)); p += len)
			if ((p == fr->unmarked || p[-1] == ' ') && (!p[len] || p[len] == ','))
				return;
	}
	s = xasprintf("%s%s%s", fr->unmarked ? fr->unmarked : "", fr->unmarked ? ", " : "",
		      fstype);
	free(fr->unmarked);
	fr->unmarked = s;
}

/* The mounts of a mountinfo file; -1 if it cannot be read (the process is gone). */
static int read_mounts(const char *file, struct mount_entry **out)
{
	FILE *f = fopen(file, "re");
	char *line = NULL;
	size_t cap = 0;
	int n = 0;

	*out = NULL;
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char root[PATH_MAX], mnt[PATH_MAX];
		const char *sep = strstr(line, " - ");
		struct mount_entry e = { 0 };
		unsigned maj, min;

		if (!sep || sscanf(line, "%*s %*s %u:%u %4095s %4095s", &maj, &min, root, mnt) != 4 ||
		    sscanf(sep + 3, "%63s", e.fstype) != 1)
			continue;
		e.dev = makedev(maj, min);
		e.root = unescape_field(root);
		e.point = unescape_field(mnt);
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = e;
	}
	free(line);
	fclose(f);
	return n;
}

static void free_mounts(struct mount_entry *m, int n)
{
	for (int i = 0; i < n; i++) {
		free(m[i].root);
		free(m[i].point);
	}
	free(m);
}

/* Mark the filesystem of a mount (once per fsid). */
static void mark_mount(struct fan_recorder *fr, const struct mount_entry *me)
{
	bool whole = !strcmp(me->root, "/");
	struct statfs sfs;
	struct fan_fs *fs;
	int mfd;

	if (statfs(me->point, &sfs) < 0)
		return;	/* gone, or hidden from us: nothing we could resolve either */
	fs = find_fs(fr, &sfs.f_fsid);
	if (fs && (fs->whole || !whole))
		return;
	/* open_by_handle_at() takes no O_PATH descriptor; a directory opens without side effects */
	mfd = open(me->point, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
	if (mfd < 0)
		return;
	if (!fs) {
		if (fanotify_mark(fr->fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_MASK, AT_FDCWD,
				  me->point) < 0) {
			/* no file handles (proc, sysfs, ...), or a zero fsid */
			note_unmarked(fr, me->fstype);
			close(mfd);
			return;
		}
		fr->fss = xrealloc(fr->fss, (fr->nr_fss + 1) * sizeof(*fr->fss));
		fs = &fr->fss[fr->nr_fss++];
		*fs = (struct fan_fs){ .fsid = sfs.f_fsid, .mount_fd = -1 };
	}
	/* a mount of its root resolves more of its handles than one of a subdirectory */
	if (fs->mount_fd >= 0)
		close(fs->mount_fd);
	free(fs->mnt_root);
	free(fs->mnt_point);
	fs->mount_fd = mfd;
	fs->whole = whole;
	fs->dev = me->dev;
	fs->mnt_root = xstrdup(me->root);
	fs->mnt_point = xstrdup(me->point);
}

static int mark_filesystems(struct fan_recorder *fr)
{
	struct mount_entry *mounts;
	int n = read_mounts("/proc/self/mountinfo", &mounts);

	if (n < 0) {
		st_set_error("fanotify: cannot read /proc/self/mountinfo: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++)
		mark_mount(fr, &mounts[i]);
	free_mounts(mounts, n);
	if (!fr->nr_fss) {
		st_set_error("fanotify: no mounted filesystem accepts a filesystem mark");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------- */
/* Directory handles to paths */

static size_t hash_bytes(const unsigned char *p, size_t n, size_t seed)
{
	size_t h = 1469598103934665603ull ^ seed;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static struct dir_entry *dir_slot(struct fan_recorder *fr, const unsigned char *key, size_t len)
{
	size_t i = hash_bytes(key, len, 0) & (fr->dirs_cap - 1);

	while (fr->dirs[i].key &&
	       (fr->dirs[i].key_len != len || memcmp(fr->dirs[i].key, key, len)))
		i = (i + 1) & (fr->dirs_cap - 1);
	return &fr->dirs[i];
}

static void grow_dirs(struct fan_recorder *fr)
{
	struct dir_entry *old = fr->dirs;
	size_t old_cap = fr->dirs_cap;

	fr->dirs_cap = old_cap ? old_cap * 2 : 256;
	fr->dirs = xcalloc(fr->dirs_cap, sizeof(*fr->dirs));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*dir_slot(fr, old[i].key, old[i].key_len) = old[i];
	free(old);
}

/* The path of a directory's handle, through its filesystem's mount; NULL if stale. */
static char *open_dir_handle(struct fan_recorder *fr, const fsid_t *fsid,
			     struct file_handle *fh)
{
	struct fan_fs *fs = find_fs(fr, fsid);
	char link[64], target[PATH_MAX];
	ssize_t n;
	int fd;

	if (!fs)
		return NULL;
	fd = open_by_handle_at(fs->mount_fd, fh, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	close(fd);
	if (n <= 0 || target[0] != '/')
		return NULL;
	target[n] = '\0';
	return xstrdup(target);
}

static const char *dir_path(struct fan_recorder *fr, const struct fanotify_event_info_fid *info,
			    struct file_handle *fh)
{
	size_t len = sizeof(info->fsid) + sizeof(*fh) + fh->handle_bytes;
	unsigned char *key = xmalloc(len);
	struct dir_entry *e;
	char *path;

	memcpy(key, &info->fsid, sizeof(info->fsid));
	memcpy(key + sizeof(info->fsid), fh, sizeof(*fh) + fh->handle_bytes);
	if ((fr->nr_dirs + 1) * 2 > fr->dirs_cap)
		grow_dirs(fr);
	e = dir_slot(fr, key, len);
	if (e->key) {
		free(key);
		return e->path;
	}
	path = open_dir_handle(fr, (const fsid_t *)&info->fsid, fh);
	if (!path) {
		free(key);
		return NULL;	/* not cached: a later event may resolve */
	}
	*e = (struct dir_entry){ key, len, path };
	fr->nr_dirs++;
	return path;
}

/* ------------------------------------------------------------------------- */
/* Events kept */

static size_t event_hash(pid_t pid, const char *path)
{
	return hash_bytes((const unsigned char *)path, strlen(path), (size_t)pid);
}

static size_t *event_slot(struct fan_recorder *fr, pid_t pid, const char *path)
{
	size_t i = event_hash(pid, path) & (fr->index_cap - 1);

	while (fr->index[i]) {
		const struct fan_event *e = &fr->events[fr->index[i] - 1];

		if (e->pid == pid && !strcmp(e->path, path))
			break;
		i = (i + 1) & (fr->index_cap - 1);
	}
	return &fr->index[i];
}

static void grow_index(struct fan_recorder *fr)
{
	free(fr->index);
	fr->index_cap = fr->index_cap ? fr->index_cap * 2 : 1024;
	fr->index = xcalloc(fr->index_cap, sizeof(*fr->index));
	for (size_t i = 0; i < fr->nr_events; i++)
		*event_slot(fr, fr->events[i].pid, fr->events[i].path) = i + 1;
}

/* Whether dir is path or a directory above it; *len: what of path it covers. */
static bool under(const char *dir, const char *path, size_t *len)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/")) {
		*len = 0;
		return true;
	}
	*len = n;
	return !strncmp(path, dir, n) && (!path[n] || path[n] == '/');
}

/* dir joined with rest ("" or "/..."). */
static char *join(const char *dir, const char *rest)
{
	if (!*rest)
		return xstrdup(dir);
	return strcmp(dir, "/") ? xasprintf("%s%s", dir, rest) : xstrdup(rest);
}

/*
 * The mounts of p's process when its mount namespace is not record's (read
 * at each event: mounts change; the last ones read when it is gone).
 */
static void refresh_mounts(struct fan_recorder *fr, struct pid_entry *p)
{
	char file[64];
	struct stat st;
	struct mount_entry *m;
	int n;

	snprintf(file, sizeof(file), "/proc/%d/ns/mnt", (int)p->pid);
	if (stat(file, &st) < 0)
		return;
	if (st.st_ino == fr->mnt_ns) {
		free_mounts(p->mounts, p->nr_mounts > 0 ? p->nr_mounts : 0);
		p->mounts = NULL;
		p->nr_mounts = -1;
		return;
	}
	snprintf(file, sizeof(file), "/proc/%d/mountinfo", (int)p->pid);
	n = read_mounts(file, &m);
	if (n < 0)
		return;
	free_mounts(p->mounts, p->nr_mounts > 0 ? p->nr_mounts : 0);
	p->mounts = m;
	p->nr_mounts = n;
}

/*
 * path (through the mount record resolved it on) in the process's mount
 * namespace: the filesystem's directory it is, then the process's mount of
 * that filesystem that shows the longest part of it (the later one on a tie:
 * it is on top).
 */
static char *through_mounts(const struct pid_entry *p, const struct fan_fs *fs, const char *path)
{
	const struct mount_entry *best = NULL;
	size_t n, k, best_len = 0;
	char *in_fs, *seen;

	if (!under(fs->mnt_point, path, &n))
		return NULL;
	in_fs = join(fs->mnt_root, path + n);
	for (int i = 0; i < p->nr_mounts; i++) {
		const struct mount_entry *m = &p->mounts[i];

		if (m->dev == fs->dev && under(m->root, in_fs, &k) && (!best || k >= best_len)) {
			best = m;
			best_len = k;
		}
	}
	seen = best ? join(best->point, in_fs + best_len) : NULL;
	free(in_fs);
	return seen;
}

/*
 * The path as the process saw it, when that differs from record's: through
 * its mounts in another mount namespace, or relative to its root (chroot).
 */
static char *as_seen_by(struct fan_recorder *fr, struct pid_entry *p, const struct fan_fs *fs,
			const char *path)
{
	const char *root = process_root(p);	/* read while the process lives */
	char *seen = NULL;
	size_t n;

	refresh_mounts(fr, p);
	if (p->nr_mounts >= 0 && fs)
		seen = through_mounts(p, fs, path);
	if (seen && !strcmp(seen, path)) {
		free(seen);
		seen = NULL;
	}
	/*
	 * mountinfo leaves out the mounts above a chroot; outside its root, a
	 * file is only reachable through a descriptor: no name.
	 */
	if (!seen && root && under(root, path, &n))
		seen = xstrdup(path[n] ? path + n : "/");
	return seen;
}

static void keep_event(struct fan_recorder *fr, struct pid_entry *p, const struct fan_fs *fs,
		       unsigned mask, const char *path)
{
	unsigned flags = mask & (FAN_OPEN | FAN_OPEN_EXEC | FAN_CLOSE_WRITE);
	size_t *slot;

	if ((fr->nr_events + 1) * 2 > fr->index_cap)
		grow_index(fr);
	slot = event_slot(fr, p->pid, path);
	fr->kept++;
	if (*slot) {
		fr->events[*slot - 1].flags |= flags;
		return;
	}
	if (fr->nr_events == fr->events_cap) {
		fr->events_cap = fr->events_cap ? fr->events_cap * 2 : 256;
		fr->events = xrealloc(fr->events, fr->events_cap * sizeof(*fr->events));
	}
	fr->events[fr->nr_events] = (struct fan_event){
		p->pid, flags, xstrdup(path), as_seen_by(fr, p, fs, path),
	};
	*slot = ++fr->nr_events;
}

/* ------------------------------------------------------------------------- */
/* Reading */

/* The directory-and-name record of an event; false if it has none. */
static bool event_name(const struct fanotify_event_metadata *md, const char *raw,
		       const struct fanotify_event_info_fid **info, struct file_handle **fh,
		       const char **name)
{
	const char *p = raw + md->metadata_len, *end = raw + md->event_len;

	while (p + sizeof(struct fanotify_event_info_header) <= end) {
		const struct fanotify_event_info_header *h = (const void *)p;

		if (h->len < sizeof(*h) || p + h->len > end)
			return false;
		if (h->info_type == FAN_EVENT_INFO_TYPE_DFID_NAME ||
		    h->info_type == FAN_EVENT_INFO_TYPE_DFID) {
			*info = (const void *)p;
			*fh = (struct file_handle *)(*info)->handle;
			*name = h->info_type == FAN_EVENT_INFO_TYPE_DFID ? "." :
				(const char *)(*fh)->f_handle + (*fh)->handle_bytes;
			return true;
		}
		p += h->len;
	}
	return false;
}

/* md: a copy of the event's metadata; raw: the event in the buffer. */
static void on_event(struct fan_recorder *fr, const struct fanotify_event_metadata *md,
		     const char *raw)
{
	const struct fanotify_event_info_fid *info;
	struct pid_entry *p;
	struct file_handle *fh;
	const char *name, *dir;
	char *path;

	if (md->mask & FAN_Q_OVERFLOW) {
		fr->overflows++;
		return;
	}
	p = pid_lookup(fr, md->pid);
	if (p->verdict == V_OUT) {
		fr->dropped++;
		return;
	}
	if (!event_name(md, raw, &info, &fh, &name) || !(dir = dir_path(fr, info, fh))) {
		fr->unresolved++;
		p->unresolved++;	/* counted for the report if p is of the tree */
		return;
	}
	if (!strcmp(name, "."))
		path = xstrdup(dir);
	else
		path = xasprintf("%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name);
	keep_event(fr, p, find_fs(fr, (const fsid_t *)&info->fsid), md->mask, path);
	free(path);
}

/*
 * Read one batch. Returns the bytes read, 0 when the queue is empty, -1 on
 * error. Events with names are only 4-byte aligned in the buffer: each one's
 * metadata (which holds a u64) is copied out before it is read.
 */
static ssize_t read_batch(struct fan_recorder *fr)
{
	char buf[16384] __attribute__((aligned(8)));
	struct fanotify_event_metadata md;
	ssize_t n = read(fr->fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (size_t off = 0; off + sizeof(md) <= (size_t)n; off += md.event_len) {
		memcpy(&md, buf + off, sizeof(md));
		if (md.vers != FANOTIFY_METADATA_VERSION || md.event_len < sizeof(md) ||
		    md.metadata_len < sizeof(md) || off + md.event_len > (size_t)n) {
			errno = EPROTO;
			return -1;
		}
		if (md.fd >= 0)
			close(md.fd);	/* not asked for, but never leak one */
		on_event(fr, &md, buf + off);
	}
	return n;
}

static void *reader(void *arg)
{
	struct fan_recorder *fr = arg;
	struct pollfd p[2] = { { .fd = fr->fd, .events = POLLIN },
			       { .fd = fr->stop_fd, .events = POLLIN } };
	ssize_t n;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents && read_batch(fr) < 0)
			break;
		if (p[1].revents) {
			/* The command has ended: what it did is queued already. */
			while ((n = read_batch(fr)) > 0)
				;
			if (n == 0)
				return NULL;
			break;
		}
	}
	snprintf(fr->error, sizeof(fr->error), "reading the fanotify queue: %s",
		 strerror(errno));
	return NULL;
}

/* ------------------------------------------------------------------------- */

struct fan_recorder *fan_recorder_start(pid_t root)
{
	struct fan_recorder *fr = xcalloc(1, sizeof(*fr));
	struct stat st;
	pid_t ppid;
	int err;

	fr->stop_fd = -1;
	fr->root = root;
	fr->self = getpid();
	if (fan_check() < 0)
		goto fail;
	fr->fd = fanotify_init(FAN_INIT_FLAGS, O_RDONLY | O_LARGEFILE);
	if (fr->fd < 0) {
		init_error(errno);
		goto fail;
	}
	if (!read_stat(root, &ppid, &fr->root_start)) {
		st_set_error("fanotify: cannot read /proc/%d/stat", (int)root);
		goto fail;
	}
	find_ancestors(fr);
	grow_pids(fr);
	if (stat("/proc/self/ns/mnt", &st) == 0)
		fr->mnt_ns = st.st_ino;
	if (mark_filesystems(fr) < 0)
		goto fail;
	fr->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (fr->stop_fd < 0) {
		st_set_error("fanotify: cannot create an eventfd: %s", strerror(errno));
		goto fail;
	}
	/* The caller has the stop signals blocked: the thread inherits that. */
	err = pthread_create(&fr->thread, NULL, reader, fr);
	if (err) {
		st_set_error("fanotify: cannot start the reader: %s", strerror(err));
		goto fail;
	}
	fr->started = true;
	return fr;
fail:
	fan_recorder_free(fr);
	return NULL;
}

void fan_recorder_stop(struct fan_recorder *fr)
{
	if (!fr || !fr->started || fr->stopped)
		return;
	fr->stopped = true;
	if (eventfd_write(fr->stop_fd, 1) < 0)
		pthread_cancel(fr->thread);	/* cannot happen with a fresh eventfd */
	pthread_join(fr->thread, NULL);
	if (fr->error[0])
		st_warn("--files: %s; the fanotify part of the file set is incomplete",
			fr->error);
	if (fr->overflows)
		st_warn("--files: the fanotify queue overflowed: events were lost, the file set "
			"is incomplete");
}

void fan_recorder_put_lines(const struct fan_recorder *fr,
			    void (*put)(void *ctx, const char *key, const char *value),
			    void *ctx)
{
	char num[32], *line;

	snprintf(num, sizeof(num), "%ld", fr->overflows);
	put(ctx, "fanotify_overflows", num);
	snprintf(num, sizeof(num), "%ld", fr->unresolved);
	put(ctx, "fanotify_unresolved", num);
	snprintf(num, sizeof(num), "%ld", fr->dropped);
	put(ctx, "fanotify_dropped", num);
	snprintf(num, sizeof(num), "%d", fr->nr_fss);
	put(ctx, "fanotify_marked", num);
	if (fr->unmarked)
		put(ctx, "fanotify_unmarked", fr->unmarked);
	if (fr->error[0])
		put(ctx, "fanotify_error", fr->error);
	for (size_t i = 0; i < fr->pids_cap; i++) {
		if (fr->pids[i].pid && fr->pids[i].unresolved) {
			line = xasprintf("%d %ld", (int)fr->pids[i].pid, fr->pids[i].unresolved);
			put(ctx, "fan_unresolved", line);
			free(line);
		}
	}
	for (size_t i = 0; i < fr->nr_events; i++) {
		const struct fan_event *e = &fr->events[i];

		line = xasprintf("%d %s%s%s %s", (int)e->pid,
				 e->flags & FAN_OPEN ? "o" : "", e->flags & FAN_OPEN_EXEC ? "x" : "",
				 e->flags & FAN_CLOSE_WRITE ? "w" : "", e->path);
		put(ctx, "fan", line);
		free(line);
		if (e->as_seen)
			put(ctx, "fan_as_seen", e->as_seen);
	}
}

void fan_recorder_print_summary(const struct fan_recorder *fr, FILE *out)
{
	fprintf(out, "fanotify: %d filesystems marked, %ld events kept for the command's tree (%zu "
		"distinct paths), %ld of other processes dropped, %ld queue overflows%s\n",
		fr->nr_fss, fr->kept, fr->nr_events, fr->dropped, fr->overflows,
		fr->overflows ? " (events lost)" : "");
}

void fan_recorder_free(struct fan_recorder *fr)
{
	if (!fr)
		return;
	fan_recorder_stop(fr);
	if (fr->fd >= 0)
		close(fr->fd);	/* the group and its marks go with it */
	if (fr->stop_fd >= 0)
		close(fr->stop_fd);
	for (int i = 0; i < fr->nr_fss; i++) {
		close(fr->fss[i].mount_fd);
		free(fr->fss[i].mnt_root);
		free(fr->fss[i].mnt_point);
	}
	free(fr->fss);
	for (size_t i = 0; i < fr->pids_cap; i++) {
		free(fr->pids[i].root);
		if (fr->pids[i].pid)
			free_mounts(fr->pids[i].mounts, fr->pids[i].nr_mounts > 0 ?
				    fr->pids[i].nr_mounts : 0);
	}
	free(fr->pids);
	for (size_t i = 0; i < fr->dirs_cap; i++) {
		free(fr->dirs[i].key);
		free(fr->dirs[i].path);
	}
	free(fr->dirs);
	for (size_t i = 0; i < fr->nr_events; i++) {
		free(fr->events[i].path);
		free(fr->events[i].as_seen);
	}
	free(fr->events);
	free(fr->index);
	free(fr->ancestors);
	free(fr->unmarked);
	free(fr);
}
