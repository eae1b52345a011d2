// SPDX-License-Identifier: GPL-2.0
/*
 * The call-tree builder and its views on synthetic entry/exit streams, with
 * the exact text expected. Times are in ns; "us" below means 1000 ns.
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

#define US 1000ULL
#define MS 1000000ULL
#define NOD CT_DEPTH_UNKNOWN

static void in(struct calltree *ct, int pid, int cpu, uint64_t ts, const char *f, int depth)
{
	calltree_entry(ct, pid, cpu, ts, f, depth);
}

static void out(struct calltree *ct, int pid, int cpu, uint64_t ts, const char *f, int depth)
{
	calltree_exit(ct, pid, cpu, ts, f, depth, 0);
}

/* entry at ts, exit at ts + dur */
static void leaf(struct calltree *ct, int pid, int cpu, uint64_t ts, uint64_t dur, const char *f,
		 int depth)
{
	in(ct, pid, cpu, ts, f, depth);
	out(ct, pid, cpu, ts + dur, f, depth);
}

enum view { GRAPH, PROFILE };

/* Render a view into a string (the caller frees it). */
static char *render(const struct calltree *ct, enum view v, const struct callview_opts *opts)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	int ret;

	assert_non_null(f);
	ret = v == GRAPH ? callview_graph(f, ct, opts) : callview_profile(f, ct, opts);
	assert_int_equal(ret, 0);
	fclose(f);
	return buf;
}

static void check(const struct calltree *ct, enum view v, const struct callview_opts *opts,
		  const char *expected)
{
	char *got = render(ct, v, opts);

	if (strcmp(got, expected))
		fprintf(stderr, "---- expected\n%s---- got\n%s----\n", expected, got);
	assert_string_equal(got, expected);
	free(got);
}

#define GRAPH_HEAD \
	"  Total time   Self time       Calls  Function\n" \
	"  ==========  ==========  ==========  ====================\n"
#define PROFILE_HEAD \
	"  Total time   Self time       Calls    Avg time    Max time  Function\n" \
	"  ==========  ==========  ==========  ==========  ==========  ====================\n"

/* ------------------------------------------------------------------------- */

static void test_format_time(void **state)
{
	char buf[32];

	assert_string_equal(callview_format_time(buf, sizeof(buf), 0), "  0.000 us");
	assert_string_equal(callview_format_time(buf, sizeof(buf), 523), "  0.523 us");
	assert_string_equal(callview_format_time(buf, sizeof(buf), 2579), "  2.579 us");
	assert_string_equal(callview_format_time(buf, sizeof(buf), 999999), "999.999 us");
	assert_string_equal(callview_format_time(buf, sizeof(buf), 1000000), "  1.000 ms");
	assert_string_equal(callview_format_time(buf, sizeof(buf), 10100000), " 10.100 ms");
	assert_string_equal(callview_format_time(buf, sizeof(buf), 999999999), "999.999 ms");
	assert_string_equal(callview_format_time(buf, sizeof(buf), 2500000000ULL), "  2.500  s");
	/* no minutes or hours: seconds just widen */
	assert_string_equal(callview_format_time(buf, sizeof(buf), 3723004000000ULL),
			    "3723.004  s");
}

/* The kernel example of Documentation/trace-dat.md 2.2, as function_graph would report it. */
static struct calltree *nested_open(void)
{
	struct calltree *ct = calltree_new(NULL);

	calltree_set_comm(ct, 1234, "ls");
	in(ct, 1234, 0, 1 * US, "do_sys_open", 0);
	leaf(ct, 1234, 0, 2 * US, 1234, "getname", 1);
	in(ct, 1234, 0, 4 * US, "do_filp_open", 1);
	leaf(ct, 1234, 0, 5 * US, 15 * US, "path_openat", 2);
	leaf(ct, 1234, 0, 21 * US, 9 * US, "slow_leaf", 2);
	out(ct, 1234, 0, 154 * US, "do_filp_open", 1);
	out(ct, 1234, 0, 2004 * US, "do_sys_open", 0);
	calltree_finish(ct, 0);
	return ct;
}

