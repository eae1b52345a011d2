// SPDX-License-Identifier: LGPL-2.1
/*
 * Merged stacks and the folded format (export_folded.h).
 */
#include "export/export_folded.h"
#include "callgraph/calltree.h"
#include "report/report_fmt.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Open addressing, 64-bit keys (0 is the empty slot: keys are stored + 1). */
struct omap {
	uint64_t *keys;
	void **vals;
	size_t cap;	/* a power of two */
	size_t nr;
};

static size_t omap_index(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return key & (cap - 1);
}

static void omap_put(struct omap *m, uint64_t key, void *val);

static void omap_grow(struct omap *m)
{
	struct omap old = *m;

	m->cap = old.cap ? old.cap * 2 : 256;
	m->nr = 0;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			omap_put(m, old.keys[i] - 1, old.vals[i]);
	free(old.keys);
	free(old.vals);
}

static void *omap_get(const struct omap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = omap_index(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return NULL;
		if (m->keys[i] == key + 1)
			return m->vals[i];
	}
}

/* The key must not be in the map yet. */
static void omap_put(struct omap *m, uint64_t key, void *val)
{
	size_t i;

	if ((m->nr + 1) * 4 > m->cap * 3)
		omap_grow(m);
	for (i = omap_index(key, m->cap); m->keys[i]; i = (i + 1) & (m->cap - 1))
		;
	m->keys[i] = key + 1;
	m->vals[i] = val;
	m->nr++;
}

