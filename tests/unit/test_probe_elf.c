// SPDX-License-Identifier: GPL-2.0
/*
 * ELF symbols to uprobe file offsets, checked against what readelf and nm say:
 * a PIE and a non-PIE test program (GNU ld), the same linked by lld when clang
 * and ld.lld are installed (there p_vaddr != p_offset), a shared library,
 * /bin/bash's readline, libc's versioned symbols, a stripped binary whose symbols
 * are only in its build-id debug file, and the loader-like soname lookup.
 * No root needed.
 */
#include <elf.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "elf/elfsym.h"
#include "elf/ldsearch.h"
#include "probe/probe.h"
#include "util.h"

static char tmpdir[] = "/tmp/sidetrace-probe-elf.XXXXXX";

static char *run(const char *fmt, ...)
{
	char cmd[1024], buf[4096];
	size_t n = 0;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = '\0';
	if (pclose(p) != 0)
		return NULL;
	return strdup(buf);
}

/* st_value of sym as nm prints it ("nm -D" for dynamic symbols, with versions). */
static uint64_t nm_value(const char *path, const char *sym, bool dynamic)
{
	char *out = run("nm %s --defined-only '%s' | awk '$3 == \"%s\" { print $1; exit }'",
			dynamic ? "-D" : "", path, sym);
	uint64_t v = out && *out ? strtoull(out, NULL, 16) : 0;

	free(out);
	return v;
}

/* The file offset by readelf's program headers: the PT_LOAD that holds vaddr. */
static uint64_t readelf_offset(const char *path, uint64_t vaddr)
{
	char *out = run("readelf -lW '%s' | awk '$1 == \"LOAD\" { print $2, $3, $6 }'", path);
	char *line, *save = NULL;
	uint64_t result = UINT64_MAX;

	assert_non_null(out);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long off, va, memsz;

		if (sscanf(line, "%llx %llx %llx", &off, &va, &memsz) == 3 && vaddr >= va &&
		    vaddr < va + memsz)
			result = vaddr - va + off;
	}
	free(out);
	return result;
}

static void check_offset(const char *path, const char *sym, const char *nm_name, bool dynamic)
{
	struct uprobe_target t = { 0 };
	uint64_t value;

	if (probe_resolve_uprobe(path, sym, false, &t) < 0)
		fail_msg("%s in %s: %s", sym, path, st_last_error());
	/* t.path: a command name or a soname resolved to the file */
	value = nm_value(t.path, nm_name, dynamic);
	assert_true(value != 0);
	assert_int_equal(t.vaddr, value);
	assert_int_equal(t.offset, readelf_offset(t.path, value));
	uprobe_target_free(&t);
}

/* The built test program, or one compiled here with flags (NULL if cc fails). */
static char *program(const char *name, const char *cc, const char *flags)
{
	char *built = xasprintf("tests/progs/%s", name), *path, *out;

	if (!cc && access(built, X_OK) == 0)
		return built;
	free(built);
	path = xasprintf("%s/%s", tmpdir, name);
	out = run("%s -O1 -g %s -o '%s' tests/progs/probe_pie.c 2>&1", cc ? cc : "cc", flags, path);
	if (!out) {
		free(path);
		return NULL;
	}
	free(out);
	return path;
}

static void test_pie_and_non_pie(void **state)
{
	char *pie = program("probe_pie", NULL, "");
	char *nopie = program("probe_nopie", NULL, "-no-pie");
	struct uprobe_target t = { 0 };

	assert_non_null(pie);
	assert_non_null(nopie);
	check_offset(pie, "probe_add", "probe_add", false);
	check_offset(pie, "probe_greet", "probe_greet", false);
	check_offset(nopie, "probe_add", "probe_add", false);
	check_offset(nopie, "main", "main", false);
	/* non-PIE: the offset is not the address */
	assert_int_equal(probe_resolve_uprobe(nopie, "probe_add", true, &t), 0);
	assert_true(t.vaddr >= 0x400000);
	assert_true(t.offset < 0x400000);
	uprobe_target_free(&t);
	free(pie);
	free(nopie);
}

static void test_lld(void **state)
{
	char *out = run("command -v clang && command -v ld.lld");
	const char *flags[] = { "-fuse-ld=lld", "-fuse-ld=lld -no-pie", "-fuse-ld=lld -shared -fPIC" };
	const char *names[] = { "probe_lld_pie", "probe_lld_nopie", "probe_lld.so" };

	if (!out)
		skip();
	free(out);
	for (int i = 0; i < 3; i++) {
		char *path = program(names[i], "clang", flags[i]);
		uint64_t value;

		assert_non_null(path);
		check_offset(path, "probe_greet", "probe_greet", false);
		/* lld leaves p_vaddr != p_offset: st_value is not the answer */
		value = nm_value(path, "probe_greet", false);
		assert_true(readelf_offset(path, value) != value);
		free(path);
	}
}

