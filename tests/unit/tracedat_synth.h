/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic trace.dat contents for the trace.dat tests: a real header_page,
 * two event formats and hand-made ring-buffer pages, plus the list of records
 * a reader must return, in merged order.
 */
#ifndef TRACEDAT_SYNTH_H
#define TRACEDAT_SYNTH_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracedat/tracedat.h"
#include "util.h"

/* events/header_page of an x86_64 6.18 kernel */
static const char synth_header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

static const char synth_header_event[] =
	"# compressed entry header\n"
	"\ttype_len    :    5 bits\n"
	"\ttime_delta  :   27 bits\n"
	"\tarray       :   32 bits\n"
	"\n"
	"\tpadding     : type == 29\n"
	"\ttime_extend : type == 30\n"
	"\ttime_stamp : type == 31\n"
	"\tdata max type_len  == 28\n";

static const char synth_print_format[] =
	"name: print\n"
	"ID: 5\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:char buf[];\toffset:16;\tsize:0;\tsigned:0;\n"
	"\n"
	"print fmt: \"%ps: %s\", (void *)REC->ip, REC->buf\n";

#define SYNTH_EVENT_ID 1000
static const char synth_sample_format[] =
	"name: sample\n"
	"ID: 1000\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int value;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:char name[16];\toffset:12;\tsize:16;\tsigned:0;\n"
	"\n"
	"print fmt: \"value=%d name=%s\", REC->value, REC->name\n";

#define SYNTH_PAGE 4096
#define SYNTH_PER_PAGE 100
#define SYNTH_BASE_TS 500000000000ULL
#define SYNTH_MISSED 42

struct synth_event {
	uint64_t ts;
	int cpu;
	int value;
	int pid;
	long long missed;	/* expected record->missed_events */
};

struct synth {
	struct td_meta meta;
	struct td_cpu_input cpus[4];
	char cpu_paths[4][64];
	struct synth_event *events;	/* sorted by (ts, cpu) */
	int nr_events;
	/* optional instance buffer "inst1" (synth_add_instance) */
	struct td_cpu_input inst_cpus[2];
	struct synth_event *inst_events;
	int nr_inst_events;
	int nr_inst_cpus;
};

#define SYNTH_INSTANCE "inst1"
#define SYNTH_INSTANCE_BASE 1000000

/* Event j of CPU cpu. CPU 1 ties with CPU 0 every 5th event. */
static inline uint64_t synth_ts(int cpu, int j)
{
	if (cpu == 1 && j % 5 == 0)
		return SYNTH_BASE_TS + (uint64_t)j * 2000;
	return SYNTH_BASE_TS + (uint64_t)j * 2000 + cpu * 1000;
}

static inline int synth_cmp(const void *a, const void *b)
{
	const struct synth_event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->cpu - y->cpu;
}

/*
 * Write nr_pages pages for cpu into fd. Page 1 of CPU 1 says 42 events were
 * lost before it; page 2 of CPU 1 says some (unknown count) were.
 */
static inline void synth_make_pages(struct synth_event **events, int *nr_events, int cpu,
				    int nr_pages, int fd, int base)
{
	unsigned char page[SYNTH_PAGE];
	int p, i;

	for (p = 0; p < nr_pages; p++) {
		uint64_t page_ts = synth_ts(cpu, p * SYNTH_PER_PAGE), prev = page_ts;
		uint64_t commit = 0;
		unsigned char *d = page + 16;

		memset(page, 0, sizeof(page));
		for (i = 0; i < SYNTH_PER_PAGE; i++) {
			int j = p * SYNTH_PER_PAGE + i;
			uint64_t ts = synth_ts(cpu, j);
			uint32_t hdr = 7 | (uint32_t)(ts - prev) << 5;	/* 28-byte payload */
			uint16_t type = SYNTH_EVENT_ID;
			int32_t pid = cpu == 0 ? 1234 : 4321, value = base + cpu * 100000 + j;
			char name[16] = { 0 };
			struct synth_event *e;

			prev = ts;
			memcpy(d, &hdr, 4);
			memcpy(d + 4, &type, 2);
			memcpy(d + 8, &pid, 4);
			memcpy(d + 12, &value, 4);
			snprintf(name, sizeof(name), "ev%d-%d", cpu, j);
			memcpy(d + 16, name, 16);
			d += 32;
			*events = xrealloc(*events, (*nr_events + 1) * sizeof(*e));
			e = &(*events)[(*nr_events)++];
			e->ts = ts;
			e->cpu = cpu;
			e->value = value;
			e->pid = pid;
			e->missed = 0;
			if (i == 0 && cpu == 1 && p == 1)
				e->missed = SYNTH_MISSED;
			if (i == 0 && cpu == 1 && p == 2)
				e->missed = -1;
		}
		commit = d - (page + 16);
		if (cpu == 1 && p == 1) {
			uint64_t lost = SYNTH_MISSED;

			memcpy(d, &lost, 8);
			commit |= (1ULL << 31) | (1ULL << 30);
		}
		if (cpu == 1 && p == 2)
			commit |= 1ULL << 31;
		memcpy(page, &page_ts, 8);
		memcpy(page + 8, &commit, 8);
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page))
			abort();
	}
}

