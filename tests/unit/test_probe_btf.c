// SPDX-License-Identifier: GPL-2.0
/*
 * Member access through the running kernel's BTF (/sys/kernel/btf/vmlinux):
 * the offsets and types PARAM->a.b[3] compiles to, checked against pahole's
 * reading of the same BTF (Debian's dwarves package), and the errors for
 * members that do not exist or cannot be fetched. Skips without BTF or pahole.
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

static void need_btf(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		skip();
}

static void need_pahole(void)
{
	need_btf();
	if (system("pahole --version >/dev/null 2>&1") != 0)
		skip();	/* scripts/install-deps installs dwarves */
}

/* pahole's layout of struct sname, read once per struct (pahole takes ~0.5 s). */
static const char *pahole_layout(const char *sname)
{
	static struct { char name[32]; char *text; } cache[8];
	char cmd[128], buf[4096];
	struct strbuf_ { char *p; size_t len; } t = { NULL, 0 };
	size_t n;
	FILE *p;
	int i;

	for (i = 0; i < 8 && cache[i].text; i++)
		if (!strcmp(cache[i].name, sname))
			return cache[i].text;
	assert_true(i < 8);
	snprintf(cmd, sizeof(cmd), "pahole -C '%s' 2>/dev/null", sname);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		t.p = realloc(t.p, t.len + n + 1);
		memcpy(t.p + t.len, buf, n);
		t.len += n;
		t.p[t.len] = '\0';
	}
	pclose(p);
	assert_non_null(t.p);
	snprintf(cache[i].name, sizeof(cache[i].name), "%s", sname);
	cache[i].text = t.p;
	return t.p;
}

/*
 * The byte offset of member in struct sname as pahole prints it
 * ("char comm[16];" with its offset, 1752, in a comment after it); *bit gets a
 * bit field's bit ("cloned:1;" at "126: 0").
 */
static long pahole_offset(const char *sname, const char *member, int *bit)
{
	const char *text = pahole_layout(sname);
	char line[512], decl[80];
	long off = -1;

	while (off < 0 && *text) {
		size_t len = strcspn(text, "\n");
		char *comment, *name, *end;

		snprintf(line, sizeof(line), "%.*s", (int)len, text);
		text += len + (text[len] == '\n');
		comment = strstr(line, "/*");
		if (!comment)
			continue;
		end = comment;
		do
			*end-- = '\0';
		while (end > line && (*end == ' ' || *end == '\t'));
		/* The member's name ends the declaration: "name;", "name[16];", "name:1;". */
		name = strrchr(line, ' ');
		if (!name || sscanf(name + 1, "%79[A-Za-z0-9_]", decl) != 1 || strcmp(decl, member))
			continue;
		*bit = 0;
		if (sscanf(comment + 2, "%ld: %d", &off, bit) < 1)
			off = -1;
	}
	if (off < 0)
		fail_msg("pahole shows no member '%s' in struct %s", member, sname);
	return off;
}

static long P(const char *sname, const char *member)
{
	int bit;

	return pahole_offset(sname, member, &bit);
}

/* Resolve "FUNC ARG" against the running kernel; the member of the argument. */
static int resolve(const char *str, struct probe_member *out)
{
	struct probe_spec spec;
	struct probe_site site;
	int ret;

	assert_int_equal(probe_spec_parse(str, &spec), 0);
	ret = probe_resolve_kernel(&spec, &site);
	if (ret == 0) {
		assert_non_null(site.members);
		*out = site.members[0];
		probe_site_free(&site);
	}
	probe_spec_free(&spec);
	return ret;
}

static void expect_loads(const char *str, const char *type, int nr, ...)
{
	struct probe_member m;
	va_list ap;

	if (resolve(str, &m) < 0)
		fail_msg("'%s': %s", str, st_last_error());
	assert_true(m.resolved);
	if (m.nr_loads != nr)
		fail_msg("'%s': %d loads, want %d", str, m.nr_loads, nr);
	va_start(ap, nr);
	for (int i = 0; i < nr; i++) {
		long want = va_arg(ap, long);

		if (m.offs[i] != want)
			fail_msg("'%s': load %d at +%lld, pahole says +%ld", str, i, m.offs[i], want);
	}
	va_end(ap);
	if (strcmp(m.type, type))
		fail_msg("'%s': type %s, want %s", str, m.type, type);
}

