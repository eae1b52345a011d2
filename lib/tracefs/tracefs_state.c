// SPDX-License-Identifier: LGPL-2.1
/*
 * Read-only views of tracefs: see tracefs_state.h for why each one exists.
 */
#include "tracefs/tracefs_state.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <tracefs.h>

char *st_tracefs_read(struct tracefs_instance *inst, const char *file)
{
	char *path, *buf;
	int saved_errno;

	path = tracefs_instance_get_file(inst, file);
	if (!path) {
		st_set_error("cannot find the tracefs file %s (is tracefs mounted?)", file);
		errno = ENOENT;
		return NULL;
	}
	errno = 0;
	buf = read_file(path, NULL);
	saved_errno = errno;
	tracefs_put_tracing_file(path);
	errno = saved_errno;
	return buf;
}

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void st_strlist_sort(struct strlist *l)
{
	if (l->nr > 1)
		qsort(l->items, l->nr, sizeof(*l->items), cmp_strings);
}

static bool glob_match(const char *glob, const char *s)
{
	return !*glob || fnmatch(glob, s, 0) == 0;
}

bool st_event_glob_match(const char *glob, const char *system, const char *event)
{
	const char *sep;
	char *sys_glob;
	bool match;

	if (!glob || !*glob)
		return true;
	sep = strpbrk(glob, ":/");
	if (!sep)
		return glob_match(glob, system) || glob_match(glob, event);
	sys_glob = xasprintf("%.*s", (int)(sep - glob), glob);
	match = glob_match(sys_glob, system) && glob_match(sep + 1, event);
	free(sys_glob);
	return match;
}

int st_available_events(const char *glob, struct strlist *out)
{
	char *buf, *line, *save = NULL, *colon;
	int added = 0;
	struct strlist found = { 0 };

	buf = st_tracefs_read(NULL, "available_events");
	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		if (st_event_glob_match(glob, line, colon + 1))
			strlist_add_owned(&found, xasprintf("%s:%s", line, colon + 1));
	}
	free(buf);
	st_strlist_sort(&found);
	for (int i = 0; i < found.nr; i++, added++)
		strlist_add(out, found.items[i]);
	strlist_free(&found);
	return added;
}

/* Add the whitespace-separated words of s to out; returns how many. */
static int add_words(char *s, struct strlist *out)
{
	char *word, *save = NULL;
	int added = 0;

	for (word = strtok_r(s, " \t\n", &save); word; word = strtok_r(NULL, " \t\n", &save)) {
		strlist_add(out, word);
		added++;
	}
	return added;
}

int st_available_tracers(struct tracefs_instance *inst, struct strlist *out)
{
	char *buf = st_tracefs_read(inst, "available_tracers");
	int added;

	if (!buf)
		return -1;
	added = add_words(buf, out);
	free(buf);
	return added;
}

int st_filter_functions(const char *glob, struct strlist *out)
{
	char *buf, *line, *save = NULL, *end;
	int added = 0;

	buf = st_tracefs_read(NULL, "available_filter_functions");
	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		end = line + strcspn(line, " \t");
		if (glob && *glob) {
			char saved = *end;
			bool match;

			*end = '\0';
			match = fnmatch(glob, line, 0) == 0;
			*end = saved;
			if (!match)
				continue;
		}
		strlist_add(out, line);
		added++;
	}
	free(buf);
	return added;
}

static int cmp_options(const void *a, const void *b)
{
	return strcmp(((const struct st_option *)a)->name, ((const struct st_option *)b)->name);
}

static void options_add(struct st_options *opts, const char *name, bool enabled)
{
	opts->items = xrealloc(opts->items, (opts->nr + 1) * sizeof(*opts->items));
	opts->items[opts->nr].name = xstrdup(name);
	opts->items[opts->nr].enabled = enabled;
	opts->nr++;
}

