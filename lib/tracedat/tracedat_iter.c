// SPDX-License-Identifier: LGPL-2.1
/*
 * Records of one buffer, merged across CPUs by timestamp.
 *
 * Each CPU is a stream of sub-buffer pages, read straight from the mapping or,
 * for compressed files, decompressed one chunk at a time (memory stays at one
 * chunk per CPU whatever the file size). Every page is copied into a buffer
 * with zeroed slack and its commit size checked before kbuffer sees it, so a
 * corrupt page cannot make kbuffer read outside our memory; each event's
 * extent is checked again before it is handed out.
 *
 * Two page buffers and two records per CPU alternate, so the record
 * td_iter_next() returned survives one td_iter_peek() that moves the same CPU.
 *
 * libtraceevent reads a record's fields where the format says, without
 * looking at the record's size. td_get_tep() keeps every field inside the
 * largest record (f->max_record), so each page buffer has that much zeroed
 * room after the page: a short or corrupt record makes it read zeros or
 * stale bytes of ours, never outside our memory. Only the bytes a page
 * really filled are zeroed again, so memory follows the data, not the page
 * size the file claims.
 */
#include "tracedat/tracedat_priv.h"
#include "tracedat/compress.h"
#include "util.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>

#define COMMIT_MASK	((1U << 27) - 1)
#define MISSED_STORED	(1ULL << 30)
#define PAGE_SLACK	64
#define MAX_CHUNK	(64U << 20)
#define RELEASE_STEP	(1ULL << 20)	/* hand read data back to the kernel per MiB */
/* room after a page for libtraceevent's reads: trace_printk arguments, 8 bytes each */
#define MIN_READ_ROOM	1024

struct cpu_stream {
	int cpu;
	struct kbuffer *kbuf;
	/* where the next page comes from */
	uint64_t pos;		/* file offset of the next page / next chunk header */
	uint64_t end;		/* end of this CPU's data in the file */
	bool compressed;
	uint32_t chunks_left;
	uint8_t *chunk;		/* current decompressed chunk */
	size_t chunk_cap;
	size_t chunk_len;
	size_t chunk_pos;
	uint64_t stream_off;	/* offset of the next page, for record->offset */
	uint64_t released;	/* mapping below this offset already given back */
	/* the page kbuffer is reading */
	uint8_t *page[2];
	size_t dirty[2];	/* page[i] is zero from here on */
	int cur;
	uint64_t page_off;
	uint64_t page_end;	/* header + commit bytes */
	bool loaded;
	bool first;		/* next event read is the page's first */
	struct tep_record rec[2];
	int slot;		/* rec[slot] is the pending record */
	bool has_rec;
	uint64_t *next_ts;	/* its timestamp, in the iterator's ts array (UINT64_MAX: none) */
};

struct td_iter {
	struct td_file *f;
	enum td_compression comp;
	uint32_t page_size;
	int hdr_size;		/* sub-buffer header: u64 timestamp + kernel long commit */
	int long_size;
	int nr;
	struct cpu_stream *s;
	uint64_t *ts;		/* pending timestamp per stream, packed for a fast minimum */
	int advance;		/* stream whose record td_iter_next() handed out, or -1 */
	int error;
};

static int stream_error(struct td_iter *it, struct cpu_stream *s, const char *why)
{
	st_set_error("corrupt trace.dat: %s (CPU %d data near offset %llu)", why, s->cpu,
		     (unsigned long long)s->pos);
	it->error = 1;
	return -1;
}

/*
 * Pages of the mapping that were copied out are dropped from our resident set
 * (they stay in the page cache), so peak RSS does not grow with the file. A
 * page still needed by another stream or by the metadata just faults back in.
 */
static void release_consumed(struct td_iter *it, struct cpu_stream *s)
{
	uint64_t upto = s->pos & ~(RELEASE_STEP - 1);

	if (upto <= s->released)
		return;
	madvise((uint8_t *)it->f->map + s->released, upto - s->released, MADV_DONTNEED);
	s->released = upto;
}

static int load_chunk(struct td_iter *it, struct cpu_stream *s)
{
	const uint8_t *p = it->f->map + s->pos;
	uint32_t csize, usize;

	if (s->end - s->pos < 8)
		return stream_error(it, s, "truncated chunk header");
	csize = td_read_u32(it->f, p);
	usize = td_read_u32(it->f, p + 4);
	if (csize > s->end - s->pos - 8)
		return stream_error(it, s, "truncated chunk");
	if (usize > MAX_CHUNK || !usize)
		return stream_error(it, s, "bad chunk size");
	if (usize + PAGE_SLACK > s->chunk_cap) {
		s->chunk_cap = usize + PAGE_SLACK;
		free(s->chunk);
		s->chunk = xmalloc(s->chunk_cap);
	}
	if (td_decompress(it->comp, p + 8, csize, s->chunk, usize) < 0) {
		char *why = xstrdup(st_last_error());

		stream_error(it, s, why);
		free(why);
		return -1;
	}
	s->pos += 8 + (uint64_t)csize;
	release_consumed(it, s);
	s->chunks_left--;
	s->chunk_len = usize;
	s->chunk_pos = 0;
	return 0;
}

