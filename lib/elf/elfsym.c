// SPDX-License-Identifier: LGPL-2.1
/*
 * ELF function symbols -> uprobe file offsets, with libelf. See elfsym.h.
 */
#include "elf/elfsym.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct region {
	uint64_t vaddr, size, offset;
	bool exec;
};

struct elfsym {
	char *path;
	char *debug_path;
	bool x86_64;
	bool stripped;
	struct region *loads;	/* PT_LOAD segments */
	int nr_loads;
	struct region *sections;	/* allocated sections with file bytes (fallback) */
	int nr_sections;
	struct elfsym_sym *syms;
	int nr_syms, alloc_syms;
	struct strlist strings;	/* owns every name and version */
};

struct elf_file {
	int fd;
	Elf *elf;
	uint64_t size;		/* bytes in the file */
};

/* An ELF file to read: anything but a regular file is refused before a byte is read. */
static int open_elf_file(const char *path, uint64_t *size)
{
	struct stat st = { 0 };
	int fd = open_regular(path, &st);

	if (fd < 0 && errno == EINVAL)
		st_set_error("%s: %s, not an ELF file", path, st_file_kind(st.st_mode));
	else if (fd < 0)
		st_set_error("%s: %s", path, strerror(errno));
	else
		*size = st.st_size;
	return fd;
}

static int elf_file_open(const char *path, struct elf_file *f)
{
	f->elf = NULL;
	f->fd = open_elf_file(path, &f->size);
	if (f->fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	f->elf = elf_begin(f->fd, ELF_C_READ_MMAP, NULL);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF) {
		st_set_error("%s: not an ELF file", path);
		elf_end(f->elf);
		close(f->fd);
		return -1;
	}
	return 0;
}

static void elf_file_close(struct elf_file *f)
{
	elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
}

static const char *keep(struct elfsym *e, const char *s, size_t len)
{
	char *copy = xmalloc(len + 1);

	memcpy(copy, s, len);
	copy[len] = '\0';
	strlist_add_owned(&e->strings, copy);
	return copy;
}

static void add_sym(struct elfsym *e, const char *full, const char *version, bool def,
		    const GElf_Sym *sym)
{
	struct elfsym_sym *s;
	const char *at = strchr(full, '@');

	if (e->nr_syms == e->alloc_syms) {
		e->alloc_syms = e->alloc_syms ? e->alloc_syms * 2 : 1024;
		e->syms = xrealloc(e->syms, e->alloc_syms * sizeof(*e->syms));
	}
	s = &e->syms[e->nr_syms++];
	memset(s, 0, sizeof(*s));
	/* .symtab may spell versions in the name: "foo@@VER", "foo@VER". */
	if (at && !version) {
		def = at[1] == '@';
		version = keep(e, at + (def ? 2 : 1), strlen(at + (def ? 2 : 1)));
	}
	s->name = keep(e, full, at ? (size_t)(at - full) : strlen(full));
	s->version = version;
	s->default_version = def;
	s->ifunc = GELF_ST_TYPE(sym->st_info) == STT_GNU_IFUNC;
	s->global = GELF_ST_BIND(sym->st_info) != STB_LOCAL;
	s->value = sym->st_value;
	s->size = sym->st_size;
}

/* Version names of .dynsym entries, indexed by their .gnu.version value. */
static char **read_verdefs(Elf *elf, Elf_Scn *verdef, int *nr)
{
	GElf_Shdr shdr;
	Elf_Data *data = elf_getdata(verdef, NULL);
	char **names = NULL;
	size_t off = 0;

	*nr = 0;
	if (!data || !gelf_getshdr(verdef, &shdr))
		return NULL;
	for (unsigned i = 0; i < shdr.sh_info; i++) {
		GElf_Verdef vd;
		GElf_Verdaux aux;

		if (!gelf_getverdef(data, off, &vd) || !gelf_getverdaux(data, off + vd.vd_aux, &aux))
			break;
		if (vd.vd_ndx >= *nr) {
			names = xrealloc(names, (vd.vd_ndx + 1) * sizeof(*names));
			memset(names + *nr, 0, (vd.vd_ndx + 1 - *nr) * sizeof(*names));
			*nr = vd.vd_ndx + 1;
		}
		names[vd.vd_ndx] = elf_strptr(elf, shdr.sh_link, aux.vda_name);
		if (!vd.vd_next)
			break;
		off += vd.vd_next;
	}
	return names;
}

