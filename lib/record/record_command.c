// SPDX-License-Identifier: LGPL-2.1
/*
 * record's COMMAND, checked up front (see record_command.h).
 */
#include "record/record_command.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

/*
 * What execve(2) would refuse with ENOEXEC and no shell could run: a file
 * that is neither ELF nor "#!" and has a NUL byte in its first line (bash's
 * "cannot execute binary file"). Anything else without "#!" is a script for
 * /bin/sh, which execvp runs. A file we cannot read is left to execvp.
 */
static bool is_binary_garbage(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char head[128];
	ssize_t n;
	char *nl;

	if (fd < 0)
		return false;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 4 || !memcmp(head, "\177ELF", 4) || !memcmp(head, "#!", 2))
		return false;
	nl = memchr(head, '\n', n);
	return memchr(head, '\0', nl ? nl - head : n) != NULL;
}

/* A path to run (cmd as the user wrote it, for the message). */
static int check_file(const char *cmd, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		st_set_error("cannot run %s: %s", cmd, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		st_set_error("cannot run %s: is a directory", cmd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		st_set_error("cannot run %s: %s, not a program", cmd, st_file_kind(st.st_mode));
		return -1;
	}
	if (access(path, X_OK) < 0) {
		st_set_error("cannot run %s: Permission denied (not executable)", cmd);
		return -1;
	}
	if (is_binary_garbage(path)) {
		st_set_error("cannot run %s: exec format error (neither an ELF program nor a script)",
			     cmd);
		return -1;
	}
	return 0;
}

static bool is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The first executable regular file cmd names in $PATH, or NULL; *denied gets
 * the first regular file of that name that is not executable (execvp's EACCES).
 */
static char *search_path(const char *cmd, char **denied)
{
	const char *path = getenv("PATH");
	char *copy = xstrdup(path && *path ? path : DEFAULT_PATH);
	char *dir, *save = NULL, *full, *found = NULL;

	*denied = NULL;
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		full = xasprintf("%s/%s", *dir ? dir : ".", cmd);
		if (!is_regular(full))
			free(full);
		else if (access(full, X_OK) == 0)
			found = full;
		else if (!*denied)
			*denied = full;
		else
			free(full);
	}
	free(copy);
	return found;
}

int record_check_command(const char *cmd)
{
	char *found, *denied;
	int ret = -1;

	if (!*cmd) {
		st_set_error("command not found: ''");
		return -1;
	}
	if (strchr(cmd, '/'))
		return check_file(cmd, cmd);
	found = search_path(cmd, &denied);
	if (found)
		ret = check_file(cmd, found);
	else if (denied)
		st_set_error("cannot run %s: Permission denied (%s is not executable)", cmd, denied);
	else
		st_set_error("command not found: %s", cmd);
	free(found);
	free(denied);
	return ret;
}