static void test_shared_library_gnu_ld(void **state)
{
	char *so = program("probe_gnu.so", "cc", "-shared -fPIC");

	char *found;

	assert_non_null(so);
	check_offset(so, "probe_many", "probe_many", true);
	/* LD_LIBRARY_PATH comes first, as for the loader */
	setenv("LD_LIBRARY_PATH", tmpdir, 1);
	found = ld_find_library("probe_gnu.so");
	unsetenv("LD_LIBRARY_PATH");
	assert_non_null(found);
	assert_string_equal(found, so);
	free(found);
	free(so);
}

static void test_bash_readline(void **state)
{
	if (access("/bin/bash", R_OK))
		skip();
	check_offset("/bin/bash", "readline", "readline", true);
	/* a bare command name is found in $PATH */
	check_offset("bash", "readline", "readline", true);
}

static void test_versioned_symbols(void **state)
{
	char *libc = ld_find_library("libc.so.6");
	struct uprobe_target t = { 0 };

	assert_non_null(libc);
	/* realpath has two versions: the default one (@@) is what the linker binds */
	check_offset(libc, "realpath", "realpath@@GLIBC_2.3", true);
	check_offset(libc, "realpath@@GLIBC_2.3", "realpath@@GLIBC_2.3", true);
	check_offset(libc, "realpath@GLIBC_2.2.5", "realpath@GLIBC_2.2.5", true);
	/* and the soname goes through the loader's search like a path */
	check_offset("libc.so.6", "realpath", "realpath@@GLIBC_2.3", true);
	assert_int_equal(probe_resolve_uprobe(libc, "realpath@GLIBC_9.9", false, &t), -1);
	assert_non_null(strstr(st_last_error(), "no function 'realpath@GLIBC_9.9'"));
	free(libc);
}

static void test_soname_lookup(void **state)
{
	char *libc = ld_find_library("libc.so.6");
	char *want = run("ldconfig -p | awk '$1 == \"libc.so.6\" && /x86-64/ { print $NF; exit }'");
	char *real_want, *real_got;

	assert_non_null(libc);
	assert_non_null(want);
	want[strcspn(want, "\n")] = '\0';
	real_want = realpath(want, NULL);
	real_got = realpath(libc, NULL);
	assert_non_null(real_got);
	assert_string_equal(real_got, real_want);
	assert_null(ld_find_library("libnosuchlibrary.so.42"));
	free(real_want);
	free(real_got);
	free(want);
	free(libc);
}

static void test_build_id_debug_file(void **state)
{
	char *pie = program("probe_pie", NULL, "");
	char *stripped = xasprintf("%s/stripped", tmpdir);
	char *root = xasprintf("%s/debug", tmpdir);
	char *id = run("readelf -n '%s' | awk '/Build ID/ { print $3 }'", pie);
	struct elfsym_sym sym;
	struct elfsym *e;
	uint64_t off;

	assert_non_null(id);
	id[strcspn(id, "\n")] = '\0';
	assert_true(strlen(id) > 2);
	free(run("mkdir -p '%s/.build-id/%.2s' && objcopy --only-keep-debug '%s' '%s/.build-id/%.2s/%s.debug' && "
		 "strip --strip-all -o '%s' '%s' && echo ok",
		 root, id, pie, root, id, id + 2, stripped, pie));
	/* without the debug file, the stripped program has no probe_add */
	e = elfsym_open(stripped, tmpdir);
	assert_non_null(e);
	assert_int_equal(elfsym_lookup(e, "probe_add", &sym), -1);
	elfsym_close(e);
	e = elfsym_open(stripped, root);
	assert_non_null(e);
	assert_non_null(elfsym_debug_file(e));
	assert_int_equal(elfsym_lookup(e, "probe_add", &sym), 0);
	assert_int_equal(sym.value, nm_value(pie, "probe_add", false));
	assert_int_equal(elfsym_vaddr_to_offset(e, sym.value, &off, NULL), 0);
	assert_int_equal(off, readelf_offset(stripped, sym.value));
	elfsym_close(e);
	free(id);
	free(root);
	free(stripped);
	free(pie);
}

static void test_dwarf_parameters(void **state)
{
	char *pie = program("probe_pie", NULL, "");
	struct probe_spec spec;
	struct probe_site site;

	assert_int_equal(probe_spec_parse("probe_greet", &spec), 0);
	assert_int_equal(probe_resolve_user(&spec, pie, &site), 0);
	assert_string_equal(site.func->source, "DWARF");
	assert_int_equal(site.func->nr_params, 1);
	assert_string_equal(site.func->params[0].name, "name");
	assert_string_equal(site.func->params[0].ctype, "const char *");
	assert_true(site.func->params[0].is_char_ptr);
	assert_string_equal(site.func->params[0].fetch, "%di");
	probe_site_free(&site);
	probe_spec_free(&spec);

	assert_int_equal(probe_spec_parse("probe_scale", &spec), 0);
	assert_int_equal(probe_resolve_user(&spec, pie, &site), 0);
	assert_null(site.func->params[0].fetch);	/* double: SSE */
	assert_string_equal(site.func->params[1].fetch, "%di");
	probe_site_free(&site);
	probe_spec_free(&spec);
	free(pie);
}

