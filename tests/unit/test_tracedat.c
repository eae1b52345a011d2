// SPDX-License-Identifier: GPL-2.0
/*
 * trace.dat writer and reader: round trips of synthetic traces in every
 * version/compression, the merged record order, and robustness against
 * truncated and corrupted files.
 *
 * Hidden modes for the host tests:
 *   test_tracedat --write 6|7 none|zstd|zlib OUT
 *	writes the synthetic trace to OUT and prints the expected value sequence;
 *   test_tracedat --report FILE
 *	prints FILE's records through our reader in `trace-cmd report`'s layout
 *	(plugins loaded), to be compared with trace-cmd's output.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <traceevent/event-parse.h>

#include "tracedat_synth.h"

static const int synth_pages[3] = { 23, 3, 0 };	/* CPU 0 spans 3 chunks, CPU 2 is empty */

struct variant {
	int version;
	enum td_compression comp;
};

static const struct variant variants[] = {
	{ 6, TD_COMPRESS_NONE },
	{ 7, TD_COMPRESS_NONE },
	{ 7, TD_COMPRESS_ZSTD },
	{ 7, TD_COMPRESS_ZLIB },
};

static char *write_variant(const struct variant *v, struct synth *s, const int *pages, int nr)
{
	char *path = xstrdup("/tmp/td-test-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	synth_init(s, v->version, v->comp, pages, nr);
	assert_int_equal(td_write(fd, &s->meta, s->cpus), 0);
	close(fd);
	return path;
}

static int32_t rec_value(const struct tep_record *r)
{
	int32_t v;

	memcpy(&v, (const char *)r->data + 8, 4);
	return v;
}

static void check_meta(const struct td_file *f, const struct variant *v)
{
	const struct td_meta *m = td_get_meta(f);
	const struct td_buffer *b;

	assert_int_equal(m->file_version, v->version);
	assert_int_equal(m->compression, v->comp);
	assert_int_equal(m->page_size, SYNTH_PAGE);
	assert_int_equal(m->long_size, 8);
	assert_int_equal(m->nr_cpus, 3);
	assert_string_equal(m->clock, "local");
	assert_string_equal(m->uname, "Linux synth 6.18.0 x86_64");
	assert_string_equal(m->version, "sidetrace test");
	assert_true(m->has_trace_id);
	assert_true(m->trace_id == 0x1234567890abcdefULL);
	assert_non_null(m->cpustats[0]);
	assert_string_equal(m->cpustats[0], "entries: 2300\noverrun: 0\n");
	assert_int_equal(m->header_page.size, strlen(synth_header_page));
	assert_memory_equal(m->header_page.data, synth_header_page, m->header_page.size);
	assert_int_equal(m->nr_ftrace_formats, 1);
	assert_int_equal(m->nr_systems, 1);
	assert_string_equal(m->systems[0].name, "sidetrace_test");
	assert_string_equal(m->cmdlines.data, "1234 ls\n4321 cat\n");
	assert_int_equal(td_nr_buffers(f), 1);
	b = td_get_buffer(f, 0);
	assert_string_equal(b->name, "");
	assert_false(b->latency);
	assert_int_equal(b->nr_cpus, v->version == 6 ? 2 : 2);	/* empty CPU 2 left out */
	assert_int_equal(b->cpus[0].cpu, 0);
	assert_int_equal(b->cpus[1].cpu, 1);
	assert_int_equal(b->compressed, v->comp != TD_COMPRESS_NONE);
}

static void check_buffer_records(struct td_file *f, int buffer, const struct synth_event *events,
				 int nr_events)
{
	struct tep_handle *tep = td_get_tep(f);
	struct td_iter *it = td_iter_new(f, buffer, NULL, 0);
	struct tep_record *r;
	struct trace_seq seq;
	int n = 0;

	assert_non_null(tep);
	assert_non_null(it);
	trace_seq_init(&seq);
	while ((r = td_iter_next(it))) {
		const struct synth_event *e = &events[n];

		assert_true(n < nr_events);
		assert_true(r->ts == e->ts);
		assert_int_equal(r->cpu, e->cpu);
		assert_int_equal(rec_value(r), e->value);
		assert_int_equal(tep_data_pid(tep, r), e->pid);
		assert_int_equal(r->size, 28);
		assert_true(r->missed_events == e->missed);
		if (n == 0 && buffer == 0) {
			tep_print_event(tep, &seq, r, "%s-%d %s", TEP_PRINT_COMM, TEP_PRINT_PID,
					TEP_PRINT_INFO);
			trace_seq_terminate(&seq);
			assert_string_equal(seq.buffer, "ls-1234 value=0 name=ev0-0");
		}
		n++;
	}
	assert_int_equal(td_iter_error(it), 0);
	assert_int_equal(n, nr_events);
	trace_seq_destroy(&seq);
	td_iter_free(it);
}

static void check_records(struct td_file *f, const struct synth *s)
{
	check_buffer_records(f, 0, s->events, s->nr_events);
}

/* Uncompressed: record->offset is where the event's data is in the file. */
static void check_offsets(struct td_file *f, const char *path)
{
	size_t size;
	char *data = read_file(path, &size);
	struct td_iter *it = td_iter_new(f, 0, NULL, 0);
	struct tep_record *r;

	assert_non_null(data);
	assert_non_null(it);
	while ((r = td_iter_next(it))) {
		assert_true(r->offset + r->size <= size);
		assert_memory_equal(data + r->offset, r->data, r->size);
	}
	td_iter_free(it);
	free(data);
}

static void test_round_trip(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		struct synth s;
		char *path = write_variant(&variants[i], &s, synth_pages, 3);
		struct td_file *f = td_open(path);

		if (!f)
			fail_msg("variant %zu: %s", i, st_last_error());
		check_meta(f, &variants[i]);
		check_records(f, &s);
		if (variants[i].comp == TD_COMPRESS_NONE)
			check_offsets(f, path);
		td_close(f);
		unlink(path);
		free(path);
		synth_free(&s);
	}
}

