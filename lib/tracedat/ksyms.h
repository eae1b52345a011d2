/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The kallsyms of a trace.dat as a function table: the answers libtraceevent's
 * own table gives (tep_parse_kallsyms() then tep_find_function_info()), built
 * about ten times faster, with a cache in front of the lookups. It is what a
 * report spends its start-up on when events print function names.
 */
#ifndef SIDETRACE_TD_KSYMS_H
#define SIDETRACE_TD_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct td_ksyms;

/*
 * The table of text (size bytes, a NUL ends it early), or NULL when a line is
 * not laid out as /proc/kallsyms lays them out: then the caller lets
 * libtraceevent parse it, and keeps its exact behaviour on odd input.
 */
struct td_ksyms *td_ksyms_new(const char *text, size_t size);
/*
 * The same over text itself, with no copy: it writes NULs into text (size + 1
 * bytes, text[size] may be anything), and the table points into it, so text
 * must outlive the table. On NULL, text is left damaged.
 */
struct td_ksyms *td_ksyms_new_in_place(char *text, size_t size);
void td_ksyms_free(struct td_ksyms *k);

/* The function containing addr: its name and start, as tep_find_function_info(). */
bool td_ksyms_find(struct td_ksyms *k, uint64_t addr, const char **name, uint64_t *start);

#endif
