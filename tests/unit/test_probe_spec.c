// SPDX-License-Identifier: GPL-2.0
/*
 * The pure parts of `sidetrace probe`: perf-probe spec parsing (every form and
 * the errors), event names, definition lines for kprobes and uprobes, reading
 * kprobe_events/uprobe_events lines back, the calling-convention mapping and
 * "did you mean". No tracefs, no root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "probe/probe.h"
#include "util.h"

/* ---- parsing ---- */

static void test_parse_plain_function(void **state)
{
	struct probe_spec s;

	assert_int_equal(probe_spec_parse("do_sys_openat2", &s), 0);
	assert_string_equal(s.func, "do_sys_openat2");
	assert_null(s.group);
	assert_null(s.event);
	assert_false(s.ret);
	assert_int_equal(s.offset, 0);
	assert_int_equal(s.nr_args, 0);
	probe_spec_free(&s);
}

static void test_parse_names_offset_return(void **state)
{
	struct probe_spec s;

	assert_int_equal(probe_spec_parse("mygrp:myev=vfs_read+0x10", &s), 0);
	assert_string_equal(s.group, "mygrp");
	assert_string_equal(s.event, "myev");
	assert_string_equal(s.func, "vfs_read");
	assert_int_equal(s.offset, 16);
	probe_spec_free(&s);

	assert_int_equal(probe_spec_parse("ev=readline%return", &s), 0);
	assert_null(s.group);
	assert_string_equal(s.event, "ev");
	assert_true(s.ret);
	probe_spec_free(&s);

	assert_int_equal(probe_spec_parse("  foo+12   ", &s), 0);
	assert_int_equal(s.offset, 12);
	probe_spec_free(&s);
}

static void test_parse_versions_and_escapes(void **state)
{
	struct probe_spec s;

	assert_int_equal(probe_spec_parse("readline@@GLIBC_2.14", &s), 0);
	assert_string_equal(s.func, "readline@@GLIBC_2.14");
	probe_spec_free(&s);
	assert_int_equal(probe_spec_parse("malloc\\@GLIBC_2.2.5%return", &s), 0);
	assert_string_equal(s.func, "malloc@GLIBC_2.2.5");
	assert_true(s.ret);
	probe_spec_free(&s);
	assert_int_equal(probe_spec_parse("\"foo.cold\"", &s), 0);
	assert_string_equal(s.func, "foo.cold");
	probe_spec_free(&s);
	assert_int_equal(probe_spec_parse("0x1130", &s), 0);
	assert_null(s.func);
	assert_int_equal(s.addr, 0x1130);
	probe_spec_free(&s);
}

static void test_parse_arguments(void **state)
{
	struct probe_spec s;
	const struct probe_fetch *f;

	assert_int_equal(probe_spec_parse("do_sys_openat2 filename:string fd=dfd $arg3:x32 %ax "
					  "n=+8(+0(%di)):u16 @jiffies $stack2 $comm \\123 x=-4(%sp):s32 "
					  "p=+u0(%si):ustring $params", &s), 0);
	assert_int_equal(s.nr_args, 12);
	assert_int_equal(s.args[0].fetch->kind, PROBE_FETCH_VAR);
	assert_string_equal(s.args[0].fetch->text, "filename");
	assert_string_equal(s.args[0].type, "string");
	assert_null(s.args[0].name);
	assert_string_equal(s.args[1].name, "fd");
	assert_string_equal(s.args[1].fetch->text, "dfd");
	assert_int_equal(s.args[2].fetch->kind, PROBE_FETCH_ARGN);
	assert_int_equal(s.args[2].fetch->argn, 3);
	assert_string_equal(s.args[2].type, "x32");
	assert_int_equal(s.args[3].fetch->kind, PROBE_FETCH_REG);
	assert_string_equal(s.args[3].fetch->text, "ax");
	f = s.args[4].fetch;
	assert_int_equal(f->kind, PROBE_FETCH_DEREF);
	assert_int_equal(f->offset, 8);
	assert_int_equal(f->inner->kind, PROBE_FETCH_DEREF);
	assert_int_equal(f->inner->inner->kind, PROBE_FETCH_REG);
	assert_string_equal(s.args[4].type, "u16");
	assert_int_equal(s.args[5].fetch->kind, PROBE_FETCH_MEM);
	assert_int_equal(s.args[6].fetch->kind, PROBE_FETCH_STACK);
	assert_int_equal(s.args[7].fetch->kind, PROBE_FETCH_COMM);
	assert_int_equal(s.args[8].fetch->kind, PROBE_FETCH_IMM);
	assert_int_equal(s.args[9].fetch->offset, -4);
	assert_true(s.args[10].fetch->user);
	assert_int_equal(s.args[11].fetch->kind, PROBE_FETCH_PARAMS);
	probe_spec_free(&s);

	assert_int_equal(probe_spec_parse("readline%return +0($retval):string", &s), 0);
	assert_int_equal(s.args[0].fetch->kind, PROBE_FETCH_DEREF);
	assert_int_equal(s.args[0].fetch->inner->kind, PROBE_FETCH_RETVAL);
	assert_string_equal(s.args[0].type, "string");
	probe_spec_free(&s);

	assert_int_equal(probe_spec_parse("f name:string@user", &s), 0);
	assert_true(s.args[0].user);
	probe_spec_free(&s);
}

