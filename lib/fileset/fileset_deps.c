// SPDX-License-Identifier: LGPL-2.1
/*
 * The static layer of a file set: #! interpreters, PT_INTERP, and the
 * DT_NEEDED closure resolved the way glibc's dynamic loader searches
 * (fileset.h, fs_needed_closure()).
 */
#include "elf/elfsym.h"
#include "fileset/fileset.h"
#include "util.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINE 256

/* glibc's built-in search directories on Debian x86-64 (multiarch first). */
static const char default_dirs[] =
	"/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64:/usr/lib64:/lib:/usr/lib";

/*
 * Open a file the trace names, to read it, only if it is a regular file: it
 * may have become a FIFO since the recording (open and read would block) or
 * a device. O_NONBLOCK keeps the open itself from blocking on a FIFO.
 */
static int open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

char *fs_script_interp(const char *path)
{
	char buf[MAX_LINE], *p, *end;
	ssize_t n;
	int fd = open_regular(path);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 3 || buf[0] != '#' || buf[1] != '!')
		return NULL;
	buf[n] = '\0';
	p = buf + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strcspn(p, " \t\n");
	if (end == p)
		return NULL;
	*end = '\0';
	return xstrdup(p);
}

struct elf_info {
	char *interp;
	char **needed;
	int nr_needed;
	char *rpath;
	char *runpath;
};

static void elf_info_free(struct elf_info *e)
{
	free(e->interp);
	for (int i = 0; i < e->nr_needed; i++)
		free(e->needed[i]);
	free(e->needed);
	free(e->rpath);
	free(e->runpath);
}

static void read_dynamic(Elf *elf, Elf_Scn *scn, GElf_Shdr *sh, struct elf_info *out)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	GElf_Dyn dyn;

	if (!data || !sh->sh_entsize)
		return;
	for (size_t i = 0; i < sh->sh_size / sh->sh_entsize; i++) {
		const char *s;

		if (!gelf_getdyn(data, i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RPATH && dyn.d_tag != DT_RUNPATH)
			continue;
		s = elf_strptr(elf, sh->sh_link, dyn.d_un.d_val);
		if (!s)
			continue;
		if (dyn.d_tag == DT_NEEDED) {
			out->needed = xrealloc(out->needed, (out->nr_needed + 1) * sizeof(char *));
			out->needed[out->nr_needed++] = xstrdup(s);
		} else if (dyn.d_tag == DT_RPATH && !out->rpath) {
			out->rpath = xstrdup(s);
		} else if (dyn.d_tag == DT_RUNPATH && !out->runpath) {
			out->runpath = xstrdup(s);
		}
	}
}

/* PT_INTERP and the dynamic section of an ELF file; -1 if it is not one. */
static int elf_info_read(const char *path, struct elf_info *out)
{
	int fd = open_regular(path), ret = -1;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf *elf;
	size_t n, len;
	char *raw;

	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		goto out;
	raw = elf_rawfile(elf, &len);
	if (elf_getphdrnum(elf, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_INTERP && raw &&
			    ph.p_offset < len && ph.p_filesz <= len - ph.p_offset && ph.p_filesz)
				out->interp = xasprintf("%.*s", (int)strnlen(raw + ph.p_offset,
					ph.p_filesz), raw + ph.p_offset);
		}
	}
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_DYNAMIC)
			read_dynamic(elf, scn, &sh, out);
	ret = 0;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

char *fs_elf_interp(const char *path)
{
	struct elf_info e;
	char *interp;

	if (elf_info_read(path, &e) < 0)
		return NULL;
	interp = e.interp;
	e.interp = NULL;
	elf_info_free(&e);
	return interp;
}

static char *dir_of(const char *path)
{
	char real[PATH_MAX], *slash;

	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	slash = strrchr(real, '/');
	if (slash)
		*(slash == real ? slash + 1 : slash) = '\0';
	return xstrdup(real);
}

