// SPDX-License-Identifier: GPL-2.0
/*
 * A known call chain and a struct with every kind of member, for probes in
 * user programs: main -> outer -> middle -> inner(&p). Built with frame
 * pointers (the kernel's user stack walk follows them) and -g (DWARF for
 * `probe -x stack_chain 'inner p->name:string p->next->x p->vals[2]'`).
 * tests/host/probe-stack.sh and probe-dwarf-members.sh use it.
 *
 * `stack_chain loop` runs until SIGTERM/SIGINT, calling libc's bsearch (an
 * exported function, found in .dynsym) which calls back into by_x(), for
 * record -P --stack: main -> bsearch -> by_x -> compare_x.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline, noclone))

struct inner_part {
	short level;
	char tag[8];
};

struct point {
	int x;
	int y;
	const char *name;
	struct point *next;
	unsigned int flags : 3;
	unsigned int mode : 5;
	long vals[4];
	struct inner_part part;
	union {
		unsigned int raw;
		unsigned char bytes[4];
	};
};

volatile long sink;

NOINLINE int inner(struct point *p)
{
	sink += p->x;
	__asm__ volatile("" ::: "memory");
	return p->y;
}

NOINLINE int middle(struct point *p)
{
	int r = inner(p);

	sink += r;
	return r + 1;
}

NOINLINE int outer(struct point *p)
{
	int r = middle(p);

	sink += r;
	return r + 1;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

NOINLINE int compare_x(const struct point *a, const struct point *b)
{
	return (a->x > b->x) - (a->x < b->x);
}

/* Not a leaf, so it has a frame: a probe past its prologue sees its caller, bsearch. */
NOINLINE int by_x(const void *a, const void *b)
{
	int r = compare_x(a, b);

	sink += r;
	return r;
}

static int loop(void)
{
	struct point table[4] = { { .x = 1 }, { .x = 2 }, { .x = 3 }, { .x = 4 } };
	struct point key = { .x = 3 };

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop) {
		if (!bsearch(&key, table, 4, sizeof(table[0]), by_x))
			return 1;
		usleep(20000);
	}
	return 0;
}

static int chain(const char *name)
{
	struct point next = { .x = 3, .y = 4, .name = "next" };
	struct point p = {
		.x = 41, .y = 42, .name = name, .next = &next,
		.flags = 5, .mode = 17, .vals = { 7, 8, 9, 10 },
		.part = { .level = -12, .tag = "tagged" }, .raw = 0x01020304,
	};

	return outer(&p) == 44 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "loop"))
		return loop();
	return chain(argc > 1 ? argv[1] : "origin");
}