/* Each bad spec fails, and the message names the culprit. */
static void expect_error(const char *spec, const char *needle)
{
	struct probe_spec s;

	assert_int_equal(probe_spec_parse(spec, &s), -1);
	if (!strstr(st_last_error(), needle))
		fail_msg("'%s': message '%s' lacks '%s'", spec, st_last_error(), needle);
	assert_null(s.func);
	assert_null(s.args);
}

static void test_parse_errors(void **state)
{
	expect_error("", "empty");
	expect_error("   ", "empty");
	expect_error("1grp:ev=foo", "'1grp' is not a C identifier");
	expect_error("grp:e-v=foo", "'e-v' is not a C identifier");
	expect_error("ev=", "no function");
	expect_error("foo+bar", "'bar' is not a number");
	expect_error("foo+4%return", "%return cannot be combined with +OFFS");
	expect_error("foo%entry", "unknown suffix '%entry'");
	expect_error("foo:12", "source lines");
	expect_error("fs/open.c:100", "source lines");
	expect_error("foo;x = 1", "lazy line patterns");
	expect_error("schedule*", "globs are not supported");
	expect_error("foo-bar", "'-' cannot appear");
	expect_error("0xzz", "not an address");
	expect_error("foo x:u12", "unknown type 'u12'");
	expect_error("foo %rax", "unknown register '%rax'");
	expect_error("foo $argx", "unknown variable '$argx'");
	expect_error("foo $arg0", "numbered from $arg1");
	expect_error("foo +8%di", "+OFFS(FETCH)");
	expect_error("foo +x(%di)", "'x' is not an offset");
	expect_error("foo +8(%zz)", "unknown register '%zz'");
	expect_error("foo 1bad=%di", "'1bad' is not a C identifier");
	expect_error("foo p->", "'->' needs a member name");
	expect_error("foo ok=%di bad!", "'bad!' is not a parameter name");
	expect_error("foo $params:u32", "$params takes no name or type");
	expect_error("\"foo", "unterminated double quote");
	expect_error("a_very_long_event_name_that_goes_past_the_sixty_three_character_limit=foo",
		     "longer than 63");
	/* Control characters are named, escaped, with their place in the word. */
	expect_error("main a\x01" "b", "probe argument 'a\\x01b': control character at 2");
	expect_error("main ok \x7f", "probe argument '\\x7f': control character at 1");
	expect_error("main\x1b[2J x", "probe point 'main\\x1b[2J': control character at 5");
	expect_error("main \"a\tb\"", "probe argument '\"a\\x09b\"': control character at 3");
}

