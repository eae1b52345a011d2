// SPDX-License-Identifier: LGPL-2.1
/*
 * speedscope's file format, evented profiles (export_speedscope.h).
 */
#include "export/export_speedscope.h"
#include "callgraph/calltree.h"
#include "report/report_fmt.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One call of a task, in the order the builder opened it. */
struct call {
	uint64_t start, end;	/* ns, the report's timestamps; end = start while open */
	uint32_t frame;		/* index in the shared frames */
	int32_t parent;		/* index of the caller, -1 at the top */
};

struct task_calls {
	const struct ct_task *task;
	struct call *calls;
	size_t nr, alloc;
	int32_t *open;		/* the open calls, outermost first */
	size_t nr_open, alloc_open;
	size_t tops_from;	/* where the top-level calls a no-entry call may wrap begin */
};

/* Pointer keys (the builder's interned names, its tasks) to indices; open addressing. */
struct ptr_map {
	const void **keys;
	uint32_t *values;
	size_t cap, nr;
};

struct speedscope {
	struct calltree_observer observer;
	struct ptr_map frame_of;	/* function name -> frame */
	const char **frames;		/* by frame index */
	size_t nr_frames, alloc_frames;
	struct ptr_map task_of;		/* ct_task -> index in tasks */
	const struct ct_task *last;	/* consecutive calls mostly come from one task */
	uint32_t last_id;
	struct task_calls *tasks;
	size_t nr_tasks, alloc_tasks;
	uint64_t first;			/* the earliest start: times are from it */
	uint64_t moved, lifted;		/* place() */
};

/* ------------------------------------------------------------------------- */
/* Pointer maps */

static size_t slot(const struct ptr_map *m, const void *key)
{
	uint64_t h = (uintptr_t)key * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (m->cap - 1);
}

static void map_grow(struct ptr_map *m)
{
	struct ptr_map bigger = { .cap = m->cap ? m->cap * 2 : 256 };

	bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
	bigger.values = xcalloc(bigger.cap, sizeof(*bigger.values));
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->keys[i])
			continue;
		for (j = slot(&bigger, m->keys[i]); bigger.keys[j]; j = (j + 1) & (bigger.cap - 1))
			;
		bigger.keys[j] = m->keys[i];
		bigger.values[j] = m->values[i];
	}
	bigger.nr = m->nr;
	free(m->keys);
	free(m->values);
	*m = bigger;
}

/* key's value, or UINT32_MAX. */
static uint32_t map_find(const struct ptr_map *m, const void *key)
{
	if (!m->cap)
		return UINT32_MAX;
	for (size_t i = slot(m, key); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->values[i];
	return UINT32_MAX;
}

/* key's value; a new key gets next (and *added is set). */
static uint32_t map_get(struct ptr_map *m, const void *key, uint32_t next, bool *added)
{
	size_t i;

	if ((m->nr + 1) * 2 > m->cap)
		map_grow(m);
	for (i = slot(m, key); m->keys[i]; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key) {
			*added = false;
			return m->values[i];
		}
	}
	m->keys[i] = key;
	m->values[i] = next;
	m->nr++;
	*added = true;
	return next;
}

static void map_free(struct ptr_map *m)
{
	free(m->keys);
	free(m->values);
}

/* ------------------------------------------------------------------------- */
/* Calls, from the builder */

static uint32_t frame_of(struct speedscope *s, const char *func)
{
	bool added;
	uint32_t id = map_get(&s->frame_of, func, (uint32_t)s->nr_frames, &added);

	if (added) {
		if (s->nr_frames == s->alloc_frames) {
			s->alloc_frames = s->alloc_frames ? 2 * s->alloc_frames : 256;
			s->frames = xrealloc(s->frames, s->alloc_frames * sizeof(*s->frames));
		}
		s->frames[s->nr_frames++] = func;
	}
	return id;
}

static struct task_calls *calls_of(struct speedscope *s, const struct ct_task *t)
{
	bool added;
	uint32_t id;

	if (t == s->last)
		return &s->tasks[s->last_id];
	id = map_get(&s->task_of, t, (uint32_t)s->nr_tasks, &added);
	s->last = t;
	s->last_id = id;

	if (added) {
		if (s->nr_tasks == s->alloc_tasks) {
			s->alloc_tasks = s->alloc_tasks ? 2 * s->alloc_tasks : 64;
			s->tasks = xrealloc(s->tasks, s->alloc_tasks * sizeof(*s->tasks));
		}
		s->tasks[s->nr_tasks++] = (struct task_calls){ .task = t };
	}
	return &s->tasks[id];
}

