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
 * Decompression runs ahead on a second thread: the iterator's worker walks
 * each CPU's chunk headers itself and decompresses up to RING - 1 chunks
 * ahead into that CPU's ring of chunk buffers (reused, so no page faults
 * after warm-up) while this thread formats records. The two threads hand
 * chunks over through two counters per CPU and sleep on a condition only
 * when there is nothing to do: the worker when every ring is full, and it is
 * woken again once a ring is half empty, so the futex calls are a few per
 * RING chunks instead of several per chunk. A chunk the worker could not
 * decompress is decompressed again here, so errors are reported as before,
 * in order. Memory: RING chunks per CPU (chunks above RING_BIG go one ahead
 * only).
 *
 * The worker also reads each chunk's pages with a kbuffer of its own and
 * keeps what kbuffer says of every event (timestamp, place, sizes) in the
 * chunk's index, so that this thread takes records from the index instead
 * of walking the page itself: the walk, about half of the cost of a record
 * here, runs beside the formatting. A page is indexed only when its
 * committed bytes are all in the chunk and every event passes the checks
 * below; any other page is read here as before, so errors and their
 * messages do not change.
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

#include <pthread.h>
#include <stdatomic.h>
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

#define RING		8	/* chunk buffers per CPU: the current chunk and up to 7 ahead */
#define RING_BIG	(1U << 20)	/* a larger chunk is decompressed only one ahead */

/* One event of an indexed page, as kbuffer read it. */
struct event_entry {
	uint64_t ts;
	uint32_t off;		/* of the event's data in its page */
	uint32_t size;		/* kbuffer_event_size() */
	uint32_t record_size;	/* kbuffer_curr_size() */
};

/* A page of a chunk: its events in the chunk's index, or count -1: read it here. */
struct page_entry {
	uint32_t first;
	int32_t count;
	int32_t missed;		/* kbuffer_missed_events() at its first event */
};

/* A chunk the worker is done with: decompressed, or not (load_chunk() then says why). */
struct ring_slot {
	uint8_t *buf;
	size_t cap;
	uint32_t csize, usize;
	bool ok;
	/* the index of the chunk's pages (nr_pages of them) and their events */
	struct page_entry *pages;
	uint32_t nr_pages, pages_cap;
	struct event_entry *events;
	uint32_t events_cap;
};

struct cpu_stream {
	int cpu;
	struct kbuffer *kbuf;
	/* where the next page comes from */
	uint64_t pos;		/* file offset of the next page / next chunk header */
	uint64_t end;		/* end of this CPU's data in the file */
	bool compressed;
	uint32_t chunks_left;
	uint8_t *chunk;		/* current decompressed chunk: a ring slot's or own */
	uint8_t *own;		/* this thread's chunk buffer (no worker, or redone) */
	size_t own_cap;
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
	/* the current chunk's index (NULL: none), and the loaded page's events in it */
	const struct ring_slot *index;
	uint32_t page_no;	/* of the page fetched last, in its chunk */
	bool indexed;		/* the loaded page's events come from the index */
	const struct event_entry *next_event;
	uint32_t events_left;
	int32_t page_missed;
	struct tep_record rec[2];
	int slot;		/* rec[slot] is the pending record */
	bool has_rec;
	uint64_t *next_ts;	/* its timestamp, in the iterator's ts array (UINT64_MAX: none) */
	/*
	 * Chunk k is in ring[k % RING] once produced > k. The worker writes
	 * slots k < taken - 1 + RING only: the current chunk stays intact.
	 */
	struct ring_slot ring[RING];
	_Atomic uint32_t produced;	/* written by the worker */
	_Atomic uint32_t taken;		/* chunks this thread took */
	uint64_t wpos;			/* the worker's next chunk header */
	uint32_t wleft;			/* chunks the worker has still to do */
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
	int picked;		/* stream td_iter_peek() picked, if nothing moved since, or -1 */
	bool started;		/* each stream has read its first record (td_iter_start) */
	int error;
	/* the decompression worker, started with the first compressed stream */
	_Atomic int nr_live;	/* streams s[0..nr_live) are set up for the worker */
	bool worker_tried, worker_started;
	_Atomic bool worker_stop, worker_sleeping, main_waiting;
	pthread_t worker;
	struct kbuffer *worker_kbuf;	/* the worker's, for the index */
	pthread_mutex_t lock;	/* only to sleep and wake: the counters are atomic */
	pthread_cond_t work;	/* the worker waits: a ring has room, or stop */
	pthread_cond_t ready;	/* this thread waits: the chunk it needs is done */
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

/* The sizes of the chunk at pos; false if its header is bad (load_chunk() says why). */
static bool chunk_header(struct td_iter *it, const struct cpu_stream *s, uint64_t pos,
			 uint32_t *csize, uint32_t *usize)
{
	const uint8_t *p = it->f->map + pos;

	if (s->end - pos < 8)
		return false;
	*csize = td_read_u32(it->f, p);
	*usize = td_read_u32(it->f, p + 4);
	return *csize <= s->end - pos - 8 && *usize <= MAX_CHUNK && *usize;
}

/* Whether the worker may do s's next chunk now (a bad header counts as small: it is reported). */
static bool worker_can_do(struct td_iter *it, const struct cpu_stream *s)
{
	uint32_t k = atomic_load(&s->produced);
	uint32_t taken = atomic_load(&s->taken);
	uint32_t csize, usize;

	if (!s->wleft)
		return false;
	if (chunk_header(it, s, s->wpos, &csize, &usize) && usize > RING_BIG)
		return k <= taken;
	return k + 1 < taken + RING;
}

/* The stream whose ring has room and the fewest chunks ready, or NULL. */
static struct cpu_stream *find_work(struct td_iter *it)
{
	struct cpu_stream *best = NULL;
	uint32_t best_ready = UINT32_MAX;
	int nr = atomic_load(&it->nr_live);

