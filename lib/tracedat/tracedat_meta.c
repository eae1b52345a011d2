// SPDX-License-Identifier: LGPL-2.1
/*
 * td_meta helpers shared by the trace.dat writer, reader and their users, and
 * the names of the file's option and section ids.
 */
#include "tracedat/tracedat_priv.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void blob_free(struct td_blob *b)
{
	free(b->data);
	b->data = NULL;
	b->size = 0;
}

/* Copy size bytes into a blob, keeping a NUL after them for the text parsers. */
void td_blob_set(struct td_blob *b, const void *data, size_t size)
{
	b->data = xmalloc(size + 1);
	if (size)
		memcpy(b->data, data, size);
	b->data[size] = '\0';
	b->size = size;
}

void td_meta_free(struct td_meta *meta)
{
	int i, j;

	if (!meta)
		return;
	blob_free(&meta->header_page);
	blob_free(&meta->header_event);
	for (i = 0; i < meta->nr_ftrace_formats; i++)
		blob_free(&meta->ftrace_formats[i]);
	free(meta->ftrace_formats);
	for (i = 0; i < meta->nr_systems; i++) {
		for (j = 0; j < meta->systems[i].nr_formats; j++)
			blob_free(&meta->systems[i].formats[j]);
		free(meta->systems[i].formats);
		free(meta->systems[i].name);
	}
	free(meta->systems);
	blob_free(&meta->kallsyms);
	blob_free(&meta->printk);
	blob_free(&meta->cmdlines);
	free(meta->trace_clock);
	free(meta->clock);
	free(meta->uname);
	free(meta->version);
	for (i = 0; i < meta->nr_private_options; i++)
		blob_free(&meta->private_options[i].data);
	free(meta->private_options);
	free(meta->date);
	free(meta->hook);
	free(meta->procmaps);
	if (meta->cpustats) {
		for (i = 0; i < meta->nr_cpus; i++)
			free(meta->cpustats[i]);
		free(meta->cpustats);
	}
	memset(meta, 0, sizeof(*meta));
}

static struct td_system *find_or_add_system(struct td_meta *meta, const char *name)
{
	struct td_system *sys;
	int i;

	for (i = 0; i < meta->nr_systems; i++)
		if (!strcmp(meta->systems[i].name, name))
			return &meta->systems[i];
	meta->systems = xrealloc(meta->systems, (meta->nr_systems + 1) * sizeof(*meta->systems));
	sys = &meta->systems[meta->nr_systems++];
	memset(sys, 0, sizeof(*sys));
	sys->name = xstrdup(name);
	return sys;
}

/* Room for element nr of a: it doubles when nr reaches a power of two (hundreds of syscall formats). */
static void *room_for(void *a, int nr, size_t size)
{
	if (nr & (nr - 1))
		return a;
	return xrealloc(a, (nr ? 2 * (size_t)nr : 1) * size);
}

void td_meta_add_format(struct td_meta *meta, const char *system, const char *data, size_t size)
{
	struct td_blob *b;

	if (!strcmp(system, "ftrace")) {
		meta->ftrace_formats = room_for(meta->ftrace_formats, meta->nr_ftrace_formats,
						sizeof(*b));
		b = &meta->ftrace_formats[meta->nr_ftrace_formats++];
	} else {
		struct td_system *sys = find_or_add_system(meta, system);

		sys->formats = room_for(sys->formats, sys->nr_formats, sizeof(*b));
		b = &sys->formats[sys->nr_formats++];
	}
	td_blob_set(b, data, size);
}

void td_meta_add_option(struct td_meta *meta, int id, const void *data, size_t size)
{
	struct td_option *o;

	meta->private_options = xrealloc(meta->private_options,
					 (meta->nr_private_options + 1) * sizeof(*o));
	o = &meta->private_options[meta->nr_private_options++];
	o->id = id;
	o->data = (struct td_blob){ 0 };
	td_blob_set(&o->data, data, size);
}