/* Replace $ORIGIN / ${ORIGIN} (and $LIB) in one search directory. */
static char *expand_dir(const char *dir, const char *origin)
{
	char *out = xstrdup(""), *next;
	const char *p = dir;

	while (*p) {
		const char *var = NULL;
		size_t skip = 0;

		if (!strncmp(p, "$ORIGIN", 7) || !strncmp(p, "${ORIGIN}", 9)) {
			var = origin;
			skip = p[1] == '{' ? 9 : 7;
		} else if (!strncmp(p, "$LIB", 4) || !strncmp(p, "${LIB}", 6)) {
			var = "lib/x86_64-linux-gnu";
			skip = p[1] == '{' ? 6 : 4;
		}
		if (var) {
			next = xasprintf("%s%s", out, var);
			p += skip;
		} else {
			next = xasprintf("%s%c", out, *p);
			p++;
		}
		free(out);
		out = next;
	}
	return out;
}

static bool is_elf64(const char *path)
{
	unsigned char h[5];
	int fd = open_regular(path);
	bool ok;

	if (fd < 0)
		return false;
	ok = read(fd, h, 5) == 5 && !memcmp(h, "\177ELF", 4) && h[4] == ELFCLASS64;
	close(fd);
	return ok;
}

/* The first dir of a ':'-list (';' too, as glibc) holding name, rooted. */
static char *search_list(const char *list, const char *name, const char *origin, const char *root)
{
	char *copy, *dir, *save = NULL, *found = NULL;

	if (!list || !*list)
		return NULL;
	copy = xstrdup(list);
	for (dir = strtok_r(copy, ":;", &save); dir && !found; dir = strtok_r(NULL, ":;", &save)) {
		char *d = expand_dir(dir, origin);
		char *full = xasprintf("%s%s/%s", root && *d == '/' ? root : "", d, name);

		if (access(full, F_OK) == 0 && is_elf64(full))
			found = xasprintf("%s/%s", d, name);
		free(full);
		free(d);
	}
	free(copy);
	return found;
}