/* Copy the next raw page into the spare page buffer. 1 = got one, 0 = end, -1 = error. */
static int fetch_page(struct td_iter *it, struct cpu_stream *s)
{
	int spare = s->cur ^ 1;
	uint8_t *dst = s->page[spare];
	size_t n;

	if (s->compressed) {
		if (s->chunk_pos >= s->chunk_len) {
			if (!s->chunks_left)
				return 0;
			if (load_chunk(it, s) < 0)
				return -1;
		}
		n = s->chunk_len - s->chunk_pos;
		if (n > it->page_size)
			n = it->page_size;
		memcpy(dst, s->chunk + s->chunk_pos, n);
		s->chunk_pos += n;
	} else {
		if (s->pos >= s->end)
			return 0;
		n = s->end - s->pos;
		if (n > it->page_size)
			n = it->page_size;
		memcpy(dst, it->f->map + s->pos, n);
		s->pos += n;
		release_consumed(it, s);
	}
	if (s->dirty[spare] > n)
		memset(dst + n, 0, s->dirty[spare] - n);
	s->dirty[spare] = n;
	s->page_off = s->stream_off;
	s->stream_off += n;
	return 1;
}

/* Load the next non-empty page into kbuffer. 1 = loaded, 0 = end, -1 = error. */
static int next_page(struct td_iter *it, struct cpu_stream *s)
{
	for (;;) {
		uint8_t *page = s->page[s->cur ^ 1];
		uint64_t commit, size;
		int ret = fetch_page(it, s);

		if (ret <= 0)
			return ret;
		commit = it->long_size == 8 ? td_read_u64(it->f, page + 8)
					    : td_read_u32(it->f, page + 8);
		size = commit & COMMIT_MASK;
		if (size + it->hdr_size + ((commit & MISSED_STORED) ? it->long_size : 0) >
		    it->page_size)
			return stream_error(it, s, "page commit size larger than the page");
		if (!size)
			continue;
		s->cur ^= 1;
		s->page_end = it->hdr_size + size;
		if (kbuffer_load_subbuffer(s->kbuf, page) < 0)
			return stream_error(it, s, "unreadable page");
		s->loaded = true;
		s->first = true;
		return 1;
	}
}

/* Move a stream to its next record (into the other rec slot). */
static int stream_advance(struct td_iter *it, struct cpu_stream *s)
{
	for (;;) {
		unsigned long long ts;
		uint8_t *data = NULL, *page;
		struct tep_record *r;
		int size, ret;

		if (s->loaded)
			data = s->first ? kbuffer_read_event(s->kbuf, &ts)
					: kbuffer_next_event(s->kbuf, &ts);
		if (!data) {
			s->loaded = false;
			ret = next_page(it, s);
			if (ret <= 0) {
				s->has_rec = false;
				*s->next_ts = UINT64_MAX;
				return ret;
			}
			continue;
		}
		page = s->page[s->cur];
		size = kbuffer_event_size(s->kbuf);
		if (data < page || size < 0 || data + size > page + s->page_end)
			return stream_error(it, s, "event extends past its page");
		/* alternate the slots so the record handed out last stays intact */
		s->slot ^= 1;
		r = &s->rec[s->slot];
		/* cpu, ref_count and locked were set once by stream_init() */
		r->ts = ts;
		r->data = data;
		r->size = size;
		r->record_size = kbuffer_curr_size(s->kbuf);
		r->offset = s->page_off + (data - page);
		r->missed_events = s->first ? kbuffer_missed_events(s->kbuf) : 0;
		s->first = false;
		s->has_rec = true;
		*s->next_ts = ts;
		return 1;
	}
}

/* The stream with the smallest timestamp; streams are sorted by CPU, so ties go to the lowest. */
static int pick(struct td_iter *it)
{
	uint64_t best_ts;
	int i, best = 0;

	if (!it->nr)
		return -1;
	best_ts = it->ts[0];
	for (i = 1; i < it->nr; i++) {
		if (it->ts[i] < best_ts) {
			best = i;
			best_ts = it->ts[i];
		}
	}
	if (best_ts != UINT64_MAX)
		return best;
	/* all done, unless a (corrupt) record really has the largest timestamp */
	for (i = 0; i < it->nr; i++)
		if (it->s[i].has_rec)
			return i;
	return -1;
}