/* sidetrace's private options (ids trace-cmd skips) are written and read back. */
static void test_private_option(void **state)
{
	static const int pages[2] = { 1, 1 };
	static const char text[] = "version=1\nbackend=test\n";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		char *path = xstrdup("/tmp/td-test-XXXXXX");
		int fd = mkstemp(path);
		const struct td_blob *b;
		struct td_file *f;
		struct synth s;

		assert_true(fd >= 0);
		close(fd);
		synth_init(&s, variants[i].version, variants[i].comp, pages, 2);
		td_meta_add_option(&s.meta, TD_OPT_FILES, text, sizeof(text));
		assert_int_equal(synth_write(&s, path), 0);
		f = td_open(path);
		assert_non_null(f);
		b = td_meta_get_option(td_get_meta(f), TD_OPT_FILES);
		assert_non_null(b);
		assert_int_equal(b->size, sizeof(text));
		assert_memory_equal(b->data, text, sizeof(text));
		assert_null(td_meta_get_option(td_get_meta(f), TD_OPT_FILES + 1));
		td_close(f);
		unlink(path);
		free(path);
		synth_free(&s);
	}
}

/* No CPU has data: a valid file with no records. */
/* The per-CPU stats text as the kernel writes it (record, report --files and the status line read it). */
static void test_cpu_stats(void **state)
{
	struct td_cpu_stats st;

	(void)state;
	td_parse_cpu_stats("entries: 7\noverrun: 3\ncommit overrun: 2\nbytes: 4096\n"
			   "oldest event ts:  1857.187367\nnow ts:  2954.829232\n"
			   "dropped events: 1\nread events: 40\n", &st);
	assert_int_equal(st.entries, 7);
	assert_int_equal(st.read, 40);
	assert_int_equal(st.lost, 3 + 2 + 1);
	td_parse_cpu_stats(NULL, &st);
	assert_int_equal(st.entries + st.read + st.lost, 0);
}

