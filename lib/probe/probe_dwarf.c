// SPDX-License-Identifier: LGPL-2.1
/*
 * User function parameters from DWARF, with libdw: names and C types. Where
 * they are at the entry comes from the calling convention (probe_func_assign_abi),
 * which holds at the first instruction whatever the optimisation level; DWARF
 * locations of -O0 code point at stack slots that the prologue has not filled yet.
 */
#include "probe/probe.h"
#include "probe/probe_func.h"
#include "probe/probe_walk.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
}

static bool die_type(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute attr;

	return dwarf_formref_die(dwarf_attr_integrate(die, DW_AT_type, &attr), type) != NULL;
}

/* A short C spelling of a type: "const char *", "struct foo", "unsigned int". */
static char *type_name(Dwarf_Die *type, int depth)
{
	Dwarf_Die inner;
	const char *name = die_name(type);
	char *in, *s;

	if (depth > 8)
		return xstrdup("?");
	switch (dwarf_tag(type)) {
	case DW_TAG_pointer_type:
		in = die_type(type, &inner) ? type_name(&inner, depth + 1) : xstrdup("void");
		s = xasprintf("%s%s*", in, in[strlen(in) - 1] == '*' ? "" : " ");
		free(in);
		return s;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
		in = die_type(type, &inner) ? type_name(&inner, depth + 1) : xstrdup("void");
		s = xasprintf("%s %s", dwarf_tag(type) == DW_TAG_const_type ? "const" : "volatile", in);
		free(in);
		return s;
	case DW_TAG_array_type: {
		Dwarf_Die sub;
		Dwarf_Attribute attr;
		Dwarf_Word n = 0;

		in = die_type(type, &inner) ? type_name(&inner, depth + 1) : xstrdup("?");
		if (dwarf_child(type, &sub) == 0 &&
		    dwarf_formudata(dwarf_attr(&sub, DW_AT_count, &attr), &n) != 0 &&
		    dwarf_formudata(dwarf_attr(&sub, DW_AT_upper_bound, &attr), &n) == 0)
			n++;
		s = n ? xasprintf("%s[%llu]", in, (unsigned long long)n) : xasprintf("%s[]", in);
		free(in);
		return s;
	}
	case DW_TAG_structure_type:
		return xasprintf("struct %s", name ? name : "{...}");
	case DW_TAG_union_type:
		return xasprintf("union %s", name ? name : "{...}");
	case DW_TAG_enumeration_type:
		return xasprintf("enum %s", name ? name : "{...}");
	}
	return xstrdup(name ? name : "?");
}

static void describe(Dwarf_Die *param, struct probe_param *p)
{
	Dwarf_Die type, peeled, to;
	Dwarf_Attribute attr;
	Dwarf_Word enc = 0;

	p->size = 8;
	if (!die_type(param, &type)) {
		p->ctype = xstrdup("void");
		return;
	}
	p->ctype = type_name(&type, 0);
	if (dwarf_peel_type(&type, &peeled) != 0)
		return;
	switch (dwarf_tag(&peeled)) {
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		p->is_pointer = true;
		if (die_type(&peeled, &to) && dwarf_peel_type(&to, &to) == 0 &&
		    dwarf_tag(&to) == DW_TAG_base_type && dwarf_bytesize(&to) == 1)
			p->is_char_ptr = true;
		return;
	case DW_TAG_base_type:
		p->size = dwarf_bytesize(&peeled);
		dwarf_formudata(dwarf_attr(&peeled, DW_AT_encoding, &attr), &enc);
		p->is_float = enc == DW_ATE_float || enc == DW_ATE_complex_float;
		p->is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
		return;
	case DW_TAG_enumeration_type:
		p->size = dwarf_bytesize(&peeled);
		p->is_signed = true;
		return;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type:
		p->is_aggregate = true;
		p->size = dwarf_bytesize(&peeled);
		return;
	}
}

static struct probe_func *read_func(Dwarf_Die *sub, const char *name)
{
	struct probe_func *f = xcalloc(1, sizeof(*f));
	Dwarf_Die child, ret;
	int n = 0;

