/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * User stacks (ftrace:user_stack, from record --stack) printed with the
 * binaries' function names instead of bare addresses. The file's
 * TD_OPT_STACK_PROBES option says which ELF file and offset each uprobe is at;
 * a user stack's first frame is the probed instruction, so it tells where that
 * binary is loaded in the process (the "bias"), and every frame in that
 * binary gets its ELF symbol (elf/elfsym.h): "=> main+0x41 (/usr/bin/prog)".
 * Frames elsewhere (libraries not probed) stay addresses.
 */
#ifndef SIDETRACE_USTACK_REPORT_H
#define SIDETRACE_USTACK_REPORT_H

struct td_meta;
struct tep_handle;
struct ustack_report;

/* NULL when the file has no TD_OPT_STACK_PROBES option (trace-cmd's printing stays). */
struct ustack_report *ustack_report_new(const struct td_meta *meta, struct tep_handle *tep);
/* Install the user_stack printer. 0, or -1 with st_set_error(). */
int ustack_report_register(struct ustack_report *u);
void ustack_report_free(struct ustack_report *u);	/* NULL is allowed */

#endif