static void test_errors_and_suggestions(void **state)
{
	char *pie = program("probe_pie", NULL, "");
	struct uprobe_target t = { 0 };
	struct probe_spec spec;
	struct probe_site site;

	assert_int_equal(probe_resolve_uprobe(pie, "probe_ad", false, &t), -1);
	assert_non_null(strstr(st_last_error(), "did you mean probe_add"));
	assert_int_equal(probe_resolve_uprobe("/nonexistent/prog", "main", false, &t), -1);
	assert_int_equal(probe_resolve_uprobe("/etc/passwd", "main", false, &t), -1);
	assert_non_null(strstr(st_last_error(), "not an ELF file"));
	assert_int_equal(probe_spec_parse("probe_add+100000", &spec), 0);
	assert_int_equal(probe_resolve_user(&spec, pie, &site), -1);
	assert_non_null(strstr(st_last_error(), "past the end of probe_add"));
	probe_spec_free(&spec);
	free(pie);
}

/* elfsym_open(path) fails with a message containing what. */
static void expect_open_error(const char *path, const char *what)
{
	struct elfsym *e = elfsym_open(path, NULL);

	if (e) {
		elfsym_close(e);
		fail_msg("%s: opened", path);
	}
	if (!strstr(st_last_error(), what))
		fail_msg("%s: '%s' lacks '%s'", path, st_last_error(), what);
}

/* A copy of the file at from, of its first size bytes, with patch applied. */
static char *damaged_copy(const char *from, const char *name, size_t size,
			  void (*patch)(unsigned char *elf))
{
	size_t len;
	char *data = read_file(from, &len), *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(data);
	assert_non_null(f);
	if (patch)
		patch((unsigned char *)data);
	fwrite(data, 1, size < len ? size : len, f);
	fclose(f);
	free(data);
	return path;
}

static Elf64_Shdr *find_section(unsigned char *elf, unsigned int type)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)elf;

	for (int i = 0; i < eh->e_shnum; i++) {
		Elf64_Shdr *sh = (Elf64_Shdr *)(elf + eh->e_shoff + (size_t)i * eh->e_shentsize);

		if (sh->sh_type == type)
			return sh;
	}
	fail_msg("no section of type %u", type);
	return NULL;
}

static void symtab_offset_outside(unsigned char *elf)
{
	find_section(elf, SHT_SYMTAB)->sh_offset = 0xffffffff0ULL;
}

static void symtab_without_strings(unsigned char *elf)
{
	find_section(elf, SHT_SYMTAB)->sh_link = 0xffff;
}

static void section_headers_outside(unsigned char *elf)
{
	((Elf64_Ehdr *)elf)->e_shoff = 0xffffffff00ULL;
}

static void on_alarm(int sig)
{
	(void)sig;
	fprintf(stderr, "elfsym_open blocked on a FIFO\n");
	_exit(1);
}

/*
 * A FIFO, a directory and damaged copies of a real program fail at once with
 * what is wrong, never as a "stripped" file without the function.
 */
static void test_special_and_damaged_files(void **state)
{
	char *pie = program("probe_pie", NULL, "");
	char *fifo = xasprintf("%s/fifo", tmpdir), *path;
	struct stat st;
	const size_t sizes[] = { 16, 64, 1000 };

	assert_int_equal(mkfifo(fifo, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(10);
	expect_open_error(fifo, "a FIFO, not an ELF file");
	alarm(0);
	expect_open_error(tmpdir, "a directory, not an ELF file");

	assert_int_equal(stat(pie, &st), 0);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		path = damaged_copy(pie, "short", sizes[i], NULL);
		expect_open_error(path, sizes[i] < 64 ? "not an ELF file" : "not a valid ELF file");
		free(path);
	}
	path = damaged_copy(pie, "half", st.st_size / 2, NULL);
	expect_open_error(path, "not a valid ELF file: its section headers lie past the end");
	free(path);
	path = damaged_copy(pie, "shoff", st.st_size, section_headers_outside);
	expect_open_error(path, "its section headers lie past the end of the file");
	free(path);
	path = damaged_copy(pie, "symoff", st.st_size, symtab_offset_outside);
	expect_open_error(path, "not a valid ELF file: cannot read its symbols (");
	free(path);
	path = damaged_copy(pie, "symlink", st.st_size, symtab_without_strings);
	expect_open_error(path, "cannot read its symbols (a symbol table without its string table)");
	free(path);
	free(fifo);
	free(pie);
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	free(run("rm -rf '%s'", tmpdir));
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pie_and_non_pie),
		cmocka_unit_test(test_lld),
		cmocka_unit_test(test_shared_library_gnu_ld),
		cmocka_unit_test(test_bash_readline),
		cmocka_unit_test(test_versioned_symbols),
		cmocka_unit_test(test_soname_lookup),
		cmocka_unit_test(test_build_id_debug_file),
		cmocka_unit_test(test_dwarf_parameters),
		cmocka_unit_test(test_errors_and_suggestions),
		cmocka_unit_test(test_special_and_damaged_files),
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
