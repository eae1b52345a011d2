// SPDX-License-Identifier: LGPL-2.1
/*
 * The undo list (see tracefs_undo.h): one record per change, persisted before
 * the change is made, undone last-first by one routine.
 */
#include "tracefs/tracefs_undo.h"
#include "tracefs/tracefs_names.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

enum undo_kind {
	UNDO_WRITE,	/* write value to path */
	UNDO_RMDIR,	/* remove the directory path (an instance we created) */
	UNDO_APPEND,	/* append value to path (e.g. "-:grp/ev" to uprobe_events) */
	UNDO_REMOVE,	/* delete the file path (a temporary of ours, left by a kill) */
};

struct undo_entry {
	enum undo_kind kind;
	char *path;
	char *value;
};

struct st_undo {
	struct undo_entry *entries;
	int nr;
	int alloc;
	char *persist_path;	/* NULL: in memory only */
};

static const char *kind_name(enum undo_kind kind)
{
	static const char *const names[] = {
		[UNDO_WRITE] = "write", [UNDO_RMDIR] = "rmdir",
		[UNDO_APPEND] = "append", [UNDO_REMOVE] = "remove",
	};

	return names[kind];
}

/* The kinds whose persisted line has no value. */
static bool has_value(enum undo_kind kind)
{
	return kind == UNDO_WRITE || kind == UNDO_APPEND;
}

/* ------------------------------------------------------------------------- */
/* Persistence */