/*
 * pages[i] pages for CPU i (0 = no data). version 6 or 7.
 */
static inline void synth_init(struct synth *s, int version, enum td_compression comp,
			      const int *pages, int nr_cpus)
{
	static const char cmdlines[] = "1234 ls\n4321 cat\n";
	static const char kallsyms[] =
		"ffffffff81000000 T _stext\nffffffff81000100 T do_sys_open\n";
	int cpu;

	memset(s, 0, sizeof(*s));
	s->meta.file_version = version;
	s->meta.compression = comp;
	s->meta.long_size = 8;
	s->meta.page_size = SYNTH_PAGE;
	td_blob_set(&s->meta.header_page, synth_header_page, strlen(synth_header_page));
	td_blob_set(&s->meta.header_event, synth_header_event, strlen(synth_header_event));
	td_meta_add_format(&s->meta, "ftrace", synth_print_format, strlen(synth_print_format));
	td_meta_add_format(&s->meta, "sidetrace_test", synth_sample_format,
			   strlen(synth_sample_format));
	td_blob_set(&s->meta.kallsyms, kallsyms, strlen(kallsyms));
	td_blob_set(&s->meta.printk, "", 0);
	td_blob_set(&s->meta.cmdlines, cmdlines, strlen(cmdlines));
	s->meta.trace_clock = xstrdup("[local] global counter uptime perf mono mono_raw boot\n");
	s->meta.uname = xstrdup("Linux synth 6.18.0 x86_64");
	s->meta.version = xstrdup("sidetrace test");
	s->meta.trace_id = 0x1234567890abcdefULL;
	s->meta.has_trace_id = true;
	s->meta.nr_cpus = nr_cpus;
	s->meta.cpustats = xcalloc(nr_cpus, sizeof(char *));
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		int fd;

		s->meta.cpustats[cpu] = xasprintf("entries: %d\noverrun: 0\n",
						  pages[cpu] * SYNTH_PER_PAGE);
		snprintf(s->cpu_paths[cpu], sizeof(s->cpu_paths[cpu]), "/tmp/td-synth-cpuXXXXXX");
		fd = mkstemp(s->cpu_paths[cpu]);
		if (fd < 0)
			abort();
		unlink(s->cpu_paths[cpu]);
		synth_make_pages(&s->events, &s->nr_events, cpu, pages[cpu], fd, 0);
		s->cpus[cpu].fd = pages[cpu] ? fd : -1;
		s->cpus[cpu].size = (uint64_t)pages[cpu] * SYNTH_PAGE;
		if (!pages[cpu])
			close(fd);
	}
	if (s->nr_events)
		qsort(s->events, s->nr_events, sizeof(*s->events), synth_cmp);
}

/* An instance buffer with 2 and 1 pages on CPUs 0 and 1, values from SYNTH_INSTANCE_BASE. */
static inline void synth_add_instance(struct synth *s)
{
	static const int pages[2] = { 2, 1 };
	int cpu;

	s->nr_inst_cpus = 2;
	for (cpu = 0; cpu < 2; cpu++) {
		FILE *tmp = tmpfile();
		int fd;

		if (!tmp)
			abort();
		fd = dup(fileno(tmp));
		fclose(tmp);
		synth_make_pages(&s->inst_events, &s->nr_inst_events, cpu, pages[cpu], fd,
				 SYNTH_INSTANCE_BASE);
		s->inst_cpus[cpu].fd = fd;
		s->inst_cpus[cpu].size = (uint64_t)pages[cpu] * SYNTH_PAGE;
	}
	qsort(s->inst_events, s->nr_inst_events, sizeof(*s->inst_events), synth_cmp);
}

static inline void synth_free(struct synth *s)
{
	int cpu;

	for (cpu = 0; cpu < s->nr_inst_cpus; cpu++)
		close(s->inst_cpus[cpu].fd);
	free(s->inst_events);
	for (cpu = 0; cpu < s->meta.nr_cpus; cpu++)
		if (s->cpus[cpu].fd >= 0)
			close(s->cpus[cpu].fd);
	td_meta_free(&s->meta);
	free(s->events);
}

/* Write the synthetic trace to path; returns 0 or -1. */
static inline int synth_write(struct synth *s, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ret;

	if (fd < 0)
		return -1;
	if (s->nr_inst_cpus) {
		struct td_write_buffer inst = {
			.name = SYNTH_INSTANCE,
			.nr_cpus = s->nr_inst_cpus,
			.cpus = s->inst_cpus,
		};

		ret = td_write_instances(fd, &s->meta, s->cpus, &inst, 1);
	} else {
		ret = td_write(fd, &s->meta, s->cpus);
	}
	close(fd);
	return ret;
}

#endif
