// SPDX-License-Identifier: LGPL-2.1
/*
 * The report engine: open the file, set up libtraceevent as trace-cmd does
 * (plugins, -O options, the function_graph printer, filters), then merge the
 * buffers' records by timestamp and print one line each.
 *
 * Speed: one reused trace_seq, one 1 MiB output buffer, no allocation per
 * event; only INFO goes through tep_print_event().
 */
#include "report/report.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "report/fgraph.h"
#include "report/report_cache.h"
#include "tracedat/ftrace_hints.h"
#include "report/ucall_report.h"
#include "report/ustack_report.h"
#include "report/report_fast.h"
#include "tracedat/tracedat.h"

/* One buffer of the file being printed. */
struct report_stream {
	struct td_iter *it;
	const char *label;		/* instance name; NULL for the top level */
	char *label_text;		/* what put_label() writes, made once */
	size_t label_len;
	enum report_time_mode tmode;
	/* its next record (td_iter_peek), while the merge has not taken it */
	struct tep_record *peeked;
	bool peek_valid;
};

struct report {
	const struct report_opts *o;
	const struct report_consumer *view;	/* NULL: print the lines */
	struct td_file *file;
	const struct td_meta *meta;
	struct tep_handle *tep;
	struct tep_plugin_list *plugins;
	struct fgraph *fgraph;
	struct ucall_events *ucalls;	/* record -x: user calls, NULL if none */
	struct ustack_report *ustacks;	/* record --stack: user stack symbols, NULL if none */
	struct report_fast *fast;	/* compiled print formats; NULL with -R */
	struct report_cache *cache;	/* events by type, comms by pid */
	struct report_stats *stats;	/* SIDETRACE_REPORT_STATS set: how records were printed */
	struct tep_event_filter **filters;
	int nr_filters;
	bool filter_nothing;		/* --comm matched no task: nothing is printed */
	struct report_stream *streams;
	int nr_streams;
	bool reads_records;		/* run() goes on to the records (not -E, --stat, ...) */
	int label_width;		/* -1: no buffer names in front of the lines */
	bool color;			/* escape codes in the lines (a terminal, --color) */
	int64_t ts_add;			/* OFFSET + DATE options, in ns */
	uint32_t tsc_mult, tsc_shift;	/* TSC2NSEC option; mult 0 = none */
	const char *info_fmt;		/* TEP_PRINT_INFO or TEP_PRINT_INFO_RAW */
	struct trace_seq seq;
	struct report_out out;
};

void report_opts_free(struct report_opts *o)
{
	free(o->cpu_mask);
	o->cpu_mask = NULL;
	strlist_free(&o->pids);
	strlist_free(&o->comms);
	strlist_free(&o->filters);
	strlist_free(&o->plugin_opts);
}

/* ------------------------------------------------------------------------- */
/* Setup */

/* -O plugin:opt[=val], as trace-cmd passes it to libtraceevent. */
static void apply_plugin_option(const char *arg)
{
	char *name = xstrdup(arg);
	char *val = strchr(name, '=');

	if (val)
		*val++ = '\0';
	tep_plugin_add_option(name, val);
	free(name);
}

/*
 * sidetrace's own plugins (plugins/, the text of our events) are loaded like
 * trace-cmd's: from TRACEEVENT_PLUGIN_DIR. Unless the user set it, point it
 * at the build tree's plugins/ when this binary runs from a build tree, else
 * at the directory `make install` put them in, so that the two programs
 * print the same lines.
 */
static void set_plugin_dir(void)
{
	char exe[4096], *dir;
	ssize_t n;

	if (getenv("TRACEEVENT_PLUGIN_DIR"))
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		dir = xasprintf("%s/plugins/plugin_sidetrace.so", exe);
		if (access(dir, R_OK) == 0) {
			*strrchr(dir, '/') = '\0';
			setenv("TRACEEVENT_PLUGIN_DIR", dir, 1);
			free(dir);
			return;
		}
		free(dir);
	}
	setenv("TRACEEVENT_PLUGIN_DIR", SIDETRACE_PLUGIN_DIR, 1);
}

void report_print_plugins(FILE *out)
{
	struct tep_handle *tep = tep_alloc();
	struct tep_plugin_list *list;
	struct trace_seq s;

	if (!tep)
		return;
	set_plugin_dir();
	list = tep_load_plugins(tep);
	trace_seq_init(&s);
	tep_print_plugins(&s, "plugin: ", "\n", list);
	trace_seq_terminate(&s);
	fputs(s.buffer, out);
	trace_seq_destroy(&s);
	tep_unload_plugins(list, tep);
	tep_free(tep);
}

