// SPDX-License-Identifier: LGPL-2.1
/*
 * From a parsed spec and a resolved site to the line kprobe_events/uprobe_events
 * takes. Pure: the unit tests build sites by hand.
 */
#include "probe/probe.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const arg_regs[] = { "di", "si", "dx", "cx", "r8", "r9" };

static void set_default_type(struct probe_param *p)
{
	int bits = p->size > 0 && p->size <= 8 ? p->size * 8 : 64;

	if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
		bits = 64;
	if (p->is_pointer || p->is_aggregate)
		snprintf(p->default_type, sizeof(p->default_type), "x64");
	else
		snprintf(p->default_type, sizeof(p->default_type), "%c%d",
			 p->is_signed ? 's' : 'u', bits);
}

void probe_func_assign_abi(struct probe_func *func)
{
	int reg = 0, stack = 1;

	/* A struct returned in memory takes %di for its hidden address. */
	if (func->have_ret && func->ret.is_aggregate && func->ret.size > 16)
		reg = 1;
	if (func->have_ret)
		set_default_type(&func->ret);
	for (int i = 0; i < func->nr_params; i++) {
		struct probe_param *p = &func->params[i];
		int words = p->size > 8 ? (p->size + 7) / 8 : 1;

		free(p->fetch);
		p->fetch = NULL;
		set_default_type(p);
		if (p->is_float)
			continue;	/* SSE register: ftrace cannot fetch it */
		if (p->is_aggregate && p->size > 16) {
			stack += words;	/* copied to the stack */
			continue;
		}
		if (reg + words <= (int)ARRAY_SIZE(arg_regs)) {
			/* A two-word struct: fetch its first word. */
			p->fetch = xasprintf("%%%s", arg_regs[reg]);
			reg += words;
		} else {
			p->fetch = xasprintf("$stack%d", stack);
			stack += words;
		}
	}
}

struct probe_func *probe_func_unknown(const char *name)
{
	struct probe_func *f = xcalloc(1, sizeof(*f));

	f->name = xstrdup(name);
	f->source = "x86-64 ABI";
	f->nr_params = ARRAY_SIZE(arg_regs);
	f->params = xcalloc(f->nr_params, sizeof(*f->params));
	for (int i = 0; i < f->nr_params; i++) {
		f->params[i].name = xasprintf("arg%d", i + 1);
		f->params[i].size = 8;
	}
	probe_func_assign_abi(f);
	/* Without a prototype, hex shows integers and pointers alike. */
	for (int i = 0; i < f->nr_params; i++)
		strcpy(f->params[i].default_type, "x64");
	return f;
}

void probe_func_free(struct probe_func *func)
{
	if (!func)
		return;
	for (int i = 0; i < func->nr_params; i++) {
		free(func->params[i].name);
		free(func->params[i].ctype);
		free(func->params[i].fetch);
	}
	free(func->params);
	free(func->ret.ctype);
	free(func->ret.fetch);
	free(func->name);
	free(func);
}

void probe_site_free(struct probe_site *site)
{
	free(site->symbol);
	free(site->path);
	free(site->members);
	free(site->dwarf_file);
	probe_func_free(site->func);
	memset(site, 0, sizeof(*site));
}

/* ---- building the line ------------------------------------------------------------------ */

struct def_ctx {
	const struct probe_spec *spec;
	const struct probe_site *site;
	const char *arg;	/* the argument being built, for messages */
	const struct probe_member *member;	/* its member access, if resolved */
};

static const struct probe_param *find_param(const struct probe_func *f, const char *name)
{
	for (int i = 0; f && i < f->nr_params; i++)
		if (!strcmp(f->params[i].name, name))
			return &f->params[i];
	return NULL;
}

static void list_params(const struct probe_func *f, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; f && i < f->nr_params && n < size; i++)
		n += snprintf(buf + n, size - n, "%s%s", i ? ", " : "", f->params[i].name);
}

static int check_entry(const struct def_ctx *c, const char *what)
{
	if (c->spec->ret) {
		st_set_error("'%s': %s is not available in a return probe (the registers are reused); use $retval",
			     c->arg, what);
		return -1;
	}
	if (c->spec->offset) {
		st_set_error("'%s': %s is only known at the function's entry, not at +%llu", c->arg, what,
			     (unsigned long long)c->spec->offset);
		return -1;
	}
	return 0;
}

