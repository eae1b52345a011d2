// SPDX-License-Identifier: LGPL-2.1
/*
 * The static layer of a file set: #! interpreters, PT_INTERP, and the
 * DT_NEEDED closure, each library found by the loader's search
 * (elf/ldsearch.h; fileset.h, fs_needed_closure()).
 */
#include "elf/ldsearch.h"
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

/*
 * The files a trace names are read only if they are regular files: one may
 * have become a FIFO since the recording, or a device.
 */
static int open_named_file(const char *path)
{
	struct stat st;

	return open_regular(path, &st);
}

char *fs_script_interp(const char *path)
{
	char buf[MAX_LINE], *p, *end;
	ssize_t n;
	int fd = open_named_file(path);

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
	int fd = open_named_file(path), ret = -1;
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

/* The DT_RPATH chain (elf/ldsearch.h) of the objects the closure loaded, each link owned. */
struct rpath_chain {
	struct ld_rpath link;	/* its strings are rpath and origin below */
	char *rpath;
	char *origin;
	struct rpath_chain *all_next;	/* every chain link, for freeing */
};

static char *find_needed(const char *name, const struct elf_info *obj,
			 const struct rpath_chain *me, const struct fs_deps_env *env)
{
	struct ld_needer needer = { me->origin, obj->runpath, &me->link };
	struct ld_env where = { env->ld_library_path, env->root };

	return ld_search(name, &needer, &where);
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
	const struct ld_rpath *up;	/* the loader's chain */
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
		me->link = (struct ld_rpath){ me->rpath, me->origin, it.up };
		me->all_next = all;
		all = me;
		for (int i = 0; i < e.nr_needed; i++) {
			char *dep;

			if (in_list(sonames, nr_sonames, e.needed[i]))
				continue;
			dep = find_needed(e.needed[i], &e, me, env);
			if (!dep) {
				add_unique(missing, nr_missing, e.needed[i]);
				continue;
			}
			add_unique(&sonames, &nr_sonames, e.needed[i]);
			if (!in_list(*out, *nr, dep)) {
				add_unique(out, nr, dep);
				queue = xrealloc(queue, (tail + 1) * sizeof(*queue));
				queue[tail++] = (struct bfs_item){ xstrdup(dep), &me->link };
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
	bool elf = ld_is_x86_64_elf(file);

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