/* PARAM->a.b[3] is parsed into steps; BTF turns them into offsets later. */
static void test_parse_member_access(void **state)
{
	struct probe_spec s;
	const struct probe_fetch *f;

	assert_int_equal(probe_spec_parse("vfs_read file->f_path.dentry->d_name.name:string "
					  "$arg2[0x10] p->a[3][1]", &s), 0);
	assert_int_equal(s.nr_args, 3);
	f = s.args[0].fetch;
	assert_int_equal(f->kind, PROBE_FETCH_VAR);
	assert_string_equal(f->text, "file");
	assert_int_equal(f->nr_steps, 4);
	assert_int_equal(f->steps[0].kind, PROBE_STEP_ARROW);
	assert_string_equal(f->steps[0].member, "f_path");
	assert_int_equal(f->steps[1].kind, PROBE_STEP_DOT);
	assert_string_equal(f->steps[1].member, "dentry");
	assert_int_equal(f->steps[2].kind, PROBE_STEP_ARROW);
	assert_int_equal(f->steps[3].kind, PROBE_STEP_DOT);
	assert_string_equal(f->steps[3].member, "name");
	assert_string_equal(s.args[0].type, "string");
	f = s.args[1].fetch;
	assert_int_equal(f->kind, PROBE_FETCH_ARGN);
	assert_int_equal(f->argn, 2);
	assert_int_equal(f->nr_steps, 1);
	assert_int_equal(f->steps[0].kind, PROBE_STEP_INDEX);
	assert_int_equal(f->steps[0].index, 16);
	f = s.args[2].fetch;
	assert_int_equal(f->nr_steps, 3);
	assert_int_equal(f->steps[2].index, 1);
	probe_spec_free(&s);
}

/* Malformed member expressions: one clear line each. */
static void test_parse_member_errors(void **state)
{
	expect_error("foo p->", "'p->': '->' needs a member name after it");
	expect_error("foo p.", "'p.': '.' needs a member name after it");
	expect_error("foo p->a..b", "'.' needs a member name after it");
	expect_error("foo p->->a", "'->' needs a member name after it");
	expect_error("foo p->1x", "member name '1x' is not a C identifier");
	expect_error("foo p.a$b", "member name 'a$b' is not a C identifier");
	expect_error("foo p[", "'[' without ']'");
	expect_error("foo p[2", "'[' without ']'");
	expect_error("foo p]", "']' without '['");
	expect_error("foo p[]", "array index '' is not a number");
	expect_error("foo p[x]", "array index 'x' is not a number");
	expect_error("foo p[-1]", "array index '-1' is not a number");
	expect_error("foo p[99999999999]", "array index '99999999999' is not a number");
	expect_error("foo p[1]x", "'x' is not ->MEMBER, .MEMBER or [INDEX]");
	expect_error("foo p-a", "'-a' is not ->MEMBER, .MEMBER or [INDEX]");
	expect_error("foo p->a-", "'-' is not ->MEMBER, .MEMBER or [INDEX]");
	expect_error("foo p.a.", "'.' needs a member name after it");
	expect_error("foo .a", "a member access starts with a parameter name");
	expect_error("foo 1p->a", "'1p' is not a parameter name, $argN or $retval");
	expect_error("foo %di->a", "'%di' is not a parameter name, $argN or $retval");
	expect_error("foo $comm->a", "use a parameter name, $argN or $retval");
	expect_error("foo $stack1->a", "use a parameter name, $argN or $retval");
	expect_error("foo $params->a", "use a parameter name, $argN or $retval");
	expect_error("foo @sym->a", "'@sym->a': @SYM has no type for ->a or [N]: use +OFFS(@SYM)");
	expect_error("foo p->a[1", "'[' without ']'");
	expect_error("foo p->a[0x]", "array index '0x' is not a number");
	expect_error("foo p->a:string:u8", "member name 'a:string' is not a C identifier");
	expect_error("foo p->a]", "']' without '['");
	expect_error("foo $arg0->a", "numbered from $arg1");
	expect_error("foo x=p->a:u12", "unknown type 'u12'");
}

/* ---- names ---- */

static void test_default_names(void **state)
{
	char *s;

	s = probe_default_group(true, NULL);
	assert_string_equal(s, "probe");
	free(s);
	s = probe_default_group(false, "/usr/bin/bash");
	assert_string_equal(s, "probe_bash");
	free(s);
	s = probe_default_group(false, "/lib/x86_64-linux-gnu/libc.so.6");
	assert_string_equal(s, "probe_libc");
	free(s);
	s = probe_default_group(false, "/opt/x/my-tool");
	assert_string_equal(s, "probe_my");
	free(s);
	s = probe_default_event("readline", true);
	assert_string_equal(s, "readline__return");
	free(s);
	s = probe_default_event("do_sys_openat2", false);
	assert_string_equal(s, "do_sys_openat2");
	free(s);
	s = probe_default_event("malloc@GLIBC_2.2.5", false);
	assert_string_equal(s, "malloc");
	free(s);
	s = probe_default_event("foo.isra.0", false);
	assert_string_equal(s, "foo");
	free(s);
}

/* ---- definitions ---- */

