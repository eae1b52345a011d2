// SPDX-License-Identifier: LGPL-2.1
/*
 * The file-set model (fileset.h): process tree, cwd and fd tables, name and
 * result pairing, path resolution, and the files with how they were used.
 */
#include "fileset/fileset.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_INTERP_DEPTH 4	/* the kernel's binfmt recursion limit is about as deep */

struct fs_cwd {
	int refs;
	char *path;		/* NULL: unknown */
};

struct fd_entry {
	int fd;
	char *path;		/* NULL: open, but its path is unknown */
	bool cloexec;
};

struct fs_fdtab {
	int refs;
	struct fd_entry *v;
	int nr;
};

struct fs_task {
	pid_t tid, tgid;
	struct fs_cwd *cwd;
	struct fs_fdtab *fds;
	char comm[16];
	bool in_sys;
	char sys[24];
	struct fs_sys_args args;
	char *name;		/* the last probe name, waiting for its result */
	enum fs_kind name_kind;
	bool name_in_sys;	/* it arrived inside the current syscall */
	char *dlopen_name;
};

struct fs_model {
	char *root;		/* NULL = "/" */
	char *cwd;		/* the launcher's */
	struct fs_task **tasks;	/* open addressing by tid */
	size_t tasks_size, nr_tasks;
	struct fs_file **files;	/* open addressing by path */
	size_t files_size, nr_files;
	struct fs_counts counts;
};

/* ------------------------------------------------------------------------- */
/* Kinds */

enum fs_kind fs_kind_of_probe(const char *event)
{
	for (long k = FS_K_NONE + 1; k <= FS_K_MAX; k++) {
		size_t len = strlen(fs_kind_name(k));

		if (!strncmp(event, fs_kind_name(k), len) && event[len] == '_')
			return (enum fs_kind)k;
	}
	return FS_K_NONE;
}

static enum fs_kind kind_of_sys(const char *sys)
{
	static const struct { const char *sys; enum fs_kind kind; } map[] = {
		{ "open", FS_K_OPEN }, { "openat", FS_K_OPEN }, { "openat2", FS_K_OPEN },
		{ "creat", FS_K_OPEN }, { "execve", FS_K_EXEC }, { "execveat", FS_K_EXEC },
		{ "newstat", FS_K_STAT }, { "newlstat", FS_K_STAT }, { "newfstatat", FS_K_STAT },
		{ "statx", FS_K_STAT }, { "access", FS_K_ACCESS }, { "faccessat", FS_K_ACCESS },
		{ "faccessat2", FS_K_ACCESS }, { "readlink", FS_K_READLINK },
		{ "readlinkat", FS_K_READLINK }, { "chdir", FS_K_CHDIR },
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(sys, map[i].sys))
			return map[i].kind;
	return FS_K_NONE;
}