static void test_empty(void **state)
{
	static const int none[3] = { 0, 0, 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		struct synth s;
		char *path = write_variant(&variants[i], &s, none, 3);
		struct td_file *f = td_open(path);
		struct td_iter *it;

		if (!f)
			fail_msg("variant %zu: %s", i, st_last_error());
		assert_int_equal(td_get_meta(f)->nr_cpus, 3);
		it = td_iter_new(f, 0, NULL, 0);
		assert_non_null(it);
		assert_null(td_iter_peek(it));
		assert_null(td_iter_next(it));
		assert_int_equal(td_iter_error(it), 0);
		td_iter_free(it);
		td_close(f);
		unlink(path);
		free(path);
		synth_free(&s);
	}
}

/* An instance buffer next to the top level one, in every variant. */
static void test_instance(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		char *path = xstrdup("/tmp/td-test-XXXXXX");
		int fd = mkstemp(path);
		const struct td_buffer *b;
		struct td_file *f;
		struct synth s;

		assert_true(fd >= 0);
		close(fd);
		synth_init(&s, variants[i].version, variants[i].comp, synth_pages, 3);
		synth_add_instance(&s);
		assert_int_equal(synth_write(&s, path), 0);
		f = td_open(path);
		if (!f)
			fail_msg("variant %zu: %s", i, st_last_error());
		assert_int_equal(td_nr_buffers(f), 2);
		b = td_get_buffer(f, 1);
		assert_string_equal(b->name, SYNTH_INSTANCE);
		assert_int_equal(b->nr_cpus, 2);
		assert_string_equal(td_get_buffer(f, 0)->name, "");
		check_records(f, &s);
		check_buffer_records(f, 1, s.inst_events, s.nr_inst_events);
		td_close(f);
		unlink(path);
		free(path);
		synth_free(&s);
	}
}

/* peek shows what next returns, and the record next returned survives a peek. */
static void test_peek(void **state)
{
	struct synth s;
	char *path = write_variant(&variants[2], &s, synth_pages, 3);
	struct td_file *f = td_open(path);
	struct td_iter *it;
	struct tep_record *a, *p;
	int n = 0;

	assert_non_null(f);
	it = td_iter_new(f, 0, NULL, 0);
	assert_non_null(it);
	while ((a = td_iter_next(it))) {
		int32_t value = rec_value(a);

		p = td_iter_peek(it);
		if (n % 3 == 0)		/* peeking again changes nothing */
			assert_ptr_equal(td_iter_peek(it), p);
		assert_int_equal(rec_value(a), value);
		assert_int_equal(value, s.events[n].value);
		if (p)
			assert_int_equal(rec_value(p), s.events[n + 1].value);
		n++;
	}
	assert_int_equal(n, s.nr_events);
	td_iter_free(it);
	td_close(f);
	unlink(path);
	free(path);
	synth_free(&s);
}

static void test_cpu_mask(void **state)
{
	struct synth s;
	char *path = write_variant(&variants[3], &s, synth_pages, 3);
	struct td_file *f = td_open(path);
	bool mask[2] = { false, true };
	struct td_iter *it;
	struct tep_record *r;
	int n = 0;

	assert_non_null(f);
	it = td_iter_new(f, 0, mask, 2);
	assert_non_null(it);
	while ((r = td_iter_next(it))) {
		assert_int_equal(r->cpu, 1);
		n++;
	}
	assert_int_equal(n, synth_pages[1] * SYNTH_PER_PAGE);
	td_iter_free(it);
	td_close(f);
	unlink(path);
	free(path);
	synth_free(&s);
}

/*
 * Read a file image completely: open, tep, every record. Returns 0 if clean,
 * -1 on a reported error. The image goes through a memfd: thousands of
 * variants must not wait for a busy disk.
 */
static int read_everything(const char *data, size_t size)
{
	int fd = memfd_create("td-test", MFD_CLOEXEC);
	struct td_file *f;
	int b, ret = 0;

	assert_true(fd >= 0);
	if (size)
		assert_int_equal(write_all(fd, data, size), 0);
	f = td_open_fd(fd);

	if (!f) {
		assert_true(strlen(st_last_error()) > 0);
		assert_null(strchr(st_last_error(), '\n'));
		return -1;
	}
	for (b = 0; b < td_nr_buffers(f); b++) {
		struct td_iter *it = td_iter_new(f, b, NULL, 0);
		struct tep_record *r;

		if (!it) {
			ret = -1;
			continue;
		}
		while ((r = td_iter_next(it)))
			td_iter_peek(it);
		if (td_iter_error(it))
			ret = -1;
		td_iter_free(it);
	}
	td_close(f);
	return ret;
}

