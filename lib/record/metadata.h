/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Filling struct td_meta (everything in a trace.dat but the ring-buffer
 * pages) from a tracefs instance and /proc, as trace-cmd record does.
 */
#ifndef SIDETRACE_METADATA_H
#define SIDETRACE_METADATA_H

#include "tracedat/tracedat.h"

struct tracefs_instance;
struct st_undo;

/* One recorded event, by system and name. */
struct meta_event {
	const char *system;
	const char *event;
};

/*
 * The ring-buffer sub-buffer size of inst (NULL = top), from its
 * events/header_page parsed by libtraceevent; the CPU page size if that fails.
 */
int meta_page_size(struct tracefs_instance *inst);

/* How many per_cpu/cpuN directories inst (NULL = top) has. */
int meta_nr_cpus(struct tracefs_instance *inst);

/*
 * Fill meta (zeroed by the caller) for a recording made in inst:
 * header_page/header_event, every ftrace event format, the formats of events
 * (grouped by system), and if kernel_addresses: /proc/kallsyms
 * (kptr_restrict is set to 0 for the read through undo, and put back right
 * after) and printk_formats (they give away where the kernel is); saved_cmdlines,
 * trace_clock and the selected clock, uname, version, a trace id, nr_cpus CPUs
 * and their per_cpu/cpuN/stats, page size and endianness. file_version and
 * compression are left to the caller. Returns 0, or -1 with st_set_error().
 * Pieces the kernel may legitimately refuse (kallsyms, printk formats,
 * cmdlines) are left empty with a warning instead of failing.
 */
int meta_collect(struct td_meta *meta, struct tracefs_instance *inst,
		 const struct meta_event *events, int nr_events, int nr_cpus,
		 bool kernel_addresses, struct st_undo *undo);

#endif
