// SPDX-License-Identifier: LGPL-2.1
/*
 * Rendering of call trees: the graph and profile views (layouts in callview.h).
 * Trees can be as deep as the traced recursion, so every walk here is
 * iterative (parent pointers or an explicit stack), never recursive.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "callgraph/callview.h"
#include "util.h"

static const char graph_header[] =
	"  Total time   Self time       Calls  Function\n"
	"  ==========  ==========  ==========  ====================\n";

static const char profile_header[] =
	"  Total time   Self time       Calls    Avg time    Max time  Function\n"
	"  ==========  ==========  ==========  ==========  ==========  ====================\n";

/* v right-aligned in width columns (more if it has more digits). */
static char *put_uint(char *p, uint64_t v, int width)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	for (; width > n; width--)
		*p++ = ' ';
	while (n)
		*p++ = digits[--n];
	return p;
}

/* The 10 columns of a time (callview.h) at p; returns the end (no NUL). */
static char *put_time_at(char *p, uint64_t ns)
{
	uint64_t unit = ns < 1000000ULL ? 1000 : ns < 1000000000ULL ? 1000000 : 1000000000;
	uint64_t frac = ns / (unit / 1000) % 1000;

	p = put_uint(p, ns / unit, 3);
	*p++ = '.';
	*p++ = '0' + frac / 100;
	*p++ = '0' + frac / 10 % 10;
	*p++ = '0' + frac % 10;
	memcpy(p, unit == 1000 ? " us" : unit == 1000000 ? " ms" : "  s", 3);
	return p + 3;
}

char *callview_format_time(char *buf, size_t size, uint64_t ns)
{
	char text[48];

	*put_time_at(text, ns) = '\0';
	snprintf(buf, size, "%s", text);
	return buf;
}

/* "  TOTAL  SELF  CALLS" of a line, with the two spaces that follow, at p; returns the end. */
static char *put_figures(char *p, const struct ct_stats *st)
{
	*p++ = ' ';
	*p++ = ' ';
	p = put_time_at(p, st->total_ns);
	*p++ = ' ';
	*p++ = ' ';
	p = put_time_at(p, st->self_ns);
	*p++ = ' ';
	*p++ = ' ';
	p = put_uint(p, st->calls, 10);
	*p++ = ' ';
	*p++ = ' ';
	return p;
}

static void put_count_mark(FILE *out, uint64_t n, uint64_t calls, const char *what)
{
	if (!n)
		return;
	if (n == calls)
		fprintf(out, " (%s)", what);
	else
		fprintf(out, " (%" PRIu64 " %s)", n, what);
}

static void put_marks(FILE *out, const struct ct_stats *st)
{
	put_count_mark(out, st->unfinished, st->calls, "unfinished");
	put_count_mark(out, st->no_entry, st->calls, "no entry");
	if (st->lost)
		fputs(" [lost events]", out);
}

static void put_lost_warnings(FILE *out, const struct calltree *ct)
{
	for (int cpu = -1; cpu < calltree_nr_cpus(ct); cpu++) {
		uint64_t count;
		bool known;

		if (!calltree_cpu_lost(ct, cpu, &count, &known))
			continue;
		if (cpu < 0)
			fputs("# lost events: ", out);
		else
			fprintf(out, "# lost events on CPU %d: ", cpu);
		if (known)
			fprintf(out, "%" PRIu64, count);
		else
			fputs("unknown number", out);
		fputs("; calls marked [lost events] may be incomplete\n", out);
	}
}

/* pid -1: the tasks merged (callview_opts.merge_tasks) */
static void put_task_header(FILE *out, const struct ct_task *t)
{
	if (t->pid < 0)
		fputs("# all tasks", out);
	else
		fprintf(out, "# task %d", t->pid);
	if (t->cpu >= 0)
		fprintf(out, " cpu %d", t->cpu);
	if (t->comm)
		fprintf(out, " %s", t->comm);
	fputs(t->lost ? " [lost events]\n" : "\n", out);
}

static bool task_selected(const struct callview_opts *opts, const struct ct_task *t)
{
	if (!opts->pids)
		return true;
	for (int i = 0; i < opts->nr_pids; i++)
		if (opts->pids[i] == t->pid)
			return true;
	return false;
}

