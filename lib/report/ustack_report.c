// SPDX-License-Identifier: LGPL-2.1
/*
 * Symbolized user stacks (see ustack_report.h).
 */
#include "report/ustack_report.h"
#include "elf/elfsym.h"
#include "tracedat/stack_probes.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <event-parse.h>

#define PAGE_MASK_4K 0xfffULL

/* A recorded uprobe: its ELF file (opened on first use) and link-time address. */
struct probed {
	struct stack_probe p;
	struct elfsym *elf;
	uint64_t vaddr;
	bool tried, ok;
};

/* Where a probed binary is loaded in a process: run-time address = link-time + bias. */
struct load {
	int tgid;
	int probed;		/* index in probes */
	uint64_t bias;
};

/* A file of the PROCMAPS option, opened on first use. */
struct mapped_file {
	const char *path;	/* points into maps */
	struct elfsym *elf;
	uint64_t first_vaddr;	/* the link-time address of file offset 0 */
	bool tried, ok;
};

struct ustack_report {
	struct tep_handle *tep;
	struct stack_probe *list;
	struct probed *probes;
	int nr_probes;
	struct load *loads;
	int nr_loads;
	struct proc_map *maps;	/* PROCMAPS (record -P --stack, trace-cmd --proc-map) */
	int nr_maps;
	struct mapped_file *files;
	int nr_files;
};

struct ustack_report *ustack_report_new(const struct td_meta *meta, struct tep_handle *tep)
{
	const struct td_blob *opt = td_meta_get_option(meta, TD_OPT_STACK_PROBES);
	struct ustack_report *u;

	if (!opt)
		return NULL;
	u = xcalloc(1, sizeof(*u));
	u->tep = tep;
	u->nr_probes = stack_probes_parse(opt->data, opt->size, &u->list);
	u->probes = xcalloc(u->nr_probes + 1, sizeof(*u->probes));
	for (int i = 0; i < u->nr_probes; i++)
		u->probes[i].p = u->list[i];
	if (meta->procmaps)
		u->nr_maps = procmaps_parse(meta->procmaps, strlen(meta->procmaps), &u->maps);
	return u;
}

void ustack_report_free(struct ustack_report *u)
{
	if (!u)
		return;
	for (int i = 0; i < u->nr_probes; i++)
		elfsym_close(u->probes[i].elf);
	stack_probes_free(u->list, u->nr_probes);
	for (int i = 0; i < u->nr_files; i++)
		elfsym_close(u->files[i].elf);
	free(u->files);
	procmaps_free(u->maps, u->nr_maps);
	free(u->probes);
	free(u->loads);
	free(u);
}

/* The ELF file of probe i, read once; false when it is gone or unreadable. */
static bool open_probed(struct probed *pr)
{
	if (!pr->tried) {
		pr->tried = true;
		pr->elf = elfsym_open(pr->p.path, NULL);
		pr->ok = pr->elf && elfsym_offset_to_vaddr(pr->elf, pr->p.offset, &pr->vaddr) == 0;
	}
	return pr->ok;
}

/* Record that probe i's binary is at bias in tgid (an exec may have moved it). */
static void set_load(struct ustack_report *u, int tgid, int probed, uint64_t bias)
{
	for (int i = 0; i < u->nr_loads; i++) {
		if (u->loads[i].tgid == tgid && !strcmp(u->probes[u->loads[i].probed].p.path,
							 u->probes[probed].p.path)) {
			u->loads[i].bias = bias;
			u->loads[i].probed = probed;
			return;
		}
	}
	u->loads = xrealloc(u->loads, (u->nr_loads + 1) * sizeof(*u->loads));
	u->loads[u->nr_loads++] = (struct load){ .tgid = tgid, .probed = probed, .bias = bias };
}

/*
 * After a uprobe hit, the first frame is the probed instruction of one of the
 * recorded uprobes: the one whose link-time address has the same place in its
 * page (biases are whole pages), preferring a binary already known at that
 * bias in the process. The user stacks of other events (a system call's place
 * in libc) cannot be told from those here, so the caller only asks when the
 * first frame is in no binary known yet: a false match then lasts until a hit
 * of that binary's uprobe puts it right.
 */
static void learn_load(struct ustack_report *u, int tgid, uint64_t ip)
{
	int pick = -1;

	for (int i = 0; i < u->nr_probes; i++) {
		struct probed *pr = &u->probes[i];

		if (!open_probed(pr) || (pr->vaddr & PAGE_MASK_4K) != (ip & PAGE_MASK_4K))
			continue;
		for (int k = 0; k < u->nr_loads; k++)
			if (u->loads[k].tgid == tgid && u->loads[k].probed == i &&
			    u->loads[k].bias == ip - pr->vaddr)
				return;
		if (pick < 0)
			pick = i;
	}
	if (pick >= 0)
		set_load(u, tgid, pick, ip - u->probes[pick].vaddr);
}

