// SPDX-License-Identifier: LGPL-2.1
/*
 * Kernel function parameters from BTF, with libbpf (see btf.h).
 */
#include "probe/btf.h"
#include "probe/probe_walk.h"
#include "util.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kbtf {
	struct btf *btf;
};

struct kbtf *kbtf_open_file(const char *path)
{
	struct btf *btf;
	struct kbtf *b;

	libbpf_set_print(NULL);
	btf = btf__parse(path, NULL);
	if (!btf) {
		st_set_error("cannot read BTF from %s: %s", path, strerror(errno));
		return NULL;
	}
	b = xcalloc(1, sizeof(*b));
	b->btf = btf;
	return b;
}

struct kbtf *kbtf_open(void)
{
	struct kbtf *b;
	struct btf *btf;

	libbpf_set_print(NULL);	/* libbpf's own warnings would duplicate ours */
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		st_set_error("cannot load the kernel's BTF (/sys/kernel/btf/vmlinux): %s",
			     strerror(errno));
		return NULL;
	}
	b = xcalloc(1, sizeof(*b));
	b->btf = btf;
	return b;
}

void kbtf_close(struct kbtf *b)
{
	if (!b)
		return;
	btf__free(b->btf);
	free(b);
}

struct decl_buf {
	char buf[256];
	size_t len;
};

static void decl_printf(void *ctx, const char *fmt, va_list ap)
{
	struct decl_buf *d = ctx;

	if (d->len < sizeof(d->buf))
		d->len += vsnprintf(d->buf + d->len, sizeof(d->buf) - d->len, fmt, ap);
}

/* An anonymous struct's body, which btf_dump spells out on several lines, as "{...}". */
static char *one_line(const char *decl)
{
	const char *open = strchr(decl, '{'), *close = strrchr(decl, '}');

	if (!open || !close || close < open)
		return xstrdup(decl);
	return xasprintf("%.*s{...}%s", (int)(open - decl), decl, close + 1);
}

/* The C declaration of type id, e.g. "const char *". */
static char *type_decl(const struct btf *btf, __u32 id)
{
	struct decl_buf d = { .len = 0 };
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = "");
	struct btf_dump *dump = btf_dump__new(btf, decl_printf, &d, NULL);

	d.buf[0] = '\0';
	if (!dump)
		return xstrdup("?");
	btf_dump__emit_type_decl(dump, id, &opts);
	btf_dump__free(dump);
	if (d.len >= sizeof(d.buf))
		d.len = sizeof(d.buf) - 1;
	while (d.len && d.buf[d.len - 1] == ' ')
		d.buf[--d.len] = '\0';
	return one_line(d.buf);
}

/* Skip typedefs and qualifiers; notes a "user" type tag on the way. */
static const struct btf_type *resolve(const struct btf *btf, __u32 id, bool *user)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t))) {
		if (btf_is_type_tag(t) && user && !strcmp(btf__name_by_offset(btf, t->name_off), "user"))
			*user = true;
		t = btf__type_by_id(btf, t->type);
	}
	return t;
}

/* Skip typedefs, qualifiers and type tags: the id of the type underneath. */
static __u32 resolve_id(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	return id;
}

static bool is_char(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = resolve(btf, id, NULL);

	return t && btf_is_int(t) && t->size == 1;
}

static void describe(const struct btf *btf, __u32 id, struct probe_param *p)
{
	bool user = false;
	const struct btf_type *t = resolve(btf, id, &user);
	__s64 size = btf__resolve_size(btf, id);

	p->ctype = type_decl(btf, id);
	p->type_id = id;
	p->size = size > 0 ? size : 8;
	if (!t)
		return;
	if (btf_is_ptr(t)) {
		const struct btf_type *to = btf__type_by_id(btf, t->type);

		p->is_pointer = true;
		p->size = 8;
		p->is_char_ptr = is_char(btf, t->type);
		/* The tag sits on the pointee: "const char __user *". */
		if (to)
			resolve(btf, t->type, &user);
	} else if (btf_is_array(t)) {
		p->is_pointer = true;
		p->is_char_ptr = is_char(btf, btf_array(t)->type);
	} else if (btf_is_int(t)) {
		p->is_signed = btf_int_encoding(t) & BTF_INT_SIGNED;
	} else if (btf_is_enum(t) || btf_is_enum64(t)) {
		p->is_signed = btf_kflag(t);
	} else if (btf_is_composite(t)) {
		p->is_aggregate = true;
	} else if (btf_is_float(t)) {
		p->is_float = true;
	}
	p->user = user;
	if (user)
		p->user_why = "BTF __user tag";
}

