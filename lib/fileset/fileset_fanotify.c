// SPDX-License-Identifier: LGPL-2.1
/*
 * The fanotify backend's part of a record --files trace (fileset.h): its
 * lines of the TD_OPT_FILES option, and their merge into the model built from
 * the trace's events.
 */
#include "fileset/fileset.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* "PID FLAGS PATH": FLAGS letters o (opened), x (opened to execute), w (written). */
static bool parse_event(const char *line, struct fs_fan_event *e)
{
	const char *flags, *path;
	char *end;
	long pid = strtol(line, &end, 10);

	if (end == line || *end != ' ' || pid <= 0)
		return false;
	flags = end + 1;
	path = strchr(flags, ' ');
	if (!path || path[1] != '/')
		return false;
	*e = (struct fs_fan_event){ .pid = (pid_t)pid };
	for (const char *f = flags; f < path; f++) {
		if (*f == 'o')
			e->access |= FS_READ;
		else if (*f == 'x')
			e->access |= FS_EXEC;
		else if (*f == 'w')
			e->access |= FS_WRITE;
	}
	/* A file written and closed was opened for writing; reading it is not known. */
	if (e->access & FS_WRITE)
		e->access &= ~FS_READ;
	e->path = xstrdup(path + 1);
	return true;
}

static long number(const char *s)
{
	return strtol(s, NULL, 10);
}

bool fs_info_parse_fanotify(struct fs_info *info, const char *key, char **value)
{
	char **text = NULL;

	if (!strcmp(key, "fan")) {
		struct fs_fan_event e;

		info->fanotify = true;
		if (parse_event(*value, &e)) {
			info->fan = xrealloc(info->fan, (info->nr_fan + 1) * sizeof(*info->fan));
			info->fan[info->nr_fan++] = e;
		}
		return true;
	}
	if (!strcmp(key, "fan_unresolved")) {	/* "PID COUNT" */
		char *end;
		long pid = strtol(*value, &end, 10);

		info->fan_lost = xrealloc(info->fan_lost,
					  (info->nr_fan_lost + 1) * sizeof(*info->fan_lost));
		info->fan_lost[info->nr_fan_lost++] = (struct fs_fan_event){
			.pid = (pid_t)pid, .access = (unsigned)strtol(end, NULL, 10) };
		return true;
	}
	if (!strcmp(key, "fan_as_seen")) {
		if (info->nr_fan && !info->fan[info->nr_fan - 1].as_seen) {
			info->fan[info->nr_fan - 1].as_seen = *value;
			*value = NULL;
		}
		return true;
	}
	if (!strcmp(key, "fanotify_overflows"))
		info->fan_overflows = number(*value);
	else if (!strcmp(key, "fanotify_unresolved"))
		info->fan_unresolved = number(*value);
	else if (!strcmp(key, "fanotify_dropped"))
		info->fan_dropped = number(*value);
	else if (!strcmp(key, "fanotify_unmarked"))
		text = &info->fan_unmarked;
	else if (!strcmp(key, "fanotify_error"))
		text = &info->fan_error;
	else if (!strcmp(key, "cannot_see_fanotify"))
		text = &info->cannot_see_fanotify;
	else if (!strcmp(key, "cannot_see_uprobe") || !strcmp(key, "cannot_see_kprobe"))
		text = &info->cannot_see_probes;
	else if (strcmp(key, "fanotify_marked"))
		return false;
	if (!strcmp(key, "cannot_see_fanotify") || !strncmp(key, "fanotify_", 9))
		info->fanotify = true;
	if (text && !*text) {
		*text = *value;
		*value = NULL;
	}
	return true;
}

/* ------------------------------------------------------------------------- */
/* The merge */

/* A file of the model by the path its name resolves to. */
struct by_real {
	char *real;
	struct fs_file *file;
};

static int by_real_cmp(const void *a, const void *b)
{
	return strcmp(((const struct by_real *)a)->real, ((const struct by_real *)b)->real);
}

/*
 * Every file the trace's backends saw, by its real path on this machine (its
 * own path when it cannot be resolved: gone, or recorded elsewhere).
 */
static struct by_real *index_by_real(struct fs_model *m, int *nr)
{
	struct fs_file **files;
	int n = fs_files(m, &files);
	struct by_real *idx = xcalloc(n ? n : 1, sizeof(*idx));
	char real[PATH_MAX];

	for (int i = 0; i < n; i++) {
		idx[i].file = files[i];
		idx[i].real = xstrdup(realpath(files[i]->path, real) ? real : files[i]->path);
	}
	free(files);
	qsort(idx, n, sizeof(*idx), by_real_cmp);
	*nr = n;
	return idx;
}

static void merge_one(struct fs_model *m, const struct fs_fan_event *e, const char *comm,
		      struct by_real *idx, int nr)
{
	struct by_real key = { .real = e->path }, *hit;
	struct fs_file *f;

	hit = bsearch(&key, idx, nr, sizeof(*idx), by_real_cmp);
	if (hit) {	/* the name the program used stays the file's name */
		f = hit->file;
		f->seen_by |= FS_SEEN_FANOTIFY;
		if (!(f->access & FS_OPENED)) {
			f->pid = e->pid;
			snprintf(f->comm, sizeof(f->comm), "%s", comm);
		}
		f->access |= e->access;
	} else {
		f = fs_add_seen(m, e->path, e->access, e->pid, comm, FS_SEEN_FANOTIFY);
	}
	if (e->as_seen && !f->as_seen && strcmp(e->as_seen, f->path))
		f->as_seen = xstrdup(e->as_seen);
}

void fs_merge_fanotify(struct fs_model *m, const struct fs_info *info)
{
	struct fs_counts *c = fs_model_counts_mut(m);
	struct by_real *idx;
	int nr;

	if (!info->fanotify)
		return;
	c->fan_overflows = info->fan_overflows;
	for (int i = 0; i < info->nr_fan_lost; i++)
		if (info->fan_lost[i].pid == info->root_pid ||
		    fs_task_known(m, info->fan_lost[i].pid, NULL))
			c->fan_unresolved += info->fan_lost[i].access;
	idx = index_by_real(m, &nr);
	for (int i = 0; i < info->nr_fan; i++) {
		const struct fs_fan_event *e = &info->fan[i];
		const char *comm = "";

		/* The recorder kept what it could not rule out; the trace's tree decides. */
		if (!fs_task_known(m, e->pid, &comm) && e->pid != info->root_pid) {
			c->fan_outside++;
			continue;
		}
		merge_one(m, e, comm, idx, nr);
	}
	for (int i = 0; i < nr; i++)
		free(idx[i].real);
	free(idx);
}
