// SPDX-License-Identifier: GPL-2.0
/*
 * Member access in user probes through DWARF: tests/progs/stack_chain.c's
 * struct point, compiled here with DWARF 4 (bit fields as DW_AT_bit_offset)
 * and DWARF 5 (DW_AT_data_bit_offset). The offsets are the x86-64 ABI's layout
 * of that struct (pahole -C point on the binary prints the same). Skips
 * without a C compiler.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "probe/probe.h"
#include "util.h"

static char tmpdir[] = "/tmp/sidetrace-dwarf-XXXXXX";

static char *build(const char *dwarf)
{
	char *path = xasprintf("%s/stack_chain%s", tmpdir, dwarf);
	char *cmd = xasprintf("cc -O1 %s -fno-omit-frame-pointer -o '%s' tests/progs/stack_chain.c 2>/dev/null",
			      dwarf, path);
	int r = system(cmd);

	free(cmd);
	if (r != 0) {
		free(path);
		skip();
	}
	return path;
}

static void expect_def(const char *bin, const char *spec_str, const char *want_args)
{
	struct probe_spec spec;
	struct probe_site site;
	char *line, *want;

	assert_int_equal(probe_spec_parse(spec_str, &spec), 0);
	if (probe_resolve_user(&spec, bin, &site) < 0)
		fail_msg("'%s': %s", spec_str, st_last_error());
	line = probe_definition(&spec, &site, "g", "e");
	if (!line)
		fail_msg("'%s': %s", spec_str, st_last_error());
	want = xasprintf("p:g/e %s:0x%llx %s", site.path, (unsigned long long)site.file_offset,
			 want_args);
	if (strcmp(line, want))
		fail_msg("'%s':\n got  %s\n want %s", spec_str, line, want);
	free(want);
	free(line);
	probe_site_free(&site);
	probe_spec_free(&spec);
}

static void expect_error(const char *bin, const char *spec_str, const char *needle)
{
	struct probe_spec spec;
	struct probe_site site;
	char *line = NULL;

	assert_int_equal(probe_spec_parse(spec_str, &spec), 0);
	if (probe_resolve_user(&spec, bin, &site) == 0) {
		line = probe_definition(&spec, &site, "g", "e");
		probe_site_free(&site);
	}
	probe_spec_free(&spec);
	if (line)
		fail_msg("'%s' was accepted: %s", spec_str, line);
	if (!strstr(st_last_error(), needle) || strchr(st_last_error(), '\n'))
		fail_msg("'%s': message '%s' lacks '%s' (or is not one line)", spec_str,
			 st_last_error(), needle);
}

static void check_members(const char *dwarf)
{
	char *bin = build(dwarf);

	expect_def(bin, "inner p->x p->y", "x=+0(%di):s32 y=+4(%di):s32");
	expect_def(bin, "inner p->name", "name=+0(+8(%di)):ustring");
	expect_def(bin, "inner p->name:string", "name=+0(+8(%di)):ustring");
	expect_def(bin, "inner n=p->next->name:x64", "n=+8(+16(%di)):x64");
	expect_def(bin, "inner p->next->next->y", "y=+4(+16(+16(%di))):s32");
	expect_def(bin, "inner p->flags p->mode", "flags=+24(%di):b3@0/32 mode=+24(%di):b5@3/32");
	expect_def(bin, "inner p->vals[2] p->vals[3]:x64", "vals_2=+48(%di):s64 vals_3=+56(%di):x64");
	expect_def(bin, "inner p->part.level p->part.tag", "level=+64(%di):s16 tag=+66(%di):ustring");
	expect_def(bin, "inner p->part.tag[3]", "tag_3=+69(%di):s8");
	/* Members of an anonymous union, in place. */
	expect_def(bin, "inner p->raw p->bytes[1]", "raw=+76(%di):u32 bytes_1=+77(%di):u8");
	expect_def(bin, "inner $arg1->y", "y=+4(%di):s32");
	expect_def(bin, "inner p[1].x", "x=+80(%di):s32");
	/* :string on any pointer reads where it points. */
	expect_def(bin, "inner p->next:string", "next=+0(+16(%di)):ustring");
	free(bin);
}

