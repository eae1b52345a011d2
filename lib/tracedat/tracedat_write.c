// SPDX-License-Identifier: LGPL-2.1
/*
 * The trace.dat writer: v6, and v7 uncompressed or compressed (zstd, zlib),
 * laid out as trace-cmd 3.1.6 does so that its reader and `trace-cmd dump -v`
 * accept our files. The layout: Documentation/trace-dat.md, section 1 (the
 * section numbers below are that file's).
 *
 * Everything is written with pwrite() at offsets we track, because several
 * fields (CPU tables, section sizes, option chain pointers) are only known
 * later and get patched in place.
 */
#include "tracedat/compress.h"
#include "tracedat/tracedat_priv.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define TD_MAGIC "\027\010\104tracing"
#define CHUNK_PAGES 10		/* trace-cmd compresses CPU data in 10-page chunks */

/* A growable byte buffer to assemble blocks before writing them. */
struct dbuf {
	char *data;
	size_t len;
	size_t cap;
};

static void dbuf_put(struct dbuf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2 + 256;
		b->data = xrealloc(b->data, b->cap);
	}
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
}

static void dbuf_u16(struct dbuf *b, uint16_t v) { dbuf_put(b, &v, 2); }
static void dbuf_u32(struct dbuf *b, uint32_t v) { dbuf_put(b, &v, 4); }
static void dbuf_u64(struct dbuf *b, uint64_t v) { dbuf_put(b, &v, 8); }
static void dbuf_str(struct dbuf *b, const char *s) { dbuf_put(b, s, strlen(s) + 1); }