static void omap_free(struct omap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------------------- */

struct name {
	char *text;
	uint32_t id;
	struct name *next;	/* same hash */
};

struct stacks {
	struct stack_node root;
	struct omap names;	/* string hash -> struct name chain */
	uint32_t nr_names;
	struct omap kids;	/* parent id << 32 | name id -> node */
	uint32_t nr_nodes;
	bool samples;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The interned copy of text, with the characters the folded format reserves replaced. */
static const struct name *intern(struct stacks *s, const char *text)
{
	uint64_t h = hash_str(text);
	struct name *head = omap_get(&s->names, h), *n;

	for (n = head; n; n = n->next)
		if (!strcmp(n->text, text))
			return n;
	n = xmalloc(sizeof(*n));
	n->text = xstrdup(text);
	for (char *p = n->text; *p; p++)
		if (*p == ';' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			*p = '_';
	n->id = s->nr_names++;
	if (head) {
		/* chain behind the head: the map keeps pointing at it */
		n->next = head->next;
		head->next = n;
	} else {
		n->next = NULL;
		omap_put(&s->names, h, n);
	}
	return n;
}

static struct stack_node *kid(struct stacks *s, struct stack_node *parent, const char *text)
{
	const struct name *name = intern(s, text);
	uint64_t key = (uint64_t)parent->id << 32 | name->id;
	struct stack_node *n = omap_get(&s->kids, key);

	if (n)
		return n;
	n = xcalloc(1, sizeof(*n));
	n->name = name->text;
	n->depth = parent->depth + 1;
	n->id = ++s->nr_nodes;
	if (parent->nr_kids == parent->alloc_kids) {
		parent->alloc_kids = parent->alloc_kids ? parent->alloc_kids * 2 : 4;
		parent->kids = xrealloc(parent->kids, parent->alloc_kids * sizeof(*parent->kids));
	}
	parent->kids[parent->nr_kids++] = n;
	omap_put(&s->kids, key, n);
	return n;
}

struct stacks *stacks_new(void)
{
	struct stacks *s = xcalloc(1, sizeof(*s));

	s->root.name = "all";
	return s;
}

static void free_node(struct stack_node *n)
{
	for (int i = 0; i < n->nr_kids; i++) {
		free_node(n->kids[i]);
		free(n->kids[i]);
	}
	free(n->kids);
}

void stacks_free(struct stacks *s)
{
	if (!s)
		return;
	free_node(&s->root);
	for (size_t i = 0; i < s->names.cap; i++) {
		struct name *n = s->names.keys[i] ? s->names.vals[i] : NULL, *next;

		for (; n; n = next) {
			next = n->next;
			free(n->text);
			free(n);
		}
	}
	omap_free(&s->names);
	omap_free(&s->kids);
	free(s);
}

/* Merge the subtree under from (a calltree path node) into to. Depth is bounded by CT_MAX_STACK. */
static void merge(struct stacks *s, const struct calltree *ct, const struct ct_node *from,
		  struct stack_node *to)
{
	for (const struct ct_node *c = from->first_child; c; c = c->next_sibling) {
		struct stack_node *n = kid(s, to, calltree_func_name(ct, c->func));

		n->calls += c->st.calls;
		n->total += c->st.total_ns;
		n->self += c->st.self_ns;
		merge(s, ct, c, n);
	}
}

static const char *task_comm(const struct ct_task *t)
{
	if (t->pid == 0)
		return "<idle>";
	return t->comm && *t->comm ? t->comm : "<...>";
}

void stacks_add_calltree(struct stacks *s, const struct calltree *ct)
{
	for (int i = 0; i < calltree_nr_tasks(ct); i++) {
		const struct ct_task *t = calltree_task(ct, i);
		struct stack_node *comm = kid(s, &s->root, task_comm(t));
		uint64_t before = 0;

		for (int k = 0; k < comm->nr_kids; k++)
			before += comm->kids[k]->total;
		merge(s, ct, t->root, comm);
		/* a comm's time is the time of its top-level calls */
		comm->total = 0;
		for (int k = 0; k < comm->nr_kids; k++)
			comm->total += comm->kids[k]->total;
		s->root.total += comm->total - before;
		for (const struct ct_node *c = t->root->first_child; c; c = c->next_sibling)
			comm->calls += c->st.calls;
	}
	s->root.calls = 0;
	for (int k = 0; k < s->root.nr_kids; k++)
		s->root.calls += s->root.kids[k]->calls;
}

void stacks_add_sample(struct stacks *s, const char *comm, const char *const *frames, int nr,
		       uint64_t count)
{
	struct stack_node *n = kid(s, &s->root, comm && *comm ? comm : "<...>");

	s->samples = true;
	s->root.calls += count;
	s->root.total += count;
	n->calls += count;
	n->total += count;
	for (int i = 0; i < nr; i++) {
		n = kid(s, n, frames[i]);
		n->calls += count;
		n->total += count;
	}
	if (nr)
		n->self += count;
}

static int by_name(const void *a, const void *b)
{
	const struct stack_node *x = *(const struct stack_node *const *)a;
	const struct stack_node *y = *(const struct stack_node *const *)b;

	return strcmp(x->name, y->name);
}

static void sort_node(struct stack_node *n)
{
	if (n->nr_kids > 1)
		qsort(n->kids, n->nr_kids, sizeof(*n->kids), by_name);
	for (int i = 0; i < n->nr_kids; i++)
		sort_node(n->kids[i]);
}

void stacks_sort(struct stacks *s)
{
	sort_node(&s->root);
}

const struct stack_node *stacks_root(const struct stacks *s)
{
	return &s->root;
}

uint32_t stacks_max_id(const struct stacks *s)
{
	return s->nr_nodes;
}

bool stacks_are_samples(const struct stacks *s)
{
	return s->samples;
}

/* ------------------------------------------------------------------------- */
/* Folded lines */

struct path {
	char *buf;
	size_t len;
	size_t cap;
};

/* Room after the path for " VALUE\n" (a 64-bit number has at most 20 digits). */
#define LINE_TAIL 24

static void path_push(struct path *p, const char *name)
{
	size_t n = strlen(name);

	if (p->len + n + 1 + LINE_TAIL > p->cap) {
		p->cap = (p->len + n + 1 + LINE_TAIL) * 2;
		p->buf = xrealloc(p->buf, p->cap);
	}
	if (p->len)
		p->buf[p->len++] = ';';
	memcpy(p->buf + p->len, name, n);
	p->len += n;
}

static int write_node(const struct stack_node *n, struct path *p, FILE *out, bool count)
{
	size_t saved = p->len;
	uint64_t value = count ? n->calls : n->self;

	path_push(p, n->name);
	if (n->depth >= 2 && value) {
		/* the line is the path with its value after it: one write */
		char *end = p->buf + p->len;

		*end++ = ' ';
		end = report_put_u64(end, value);
		*end++ = '\n';
		if (fwrite(p->buf, 1, end - p->buf, out) != (size_t)(end - p->buf))
			return -1;
	}
	for (int i = 0; i < n->nr_kids; i++)
		if (write_node(n->kids[i], p, out, count) < 0)
			return -1;
	p->len = saved;
	return 0;
}

int stacks_write_folded(const struct stacks *s, FILE *out, bool count)
{
	struct path p = { 0 };
	int ret = 0;

	for (int i = 0; i < s->root.nr_kids && !ret; i++)
		ret = write_node(s->root.kids[i], &p, out, count);
	free(p.buf);
	if (ret < 0 || fflush(out) != 0) {
		st_set_error("cannot write the folded stacks: %s", strerror(errno));
		return -1;
	}
	return 0;
}