static void test_dwarf5(void **state)
{
	check_members("-gdwarf-5");
}

static void test_dwarf4(void **state)
{
	check_members("-gdwarf-4");
}

static void test_errors(void **state)
{
	char *bin = build("-g");

	expect_error(bin, "inner p->nme", "'p->nme': struct point has no member 'nme'; did you mean name? (members: x, y, name, next, flags, mode, vals, part, raw, bytes)");
	expect_error(bin, "inner p->part.lvl", "struct inner_part has no member 'lvl'; did you mean level?");
	expect_error(bin, "inner p.x", "'.x' on 'p', which is a pointer (struct point *): use '->x'");
	expect_error(bin, "inner p->part->level", "'->level' on 'part', which is not a pointer (struct inner_part): use '.level'");
	expect_error(bin, "inner p->x->y", "'->y' on 'x', which is int: neither a pointer nor a struct");
	expect_error(bin, "inner p->x:string", "a string needs a char array or a pointer, and this is int");
	expect_error(bin, "inner p->name->x", "'name' is char, not a struct or union: it has no member 'x'");
	expect_error(bin, "inner%return $retval->x", "'->x' on '$retval', which is int: neither a pointer nor a struct");
	expect_error(bin, "inner p->vals[4]", "index 4 is past the end of 'vals' (long int[4])");
	expect_error(bin, "inner p->vals", "'vals' is an array (long int[4]): add an index, e.g. vals[0]");
	expect_error(bin, "inner p->part", "'part' is struct inner_part, which cannot be fetched as a value");
	expect_error(bin, "inner p->y[1]", "'[1]' on 'y', which is int, not an array or a pointer");
	expect_error(bin, "inner p->flags.x", "'flags' is a bit field: it has no members");
	expect_error(bin, "inner q->x", "inner has no parameter 'q' (DWARF: p)");
	expect_error(bin, "inner%return p->x", "not available in a return probe");
	free(bin);
}

/* -V's listing: the members of what p points to, each compiled or "not a value". */
static void test_pointee_members(void **state)
{
	char *bin = build("-g");
	struct probe_spec spec;
	struct probe_site site;
	struct strlist names = { 0 };
	struct probe_member *m;
	int n;

	assert_int_equal(probe_spec_parse("inner", &spec), 0);
	assert_int_equal(probe_resolve_user(&spec, bin, &site), 0);
	assert_non_null(site.dwarf_file);
	n = probe_dwarf_pointee_members(site.dwarf_file, site.vaddr, "p", &names, &m);
	assert_int_equal(n, 10);
	assert_string_equal(names.items[2], "name");
	assert_true(m[2].resolved && m[2].char_ptr);
	assert_int_equal(m[2].offs[0], 8);
	assert_string_equal(m[2].ctype, "const char *");
	assert_string_equal(names.items[5], "mode");
	assert_string_equal(m[5].type, "b5@3/32");
	assert_string_equal(names.items[6], "vals");
	assert_false(m[6].resolved);	/* an array: add an index */
	assert_string_equal(names.items[9], "bytes");	/* inside the anonymous union */
	free(m);
	strlist_free(&names);
	/* A parameter that is not a struct pointer has none. */
	assert_int_equal(probe_dwarf_pointee_members(site.dwarf_file, site.vaddr, "nosuch", &names, &m), 0);
	assert_null(m);
	probe_site_free(&site);
	probe_spec_free(&spec);
	free(bin);
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int r = system(cmd);

	free(cmd);
	return r;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dwarf5),
		cmocka_unit_test(test_dwarf4),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_pointee_members),
	};
	char *top = xstrdup(argv[0]), *slash = strstr(top, "tests/unit/");

	/* Run from the top directory, where tests/progs is. */
	if (slash) {
		*slash = '\0';
		if (*top && chdir(top) < 0)
			return 1;
	}
	free(top);
	return cmocka_run_group_tests(tests, setup, teardown);
}
