// SPDX-License-Identifier: LGPL-2.1
/*
 * The Chrome/Perfetto Trace Event Format, streamed (export_chrome.h).
 */
#include "export/export_chrome.h"
#include "callgraph/addr_ids.h"
#include "callgraph/calltree.h"
#include "report/fgraph.h"
#include "report/report.h"
#include "report/report_calls.h"
#include "tracedat/tracedat.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

enum { K_B, K_E, K_X, K_I, K_M };

/*
 * What is known of a thread: its last event's time, so that its track never
 * goes back, and its "pid":N,"tid":N, written once.
 */
struct thread {
	uint32_t key;		/* tid + 1; 0 = empty slot */
	uint8_t ids_len;
	char ids[45];
	uint64_t last_ts;
};

/* A function name as a JSON string, quoted and escaped once. */
struct json_name {
	char *text;
	size_t len;
};

/* What an event's instants repeat, written once per event: its head and its field names. */
struct event_text {
	struct tep_event *ev;
	struct json_name head;		/* {"ph":"i","s":"t","name":NAME[,"cat":SYSTEM], */
	struct json_name *keys;		/* per field: "NAME": */
	bool *code;			/* per field: is_code_address() */
	int nr_fields;
};

struct chrome {
	struct report_out out;
	struct report_consumer consumer;
	const struct report_consumer *inner;
	struct calltree_observer observer;
	struct tep_handle *tep;
	const struct fgraph *fg;
	struct thread *threads;	/* open addressing */
	size_t cap;
	size_t nr;
	const char *instance;	/* the buffer of the records, NULL for the top level */
	bool was_call;		/* the record given to inner opened or closed a call */
	bool started;		/* the header is written */
	unsigned long long counts[5];
	struct addr_ids name_of;	/* the builder's name pointer -> index in names */
	struct json_name *names;
	size_t nr_names, alloc_names;
	const struct report_calls *calls;	/* reads record types */
	struct event_text **events;	/* by event id, made on first use */
	int nr_events;
};

/* ------------------------------------------------------------------------- */
/* JSON pieces, appended to the output buffer */

static void put(struct chrome *c, const char *s)
{
	report_out_puts(&c->out, s);
}

/*
 * s[0..n) as a JSON string into p (room for 6 * n + 2 bytes): quotes,
 * backslashes and control bytes escaped; bytes >= 0x80 as \u00XX. Returns
 * the end.
 */
static char *json_string(char *p, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = s[i];

		if (ch == '"' || ch == '\\') {
			*p++ = '\\';
			*p++ = ch;
		} else if (ch < 0x20 || ch >= 0x7f) {
			memcpy(p, "\\u00", 4);
			p[4] = hex[ch >> 4];
			p[5] = hex[ch & 15];
			p += 6;
		} else {
			*p++ = ch;
		}
	}
	*p++ = '"';
	return p;
}

static void put_str(struct chrome *c, const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	report_out_commit(&c->out, json_string(report_out_reserve(&c->out, 6 * n + 2), s, n));
}

/*
 * A function name of the builder: its names are interned (one pointer per
 * name for the whole run), so each is escaped once.
 */
static void put_func_name(struct chrome *c, const char *func)
{
	int32_t i = addr_ids_get(&c->name_of, (uintptr_t)func);
	struct json_name *n;

	if (i < 0) {
		size_t len = strlen(func);
		char *text = xmalloc(6 * len + 2);

		if (c->nr_names == c->alloc_names) {
			c->alloc_names = c->alloc_names ? 2 * c->alloc_names : 256;
			c->names = xrealloc(c->names, c->alloc_names * sizeof(*c->names));
		}
		i = (int32_t)c->nr_names++;
		c->names[i] = (struct json_name){ text, json_string(text, func, len) - text };
		addr_ids_put(&c->name_of, (uintptr_t)func, i);
	}
	n = &c->names[i];
	report_out_write(&c->out, n->text, n->len);
}

static void put_u64(struct chrome *c, uint64_t v)
{
	char *p = report_out_reserve(&c->out, 24);

	report_out_commit(&c->out, report_put_u64(p, v));
}

