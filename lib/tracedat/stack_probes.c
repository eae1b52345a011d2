// SPDX-License-Identifier: LGPL-2.1
/*
 * The TD_OPT_STACK_PROBES option's text (see stack_probes.h).
 */
#include "tracedat/stack_probes.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void stack_probes_append(char **text, const struct stack_probe *p)
{
	char *line = xasprintf("%suprobe %s %s 0x%" PRIx64 " %s\n", *text ? *text : "", p->system,
			       p->event, p->offset, p->path);

	free(*text);
	*text = line;
}

static int parse_line(const char *line, struct stack_probe *p)
{
	char sys[256], ev[256];
	int path_at = 0;

	memset(p, 0, sizeof(*p));
	if (sscanf(line, "uprobe %255s %255s %" SCNx64 " %n", sys, ev, &p->offset, &path_at) < 3 ||
	    !path_at || !line[path_at])
		return -1;
	p->system = xstrdup(sys);
	p->event = xstrdup(ev);
	p->path = xstrdup(line + path_at);
	return 0;
}

int stack_probes_parse(const char *text, size_t len, struct stack_probe **out)
{
	char *copy = xmalloc(len + 1), *save = NULL;
	int nr = 0;

	memcpy(copy, text, len);
	copy[len] = '\0';
	*out = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		*out = xrealloc(*out, (nr + 1) * sizeof(**out));
		if (parse_line(l, &(*out)[nr]) == 0)
			nr++;
	}
	free(copy);
	return nr;
}

void stack_probes_free(struct stack_probe *p, int nr)
{
	for (int i = 0; i < nr; i++) {
		free(p[i].system);
		free(p[i].event);
		free(p[i].path);
	}
	free(p);
}

/* ---- PROCMAPS ---------------------------------------------------------------------------- */

static void clear_map(struct proc_map *m)
{
	for (int k = 0; k < m->nr_libs; k++)
		free(m->libs[k].path);
	free(m->libs);
	free(m->comm);
}

static void add_lib(struct proc_map *m, uint64_t start, uint64_t end, const char *path)
{
	for (int i = 0; i < m->nr_libs; i++) {
		struct proc_lib *l = &m->libs[i];

		if (strcmp(l->path, path))
			continue;
		if (start < l->start)
			l->start = start;
		if (end > l->end)
			l->end = end;
		return;
	}
	m->libs = xrealloc(m->libs, (m->nr_libs + 1) * sizeof(*m->libs));
	m->libs[m->nr_libs++] = (struct proc_lib){ .start = start, .end = end, .path = xstrdup(path) };
}

void procmaps_append(char **text, int pid, const char *comm, const char *maps)
{
	struct proc_map m = { .pid = pid };
	char *copy = xstrdup(maps), *save = NULL, *out;
	size_t len;

	/* "start-end perms offset dev inode   path": files only ('/'), not [heap] or anonymous. */
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		uint64_t start, end;
		char *path = strchr(l, '/');

		if (path && sscanf(l, "%" SCNx64 "-%" SCNx64, &start, &end) == 2 && !strchr(path, ' '))
			add_lib(&m, start, end, path);
	}
	out = xasprintf("%s%x %x %s\n", *text ? *text : "", pid, m.nr_libs, comm);
	for (int i = 0; i < m.nr_libs; i++) {
		len = strlen(out);
		out = xrealloc(out, len + strlen(m.libs[i].path) + 40);
		sprintf(out + len, "%" PRIx64 " %" PRIx64 " %s\n", m.libs[i].start, m.libs[i].end,
			m.libs[i].path);
	}
	free(*text);
	*text = out;
	free(copy);
	clear_map(&m);
}

int procmaps_parse(const char *text, size_t len, struct proc_map **out)
{
	char *copy = xmalloc(len + 1), *save = NULL, *l;
	int nr = 0;

	memcpy(copy, text, len);
	copy[len] = '\0';
	*out = NULL;
	l = strtok_r(copy, "\n", &save);
	while (l) {
		unsigned int pid, nr_libs;
		char comm[256];
		struct proc_map m = { 0 };

		if (sscanf(l, "%x %x %255s", &pid, &nr_libs, comm) != 3)
			break;
		m.pid = pid;
		m.comm = xstrdup(comm);
		for (unsigned int i = 0; i < nr_libs && (l = strtok_r(NULL, "\n", &save)); i++) {
			uint64_t start, end;
			int at = 0;

			if (sscanf(l, "%" SCNx64 " %" SCNx64 " %n", &start, &end, &at) == 2 && at && l[at])
				add_lib(&m, start, end, l + at);
		}
		*out = xrealloc(*out, (nr + 1) * sizeof(**out));
		(*out)[nr++] = m;
		l = strtok_r(NULL, "\n", &save);
	}
	free(copy);
	return nr;
}

void procmaps_free(struct proc_map *m, int nr)
{
	for (int i = 0; i < nr; i++)
		clear_map(&m[i]);
	free(m);
}
