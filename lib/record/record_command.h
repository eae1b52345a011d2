/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Whether record's COMMAND can be run, checked before anything is forked or
 * tracefs changes, and worded as a shell would: "command not found: foo",
 * "cannot run DIR: is a directory", "cannot run FILE: Permission denied (not
 * executable)", "cannot run FILE: exec format error (...)". What this cannot
 * foresee, the errno of execvp in the workload still reports.
 */
#ifndef SIDETRACE_RECORD_COMMAND_H
#define SIDETRACE_RECORD_COMMAND_H

/*
 * cmd as execvp(3) takes it: a path when it holds a '/', else a name looked
 * up in $PATH (directories and non-executable files are skipped, as bash
 * does). Returns 0, or -1 with st_set_error().
 */
int record_check_command(const char *cmd);

#endif