/* ns as microseconds with 3 decimals. */
static void put_us(struct chrome *c, uint64_t ns)
{
	char *p = report_out_reserve(&c->out, 32);
	unsigned frac = ns % 1000;

	p = report_put_u64(p, ns / 1000);
	*p++ = '.';
	*p++ = '0' + frac / 100;
	*p++ = '0' + frac / 10 % 10;
	*p++ = '0' + frac % 10;
	report_out_commit(&c->out, p);
}

/* Start an event: the separator and the header of the JSON on the first. */
static void begin_event(struct chrome *c, int kind)
{
	if (!c->started) {
		put(c, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
		c->started = true;
	} else {
		put(c, ",\n");
	}
	c->counts[kind]++;
}

static void put_ids(struct chrome *c, int tid)
{
	put(c, "\"pid\":");
	put_u64(c, (uint32_t)tid);
	put(c, ",\"tid\":");
	put_u64(c, (uint32_t)tid);
}

/* ------------------------------------------------------------------------- */
/* Threads */

static int tid_of(int pid, int cpu)
{
	return pid == 0 ? CHROME_IDLE_TID + (cpu < 0 ? 0 : cpu) : pid;
}

static size_t slot_of(uint32_t key, size_t cap)
{
	return (key * 0x9e3779b1u) & (cap - 1);
}

static struct thread *find_thread(struct chrome *c, uint32_t key, bool *is_new)
{
	size_t i;

	if ((c->nr + 1) * 2 > c->cap) {
		struct thread *old = c->threads;
		size_t old_cap = c->cap;

		c->cap = c->cap ? c->cap * 2 : 64;
		c->threads = xcalloc(c->cap, sizeof(*c->threads));
		for (size_t k = 0; k < old_cap; k++) {
			if (!old[k].key)
				continue;
			i = slot_of(old[k].key, c->cap);
			while (c->threads[i].key)
				i = (i + 1) & (c->cap - 1);
			c->threads[i] = old[k];
		}
		free(old);
	}
	for (i = slot_of(key, c->cap); c->threads[i].key; i = (i + 1) & (c->cap - 1)) {
		if (c->threads[i].key == key) {
			*is_new = false;
			return &c->threads[i];
		}
	}
	c->threads[i] = (struct thread){ .key = key };
	c->nr++;
	*is_new = true;
	return &c->threads[i];
}

static void put_name_meta(struct chrome *c, int tid, const char *what, const char *name)
{
	begin_event(c, K_M);
	put(c, "{\"ph\":\"M\",\"name\":\"");
	put(c, what);
	put(c, "\",");
	put_ids(c, tid);
	put(c, ",\"args\":{\"name\":");
	put_str(c, name, SIZE_MAX);
	put(c, "}}");
}

/* "pid":TID,"tid":TID into t->ids. */
static void set_ids(struct thread *t, int tid)
{
	char *p = t->ids;

	memcpy(p, "\"pid\":", 6);
	p = report_put_u64(p + 6, (uint32_t)tid);
	memcpy(p, ",\"tid\":", 7);
	p = report_put_u64(p + 7, (uint32_t)tid);
	t->ids_len = (uint8_t)(p - t->ids);
}

/*
 * The thread's track: named on first use; *ts moved up to its last event's
 * time if it is earlier (a call closed at its start time), so the track
 * never goes back in time.
 */
static struct thread *thread_at(struct chrome *c, int pid, int cpu, uint64_t *ts)
{
	int tid = tid_of(pid, cpu);
	bool is_new;
	struct thread *t = find_thread(c, (uint32_t)tid + 1, &is_new);

	if (is_new) {
		char idle[32];
		const char *comm = "<...>";

		if (pid == 0) {
			snprintf(idle, sizeof(idle), "<idle>/%d", cpu);
			comm = idle;
		} else if (c->tep) {
			comm = tep_data_comm_from_pid(c->tep, pid);
		}
		set_ids(t, tid);
		put_name_meta(c, tid, "process_name", comm);
		put_name_meta(c, tid, "thread_name", comm);
	}
	if (*ts < t->last_ts)
		*ts = t->last_ts;
	t->last_ts = *ts;
	return t;
}

/* Returns the time to write (thread_at()). */
static uint64_t thread_ts(struct chrome *c, int pid, int cpu, uint64_t ts)
{
	thread_at(c, pid, cpu, &ts);
	return ts;
}

/* ------------------------------------------------------------------------- */
/* Calls, from the call-tree builder */

/*
 * A call is opened: nothing is written yet (its slice needs its end), but
 * the record is a call, not an instant, and its thread gets its name now.
 */
static void on_open(void *ctx, const struct ct_task *t, const char *func, uint64_t ts)
{
	struct chrome *c = ctx;

	(void)func;
	c->was_call = true;
	thread_ts(c, t->pid, t->cpu, ts);
}

/*
 * A call is closed: one complete event, from the call's start (for a
 * function_graph exit, its time minus rettime - calltime) for exactly its
 * duration, which args repeats in ns for viewers that round.
 */
static void on_close(void *ctx, const struct ct_task *t, const char *func, uint64_t start,
		     uint64_t ts, enum ct_end how)
{
	struct chrome *c = ctx;
	uint64_t dur = ts > start ? ts - start : 0;
	struct thread *thr;

	if (how != CT_END_UNFINISHED)
		c->was_call = true;
	thr = thread_at(c, t->pid, t->cpu, &ts);
	begin_event(c, K_X);
	put(c, "{\"ph\":\"X\",\"name\":");
	put_func_name(c, func);
	put(c, ",\"cat\":\"call\",");
	report_out_write(&c->out, thr->ids, thr->ids_len);
	put(c, ",\"ts\":");
	put_us(c, start);
	put(c, ",\"dur\":");
	put_us(c, dur);
	put(c, ",\"args\":{\"duration_ns\":");
	put_u64(c, dur);
	if (how == CT_END_UNFINISHED)
		put(c, ",\"unfinished\":true");
	else if (how == CT_END_NO_ENTRY)
		put(c, ",\"no_entry\":true");
	put(c, "}}");
}

/* ------------------------------------------------------------------------- */
/* Other records: instant events */

#define MAX_HEX_BYTES 64
#define JSON_SAFE_INT (1ULL << 53)

static void put_hex_bytes(struct chrome *c, const unsigned char *p, int len)
{
	static const char hex[] = "0123456789abcdef";
	char *o;

	if (len > MAX_HEX_BYTES)
		len = MAX_HEX_BYTES;
	o = report_out_reserve(&c->out, 2 * len + 4);
	*o++ = '"';
	*o++ = '0';
	*o++ = 'x';
	for (int i = 0; i < len; i++) {
		*o++ = hex[p[i] >> 4];
		*o++ = hex[p[i] & 15];
	}
	*o++ = '"';
	report_out_commit(&c->out, o);
}

/* -v (v > 0) as a JSON number */
static void put_negative(struct chrome *c, uint64_t v)
{
	char *p = report_out_reserve(&c->out, 24);

	*p++ = '-';
	report_out_commit(&c->out, report_put_u64(p, v));
}

static void put_number(struct chrome *c, const struct tep_format_field *f, uint64_t v)
{
	char buf[32];

	if (!(f->flags & (TEP_FIELD_IS_POINTER | TEP_FIELD_IS_SIGNED)) && v < JSON_SAFE_INT) {
		put_u64(c, v);	/* the common case, without printf */
		return;
	}
	if ((f->flags & TEP_FIELD_IS_SIGNED) && !(f->flags & TEP_FIELD_IS_POINTER)) {
		int shift = f->size < 8 ? 64 - 8 * f->size : 0;
		int64_t s = (int64_t)(v << shift) >> shift;

		if (s >= 0 && (uint64_t)s < JSON_SAFE_INT) {
			put_u64(c, (uint64_t)s);
			return;
		}
		if (s < 0 && s > -(int64_t)JSON_SAFE_INT) {
			put_negative(c, -(uint64_t)s);
			return;
		}
	}
	if (f->flags & TEP_FIELD_IS_POINTER) {
		snprintf(buf, sizeof(buf), "\"0x%" PRIx64 "\"", v);
	} else if ((f->flags & TEP_FIELD_IS_SIGNED) && f->size < 8) {
		int shift = 64 - 8 * f->size;

		snprintf(buf, sizeof(buf), "%" PRId64, (int64_t)(v << shift) >> shift);
	} else if ((f->flags & TEP_FIELD_IS_SIGNED) && (int64_t)v < 0) {
		if ((int64_t)v > -(int64_t)JSON_SAFE_INT)
			snprintf(buf, sizeof(buf), "%" PRId64, (int64_t)v);
		else
			snprintf(buf, sizeof(buf), "\"%" PRId64 "\"", (int64_t)v);
	} else if (v < JSON_SAFE_INT) {
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
	} else {
		snprintf(buf, sizeof(buf), "\"0x%" PRIx64 "\"", v);
	}
	put(c, buf);
}

/* Where a field's bytes are in the record; false if outside it. */
static bool field_bytes(struct chrome *c, const struct tep_format_field *f,
			const struct tep_record *rec, const unsigned char **p, int *len)
{
	*p = td_field_bytes(f, rec, len);
	return *p;
}

/* Fields that hold a kernel text address, as report prints them (%ps). */
static bool is_code_address(const struct tep_format_field *f)
{
	return !strcmp(f->name, "ip") || !strcmp(f->name, "parent_ip") ||
	       !strcmp(f->name, "call_site");
}

/* A kernel text address as its function (+offset), from the file's kallsyms; false if unknown. */
static bool put_symbol(struct chrome *c, uint64_t addr)
{
	const char *func = tep_find_function(c->tep, addr);
	uint64_t start;
	char sym[256];

	if (!func)
		return false;
	start = tep_find_function_address(c->tep, addr);
	if (addr > start)
		snprintf(sym, sizeof(sym), "%s+0x%" PRIx64, func, addr - start);
	else
		snprintf(sym, sizeof(sym), "%s", func);
	put_str(c, sym, SIZE_MAX);
	return true;
}

static void put_field(struct chrome *c, const struct tep_format_field *f,
		      const struct tep_record *rec)
{
	const unsigned char *p;
	int len;

	if (!field_bytes(c, f, rec, &p, &len)) {
		put(c, "null");
		return;
	}
	if (f->flags & TEP_FIELD_IS_STRING) {
		put_str(c, (const char *)p, strnlen((const char *)p, len));
	} else if ((f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC)) ||
		   !(len == 1 || len == 2 || len == 4 || len == 8)) {
		put_hex_bytes(c, p, len);
	} else {
		uint64_t v = tep_read_number(c->tep, p, len);

		if (!is_code_address(f) || !put_symbol(c, v))
			put_number(c, f, v);
	}
}