/* do_sys_openat2(int dfd, const char __user *filename, struct open_how *how) as BTF gives it. */
static struct probe_func *openat2_func(void)
{
	struct probe_func *f = calloc(1, sizeof(*f));

	f->name = strdup("do_sys_openat2");
	f->source = "BTF";
	f->nr_params = 3;
	f->params = calloc(3, sizeof(*f->params));
	f->params[0] = (struct probe_param){ .name = strdup("dfd"), .size = 4, .is_signed = true };
	f->params[1] = (struct probe_param){ .name = strdup("filename"), .size = 8, .is_pointer = true,
					     .is_char_ptr = true, .user = true };
	f->params[2] = (struct probe_param){ .name = strdup("how"), .size = 8, .is_pointer = true };
	f->have_ret = true;
	f->ret = (struct probe_param){ .size = 8, .is_signed = true };
	probe_func_assign_abi(f);
	return f;
}

static char *kdef(const char *str)
{
	struct probe_site site = { .kernel = true, .symbol = strdup("do_sys_openat2"),
				   .func = openat2_func() };
	struct probe_spec spec;
	char *line = NULL, *event;

	if (probe_spec_parse(str, &spec) == 0) {
		event = spec.event ? strdup(spec.event) : probe_default_event("do_sys_openat2", spec.ret);
		line = probe_definition(&spec, &site, spec.group ? spec.group : "probe", event);
		free(event);
		probe_spec_free(&spec);
	}
	probe_site_free(&site);
	return line;
}

static void expect_kdef(const char *spec, const char *want)
{
	char *line = kdef(spec);

	if (!line)
		fail_msg("'%s': %s", spec, st_last_error());
	assert_string_equal(line, want);
	free(line);
}

static void expect_kdef_error(const char *spec, const char *needle)
{
	char *line = kdef(spec);

	assert_null(line);
	if (!strstr(st_last_error(), needle))
		fail_msg("'%s': message '%s' lacks '%s'", spec, st_last_error(), needle);
}

static void test_kernel_definitions(void **state)
{
	expect_kdef("do_sys_openat2 filename:string",
		    "p:probe/do_sys_openat2 do_sys_openat2 filename=+0(%si):ustring");
	expect_kdef("do_sys_openat2 dfd fn=filename:string how",
		    "p:probe/do_sys_openat2 do_sys_openat2 dfd=%di:s32 fn=+0(%si):ustring how=%dx:x64");
	/* $argN becomes its register: 6.1 refuses $arg2:string */
	expect_kdef("do_sys_openat2 $arg2:string $arg1",
		    "p:probe/do_sys_openat2 do_sys_openat2 +0(%si):ustring %di:s32");
	expect_kdef("do_sys_openat2%return $retval",
		    "r:probe/do_sys_openat2__return do_sys_openat2 $retval:s64");
	expect_kdef("do_sys_openat2%return ret=$retval:x32",
		    "r:probe/do_sys_openat2__return do_sys_openat2 ret=$retval:x32");
	/* $params: every parameter, typed from BTF; one given on its own keeps its form. */
	expect_kdef("do_sys_openat2 $params",
		    "p:probe/do_sys_openat2 do_sys_openat2 dfd=%di:s32 filename=%si:x64 how=%dx:x64");
	expect_kdef("do_sys_openat2 $params filename:string",
		    "p:probe/do_sys_openat2 do_sys_openat2 dfd=%di:s32 how=%dx:x64 filename=+0(%si):ustring");
	expect_kdef("do_sys_openat2 dfd=$arg1:x32 $vars",
		    "p:probe/do_sys_openat2 do_sys_openat2 dfd=%di:x32 filename=%si:x64 how=%dx:x64");
	expect_kdef_error("do_sys_openat2%return $params", "$params is not available in a return probe");
	/* kernel strings that are not __user stay string */
	expect_kdef("do_sys_openat2 %dx:string +0(%si):string",
		    "p:probe/do_sys_openat2 do_sys_openat2 +0(%dx):string +0(%si):string");
	expect_kdef("do_sys_openat2+4 %ax @jiffies:u64 $stack1 $comm",
		    "p:probe/do_sys_openat2 do_sys_openat2+4 %ax @jiffies:u64 $stack1 $comm");
	expect_kdef("g:e=do_sys_openat2 $params",
		    "p:g/e do_sys_openat2 dfd=%di:s32 filename=%si:x64 how=%dx:x64");
	expect_kdef("do_sys_openat2 x=+8(+0(how)):u32",
		    "p:probe/do_sys_openat2 do_sys_openat2 x=+8(+0(%dx)):u32");
	expect_kdef_error("do_sys_openat2 nosuch", "has no parameter 'nosuch' (BTF: dfd, filename, how)");
	expect_kdef_error("do_sys_openat2 $retval", "$retval needs a return probe");
	expect_kdef_error("do_sys_openat2%return filename", "not available in a return probe");
	expect_kdef_error("do_sys_openat2+8 dfd", "only known at the function's entry");
	expect_kdef_error("do_sys_openat2 $arg4", "do_sys_openat2 has 3 parameters");
}