	f->name = xstrdup(name);
	f->source = "DWARF";
	if (dwarf_child(sub, &child) == 0) {
		do {
			struct probe_param *p;
			const char *pname;

			if (dwarf_tag(&child) != DW_TAG_formal_parameter)
				continue;
			f->params = xrealloc(f->params, (n + 1) * sizeof(*f->params));
			p = &f->params[n];
			memset(p, 0, sizeof(*p));
			pname = die_name(&child);
			p->name = pname ? xstrdup(pname) : xasprintf("arg%d", n + 1);
			describe(&child, p);
			p->user = true;
			n++;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	f->nr_params = n;
	if (die_type(sub, &ret)) {
		f->have_ret = true;
		describe(sub, &f->ret);
		f->ret.user = true;
	} else {
		f->ret.ctype = xstrdup("void");
	}
	probe_func_assign_abi(f);
	return f;
}

struct find_ctx {
	uint64_t vaddr;
	Dwarf_Die found;
	bool ok;
};

static int match_func(Dwarf_Die *die, void *arg)
{
	struct find_ctx *c = arg;
	Dwarf_Addr low, base, end;

	/* Hot/cold split functions have DW_AT_ranges instead of a low_pc. */
	if ((dwarf_lowpc(die, &low) == 0 || dwarf_entrypc(die, &low) == 0 ||
	     dwarf_ranges(die, 0, &base, &low, &end) > 0) && low == c->vaddr) {
		c->found = *die;
		c->ok = true;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

/*
 * The prototype of the function at vaddr in file's DWARF, or NULL (no DWARF, or
 * no subprogram there) without an error: callers fall back to the ABI.
 */
struct probe_func *probe_dwarf_func(const char *file, const char *name, uint64_t vaddr)
{
	struct find_ctx c = { .vaddr = vaddr };
	struct probe_func *f = NULL;
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf *dw;
	/* The file was a regular one a moment ago; a FIFO now must not block. */
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		goto out;
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw)
		goto out;
	while (!c.ok && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu))
			dwarf_getfuncs(&cu, match_func, &c, 0);
		off = next;
	}
	if (c.ok)
		f = read_func(&c.found, name);
	dwarf_end(dw);
out:
	close(fd);
	return f;
}

/* ---- member access: PARAM->a.b[3] through DWARF, for user probes --------------------- */

/* Where the walk is, as in btf.c: a value (loaded, or the parameter) or an object in memory. */
struct dwalk {
	struct member_walk at;
	Dwarf_Die type;		/* the current type, typedefs and qualifiers peeled */
};

static char *dw_decl(Dwarf_Die *type)
{
	return type_name(type, 0);
}

/* DW_AT_type of die, peeled; false for void. */
static bool peeled_type(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Die t;

	return die_type(die, &t) && dwarf_peel_type(&t, out) == 0;
}

static bool dw_is_char(Dwarf_Die *type)
{
	Dwarf_Attribute attr;
	Dwarf_Word enc = 0;

	if (dwarf_tag(type) != DW_TAG_base_type || dwarf_bytesize(type) != 1)
		return false;
	dwarf_formudata(dwarf_attr(type, DW_AT_encoding, &attr), &enc);
	return enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char || enc == DW_ATE_signed ||
	       enc == DW_ATE_unsigned || enc == DW_ATE_UTF;
}

static bool dw_is_composite(Dwarf_Die *t)
{
	int tag = dwarf_tag(t);

	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type;
}

/* A member's bit offset from the start of its struct (DWARF 4+, or the older form). */
static long long member_bit_offset(Dwarf_Die *m, int *bit_size)
{
	Dwarf_Attribute attr;
	Dwarf_Word v = 0, byte_size;

	*bit_size = dwarf_bitsize(m) > 0 ? dwarf_bitsize(m) : 0;
	if (dwarf_formudata(dwarf_attr(m, DW_AT_data_bit_offset, &attr), &v) == 0)
		return v;
	dwarf_formudata(dwarf_attr(m, DW_AT_data_member_location, &attr), &v);
	if (*bit_size && dwarf_bitoffset(m) >= 0 &&
	    dwarf_formudata(dwarf_attr(m, DW_AT_byte_size, &attr), &byte_size) == 0)
		return v * 8 + byte_size * 8 - dwarf_bitoffset(m) - *bit_size;
	return v * 8;
}

/* name among the members of struct/union t, inside anonymous ones too. */
static bool dw_find_member(Dwarf_Die *t, const char *name, Dwarf_Die *type, long long *bit_off,
			   int *bit_size)
{
	Dwarf_Die m, mt;

	if (dwarf_child(t, &m) != 0)
		return false;
	do {
		const char *mname;

		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		mname = die_name(&m);
		if (mname && !strcmp(mname, name)) {
			*bit_off = member_bit_offset(&m, bit_size);
			return peeled_type(&m, type);
		}
		if (!mname && peeled_type(&m, &mt) && dw_is_composite(&mt) &&
		    dw_find_member(&mt, name, type, bit_off, bit_size)) {
			int unused;

			*bit_off += member_bit_offset(&m, &unused);
			return true;
		}
	} while (dwarf_siblingof(&m, &m) == 0);
	return false;
}

static void dw_member_names(Dwarf_Die *t, struct strlist *names)
{
	Dwarf_Die m, mt;

	if (dwarf_child(t, &m) != 0)
		return;
	do {
		const char *mname = die_name(&m);

		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		if (mname)
			strlist_add(names, mname);
		else if (peeled_type(&m, &mt) && dw_is_composite(&mt))
			dw_member_names(&mt, names);
	} while (dwarf_siblingof(&m, &m) == 0);
}

static int dw_step_member(struct dwalk *w, const struct probe_step *st)
{
	char *decl = dw_decl(&w->type);
	Dwarf_Die mtype;
	int ret = -1;

	if (st->kind == PROBE_STEP_ARROW) {
		if (dwarf_tag(&w->type) != DW_TAG_pointer_type && !dw_is_composite(&w->type)) {
			st_set_error("'%s': '->%s' on '%s', which is %s: neither a pointer nor a struct",
				     w->at.arg, st->member, w->at.what, decl);
			goto out;
		}
		if (dwarf_tag(&w->type) != DW_TAG_pointer_type) {
			st_set_error("'%s': '->%s' on '%s', which is not a pointer (%s): use '.%s'",
				     w->at.arg, st->member, w->at.what, decl, st->member);
			goto out;
		}
		if (member_walk_load(&w->at) < 0)
			goto out;
		if (!peeled_type(&w->type, &w->type)) {
			st_set_error("'%s': '%s' is a void *: what it points to has no known members (read it with +OFFS(...))",
				     w->at.arg, w->at.what);
			goto out;
		}
		w->at.in_memory = true;
		free(decl);
		decl = dw_decl(&w->type);
	} else if (dwarf_tag(&w->type) == DW_TAG_pointer_type) {
		st_set_error("'%s': '.%s' on '%s', which is a pointer (%s): use '->%s'", w->at.arg,
			     st->member, w->at.what, decl, st->member);
		goto out;
	} else if (!w->at.in_memory) {
		st_set_error("'%s': '.%s' on a structure passed by value is not supported", w->at.arg,
			     st->member);
		goto out;
	}
	if (!dw_is_composite(&w->type)) {
		st_set_error("'%s': '%s' is %s, not a struct or union: it has no member '%s'", w->at.arg,
			     w->at.what, decl, st->member);
		goto out;
	}
	if (!dw_find_member(&w->type, st->member, &mtype, &w->at.bit_offset, &w->at.bit_size)) {
		struct strlist names = { 0 };

		dw_member_names(&w->type, &names);
		probe_set_no_member_error(w->at.arg, decl, st->member, &names);
		strlist_free(&names);
		goto out;
	}
	w->at.offset += w->at.bit_offset / 8;
	w->type = mtype;
	w->at.what = st->member;
	ret = 0;
out:
	free(decl);
	return ret;
}

/* The number of elements of array type t (its first dimension), 0 if unknown. */
static Dwarf_Word dw_array_len(Dwarf_Die *t)
{
	Dwarf_Attribute attr;
	Dwarf_Word v;
	Dwarf_Die sub;

	if (dwarf_child(t, &sub) != 0 || dwarf_tag(&sub) != DW_TAG_subrange_type)
		return 0;
	if (dwarf_formudata(dwarf_attr(&sub, DW_AT_count, &attr), &v) == 0)
		return v;
	if (dwarf_formudata(dwarf_attr(&sub, DW_AT_upper_bound, &attr), &v) == 0)
		return v + 1;
	return 0;
}

static int dw_step_index(struct dwalk *w, const struct probe_step *st)
{
	char *decl = dw_decl(&w->type);
	Dwarf_Word size = 0, len;
	int tag = dwarf_tag(&w->type), ret = -1;

	if (tag == DW_TAG_array_type) {
		len = dw_array_len(&w->type);
		if (len && (Dwarf_Word)st->index >= len) {
			st_set_error("'%s': index %lld is past the end of '%s' (%s)", w->at.arg, st->index,
				     w->at.what, decl);
			goto out;
		}
	} else if (tag == DW_TAG_pointer_type) {
		if (member_walk_load(&w->at) < 0)
			goto out;
		w->at.in_memory = true;
	} else {
		st_set_error("'%s': '[%lld]' on '%s', which is %s, not an array or a pointer", w->at.arg,
			     st->index, w->at.what, decl);
		goto out;
	}
	if (!peeled_type(&w->type, &w->type) || dwarf_aggregate_size(&w->type, &size) != 0 || !size) {
		st_set_error("'%s': the elements of '%s' have no size (void?)", w->at.arg, w->at.what);
		goto out;
	}
	w->at.offset += st->index * (long long)size;
	w->at.bit_size = 0;
	ret = 0;
out:
	free(decl);
	return ret;
}

/* The last step: what is fetched and its default type (as btf.c's finish()). */
static int dw_finish(struct dwalk *w)
{
	struct probe_member *out = w->at.out;
	char *decl = dw_decl(&w->type);
	Dwarf_Word size = 0;
	Dwarf_Attribute attr;
	Dwarf_Word enc = 0;
	Dwarf_Die to;
	int tag = dwarf_tag(&w->type), ret = -1;

	snprintf(out->ctype, sizeof(out->ctype), "%s", decl);
	if (dw_is_composite(&w->type) || tag == DW_TAG_subroutine_type ||
	    dwarf_aggregate_size(&w->type, &size) != 0 || !size) {
		st_set_error("'%s': '%s' is %s, which cannot be fetched as a value: name one of its members",
			     w->at.arg, w->at.what, decl);
		goto out;
	}
	if (tag == DW_TAG_array_type && !(peeled_type(&w->type, &to) && dw_is_char(&to))) {
		st_set_error("'%s': '%s' is an array (%s): add an index, e.g. %s[0]", w->at.arg, w->at.what,
			     decl, w->at.what);
		goto out;
	}
	if (w->at.bit_size && member_walk_bitfield(&w->at, size > 8 ? 8 : (int)size) < 0)
		goto out;
	if (member_walk_load(&w->at) < 0)
		goto out;
	if (w->at.bit_size)
		;
	else if (tag == DW_TAG_array_type) {
		strcpy(out->type, "string");
		out->char_array = true;
	} else if (tag == DW_TAG_pointer_type && peeled_type(&w->type, &to) && dw_is_char(&to)) {
		strcpy(out->type, "string");
		out->char_ptr = true;
	} else if (tag == DW_TAG_base_type || tag == DW_TAG_enumeration_type) {
		dwarf_formudata(dwarf_attr(&w->type, DW_AT_encoding, &attr), &enc);
		if (enc == DW_ATE_float || size > 8)
			snprintf(out->type, sizeof(out->type), "x%d", size > 8 ? 64 : (int)size * 8);
		else
			snprintf(out->type, sizeof(out->type), "%c%d",
				 enc == DW_ATE_signed || enc == DW_ATE_signed_char ||
				 tag == DW_TAG_enumeration_type ? 's' : 'u', (int)size * 8);
	} else {
		snprintf(out->type, sizeof(out->type), "x%d", size > 8 ? 64 : (int)size * 8);
	}
	out->pointer = tag == DW_TAG_pointer_type;
	out->resolved = true;
	ret = 0;
out:
	free(decl);
	return ret;
}

/* The formal parameter of sub named name, or the n-th (1-based) when name is NULL. */
static bool find_param_die(Dwarf_Die *sub, const char *name, int n, Dwarf_Die *out)
{
	int i = 0;

	if (dwarf_child(sub, out) != 0)
		return false;
	do {
		const char *pname;

		if (dwarf_tag(out) != DW_TAG_formal_parameter)
			continue;
		i++;
		pname = die_name(out);
		if (name ? pname && !strcmp(pname, name) : i == n)
			return true;
	} while (dwarf_siblingof(out, out) == 0);
	return false;
}

static int dw_member_access(Dwarf_Die *sub, const struct probe_fetch *f, const char *arg,
			    struct probe_member *out)
{
	struct dwalk w = { .at = { .arg = arg, .out = out } };
	Dwarf_Die param;