static int finish_output(FILE *out)
{
	if (fflush(out) || ferror(out)) {
		st_set_error("cannot write the report: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* *id: the function of opts->root, or -1 without one; -1 with an error if no event named it. */
static int root_func(const struct calltree *ct, const struct callview_opts *opts, int *id)
{
	*id = -1;
	if (!opts->root)
		return 0;
	*id = calltree_find_func(ct, opts->root);
	if (*id < 0) {
		st_set_error("no call of function '%s' in the trace", opts->root);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------- */
/* Tree walks */

/* The node after n's subtree in a pre-order walk of top's subtree, or NULL. */
static const struct ct_node *skip_subtree(const struct ct_node *n, const struct ct_node *top)
{
	while (n != top && !n->next_sibling)
		n = n->parent;
	return n == top ? NULL : n->next_sibling;
}

static const struct ct_node *next_preorder(const struct ct_node *n, const struct ct_node *top)
{
	return n->first_child ? n->first_child : skip_subtree(n, top);
}

static void add_stats(struct ct_stats *dst, const struct ct_stats *src, bool add_total)
{
	dst->calls += src->calls;
	if (add_total)
		dst->total_ns += src->total_ns;
	dst->self_ns += src->self_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	dst->unfinished += src->unfinished;
	dst->no_entry += src->no_entry;
	dst->lost |= src->lost;
}

/* ------------------------------------------------------------------------- */
/* --root: the outermost calls of one function in a task, merged into one tree */

struct node_pool {
	struct ct_node **nodes;
	int nr;
	int alloc;
};

static struct ct_node *pool_child(struct node_pool *pool, struct ct_node *parent, int func)
{
	struct ct_node *n;

	for (n = parent ? parent->first_child : NULL; n; n = n->next_sibling)
		if (n->func == func)
			return n;
	if (pool->nr == pool->alloc) {
		pool->alloc = pool->alloc ? pool->alloc * 2 : 64;
		pool->nodes = xrealloc(pool->nodes, pool->alloc * sizeof(*pool->nodes));
	}
	n = xcalloc(1, sizeof(*n));
	n->func = func;
	n->serial = pool->nr;
	pool->nodes[pool->nr++] = n;
	if (parent) {
		n->parent = parent;
		if (parent->last_child)
			parent->last_child->next_sibling = n;
		else
			parent->first_child = n;
		parent->last_child = n;
	}
	return n;
}

static void pool_free(struct node_pool *pool)
{
	for (int i = 0; i < pool->nr; i++)
		free(pool->nodes[i]);
	free(pool->nodes);
}

/* Add src's subtree (below src itself) to dst's. */
static void merge_below(struct node_pool *pool, struct ct_node *dst, const struct ct_node *src)
{
	const struct ct_node *s = src->first_child;
	struct ct_node *d = dst;	/* the copy of s's parent */

	while (s) {
		struct ct_node *copy = pool_child(pool, d, s->func);

		add_stats(&copy->st, &s->st, true);
		if (s->first_child) {
			d = copy;
			s = s->first_child;
			continue;
		}
		while (!s->next_sibling) {
			s = s->parent;
			if (s == src)
				return;
			d = d->parent;
		}
		s = s->next_sibling;
	}
}

/*
 * Merge every outermost call of func in the task into the only child of the
 * pseudo root top (created if NULL). Returns top, NULL if it still has nothing.
 */
static struct ct_node *merge_root_calls(struct node_pool *pool, struct ct_node *top,
					const struct ct_task *t, int func)
{
	struct ct_node *merged = top ? top->first_child : NULL;
	const struct ct_node *n = t->root->first_child;

	while (n) {
		if (n->func != func) {
			n = next_preorder(n, t->root);
			continue;
		}
		if (!top)
			top = pool_child(pool, NULL, -1);
		if (!merged)
			merged = pool_child(pool, top, func);
		add_stats(&merged->st, &n->st, true);
		merge_below(pool, merged, n);
		n = skip_subtree(n, t->root);
	}
	return top;
}

/* ------------------------------------------------------------------------- */
/* Graph */

struct sorted_node {
	const struct ct_node *node;
	const char *name;
};

static int cmp_sorted_node(const void *pa, const void *pb)
{
	const struct sorted_node *a = pa, *b = pb;

	if (a->node->st.total_ns != b->node->st.total_ns)
		return a->node->st.total_ns > b->node->st.total_ns ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* The children worth a line (at least one counted call), sorted. */
static struct sorted_node *sorted_children(const struct calltree *ct, const struct ct_node *n,
					   int *nr)
{
	struct sorted_node *v = NULL;
	int alloc = 0;

	*nr = 0;
	for (const struct ct_node *c = n->first_child; c; c = c->next_sibling) {
		if (!c->st.calls)
			continue;
		if (*nr == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			v = xrealloc(v, alloc * sizeof(*v));
		}
		v[*nr].node = c;
		v[*nr].name = calltree_func_name(ct, c->func);
		(*nr)++;
	}
	if (*nr > 1)
		qsort(v, *nr, sizeof(*v), cmp_sorted_node);
	return v;
}

struct graph_level {
	struct sorted_node *kids;
	int nr;
	int next;
	size_t prefix_len;	/* of the "|  " / "   " columns in front of these kids */
};

struct graph_walk {
	struct graph_level *levels;
	int nr;
	int alloc;
	char *prefix;
	size_t prefix_alloc;
};

static void push_level(struct graph_walk *w, struct sorted_node *kids, int nr, size_t prefix_len)
{
	if (w->nr == w->alloc) {
		w->alloc = w->alloc ? w->alloc * 2 : 16;
		w->levels = xrealloc(w->levels, w->alloc * sizeof(*w->levels));
	}
	w->levels[w->nr++] = (struct graph_level){ kids, nr, 0, prefix_len };
}

static void put_graph_line(FILE *out, const struct calltree *ct, const struct graph_walk *w,
			   const struct graph_level *l, const struct ct_node *n)
{
	char figures[96];

	fwrite(figures, 1, put_figures(figures, &n->st) - figures, out);
	fwrite(w->prefix, 1, l->prefix_len, out);
	if (w->nr > 1)
		fwrite("+- ", 1, 3, out);
	fputs(calltree_func_name(ct, n->func), out);
	put_marks(out, &n->st);
	fputc('\n', out);
}

/* One task's tree; *printed: something was printed before (then a blank line first). */
static void put_graph_tree(FILE *out, const struct calltree *ct, const struct ct_node *top,
			   int max_depth, const struct ct_task *t, bool *printed)
{
	struct graph_walk w = { .prefix = xmalloc(64), .prefix_alloc = 64 };
	struct sorted_node *kids;
	int nr;

	kids = sorted_children(ct, top, &nr);
	if (!nr) {
		free(kids);
		free(w.prefix);
		return;
	}
	if (*printed)
		fputc('\n', out);
	*printed = true;
	put_task_header(out, t);
	fputs(graph_header, out);
	push_level(&w, kids, nr, 0);
	while (w.nr) {
		struct graph_level *l = &w.levels[w.nr - 1];
		const struct ct_node *n;
		size_t len;

		if (l->next == l->nr) {
			free(l->kids);
			w.nr--;
			continue;
		}
		n = l->kids[l->next++].node;
		put_graph_line(out, ct, &w, l, n);
		if (max_depth && w.nr >= max_depth)
			continue;
		kids = sorted_children(ct, n, &nr);
		if (!nr) {
			free(kids);
			continue;
		}
		len = l->prefix_len;
		if (w.nr > 1) {
			/* Below a child: continue its branch if it has siblings left. */
			if (len + 4 > w.prefix_alloc) {
				w.prefix_alloc = (len + 4) * 2;
				w.prefix = xrealloc(w.prefix, w.prefix_alloc);
			}
			memcpy(w.prefix + len, l->next < l->nr ? "|  " : "   ", 3);
			len += 3;
		}
		push_level(&w, kids, nr, len);
	}
	free(w.levels);
	free(w.prefix);
}

/* Every selected task's tree (or calls of func) merged into one. */
static void put_merged_graph(FILE *out, const struct calltree *ct,
			     const struct callview_opts *opts, int func, bool *printed)
{
	struct ct_task all = { .pid = -1, .cpu = -1 };
	struct node_pool pool = { 0 };
	struct ct_node *top = pool_child(&pool, NULL, -1);

	for (int i = 0; i < calltree_nr_tasks(ct); i++) {
		const struct ct_task *t = calltree_task(ct, i);

		if (!task_selected(opts, t))
			continue;
		all.lost |= t->lost;
		if (func >= 0)
			merge_root_calls(&pool, top, t, func);
		else
			merge_below(&pool, top, t->root);
	}
	put_graph_tree(out, ct, top, opts->max_depth, &all, printed);
	pool_free(&pool);
}

int callview_graph(FILE *out, const struct calltree *ct, const struct callview_opts *opts)
{
	static const struct callview_opts no_opts;
	bool printed = false;
	int func;

	if (!opts)
		opts = &no_opts;
	if (root_func(ct, opts, &func))
		return -1;
	put_lost_warnings(out, ct);
	if (opts->merge_tasks) {
		put_merged_graph(out, ct, opts, func, &printed);
	} else {
		for (int i = 0; i < calltree_nr_tasks(ct); i++) {
			const struct ct_task *t = calltree_task(ct, i);
			struct node_pool pool = { 0 };
			const struct ct_node *top = t->root;

			if (!task_selected(opts, t))
				continue;
			if (func >= 0)
				top = merge_root_calls(&pool, NULL, t, func);
			if (top)
				put_graph_tree(out, ct, top, opts->max_depth, t, &printed);
			pool_free(&pool);
		}
	}
	if (!printed)
		fputs("# no function calls to show\n", out);
	return finish_output(out);
}

/* ------------------------------------------------------------------------- */
/* Profile */

struct profile {
	struct ct_stats *by_func;	/* indexed by function id */
	int *active;			/* calls of each function open in the current walk */
	int *used;			/* the functions with stats, so that a table per task
					 * costs its own functions, not every function */
	bool *is_used;
	int nr_used;
};

static void profile_enter(struct profile *p, const struct ct_node *n)
{
	int f = n->func;

	if (!p->is_used[f]) {
		p->is_used[f] = true;
		p->used[p->nr_used++] = f;
	}
	add_stats(&p->by_func[f], &n->st, !p->active[f]);
	p->active[f]++;
}

/* Add sub and everything below it. */
static void profile_subtree(struct profile *p, const struct ct_node *sub)
{
	const struct ct_node *n = sub;

	profile_enter(p, n);
	for (;;) {
		if (n->first_child) {
			n = n->first_child;
			profile_enter(p, n);
			continue;
		}
		for (;;) {
			p->active[n->func]--;
			if (n == sub)
				return;
			if (n->next_sibling) {
				n = n->next_sibling;
				profile_enter(p, n);
				break;
			}
			n = n->parent;
		}
	}
}

/* Add a task's calls; with func >= 0 only its outermost calls and what runs under them. */
static void profile_task(struct profile *p, const struct ct_task *t, int func)
{
	const struct ct_node *n = t->root->first_child;

	while (n) {
		if (func < 0 || n->func == func) {
			profile_subtree(p, n);
			n = skip_subtree(n, t->root);
		} else {
			n = next_preorder(n, t->root);
		}
	}
}

static void profile_reset(struct profile *p)
{
	for (int i = 0; i < p->nr_used; i++) {
		memset(&p->by_func[p->used[i]], 0, sizeof(*p->by_func));
		p->is_used[p->used[i]] = false;
	}
	p->nr_used = 0;
}

struct profile_row {
	const struct ct_stats *st;
	const char *name;
};

static int cmp_profile_row(const void *pa, const void *pb)
{
	const struct profile_row *a = pa, *b = pb;

	if (a->st->total_ns != b->st->total_ns)
		return a->st->total_ns > b->st->total_ns ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void put_profile_row(FILE *out, const struct profile_row *row)
{
	const struct ct_stats *st = row->st;
	char figures[128], *p = put_figures(figures, st);

	p = put_time_at(p, st->total_ns / st->calls);
	*p++ = ' ';
	*p++ = ' ';
	p = put_time_at(p, st->max_ns);
	*p++ = ' ';
	*p++ = ' ';
	fwrite(figures, 1, p - figures, out);
	fputs(row->name, out);
	put_marks(out, st);
	fputc('\n', out);
}

/* One table (t: of that task); *printed as for put_graph_tree(). */
static void put_profile(FILE *out, const struct calltree *ct, const struct profile *p,
			const struct ct_task *t, bool *printed)
{
	struct profile_row *rows = xmalloc((p->nr_used + 1) * sizeof(*rows));
	int nr = 0;

	for (int i = 0; i < p->nr_used; i++) {
		int f = p->used[i];

		if (!p->by_func[f].calls)
			continue;
		rows[nr].st = &p->by_func[f];
		rows[nr].name = calltree_func_name(ct, f);
		nr++;
	}
	if (nr) {
		qsort(rows, nr, sizeof(*rows), cmp_profile_row);
		if (*printed)
			fputc('\n', out);
		*printed = true;
		if (t)
			put_task_header(out, t);
		fputs(profile_header, out);
	}
	for (int i = 0; i < nr; i++)
		put_profile_row(out, &rows[i]);
	free(rows);
}

int callview_profile(FILE *out, const struct calltree *ct, const struct callview_opts *opts)
{
	static const struct callview_opts no_opts;
	int nr_funcs = calltree_nr_funcs(ct) + 1;
	struct profile p = {
		.by_func = xcalloc(nr_funcs, sizeof(*p.by_func)),
		.active = xcalloc(nr_funcs, sizeof(*p.active)),
		.used = xcalloc(nr_funcs, sizeof(*p.used)),
		.is_used = xcalloc(nr_funcs, sizeof(*p.is_used)),
	};
	bool printed = false;
	int func, ret = -1;

	if (!opts)
		opts = &no_opts;
	if (root_func(ct, opts, &func))
		goto out;
	put_lost_warnings(out, ct);
	for (int i = 0; i < calltree_nr_tasks(ct); i++) {
		const struct ct_task *t = calltree_task(ct, i);

		if (!task_selected(opts, t))
			continue;
		profile_task(&p, t, func);
		if (!opts->per_task)
			continue;
		put_profile(out, ct, &p, t, &printed);
		profile_reset(&p);
	}
	if (!opts->per_task)
		put_profile(out, ct, &p, NULL, &printed);
	if (!printed)
		fputs("# no function calls to show\n", out);
	ret = finish_output(out);
out:
	free(p.by_func);
	free(p.active);
	free(p.used);
	free(p.is_used);
	return ret;
}