int st_options_read(struct tracefs_instance *inst, struct st_options *opts)
{
	struct dirent *d;
	char *dir, *file, *val;
	DIR *dp;

	opts->items = NULL;
	opts->nr = 0;
	dir = tracefs_instance_get_file(inst, "options");
	if (!dir) {
		st_set_error("cannot find the tracefs options directory");
		return -1;
	}
	dp = opendir(dir);
	if (!dp) {
		st_set_error("cannot open %s: %s", dir, strerror(errno));
		tracefs_put_tracing_file(dir);
		return -1;
	}
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		file = xasprintf("options/%s", d->d_name);
		val = st_tracefs_read(inst, file);
		if (val)
			options_add(opts, d->d_name, val[0] == '1');
		free(val);
		free(file);
	}
	closedir(dp);
	tracefs_put_tracing_file(dir);
	if (opts->nr > 1)
		qsort(opts->items, opts->nr, sizeof(*opts->items), cmp_options);
	return 0;
}

void st_options_free(struct st_options *opts)
{
	for (int i = 0; i < opts->nr; i++)
		free(opts->items[i].name);
	free(opts->items);
	opts->items = NULL;
	opts->nr = 0;
}

/*
 * The kernel's defaults (TRACE_DEFAULT_FLAGS and the function_graph tracer's
 * default flags). A new instance starts with the same flags minus those that
 * only make sense once (ZEROED_TRACE_FLAGS: where trace_printk() and
 * trace_marker copies go), which are on at the top level only.
 */
static const char *const options_on_by_default[] = {
	"annotate", "context-info", "function-trace", "hash-ptr", "irq-info", "markers",
	"overwrite", "print-parent", "record-cmd", "trace_printk",
	"funcgraph-cpu", "funcgraph-duration", "funcgraph-irqs", "funcgraph-overhead",
	"graph-time", "sleep-time",
};

static const char *const options_on_at_top_level[] = {
	"copy_trace_marker", "trace_printk_dest",
};

static bool name_in(const char *name, const char *const *names, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

bool st_option_default(const char *name, bool top_level)
{
	if (name_in(name, options_on_by_default, ARRAY_SIZE(options_on_by_default)))
		return true;
	return top_level &&
	       name_in(name, options_on_at_top_level, ARRAY_SIZE(options_on_at_top_level));
}

static const char *probe_kind(char type, const char *from_file)
{
	bool uprobe = strstr(from_file, "uprobe") != NULL;

	switch (type) {
	case 'p':
		return uprobe ? "uprobe" : "kprobe";
	case 'r':
		return uprobe ? "uretprobe" : "kretprobe";
	case 'e':
		return "eprobe";
	case 's':
		return "synthetic";
	case 'f':
		return "fprobe";
	case 't':
		return "tprobe";
	default:
		return NULL;
	}
}

char *st_probe_describe(const char *line, const char *from_file)
{
	const char *kind, *name, *slash, *rest;
	int name_len, rest_len;

	line += strspn(line, " \t");
	kind = probe_kind(line[0], from_file);
	/* "p:G/E", "r16:G/E" (kretprobe maxactive), "s:E" (synthetic: no group) */
	name = strchr(line, ':');
	if (!kind || !name || name - line > 8 || strcspn(line, " \t") < (size_t)(name - line))
		return NULL;
	name++;
	name_len = strcspn(name, " \t\n");
	if (!name_len)
		return NULL;
	rest = name + name_len;
	rest += strspn(rest, " \t");
	rest_len = strcspn(rest, "\n");
	slash = memchr(name, '/', name_len);
	if (!slash)
		return xasprintf("%-10s %.*s  %.*s", kind, name_len, name, rest_len, rest);
	return xasprintf("%-10s %.*s:%.*s  %.*s", kind, (int)(slash - name), name,
			 (int)(name + name_len - slash - 1), slash + 1, rest_len, rest);
}

int st_probes_read(const char *file, struct strlist *out)
{
	bool dynamic = !strcmp(file, "dynamic_events");
	char *buf, *line, *save = NULL, *desc;
	int added = 0;

	if (!tracefs_file_exists(NULL, file)) {
		st_set_error("%s does not exist (this kernel has no such probes)", file);
		errno = ENOENT;
		return -1;
	}
	buf = st_tracefs_read(NULL, file);
	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (dynamic && (line[0] == 'p' || line[0] == 'r'))
			continue;
		desc = st_probe_describe(line, file);
		if (!desc)
			continue;
		strlist_add_owned(out, desc);
		added++;
	}
	free(buf);
	return added;
}