bool fs_is_pseudo(const char *path)
{
	static const char *const dirs[] = { "/proc", "/sys", "/dev" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		size_t n = strlen(dirs[i]);

		if (!strncmp(path, dirs[i], n) && (path[n] == '/' || path[n] == '\0'))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------------- */
/* Hash tables */

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct fs_task **task_slot(struct fs_model *m, pid_t tid)
{
	size_t i = ((size_t)tid * 2654435761u) & (m->tasks_size - 1);

	while (m->tasks[i] && m->tasks[i]->tid != tid)
		i = (i + 1) & (m->tasks_size - 1);
	return &m->tasks[i];
}

static void grow_tasks(struct fs_model *m)
{
	struct fs_task **old = m->tasks;
	size_t old_size = m->tasks_size;

	m->tasks_size = old_size ? old_size * 2 : 64;
	m->tasks = xcalloc(m->tasks_size, sizeof(*m->tasks));
	for (size_t i = 0; i < old_size; i++)
		if (old[i])
			*task_slot(m, old[i]->tid) = old[i];
	free(old);
}

static struct fs_file **file_slot(struct fs_model *m, const char *path)
{
	size_t i = hash_str(path) & (m->files_size - 1);

	while (m->files[i] && strcmp(m->files[i]->path, path))
		i = (i + 1) & (m->files_size - 1);
	return &m->files[i];
}

static void grow_files(struct fs_model *m)
{
	struct fs_file **old = m->files;
	size_t old_size = m->files_size;

	m->files_size = old_size ? old_size * 2 : 256;
	m->files = xcalloc(m->files_size, sizeof(*m->files));
	for (size_t i = 0; i < old_size; i++)
		if (old[i])
			*file_slot(m, old[i]->path) = old[i];
	free(old);
}

/* ------------------------------------------------------------------------- */
/* cwd and fd tables */

static struct fs_cwd *cwd_new(const char *path)
{
	struct fs_cwd *c = xcalloc(1, sizeof(*c));

	c->refs = 1;
	c->path = path ? xstrdup(path) : NULL;
	return c;
}

static void cwd_put(struct fs_cwd *c)
{
	if (c && --c->refs == 0) {
		free(c->path);
		free(c);
	}
}

static struct fs_fdtab *fdtab_copy(const struct fs_fdtab *src)
{
	struct fs_fdtab *t = xcalloc(1, sizeof(*t));

	t->refs = 1;
	if (src && src->nr) {
		t->v = xmalloc(src->nr * sizeof(*t->v));
		t->nr = src->nr;
		for (int i = 0; i < src->nr; i++) {
			t->v[i] = src->v[i];
			t->v[i].path = src->v[i].path ? xstrdup(src->v[i].path) : NULL;
		}
	}
	return t;
}

static void fdtab_put(struct fs_fdtab *t)
{
	if (!t || --t->refs)
		return;
	for (int i = 0; i < t->nr; i++)
		free(t->v[i].path);
	free(t->v);
	free(t);
}

static struct fd_entry *fd_find(struct fs_fdtab *t, int fd)
{
	for (int i = 0; i < t->nr; i++)
		if (t->v[i].fd == fd)
			return &t->v[i];
	return NULL;
}

static void fd_close(struct fs_fdtab *t, int fd)
{
	struct fd_entry *e = fd_find(t, fd);

	if (!e)
		return;
	free(e->path);
	*e = t->v[--t->nr];
}

static void fd_assign(struct fs_fdtab *t, int fd, const char *path, bool cloexec)
{
	struct fd_entry *e;

	fd_close(t, fd);
	t->v = xrealloc(t->v, (t->nr + 1) * sizeof(*t->v));
	e = &t->v[t->nr++];
	e->fd = fd;
	e->path = path ? xstrdup(path) : NULL;
	e->cloexec = cloexec;
}

/* ------------------------------------------------------------------------- */
/* Tasks */

static void task_clear_name(struct fs_task *t)
{
	free(t->name);
	t->name = NULL;
	t->name_kind = FS_K_NONE;
	t->name_in_sys = false;
}

static void task_free(struct fs_task *t)
{
	cwd_put(t->cwd);
	fdtab_put(t->fds);
	task_clear_name(t);
	free(t->dlopen_name);
	free(t);
}

static void set_comm(struct fs_task *t, const char *comm)
{
	snprintf(t->comm, sizeof(t->comm), "%s", comm ? comm : "");
}

/* A task first seen without a parent (the root) starts in the launcher's cwd. */
static struct fs_task *get_task(struct fs_model *m, pid_t tid)
{
	struct fs_task **slot, *t;

	if ((m->nr_tasks + 1) * 2 > m->tasks_size)
		grow_tasks(m);
	slot = task_slot(m, tid);
	if (*slot)
		return *slot;
	t = xcalloc(1, sizeof(*t));
	t->tid = t->tgid = tid;
	t->cwd = cwd_new(m->cwd);
	t->fds = fdtab_copy(NULL);
	*slot = t;
	m->nr_tasks++;
	return t;
}

/* Put t under a new tid (a non-leader thread's exec takes the leader's pid). */
static void rekey_task(struct fs_model *m, struct fs_task *t, pid_t tid)
{
	struct fs_task **slot = task_slot(m, t->tid), **dst;
	size_t i, j;

	/* Remove t from its slot, re-inserting the cluster after it (open addressing). */
	*slot = NULL;
	i = slot - m->tasks;
	for (j = (i + 1) & (m->tasks_size - 1); m->tasks[j]; j = (j + 1) & (m->tasks_size - 1)) {
		struct fs_task *moved = m->tasks[j];

		m->tasks[j] = NULL;
		*task_slot(m, moved->tid) = moved;
	}
	m->nr_tasks--;
	t->tid = tid;
	dst = task_slot(m, tid);
	if (*dst)
		task_free(*dst);	/* the old leader is replaced */
	else
		m->nr_tasks++;
	*dst = t;
}

struct fs_model *fs_model_new(const char *cwd)
{
	struct fs_model *m = xcalloc(1, sizeof(*m));

	m->cwd = xstrdup(cwd && *cwd ? cwd : "/");
	grow_tasks(m);
	grow_files(m);
	return m;
}

void fs_model_set_root(struct fs_model *m, const char *root)
{
	free(m->root);
	m->root = root && strcmp(root, "/") ? xstrdup(root) : NULL;
}

void fs_model_free(struct fs_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->tasks_size; i++)
		if (m->tasks[i])
			task_free(m->tasks[i]);
	for (size_t i = 0; i < m->files_size; i++) {
		if (!m->files[i])
			continue;
		free(m->files[i]->path);
		free(m->files[i]->errs);
		free(m->files[i]->as_seen);
		free(m->files[i]);
	}
	free(m->tasks);
	free(m->files);
	free(m->root);
	free(m->cwd);
	free(m);
}

const struct fs_counts *fs_model_counts(struct fs_model *m)
{
	return &m->counts;
}

struct fs_counts *fs_model_counts_mut(struct fs_model *m)
{
	return &m->counts;
}

const char *fs_cwd(struct fs_model *m, pid_t tid)
{
	return get_task(m, tid)->cwd->path;
}

const char *fs_fd_path(struct fs_model *m, pid_t tid, int fd)
{
	struct fd_entry *e = fd_find(get_task(m, tid)->fds, fd);

	return e ? e->path : NULL;
}

pid_t fs_tgid(struct fs_model *m, pid_t tid)
{
	return get_task(m, tid)->tgid;
}

/* ------------------------------------------------------------------------- */
/* Paths */

/* root + path (path absolute), for looking at the file. */
static char *rooted(const char *root, const char *path)
{
	return xasprintf("%s%s", root ? root : "", path);
}

/* The real path of the absolute path prefix under root, as an absolute path; NULL if absent. */
static char *physical(const char *root, const char *prefix)
{
	char *full = rooted(root, prefix), real[PATH_MAX], rroot[PATH_MAX];
	char *out = NULL;
	size_t n;

	if (realpath(full, real)) {
		if (!root) {
			out = xstrdup(real);
		} else if (realpath(root, rroot)) {
			n = strlen(rroot);
			if (!strncmp(real, rroot, n) && (real[n] == '/' || real[n] == '\0'))
				out = xstrdup(real[n] ? real + n : "/");
		}
	}
	free(full);
	return out;
}

char *fs_normalize(const char *root, const char *path)
{
	size_t len = strlen(path);
	char *out = xmalloc(len + 2), *p;
	const char *s = path, *e;
	size_t o = 0;

	out[0] = '\0';
	while (*s) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		e = strchr(s, '/');
		if (!e)
			e = s + strlen(s);
		if (e - s == 1 && s[0] == '.') {
			/* nothing */
		} else if (e - s == 2 && s[0] == '.' && s[1] == '.') {
			/* ".." goes up from where the prefix really is (after its symlinks). */
			char *phys = o ? physical(root, out) : NULL;

			if (phys) {
				size_t pl = strlen(phys);

				out = xrealloc(out, pl + len + 2);
				memcpy(out, phys, pl + 1);
				o = strcmp(phys, "/") ? pl : 0;
				free(phys);
			}
			p = o ? memrchr(out, '/', o) : NULL;
			o = p ? (size_t)(p - out) : 0;
			out[o] = '\0';
		} else {
			out[o++] = '/';
			memcpy(out + o, s, e - s);
			o += e - s;
			out[o] = '\0';
		}
		s = e;
	}
	if (!o) {
		out[0] = '/';
		out[1] = '\0';
	}
	return out;
}

