// SPDX-License-Identifier: GPL-2.0
/*
 * Cut a kernel's BTF down to a test fixture: the functions named on the command
 * line, their prototypes and the structs they reach, with the same layout.
 * Named structs and unions outside the kept list become char arrays of their
 * size where they are embedded, and void where they are pointed to, so the
 * fixture stays small while every kept member keeps its offset. Anonymous ones
 * are copied (member lookup goes through them).
 *
 *   cc -o /tmp/btf-subset scripts/btf-subset.c -lbpf
 *   /tmp/btf-subset VMLINUX OUT.btf STRUCTS FUNC...   (STRUCTS: comma-separated)
 *
 * tests/fixtures/btf/README.md says how the fixture was made.
 */
#include <bpf/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct btf *src, *dst;
static int *map;		/* src id -> dst id; 0: not copied yet */
static char *kept_names;	/* ",file,path,...," */
static struct { int ptr, target; } *fixups;	/* pointers to kept structs, patched at the end */
static int nr_fixups;

static int copy(int id);

static const char *name_of(const struct btf_type *t)
{
	const char *n = btf__name_by_offset(src, t->name_off);

	return n ? n : "";
}

static bool kept(const struct btf_type *t)
{
	char key[256];

	if (!*name_of(t))
		return true;
	snprintf(key, sizeof(key), ",%s,", name_of(t));
	return strstr(kept_names, key) != NULL;
}

static int char_array(int size)
{
	int chr = btf__find_by_name_kind(dst, "char", BTF_KIND_INT);
	int idx = btf__find_by_name_kind(dst, "__ARRAY_SIZE_TYPE__", BTF_KIND_INT);

	if (chr < 0)
		chr = btf__add_int(dst, "char", 1, 0);
	if (idx < 0)
		idx = btf__add_int(dst, "__ARRAY_SIZE_TYPE__", 4, 0);
	return btf__add_array(dst, idx, chr, size);
}

static int copy_composite(int id, const struct btf_type *t)
{
	int n = btf_vlen(t), out;
	int *types = calloc(n + 1, sizeof(*types));

	if (!kept(t))
		return map[id] = char_array(t->size);
	for (int i = 0; i < n; i++)
		types[i] = copy(btf_members(t)[i].type);
	out = btf_is_struct(t) ? btf__add_struct(dst, name_of(t), t->size) :
				 btf__add_union(dst, name_of(t), t->size);
	for (int i = 0; i < n; i++)
		btf__add_field(dst, btf__name_by_offset(src, btf_members(t)[i].name_off), types[i],
			       btf_member_bit_offset(t, i), btf_member_bitfield_size(t, i));
	free(types);
	return map[id] = out;
}

static int copy_ptr(int id, const struct btf_type *t)
{
	int target = t->type;
	const struct btf_type *to = btf__type_by_id(src, target);
	int out;

	/* Through typedefs and qualifiers, a pointer to a struct not kept is a void *. */
	while (to && (btf_is_typedef(to) || btf_is_mod(to) || btf_is_type_tag(to)))
		to = btf__type_by_id(src, to->type);
	if (to && (btf_is_composite(to) || btf_is_fwd(to)) && (btf_is_fwd(to) || !kept(to)))
		return map[id] = btf__add_ptr(dst, 0);
	if (to && btf_is_composite(to) && !map[target]) {
		/* Maybe a cycle (struct file -> struct file): patched once everything is in. */
		out = btf__add_ptr(dst, 0);
		fixups = realloc(fixups, (nr_fixups + 1) * sizeof(*fixups));
		fixups[nr_fixups].ptr = out;
		fixups[nr_fixups++].target = target;
		return map[id] = out;
	}
	return map[id] = btf__add_ptr(dst, target ? copy(target) : 0);
}

static int copy_proto(int id, const struct btf_type *t)
{
	int n = btf_vlen(t), ret = t->type ? copy(t->type) : 0, out;
	int *types = calloc(n + 1, sizeof(*types));

	for (int i = 0; i < n; i++)
		types[i] = btf_params(t)[i].type ? copy(btf_params(t)[i].type) : 0;
	out = btf__add_func_proto(dst, ret);
	for (int i = 0; i < n; i++)
		btf__add_func_param(dst, btf__name_by_offset(src, btf_params(t)[i].name_off), types[i]);
	free(types);
	return map[id] = out;
}