static void test_nesting(void **state)
{
	struct calltree *ct = nested_open();

	check(ct, GRAPH, NULL,
	      "# task 1234 ls\n"
	      GRAPH_HEAD
	      "    2.003 ms    1.851 ms           1  do_sys_open\n"
	      "  150.000 us  126.000 us           1  +- do_filp_open\n"
	      "   15.000 us   15.000 us           1  |  +- path_openat\n"
	      "    9.000 us    9.000 us           1  |  +- slow_leaf\n"
	      "    1.234 us    1.234 us           1  +- getname\n");
	check(ct, PROFILE, NULL,
	      PROFILE_HEAD
	      "    2.003 ms    1.851 ms           1    2.003 ms    2.003 ms  do_sys_open\n"
	      "  150.000 us  126.000 us           1  150.000 us  150.000 us  do_filp_open\n"
	      "   15.000 us   15.000 us           1   15.000 us   15.000 us  path_openat\n"
	      "    9.000 us    9.000 us           1    9.000 us    9.000 us  slow_leaf\n"
	      "    1.234 us    1.234 us           1    1.234 us    1.234 us  getname\n");
	calltree_free(ct);
}

static void test_leaf(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	leaf(ct, 7, 0, 100, 523, "getpid", 0);
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 7\n"
	      GRAPH_HEAD
	      "    0.523 us    0.523 us           1  getpid\n");
	calltree_free(ct);
}

/* Repeated calls of the same path merge into one line; the branch bars continue. */
static void test_aggregation_and_bars(void **state)
{
	struct calltree *ct = calltree_new(NULL);
	uint64_t t = 0;

	for (int i = 0; i < 3; i++) {
		in(ct, 5, 0, t, "loop", 0);
		in(ct, 5, 0, t + 1 * US, "a", 1);
		leaf(ct, 5, 0, t + 2 * US, 1 * US, "a1", 2);
		in(ct, 5, 0, t + 3 * US, "a2", 2);
		leaf(ct, 5, 0, t + 4 * US, 1 * US, "a2x", 3);
		out(ct, 5, 0, t + 6 * US, "a2", 2);
		out(ct, 5, 0, t + 7 * US, "a", 1);
		leaf(ct, 5, 0, t + 8 * US, 1 * US, "b", 1);
		out(ct, 5, 0, t + 10 * US, "loop", 0);
		t += 100 * US;
	}
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 5\n"
	      GRAPH_HEAD
	      "   30.000 us    9.000 us           3  loop\n"
	      "   18.000 us    6.000 us           3  +- a\n"
	      "    9.000 us    6.000 us           3  |  +- a2\n"
	      "    3.000 us    3.000 us           3  |  |  +- a2x\n"
	      "    3.000 us    3.000 us           3  |  +- a1\n"
	      "    3.000 us    3.000 us           3  +- b\n");
	calltree_free(ct);
}

/* A task moves to another CPU in the middle of a call: one stack per pid. */
static void test_cpu_migration(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	in(ct, 42, 0, 10 * US, "outer", 0);
	leaf(ct, 42, 0, 11 * US, 2 * US, "on_cpu0", 1);
	in(ct, 42, 1, 20 * US, "migrated", 1);		/* now on CPU 1 */
	leaf(ct, 42, 1, 21 * US, 3 * US, "inner", 2);
	out(ct, 42, 1, 30 * US, "migrated", 1);
	out(ct, 42, 0, 40 * US, "outer", 0);		/* and back on CPU 0 */
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 42\n"
	      GRAPH_HEAD
	      "   30.000 us   18.000 us           1  outer\n"
	      "   10.000 us    7.000 us           1  +- migrated\n"
	      "    3.000 us    3.000 us           1  |  +- inner\n"
	      "    2.000 us    2.000 us           1  +- on_cpu0\n");
	calltree_free(ct);
}