char *fs_resolve(struct fs_model *m, pid_t tid, long dfd, const char *path)
{
	struct fs_task *t = get_task(m, tid);
	const char *base;
	char *joined, *res;

	if (!path || !*path)
		return NULL;
	if (path[0] == '/')
		return fs_normalize(m->root, path);
	if ((int)dfd == AT_FDCWD) {
		base = t->cwd->path;
	} else {
		struct fd_entry *e = fd_find(t->fds, (int)dfd);

		base = e ? e->path : NULL;
	}
	if (!base) {
		m->counts.unresolved++;
		return NULL;
	}
	joined = xasprintf("%s/%s", base, path);
	res = fs_normalize(m->root, joined);
	free(joined);
	return res;
}

/* ------------------------------------------------------------------------- */
/* Files */

static struct fs_file *get_file(struct fs_model *m, const char *path)
{
	struct fs_file **slot, *f;

	if ((m->nr_files + 1) * 2 > m->files_size)
		grow_files(m);
	slot = file_slot(m, path);
	if (*slot)
		return *slot;
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	*slot = f;
	m->nr_files++;
	return f;
}

struct fs_file *fs_add_seen(struct fs_model *m, const char *path, unsigned access, pid_t pid,
			    const char *comm, unsigned seen_by)
{
	struct fs_file *f = get_file(m, path);

	if (!f->access && access) {
		f->pid = pid;
		snprintf(f->comm, sizeof(f->comm), "%s", comm ? comm : "");
	}
	f->access |= access;
	f->seen_by |= seen_by;
	return f;
}