static bool have_prototype(const struct probe_func *f)
{
	return f && f->source && strcmp(f->source, "x86-64 ABI");
}

/*
 * The parameter a VAR or $argN stands for: 0 with *out set, 0 with *out NULL for
 * an $argN beyond what is known (the caller uses its ABI slot), -1 on error.
 */
static int param_of(const struct def_ctx *c, const struct probe_fetch *f,
		    const struct probe_param **out)
{
	const struct probe_func *func = c->site->func;
	const struct probe_param *p;
	char names[512];

	*out = NULL;
	if (check_entry(c, f->kind == PROBE_FETCH_ARGN ? "$argN" : "a parameter") < 0)
		return -1;
	if (f->kind == PROBE_FETCH_ARGN) {
		if (!func || f->argn > func->nr_params) {
			if (!have_prototype(func))
				return 0;
			st_set_error("'%s': %s has %d parameters", c->arg, func->name, func->nr_params);
			return -1;
		}
		p = &func->params[f->argn - 1];
	} else {
		p = find_param(func, f->text);
		if (!p) {
			list_params(func, names, sizeof(names));
			if (have_prototype(func))
				st_set_error("'%s': %s has no parameter '%s' (%s: %s)", c->arg,
					     func->name, f->text, func->source,
					     func->nr_params ? names : "no parameters");
			else
				st_set_error("'%s': no type information for %s, so parameters have no names: use $arg1..$arg6 or %%REG",
					     c->arg, c->site->symbol ? c->site->symbol : "this function");
			return -1;
		}
	}
	if (!p->fetch) {
		st_set_error("'%s': parameter '%s' is %s, which probes cannot fetch", c->arg, p->name,
			     p->is_float ? "in an SSE register" : "passed in memory");
		return -1;
	}
	*out = p;
	return 0;
}

/* Render f into buf (no type); *param gets the parameter it stands for, if any. */
static int render_fetch(const struct def_ctx *c, const struct probe_fetch *f, char **out,
			const struct probe_param **param)
{
	const struct probe_param *p;
	char *inner;

	switch (f->kind) {
	case PROBE_FETCH_VAR:
	case PROBE_FETCH_ARGN:
		if (param_of(c, f, &p) < 0)
			return -1;
		if (!p) {
			/* $argN past what we know: the ABI slot ($stack1 is argument 7). */
			*out = f->argn <= (int)ARRAY_SIZE(arg_regs) ?
				xasprintf("%%%s", arg_regs[f->argn - 1]) :
				xasprintf("$stack%d", f->argn - (int)ARRAY_SIZE(arg_regs));
			return 0;
		}
		if (param)
			*param = p;
		*out = xstrdup(p->fetch);
		return 0;
	case PROBE_FETCH_RETVAL:
		if (!c->spec->ret) {
			st_set_error("'%s': $retval needs a return probe (FUNC%%return)", c->arg);
			return -1;
		}
		*out = xstrdup("$retval");
		return 0;
	case PROBE_FETCH_REG:
		*out = xasprintf("%%%s", f->text);
		return 0;
	case PROBE_FETCH_MEM:
		if (!c->site->kernel && f->text[1] != '+' && f->text[1] != '0') {
			st_set_error("'%s': uprobes cannot read a symbol (@SYM); use @0xADDR or @+FILEOFFSET",
				     c->arg);
			return -1;
		}
		*out = xstrdup(f->text);
		return 0;
	case PROBE_FETCH_STACK:
	case PROBE_FETCH_COMM:
	case PROBE_FETCH_IMM:
		*out = xstrdup(f->text);
		return 0;
	case PROBE_FETCH_DEREF:
		if (render_fetch(c, f->inner, &inner, NULL) < 0)
			return -1;
		*out = xasprintf("%c%s%lld(%s)", f->offset < 0 ? '-' : '+', f->user ? "u" : "",
				 f->offset < 0 ? -f->offset : f->offset, inner);
		free(inner);
		return 0;
	case PROBE_FETCH_PARAMS:
		break;
	}
	st_set_error("'%s': cannot be fetched here", c->arg);
	return -1;
}

static bool is_string_type(const char *t)
{
	return t && (!strcmp(t, "string") || !strcmp(t, "ustring"));
}

/*
 * The kernel reads strings only from memory: "%si:string" is refused. A string
 * of a register or stack value means "the string it points to", so add +0().
 * Strings in user memory are ustring: every pointer of a uprobe, and kernel
 * parameters known to be __user.
 */
