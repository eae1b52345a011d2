// SPDX-License-Identifier: GPL-2.0
/*
 * sidetrace probe: add, list and delete kprobe/uprobe events in perf-probe syntax,
 * with parameters from the kernel's BTF or the binary's DWARF/ELF instead of a
 * debuginfo package.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracefs.h>

#include "probe/btf.h"
#include "cli.h"
#include "cmds.h"
#include "elf/elfsym.h"
#include "elf/ldsearch.h"
#include "probe/probe.h"
#include "util.h"

enum probe_mode { MODE_NONE, MODE_ADD, MODE_DEL, MODE_LIST, MODE_FUNCS, MODE_VARS };

struct probe_opts {
	enum probe_mode mode;
	struct strlist specs;	/* -a SPEC, and the words after the options joined as one */
	struct strlist dels;	/* -d PATTERN */
	const char *exe;	/* -x */
	const char *vars_func;	/* -V */
	const char *filter;	/* -F FILTER / -l PATTERN */
	bool definition;	/* -D */
	bool quiet;
	bool help;
};

static const char usage_text[] =
	"usage: sidetrace probe [-x PATH] [-D] [-a] SPEC...\n"
	"       sidetrace probe -d [GROUP:]EVENT|GLOB...\n"
	"       sidetrace probe -l [GLOB]\n"
	"       sidetrace probe [-x PATH] -F [FILTER]\n"
	"       sidetrace probe [-x PATH] -V FUNC\n"
	"\n"
	"SPEC:  [[GROUP:]EVENT=]FUNC[+OFFS|%return] [ARG ...]\n"
	"ARG:   [NAME=]PARAM|$retval|$argN|$params|%REG|@SYM|+OFFS(ARG)[:TYPE]\n"
	"PARAM: a parameter name, with struct members in C syntax, from the kernel's\n"
	"       BTF or (-x) the binary's DWARF: file->f_path.dentry->d_name.name,\n"
	"       p->comm, arr[3]\n"
	"TYPE:  u8..u64, s8..s64, x8..x64, string, ustring\n"
	"\n"
	"  -a, --add SPEC      add a probe (the default for words after the options)\n"
	"  -x, --exec PATH     probe a user binary or library (a path, a command or a\n"
	"                      soname)\n"
	"  -d, --del PATTERN   delete probe events matching [GROUP:]EVENT (globs allowed)\n"
	"  -l, --list          list the probe events defined now\n"
	"  -F, --funcs         list the functions that can be probed (FILTER: glob,\n"
	"                      !glob)\n"
	"  -V, --vars FUNC     show FUNC's parameters and where a probe finds them\n"
	"                      (with their struct members)\n"
	"  -D, --definition    print the tracefs definitions instead of adding them\n"
	"  -q, --quiet         do not print what was added or deleted\n"
	"  -h, --help          this help\n"
	"\n"
	"Examples:\n"
	"  sidetrace probe 'do_sys_openat2 filename:string'\n"
	"  sidetrace probe -x /bin/bash 'readline%return +0($retval):string'\n"
	"  sidetrace probe -x libc.so.6 -V malloc\n";