	memset(out, 0, sizeof(*out));
	if (f->kind == PROBE_FETCH_RETVAL)
		param = *sub;	/* the function's DW_AT_type is the return type */
	else if (!find_param_die(sub, f->kind == PROBE_FETCH_VAR ? f->text : NULL, f->argn, &param))
		return 0;	/* unknown: probe_definition() names the parameters there are */
	w.at.what = f->kind == PROBE_FETCH_RETVAL ? "$retval" :
		 die_name(&param) ? die_name(&param) : "the parameter";
	if (!peeled_type(&param, &w.type)) {
		st_set_error("'%s': '%s' has no type in DWARF", arg, w.at.what);
		return -1;
	}
	for (int i = 0; i < f->nr_steps; i++) {
		const struct probe_step *st = &f->steps[i];

		if (w.at.bit_size) {
			st_set_error("'%s': '%s' is a bit field: it has no members", arg, w.at.what);
			return -1;
		}
		if ((st->kind == PROBE_STEP_INDEX ? dw_step_index(&w, st) : dw_step_member(&w, st)) < 0)
			return -1;
	}
	return dw_finish(&w);
}

/* Open file's DWARF and find the subprogram at vaddr: 0, or -1 (no DWARF for it). */
static int open_subprogram(const char *file, uint64_t vaddr, int *fd, Dwarf **dw, Dwarf_Die *sub)
{
	struct find_ctx c = { .vaddr = vaddr };
	Dwarf_Off off = 0, next;
	struct stat st;
	size_t hsize;

	*dw = NULL;
	*fd = file ? open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
	if (*fd < 0)
		return -1;
	if (fstat(*fd, &st) < 0 || !S_ISREG(st.st_mode) || !(*dw = dwarf_begin(*fd, DWARF_C_READ)))
		return -1;
	while (!c.ok && dwarf_nextcu(*dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(*dw, off + hsize, &cu))
			dwarf_getfuncs(&cu, match_func, &c, 0);
		off = next;
	}
	*sub = c.found;
	return c.ok ? 0 : -1;
}

int probe_dwarf_pointee_members(const char *file, uint64_t vaddr, const char *param,
				struct strlist *names, struct probe_member **members)
{
	Dwarf_Die sub, pdie, type;
	Dwarf *dw;
	int fd;

