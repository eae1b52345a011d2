// SPDX-License-Identifier: GPL-2.0
/*
 * A target for the probe tests: functions with known prototypes (ints, a string,
 * a double, a big struct by value, more than six arguments), built as a PIE here
 * and without PIE by probe_nopie.c. `probe_pie STRING` calls each once.
 */
#include <stdio.h>
#include <string.h>

struct probe_big {
	long a, b, c;	/* 24 bytes: passed in memory */
};

__attribute__((noinline)) int probe_add(int a, long b)
{
	return a + (int)b;
}

__attribute__((noinline)) size_t probe_greet(const char *name)
{
	return strlen(name);
}

__attribute__((noinline)) int probe_scale(double x, int n)
{
	return (int)(x * n);
}

__attribute__((noinline)) long probe_big_sum(struct probe_big big, int extra)
{
	return big.a + big.b + big.c + extra;
}

__attribute__((noinline)) long probe_many(int a1, int a2, int a3, int a4, int a5, int a6, int a7,
					  int a8)
{
	return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8;
}

int main(int argc, char **argv)
{
	struct probe_big big = { 1, 2, 3 };
	const char *word = argc > 1 ? argv[1] : "probe";
	long sum = probe_add(argc, 2) + probe_greet(word) + probe_scale(1.5, argc) +
		   probe_big_sum(big, argc) + probe_many(1, 2, 3, 4, 5, 6, 7, argc);

	printf("%ld\n", sum);
	return 0;
}