static struct json_name json_text(const char *before, const char *s, const char *after)
{
	size_t nb = strlen(before), n = strlen(s), na = strlen(after);
	char *text = xmalloc(nb + 6 * n + 2 + na), *p = text;

	memcpy(p, before, nb);
	p = json_string(p + nb, s, n);
	memcpy(p, after, na);
	return (struct json_name){ text, p + na - text };
}

static struct event_text *new_event_text(struct tep_event *ev)
{
	struct event_text *et = xcalloc(1, sizeof(*et));
	struct json_name name = json_text("{\"ph\":\"i\",\"s\":\"t\",\"name\":", ev->name, "");
	int i = 0;

	et->ev = ev;
	if (ev->system) {
		struct json_name cat = json_text(",\"cat\":", ev->system, ",");

		et->head.text = xasprintf("%.*s%.*s", (int)name.len, name.text, (int)cat.len,
					  cat.text);
		et->head.len = name.len + cat.len;
		free(cat.text);
		free(name.text);
	} else {
		et->head.text = xasprintf("%.*s,", (int)name.len, name.text);
		et->head.len = name.len + 1;
		free(name.text);
	}
	for (struct tep_format_field *f = ev->format.fields; f; f = f->next)
		et->nr_fields++;
	et->keys = xcalloc(et->nr_fields + 1, sizeof(*et->keys));
	et->code = xcalloc(et->nr_fields + 1, sizeof(*et->code));
	for (struct tep_format_field *f = ev->format.fields; f; f = f->next, i++) {
		et->keys[i] = json_text("", f->name, ":");
		et->code[i] = is_code_address(f);
	}
	return et;
}