/* A corrupt file's reason, for "not a valid ELF file: ..." (static text). */
static const char *symtab_damage(Elf *elf, Elf_Scn *scn, Elf_Data **data, GElf_Shdr *shdr)
{
	Elf_Scn *strtab;
	GElf_Shdr str;

	if (!gelf_getshdr(scn, shdr))
		return elf_errmsg(-1);
	if (!shdr->sh_size)
		return NULL;	/* an empty table: no symbols, nothing wrong */
	*data = elf_getdata(scn, NULL);
	if (!*data)
		return elf_errmsg(-1);
	if (!shdr->sh_entsize)
		return "a symbol table with entries of size 0";
	strtab = elf_getscn(elf, shdr->sh_link);
	if (!strtab || !gelf_getshdr(strtab, &str) || str.sh_type != SHT_STRTAB)
		return "a symbol table without its string table";
	return NULL;
}

/* Reads the function symbols of one symbol table; -1 if the file is damaged. */
static int read_symtab(struct elfsym *e, Elf *elf, const char *path, Elf_Scn *scn,
		       Elf_Scn *versym, Elf_Scn *verdef)
{
	Elf_Data *data = NULL, *vdata = versym ? elf_getdata(versym, NULL) : NULL;
	GElf_Shdr shdr;
	char **vernames = NULL;
	int nr_vernames = 0;
	const char *damage = symtab_damage(elf, scn, &data, &shdr);

	if (damage) {
		st_set_error("%s: not a valid ELF file: cannot read its symbols (%s)", path,
			     damage);
		return -1;
	}
	if (!data)
		return 0;
	if (verdef)
		vernames = read_verdefs(elf, verdef, &nr_vernames);
	for (size_t i = 0; i < shdr.sh_size / shdr.sh_entsize; i++) {
		const char *name, *version = NULL;
		bool def = false;
		GElf_Sym sym;
		GElf_Versym vs;
		int type;

		if (!gelf_getsym(data, i, &sym))
			break;
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
		    !sym.st_value)
			continue;
		name = elf_strptr(elf, shdr.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (vdata && gelf_getversym(vdata, i, &vs) && (vs & 0x7fff) > 1 &&
		    (vs & 0x7fff) < nr_vernames && vernames[vs & 0x7fff]) {
			version = vernames[vs & 0x7fff];
			def = !(vs & 0x8000);
			version = keep(e, version, strlen(version));
		}
		add_sym(e, name, version, def, &sym);
	}
	free(vernames);
	return 0;
}

/*
 * Reads the function symbols of one file; *has_symtab tells if .symtab was
 * there. -1 with st_set_error() if a symbol table cannot be read.
 */
static int read_symbols(struct elfsym *e, Elf *elf, const char *path, bool *has_symtab)
{
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL, *versym = NULL, *verdef = NULL;
	GElf_Shdr shdr;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &shdr))
			continue;
		switch (shdr.sh_type) {
		case SHT_SYMTAB: symtab = scn; break;
		case SHT_DYNSYM: dynsym = scn; break;
		case SHT_GNU_versym: versym = scn; break;
		case SHT_GNU_verdef: verdef = scn; break;
		}
	}
	*has_symtab = symtab != NULL;
	if (symtab && read_symtab(e, elf, path, symtab, NULL, NULL) < 0)
		return -1;
	if (dynsym && read_symtab(e, elf, path, dynsym, versym, verdef) < 0)
		return -1;
	return 0;
}

