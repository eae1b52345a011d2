// SPDX-License-Identifier: LGPL-2.1
/*
 * Kernel function parameters from BTF, with libbpf (see btf.h).
 */
#include "probe/btf.h"
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
	return xstrdup(d.buf);
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
