// SPDX-License-Identifier: LGPL-2.1
/*
 * Probe resolution (kernel BTF/kallsyms, ELF symbols) and the tracefs side:
 * creating, listing and deleting kprobe/uprobe events. See probe.h.
 */
#include "probe/probe.h"
#include "probe/btf.h"
#include "elf/elfsym.h"
#include "elf/ldsearch.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tracefs.h>
#include <unistd.h>

/* ---- kernel -------------------------------------------------------------------------- */

/* Whether /proc/kallsyms lists name as a text symbol; -1 if it cannot be read. */
static int kallsyms_has(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], sym[256], type;
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %c %255s", &type, sym) == 2 && (type == 't' || type == 'T') &&
		    !strcmp(sym, name))
			found = 1;
	}
	fclose(f);
	return found;
}

static void set_no_function_error(const char *what, const char *name, char *const *names, int nr)
{
	const char *close[3];
	int n = probe_suggest(name, names, nr, close, 3);

	if (!n) {
		st_set_error("no function '%s' in %s", name, what);
		return;
	}
	st_set_error("no function '%s' in %s; did you mean %s%s%s%s%s?", name, what, close[0],
		     n > 1 ? ", " : "", n > 1 ? close[1] : "", n > 2 ? ", " : "", n > 2 ? close[2] : "");
}

/* The parameter a member access starts from (a name or $argN), or NULL. */
static const struct probe_param *access_param(const struct probe_func *f,
					      const struct probe_fetch *fetch)
{
	if (fetch->kind == PROBE_FETCH_RETVAL)
		return f->have_ret ? &f->ret : NULL;
	if (fetch->kind == PROBE_FETCH_ARGN)
		return fetch->argn <= f->nr_params ? &f->params[fetch->argn - 1] : NULL;
	for (int i = 0; i < f->nr_params; i++)
		if (!strcmp(f->params[i].name, fetch->text))
			return &f->params[i];
	return NULL;
}

/*
 * PARAM->a.b through BTF, for every argument that has one. Unknown parameters
 * are left for probe_definition() to name.
 */
static int resolve_members(const struct kbtf *btf, const struct probe_spec *spec,
			   struct probe_site *site)
{
	site->members = xcalloc(spec->nr_args + 1, sizeof(*site->members));
	for (int i = 0; i < spec->nr_args; i++) {
		const struct probe_fetch *fetch = spec->args[i].fetch;
		const struct probe_param *p;

		if (!fetch->nr_steps)
			continue;
		p = access_param(site->func, fetch);
		if (p && p->type_id &&
		    kbtf_member_access(btf, p->type_id, p->name ? p->name : "$retval", fetch,
				       spec->args[i].raw,
				       &site->members[i]) < 0)
			return -1;
	}
	return 0;
}

int probe_resolve_kernel(const struct probe_spec *spec, struct probe_site *site)
{
	struct kbtf *btf;
	struct probe_func *f = NULL;
	int in_kallsyms;

	memset(site, 0, sizeof(*site));
	if (!spec->func) {
		st_set_error("kernel probes need a function name, not an address");
		return -1;
	}
	if (strchr(spec->func, '@')) {
		st_set_error("'%s': kernel symbols have no versions", spec->func);
		return -1;
	}
	btf = kbtf_open();
	if (btf)
		f = kbtf_func(btf, spec->func);
	if (!f) {
		in_kallsyms = kallsyms_has(spec->func);
		if (in_kallsyms == 0 || (in_kallsyms < 0 && btf)) {
			struct strlist names = { 0 };

			if (btf)
				kbtf_func_names(btf, &names);
			set_no_function_error("the kernel", spec->func, names.items, names.nr);
			strlist_free(&names);
			kbtf_close(btf);
			return -1;
		}
		/* Known to kallsyms only (or nothing can tell): no prototype. */
		f = probe_func_unknown(spec->func);
	}
	site->func = f;
	if (btf && resolve_members(btf, spec, site) < 0) {
		kbtf_close(btf);
		probe_site_free(site);
		return -1;
	}
	kbtf_close(btf);
	site->kernel = true;
	site->symbol = xstrdup(spec->func);
	site->func = f;
	return 0;
}

/* ---- user space ----------------------------------------------------------------------- */

static void set_no_symbol_error(const struct elfsym *e, const char *path, const char *func)
{
	const struct elfsym_sym *syms;
	int nr = elfsym_functions(e, &syms);
	char **names = xcalloc(nr + 1, sizeof(*names));
	char *what = xstrdup(path);

	for (int i = 0; i < nr; i++)
		names[i] = (char *)syms[i].name;
	if (elfsym_stripped(e)) {
		free(what);
		what = xasprintf("%s (stripped, and no debug file found by build-id or debuglink)", path);
	}
	set_no_function_error(what, func, names, nr);
	free(names);
	free(what);
}

