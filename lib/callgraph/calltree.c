// SPDX-License-Identifier: LGPL-2.1
/*
 * The call-tree builder: per-task stacks of open calls, merged into trees of
 * call paths. The repair rules for broken streams are described in calltree.h.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "callgraph/calltree.h"
#include "util.h"

/* ------------------------------------------------------------------------- */
/* A chained hash map from 64-bit keys to pointers */

struct hent {
	uint64_t key;
	void *val;
	struct hent *next;
};

struct hmap {
	struct hent **buckets;
	size_t nr_buckets;	/* a power of two */
	size_t nr;
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static struct hent **hmap_slot(const struct hmap *m, uint64_t key)
{
	return &m->buckets[mix64(key) & (m->nr_buckets - 1)];
}

static void hmap_grow(struct hmap *m)
{
	struct hmap bigger = { .nr_buckets = m->nr_buckets ? m->nr_buckets * 2 : 64, .nr = m->nr };

	bigger.buckets = xcalloc(bigger.nr_buckets, sizeof(*bigger.buckets));
	for (size_t i = 0; i < m->nr_buckets; i++) {
		struct hent *e = m->buckets[i], *next;

		for (; e; e = next) {
			struct hent **slot = hmap_slot(&bigger, e->key);

			next = e->next;
			e->next = *slot;
			*slot = e;
		}
	}
	free(m->buckets);
	*m = bigger;
}

static void *hmap_get(const struct hmap *m, uint64_t key)
{
	if (!m->nr_buckets)
		return NULL;
	for (struct hent *e = *hmap_slot(m, key); e; e = e->next)
		if (e->key == key)
			return e->val;
	return NULL;
}

/* The key must not be in the map yet. */
static void hmap_put(struct hmap *m, uint64_t key, void *val)
{
	struct hent *e = xmalloc(sizeof(*e));
	struct hent **slot;

	if (m->nr >= m->nr_buckets)
		hmap_grow(m);
	slot = hmap_slot(m, key);
	e->key = key;
	e->val = val;
	e->next = *slot;
	*slot = e;
	m->nr++;
}

static void hmap_del(struct hmap *m, uint64_t key)
{
	if (!m->nr_buckets)
		return;
	for (struct hent **p = hmap_slot(m, key); *p; p = &(*p)->next) {
		struct hent *e = *p;

		if (e->key == key) {
			*p = e->next;
			free(e);
			m->nr--;
			return;
		}
	}
}

/* Free the map; free_val (may be NULL) is called on every value. */
static void hmap_free(struct hmap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->nr_buckets; i++) {
		struct hent *e = m->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			if (free_val)
				free_val(e->val);
			free(e);
		}
	}
	free(m->buckets);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------------------- */
/* Builder state */

/* How a call ended (enum ct_end, short names). */
enum call_end {
	END_EXIT = CT_END_EXIT,
	END_UNFINISHED = CT_END_UNFINISHED,
	END_NO_ENTRY = CT_END_NO_ENTRY,
};

struct frame {
	struct ct_node *node;
	uint64_t start;
	uint64_t child_ns;	/* time spent in finished children */
	int depth;		/* the event's depth, or CT_DEPTH_UNKNOWN */
	bool keep;		/* a child was counted: count this call whatever its length */
};

struct task {
	struct ct_task pub;
	uint64_t key;
	struct frame *stack;
	int nr_frames;
	int alloc_frames;
	bool seen;		/* first_ts is set */
	uint64_t first_ts;
	uint64_t last_ts;
	uint64_t top_child_ns;	/* time in the finished top-level calls since the last wrap */
	int root_min_depth;	/* smallest known depth of a top-level call, INT_MAX if none */
	int last_cpu;
	int overflow;		/* open calls nested deeper than CT_MAX_STACK, not kept */
	bool exited;		/* calltree_task_exit(): a new task takes the pid */
};

struct cpu_state {
	bool lost;
	bool count_known;
	uint64_t count;
	bool pending;		/* mark the task of the next event on this CPU */
};

struct name_ent {
	char *name;
	int id;
	struct name_ent *next;
};