/* Files of older sidetraces name their user calls only in their ucall table. */
static void name_user_calls_of_old_file(struct report *r)
{
	char *lines = r->ucalls ? ucall_events_names_for_old_file(r->ucalls) : NULL;

	if (lines)
		td_add_functions(r->file, lines);
	free(lines);
}

/*
 * The lines alone need only the formats of the events they print, which the
 * records parse as they come (td_get_tep_lazy); filters, -E, views and the
 * user call table look at every event up front.
 */
static bool formats_on_demand(const struct report *r)
{
	const struct report_opts *o = r->o;

	return !r->view && !o->filters.nr && !o->pids.nr && !o->comms.nr && !o->list_events &&
	       !td_meta_get_option(r->meta, TD_OPT_UCALLS);
}

static int create_streams(struct report *r);

static int setup_tep(struct report *r)
{
	const struct report_opts *o = r->o;
	bool lazy = formats_on_demand(r);

	r->tep = lazy ? td_get_tep_lazy(r->file) : td_get_tep(r->file);
	if (!r->tep)
		return -1;
	if (r->reads_records && create_streams(r) < 0)
		return -1;
	r->fgraph = fgraph_new();
	for (int i = 0; i < o->plugin_opts.nr; i++)
		apply_plugin_option(o->plugin_opts.items[i]);
	if (!o->no_plugins) {
		set_plugin_dir();
		r->plugins = tep_load_plugins(r->tep);
	}
	/* after the plugins, as their handlers by name reach later formats: fgraph's events */
	if (lazy) {
		td_find_event_by_name(r->file, "ftrace", "funcgraph_entry");
		td_find_event_by_name(r->file, "ftrace", "funcgraph_exit");
	}
	/* trace-cmd -N drops its function_graph printer too: the kernel's print fmt is used */
	if ((!o->no_plugins || r->view) && fgraph_register(r->fgraph, r->tep) < 0)
		return -1;
	fgraph_set_color(r->fgraph, r->color);
	r->ucalls = ucall_events_new(r->meta, r->tep);
	if (!r->ucalls && td_meta_get_option(r->meta, TD_OPT_UCALLS))
		return -1;
	name_user_calls_of_old_file(r);
	r->ustacks = ustack_report_new(r->meta, r->tep);
	if (r->ustacks && !o->raw && ustack_report_register(r->ustacks) < 0)
		return -1;
	if (o->nsec)
		tep_set_flag(r->tep, TEP_NSEC_OUTPUT);
	r->info_fmt = o->raw ? TEP_PRINT_INFO_RAW : TEP_PRINT_INFO;
	if (!o->raw)
		r->fast = report_fast_new(r->tep);
	r->cache = report_cache_new(r->tep, r->file);
	return 0;
}

static int add_filter(struct report *r, const char *str)
{
	struct tep_event_filter *f = tep_filter_alloc(r->tep);
	char msg[256];
	int ret;

	ret = tep_filter_add_filter_str(f, str);
	if (ret < 0) {
		tep_filter_strerror(f, ret, msg, sizeof(msg));
		st_set_error("bad filter '%s': %s", str, msg);
		tep_filter_free(f);
		return -1;
	}
	r->filters = xrealloc(r->filters, (r->nr_filters + 1) * sizeof(*r->filters));
	r->filters[r->nr_filters++] = f;
	return 0;
}

static void append_pid_term(char **filter, const char *pid)
{
	char *s = xasprintf("%s%s(common_pid==%s)||(pid==%s)||(next_pid==%s)",
			    *filter ? *filter : ".*:", *filter ? "||" : "", pid, pid, pid);

	free(*filter);
	*filter = s;
}

/*
 * --pid and --comm become one more filter, as in trace-cmd: an event matches
 * when its common_pid, or a field called pid or next_pid, is one of the pids.
 */
