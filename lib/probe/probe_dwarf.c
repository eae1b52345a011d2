// SPDX-License-Identifier: LGPL-2.1
/*
 * User function parameters from DWARF, with libdw: names and C types. Where
 * they are at the entry comes from the calling convention (probe_func_assign_abi),
 * which holds at the first instruction whatever the optimisation level; DWARF
 * locations of -O0 code point at stack slots that the prologue has not filled yet.
 */
#include "probe/probe_func.h"
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