static bool in_list(char **list, int nr, const char *s)
{
	for (int i = 0; i < nr; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static void add_unique(char ***list, int *nr, const char *s)
{
	if (in_list(*list, *nr, s))
		return;
	*list = xrealloc(*list, (*nr + 1) * sizeof(char *));
	(*list)[(*nr)++] = xstrdup(s);
}

/* The DT_RPATHs that apply to an object's needs: its own, then its loaders' (to the executable). */
struct rpath_chain {
	char *rpath;		/* NULL: none (or the object has DT_RUNPATH) */
	char *origin;
	struct rpath_chain *up;
	struct rpath_chain *all_next;	/* every chain link, for freeing */
};

static char *find_needed(const char *name, const struct elf_info *obj, const char *origin,
			 const struct rpath_chain *chain, const struct fs_deps_env *env)
{
	const char *root = env->root;
	char *found = NULL, *full;

	if (strchr(name, '/'))
		return xstrdup(name);
	if (!obj->runpath)
		for (const struct rpath_chain *c = chain; c && !found; c = c->up)
			found = search_list(c->rpath, name, c->origin, root);
	if (!found)
		found = search_list(env->ld_library_path, name, origin, root);
	if (!found)
		found = search_list(obj->runpath, name, origin, root);
	if (!found && !root)
		found = elfsym_ld_cache_lookup(name);
	if (!found)
		found = search_list(default_dirs, name, origin, root);
	if (found && root) {
		full = xasprintf("%s%s", root, found);
		if (access(full, F_OK) < 0) {
			free(found);
			found = NULL;
		}
		free(full);
	}
	return found;
}

static char *origin_of(const char *file, const char *root)
{
	char *origin = dir_of(file), *o;
	size_t n = root ? strlen(root) : 0;

	if (root && !strncmp(origin, root, n)) {
		o = xstrdup(origin[n] ? origin + n : "/");
		free(origin);
		origin = o;
	}
	return origin;
}

struct bfs_item {
	char *path;
	struct rpath_chain *up;		/* the loader's chain */
};

/*
 * Breadth first, as the loader maps objects; a soname already loaded is not
 * searched again (the loader reuses the loaded object).
 */
static void closure(const char *path, const struct fs_deps_env *env, char ***out, int *nr,
		    char ***missing, int *nr_missing)
{
	struct bfs_item *queue = xmalloc(sizeof(*queue));
	struct rpath_chain *all = NULL;
	char **sonames = NULL;
	int nr_sonames = 0, head = 0, tail = 0;

	queue[tail++] = (struct bfs_item){ xstrdup(path), NULL };
	while (head < tail) {
		struct bfs_item it = queue[head++];
		char *file = xasprintf("%s%s", env->root && *it.path == '/' ? env->root : "",
				       it.path);
		struct rpath_chain *me;
		struct elf_info e;

		if (elf_info_read(file, &e) < 0) {
			free(file);
			free(it.path);
			continue;
		}
		me = xcalloc(1, sizeof(*me));
		me->rpath = e.runpath || !e.rpath ? NULL : xstrdup(e.rpath);
		me->origin = origin_of(file, env->root);
		me->up = it.up;
		me->all_next = all;
		all = me;
		for (int i = 0; i < e.nr_needed; i++) {
			char *dep;

			if (in_list(sonames, nr_sonames, e.needed[i]))
				continue;
			dep = find_needed(e.needed[i], &e, me->origin, me, env);
			if (!dep) {
				add_unique(missing, nr_missing, e.needed[i]);
				continue;
			}
			add_unique(&sonames, &nr_sonames, e.needed[i]);
			if (!in_list(*out, *nr, dep)) {
				add_unique(out, nr, dep);
				queue = xrealloc(queue, (tail + 1) * sizeof(*queue));
				queue[tail++] = (struct bfs_item){ xstrdup(dep), me };
			}
			free(dep);
		}
		elf_info_free(&e);
		free(file);
		free(it.path);
	}
	while (all) {
		struct rpath_chain *next = all->all_next;

		free(all->rpath);
		free(all->origin);
		free(all);
		all = next;
	}
	for (int i = 0; i < nr_sonames; i++)
		free(sonames[i]);
	free(sonames);
	free(queue);
}

int fs_needed_closure(const char *path, const struct fs_deps_env *env, char ***out, int *nr,
		      char ***missing, int *nr_missing)
{
	char *file = xasprintf("%s%s", env->root && *path == '/' ? env->root : "", path);
	bool elf = is_elf64(file);

	free(file);
	if (!elf)
		return -1;
	closure(path, env, out, nr, missing, nr_missing);
	return 0;
}

void fs_add_deps(struct fs_model *m, const struct fs_deps_env *env)
{
	struct fs_file **files;
	char **deps = NULL, **missing = NULL;
	int n = fs_files(m, &files), nr = 0, nr_missing = 0;

	/* Snapshot first: adding files changes the table. */
	for (int i = 0; i < n; i++) {
		const struct fs_file *f = files[i];

		char *file, *interp;

		if (!(f->access & FS_OPENED) || fs_is_pseudo(f->path))
			continue;
		/* A script's interpreter (and what it needs), as the kernel would run it. */
		file = xasprintf("%s%s", env->root ? env->root : "", f->path);
		interp = fs_script_interp(file);
		free(file);
		if (interp && interp[0] == '/') {
			add_unique(&deps, &nr, interp);
			fs_needed_closure(interp, env, &deps, &nr, &missing, &nr_missing);
		}
		free(interp);
		fs_needed_closure(f->path, env, &deps, &nr, &missing, &nr_missing);
	}
	free(files);
	for (int i = 0; i < nr; i++) {
		char *norm = fs_normalize(env->root, deps[i]);

		fs_add(m, norm, FS_NEEDED, 0, "");
		free(norm);
		free(deps[i]);
	}
	for (int i = 0; i < nr_missing; i++)
		free(missing[i]);
	free(deps);
	free(missing);
}