/* ---- user pointers: string or ustring -------------------------------------------------- */

/*
 * Syscall-layer functions take their pointers straight from user space. Kernels
 * built by gcc have no __user tags in BTF, so this is how a string parameter of
 * do_sys_openat2 becomes a ustring fetch. (__x64_sys_* take a struct pt_regs *.)
 */
static bool syscall_layer(const char *func)
{
	static const char *const prefixes[] = {
		"__x64_sys_", "__ia32_sys_", "__se_sys_", "__do_sys_", "do_sys_", "ksys_",
	};

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(func, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* The kernel's names for user buffers: ubuf, ustr, user_buf, usrbuf, ... */
static bool user_buffer_name(const char *name)
{
	static const char *const u_names[] = { "buf", "buffer", "str", "ptr", "addr", "name", "path" };

	if (!strncmp(name, "user", 4) || !strncmp(name, "usr", 3))
		return true;
	for (size_t i = 0; name[0] == 'u' && i < ARRAY_SIZE(u_names); i++)
		if (!strcmp(name + 1, u_names[i]))
			return true;
	return false;
}

/* Whether the pointer type id points to a const. */
static bool points_to_const(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, resolve_id(btf, id));

	for (t = t ? btf__type_by_id(btf, t->type) : NULL; t && (btf_is_mod(t) || btf_is_type_tag(t));
	     t = btf__type_by_id(btf, t->type))
		if (btf_is_const(t))
			return true;
	return false;
}

/*
 * The copy functions: *_from_user reads its const char * source from user space
 * (strncpy_from_user's src), *_to_user writes its char * destination there.
 */
static bool copy_user_side(const struct btf *btf, const char *func, __u32 type)
{
	size_t len = strlen(func);
	bool from = (len > 10 && !strcmp(func + len - 10, "_from_user")) ||
		    !strcmp(func, "strnlen_user");
	bool to = len > 8 && !strcmp(func + len - 8, "_to_user");

	return (from && points_to_const(btf, type)) || (to && !points_to_const(btf, type));
}

/* Whether types a and b are the same, qualifiers and type tags aside, through pointers. */
static bool same_type(const struct btf *btf, __u32 a, __u32 b)
{
	for (int depth = 0; depth < 8; depth++) {
		const struct btf_type *ta, *tb;

		while ((ta = btf__type_by_id(btf, a)) && (btf_is_mod(ta) || btf_is_type_tag(ta)))
			a = ta->type;
		while ((tb = btf__type_by_id(btf, b)) && (btf_is_mod(tb) || btf_is_type_tag(tb)))
			b = tb->type;
		if (a == b)
			return true;
		if (!ta || !tb || !btf_is_ptr(ta) || !btf_is_ptr(tb))
			return false;
		a = ta->type;
		b = tb->type;
	}
	return false;
}

/* The prototype of struct sname's function pointer member mname, or NULL. */
static const struct btf_type *ops_proto(const struct btf *btf, const char *sname,
					const char *mname)
{
	int id = btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_member *m;

	for (int i = 0; t && i < btf_vlen(t); i++) {
		m = btf_members(t) + i;
		if (strcmp(btf__name_by_offset(btf, m->name_off), mname))
			continue;
		t = btf__type_by_id(btf, resolve_id(btf, m->type));
		t = t && btf_is_ptr(t) ? btf__type_by_id(btf, resolve_id(btf, t->type)) : NULL;
		return t && btf_is_func_proto(t) ? t : NULL;
	}
	return NULL;
}

/* Whether the prototype proto has the same parameter types as the function pointer proto ops. */
static bool same_params(const struct btf *btf, const struct btf_type *proto,
			const struct btf_type *ops)
{
	if (!ops || btf_vlen(proto) != btf_vlen(ops))
		return false;
	for (int i = 0; i < btf_vlen(proto); i++)
		if (!same_type(btf, btf_params(proto)[i].type, btf_params(ops)[i].type))
			return false;
	return true;
}

/*
 * A function shaped like file_operations' read or write (struct file *, char *,
 * size_t, loff_t *) is one: vfs_read, vfs_write, every driver's read(). Their
 * char * is __user by the kernel's contract, tagged or not.
 */
static bool read_write_shape(const struct btf *btf, const struct btf_type *proto)
{
	return same_params(btf, proto, ops_proto(btf, "file_operations", "read")) ||
	       same_params(btf, proto, ops_proto(btf, "file_operations", "write"));
}

/*
 * Which char * parameters of f point to user memory, when BTF has no __user
 * tag to say so (gcc-built kernels): see the probe man page, "User memory".
 */
static void mark_user_strings(const struct btf *btf, const struct btf_type *proto,
			      struct probe_func *f)
{
	const char *why = syscall_layer(f->name) ? "syscall layer" :
			  read_write_shape(btf, proto) ? "read/write buffer" : NULL;

	for (int i = 0; i < f->nr_params; i++) {
		struct probe_param *p = &f->params[i];

		if (!p->is_char_ptr || p->user)
			continue;
		if (why || user_buffer_name(p->name) ||
		    copy_user_side(btf, f->name, btf_params(proto)[i].type)) {
			p->user = true;
			p->user_why = why ? why : user_buffer_name(p->name) ? "user buffer name" :
				      "user side of a copy";
		}
	}
}

struct probe_func *kbtf_func(const struct kbtf *b, const char *name)
{
	const struct btf_type *fn, *proto;
	const struct btf_param *params;
	struct probe_func *f;
	int id = btf__find_by_name_kind(b->btf, name, BTF_KIND_FUNC);

	if (id < 0) {
		st_set_error("the kernel's BTF has no function '%s'", name);
		return NULL;
	}
	fn = btf__type_by_id(b->btf, id);
	proto = fn ? btf__type_by_id(b->btf, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto)) {
		st_set_error("BTF describes '%s' without a prototype", name);
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->name = xstrdup(name);
	f->source = "BTF";
	params = btf_params(proto);
	f->params = xcalloc(btf_vlen(proto) + 1, sizeof(*f->params));
	for (int i = 0; i < btf_vlen(proto); i++) {
		const char *pname = btf__name_by_offset(b->btf, params[i].name_off);

		if (!params[i].type)
			break;	/* "...": variadic */
		f->params[f->nr_params].name = pname && *pname ? xstrdup(pname) :
					       xasprintf("arg%d", i + 1);
		describe(b->btf, params[i].type, &f->params[f->nr_params]);
		f->nr_params++;
	}
	mark_user_strings(b->btf, proto, f);
	if (proto->type) {
		f->have_ret = true;
		describe(b->btf, proto->type, &f->ret);
	} else {
		f->ret.ctype = xstrdup("void");
	}
	probe_func_assign_abi(f);
	return f;
}

int kbtf_func_names(const struct kbtf *b, struct strlist *names)
{
	int n = btf__type_cnt(b->btf);

	for (int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b->btf, id);

		if (t && btf_is_func(t))
			strlist_add(names, btf__name_by_offset(b->btf, t->name_off));
	}
	return names->nr;
}