	for (int i = 0; i < nr; i++) {
		struct cpu_stream *s = &it->s[i];
		uint32_t ready;

		if (!worker_can_do(it, s))
			continue;
		ready = atomic_load(&s->produced) - atomic_load(&s->taken);
		if (ready < best_ready) {
			best = s;
			best_ready = ready;
		}
	}
	return best;
}

/*
 * A page's end of committed data (its header included), from the header; in
 * *need the bytes the page needs in all (the missed-events count may be
 * stored after the data). The iterator and the worker's index both ask.
 */
static uint64_t page_commit_end(const struct td_iter *it, const uint8_t *page, uint64_t *need)
{
	uint64_t commit = it->long_size == 8 ? td_read_u64(it->f, page + 8)
					     : td_read_u32(it->f, page + 8);
	uint64_t end = it->hdr_size + (commit & COMMIT_MASK);

	*need = end + ((commit & MISSED_STORED) ? it->long_size : 0);
	return end;
}

/* Whether an event kbuffer handed out lies inside its page's committed data. */
static bool event_in_page(const uint8_t *data, int size, const uint8_t *page, uint64_t end)
{
	return data >= page && size >= 0 && data + size <= page + end;
}

static struct event_entry *new_event_entry(struct ring_slot *slot, uint32_t nr)
{
	if (nr == slot->events_cap) {
		slot->events_cap = slot->events_cap ? 2 * slot->events_cap : 1024;
		slot->events = xrealloc(slot->events, slot->events_cap * sizeof(*slot->events));
	}
	return &slot->events[nr];
}

/*
 * The events of one page of n bytes, appended to the slot's index from *nr;
 * false if the page must be read by the iterating thread instead: its header
 * or committed bytes are not all there (it reads zeros past n), or an event
 * fails stream_advance()'s check (it reports that).
 */
static bool index_page(struct td_iter *it, struct ring_slot *slot, struct page_entry *pe,
		       uint8_t *page, size_t n, uint32_t *nr)
{
	struct kbuffer *kb = it->worker_kbuf;
	unsigned long long ts;
	uint64_t end, need;
	uint8_t *data;

	if (n < (size_t)it->hdr_size)
		return false;
	end = page_commit_end(it, page, &need);
	if (need > n)
		return false;
	pe->count = 0;
	if (end == (uint64_t)it->hdr_size)	/* empty: the iterator skips it */
		return true;
	if (kbuffer_load_subbuffer(kb, page) < 0)
		return false;
	for (data = kbuffer_read_event(kb, &ts); data; data = kbuffer_next_event(kb, &ts)) {
		int esize = kbuffer_event_size(kb);
		struct event_entry *e;

		if (!event_in_page(data, esize, page, end))
			return false;
		if (!pe->count)
			pe->missed = kbuffer_missed_events(kb);
		e = new_event_entry(slot, *nr);
		e->ts = ts;
		e->off = data - page;
		e->size = esize;
		e->record_size = kbuffer_curr_size(kb);
		(*nr)++;
		pe->count++;
	}
	return true;
}

/* Index every page of the slot's decompressed chunk (on the worker). */
static void index_chunk(struct td_iter *it, struct ring_slot *slot)
{
	uint32_t nr_pages = (slot->usize + it->page_size - 1) / it->page_size, nr = 0;

	if (nr_pages > slot->pages_cap) {
		slot->pages_cap = nr_pages;
		free(slot->pages);
		slot->pages = xmalloc(nr_pages * sizeof(*slot->pages));
	}
	for (uint32_t j = 0; j < nr_pages; j++) {
		struct page_entry *pe = &slot->pages[j];
		size_t at = (size_t)j * it->page_size;
		size_t n = slot->usize - at < it->page_size ? slot->usize - at : it->page_size;

		pe->first = nr;
		pe->missed = 0;
		if (!index_page(it, slot, pe, slot->buf + at, n, &nr)) {
			pe->count = -1;
			nr = pe->first;
		}
	}
	slot->nr_pages = nr_pages;
}

/* Decompress s's next chunk into its ring slot. */
static void produce_chunk(struct td_iter *it, struct cpu_stream *s)
{
	uint32_t k = atomic_load(&s->produced);
	struct ring_slot *slot = &s->ring[k % RING];
	uint32_t csize, usize;

	slot->ok = false;
	if (!chunk_header(it, s, s->wpos, &csize, &usize)) {
		s->wleft = 0;	/* the walk cannot go on: load_chunk() reports it */
	} else {
		/* a big buffer is not kept for small chunks: memory stays bounded */
		if (usize + PAGE_SLACK > slot->cap || (slot->cap > RING_BIG && usize <= RING_BIG)) {
			free(slot->buf);
			slot->cap = usize + PAGE_SLACK;
			slot->buf = xmalloc_prefaulted(slot->cap);
		}
		slot->csize = csize;
		slot->usize = usize;
		slot->ok = td_decompress(it->comp, it->f->map + s->wpos + 8, csize, slot->buf,
					 usize) == 0;
		slot->nr_pages = 0;
		if (slot->ok && it->worker_kbuf)
			index_chunk(it, slot);
		s->wpos += 8 + (uint64_t)csize;
		s->wleft--;
	}
	atomic_store(&s->produced, k + 1);
	if (atomic_load(&it->main_waiting)) {
		pthread_mutex_lock(&it->lock);
		pthread_cond_signal(&it->ready);
		pthread_mutex_unlock(&it->lock);
	}
}

static void *decompress_worker(void *arg)
{
	struct td_iter *it = arg;

	while (!atomic_load(&it->worker_stop)) {
		struct cpu_stream *s = find_work(it);

		if (s) {
			produce_chunk(it, s);
			continue;
		}
		/*
		 * Nothing to do. worker_sleeping is set before looking again, and
		 * the iterator sets taken before looking at worker_sleeping, so
		 * one of the two sees the other: no wakeup is lost.
		 */
		pthread_mutex_lock(&it->lock);
		atomic_store(&it->worker_sleeping, true);
		if (!find_work(it) && !atomic_load(&it->worker_stop))
			pthread_cond_wait(&it->work, &it->lock);
		atomic_store(&it->worker_sleeping, false);
		pthread_mutex_unlock(&it->lock);
	}
	td_decompress_thread_done();
	return NULL;
}

static void stop_worker(struct td_iter *it)
{
	if (!it->worker_started)
		return;
	pthread_mutex_lock(&it->lock);
	atomic_store(&it->worker_stop, true);
	pthread_cond_signal(&it->work);
	pthread_mutex_unlock(&it->lock);
	pthread_join(it->worker, NULL);
	if (it->worker_kbuf)
		kbuffer_free(it->worker_kbuf);
	pthread_mutex_destroy(&it->lock);
	pthread_cond_destroy(&it->work);
	pthread_cond_destroy(&it->ready);
	it->worker_started = false;
}

static bool start_worker(struct td_iter *it, struct tep_handle *tep)
{
	if (it->worker_tried)	/* once: all chunks of a stream go one way */
		return it->worker_started;
	it->worker_tried = true;
	it->worker_kbuf = tep_kbuffer(tep);	/* none: no index, pages are read here */
	if (pthread_mutex_init(&it->lock, NULL))
		return false;
	if (pthread_cond_init(&it->work, NULL))
		goto no_work;
	if (pthread_cond_init(&it->ready, NULL))
		goto no_ready;
	if (pthread_create(&it->worker, NULL, decompress_worker, it))
		goto no_thread;
	it->worker_started = true;
	return true;
no_thread:
	pthread_cond_destroy(&it->ready);
no_ready:
	pthread_cond_destroy(&it->work);
no_work:
	pthread_mutex_destroy(&it->lock);
	if (it->worker_kbuf)
		kbuffer_free(it->worker_kbuf);
	it->worker_kbuf = NULL;
	return false;
}

/* Wait until the worker is done with s's chunk k. */
static void wait_produced(struct td_iter *it, struct cpu_stream *s, uint32_t k)
{
	if (atomic_load(&s->produced) > k)
		return;
	pthread_mutex_lock(&it->lock);
	atomic_store(&it->main_waiting, true);
	while (atomic_load(&s->produced) <= k) {
		if (atomic_load(&it->worker_sleeping))
			pthread_cond_signal(&it->work);
		pthread_cond_wait(&it->ready, &it->lock);
	}
	atomic_store(&it->main_waiting, false);
	pthread_mutex_unlock(&it->lock);
}

/* Take s's next chunk from its ring: true if it is now s's chunk. */
static bool take_ready(struct td_iter *it, struct cpu_stream *s)
{
	uint32_t k = atomic_load(&s->taken);
	struct ring_slot *slot = &s->ring[k % RING];

	if (!it->worker_started)
		return false;
	wait_produced(it, s, k);
	/* the previous chunk's slot is free now; wake the worker when the ring is half empty */
	atomic_store(&s->taken, k + 1);
	if (atomic_load(&it->worker_sleeping) && atomic_load(&s->produced) - (k + 1) < RING / 2) {
		pthread_mutex_lock(&it->lock);
		pthread_cond_signal(&it->work);
		pthread_mutex_unlock(&it->lock);
	}
	if (!slot->ok)
		return false;	/* decompressed again here, to report why */
	s->chunk = slot->buf;
	s->index = slot->nr_pages ? slot : NULL;
	s->pos += 8 + (uint64_t)slot->csize;
	s->chunk_len = slot->usize;
	return true;
}

static int load_chunk(struct td_iter *it, struct cpu_stream *s)
{
	const uint8_t *p = it->f->map + s->pos;
	uint32_t csize, usize;

	if (take_ready(it, s))
		goto loaded;
	if (s->end - s->pos < 8)
		return stream_error(it, s, "truncated chunk header");
	csize = td_read_u32(it->f, p);
	usize = td_read_u32(it->f, p + 4);
	if (csize > s->end - s->pos - 8)
		return stream_error(it, s, "truncated chunk");
	if (usize > MAX_CHUNK || !usize)
		return stream_error(it, s, "bad chunk size");
	if (usize + PAGE_SLACK > s->own_cap) {
		s->own_cap = usize + PAGE_SLACK;
		free(s->own);
		s->own = xmalloc_prefaulted(s->own_cap);
	}
	if (td_decompress(it->comp, p + 8, csize, s->own, usize) < 0) {
		char *why = xstrdup(st_last_error());

		stream_error(it, s, why);
		free(why);
		return -1;
	}
	s->chunk = s->own;
	s->index = NULL;
	s->pos += 8 + (uint64_t)csize;
	s->chunk_len = usize;
loaded:
	release_consumed(it, s);
	s->chunks_left--;
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
		s->page_no = s->chunk_pos / it->page_size;
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

/* Whether the page just fetched is in its chunk's index: its events are then taken from there. */
static bool use_index(struct cpu_stream *s)
{
	const struct page_entry *pe;

	s->indexed = false;
	if (!s->index || s->page_no >= s->index->nr_pages)
		return false;
	pe = &s->index->pages[s->page_no];
	if (pe->count < 0)
		return false;
	s->indexed = true;
	s->next_event = &s->index->events[pe->first];
	s->events_left = pe->count;
	s->page_missed = pe->missed;
	return true;
}

/* Load the next non-empty page into kbuffer. 1 = loaded, 0 = end, -1 = error. */
static int next_page(struct td_iter *it, struct cpu_stream *s)
{
	for (;;) {
		uint8_t *page = s->page[s->cur ^ 1];
		uint64_t end, need;
		int ret = fetch_page(it, s);

		if (ret <= 0)
			return ret;
		end = page_commit_end(it, page, &need);
		if (need > it->page_size)
			return stream_error(it, s, "page commit size larger than the page");
		if (end == (uint64_t)it->hdr_size)
			continue;
		s->cur ^= 1;
		s->page_end = end;
		s->loaded = true;
		s->first = true;
		if (use_index(s))
			return 1;
		if (kbuffer_load_subbuffer(s->kbuf, page) < 0)
			return stream_error(it, s, "unreadable page");
		return 1;
	}
}

/* The loaded page's next record from the index (use_index()); its checks were made there. */
static int take_indexed(struct cpu_stream *s)
{
	const struct event_entry *e = s->next_event++;
	uint8_t *page = s->page[s->cur];
	struct tep_record *r;

	s->events_left--;
	s->slot ^= 1;
	r = &s->rec[s->slot];
	r->ts = e->ts;
	r->data = page + e->off;
	r->size = e->size;
	r->record_size = e->record_size;
	r->offset = s->page_off + e->off;
	r->missed_events = s->first ? s->page_missed : 0;
	s->first = false;
	s->has_rec = true;
	*s->next_ts = e->ts;
	return 1;
}

/* Move a stream to its next record (into the other rec slot). */
static int stream_advance(struct td_iter *it, struct cpu_stream *s)
{
	for (;;) {
		unsigned long long ts;
		uint8_t *data = NULL, *page;
		struct tep_record *r;
		int size, ret;

		if (s->loaded && s->indexed) {
			if (s->events_left)
				return take_indexed(s);
		} else if (s->loaded) {
			data = s->first ? kbuffer_read_event(s->kbuf, &ts)
					: kbuffer_next_event(s->kbuf, &ts);
		}
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
		if (!event_in_page(data, size, page, s->page_end))
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

	if (!it->started)
		return td_iter_start(it);

	if (i < 0)
		return 0;
	it->advance = -1;
	return stream_advance(it, &it->s[i]) < 0 ? -1 : 0;
}

/* A record about to be handed out: its event's format parsed (td_get_tep_lazy). */
static inline struct tep_record *handed_out(struct td_iter *it, struct tep_record *rec)
{
	if (it->f->lazy && !td_lazy_type_seen(it->f, rec))
		td_lazy_parse_record(it->f, rec);
	return rec;
}

struct tep_record *td_iter_peek(struct td_iter *it)
{
	int i;

	if (it->error || catch_up(it) < 0)
		return NULL;
	i = it->picked = pick(it);
	return i < 0 ? NULL : handed_out(it, &it->s[i].rec[it->s[i].slot]);
}

struct tep_record *td_iter_next(struct td_iter *it)
{
	int i = it->picked;

	if (it->error)
		return NULL;
	it->picked = -1;
	/* after a peek nothing has moved: its record is the next (merging buffers peeks first) */
	if (i >= 0 && it->advance < 0) {
		it->advance = i;
		return &it->s[i].rec[it->s[i].slot];
	}
	if (catch_up(it) < 0)
		return NULL;
	i = pick(it);
	if (i < 0)
		return NULL;
	it->advance = i;
	return handed_out(it, &it->s[i].rec[it->s[i].slot]);
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
		free(s->own);
		for (int j = 0; j < RING; j++) {
			free(s->ring[j].buf);
			free(s->ring[j].pages);
			free(s->ring[j].events);
		}
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
	stop_worker(it);
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
		s->wpos = s->pos;
		s->wleft = s->chunks_left;
	}
	atomic_store(&it->nr_live, (int)(s - it->s) + 1);	/* s is set up for the worker */
	if (s->compressed && s->chunks_left)
		start_worker(it, tep);
	return 0;
}

int td_iter_start(struct td_iter *it)
{
	if (it->started)
		return it->error ? -1 : 0;
	it->started = true;
	for (int i = 0; i < it->nr; i++)
		if (stream_advance(it, &it->s[i]) < 0)
			return -1;
	return 0;
}

struct td_iter *td_iter_new(struct td_file *f, int buffer, const bool *cpu_mask, int mask_len)
{
	struct td_iter *it = td_iter_new_unstarted(f, buffer, cpu_mask, mask_len);

	if (it && td_iter_start(it) < 0) {
		td_iter_free(it);
		return NULL;
	}
	return it;
}

struct td_iter *td_iter_new_unstarted(struct td_file *f, int buffer, const bool *cpu_mask,
				      int mask_len)
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
	/* a lazy tep stays lazy: records parse their formats as they come */
	tep = f->tep ? f->tep : td_get_tep(f);
	if (!tep)
		return NULL;
	it = xcalloc(1, sizeof(*it));
	it->f = f;
	it->comp = f->meta.compression;
	it->page_size = b->page_size;
	it->long_size = tep_get_long_size(tep) == 4 ? 4 : 8;
	it->hdr_size = 8 + it->long_size;
	it->advance = -1;
	it->picked = -1;
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
