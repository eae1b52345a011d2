// SPDX-License-Identifier: LGPL-2.1
/*
 * Our tracefs names and their parser (see tracefs_names.h). Each kind is a
 * prefix and a suffix around the decimal pid, in one table that both
 * directions use.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "tracefs/tracefs_names.h"
#include "util.h"

static const struct {
	const char *prefix;
	const char *suffix;
	bool any_word;		/* parsing takes any "WORD-" for the prefix */
} forms[] = {
	[ST_NAME_INSTANCE] = { "sidetrace-", "" },
	[ST_NAME_UCALL_GROUP] = { ST_UCALL_GROUP_PREFIX, "" },
	[ST_NAME_FILES_GROUP] = { ST_FILES_GROUP_PREFIX, "" },
	[ST_NAME_UNDO_LIST] = { "record-", ".undo", true },
};

char *st_name(enum st_name_kind kind, pid_t pid)
{
	return xasprintf("%s%d%s", forms[kind].prefix, (int)pid, forms[kind].suffix);
}

/* The pid in the len characters at s: decimal digits only, above 0. */
static pid_t pid_in(const char *s, size_t len)
{
	long pid = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]) || pid > 0x3fffffff)
			return -1;
		pid = pid * 10 + s[i] - '0';
	}
	return pid > 0 ? pid : -1;
}

pid_t st_pid_parse(const char *s)
{
	return pid_in(s, strlen(s));
}

/* Where the pid starts in a name of any_word form: after the last '-' of a word. */
static const char *after_word(const char *name, size_t len)
{
	const char *dash = memrchr(name, '-', len);

	return dash && dash > name && !memchr(name, '/', len) ? dash + 1 : NULL;
}

static pid_t parse_form(const char *name, int kind)
{
	size_t len = strlen(name), slen = strlen(forms[kind].suffix);
	const char *digits;

	if (len < slen || strcmp(name + len - slen, forms[kind].suffix))
		return -1;
	len -= slen;
	if (forms[kind].any_word)
		digits = after_word(name, len);
	else if (!strncmp(name, forms[kind].prefix, strlen(forms[kind].prefix)))
		digits = name + strlen(forms[kind].prefix);
	else
		digits = NULL;
	if (!digits || digits > name + len)
		return -1;
	return pid_in(digits, name + len - digits);
}

pid_t st_name_parse(const char *name, enum st_name_kind *kind)
{
	pid_t pid;

	for (int k = 0; k < (int)ARRAY_SIZE(forms); k++) {
		pid = parse_form(name, k);
		if (pid > 0) {
			if (kind)
				*kind = k;
			return pid;
		}
	}
	return -1;
}
