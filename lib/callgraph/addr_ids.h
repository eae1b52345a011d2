/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * A map from 64-bit keys (function addresses, pointers) to small ids, for the
 * per-record hot paths of the call views: a record names its function by
 * address, and resolving that to a name (kallsyms search) and the name to the
 * builder's function id (string hash and compare) once per distinct address,
 * not once per record, is most of what makes the views cheap.
 *
 * Open addressing with linear probing; entries are only added, never removed.
 * Any key is allowed, 0 included. Memory: 12 bytes per slot, at most twice
 * the number of keys.
 */
#ifndef SIDETRACE_ADDR_IDS_H
#define SIDETRACE_ADDR_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addr_ids {
	uint64_t *keys;		/* key + 1 (0 = empty slot); key UINT64_MAX is kept apart */
	int32_t *ids;
	size_t cap;		/* a power of two, or 0 */
	size_t nr;
	bool has_max;		/* key UINT64_MAX (stored + 1 it would be 0) */
	int32_t max_id;
};

#define ADDR_IDS_INIT { 0 }

/* Where key's probe starts (Fibonacci hashing: addresses differ in their middle bits). */
static inline size_t addr_ids_home(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);
}

/* The id of key, or -1 if it was never added. */
static inline int32_t addr_ids_get(const struct addr_ids *m, uint64_t key)
{
	size_t i;

	if (key == UINT64_MAX)
		return m->has_max ? m->max_id : -1;
	if (!m->cap)
		return -1;
	for (i = addr_ids_home(key, m->cap); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key + 1)
			return m->ids[i];
	return -1;
}

/* Add key with id (>= 0); a key already there gets the new id. */
void addr_ids_put(struct addr_ids *m, uint64_t key, int32_t id);

size_t addr_ids_count(const struct addr_ids *m);
void addr_ids_free(struct addr_ids *m);	/* and empty it for reuse */

#endif
