/* SPDX-License-Identifier: LGPL-2.1 */
/* Internals shared by the trace.dat reader, its iterator and the writer. */
#ifndef SIDETRACE_TRACEDAT_PRIV_H
#define SIDETRACE_TRACEDAT_PRIV_H

#include "tracedat/tracedat.h"

#include <pthread.h>
#include <string.h>

#include <traceevent/event-parse.h>

/* Option and v7 section ids (trace-cmd's TRACECMD_OPTION_* numbering). */
enum {
	OPT_DONE = 0,
	OPT_DATE = 1,
	OPT_CPUSTAT = 2,
	OPT_BUFFER = 3,
	OPT_TRACECLOCK = 4,
	OPT_UNAME = 5,
	OPT_HOOK = 6,
	OPT_OFFSET = 7,
	OPT_CPUCOUNT = 8,
	OPT_VERSION = 9,
	OPT_PROCMAPS = 10,
	OPT_TRACEID = 11,
	OPT_TIME_SHIFT = 12,
	OPT_GUEST = 13,
	OPT_TSC2NSEC = 14,
	SEC_STRINGS = 15,
	SEC_HEADER_INFO = 16,
	SEC_FTRACE_EVENTS = 17,
	SEC_EVENT_FORMATS = 18,
	SEC_KALLSYMS = 19,
	SEC_PRINTK = 20,
	SEC_CMDLINES = 21,
	OPT_BUFFER_TEXT = 22,
};

/*
 * The metadata sections: ids SEC_HEADER_INFO to SEC_CMDLINES, in that order
 * in the file (v6 has them one after the other, v7 writes them in this order
 * and the first options section points to each). td_meta_sections[] has one
 * entry per id, at TD_META_INDEX(id).
 */
#define TD_NR_META_SECTIONS (SEC_CMDLINES - SEC_HEADER_INFO + 1)
#define TD_META_INDEX(id) ((id) - SEC_HEADER_INFO)

struct td_meta_section {
	int id;
	const char *name;	/* ours, in messages and in `dump` */
	const char *desc;	/* what trace-cmd writes in a v7 section's header */
};
extern const struct td_meta_section td_meta_sections[TD_NR_META_SECTIONS];

struct v6_buffer_ref;
struct tep_event;
struct td_print_guard;

struct td_file {
	int fd;
	const uint8_t *map;
	uint64_t size;
	bool swap;			/* file endianness differs from the host's */
	struct td_meta meta;
	char *comp_version;
	struct td_buffer *buffers;
	int nr_buffers;
	struct td_item *items;
	int nr_items;
	struct tep_handle *tep;
	struct tep_handle *syms;	/* kallsyms, parsed on the first lookup... */
	struct td_ksyms *ksyms;		/* ...into this table, or syms if it cannot */
	char *more_syms;		/* td_add_functions' lines, parsed with kallsyms */
	char *ksyms_buf;		/* the text ksyms points into */
	const uint8_t *kallsyms_at;	/* in map: the text, or the compressed block */
	uint64_t kallsyms_len;		/* bytes at kallsyms_at (0: no kallsyms) */
	bool kallsyms_compressed;	/* decompressed on first use */
	bool kallsyms_warned;		/* it could not be: said once */
	/*
	 * The function table built ahead, on a thread of its own, when the
	 * formats print function names (tracedat_read.c): the first lookup
	 * joins it and takes its table, or its error.
	 */
	pthread_t preload;
	bool preloading;		/* preload runs or ended, not yet joined */
	struct td_ksyms *preload_ksyms;	/* its table (NULL: none)... */
	char *preload_buf;		/* ...the text that table points into... */
	char *preload_error;		/* ...or why it could not read the text */
	uint32_t max_record;		/* the largest page size: no record (or field) is larger */
	struct td_print_guard **guards;	/* per-record checks of some events (tracedat_format.c) */
	int nr_guards;
	bool guards_sorted;
	/* the last guard lookups, by event id (td_record_printable() runs per record) */
	const struct tep_event *guard_cache_ev[64];
	struct td_print_guard *guard_cache[64];
	int nr_left_out;		/* event formats that failed a check */
	bool final_warned;		/* td_final_warnings() has spoken */

	/* td_get_tep_lazy(): formats parsed when first needed (tracedat_read.c) */
	bool lazy;			/* some stored formats are not parsed yet */
	struct td_format_ref *formats;	/* every stored format, in the file's order */
	int nr_formats;
	bool lazy_base_done;		/* the formats every record needs are parsed */
	struct tep_handle *scratch;	/* where a format may be checked before tep gets it */
	uint8_t *type_seen;		/* bitmap of the record types already looked up */
	uint8_t *left_in_tep;		/* bitmap of types left out after parsing into tep */
	uint8_t *formats_of_id;		/* stored formats per id (sparse): 1 = parsed once */
	bool type_field_known;		/* type_offset is set */
	int type_offset;		/* of the 2-byte common_type, or -1: ask tep_data_type() */

	/* parsing state */
	char *strings;			/* v7 STRINGS sections, concatenated */
	uint64_t strings_len;
	uint64_t meta_off[TD_NR_META_SECTIONS];	/* v7 offsets, by TD_META_INDEX() */
	bool have_meta_off[TD_NR_META_SECTIONS];
	char **stats;			/* CPUSTAT texts by CPU */
	int nr_stats;
	bool cpustat_instance;
	uint32_t cpucount;
	struct v6_buffer_ref *v6_bufs;
	int nr_v6_bufs;
};

static inline bool td_host_big_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}

/* Parse the format of rec's type if it is not yet (td_get_tep_lazy). */
void td_lazy_parse_record(struct td_file *f, const struct tep_record *rec);

/*
 * td_lazy_parse_record()'s usual case, inline for the iterator: rec's type
 * (the 2-byte common_type, in host order) was looked up before. False when
 * that cannot be told this way; the call then decides.
 */
static inline bool td_lazy_type_seen(const struct td_file *f, const struct tep_record *rec)
{
	uint16_t type;

	if (!f->type_field_known || f->type_offset < 0 || f->swap ||
	    rec->size < f->type_offset + 2)
		return false;
	memcpy(&type, (const char *)rec->data + f->type_offset, 2);
	return f->type_seen[type / 8] & (1 << type % 8);
}

uint64_t td_read_u64(const struct td_file *f, const void *p);
uint32_t td_read_u32(const struct td_file *f, const void *p);
const char *td_option_name(int id);

/*
 * tracedat_format.c: the checks of stored formats.
 * td_format_text_problem: why a format text must not reach libtraceevent, or NULL.
 * td_event_check: why a parsed event must be left out (allocated), or NULL and
 * *guard set to its per-record checks (NULL if none), for td_guards_add().
 * td_printk_safe_copy: the printk formats libtraceevent can take.
 */
const char *td_format_text_problem(const char *text, size_t size);
char *td_event_check(struct tep_event *ev, uint64_t max_record, struct td_print_guard **guard);
void td_guards_add(struct td_file *f, struct td_print_guard *g);
void td_guards_free(struct td_file *f);
void td_guard_free(struct td_print_guard *g);
char *td_printk_safe_copy(const char *text, int *left_out);
const char *td_section_name(int id);

/*
 * cmdlines.c: the saved cmdlines text into tep, as tep_parse_saved_cmdlines()
 * does, faster. 0, or -1 where a line stopped the reading.
 */
int td_parse_saved_cmdlines(struct tep_handle *tep, const char *text);

#endif