void fs_add(struct fs_model *m, const char *path, unsigned access, pid_t pid, const char *comm)
{
	/* The static layer is a deduction, not something a backend saw. */
	fs_add_seen(m, path, access, pid, comm, access & ~FS_NEEDED ? FS_SEEN_TRACE : 0);
}

bool fs_task_known(struct fs_model *m, pid_t tid, const char **comm)
{
	struct fs_task *t = m->tasks_size ? *task_slot(m, tid) : NULL;

	if (t && comm)
		*comm = t->comm;
	return t != NULL;
}

static void add_error(struct fs_model *m, const char *path, int err)
{
	struct fs_file *f = get_file(m, path);

	for (int i = 0; i < f->nr_errs; i++) {
		if (f->errs[i].err == err) {
			f->errs[i].count++;
			return;
		}
	}
	f->errs = xrealloc(f->errs, (f->nr_errs + 1) * sizeof(*f->errs));
	f->errs[f->nr_errs++] = (struct fs_errno_count){ err, 1 };
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp((*(struct fs_file *const *)a)->path, (*(struct fs_file *const *)b)->path);
}

int fs_files(struct fs_model *m, struct fs_file ***files)
{
	int n = 0;

	*files = xmalloc((m->nr_files + 1) * sizeof(**files));
	for (size_t i = 0; i < m->files_size; i++)
		if (m->files[i])
			(*files)[n++] = m->files[i];
	qsort(*files, n, sizeof(**files), path_cmp);
	return n;
}

/* ------------------------------------------------------------------------- */
/* Process tree */

void fs_clone(struct fs_model *m, pid_t parent, pid_t child, uint64_t clone_flags,
	      const char *comm)
{
	struct fs_task *p = get_task(m, parent), *c;

	/* A known child pid is a reused one: the new task starts with fresh state. */
	c = get_task(m, child);
	p = get_task(m, parent);	/* the table may have grown */
	cwd_put(c->cwd);
	fdtab_put(c->fds);
	task_clear_name(c);
	free(c->dlopen_name);
	c->dlopen_name = NULL;
	c->in_sys = false;
	c->tgid = (clone_flags & CLONE_THREAD) ? p->tgid : child;
	if (clone_flags & CLONE_FS) {
		c->cwd = p->cwd;
		c->cwd->refs++;
	} else {
		c->cwd = cwd_new(p->cwd->path);
	}
	if (clone_flags & CLONE_FILES) {
		c->fds = p->fds;
		c->fds->refs++;
	} else {
		c->fds = fdtab_copy(p->fds);
	}
	set_comm(c, comm && *comm ? comm : p->comm);
}

void fs_exit(struct fs_model *m, pid_t tid)
{
	struct fs_task *t = get_task(m, tid);

	t->in_sys = false;
	task_clear_name(t);
}