static void free_event_text(struct event_text *et)
{
	if (!et)
		return;
	for (int i = 0; i < et->nr_fields; i++)
		free(et->keys[i].text);
	free(et->keys);
	free(et->code);
	free(et->head.text);
	free(et);
}

/* The texts of rec's event (NULL if it has none): tep_find_event_by_record(), by id once. */
static struct event_text *event_text_of(struct chrome *c, struct tep_record *rec)
{
	int id = c->calls ? report_calls_record_type(c->calls, rec) : tep_data_type(c->tep, rec);
	struct tep_event *ev;

	if (id >= 0 && id < c->nr_events && c->events[id])
		return c->events[id];
	ev = tep_find_event(c->tep, id);
	if (!ev || id < 0 || id >= 1 << 16)
		return NULL;
	if (id >= c->nr_events) {
		c->events = xrealloc(c->events, (id + 1) * sizeof(*c->events));
		memset(c->events + c->nr_events, 0, (id + 1 - c->nr_events) * sizeof(*c->events));
		c->nr_events = id + 1;
	}
	c->events[id] = new_event_text(ev);
	return c->events[id];
}

/* An instant with its event's texts made once (event_text_of()). */
static void put_known_instant(struct chrome *c, struct tep_record *rec, struct event_text *et)
{
	int pid = tep_data_pid(c->tep, rec);
	uint64_t ts = thread_ts(c, pid, rec->cpu, rec->ts);
	bool first = true;
	int i = 0;

	begin_event(c, K_I);
	report_out_write(&c->out, et->head.text, et->head.len);
	put_ids(c, tid_of(pid, rec->cpu));
	put(c, ",\"ts\":");
	put_us(c, ts);
	put(c, ",\"args\":{");
	if (c->instance) {
		put(c, "\"instance\":");
		put_str(c, c->instance, SIZE_MAX);
		first = false;
	}
	for (struct tep_format_field *f = et->ev->format.fields; f; f = f->next, i++) {
		const unsigned char *p;
		int len;

		if (!first)
			put(c, ",");
		first = false;
		report_out_write(&c->out, et->keys[i].text, et->keys[i].len);
		if (!field_bytes(c, f, rec, &p, &len))
			put(c, "null");
		else if (f->flags & TEP_FIELD_IS_STRING)
			put_str(c, (const char *)p, strnlen((const char *)p, len));
		else if ((f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC)) ||
			 !(len == 1 || len == 2 || len == 4 || len == 8))
			put_hex_bytes(c, p, len);
		else if (!et->code[i] || !put_symbol(c, tep_read_number(c->tep, p, len)))
			put_number(c, f, tep_read_number(c->tep, p, len));
	}
	put(c, "}}");
}