static char *slurp(const char *path, size_t *size)
{
	char *data = read_file(path, size);

	assert_non_null(data);
	return data;
}

static void write_bytes(const char *path, const char *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, data, size), 0);
	close(fd);
}

/* Cut the file at every item boundary (and next to it) and at many other offsets. */
/*
 * td_iter_new_unstarted(): the same records as td_iter_new(), whether
 * td_iter_start() is called or left to td_iter_next(); a first page that
 * cannot be read fails td_iter_start() with the reason, as it fails
 * td_iter_new().
 */
static void test_unstarted(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(variants); i++) {
		struct synth s;
		char *path = write_variant(&variants[i], &s, synth_pages, 3);
		struct td_file *f = td_open(path);
		size_t size;
		char *data = slurp(path, &size);

		assert_non_null(f);
		for (int explicit_start = 0; explicit_start < 2; explicit_start++) {
			struct td_iter *it = td_iter_new_unstarted(f, 0, NULL, 0);
			struct tep_record *r;
			int n = 0;

			assert_non_null(it);
			if (explicit_start)
				assert_int_equal(td_iter_start(it), 0);
			while ((r = td_iter_next(it))) {
				assert_true(r->ts == s.events[n].ts);
				n++;
			}
			assert_int_equal(td_iter_error(it), 0);
			assert_int_equal(n, s.nr_events);
			td_iter_free(it);
		}
		if (variants[i].comp == TD_COMPRESS_NONE) {
			/* CPU 0's first page claims more data than a page holds */
			uint64_t commit = 1 << 20, at = td_get_buffer(f, 0)->cpus[0].offset + 8;
			struct td_file *bad;
			struct td_iter *it;

			memcpy(data + at, &commit, sizeof(commit));
			write_bytes(path, data, size);
			bad = td_open(path);
			assert_non_null(bad);
			it = td_iter_new_unstarted(bad, 0, NULL, 0);
			assert_non_null(it);
			assert_int_equal(td_iter_start(it), -1);
			assert_non_null(strstr(st_last_error(), "commit size"));
			assert_null(td_iter_next(it));
			assert_int_not_equal(td_iter_error(it), 0);
			td_iter_free(it);
			assert_null(td_iter_new(bad, 0, NULL, 0));
			td_close(bad);
		}
		td_close(f);
		unlink(path);
		free(path);
		free(data);
		synth_free(&s);
	}
}

/*
 * An event in the middle of a page (and of a compressed chunk) that claims to
 * run past its page: every variant hands out the same records before it, then
 * stops with the same error (compressed files have their pages indexed by
 * the decompression thread, which leaves such a page to the iterator).
 */
static void test_bad_event_mid_page(void **state)
{
	int expected = -1;

	for (size_t i = 0; i < ARRAY_SIZE(variants); i++) {
		static const uint32_t header = 0;	/* type_len 0: the length follows */
		static const uint32_t length = 4000;
		struct synth s;
		struct td_file *f;
		struct td_iter *it;
		char *path = xstrdup("/tmp/td-test-XXXXXX");
		int fd = mkstemp(path), n = 0;
		off_t at = 11 * SYNTH_PAGE + 16 + 50 * 32;	/* CPU 0, page 11, event 50 */

		assert_true(fd >= 0);
		close(fd);
		synth_init(&s, variants[i].version, variants[i].comp, synth_pages, 3);
		assert_int_equal(pwrite(s.cpus[0].fd, &header, 4, at), 4);
		assert_int_equal(pwrite(s.cpus[0].fd, &length, 4, at + 4), 4);
		assert_int_equal(synth_write(&s, path), 0);
		f = td_open(path);
		assert_non_null(f);
		it = td_iter_new(f, 0, NULL, 0);
		assert_non_null(it);
		while (td_iter_next(it))
			n++;
		assert_int_not_equal(td_iter_error(it), 0);
		if (!strstr(st_last_error(), "event extends past its page (CPU 0 data"))
			fail_msg("variant %zu: %s", i, st_last_error());
		/* CPU 0's events before it, and CPU 1's up to then */
		assert_true(n >= 11 * SYNTH_PER_PAGE + 50);
		if (expected < 0)
			expected = n;
		assert_int_equal(n, expected);
		td_iter_free(it);
		td_close(f);
		unlink(path);
		free(path);
		synth_free(&s);
	}
}