static void dbuf_free(struct dbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* One buffer to write: the top level (index 0) or an instance. */
struct wbuf {
	const char *name;
	const char *clock;
	int nr_cpus;
	const struct td_cpu_input *cpus;
	uint64_t *cpu_off;		/* where each CPU's data went */
	uint64_t *cpu_size;
	uint64_t v6_option_at;		/* v6 instance: where its BUFFER option's offset is */
};

struct writer {
	int fd;
	uint64_t off;			/* where the next byte goes */
	const struct td_meta *meta;
	enum td_compression comp;
	uint32_t page_size;
	int nr_cpus;			/* of the top level buffer */
	const char *clock;		/* selected clock name */
	char *trace_clock;		/* TRACECLOCK payload, or NULL */
	struct dbuf strings;		/* v7 section descriptions */
	struct wbuf *bufs;
	int nr_bufs;
};

/* "writing FILE: No space left on device" */
static int write_failed(const struct writer *w)
{
	st_set_error("writing %s: %s", w->meta->out_name ? w->meta->out_name : "trace.dat",
		     strerror(errno));
	return -1;
}

static int wr_put(struct writer *w, const void *data, size_t len)
{
	if (pwrite_all(w->fd, data, len, w->off) < 0)
		return write_failed(w);
	w->off += len;
	return 0;
}

static int wr_patch(struct writer *w, uint64_t off, const void *data, size_t len)
{
	if (pwrite_all(w->fd, data, len, off) < 0)
		return write_failed(w);
	return 0;
}

static int wr_pad_to(struct writer *w, uint64_t align)
{
	static const char zeros[4096];
	uint64_t pad = (align - w->off % align) % align;

	while (pad) {
		size_t n = pad < sizeof(zeros) ? pad : sizeof(zeros);

		if (wr_put(w, zeros, n) < 0)
			return -1;
		pad -= n;
	}
	return 0;
}

/* ---- metadata payloads (identical in v6 and v7, section 1.3) ---- */

static void build_header_info(struct writer *w, struct dbuf *b)
{
	const struct td_meta *m = w->meta;

	dbuf_str(b, "header_page");
	dbuf_u64(b, m->header_page.size);
	dbuf_put(b, m->header_page.data, m->header_page.size);
	dbuf_str(b, "header_event");
	dbuf_u64(b, m->header_event.size);
	dbuf_put(b, m->header_event.data, m->header_event.size);
}

static void build_formats(struct dbuf *b, const struct td_blob *formats, int nr)
{
	int i;

	dbuf_u32(b, nr);
	for (i = 0; i < nr; i++) {
		dbuf_u64(b, formats[i].size);
		dbuf_put(b, formats[i].data, formats[i].size);
	}
}

static void build_ftrace_events(struct writer *w, struct dbuf *b)
{
	build_formats(b, w->meta->ftrace_formats, w->meta->nr_ftrace_formats);
}

static void build_event_formats(struct writer *w, struct dbuf *b)
{
	const struct td_meta *m = w->meta;
	int i;

	dbuf_u32(b, m->nr_systems);
	for (i = 0; i < m->nr_systems; i++) {
		dbuf_str(b, m->systems[i].name);
		build_formats(b, m->systems[i].formats, m->systems[i].nr_formats);
	}
}

static void build_kallsyms(struct writer *w, struct dbuf *b)
{
	dbuf_u32(b, w->meta->kallsyms.size);
	dbuf_put(b, w->meta->kallsyms.data, w->meta->kallsyms.size);
}

static void build_printk(struct writer *w, struct dbuf *b)
{
	dbuf_u32(b, w->meta->printk.size);
	dbuf_put(b, w->meta->printk.data, w->meta->printk.size);
}

static void build_cmdlines(struct writer *w, struct dbuf *b)
{
	dbuf_u64(b, w->meta->cmdlines.size);
	dbuf_put(b, w->meta->cmdlines.data, w->meta->cmdlines.size);
}

/* The builder of each metadata section (td_meta_sections[] has the rest). */
static void (*const meta_builders[TD_NR_META_SECTIONS])(struct writer *w, struct dbuf *b) = {
	[TD_META_INDEX(SEC_HEADER_INFO)] = build_header_info,
	[TD_META_INDEX(SEC_FTRACE_EVENTS)] = build_ftrace_events,
	[TD_META_INDEX(SEC_EVENT_FORMATS)] = build_event_formats,
	[TD_META_INDEX(SEC_KALLSYMS)] = build_kallsyms,
	[TD_META_INDEX(SEC_PRINTK)] = build_printk,
	[TD_META_INDEX(SEC_CMDLINES)] = build_cmdlines,
};

/* ---- options ---- */

static void opt_put(struct dbuf *b, int id, const void *data, uint32_t len)
{
	dbuf_u16(b, id);
	dbuf_u32(b, len);
	dbuf_put(b, data, len);
}

static void opt_str(struct dbuf *b, int id, const char *s)
{
	opt_put(b, id, s, strlen(s) + 1);
}

/* TRACECLOCK, UNAME, VERSION, TRACEID, CPUSTAT per CPU: the options both versions share. */
static void build_common_options(struct writer *w, struct dbuf *b)
{
	const struct td_meta *m = w->meta;
	struct utsname u;
	int cpu;

	if (w->trace_clock)
		opt_str(b, OPT_TRACECLOCK, w->trace_clock);
	if (m->uname) {
		opt_str(b, OPT_UNAME, m->uname);
	} else if (uname(&u) == 0) {
		char *s = xasprintf("%s %s %s %s", u.sysname, u.nodename, u.release, u.machine);

		opt_str(b, OPT_UNAME, s);
		free(s);
	}
	opt_str(b, OPT_VERSION, m->version ? m->version : "sidetrace " SIDETRACE_VERSION);
	if (m->has_trace_id)
		opt_put(b, OPT_TRACEID, &m->trace_id, 8);
	if (m->procmaps)
		opt_str(b, OPT_PROCMAPS, m->procmaps);
	for (int i = 0; i < m->nr_private_options; i++)
		opt_put(b, m->private_options[i].id, m->private_options[i].data.data,
			m->private_options[i].data.size);
	for (cpu = 0; cpu < w->nr_cpus; cpu++) {
		const char *stats = m->cpustats && m->cpustats[cpu] ? m->cpustats[cpu] : "";
		char *s = xasprintf("CPU: %d\n%s", cpu, stats);

		opt_str(b, OPT_CPUSTAT, s);
		free(s);
	}
}

/* ---- per-CPU data ---- */

static bool cpu_has_data(const struct td_cpu_input *in)
{
	return in->fd >= 0 && in->size > 0;
}

static int short_input(int cpu)
{
	st_set_error("CPU %d data is shorter than its stated size", cpu);
	return -1;
}

/* pread exactly len bytes; a short file is an error. */
static int read_input(int fd, void *buf, size_t len, uint64_t off, int cpu)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st_set_error("cannot read CPU %d data: %s", cpu, strerror(errno));
			return -1;
		}
		if (n == 0)
			return short_input(cpu);
		buf = (char *)buf + n;
		len -= n;
		off += n;
	}
	return 0;
}