/* ---- member access: PARAM->a.b[3] to offsets ------------------------------------------ */

struct found_member {
	__u32 type;		/* the member's type id */
	__u32 bit_offset;	/* from the start of the outer struct */
	__u32 bit_size;		/* a bit field's width, 0 otherwise */
};

/* name in the struct/union t, looking inside anonymous members too. */
static bool find_member(const struct btf *btf, const struct btf_type *t, const char *name,
			struct found_member *out)
{
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		const struct btf_type *mt;

		if (mname && *mname) {
			if (strcmp(mname, name))
				continue;
			out->type = m->type;
			out->bit_offset = btf_member_bit_offset(t, i);
			out->bit_size = btf_member_bitfield_size(t, i);
			return true;
		}
		mt = btf__type_by_id(btf, resolve_id(btf, m->type));
		if (mt && btf_is_composite(mt) && find_member(btf, mt, name, out)) {
			out->bit_offset += btf_member_bit_offset(t, i);
			return true;
		}
	}
	return false;
}

static void member_names(const struct btf *btf, const struct btf_type *t, struct strlist *names)
{
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		const struct btf_type *mt = btf__type_by_id(btf, resolve_id(btf, m->type));

		if (mname && *mname)
			strlist_add(names, mname);
		else if (mt && btf_is_composite(mt))
			member_names(btf, mt, names);
	}
}

