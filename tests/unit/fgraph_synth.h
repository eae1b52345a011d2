/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small function_graph trace.dat for unit tests, built with td_write() from
 * hand-made ring-buffer pages: the ftrace funcgraph_entry/exit formats of a
 * 6.18 kernel, a few kallsyms, and entry()/exit_() to put records on a page.
 * Shared by the report (function_graph lines) and export tests; include it
 * after <cmocka.h> (write_file() asserts).
 */
#ifndef FGRAPH_SYNTH_H
#define FGRAPH_SYNTH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracedat/tracedat.h"
#include "util.h"

#define PAGE_SIZE 4096
#define ENTRY_ID 11
#define EXIT_ID 10

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

/* The formats of this 6.18 kernel (Documentation/trace-dat.md 1.7). */
static const char entry_format[] =
	"name: funcgraph_entry\n"
	"ID: 11\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long func;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int depth;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long args[];\toffset:24;\tsize:0;\tsigned:0;\n"
	"\n"
	"print fmt: \"--> %ps (%u)\", (void *)REC->func, REC->depth\n";

static const char exit_format[] =
	"name: funcgraph_exit\n"
	"ID: 10\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long func;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int depth;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int overrun;\toffset:20;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long long calltime;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long long rettime;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"<-- %ps (%u) (start: %llx  end: %llx) over: %u\", (void *)REC->func, "
	"REC->depth, REC->calltime, REC->rettime, REC->depth\n";

static const char kallsyms[] =
	"ffffffff81000100 T do_sys_open\n"
	"ffffffff81000200 T getname\n"
	"ffffffff81000300 T do_filp_open\n"
	"ffffffff81000400 T path_openat\n"
	"ffffffff81000500 T slow_leaf\n"
	"ffffffff81000600 T huge_leaf\n"
	"ffffffff81000700 T zzz_end\n";

enum { DO_SYS_OPEN = 1, GETNAME, DO_FILP_OPEN, PATH_OPENAT, SLOW_LEAF, HUGE_LEAF };
#define FUNC(n) (0xffffffff81000000ULL + (n) * 0x100)

/* One CPU's ring-buffer page under construction. */
struct page {
	unsigned char data[PAGE_SIZE];
	size_t len;		/* bytes of events */
	uint64_t ts;		/* timestamp of the last event */
	bool started;
};

static void put_event(struct page *pg, uint64_t ts, const void *payload, size_t size)
{
	uint32_t header;

	if (!pg->started) {
		memcpy(pg->data, &ts, 8);
		pg->ts = ts;
		pg->started = true;
	}
	assert_true(ts - pg->ts < (1u << 27));
	assert_true(size % 4 == 0 && size <= 112);
	header = (uint32_t)(size / 4) | (uint32_t)((ts - pg->ts) << 5);
	assert_true(16 + pg->len + 4 + size <= PAGE_SIZE);
	memcpy(pg->data + 16 + pg->len, &header, 4);
	memcpy(pg->data + 16 + pg->len + 4, payload, size);
	pg->len += 4 + size;
	pg->ts = ts;
	memcpy(pg->data + 8, &(uint64_t){ pg->len }, 8);
}

static void put_common(unsigned char *p, uint16_t type, int32_t pid)
{
	memset(p, 0, 8);
	memcpy(p, &type, 2);
	memcpy(p + 4, &pid, 4);
}

/* An entry of the function at addr (any address, kallsyms may not know it). */
static inline void entry_addr(struct page *pg, uint64_t ts, int pid, uint64_t addr,
			      uint32_t depth)
{
	unsigned char p[24] = { 0 };

	put_common(p, ENTRY_ID, pid);
	memcpy(p + 8, &addr, 8);
	memcpy(p + 16, &depth, 4);
	put_event(pg, ts, p, sizeof(p));
}

static void entry(struct page *pg, uint64_t ts, int pid, int func, uint32_t depth)
{
	entry_addr(pg, ts, pid, FUNC(func), depth);
}

/* An exit at ts for a call of the function at addr that lasted duration ns. */
static inline void exit_addr(struct page *pg, uint64_t ts, int pid, uint64_t addr,
			     uint32_t depth, uint64_t duration)
{
	unsigned char p[40] = { 0 };
	uint64_t rettime = ts, calltime = ts - duration;

	put_common(p, EXIT_ID, pid);
	memcpy(p + 8, &addr, 8);
	memcpy(p + 16, &depth, 4);
	memcpy(p + 24, &calltime, 8);
	memcpy(p + 32, &rettime, 8);
	put_event(pg, ts, p, sizeof(p));
}

/* An exit at ts for a call that lasted duration ns. */
static void exit_(struct page *pg, uint64_t ts, int pid, int func, uint32_t depth,
		  uint64_t duration)
{
	exit_addr(pg, ts, pid, FUNC(func), depth, duration);
}

/*
 * Write a trace.dat of nr_cpus pages; extra (if not NULL) changes the
 * metadata first (private options, ...). Returns its path (static buffer).
 */
static const char *write_file_meta(struct page *pages, int nr_cpus, int version,
				   void (*extra)(struct td_meta *meta))
{
	static char path[64];
	struct td_meta meta = { 0 };
	struct td_cpu_input cpus[4];
	int fd;

	meta.file_version = version;
	meta.long_size = 8;
	meta.page_size = PAGE_SIZE;
	td_blob_set(&meta.header_page, header_page, strlen(header_page));
	meta.ftrace_formats = xcalloc(2, sizeof(struct td_blob));
	td_blob_set(&meta.ftrace_formats[0], entry_format, strlen(entry_format));
	td_blob_set(&meta.ftrace_formats[1], exit_format, strlen(exit_format));
	meta.nr_ftrace_formats = 2;
	td_blob_set(&meta.kallsyms, kallsyms, strlen(kallsyms));
	td_blob_set(&meta.cmdlines, "1234 ls\n1240 ls\n5678 cat\n", 25);
	meta.trace_clock = xstrdup("[local] global counter\n");
	meta.clock = xstrdup("local");
	meta.nr_cpus = nr_cpus;
	if (extra)
		extra(&meta);

	for (int i = 0; i < nr_cpus; i++) {
		char tmp[] = "/tmp/sidetrace-fgraph-cpu.XXXXXX";

		cpus[i].fd = mkstemp(tmp);
		assert_true(cpus[i].fd >= 0);
		unlink(tmp);
		cpus[i].size = pages[i].started ? PAGE_SIZE : 0;
		if (cpus[i].size)
			assert_int_equal(pwrite(cpus[i].fd, pages[i].data, PAGE_SIZE, 0), PAGE_SIZE);
	}
	snprintf(path, sizeof(path), "/tmp/sidetrace-fgraph-synth.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	if (td_write(fd, &meta, cpus) < 0)
		fail_msg("td_write: %s", st_last_error());
	close(fd);
	for (int i = 0; i < nr_cpus; i++)
		close(cpus[i].fd);
	td_meta_free(&meta);
	return path;
}

static inline const char *write_file(struct page *pages, int nr_cpus, int version)
{
	return write_file_meta(pages, nr_cpus, version, NULL);
}

#endif
