// SPDX-License-Identifier: GPL-2.0
/*
 * string or ustring: which kernel char * parameters point to user memory. The
 * __user type tag is checked on BTF built here (the kernels we test on, gcc-built,
 * have none); the other rules (syscall layer, read/write shape, copy functions,
 * buffer names) against the running kernel's BTF, skipped without it.
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

#include <bpf/btf.h>

#include "probe/btf.h"
#include "probe/probe.h"
#include "util.h"

/* The parameter named name of func as BTF in b describes it. */
static struct probe_param *param(struct probe_func *f, const char *name)
{
	for (int i = 0; i < f->nr_params; i++)
		if (!strcmp(f->params[i].name, name))
			return &f->params[i];
	fail_msg("%s has no parameter %s", f->name, name);
	return NULL;
}

/*
 * int tagged(const char __attribute__((btf_type_tag("user"))) *ubuf_like, char *kbuf)
 * int plain(char *s): as clang + pahole >= 1.23 write a __user pointer.
 */
static char *write_tagged_btf(void)
{
	struct btf *btf = btf__new_empty();
	char path[] = "/tmp/sidetrace-btf-XXXXXX";
	int chr, cchr, tag, uptr, kptr, proto, proto2, fd;
	const void *raw;
	__u32 size;

	assert_non_null(btf);
	chr = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	cchr = btf__add_const(btf, chr);
	tag = btf__add_type_tag(btf, "user", cchr);
	uptr = btf__add_ptr(btf, tag);
	kptr = btf__add_ptr(btf, chr);
	proto = btf__add_func_proto(btf, btf__add_int(btf, "int", 4, BTF_INT_SIGNED));
	btf__add_func_param(btf, "src", uptr);
	btf__add_func_param(btf, "dst", kptr);
	btf__add_func(btf, "tagged", BTF_FUNC_GLOBAL, proto);
	proto2 = btf__add_func_proto(btf, 0);
	btf__add_func_param(btf, "s", kptr);
	btf__add_func(btf, "plain", BTF_FUNC_GLOBAL, proto2);
	raw = btf__raw_data(btf, &size);
	assert_non_null(raw);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, raw, size), (ssize_t)size);
	close(fd);
	btf__free(btf);
	return xstrdup(path);
}

static void test_type_tag(void **state)
{
	char *path = write_tagged_btf();
	struct kbtf *b = kbtf_open_file(path);
	struct probe_func *f;

	assert_non_null(b);
	f = kbtf_func(b, "tagged");
	assert_non_null(f);
	assert_true(param(f, "src")->user);
	assert_string_equal(param(f, "src")->user_why, "BTF __user tag");
	assert_true(param(f, "src")->is_char_ptr);
	assert_false(param(f, "dst")->user);
	probe_func_free(f);
	f = kbtf_func(b, "plain");
	assert_non_null(f);
	assert_false(param(f, "s")->user);
	probe_func_free(f);
	kbtf_close(b);
	unlink(path);
	free(path);
}

static struct kbtf *running_kernel(void)
{
	struct kbtf *b;

	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		skip();
	b = kbtf_open();
	assert_non_null(b);
	return b;
}

/* func's parameter pname: user (why) or kernel (why NULL). */
static void expect_user(struct kbtf *b, const char *func, const char *pname, const char *why)
{
	struct probe_func *f = kbtf_func(b, func);
	struct probe_param *p;

	if (!f)
		fail_msg("%s: %s", func, st_last_error());
	p = param(f, pname);
	if (!why && p->user)
		fail_msg("%s %s is marked user (%s)", func, pname, p->user_why);
	if (why && (!p->user || strcmp(p->user_why, why)))
		fail_msg("%s %s: user %d (%s), want %s", func, pname, p->user,
			 p->user_why ? p->user_why : "-", why);
	probe_func_free(f);
}

static void test_rules_on_running_kernel(void **state)
{
	struct kbtf *b = running_kernel();

	expect_user(b, "vfs_read", "buf", "read/write buffer");
	expect_user(b, "vfs_write", "buf", "read/write buffer");
	expect_user(b, "do_sys_openat2", "filename", "syscall layer");
	expect_user(b, "ksys_write", "buf", "syscall layer");
	expect_user(b, "strncpy_from_user", "src", "user side of a copy");
	expect_user(b, "strncpy_from_user", "dst", NULL);
	expect_user(b, "strnlen_user", "str", "user side of a copy");
	/* Kernel strings stay kernel strings. */
	expect_user(b, "kstrdup", "s", NULL);
	expect_user(b, "getname_kernel", "filename", NULL);
	/* A struct pointer of the syscall layer is a kernel copy: not user. */
	expect_user(b, "do_sys_openat2", "how", NULL);
	kbtf_close(b);
}

/* The definitions built from those rules: a user string is read as ustring, +u for loads. */
static void expect_definition(const char *str, const char *want)
{
	struct probe_spec spec;
	struct probe_site site;
	char *line;

	assert_int_equal(probe_spec_parse(str, &spec), 0);
	if (probe_resolve_kernel(&spec, &site) < 0)
		fail_msg("'%s': %s", str, st_last_error());
	line = probe_definition(&spec, &site, "probe", "ev");
	if (!line)
		fail_msg("'%s': %s", str, st_last_error());
	if (strcmp(line, want))
		fail_msg("'%s': got '%s', want '%s'", str, line, want);
	free(line);
	probe_site_free(&site);
	probe_spec_free(&spec);
}

/* A definition that cannot be built: one line with needle. */
static void expect_definition_error(const char *str, const char *needle)
{
	struct probe_spec spec;
	struct probe_site site;
	char *line = NULL;

	assert_int_equal(probe_spec_parse(str, &spec), 0);
	if (probe_resolve_kernel(&spec, &site) == 0) {
		line = probe_definition(&spec, &site, "probe", "ev");
		probe_site_free(&site);
	}
	probe_spec_free(&spec);
	if (line)
		fail_msg("'%s' was accepted: %s", str, line);
	if (!strstr(st_last_error(), needle) || strchr(st_last_error(), '\n'))
		fail_msg("'%s': message '%s' lacks '%s'", str, st_last_error(), needle);
}

static void test_definitions(void **state)
{
	kbtf_close(running_kernel());
	expect_definition("vfs_read buf:string", "p:probe/ev vfs_read buf=+0(%si):ustring");
	expect_definition("vfs_read buf[2]", "p:probe/ev vfs_read buf_2=+u2(%si):u8");
	expect_definition("kstrdup s:string", "p:probe/ev kstrdup s=+0(%di):string");
	/* An explicit dereference keeps the type given: the way to overrule the rules. */
	expect_definition("vfs_read +0(%si):string", "p:probe/ev vfs_read +0(%si):string");
	expect_definition("kstrdup s:ustring", "p:probe/ev kstrdup s=+0(%di):ustring");
	/* Strings of members: a char *, a char array, any pointer; not an integer. */
	expect_definition_error("vfs_read file->f_mode:string",
				"a string needs a char array or a pointer, and this is unsigned int");
	expect_definition_error("vfs_read file->f_inode->i_ino:ustring",
				"a string needs a char array or a pointer, and this is long unsigned int");
	/* $retval's members, typed from BTF's return type. */
	expect_definition("d_alloc%return $retval->d_flags",
			  "r:probe/ev d_alloc d_flags=+0($retval):u32");
	expect_definition_error("d_alloc $retval->d_flags", "$retval needs a return probe");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_tag),
		cmocka_unit_test(test_rules_on_running_kernel),
		cmocka_unit_test(test_definitions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