static int copy_by_read(struct writer *w, const struct td_cpu_input *in, uint64_t done, int cpu)
{
	size_t bufsize = 1 << 20;
	char *buf = xmalloc(bufsize);
	int ret = 0;

	while (done < in->size) {
		size_t n = in->size - done < bufsize ? in->size - done : bufsize;

		ret = read_input(in->fd, buf, n, done, cpu);
		if (!ret)
			ret = wr_put(w, buf, n);
		if (ret)
			break;
		done += n;
	}
	free(buf);
	return ret;
}

/* Copy in-kernel when the filesystems allow it, else through a buffer. */
static int copy_cpu_data(struct writer *w, const struct td_cpu_input *in, int cpu)
{
	loff_t in_off = 0, out_off = w->off;

	while ((uint64_t)in_off < in->size) {
		ssize_t n = copy_file_range(in->fd, &in_off, w->fd, &out_off,
					    in->size - in_off, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			w->off = out_off;
			return copy_by_read(w, in, in_off, cpu);
		}
		if (n == 0)
			return short_input(cpu);
		w->off = out_off;
	}
	return 0;
}

static int write_chunk(struct writer *w, const char *data, uint32_t len, char *cbuf, size_t ccap,
		       uint64_t *written)
{
	size_t clen = td_compress(w->comp, data, len, cbuf, ccap);
	uint32_t hdr[2] = { clen, len };

	if (!clen)
		return -1;
	if (wr_put(w, hdr, sizeof(hdr)) < 0 || wr_put(w, cbuf, clen) < 0)
		return -1;
	*written += sizeof(hdr) + clen;
	return 0;
}

/*
 * u32 chunk count, then chunks of 10 pages (u32 compressed size, u32 size,
 * bytes). *size_out is what trace-cmd stores: the chunks without the count.
 */
static int compress_cpu_data(struct writer *w, const struct td_cpu_input *in, int cpu,
			     uint64_t *size_out)
{
	size_t chunk = (size_t)w->page_size * CHUNK_PAGES;
	size_t ccap = td_compress_bound(w->comp, chunk);
	char *buf = xmalloc(chunk), *cbuf = xmalloc(ccap);
	uint64_t count_off = w->off, done = 0;
	uint32_t count = 0;
	int ret;

	*size_out = 0;
	ret = wr_put(w, &count, 4);
	while (!ret && done < in->size) {
		size_t n = in->size - done < chunk ? in->size - done : chunk;
		size_t padded = (n + w->page_size - 1) / w->page_size * w->page_size;

		ret = read_input(in->fd, buf, n, done, cpu);
		if (ret)
			break;
		memset(buf + n, 0, padded - n);
		ret = write_chunk(w, buf, padded, cbuf, ccap, size_out);
		done += n;
		count++;
	}
	if (!ret)
		ret = wr_patch(w, count_off, &count, 4);
	free(buf);
	free(cbuf);
	return ret;
}

