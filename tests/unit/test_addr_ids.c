// SPDX-License-Identifier: GPL-2.0
/*
 * The address -> id map of the call views (callgraph/addr_ids.h): every key
 * added is found with its id, keys never added are not, through the growths,
 * for keys that collide, for 0 and UINT64_MAX, and against a plain array.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "callgraph/addr_ids.h"

static void test_empty(void **state)
{
	struct addr_ids m = ADDR_IDS_INIT;

	(void)state;
	assert_int_equal(addr_ids_get(&m, 0), -1);
	assert_int_equal(addr_ids_get(&m, 0xffffffff81000000ULL), -1);
	assert_int_equal(addr_ids_get(&m, UINT64_MAX), -1);
	assert_int_equal(addr_ids_count(&m), 0);
	addr_ids_free(&m);
}

static void test_edge_keys(void **state)
{
	struct addr_ids m = ADDR_IDS_INIT;

	(void)state;
	addr_ids_put(&m, 0, 7);
	addr_ids_put(&m, UINT64_MAX, 8);
	addr_ids_put(&m, UINT64_MAX - 1, 9);
	assert_int_equal(addr_ids_get(&m, 0), 7);
	assert_int_equal(addr_ids_get(&m, UINT64_MAX), 8);
	assert_int_equal(addr_ids_get(&m, UINT64_MAX - 1), 9);
	assert_int_equal(addr_ids_get(&m, 1), -1);
	assert_int_equal(addr_ids_count(&m), 3);
	/* a key added again takes the new id, and is counted once */
	addr_ids_put(&m, 0, 70);
	addr_ids_put(&m, UINT64_MAX, 80);
	assert_int_equal(addr_ids_get(&m, 0), 70);
	assert_int_equal(addr_ids_get(&m, UINT64_MAX), 80);
	assert_int_equal(addr_ids_count(&m), 3);
	addr_ids_free(&m);
	assert_int_equal(addr_ids_get(&m, 0), -1);
	assert_int_equal(addr_ids_get(&m, UINT64_MAX), -1);
	assert_int_equal(addr_ids_count(&m), 0);
}

/* Kernel text addresses 16 bytes apart, as function_graph records them. */
static void test_many_addresses(void **state)
{
	const uint64_t base = 0xffffffff81000000ULL;
	const int n = 100000;
	struct addr_ids m = ADDR_IDS_INIT;

	(void)state;
	for (int i = 0; i < n; i++) {
		addr_ids_put(&m, base + 16ULL * i, i);
		/* the table grows while keys go in: the first and the last stay */
		assert_int_equal(addr_ids_get(&m, base), 0);
		assert_int_equal(addr_ids_get(&m, base + 16ULL * i), i);
	}
	assert_int_equal(addr_ids_count(&m), n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(addr_ids_get(&m, base + 16ULL * i), i);
		assert_int_equal(addr_ids_get(&m, base + 16ULL * i + 8), -1);
	}
	/* at most half full */
	assert_true(m.cap >= 2 * (size_t)n);
	addr_ids_free(&m);
}

/* Keys that all start their probe in the same slot still come back right. */
static void test_same_home(void **state)
{
	struct addr_ids m = ADDR_IDS_INIT;
	uint64_t keys[40];
	int nr = 0;

	(void)state;
	addr_ids_put(&m, 1, 0);	/* a table of 64 slots */
	for (uint64_t k = 2; nr < 20; k++)
		if (addr_ids_home(k, 64) == addr_ids_home(1, 64))
			keys[nr++] = k;
	for (int i = 0; i < nr; i++)
		addr_ids_put(&m, keys[i], i + 1);
	assert_int_equal(addr_ids_get(&m, 1), 0);
	for (int i = 0; i < nr; i++)
		assert_int_equal(addr_ids_get(&m, keys[i]), i + 1);
	addr_ids_free(&m);
}

/* Random keys and re-puts against a reference array. */
static void test_against_reference(void **state)
{
	enum { N = 5000 };
	static uint64_t keys[N];
	static int32_t ids[N];
	struct addr_ids m = ADDR_IDS_INIT;
	uint64_t x = 88172645463325252ULL;

	(void)state;
	for (int i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		keys[i] = i % 7 == 0 ? x & 0xfff : x;	/* some small keys, some repeated */
		for (int j = 0; j < i; j++)
			if (keys[j] == keys[i])
				ids[j] = -2;	/* superseded below */
		ids[i] = i;
		addr_ids_put(&m, keys[i], i);
	}
	for (int i = 0; i < N; i++)
		if (ids[i] >= 0)
			assert_int_equal(addr_ids_get(&m, keys[i]), ids[i]);
	addr_ids_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_edge_keys),
		cmocka_unit_test(test_many_addresses),
		cmocka_unit_test(test_same_home),
		cmocka_unit_test(test_against_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