/* Two tasks interleaved on two CPUs, and a pid filter. */
static void test_two_tasks(void **state)
{
	struct calltree *ct = calltree_new(NULL);
	int only_b[] = { 20 };
	struct callview_opts opts = { .pids = only_b, .nr_pids = 1 };

	calltree_set_comm(ct, 10, "a");
	calltree_set_comm(ct, 20, "b");
	in(ct, 20, 1, 1 * US, "read", 0);
	in(ct, 10, 0, 2 * US, "write", 0);
	in(ct, 20, 1, 3 * US, "copy", 1);
	in(ct, 10, 0, 4 * US, "copy", 1);
	out(ct, 20, 1, 5 * US, "copy", 1);
	out(ct, 10, 0, 8 * US, "copy", 1);
	out(ct, 20, 1, 9 * US, "read", 0);
	out(ct, 10, 0, 10 * US, "write", 0);
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 10 a\n"
	      GRAPH_HEAD
	      "    8.000 us    4.000 us           1  write\n"
	      "    4.000 us    4.000 us           1  +- copy\n"
	      "\n"
	      "# task 20 b\n"
	      GRAPH_HEAD
	      "    8.000 us    6.000 us           1  read\n"
	      "    2.000 us    2.000 us           1  +- copy\n");
	check(ct, GRAPH, &opts,
	      "# task 20 b\n"
	      GRAPH_HEAD
	      "    8.000 us    6.000 us           1  read\n"
	      "    2.000 us    2.000 us           1  +- copy\n");
	opts.merge_tasks = true;
	opts.pids = NULL;
	check(ct, GRAPH, &opts,
	      "# all tasks\n"
	      GRAPH_HEAD
	      "    8.000 us    6.000 us           1  read\n"
	      "    2.000 us    2.000 us           1  +- copy\n"
	      "    8.000 us    4.000 us           1  write\n"
	      "    4.000 us    4.000 us           1  +- copy\n");
	opts.root = "copy";
	check(ct, GRAPH, &opts,
	      "# all tasks\n"
	      GRAPH_HEAD
	      "    6.000 us    6.000 us           2  copy\n");
	opts.root = NULL;
	opts.merge_tasks = false;
	check(ct, PROFILE, NULL,
	      PROFILE_HEAD
	      "    8.000 us    6.000 us           1    8.000 us    8.000 us  read\n"
	      "    8.000 us    4.000 us           1    8.000 us    8.000 us  write\n"
	      "    6.000 us    6.000 us           2    3.000 us    4.000 us  copy\n");
	opts.per_task = true;
	opts.pids = NULL;
	check(ct, PROFILE, &opts,
	      "# task 10 a\n"
	      PROFILE_HEAD
	      "    8.000 us    4.000 us           1    8.000 us    8.000 us  write\n"
	      "    4.000 us    4.000 us           1    4.000 us    4.000 us  copy\n"
	      "\n"
	      "# task 20 b\n"
	      PROFILE_HEAD
	      "    8.000 us    6.000 us           1    8.000 us    8.000 us  read\n"
	      "    2.000 us    2.000 us           1    2.000 us    2.000 us  copy\n");
	calltree_free(ct);
}

/*
 * Lost events on CPU 1: the task last seen there has its open calls marked,
 * the task on CPU 0 does not; the task of the next event on CPU 1 (which
 * arrived from CPU 0) is marked too.
 */
static void test_lost_events(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	in(ct, 1, 1, 1 * US, "victim", 0);
	in(ct, 1, 1, 2 * US, "child", 1);
	in(ct, 2, 0, 3 * US, "bystander", 0);
	leaf(ct, 3, 0, 3 * US, 1 * US, "mover", 0);
	calltree_lost(ct, 1, 12);
	in(ct, 3, 1, 5 * US, "after", 0);		/* first event on CPU 1 after the loss */
	out(ct, 3, 1, 6 * US, "after", 0);
	out(ct, 1, 1, 7 * US, "child", 1);
	out(ct, 1, 1, 9 * US, "victim", 0);
	out(ct, 2, 0, 10 * US, "bystander", 0);
	leaf(ct, 1, 1, 11 * US, 1 * US, "later", 0);	/* after the loss: complete */
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# lost events on CPU 1: 12; calls marked [lost events] may be incomplete\n"
	      "# task 1 [lost events]\n"
	      GRAPH_HEAD
	      "    8.000 us    3.000 us           1  victim [lost events]\n"
	      "    5.000 us    5.000 us           1  +- child [lost events]\n"
	      "    1.000 us    1.000 us           1  later\n"
	      "\n"
	      "# task 2\n"
	      GRAPH_HEAD
	      "    7.000 us    7.000 us           1  bystander\n"
	      "\n"
	      "# task 3 [lost events]\n"
	      GRAPH_HEAD
	      "    1.000 us    1.000 us           1  after\n"
	      "    1.000 us    1.000 us           1  mover\n");
	check(ct, PROFILE, NULL,
	      "# lost events on CPU 1: 12; calls marked [lost events] may be incomplete\n"
	      PROFILE_HEAD
	      "    8.000 us    3.000 us           1    8.000 us    8.000 us  victim [lost events]\n"
	      "    7.000 us    7.000 us           1    7.000 us    7.000 us  bystander\n"
	      "    5.000 us    5.000 us           1    5.000 us    5.000 us  child [lost events]\n"
	      "    1.000 us    1.000 us           1    1.000 us    1.000 us  after\n"
	      "    1.000 us    1.000 us           1    1.000 us    1.000 us  later\n"
	      "    1.000 us    1.000 us           1    1.000 us    1.000 us  mover\n");
	calltree_free(ct);
}

