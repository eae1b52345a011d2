// SPDX-License-Identifier: GPL-2.0
/*
 * Member access and the user-memory rule against the BTF of the VM tier's
 * kernel (Debian 6.1, gcc-built: no type tags), cut down by
 * scripts/btf-subset.c to tests/fixtures/btf/vm-6.1.btf (25 KB, same layout).
 * The offsets are pahole's reading of that file (pahole -F btf -C file ...),
 * and the VM tier's probe-members/probe-params hits agree. Runs on any machine:
 * no /sys/kernel/btf needed.
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

#include "probe/btf.h"
#include "probe/probe.h"
#include "util.h"

#define FIXTURE "tests/fixtures/btf/vm-6.1.btf"

static struct kbtf *btf;

/* "FUNC ARG" against the fixture: the first argument's member access. */
static int access_of(const char *str, struct probe_member *m)
{
	struct probe_spec spec;
	struct probe_func *f;
	const struct probe_fetch *fe;
	const struct probe_param *p = NULL;
	int ret = -1;

	assert_int_equal(probe_spec_parse(str, &spec), 0);
	f = kbtf_func(btf, spec.func);
	if (!f)
		fail_msg("%s: %s", str, st_last_error());
	fe = spec.args[0].fetch;
	for (int i = 0; i < f->nr_params; i++)
		if (fe->kind == PROBE_FETCH_ARGN ? i == fe->argn - 1 : !strcmp(f->params[i].name, fe->text))
			p = &f->params[i];
	assert_non_null(p);
	ret = kbtf_member_access(btf, p->type_id, p->name, fe, spec.args[0].raw, m);
	probe_func_free(f);
	probe_spec_free(&spec);
	return ret;
}

static void expect(const char *str, const char *type, int nr, ...)
{
	struct probe_member m;
	va_list ap;

	if (access_of(str, &m) < 0)
		fail_msg("'%s': %s", str, st_last_error());
	if (m.nr_loads != nr)
		fail_msg("'%s': %d loads, want %d", str, m.nr_loads, nr);
	va_start(ap, nr);
	for (int i = 0; i < nr; i++) {
		long long want = va_arg(ap, long long);

		if (m.offs[i] != want)
			fail_msg("'%s': load %d at +%lld, want +%lld", str, i, m.offs[i], want);
	}
	va_end(ap);
	if (strcmp(m.type, type))
		fail_msg("'%s': type %s, want %s", str, m.type, type);
}

static void expect_error(const char *str, const char *needle)
{
	struct probe_member m;

	if (access_of(str, &m) == 0)
		fail_msg("'%s' resolved", str);
	if (!strstr(st_last_error(), needle) || strchr(st_last_error(), '\n'))
		fail_msg("'%s': message '%s' lacks '%s'", str, st_last_error(), needle);
}

static void test_offsets(void **state)
{
	expect("vfs_read file->f_path.dentry", "x64", 1, 24LL);
	expect("vfs_read file->f_path.dentry->d_name.name", "string", 2, 24LL, 40LL);
	expect("vfs_read file->f_path.dentry->d_iname", "string", 2, 24LL, 56LL);
	expect("vfs_read file->f_inode->i_ino", "u64", 2, 32LL, 64LL);
	expect("vfs_read file->f_inode->i_sb->s_blocksize_bits", "u8", 3, 32LL, 40LL, 20LL);
	expect("vfs_read file->f_flags", "u32", 1, 64LL);
	expect("vfs_read file->f_mode", "u32", 1, 68LL);
	expect("vfs_read file->f_pos", "s64", 1, 104LL);
	/* 6.1's char is signed (the kernel builds with -funsigned-char from 6.2 on). */
	expect("vfs_read buf[3]", "s8", 1, 3LL);
	expect("do_sys_openat2 how->flags", "u64", 1, 0LL);
	expect("do_sys_openat2 how->resolve", "u64", 1, 16LL);
	expect("wake_up_process p->comm", "string", 1, 2976LL);
	expect("wake_up_process p->comm[3]", "s8", 1, 2979LL);
	expect("wake_up_process p->pid", "s32", 1, 2416LL);
	expect("wake_up_process p->real_parent->tgid", "s32", 2, 2432LL, 2420LL);
	expect("__set_task_comm tsk->in_execve", "b1@2/32", 1, 2344LL);
	expect("consume_skb skb->len", "u32", 1, 112LL);
	expect("consume_skb skb->cloned", "b1@0/8", 1, 126LL);
	expect("consume_skb skb->dev->name", "string", 2, 16LL, 0LL);
}

static void test_errors(void **state)
{
	expect_error("vfs_read file->f_pat", "struct file has no member 'f_pat'; did you mean f_path?");
	expect_error("vfs_read file->f_path.dentr", "struct path has no member 'dentr'; did you mean dentry? (members: mnt, dentry)");
	expect_error("wake_up_process p->comm[16]", "index 16 is past the end of 'comm' (char[16])");
	expect_error("vfs_read file->f_path->dentry", "use '.dentry'");
	expect_error("consume_skb skb->cloned.x", "'cloned' is a bit field: it has no members");
	expect_error("vfs_read file->f_path", "'f_path' is struct path, which cannot be fetched as a value");
	/* Outside the fixture's kept structs: a void * (how the fixture was cut). */
	expect_error("vfs_read file->f_path.mnt->mnt_root", "'mnt' is a void *");
}

/* The rule that picks ustring, on a kernel without __user tags. */
static void test_user_rule(void **state)
{
	static const struct { const char *func, *param, *why; } cases[] = {
		{ "vfs_read", "buf", "read/write buffer" },
		{ "vfs_write", "buf", "read/write buffer" },
		{ "do_sys_openat2", "filename", "syscall layer" },
		{ "ksys_write", "buf", "syscall layer" },
		{ "strncpy_from_user", "src", "user side of a copy" },
		{ "strncpy_from_user", "dst", NULL },
		{ "kstrdup", "s", NULL },
		{ "do_sys_openat2", "how", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_func *f = kbtf_func(btf, cases[i].func);
		const struct probe_param *p = NULL;

		assert_non_null(f);
		for (int k = 0; k < f->nr_params; k++)
			if (!strcmp(f->params[k].name, cases[i].param))
				p = &f->params[k];
		assert_non_null(p);
		if (cases[i].why ? !p->user || strcmp(p->user_why, cases[i].why) : p->user)
			fail_msg("%s %s: user %d (%s)", cases[i].func, cases[i].param, p->user,
				 p->user_why ? p->user_why : "-");
		probe_func_free(f);
	}
}

static int setup(void **state)
{
	btf = kbtf_open_file(FIXTURE);
	if (!btf)
		fprintf(stderr, "%s\n", st_last_error());
	return btf ? 0 : -1;
}

static int teardown(void **state)
{
	kbtf_close(btf);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_user_rule),
	};
	char *top = xstrdup(argv[0]), *slash = strstr(top, "tests/unit/");

	/* Run from the top directory, where tests/fixtures is. */
	if (slash) {
		*slash = '\0';
		if (*top && chdir(top) < 0)
			return 1;
	}
	free(top);
	return cmocka_run_group_tests(tests, setup, teardown);
}
