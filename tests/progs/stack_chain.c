// SPDX-License-Identifier: GPL-2.0
/*
 * A known call chain and a struct with every kind of member, for probes in
 * user programs: main -> outer -> middle -> inner(&p). Built with frame
 * pointers (the kernel's user stack walk follows them) and -g (DWARF for
 * `probe -x stack_chain 'inner p->name:string p->next->x p->vals[2]'`).
 * tests/host/probe-stack.sh and probe-dwarf-members.sh use it.
 */
#include <stdio.h>
#include <stdlib.h>

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

int main(int argc, char **argv)
{
	struct point next = { .x = 3, .y = 4, .name = "next" };
	struct point p = {
		.x = 41, .y = 42, .name = argc > 1 ? argv[1] : "origin", .next = &next,
		.flags = 5, .mode = 17, .vals = { 7, 8, 9, 10 },
		.part = { .level = -12, .tag = "tagged" }, .raw = 0x01020304,
	};

	return outer(&p) == 44 ? 0 : 1;
}