static void escape_to(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

char *st_undo_unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++) {
		if (*s == '\\' && s[1] == 'n') {
			*o++ = '\n';
			s++;
		} else if (*s == '\\' && s[1] == '\\') {
			*o++ = '\\';
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

static void format_entry(FILE *f, const struct undo_entry *e)
{
	fprintf(f, "%s ", kind_name(e->kind));
	/* A tracefs path has no space nor newline; a file's may have both. */
	if (e->kind == UNDO_REMOVE)
		escape_to(f, e->path);
	else
		fputs(e->path, f);
	if (has_value(e->kind)) {
		fputc(' ', f);
		escape_to(f, e->value);
	}
	fputc('\n', f);
}

/* Rewrite the whole persisted file (after entries were removed): tmp + rename. */
static int persist_all(struct st_undo *u)
{
	char *tmp;
	FILE *f;
	int ret = -1;

	if (!u->persist_path)
		return 0;
	tmp = xasprintf("%s.tmp", u->persist_path);
	f = fopen(tmp, "we");
	if (!f)
		goto out;
	fprintf(f, "sidetrace-undo 1\n");
	for (int i = 0; i < u->nr; i++)
		format_entry(f, &u->entries[i]);
	if (fclose(f) != 0 || rename(tmp, u->persist_path) != 0)
		goto out;
	ret = 0;
out:
	if (ret)
		st_set_error("cannot write the undo list %s: %s", u->persist_path, strerror(errno));
	free(tmp);
	return ret;
}

/* Append one entry to the persisted file. */
static int persist_append(struct st_undo *u, const struct undo_entry *e)
{
	FILE *f;

	if (!u->persist_path)
		return 0;
	f = fopen(u->persist_path, "ae");
	if (!f)
		goto fail;
	format_entry(f, e);
	if (fclose(f) != 0)
		goto fail;
	return 0;
fail:
	st_set_error("cannot write the undo list %s: %s", u->persist_path, strerror(errno));
	return -1;
}

/* ------------------------------------------------------------------------- */
/* Where lists are persisted */

enum { DIR_OK = 0, DIR_CANNOT_MAKE = -1, DIR_UNSAFE = -2 };

int st_undo_dir_check(const char *dir)
{
	struct stat st;
	char why[64];

	if (lstat(dir, &st) < 0) {
		st_set_error("cannot use %s: %s", dir, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		snprintf(why, sizeof(why), "it is a symbolic link");
	else if (!S_ISDIR(st.st_mode))
		snprintf(why, sizeof(why), "it is not a directory");
	else if (st.st_uid != geteuid())
		snprintf(why, sizeof(why), "it belongs to uid %u", (unsigned)st.st_uid);
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		snprintf(why, sizeof(why), "others can write it (mode %04o)",
			 (unsigned)(st.st_mode & 07777));
	else
		return 0;
	st_set_error("refusing %s: %s; it must be a directory that only uid %u can write",
		     dir, why, (unsigned)geteuid());
	errno = EPERM;
	return -1;
}

/* Make dir's missing parent, 0755 (as /run is) whatever the umask. 0, or -1 with st_set_error(). */
static int make_parent(const char *dir)
{
	char *parent = xstrdup(dir), *slash = strrchr(parent, '/');
	int ret = -1;

	if (slash && slash != parent) {
		*slash = '\0';
		ret = mkdir(parent, 0755);
		if (ret == 0)
			chmod(parent, 0755);
		else
			st_set_error("cannot create %s: %s", parent, strerror(errno));
	}
	free(parent);
	return ret;
}

/*
 * Make dir (0700), and with_parent its parent if missing, or find it made;
 * then check it is private.
 */
static int make_private_dir(const char *dir, bool with_parent)
{
	int err = mkdir(dir, 0700) < 0 ? errno : 0;

	if (err == ENOENT && with_parent) {
		if (make_parent(dir) < 0)
			return DIR_CANNOT_MAKE;
		err = mkdir(dir, 0700) < 0 ? errno : 0;
	}
	if (err && err != EEXIST) {
		st_set_error("cannot create %s: %s", dir, strerror(err));
		return DIR_CANNOT_MAKE;
	}
	return st_undo_dir_check(dir) < 0 ? DIR_UNSAFE : DIR_OK;
}

const char *st_undo_dir(void)
{
	char *first;
	int ret = make_private_dir(ST_UNDO_DIR, true);	/* /run may be missing */

	if (ret != DIR_CANNOT_MAKE)
		return ret == DIR_OK ? ST_UNDO_DIR : NULL;	/* an unsafe one is refused */
	first = xstrdup(st_last_error());
	if (make_private_dir(ST_UNDO_DIR_FALLBACK, false) == DIR_OK) {
		free(first);
		return ST_UNDO_DIR_FALLBACK;
	}
	st_set_error("%s; and %s", first, st_last_error());
	free(first);
	return NULL;
}

static int make_parent_dir(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int ret = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		ret = make_private_dir(dir, false) == DIR_OK ? 0 : -1;
	}
	free(dir);
	return ret;
}

struct st_undo *st_undo_new(const char *persist_path)
{
	struct st_undo *u = xcalloc(1, sizeof(*u));

	if (persist_path) {
		u->persist_path = xstrdup(persist_path);
		if (make_parent_dir(persist_path) < 0 || persist_all(u) < 0) {
			free(u->persist_path);
			free(u);
			return NULL;
		}
	}
	return u;
}

/* ------------------------------------------------------------------------- */
/* The list */

static int push(struct st_undo *u, enum undo_kind kind, const char *path, const char *value)
{
	struct undo_entry *e;

	if (u->nr == u->alloc) {
		u->alloc = u->alloc ? u->alloc * 2 : 32;
		u->entries = xrealloc(u->entries, u->alloc * sizeof(*u->entries));
	}
	e = &u->entries[u->nr];
	e->kind = kind;
	e->path = xstrdup(path);
	e->value = value ? xstrdup(value) : NULL;
	if (persist_append(u, e) < 0) {
		free(e->path);
		free(e->value);
		return -1;
	}
	u->nr++;
	return 0;
}

static void free_entry(struct undo_entry *e)
{
	free(e->path);
	free(e->value);
}

/* Forget the last entry without undoing it (its change failed). */
static void pop(struct st_undo *u)
{
	free_entry(&u->entries[--u->nr]);
	persist_all(u);
}

int st_undo_count(const struct st_undo *u)
{
	return u ? u->nr : 0;
}

int st_undo_mark(const struct st_undo *u)
{
	return st_undo_count(u);
}

/* ------------------------------------------------------------------------- */
/* Changes */

static int write_value(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (len && write_all(fd, value, len) < 0)
		ret = -1;
	if (close(fd) < 0)
		ret = -1;
	return ret;
}

static int append_value(const char *path, const char *value)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write_all(fd, value, strlen(value)) < 0)
		ret = -1;
	if (close(fd) < 0)
		ret = -1;
	return ret;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool is_function_list(const char *name)
{
	return !strcmp(name, "set_ftrace_filter") || !strcmp(name, "set_ftrace_notrace") ||
	       !strcmp(name, "set_graph_function") || !strcmp(name, "set_graph_notrace");
}

/*
 * A function list as the kernel shows it ("#### all functions enabled ####"
 * when empty, "name [module]" for module functions, "name:cmd:..." for
 * function commands) as the list to write back: the names, space-separated,
 * module functions as name:mod:module. Commands are left out: writing the
 * list (O_TRUNC) never removes them, so they need no restoring.
 */
static char *function_list_value(char *old)
{
	char *out = xstrdup(""), *line, *save = NULL, *next, *mod;

	for (line = strtok_r(old, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || strchr(line, ':'))
			continue;
		mod = strstr(line, " [");
		if (mod) {
			*mod = '\0';
			mod += 2;
			mod[strcspn(mod, "]")] = '\0';
		}
		next = xasprintf("%s%s%s%s%s", out, *out ? " " : "", line, mod ? ":mod:" : "",
				 mod ? mod : "");
		free(out);
		out = next;
	}
	free(old);
	return out;
}

/* Turn a file's current contents into the value that writes them back. */
static char *restore_value(const char *path, char *old)
{
	const char *name = base_name(path);
	size_t len;
	char *p;

	if (is_function_list(name))
		return function_list_value(old);
	/* The function tracer's pid lists read "no pid" when empty. */
	if (!strncmp(old, "no pid", 6))
		old[0] = '\0';
	/*
	 * A top-level buffer not used yet reads "7 (expanded: 1408)": the size
	 * it gets on first use. Nothing turns it back to unexpanded; that size
	 * is the closest state there is.
	 */
	if (!strcmp(name, "buffer_size_kb") && (p = strstr(old, "(expanded: "))) {
		memmove(old, p + 11, strlen(p + 11) + 1);
		old[strcspn(old, ")")] = '\0';
		return old;
	}
	if (!strcmp(name, "trace_clock")) {
		char *open = strchr(old, '['), *close = open ? strchr(open, ']') : NULL;

		if (open && close) {
			*close = '\0';
			memmove(old, open + 1, close - open);
		}
		return old;
	}
	/* Pid lists come one per line; the kernel takes them space-separated. */
	for (p = old; *p; p++)
		if (*p == '\n')
			*p = ' ';
	len = strlen(old);
	while (len && (old[len - 1] == ' ' || old[len - 1] == '\t'))
		old[--len] = '\0';
	if (!strcmp(name, "filter") && !strcmp(old, "none"))
		strcpy(old, "0");
	else if (!strcmp(name, "enable") && len > 1)
		old[1] = '\0';	/* "0*": the star says a soft-disable is pending */
	return old;
}

static bool same_value(const char *path, const char *current, const char *value)
{
	size_t len = strlen(value);

	while (len && value[len - 1] == '\n')
		len--;
	/* Pid lists are appended to by the kernel (event-fork): always write them. */
	if (strstr(base_name(path), "_pid"))
		return false;
	/* An unexpanded buffer reads as its future size (restore_value), yet is not. */
	if (!strcmp(base_name(path), "buffer_size_kb"))
		return false;
	return strlen(current) == len && !strncmp(current, value, len);
}

int st_undo_write(struct st_undo *u, const char *path, const char *value)
{
	char *old;
	int saved;

	old = read_file(path, NULL);
	if (!old)
		return -1;
	old = restore_value(path, old);
	if (same_value(path, old, value)) {
		free(old);
		return 0;
	}
	if (push(u, UNDO_WRITE, path, old) < 0) {
		free(old);
		return -1;
	}
	free(old);
	if (write_value(path, value) < 0) {
		saved = errno;
		st_set_error("cannot write '%s' to %s: %s", value, path, strerror(saved));
		pop(u);
		errno = saved;
		return -1;
	}
	return 0;
}

int st_undo_instance_write(struct st_undo *u, struct tracefs_instance *inst, const char *file,
			   const char *value)
{
	char *path = tracefs_instance_get_file(inst, file);
	int ret;

	if (!path) {
		st_set_error("cannot find tracefs file %s", file);
		return -1;
	}
	ret = st_undo_write(u, path, value);
	tracefs_put_tracing_file(path);
	return ret;
}

struct tracefs_instance *st_undo_instance_create(struct st_undo *u, const char *name)
{
	struct tracefs_instance *inst;
	const char *dir = tracefs_tracing_dir();
	char *path;

	if (!dir) {
		st_set_error("tracefs is not mounted (try: mount -t tracefs nodev /sys/kernel/tracing)");
		return NULL;
	}
	if (tracefs_instance_exists(name)) {
		st_set_error("tracefs instance %s already exists (left by a killed run? see sidetrace reset)",
			     name);
		return NULL;
	}
	path = xasprintf("%s/instances/%s", dir, name);
	if (push(u, UNDO_RMDIR, path, NULL) < 0) {
		free(path);
		return NULL;
	}
	free(path);
	inst = tracefs_instance_create(name);
	if (!inst || !tracefs_instance_is_new(inst)) {
		st_set_error("cannot create tracefs instance %s: %s", name, strerror(errno));
		tracefs_instance_free(inst);
		pop(u);
		return NULL;
	}
	return inst;
}

int st_undo_append(struct st_undo *u, const char *path, const char *value, const char *undo_value)
{
	if (push(u, UNDO_APPEND, path, undo_value) < 0)
		return -1;
	if (append_value(path, value) < 0) {
		st_set_error("cannot write '%s' to %s: %s", value, path, strerror(errno));
		pop(u);
		return -1;
	}
	return 0;
}

static void remove_entry(struct st_undo *u, int i);

int st_undo_add_file(struct st_undo *u, const char *path)
{
	return push(u, UNDO_REMOVE, path, NULL);
}

void st_undo_forget_file(struct st_undo *u, const char *path)
{
	for (int i = u->nr - 1; i >= 0; i--) {
		if (u->entries[i].kind == UNDO_REMOVE && !strcmp(u->entries[i].path, path)) {
			remove_entry(u, i);
			persist_all(u);
			return;
		}
	}
}

/* ------------------------------------------------------------------------- */
/* Undoing */

int st_undo_remove_dir(const char *path)
{
	/* A reader that just closed its trace_pipe_raw may keep the instance busy briefly. */
	for (int tries = 0; tries < 50; tries++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
	}
	return -1;
}

/*
 * Delete a temporary file we created, if it still is one: a regular file of
 * our user's. Whatever else now has its name is not ours to delete: it is
 * left alone, and that is the end of this step.
 */
static int remove_file(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		st_warn("left %s alone: it is no longer a temporary file of ours", path);
		return 0;
	}
	return unlink(path);
}

static int undo_entry(const struct undo_entry *e)
{
	int ret;

	if (e->kind == UNDO_RMDIR)
		ret = st_undo_remove_dir(e->path);
	else if (e->kind == UNDO_REMOVE)
		ret = remove_file(e->path);
	else if (e->kind == UNDO_APPEND)
		ret = append_value(e->path, e->value);
	else
		ret = write_value(e->path, e->value);
	/* Something that is gone needs no restoring (e.g. a file inside a removed instance). */
	if (ret < 0 && errno == ENOENT)
		ret = 0;
	if (ret < 0)
		st_warn("could not restore %s (%s%s%s): %s", e->path, kind_name(e->kind),
			e->value ? " " : "", e->value ? e->value : "", strerror(errno));
	return ret;
}

int st_undo_rollback(struct st_undo *u, int mark)
{
	int ret = 0;

	if (!u)
		return 0;
	while (u->nr > mark) {
		if (undo_entry(&u->entries[u->nr - 1]) < 0)
			ret = -1;
		free_entry(&u->entries[--u->nr]);
	}
	if (persist_all(u) < 0)
		ret = -1;
	return ret;
}

static bool inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && path[n] == '/';
}

