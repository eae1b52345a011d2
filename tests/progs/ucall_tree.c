// SPDX-License-Identifier: GPL-2.0
/*
 * A program with a known call tree, for `record -x PATH -g PATTERN`
 * (tests/host/record-ucalls.sh builds it at -O0 and -O2, PIE and not, with
 * -rdynamic so that a stripped copy keeps its functions in .dynsym):
 *
 *   main
 *     parse            -> lex x3
 *     fib(5)           15 calls, 5 levels of recursion below the first
 *     hot x N          a leaf (N = 10000, or argv[1])
 *     tail_outer       -> tail_inner, a tail call at -O2
 *     jump_outer       -> jump_inner, which longjmps back to main
 *     two threads: worker -> lex (each its own tree)
 *
 * `ucall_tree wait` loops on idle() until SIGTERM, for -P attach tests;
 * `ucall_tree bench N` times N calls of hot() (bench/user-graph);
 * `ucall_tree deep` only recurses 100 levels into deep() (the kernel's limit
 * of 64 nested return probes per task).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline, noclone))

static jmp_buf jump_back;
static volatile sig_atomic_t stop;
volatile long sink;

NOINLINE int lex(int token)
{
	sink += token;
	__asm__ volatile("" ::: "memory");
	return token * 2;
}

NOINLINE int parse(void)
{
	int sum = 0;

	for (int i = 0; i < 3; i++)
		sum += lex(i);
	return sum;
}

/* The asm keeps both calls real calls at -O2 (no tail recursion into a loop). */
NOINLINE int fib(int n)
{
	int a, b;

	if (n < 2)
		return n;
	a = fib(n - 1);
	__asm__ volatile("" : "+r"(a));
	b = fib(n - 2);
	__asm__ volatile("" : "+r"(b));
	return a + b;
}

NOINLINE long hot(long i)
{
	__asm__ volatile("" ::: "memory");
	return i ^ sink;
}

NOINLINE void jump_inner(void)
{
	sink++;
	longjmp(jump_back, 1);
}

NOINLINE void jump_outer(void)
{
	jump_inner();
	sink--;	/* never reached */
}

NOINLINE int tail_inner(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 3;
}

/* At -O2 a tail call ("jmp tail_inner"): tail_inner runs on tail_outer's frame. */
NOINLINE int tail_outer(int x)
{
	sink++;
	return tail_inner(x + 1);
}

NOINLINE void *worker(void *arg)
{
	sink += lex((int)(long)arg);
	return NULL;
}

/* 100 levels: the kernel keeps return probes for the 64 outermost only */
NOINLINE int deep(int n)
{
	int r;

	if (!n)
		return 0;
	r = deep(n - 1);
	__asm__ volatile("" : "+r"(r));
	return r + 1;
}

NOINLINE void idle(void)
{
	usleep(20000);
}

/* bench/user-graph: the time of n calls of hot() alone, in ns per call */
static int bench(long n)
{
	struct timespec a, b;
	long acc = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		acc += hot(i);
	clock_gettime(CLOCK_MONOTONIC, &b);
	sink += acc;
	printf("ns_per_call %.1f\n",
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (n ? n : 1));
	return 0;
}

static void on_term(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	long n = 10000, acc = 0;
	pthread_t t[2];

	if (argc > 1 && !strcmp(argv[1], "wait")) {
		signal(SIGTERM, on_term);
		printf("ready\n");
		fflush(stdout);
		while (!stop)
			idle();
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "bench"))
		return bench(atol(argv[2]));
	if (argc > 1 && !strcmp(argv[1], "deep"))
		return deep(100) != 100;
	if (argc > 1)
		n = atol(argv[1]);
	sink += parse();
	sink += fib(5);
	for (long i = 0; i < n; i++)
		acc += hot(i);
	sink += acc;
	sink += tail_outer(2);
	if (!setjmp(jump_back))
		jump_outer();
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)(i + 10));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
