// SPDX-License-Identifier: LGPL-2.1
/*
 * The saved cmdlines ("PID COMM" lines) into a tep as libtraceevent 1.7's
 * tep_parse_saved_cmdlines() reads them, without its sscanf() per line: a
 * long recording saves thousands of lines, and they took milliseconds of
 * every report's start-up.
 *   - the text ends at its first NUL; it is split at '\n', empty lines
 *     skipped (strtok);
 *   - a line is blanks, a decimal number with an optional sign, blanks, and
 *     the comm: the rest of the line, at least one character ("%d %m[^\n]");
 *   - the number is read as a long and kept as an int, as scanf does; one
 *     beyond a long, or a line that is not of that form, ends the reading
 *     (the lines before it stay registered);
 *   - each comm goes to tep_register_comm(), in the order of the lines, so
 *     the tep ends up as libtraceevent's own parse leaves it.
 */
#include "tracedat/tracedat_priv.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "util.h"

/* scanf's white space (a line has no '\n') */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* "%d %m[^\n]" on [p, end): the pid and where the comm starts, or false. */
static bool parse_cmdline(const char *p, const char *end, int *pid, const char **comm)
{
	unsigned long long v = 0, limit;
	bool neg = false;
	int digits = 0;

	while (p < end && is_space(*p))
		p++;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	limit = neg ? (unsigned long long)LONG_MAX + 1 : LONG_MAX;
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		unsigned d = *p - '0';

		if (v > (limit - d) / 10)
			return false;	/* ERANGE: libtraceevent stops there */
		v = v * 10 + d;
	}
	if (!digits)
		return false;
	while (p < end && is_space(*p))
		p++;
	if (p == end)
		return false;
	/* a long, stored as an int: its low 32 bits (negated in unsigned, no overflow) */
	*pid = (int)(unsigned int)(neg ? 0 - v : v);
	*comm = p;
	return true;
}

int td_parse_saved_cmdlines(struct tep_handle *tep, const char *text)
{
	const char *p = text, *stop = text + strlen(text);
	char *comm = NULL;
	size_t cap = 0;
	int ret = 0;

	while (p < stop) {
		const char *end = memchr(p, '\n', stop - p), *start;
		size_t len;
		int pid;

		if (!end)
			end = stop;
		if (end == p) {
			p++;
			continue;
		}
		if (!parse_cmdline(p, end, &pid, &start)) {
			ret = -1;
			break;
		}
		len = end - start;
		if (len + 1 > cap) {
			cap = len + 1 > 64 ? len + 1 : 64;
			free(comm);
			comm = xmalloc(cap);
		}
		memcpy(comm, start, len);
		comm[len] = '\0';
		tep_register_comm(tep, comm, pid);
		p = end;
	}
	free(comm);
	return ret;
}