static int setup_pid_filter(struct report *r)
{
	const struct report_opts *o = r->o;
	char *filter = NULL;
	int ret;

	if (!o->pids.nr && !o->comms.nr)
		return 0;
	for (int i = 0; i < o->pids.nr; i++)
		append_pid_term(&filter, o->pids.items[i]);
	for (int i = 0; i < o->comms.nr; i++) {
		struct tep_cmdline *c = tep_data_pid_from_comm(r->tep, o->comms.items[i], NULL);

		if (!c)
			st_warn("comm %s is not in the file's list of tasks", o->comms.items[i]);
		for (; c; c = tep_data_pid_from_comm(r->tep, o->comms.items[i], c)) {
			char pid[16];

			snprintf(pid, sizeof(pid), "%d", tep_cmdline_pid(r->tep, c));
			append_pid_term(&filter, pid);
		}
	}
	if (!filter) {
		r->filter_nothing = true;
		return 0;
	}
	ret = add_filter(r, filter);
	free(filter);
	return ret;
}

static int setup_filters(struct report *r)
{
	for (int i = 0; i < r->o->filters.nr; i++)
		if (add_filter(r, r->o->filters.items[i]) < 0)
			return -1;
	return setup_pid_filter(r);
}

static inline uint64_t shown_ts(const struct report *r, uint64_t ts);

/*
 * --time-range first; then trace-cmd's rule: the filters are OR'ed; events no
 * filter names are dropped.
 */
static bool record_wanted(struct report *r, struct tep_record *rec)
{
	if (r->filter_nothing)
		return false;
	if ((r->o->time_from || r->o->time_to) &&
	    (shown_ts(r, rec->ts) < r->o->time_from ||
	     (r->o->time_to && shown_ts(r, rec->ts) > r->o->time_to)))
		return false;
	if (!r->nr_filters)
		return true;
	for (int i = 0; i < r->nr_filters; i++) {
		int ret = tep_filter_match(r->filters[i], rec);

		if (ret == TEP_ERRNO__FILTER_MATCH || ret == TEP_ERRNO__NO_FILTER)
			return true;
	}
	return false;
}

/*
 * The timestamp trace-cmd shows: TSC2NSEC converts the counter to ns, then the
 * OFFSET option (--ts-offset) and the DATE option (--date, in us) are added.
 */
static void setup_timestamps(struct report *r)
{
	const struct td_meta *m = r->meta;

	if (m->has_tsc2nsec && m->tsc2nsec_mult) {
		r->tsc_mult = m->tsc2nsec_mult;
		r->tsc_shift = m->tsc2nsec_shift;
	}
	if (m->has_ts_offset)
		r->ts_add += m->ts_offset;
	if (m->date)
		r->ts_add += strtoll(m->date, NULL, 0) * 1000;
}

static inline uint64_t shown_ts(const struct report *r, uint64_t ts)
{
	if (r->tsc_mult)
		ts = (uint64_t)(((unsigned __int128)ts * r->tsc_mult) >> r->tsc_shift);
	return ts + r->ts_add;
}

/* With TSC2NSEC the counter is shown as time, as for the ns clocks. */
static enum report_time_mode time_mode(const struct report *r, const struct td_buffer *b)
{
	const char *clock = b && b->clock ? b->clock : r->meta->clock;

	if (r->tsc_mult)
		clock = "tsc2nsec";
	return report_time_mode(clock, r->o->nsec);
}

/*
 * The iterators, one per buffer, unstarted: their decompression starts now.
 * Made before the plugins are loaded (run() asks for that when it will read
 * records), so the first chunks are ready when the records are.
 */
static int create_streams(struct report *r)
{
	int nr = td_nr_buffers(r->file);
	int width = -1;

	if (r->streams)
		return 0;

	r->streams = xcalloc(nr ? nr : 1, sizeof(*r->streams));
	for (int i = 0; i < nr; i++) {
		const struct td_buffer *b = td_get_buffer(r->file, i);
		struct report_stream *s;

		bool instance;

		if (!b || b->latency)
			continue;
		instance = b->name && b->name[0];
		if (instance && (int)strlen(b->name) > width)
			width = strlen(b->name);
		/* like trace-cmd 3.1.6: with --cpu only the top-level buffer is read */
		if (instance && r->o->cpu_mask)
			continue;
		s = &r->streams[r->nr_streams];
		s->it = td_iter_new_unstarted(r->file, i, r->o->cpu_mask, r->o->cpu_mask_len);
		if (!s->it)
			return -1;
		r->nr_streams++;
		s->tmode = time_mode(r, b);
		if (instance)
			s->label = b->name;
	}
	/* instance names are right-aligned to the longest, the top level gets blanks */
	r->label_width = width;
	return 0;
}