/* Write every CPU's data of a buffer page-aligned, recording where it went. */
static int write_all_cpu_data(struct writer *w, struct wbuf *b)
{
	int cpu;

	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		const struct td_cpu_input *in = &b->cpus[cpu];
		int ret;

		if (wr_pad_to(w, w->page_size) < 0)
			return -1;
		b->cpu_off[cpu] = w->off;
		b->cpu_size[cpu] = 0;
		if (!cpu_has_data(in))
			continue;
		if (w->comp != TD_COMPRESS_NONE) {
			ret = compress_cpu_data(w, in, cpu, &b->cpu_size[cpu]);
		} else {
			ret = copy_cpu_data(w, in, cpu);
			if (!ret && wr_pad_to(w, w->page_size) < 0)
				ret = -1;
			b->cpu_size[cpu] = w->off - b->cpu_off[cpu];
		}
		if (ret)
			return -1;
	}
	return 0;
}

/* ---- the initial header ---- */

static void build_initial_header(struct writer *w, struct dbuf *b, int version)
{
	uint8_t endian = td_host_big_endian(), long_size;

	long_size = w->meta->long_size ? w->meta->long_size : sizeof(long);
	dbuf_put(b, TD_MAGIC, 10);
	dbuf_str(b, version == 6 ? "6" : "7");
	dbuf_put(b, &endian, 1);
	dbuf_put(b, &long_size, 1);
	dbuf_u32(b, w->page_size);
	if (version == 6)
		return;
	dbuf_str(b, td_compression_name(w->comp));
	dbuf_str(b, td_compression_version(w->comp));
}

/* ---- v6 ---- */

/*
 * "flyrecord\0", the CPU table, the clock trailer, then the page-aligned
 * data; the table is patched once the data is written.
 */
static int write_v6_flyrecord(struct writer *w, struct wbuf *buf)
{
	const char *clock = buf->clock ? buf->clock : w->clock;
	struct dbuf b = { 0 };
	uint64_t table_off;
	int cpu, ret = -1;

	dbuf_put(&b, "flyrecord", 10);
	table_off = w->off + b.len;
	for (cpu = 0; cpu < buf->nr_cpus; cpu++) {
		dbuf_u64(&b, 0);
		dbuf_u64(&b, 0);
	}
	if (clock) {
		char *trailer = xasprintf("[%s]", clock);

		dbuf_u64(&b, strlen(trailer));
		dbuf_put(&b, trailer, strlen(trailer));
		free(trailer);
	}
	if (wr_put(w, b.data, b.len) < 0 || write_all_cpu_data(w, buf) < 0)
		goto out;
	b.len = 0;
	for (cpu = 0; cpu < buf->nr_cpus; cpu++) {
		dbuf_u64(&b, buf->cpu_off[cpu]);
		dbuf_u64(&b, buf->cpu_size[cpu]);
	}
	ret = wr_patch(w, table_off, b.data, b.len);
out:
	dbuf_free(&b);
	return ret;
}

static int write_v6(struct writer *w)
{
	struct dbuf b = { 0 };
	uint32_t count;
	size_t i;
	int n, ret = -1;

	build_initial_header(w, &b, 6);
	for (i = 0; i < TD_NR_META_SECTIONS; i++)
		meta_builders[i](w, &b);
	dbuf_u32(&b, w->nr_cpus);
	dbuf_put(&b, "options  ", 10);
	build_common_options(w, &b);
	count = w->nr_cpus;
	opt_put(&b, OPT_CPUCOUNT, &count, 4);
	/* Instances: BUFFER = u64 offset (patched) + name, and CPUCOUNT if it differs. */
	for (n = 1; n < w->nr_bufs; n++) {
		struct wbuf *buf = &w->bufs[n];
		size_t len = strlen(buf->name) + 1;

		dbuf_u16(&b, OPT_BUFFER);
		dbuf_u32(&b, 8 + len);
		buf->v6_option_at = w->off + b.len;
		dbuf_u64(&b, 0);
		dbuf_put(&b, buf->name, len);
		if (buf->nr_cpus != w->nr_cpus) {
			count = buf->nr_cpus;
			opt_put(&b, OPT_CPUCOUNT, &count, 4);
		}
	}
	dbuf_u16(&b, OPT_DONE);
	ret = wr_put(w, b.data, b.len);
	dbuf_free(&b);
	if (ret || write_v6_flyrecord(w, &w->bufs[0]) < 0)
		return -1;
	for (n = 1; n < w->nr_bufs; n++) {
		uint64_t at;

		if (wr_pad_to(w, w->page_size) < 0)
			return -1;
		at = w->off;
		if (wr_patch(w, w->bufs[n].v6_option_at, &at, 8) < 0 ||
		    write_v6_flyrecord(w, &w->bufs[n]) < 0)
			return -1;
	}
	return 0;
}