const struct td_blob *td_meta_get_option(const struct td_meta *meta, int id)
{
	for (int i = 0; i < meta->nr_private_options; i++)
		if (meta->private_options[i].id == id)
			return &meta->private_options[i].data;
	return NULL;
}

/* The value after key at the start of a line of text, or 0. */
static unsigned long long stat_value(const char *text, const char *key)
{
	const char *p = text;
	size_t len = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, len))
			return strtoull(p + len, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

void td_parse_cpu_stats(const char *text, struct td_cpu_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!text)
		return;
	st->entries = stat_value(text, "entries:");
	st->read = stat_value(text, "read events:");
	st->lost = stat_value(text, "overrun:") + stat_value(text, "commit overrun:") +
		   stat_value(text, "dropped events:");
}

/* ---- ids and their names ---- */

const struct td_meta_section td_meta_sections[TD_NR_META_SECTIONS] = {
	[TD_META_INDEX(SEC_HEADER_INFO)] = { SEC_HEADER_INFO, "header", "headers" },
	[TD_META_INDEX(SEC_FTRACE_EVENTS)] = { SEC_FTRACE_EVENTS, "ftrace events", "ftrace events" },
	[TD_META_INDEX(SEC_EVENT_FORMATS)] = { SEC_EVENT_FORMATS, "event formats", "events format" },
	[TD_META_INDEX(SEC_KALLSYMS)] = { SEC_KALLSYMS, "kallsyms", "kallsyms" },
	[TD_META_INDEX(SEC_PRINTK)] = { SEC_PRINTK, "printk", "printk" },
	[TD_META_INDEX(SEC_CMDLINES)] = { SEC_CMDLINES, "cmdlines", "command lines" },
};

static const char *const option_names[] = {
	[OPT_DONE] = "DONE", [OPT_DATE] = "DATE", [OPT_CPUSTAT] = "CPUSTAT",
	[OPT_BUFFER] = "BUFFER", [OPT_TRACECLOCK] = "TRACECLOCK", [OPT_UNAME] = "UNAME",
	[OPT_HOOK] = "HOOK", [OPT_OFFSET] = "OFFSET", [OPT_CPUCOUNT] = "CPUCOUNT",
	[OPT_VERSION] = "VERSION", [OPT_PROCMAPS] = "PROCMAPS", [OPT_TRACEID] = "TRACEID",
	[OPT_TIME_SHIFT] = "TIME_SHIFT", [OPT_GUEST] = "GUEST", [OPT_TSC2NSEC] = "TSC2NSEC",
	[SEC_STRINGS] = "STRINGS", [SEC_HEADER_INFO] = "HEADER_INFO",
	[SEC_FTRACE_EVENTS] = "FTRACE_EVENTS", [SEC_EVENT_FORMATS] = "EVENT_FORMATS",
	[SEC_KALLSYMS] = "KALLSYMS", [SEC_PRINTK] = "PRINTK", [SEC_CMDLINES] = "CMDLINES",
	[OPT_BUFFER_TEXT] = "BUFFER_TEXT",
};

const char *td_option_name(int id)
{
	if (id >= 0 && id < (int)ARRAY_SIZE(option_names) && option_names[id])
		return option_names[id];
	if (id == TD_OPT_FILES)
		return "SIDETRACE_FILES";
	return "unknown";
}

/* The sections that are not metadata sections. */
static const char *const other_section_names[] = {
	[OPT_DONE] = "options", [OPT_BUFFER] = "flyrecord buffer", [SEC_STRINGS] = "strings",
	[OPT_BUFFER_TEXT] = "text buffer",
};

const char *td_section_name(int id)
{
	if (id >= SEC_HEADER_INFO && id <= SEC_CMDLINES)
		return td_meta_sections[TD_META_INDEX(id)].name;
	if (id >= 0 && id < (int)ARRAY_SIZE(other_section_names) && other_section_names[id])
		return other_section_names[id];
	return "unknown";
}