static int setup_streams(struct report *r)
{
	if (create_streams(r) < 0)
		return -1;
	/* every buffer's decompression has started: now their first records */
	for (int i = 0; i < r->nr_streams; i++)
		if (td_iter_start(r->streams[i].it) < 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------------------- */
/*
 * SIDETRACE_REPORT_STATS=1: one stderr summary of the paths the records took
 * (compiled print format, function_graph printer, libtraceevent), and the
 * events libtraceevent printed, so that the slow path's share is visible.
 */
struct report_stats {
	unsigned long compiled, fgraph, libtraceevent;
	unsigned int *by_type;		/* libtraceevent's records, by event type */
};

static void stats_count_slow(struct report *r, const struct tep_event *ev)
{
	if (!r->stats)
		return;
	r->stats->libtraceevent++;
	if (ev && ev->id >= 0 && ev->id < TD_NR_TYPES)
		r->stats->by_type[ev->id]++;
}

static void stats_print(struct report *r)
{
	struct report_stats *st = r->stats;

	if (!st)
		return;
	fprintf(stderr, "report stats: %lu compiled, %lu function_graph, %lu libtraceevent\n",
		st->compiled, st->fgraph, st->libtraceevent);
	for (int id = 0; id < TD_NR_TYPES; id++) {
		struct tep_event *ev;

		if (!st->by_type[id])
			continue;
		ev = tep_find_event(r->tep, id);
		fprintf(stderr, "  libtraceevent: %s:%s %u%s\n", ev ? ev->system : "?",
			ev ? ev->name : "?", st->by_type[id],
			ev && ev->handler ? " (plugin)" : "");
	}
}

static void stats_free(struct report_stats *st)
{
	if (st)
		free(st->by_type);
	free(st);
}

/* ------------------------------------------------------------------------- */
/* Printing */

/* "%*s: " of the buffer's name, or as many blanks for the top level; made once per stream. */
static void put_label(struct report *r, struct report_stream *s)
{
	if (!s->label_text) {
		size_t len = s->label ? strlen(s->label) : 0;
		char *p = s->label_text = xmalloc(r->label_width + len + 2);

		for (int i = len; i < r->label_width; i++)
			*p++ = ' ';
		memcpy(p, s->label ? s->label : "", len);
		p += len;
		*p++ = s->label ? ':' : ' ';
		*p++ = ' ';
		s->label_len = p - s->label_text;
	}
	report_out_write(&r->out, s->label_text, s->label_len);
}

static void put_dropped(struct report *r, const struct tep_record *rec)
{
	char line[80];
	int n;

	if (r->color)
		report_out_puts(&r->out, "\033[1;31m");
	if (rec->missed_events > 0)
		n = snprintf(line, sizeof(line), "CPU:%d [%lld EVENTS DROPPED]\n", rec->cpu,
			     (long long)rec->missed_events);
	else
		n = snprintf(line, sizeof(line), "CPU:%d [EVENTS DROPPED]\n", rec->cpu);
	if (r->color)
		n--;	/* the reset goes before the newline */
	report_out_write(&r->out, line, n);
	if (r->color)
		report_out_puts(&r->out, "\033[0m\n");
}

/*
 * An id the file has no format for: trace-cmd 3.1.6 prints libtraceevent's
 * "[UNKNOWN EVENT]" for the prefix and the time, then "(NULL)" as the name.
 */
static void put_unknown_prefix(struct report *r)
{
	char *p = report_out_reserve(&r->out, 64);

	memcpy(p, "[UNKNOWN EVENT][UNKNOWN EVENT]", 30);
	p = report_put_event_name(p + 30, "(NULL)");
	report_out_commit(&r->out, p);
}

/* INFO through libtraceevent into r->seq, as trace-cmd prints it; its length. */
static size_t format_info(struct report *r, struct report_stream *s, struct tep_record *rec)
{
	size_t len;

	/* the handler (fgraph) may move the iterator: rec is not used after this */
	fgraph_set_iter(r->fgraph, s ? s->it : NULL);
	trace_seq_reset(&r->seq);
	/* a corrupt record would make libtraceevent read past it (tracedat.h) */
	if (td_record_left_out(r->file, rec)) {
		trace_seq_puts(&r->seq, "[UNKNOWN EVENT]");	/* libtraceevent's, for no event */
	} else if (td_record_printable(r->file, report_cache_event(r->cache, rec), rec)) {
		tep_print_event(r->tep, &r->seq, rec, "%s", r->info_fmt);
		report_cache_comms_stale(r->cache);	/* a plugin may have named a task */
	} else
		trace_seq_puts(&r->seq, "[record does not fit its event's format]");

	/* trace-cmd prints the line with "%.*s": it ends at a NUL, and one '\n' goes */
	len = strnlen(r->seq.buffer, r->seq.len);
	if (len && r->seq.buffer[len - 1] == '\n')
		len--;
	return len;
}

static void print_info(struct report *r, struct report_stream *s, struct tep_record *rec)
{
	size_t len = format_info(r, s, rec);
	char *p = report_out_reserve(&r->out, len + 1);

	memcpy(p, r->seq.buffer, len);
	p[len] = '\n';
	report_out_commit(&r->out, p + len + 1);
}

/*
 * INFO from the event's compiled print format, when it has one. Until the
 * format has matched libtraceevent on a few records, both are computed and
 * libtraceevent's text is the one printed.
 */
static bool print_info_fast(struct report *r, struct tep_event *ev, struct tep_record *rec)
{
	struct fast_fmt *ff = r->fast ? report_fast_get(r->fast, ev) : NULL;
	char *p;
	int n;

	if (!ff || !report_fast_usable(ff))
		return false;
	p = report_out_reserve(&r->out, report_fast_max_len(ff) + 1);
	n = report_fast_format(ff, r->tep, rec, p);
	if (report_fast_comms_changed(r->fast))	/* a plugin's printer named a task */
		report_cache_comms_stale(r->cache);
	if (n < 0)
		return false;
	if (n && p[n - 1] == '\n')	/* as format_info() */
		n--;
	if (!report_fast_trusted(ff)) {
		size_t len = format_info(r, NULL, rec);
		bool same = len == (size_t)n && !memcmp(p, r->seq.buffer, len);

		report_fast_verdict(ff, same);
		if (!same)
			return false;
	}
	p[n] = '\n';
	report_out_commit(&r->out, p + n + 1);
	return true;
}

static void print_record(struct report *r, struct report_stream *s, struct tep_record *rec)
{
	struct tep_event *ev = report_cache_event(r->cache, rec);
	char *p;

	if (r->label_width >= 0)
		put_label(r, s);
	if (rec->missed_events)
		put_dropped(r, rec);

	if (ev) {
		int pid = report_cache_pid(r->cache, rec), len, name_len;
		const char *prefix = report_cache_comm_pid(r->cache, pid, &len);
		const char *comm = prefix ? NULL : report_cache_comm(r->cache, pid);
		const char *name = r->color ? NULL : report_cache_event_name(r->cache, ev, &name_len);

		p = report_out_reserve(&r->out, (comm ? strlen(comm) : (size_t)len) + 40 +
					      REPORT_TIME_MAX +
					      (name ? (size_t)name_len : strlen(ev->name) + 24) +
					      REPORT_COLOR_MAX);
		if (prefix) {
			memcpy(p, prefix, len);
			p = report_put_cpu(p + len, rec->cpu);
		} else {
			p = report_put_comm_pid_cpu(p, comm, pid, rec->cpu);
		}
		p = report_put_time(p, shown_ts(r, rec->ts), s->tmode);
		if (name) {
			memcpy(p, name, name_len);
			p += name_len;
		} else if (r->color) {
			p = report_put_event_name_color(p, ev->name, report_event_color(ev->id));
		} else {
			p = report_put_event_name(p, ev->name);
		}
		report_out_commit(&r->out, p);
	} else {
		put_unknown_prefix(r);
	}

	/* -R prints the fields of every event, these two included */
	if (ev && !r->o->raw && fgraph_prints(r->fgraph, ev) && td_record_printable(r->file, ev, rec)) {
		fgraph_print_line(r->fgraph, s->it, rec, ev, &r->out);
		if (r->stats)
			r->stats->fgraph++;
	} else if (ev && print_info_fast(r, ev, rec)) {
		if (r->stats)
			r->stats->compiled++;
	} else {
		stats_count_slow(r, ev);
		print_info(r, s, rec);
	}
}

/* The next record in timestamp order; a tie goes to the earlier buffer. */
static struct tep_record *next_record(struct report *r, struct report_stream **from)
{
	struct report_stream *best = NULL;
	struct tep_record *best_rec = NULL;

	if (r->nr_streams == 1) {
		*from = &r->streams[0];
		return td_iter_next(r->streams[0].it);
	}
	/* only the stream the last record came from has moved: the others' peeks hold */
	for (int i = 0; i < r->nr_streams; i++) {
		struct report_stream *s = &r->streams[i];

		if (!s->peek_valid) {
			s->peeked = td_iter_peek(s->it);
			s->peek_valid = true;
		}
		if (s->peeked && (!best_rec || s->peeked->ts < best_rec->ts)) {
			best_rec = s->peeked;
			best = s;
		}
	}
	if (!best)
		return NULL;
	*from = best;
	best->peek_valid = false;
	return td_iter_next(best->it);
}

static int check_iter_errors(struct report *r)
{
	for (int i = 0; i < r->nr_streams; i++)
		if (td_iter_error(r->streams[i].it))
			return -1;
	return 0;
}

/* Tell the view the buffer of its next record, when it is not the last one's. */
static void view_buffer(struct report *r, const struct report_stream *s,
			const struct report_stream **last)
{
	if (s == *last || !r->view->buffer)
		return;
	if (!*last || s->label != (*last)->label)
		r->view->buffer(r->view->ctx, s->label);
	*last = s;
}

static int print_records(struct report *r)
{
	const struct report_stream *last = NULL;
	struct report_stream *s;
	struct tep_record *rec;

	while ((rec = next_record(r, &s))) {
		if (!record_wanted(r, rec)) {
			if (r->view && r->view->lost && rec->missed_events)
				r->view->lost(r->view->ctx, rec);
			continue;
		}
		if (r->view) {
			view_buffer(r, s, &last);
			r->view->record(r->view->ctx, r->tep, r->fgraph, rec);
			continue;
		}
		print_record(r, s, rec);
		if (r->out.error)
			return -1;
	}
	return check_iter_errors(r);
}

/* Latency-tracer buffers are the kernel's own text: trace-cmd prints it as is. */
static void print_latency_text(struct report *r)
{
	for (int i = 0; i < td_nr_buffers(r->file); i++) {
		const struct td_buffer *b = td_get_buffer(r->file, i);

		if (b && b->latency && b->text.size)
			report_out_write(&r->out, b->text.data, b->text.size);
	}
}

/* ------------------------------------------------------------------------- */
/* The other outputs: -E, --stat, --uname, --version */

static void print_event_list(struct report *r)
{
	struct tep_event **events = tep_list_events(r->tep, TEP_EVENT_SORT_SYSTEM);

	for (int i = 0; events && events[i]; i++) {
		if (events[i]->system) {
			report_out_puts(&r->out, events[i]->system);
			report_out_write(&r->out, ":", 1);
		}
		report_out_puts(&r->out, events[i]->name);
		report_out_write(&r->out, "\n", 1);
	}
}

/*
 * The CPUSTAT options as trace-cmd concatenates them: every option's payload,
 * its final NUL turned into a newline, instances' "Buffer: NAME" ones included.
 * Options sections are never compressed by trace-cmd, so their bytes are read
 * straight from the file; NULL if they cannot be.
 */
static char *read_cpustat_options(struct report *r, int fd)
{
	struct strbuf { char *p; size_t len; } all = { NULL, 0 };

	for (int i = 0; i < td_nr_items(r->file); i++) {
		const struct td_item *it = td_get_item(r->file, i);
		size_t len;

		if (it->kind != TD_ITEM_OPTION || it->id != 2 /* CPUSTAT */ || it->size < 6)
			continue;
		len = it->size - 6;
		all.p = xrealloc(all.p, all.len + len + 1);
		if (pread(fd, all.p + all.len, len, it->offset + 6) != (ssize_t)len) {
			free(all.p);
			return NULL;
		}
		if (len && all.p[all.len + len - 1] == '\0')
			all.p[all.len + len - 1] = '\n';
		all.len += len;
	}
	if (all.p)
		all.p[all.len] = '\0';
	return all.p;
}

/* Bytes of ring-buffer pages in one CPU's compressed data: the chunks' uncompressed sizes. */
static uint64_t uncompressed_size(int fd, const struct td_cpu_data *c)
{
	uint64_t pos = c->offset + 4, total = 0;
	uint32_t chunks, sizes[2];

	if (pread(fd, &chunks, 4, c->offset) != 4)
		return 0;
	for (uint32_t i = 0; i < chunks; i++) {
		if (pread(fd, sizes, 8, pos) != 8)
			return total;
		total += sizes[1];
		pos += 8 + (uint64_t)sizes[0];
	}
	return total;
}

/*
 * Where trace-cmd says each top-level CPU's data is: the file offset and size,
 * or for compressed data, where it lands once decompressed (one page in, CPU
 * after CPU). trace-cmd 3.1.6 lists CPU 0 up to the highest CPU with data,
 * so with data on CPU 1 only it shows an empty CPU 0; so do we.
 */
static uint64_t v6_empty_cpu_offset(const struct td_buffer *buf, int cpu)
{
	uint64_t end = 0, page = buf->page_size ? buf->page_size : 4096;

	/* trace-cmd writes an empty CPU's offset as where the next CPU's data starts */
	for (int i = 0; i < buf->nr_cpus; i++) {
		const struct td_cpu_data *c = &buf->cpus[i];

		if (c->cpu > cpu)
			return c->offset;
		end = (c->offset + c->size + page - 1) / page * page;
	}
	return end;
}

static void print_cpu_data(struct report *r, int fd)
{
	for (int b = 0; b < td_nr_buffers(r->file); b++) {
		const struct td_buffer *buf = td_get_buffer(r->file, b);
		uint64_t offset = buf ? buf->page_size : 0;
		int nr = 0;

		if (!buf || buf->latency || (buf->name && buf->name[0]))
			continue;
		for (int i = 0; i < buf->nr_cpus; i++)
			if (buf->cpus[i].cpu >= nr)
				nr = buf->cpus[i].cpu + 1;
		/* a v6 file's CPU table lists every CPU, empty ones too */
		if (r->meta->file_version == 6 && r->meta->nr_cpus > nr)
			nr = r->meta->nr_cpus;
		for (int cpu = 0; cpu < nr; cpu++) {
			uint64_t at = 0, size = 0;
			char line[128];

			if (r->meta->file_version == 6 && !buf->compressed)
				at = v6_empty_cpu_offset(buf, cpu);

			for (int i = 0; i < buf->nr_cpus; i++) {
				const struct td_cpu_data *c = &buf->cpus[i];

				if (c->cpu != cpu)
					continue;
				at = c->offset;
				size = c->size;
				if (buf->compressed) {
					size = uncompressed_size(fd, c);
					at = offset;
					offset += size;
				}
			}
			snprintf(line, sizeof(line), "CPU%d data recorded at offset=0x%llx\n"
				 "    %llu bytes in size\n", cpu, (unsigned long long)at,
				 (unsigned long long)size);
			report_out_puts(&r->out, line);
		}
	}
}

static void print_stats(struct report *r)
{
	int fd = open(r->o->input, O_RDONLY);
	char *text = fd >= 0 ? read_cpustat_options(r, fd) : NULL;

	report_out_puts(&r->out, "\nKernel buffer statistics:\n"
			"  Note: \"entries\" are the entries left in the kernel ring buffer and are not\n"
			"        recorded in the trace data. They should all be zero.\n\n");
	if (text) {
		report_out_puts(&r->out, text);
		report_out_write(&r->out, "\n", 1);
	} else {
		report_out_puts(&r->out, " No stats in this file\n");
	}
	if (fd >= 0) {
		print_cpu_data(r, fd);
		close(fd);
	}
	free(text);
}

/*
 * --first-event / --last-event: the first or last timestamp of each top-level
 * CPU with data, as trace-cmd lists them (rounded to microseconds, or in ns
 * with -t).
 */
static int print_first_last(struct report *r)
{
	const char *input = r->o->input;
	char line[128];

	snprintf(line, sizeof(line), "List of CPUs in %s with data:\n", input);
	report_out_puts(&r->out, line);
	for (int b = 0; b < td_nr_buffers(r->file); b++) {
		const struct td_buffer *buf = td_get_buffer(r->file, b);

		if (!buf || buf->latency || (buf->name && buf->name[0]))
			continue;
		for (int i = 0; i < buf->nr_cpus; i++) {
			int cpu = buf->cpus[i].cpu;
			bool *mask = xcalloc(cpu + 1, sizeof(bool));
			struct td_iter *it;
			struct tep_record *rec;
			enum report_time_mode tmode;
			char tbuf[REPORT_TIME_MAX], *p, *end;
			uint64_t ts = 0;
			bool found = false;
			int skip;

			mask[cpu] = true;
			it = td_iter_new(r->file, b, mask, cpu + 1);
			free(mask);
			if (!it)
				return -1;
			while ((rec = td_iter_next(it))) {
				ts = rec->ts;
				found = true;
				if (r->o->first_event)
					break;
			}
			td_iter_free(it);
			if (!found)
				continue;
			p = line + snprintf(line, sizeof(line), "  %d\t%s event:", cpu,
					    r->o->first_event ? "First" : "Last");
			/* trace-cmd: "%5llu.%06llu" right after the colon, no ':' after it */
			tmode = time_mode(r, buf);
			end = report_put_time(tbuf, shown_ts(r, ts), tmode);
			skip = tmode == REPORT_TIME_RAW ? 0 : 1;
			memcpy(p, tbuf + skip, end - tbuf - skip - 1);
			p += end - tbuf - skip - 1;
			*p++ = '\n';
			report_out_write(&r->out, line, p - line);
		}
	}
	return 0;
}

static void print_optional(struct report *r, const char *val, const char *what)
{
	if (val) {
		report_out_puts(&r->out, val);
		report_out_write(&r->out, "\n", 1);
	} else {
		report_out_puts(&r->out, " ");
		report_out_puts(&r->out, what);
		report_out_puts(&r->out, " was not recorded in this file\n");
	}
}

static void print_cpus_line(struct report *r)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "cpus=%d\n", r->meta->nr_cpus);

	report_out_write(&r->out, line, n);
}