static char *string_fetch(const struct def_ctx *c, const struct probe_arg *a, const char *value,
			  const struct probe_param *p)
{
	bool user = !c->site->kernel || a->user || !strcmp(a->type, "ustring") || (p && p->user);

	if (a->fetch->kind == PROBE_FETCH_DEREF || a->fetch->kind == PROBE_FETCH_MEM ||
	    a->fetch->kind == PROBE_FETCH_COMM || a->fetch->kind == PROBE_FETCH_IMM)
		return xasprintf("%s:%s", value, a->user && !c->site->no_ustring ? "ustring" : a->type);
	return xasprintf("+0(%s):%s", value, user && !c->site->no_ustring ? "ustring" : "string");
}

/*
 * +offs[n-1](...+offs[0](base)). The first load goes through the parameter:
 * user memory (+u) when it points to user memory (the rules in btf.h mark only
 * char * by name or layer; do_sys_openat2's how is a kernel copy). Kernel
 * probes only: a uprobe reads user memory anyway.
 */
static char *member_loads(const struct probe_member *m, char *base, bool user)
{
	for (int i = 0; i < m->nr_loads; i++) {
		char *next = xasprintf("%c%s%lld(%s)", m->offs[i] < 0 ? '-' : '+',
				       user && i == 0 ? "u" : "",
				       m->offs[i] < 0 ? -m->offs[i] : m->offs[i], base);

		free(base);
		base = next;
	}
	return base;
}

/*
 * PARAM->a.b: the loads BTF gave, typed as given or by the member's type. A
 * string of a char array is read where the array is; of a char *, where it
 * points. Kernel structures hold kernel strings unless :ustring says otherwise.
 */
static char *render_member(const struct def_ctx *c, const struct probe_arg *a)
{
	const char *type = a->type ? a->type : c->member->type;
	const struct probe_param *p = NULL;
	char *value, *typed;

	/* An unknown parameter is named first: it is why nothing was resolved. */
	if (render_fetch(c, a->fetch, &value, &p) < 0)
		return NULL;
	if (!c->member->resolved) {
		free(value);
		st_set_error(c->site->kernel ?
			     "'%s': member access needs the parameter's type from the kernel's BTF" :
			     "'%s': member access needs the parameter's type from DWARF (build with -g, or install the debug file)",
			     c->arg);
		return NULL;
	}
	value = member_loads(c->member, value,
			     c->site->kernel && p && p->user && !c->site->no_ustring);
	/* A uprobe reads user memory anyway; ustring says so, as its parameters' strings do. */
	if ((a->user || !c->site->kernel) && !strcmp(type, "string"))
		type = "ustring";
	if (is_string_type(type) && c->site->no_ustring)
		type = "string";
	if (is_string_type(type) && !c->member->char_ptr && !c->member->pointer &&
	    !c->member->char_array) {
		st_set_error("'%s': a string needs a char array or a pointer, and this is %s",
			     c->arg, c->member->ctype);
		free(value);
		return NULL;
	}
	/* A pointer's string is where it points; a char array's, where the array is. */
	if (is_string_type(type) && (c->member->char_ptr || c->member->pointer))
		typed = xasprintf("+0(%s):%s", value, type);
	else
		typed = xasprintf("%s:%s", value, type);
	free(value);
	return typed;
}

/*
 * Named by the last member as perf does ("name" for file->...->d_name.name),
 * with the indices after it ("comm_3" for p->comm[3], "buf_3" for buf[3]).
 */
static char *member_arg_name(const struct probe_arg *a)
{
	const struct probe_fetch *f = a->fetch;
	int i = f->nr_steps;
	char *name, *next;

	while (i > 0 && f->steps[i - 1].kind == PROBE_STEP_INDEX)
		i--;
	name = xstrdup(i ? f->steps[i - 1].member : f->text ? f->text :
		       f->kind == PROBE_FETCH_RETVAL ? "retval" : "arg");
	for (; i < f->nr_steps; i++) {
		next = xasprintf("%s_%lld", name, f->steps[i].index);
		free(name);
		name = next;
	}
	return name;
}

