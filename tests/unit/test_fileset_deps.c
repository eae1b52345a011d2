// SPDX-License-Identifier: GPL-2.0
/*
 * The DT_NEEDED resolver on binaries built here with DT_RPATH, DT_RUNPATH and
 * $ORIGIN, against the dynamic loader's search order: RPATH (of the object and
 * the objects that loaded it; ignored when the object has RUNPATH), then
 * LD_LIBRARY_PATH, then RUNPATH, then ld.so.cache and the default dirs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf/ldsearch.h"
#include "fileset/fileset.h"
#include "util.h"

static char dir[] = "/tmp/fileset-deps.XXXXXX";

static int sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int ret;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		cmd = NULL;
	va_end(ap);
	ret = cmd ? system(cmd) : -1;
	free(cmd);
	return ret;
}

/*
 * DIR/a/liba.so, DIR/a2/liba.so (a decoy for LD_LIBRARY_PATH),
 * DIR/b/libb.so (NEEDED liba.so, RUNPATH $ORIGIN/../a),
 * DIR/c/libc2.so (NEEDED liba.so, no paths: found through the loader's RPATH),
 * DIR/bin/exe (NEEDED libb.so libc2.so, RPATH $ORIGIN/../b:$ORIGIN/../a),
 * DIR/bin/exe_runpath (NEEDED libc2.so, RUNPATH $ORIGIN/../c).
 */
static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	return sh("set -e; cd %s; mkdir a a2 b c bin; echo 'int a(void){return 1;}' >a.c;"
		  "cc -shared -fPIC -o a/liba.so a.c; cp a/liba.so a2/liba.so;"
		  "echo 'int a(void); int b(void){return a();}' >b.c;"
		  "cc -shared -fPIC -o b/libb.so b.c -La -la -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../a';"
		  "echo 'int a(void); int c2(void){return a();}' >c.c;"
		  "cc -shared -fPIC -o c/libc2.so c.c -La -la;"
		  "echo 'int b(void); int c2(void); int main(void){return b()+c2();}' >m.c;"
		  "cc -o bin/exe m.c -Lb -Lc -lb -lc2 -Wl,--disable-new-dtags,-rpath,'$ORIGIN/../b:$ORIGIN/../a' -Wl,-rpath-link,a;"
		  "echo 'int c2(void); int main(void){return c2();}' >n.c;"
		  "cc -o bin/exe_runpath n.c -Lc -lc2 -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../c' -Wl,-rpath-link,a",
		  dir) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return sh("rm -rf %s", dir) == 0 ? 0 : -1;
}

static bool has(char **list, int nr, const char *suffix)
{
	char *want = xasprintf("%s/%s", dir, suffix);
	bool found = false;

	for (int i = 0; i < nr && !found; i++) {
		char *n = fs_normalize(NULL, list[i]);

		found = !strcmp(n, want);
		free(n);
	}
	free(want);
	return found;
}

static bool has_libc(char **list, int nr)
{
	for (int i = 0; i < nr; i++)
		if (strstr(list[i], "/libc.so.6"))
			return true;
	return false;
}

static void free_list(char **list, int nr)
{
	for (int i = 0; i < nr; i++)
		free(list[i]);
	free(list);
}

static void closure_of(const char *exe, const char *llp, char ***out, int *nr, int *nr_missing)
{
	struct fs_deps_env env = { llp, NULL };
	char **missing = NULL, *path = xasprintf("%s/%s", dir, exe);

	*out = NULL;
	*nr = *nr_missing = 0;
	assert_int_equal(fs_needed_closure(path, &env, out, nr, &missing, nr_missing), 0);
	free_list(missing, *nr_missing);
	free(path);
}

static void test_rpath_origin(void **state)
{
	char **deps;
	int nr, nr_missing;

	(void)state;
	closure_of("bin/exe", NULL, &deps, &nr, &nr_missing);
	assert_int_equal(nr_missing, 1);			/* libc2.so: not in b/ or a/ */
	assert_true(has(deps, nr, "b/libb.so"));	/* exe's RPATH, $ORIGIN */
	assert_true(has(deps, nr, "a/liba.so"));	/* libb's RUNPATH, $ORIGIN */
	assert_false(has(deps, nr, "a2/liba.so"));
	assert_true(has_libc(deps, nr));		/* ld.so.cache */
	free_list(deps, nr);
}

/* libc2 has no paths: the executable's RPATH finds it... but not its own deps via RUNPATH. */
static void test_rpath_inherited(void **state)
{
	char **deps;
	int nr, nr_missing;

	(void)state;
	/* exe's RPATH has no c/, so libc2.so is missing there. */
	closure_of("bin/exe", NULL, &deps, &nr, &nr_missing);
	assert_false(has(deps, nr, "c/libc2.so"));
	free_list(deps, nr);
	/* With LD_LIBRARY_PATH=c: libc2 found; its liba comes from exe's inherited RPATH (a/). */
	{
		char *llp = xasprintf("%s/c", dir);

		closure_of("bin/exe", llp, &deps, &nr, &nr_missing);
		assert_true(has(deps, nr, "c/libc2.so"));
		assert_true(has(deps, nr, "a/liba.so"));
		assert_int_equal(nr_missing, 0);
		free_list(deps, nr);
		free(llp);
	}
}