	*members = NULL;
	if (open_subprogram(file, vaddr, &fd, &dw, &sub) < 0 || !find_param_die(&sub, param, 0, &pdie) ||
	    !peeled_type(&pdie, &type) || dwarf_tag(&type) != DW_TAG_pointer_type ||
	    !peeled_type(&type, &type) || !dw_is_composite(&type))
		goto out;
	dw_member_names(&type, names);
	*members = xcalloc(names->nr + 1, sizeof(**members));
	for (int i = 0; i < names->nr; i++) {
		struct probe_step st = { .kind = PROBE_STEP_ARROW, .member = names->items[i] };
		struct probe_fetch f = { .kind = PROBE_FETCH_VAR, .text = (char *)param, .nr_steps = 1,
					 .steps = &st };

		if (dw_member_access(&sub, &f, names->items[i], &(*members)[i]) < 0)
			(*members)[i].resolved = false;	/* a struct or an array: not a value */
	}
out:
	if (dw)
		dwarf_end(dw);
	if (fd >= 0)
		close(fd);
	return names->nr;
}

int probe_dwarf_members(const char *file, uint64_t vaddr, const struct probe_spec *spec,
			struct probe_member *members)
{
	Dwarf_Die sub;
	Dwarf *dw = NULL;
	int fd = -1, ret = 0, nr_access = 0;

	for (int i = 0; i < spec->nr_args; i++)
		nr_access += spec->args[i].fetch->nr_steps > 0;
	/* Reading a big library's DWARF again takes time: only when there is a member. */
	if (!nr_access || open_subprogram(file, vaddr, &fd, &dw, &sub) < 0)
		goto out;	/* no DWARF: members stay unresolved, and say so */
	for (int i = 0; i < spec->nr_args && ret == 0; i++) {
		const struct probe_fetch *f = spec->args[i].fetch;

		if (f->nr_steps && dw_member_access(&sub, f, spec->args[i].raw, &members[i]) < 0)
			ret = -1;
	}
out:
	if (dw)
		dwarf_end(dw);
	if (fd >= 0)
		close(fd);
	return ret;
}
