// SPDX-License-Identifier: LGPL-2.1
/*
 * The dynamic loader's library search (see ldsearch.h), and finding the file
 * a user names for -x.
 */
#include "elf/ldsearch.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The x86-64 loader's trusted directories, Debian's multiarch ones first. */
static const char default_dirs[] =
	"/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64:/usr/lib64:/lib:/usr/lib";

/* What $LIB expands to on Debian x86-64. */
static const char lib_dir[] = "lib/x86_64-linux-gnu";

/* What $PLATFORM expands to: the kernel's AT_PLATFORM, "x86_64" on every x86-64 kernel. */
static const char platform[] = "x86_64";

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool ld_is_x86_64_elf(const char *path)
{
	unsigned char h[20];
	struct stat st;
	int fd = open_regular(path, &st);
	bool ok;

	if (fd < 0)
		return false;
	ok = read(fd, h, sizeof(h)) == sizeof(h) && !memcmp(h, ELFMAG, SELFMAG) &&
	     h[EI_CLASS] == ELFCLASS64 && h[EI_DATA] == ELFDATA2LSB && h[18] == EM_X86_64;
	close(fd);
	return ok;
}

/* The length of the token $NAME or ${NAME} at p, or 0. */
static size_t token_at(const char *p, const char *name)
{
	size_t n = strlen(name);

	if (p[0] != '$')
		return 0;
	if (!strncmp(p + 1, name, n))
		return 1 + n;
	if (p[1] == '{' && !strncmp(p + 2, name, n) && p[2 + n] == '}')
		return 3 + n;
	return 0;
}

/*
 * One directory of a path list with $ORIGIN, $LIB and $PLATFORM replaced, or NULL when
 * it names $ORIGIN and the origin is unknown (the loader drops such a directory).
 */
static char *expand_dir(const char *dir, const char *origin)
{
	char *out = xstrdup(""), *next;
	const char *p = dir, *var;
	size_t skip;

	while (*p) {
		var = NULL;
		if ((skip = token_at(p, "ORIGIN"))) {
			if (!origin) {
				free(out);
				return NULL;
			}
			var = origin;
		} else if ((skip = token_at(p, "LIB"))) {
			var = lib_dir;
		} else if ((skip = token_at(p, "PLATFORM"))) {
			var = platform;
		}
		if (var)
			next = xasprintf("%s%s", out, var);
		else
			next = xasprintf("%s%c", out, *p);
		p += var ? skip : 1;
		free(out);
		out = next;
	}
	return out;
}

/* The first directory of a ':'-list (';' too, as glibc) that holds name, under root. */
static char *search_list(const char *list, const char *name, const char *origin, const char *root)
{
	char *copy, *dir, *save = NULL, *found = NULL;

	if (!list || !*list)
		return NULL;
	copy = xstrdup(list);
	for (dir = strtok_r(copy, ":;", &save); dir && !found; dir = strtok_r(NULL, ":;", &save)) {
		char *d = expand_dir(dir, origin), *full;

		if (!d)
			continue;
		full = xasprintf("%s%s/%s", root && *d == '/' ? root : "", d, name);
		if (ld_is_x86_64_elf(full))
			found = xasprintf("%s/%s", d, name);
		free(full);
		free(d);
	}
	free(copy);
	return found;
}

/*
 * /etc/ld.so.cache in glibc's "glibc-ld.so.cache1.1" format: a header, then
 * 24-byte entries {flags, key, value, osversion, hwcap}; key/value are offsets of
 * the soname and the path from the start of the file.
 */
static char *search_ld_cache(const char *name)
{
	static const char magic[] = "glibc-ld.so.cache1.1";
	size_t size, hdr = sizeof(magic) - 1 + 4 + 4 + 4 + 4 + 12;
	char *buf = read_file("/etc/ld.so.cache", &size), *found = NULL;
	uint32_t nlibs;

	if (!buf)
		return NULL;
	if (size < hdr || memcmp(buf, magic, sizeof(magic) - 1))
		goto out;
	memcpy(&nlibs, buf + sizeof(magic) - 1, 4);
	if (nlibs > (size - hdr) / 24)
		goto out;
	for (uint32_t i = 0; i < nlibs && !found; i++) {
		const char *ent = buf + hdr + 24 * (size_t)i;
		int32_t flags;
		uint32_t key, value;

		memcpy(&flags, ent, 4);
		memcpy(&key, ent + 4, 4);
		memcpy(&value, ent + 8, 4);
		/* FLAG_ELF_LIBC6 (3) with FLAG_X8664_LIB64 (0x300). */
		if ((flags & 0xff) != 3 || (flags & 0xff00) != 0x300 || key >= size || value >= size ||
		    !memchr(buf + key, '\0', size - key) || !memchr(buf + value, '\0', size - value))
			continue;
		if (!strcmp(buf + key, name) && is_file(buf + value))
			found = xstrdup(buf + value);
	}
out:
	free(buf);
	return found;
}

/* A name with '/' is the file itself: there, or not found. */
static char *as_path(const char *name, const char *root)
{
	char *full = xasprintf("%s%s", root && *name == '/' ? root : "", name);
	bool there = access(full, F_OK) == 0;

	free(full);
	return there ? xstrdup(name) : NULL;
}

char *ld_search(const char *name, const struct ld_needer *needer, const struct ld_env *env)
{
	static const struct ld_needer none;
	const struct ld_needer *n = needer ? needer : &none;
	const char *root = env->root;
	char *found = NULL;

	if (strchr(name, '/'))
		return as_path(name, root);
	if (!n->runpath)
		for (const struct ld_rpath *r = n->rpaths; r && !found; r = r->up)
			found = search_list(r->rpath, name, r->origin, root);
	if (!found)
		found = search_list(env->ld_library_path, name, n->origin, root);
	if (!found)
		found = search_list(n->runpath, name, n->origin, root);
	if (!found && !root)
		found = search_ld_cache(name);
	if (!found)
		found = search_list(default_dirs, name, n->origin, root);
	return found;
}

char *ld_find_library(const char *soname)
{
	struct ld_env env = { getenv("LD_LIBRARY_PATH"), NULL };
	char *path = ld_search(soname, NULL, &env);

	if (!path)
		st_set_error("cannot find library '%s' (LD_LIBRARY_PATH, /etc/ld.so.cache, /lib, /usr/lib)",
			     soname);
	return path;
}

static char *search_path(const char *name)
{
	const char *env = getenv("PATH");
	char *dirs = xstrdup(env ? env : "/usr/local/bin:/usr/bin:/bin"), *save = NULL, *found = NULL;

	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *cand = xasprintf("%s/%s", d, name);

		if (is_file(cand) && access(cand, X_OK) == 0)
			found = cand;
		else
			free(cand);
	}
	free(dirs);
	return found;
}

char *ld_find_file(const char *name)
{
	char *found = NULL, *real;

	if (strchr(name, '/'))
		found = xstrdup(name);
	else if (!strstr(name, ".so"))
		found = search_path(name);
	if (!found && !strchr(name, '/'))
		found = ld_find_library(name);
	if (!found)
		return NULL;
	real = realpath(found, NULL);
	if (!real) {
		st_set_error("%s: %s", found, strerror(errno));
		free(found);
		return NULL;
	}
	free(found);
	return real;
}