struct calltree {
	struct calltree_opts opts;
	struct hmap nodes;	/* parent serial << 32 | func -> child node */
	struct hmap live;	/* task key -> task, for tasks that have not exited */
	struct hmap comms;	/* pid -> its latest comm, in comm_store */
	struct strlist comm_store;
	struct task **tasks;	/* every task, sorted */
	int nr_tasks;
	int alloc_tasks;
	struct hmap names;	/* string hash -> name_ent chain */
	char **func_names;	/* by id */
	int nr_funcs;
	int alloc_funcs;
	struct cpu_state *cpus;
	int nr_cpus;
	struct cpu_state no_cpu;	/* calltree_lost() with cpu < 0 */
	uint32_t next_serial;
	struct task *last_task;		/* consecutive events mostly come from one task */
	struct {			/* callers mostly pass the same name pointers */
		const char *ptr;
		int id;
	} name_cache[256];
};

/* ------------------------------------------------------------------------- */
/* Function names */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static int intern_slow(struct calltree *ct, const char *name)
{
	uint64_t h;
	struct name_ent *head, *e;

	h = hash_str(name);
	head = hmap_get(&ct->names, h);
	for (e = head; e; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e->id;

	e = xmalloc(sizeof(*e));
	e->name = xstrdup(name);
	e->id = ct->nr_funcs;
	e->next = head;
	if (head)
		hmap_del(&ct->names, h);
	hmap_put(&ct->names, h, e);

	if (ct->nr_funcs == ct->alloc_funcs) {
		ct->alloc_funcs = ct->alloc_funcs ? ct->alloc_funcs * 2 : 256;
		ct->func_names = xrealloc(ct->func_names, ct->alloc_funcs * sizeof(char *));
	}
	ct->func_names[ct->nr_funcs++] = e->name;
	return e->id;
}

int calltree_intern(struct calltree *ct, const char *name)
{
	size_t slot;

	if (!name)
		name = "(null)";
	/* The pointer alone is not enough: a caller may reuse a buffer. */
	slot = ((uintptr_t)name >> 3) % ARRAY_SIZE(ct->name_cache);
	if (ct->name_cache[slot].ptr == name &&
	    strcmp(ct->func_names[ct->name_cache[slot].id], name) == 0)
		return ct->name_cache[slot].id;
	ct->name_cache[slot].ptr = name;
	ct->name_cache[slot].id = intern_slow(ct, name);
	return ct->name_cache[slot].id;
}

static void free_name_chain(void *p)
{
	struct name_ent *e = p, *next;

	for (; e; e = next) {
		next = e->next;
		free(e->name);
		free(e);
	}
}

int calltree_find_func(const struct calltree *ct, const char *name)
{
	for (struct name_ent *e = hmap_get(&ct->names, hash_str(name)); e; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e->id;
	return -1;
}

int calltree_nr_funcs(const struct calltree *ct)
{
	return ct->nr_funcs;
}

const char *calltree_func_name(const struct calltree *ct, int func)
{
	if (func < 0 || func >= ct->nr_funcs)
		return "(root)";
	return ct->func_names[func];
}

/* ------------------------------------------------------------------------- */
/* Path nodes */

static struct ct_node *new_node(struct calltree *ct, int func)
{
	struct ct_node *n = xcalloc(1, sizeof(*n));

	n->func = func;
	n->serial = ct->next_serial++;
	return n;
}

static uint64_t node_key(const struct ct_node *parent, int func)
{
	return (uint64_t)parent->serial << 32 | (uint32_t)func;
}

static void link_child(struct ct_node *parent, struct ct_node *child)
{
	parent->nr_children++;
	child->parent = parent;
	child->next_sibling = NULL;
	if (parent->last_child)
		parent->last_child->next_sibling = child;
	else
		parent->first_child = child;
	parent->last_child = child;
}

/* Most nodes have a few children: a short scan beats hashing. */
#define SCAN_CHILDREN 8

static struct ct_node *child_node(struct calltree *ct, struct ct_node *parent, int func)
{
	struct ct_node *n;

	if (parent->nr_children <= SCAN_CHILDREN) {
		for (n = parent->first_child; n; n = n->next_sibling)
			if (n->func == func)
				return n;
	} else {
		n = hmap_get(&ct->nodes, node_key(parent, func));
	}

	if (!n) {
		n = new_node(ct, func);
		link_child(parent, n);
		hmap_put(&ct->nodes, node_key(parent, func), n);
	}
	return n;
}

/* ------------------------------------------------------------------------- */
/* Tasks */

static uint64_t task_key(int pid, int cpu)
{
	/* The idle "task" is pid 0 on every CPU: one stack per CPU. */
	if (pid == 0)
		return 1ULL << 32 | (uint32_t)cpu;
	return (uint32_t)pid;
}

static int task_cmp(const struct task *a, const struct task *b)
{
	if (a->pub.pid != b->pub.pid)
		return a->pub.pid < b->pub.pid ? -1 : 1;
	if (a->pub.cpu != b->pub.cpu)
		return a->pub.cpu < b->pub.cpu ? -1 : 1;
	return a->pub.serial < b->pub.serial ? -1 : a->pub.serial > b->pub.serial;
}

/* Insert into the sorted task array (new tasks are rare next to events). */
static void add_sorted_task(struct calltree *ct, struct task *t)
{
	int lo = 0, i = ct->nr_tasks;

	if (ct->nr_tasks == ct->alloc_tasks) {
		ct->alloc_tasks = ct->alloc_tasks ? ct->alloc_tasks * 2 : 64;
		ct->tasks = xrealloc(ct->tasks, ct->alloc_tasks * sizeof(*ct->tasks));
	}
	while (lo < i) {	/* binary search for the first task after t */
		int mid = lo + (i - lo) / 2;

		if (task_cmp(ct->tasks[mid], t) > 0)
			i = mid;
		else
			lo = mid + 1;
	}
	memmove(&ct->tasks[i + 1], &ct->tasks[i], (ct->nr_tasks - i) * sizeof(*ct->tasks));
	ct->tasks[i] = t;
	ct->nr_tasks++;
}

static struct task *get_task(struct calltree *ct, int pid, int cpu)
{
	uint64_t key = task_key(pid, cpu);
	struct task *t = ct->last_task;

	if (t && t->key == key)
		return t;
	t = hmap_get(&ct->live, key);
	if (t) {
		ct->last_task = t;
		return t;
	}
	t = xcalloc(1, sizeof(*t));
	t->key = key;
	t->pub.pid = pid;
	t->pub.cpu = pid == 0 ? cpu : -1;
	t->pub.comm = hmap_get(&ct->comms, (uint32_t)pid);
	t->pub.root = new_node(ct, -1);
	t->pub.serial = t->pub.root->serial;
	t->root_min_depth = INT_MAX;
	t->last_cpu = cpu;
	hmap_put(&ct->live, key, t);
	add_sorted_task(ct, t);
	ct->last_task = t;
	return t;
}

/* The index of the first task of pid in the sorted array (nr_tasks if none). */
static int first_task_of(const struct calltree *ct, int pid)
{
	int lo = 0, hi = ct->nr_tasks;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (ct->tasks[mid]->pub.pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void calltree_set_comm(struct calltree *ct, int pid, const char *comm)
{
	uint64_t key = (uint32_t)pid;
	char *copy = xstrdup(comm ? comm : "");

	/* Tasks point at the strings: keep every one until calltree_free(). */
	strlist_add_owned(&ct->comm_store, copy);
	hmap_del(&ct->comms, key);
	hmap_put(&ct->comms, key, copy);
	for (int i = first_task_of(ct, pid); i < ct->nr_tasks && ct->tasks[i]->pub.pid == pid; i++)
		ct->tasks[i]->pub.comm = copy;
}

int calltree_nr_tasks(const struct calltree *ct)
{
	return ct->nr_tasks;
}

const struct ct_task *calltree_task(const struct calltree *ct, int index)
{
	if (index < 0 || index >= ct->nr_tasks)
		return NULL;
	return &ct->tasks[index]->pub;
}

/* ------------------------------------------------------------------------- */
/* Lost events */

static struct cpu_state *cpu_state(struct calltree *ct, int cpu)
{
	if (cpu < 0)
		return NULL;
	if (cpu >= ct->nr_cpus) {
		int n = cpu + 1;

		ct->cpus = xrealloc(ct->cpus, n * sizeof(*ct->cpus));
		memset(&ct->cpus[ct->nr_cpus], 0, (n - ct->nr_cpus) * sizeof(*ct->cpus));
		ct->nr_cpus = n;
	}
	return &ct->cpus[cpu];
}

static void mark_lost_node(struct task *t, struct ct_node *n)
{
	t->pub.lost = true;
	n->st.lost = true;
}

/* Every open call of the task may miss children, and so may its future no-entry wrap. */
static void mark_lost(struct task *t)
{
	t->pub.lost = true;
	for (int i = 0; i < t->nr_frames; i++)
		t->stack[i].node->st.lost = true;
}

void calltree_lost(struct calltree *ct, int cpu, uint64_t count)
{
	struct cpu_state *cs = cpu < 0 ? &ct->no_cpu : cpu_state(ct, cpu);

	if (!cs->lost)
		cs->count_known = true;
	cs->lost = true;
	cs->pending = cpu >= 0;
	cs->count += count;
	if (!count)
		cs->count_known = false;
	for (int i = 0; i < ct->nr_tasks; i++) {
		struct task *t = ct->tasks[i];

		if (!t->exited && (cpu < 0 || t->last_cpu == cpu))
			mark_lost(t);
	}
}

int calltree_nr_cpus(const struct calltree *ct)
{
	return ct->nr_cpus;
}

bool calltree_cpu_lost(const struct calltree *ct, int cpu, uint64_t *count, bool *count_known)
{
	const struct cpu_state *cs = cpu < 0 ? &ct->no_cpu : NULL;

	if (cpu >= 0 && cpu < ct->nr_cpus)
		cs = &ct->cpus[cpu];
	if (!cs || !cs->lost)
		return false;
	if (count)
		*count = cs->count;
	if (count_known)
		*count_known = cs->count_known;
	return true;
}

/* ------------------------------------------------------------------------- */
/* Calls */

/* Every event of a task goes through here first. */
static struct task *event_task(struct calltree *ct, int pid, int cpu, uint64_t ts)
{
	struct task *t = get_task(ct, pid, cpu);
	struct cpu_state *cs = cpu_state(ct, cpu);

	if (!t->seen) {
		t->seen = true;
		t->first_ts = ts;
	}
	t->last_ts = ts;
	t->last_cpu = cpu;
	if (cs && cs->pending) {
		/* The lost events were on this CPU just before this one: maybe ours. */
		cs->pending = false;
		mark_lost(t);
	}
	return t;
}

static uint64_t elapsed(uint64_t from, uint64_t to)
{
	return to > from ? to - from : 0;
}

/* Count one call of node; tell the parent (frame or task top level) its length. */
static void account_call(struct calltree *ct, struct task *t, struct ct_node *node,
			 uint64_t dur, uint64_t child_ns, bool keep, enum call_end end)
{
	struct ct_stats *st = &node->st;
	bool counted = keep || end != END_EXIT || dur >= ct->opts.min_duration_ns;

	if (counted) {
		st->calls++;
		st->total_ns += dur;
		st->self_ns += elapsed(child_ns, dur);
		if (dur > st->max_ns)
			st->max_ns = dur;
		st->unfinished += end == END_UNFINISHED;
		st->no_entry += end == END_NO_ENTRY;
	}
	if (t->nr_frames) {
		struct frame *parent = &t->stack[t->nr_frames - 1];

		parent->child_ns += dur;
		parent->keep |= counted;
	} else {
		t->top_child_ns += dur;
	}
}

static void notify_close(struct calltree *ct, struct task *t, struct ct_node *node,
			 uint64_t start, uint64_t ts, enum call_end end)
{
	const struct calltree_observer *obs = ct->opts.observer;

	if (obs && obs->close)
		obs->close(obs->ctx, &t->pub, ct->func_names[node->func], start, ts,
			   (enum ct_end)end);
}

static void close_top(struct calltree *ct, struct task *t, uint64_t ts, enum call_end end)
{
	struct frame f = t->stack[--t->nr_frames];

	notify_close(ct, t, f.node, f.start, ts, end);
	account_call(ct, t, f.node, elapsed(f.start, ts), f.child_ns, f.keep, end);
}

/* Frames at depth or deeper can no longer be open: their exits were lost. */
static void close_from_depth(struct calltree *ct, struct task *t, int depth, uint64_t ts)
{
	while (t->nr_frames) {
		int top = t->stack[t->nr_frames - 1].depth;

		if (top == CT_DEPTH_UNKNOWN || top < depth)
			break;
		close_top(ct, t, ts, END_UNFINISHED);
	}
}

static void close_all(struct calltree *ct, struct task *t, uint64_t ts)
{
	t->overflow = 0;
	while (t->nr_frames)
		close_top(ct, t, ts, END_UNFINISHED);
}

void calltree_entry(struct calltree *ct, int pid, int cpu, uint64_t ts, const char *func,
		    int depth)
{
	calltree_entry_id(ct, pid, cpu, ts, calltree_intern(ct, func), depth);
}

void calltree_entry_id(struct calltree *ct, int pid, int cpu, uint64_t ts, int id, int depth)
{
	struct task *t = event_task(ct, pid, cpu, ts);
	struct ct_node *parent;
	struct frame *f;

	if (depth < 0) {
		depth = CT_DEPTH_UNKNOWN;
	} else {
		if (depth <= t->nr_frames)
			t->overflow = 0;	/* the calls beyond the limit ended */
		close_from_depth(ct, t, depth, ts);
	}
	if (t->nr_frames == CT_MAX_STACK) {
		/* Runaway nesting (or exits never seen): bound the memory, say so. */
		t->overflow++;
		mark_lost_node(t, t->stack[t->nr_frames - 1].node);
		return;
	}
	if (t->nr_frames == t->alloc_frames) {
		t->alloc_frames = t->alloc_frames ? t->alloc_frames * 2 : 16;
		t->stack = xrealloc(t->stack, t->alloc_frames * sizeof(*t->stack));
	}
	if (t->nr_frames) {
		parent = t->stack[t->nr_frames - 1].node;
	} else {
		parent = t->pub.root;
		if (depth != CT_DEPTH_UNKNOWN && depth < t->root_min_depth)
			t->root_min_depth = depth;
	}
	f = &t->stack[t->nr_frames++];
	f->node = child_node(ct, parent, id);
	f->start = ts;
	f->child_ns = 0;
	f->depth = depth;
	f->keep = false;
	if (ct->opts.observer && ct->opts.observer->open)
		ct->opts.observer->open(ct->opts.observer->ctx, &t->pub, ct->func_names[id], ts);
}

/* The innermost open frame this exit closes, or -1. */
static int find_frame(const struct task *t, int func, int depth)
{
	for (int i = t->nr_frames - 1; i >= 0; i--) {
		const struct frame *f = &t->stack[i];
		bool depth_known = depth != CT_DEPTH_UNKNOWN && f->depth != CT_DEPTH_UNKNOWN;

		if (depth_known && f->depth < depth)
			return -1;	/* shallower frames cannot match */
		if (f->node->func == func && (!depth_known || f->depth == depth))
			return i;
	}
	return -1;
}

/*
 * The trace started inside func: everything the task did so far ran under
 * it. Move the top-level calls under a new node for func.
 */
static void wrap_task(struct calltree *ct, struct task *t, uint64_t ts, int func, int depth,
		      uint64_t calltime)
{
	struct ct_node *root = t->pub.root;
	struct ct_node *wrap = new_node(ct, func);
	struct ct_node *c, *next;
	uint64_t start = calltime && calltime <= ts ? calltime : t->first_ts;
	uint64_t dur = elapsed(start, ts);

	for (c = root->first_child; c; c = next) {
		next = c->next_sibling;
		hmap_del(&ct->nodes, node_key(root, c->func));
		link_child(wrap, c);
		hmap_put(&ct->nodes, node_key(wrap, c->func), c);
	}
	root->first_child = root->last_child = NULL;
	root->nr_children = 0;
	link_child(root, wrap);
	hmap_put(&ct->nodes, node_key(root, func), wrap);

	/* The task's lost events, if any, happened inside this call. */
	wrap->st.lost |= t->pub.lost;
	notify_close(ct, t, wrap, start, ts, END_NO_ENTRY);
	account_call(ct, t, wrap, dur, t->top_child_ns, true, END_NO_ENTRY);
	t->top_child_ns = dur;
	if (depth != CT_DEPTH_UNKNOWN)
		t->root_min_depth = depth;
}

static void exit_without_entry(struct calltree *ct, struct task *t, uint64_t ts, int func,
			       int depth, uint64_t calltime)
{
	struct ct_node *parent, *node;
	uint64_t start, dur = 0;
	bool calltime_ok = calltime && calltime <= ts;

	/* Open calls at this depth or deeper ended before this one began. */
	if (depth != CT_DEPTH_UNKNOWN)
		close_from_depth(ct, t, depth, calltime_ok ? calltime : ts);
	if (!t->nr_frames && (depth == CT_DEPTH_UNKNOWN || t->root_min_depth > depth)) {
		wrap_task(ct, t, ts, func, depth, calltime);
		return;
	}

	/* A lost entry in the middle: a leaf of unknown children under the current frame. */
	if (t->nr_frames) {
		parent = t->stack[t->nr_frames - 1].node;
		start = t->stack[t->nr_frames - 1].start;
	} else {
		parent = t->pub.root;
		start = 0;
		if (depth < t->root_min_depth)
			t->root_min_depth = depth;
	}
	if (calltime_ok)
		dur = elapsed(calltime > start ? calltime : start, ts);
	node = child_node(ct, parent, func);
	notify_close(ct, t, node, ts - dur, ts, END_NO_ENTRY);
	account_call(ct, t, node, dur, 0, true, END_NO_ENTRY);
}

/*
 * funcgraph_exit's calltime is the exact start of the call, a little before
 * the entry event's timestamp. Use it unless it is on another clock (then it
 * is far from the entry's time), so that durations equal rettime - calltime.
 */
#define CALLTIME_SLACK_NS 10000

static bool calltime_plausible(const struct calltree *ct, const struct frame *f, uint64_t ts,
			       uint64_t calltime)
{
	if (ct->opts.exact_calltime)
		return calltime && calltime <= ts;
	return calltime && calltime <= ts && calltime + CALLTIME_SLACK_NS >= f->start;
}

void calltree_exit(struct calltree *ct, int pid, int cpu, uint64_t ts, const char *func,
		   int depth, uint64_t calltime)
{
	calltree_exit_id(ct, pid, cpu, ts, calltree_intern(ct, func), depth, calltime);
}

void calltree_exit_id(struct calltree *ct, int pid, int cpu, uint64_t ts, int id, int depth,
		      uint64_t calltime)
{
	struct task *t = event_task(ct, pid, cpu, ts);
	int i;

	if (depth < 0)
		depth = CT_DEPTH_UNKNOWN;
	if (t->overflow) {
		/* The innermost open call is one beyond the limit. */
		if (depth == CT_DEPTH_UNKNOWN || depth >= t->nr_frames) {
			t->overflow--;
			return;
		}
		t->overflow = 0;
	}
	i = find_frame(t, id, depth);
	if (i < 0) {
		exit_without_entry(ct, t, ts, id, depth, calltime);
		return;
	}
	/* longjmp, exceptions or lost exits: the frames above never returned. */
	while (t->nr_frames - 1 > i)
		close_top(ct, t, ts, END_UNFINISHED);
	if (calltime_plausible(ct, &t->stack[i], ts, calltime))
		t->stack[i].start = calltime;
	close_top(ct, t, ts, END_EXIT);
}

void calltree_task_exit(struct calltree *ct, int pid, uint64_t ts)
{
	struct task *t = hmap_get(&ct->live, task_key(pid, -1));

	if (!t || pid == 0)
		return;
	close_all(ct, t, ts);
	t->exited = true;
	hmap_del(&ct->live, t->key);
	if (ct->last_task == t)
		ct->last_task = NULL;
}

void calltree_finish(struct calltree *ct, uint64_t end_ts)
{
	for (int i = 0; i < ct->nr_tasks; i++) {
		struct task *t = ct->tasks[i];

		close_all(ct, t, end_ts ? end_ts : t->last_ts);
	}
}

/* ------------------------------------------------------------------------- */
/* Life cycle */

struct calltree *calltree_new(const struct calltree_opts *opts)
{
	struct calltree *ct = xcalloc(1, sizeof(*ct));

	if (opts)
		ct->opts = *opts;
	return ct;
}

void calltree_free(struct calltree *ct)
{
	if (!ct)
		return;
	hmap_free(&ct->nodes, free);
	for (int i = 0; i < ct->nr_tasks; i++) {
		free(ct->tasks[i]->pub.root);
		free(ct->tasks[i]->stack);
		free(ct->tasks[i]);
	}
	free(ct->tasks);
	hmap_free(&ct->live, NULL);
	hmap_free(&ct->comms, NULL);
	strlist_free(&ct->comm_store);
	hmap_free(&ct->names, free_name_chain);
	free(ct->func_names);
	free(ct->cpus);
	free(ct);
}