static void put_instant(struct chrome *c, struct tep_record *rec)
{
	struct tep_event *ev = tep_find_event_by_record(c->tep, rec);
	int pid = tep_data_pid(c->tep, rec);
	uint64_t ts = thread_ts(c, pid, rec->cpu, rec->ts);
	bool first = true;

	begin_event(c, K_I);
	put(c, "{\"ph\":\"i\",\"s\":\"t\",\"name\":");
	put_str(c, ev ? ev->name : "unknown event", SIZE_MAX);
	if (ev && ev->system) {
		put(c, ",\"cat\":");
		put_str(c, ev->system, SIZE_MAX);
	}
	put(c, ",");
	put_ids(c, tid_of(pid, rec->cpu));
	put(c, ",\"ts\":");
	put_us(c, ts);
	put(c, ",\"args\":{");
	if (c->instance) {
		/* a second buffer's event: on the task's track, labelled */
		put(c, "\"instance\":");
		put_str(c, c->instance, SIZE_MAX);
		first = false;
	}
	for (struct tep_format_field *f = ev ? ev->format.fields : NULL; f; f = f->next) {
		put(c, first ? "" : ",");
		first = false;
		put_str(c, f->name, SIZE_MAX);
		put(c, ":");
		put_field(c, f, rec);
	}
	put(c, "}}");
}

static void put_lost(struct chrome *c, const struct tep_record *rec)
{
	begin_event(c, K_I);
	put(c, "{\"ph\":\"i\",\"s\":\"g\",\"name\":\"lost events\",\"pid\":0,\"tid\":0,\"ts\":");
	put_us(c, rec->ts);
	put(c, ",\"args\":{\"cpu\":");
	put_u64(c, (uint32_t)rec->cpu);
	if (rec->missed_events > 0) {
		put(c, ",\"count\":");
		put_u64(c, (uint64_t)rec->missed_events);
	}
	put(c, "}}");
}