static int32_t new_call(struct task_calls *tc, uint32_t frame, uint64_t start)
{
	if (tc->nr == tc->alloc) {
		tc->alloc = tc->alloc ? 2 * tc->alloc : 64;
		tc->calls = xrealloc(tc->calls, tc->alloc * sizeof(*tc->calls));
	}
	tc->calls[tc->nr] = (struct call){
		.start = start, .end = start, .frame = frame,
		.parent = tc->nr_open ? tc->open[tc->nr_open - 1] : -1,
	};
	return (int32_t)tc->nr++;
}

static void on_open(void *ctx, const struct ct_task *t, const char *func, uint64_t ts)
{
	struct speedscope *s = ctx;
	struct task_calls *tc = calls_of(s, t);
	int32_t id = new_call(tc, frame_of(s, func), ts);

	if (tc->nr_open == tc->alloc_open) {
		tc->alloc_open = tc->alloc_open ? 2 * tc->alloc_open : 64;
		tc->open = xrealloc(tc->open, tc->alloc_open * sizeof(*tc->open));
	}
	tc->open[tc->nr_open++] = id;
}

/*
 * A call seen only by its exit, with nothing open: if it began before every
 * top-level call since the last such wrap, the trace started inside it and
 * they ran under it (as the builder has it); else it is one more top-level call.
 */
static void wrap_tops(struct task_calls *tc, int32_t id)
{
	struct call *c = &tc->calls[id];
	size_t first = tc->tops_from;

	while (first < (size_t)id && tc->calls[first].parent != -1)
		first++;
	if (first < (size_t)id && tc->calls[first].start < c->start)
		return;
	for (size_t i = first; i < (size_t)id; i++)
		if (tc->calls[i].parent == -1)
			tc->calls[i].parent = id;
	tc->tops_from = id;
}

static void on_close(void *ctx, const struct ct_task *t, const char *func, uint64_t start,
		     uint64_t ts, enum ct_end how)
{
	struct speedscope *s = ctx;
	struct task_calls *tc = calls_of(s, t);
	int32_t id;

	if (how == CT_END_NO_ENTRY) {
		id = new_call(tc, frame_of(s, func), start);
		if (!tc->nr_open)
			wrap_tops(tc, id);
	} else if (tc->nr_open) {
		id = tc->open[--tc->nr_open];	/* the builder's closes nest */
	} else {
		return;
	}
	tc->calls[id].start = start;
	tc->calls[id].end = ts > start ? ts : start;
	if (!s->first || start < s->first)
		s->first = start;
}

/* ------------------------------------------------------------------------- */
/* Writing */