/* After lost events the stream is inconsistent: the exit of a call whose entry was lost. */
static void test_lost_entry_mid_stream(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	in(ct, 9, 0, 0, "main_loop", 0);
	in(ct, 9, 0, 1 * US, "handler", 1);
	in(ct, 9, 0, 2 * US, "inner", 2);		/* its exit is lost... */
	calltree_lost(ct, 0, 0);
	calltree_exit(ct, 9, 0, 10 * US, "helper", 2, 6 * US);	/* ...and helper's entry */
	out(ct, 9, 0, 12 * US, "handler", 1);
	out(ct, 9, 0, 20 * US, "main_loop", 0);
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# lost events on CPU 0: unknown number; calls marked [lost events] may be incomplete\n"
	      "# task 9 [lost events]\n"
	      GRAPH_HEAD
	      "   20.000 us    9.000 us           1  main_loop [lost events]\n"
	      "   11.000 us    3.000 us           1  +- handler [lost events]\n"
	      "    4.000 us    4.000 us           1     +- helper (no entry)\n"
	      "    4.000 us    4.000 us           1     +- inner (unfinished) [lost events]\n");
	calltree_free(ct);
}

/*
 * The trace starts inside calls: exits without entries, the deepest first.
 * Each one wraps what the task did so far. With calltime the wrapped call's
 * time is exact, without it it runs from the task's first event.
 */
static void test_exit_without_entry_at_start(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	leaf(ct, 3, 0, 10 * US, 2 * US, "deep_leaf", 3);
	out(ct, 3, 0, 15 * US, "level2", 2);
	leaf(ct, 3, 0, 16 * US, 1 * US, "sibling", 2);
	calltree_exit(ct, 3, 0, 20 * US, "level1", 1, 5 * US);
	out(ct, 3, 0, 30 * US, "level0", 0);
	leaf(ct, 3, 0, 40 * US, 1 * US, "next_call", 0);
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 3\n"
	      GRAPH_HEAD
	      "   20.000 us    5.000 us           1  level0 (no entry)\n"
	      "   15.000 us    9.000 us           1  +- level1 (no entry)\n"
	      "    5.000 us    3.000 us           1     +- level2 (no entry)\n"
	      "    2.000 us    2.000 us           1     |  +- deep_leaf\n"
	      "    1.000 us    1.000 us           1     +- sibling\n"
	      "    1.000 us    1.000 us           1  next_call\n");
	calltree_free(ct);
}

/* Calls still open at the end of the trace, and a task that exits inside a call. */
static void test_unfinished_at_end(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	in(ct, 4, 0, 1 * US, "main", 0);
	leaf(ct, 4, 0, 2 * US, 1 * US, "done", 1);
	in(ct, 4, 0, 5 * US, "waiting", 1);
	in(ct, 6, 1, 1 * US, "work", 0);
	in(ct, 6, 1, 2 * US, "exit_group", 1);
	calltree_task_exit(ct, 6, 8 * US);
	calltree_lost(ct, 1, 3);			/* not the exited task's */
	leaf(ct, 6, 0, 20 * US, 1 * US, "new_life", 0);	/* pid reused: a new task */
	calltree_finish(ct, 50 * US);
	check(ct, GRAPH, NULL,
	      "# lost events on CPU 1: 3; calls marked [lost events] may be incomplete\n"
	      "# task 4\n"
	      GRAPH_HEAD
	      "   49.000 us    3.000 us           1  main (unfinished)\n"
	      "   45.000 us   45.000 us           1  +- waiting (unfinished)\n"
	      "    1.000 us    1.000 us           1  +- done\n"
	      "\n"
	      "# task 6\n"
	      GRAPH_HEAD
	      "    7.000 us    1.000 us           1  work (unfinished)\n"
	      "    6.000 us    6.000 us           1  +- exit_group (unfinished)\n"
	      "\n"
	      "# task 6\n"
	      GRAPH_HEAD
	      "    1.000 us    1.000 us           1  new_life\n");
	calltree_free(ct);
}

/* fib(4) with uprobes (no depth): 9 calls; the profile's total is the outermost call. */
static uint64_t fib(struct calltree *ct, int n, uint64_t t)
{
	in(ct, 100, 0, t, "fib", NOD);
	t += 1 * US;
	if (n > 1) {
		t = fib(ct, n - 1, t);
		t = fib(ct, n - 2, t);
	}
	out(ct, 100, 0, t, "fib", NOD);
	return t + 1 * US;
}

