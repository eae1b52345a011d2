// SPDX-License-Identifier: LGPL-2.1
/*
 * `sidetrace report --syscalls` (trace.h): the lines of `sidetrace trace`
 * from a trace.dat that `record --syscalls` wrote. The records come merged by
 * time from the file's iterator and go through the same decoder and
 * formatter as the live view's.
 */
#include "syscall/sc_fmt.h"
#include "tracedat/tracedat.h"
#include "trace/trace.h"
#include "trace/trace_events.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

/* The probe group of record --files in the file ("sidetrace_files_PID"), or NULL. */
static const char *files_group(struct tep_handle *tep)
{
	struct tep_event **events = tep_list_events(tep, TEP_EVENT_SORT_ID);

	for (int i = 0; events && events[i]; i++)
		if (!strncmp(events[i]->system, "sidetrace_files_", 16))
			return events[i]->system;
	return NULL;
}

static void feed_record(struct sc_fmt *fmt, struct trace_decoder *dec, struct tep_record *rec)
{
	struct sc_event ev;

	if (rec->missed_events) {
		struct sc_event lost = { .type = SC_EV_LOST, .ts = rec->ts, .cpu = rec->cpu };

		lost.lost = rec->missed_events > 0 ? rec->missed_events : 0;
		sc_fmt_feed(fmt, &lost);
	}
	if (trace_decode(dec, rec, &ev) != 1)
		return;
	if (ev.type == SC_EV_ENTER && !sc_fmt_has_comm(fmt, ev.tid))
		sc_fmt_set_comm(fmt, ev.tid, tep_data_comm_from_pid(dec->tep, ev.tid));
	sc_fmt_feed(fmt, &ev);
}

int trace_report(const char *path, const struct trace_opts *o, FILE *out)
{
	struct sc_fmt_opts fo = {
		.out = out, .failed_only = o->failed_only, .min_duration_ns = o->min_duration_ns,
		.summary = o->summary, .strsize = o->strsize,
	};
	struct td_file *f = td_open(path);
	struct trace_decoder dec;
	struct tep_handle *tep;
	struct td_iter *it;
	struct sc_fmt *fmt;
	struct tep_record *rec;
	bool *selected = NULL;
	const char *group;
	int ret = -1;

	if (!f)
		return -1;
	tep = td_get_tep(f);
	group = tep ? files_group(tep) : NULL;
	if (!tep || trace_decoder_init(&dec, tep, group, group && trace_group_is_kprobe(tep, group))
	    < 0) {
		st_set_error("%s has no syscall events: record it with 'sidetrace record --syscalls'",
			     path);
		td_close(f);
		return -1;
	}
	if (o->nr_exprs && !(selected = sc_parse_selection(o->exprs, o->nr_exprs)))
		goto out;
	fo.selected = selected;
	fmt = sc_fmt_new(&fo);
	it = td_iter_new(f, 0, NULL, 0);	/* NULL: its first records cannot be read */
	while (it && (rec = td_iter_next(it)))
		feed_record(fmt, &dec, rec);
	ret = !it || td_iter_error(it) ? -1 : 0;
	if (ret < 0) {
		char *why = xstrdup(st_last_error());

		st_set_error("%s: cannot read the whole trace: %s", path, why);
		free(why);
	}
	td_iter_free(it);
	sc_fmt_finish(fmt);
	sc_fmt_free(fmt);
out:
	free(selected);
	td_close(f);
	return ret;
}