static int catch_up(struct td_iter *it)
{
	int i = it->advance;

	if (i < 0)
		return 0;
	it->advance = -1;
	return stream_advance(it, &it->s[i]) < 0 ? -1 : 0;
}

struct tep_record *td_iter_peek(struct td_iter *it)
{
	int i;

	if (it->error || catch_up(it) < 0)
		return NULL;
	i = pick(it);
	return i < 0 ? NULL : &it->s[i].rec[it->s[i].slot];
}

struct tep_record *td_iter_next(struct td_iter *it)
{
	int i;

	if (it->error || catch_up(it) < 0)
		return NULL;
	i = pick(it);
	if (i < 0)
		return NULL;
	it->advance = i;
	return &it->s[i].rec[it->s[i].slot];
}

int td_iter_error(const struct td_iter *it)
{
	return it->error;
}

static void free_streams(struct td_iter *it)
{
	int i;

	for (i = 0; i < it->nr; i++) {
		struct cpu_stream *s = &it->s[i];

		if (s->kbuf)
			kbuffer_free(s->kbuf);
		free(s->chunk);
		free(s->page[0]);
		free(s->page[1]);
	}
	free(it->s);
	free(it->ts);
}

void td_iter_free(struct td_iter *it)
{
	if (!it)
		return;
	free_streams(it);
	free(it);
}

static int stream_init(struct td_iter *it, struct cpu_stream *s, const struct td_buffer *b,
		       const struct td_cpu_data *cd, struct tep_handle *tep)
{
	size_t room = it->f->max_record > MIN_READ_ROOM ? it->f->max_record : MIN_READ_ROOM;
	int i;

	s->cpu = cd->cpu;
	for (i = 0; i < 2; i++) {
		s->rec[i].cpu = cd->cpu;
		s->rec[i].ref_count = 1;
		s->rec[i].locked = 1;
	}
	s->kbuf = tep_kbuffer(tep);
	if (!s->kbuf) {
		st_set_error("cannot allocate a kbuffer");
		return -1;
	}
	/* calloc: the room after the page stays untouched zero pages until read */
	s->page[0] = xcalloc(1, it->page_size + room + PAGE_SLACK);
	s->page[1] = xcalloc(1, it->page_size + room + PAGE_SLACK);
	s->pos = cd->offset;
	s->end = cd->offset + cd->size;
	/* record->offset: the file offset (uncompressed), else offset + position in the data */
	s->stream_off = cd->offset;
	s->released = cd->offset & ~(RELEASE_STEP - 1);
	s->compressed = b->compressed;
	if (s->compressed) {
		s->chunks_left = td_read_u32(it->f, it->f->map + cd->offset);
		s->pos += 4;
		s->end += 4;
	}
	return stream_advance(it, s) < 0 ? -1 : 0;
}

struct td_iter *td_iter_new(struct td_file *f, int buffer, const bool *cpu_mask, int mask_len)
{
	const struct td_buffer *b = td_get_buffer(f, buffer);
	struct tep_handle *tep;
	struct td_iter *it;
	int i;

	if (!b) {
		st_set_error("trace.dat has no buffer %d", buffer);
		return NULL;
	}
	if (b->latency) {
		st_set_error("buffer \"%s\" is a latency (text) buffer", b->name);
		return NULL;
	}
	tep = td_get_tep(f);
	if (!tep)
		return NULL;
	it = xcalloc(1, sizeof(*it));
	it->f = f;
	it->comp = f->meta.compression;
	it->page_size = b->page_size;
	it->long_size = tep_get_long_size(tep) == 4 ? 4 : 8;
	it->hdr_size = 8 + it->long_size;
	it->advance = -1;
	it->s = xcalloc(b->nr_cpus + 1, sizeof(*it->s));
	it->ts = xcalloc(b->nr_cpus + 1, sizeof(*it->ts));
	for (i = 0; i < b->nr_cpus; i++) {
		const struct td_cpu_data *cd = &b->cpus[i];

		if (!cd->size)
			continue;
		if (cpu_mask && (cd->cpu >= mask_len || !cpu_mask[cd->cpu]))
			continue;
		it->s[it->nr].next_ts = &it->ts[it->nr];
		it->ts[it->nr] = UINT64_MAX;
		if (stream_init(it, &it->s[it->nr++], b, cd, tep) < 0) {
			td_iter_free(it);
			return NULL;
		}
	}
	return it;
}