/* A site whose first argument's member access BTF resolved as given. */
static char *kdef_member(const char *str, const struct probe_member *m, bool kernel)
{
	struct probe_site site = { .kernel = kernel, .symbol = strdup("do_sys_openat2"),
				   .path = kernel ? NULL : strdup("/bin/true"),
				   .func = openat2_func() };
	struct probe_spec spec;
	char *line = NULL;

	if (probe_spec_parse(str, &spec) == 0) {
		site.members = calloc(spec.nr_args + 1, sizeof(*site.members));
		site.members[0] = *m;
		line = probe_definition(&spec, &site, "probe", "ev");
		probe_spec_free(&spec);
	}
	probe_site_free(&site);
	return line;
}

static void expect_member(const char *str, const struct probe_member *m, const char *want)
{
	char *line = kdef_member(str, m, true);

	if (!line)
		fail_msg("'%s': %s", str, st_last_error());
	assert_string_equal(line, want);
	free(line);
}

static void test_member_definitions(void **state)
{
	struct probe_member char_ptr = { .resolved = true, .nr_loads = 2, .offs = { 72, 40 },
					 .type = "string", .char_ptr = true, .pointer = true };
	struct probe_member char_array = { .resolved = true, .nr_loads = 1, .offs = { 1752 },
					   .type = "string", .char_array = true };
	struct probe_member bits = { .resolved = true, .nr_loads = 1, .offs = { 126 },
				     .type = "b1@0/8" };
	struct probe_member neg = { .resolved = true, .nr_loads = 1, .offs = { -8 }, .type = "s32" };
	char *line;

	expect_member("do_sys_openat2 how->a.b->name", &char_ptr,
		      "p:probe/ev do_sys_openat2 name=+0(+40(+72(%dx))):string");
	expect_member("do_sys_openat2 how->a.b->name:ustring", &char_ptr,
		      "p:probe/ev do_sys_openat2 name=+0(+40(+72(%dx))):ustring");
	/* An explicit type other than a string reads the pointer itself. */
	expect_member("do_sys_openat2 n=how->a.b->name:x64", &char_ptr,
		      "p:probe/ev do_sys_openat2 n=+40(+72(%dx)):x64");
	expect_member("do_sys_openat2 $arg3->comm", &char_array,
		      "p:probe/ev do_sys_openat2 comm=+1752(%dx):string");
	expect_member("do_sys_openat2 how->comm[3]", &char_array,
		      "p:probe/ev do_sys_openat2 comm_3=+1752(%dx):string");
	expect_member("do_sys_openat2 how->cloned", &bits,
		      "p:probe/ev do_sys_openat2 cloned=+126(%dx):b1@0/8");
	expect_member("do_sys_openat2 how[0]", &neg, "p:probe/ev do_sys_openat2 how_0=-8(%dx):s32");
	/* filename is a user pointer (do_sys_*): its first load reads user memory. */
	expect_member("do_sys_openat2 filename[2]", &(struct probe_member){ .resolved = true,
		      .nr_loads = 1, .offs = { 2 }, .type = "u8" },
		      "p:probe/ev do_sys_openat2 filename_2=+u2(%si):u8");
	expect_member("do_sys_openat2 $arg3->m[1][2]", &neg,
		      "p:probe/ev do_sys_openat2 m_1_2=-8(%dx):s32");
	line = kdef_member("do_sys_openat2%return how->comm", &char_array, true);
	assert_null(line);
	assert_non_null(strstr(st_last_error(), "not available in a return probe"));
	line = kdef_member("do_sys_openat2 how->comm", &(struct probe_member){ 0 }, true);
	assert_null(line);
	assert_non_null(strstr(st_last_error(), "needs the parameter's type from the kernel's BTF"));
	line = kdef_member("do_sys_openat2 how->comm", &(struct probe_member){ 0 }, false);
	assert_null(line);
	assert_non_null(strstr(st_last_error(), "needs the parameter's type from DWARF"));
}