/* The interpreters the kernel opens itself to run path: #! lines and PT_INTERP. */
static void add_interpreters(struct fs_model *m, struct fs_task *t, const char *path, int depth)
{
	char *file, *interp, *abs;

	/* /proc/self/exe (busybox re-executes itself) would be the reader's own binary */
	if (fs_is_pseudo(path))
		return;
	file = rooted(m->root, path);

	interp = fs_script_interp(file);
	if (!interp)
		interp = fs_elf_interp(file);
	free(file);
	if (!interp)
		return;
	abs = fs_resolve(m, t->tid, AT_FDCWD, interp);
	if (abs) {
		fs_add(m, abs, FS_EXEC | FS_INTERP, t->tgid, t->comm);
		if (depth < MAX_INTERP_DEPTH)
			add_interpreters(m, t, abs, depth + 1);
	}
	free(abs);
	free(interp);
}

/* "/dev/fd/N" (fexecve, execveat with AT_EMPTY_PATH) names fd N. */
static char *exec_path(struct fs_model *m, struct fs_task *t, const char *filename)
{
	char *end;
	long fd;

	if (!strncmp(filename, "/dev/fd/", 8)) {
		fd = strtol(filename + 8, &end, 10);
		if (end != filename + 8 && *end == '\0') {
			struct fd_entry *e = fd_find(t->fds, (int)fd);

			return e && e->path ? xstrdup(e->path) : NULL;
		}
	}
	return fs_resolve(m, t->tid, AT_FDCWD, filename);
}

static void drop_cloexec(struct fs_task *t)
{
	struct fs_fdtab *own;

	if (t->fds->refs > 1) {		/* exec unshares the table */
		own = fdtab_copy(t->fds);
		fdtab_put(t->fds);
		t->fds = own;
	}
	for (int i = 0; i < t->fds->nr;) {
		if (t->fds->v[i].cloexec)
			fd_close(t->fds, t->fds->v[i].fd);
		else
			i++;
	}
}

void fs_exec(struct fs_model *m, pid_t pid, pid_t old_pid, const char *filename)
{
	struct fs_task *t = get_task(m, old_pid ? old_pid : pid);
	const char *base;
	char *path;

	if (t->tid != pid)
		rekey_task(m, t, pid);
	t->tgid = pid;
	path = exec_path(m, t, filename);
	drop_cloexec(t);
	base = strrchr(filename, '/');
	set_comm(t, base ? base + 1 : filename);
	if (path) {
		fs_add(m, path, FS_EXEC, t->tgid, t->comm);
		add_interpreters(m, t, path, 0);
	} else {
		m->counts.unresolved++;
	}
	free(path);
}

/* ------------------------------------------------------------------------- */
/* Names and results */

void fs_name(struct fs_model *m, pid_t tid, enum fs_kind kind, const char *path)
{
	struct fs_task *t = get_task(m, tid);

	if (kind == FS_K_DLOPEN) {
		free(t->dlopen_name);
		t->dlopen_name = path ? xstrdup(path) : NULL;
		return;
	}
	if (kind == FS_K_ANY && !t->in_sys)
		return;		/* a lookup by a syscall that is not recorded */
	if (t->in_sys && t->name_in_sys)
		return;		/* the syscall's first name is its path */
	task_clear_name(t);
	t->name = xstrdup(path ? path : "");
	t->name_kind = kind;
	t->name_in_sys = t->in_sys;
}

void fs_dlopen_ret(struct fs_model *m, pid_t tid, uint64_t handle)
{
	struct fs_task *t = get_task(m, tid);
	char *path;

	/* A bare soname is found by the loader's search: its open shows the path. */
	if (handle && t->dlopen_name && strchr(t->dlopen_name, '/')) {
		path = fs_resolve(m, tid, AT_FDCWD, t->dlopen_name);
		if (path)
			fs_add(m, path, FS_DLOPEN | FS_READ, t->tgid, t->comm);
		free(path);
	}
	free(t->dlopen_name);
	t->dlopen_name = NULL;
}

void fs_sys_enter(struct fs_model *m, pid_t tid, const char *sys, const struct fs_sys_args *a)
{
	struct fs_task *t = get_task(m, tid);

	if (t->name && t->name_in_sys)	/* left by a syscall whose exit was not seen */
		task_clear_name(t);
	t->in_sys = true;
	snprintf(t->sys, sizeof(t->sys), "%s", sys);
	t->args = *a;
}