static void read_layout(struct elfsym *e, Elf *elf)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr ehdr;
	size_t n = 0;

	if (gelf_getehdr(elf, &ehdr))
		e->x86_64 = ehdr.e_machine == EM_X86_64 && gelf_getclass(elf) == ELFCLASS64;
	elf_getphdrnum(elf, &n);
	e->loads = xcalloc(n + 1, sizeof(*e->loads));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		e->loads[e->nr_loads++] = (struct region){ ph.p_vaddr, ph.p_memsz, ph.p_offset,
							   !!(ph.p_flags & PF_X) };
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) || sh.sh_type == SHT_NOBITS)
			continue;
		e->sections = xrealloc(e->sections, (e->nr_sections + 1) * sizeof(*e->sections));
		e->sections[e->nr_sections++] = (struct region){ sh.sh_addr, sh.sh_size, sh.sh_offset,
								 !!(sh.sh_flags & SHF_EXECINSTR) };
	}
}

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *build_id_path(Elf *elf, const char *root)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
			const unsigned char *id = (const unsigned char *)d->d_buf + desc_off;
			char hex[2 * 64 + 1];

			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 || nh.n_descsz < 2 ||
			    nh.n_descsz > 64 || memcmp((char *)d->d_buf + name_off, "GNU", 4))
				continue;
			for (unsigned i = 0; i < nh.n_descsz; i++)
				sprintf(hex + 2 * i, "%02x", id[i]);
			return xasprintf("%s/.build-id/%.2s/%s.debug", root, hex, hex + 2);
		}
	}
	return NULL;
}

static char *debuglink_path(Elf *elf, const char *path, const char *root)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		Elf_Data *d;
		char *dir, *slash, *cand[3];

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(name, ".gnu_debuglink") || !(d = elf_getdata(scn, NULL)) || !d->d_size)
			continue;
		name = d->d_buf;
		if (!memchr(name, '\0', d->d_size))
			return NULL;
		dir = xstrdup(path);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		cand[0] = xasprintf("%s/%s", dir, name);
		cand[1] = xasprintf("%s/.debug/%s", dir, name);
		cand[2] = xasprintf("%s%s/%s", root, dir, name);
		free(dir);
		for (int i = 0; i < 3; i++) {
			/* The file itself may carry the same name: never pick it. */
			if (strcmp(cand[i], path) && file_exists(cand[i])) {
				for (int k = 0; k < 3; k++)
					if (k != i)
						free(cand[k]);
				return cand[i];
			}
		}
		for (int k = 0; k < 3; k++)
			free(cand[k]);
	}
	return NULL;
}

static void load_debug_file(struct elfsym *e, Elf *elf, const char *root)
{
	struct elf_file dbg;
	char *path = build_id_path(elf, root);
	bool has_symtab;

	if (!path || !file_exists(path)) {
		free(path);
		path = debuglink_path(elf, e->path, root);
	}
	if (!path)
		return;
	if (elf_file_open(path, &dbg) < 0) {
		free(path);
		return;
	}
	/* A damaged debug file is as good as none: the binary's own symbols remain. */
	if (read_symbols(e, dbg.elf, path, &has_symtab) == 0)
		e->debug_path = path;
	else
		free(path);
	elf_file_close(&dbg);
}

static int sym_cmp(const void *a, const void *b)
{
	const struct elfsym_sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return strcmp(x->version ? x->version : "", y->version ? y->version : "");
}

/* .symtab and .dynsym (and the debug file) list the same functions: keep one each. */
static void sort_and_dedup(struct elfsym *e)
{
	int n = 0;

	if (!e->nr_syms)
		return;
	qsort(e->syms, e->nr_syms, sizeof(*e->syms), sym_cmp);
	for (int i = 0; i < e->nr_syms; i++) {
		if (n && !sym_cmp(&e->syms[n - 1], &e->syms[i])) {
			e->syms[n - 1].global |= e->syms[i].global;
			e->syms[n - 1].default_version |= e->syms[i].default_version;
			continue;
		}
		e->syms[n++] = e->syms[i];
	}
	e->nr_syms = n;
}