static void test_truncated(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		static const int small[2] = { 12, 2 };
		struct synth s;
		char *path = write_variant(&variants[i], &s, small, 2);
		struct td_file *f = td_open(path);
		size_t size, len;
		char *data = slurp(path, &size);
		int k, errors = 0;

		assert_non_null(f);
		for (k = 0; k < td_nr_items(f); k++) {
			const struct td_item *it = td_get_item(f, k);
			uint64_t edges[4] = { it->offset, it->offset + 1, it->offset + it->size,
					      it->offset + it->size - 1 };
			int e;

			for (e = 0; e < 4; e++) {
				if (edges[e] >= size)
					continue;
				errors += read_everything(data, edges[e]) < 0;
			}
		}
		for (len = 0; len < size; len += len < 4096 ? 7 : 331) {
			errors += read_everything(data, len) < 0;
		}
		assert_true(errors > 0);
		td_close(f);
		unlink(path);
		free(path);
		free(data);
		synth_free(&s);
	}
}

/* td_open_fd() on an image; expect a failure whose message holds each of the words. */
static void expect_open_error(const char *data, size_t size, const char *w1, const char *w2)
{
	int fd = memfd_create("td-test", MFD_CLOEXEC);
	struct td_file *f;

	assert_true(fd >= 0);
	if (size)
		assert_int_equal(write_all(fd, data, size), 0);
	f = td_open_fd(fd);
	if (f)
		fail_msg("opened a bad file (expected an error with '%s')", w1);
	if (!strstr(st_last_error(), w1) || (w2 && !strstr(st_last_error(), w2)))
		fail_msg("error '%s' does not say '%s' and '%s'", st_last_error(), w1, w2 ? w2 : "");
}

/* Zero-length, unknown-version, wrong-endian and truncated files: the section and the offset. */
static void test_error_offsets(void **state)
{
	size_t i;

	expect_open_error("", 0, "empty", "0 bytes");
	expect_open_error("\027\010\104trac", 7, "too short", "7 bytes");
	expect_open_error("\027\010\104tracinx8\0", 12, "bad magic", "offset 0");
	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		static const int pages[2] = { 3, 2 };
		const struct variant *v = &variants[i];
		struct synth s;
		char *path = write_variant(v, &s, pages, 2);
		size_t size;
		char *data = slurp(path, &size);

		data[10] = '8';		/* "6" or "7" -> "8" */
		expect_open_error(data, size, "version \"8\"", "initial header at offset 10");
		data[10] = '0' + v->version;
		data[12] ^= 1;		/* endianness byte */
		expect_open_error(data, size, "wrong endianness", "says big-endian");
		data[12] ^= 1;
		expect_open_error(data, 100, "truncated", "offset");
		expect_open_error(data, 20, "truncated in the", "section at offset");
		unlink(path);
		free(path);
		free(data);
		synth_free(&s);
	}
}

/* Flip bytes all over the file: errors are fine, crashes are not. */
static void test_flipped(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		static const int small[2] = { 12, 2 };
		struct synth s;
		char *path = write_variant(&variants[i], &s, small, 2);
		size_t size, pos;
		char *data = slurp(path, &size);
		unsigned int seed = 12345 + i;

		for (pos = 0; pos < size; pos += pos < 4096 ? 1 : 97) {
			unsigned char saved = data[pos];

			data[pos] ^= 1 << (rand_r(&seed) % 8);
			read_everything(data, size);
			data[pos] = 0xff;
			read_everything(data, size);
			data[pos] = saved;
		}
		unlink(path);
		free(path);
		free(data);
		synth_free(&s);
	}
}

static void expect_error(const char *data, size_t size, const char *message)
{
	char path[] = "/tmp/td-err-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	write_bytes(path, data, size);
	assert_null(td_open(path));
	if (!strstr(st_last_error(), message))
		fail_msg("expected \"%s\", got \"%s\"", message, st_last_error());
	unlink(path);
}

