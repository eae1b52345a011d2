// SPDX-License-Identifier: GPL-2.0
/*
 * The call-tree builder on random streams (fixed seeds, so runs repeat):
 * consistent streams must give exactly the totals of a simple reference
 * model; broken streams (dropped events, lost-event marks, tasks exiting
 * mid-call, wrong depths) must keep the trees' invariants and render.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "callgraph/calltree.h"
#include "callgraph/callview.h"
#include "util.h"

#define NR_FUNCS 12
#define NR_TASKS 4
#define MAX_DEPTH 20

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33) % n;
}

static const char *fname(int f)
{
	static const char *names[NR_FUNCS] = { "f0", "f1", "f2", "f3", "f4", "f5",
					       "f6", "f7", "f8", "f9", "f10", "f11" };
	return names[f];
}

/* The reference model: per-function totals the views must show. */
struct ref {
	uint64_t calls[NR_FUNCS], total[NR_FUNCS], self[NR_FUNCS];
};

struct model_frame {
	int func;
	uint64_t start, child;
};

struct model_task {
	struct model_frame stack[MAX_DEPTH];
	int nr;
	int cpu;
};

static void model_exit(struct ref *ref, struct model_task *t, uint64_t ts)
{
	struct model_frame f = t->stack[--t->nr];
	uint64_t dur = ts - f.start;
	bool outermost = true;

	for (int i = 0; i < t->nr; i++)
		if (t->stack[i].func == f.func)
			outermost = false;
	ref->calls[f.func]++;
	ref->self[f.func] += dur - f.child;
	if (outermost)
		ref->total[f.func] += dur;
	if (t->nr)
		t->stack[t->nr - 1].child += dur;
}

/*
 * A random stream of nr_events; with broken, 1 in 20 events is dropped and
 * lost events, task exits and bogus depths are mixed in.
 */
static void random_stream(struct calltree *ct, struct ref *ref, int nr_events, bool depth,
			  bool broken)
{
	struct model_task tasks[NR_TASKS] = { 0 };
	uint64_t ts = 1000;

	for (int e = 0; e < nr_events; e++) {
		int pid = 1 + rnd(NR_TASKS);
		struct model_task *t = &tasks[pid - 1];
		bool enter = t->nr == 0 || (t->nr < MAX_DEPTH && rnd(2));
		bool drop = broken && rnd(20) == 0;
		int d;

		ts += 1 + rnd(1000);
		if (rnd(10) == 0)
			t->cpu = rnd(3);	/* migration */
		if (broken && rnd(200) == 0)
			calltree_lost(ct, rnd(4) - 1, rnd(3));
		if (broken && rnd(300) == 0) {
			calltree_task_exit(ct, pid, ts);
			t->nr = 0;
			continue;
		}
		if (enter) {
			int f = rnd(NR_FUNCS);

			d = depth ? t->nr : CT_DEPTH_UNKNOWN;
			if (broken && rnd(50) == 0)
				d = rnd(MAX_DEPTH);
			if (!drop)
				calltree_entry(ct, pid, t->cpu, ts, fname(f), d);
			t->stack[t->nr++] = (struct model_frame){ f, ts, 0 };
		} else {
			const struct model_frame *f = &t->stack[t->nr - 1];

			d = depth ? t->nr - 1 : CT_DEPTH_UNKNOWN;
			if (!drop)
				calltree_exit(ct, pid, t->cpu, ts, fname(f->func), d,
					      rnd(2) ? f->start : 0);
			model_exit(ref, t, ts);
		}
	}
	/* close the model's open calls as calltree_finish() does */
	for (int i = 0; i < NR_TASKS; i++)
		while (tasks[i].nr)
			model_exit(ref, &tasks[i], ts);
	calltree_finish(ct, ts);
}

/*
 * Walk every node: invariants, and the profile's sums per function. strict:
 * the stream nests properly, so self is exactly total minus the children.
 */
static void walk(const struct calltree *ct, struct ref *got, bool strict)
{
	for (int i = 0; i < calltree_nr_tasks(ct); i++) {
		const struct ct_node *root = calltree_task(ct, i)->root;
		const struct ct_node *n = root->first_child;

		while (n) {
			const struct ct_stats *st = &n->st;
			uint64_t child_total = 0;
			bool outermost = true;
			int f = atoi(calltree_func_name(ct, n->func) + 1);

			assert_true(st->self_ns <= st->total_ns);
			assert_true(st->max_ns <= st->total_ns);
			assert_true(st->unfinished + st->no_entry <= st->calls);
			for (const struct ct_node *c = n->first_child; c; c = c->next_sibling) {
				child_total += c->st.total_ns;
				/* no line without its parent */
				assert_true(st->calls || !c->st.calls);
			}
			for (const struct ct_node *a = n->parent; a != root; a = a->parent)
				if (a->func == n->func)
					outermost = false;
			got->calls[f] += st->calls;
			got->self[f] += st->self_ns;
			if (outermost)
				got->total[f] += st->total_ns;
			if (strict) {
				assert_int_equal(st->self_ns, st->total_ns - child_total);
				assert_int_equal(st->no_entry, 0);
				assert_false(st->lost);
			}

			if (n->first_child) {
				n = n->first_child;
				continue;
			}
			while (n != root && !n->next_sibling)
				n = n->parent;
			n = n == root ? NULL : n->next_sibling;
		}
	}
}

static void render_all(const struct calltree *ct)
{
	FILE *f = fopen("/dev/null", "w");
	struct callview_opts opts[] = {
		{ 0 },
		{ .max_depth = 3 },
		{ .root = "f3" },
		{ .root = "f5", .max_depth = 2, .per_task = true },
		{ .pids = (int[]){ 2, 3 }, .nr_pids = 2, .per_task = true },
		{ .merge_tasks = true, .max_depth = 4 },
		{ .merge_tasks = true, .root = "f7" },
	};

	assert_non_null(f);
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		assert_int_equal(callview_graph(f, ct, &opts[i]), 0);
		assert_int_equal(callview_profile(f, ct, &opts[i]), 0);
	}
	fclose(f);
}

static void test_consistent_streams(void **state)
{
	for (int seed = 1; seed <= 40; seed++) {
		struct calltree *ct = calltree_new(NULL);
		struct ref ref = { 0 }, got = { 0 };

		rng_state = seed;
		random_stream(ct, &ref, 3000, seed % 2, false);
		walk(ct, &got, true);
		/* only the calls open at the end are marked; the sums are exact */
		for (int f = 0; f < NR_FUNCS; f++) {
			assert_int_equal(got.calls[f], ref.calls[f]);
			assert_int_equal(got.self[f], ref.self[f]);
			assert_int_equal(got.total[f], ref.total[f]);
		}
		render_all(ct);
		calltree_free(ct);
	}
}

static void test_broken_streams(void **state)
{
	for (int seed = 1; seed <= 40; seed++) {
		struct calltree_opts o = { .min_duration_ns = seed % 3 ? 0 : 2000 };
		struct calltree *ct = calltree_new(&o);
		struct ref ref = { 0 }, got = { 0 };

		rng_state = seed * 7919;
		random_stream(ct, &ref, 3000, seed % 2, true);
		walk(ct, &got, false);
		render_all(ct);
		calltree_free(ct);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consistent_streams),
		cmocka_unit_test(test_broken_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
