/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Number fields read at a fixed offset, resolved once per file: the per-record
 * reads of the report's fast paths without libtraceevent's lookups by name.
 * Each read gives the value libtraceevent would read (tep_read_number(): the
 * file's byte order, 1, 2, 4 or 8 bytes).
 */
#ifndef SIDETRACE_REPORT_FIELD_H
#define SIDETRACE_REPORT_FIELD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <traceevent/event-parse.h>

/* Where a number field is in its event's records; size 0: no such (readable) field. */
struct report_field {
	int offset;
	int size;		/* 1, 2, 4 or 8 */
	int64_t end;		/* offset + size: the record size that holds it; INT64_MAX if none */
	bool swap;		/* the file's byte order is not the host's */
};

/* f (NULL: the event has no such field) as a report_field of tep's file. */
static inline struct report_field report_field_of(struct tep_handle *tep,
						  const struct tep_format_field *f)
{
	struct report_field rf = { 0, 0, INT64_MAX, false };

	if (f && f->offset >= 0 &&
	    (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8)) {
		rf.offset = f->offset;
		rf.size = f->size;
		rf.end = (int64_t)f->offset + f->size;
		rf.swap = tep_is_file_bigendian(tep) != tep_is_local_bigendian(tep);
	}
	return rf;
}

/*
 * A common field (common_type, common_pid) where libtraceevent's
 * tep_data_type()/tep_data_pid() look for it: in the first of tep's events.
 * Size 0 when tep has no event or the event no such field.
 */
static inline struct report_field report_common_field(struct tep_handle *tep, const char *name)
{
	struct tep_event *first = tep_get_event(tep, 0);

	return report_field_of(tep, first ? tep_find_common_field(first, name) : NULL);
}

/* A 1, 2, 4 or 8 byte number at p (any other size reads 8), swapped when the file's byte order is not the host's. */
static inline uint64_t report_read_number(const void *p, int size, bool swap)
{
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (size) {
	case 1:
		memcpy(&v8, p, 1);
		return v8;
	case 2:
		memcpy(&v16, p, 2);
		return swap ? __builtin_bswap16(v16) : v16;
	case 4:
		memcpy(&v32, p, 4);
		return swap ? __builtin_bswap32(v32) : v32;
	default:
		memcpy(&v64, p, 8);
		return swap ? __builtin_bswap64(v64) : v64;
	}
}

/* The field's value at data, whatever the record's size (f->size is not 0). */
static inline uint64_t report_field_get(const struct report_field *f, const void *data)
{
	return report_read_number((const char *)data + f->offset, f->size, f->swap);
}

/*
 * The field's value in rec, as td_field_number() reads it: false when the
 * event has no such field or the record is too short to hold it.
 */
static inline bool report_field_read(const struct report_field *f, const struct tep_record *rec,
				     uint64_t *val)
{
	/* a negative size (libtraceevent's mark of a bad record) is below any end too */
	if (rec->size < f->end)
		return false;
	*val = report_field_get(f, rec->data);
	return true;
}

/*
 * tep_data_type() and tep_data_pid() at resolved offsets: the common fields
 * where libtraceevent reads them (report_common_field()), read as it reads
 * them, whatever the record's size; libtraceevent's own answer when the file
 * has no such plain number.
 */
struct report_common {
	struct tep_handle *tep;
	struct report_field type, pid;
};

static inline struct report_common report_common_of(struct tep_handle *tep)
{
	struct report_common c = { tep, report_common_field(tep, "common_type"),
				   report_common_field(tep, "common_pid") };

	return c;
}

static inline int report_record_type(const struct report_common *c, struct tep_record *rec)
{
	return c->type.size ? (int)report_field_get(&c->type, rec->data) : tep_data_type(c->tep, rec);
}

static inline int report_record_pid(const struct report_common *c, struct tep_record *rec)
{
	return c->pid.size ? (int)report_field_get(&c->pid, rec->data) : tep_data_pid(c->tep, rec);
}

#endif
