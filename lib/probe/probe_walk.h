/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Probe-internal: where a member access (`p->a.b[2]`) has got to, and the
 * steps that do not depend on where the types come from, shared by the BTF
 * (btf.c) and DWARF (probe_dwarf.c) walks.
 */
#ifndef SIDETRACE_PROBE_WALK_H
#define SIDETRACE_PROBE_WALK_H

#include <stdbool.h>

#include "probe/probe.h"

struct member_walk {
	const char *arg;	/* the whole argument, for messages */
	struct probe_member *out;
	bool in_memory;		/* at address (the last load) + offset; else a value */
	long long offset;
	int bit_size;		/* the last member is a bit field of this width */
	long long bit_offset;	/* ... at this bit offset from the object's start */
	const char *what;	/* the expression so far, for messages: the last name */
};

/* The object in memory becomes a value: one more load. 0, or -1 with st_set_error(). */
int member_walk_load(struct member_walk *w);

/*
 * A bit field of a size-byte type: out->type becomes the kernel's "b3@5/32" and
 * the offset moves to its container. 0, or -1 (a field that straddles it).
 */
int member_walk_bitfield(struct member_walk *w, int size);

#endif
