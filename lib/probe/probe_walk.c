// SPDX-License-Identifier: LGPL-2.1
/* Member-access steps shared by the BTF and DWARF walks (probe_walk.h). */
#include "probe/probe_walk.h"
#include "util.h"

#include <stdio.h>

int member_walk_load(struct member_walk *w)
{
	if (!w->in_memory)
		return 0;
	if (w->out->nr_loads == PROBE_MEMBER_MAX_LOADS) {
		st_set_error("'%s': more than %d memory loads", w->arg, PROBE_MEMBER_MAX_LOADS);
		return -1;
	}
	w->out->offs[w->out->nr_loads++] = w->offset;
	w->in_memory = false;
	w->offset = 0;
	return 0;
}

int member_walk_bitfield(struct member_walk *w, int size)
{
	int bits = size * 8;
	long long start = (w->bit_offset / bits) * size;
	int shift = w->bit_offset - start * 8;

	if (shift + w->bit_size > bits) {
		st_set_error("'%s': bit field '%s' straddles its %d-bit container", w->arg, w->what,
			     bits);
		return -1;
	}
	/* The container, not the byte the field starts in, is loaded. */
	w->offset += start - w->bit_offset / 8;
	snprintf(w->out->type, sizeof(w->out->type), "b%d@%d/%d", w->bit_size, shift, bits);
	return 0;
}