/* Resolves t (path, symbol, vaddr, size, offset); *dwarf_file gets where DWARF may be. */
static int resolve_uprobe(const char *path, const char *func, struct uprobe_target *t,
			  char **dwarf_file)
{
	struct elfsym_sym sym = { 0 };
	struct elfsym *e;
	bool exec = false;
	char *real = ld_find_file(path);
	int ret = -1;

	if (!real) {
		if (!strchr(path, '/'))
			st_set_error("cannot find '%s' in $PATH or the library search path", path);
		return -1;
	}
	e = elfsym_open(real, NULL);
	if (!e)
		goto out;
	if (!elfsym_is_64bit_x86(e)) {
		st_set_error("%s is not an x86-64 ELF file", real);
		goto out;
	}
	if (func) {
		if (elfsym_lookup(e, func, &sym) < 0) {
			if (strstr(st_last_error(), "no function"))
				set_no_symbol_error(e, real, func);
			goto out;
		}
		if (sym.ifunc)
			st_warn("%s is an IFUNC: the probe goes on its resolver, which runs once at load time",
				func);
		t->vaddr = sym.value;
		t->size = sym.size;
		t->symbol = sym.version ? xasprintf("%s@%s%s", sym.name, sym.default_version ? "@" : "",
						    sym.version) : xstrdup(sym.name);
	} else {
		if (elfsym_at(e, t->vaddr, &sym) == 0)
			t->size = sym.value + sym.size - t->vaddr;
		t->symbol = xasprintf("0x%llx", (unsigned long long)t->vaddr);
	}
	if (elfsym_vaddr_to_offset(e, t->vaddr, &t->offset, &exec) < 0)
		goto out;
	/* The kernel takes such an offset and never fires: refuse it here. */
	if (!exec) {
		st_set_error("%s (0x%llx) is not in an executable segment of %s", t->symbol,
			     (unsigned long long)t->vaddr, real);
		goto out;
	}
	if (dwarf_file)
		*dwarf_file = xstrdup(elfsym_dwarf_file(e));
	t->path = real;
	real = NULL;
	ret = 0;
out:
	elfsym_close(e);
	free(real);
	if (ret < 0) {
		free(t->symbol);
		t->symbol = NULL;
	}
	return ret;
}

int probe_resolve_uprobe(const char *path, const char *func, bool ret, struct uprobe_target *out)
{
	uint64_t vaddr = out->vaddr;

	memset(out, 0, sizeof(*out));
	out->vaddr = vaddr;
	(void)ret;	/* a symbol is a function start, so %return is fine */
	return resolve_uprobe(path, func, out, NULL);
}

void uprobe_target_free(struct uprobe_target *t)
{
	free(t->path);
	free(t->symbol);
	memset(t, 0, sizeof(*t));
}

int probe_resolve_user(const struct probe_spec *spec, const char *exe, struct probe_site *site)
{
	struct uprobe_target t = { .vaddr = spec->addr };
	char *dwarf_file = NULL;

	memset(site, 0, sizeof(*site));
	if (resolve_uprobe(exe, spec->func, &t, &dwarf_file) < 0)
		return -1;
	if (spec->offset && t.size && spec->offset >= t.size) {
		st_set_error("+%llu is past the end of %s (%llu bytes)",
			     (unsigned long long)spec->offset, t.symbol, (unsigned long long)t.size);
		uprobe_target_free(&t);
		free(dwarf_file);
		return -1;
	}
	site->path = t.path;
	site->symbol = t.symbol;
	site->file_offset = t.offset + spec->offset;
	site->func = probe_dwarf_func(dwarf_file, spec->func ? spec->func : t.symbol, t.vaddr);
	site->members = xcalloc(spec->nr_args + 1, sizeof(*site->members));
	if (site->func && probe_dwarf_members(dwarf_file, t.vaddr, spec, site->members) < 0) {
		free(dwarf_file);
		probe_site_free(site);
		return -1;
	}
	if (!site->func)
		site->func = probe_func_unknown(spec->func ? spec->func : t.symbol);
	for (int i = 0; i < site->func->nr_params; i++) {
		site->func->params[i].user = true;
		site->func->params[i].user_why = "user program";
	}
	site->dwarf_file = dwarf_file;
	site->vaddr = t.vaddr;
	return 0;
}

/* ---- tracefs ---------------------------------------------------------------------------- */