/* Whether removing instance dir resets path: its events' files and event pid lists. */
static bool reset_by_rmdir(const char *path, const char *dir)
{
	const char *rel = path + strlen(dir) + 1;

	return !strncmp(rel, "events/", 7) || !strcmp(rel, "set_event_pid") ||
	       !strcmp(rel, "set_event_notrace_pid");
}

static void remove_entry(struct st_undo *u, int i)
{
	free_entry(&u->entries[i]);
	memmove(&u->entries[i], &u->entries[i + 1], (u->nr - i - 1) * sizeof(*u->entries));
	u->nr--;
}

/*
 * Remove the instance of entry i, with what was changed inside it. The kernel
 * disables the instance's events and clears its event pid lists in one go
 * then, where restoring them file by file costs a grace period or two each,
 * so those entries are dropped. The others are restored first, last change
 * first: some files of an instance are not its own (a tracer's options are
 * shared by every instance on older kernels). Returns -1 if the instance
 * could not be removed: its remaining entries stay on the list.
 */
static int remove_instance(struct st_undo *u, int i, bool *failed)
{
	char *dir = xstrdup(u->entries[i].path);
	int ret = 0;

	for (int j = u->nr - 1; j > i; j--) {
		if (!inside(u->entries[j].path, dir) || reset_by_rmdir(u->entries[j].path, dir))
			continue;
		if (undo_entry(&u->entries[j]) < 0)
			*failed = true;
		remove_entry(u, j);
	}
	if (st_undo_remove_dir(dir) == 0) {
		for (int j = u->nr - 1; j >= i; j--)
			if (j == i || inside(u->entries[j].path, dir))
				remove_entry(u, j);
	} else {
		ret = -1;
	}
	free(dir);
	return ret;
}