static unsigned open_access(const char *sys, long flags)
{
	unsigned acc;

	if (!strcmp(sys, "creat"))
		return FS_WRITE | FS_CREATE;
	if (!strcmp(sys, "openat2"))
		return FS_READ;		/* its flags are in a user struct */
	switch (flags & O_ACCMODE) {
	case O_WRONLY:
		acc = FS_WRITE;
		break;
	case O_RDWR:
		acc = FS_READ | FS_WRITE;
		break;
	default:
		acc = FS_READ;
	}
	if (flags & O_CREAT)
		acc |= FS_CREATE;
	return acc;
}

static void dup_fd(struct fs_task *t, int from, int to, bool cloexec)
{
	struct fd_entry *e = fd_find(t->fds, from);

	fd_assign(t->fds, to, e ? e->path : NULL, cloexec);
}

/* close, dup*, fcntl, fchdir: the fd table and the cwd. */
static void fd_syscall(struct fs_task *t, const char *sys, const struct fs_sys_args *a, long ret)
{
	if (!strcmp(sys, "close")) {
		if (ret == 0 || ret == -EINTR)
			fd_close(t->fds, (int)a->fd);
	} else if (ret < 0) {
		return;
	} else if (!strcmp(sys, "dup")) {
		dup_fd(t, (int)a->fd, (int)ret, false);
	} else if (!strcmp(sys, "dup2") || !strcmp(sys, "dup3")) {
		if (a->fd != a->newfd)
			dup_fd(t, (int)a->fd, (int)a->newfd, a->flags & O_CLOEXEC);
	} else if (!strcmp(sys, "fcntl")) {
		if (a->cmd == F_DUPFD || a->cmd == F_DUPFD_CLOEXEC)
			dup_fd(t, (int)a->fd, (int)ret, a->cmd == F_DUPFD_CLOEXEC);
	} else if (!strcmp(sys, "fchdir")) {
		struct fd_entry *e = fd_find(t->fds, (int)a->fd);

		free(t->cwd->path);
		t->cwd->path = e && e->path ? xstrdup(e->path) : NULL;
	}
}

static void path_result(struct fs_model *m, struct fs_task *t, const char *sys, enum fs_kind kind,
			const char *name, long ret)
{
	const struct fs_sys_args *a = &t->args;
	char *path = name ? fs_resolve(m, t->tid, a->dfd, name) : NULL;

	if (kind == FS_K_EXEC && ret == 0)
		goto out;	/* sched_process_exec told it, with the kernel's path */
	if (kind == FS_K_OPEN && ret >= 0)
		fd_assign(t->fds, (int)ret, path, (a->flags & O_CLOEXEC) != 0);
	if (!name) {
		if (kind == FS_K_OPEN || kind == FS_K_EXEC) {
			if (ret >= 0)
				m->counts.unnamed_ok++;
			else
				m->counts.unnamed_failed++;
		}
		goto out;
	}
	if (!path)
		goto out;	/* "" with AT_EMPTY_PATH (an fd operation), or an unknown dirfd */
	if (ret < 0) {
		add_error(m, path, (int)-ret);
	} else if (kind == FS_K_OPEN) {
		fs_add(m, path, open_access(sys, a->flags), t->tgid, t->comm);
	} else {
		fs_add(m, path, FS_STAT, t->tgid, t->comm);
		if (kind == FS_K_CHDIR) {
			free(t->cwd->path);
			t->cwd->path = xstrdup(path);
		}
	}
out:
	free(path);
}

void fs_sys_exit(struct fs_model *m, pid_t tid, const char *sys, long ret)
{
	struct fs_task *t = get_task(m, tid);
	enum fs_kind kind = kind_of_sys(sys);
	const char *name = NULL;

	if (!t->in_sys || strcmp(t->sys, sys)) {	/* its enter was not seen */
		t->args = (struct fs_sys_args){ .dfd = AT_FDCWD, .flags = 0, .fd = -1,
						.newfd = -1, .cmd = -1 };
		snprintf(t->sys, sizeof(t->sys), "%s", sys);
	}
	if (kind == FS_K_NONE) {
		fd_syscall(t, sys, &t->args, ret);
	} else {
		if (t->name && (t->name_kind == kind || t->name_kind == FS_K_ANY))
			name = t->name;
		path_result(m, t, sys, kind, name, ret);
		if (name)
			task_clear_name(t);
	}
	t->in_sys = false;
	if (t->name && t->name_in_sys)
		task_clear_name(t);
}