static void test_recursion(void **state)
{
	struct calltree *ct = calltree_new(NULL);
	struct callview_opts depth2 = { .max_depth = 2 };

	in(ct, 100, 0, 0, "main", NOD);
	fib(ct, 4, 1 * US);
	out(ct, 100, 0, 30 * US, "main", NOD);
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 100\n"
	      GRAPH_HEAD
	      "   30.000 us   13.000 us           1  main\n"
	      "   17.000 us    3.000 us           1  +- fib\n"
	      "   14.000 us    6.000 us           2     +- fib\n"
	      "    8.000 us    6.000 us           4        +- fib\n"
	      "    2.000 us    2.000 us           2           +- fib\n");
	check(ct, GRAPH, &depth2,
	      "# task 100\n"
	      GRAPH_HEAD
	      "   30.000 us   13.000 us           1  main\n"
	      "   17.000 us    3.000 us           1  +- fib\n");
	check(ct, PROFILE, NULL,
	      PROFILE_HEAD
	      "   30.000 us   13.000 us           1   30.000 us   30.000 us  main\n"
	      "   17.000 us   17.000 us           9    1.888 us   17.000 us  fib\n");
	calltree_free(ct);
}

/* longjmp / exceptions: the exit matches an outer frame; the inner ones never returned. */
static void test_longjmp(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	in(ct, 8, 0, 0, "main", NOD);
	in(ct, 8, 0, 1 * US, "parse", NOD);
	in(ct, 8, 0, 2 * US, "expr", NOD);
	in(ct, 8, 0, 3 * US, "error", NOD);
	out(ct, 8, 0, 10 * US, "parse", NOD);		/* longjmp back into parse's caller */
	leaf(ct, 8, 0, 11 * US, 1 * US, "cleanup", NOD);
	out(ct, 8, 0, 20 * US, "main", NOD);
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 8\n"
	      GRAPH_HEAD
	      "   20.000 us   10.000 us           1  main\n"
	      "    9.000 us    1.000 us           1  +- parse\n"
	      "    8.000 us    1.000 us           1  |  +- expr (unfinished)\n"
	      "    7.000 us    7.000 us           1  |     +- error (unfinished)\n"
	      "    1.000 us    1.000 us           1  +- cleanup\n");
	calltree_free(ct);
}

/* With a known depth, an entry at the depth of an open call closes it (its exit was lost). */
static void test_lost_exit_by_depth(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	in(ct, 2, 0, 0, "parent", 0);
	in(ct, 2, 0, 1 * US, "first", 1);
	in(ct, 2, 0, 5 * US, "second", 1);
	out(ct, 2, 0, 6 * US, "second", 1);
	out(ct, 2, 0, 8 * US, "parent", 0);
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 2\n"
	      GRAPH_HEAD
	      "    8.000 us    3.000 us           1  parent\n"
	      "    4.000 us    4.000 us           1  +- first (unfinished)\n"
	      "    1.000 us    1.000 us           1  +- second\n");
	calltree_free(ct);
}

/*
 * function_graph exits carry calltime: a call's time is exactly rettime -
 * calltime, as trace-cmd prints it. A calltime on another clock is ignored.
 */
static void test_calltime(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	in(ct, 1, 0, 1000, "outer", 0);
	in(ct, 1, 0, 2000, "exact", 1);				/* calltime 1990 */
	calltree_exit(ct, 1, 0, 3000, "exact", 1, 1990);	/* 1.010 us */
	in(ct, 1, 0, 40000, "other_clock", 1);
	calltree_exit(ct, 1, 0, 45000, "other_clock", 1, 5);	/* implausible: 5 us */
	in(ct, 1, 0, 50000, "future", 1);
	calltree_exit(ct, 1, 0, 51000, "future", 1, 99999999);	/* after ts: 1 us */
	calltree_exit(ct, 1, 0, 60000, "outer", 0, 990);	/* 59.010 us */
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 1\n"
	      GRAPH_HEAD
	      "   59.010 us   52.000 us           1  outer\n"
	      "    5.000 us    5.000 us           1  +- other_clock\n"
	      "    1.010 us    1.010 us           1  +- exact\n"
	      "    1.000 us    1.000 us           1  +- future\n");
	calltree_free(ct);
}