static int copy(int id)
{
	const struct btf_type *t = btf__type_by_id(src, id);
	int inner;

	if (!id)
		return 0;
	if (map[id])
		return map[id];
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return map[id] = btf__add_int(dst, name_of(t), t->size, btf_int_encoding(t));
	case BTF_KIND_FLOAT:
		return map[id] = btf__add_float(dst, name_of(t), t->size);
	case BTF_KIND_ENUM:
		map[id] = btf__add_enum(dst, name_of(t), t->size);
		btf__add_enum_value(dst, "ANY", 0);
		return map[id];
	case BTF_KIND_ENUM64:
		map[id] = btf__add_enum64(dst, name_of(t), t->size, btf_kflag(t));
		btf__add_enum64_value(dst, "ANY", 0);
		return map[id];
	case BTF_KIND_PTR:
		return copy_ptr(id, t);
	case BTF_KIND_ARRAY:
		inner = copy(btf_array(t)->type);
		return map[id] = btf__add_array(dst, copy(btf_array(t)->index_type), inner,
					       btf_array(t)->nelems);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return copy_composite(id, t);
	case BTF_KIND_FWD:
		return map[id] = btf__add_fwd(dst, name_of(t), btf_kflag(t));
	case BTF_KIND_TYPEDEF:
		inner = copy(t->type);
		return map[id] = btf__add_typedef(dst, name_of(t), inner);
	case BTF_KIND_VOLATILE:
		inner = copy(t->type);
		return map[id] = btf__add_volatile(dst, inner);
	case BTF_KIND_CONST:
		inner = copy(t->type);
		return map[id] = btf__add_const(dst, inner);
	case BTF_KIND_RESTRICT:
		inner = copy(t->type);
		return map[id] = btf__add_restrict(dst, inner);
	case BTF_KIND_TYPE_TAG:
		inner = copy(t->type);
		return map[id] = btf__add_type_tag(dst, name_of(t), inner);
	case BTF_KIND_FUNC_PROTO:
		return copy_proto(id, t);
	case BTF_KIND_FUNC:
		inner = copy(t->type);
		return map[id] = btf__add_func(dst, name_of(t), (enum btf_func_linkage)btf_vlen(t), inner);
	}
	fprintf(stderr, "btf-subset: kind %d of type %d is not handled\n", btf_kind(t), id);
	exit(1);
}

int main(int argc, char **argv)
{
	const void *raw;
	__u32 size;
	FILE *out;

	if (argc < 5) {
		fprintf(stderr, "usage: btf-subset VMLINUX OUT.btf STRUCT,STRUCT... FUNC...\n");
		return 2;
	}
	src = btf__parse(argv[1], NULL);
	dst = btf__new_empty();
	if (!src || !dst)
		return 1;
	map = calloc(btf__type_cnt(src), sizeof(*map));
	kept_names = malloc(strlen(argv[3]) + 3);
	sprintf(kept_names, ",%s,", argv[3]);
	for (int i = 4; i < argc; i++) {
		int id = btf__find_by_name_kind(src, argv[i], BTF_KIND_FUNC);

		if (id < 0) {
			fprintf(stderr, "btf-subset: no function %s\n", argv[i]);
			return 1;
		}
		copy(id);
	}
	/* copy() may add types (and move them in memory): the pointer is looked up after it. */
	for (int i = 0; i < nr_fixups; i++) {
		int target = copy(fixups[i].target);

		((struct btf_type *)btf__type_by_id(dst, fixups[i].ptr))->type = target;
	}
	raw = btf__raw_data(dst, &size);
	out = fopen(argv[2], "wb");
	if (!raw || !out || fwrite(raw, 1, size, out) != size || fclose(out))
		return 1;
	printf("%s: %u bytes, %d types\n", argv[2], size, btf__type_cnt(dst) - 1);
	return 0;
}
