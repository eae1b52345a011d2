/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The TD_OPT_STACK_PROBES option of `record --stack`: which file and file
 * offset each recorded uprobe event is at, so that report can turn a user stack
 * (run-time addresses) into the binaries' symbols. A user stack's first frame
 * is the probed instruction: minus the probe's link-time address, it gives where
 * that binary is loaded in the process (Documentation/trace-dat.md).
 *
 * One line per uprobe event: "uprobe SYSTEM EVENT 0xFILEOFFSET PATH\n".
 */
#ifndef SIDETRACE_STACK_PROBES_H
#define SIDETRACE_STACK_PROBES_H

#include <stddef.h>
#include <stdint.h>

struct stack_probe {
	char *system;
	char *event;
	uint64_t offset;	/* file offset of the probed instruction */
	char *path;		/* the ELF file */
};

/* Append p's line to *text (a malloc'ed string or NULL). */
void stack_probes_append(char **text, const struct stack_probe *p);
/* Parse the option's text; lines that do not parse are skipped. Returns the count. */
int stack_probes_parse(const char *text, size_t len, struct stack_probe **out);
void stack_probes_free(struct stack_probe *p, int nr);

/*
 * trace-cmd's PROCMAPS option (id 10, its record --proc-map), which record
 * --stack writes for -P processes: per process "PID NR COMM" (hex numbers),
 * then NR lines "START END PATH" (hex), one per file, from its lowest mapping's
 * start to its highest's end.
 */
struct proc_lib {
	uint64_t start, end;
	char *path;
};
struct proc_map {
	int pid;
	char *comm;
	struct proc_lib *libs;
	int nr_libs;
};

/* Append pid's entry made from maps (the text of /proc/PID/maps) to *text. */
void procmaps_append(char **text, int pid, const char *comm, const char *maps);
/* Parse a PROCMAPS text; returns the number of processes. */
int procmaps_parse(const char *text, size_t len, struct proc_map **out);
void procmaps_free(struct proc_map *m, int nr);

#endif