/* ---- v7 ---- */

static int32_t add_string(struct writer *w, const char *s)
{
	int32_t off = w->strings.len;

	dbuf_str(&w->strings, s);
	return off;
}

static void section_header(struct dbuf *b, int id, bool compressed, int32_t desc, uint64_t size)
{
	dbuf_u16(b, id);
	dbuf_u16(b, compressed ? 1 : 0);
	dbuf_put(b, &desc, 4);
	dbuf_u64(b, size);
}

/* Write one section (compressed as one block if asked); return its header offset in *at. */
static int write_section(struct writer *w, int id, const char *desc, const struct dbuf *payload,
			 bool compress, uint64_t *at)
{
	struct dbuf b = { 0 };
	int32_t desc_off = add_string(w, desc);
	int ret = -1;

	*at = w->off;
	if (compress) {
		size_t ccap = td_compress_bound(w->comp, payload->len);
		char *cbuf = xmalloc(ccap);
		size_t clen = td_compress(w->comp, payload->data, payload->len, cbuf, ccap);

		if (clen) {
			section_header(&b, id, true, desc_off, 8 + clen);
			dbuf_u32(&b, clen);
			dbuf_u32(&b, payload->len);
			dbuf_put(&b, cbuf, clen);
		}
		free(cbuf);
		if (!clen)
			goto out;
	} else {
		section_header(&b, id, false, desc_off, payload->len);
		dbuf_put(&b, payload->data, payload->len);
	}
	ret = wr_put(w, b.data, b.len);
out:
	dbuf_free(&b);
	return ret;
}

static int write_v7_metadata(struct writer *w, uint64_t *offsets)
{
	size_t i;

	for (i = 0; i < TD_NR_META_SECTIONS; i++) {
		struct dbuf b = { 0 };
		int ret;

		meta_builders[i](w, &b);
		ret = write_section(w, td_meta_sections[i].id, td_meta_sections[i].desc, &b,
				    w->comp != TD_COMPRESS_NONE, &offsets[i]);
		dbuf_free(&b);
		if (ret)
			return -1;
	}
	return 0;
}

/* Options section #1; *done_at gets the offset of its DONE payload (the next-section pointer). */
static int write_v7_options1(struct writer *w, const uint64_t *meta_off, uint64_t *at,
			     uint64_t *done_at)
{
	struct dbuf opts = { 0 };
	uint32_t count = w->nr_cpus;
	uint64_t zero = 0;
	int i, ret;

	/* trace-cmd's order: the sections' offsets but CMDLINES's, the common options, CMDLINES */
	for (i = 0; i < TD_META_INDEX(SEC_CMDLINES); i++)
		opt_put(&opts, td_meta_sections[i].id, &meta_off[i], 8);
	build_common_options(w, &opts);
	opt_put(&opts, SEC_CMDLINES, &meta_off[TD_META_INDEX(SEC_CMDLINES)], 8);
	opt_put(&opts, OPT_CPUCOUNT, &count, 4);
	opt_put(&opts, OPT_DONE, &zero, 8);
	ret = write_section(w, OPT_DONE, "options", &opts, false, at);
	*done_at = w->off - 8;
	dbuf_free(&opts);
	return ret;
}

static int write_v7_buffer(struct writer *w, struct wbuf *buf, uint64_t *at)
{
	struct dbuf b = { 0 };
	char *desc = xasprintf("buffer flyrecord %s", buf->name);
	uint64_t size;
	int ret;

	*at = w->off;
	section_header(&b, OPT_BUFFER, w->comp != TD_COMPRESS_NONE, add_string(w, desc), 0);
	free(desc);
	ret = wr_put(w, b.data, b.len);
	dbuf_free(&b);
	if (ret || write_all_cpu_data(w, buf) < 0)
		return -1;
	size = w->off - (*at + 16);
	return wr_patch(w, *at + 8, &size, 8);
}