/* Siblings in time order (ties: the shorter first, then the order the builder opened them). */
static int by_start(const void *a, const void *b, void *ctx)
{
	const struct call *calls = ctx;
	int32_t i = *(const int32_t *)a, j = *(const int32_t *)b;
	const struct call *x = &calls[i], *y = &calls[j];

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* A buffer in front of the FILE: one fwrite per 64 KiB, not one stdio call per piece. */
struct jout {
	FILE *f;
	size_t len;
	char buf[1 << 16];
};

static void jout_flush(struct jout *j)
{
	if (j->len)
		fwrite(j->buf, 1, j->len, j->f);
	j->len = 0;
}

/* Room for n more bytes (n at most sizeof(buf)). */
static char *jout_room(struct jout *j, size_t n)
{
	if (j->len + n > sizeof(j->buf))
		jout_flush(j);
	return j->buf + j->len;
}

static void jout_write(struct jout *j, const char *s, size_t n)
{
	if (n > sizeof(j->buf)) {
		jout_flush(j);
		fwrite(s, 1, n, j->f);
		return;
	}
	memcpy(jout_room(j, n), s, n);
	j->len += n;
}

static void jout_puts(struct jout *j, const char *s)
{
	jout_write(j, s, strlen(s));
}

static void jout_u64(struct jout *j, uint64_t v)
{
	char *p = jout_room(j, 24);

	j->len = report_put_u64(p, v) - j->buf;
}

static void put_string(struct jout *j, const char *str)
{
	static const char hex[] = "0123456789abcdef";

	jout_write(j, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
		char *o = jout_room(j, 6);

		if (*p == '"' || *p == '\\') {
			o[0] = '\\';
			o[1] = *p;
			j->len += 2;
		} else if (*p < 0x20 || *p >= 0x7f) {
			memcpy(o, "\\u00", 4);
			o[4] = hex[*p >> 4];
			o[5] = hex[*p & 15];
			j->len += 6;
		} else {
			o[0] = *p;
			j->len++;
		}
	}
	jout_write(j, "\"", 1);
}

struct emitter {
	struct jout *out;
	uint64_t origin;	/* subtracted from every time */
	bool first;
};

static void put_event(struct emitter *e, char type, uint32_t frame, uint64_t at)
{
	static const char head[] = ",{\"type\":\"O\",\"frame\":";
	const size_t type_at = sizeof(",{\"type\":\"") - 1;	/* where the O is */
	struct jout *j = e->out;
	char *p = jout_room(j, sizeof(head) + 2 * 24 + 8), *start = p;

	memcpy(p, head + e->first, sizeof(head) - 1 - e->first);
	p[type_at - e->first] = type;
	p += sizeof(head) - 1 - e->first;
	p = report_put_u64(p, frame);
	memcpy(p, ",\"at\":", 6);
	p = report_put_u64(p + 6, at - e->origin);
	*p++ = '}';
	j->len += p - start;
	e->first = false;
}

/* A task's calls as a tree: each call's callees, in time order. */
struct tree {
	struct call *calls;
	int32_t *order;		/* calls by parent, then start */
	/*
	 * Per call + 1 (0 = the top): where its callees begin in order; they
	 * end where the next call's begin (one more entry than calls + 1).
	 */
	uint32_t *kids_at;
};

static uint32_t nr_kids(const struct tree *tr, size_t p)
{
	return tr->kids_at[p + 1] - tr->kids_at[p];
}

/*
 * Callees grouped by caller (a counting sort, stable: in the order the
 * builder opened them, which is nearly their time order), then each group
 * sorted by time if it is not already.
 */
static void build_tree(struct tree *tr, struct task_calls *tc)
{
	size_t n = tc->nr;
	uint32_t *at;

	tr->calls = tc->calls;
	tr->order = xcalloc(n + 1, sizeof(*tr->order));
	at = tr->kids_at = xcalloc(n + 3, sizeof(*tr->kids_at));
	/* counts two places up, summed: at[p + 1] is where p's callees begin */
	for (size_t i = 0; i < n; i++)
		at[tc->calls[i].parent + 3]++;
	for (size_t p = 2; p < n + 3; p++)
		at[p] += at[p - 1];
	/* placing them moves at[p + 1] to their end: then at[p] is their beginning */
	for (size_t i = 0; i < n; i++)
		tr->order[at[tc->calls[i].parent + 2]++] = (int32_t)i;
	for (size_t p = 0; p <= n; p++) {
		int32_t *kids = tr->order + at[p];

		for (size_t k = 1; k < nr_kids(tr, p); k++) {
			if (by_start(&kids[k - 1], &kids[k], tc->calls) > 0) {
				qsort_r(kids, nr_kids(tr, p), sizeof(*kids), by_start, tc->calls);
				break;
			}
		}
	}
}

static void free_tree(struct tree *tr)
{
	free(tr->order);
	free(tr->kids_at);
}

/* Calls to place: callees that did not fit in their caller. */
struct worklist {
	int32_t *ids;
	size_t nr, alloc, next;
};

static void work_add(struct worklist *w, int32_t id)
{
	if (w->nr == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 16;
		w->ids = xrealloc(w->ids, w->alloc * sizeof(*w->ids));
	}
	w->ids[w->nr++] = id;
}

static uint64_t duration(const struct call *c)
{
	return c->end - c->start;
}

static void place(struct speedscope *s, struct tree *tr, int32_t id, uint64_t start,
		  struct worklist *up);

/*
 * Place callee kid of id at or after pos (at its own time plus delta if
 * later), before end; *pos moves past it. One that does not fit goes up to
 * id's caller (up), with the callees that did not fit in it.
 */
static void place_kid(struct speedscope *s, struct tree *tr, int32_t id, int32_t kid,
		      uint64_t at, uint64_t *pos, uint64_t end, struct worklist *mine,
		      struct worklist *up)
{
	struct call *k = &tr->calls[kid];

	if (duration(k) > end - *pos) {
		k->parent = id >= 0 ? tr->calls[id].parent : -1;
		s->lifted++;
		work_add(up, kid);
		return;
	}
	if (at < *pos)
		at = *pos;
	if (at > end - duration(k))
		at = end - duration(k);
	k->parent = id;
	place(s, tr, kid, at, mine);
	*pos = k->end;
}

/*
 * Place call id at start, keeping its duration, and its callees inside it
 * in their order: each at its own time if it fits, else moved just enough
 * (after the callee before it, and early enough for those after it). The
 * ring buffer's timestamps lag, so a function_graph call's calltime..rettime,
 * known from its exit's timestamp, can overlap its neighbour's by a few
 * microseconds, and an exit's record can come after the next call's entry:
 * the builder then has that call (and --graph shows it) under the one that
 * in fact ended before it, longer than its caller. Durations are exact,
 * places and such nesting are not: a call is moved (counted in moved), and
 * a callee longer than the room left in its caller is lifted to run after
 * it, under the caller's caller (counted in lifted). No duration changes.
 */
static void place(struct speedscope *s, struct tree *tr, int32_t id, uint64_t start,
		  struct worklist *up)
{
	size_t p = (size_t)(id + 1);
	uint64_t delta = 0, pos = start, rest = 0, end = UINT64_MAX;	/* the top: no end */
	struct worklist mine = { 0 };

	if (id >= 0) {
		struct call *c = &tr->calls[id];
		uint64_t dur = duration(c);

		if (start != c->start)
			s->moved++;
		delta = start - c->start;	/* mod 2^64: callees move as much */
		c->start = start;
		c->end = end = start + dur;
	}
	for (size_t k = 0; k < nr_kids(tr, p); k++)
		rest += duration(&tr->calls[tr->order[tr->kids_at[p] + k]]);
	for (size_t k = 0; k < nr_kids(tr, p); k++) {
		int32_t kid = tr->order[tr->kids_at[p] + k];
		uint64_t dur = duration(&tr->calls[kid]), at = tr->calls[kid].start + delta;

		/* leave room for the callees after it */
		if (rest <= end - pos && at > end - rest)
			at = end - rest;
		rest -= dur;
		place_kid(s, tr, id, kid, at, &pos, end, &mine, up);
		/* then what did not fit in it */
		while (mine.next < mine.nr) {
			int32_t more = mine.ids[mine.next++];

			place_kid(s, tr, id, more, tr->calls[more].start, &pos, end, &mine, up);
		}
	}
	free(mine.ids);
}

static void put_events(struct emitter *e, struct tree *tr, int32_t id)
{
	size_t p = (size_t)(id + 1);

	if (id >= 0)
		put_event(e, 'O', tr->calls[id].frame, tr->calls[id].start);
	for (size_t k = 0; k < nr_kids(tr, p); k++)
		put_events(e, tr, tr->order[tr->kids_at[p] + k]);
	if (id >= 0)
		put_event(e, 'C', tr->calls[id].frame, tr->calls[id].end);
}

/* Where each call of every task is drawn (place()). */
static void place_all(struct speedscope *s)
{
	for (size_t i = 0; i < s->nr_tasks; i++) {
		struct worklist none = { 0 };
		struct tree tr;

		build_tree(&tr, &s->tasks[i]);
		place(s, &tr, -1, 0, &none);	/* the top has room for all */
		free(none.ids);
		free_tree(&tr);
	}
}

/* A task's calls as O/C events, in time order and nested (after place_all()). */
static void put_task_events(struct task_calls *tc, struct emitter *e)
{
	struct tree tr;

	build_tree(&tr, tc);
	e->first = true;
	put_events(e, &tr, -1);
	free_tree(&tr);
}

/* A task's time span, once placed: its profile's, so that speedscope shows the task's calls. */
static uint64_t task_start(const struct task_calls *tc)
{
	uint64_t start = UINT64_MAX;

	for (size_t i = 0; i < tc->nr; i++)
		if (tc->calls[i].start < start)
			start = tc->calls[i].start;
	return start;
}

static uint64_t task_end(const struct task_calls *tc)
{
	uint64_t end = 0;

	for (size_t i = 0; i < tc->nr; i++)
		if (tc->calls[i].end > end)
			end = tc->calls[i].end;
	return end;
}

static void put_profile(struct task_calls *tc, struct emitter *e, bool first)
{
	const struct ct_task *t = tc->task;
	char name[512];
	int n;

	n = snprintf(name, sizeof(name), "task %d", t->pid);
	if (t->cpu >= 0)
		n += snprintf(name + n, sizeof(name) - n, " cpu %d", t->cpu);
	if (t->comm)
		n += snprintf(name + n, sizeof(name) - n, " %s", t->comm);
	if (t->lost && n < (int)sizeof(name))
		snprintf(name + n, sizeof(name) - n, " [lost events]");
	jout_puts(e->out, first ? "\n" : ",\n");
	jout_puts(e->out, "{\"type\":\"evented\",\"name\":");
	put_string(e->out, name);
	jout_puts(e->out, ",\"unit\":\"nanoseconds\",\"startValue\":");
	jout_u64(e->out, task_start(tc) - e->origin);
	jout_puts(e->out, ",\"endValue\":");
	jout_u64(e->out, task_end(tc) - e->origin);
	jout_puts(e->out, ",\"events\":[");
	put_task_events(tc, e);
	jout_puts(e->out, "]}");
}

/* As --format chrome: "lost_events":[{"cpu":1,"count":12}] (null: not known). */
static void put_lost_events(struct jout *out, const struct calltree *ct)
{
	bool first = true;

	for (int cpu = -1; cpu < calltree_nr_cpus(ct); cpu++) {
		uint64_t count;
		bool known;

		if (!calltree_cpu_lost(ct, cpu, &count, &known))
			continue;
		jout_puts(out, first ? ",\"lost_events\":[" : ",");
		first = false;
		jout_puts(out, "{\"cpu\":");
		if (cpu >= 0)
			jout_u64(out, (uint64_t)cpu);
		else
			jout_puts(out, "null");
		jout_puts(out, ",\"count\":");
		if (known)
			jout_u64(out, count);
		else
			jout_puts(out, "null");
		jout_puts(out, "}");
	}
	if (!first)
		jout_puts(out, "]");
}

int speedscope_write(struct speedscope *s, const struct calltree *ct, FILE *f,
		     const char *source, const char *lost)
{
	struct jout *out;
	struct emitter e = { .origin = s->first };
	bool first = true;
	char *name;

	if (!s->nr_tasks) {
		st_set_error("no calls to show (record with -p function_graph, or user calls)");
		return -1;
	}
	out = xmalloc(sizeof(*out));
	out->f = f;
	out->len = 0;
	e.out = out;
	name = xasprintf("%s%s%s%s", source ? source : "calls", lost ? " (" : "",
			 lost ? lost : "", lost ? ")" : "");
	jout_puts(out, "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"name\":");
	put_string(out, name);
	free(name);
	jout_puts(out, ",\"exporter\":\"sidetrace " SIDETRACE_VERSION "\",\"activeProfileIndex\":0,\n"
		  "\"shared\":{\"frames\":[");
	for (size_t i = 0; i < s->nr_frames; i++) {
		jout_puts(out, i ? ",\n{\"name\":" : "\n{\"name\":");
		put_string(out, s->frames[i]);
		jout_puts(out, "}");
	}
	jout_puts(out, "]},\n\"profiles\":[");
	place_all(s);
	/* in --graph's order */
	for (int i = 0; i < calltree_nr_tasks(ct); i++) {
		uint32_t id = map_find(&s->task_of, calltree_task(ct, i));

		if (id == UINT32_MAX)
			continue;
		put_profile(&s->tasks[id], &e, first);
		first = false;
	}
	jout_puts(out, "],\n\"metadata\":{\"time_origin_ns\":");
	jout_u64(out, s->first);
	jout_puts(out, ",\"calls_moved\":");
	jout_u64(out, s->moved);
	jout_puts(out, ",\"calls_lifted\":");
	jout_u64(out, s->lifted);
	put_lost_events(out, ct);
	jout_puts(out, "}}\n");
	jout_flush(out);
	free(out);
	if (ferror(f) || fflush(f) != 0) {
		st_set_error("cannot write the speedscope file: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------- */

struct speedscope *speedscope_new(void)
{
	struct speedscope *s = xcalloc(1, sizeof(*s));

	s->observer = (struct calltree_observer){ .open = on_open, .close = on_close, .ctx = s };
	return s;
}

const struct calltree_observer *speedscope_observer(struct speedscope *s)
{
	return &s->observer;
}

void speedscope_free(struct speedscope *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_tasks; i++) {
		free(s->tasks[i].calls);
		free(s->tasks[i].open);
	}
	free(s->tasks);
	free(s->frames);
	map_free(&s->frame_of);
	map_free(&s->task_of);
	free(s);
}