static void test_offsets_match_pahole(void **state)
{
	char want[32];
	long dentry, cloned;
	int bit;

	need_pahole();
	dentry = P("file", "f_path") + P("path", "dentry");
	expect_loads("vfs_read file->f_path.dentry", "x64", 1, dentry);
	/* d_name sits in an anonymous union of struct dentry on recent kernels. */
	expect_loads("vfs_read file->f_path.dentry->d_name.name", "string", 2, dentry,
		     P("dentry", "d_name") + P("qstr", "name"));
	expect_loads("vfs_read file->f_inode->i_ino", "u64", 2, P("file", "f_inode"),
		     P("inode", "i_ino"));
	expect_loads("vfs_read file->f_flags", "u32", 1, P("file", "f_flags"));
	expect_loads("vfs_read file->f_mode", "u32", 1, P("file", "f_mode"));	/* a typedef */
	expect_loads("vfs_read file->f_pos", "s64", 1, P("file", "f_pos"));
	expect_loads("vfs_read $arg1->f_inode", "x64", 1, P("file", "f_inode"));
	expect_loads("vfs_read buf[3]", "u8", 1, 3L);
	expect_loads("wake_up_process p->comm", "string", 1, P("task_struct", "comm"));
	expect_loads("wake_up_process p->comm[3]", "u8", 1, P("task_struct", "comm") + 3);
	expect_loads("wake_up_process p->pid", "s32", 1, P("task_struct", "pid"));
	expect_loads("wake_up_process p->real_parent->tgid", "s32", 2,
		     P("task_struct", "real_parent"), P("task_struct", "tgid"));
	expect_loads("consume_skb skb->len", "u32", 1, P("sk_buff", "len"));
	/* dev is in an anonymous struct inside an anonymous union of sk_buff. */
	expect_loads("consume_skb skb->dev->name", "string", 2, P("sk_buff", "dev"),
		     P("net_device", "name"));
	/* A bit field: its __u8 container, and the field's bit in it. */
	cloned = pahole_offset("sk_buff", "cloned", &bit);
	snprintf(want, sizeof(want), "b1@%d/8", bit);
	expect_loads("consume_skb skb->cloned", want, 1, cloned);
}

static void expect_btf_error(const char *str, const char *needle)
{
	struct probe_member m;

	if (resolve(str, &m) == 0)
		fail_msg("'%s' resolved", str);
	if (!strstr(st_last_error(), needle))
		fail_msg("'%s': message '%s' lacks '%s'", str, st_last_error(), needle);
	if (strchr(st_last_error(), '\n'))
		fail_msg("'%s': message '%s' is not one line", str, st_last_error());
}

static void test_member_errors(void **state)
{
	need_btf();
	expect_btf_error("vfs_read file->f_pat",
			 "'file->f_pat': struct file has no member 'f_pat'; did you mean f_path? (members: ");
	expect_btf_error("vfs_read file->zzzzzzzzzzzzz", "struct file has no member 'zzzzzzzzzzzzz' (members: ");
	expect_btf_error("vfs_read file.f_path", "'.f_path' on 'file', which is a pointer (struct file *): use '->f_path'");
	expect_btf_error("vfs_read file->f_path->dentry",
			 "'->dentry' on 'f_path', which is not a pointer (struct path): use '.dentry'");
	expect_btf_error("vfs_read file->f_flags[2]", "'[2]' on 'f_flags', which is unsigned int, not an array or a pointer");
	expect_btf_error("vfs_read file->f_path", "'f_path' is struct path, which cannot be fetched as a value");
	expect_btf_error("vfs_read pos->x", "'pos' is long long int, not a struct or union");
	expect_btf_error("vfs_read count->x", "'->x' on 'count', which is long unsigned int: neither a pointer nor a struct");
	expect_btf_error("vfs_read file->private_data->x",
			 "'private_data' is a void *: what it points to has no known members");
	expect_btf_error("vfs_read%return $retval->x", "'->x' on '$retval', which is long int: neither a pointer nor a struct");
	expect_btf_error("vfs_read file->f_op->read->x", "'read' is ssize_t(struct file *, char *, size_t, loff_t *), not a struct or union");
	expect_btf_error("vfs_read file->f_path.dentr", "struct path has no member 'dentr'; did you mean dentry? (members: mnt, dentry)");
	expect_btf_error("vfs_read buf[1][2]", "'[2]' on 'buf', which is char, not an array or a pointer");
	expect_btf_error("wake_up_process p->comm[16]", "index 16 is past the end of 'comm' (char[16])");
	expect_btf_error("wake_up_process p->cpus_mask.bits", "is an array (long unsigned int[");
	expect_btf_error("consume_skb skb->cloned.x", "'cloned' is a bit field: it has no members");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets_match_pahole),
		cmocka_unit_test(test_member_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