/* "struct file has no member 'f_pat'; did you mean f_path? (members: f_lock, ...)" */
static void set_no_member_error(const struct btf *btf, __u32 id, const char *arg,
				const char *name)
{
	struct strlist names = { 0 };
	char *decl = type_decl(btf, id);

	member_names(btf, btf__type_by_id(btf, id), &names);
	probe_set_no_member_error(arg, decl, name, &names);
	strlist_free(&names);
	free(decl);
}

/* Where the walk is: a value (loaded, or the parameter) or an object in memory. */
struct access_walk {
	const struct btf *btf;
	struct member_walk at;
	__u32 type;		/* the current type id, resolved */
};

static const struct btf_type *cur(const struct access_walk *w)
{
	return btf__type_by_id(w->btf, w->type);
}

static char *cur_decl(const struct access_walk *w)
{
	return type_decl(w->btf, w->type);
}

static int step_member(struct access_walk *w, const struct probe_step *st)
{
	const struct btf_type *t = cur(w);
	struct found_member m = { 0 };
	char *decl = cur_decl(w);
	int ret = -1;

	if (st->kind == PROBE_STEP_ARROW) {
		if (!btf_is_ptr(t) && !btf_is_composite(t)) {
			st_set_error("'%s': '->%s' on '%s', which is %s: neither a pointer nor a struct",
				     w->at.arg, st->member, w->at.what, decl);
			goto out;
		}
		if (!btf_is_ptr(t)) {
			st_set_error("'%s': '->%s' on '%s', which is not a pointer (%s): use '.%s'",
				     w->at.arg, st->member, w->at.what, decl, st->member);
			goto out;
		}
		if (member_walk_load(&w->at) < 0)
			goto out;
		w->type = resolve_id(w->btf, t->type);
		w->at.in_memory = true;
		t = cur(w);
		free(decl);
		decl = cur_decl(w);
	} else if (btf_is_ptr(t)) {
		st_set_error("'%s': '.%s' on '%s', which is a pointer (%s): use '->%s'", w->at.arg,
			     st->member, w->at.what, decl, st->member);
		goto out;
	} else if (!w->at.in_memory) {
		st_set_error("'%s': '.%s' on a structure passed by value is not supported", w->at.arg,
			     st->member);
		goto out;
	}
	if (t && btf_kind(t) == BTF_KIND_UNKN && st->kind == PROBE_STEP_ARROW) {
		st_set_error("'%s': '%s' is a void *: what it points to has no known members (read it with +OFFS(...))",
			     w->at.arg, w->at.what);
		goto out;
	}
	if (!t || !btf_is_composite(t)) {
		st_set_error("'%s': '%s' is %s, not a struct or union: it has no member '%s'", w->at.arg,
			     w->at.what, decl, st->member);
		goto out;
	}
	if (!find_member(w->btf, t, st->member, &m)) {
		set_no_member_error(w->btf, w->type, w->at.arg, st->member);
		goto out;
	}
	w->at.offset += m.bit_offset / 8;
	w->at.bit_size = m.bit_size;
	w->at.bit_offset = m.bit_offset;
	w->type = resolve_id(w->btf, m.type);
	w->at.what = st->member;
	ret = 0;
out:
	free(decl);
	return ret;
}