/* Whether count entries of entsize bytes at offset fit in a file of size bytes. */
static bool table_fits(uint64_t offset, uint64_t count, uint64_t entsize, uint64_t size)
{
	return offset <= size && entsize && count <= (size - offset) / entsize;
}

/*
 * Header tables the file cannot hold: libelf quietly sees no sections at all
 * in a truncated file, which would read as "stripped". -1 with st_set_error().
 */
static int check_headers(struct elf_file *f, const char *path)
{
	const char *why = NULL;
	size_t shnum, phnum;
	GElf_Ehdr eh;

	elf_errno();	/* forget any earlier error */
	if (!gelf_getehdr(f->elf, &eh) || elf_getshdrnum(f->elf, &shnum) < 0 ||
	    elf_getphdrnum(f->elf, &phnum) < 0) {
		st_set_error("%s: not a valid ELF file: cannot read its headers (%s)", path,
			     elf_errmsg(-1));
		return -1;
	}
	if (eh.e_shoff && !table_fits(eh.e_shoff, eh.e_shnum ? eh.e_shnum : 1,
					   eh.e_shentsize, f->size))
		why = "its section headers lie past the end of the file (truncated?)";
	else if (eh.e_phoff && !table_fits(eh.e_phoff, phnum, eh.e_phentsize, f->size))
		why = "its program headers lie past the end of the file (truncated?)";
	if (why)
		st_set_error("%s: not a valid ELF file: %s", path, why);
	return why ? -1 : 0;
}

struct elfsym *elfsym_open(const char *path, const char *debug_root)
{
	struct elfsym *e;
	struct elf_file f;
	bool has_symtab;

	if (elf_file_open(path, &f) < 0)
		return NULL;
	if (check_headers(&f, path) < 0) {
		elf_file_close(&f);
		return NULL;
	}
	e = xcalloc(1, sizeof(*e));
	e->path = xstrdup(path);
	read_layout(e, f.elf);
	if (read_symbols(e, f.elf, path, &has_symtab) < 0) {
		elf_file_close(&f);
		elfsym_close(e);
		return NULL;
	}
	if (!has_symtab) {
		load_debug_file(e, f.elf, debug_root ? debug_root : "/usr/lib/debug");
		e->stripped = !e->debug_path;
	}
	elf_file_close(&f);
	sort_and_dedup(e);
	return e;
}

void elfsym_close(struct elfsym *e)
{
	if (!e)
		return;
	strlist_free(&e->strings);
	free(e->syms);
	free(e->loads);
	free(e->sections);
	free(e->debug_path);
	free(e->path);
	free(e);
}

bool elfsym_stripped(const struct elfsym *e)
{
	return e->stripped;
}

const char *elfsym_debug_file(const struct elfsym *e)
{
	return e->debug_path;
}

const char *elfsym_dwarf_file(const struct elfsym *e)
{
	return e->debug_path ? e->debug_path : e->path;
}

bool elfsym_is_64bit_x86(const struct elfsym *e)
{
	return e->x86_64;
}

int elfsym_functions(const struct elfsym *e, const struct elfsym_sym **syms)
{
	*syms = e->syms;
	return e->nr_syms;
}

static bool version_matches(const struct elfsym_sym *s, const char *version, bool want_default)
{
	if (!version)
		return true;
	if (!s->version || strcmp(s->version, version))
		return false;
	return !want_default || s->default_version;
}

static bool pass_accepts(const struct elfsym_sym *s, int pass)
{
	return pass == 0 || (pass == 1 ? s->default_version : s->global);
}

/*
 * Among the matches, the only address; else the default version's (the one the
 * dynamic linker binds); else the only global one.
 */