/*
 * Instances go first: removing one must also come before deleting the probes
 * its events use. One that cannot be removed is restored the slow way, in
 * order, by the caller.
 */
static int remove_instances_first(struct st_undo *u)
{
	bool failed = false;
	int nr = u->nr;

	for (int i = 0; i < u->nr; i++)
		if (u->entries[i].kind == UNDO_RMDIR && remove_instance(u, i, &failed) == 0)
			i--;
	if (u->nr != nr && persist_all(u) < 0)
		failed = true;
	return failed ? -1 : 0;
}

int st_undo_finish(struct st_undo *u)
{
	int ret;

	if (!u)
		return 0;
	ret = remove_instances_first(u);
	if (st_undo_rollback(u, 0) < 0)
		ret = -1;
	if (u->persist_path) {
		if (ret == 0)
			unlink(u->persist_path);
		else
			st_warn("some tracefs state was not restored; the list is in %s",
				u->persist_path);
	}
	free(u->entries);
	free(u->persist_path);
	free(u);
	return ret;
}

static int parse_line(struct st_undo *u, char *line)
{
	char *kind = line, *path, *value = NULL;

	path = strchr(kind, ' ');
	if (!path)
		return -1;
	*path++ = '\0';
	if (!strcmp(kind, "write") || !strcmp(kind, "append")) {
		value = strchr(path, ' ');
		if (!value)
			return -1;
		*value++ = '\0';
		value = st_undo_unescape(value);
		push(u, kind[0] == 'a' ? UNDO_APPEND : UNDO_WRITE, path, value);
		free(value);
	} else if (!strcmp(kind, "rmdir")) {
		push(u, UNDO_RMDIR, path, NULL);
	} else if (!strcmp(kind, "remove")) {
		path = st_undo_unescape(path);
		push(u, UNDO_REMOVE, path, NULL);
		free(path);
	} else {
		return -1;
	}
	return 0;
}