/* ------------------------------------------------------------------------- */

static int run(struct report *r)
{
	const struct report_opts *o = r->o;
	const struct report_consumer *view = r->view;

	r->file = td_open(o->input ? o->input : "trace.dat");
	if (!r->file)
		return -1;
	r->meta = td_get_meta(r->file);
	setup_timestamps(r);
	r->reads_records = !o->list_events && !o->version && !o->uname && !o->stat &&
			   !o->first_event && !o->last_event;
	if (setup_tep(r) < 0)
		return -1;

	if (o->list_events) {
		print_event_list(r);
		return 0;
	}
	if (!o->first_event && !o->last_event && !view)
		print_cpus_line(r);
	/* as in trace-cmd: --version wins over --uname, which wins over --stat */
	if (o->version || o->uname) {
		if (!o->version)
			print_optional(r, r->meta->uname, "uname");
		print_optional(r, r->meta->version, "version");
		return 0;
	}
	if (o->stat) {
		print_stats(r);
		return 0;
	}
	if (o->first_event || o->last_event)
		return print_first_last(r);
	if (!view)
		print_latency_text(r);
	if (view && view->start && view->start(view->ctx, r->tep, r->meta) < 0)
		return -1;
	if (setup_filters(r) < 0 || setup_streams(r) < 0 || print_records(r) < 0)
		return -1;
	if (view && view->done) {
		if (report_out_flush(&r->out) < 0)
			return -1;
		return view->done(view->ctx, r->out.fd);
	}
	return 0;
}