bool probe_kernel_has_kprobes(void)
{
	return tracefs_file_exists(NULL, "kprobe_events");
}

bool probe_event_exists(const char *group, const char *event)
{
	return tracefs_event_file_exists(NULL, group, event, "enable");
}

char *probe_unique_event(const char *group, const char *base)
{
	if (!probe_event_exists(group, base))
		return xstrdup(base);
	for (int i = 1; i <= 1024; i++) {
		char *name = xasprintf("%s_%d", base, i);

		if (strlen(name) > PROBE_NAME_MAX)
			name[PROBE_NAME_MAX] = '\0';
		if (!probe_event_exists(group, name))
			return name;
		free(name);
	}
	st_set_error("too many events named %s:%s_N", group, base);
	return NULL;
}

/*
 * Whether tracefs's README (the syntax this kernel accepts) mentions word. True
 * when README cannot be read: then the kernel will say what it refuses.
 */
static bool readme_has(const char *word)
{
	char *path = tracefs_get_tracing_file("README");
	char *text = path ? read_file(path, NULL) : NULL;
	bool has = !text || strstr(text, word);

	tracefs_put_tracing_file(path);
	free(text);
	return has;
}

static const char *events_file(bool kernel)
{
	return kernel ? "kprobe_events" : "uprobe_events";
}

/* The "error: ..." part of the kernel's last error_log entry, if it is about line. */
static char *kernel_error(const char *line)
{
	char *log = tracefs_error_last(NULL), *msg = NULL, *err, *end;

	if (!log)
		return NULL;
	err = strstr(log, "error: ");
	if (err && strstr(log, line)) {
		end = strchr(err, '\n');
		msg = strndup(err + 7, end ? (size_t)(end - err - 7) : strlen(err + 7));
	}
	free(log);
	return msg;
}

/*
 * The line is written as built (rather than through tracefs_uprobe_alloc() and
 * tracefs_dynevent_create()) so that what -D prints is exactly what the kernel
 * gets, and read back from kprobe_events/uprobe_events since libtracefs 1.6.4's
 * tracefs_dynevent_get_all() cannot tell kprobes from uprobes.
 */
int probe_create_line(const char *line, bool kernel)
{
	char *why;

	if (kernel && !probe_kernel_has_kprobes()) {
		st_set_error("this kernel has no kprobe events (CONFIG_KPROBES?)");
		return -1;
	}
	if (!tracefs_file_exists(NULL, events_file(kernel))) {
		st_set_error("this kernel has no %s (CONFIG_%s?)", events_file(kernel),
			     kernel ? "KPROBES" : "UPROBE_EVENTS");
		return -1;
	}
	if (tracefs_instance_file_append(NULL, events_file(kernel), line) >= 0)
		return 0;
	why = kernel_error(line);
	if (why)
		st_set_error("the kernel refused '%s': %s", line, why);
	else
		st_set_error("cannot write '%s' to %s: %s", line, events_file(kernel), strerror(errno));
	free(why);
	return -1;
}

int probe_add_to_event(struct st_undo *undo, bool kernel, const char *group, const char *event,
		       const char *line, bool first)
{
	char *path, *undo_line, *why;
	int ret;

	if (!first)
		return probe_create_line(line, kernel);
	path = tracefs_get_tracing_file(events_file(kernel));
	if (!path) {
		st_set_error("no tracefs");
		return -1;
	}
	undo_line = xasprintf("-:%s/%s", group, event);
	ret = st_undo_append(undo, path, line, undo_line);
	why = ret < 0 ? kernel_error(line) : NULL;
	if (why)
		st_set_error("the kernel refused '%s': %s", line, why);
	free(why);
	free(undo_line);
	tracefs_put_tracing_file(path);
	return ret;
}