static const struct cli_option probe_options[] = {
	CLI_OPT('a', "add", CLI_VALUE, NULL),
	CLI_OPT('x', "exec", CLI_VALUE, "file"),
	CLI_OPT('d', "del", CLI_VALUE, "probe"),
	CLI_OPT('l', "list", CLI_FLAG, NULL),
	CLI_OPT('F', "funcs", CLI_FLAG, NULL),
	CLI_OPT('V', "vars", CLI_VALUE, "function"),
	CLI_OPT('D', "definition", CLI_FLAG, NULL),
	CLI_OPT('q', "quiet", CLI_FLAG, NULL),
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

const struct cli_command probe_cli = {
	.name = "probe",
	.options = probe_options,
	.operands = "any",	/* probe specs, or -d/-l/-F patterns */
};

static int set_mode(struct probe_opts *o, enum probe_mode m)
{
	if (o->mode != MODE_NONE && o->mode != m) {
		st_set_error("-a, -d, -l, -F and -V do not go together");
		return -1;
	}
	o->mode = m;
	return 0;
}

static int parse_option(void *ctx, int c, const char *arg)
{
	struct probe_opts *o = ctx;

	switch (c) {
	case 'a':
		if (set_mode(o, MODE_ADD) < 0)
			return -1;
		strlist_add(&o->specs, arg);
		return 0;
	case 'x':
		o->exe = arg;
		return 0;
	case 'd':
		if (set_mode(o, MODE_DEL) < 0)
			return -1;
		strlist_add(&o->dels, arg);
		return 0;
	case 'l':
		return set_mode(o, MODE_LIST);
	case 'F':
		return set_mode(o, MODE_FUNCS);
	case 'V':
		if (set_mode(o, MODE_VARS) < 0)
			return -1;
		o->vars_func = arg;
		return 0;
	case 'D':
		o->definition = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case 'h':
		o->help = true;
		return 1;
	}
	st_set_error("option code %d has no parser", c);	/* a table without its case */
	return -1;
}

/* Parses argv into o. Pure; returns -1 with st_set_error() on a usage error. */
static int probe_parse_options(int argc, char **argv, struct probe_opts *o)
{
	int first;

	memset(o, 0, sizeof(*o));
	first = cli_parse(&probe_cli, argc, argv, parse_option, o);
	if (first < 0)
		return -1;
	if (o->help)
		return 0;
	if (o->mode == MODE_NONE)
		o->mode = first < argc || o->definition ? MODE_ADD : MODE_NONE;
	/* perf's shorthand: probe /bin/zsh zfree */
	if (o->mode == MODE_ADD && !o->exe && first + 1 < argc && argv[first][0] == '/')
		o->exe = argv[first++];
	if (first < argc) {
		char *joined = NULL;

		switch (o->mode) {
		case MODE_ADD:
			/* perf joins the words: probe do_sys_open filename:string */
			for (int i = first; i < argc; i++) {
				char *s = xasprintf("%s%s%s", joined ? joined : "", joined ? " " : "",
						    argv[i]);

				free(joined);
				joined = s;
			}
			strlist_add_owned(&o->specs, joined);
			break;
		case MODE_DEL:
			for (int i = first; i < argc; i++)
				strlist_add(&o->dels, argv[i]);
			break;
		case MODE_LIST:
		case MODE_FUNCS:
			if (argc - first > 1) {
				st_set_error("one filter only");
				return -1;
			}
			o->filter = argv[first];
			break;
		default:
			return cli_unexpected(&probe_cli, argv[first]);
		}
	}
	if (o->mode == MODE_NONE) {
		st_set_error("nothing to do: give a probe to add, or -l, -d, -F, -V "
			     "(see sidetrace probe --help)");
		return -1;
	}
	if (o->definition && o->mode != MODE_ADD) {
		st_set_error("-D goes with probes to add");
		return -1;
	}
	if (o->mode == MODE_ADD && !o->specs.nr) {
		st_set_error("-D needs a probe");
		return -1;
	}
	return 0;
}

static void free_options(struct probe_opts *o)
{
	strlist_free(&o->specs);
	strlist_free(&o->dels);
}

/* ---- add ------------------------------------------------------------------------------- */

struct planned {
	struct probe_prepared p;
	bool created;
};

static int plan_probe(const char *str, const char *exe, bool dry_run, struct planned *pl)
{
	struct probe_spec spec;
	int ret;

	memset(pl, 0, sizeof(*pl));
	if (probe_spec_parse(str, &spec) < 0)
		return -1;
	ret = probe_prepare(&spec, exe, dry_run, &pl->p);
	probe_spec_free(&spec);
	return ret;
}

static void print_added(const struct probe_prepared *p, const char *line_args)
{
	printf("  %s:%s (on %s%s%s%s%s)\n", p->group, p->event, p->point, p->path ? " in " : "",
	       p->path ? p->path : "", *line_args ? " with " : "", line_args);
}

/* The arguments part of a definition line: after the target. */
static const char *line_args(const char *line)
{
	const char *sp = strchr(line, ' ');

	sp = sp ? strchr(sp + 1, ' ') : NULL;
	return sp ? sp + 1 : "";
}

static int do_add(const struct probe_opts *o)
{
	struct planned *p = xcalloc(o->specs.nr, sizeof(*p));
	int ret = EXIT_FAILURE_, n = 0;

	for (; n < o->specs.nr; n++) {
		if (plan_probe(o->specs.items[n], o->exe, o->definition, &p[n]) < 0) {
			st_warn("%s", st_last_error());
			goto out;
		}
		if (o->definition) {
			printf("%s\n", p[n].p.line);
			continue;
		}
		if (probe_create_line(p[n].p.line, p[n].p.kernel) < 0) {
			st_warn("%s", st_last_error());
			goto out;
		}
		p[n].created = true;
	}
	if (!o->definition && !o->quiet) {
		printf("Added new event%s:\n", n > 1 ? "s" : "");
		for (int i = 0; i < n; i++)
			print_added(&p[i].p, line_args(p[i].p.line));
		printf("\nYou can now use it in all sidetrace tools, such as:\n\n"
		       "\tsidetrace record -e %s:%s -- COMMAND\n\n", p[0].p.group, p[0].p.event);
	}
	ret = EXIT_OK;
out:
	/* All or nothing: a later failure removes the probes this run added. */
	for (int i = 0; i < n + (n < o->specs.nr); i++) {
		if (ret != EXIT_OK && p[i].created && probe_delete(p[i].p.group, p[i].p.event) < 0)
			st_warn("%s", st_last_error());
		probe_prepared_free(&p[i].p);
	}
	free(p);
	return ret;
}

/* ---- list / delete ------------------------------------------------------------------ */

static bool event_matches(const struct probe_event *ev, const char *pattern)
{
	const char *colon = strchr(pattern, ':');
	char *full;
	bool m;

	if (!colon)
		return fnmatch(pattern, ev->event, 0) == 0;
	full = xasprintf("%s:%s", ev->group, ev->event);
	m = fnmatch(pattern, full, 0) == 0;
	free(full);
	return m;
}

/* "readline%return", "do_sys_openat2+4": where a probe is, by symbol when we can tell. */
static char *describe_point(const struct probe_event *ev)
{
	struct elfsym_sym sym;
	struct elfsym *e;
	uint64_t vaddr;
	char *s = NULL;

	if (ev->kernel) {
		char *t = xstrdup(ev->target);
		char *plus = strrchr(t, '+');

		if (plus && ev->offset == 0)
			*plus = '\0';
		s = xasprintf("%s%s", t, ev->ret ? "%return" : "");
		free(t);
		return s;
	}
	e = elfsym_open(ev->path, NULL);
	if (e && elfsym_offset_to_vaddr(e, ev->offset, &vaddr) == 0 && elfsym_at(e, vaddr, &sym) == 0) {
		if (vaddr == sym.value)
			s = xasprintf("%s%s", sym.name, ev->ret ? "%return" : "");
		else
			s = xasprintf("%s+%llu", sym.name, (unsigned long long)(vaddr - sym.value));
	}
	elfsym_close(e);
	return s ? s : xasprintf("0x%llx%s", (unsigned long long)ev->offset, ev->ret ? "%return" : "");
}

static int do_list(const struct probe_opts *o)
{
	struct probe_event *evs;
	int nr;

	if (probe_list(&evs, &nr) < 0) {
		st_warn("%s", st_last_error());
		return EXIT_FAILURE_;
	}
	for (int i = 0; i < nr; i++) {
		char *name, *point;

		if (o->filter && !event_matches(&evs[i], o->filter))
			continue;
		name = xasprintf("%s:%s", evs[i].group, evs[i].event);
		point = describe_point(&evs[i]);
		printf("  %-30s (on %s%s%s%s%s)\n", name, point, evs[i].path ? " in " : "",
		       evs[i].path ? evs[i].path : "", *evs[i].args ? " with " : "", evs[i].args);
		free(point);
		free(name);
	}
	probe_list_free(evs, nr);
	return EXIT_OK;
}

static int do_del(const struct probe_opts *o)
{
	struct probe_event *evs;
	int nr, ret = EXIT_OK;

	if (probe_list(&evs, &nr) < 0) {
		st_warn("%s", st_last_error());
		return EXIT_FAILURE_;
	}
	for (int d = 0; d < o->dels.nr; d++) {
		int matched = 0;

		for (int i = 0; i < nr; i++) {
			if (!event_matches(&evs[i], o->dels.items[d]))
				continue;
			matched++;
			if (probe_delete(evs[i].group, evs[i].event) < 0) {
				st_warn("%s", st_last_error());
				ret = EXIT_FAILURE_;
			} else if (!o->quiet) {
				printf("Removed event: %s:%s\n", evs[i].group, evs[i].event);
			}
		}
		if (!matched) {
			st_warn("no probe event matches '%s' (see sidetrace probe -l)", o->dels.items[d]);
			ret = EXIT_FAILURE_;
		}
	}
	probe_list_free(evs, nr);
	return ret;
}

/* ---- functions and parameters -------------------------------------------------------- */

/* perf's filter: a glob, or !glob to exclude; by default names starting with '_' are hidden. */
static bool filter_accepts(const char *filter, const char *name)
{
	if (!filter)
		return name[0] != '_';
	if (filter[0] == '!')
		return fnmatch(filter + 1, name, 0) != 0;
	return fnmatch(filter, name, 0) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_names(struct strlist *names, const char *filter)
{
	qsort(names->items, names->nr, sizeof(*names->items), cmp_str);
	for (int i = 0; i < names->nr; i++) {
		if (i && !strcmp(names->items[i], names->items[i - 1]))
			continue;
		if (filter_accepts(filter, names->items[i]))
			printf("%s\n", names->items[i]);
	}
}

static int kernel_functions(struct strlist *names)
{
	char *path = tracefs_get_tracing_file("available_filter_functions");
	struct kbtf *btf;
	char *buf = path ? read_file(path, NULL) : NULL, *save = NULL;

	tracefs_put_tracing_file(path);
	if (buf) {
		/* "name [module]" per line */
		for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			strlist_add_owned(names, strndup(l, strcspn(l, " \t")));
		free(buf);
		return 0;
	}
	btf = kbtf_open();
	if (!btf)
		return -1;
	kbtf_func_names(btf, names);
	kbtf_close(btf);
	return 0;
}

static int do_funcs(const struct probe_opts *o)
{
	struct strlist names = { 0 };

	if (o->exe) {
		char *path = ld_find_file(o->exe);
		struct elfsym *e = path ? elfsym_open(path, NULL) : NULL;
		const struct elfsym_sym *syms;
		int nr;

		free(path);
		if (!e) {
			st_warn("%s", st_last_error());
			return EXIT_FAILURE_;
		}
		nr = elfsym_functions(e, &syms);
		for (int i = 0; i < nr; i++)
			strlist_add(&names, syms[i].name);
		if (elfsym_stripped(e))
			st_warn("%s is stripped and no debug file was found: only its exported functions are listed",
				o->exe);
		elfsym_close(e);
	} else if (kernel_functions(&names) < 0) {
		st_warn("%s", st_last_error());
		return EXIT_FAILURE_;
	}
	print_names(&names, o->filter);
	strlist_free(&names);
	return EXIT_OK;
}

/* One line of -V: the C type, the name, and the fetch a probe uses for it. */
static void print_param(const struct probe_param *p, const char *name, bool kernel)
{
	char *fetch;

	if (!p->fetch)
		fetch = xstrdup(p->is_float ? "(in an SSE register: not fetchable)" :
				"(passed in memory: not fetchable)");
	else if (p->is_char_ptr && kernel && p->user)
		fetch = xasprintf("+0(%s):ustring  (user memory: %s)", p->fetch, p->user_why);
	else if (p->is_char_ptr)
		fetch = xasprintf("+0(%s):%s", p->fetch, p->user ? "ustring" : "string");
	else
		fetch = xasprintf("%s:%s", p->fetch, p->default_type);
	printf("\t%-28s %-16s %s\n", p->ctype ? p->ctype : "?", name, fetch);
	free(fetch);
}

/* One member of a struct pointer parameter, as -V shows it: its PARAM->MEMBER fetch. */
static void print_member(const struct kbtf *btf, const struct probe_param *p, const char *member)
{
	struct probe_step step = { .kind = PROBE_STEP_ARROW, .member = (char *)member };
	struct probe_fetch f = { .kind = PROBE_FETCH_VAR, .nr_steps = 1, .steps = &step };
	struct probe_member m;
	char *label = xasprintf("->%s", member), *fetch;

	if (kbtf_member_access(btf, p->type_id, p->name, &f, member, &m) < 0)
		fetch = xstrdup("(not a value: add .MEMBER or [N])");
	else
		fetch = xasprintf("%s+%lld(%s)%s:%s", m.char_ptr ? "+0(" : "", m.offs[0], p->fetch,
				  m.char_ptr ? ")" : "", m.type);
	printf("\t    %-24s %-16s %s\n", m.ctype, label, fetch);
	free(label);
	free(fetch);
}

/* -V -x: the members of struct pointer parameters, one level down, from DWARF. */
static void print_user_members(const struct probe_site *site, const struct probe_param *p)
{
	struct strlist names = { 0 };
	struct probe_member *m;
	int n;

	if (!site->dwarf_file || !p->fetch)
		return;
	n = probe_dwarf_pointee_members(site->dwarf_file, site->vaddr, p->name, &names, &m);
	for (int i = 0; i < n; i++) {
		char *label = xasprintf("->%s", names.items[i]), *fetch;

		if (!m[i].resolved)
			fetch = xstrdup("(not a value: add .MEMBER or [N])");
		else
			fetch = xasprintf("%s+%lld(%s)%s:%s", m[i].char_ptr ? "+0(" : "", m[i].offs[0],
					  p->fetch, m[i].char_ptr ? ")" : "",
					  strcmp(m[i].type, "string") ? m[i].type : "ustring");
		printf("\t    %-24s %-16s %s\n", m[i].ctype[0] ? m[i].ctype : "?", label, fetch);
		free(label);
		free(fetch);
	}
	free(m);
	strlist_free(&names);
}

/* -V: the members of struct pointer parameters, one level down, from BTF. */
static void print_members(const struct kbtf *btf, const struct probe_param *p)
{
	struct strlist names = { 0 };

	if (!btf || !p->type_id || !p->fetch)
		return;
	kbtf_pointee_members(btf, p->type_id, &names);
	for (int i = 0; i < names.nr; i++)
		print_member(btf, p, names.items[i]);
	strlist_free(&names);
}

static int do_vars(const struct probe_opts *o)
{
	struct probe_spec spec;
	struct probe_site site;
	struct kbtf *btf;
	int r;

	if (probe_spec_parse(o->vars_func, &spec) < 0) {
		st_warn("%s", st_last_error());
		return EXIT_FAILURE_;
	}
	r = o->exe ? probe_resolve_user(&spec, o->exe, &site) : probe_resolve_kernel(&spec, &site);
	probe_spec_free(&spec);
	if (r < 0) {
		st_warn("%s", st_last_error());
		return EXIT_FAILURE_;
	}
	printf("Parameters of %s%s%s (from %s; location at the function's entry):\n", site.symbol,
	       site.path ? " in " : "", site.path ? site.path : "", site.func->source);
	/* Loaded once: the kernel's BTF takes a tenth of a second to read. */
	btf = site.kernel ? kbtf_open() : NULL;
	for (int i = 0; i < site.func->nr_params; i++) {
		print_param(&site.func->params[i], site.func->params[i].name, site.kernel);
		if (site.kernel)
			print_members(btf, &site.func->params[i]);
		else
			print_user_members(&site, &site.func->params[i]);
	}
	if (site.func->have_ret) {
		struct probe_param ret = site.func->ret;

		ret.fetch = "$retval";	/* at FUNC%return */
		ret.user = !site.kernel;
		print_param(&ret, "(return value)", site.kernel);
	}
	kbtf_close(btf);
	probe_site_free(&site);
	return EXIT_OK;
}

int cmd_probe(int argc, char **argv)
{
	struct probe_opts o;
	int ret;

	if (probe_parse_options(argc, argv, &o) < 0) {
		free_options(&o);
		return cli_usage_error();
	}
	if (o.help) {
		fputs(usage_text, stdout);
		free_options(&o);
		return EXIT_OK;
	}
	switch (o.mode) {
	case MODE_ADD: ret = do_add(&o); break;
	case MODE_DEL: ret = do_del(&o); break;
	case MODE_LIST: ret = do_list(&o); break;
	case MODE_FUNCS: ret = do_funcs(&o); break;
	case MODE_VARS: ret = do_vars(&o); break;
	default: ret = EXIT_USAGE; break;
	}
	free_options(&o);
	return ret;
}