/* ------------------------------------------------------------------------- */
/* The consumer */

static void on_record(void *ctx, struct tep_handle *tep, const struct fgraph *fg,
		      struct tep_record *rec)
{
	struct chrome *c = ctx;
	struct fgraph_call call;

	c->tep = tep;
	c->fg = fg;
	if (rec->missed_events)
		put_lost(c, rec);
	c->was_call = false;
	c->inner->record(c->inner->ctx, tep, fg, rec);
	/* a function_graph record the builder dropped (too deep) is no event either */
	if (!c->was_call && fgraph_decode(fg, rec, &call) == 0) {
		struct event_text *et = event_text_of(c, rec);

		if (et)
			put_known_instant(c, rec, et);
		else
			put_instant(c, rec);
	}
}

static void on_lost(void *ctx, const struct tep_record *rec)
{
	struct chrome *c = ctx;

	put_lost(c, rec);
	if (c->inner->lost)
		c->inner->lost(c->inner->ctx, rec);
}

static int on_start(void *ctx, struct tep_handle *tep, const struct td_meta *meta)
{
	struct chrome *c = ctx;

	return c->inner->start ? c->inner->start(c->inner->ctx, tep, meta) : 0;
}

static void on_buffer(void *ctx, const char *instance)
{
	struct chrome *c = ctx;

	c->instance = instance;
	if (c->inner->buffer)
		c->inner->buffer(c->inner->ctx, instance);
}

static int on_done(void *ctx, int fd)
{
	struct chrome *c = ctx;

	return c->inner->done ? c->inner->done(c->inner->ctx, fd) : chrome_view(c, NULL, NULL);
}

/*
 * The trace's lost events, after the events, where a reader of the file
 * finds them without scanning it: "metadata":{"lost_events":[{"cpu":0,
 * "count":12}]} (cpu null: reported without one; count null: unknown).
 */
static void put_lost_metadata(struct chrome *c, const struct calltree *ct)
{
	bool first = true;

	for (int cpu = -1; cpu < calltree_nr_cpus(ct); cpu++) {
		uint64_t count;
		bool known;

		if (!calltree_cpu_lost(ct, cpu, &count, &known))
			continue;
		put(c, first ? ",\"metadata\":{\"lost_events\":[" : ",");
		first = false;
		put(c, "{\"cpu\":");
		if (cpu >= 0)
			put_u64(c, (uint32_t)cpu);
		else
			put(c, "null");
		put(c, ",\"count\":");
		if (known)
			put_u64(c, count);
		else
			put(c, "null");
		put(c, "}");
	}
	if (!first)
		put(c, "]}");
}

int chrome_view(void *ctx, const struct calltree *ct, FILE *out)
{
	struct chrome *c = ctx;

	(void)out;
	if (!c->started)
		put(c, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
	put(c, "\n]");
	if (ct)
		put_lost_metadata(c, ct);
	put(c, "}\n");
	c->started = true;
	return report_out_flush(&c->out);
}

struct chrome *chrome_new(int fd)
{
	struct chrome *c = xcalloc(1, sizeof(*c));

	report_out_init(&c->out, fd);
	c->observer = (struct calltree_observer){ .open = on_open, .close = on_close, .ctx = c };
	return c;
}

void chrome_free(struct chrome *c)
{
	if (!c)
		return;
	report_out_free(&c->out);
	free(c->threads);
	for (size_t i = 0; i < c->nr_names; i++)
		free(c->names[i].text);
	free(c->names);
	addr_ids_free(&c->name_of);
	for (int i = 0; i < c->nr_events; i++)
		free_event_text(c->events[i]);
	free(c->events);
	free(c);
}

const struct calltree_observer *chrome_observer(struct chrome *c)
{
	return &c->observer;
}

const struct report_consumer *chrome_consumer(struct chrome *c,
					      const struct report_consumer *inner,
					      const struct report_calls *calls)
{
	c->inner = inner;
	c->calls = calls;
	c->consumer = (struct report_consumer){
		.record = on_record, .done = on_done, .lost = on_lost, .start = on_start,
		.buffer = on_buffer, .ctx = c,
	};
	return &c->consumer;
}

void chrome_counts(const struct chrome *c, unsigned long long counts[5])
{
	memcpy(counts, c->counts, sizeof(c->counts));
}
