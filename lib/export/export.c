// SPDX-License-Identifier: LGPL-2.1
/*
 * The exports in a report run (export.h).
 */
#include "export/export.h"
#include "callgraph/calltree.h"
#include "export/export_chrome.h"
#include "export/export_flame.h"
#include "export/export_folded.h"
#include "export/export_speedscope.h"
#include "outfile/outfile.h"
#include "report/report.h"
#include "report/report_calls.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#define MAX_STACK_FRAMES 256

struct export {
	const struct export_opts *e;
	struct report_calls *rc;
	struct chrome *chrome;
	struct speedscope *speedscope;
	struct report_consumer consumer;
	const struct report_consumer *inner;	/* chrome's or report_calls' */
	struct calltree_observer quiet;		/* no callbacks: a trace without calls is fine */
	struct report_calls_hooks hooks;	/* the builder's: view() below */
	struct stacks *samples;			/* kernel_stack events, for folded/flame */
	struct tep_handle *tep;
	int stack_id;				/* ftrace:kernel_stack, -1 if absent */
	struct tep_format_field *stack_size, *stack_caller;
	bool looked_up;
	char *lost;				/* lost_text(), for the pictures */
	uint64_t first_ts, last_ts;		/* the records' time range */
};

bool export_wanted(const struct export_opts *e)
{
	return e->format != EXPORT_NONE || e->flamegraph;
}

int export_parse_format(struct export_opts *e, const char *arg)
{
	if (!strcmp(arg, "chrome") || !strcmp(arg, "perfetto") || !strcmp(arg, "json"))
		e->format = EXPORT_CHROME;
	else if (!strcmp(arg, "folded"))
		e->format = EXPORT_FOLDED;
	else if (!strcmp(arg, "speedscope"))
		e->format = EXPORT_SPEEDSCOPE;
	else if (!strcmp(arg, "text"))
		e->format = EXPORT_NONE;
	else {
		st_set_error("--format takes chrome, speedscope, folded or text, not '%s'", arg);
		return -1;
	}
	return 0;
}

int export_parse_width(struct export_opts *e, const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || v < FLAME_MIN_WIDTH || v > FLAME_MAX_WIDTH) {
		st_set_error("--width: '%s' is not a number of pixels from %d to %d", arg,
			     FLAME_MIN_WIDTH, FLAME_MAX_WIDTH);
		return -1;
	}
	e->width = (int)v;
	return 0;
}

int export_parse_min_width(struct export_opts *e, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0 && v <= FLAME_MAX_WIDTH)) {
		st_set_error("--min-width: '%s' is not a number of pixels (e.g. 0.1)", arg);
		return -1;
	}
	e->min_width = v;
	e->min_width_given = true;
	return 0;
}

static const char *format_name(enum export_format f)
{
	static const char *const names[] = {
		[EXPORT_NONE] = "text", [EXPORT_CHROME] = "chrome", [EXPORT_FOLDED] = "folded",
		[EXPORT_SPEEDSCOPE] = "speedscope",
	};

	return names[f];
}