/* addr's function in a binary known in tgid: 0 with *sym and *pr, or -1. */
static int lookup(struct ustack_report *u, int tgid, uint64_t addr, struct elfsym_sym *sym,
		  const struct probed **pr)
{
	for (int i = 0; i < u->nr_loads; i++) {
		const struct load *l = &u->loads[i];

		if (l->tgid != tgid || addr < l->bias ||
		    elfsym_at(u->probes[l->probed].elf, addr - l->bias, sym) < 0)
			continue;
		*pr = &u->probes[l->probed];
		return (int)i;
	}
	return -1;
}

/* The ELF file at path, opened once. */
static struct mapped_file *mapped_file(struct ustack_report *u, const char *path)
{
	struct mapped_file *f;

	for (int i = 0; i < u->nr_files; i++)
		if (!strcmp(u->files[i].path, path))
			return &u->files[i];
	u->files = xrealloc(u->files, (u->nr_files + 1) * sizeof(*u->files));
	f = &u->files[u->nr_files++];
	*f = (struct mapped_file){ .path = path, .tried = true };
	f->elf = elfsym_open(path, NULL);
	f->ok = f->elf && elfsym_offset_to_vaddr(f->elf, 0, &f->first_vaddr) == 0;
	return f;
}

/* addr through the PROCMAPS of tgid: its symbol and file, or NULL. */
static const char *lookup_maps(struct ustack_report *u, int tgid, uint64_t addr,
			       struct elfsym_sym *sym, uint64_t *vaddr)
{
	for (int i = 0; i < u->nr_maps; i++) {
		const struct proc_map *m = &u->maps[i];

		for (int k = 0; m->pid == tgid && k < m->nr_libs; k++) {
			const struct proc_lib *l = &m->libs[k];
			struct mapped_file *f;

			if (addr < l->start || addr >= l->end)
				continue;
			f = mapped_file(u, l->path);
			*vaddr = addr - l->start + f->first_vaddr;
			if (f->ok && elfsym_at(f->elf, *vaddr, sym) == 0)
				return l->path;
			return NULL;
		}
	}
	return NULL;
}

/* Whether addr is in a binary whose load address in tgid is known. */
static bool known(struct ustack_report *u, int tgid, uint64_t addr)
{
	const struct probed *pr;
	struct elfsym_sym sym;
	uint64_t vaddr;

	return lookup(u, tgid, addr, &sym, &pr) >= 0 || lookup_maps(u, tgid, addr, &sym, &vaddr);
}

static void print_frame(struct ustack_report *u, struct trace_seq *s, int tgid, uint64_t addr,
			bool first)
{
	const struct probed *pr;
	struct elfsym_sym sym;
	int at = lookup(u, tgid, addr, &sym, &pr);
	uint64_t vaddr;

	const char *path;

	if (at >= 0) {
		vaddr = addr - u->loads[at].bias;
		path = pr->p.path;
	} else if (!(path = lookup_maps(u, tgid, addr, &sym, &vaddr))) {
		trace_seq_printf(s, "\n=> 0x%" PRIx64, addr);
		return;
	}
	trace_seq_printf(s, "\n=> %s+0x%" PRIx64 " (%s)", sym.name, vaddr - sym.value, path);
	/* At a function's entry the frame chain starts at the caller's frame: its caller. */
	if (first && vaddr == sym.value)
		trace_seq_printf(s, "\n=> ?? (the caller of %s: a probe at a function's entry comes before its frame)",
				 sym.name);
}

static int user_stack_handler(struct trace_seq *s, struct tep_record *rec, struct tep_event *ev,
			      void *ctx)
{
	struct ustack_report *u = ctx;
	struct tep_format_field *field = tep_find_field(ev, "caller");
	unsigned long long tgid = 0;
	const unsigned char *data = rec->data;
	int n, size;

	if (tep_get_field_val(NULL, ev, "tgid", rec, &tgid, 0) < 0 || !field ||
	    field->offset + field->size > rec->size) {
		trace_seq_puts(s, "<user stack trace: unreadable>");
		return 0;
	}
	size = field->elementsize > 0 ? field->elementsize : 8;
	n = field->size / size;
	trace_seq_puts(s, "<user stack trace >");
	for (int i = 0; i < n; i++) {
		uint64_t addr = tep_read_number(u->tep, data + field->offset + i * size, size);

		if (!addr)
			break;
		if (i == 0 && !known(u, (int)tgid, addr))
			learn_load(u, (int)tgid, addr);
		print_frame(u, s, (int)tgid, addr, i == 0);
	}
	return 0;
}

int ustack_report_register(struct ustack_report *u)
{
	if (tep_register_event_handler(u->tep, -1, "ftrace", "user_stack", user_stack_handler, u) < 0) {
		st_set_error("cannot install the user stack printer");
		return -1;
	}
	return 0;
}