static void test_user_definitions(void **state)
{
	struct probe_site site = { .kernel = false, .symbol = strdup("readline"),
				   .path = strdup("/usr/bin/bash"), .file_offset = 0xc6c20,
				   .func = probe_func_unknown("readline") };
	struct probe_spec spec;
	char *line;

	assert_int_equal(probe_spec_parse("readline%return +0($retval):string", &spec), 0);
	line = probe_definition(&spec, &site, "probe_bash", "readline__return");
	assert_string_equal(line, "r:probe_bash/readline__return /usr/bin/bash:0xc6c20 +0($retval):string");
	free(line);
	probe_spec_free(&spec);

	/* $retval:string and $arg1:string get their dereference, as user strings */
	assert_int_equal(probe_spec_parse("readline%return line=$retval:string", &spec), 0);
	line = probe_definition(&spec, &site, "probe_bash", "readline__return");
	assert_string_equal(line, "r:probe_bash/readline__return /usr/bin/bash:0xc6c20 line=+0($retval):ustring");
	free(line);
	probe_spec_free(&spec);

	assert_int_equal(probe_spec_parse("readline prompt=$arg1:string $arg2 $arg8 @+0x730:x8", &spec), 0);
	line = probe_definition(&spec, &site, "probe_bash", "readline");
	assert_string_equal(line, "p:probe_bash/readline /usr/bin/bash:0xc6c20 prompt=+0(%di):ustring "
				  "%si:x64 $stack2 @+0x730:x8");
	free(line);
	probe_spec_free(&spec);

	/* without debug info, parameters have no names; uprobes cannot read symbols */
	assert_int_equal(probe_spec_parse("readline prompt", &spec), 0);
	assert_null(probe_definition(&spec, &site, "probe_bash", "readline"));
	assert_non_null(strstr(st_last_error(), "no type information"));
	probe_spec_free(&spec);
	assert_int_equal(probe_spec_parse("readline @rl_line_buffer", &spec), 0);
	assert_null(probe_definition(&spec, &site, "probe_bash", "readline"));
	assert_non_null(strstr(st_last_error(), "uprobes cannot read a symbol"));
	probe_spec_free(&spec);
	probe_site_free(&site);
}

/* ---- the calling convention ---- */

static void test_abi_assignment(void **state)
{
	struct probe_func f = { .name = "f", .nr_params = 10 };
	struct probe_param p[10] = {
		{ .name = "a", .size = 4, .is_signed = true },		/* %di */
		{ .name = "d", .size = 8, .is_float = true },		/* xmm0 */
		{ .name = "big", .size = 24, .is_aggregate = true },	/* memory: $stack1..3 */
		{ .name = "pair", .size = 16, .is_aggregate = true },	/* %si + %dx */
		{ .name = "c", .size = 1 },				/* %cx */
		{ .name = "e", .size = 2, .is_signed = true },		/* %r8 */
		{ .name = "p", .size = 8, .is_pointer = true },		/* %r9 */
		{ .name = "g", .size = 8 },				/* $stack4 */
		{ .name = "h", .size = 16, .is_aggregate = true },	/* $stack5..6 */
		{ .name = "i", .size = 4 },				/* $stack7 */
	};

	f.params = p;
	probe_func_assign_abi(&f);
	assert_string_equal(p[0].fetch, "%di");
	assert_string_equal(p[0].default_type, "s32");
	assert_null(p[1].fetch);
	assert_null(p[2].fetch);
	assert_string_equal(p[3].fetch, "%si");
	assert_string_equal(p[4].fetch, "%cx");
	assert_string_equal(p[4].default_type, "u8");
	assert_string_equal(p[5].fetch, "%r8");
	assert_string_equal(p[5].default_type, "s16");
	assert_string_equal(p[6].fetch, "%r9");
	assert_string_equal(p[6].default_type, "x64");
	assert_string_equal(p[7].fetch, "$stack4");
	assert_string_equal(p[8].fetch, "$stack5");
	assert_string_equal(p[9].fetch, "$stack7");
	for (int i = 0; i < 10; i++)
		free(p[i].fetch);

	/* a struct returned in memory takes %di */
	struct probe_param q[1] = { { .name = "x", .size = 8 } };
	struct probe_func g = { .name = "g", .nr_params = 1, .params = q, .have_ret = true,
				.ret = { .size = 32, .is_aggregate = true } };
	probe_func_assign_abi(&g);
	assert_string_equal(q[0].fetch, "%si");
	free(q[0].fetch);
}

