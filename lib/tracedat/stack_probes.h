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

#endif