int export_check_options(const struct export_opts *e, const struct report_opts *o,
			 const struct report_calls_opts *calls)
{
	if (e->count && e->format != EXPORT_FOLDED) {
		st_set_error("--count needs --format folded");
		return -1;
	}
	if ((e->icicle || e->title || e->width || e->min_width_given || e->min_width > 0) &&
	    !e->flamegraph) {
		st_set_error("--%s needs --flamegraph FILE", e->icicle ? "icicle" :
			     e->title ? "title" : e->width ? "width" : "min-width");
		return -1;
	}
	if (e->flamegraph && !strcmp(e->flamegraph, "-") && e->format != EXPORT_NONE) {
		/* two documents on one stream: neither would parse */
		st_set_error("--flamegraph - and --format %s both write to standard output: "
			     "give the flame graph a file", format_name(e->format));
		return -1;
	}
	if (export_wanted(e) && report_calls_wanted(calls)) {
		st_set_error("--graph and --profile cannot be combined with --format %s",
			     e->format == EXPORT_NONE ? "or --flamegraph" : format_name(e->format));
		return -1;
	}
	if (export_wanted(e) && (o->raw || o->list_events || o->stat || o->uname || o->version ||
				 o->first_event || o->last_event)) {
		st_set_error("--format and --flamegraph print the records: not with -R, -E, "
			     "--stat, --uname, --version, --first-event or --last-event");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------- */
/* Stack traces (function tracer with --func-stack) */

static void find_stack_event(struct export *x, struct tep_handle *tep)
{
	struct tep_event *ev = tep_find_event_by_name(tep, "ftrace", "kernel_stack");

	x->looked_up = true;
	x->tep = tep;
	x->stack_id = -1;
	if (!ev)
		return;
	x->stack_size = tep_find_field(ev, "size");
	x->stack_caller = tep_find_field(ev, "caller");
	if (x->stack_size && x->stack_caller)
		x->stack_id = ev->id;
}

/* One kernel_stack record: its frames, outermost first, as one sample. */
static void add_stack(struct export *x, struct tep_record *rec)
{
	const char *frames[MAX_STACK_FRAMES];
	char hex[MAX_STACK_FRAMES][20];
	unsigned long long size;
	int off = x->stack_caller->offset, nr = 0, pid = tep_data_pid(x->tep, rec);
	int room = rec->size > off ? (rec->size - off) / 8 : 0;

	if (td_field_number(x->stack_size, rec, &size) < 0)
		return;
	if ((unsigned long long)room > size)
		room = (int)size;
	if (room > MAX_STACK_FRAMES)
		room = MAX_STACK_FRAMES;
	for (int i = 0; i < room; i++) {
		const char *at = (const char *)rec->data + off + 8 * i;
		unsigned long long addr = tep_read_number(x->tep, at, 8);
		const char *name;

		if (!addr || addr == ~0ULL)
			break;
		name = tep_find_function(x->tep, addr);
		if (!name) {
			snprintf(hex[nr], sizeof(hex[nr]), "%llx", addr);
			name = hex[nr];
		}
		frames[nr++] = name;
	}
	/*
	 * The tracer's own frames are on top: ftrace_caller and friends, and the
	 * trampoline ftrace allocated for this recording, which kallsyms does not
	 * know (so it is still a hex address here).
	 */
	while (nr && (!strncmp(frames[0], "ftrace_", 7) ||
		      (frames[0] >= hex[0] && frames[0] < hex[0] + sizeof(hex)))) {
		memmove(frames, frames + 1, (nr - 1) * sizeof(*frames));
		nr--;
	}
	/* the stack lists the innermost frame first */
	for (int i = 0; i < nr / 2; i++) {
		const char *t = frames[i];

		frames[i] = frames[nr - 1 - i];
		frames[nr - 1 - i] = t;
	}
	if (nr)
		stacks_add_sample(x->samples, pid ? tep_data_comm_from_pid(x->tep, pid) : "<idle>",
				  frames, nr, 1);
}

/* ------------------------------------------------------------------------- */
/* The consumer: records to chrome or report_calls, stack traces to samples */

static void on_record(void *ctx, struct tep_handle *tep, const struct fgraph *fg,
		      struct tep_record *rec)
{
	struct export *x = ctx;

	if (!x->looked_up)
		find_stack_event(x, tep);
	if (!x->first_ts || rec->ts < x->first_ts)
		x->first_ts = rec->ts;
	if (rec->ts > x->last_ts)
		x->last_ts = rec->ts;
	x->inner->record(x->inner->ctx, tep, fg, rec);
	if (x->samples && x->stack_id >= 0 && report_calls_record_type(x->rc, rec) == x->stack_id)
		add_stack(x, rec);
}

static void on_lost(void *ctx, const struct tep_record *rec)
{
	struct export *x = ctx;

	if (x->inner->lost)
		x->inner->lost(x->inner->ctx, rec);
}

static int on_start(void *ctx, struct tep_handle *tep, const struct td_meta *meta)
{
	struct export *x = ctx;

	return x->inner->start ? x->inner->start(x->inner->ctx, tep, meta) : 0;
}

static void on_buffer(void *ctx, const char *instance)
{
	struct export *x = ctx;

	if (x->inner->buffer)
		x->inner->buffer(x->inner->ctx, instance);
}

static int on_done(void *ctx, int fd)
{
	struct export *x = ctx;

	return x->inner->done(x->inner->ctx, fd);
}

/* Through a temporary that replaces FILE once complete (outfile.h); "-" is standard output. */
static int write_flamegraph(const struct export *x, const struct stacks *s)
{
	const struct outfile_opts how = { .mode = OUTFILE_PUBLIC };
	const struct export_opts *e = x->e;
	struct flame_opts fo = {
		.icicle = e->icicle, .subtitle = x->lost, .title = e->title, .width = e->width,
		.min_width = e->min_width_given || e->min_width > 0 ? e->min_width :
			     FLAME_DEFAULT_MIN_WIDTH,
		.source = e->source, .first_ts = x->first_ts, .last_ts = x->last_ts,
	};
	struct outfile *out = outfile_open(x->e->flamegraph, &how);
	FILE *f;
	int fd, ret;

	if (!out)
		return -1;
	fd = dup(outfile_fd(out));
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		st_set_error("cannot write %s: %s", outfile_name(out), strerror(errno));
		if (fd >= 0)
			close(fd);
		outfile_close(out);
		return -1;
	}
	ret = flame_write_svg(f, s, &fo);
	if (fclose(f) != 0 && !ret) {
		st_set_error("writing %s: %s", outfile_name(out), strerror(errno));
		ret = -1;
	}
	if (!ret)
		ret = outfile_commit(out);
	outfile_close(out);
	return ret;
}

/*
 * "lost events on CPU 0: 12, on CPU 1: unknown number" (malloc'd), or NULL
 * when the trace lost none: what --graph says in its "# lost events" lines.
 */
static char *lost_text(const struct calltree *ct)
{
	char *text = NULL;

	for (int cpu = -1; cpu < calltree_nr_cpus(ct); cpu++) {
		char where[32] = "", count[32] = "unknown number";
		uint64_t n;
		bool known;
		char *more;

		if (!calltree_cpu_lost(ct, cpu, &n, &known))
			continue;
		if (cpu >= 0)
			snprintf(where, sizeof(where), " on CPU %d", cpu);
		if (known)
			snprintf(count, sizeof(count), "%" PRIu64, n);
		more = text ? xasprintf("%s, %s: %s", text, where + 1, count) :
			      xasprintf("lost events%s: %s", where, count);
		free(text);
		text = more;
	}
	return text;
}

/* The end of the run: the tree is finished (report_calls' view hook). */
static int view(void *ctx, const struct calltree *ct, FILE *out)
{
	struct export *x = ctx;
	const struct export_opts *e = x->e;
	struct stacks *s = NULL;
	char *lost = lost_text(ct);
	int ret = 0;

	/* every picture of an incomplete trace says so, on stderr and, if it can, inside */
	if (lost)
		st_warn("%s; the calls around them may be incomplete", lost);
	x->lost = lost;
	if (x->chrome)
		ret = chrome_view(x->chrome, ct, out);
	if (x->speedscope)
		ret = speedscope_write(x->speedscope, ct, out, e->source, lost);
	if (ret < 0 || (e->format != EXPORT_FOLDED && !e->flamegraph))
		return ret;
	if (calltree_nr_tasks(ct) || !x->samples || !stacks_root(x->samples)->nr_kids) {
		s = stacks_new();
		stacks_add_calltree(s, ct);
	}
	if (!stacks_root(s ? s : x->samples)->nr_kids) {
		st_set_error("no calls or stack traces to show (record with -p function_graph, "
			     "-p function --func-stack, or user calls)");
		stacks_free(s);
		return -1;
	}
	if (!s)
		s = x->samples, x->samples = NULL;
	stacks_sort(s);
	if (e->format == EXPORT_FOLDED)
		ret = stacks_write_folded(s, out, e->count);
	if (!ret && e->flamegraph)
		ret = write_flamegraph(x, s);
	stacks_free(s);
	return ret;
}

struct export *export_new(const struct export_opts *e, const struct report_calls_opts *calls,
			  int fd)
{
	struct export *x = xcalloc(1, sizeof(*x));

	x->e = e;
	x->stack_id = -1;
	if (e->format == EXPORT_CHROME)
		x->chrome = chrome_new(fd);
	if (e->format == EXPORT_SPEEDSCOPE)
		x->speedscope = speedscope_new();
	x->hooks = (struct report_calls_hooks){
		.view = view, .ctx = x,
		.observer = x->chrome ? chrome_observer(x->chrome) :
			    x->speedscope ? speedscope_observer(x->speedscope) : &x->quiet,
	};
	if (e->format == EXPORT_FOLDED || e->flamegraph)
		x->samples = stacks_new();
	x->rc = report_calls_new(calls, &x->hooks);
	x->inner = report_calls_consumer(x->rc);
	if (x->chrome)
		x->inner = chrome_consumer(x->chrome, x->inner, x->rc);
	x->consumer = (struct report_consumer){
		.record = on_record, .done = on_done, .lost = on_lost, .start = on_start,
		.buffer = on_buffer, .ctx = x,
	};
	return x;
}

const struct report_consumer *export_consumer(struct export *x)
{
	return &x->consumer;
}

void export_free(struct export *x)
{
	if (!x)
		return;
	report_calls_free(x->rc);
	free(x->lost);
	chrome_free(x->chrome);
	speedscope_free(x->speedscope);
	stacks_free(x->samples);
	free(x);
}