static int step_index(struct access_walk *w, const struct probe_step *st)
{
	const struct btf_type *t = cur(w);
	char *decl = cur_decl(w);
	__s64 size;
	int ret = -1;

	if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);

		if (a->nelems && st->index >= a->nelems) {
			st_set_error("'%s': index %lld is past the end of '%s' (%s)", w->at.arg,
				     st->index, w->at.what, decl);
			goto out;
		}
		w->type = resolve_id(w->btf, a->type);
	} else if (btf_is_ptr(t)) {
		if (member_walk_load(&w->at) < 0)
			goto out;
		w->type = resolve_id(w->btf, t->type);
		w->at.in_memory = true;
	} else {
		st_set_error("'%s': '[%lld]' on '%s', which is %s, not an array or a pointer", w->at.arg,
			     st->index, w->at.what, decl);
		goto out;
	}
	size = btf__resolve_size(w->btf, w->type);
	if (size <= 0) {
		st_set_error("'%s': the elements of '%s' have no size (void?)", w->at.arg, w->at.what);
		goto out;
	}
	w->at.offset += st->index * size;
	ret = 0;
out:
	free(decl);
	return ret;
}

/* The last step: what is fetched, and its default type. */
static int finish(struct access_walk *w)
{
	const struct btf_type *t = cur(w);
	struct probe_member *out = w->at.out;
	char *decl = cur_decl(w);
	__s64 size = btf__resolve_size(w->btf, w->type);
	int ret = -1;

	snprintf(out->ctype, sizeof(out->ctype), "%s", decl);
	if (!t || btf_is_composite(t) || btf_is_func_proto(t) || size <= 0) {
		st_set_error("'%s': '%s' is %s, which cannot be fetched as a value: name one of its members",
			     w->at.arg, w->at.what, decl);
		goto out;
	}
	if (btf_is_array(t) && !is_char(w->btf, btf_array(t)->type)) {
		st_set_error("'%s': '%s' is an array (%s): add an index, e.g. %s[0]", w->at.arg, w->at.what,
			     decl, w->at.what);
		goto out;
	}
	if (w->at.bit_size && member_walk_bitfield(&w->at, size > 8 ? 8 : size) < 0)
		goto out;
	if (member_walk_load(&w->at) < 0)
		goto out;
	if (w->at.bit_size)
		;	/* typed by member_walk_bitfield() */
	else if (btf_is_array(t)) {
		strcpy(out->type, "string");	/* a char array: the string at its address */
		out->char_array = true;
	} else if (btf_is_ptr(t) && is_char(w->btf, t->type)) {
		strcpy(out->type, "string");
		out->char_ptr = true;
	} else if (btf_is_ptr(t) || btf_is_float(t) || size > 8)
		snprintf(out->type, sizeof(out->type), "x%d", size > 8 ? 64 : (int)size * 8);
	else
		snprintf(out->type, sizeof(out->type), "%c%d",
			 (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED)) ||
			 ((btf_is_enum(t) || btf_is_enum64(t)) && btf_kflag(t)) ? 's' : 'u',
			 (int)size * 8);
	out->pointer = btf_is_ptr(t);
	out->resolved = true;
	ret = 0;
out:
	free(decl);
	return ret;
}

int kbtf_pointee_members(const struct kbtf *b, unsigned int type_id, struct strlist *names)
{
	const struct btf_type *t = btf__type_by_id(b->btf, resolve_id(b->btf, type_id));

	if (!t || !btf_is_ptr(t))
		return 0;
	t = btf__type_by_id(b->btf, resolve_id(b->btf, t->type));
	if (t && btf_is_composite(t))
		member_names(b->btf, t, names);
	return names->nr;
}

int kbtf_member_access(const struct kbtf *b, unsigned int type_id, const char *param,
		       const struct probe_fetch *f, const char *arg, struct probe_member *out)
{
	struct access_walk w = {
		.btf = b->btf, .at = { .arg = arg, .out = out, .what = param },
		.type = resolve_id(b->btf, type_id),
	};

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < f->nr_steps; i++) {
		const struct probe_step *st = &f->steps[i];

		if (w.at.bit_size) {
			st_set_error("'%s': '%s' is a bit field: it has no members", arg, w.at.what);
			return -1;
		}
		if ((st->kind == PROBE_STEP_INDEX ? step_index(&w, st) : step_member(&w, st)) < 0)
			return -1;
	}
	return finish(&w);
}