static void test_error_messages(void **state)
{
	struct synth s;
	char *path = write_variant(&variants[0], &s, synth_pages, 3);
	size_t size;
	char *data = slurp(path, &size);
	struct td_file *f = td_open(path);
	int k;

	assert_non_null(f);
	expect_error("hello world, not a trace", 24, "not a trace.dat file (bad magic");
	data[10] = '9';
	expect_error(data, size, "unsupported trace.dat version \"9\"");
	data[10] = '6';
	for (k = 0; k < td_nr_items(f); k++) {
		const struct td_item *it = td_get_item(f, k);

		if (it->kind == TD_ITEM_SECTION && it->id == 19)
			expect_error(data, it->offset + it->size / 2,
				     "trace.dat truncated in the kallsyms section");
	}
	expect_error(data, 0, "not a trace.dat file");
	td_close(f);
	unlink(path);
	free(path);
	free(data);
	synth_free(&s);
}

/* A v6 latency file: the flyrecord part replaced by "latency  \0" and the tracer's text. */
static void test_v6_latency(void **state)
{
	static const char text[] = "# tracer: irqsoff\n#\n  <idle>-0  0d.h1  1us : foo\n";
	struct synth s;
	char *path = write_variant(&variants[0], &s, synth_pages, 3);
	char *lat = xasprintf("%s.lat", path);
	struct td_file *f = td_open(path);
	const struct td_buffer *b;
	size_t size;
	char *data = slurp(path, &size), *out;
	uint64_t at = 0;
	int k;

	assert_non_null(f);
	for (k = 0; k < td_nr_items(f); k++)
		if (td_get_item(f, k)->kind == TD_ITEM_SECTION && td_get_item(f, k)->id == 3)
			at = td_get_item(f, k)->offset;
	td_close(f);
	assert_true(at > 0 && !memcmp(data + at, "flyrecord", 10));
	out = xmalloc(at + 10 + sizeof(text));
	memcpy(out, data, at);
	memcpy(out + at, "latency  ", 10);
	memcpy(out + at + 10, text, sizeof(text) - 1);
	write_bytes(lat, out, at + 10 + sizeof(text) - 1);
	f = td_open(lat);
	if (!f)
		fail_msg("%s", st_last_error());
	assert_int_equal(td_nr_buffers(f), 1);
	b = td_get_buffer(f, 0);
	assert_true(b->latency);
	assert_int_equal(b->text.size, sizeof(text) - 1);
	assert_memory_equal(b->text.data, text, b->text.size);
	assert_null(td_iter_new(f, 0, NULL, 0));
	assert_non_null(strstr(st_last_error(), "latency"));
	td_close(f);
	unlink(lat);
	unlink(path);
	free(out);
	free(data);
	free(lat);
	free(path);
	synth_free(&s);
}

/* ---- a big-endian v6 file, built by hand (our writer writes host endianness) ---- */

struct bebuf {
	char *data;
	size_t len;
};