static void test_min_duration(void **state)
{
	struct calltree_opts o = { .min_duration_ns = 5 * US };
	struct calltree *ct = calltree_new(&o);

	in(ct, 1, 0, 0, "slow", 0);
	leaf(ct, 1, 0, 1 * US, 1 * US, "fast", 1);	/* pruned */
	in(ct, 1, 0, 3 * US, "medium", 1);
	leaf(ct, 1, 0, 4 * US, 2 * US, "tiny", 2);	/* pruned */
	out(ct, 1, 0, 10 * US, "medium", 1);
	leaf(ct, 1, 0, 11 * US, 5 * US, "fast", 1);	/* exactly 5 us: kept */
	out(ct, 1, 0, 20 * US, "slow", 0);
	leaf(ct, 1, 0, 30 * US, 4 * US, "slow", 0);	/* a fast call of a slow path */
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 1\n"
	      GRAPH_HEAD
	      "   20.000 us    7.000 us           1  slow\n"
	      "    7.000 us    5.000 us           1  +- medium\n"
	      "    5.000 us    5.000 us           1  +- fast\n");
	check(ct, PROFILE, NULL,
	      PROFILE_HEAD
	      "   20.000 us    7.000 us           1   20.000 us   20.000 us  slow\n"
	      "    7.000 us    5.000 us           1    7.000 us    7.000 us  medium\n"
	      "    5.000 us    5.000 us           1    5.000 us    5.000 us  fast\n");
	calltree_free(ct);
}

static void test_depth_cut(void **state)
{
	struct calltree *ct = nested_open();
	struct callview_opts one = { .max_depth = 1 }, two = { .max_depth = 2 };

	check(ct, GRAPH, &one,
	      "# task 1234 ls\n"
	      GRAPH_HEAD
	      "    2.003 ms    1.851 ms           1  do_sys_open\n");
	check(ct, GRAPH, &two,
	      "# task 1234 ls\n"
	      GRAPH_HEAD
	      "    2.003 ms    1.851 ms           1  do_sys_open\n"
	      "  150.000 us  126.000 us           1  +- do_filp_open\n"
	      "    1.234 us    1.234 us           1  +- getname\n");
	calltree_free(ct);
}

/* --root: the outermost calls of a function, merged per task, wherever they ran. */
static void test_root_filter(void **state)
{
	struct calltree *ct = calltree_new(NULL);
	struct callview_opts root = { .root = "lookup" };
	struct callview_opts root1 = { .root = "lookup", .max_depth = 1 };

	in(ct, 1, 0, 0, "main", NOD);
	in(ct, 1, 0, 1 * US, "open", NOD);
	in(ct, 1, 0, 2 * US, "lookup", NOD);
	leaf(ct, 1, 0, 3 * US, 2 * US, "hash", NOD);
	out(ct, 1, 0, 6 * US, "lookup", NOD);
	out(ct, 1, 0, 7 * US, "open", NOD);
	in(ct, 1, 0, 8 * US, "stat", NOD);
	in(ct, 1, 0, 9 * US, "lookup", NOD);
	leaf(ct, 1, 0, 10 * US, 1 * US, "hash", NOD);
	in(ct, 1, 0, 12 * US, "lookup", NOD);		/* recursion: stays inside */
	leaf(ct, 1, 0, 13 * US, 1 * US, "hash", NOD);
	out(ct, 1, 0, 15 * US, "lookup", NOD);
	out(ct, 1, 0, 16 * US, "lookup", NOD);
	out(ct, 1, 0, 17 * US, "stat", NOD);
	out(ct, 1, 0, 18 * US, "main", NOD);
	leaf(ct, 2, 1, 0, 5 * US, "unrelated", NOD);	/* task 2 never calls it */
	calltree_finish(ct, 0);
	check(ct, GRAPH, &root,
	      "# task 1\n"
	      GRAPH_HEAD
	      "   11.000 us    5.000 us           2  lookup\n"
	      "    3.000 us    3.000 us           2  +- hash\n"
	      "    3.000 us    2.000 us           1  +- lookup\n"
	      "    1.000 us    1.000 us           1     +- hash\n");
	check(ct, GRAPH, &root1,
	      "# task 1\n"
	      GRAPH_HEAD
	      "   11.000 us    5.000 us           2  lookup\n");
	check(ct, PROFILE, &root,
	      PROFILE_HEAD
	      "   11.000 us    7.000 us           3    3.666 us    7.000 us  lookup\n"
	      "    4.000 us    4.000 us           3    1.333 us    2.000 us  hash\n");
	calltree_free(ct);
}

