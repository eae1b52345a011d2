// SPDX-License-Identifier: LGPL-2.1
/*
 * The trace.dat reader: v6 and v7, uncompressed, zstd or zlib. The file is
 * mmap'ed and every offset and size read from it is checked against the
 * mapping before use, so a corrupt file yields one error message naming the
 * part that is wrong instead of a crash. The layout: Documentation/trace-dat.md,
 * section 1 (the section numbers below are that file's).
 */
#include "tracedat/tracedat_priv.h"
#include "tracedat/compress.h"
#include "tracedat/ksyms.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

/* Upper bounds that keep a corrupt file from asking for absurd allocations. */
#define MAX_BLOCK_SIZE	(1ULL << 30)
#define MAX_CPUS	4096
#define MAX_OPTION_SECTIONS 4096

/* ---- bounds-checked cursor ---- */

struct cur {
	const uint8_t *p;
	uint64_t len;
	uint64_t pos;
	uint64_t base;		/* file offset of p[0], or NO_FILE_OFFSET */
	const char *what;	/* for error messages */
	bool swap;
};

#define NO_FILE_OFFSET UINT64_MAX

static void cur_init(struct cur *c, const struct td_file *f, const void *p, uint64_t len,
		     uint64_t base, const char *what)
{
	c->p = p;
	c->len = len;
	c->pos = 0;
	c->base = base;
	c->what = what;
	c->swap = f->swap;
}

/* " at offset N" in the file, or " at byte N" of a decompressed section */
static const char *cur_where(const struct cur *c, char *buf, size_t size)
{
	if (c->base == NO_FILE_OFFSET)
		snprintf(buf, size, " at byte %llu of the decompressed data",
			 (unsigned long long)c->pos);
	else
		snprintf(buf, size, " at offset %llu", (unsigned long long)(c->base + c->pos));
	return buf;
}

static int truncated(const struct cur *c)
{
	char where[80];

	st_set_error("trace.dat truncated in the %s section%s", c->what,
		     cur_where(c, where, sizeof(where)));
	return -1;
}

static int corrupt(const struct cur *c, const char *why)
{
	char where[80];

	st_set_error("corrupt trace.dat: %s in the %s section%s", why, c->what,
		     cur_where(c, where, sizeof(where)));
	return -1;
}

/*
 * A size or offset that only fits the file byte-swapped: the endianness byte
 * of the initial header is wrong (or the file was converted badly).
 */
static int wrong_endian(const struct td_file *f, const struct cur *c, uint64_t v, uint64_t limit,
			const char *what)
{
	if (v <= limit || __builtin_bswap64(v) > limit || c->base == NO_FILE_OFFSET)
		return 0;
	st_set_error("trace.dat has the wrong endianness: the initial header says %s-endian, "
		     "but the %s at offset %llu (%llu) only fits the file byte-swapped",
		     f->meta.big_endian ? "big" : "little", what,
		     (unsigned long long)(c->base + c->pos - 8), (unsigned long long)v);
	return -1;
}

static int cur_bytes(struct cur *c, uint64_t n, const uint8_t **out)
{
	if (n > c->len - c->pos) {
		truncated(c);
		return -1;
	}
	*out = c->p + c->pos;
	c->pos += n;
	return 0;
}

static int cur_u8(struct cur *c, uint8_t *v)
{
	const uint8_t *p;

	if (cur_bytes(c, 1, &p) < 0)
		return -1;
	*v = *p;
	return 0;
}

static int cur_u16(struct cur *c, uint16_t *v)
{
	const uint8_t *p;

	if (cur_bytes(c, 2, &p) < 0)
		return -1;
	memcpy(v, p, 2);
	if (c->swap)
		*v = __builtin_bswap16(*v);
	return 0;
}

static int cur_u32(struct cur *c, uint32_t *v)
{
	const uint8_t *p;

	if (cur_bytes(c, 4, &p) < 0)
		return -1;
	memcpy(v, p, 4);
	if (c->swap)
		*v = __builtin_bswap32(*v);
	return 0;
}

static int cur_u64(struct cur *c, uint64_t *v)
{
	const uint8_t *p;

	if (cur_bytes(c, 8, &p) < 0)
		return -1;
	memcpy(v, p, 8);
	if (c->swap)
		*v = __builtin_bswap64(*v);
	return 0;
}

/* A NUL-terminated string inside the cursor. */
static int cur_str(struct cur *c, const char **s)
{
	const uint8_t *start = c->p + c->pos;
	const uint8_t *nul = memchr(start, 0, c->len - c->pos);

	if (!nul) {
		truncated(c);
		return -1;
	}
	*s = (const char *)start;
	c->pos += nul - start + 1;
	return 0;
}

uint64_t td_read_u64(const struct td_file *f, const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return f->swap ? __builtin_bswap64(v) : v;
}

uint32_t td_read_u32(const struct td_file *f, const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return f->swap ? __builtin_bswap32(v) : v;
}

/* ---- layout items (for dump) ---- */