static void be_put(struct bebuf *b, const void *p, size_t n)
{
	b->data = xrealloc(b->data, b->len + n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void be_num(struct bebuf *b, uint64_t v, int size)
{
	unsigned char out[8];
	int i;

	for (i = 0; i < size; i++)
		out[i] = v >> (8 * (size - 1 - i));
	be_put(b, out, size);
}

static void be_text(struct bebuf *b, const char *s, int size_width)
{
	be_num(b, strlen(s), size_width);
	be_put(b, s, strlen(s));
}

#define BE_EVENTS 20

/* One page of BE_EVENTS "sample" events: BE header words (type_len in the top 5 bits). */
static void be_page(struct bebuf *b, int cpu)
{
	struct bebuf page = { 0 };
	uint64_t prev = synth_ts(cpu, 0);
	int j;

	be_num(&page, prev, 8);
	be_num(&page, BE_EVENTS * 32, 8);
	for (j = 0; j < BE_EVENTS; j++) {
		char name[16] = { 0 };

		be_num(&page, (7U << 27) | (uint32_t)(synth_ts(cpu, j) - prev), 4);
		prev = synth_ts(cpu, j);
		be_num(&page, SYNTH_EVENT_ID, 2);
		be_num(&page, 0, 2);
		be_num(&page, cpu == 0 ? 1234 : 4321, 4);
		be_num(&page, cpu * 100000 + j, 4);
		snprintf(name, sizeof(name), "ev%d-%d", cpu, j);
		be_put(&page, name, 16);
	}
	page.data = xrealloc(page.data, SYNTH_PAGE);
	memset(page.data + page.len, 0, SYNTH_PAGE - page.len);
	be_put(b, page.data, SYNTH_PAGE);
	free(page.data);
}

static void write_big_endian_v6(const char *path)
{
	static const char clock[] = "[local] global\n";
	struct bebuf b = { 0 };
	size_t table;
	int cpu;

	be_put(&b, "\027\010\104tracing6", 12);
	be_num(&b, 1, 1);		/* big endian */
	be_num(&b, 8, 1);
	be_num(&b, SYNTH_PAGE, 4);
	be_put(&b, "header_page", 12);
	be_text(&b, synth_header_page, 8);
	be_put(&b, "header_event", 13);
	be_text(&b, synth_header_event, 8);
	be_num(&b, 1, 4);
	be_text(&b, synth_print_format, 8);
	be_num(&b, 1, 4);
	be_put(&b, "sidetrace_test", 15);
	be_num(&b, 1, 4);
	be_text(&b, synth_sample_format, 8);
	be_num(&b, 0, 4);		/* kallsyms */
	be_num(&b, 0, 4);		/* printk */
	be_text(&b, "1234 ls\n4321 cat\n", 8);
	be_num(&b, 2, 4);		/* CPUs */
	be_put(&b, "options  ", 10);
	be_num(&b, 4, 2);		/* TRACECLOCK */
	be_num(&b, sizeof(clock), 4);
	be_put(&b, clock, sizeof(clock));
	be_num(&b, 11, 2);		/* TRACEID */
	be_num(&b, 8, 4);
	be_num(&b, 0x1122334455667788ULL, 8);
	be_num(&b, 0, 2);
	be_put(&b, "flyrecord", 10);
	table = b.len;
	for (cpu = 0; cpu < 4; cpu++)
		be_num(&b, 0, 8);	/* the CPU table, patched below */
	be_text(&b, "[local]", 8);
	for (cpu = 0; cpu < 2; cpu++) {
		struct bebuf entry = { 0 };

		while (b.len % SYNTH_PAGE)
			be_num(&b, 0, 1);
		be_num(&entry, b.len, 8);
		be_num(&entry, SYNTH_PAGE, 8);
		memcpy(b.data + table + 16 * cpu, entry.data, 16);
		free(entry.data);
		be_page(&b, cpu);
	}
	write_bytes(path, b.data, b.len);
	free(b.data);
}

static void test_big_endian(void **state)
{
	char path[] = "/tmp/td-be-XXXXXX";
	int fd = mkstemp(path), n = 0;
	struct td_file *f;
	struct tep_handle *tep;
	struct td_iter *it;
	struct tep_record *r;
	uint64_t last = 0;

	assert_true(fd >= 0);
	close(fd);
	write_big_endian_v6(path);
	f = td_open(path);
	if (!f)
		fail_msg("%s", st_last_error());
	assert_true(td_get_meta(f)->big_endian);
	assert_true(td_get_meta(f)->trace_id == 0x1122334455667788ULL);
	assert_string_equal(td_get_meta(f)->clock, "local");
	tep = td_get_tep(f);
	assert_non_null(tep);
	it = td_iter_new(f, 0, NULL, 0);
	assert_non_null(it);
	while ((r = td_iter_next(it))) {
		unsigned long long value;
		struct tep_event *ev = tep_find_event_by_record(tep, r);

		assert_non_null(ev);
		assert_int_equal(tep_read_number_field(tep_find_field(ev, "value"), r->data,
						       &value), 0);
		assert_int_equal(value, r->cpu * 100000 + (int)((r->ts - SYNTH_BASE_TS) / 2000));
		assert_int_equal(tep_data_pid(tep, r), r->cpu == 0 ? 1234 : 4321);
		assert_true(r->ts == synth_ts(r->cpu, (int)value % 100000));
		assert_true(r->ts >= last);
		last = r->ts;
		n++;
	}
	assert_int_equal(td_iter_error(it), 0);
	assert_int_equal(n, 2 * BE_EVENTS);
	td_iter_free(it);
	td_close(f);
	unlink(path);
}

static int write_mode(int argc, char **argv)
{
	struct variant v;
	struct synth s;
	int i, comp;

	if (argc != 5 && argc != 6)
		return 2;
	v.version = atoi(argv[2]);
	comp = td_compression_from_name(argv[3]);
	if (comp < 0)
		return 2;
	v.comp = comp;
	synth_init(&s, v.version, v.comp, synth_pages, 3);
	/* --instance: add buffer "inst1"; its values are printed after a "--" line */
	if (argc == 6)
		synth_add_instance(&s);
	if (synth_write(&s, argv[4]) < 0) {
		fprintf(stderr, "%s\n", st_last_error());
		return 1;
	}
	for (i = 0; i < s.nr_events; i++)
		printf("%d\n", s.events[i].value);
	if (s.nr_inst_cpus) {
		printf("--\n");
		for (i = 0; i < s.nr_inst_events; i++)
			printf("%d\n", s.inst_events[i].value);
	}
	synth_free(&s);
	return 0;
}

static void report_record(struct tep_handle *tep, struct trace_seq *seq, const char *buffer,
			  struct tep_record *r)
{
	struct tep_event *ev = tep_find_event_by_record(tep, r);
	const char *name = ev ? ev->name : "unknown";
	int pad = 20 - (int)strlen(name);

	trace_seq_reset(seq);
	if (r->missed_events > 0)
		printf("CPU:%d [%lld EVENTS DROPPED]\n", r->cpu, r->missed_events);
	else if (r->missed_events < 0)
		printf("CPU:%d [EVENTS DROPPED]\n", r->cpu);
	if (*buffer)
		trace_seq_printf(seq, "%s: ", buffer);
	tep_print_event(tep, seq, r, "%16s-%-5d [%03d] %6.1000d: ", TEP_PRINT_COMM, TEP_PRINT_PID,
			TEP_PRINT_CPU, TEP_PRINT_TIME);
	trace_seq_printf(seq, "%s: %*s", name, pad > 0 ? pad : 0, "");
	tep_print_event(tep, seq, r, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(seq);
	while (seq->len && seq->buffer[seq->len - 1] == '\n')
		seq->buffer[--seq->len] = 0;
	puts(seq->buffer);
}

static int report_mode(const char *path)
{
	struct td_file *f = td_open(path);
	struct tep_handle *tep;
	struct trace_seq seq;
	int b, ret = 0;

	if (!f || !(tep = td_get_tep(f))) {
		fprintf(stderr, "%s\n", st_last_error());
		return 1;
	}
	tep_load_plugins(tep);
	trace_seq_init(&seq);
	printf("cpus=%d\n", td_get_meta(f)->nr_cpus);
	for (b = 0; b < td_nr_buffers(f); b++) {
		struct td_iter *it = td_iter_new(f, b, NULL, 0);
		struct tep_record *r;

		if (!it) {
			fprintf(stderr, "%s\n", st_last_error());
			ret = 1;
			continue;
		}
		while ((r = td_iter_next(it)))
			report_record(tep, &seq, td_get_buffer(f, b)->name, r);
		if (td_iter_error(it)) {
			fprintf(stderr, "%s\n", st_last_error());
			ret = 1;
		}
		td_iter_free(it);
	}
	trace_seq_destroy(&seq);
	td_close(f);
	return ret;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_cpu_stats),
		cmocka_unit_test(test_private_option),
		cmocka_unit_test(test_instance),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_unstarted),
		cmocka_unit_test(test_cpu_mask),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_error_offsets),
		cmocka_unit_test(test_v6_latency),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_bad_event_mid_page),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_flipped),
	};

	if (argc > 1 && !strcmp(argv[1], "--write"))
		return write_mode(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "--report"))
		return report_mode(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
