/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * What the report asks libtraceevent for every record, remembered: the event
 * of a record's type (tep_find_event_by_record() bsearches all events when the
 * type changes), the offsets of common_type and common_pid (tep_data_type()
 * and tep_data_pid() read them through two calls) and the comm of a pid (tep_data_comm_from_pid() bsearches the
 * saved cmdlines). Plugins may register comms while printing, so every print
 * through libtraceevent must call report_cache_comms_stale().
 */
#ifndef SIDETRACE_REPORT_CACHE_H
#define SIDETRACE_REPORT_CACHE_H

struct tep_handle;
struct tep_event;
struct tep_record;

struct report_cache;

struct td_file;

/* file: where the tep came from, whose lookups leave out what it left out (may be NULL) */
struct report_cache *report_cache_new(struct tep_handle *tep, struct td_file *file);
void report_cache_free(struct report_cache *c);

/* tep_find_event_by_record(), from an array indexed by the type. */
struct tep_event *report_cache_event(struct report_cache *c, struct tep_record *rec);

/*
 * report_put_event_name() of ev (" NAME: " and its padding), made once per
 * event; *len its length.
 */
const char *report_cache_event_name(struct report_cache *c, const struct tep_event *ev, int *len);

/* tep_data_pid(), from the offset of common_pid found once. */
int report_cache_pid(struct report_cache *c, struct tep_record *rec);

/* tep_data_comm_from_pid(). */
const char *report_cache_comm(struct report_cache *c, int pid);

/*
 * The "%16s-%-5d" of a line (report_put_comm_pid()), kept for the pid; *len
 * its length. NULL when the comm is too long to keep: print it then.
 */
const char *report_cache_comm_pid(struct report_cache *c, int pid, int *len);

/* Forget the comms: libtraceevent may have changed its list. */
void report_cache_comms_stale(struct report_cache *c);

#endif
