/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The trace.dat container (trace-cmd's format, versions 6 and 7): a writer and
 * a reader that never touch tracefs. They work on file descriptors, buffers and
 * the metadata struct below, so unit tests run without root.
 *
 * The format, and what our writer and reader do with it: Documentation/trace-dat.md.
 */
#ifndef SIDETRACE_TRACEDAT_H
#define SIDETRACE_TRACEDAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tep_handle;
struct tep_record;

enum td_compression {
	TD_COMPRESS_NONE = 0,
	TD_COMPRESS_ZLIB,
	TD_COMPRESS_ZSTD,
};

/* Parse "none", "zlib", "zstd" (and "any" = zstd); -1 if unknown. */
int td_compression_from_name(const char *name);
const char *td_compression_name(enum td_compression c);

/* An owned byte buffer (format files, kallsyms, ...). data may be NULL when size is 0. */
struct td_blob {
	char *data;
	size_t size;
};

/*
 * sidetrace's own options, with ids trace-cmd does not use (it skips unknown
 * ids): the writer writes every td_meta.private_options entry, the reader keeps
 * every option whose id is at least TD_OPT_PRIVATE_BASE.
 */
#define TD_OPT_PRIVATE_BASE	0x5300
#define TD_OPT_FILES		0x5301	/* record --files: "key=value" lines (fileset.h) */
#define TD_OPT_UCALLS		0x5302	/* record -x: the user call table (ucall.h) */
#define TD_OPT_FTRACE_FUNCS	0x5303	/* record -g/-l: the patterns (ftrace_hints.h) */
#define TD_OPT_STACK_PROBES	0x5308	/* record --stack: uprobe files and offsets (stack_probes.h) */

struct td_option {
	int id;
	struct td_blob data;
};

/* One event system and the format files of its events that the file stores. */
struct td_system {
	char *name;
	struct td_blob *formats;
	int nr_formats;
};

/*
 * Everything in a trace.dat except the per-CPU ring-buffer data.
 * The writer reads it; the reader fills it. Strings are NUL-terminated and
 * owned; td_meta_free() frees them all.
 */
struct td_meta {
	int file_version;		/* 6 or 7 */
	enum td_compression compression; /* v7 only; v6 is never compressed */
	const char *out_name;		/* writer: the output in error messages (NULL: trace.dat) */
	bool big_endian;		/* file endianness (the writer writes host endianness) */
	int long_size;			/* user-space long size of the recorder: 4 or 8 */
	uint32_t page_size;		/* ring-buffer sub-buffer size */

	struct td_blob header_page;	/* events/header_page text */
	struct td_blob header_event;	/* events/header_event text */
	struct td_blob *ftrace_formats;	/* events/ftrace/NAME/format texts */
	int nr_ftrace_formats;
	struct td_system *systems;	/* the other recorded systems */
	int nr_systems;
	struct td_blob kallsyms;	/* /proc/kallsyms (may be empty; reader: td_get_kallsyms) */
	struct td_blob printk;		/* printk_formats (may be empty) */
	struct td_blob cmdlines;	/* saved_cmdlines (may be empty) */

	char *trace_clock;		/* TRACECLOCK option: the whole trace_clock file, e.g.
					 * "[local] global counter ...\n"; NULL = no option */
	char *clock;			/* the selected clock, e.g. "local" (reader: from the
					 * option, the v6 trailer or the v7 BUFFER option) */
	char *uname;			/* UNAME option or NULL */
	char *version;			/* VERSION option or NULL */
	uint64_t trace_id;		/* TRACEID option, if has_trace_id */
	bool has_trace_id;
	int nr_cpus;			/* CPU count of the top buffer */
	char **cpustats;		/* nr_cpus entries: text of per_cpu/cpuN/stats, or NULL */

	/* Options the reader fills (the writer ignores them for now). */
	char *date;			/* DATE option: ASCII offset in µs ("0x..."), or NULL */
	char *hook;			/* HOOK option or NULL */
	char *procmaps;			/* PROCMAPS option or NULL */
	int64_t ts_offset;		/* OFFSET option, if has_ts_offset */
	bool has_ts_offset;
	uint32_t tsc2nsec_mult;		/* TSC2NSEC option, if has_tsc2nsec */
	uint32_t tsc2nsec_shift;
	uint64_t tsc2nsec_offset;
	bool has_tsc2nsec;

	/* Private options (ids >= TD_OPT_PRIVATE_BASE): written and read back. */
	struct td_option *private_options;
	int nr_private_options;
};

void td_meta_free(struct td_meta *meta);

/* Add a private option (a copy of data); the first one with that id, or NULL. */
void td_meta_add_option(struct td_meta *meta, int id, const void *data, size_t size);
const struct td_blob *td_meta_get_option(const struct td_meta *meta, int id);

/* Per-CPU figures from a per_cpu/cpuN/stats text (td_meta.cpustats[]). */
struct td_cpu_stats {
	unsigned long long entries;	/* still in the buffer */
	unsigned long long read;	/* consumed by the reader */
	unsigned long long lost;	/* overrun + commit overrun + dropped events */
};
/* Parse text ("entries:", "read events:", "overrun:" ... lines); NULL gives zeros. */
void td_parse_cpu_stats(const char *text, struct td_cpu_stats *st);

/*
 * Add a format text to the system called name (created on first use). Copies data.
 * System "ftrace" goes to meta->ftrace_formats.
 */
void td_meta_add_format(struct td_meta *meta, const char *system, const char *data, size_t size);

/* Set a blob to a copy of data (followed by a NUL that size does not count). */
void td_blob_set(struct td_blob *b, const void *data, size_t size);

/* ------------------------------------------------------------------------- */
/* Writer */

/* One CPU's raw ring-buffer pages: size bytes read from fd at offset 0. */
struct td_cpu_input {
	int fd;			/* -1 or size 0: no data for this CPU */
	uint64_t size;		/* a multiple of meta->page_size */
};

/*
 * Write a complete trace.dat to out_fd (from its current offset 0) with one
 * top-level buffer of meta->nr_cpus CPUs, cpus[i] being CPU i.
 * meta->file_version selects v6 or v7, meta->compression v7's compression.
 * Returns 0, or -1 with st_last_error() set.
 */
int td_write(int out_fd, const struct td_meta *meta, const struct td_cpu_input *cpus);

/* An instance buffer (trace-cmd -B NAME) for td_write_instances(). */
struct td_write_buffer {
	const char *name;			/* instance name, not empty */
	const char *clock;			/* NULL: the top level's clock */
	int nr_cpus;
	const struct td_cpu_input *cpus;	/* cpus[i] is CPU i */
};

/*
 * td_write() plus instance buffers after the top-level one, laid out as
 * trace-cmd does (v7: a BUFFER section and an options section per buffer;
 * v6: BUFFER options pointing at extra flyrecord blocks). The top level may
 * have no data (meta->nr_cpus CPUs with fd -1).
 */
int td_write_instances(int out_fd, const struct td_meta *meta, const struct td_cpu_input *cpus,
		       const struct td_write_buffer *instances, int nr_instances);

/* ------------------------------------------------------------------------- */
/* Reader */

struct td_file;

/* One buffer of the file: the top level ("") or an instance (trace-cmd -B). */
struct td_cpu_data {
	int cpu;
	uint64_t offset;	/* file offset of the data (v7 compressed: of the chunk count) */
	uint64_t size;		/* bytes on disk */
};

struct td_buffer {
	char *name;		/* "" for the top level */
	char *clock;		/* may be NULL: use meta->clock */
	uint32_t page_size;
	int nr_cpus;		/* entries in cpus (CPUs with data only in v7) */
	struct td_cpu_data *cpus;
	bool compressed;
	bool latency;		/* a latency (text) buffer: text holds it */
	struct td_blob text;
};

/*
 * Open and validate a trace.dat: header, metadata, options, buffer tables.
 * Every offset and size is checked against the file, so a truncated or
 * corrupt file fails here with a one-line message naming what is wrong
 * ("truncated in the kallsyms section", "not a trace.dat file", ...).
 */
struct td_file *td_open(const char *path);
struct td_file *td_open_fd(int fd);	/* takes ownership of fd */
void td_close(struct td_file *f);

const struct td_meta *td_get_meta(const struct td_file *f);
int td_nr_buffers(const struct td_file *f);
const struct td_buffer *td_get_buffer(const struct td_file *f, int index);

/*
 * A tep handle with the file's header_page, every stored event format,
 * kallsyms, printk formats and saved cmdlines loaded, and the file's
 * endianness and long size set. Plugins are not loaded (the caller decides).
 * Owned by the file.
 */
struct tep_handle *td_get_tep(struct td_file *f);
/*
 * The same tep, with the event formats parsed only when needed: the format of
 * a record's type when td_iter_next() or td_iter_peek() first hands out a
 * record of that type, the format an id or a name names through
 * td_find_event() / td_find_event_by_name(). Start-up then costs what the
 * events in the file need, not the hundreds of formats a recording stores.
 * An event left out (a format failing a check) is warned about when first
 * needed. Callers must find events through those two functions, never with
 * tep_find_event*() before they have seen a record of the event; plugins'
 * handlers registered by name reach formats parsed later (libtraceevent
 * keeps them pending). td_get_tep() on a lazy file parses the rest; on a
 * file whose tep td_get_tep() made, this returns that tep.
 */
struct tep_handle *td_get_tep_lazy(struct td_file *f);
struct tep_event *td_find_event(struct td_file *f, int id);
struct tep_event *td_find_event_by_name(struct td_file *f, const char *system, const char *name);
/*
 * A record's format is parsed into the lazy tep once and checked there: one
 * that fails stays in the tep (libtraceevent cannot take it out) but is left
 * out all the same. td_event_kept: ev, or NULL when it is such an event
 * (for events found in the tep directly); td_record_left_out: rec's type is
 * one (print it as libtraceevent prints a record without an event, never
 * with tep_print_event()).
 */
struct tep_event *td_event_kept(const struct td_file *f, struct tep_event *ev);
bool td_record_left_out(struct td_file *f, const struct tep_record *rec);

/*
 * The file's kallsyms text. The reader leaves td_meta.kallsyms empty at open
 * (megabytes a report may not need; the function table behind the tep's
 * lookups is parsed from the file on the first lookup); this fills it on first
 * call. A compressed section that does not decompress is one warning then and
 * an empty text, not an open failure. td_has_kallsyms: the file has some.
 */
const struct td_blob *td_get_kallsyms(struct td_file *f);
bool td_has_kallsyms(const struct td_file *f);
/*
 * What the reader has still to say when the file is done with: how many more
 * events were left out than it named one by one (a lazy tep's formats fail
 * their checks as records come). td_close() says it; a caller that leaves
 * the file to exit() calls this at the end instead. Said once.
 */
void td_final_warnings(struct td_file *f);
/*
 * Functions (kallsyms lines) the tep's lookups should know besides the file's
 * function table. Only before the first lookup (td_get_tep first): 0, or -1.
 */
int td_add_functions(struct td_file *f, const char *kallsyms_lines);

/* Event types there can be: a record's common_type is 16 bits. */
#define TD_NR_TYPES		(1 << 16)

/*
 * Limits on the stored event formats (td_get_tep leaves out, with a warning,
 * an event whose format breaks one; Documentation/trace-dat.md): fields end
 * inside the largest page, and a print format has at most
 */
#define TD_MAX_FORMAT_SIZE	65536	/* bytes of its text (the kernel's largest: 5.5 KB) */
#define TD_MAX_FORMAT_DEPTH	128	/* nested (), [] and {} */
#define TD_MAX_FORMAT_OPS	2048	/* operator characters in its arguments */
#define TD_MAX_PRINT_WIDTH	1024	/* in one width or precision */
#define TD_MAX_PRINT_PADDING	4096	/* in all its widths and precisions together */
#define TD_MAX_PRINTK_ARGS	32	/* conversions of one printk format (trace_printk) */

/*
 * Can libtraceevent print rec with its event's format? False when the record
 * does not hold what the format makes the printer read: __data_loc data
 * outside the record, an array print (__print_hex, __print_array) longer than
 * the record, a record shorter than a zero-size field's offset. Print
 * something else then; libtraceevent would read out of bounds or loop.
 */
struct tep_event;
bool td_record_printable(struct td_file *f, const struct tep_event *ev,
			 const struct tep_record *rec);

/*
 * A field's bytes in rec: where the format says, or for a __data_loc/__rel_loc
 * field where the record says. NULL if they are not all inside the record.
 */
struct tep_format_field;
const void *td_field_bytes(const struct tep_format_field *f, const struct tep_record *rec,
			   int *len);

/*
 * A number field's value in rec (as tep_read_number_field() reads it): 0, or
 * -1 if f is NULL, not 1, 2, 4 or 8 bytes, or not inside the record.
 */
int td_field_number(const struct tep_format_field *f, const struct tep_record *rec,
		    unsigned long long *val);

/* Are size bytes at offset inside a record of rec_size bytes? (No overflow, any inputs.) */
static inline bool td_in_record(int64_t offset, int64_t size, int rec_size)
{
	return offset >= 0 && size >= 0 && rec_size >= 0 && offset <= rec_size &&
	       size <= rec_size - offset;
}

/*
 * Records of one buffer, merged across CPUs in timestamp order (a tie goes to
 * the lowest CPU, as trace-cmd does). cpu_mask: NULL for all CPUs, else a
 * bool array of length td_buffer->nr_cpus-or-more indexed by CPU number.
 *
 * td_iter_next() returns the next record, valid until the following call to
 * td_iter_next() or td_iter_peek(); NULL at the end, or on a read error with
 * td_iter_error() != 0. record->missed_events is set as kbuffer reports it
 * (-1 = unknown count) on the first record after lost events.
 * td_iter_peek() returns the record td_iter_next() will return, without
 * consuming it (the function_graph printer needs this to find leaf calls).
 */
struct td_iter;
struct td_iter *td_iter_new(struct td_file *f, int buffer, const bool *cpu_mask, int mask_len);
/*
 * td_iter_new() in two steps, so that several iterators' decompression runs
 * at once: _unstarted() sets the streams up and starts decompressing ahead;
 * td_iter_start() reads each CPU's first record (-1 on a read error, as
 * td_iter_new() would have failed). td_iter_next() and td_iter_peek() start
 * an iterator that was not.
 */
struct td_iter *td_iter_new_unstarted(struct td_file *f, int buffer, const bool *cpu_mask,
				      int mask_len);
int td_iter_start(struct td_iter *it);
struct tep_record *td_iter_next(struct td_iter *it);
struct tep_record *td_iter_peek(struct td_iter *it);
int td_iter_error(const struct td_iter *it);
void td_iter_free(struct td_iter *it);

/*
 * Note: the record td_iter_next() returned also stays valid across ONE
 * following td_iter_peek() (so a printer can look ahead without copying).
 */

/* ------------------------------------------------------------------------- */
/* File layout, for `sidetrace dump` */

enum td_item_kind {
	TD_ITEM_HEADER,		/* the initial header */
	TD_ITEM_SECTION,	/* a v7 section, or a v6 metadata block */
	TD_ITEM_OPTION,		/* one option (offset = the option's id field) */
	TD_ITEM_CPU_DATA,	/* one CPU's data of a buffer */
};

struct td_item {
	enum td_item_kind kind;
	int id;			/* section/option id (trace-cmd numbers); CPU data: CPU */
	char *name;		/* what it is: "kallsyms", "option TRACECLOCK", ... */
	char *desc;		/* v7 section description from the strings section, or NULL */
	uint64_t offset;	/* file offset of the section header / block / option */
	uint64_t size;		/* bytes on disk, header included */
	uint64_t uncompressed;	/* payload size once decompressed (= size if not) */
	bool compressed;
	int buffer;		/* TD_ITEM_CPU_DATA: index of the buffer, else -1 */
};

int td_nr_items(const struct td_file *f);
const struct td_item *td_get_item(const struct td_file *f, int index);
/* The compression version stored in a v7 header ("" for v6 or none). */
const char *td_get_compression_version(const struct td_file *f);
/* Size of the file in bytes. */
uint64_t td_get_file_size(const struct td_file *f);

#endif