static char *render_arg(const struct def_ctx *c, const struct probe_arg *a)
{
	const struct probe_param *p = NULL;
	const char *name = a->name;
	const char *type = a->type;
	char *value, *typed, *out;

	if (a->fetch->nr_steps) {
		char *auto_name;

		typed = render_member(c, a);
		if (!typed)
			return NULL;
		auto_name = a->name ? NULL : member_arg_name(a);
		out = xasprintf("%s=%s", a->name ? a->name : auto_name, typed);
		free(auto_name);
		free(typed);
		return out;
	}
	if (render_fetch(c, a->fetch, &value, &p) < 0)
		return NULL;
	if (!name && a->fetch->kind == PROBE_FETCH_VAR)
		name = a->fetch->text;
	if (!type && p)
		type = p->default_type;
	if (!type && a->fetch->kind == PROBE_FETCH_RETVAL && c->site->func &&
	    c->site->func->have_ret)
		type = c->site->func->ret.default_type;
	if (is_string_type(a->type))
		typed = string_fetch(c, a, value, p);
	else if (type)
		typed = xasprintf("%s:%s", value, type);
	else
		typed = xstrdup(value);
	free(value);
	out = name ? xasprintf("%s=%s", name, typed) : xstrdup(typed);
	free(typed);
	return out;
}

/* Whether another argument of the spec is named name (NAME=, or a bare parameter). */
static bool named_elsewhere(const struct probe_spec *spec, const char *name)
{
	for (int i = 0; i < spec->nr_args; i++) {
		const struct probe_arg *a = &spec->args[i];
		const char *n = a->name ? a->name :
				a->fetch->kind == PROBE_FETCH_VAR && !a->fetch->nr_steps ? a->fetch->text :
				NULL;

		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

/*
 * $params: every parameter that can be fetched, as NAME=FETCH:TYPE with the
 * type from BTF/DWARF (pointers in hex, as perf does: add NAME:string for a
 * string). A parameter also given on its own keeps that form (the kernel
 * refuses two arguments of one name).
 */
static int render_params(const struct def_ctx *c, struct strlist *args)
{
	const struct probe_func *f = c->site->func;

	if (check_entry(c, "$params") < 0)
		return -1;
	if (!f) {
		st_set_error("'%s': no parameter information for this function", c->arg);
		return -1;
	}
	for (int i = 0; i < f->nr_params; i++) {
		const struct probe_param *p = &f->params[i];

		if (p->fetch && !named_elsewhere(c->spec, p->name))
			strlist_add_owned(args, xasprintf("%s=%s:%s", p->name, p->fetch,
							  p->default_type));
	}
	return 0;
}

static char *join(const struct strlist *l)
{
	size_t len = 1;
	char *s, *o;

	for (int i = 0; i < l->nr; i++)
		len += strlen(l->items[i]) + 1;
	s = o = xmalloc(len);
	*s = '\0';
	for (int i = 0; i < l->nr; i++)
		o += sprintf(o, " %s", l->items[i]);
	return s;
}

static char *render_target(const struct probe_spec *spec, const struct probe_site *site)
{
	if (!site->kernel)
		return xasprintf("%s:0x%llx", site->path, (unsigned long long)site->file_offset);
	if (spec->offset)
		return xasprintf("%s+%llu", site->symbol, (unsigned long long)spec->offset);
	return xstrdup(site->symbol);
}

char *probe_definition(const struct probe_spec *spec, const struct probe_site *site,
		       const char *group, const char *event)
{
	static const struct probe_member no_member;
	struct def_ctx c = { .spec = spec, .site = site };
	struct strlist args = { 0 };
	char *target, *argstr, *line = NULL;

	for (int i = 0; i < spec->nr_args; i++) {
		const struct probe_arg *a = &spec->args[i];
		char *s;

		c.arg = a->raw;
		c.member = site->members ? &site->members[i] : &no_member;
		if (a->fetch->kind == PROBE_FETCH_PARAMS) {
			if (render_params(&c, &args) < 0)
				goto out;
			continue;
		}
		s = render_arg(&c, a);
		if (!s)
			goto out;
		strlist_add_owned(&args, s);
	}
	if (args.nr > 128) {
		st_set_error("too many arguments (%d; the kernel takes 128)", args.nr);
		goto out;
	}
	target = render_target(spec, site);
	argstr = join(&args);
	line = xasprintf("%c:%s/%s %s%s", spec->ret ? 'r' : 'p', group, event, target, argstr);
	free(target);
	free(argstr);
out:
	strlist_free(&args);
	return line;
}