static void test_root_unknown(void **state)
{
	struct calltree *ct = nested_open();
	struct callview_opts root = { .root = "nope" };
	FILE *f = fopen("/dev/null", "w");

	assert_int_equal(callview_graph(f, ct, &root), -1);
	assert_non_null(strstr(st_last_error(), "nope"));
	assert_int_equal(callview_profile(f, ct, &root), -1);
	fclose(f);
	calltree_free(ct);
}

/* The idle task is pid 0 on every CPU: one tree per CPU, never one mixed stack. */
static void test_idle_per_cpu(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	calltree_set_comm(ct, 0, "<idle>");
	in(ct, 0, 0, 0, "do_idle", 0);
	in(ct, 0, 1, 1 * US, "do_idle", 0);
	leaf(ct, 0, 1, 2 * US, 1 * US, "tick", 1);
	out(ct, 0, 0, 10 * US, "do_idle", 0);
	out(ct, 0, 1, 4 * US, "do_idle", 0);
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 0 cpu 0 <idle>\n"
	      GRAPH_HEAD
	      "   10.000 us   10.000 us           1  do_idle\n"
	      "\n"
	      "# task 0 cpu 1 <idle>\n"
	      GRAPH_HEAD
	      "    3.000 us    2.000 us           1  do_idle\n"
	      "    1.000 us    1.000 us           1  +- tick\n");
	calltree_free(ct);
}

/* Nodes with many children are found through the hash table, also after a wrap. */
static void test_many_children(void **state)
{
	struct calltree *ct = calltree_new(NULL);
	char name[16];
	uint64_t t = 1 * US;

	for (int i = 0; i < 10; i++) {		/* the trace starts inside wrapper() */
		snprintf(name, sizeof(name), "c%02d", i);
		leaf(ct, 1, 0, t, 1 * US, name, 1);
		t += 2 * US;
	}
	out(ct, 1, 0, t, "wrapper", 0);
	in(ct, 1, 0, t + 1 * US, "parent", 0);
	t += 2 * US;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 12; i++) {
			int k = round ? 11 - i : i;

			snprintf(name, sizeof(name), "c%02d", k);
			leaf(ct, 1, 0, t, (k % 3 + 1) * US, name, 1);
			t += 4 * US;
		}
	}
	out(ct, 1, 0, t, "parent", 0);
	leaf(ct, 1, 0, t + 1 * US, 1 * US, "c00", 0);
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# task 1\n"
	      GRAPH_HEAD
	      "   97.000 us   49.000 us           1  parent\n"
	      "    6.000 us    6.000 us           2  +- c02\n"
	      "    6.000 us    6.000 us           2  +- c05\n"
	      "    6.000 us    6.000 us           2  +- c08\n"
	      "    6.000 us    6.000 us           2  +- c11\n"
	      "    4.000 us    4.000 us           2  +- c01\n"
	      "    4.000 us    4.000 us           2  +- c04\n"
	      "    4.000 us    4.000 us           2  +- c07\n"
	      "    4.000 us    4.000 us           2  +- c10\n"
	      "    2.000 us    2.000 us           2  +- c00\n"
	      "    2.000 us    2.000 us           2  +- c03\n"
	      "    2.000 us    2.000 us           2  +- c06\n"
	      "    2.000 us    2.000 us           2  +- c09\n"
	      "   20.000 us   10.000 us           1  wrapper (no entry)\n"
	      "    1.000 us    1.000 us           1  +- c00\n"
	      "    1.000 us    1.000 us           1  +- c01\n"
	      "    1.000 us    1.000 us           1  +- c02\n"
	      "    1.000 us    1.000 us           1  +- c03\n"
	      "    1.000 us    1.000 us           1  +- c04\n"
	      "    1.000 us    1.000 us           1  +- c05\n"
	      "    1.000 us    1.000 us           1  +- c06\n"
	      "    1.000 us    1.000 us           1  +- c07\n"
	      "    1.000 us    1.000 us           1  +- c08\n"
	      "    1.000 us    1.000 us           1  +- c09\n"
	      "    1.000 us    1.000 us           1  c00\n");
	calltree_free(ct);
}

/*
 * uprobes attached while a thread runs inside main -> loop: no depth; each
 * exit without entry wraps what the thread did so far. Lost events with an
 * unknown CPU mark every task; a comm set late still names the task.
 */