static struct td_item *add_item(struct td_file *f, enum td_item_kind kind, int id,
				const char *name, uint64_t offset, uint64_t size)
{
	struct td_item *it;

	f->items = xrealloc(f->items, (f->nr_items + 1) * sizeof(*it));
	it = &f->items[f->nr_items++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->id = id;
	it->name = xstrdup(name);
	it->offset = offset;
	it->size = size;
	it->uncompressed = size;
	it->buffer = -1;
	return it;
}

/* ---- metadata payloads (section 1.3) ---- */

static int read_blob_u64(struct cur *c, struct td_blob *b)
{
	const uint8_t *p;
	uint64_t size;

	if (cur_u64(c, &size) < 0 || cur_bytes(c, size, &p) < 0)
		return -1;
	free(b->data);
	td_blob_set(b, p, size);
	return 0;
}

static int read_blob_u32(struct cur *c, struct td_blob *b)
{
	const uint8_t *p;
	uint32_t size;

	if (cur_u32(c, &size) < 0 || cur_bytes(c, size, &p) < 0)
		return -1;
	free(b->data);
	td_blob_set(b, p, size);
	return 0;
}

static int parse_header_info(struct td_file *f, struct cur *c)
{
	const uint8_t *p;
	uint64_t size;

	if (cur_bytes(c, 12, &p) < 0)
		return -1;
	if (memcmp(p, "header_page", 12))
		return corrupt(c, "no header_page");
	if (c->len - c->pos >= 8) {
		memcpy(&size, c->p + c->pos, 8);
		if (c->swap)
			size = __builtin_bswap64(size);
		c->pos += 8;
		if (wrong_endian(f, c, size, c->len - c->pos, "header_page size") < 0)
			return -1;
		c->pos -= 8;
	}
	if (read_blob_u64(c, &f->meta.header_page) < 0)
		return -1;
	if (cur_bytes(c, 13, &p) < 0)
		return -1;
	if (memcmp(p, "header_event", 13))
		return corrupt(c, "no header_event");
	return read_blob_u64(c, &f->meta.header_event);
}

static int parse_format_list(struct td_file *f, struct cur *c, const char *system)
{
	uint32_t count, i;

	if (cur_u32(c, &count) < 0)
		return -1;
	for (i = 0; i < count; i++) {
		const uint8_t *p;
		uint64_t size;

		if (cur_u64(c, &size) < 0 || cur_bytes(c, size, &p) < 0)
			return -1;
		td_meta_add_format(&f->meta, system, (const char *)p, size);
	}
	return 0;
}

static int parse_ftrace_events(struct td_file *f, struct cur *c)
{
	return parse_format_list(f, c, "ftrace");
}

static int parse_event_formats(struct td_file *f, struct cur *c)
{
	uint32_t count, i;

	if (cur_u32(c, &count) < 0)
		return -1;
	for (i = 0; i < count; i++) {
		const char *name;

		if (cur_str(c, &name) < 0)
			return -1;
		if (parse_format_list(f, c, name) < 0)
			return -1;
	}
	return 0;
}

/*
 * kallsyms is megabytes that a report may never need: the open only checks
 * that the text fits and remembers where it is (td_get_kallsyms() copies it,
 * the function table is parsed from it on the first lookup).
 */
static int parse_kallsyms(struct td_file *f, struct cur *c)
{
	const uint8_t *p;
	uint32_t size;

	if (cur_u32(c, &size) < 0 || cur_bytes(c, size, &p) < 0)
		return -1;
	f->kallsyms_at = p;
	f->kallsyms_len = size;
	return 0;
}

static int parse_printk(struct td_file *f, struct cur *c)
{
	return read_blob_u32(c, &f->meta.printk);
}

static int parse_cmdlines(struct td_file *f, struct cur *c)
{
	return read_blob_u64(c, &f->meta.cmdlines);
}

/* The parser of each metadata section (td_meta_sections[] has the rest). */
static int (*const meta_parsers[TD_NR_META_SECTIONS])(struct td_file *f, struct cur *c) = {
	[TD_META_INDEX(SEC_HEADER_INFO)] = parse_header_info,
	[TD_META_INDEX(SEC_FTRACE_EVENTS)] = parse_ftrace_events,
	[TD_META_INDEX(SEC_EVENT_FORMATS)] = parse_event_formats,
	[TD_META_INDEX(SEC_KALLSYMS)] = parse_kallsyms,
	[TD_META_INDEX(SEC_PRINTK)] = parse_printk,
	[TD_META_INDEX(SEC_CMDLINES)] = parse_cmdlines,
};

/* ---- options (section 1.5) ---- */

static char *opt_string(const uint8_t *data, uint32_t len)
{
	return strndup((const char *)data, len);
}

static void set_string(char **dst, const uint8_t *data, uint32_t len)
{
	free(*dst);
	*dst = opt_string(data, len);
}

static void add_cpustat(struct td_file *f, const uint8_t *data, uint32_t len)
{
	char *text = opt_string(data, len), *end;
	long cpu;

	/* After a "Buffer: NAME" marker the stats belong to an instance. */
	if (!strncmp(text, "\nBuffer:", 8))
		f->cpustat_instance = true;
	if (f->cpustat_instance || strncmp(text, "CPU: ", 5))
		goto out;
	cpu = strtol(text + 5, &end, 10);
	if (end == text + 5 || cpu < 0 || cpu >= MAX_CPUS)
		goto out;
	if (cpu >= f->nr_stats) {
		f->stats = xrealloc(f->stats, (cpu + 1) * sizeof(char *));
		memset(f->stats + f->nr_stats, 0, (cpu + 1 - f->nr_stats) * sizeof(char *));
		f->nr_stats = cpu + 1;
	}
	if (*end == '\n')
		end++;
	free(f->stats[cpu]);
	f->stats[cpu] = xstrdup(end);
out:
	free(text);
}

static struct td_buffer *new_buffer(struct td_file *f, const char *name)
{
	struct td_buffer *b;

	f->buffers = xrealloc(f->buffers, (f->nr_buffers + 1) * sizeof(*b));
	b = &f->buffers[f->nr_buffers++];
	memset(b, 0, sizeof(*b));
	b->name = xstrdup(name);
	b->page_size = f->meta.page_size;
	return b;
}

static int check_range(struct td_file *f, uint64_t off, uint64_t size, const char *what)
{
	if (off > f->size || size > f->size - off) {
		st_set_error("trace.dat truncated in the %s section: %llu bytes at offset %llu, "
			     "the file has %llu", what, (unsigned long long)size,
			     (unsigned long long)off, (unsigned long long)f->size);
		return -1;
	}
	return 0;
}

static int add_cpu_data(struct td_file *f, struct td_buffer *b, uint32_t cpu, uint64_t off,
			uint64_t size, const char *what)
{
	int i;

	if (cpu >= MAX_CPUS) {
		st_set_error("corrupt trace.dat: CPU %u in the %s section", cpu, what);
		return -1;
	}
	for (i = 0; i < b->nr_cpus; i++) {
		if (b->cpus[i].cpu == (int)cpu) {
			st_set_error("corrupt trace.dat: CPU %u listed twice in the %s section",
				     cpu, what);
			return -1;
		}
	}
	/* Compressed data starts with a 4-byte chunk count that size leaves out. */
	if (check_range(f, off, size + (b->compressed && size ? 4 : 0), what) < 0)
		return -1;
	b->cpus = xrealloc(b->cpus, (b->nr_cpus + 1) * sizeof(*b->cpus));
	/* keep them sorted by CPU: the iterator's tie rule relies on it */
	for (i = b->nr_cpus; i > 0 && b->cpus[i - 1].cpu > (int)cpu; i--)
		b->cpus[i] = b->cpus[i - 1];
	b->cpus[i].cpu = cpu;
	b->cpus[i].offset = off;
	b->cpus[i].size = size;
	b->nr_cpus++;
	return 0;
}

static int check_page_size(uint32_t page_size, const char *what)
{
	if (page_size < 64 || page_size > (1U << 24) || (page_size & (page_size - 1))) {
		st_set_error("corrupt trace.dat: page size %u in the %s", page_size, what);
		return -1;
	}
	return 0;
}

struct sec_hdr {
	uint16_t id;
	uint16_t flags;
	int32_t desc;
	uint64_t size;
};

static int read_sec_hdr(struct td_file *f, uint64_t off, struct sec_hdr *h, const char *what)
{
	struct cur c;

	if (off > f->size) {
		st_set_error("trace.dat truncated: the %s section at offset %llu is past the end "
			     "(%llu bytes)", what, (unsigned long long)off,
			     (unsigned long long)f->size);
		return -1;
	}
	cur_init(&c, f, f->map + off, f->size - off, off, what);
	if (cur_u16(&c, &h->id) < 0 || cur_u16(&c, &h->flags) < 0 ||
	    cur_u32(&c, (uint32_t *)&h->desc) < 0 || cur_u64(&c, &h->size) < 0)
		return -1;
	if (h->size > c.len - c.pos)
		return truncated(&c);
	return 0;
}

/* v7 BUFFER option: section offset, name, clock, page size, CPU table. */
static int parse_v7_buffer_option(struct td_file *f, struct cur *c)
{
	const char *name, *clock;
	uint64_t sec_off;
	uint32_t page_size, count, i;
	struct sec_hdr h;
	struct td_buffer *b;

	if (cur_u64(c, &sec_off) < 0 || cur_str(c, &name) < 0 || cur_str(c, &clock) < 0 ||
	    cur_u32(c, &page_size) < 0 || cur_u32(c, &count) < 0)
		return -1;
	if (check_page_size(page_size, "BUFFER option") < 0)
		return -1;
	if (read_sec_hdr(f, sec_off, &h, "flyrecord buffer") < 0)
		return -1;
	if (h.id != OPT_BUFFER) {
		st_set_error("corrupt trace.dat: BUFFER option points to a section of type %u",
			     h.id);
		return -1;
	}
	b = new_buffer(f, name);
	b->clock = xstrdup(clock);
	b->page_size = page_size;
	b->compressed = h.flags & 1;
	for (i = 0; i < count; i++) {
		uint32_t cpu;
		uint64_t off, size;

		if (cur_u32(c, &cpu) < 0 || cur_u64(c, &off) < 0 || cur_u64(c, &size) < 0)
			return -1;
		if (add_cpu_data(f, b, cpu, off, size, "flyrecord buffer") < 0)
			return -1;
	}
	return 0;
}

static int decompress_block(const struct td_file *f, struct cur *c, uint8_t **out, uint64_t *out_len);
static int read_text_chunks(struct td_file *f, uint64_t off, uint64_t end, struct td_blob *text,
			    const char *what);

/* v7 BUFFER_TEXT option: a latency tracer's text, in its own section. */
static int parse_v7_text_option(struct td_file *f, struct cur *c)
{
	const char *name, *clock;
	uint64_t sec_off, data;
	struct sec_hdr h;
	struct td_buffer *b;

	if (cur_u64(c, &sec_off) < 0 || cur_str(c, &name) < 0 || cur_str(c, &clock) < 0)
		return -1;
	if (read_sec_hdr(f, sec_off, &h, "text buffer") < 0)
		return -1;
	if (h.id != OPT_BUFFER_TEXT) {
		st_set_error("corrupt trace.dat: BUFFER_TEXT option points to a section of type %u",
			     h.id);
		return -1;
	}
	b = new_buffer(f, name);
	b->clock = xstrdup(clock);
	b->latency = true;
	b->compressed = h.flags & 1;
	data = sec_off + 16;
	if (!b->compressed) {
		td_blob_set(&b->text, f->map + data, h.size);
		return 0;
	}
	return read_text_chunks(f, data, data + h.size, &b->text, "text buffer");
}

struct v6_buffer_ref {
	uint64_t offset;
	char *name;
	int nr_cpus;	/* from a CPUCOUNT option right after it, else 0 */
};

static int handle_option(struct td_file *f, uint16_t id, struct cur *c, int *last_id)
{
	const uint8_t *data = c->p + c->pos;
	uint32_t len = c->len - c->pos;
	struct td_meta *m = &f->meta;
	uint64_t v64;
	uint32_t v32;

	switch (id) {
	case OPT_DATE:
		set_string(&m->date, data, len);
		break;
	case OPT_CPUSTAT:
		add_cpustat(f, data, len);
		break;
	case OPT_BUFFER:
		if (f->meta.file_version >= 7)
			return parse_v7_buffer_option(f, c);
		if (cur_u64(c, &v64) < 0)
			return -1;
		f->v6_bufs = xrealloc(f->v6_bufs, (f->nr_v6_bufs + 1) * sizeof(*f->v6_bufs));
		f->v6_bufs[f->nr_v6_bufs].offset = v64;
		f->v6_bufs[f->nr_v6_bufs].name = opt_string(c->p + c->pos, c->len - c->pos);
		f->v6_bufs[f->nr_v6_bufs].nr_cpus = 0;
		f->nr_v6_bufs++;
		break;
	case OPT_TRACECLOCK:
		set_string(&m->trace_clock, data, len);
		break;
	case OPT_UNAME:
		set_string(&m->uname, data, len);
		break;
	case OPT_HOOK:
		set_string(&m->hook, data, len);
		break;
	case OPT_OFFSET: {
		char *s = opt_string(data, len);

		m->ts_offset = strtoll(s, NULL, 0);
		m->has_ts_offset = true;
		free(s);
		break;
	}
	case OPT_CPUCOUNT:
		if (cur_u32(c, &v32) < 0)
			return -1;
		if (v32 > MAX_CPUS)
			return corrupt(c, "absurd CPU count");
		if (f->meta.file_version < 7 && *last_id == OPT_BUFFER)
			f->v6_bufs[f->nr_v6_bufs - 1].nr_cpus = v32;
		else
			f->cpucount = v32;
		break;
	case OPT_VERSION:
		set_string(&m->version, data, len);
		break;
	case OPT_PROCMAPS:
		set_string(&m->procmaps, data, len);
		break;
	case OPT_TRACEID:
		if (cur_u64(c, &m->trace_id) < 0)
			return -1;
		m->has_trace_id = true;
		break;
	case OPT_TSC2NSEC:
		if (cur_u32(c, &m->tsc2nsec_mult) < 0 || cur_u32(c, &m->tsc2nsec_shift) < 0 ||
		    cur_u64(c, &m->tsc2nsec_offset) < 0)
			return -1;
		m->has_tsc2nsec = true;
		break;
	case SEC_HEADER_INFO ... SEC_CMDLINES:
		if (f->meta.file_version < 7)
			break;
		if (cur_u64(c, &f->meta_off[TD_META_INDEX(id)]) < 0)
			return -1;
		f->have_meta_off[TD_META_INDEX(id)] = true;
		break;
	case OPT_BUFFER_TEXT:
		if (f->meta.file_version >= 7)
			return parse_v7_text_option(f, c);
		break;
	default:	/* unknown or unused ids are skipped, as trace-cmd does */
		if (id >= TD_OPT_PRIVATE_BASE)
			td_meta_add_option(m, id, data, len);
		break;
	}
	*last_id = id;
	return 0;
}

/*
 * A list of {u16 id, u32 size, payload}. v6 ends with a bare u16 0; v7 with
 * DONE whose payload is the next options section's offset (*next).
 */
static int parse_options(struct td_file *f, struct cur *c, uint64_t *next)
{
	int last_id = -1;

	*next = 0;
	for (;;) {
		uint64_t at = c->pos;
		const uint8_t *payload;
		uint16_t id;
		uint32_t size;
		struct cur oc;

		if (f->meta.file_version >= 7 && c->pos == c->len)
			return 0;	/* tolerate a section without DONE */
		if (cur_u16(c, &id) < 0)
			return -1;
		if (id == OPT_DONE && f->meta.file_version < 7)
			return 0;
		if (cur_u32(c, &size) < 0 || cur_bytes(c, size, &payload) < 0)
			return -1;
		if (c->base != NO_FILE_OFFSET) {
			char *name = xasprintf("option %s", td_option_name(id));

			add_item(f, TD_ITEM_OPTION, id, name, c->base + at, 6 + size);
			free(name);
		}
		if (id == OPT_DONE) {
			struct cur dc;

			cur_init(&dc, f, payload, size, NO_FILE_OFFSET, c->what);
			return cur_u64(&dc, next);
		}
		cur_init(&oc, f, payload, size, NO_FILE_OFFSET, c->what);
		if (handle_option(f, id, &oc, &last_id) < 0)
			return -1;
	}
}

/* ---- v7 sections ---- */

/*
 * One compressed block: u32 compressed size, u32 size, bytes; with room
 * bytes free after them (and the NUL after those) for the caller.
 */
static int decompress_block_room(const struct td_file *f, struct cur *c, size_t room,
				 uint8_t **out, uint64_t *out_len)
{
	const uint8_t *p;
	uint32_t csize, usize;

	if (cur_u32(c, &csize) < 0 || cur_u32(c, &usize) < 0 || cur_bytes(c, csize, &p) < 0)
		return -1;
	/* metadata compresses 5-20x; anything far beyond that is a corrupt size */
	if (usize > MAX_BLOCK_SIZE || usize > 256ULL * csize + (1 << 20))
		return corrupt(c, "absurd uncompressed size");
	/* a page fault per page would cost more than decompressing it */
	*out = xmalloc_prefaulted((size_t)usize + room + 1);
	if (td_decompress(f->meta.compression, p, csize, *out, usize) < 0) {
		char *why = xstrdup(st_last_error());

		st_set_error("%s in the %s section", why, c->what);
		free(why);
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[usize] = 0;
	*out_len = usize;
	return 0;
}

static int decompress_block(const struct td_file *f, struct cur *c, uint8_t **out, uint64_t *out_len)
{
	return decompress_block_room(f, c, 0, out, out_len);
}

/*
 * Read the section at off, check its id, and give back its payload
 * (decompressed into *owned when compressed; *owned must be freed).
 */
static int read_section(struct td_file *f, uint64_t off, int id, const char *what,
			struct cur *payload, uint8_t **owned)
{
	struct sec_hdr h;

	*owned = NULL;
	if (read_sec_hdr(f, off, &h, what) < 0)
		return -1;
	if (h.id != id) {
		st_set_error("corrupt trace.dat: the %s section at %llu has type %u", what,
			     (unsigned long long)off, h.id);
		return -1;
	}
	cur_init(payload, f, f->map + off + 16, h.size, off + 16, what);
	if (h.flags & 1) {
		uint64_t len;

		if (f->meta.compression == TD_COMPRESS_NONE) {
			st_set_error("corrupt trace.dat: compressed %s section in an "
				     "uncompressed file", what);
			return -1;
		}
		if (decompress_block(f, payload, owned, &len) < 0)
			return -1;
		cur_init(payload, f, *owned, len, NO_FILE_OFFSET, what);
	}
	return 0;
}

/*
 * trace-cmd finds the strings sections only by walking the chain of section
 * headers from the start; we do the same, and list the sections for dump.
 * The walk is best effort: it stops at the first header that does not fit.
 */
static void walk_sections(struct td_file *f, uint64_t pos)
{
	int guard = 0;

	while (pos + 16 <= f->size && guard++ < 100000) {
		struct sec_hdr h;
		struct td_item *it;
		struct cur c;

		if (read_sec_hdr(f, pos, &h, "section list") < 0)
			break;
		it = add_item(f, TD_ITEM_SECTION, h.id, td_section_name(h.id), pos, 16 + h.size);
		it->compressed = h.flags & 1;
		cur_init(&c, f, f->map + pos + 16, h.size, pos + 16, "strings");
		/* trace data is compressed in chunks; only metadata has one block */
		if (it->compressed && h.size >= 8 && h.id != OPT_BUFFER && h.id != OPT_BUFFER_TEXT)
			it->uncompressed = td_read_u32(f, f->map + pos + 20);
		else
			it->uncompressed = h.size;
		if (h.id == SEC_STRINGS) {
			uint8_t *data = NULL;
			uint64_t len = h.size;

			if (it->compressed && f->meta.compression != TD_COMPRESS_NONE) {
				if (decompress_block(f, &c, &data, &len) < 0)
					len = 0;
			} else {
				data = xmalloc(len + 1);
				memcpy(data, f->map + pos + 16, len);
			}
			f->strings = xrealloc(f->strings, f->strings_len + len + 1);
			if (len)
				memcpy(f->strings + f->strings_len, data, len);
			f->strings_len += len;
			f->strings[f->strings_len] = 0;
			free(data);
		}
		it->id = h.id;
		/* an offset into the strings, resolved once they are all known */
		it->desc = (char *)(intptr_t)h.desc;
		pos += 16 + h.size;
	}
}

static void resolve_descriptions(struct td_file *f)
{
	int i;

	for (i = 0; i < f->nr_items; i++) {
		struct td_item *it = &f->items[i];
		intptr_t d = (intptr_t)it->desc;

		it->desc = NULL;
		if (it->kind != TD_ITEM_SECTION || d < 0 || (uint64_t)d >= f->strings_len)
			continue;
		it->desc = strndup(f->strings + d, f->strings_len - d);
	}
}

static int read_v7_options(struct td_file *f, uint64_t off)
{
	uint64_t visited[64];
	int n = 0, i;

	while (off) {
		struct cur c;
		uint8_t *owned;
		int ret;

		if (n >= MAX_OPTION_SECTIONS) {
			st_set_error("corrupt trace.dat: too many options sections");
			return -1;
		}
		for (i = 0; i < n && i < (int)ARRAY_SIZE(visited); i++) {
			if (visited[i] == off) {
				st_set_error("corrupt trace.dat: the options sections form a loop");
				return -1;
			}
		}
		if (n < (int)ARRAY_SIZE(visited))
			visited[n] = off;
		n++;
		if (read_section(f, off, OPT_DONE, "options", &c, &owned) < 0)
			return -1;
		ret = parse_options(f, &c, &off);
		free(owned);
		if (ret < 0)
			return -1;
	}
	return 0;
}

/*
 * A compressed kallsyms section is decompressed on first use, not here: its
 * header and block sizes are checked, the data is not (a damaged one becomes
 * a warning then, and no function names).
 */
static int find_kallsyms_section(struct td_file *f, uint64_t off)
{
	struct sec_hdr h;
	struct cur c;
	uint32_t csize, usize;
	const uint8_t *p;

	if (read_sec_hdr(f, off, &h, "kallsyms") < 0)
		return -1;
	if (h.id != SEC_KALLSYMS) {
		st_set_error("corrupt trace.dat: the kallsyms section at %llu has type %u",
			     (unsigned long long)off, h.id);
		return -1;
	}
	cur_init(&c, f, f->map + off + 16, h.size, off + 16, "kallsyms");
	if (!(h.flags & 1))
		return parse_kallsyms(f, &c);
	if (f->meta.compression == TD_COMPRESS_NONE) {
		st_set_error("corrupt trace.dat: compressed kallsyms section in an "
			     "uncompressed file");
		return -1;
	}
	if (cur_u32(&c, &csize) < 0 || cur_u32(&c, &usize) < 0 || cur_bytes(&c, csize, &p) < 0)
		return -1;
	if (usize > MAX_BLOCK_SIZE || usize > 256ULL * csize + (1 << 20))
		return corrupt(&c, "absurd uncompressed size");
	f->kallsyms_at = f->map + off + 16;
	f->kallsyms_len = h.size;
	f->kallsyms_compressed = true;
	return 0;
}

static int read_v7_metadata(struct td_file *f)
{
	size_t i;

	if (!f->have_meta_off[TD_META_INDEX(SEC_HEADER_INFO)]) {
		st_set_error("corrupt trace.dat: no header section");
		return -1;
	}
	for (i = 0; i < TD_NR_META_SECTIONS; i++) {
		const struct td_meta_section *ms = &td_meta_sections[i];
		struct cur c;
		uint8_t *owned;
		int ret;

		if (!f->have_meta_off[i])
			continue;
		if (ms->id == SEC_KALLSYMS) {
			if (find_kallsyms_section(f, f->meta_off[i]) < 0)
				return -1;
			continue;
		}
		if (read_section(f, f->meta_off[i], ms->id, ms->name, &c, &owned) < 0)
			return -1;
		ret = meta_parsers[i](f, &c);
		free(owned);
		if (ret < 0)
			return -1;
	}
	return 0;
}

static int read_v7(struct td_file *f, struct cur *c)
{
	const char *name, *version;
	uint64_t first_opts;
	int comp;

	if (cur_str(c, &name) < 0 || cur_str(c, &version) < 0)
		return -1;
	comp = td_compression_from_name(name);
	if (comp < 0 || !strcmp(name, "any")) {
		st_set_error("unsupported trace.dat compression \"%.32s\"", name);
		return -1;
	}
	f->meta.compression = comp;
	f->comp_version = xstrdup(version);
	if (cur_u64(c, &first_opts) < 0 ||
	    wrong_endian(f, c, first_opts, f->size, "first options offset") < 0)
		return -1;
	add_item(f, TD_ITEM_HEADER, 0, "initial header", 0, c->pos);
	walk_sections(f, c->pos);
	resolve_descriptions(f);
	if (!first_opts) {
		st_set_error("trace.dat has no options section (was it finished?)");
		return -1;
	}
	if (read_v7_options(f, first_opts) < 0 || read_v7_metadata(f) < 0)
		return -1;
	return 0;
}

/* Compressed text or trace data: u32 chunk count, chunks of {u32 csize, u32 size, bytes}. */
static int read_text_chunks(struct td_file *f, uint64_t off, uint64_t end, struct td_blob *text,
			    const char *what)
{
	struct cur c;
	uint32_t count, i;
	size_t len = 0;
	char *buf = NULL;

	cur_init(&c, f, f->map + off, end - off, off, what);
	if (cur_u32(&c, &count) < 0)
		return -1;
	for (i = 0; i < count; i++) {
		uint8_t *chunk;
		uint64_t clen;

		if (decompress_block(f, &c, &chunk, &clen) < 0) {
			free(buf);
			return -1;
		}
		if (len + clen > MAX_BLOCK_SIZE) {
			free(chunk);
			free(buf);
			return corrupt(&c, "text too large");
		}
		buf = xrealloc(buf, len + clen + 1);
		memcpy(buf + len, chunk, clen);
		len += clen;
		free(chunk);
	}
	td_blob_set(text, buf, len);
	free(buf);
	return 0;
}

/* ---- v6 ---- */

/* The optional "[clock]" trailer after a v6 CPU table; not consumed unless it looks right. */
static char *read_v6_clock_trailer(struct cur *c)
{
	struct cur save = *c;
	const uint8_t *p;
	uint64_t len;

	if (cur_u64(c, &len) < 0 || len < 3 || len > 64 || cur_bytes(c, len, &p) < 0 ||
	    p[0] != '[' || p[len - 1] != ']' || memchr(p, 0, len)) {
		*c = save;
		return NULL;
	}
	return strndup((const char *)p + 1, len - 2);
}

/* "flyrecord" or "latency" tag, then the CPU table (flyrecord) or text (latency). */
static int read_v6_data(struct td_file *f, struct cur *c, struct td_buffer *b, int nr_cpus)
{
	const uint8_t *tag;
	int cpu;

	if (cur_bytes(c, 10, &tag) < 0)
		return -1;
	if (!memcmp(tag, "latency", 7)) {
		b->latency = true;
		td_blob_set(&b->text, c->p + c->pos, c->len - c->pos);
		return 0;
	}
	if (memcmp(tag, "flyrecord", 9))
		return corrupt(c, "unknown data type (neither flyrecord nor latency)");
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		uint64_t off, size;

		if (cur_u64(c, &off) < 0 || cur_u64(c, &size) < 0)
			return -1;
		if (!size)
			continue;
		if (add_cpu_data(f, b, cpu, off, size, c->what) < 0)
			return -1;
	}
	b->clock = read_v6_clock_trailer(c);
	return 0;
}

static int read_v6_buffers(struct td_file *f)
{
	int i;

	for (i = 0; i < f->nr_v6_bufs; i++) {
		struct v6_buffer_ref *r = &f->v6_bufs[i];
		int nr = r->nr_cpus ? r->nr_cpus : f->meta.nr_cpus;
		struct td_buffer *b;
		struct cur c;

		if (check_range(f, r->offset, 0, "instance buffer") < 0)
			return -1;
		b = new_buffer(f, r->name);
		cur_init(&c, f, f->map + r->offset, f->size - r->offset, r->offset,
			 "instance buffer");
		if (read_v6_data(f, &c, b, nr) < 0)
			return -1;
	}
	return 0;
}

static int read_v6(struct td_file *f, struct cur *c)
{
	const uint8_t *tag;
	uint32_t nr_cpus;
	uint64_t next;
	struct td_buffer *top;
	size_t i;

	add_item(f, TD_ITEM_HEADER, 0, "initial header", 0, c->pos);
	for (i = 0; i < TD_NR_META_SECTIONS; i++) {
		uint64_t start = c->pos;

		c->what = td_meta_sections[i].name;
		if (meta_parsers[i](f, c) < 0)
			return -1;
		add_item(f, TD_ITEM_SECTION, td_meta_sections[i].id, td_meta_sections[i].name, start,
			 c->pos - start);
	}
	c->what = "CPU count";
	if (cur_u32(c, &nr_cpus) < 0)
		return -1;
	if (nr_cpus > MAX_CPUS)
		return corrupt(c, "absurd CPU count");
	f->meta.nr_cpus = nr_cpus;
	c->what = "options";
	if (c->len - c->pos >= 10 && !memcmp(c->p + c->pos, "options", 7)) {
		uint64_t start = c->pos;

		c->pos += 10;
		if (parse_options(f, c, &next) < 0)
			return -1;
		add_item(f, TD_ITEM_SECTION, OPT_DONE, "options", start, c->pos - start);
	}
	c->what = "flyrecord";
	if (c->len - c->pos >= 10 && !memcmp(c->p + c->pos, "latency", 7))
		c->what = "latency";
	tag = c->p + c->pos;
	top = new_buffer(f, "");
	if (read_v6_data(f, c, top, nr_cpus) < 0)
		return -1;
	add_item(f, TD_ITEM_SECTION, OPT_BUFFER, top->latency ? "latency" : "flyrecord",
		 tag - c->p, c->p + c->pos - tag);
	return read_v6_buffers(f);
}

static void warn_more_left_out(struct td_file *f);

/* ---- open ---- */

static int read_initial_header(struct td_file *f, struct cur *c)
{
	const uint8_t *magic;
	const char *version;
	uint8_t endian, long_size;
	char *end;
	long v;

	c->what = "initial header";
	if (f->size < 10 || memcmp(f->map, "\027\010\104tracing", 10)) {
		st_set_error("not a trace.dat file (bad magic at offset 0 of the initial header)");
		return -1;
	}
	if (cur_bytes(c, 10, &magic) < 0 || cur_str(c, &version) < 0)
		return -1;
	v = strtol(version, &end, 10);
	if (end == version || *end || v < 6 || v > 7) {
		st_set_error("unsupported trace.dat version \"%.16s\" in the initial header at "
			     "offset 10 (versions 6 and 7 are read)", version);
		return -1;
	}
	f->meta.file_version = v;
	if (cur_u8(c, &endian) < 0 || cur_u8(c, &long_size) < 0)
		return -1;
	if (endian > 1)
		return corrupt(c, "bad endianness byte");
	if (long_size != 4 && long_size != 8)
		return corrupt(c, "bad long size");
	f->meta.big_endian = endian;
	f->swap = endian != (uint8_t)td_host_big_endian();
	c->swap = f->swap;
	f->meta.long_size = long_size;
	if (cur_u32(c, &f->meta.page_size) < 0)
		return -1;
	return check_page_size(f->meta.page_size, "initial header");
}

/* Put the top-level buffer first, and fill in what the options left out. */
static void finish_meta(struct td_file *f)
{
	struct td_meta *m = &f->meta;
	int i, top = -1;

	for (i = 0; i < f->nr_buffers; i++) {
		if (!f->buffers[i].name[0]) {
			top = i;
			break;
		}
	}
	if (top > 0) {
		struct td_buffer t = f->buffers[top];

		memmove(f->buffers + 1, f->buffers, top * sizeof(t));
		f->buffers[0] = t;
	}
	if (m->file_version >= 7) {
		m->nr_cpus = f->cpucount;
		if (!m->nr_cpus && f->nr_buffers)
			for (i = 0; i < f->buffers[0].nr_cpus; i++)
				if (f->buffers[0].cpus[i].cpu >= m->nr_cpus)
					m->nr_cpus = f->buffers[0].cpus[i].cpu + 1;
	}
	/* no record is larger than its sub-buffer: fields must end inside the largest */
	f->max_record = m->page_size;
	for (i = 0; i < f->nr_buffers; i++)
		if (f->buffers[i].page_size > f->max_record)
			f->max_record = f->buffers[i].page_size;
	m->cpustats = xcalloc(m->nr_cpus + 1, sizeof(char *));
	for (i = 0; i < f->nr_stats && i < m->nr_cpus; i++) {
		m->cpustats[i] = f->stats[i];
		f->stats[i] = NULL;
	}
	if (m->trace_clock) {
		const char *open = strchr(m->trace_clock, '['), *close;

		if (open && (close = strchr(open, ']')))
			m->clock = strndup(open + 1, close - open - 1);
	}
	if (!m->clock && f->nr_buffers && f->buffers[0].clock)
		m->clock = xstrdup(f->buffers[0].clock);
	if (!m->clock)
		m->clock = xstrdup("local");
}

static void add_cpu_items(struct td_file *f)
{
	int b, i;

	for (b = 0; b < f->nr_buffers; b++) {
		const struct td_buffer *buf = &f->buffers[b];

		for (i = 0; i < buf->nr_cpus; i++) {
			struct td_item *it;
			char *name = xasprintf("buffer \"%s\" cpu %d", buf->name,
					       buf->cpus[i].cpu);

			it = add_item(f, TD_ITEM_CPU_DATA, buf->cpus[i].cpu, name,
				      buf->cpus[i].offset, buf->cpus[i].size);
			it->buffer = b;
			it->compressed = buf->compressed;
			free(name);
		}
	}
}

struct td_file *td_open_fd(int fd)
{
	struct td_file *f = xcalloc(1, sizeof(*f));
	struct stat st;
	struct cur c;
	int ret;

	f->fd = fd;
	if (fstat(fd, &st) < 0) {
		st_set_error("cannot stat trace.dat: %s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		st_set_error("trace.dat input is not a regular file");
		goto fail;
	}
	f->size = st.st_size;
	if (f->size < 10) {
		st_set_error("not a trace.dat file (%s: %llu bytes, the initial header needs more "
			     "than 10)", f->size ? "too short" : "empty",
			     (unsigned long long)f->size);
		goto fail;
	}
	f->map = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (f->map == MAP_FAILED) {
		f->map = NULL;
		st_set_error("cannot map trace.dat: %s", strerror(errno));
		goto fail;
	}
	cur_init(&c, f, f->map, f->size, 0, "initial header");
	if (read_initial_header(f, &c) < 0)
		goto fail;
	ret = f->meta.file_version >= 7 ? read_v7(f, &c) : read_v6(f, &c);
	if (ret < 0)
		goto fail;
	finish_meta(f);
	add_cpu_items(f);
	return f;
fail:
	td_close(f);
	return NULL;
}

struct td_file *td_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		st_set_error("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	return td_open_fd(fd);
}

static void join_preload(struct td_file *f, bool use);

void td_close(struct td_file *f)
{
	int i;

	if (!f)
		return;
	join_preload(f, false);
	td_final_warnings(f);
	if (f->tep)
		tep_free(f->tep);
	if (f->syms)
		tep_free(f->syms);
	td_ksyms_free(f->ksyms);
	free(f->ksyms_buf);
	if (f->scratch)
		tep_free(f->scratch);
	free(f->formats);
	free(f->type_seen);
	free(f->left_in_tep);
	if (f->formats_of_id)
		st_sparse_free(f->formats_of_id, TD_NR_TYPES);
	free(f->more_syms);
	td_guards_free(f);
	for (i = 0; i < f->nr_buffers; i++) {
		free(f->buffers[i].name);
		free(f->buffers[i].clock);
		free(f->buffers[i].cpus);
		free(f->buffers[i].text.data);
	}
	free(f->buffers);
	for (i = 0; i < f->nr_items; i++) {
		free(f->items[i].name);
		free(f->items[i].desc);
	}
	free(f->items);
	for (i = 0; i < f->nr_v6_bufs; i++)
		free(f->v6_bufs[i].name);
	free(f->v6_bufs);
	for (i = 0; i < f->nr_stats; i++)
		free(f->stats[i]);
	free(f->stats);
	free(f->strings);
	free(f->comp_version);
	td_meta_free(&f->meta);
	if (f->map)
		munmap((void *)f->map, f->size);
	if (f->fd >= 0)
		close(f->fd);
	free(f);
}

/* ---- accessors ---- */

const struct td_meta *td_get_meta(const struct td_file *f)
{
	return &f->meta;
}

int td_nr_buffers(const struct td_file *f)
{
	return f->nr_buffers;
}

const struct td_buffer *td_get_buffer(const struct td_file *f, int index)
{
	if (index < 0 || index >= f->nr_buffers)
		return NULL;
	return &f->buffers[index];
}

int td_nr_items(const struct td_file *f)
{
	return f->nr_items;
}

const struct td_item *td_get_item(const struct td_file *f, int index)
{
	if (index < 0 || index >= f->nr_items)
		return NULL;
	return &f->items[index];
}

const char *td_get_compression_version(const struct td_file *f)
{
	return f->comp_version ? f->comp_version : "";
}

uint64_t td_get_file_size(const struct td_file *f)
{
	return f->size;
}

/* ---- tep ---- */

/*
 * tep's function lookups, with kallsyms (megabytes, most of the start-up time)
 * parsed only when a record first needs a function name: into ksyms.c's
 * table, or when it cannot read the text, into a second tep; both give the
 * answers the tep itself would have given.
 */
/*
 * The kallsyms text in a buffer of its own, with room for extra bytes after
 * it and a NUL at its end: *text is where it starts in *buf (free *buf),
 * *size the section's size for it (a NUL may end the text earlier). A
 * compressed section is decompressed straight into it. false, with the
 * error set, when it cannot be. It only reads f: the preload thread runs it.
 */
static bool kallsyms_decode(const struct td_file *f, size_t extra, char **buf, char **text,
			    size_t *size)
{
	struct cur c, dc;
	uint8_t *owned;
	uint64_t olen;
	uint32_t n;
	const uint8_t *p;

	*buf = *text = NULL;
	*size = 0;
	if (!f->kallsyms_compressed) {
		*size = f->kallsyms_len;
		*buf = *text = xmalloc(*size + extra + 1);
		memcpy(*buf, f->kallsyms_at, *size);
		(*buf)[*size] = '\0';
		return true;
	}
	cur_init(&c, f, f->kallsyms_at, f->kallsyms_len, f->kallsyms_at - f->map, "kallsyms");
	if (decompress_block_room(f, &c, extra, &owned, &olen) < 0)
		return false;
	cur_init(&dc, f, owned, olen, NO_FILE_OFFSET, "kallsyms");
	if (cur_u32(&dc, &n) < 0 || cur_bytes(&dc, n, &p) < 0) {
		free(owned);
		return false;
	}
	*size = n;
	*buf = (char *)owned;
	*text = *buf + 4;
	(*text)[*size] = '\0';
	return true;
}

/* The text kallsyms cannot be read for (st_last_error()), said once. */
static void warn_no_kallsyms(struct td_file *f)
{
	if (!f->kallsyms_warned)
		st_warn("%s: function addresses are shown as numbers", st_last_error());
	f->kallsyms_warned = true;
}

/* kallsyms_decode(), or false after warn_no_kallsyms(). */
static bool kallsyms_text(struct td_file *f, size_t extra, char **buf, char **text, size_t *size)
{
	if (kallsyms_decode(f, extra, buf, text, size))
		return true;
	warn_no_kallsyms(f);
	return false;
}

bool td_has_kallsyms(const struct td_file *f)
{
	return f->kallsyms_len > 0;
}

const struct td_blob *td_get_kallsyms(struct td_file *f)
{
	char *buf, *text;
	size_t len;

	if (!f->meta.kallsyms.data && f->kallsyms_len && kallsyms_text(f, 0, &buf, &text, &len)) {
		td_blob_set(&f->meta.kallsyms, text, len);
		free(buf);
	}
	return &f->meta.kallsyms;
}

/* kallsyms then td_add_functions' lines, in a buffer to free (*buf); its length. */
static size_t function_text(struct td_file *f, char **buf, char **text)
{
	size_t more = f->more_syms ? strlen(f->more_syms) : 0, len = 0;

	if (f->kallsyms_len && kallsyms_text(f, more + 1, buf, text, &len))
		len = strlen(*text);
	else
		*buf = *text = xcalloc(1, more + 2);
	if (more) {
		if (len && (*text)[len - 1] != '\n')
			(*text)[len++] = '\n';
		memcpy(*text + len, f->more_syms, more + 1);
		len += more;
	}
	return len;
}

/*
 * The function table: the file's kallsyms and td_add_functions' lines, in
 * ksyms.c's table (parsed in place: no copy of the text) or, when it cannot
 * read the text, in a second tep.
 */
static int load_function_table(struct td_file *f)
{
	char *buf, *text;
	size_t len = function_text(f, &buf, &text);

	f->ksyms = td_ksyms_new_in_place(text, len);
	if (f->ksyms) {
		f->ksyms_buf = buf;
		return 0;
	}
	free(buf);
	/* the in-place parse wrote into that text: libtraceevent reads it again */
	function_text(f, &buf, &text);
	if ((f->syms = tep_alloc()))
		tep_parse_kallsyms(f->syms, text);
	free(buf);
	return f->syms ? 0 : -1;
}

/*
 * The preload: what load_function_table() does for kallsyms alone (no
 * td_add_functions() lines yet), on a thread of its own. It only reads f
 * and writes the preload_ fields; a failure is reported by the first
 * lookup, as if that lookup had met it.
 */
static void *preload_functions(void *arg)
{
	struct td_file *f = arg;
	char *buf, *text;
	size_t len;

	if (kallsyms_decode(f, 1, &buf, &text, &len)) {
		f->preload_ksyms = td_ksyms_new_in_place(text, strlen(text));
		if (f->preload_ksyms)
			f->preload_buf = buf;
		else
			free(buf);	/* lines for libtraceevent: the first lookup parses them */
	} else {
		f->preload_error = xstrdup(st_last_error());
	}
	td_decompress_thread_done();
	return NULL;
}

/* Wait for the preload; with use, its table becomes f's (or its error is said). */
static void join_preload(struct td_file *f, bool use)
{
	if (!f->preloading)
		return;
	pthread_join(f->preload, NULL);
	f->preloading = false;
	if (use && f->preload_error) {
		st_set_error("%s", f->preload_error);
		warn_no_kallsyms(f);
	}
	if (use && f->preload_ksyms) {
		f->ksyms = f->preload_ksyms;
		f->ksyms_buf = f->preload_buf;
	} else {
		td_ksyms_free(f->preload_ksyms);
		free(f->preload_buf);
	}
	free(f->preload_error);
	f->preload_ksyms = NULL;
	f->preload_buf = f->preload_error = NULL;
}

/* Whether a print fmt of the text prints a function name (%ps, %pS, %pf, %pF, %pB). */
static bool format_prints_function(const struct td_blob *b)
{
	const char *p = b->data ? memmem(b->data, b->size, "print fmt:", 10) : NULL;
	const char *end = b->data + b->size;

	if (!p)
		return false;
	while ((p = memchr(p, '%', end - p)) && end - p >= 3) {
		if (p[1] == 'p' && p[2] && strchr("sSfFB", p[2]))
			return true;
		p++;
	}
	return false;
}

/*
 * Whether some recorded event prints function names: then the report will
 * most likely look one up. The ftrace formats are left out: every file
 * stores them, traced with the function tracer or not.
 */
static bool events_print_functions(const struct td_file *f)
{
	for (int i = 0; i < f->meta.nr_systems; i++)
		for (int j = 0; j < f->meta.systems[i].nr_formats; j++)
			if (format_prints_function(&f->meta.systems[i].formats[j]))
				return true;
	return false;
}

/*
 * Build the function table ahead, off the reader's thread, when events will
 * need it: decompressing and parsing kallsyms is most of a short report's
 * start-up. The first lookup waits for it (join_preload()).
 */
static void maybe_preload_functions(struct td_file *f)
{
	if (f->preloading || f->ksyms || f->syms || f->more_syms || !f->kallsyms_len ||
	    !events_print_functions(f))
		return;
	f->preloading = pthread_create(&f->preload, NULL, preload_functions, f) == 0;
}

/*
 * tep's function lookups, with kallsyms (megabytes, most of the start-up time)
 * parsed only when a record first needs a function name (or ahead, by the
 * preload); both tables give the answers the tep itself would have given.
 */
static char *resolve_function(void *priv, unsigned long long *addrp, char **modp)
{
	struct td_file *f = priv;
	const char *name = NULL;
	unsigned long long start;
	uint64_t start64;

	if (!f->ksyms && !f->syms) {
		join_preload(f, true);
		if (!f->ksyms && load_function_table(f) < 0)
			return NULL;
	}
	*modp = NULL;
	if (f->ksyms) {
		if (!td_ksyms_find(f->ksyms, *addrp, &name, &start64))
			return NULL;
		*addrp = start64;
		return (char *)name;
	}
	if (!tep_find_function_info(f->syms, *addrp, &name, &start, NULL))
		return NULL;
	*addrp = start;
	return (char *)name;
}

int td_add_functions(struct td_file *f, const char *kallsyms_lines)
{
	char *more;

	if (!f->tep || f->syms || f->ksyms)
		return -1;
	join_preload(f, false);	/* it read kallsyms alone: the table is built again with these lines */
	more = xasprintf("%s%s", f->more_syms ? f->more_syms : "", kallsyms_lines);
	free(f->more_syms);
	f->more_syms = more;
	if (!td_has_kallsyms(f))	/* td_get_tep set no resolver */
		tep_set_function_resolver(f->tep, resolve_function, f);
	return 0;
}

/* ---- checked formats (tracedat_format.c says what is checked) ---- */

#define MAX_FORMAT_WARNINGS 10

/* The "name: X" of a format text, for messages about a format libtraceevent never saw. */
static char *format_name(const struct td_blob *b)
{
	const char *p = b->data ? strstr(b->data, "name: ") : NULL;

	if (!p)
		return xstrdup("?");
	p += 6;
	return strndup(p, strcspn(p, "\n"));
}

/* Names (and so the message) come from the file: '?' for what a terminal would act on. */
static void warn_left_out(struct td_file *f, const char *system, const char *name,
			  const char *why)
{
	char *msg;

	if (f->nr_left_out++ >= MAX_FORMAT_WARNINGS)
		return;
	msg = xasprintf("trace.dat: event %.64s:%.64s left out: %s", system, name, why);
	for (unsigned char *p = (unsigned char *)msg; *p; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';
	st_warn("%.400s", msg);
	free(msg);
}

/* Which stored formats were left out, by their index in load_formats()'s order. */
struct left_out {
	bool *format;
	int nr;
};

/*
 * Parse one stored format into tep, unless a check leaves it out. Returns
 * true when the format failed a check after libtraceevent parsed it: it is
 * in tep then, and tep has to be built again without it.
 */
static bool load_format(struct td_file *f, struct tep_handle *tep, const struct td_blob *b,
			const char *system, bool *left_out)
{
	struct td_print_guard *guard;
	struct tep_event *ev = NULL;
	const char *problem;
	char *why;

	if (*left_out)
		return false;
	problem = td_format_text_problem(b->data, b->size);
	if (problem) {
		char *name = format_name(b);

		warn_left_out(f, system, name, problem);
		free(name);
		*left_out = true;
		return false;
	}
	tep_parse_format(tep, &ev, b->data, b->size, system);
	if (!ev)
		return false;
	why = td_event_check(ev, f->max_record, &guard);
	if (why) {
		warn_left_out(f, system, ev->name, why);
		free(why);
		*left_out = true;
		return true;
	}
	if (guard)
		td_guards_add(f, guard);
	return false;
}

/* Every stored format that passes the checks; true if tep must be built again (see above). */
static bool load_formats(struct td_file *f, struct tep_handle *tep, struct left_out *out)
{
	const struct td_meta *m = &f->meta;
	bool again = false;
	int n = 0;

	if (!out->format) {
		out->nr = m->nr_ftrace_formats;
		for (int i = 0; i < m->nr_systems; i++)
			out->nr += m->systems[i].nr_formats;
		out->format = xcalloc(out->nr + 1, sizeof(bool));
	}
	for (int i = 0; i < m->nr_ftrace_formats; i++)
		again |= load_format(f, tep, &m->ftrace_formats[i], "ftrace", &out->format[n++]);
	for (int i = 0; i < m->nr_systems; i++)
		for (int j = 0; j < m->systems[i].nr_formats; j++)
			again |= load_format(f, tep, &m->systems[i].formats[j],
					     m->systems[i].name, &out->format[n++]);
	return again;
}

static struct tep_handle *new_tep(const struct td_meta *m)
{
	struct tep_handle *tep = tep_alloc();
	int ls;

	if (!tep) {
		st_set_error("cannot allocate a tep handle");
		return NULL;
	}
	tep_set_file_bigendian(tep, m->big_endian ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, td_host_big_endian() ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_long_size(tep, m->long_size);
	tep_set_page_size(tep, m->page_size);
	tep_set_cpus(tep, m->nr_cpus);
	if (tep_parse_header_page(tep, m->header_page.data, m->header_page.size,
				  m->long_size) < 0) {
		st_set_error("cannot parse the header_page of the trace.dat");
		tep_free(tep);
		return NULL;
	}
	/* The kernel's long size is the size of header_page's commit field. */
	ls = tep_get_header_page_size(tep);
	if (ls == 4 || ls == 8)
		tep_set_long_size(tep, ls);
	return tep;
}

static void load_printk(struct td_file *f, struct tep_handle *tep)
{
	int left_out;
	char *printk = td_printk_safe_copy(f->meta.printk.data, &left_out);

	tep_parse_printk_formats(tep, printk);
	free(printk);
	if (left_out)
		st_warn("trace.dat: %d printk format%s left out (unreadable, or widths over %d)",
			left_out, left_out == 1 ? "" : "s", TD_MAX_PRINT_WIDTH);
}

/* What every tep of the file has besides the event formats. */
static void load_tables(struct td_file *f, struct tep_handle *tep)
{
	const struct td_meta *m = &f->meta;

	if (td_has_kallsyms(f)) {
		tep_set_function_resolver(tep, resolve_function, f);
		maybe_preload_functions(f);
	}
	if (m->printk.size)
		load_printk(f, tep);
	if (m->cmdlines.size)
		td_parse_saved_cmdlines(tep, m->cmdlines.data);
}

static void warn_more_left_out(struct td_file *f)
{
	if (f->nr_left_out > MAX_FORMAT_WARNINGS)
		st_warn("trace.dat: %d more events left out", f->nr_left_out - MAX_FORMAT_WARNINGS);
}

void td_final_warnings(struct td_file *f)
{
	if (f->lazy && !f->final_warned)
		warn_more_left_out(f);
	f->final_warned = true;
}

static void parse_pending_formats(struct td_file *f);

struct tep_handle *td_get_tep(struct td_file *f)
{
	const struct td_meta *m = &f->meta;
	struct left_out out = { 0 };
	struct tep_handle *tep;
	bool again;

	if (f->tep && f->lazy) {
		parse_pending_formats(f);
		warn_more_left_out(f);
	}
	if (f->tep)
		return f->tep;
	/*
	 * libtraceevent cannot remove an event: when one fails a check after
	 * parsing (rare: only corrupt files), all are parsed again without it.
	 */
	do {
		tep = new_tep(m);
		if (!tep)
			break;
		again = load_formats(f, tep, &out);
		if (again) {
			tep_free(tep);
			td_guards_free(f);
		}
	} while (again);
	free(out.format);
	if (!tep)
		return NULL;
	warn_more_left_out(f);
	load_tables(f, tep);
	f->tep = tep;
	return tep;
}

/* ---- formats parsed on demand ---- */

/* One stored format, and what its first lines say it is (to find it unparsed). */
struct td_format_ref {
	const struct td_blob *blob;
	const char *system;
	const char *name;	/* in the text, name_len bytes; NULL: not indexed */
	int name_len;
	unsigned long id;
	bool done;		/* parsed, or left out */
};

/*
 * "name: NAME\nID: N\n", as the kernel writes it: NAME and N are then the
 * event's name and id as libtraceevent reads them. Anything else (an odd
 * name, an ID with a leading 0 that strtoul would read as octal) is left
 * unindexed, and parsed with the first format that is.
 */
static void index_format(struct td_format_ref *r)
{
	const char *p = r->blob->data, *end = p ? p + r->blob->size : NULL, *name;
	unsigned long id = 0;
	int digits = 0;

	if (!p || r->blob->size < 6 || strncmp(p, "name: ", 6))
		return;
	for (name = p += 6; p < end && (isalnum((unsigned char)*p) || *p == '_'); p++)
		;
	if (p == name || end - p < 5 || strncmp(p, "\nID: ", 5))
		return;
	r->name_len = p - name;
	for (p += 5; p < end && *p >= '0' && *p <= '9' && digits < 9; p++, digits++)
		id = id * 10 + (*p - '0');
	if (!digits || p >= end || *p != '\n' || (digits > 1 && p[-digits] == '0'))
		return;
	r->name = name;
	r->id = id;
}

static void index_formats(struct td_file *f)
{
	const struct td_meta *m = &f->meta;
	int n = m->nr_ftrace_formats;

	for (int i = 0; i < m->nr_systems; i++)
		n += m->systems[i].nr_formats;
	f->formats = xcalloc(n ? n : 1, sizeof(*f->formats));
	for (int i = 0; i < m->nr_ftrace_formats; i++)
		f->formats[f->nr_formats++] = (struct td_format_ref){ .blob = &m->ftrace_formats[i], .system = "ftrace" };
	for (int i = 0; i < m->nr_systems; i++)
		for (int j = 0; j < m->systems[i].nr_formats; j++)
			f->formats[f->nr_formats++] =
				(struct td_format_ref){ .blob = &m->systems[i].formats[j],
							.system = m->systems[i].name };
	f->formats_of_id = st_sparse_alloc(TD_NR_TYPES);
	for (int i = 0; i < f->nr_formats; i++) {
		struct td_format_ref *r = &f->formats[i];

		index_format(r);
		if (r->name && r->id < TD_NR_TYPES && f->formats_of_id[r->id] < 255)
			f->formats_of_id[r->id]++;
	}
}

static bool left_in_tep(const struct td_file *f, int id)
{
	return f->left_in_tep && id >= 0 && id < TD_NR_TYPES &&
	       (f->left_in_tep[id / 8] & (1 << id % 8));
}

/*
 * A record's format, once the formats every record needs are there: parsed
 * straight into f->tep and checked there. libtraceevent cannot take an event
 * back out, so one that fails stays in f->tep, marked (left_in_tep): every
 * lookup through this file says it has no event, and the report prints its
 * records as libtraceevent prints a type without one. Only for an id that
 * no other stored format has (two events of one id keep the scratch check).
 */
static bool parse_format_once(struct td_file *f, struct td_format_ref *r)
{
	struct td_print_guard *guard;
	struct tep_event *ev = NULL;
	char *why;

	tep_parse_format(f->tep, &ev, r->blob->data, r->blob->size, r->system);
	if (!ev)
		return false;
	why = td_event_check(ev, f->max_record, &guard);
	if (why) {
		warn_left_out(f, r->system, ev->name, why);
		free(why);
		if (!f->left_in_tep)
			f->left_in_tep = xcalloc(TD_NR_TYPES / 8, 1);
		f->left_in_tep[r->id / 8] |= 1 << r->id % 8;
		if (ev->id != (int)r->id && ev->id >= 0 && ev->id < TD_NR_TYPES)
			f->left_in_tep[ev->id / 8] |= 1 << ev->id % 8;
		return false;
	}
	if (guard)
		td_guards_add(f, guard);
	return true;
}

/*
 * Parse one stored format into f->tep, with the checks load_format() makes.
 * libtraceevent cannot take an event back out, so the format is parsed and
 * checked in a scratch tep first, and reaches f->tep only if it passes; with
 * once (a record's format, parse_format_once()) it is parsed only there.
 * True if it is in f->tep now.
 */
static bool parse_format_ref(struct td_file *f, struct td_format_ref *r, bool once)
{
	struct td_print_guard *guard;
	struct tep_event *ev = NULL;
	const char *problem;
	char *why;

	if (r->done)
		return false;
	r->done = true;
	problem = td_format_text_problem(r->blob->data, r->blob->size);
	if (problem) {
		char *name = format_name(r->blob);

		warn_left_out(f, r->system, name, problem);
		free(name);
		return false;
	}
	if (once && r->name && r->id < TD_NR_TYPES && f->formats_of_id[r->id] == 1)
		return parse_format_once(f, r);
	if (!f->scratch && !(f->scratch = new_tep(&f->meta)))
		return false;
	tep_parse_format(f->scratch, &ev, r->blob->data, r->blob->size, r->system);
	if (!ev)
		return false;
	why = td_event_check(ev, f->max_record, &guard);
	td_guard_free(guard);
	if (why) {
		warn_left_out(f, r->system, ev->name, why);
		free(why);
		return false;
	}
	ev = NULL;
	tep_parse_format(f->tep, &ev, r->blob->data, r->blob->size, r->system);
	if (!ev)
		return false;
	why = td_event_check(ev, f->max_record, &guard);
	free(why);	/* the same check passed in the scratch tep */
	if (guard)
		td_guards_add(f, guard);
	return true;
}

static bool ref_is(const struct td_format_ref *r, const char *system, const char *name)
{
	return r->name && (int)strlen(name) == r->name_len && !memcmp(r->name, name, r->name_len) &&
	       (!system || !strcmp(system, r->system));
}

/*
 * What every record needs before the first lookup: libtraceevent reads a
 * record's type where its first event (lowest id) says the common_type field
 * is, so that event is parsed as it would be with every format parsed (the
 * lowest id that passes the checks), with the formats that are not indexed.
 */
static void parse_lazy_base(struct td_file *f)
{
	bool parsed = false;

	if (f->lazy_base_done)
		return;
	f->lazy_base_done = true;
	for (int i = 0; i < f->nr_formats; i++)
		if (!f->formats[i].name)
			parse_format_ref(f, &f->formats[i], false);
	while (!parsed) {
		struct td_format_ref *low = NULL;

		for (int i = 0; i < f->nr_formats; i++) {
			struct td_format_ref *r = &f->formats[i];

			if (!r->done && (!low || r->id < low->id))
				low = r;
		}
		if (!low)
			break;
		parsed = parse_format_ref(f, low, false);
	}
}

static void parse_pending_formats(struct td_file *f)
{
	for (int i = 0; i < f->nr_formats; i++)
		parse_format_ref(f, &f->formats[i], false);
	f->lazy = false;
}

static void parse_formats_of_id(struct td_file *f, unsigned long id)
{
	parse_lazy_base(f);
	for (int i = 0; i < f->nr_formats; i++)
		if (f->formats[i].name && f->formats[i].id == id)
			parse_format_ref(f, &f->formats[i], true);
}

struct tep_handle *td_get_tep_lazy(struct td_file *f)
{
	struct tep_handle *tep;

	if (f->tep)
		return f->tep;
	tep = new_tep(&f->meta);
	if (!tep)
		return NULL;
	load_tables(f, tep);
	index_formats(f);
	f->type_seen = xcalloc(TD_NR_TYPES / 8, 1);
	f->lazy = true;
	f->tep = tep;
	return tep;
}

static int record_type(struct td_file *f, const struct tep_record *rec);

struct tep_event *td_find_event(struct td_file *f, int id)
{
	if (!f->tep)
		return NULL;
	if (f->lazy && id >= 0)
		parse_formats_of_id(f, id);
	return td_event_kept(f, tep_find_event(f->tep, id));
}

struct tep_event *td_event_kept(const struct td_file *f, struct tep_event *ev)
{
	return ev && left_in_tep(f, ev->id) ? NULL : ev;
}

bool td_record_left_out(struct td_file *f, const struct tep_record *rec)
{
	return f->left_in_tep && f->tep && left_in_tep(f, record_type(f, rec));
}

struct tep_event *td_find_event_by_name(struct td_file *f, const char *system, const char *name)
{
	if (!f->tep)
		return NULL;
	if (f->lazy) {
		parse_lazy_base(f);
		for (int i = 0; i < f->nr_formats; i++)
			if (ref_is(&f->formats[i], system, name))
				parse_format_ref(f, &f->formats[i], false);
	}
	return td_event_kept(f, tep_find_event_by_name(f->tep, system, name));
}

/*
 * rec's type as tep_data_type() reads it (where the first event's
 * common_type is), without its calls when that is the usual 2 bytes.
 */
static int record_type(struct td_file *f, const struct tep_record *rec)
{
	uint16_t type;

	if (!f->type_field_known) {
		struct tep_event *first = tep_get_events_count(f->tep) ? tep_get_event(f->tep, 0) : NULL;
		struct tep_format_field *field = first ? tep_find_common_field(first, "common_type")
						       : NULL;

		f->type_field_known = true;
		f->type_offset = field && field->size == 2 && field->offset >= 0 ? field->offset : -1;
	}
	if (f->type_offset < 0 || rec->size < f->type_offset + 2)
		return tep_data_type(f->tep, (struct tep_record *)rec);
	memcpy(&type, (const char *)rec->data + f->type_offset, 2);
	return f->swap ? __builtin_bswap16(type) : type;
}

void td_lazy_parse_record(struct td_file *f, const struct tep_record *rec)
{
	int type;

	parse_lazy_base(f);
	type = record_type(f, rec);
	if (type < 0 || type >= TD_NR_TYPES || (f->type_seen[type / 8] & (1 << type % 8)))
		return;
	f->type_seen[type / 8] |= 1 << type % 8;
	parse_formats_of_id(f, type);
}

