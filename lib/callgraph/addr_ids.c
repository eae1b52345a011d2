// SPDX-License-Identifier: LGPL-2.1
/*
 * The address -> id map of addr_ids.h.
 */
#include "callgraph/addr_ids.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Into a table known to have room and not to hold key (stored is key + 1). */
static void place(uint64_t *keys, int32_t *ids, size_t cap, uint64_t stored, int32_t id)
{
	size_t i = addr_ids_home(stored - 1, cap);

	while (keys[i])
		i = (i + 1) & (cap - 1);
	keys[i] = stored;
	ids[i] = id;
}

static void grow(struct addr_ids *m)
{
	size_t cap = m->cap ? 2 * m->cap : 64;
	uint64_t *keys = xcalloc(cap, sizeof(*keys));
	int32_t *ids = xcalloc(cap, sizeof(*ids));

	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			place(keys, ids, cap, m->keys[i], m->ids[i]);
	free(m->keys);
	free(m->ids);
	m->keys = keys;
	m->ids = ids;
	m->cap = cap;
}

void addr_ids_put(struct addr_ids *m, uint64_t key, int32_t id)
{
	size_t i;

	if (key == UINT64_MAX) {
		m->nr += !m->has_max;
		m->has_max = true;
		m->max_id = id;
		return;
	}
	if (m->cap) {
		for (i = addr_ids_home(key, m->cap); m->keys[i]; i = (i + 1) & (m->cap - 1)) {
			if (m->keys[i] == key + 1) {
				m->ids[i] = id;
				return;
			}
		}
	}
	/* at most half full: probes stay short */
	if (2 * (m->nr + 1) > m->cap)
		grow(m);
	place(m->keys, m->ids, m->cap, key + 1, id);
	m->nr++;
}

size_t addr_ids_count(const struct addr_ids *m)
{
	return m->nr;
}

void addr_ids_free(struct addr_ids *m)
{
	free(m->keys);
	free(m->ids);
	memset(m, 0, sizeof(*m));
}