/* An options section with the BUFFER option of buf; *done_at = offset of its DONE pointer. */
static int write_v7_buffer_options(struct writer *w, struct wbuf *buf, uint64_t buffer_at,
				   uint64_t *at, uint64_t *done_at)
{
	struct dbuf opt = { 0 }, opts = { 0 };
	const char *clock = buf->clock ? buf->clock : w->clock;
	uint32_t n = 0;
	uint64_t zero = 0;
	int cpu, ret;

	for (cpu = 0; cpu < buf->nr_cpus; cpu++)
		n += cpu_has_data(&buf->cpus[cpu]);
	dbuf_u64(&opt, buffer_at);
	dbuf_str(&opt, buf->name);
	dbuf_str(&opt, clock ? clock : "local");
	dbuf_u32(&opt, w->page_size);
	dbuf_u32(&opt, n);
	for (cpu = 0; cpu < buf->nr_cpus; cpu++) {
		if (!cpu_has_data(&buf->cpus[cpu]))
			continue;
		dbuf_u32(&opt, cpu);
		dbuf_u64(&opt, buf->cpu_off[cpu]);
		dbuf_u64(&opt, buf->cpu_size[cpu]);
	}
	opt_put(&opts, OPT_BUFFER, opt.data, opt.len);
	opt_put(&opts, OPT_DONE, &zero, 8);
	ret = write_section(w, OPT_DONE, "options", &opts, false, at);
	*done_at = w->off - 8;
	dbuf_free(&opt);
	dbuf_free(&opts);
	return ret;
}

static int write_v7(struct writer *w)
{
	struct dbuf b = { 0 };
	uint64_t meta_off[TD_NR_META_SECTIONS], first_opt_ptr, opt1, done, buf_at, opt;
	uint64_t strings_at;
	struct dbuf strings = { 0 };
	int n, ret;

	build_initial_header(w, &b, 7);
	first_opt_ptr = b.len;
	dbuf_u64(&b, 0);
	ret = wr_put(w, b.data, b.len);
	dbuf_free(&b);
	if (ret || write_v7_metadata(w, meta_off) < 0 ||
	    write_v7_options1(w, meta_off, &opt1, &done) < 0 ||
	    wr_patch(w, first_opt_ptr, &opt1, 8) < 0)
		return -1;
	/* Each buffer: its flyrecord section, then an options section chained to the last. */
	for (n = 0; n < w->nr_bufs; n++) {
		uint64_t prev_done = done;

		if (write_v7_buffer(w, &w->bufs[n], &buf_at) < 0 ||
		    write_v7_buffer_options(w, &w->bufs[n], buf_at, &opt, &done) < 0 ||
		    wr_patch(w, prev_done, &opt, 8) < 0)
			return -1;
	}
	/* The strings section describes itself too, so name it before copying the table. */
	add_string(w, "strings");
	dbuf_put(&strings, w->strings.data, w->strings.len);
	w->strings.len -= strlen("strings") + 1;
	ret = write_section(w, SEC_STRINGS, "strings", &strings, w->comp != TD_COMPRESS_NONE,
			    &strings_at);
	dbuf_free(&strings);
	return ret;
}

/* ---- entry point ---- */

/* "[local] global counter" -> "local" */
static char *clock_from_trace_clock(const char *trace_clock)
{
	const char *open = strchr(trace_clock, '['), *close;

	if (!open)
		return NULL;
	close = strchr(open, ']');
	if (!close)
		return NULL;
	return strndup(open + 1, close - open - 1);
}

