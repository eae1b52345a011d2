/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * `sidetrace record`'s command line (cmd/record_opts.c): argv to the
 * struct record_opts that lib/record/ runs. A pure parser, unit-tested.
 */
#ifndef SIDETRACE_RECORD_OPTS_H
#define SIDETRACE_RECORD_OPTS_H

#include "record/record.h"

/*
 * Parse `record`'s argv (argv[0] = "record") into opts, which it initialises.
 * Parsing stops at the first non-option: that word and the rest are the
 * command. Returns 0, or -1 with st_set_error() set to a one-line message
 * (the opts are then freed). Never prints, never exits.
 */
int record_parse_args(int argc, char **argv, struct record_opts *opts);
void record_opts_free(struct record_opts *opts);

/* The text of `sidetrace record --help`. */
extern const char record_usage[];

#endif