int st_undo_replay_file(const char *persist_path)
{
	struct st_undo *u = xcalloc(1, sizeof(*u));
	char *text, *line, *save = NULL;
	int nr = 0, ret;

	text = read_file(persist_path, NULL);
	if (!text) {
		free(u);
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (nr++ == 0) {
			if (strcmp(line, "sidetrace-undo 1") != 0)
				goto bad;
			continue;
		}
		if (parse_line(u, line) < 0)
			goto bad;
	}
	free(text);
	u->persist_path = xstrdup(persist_path);
	return st_undo_finish(u);
bad:
	st_set_error("%s: not a sidetrace undo list (line %d)", persist_path, nr);
	free(text);
	u->persist_path = NULL;
	ret = -1;
	while (u->nr)
		free_entry(&u->entries[--u->nr]);
	free(u->entries);
	free(u);
	return ret;
}

int st_undo_write_pids(struct st_undo *u, struct tracefs_instance *inst, const char *file,
		       const pid_t *pids, int nr)
{
	char *list = xstrdup(""), *next;
	int ret;

	for (int i = 0; i < nr; i++) {
		next = xasprintf("%s%s%d", list, i ? " " : "", pids[i]);
		free(list);
		list = next;
	}
	ret = st_undo_instance_write(u, inst, file, list);
	free(list);
	return ret;
}

struct st_undo *st_undo_new_session(void)
{
	const char *dir = st_undo_dir();
	char *name, *persist;
	struct st_undo *u;

	if (!dir)
		return NULL;
	name = st_name(ST_NAME_UNDO_LIST, getpid());
	persist = xasprintf("%s/%s", dir, name);
	free(name);
	u = st_undo_new(persist);
	free(persist);
	return u;
}

struct tracefs_instance *st_undo_session_instance(struct st_undo *u)
{
	char *name = st_name(ST_NAME_INSTANCE, getpid());
	struct tracefs_instance *inst = st_undo_instance_create(u, name);

	free(name);
	return inst;
}

int st_undo_buffer_kb(struct st_undo *u, struct tracefs_instance *inst, unsigned long kb)
{
	char text[32];

	if (!kb)
		return 0;
	snprintf(text, sizeof(text), "%lu", kb);
	return st_undo_instance_write(u, inst, "buffer_size_kb", text);
}