/* RPATH before LD_LIBRARY_PATH; LD_LIBRARY_PATH before RUNPATH. */
static void test_search_order(void **state)
{
	char *llp = xasprintf("%s/a2", dir), **deps;
	int nr, nr_missing;

	(void)state;
	/* exe_runpath: RUNPATH c/ finds libc2; libc2's liba: no RPATH (the exe has RUNPATH) -> LD_LIBRARY_PATH a2/. */
	closure_of("bin/exe_runpath", llp, &deps, &nr, &nr_missing);
	assert_true(has(deps, nr, "c/libc2.so"));
	assert_true(has(deps, nr, "a2/liba.so"));
	free_list(deps, nr);
	/* exe: libb has RUNPATH, so LD_LIBRARY_PATH (a2/) comes first for its liba. */
	closure_of("bin/exe", llp, &deps, &nr, &nr_missing);
	assert_true(has(deps, nr, "a2/liba.so"));
	assert_false(has(deps, nr, "a/liba.so"));	/* one liba.so: the loader reuses it */
	free_list(deps, nr);
	/* Without LD_LIBRARY_PATH, exe_runpath's libc2 needs liba and nothing finds it. */
	closure_of("bin/exe_runpath", NULL, &deps, &nr, &nr_missing);
	assert_int_equal(nr_missing, 1);
	free_list(deps, nr);
	free(llp);
}

/* The loader search itself (elf/ldsearch.h), as both file sets and -x use it. */
static void test_ld_search(void **state)
{
	char *origin = xasprintf("%s/b", dir), *bad = xasprintf("%s/bad", dir);
	char *llp = xasprintf("%s:%s/a2", bad, dir), *want, *got;
	struct ld_needer braced = { origin, "${ORIGIN}/../a", NULL };
	struct ld_needer unknown = { NULL, "$ORIGIN/../a", NULL };
	struct ld_needer platform = { origin, "$ORIGIN/../${PLATFORM}", NULL };
	struct ld_env env = { NULL, NULL };

	(void)state;
	/* ${ORIGIN} is the needing object's directory */
	want = xasprintf("%s/b/../a/liba.so", dir);
	got = ld_search("liba.so", &braced, &env);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* ${PLATFORM} is the kernel's AT_PLATFORM, x86_64 */
	assert_int_equal(sh("mkdir -p %s/x86_64 && cp %s/a/liba.so %s/x86_64/", dir, dir, dir), 0);
	want = xasprintf("%s/b/../x86_64/liba.so", dir);
	got = ld_search("liba.so", &platform, &env);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* a list naming $ORIGIN of an object whose directory is unknown: not searched */
	assert_null(ld_search("liba.so", &unknown, &env));
	/* a file of that name that is no x86-64 ELF is passed over, as the loader does */
	assert_int_equal(sh("mkdir -p %s && echo text >%s/liba.so", bad, bad), 0);
	env.ld_library_path = llp;
	want = xasprintf("%s/a2/liba.so", dir);
	got = ld_search("liba.so", NULL, &env);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* under a root: searched there, answered without it */
	env = (struct ld_env){ "/a", dir };
	got = ld_search("liba.so", NULL, &env);
	assert_non_null(got);
	assert_string_equal(got, "/a/liba.so");
	free(got);
	assert_null(ld_search("libc.so.6", NULL, &env));	/* the machine's cache is not the image's */
	got = ld_search("/a/liba.so", NULL, &env);		/* a path is the file itself */
	assert_non_null(got);
	assert_string_equal(got, "/a/liba.so");
	free(got);
	assert_null(ld_search("/a/nosuch.so", NULL, &env));
	free(llp);
	free(bad);
	free(origin);
}

static void test_interp_and_script(void **state)
{
	char *exe = xasprintf("%s/bin/exe", dir), *script = xasprintf("%s/s.sh", dir), *s;
	FILE *f = fopen(script, "w");
	char **deps = NULL, **missing = NULL;
	int nr = 0, nr_missing = 0;
	struct fs_deps_env env = { NULL, NULL };

	(void)state;
	s = fs_elf_interp(exe);
	assert_string_equal(s, "/lib64/ld-linux-x86-64.so.2");
	free(s);
	assert_non_null(f);
	fputs("#!  /bin/sh -e\necho\n", f);
	fclose(f);
	s = fs_script_interp(script);
	assert_string_equal(s, "/bin/sh");
	free(s);
	assert_null(fs_elf_interp(script));
	assert_int_equal(fs_needed_closure(script, &env, &deps, &nr, &missing, &nr_missing), -1);
	free(exe);
	free(script);
}

/*
 * A file the trace names may have become a FIFO since: reading it would block
 * forever (SIGALRM fails the test then). It is not a script, not an ELF file,
 * and a FIFO named like a library on the search path is passed over.
 */
static void test_fifo_does_not_block(void **state)
{
	char *fifo = xasprintf("%s/fifo", dir), *fifo_dir = xasprintf("%s/fifos", dir);
	char *lib_fifo = xasprintf("%s/libb.so", fifo_dir);
	char **deps = NULL, **missing = NULL;
	int nr = 0, nr_missing = 0;
	struct fs_deps_env env = { NULL, NULL };

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(mkdir(fifo_dir, 0700), 0);
	assert_int_equal(mkfifo(lib_fifo, 0600), 0);
	alarm(20);
	assert_null(fs_script_interp(fifo));
	assert_null(fs_elf_interp(fifo));
	assert_int_equal(fs_needed_closure(fifo, &env, &deps, &nr, &missing, &nr_missing), -1);
	closure_of("bin/exe", fifo_dir, &deps, &nr, &nr_missing);
	alarm(0);
	assert_true(has(deps, nr, "b/libb.so"));
	assert_false(has(deps, nr, "fifos/libb.so"));
	free_list(deps, nr);
	free(fifo);
	free(fifo_dir);
	free(lib_fifo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpath_origin),
		cmocka_unit_test(test_rpath_inherited),
		cmocka_unit_test(test_search_order),
		cmocka_unit_test(test_ld_search),
		cmocka_unit_test(test_interp_and_script),
		cmocka_unit_test(test_fifo_does_not_block),
	};

	if (system("cc --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP: no C compiler to build the test binaries\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