static int check_meta(const struct td_meta *meta, const struct td_cpu_input *cpus)
{
	if (meta->file_version != 6 && meta->file_version != 7) {
		st_set_error("cannot write trace.dat version %d (only 6 and 7)",
			     meta->file_version);
		return -1;
	}
	if (meta->file_version == 7 && (meta->compression < TD_COMPRESS_NONE ||
					meta->compression > TD_COMPRESS_ZSTD)) {
		st_set_error("unknown compression %d", meta->compression);
		return -1;
	}
	if (meta->nr_cpus < 0 || (meta->nr_cpus > 0 && !cpus)) {
		st_set_error("bad CPU count %d", meta->nr_cpus);
		return -1;
	}
	if (meta->page_size && (meta->page_size & (meta->page_size - 1))) {
		st_set_error("page size %u is not a power of two", meta->page_size);
		return -1;
	}
	return 0;
}

static void init_wbuf(struct wbuf *b, const char *name, const char *clock, int nr_cpus,
		      const struct td_cpu_input *cpus)
{
	b->name = name;
	b->clock = clock;
	b->nr_cpus = nr_cpus;
	b->cpus = cpus;
	b->cpu_off = xcalloc(nr_cpus + 1, sizeof(uint64_t));
	b->cpu_size = xcalloc(nr_cpus + 1, sizeof(uint64_t));
}

static int check_instances(const struct td_write_buffer *inst, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		if (!inst[i].name || !inst[i].name[0]) {
			st_set_error("instance buffer %d has no name", i);
			return -1;
		}
		if (inst[i].nr_cpus < 0 || (inst[i].nr_cpus > 0 && !inst[i].cpus)) {
			st_set_error("bad CPU count %d for instance %s", inst[i].nr_cpus,
				     inst[i].name);
			return -1;
		}
	}
	return 0;
}

int td_write_instances(int out_fd, const struct td_meta *meta, const struct td_cpu_input *cpus,
		       const struct td_write_buffer *instances, int nr_instances)
{
	struct writer w = {
		.fd = out_fd,
		.meta = meta,
	};
	char *clock = NULL;
	struct stat st;
	int i, ret;

	if (check_meta(meta, cpus) < 0 || nr_instances < 0 ||
	    check_instances(instances, nr_instances) < 0)
		return -1;
	w.comp = meta->file_version == 7 ? meta->compression : TD_COMPRESS_NONE;
	w.page_size = meta->page_size ? meta->page_size : (uint32_t)getpagesize();
	w.nr_cpus = meta->nr_cpus;
	if (meta->trace_clock)
		w.trace_clock = xstrdup(meta->trace_clock);
	else if (meta->clock)
		w.trace_clock = xasprintf("[%s]\n", meta->clock);
	if (meta->clock)
		w.clock = meta->clock;
	else if (w.trace_clock)
		w.clock = clock = clock_from_trace_clock(w.trace_clock);
	w.nr_bufs = 1 + nr_instances;
	w.bufs = xcalloc(w.nr_bufs, sizeof(*w.bufs));
	init_wbuf(&w.bufs[0], "", NULL, meta->nr_cpus, cpus);
	for (i = 0; i < nr_instances; i++)
		init_wbuf(&w.bufs[i + 1], instances[i].name, instances[i].clock,
			  instances[i].nr_cpus, instances[i].cpus);

	ret = meta->file_version == 6 ? write_v6(&w) : write_v7(&w);
	/* Overwriting a longer file must not leave its tail behind. */
	if (!ret && fstat(out_fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > w.off && ftruncate(out_fd, w.off) < 0)
		ret = write_failed(&w);
	/* Everything went through pwrite(); leave the fd positioned at the end. */
	if (!ret)
		lseek(out_fd, w.off, SEEK_SET);
	for (i = 0; i < w.nr_bufs; i++) {
		free(w.bufs[i].cpu_off);
		free(w.bufs[i].cpu_size);
	}
	free(w.bufs);
	free(w.trace_clock);
	free(clock);
	dbuf_free(&w.strings);
	return ret;
}

int td_write(int out_fd, const struct td_meta *meta, const struct td_cpu_input *cpus)
{
	return td_write_instances(out_fd, meta, cpus, NULL, 0);
}