void probe_prepared_free(struct probe_prepared *p)
{
	free(p->group);
	free(p->event);
	free(p->line);
	free(p->point);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

static char *default_event(const struct probe_spec *spec)
{
	if (spec->event)
		return xstrdup(spec->event);
	if (spec->func)
		return probe_default_event(spec->func, spec->ret);
	/* perf names address probes abs_<hex> */
	return xasprintf("abs_%llx%s", (unsigned long long)spec->addr, spec->ret ? "__return" : "");
}

static char *describe_point(const struct probe_spec *spec, const struct probe_site *site)
{
	if (spec->ret)
		return xasprintf("%s%%return", site->symbol);
	if (spec->offset)
		return xasprintf("%s+%llu", site->symbol, (unsigned long long)spec->offset);
	return xstrdup(site->symbol);
}

int probe_prepare(const struct probe_spec *spec, const char *exe, bool dry_run,
		  struct probe_prepared *p)
{
	struct probe_site site = { 0 };
	char *base = NULL;
	int ret = -1;

	memset(p, 0, sizeof(*p));
	p->kernel = !exe;
	if (p->kernel && !dry_run && !probe_kernel_has_kprobes()) {
		st_set_error("this kernel has no kprobe events (CONFIG_KPROBES?)");
		return -1;
	}
	if ((exe ? probe_resolve_user(spec, exe, &site) : probe_resolve_kernel(spec, &site)) < 0)
		return -1;
	site.no_ustring = !readme_has("ustring");
	p->group = spec->group ? xstrdup(spec->group) : probe_default_group(site.kernel, site.path);
	base = default_event(spec);
	if (dry_run || spec->event) {
		p->event = xstrdup(base);
		if (!dry_run && probe_event_exists(p->group, p->event)) {
			st_set_error("event %s:%s already exists", p->group, p->event);
			goto out;
		}
	} else if (!(p->event = probe_unique_event(p->group, base))) {
		goto out;
	}
	p->line = probe_definition(spec, &site, p->group, p->event);
	if (!p->line)
		goto out;
	p->point = describe_point(spec, &site);
	p->path = site.path ? xstrdup(site.path) : NULL;
	ret = 0;
out:
	free(base);
	probe_site_free(&site);
	if (ret < 0)
		probe_prepared_free(p);
	return ret;
}

int probe_create(const struct probe_spec *spec, const char *exe, char **group, char **event)
{
	struct probe_prepared p;

	*group = *event = NULL;
	if (probe_prepare(spec, exe, false, &p) < 0)
		return -1;
	if (probe_create_line(p.line, p.kernel) < 0) {
		probe_prepared_free(&p);
		return -1;
	}
	*group = p.group;
	*event = p.event;
	p.group = p.event = NULL;
	probe_prepared_free(&p);
	return 0;
}

int probe_create_uprobe(const char *group, const char *event, const struct uprobe_target *t,
			bool ret, const char *fetchargs)
{
	char *line = xasprintf("%c:%s/%s %s:0x%llx%s%s", ret ? 'r' : 'p', group, event, t->path,
			       (unsigned long long)t->offset, fetchargs && *fetchargs ? " " : "",
			       fetchargs ? fetchargs : "");
	int r = probe_create_line(line, false);

	free(line);
	return r;
}

static int read_events(bool kernel, struct probe_event **events, int *nr)
{
	char *path, *buf, *save = NULL;
	size_t size;

	if (!tracefs_file_exists(NULL, events_file(kernel)))
		return 0;
	path = tracefs_get_tracing_file(events_file(kernel));
	buf = path ? read_file(path, &size) : NULL;
	tracefs_put_tracing_file(path);
	if (!buf)
		return -1;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct probe_event ev;

		if (probe_event_parse(l, kernel, &ev) < 0)
			continue;
		*events = xrealloc(*events, (*nr + 1) * sizeof(**events));
		(*events)[(*nr)++] = ev;
	}
	free(buf);
	return 0;
}

int probe_list(struct probe_event **events, int *nr)
{
	*events = NULL;
	*nr = 0;
	if (read_events(true, events, nr) < 0 || read_events(false, events, nr) < 0) {
		probe_list_free(*events, *nr);
		*events = NULL;
		*nr = 0;
		return -1;
	}
	return 0;
}

void probe_list_free(struct probe_event *events, int nr)
{
	for (int i = 0; i < nr; i++)
		probe_event_clear(&events[i]);
	free(events);
}

int probe_delete(const char *group, const char *event)
{
	struct probe_event *evs;
	int nr, found = -1, ret = -1;
	char *cmd;

	if (probe_list(&evs, &nr) < 0)
		return -1;
	for (int i = 0; i < nr && found < 0; i++)
		if (!strcmp(evs[i].group, group) && !strcmp(evs[i].event, event))
			found = i;
	if (found < 0) {
		st_set_error("no probe event %s:%s", group, event);
		goto out;
	}
	cmd = xasprintf("-:%s/%s", group, event);
	if (tracefs_instance_file_append(NULL, events_file(evs[found].kernel), cmd) >= 0)
		ret = 0;
	else if (errno == EBUSY)
		st_set_error("cannot delete %s:%s: it is enabled (in an instance or by a recorder)",
			     group, event);
	else
		st_set_error("cannot delete %s:%s: %s", group, event, strerror(errno));
	free(cmd);
out:
	probe_list_free(evs, nr);
	return ret;
}
