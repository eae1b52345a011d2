// SPDX-License-Identifier: GPL-2.0
/*
 * sidetrace dump: show how a trace.dat is laid out (header fields, sections,
 * options, buffers and where each CPU's data lives), in the spirit of
 * `trace-cmd dump --summary`. It only reads the container; records are not
 * decoded, so it also helps to look at files other tools reject.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "cli.h"
#include "cmds.h"
#include "tracedat/tracedat.h"
#include "util.h"

static const char dump_usage[] =
	"usage: sidetrace dump [-i FILE] [--summary] [--check] [FILE]\n"
	"\n"
	"Show the layout of a trace.dat file (trace-cmd format, v6 or v7).\n"
	"\n"
	"  -i, --input FILE   the file to read (default: trace.dat)\n"
	"  -s, --summary      header, sections and buffers only: no options, no metadata\n"
	"                     details\n"
	"  -c, --check        also read every record: counts, time span and lost events\n"
	"                     per CPU\n"
	"  -h, --help         this help\n"
	"\n"
	"Offsets and sizes are in bytes. Exit status: 0 if the file was read, 1 if it is\n"
	"not a valid trace.dat or (--check) a record cannot be read (the reason is\n"
	"printed), 2 on a bad command line.\n";

static void print_header(const struct td_file *f, const char *path)
{
	const struct td_meta *m = td_get_meta(f);

	printf("file: %s (%" PRIu64 " bytes)\n", path, td_get_file_size(f));
	printf("version: %d\n", m->file_version);
	printf("endianness: %s\n", m->big_endian ? "big" : "little");
	printf("long size: %d\n", m->long_size);
	printf("page size: %u\n", m->page_size);
	if (m->file_version >= 7)
		printf("compression: %s%s%s\n", td_compression_name(m->compression),
		       *td_get_compression_version(f) ? " " : "", td_get_compression_version(f));
	else
		printf("compression: none (v6)\n");
	printf("cpus: %d\n", m->nr_cpus);
	printf("clock: %s\n", m->clock ? m->clock : "?");
}

static void print_item(const struct td_item *it)
{
	printf("  %10" PRIu64 " %10" PRIu64 "  ", it->offset, it->size);
	switch (it->kind) {
	case TD_ITEM_HEADER:
		printf("%s", it->name);
		break;
	case TD_ITEM_SECTION:
		printf("section %2d %s", it->id, it->name);
		if (it->desc)
			printf(" \"%s\"", it->desc);
		break;
	case TD_ITEM_OPTION:
		printf("  %s (id %d)", it->name, it->id);
		break;
	case TD_ITEM_CPU_DATA:
		printf("%s", it->name);
		break;
	}
	if (it->compressed && it->kind == TD_ITEM_SECTION && it->id != 3 && it->id != 22)
		printf(", compressed, %" PRIu64 " uncompressed", it->uncompressed);
	else if (it->compressed && it->kind == TD_ITEM_SECTION)
		printf(", compressed in chunks");
	putchar('\n');
}

/* File order; a section comes before the options inside it. */
static int by_offset(const void *a, const void *b)
{
	const struct td_item *x = *(const struct td_item *const *)a;
	const struct td_item *y = *(const struct td_item *const *)b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

static void print_layout(const struct td_file *f, bool summary)
{
	int i, n = td_nr_items(f);
	const struct td_item **items = xcalloc(n + 1, sizeof(*items));

	for (i = 0; i < n; i++)
		items[i] = td_get_item(f, i);
	qsort(items, n, sizeof(*items), by_offset);
	printf("\nlayout:     offset       size  what\n");
	for (i = 0; i < n; i++) {
		if (items[i]->kind == TD_ITEM_CPU_DATA ||
		    (summary && items[i]->kind == TD_ITEM_OPTION))
			continue;
		print_item(items[i]);
	}
	free(items);
}

static void print_buffers(const struct td_file *f)
{
	const struct td_meta *m = td_get_meta(f);
	int b, i;

	printf("\nbuffers: %d\n", td_nr_buffers(f));
	for (b = 0; b < td_nr_buffers(f); b++) {
		const struct td_buffer *buf = td_get_buffer(f, b);

		printf("  buffer \"%s\": %s, clock %s, page size %u", buf->name,
		       buf->latency ? "latency text" : "flyrecord",
		       buf->clock ? buf->clock : m->clock, buf->page_size);
		if (buf->latency) {
			printf(", %zu bytes of text\n", buf->text.size);
			continue;
		}
		printf(", %s, %d CPUs with data\n",
		       buf->compressed ? td_compression_name(m->compression) : "uncompressed",
		       buf->nr_cpus);
		for (i = 0; i < buf->nr_cpus; i++)
			printf("    cpu %-3d offset %10" PRIu64 " (0x%" PRIx64 ")  size %10" PRIu64
			       "\n", buf->cpus[i].cpu, buf->cpus[i].offset, buf->cpus[i].offset,
			       buf->cpus[i].size);
	}
}

static void print_text_option(const char *label, const char *value)
{
	const char *nl;

	if (!value)
		return;
	nl = strchr(value, '\n');
	printf("  %-12s %.*s\n", label, nl ? (int)(nl - value) : (int)strlen(value), value);
}

static void print_metadata(struct td_file *f)
{
	const struct td_meta *m = td_get_meta(f);
	int i;

	printf("\nmetadata:\n");
	printf("  header_page  %zu bytes, header_event %zu bytes\n", m->header_page.size,
	       m->header_event.size);
	printf("  ftrace       %d event formats\n", m->nr_ftrace_formats);
	for (i = 0; i < m->nr_systems; i++)
		printf("  system       %s: %d event formats\n", m->systems[i].name,
		       m->systems[i].nr_formats);
	/* the reader leaves kallsyms in the file until asked */
	printf("  kallsyms     %zu bytes\n", td_get_kallsyms(f)->size);
	printf("  printk       %zu bytes\n", m->printk.size);
	printf("  cmdlines     %zu bytes\n", m->cmdlines.size);
	print_text_option("trace_clock", m->trace_clock);
	print_text_option("uname", m->uname);
	print_text_option("version", m->version);
	if (m->has_trace_id)
		printf("  %-12s 0x%" PRIx64 "\n", "trace id", m->trace_id);
	print_text_option("date", m->date);
	if (m->has_ts_offset)
		printf("  %-12s %" PRId64 "\n", "ts offset", m->ts_offset);
	if (m->has_tsc2nsec)
		printf("  %-12s mult %u shift %u offset %" PRIu64 "\n", "tsc2nsec",
		       m->tsc2nsec_mult, m->tsc2nsec_shift, m->tsc2nsec_offset);
	for (i = 0; i < m->nr_cpus; i++) {
		char label[32];
		const char *s = m->cpustats ? m->cpustats[i] : NULL;
		const char *entries;

		if (!s)
			continue;
		snprintf(label, sizeof(label), "cpu%d stats", i);
		entries = strstr(s, "entries:");
		print_text_option(label, entries ? entries : s);
	}
}

struct cpu_check {
	uint64_t records;
	uint64_t first_ts;
	uint64_t last_ts;
	uint64_t lost_pages;
	long long lost_events;
};

/* Read every record of one buffer and print what each CPU holds. */
static int check_buffer(struct td_file *f, int index)
{
	const struct td_buffer *buf = td_get_buffer(f, index);
	struct cpu_check *c;
	struct tep_record *r;
	struct td_iter *it;
	int max_cpu = 0, i, ret = 0;

	if (buf->latency)
		return 0;
	for (i = 0; i < buf->nr_cpus; i++)
		if (buf->cpus[i].cpu > max_cpu)
			max_cpu = buf->cpus[i].cpu;
	it = td_iter_new(f, index, NULL, 0);
	if (!it)
		return -1;
	c = xcalloc(max_cpu + 1, sizeof(*c));
	while ((r = td_iter_next(it))) {
		struct cpu_check *cc = &c[r->cpu <= max_cpu ? r->cpu : 0];

		if (!cc->records++)
			cc->first_ts = r->ts;
		cc->last_ts = r->ts;
		if (r->missed_events) {
			cc->lost_pages++;
			if (r->missed_events > 0)
				cc->lost_events += r->missed_events;
		}
	}
	if (td_iter_error(it))
		ret = -1;
	td_iter_free(it);
	printf("  buffer \"%s\":\n", buf->name);
	for (i = 0; i < buf->nr_cpus; i++) {
		const struct cpu_check *cc = &c[buf->cpus[i].cpu];

		printf("    cpu %-3d %10" PRIu64 " records", buf->cpus[i].cpu, cc->records);
		if (cc->records)
			printf(", ts %" PRIu64 " .. %" PRIu64, cc->first_ts, cc->last_ts);
		if (cc->lost_pages)
			printf(", events lost before %" PRIu64 " pages (%lld counted)",
			       cc->lost_pages, cc->lost_events);
		putchar('\n');
	}
	free(c);
	return ret;
}

static int check_records(struct td_file *f)
{
	int b;

	printf("\nrecords:\n");
	if (!td_get_tep(f))
		return -1;
	for (b = 0; b < td_nr_buffers(f); b++)
		if (check_buffer(f, b) < 0)
			return -1;
	return 0;
}

static const struct cli_option dump_options[] = {
	CLI_OPT('i', "input", CLI_VALUE, "file"),
	CLI_OPT('s', "summary", CLI_FLAG, NULL),
	CLI_OPT('c', "check", CLI_FLAG, NULL),
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

const struct cli_command dump_cli = {
	.name = "dump",
	.options = dump_options,
	.operands_anywhere = true,	/* dump FILE --summary */
	.operands = "file",
};

struct dump_opts {
	const char *input;
	bool summary;
	bool check;
	bool help;
};

static int parse_option(void *ctx, int c, const char *arg)
{
	struct dump_opts *o = ctx;

	switch (c) {
	case 'i':
	case CLI_OPERAND:
		if (o->input) {
			st_set_error("one input file only (see sidetrace dump --help)");
			return -1;
		}
		o->input = arg;
		return 0;
	case 's':
		o->summary = true;
		return 0;
	case 'c':
		o->check = true;
		return 0;
	case 'h':
		o->help = true;
		return 1;
	}
	st_set_error("option code %d has no parser", c);	/* a table without its case */
	return -1;
}

int cmd_dump(int argc, char **argv)
{
	struct dump_opts o = { 0 };
	const char *input;
	struct td_file *f;
	int ret = EXIT_OK;

	if (cli_parse(&dump_cli, argc, argv, parse_option, &o) < 0)
		return cli_usage_error();
	if (o.help) {
		fputs(dump_usage, stdout);
		return EXIT_OK;
	}
	input = o.input ? o.input : "trace.dat";
	f = td_open(input);
	if (!f) {
		st_warn("%s: %s", input, st_last_error());
		return EXIT_FAILURE_;
	}
	print_header(f, input);
	print_layout(f, o.summary);
	print_buffers(f);
	if (!o.summary)
		print_metadata(f);
	fflush(stdout);
	if (o.check && check_records(f) < 0) {
		fflush(stdout);
		st_warn("%s: %s", input, st_last_error());
		ret = EXIT_FAILURE_;
	}
	td_close(f);
	return ret;
}
