// SPDX-License-Identifier: GPL-2.0
/* Option values shared by several commands (cli_values.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli_values.h"
#include "util.h"

int cli_positive(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int cli_add_pids(pid_t **pids, int *nr_pids, const char *list)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	unsigned long pid;
	int ret = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (cli_positive(tok, INT_MAX, &pid) < 0) {
			st_set_error("-P: '%s' is not a process id", tok);
			ret = -1;
			break;
		}
		*pids = xrealloc(*pids, (*nr_pids + 1) * sizeof(**pids));
		(*pids)[(*nr_pids)++] = pid;
	}
	if (!ret && !*nr_pids) {
		st_set_error("-P needs a process id");
		ret = -1;
	}
	free(copy);
	return ret;
}

int cli_buffer_kb(const char *arg, unsigned long *kb)
{
	/* The kernel takes KiB as an unsigned long; cap at 1 TiB to catch typos. */
	if (cli_positive(arg, 1UL << 30, kb) < 0) {
		st_set_error("-b: '%s' is not a buffer size in KiB (a positive number)", arg);
		return -1;
	}
	return 0;
}

int cli_output(char **output, const char *arg)
{
	if (!*arg) {
		st_set_error("-o needs a file name");
		return -1;
	}
	free(*output);
	*output = xstrdup(arg);
	return 0;
}