int report_run(const struct report_opts *o, const struct report_consumer *view, int fd)
{
	struct report r = { .o = o, .view = view, .label_width = -1 };
	int ret;

	trace_seq_init(&r.seq);
	report_out_init(&r.out, fd);
	r.color = !view && report_use_color(o->color, fd);
	if (!view && getenv("SIDETRACE_REPORT_STATS")) {
		r.stats = xcalloc(1, sizeof(*r.stats));
		r.stats->by_type = xcalloc(TD_NR_TYPES, sizeof(*r.stats->by_type));
	}

	ret = run(&r);
	if (ret == 0)
		stats_print(&r);
	if (report_out_flush(&r.out) < 0)
		ret = -1;
	/* After the records (streams were read) and below them: a -g/-l function that never ran. */
	if (ret == 0 && r.nr_streams)
		ftrace_hints_warn(r.file);
	if (o->exiting) {
		if (r.file)
			td_final_warnings(r.file);
		return ret;
	}

	for (int i = 0; i < r.nr_streams; i++) {
		td_iter_free(r.streams[i].it);
		free(r.streams[i].label_text);
	}
	free(r.streams);
	for (int i = 0; i < r.nr_filters; i++)
		tep_filter_free(r.filters[i]);
	free(r.filters);
	if (r.plugins)
		tep_unload_plugins(r.plugins, r.tep);
	ucall_events_free(r.ucalls);
	ustack_report_free(r.ustacks);
	fgraph_free(r.fgraph);
	report_fast_free(r.fast);
	stats_free(r.stats);
	report_cache_free(r.cache);
	if (r.file)
		td_close(r.file);
	trace_seq_destroy(&r.seq);
	report_out_free(&r.out);
	return ret;
}