static void test_uprobe_attach_mid_run(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	leaf(ct, 300, 2, 10 * US, 2 * US, "step", NOD);
	leaf(ct, 300, 2, 13 * US, 2 * US, "step", NOD);
	out(ct, 300, 2, 20 * US, "loop", NOD);
	leaf(ct, 301, 3, 21 * US, 1 * US, "worker", NOD);
	calltree_lost(ct, -1, 5);
	leaf(ct, 300, 2, 22 * US, 3 * US, "cleanup", NOD);
	out(ct, 300, 2, 30 * US, "main", NOD);
	calltree_set_comm(ct, 300, "app");
	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL,
	      "# lost events: 5; calls marked [lost events] may be incomplete\n"
	      "# task 300 app [lost events]\n"
	      GRAPH_HEAD
	      "   20.000 us    7.000 us           1  main (no entry) [lost events]\n"
	      "   10.000 us    6.000 us           1  +- loop (no entry)\n"
	      "    4.000 us    4.000 us           2  |  +- step\n"
	      "    3.000 us    3.000 us           1  +- cleanup\n"
	      "\n"
	      "# task 301 [lost events]\n"
	      GRAPH_HEAD
	      "    1.000 us    1.000 us           1  worker\n");
	calltree_free(ct);
}

/* Nesting beyond CT_MAX_STACK is dropped and marked; the outer calls stay exact. */
static void test_max_stack(void **state)
{
	struct calltree *ct = calltree_new(NULL);
	struct callview_opts one = { .max_depth = 1 };
	int n = CT_MAX_STACK + 100;

	for (int i = 0; i < n; i++)
		in(ct, 1, 0, i * US, "r", NOD);
	for (int i = n - 1; i >= 0; i--)
		out(ct, 1, 0, (2 * n - i) * US, "r", NOD);
	leaf(ct, 1, 0, (2 * n + 1) * US, 1 * US, "after", NOD);
	calltree_finish(ct, 0);
	check(ct, GRAPH, &one,
	      "# task 1 [lost events]\n"
	      GRAPH_HEAD
	      "    2.248 ms    2.000 us           1  r\n"
	      "    1.000 us    1.000 us           1  after\n");
	check(ct, PROFILE, NULL,
	      PROFILE_HEAD
	      "    2.248 ms    2.248 ms        1024    2.195 us    2.248 ms  r [lost events]\n"
	      "    1.000 us    1.000 us           1    1.000 us    1.000 us  after\n");
	calltree_free(ct);
}

static void test_empty(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	calltree_finish(ct, 0);
	check(ct, GRAPH, NULL, "# no function calls to show\n");
	check(ct, PROFILE, NULL, "# no function calls to show\n");
	calltree_free(ct);
}

/* Garbage in (time going backwards, NULL names, odd depths) must not crash or underflow. */
static void test_robust(void **state)
{
	struct calltree *ct = calltree_new(NULL);

	in(ct, 1, 0, 100, NULL, 5);
	out(ct, 1, 0, 50, NULL, 5);		/* before its entry: 0 ns */
	out(ct, 1, 3, 10, "x", 0);
	calltree_exit(ct, 1, 3, 20, "y", 7, 1000);	/* calltime after ts */
	in(ct, 1, 0, 30, "z", -5);
	calltree_task_exit(ct, 999, 40);	/* unknown task */
	calltree_task_exit(ct, 1, 5);
	calltree_finish(ct, 0);
	calltree_finish(ct, 0);
	free(render(ct, GRAPH, NULL));
	free(render(ct, PROFILE, NULL));
	calltree_free(ct);
	calltree_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_time),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_leaf),
		cmocka_unit_test(test_aggregation_and_bars),
		cmocka_unit_test(test_cpu_migration),
		cmocka_unit_test(test_two_tasks),
		cmocka_unit_test(test_lost_events),
		cmocka_unit_test(test_lost_entry_mid_stream),
		cmocka_unit_test(test_exit_without_entry_at_start),
		cmocka_unit_test(test_unfinished_at_end),
		cmocka_unit_test(test_recursion),
		cmocka_unit_test(test_longjmp),
		cmocka_unit_test(test_lost_exit_by_depth),
		cmocka_unit_test(test_calltime),
		cmocka_unit_test(test_min_duration),
		cmocka_unit_test(test_depth_cut),
		cmocka_unit_test(test_root_filter),
		cmocka_unit_test(test_root_unknown),
		cmocka_unit_test(test_idle_per_cpu),
		cmocka_unit_test(test_many_children),
		cmocka_unit_test(test_uprobe_attach_mid_run),
		cmocka_unit_test(test_max_stack),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_robust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