/* ---- reading definitions back ---- */

static void test_event_lines(void **state)
{
	struct probe_event ev;

	assert_int_equal(probe_event_parse("r:probe_bash/readline__return /usr/bin/bash:0x00000000000c6c20 "
					   "arg1=+0($retval):string", false, &ev), 0);
	assert_true(ev.ret);
	assert_false(ev.kernel);
	assert_string_equal(ev.group, "probe_bash");
	assert_string_equal(ev.event, "readline__return");
	assert_string_equal(ev.path, "/usr/bin/bash");
	assert_int_equal(ev.offset, 0xc6c20);
	assert_string_equal(ev.args, "arg1=+0($retval):string");
	probe_event_clear(&ev);

	assert_int_equal(probe_event_parse("r16:probe/do_sys_openat2__return do_sys_openat2+0 arg1=$retval",
					   true, &ev), 0);
	assert_true(ev.ret);
	assert_true(ev.kernel);
	assert_string_equal(ev.target, "do_sys_openat2+0");
	probe_event_clear(&ev);

	assert_int_equal(probe_event_parse("p:probe/f f+8", true, &ev), 0);
	assert_int_equal(ev.offset, 8);
	assert_string_equal(ev.args, "");
	probe_event_clear(&ev);

	assert_int_equal(probe_event_parse("garbage", true, &ev), -1);
	assert_int_equal(probe_event_parse("p:noslash f", true, &ev), -1);
}

static void test_suggestions(void **state)
{
	char *names[] = { "readline", "readline_internal", "rl_redisplay", "zreadn", "initialize_readline" };
	const char *out[3];
	int n;

	n = probe_suggest("readlin", names, 5, out, 3);
	assert_true(n >= 1);
	assert_string_equal(out[0], "readline");
	n = probe_suggest("qqqqqqqqqq", names, 5, out, 3);
	assert_int_equal(n, 0);
}

/*
 * Long names: a 300-character name with two typos still finds its symbol
 * (the band of the distance is wide enough), and a 131,000-character name
 * among 50,000 symbols gets no suggestion without a quadratic cost (it took
 * minutes; the 10 s alarm, 1000 times what it takes now, stops a hang).
 */
static void test_suggestions_long_names(void **state)
{
	enum { NR = 50000, LONG = 131000 };
	char **names = xcalloc(NR, sizeof(*names));
	char *typo, *huge = xmalloc(LONG + 1);
	const char *out[3];
	int n;

	for (int i = 0; i < NR - 1; i++)
		names[i] = xasprintf("function_%d", i);
	names[NR - 1] = xmalloc(301);
	for (int i = 0; i < 300; i++)
		names[NR - 1][i] = 'a' + i % 26;
	names[NR - 1][300] = '\0';
	typo = xstrdup(names[NR - 1]);
	typo[10] = '_';
	typo[200] = '_';
	memset(huge, 'f', LONG);
	huge[LONG] = '\0';
	alarm(10);
	n = probe_suggest(typo, names, NR, out, 3);
	assert_int_equal(n, 1);
	assert_ptr_equal(out[0], names[NR - 1]);
	assert_int_equal(probe_suggest(huge, names, NR, out, 3), 0);
	alarm(0);
	for (int i = 0; i < NR; i++)
		free(names[i]);
	free(names);
	free(typo);
	free(huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_plain_function),
		cmocka_unit_test(test_parse_names_offset_return),
		cmocka_unit_test(test_parse_versions_and_escapes),
		cmocka_unit_test(test_parse_arguments),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_member_access),
		cmocka_unit_test(test_parse_member_errors),
		cmocka_unit_test(test_member_definitions),
		cmocka_unit_test(test_default_names),
		cmocka_unit_test(test_kernel_definitions),
		cmocka_unit_test(test_user_definitions),
		cmocka_unit_test(test_abi_assignment),
		cmocka_unit_test(test_event_lines),
		cmocka_unit_test(test_suggestions),
		cmocka_unit_test(test_suggestions_long_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
