/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Compiled print formats for `sidetrace report` (see report_fast.c): the INFO
 * text of simple events printed without libtraceevent's printf machinery, and
 * of the events libtraceevent's own plugins print (report_fast_plugins.c),
 * byte for byte what tep_print_event() prints.
 */
#ifndef SIDETRACE_REPORT_FAST_H
#define SIDETRACE_REPORT_FAST_H

#include <stdbool.h>
#include <stddef.h>

struct tep_handle;
struct tep_event;
struct tep_record;

struct report_fast;
struct fast_fmt;

struct report_fast *report_fast_new(struct tep_handle *tep);
void report_fast_free(struct report_fast *f);

/* ev's compiled format (compiled on first use), or NULL if libtraceevent must print it. */
struct fast_fmt *report_fast_get(struct report_fast *f, struct tep_event *ev);

/* The most bytes report_fast_format() can write for this format. */
size_t report_fast_max_len(const struct fast_fmt *ff);

/* INFO of rec into buf; its length, or -1 if the record is too short (use libtraceevent). */
int report_fast_format(const struct fast_fmt *ff, struct tep_handle *tep,
		       const struct tep_record *rec, char *buf);

/*
 * Whether a native printer (report_fast_plugins.c) gave libtraceevent a comm
 * it did not know since the last call, as the plugin it replaces does: the
 * caller's comm cache is then stale.
 */
bool report_fast_comms_changed(struct report_fast *f);

/*
 * Trust is earned: the caller prints the first records of each format both
 * ways and reports whether they matched; one difference retires the format.
 */
bool report_fast_usable(const struct fast_fmt *ff);
bool report_fast_trusted(const struct fast_fmt *ff);
void report_fast_verdict(struct fast_fmt *ff, bool same);

#endif