static int pick(const struct elfsym_sym **m, int n, const char *name, struct elfsym_sym *out)
{
	char addrs[256];
	size_t len = 0;

	for (int pass = 0; pass < 3; pass++) {
		int first = -1, distinct = 0;

		for (int i = 0; i < n; i++) {
			if (!pass_accepts(m[i], pass))
				continue;
			if (first < 0)
				first = i;
			if (first == i || m[i]->value != m[first]->value)
				distinct++;
		}
		if (distinct == 1) {
			*out = *m[first];
			return 0;
		}
	}
	for (int i = 0; i < n && len < sizeof(addrs) - 32; i++)
		len += snprintf(addrs + len, sizeof(addrs) - len, " %s%s%s@0x%llx", m[i]->name,
				m[i]->version ? "@" : "", m[i]->version ? m[i]->version : "",
				(unsigned long long)m[i]->value);
	st_set_error("'%s' is ambiguous:%s; name a version (FUNC@VER) or an address (0xADDR)",
		     name, addrs);
	return -1;
}

int elfsym_lookup(const struct elfsym *e, const char *name, struct elfsym_sym *out)
{
	const struct elfsym_sym **m = NULL;
	const char *at = strchr(name, '@');
	char *base = at ? strndup(name, at - name) : strdup(name);
	const char *version = NULL;
	bool want_default = false;
	int n = 0, ret = -1;

	if (at) {
		want_default = at[1] == '@';
		version = at + (want_default ? 2 : 1);
	}
	for (int i = 0; i < e->nr_syms; i++) {
		if (strcmp(e->syms[i].name, base) || !version_matches(&e->syms[i], version, want_default))
			continue;
		m = xrealloc(m, (n + 1) * sizeof(*m));
		m[n++] = &e->syms[i];
	}
	if (!n)
		st_set_error("no function '%s' in %s%s", name, e->path,
			     e->stripped ? " (stripped, and no debug file found by build-id or debuglink)" : "");
	else
		ret = pick(m, n, name, out);
	free(m);
	free(base);
	return ret;
}

int elfsym_at(const struct elfsym *e, uint64_t vaddr, struct elfsym_sym *out)
{
	int best = -1;

	for (int i = 0; i < e->nr_syms; i++) {
		const struct elfsym_sym *s = &e->syms[i];

		if (vaddr < s->value || vaddr >= s->value + (s->size ? s->size : 1))
			continue;
		/* Prefer the exported, default-version name of an address. */
		if (best < 0 || (s->global && !e->syms[best].global) ||
		    (s->default_version && !e->syms[best].default_version))
			best = i;
	}
	if (best < 0)
		return -1;
	*out = e->syms[best];
	return 0;
}

static const struct region *find_region(const struct region *r, int n, uint64_t addr, bool by_vaddr)
{
	for (int i = 0; i < n; i++) {
		uint64_t start = by_vaddr ? r[i].vaddr : r[i].offset;

		if (addr >= start && addr < start + r[i].size)
			return &r[i];
	}
	return NULL;
}

int elfsym_vaddr_to_offset(const struct elfsym *e, uint64_t vaddr, uint64_t *offset, bool *exec)
{
	const struct region *r = find_region(e->loads, e->nr_loads, vaddr, true);

	if (!r)
		r = find_region(e->sections, e->nr_sections, vaddr, true);
	if (!r) {
		st_set_error("address 0x%llx is in no segment of %s", (unsigned long long)vaddr, e->path);
		return -1;
	}
	*offset = vaddr - r->vaddr + r->offset;
	if (exec)
		*exec = r->exec;
	return 0;
}

int elfsym_offset_to_vaddr(const struct elfsym *e, uint64_t offset, uint64_t *vaddr)
{
	const struct region *r = find_region(e->loads, e->nr_loads, offset, false);

	if (!r) {
		st_set_error("offset 0x%llx is in no segment of %s", (unsigned long long)offset, e->path);
		return -1;
	}
	*vaddr = offset - r->offset + r->vaddr;
	return 0;
}
