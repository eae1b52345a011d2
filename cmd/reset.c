// SPDX-License-Identifier: GPL-2.0
/*
 * sidetrace reset: undo what a sidetrace that could not clean up (SIGKILL, a
 * crash, a power-cut tracer) left in tracefs, and nothing else.
 *
 * What belongs to a sidetrace process PID, and only that, is touched:
 *   - its persisted undo list /run/sidetrace/NAME-PID.undo (or in the
 *     fallback directory, tracefs_undo.h),
 *     replayed: its instance, the settings in it, the options and /proc files
 *     it changed, the temporary files it had given a name (outfile.h);
 *   - an instance "sidetrace-PID" that no list names;
 *   - its temporary probes: the kprobe/uprobe events of its groups
 *     "sidetrace_PID" (record -x) and "sidetrace_files_PID" (record --files).
 * (tracefs/tracefs_names.h makes and reads these names.)
 * and only when PID is dead. A pid in use by a process that started after
 * the leftover was made is a reused pid: the owner is dead then too. Unlike
 * `trace-cmd reset`, nothing of other users (their probes, their instances,
 * the top level's tracer or events) is ever reset.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "cli.h"
#include "cmds.h"
#include "probe/probe.h"
#include "tracefs/tracefs_names.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

/* Seconds of doubt when comparing a process's start with a file's time. */
#define START_TIME_SLACK 2

static const char reset_usage[] =
	"usage: sidetrace reset [-n] [PID...]\n"
	"\n"
	"Undo what a killed or crashed sidetrace left in tracefs: replay its undo list\n"
	"(" ST_UNDO_DIR "/*-PID.undo, or " ST_UNDO_DIR_FALLBACK "), which also deletes\n"
	"its temporary files, remove its instance sidetrace-PID and its temporary probes\n"
	"(groups sidetrace_PID and sidetrace_files_PID). Only for processes that are\n"
	"gone; never anything of other tools or users. Prints what it removes or\n"
	"restores.\n"
	"\n"
	"  PID             only what these sidetrace processes left (default: all)\n"
	"  -n, --dry-run   say what would be done, change nothing\n"
	"  -h, --help      this help\n"
	"\n"
	"Exit status: 0, 1 if something could not be undone, 2 on a bad command line.\n";

struct reset_ctx {
	bool dry_run;
	pid_t *pids;		/* only these, if nr_pids */
	int nr_pids;
	struct strlist covered;	/* directories the undo lists remove */
	int done;		/* leftovers removed (or that would be) */
	int alive;		/* leftovers of running processes, left alone */
	int failed;
};

/* ------------------------------------------------------------------------- */
/* Whose is it */

/* The pid in name if it is our name of that kind, else -1. */
static pid_t pid_in_name(const char *name, enum st_name_kind kind)
{
	enum st_name_kind found;
	pid_t pid = st_name_parse(name, &found);

	return pid > 0 && found == kind ? pid : -1;
}

/* The pid in a probe group's name if it is one of our groups (-x, --files), else -1. */
static pid_t pid_in_group(const char *group)
{
	pid_t pid = pid_in_name(group, ST_NAME_UCALL_GROUP);

	return pid > 0 ? pid : pid_in_name(group, ST_NAME_FILES_GROUP);
}

/* When the process pid started (wall-clock seconds), or -1 if unknown. */
static double process_start(pid_t pid)
{
	char path[64], *text, *p;
	unsigned long long start_ticks, btime = 0;
	double ret = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	text = read_file(path, NULL);
	p = text ? strrchr(text, ')') : NULL;
	/* After "(comm)": state is field 3, starttime field 22. */
	if (p && sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d"
			       " %*d %*d %*d %llu", &start_ticks) == 1) {
		free(text);
		text = read_file("/proc/stat", NULL);
		p = text ? strstr(text, "\nbtime ") : NULL;
		if (p && sscanf(p, "\nbtime %llu", &btime) == 1)
			ret = btime + (double)start_ticks / sysconf(_SC_CLK_TCK);
	}
	free(text);
	return ret;
}

/*
 * Whether the sidetrace that made a leftover at time made (seconds) still
 * runs: its pid exists and did not start after it.
 */
static bool owner_alive(pid_t pid, time_t made)
{
	double start;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return false;
	start = process_start(pid);
	return start < 0 || start <= made + START_TIME_SLACK;
}

static bool selected(const struct reset_ctx *c, pid_t pid)
{
	if (!c->nr_pids)
		return true;
	for (int i = 0; i < c->nr_pids; i++)
		if (c->pids[i] == pid)
			return true;
	return false;
}

/* Whether pid's leftover at path (for its time) is to be removed now. */
static bool is_orphan(struct reset_ctx *c, pid_t pid, const char *path)
{
	struct stat st;

	if (pid < 0 || !selected(c, pid) || stat(path, &st) < 0)
		return false;
	if (owner_alive(pid, st.st_mtime)) {
		c->alive++;
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------------- */
/* Undo lists */

static const char *short_path(const char *path)
{
	const char *dir = tracefs_tracing_dir();
	size_t len = dir ? strlen(dir) : 0;

	if (len && !strncmp(path, dir, len) && path[len] == '/')
		return path + len + 1;
	return path;
}

static bool inside_any(const char *path, const struct strlist *dirs)
{
	size_t len;

	for (int i = 0; i < dirs->nr; i++) {
		len = strlen(dirs->items[i]);
		if (!strncmp(path, dirs->items[i], len) && path[len] == '/')
			return true;
	}
	return false;
}

/*
 * Say what replaying the list will do, last change first as it is undone:
 * the directories it removes and the writes outside them (a write inside a
 * removed instance goes away with it, so it is only counted).
 */
static void describe_undo_list(struct reset_ctx *c, char *text)
{
	struct strlist lines = { 0 }, dirs = { 0 };
	char *line, *save = NULL, *value;
	const char *path;
	bool dry = c->dry_run;
	int inner = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		strlist_add(&lines, line);
		if (!strncmp(line, "rmdir ", 6)) {
			strlist_add(&dirs, line + 6);
			strlist_add(&c->covered, line + 6);
		}
	}
	for (int i = lines.nr - 1; i > 0; i--) {
		line = lines.items[i];
		if (!strncmp(line, "rmdir ", 6)) {
			path = short_path(line + 6);
			if (!strncmp(path, "instances/", 10))
				printf("  %s instance %s\n", dry ? "would remove" : "removed",
				       path + 10);
			else
				printf("  %s %s\n", dry ? "would remove" : "removed", path);
		} else if (!strncmp(line, "write ", 6) && (value = strchr(line + 6, ' '))) {
			*value++ = '\0';
			if (inside_any(line + 6, &dirs))
				inner++;
			else
				printf("  %s %s to '%s'\n", dry ? "would restore" : "restored",
				       short_path(line + 6), value);
		}
	}
	if (inner)
		printf("  %s %d setting%s inside it\n", dry ? "would undo" : "undid", inner,
		       inner == 1 ? "" : "s");
	strlist_free(&lines);
	strlist_free(&dirs);
}

/*
 * The temporary files the list deletes ("remove PATH" lines) that are there
 * now (the others were renamed into place or deleted before the kill), as
 * the replay deletes them: regular files of ours.
 */
static void leftover_files(const char *text, struct strlist *files)
{
	char *copy = xstrdup(text), *line, *save = NULL, *path;
	struct stat st;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "remove ", 7))
			continue;
		path = st_undo_unescape(line + 7);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid())
			strlist_add_owned(files, path);
		else
			free(path);
	}
	free(copy);
}

static void reset_undo_list(struct reset_ctx *c, const char *path, pid_t pid)
{
	char *text = read_file(path, NULL), *tmp;
	struct strlist files = { 0 };

	if (!text) {
		st_warn("%s", st_last_error());
		c->failed++;
		return;
	}
	c->done++;
	leftover_files(text, &files);
	if (!c->dry_run && st_undo_replay_file(path) < 0) {
		/* Each failed step was named; the list stays for another try. */
		st_warn("pid %d: %s was not fully replayed", pid, path);
		c->failed++;
		free(text);
		strlist_free(&files);
		return;
	}
	printf("pid %d is gone; %s its undo list %s:\n", pid,
	       c->dry_run ? "would replay" : "replayed", path);
	describe_undo_list(c, text);
	for (int i = 0; i < files.nr; i++)
		printf("  %s temporary file %s\n", c->dry_run ? "would delete" : "deleted",
		       files.items[i]);
	strlist_free(&files);
	free(text);
	if (c->dry_run)
		return;
	tmp = xasprintf("%s.tmp", path);	/* a rewrite the kill interrupted */
	unlink(tmp);
	free(tmp);
}

/*
 * The lists in one of the places record keeps them. Only from a directory
 * that no one but us can write: replaying a list writes where it says.
 */
static void reset_undo_lists_in(struct reset_ctx *c, const char *undo_dir)
{
	struct strlist names = { 0 };
	struct dirent *d;
	char *path;
	pid_t pid;
	DIR *dir;

	if (st_undo_dir_check(undo_dir) < 0) {
		if (errno != ENOENT) {	/* none: no sidetrace ever persisted a list there */
			st_warn("%s; its undo lists are not replayed", st_last_error());
			c->failed++;
		}
		return;
	}
	dir = opendir(undo_dir);
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (pid_in_name(d->d_name, ST_NAME_UNDO_LIST) > 0)
			strlist_add(&names, d->d_name);
	closedir(dir);
	for (int i = 0; i < names.nr; i++) {
		pid = pid_in_name(names.items[i], ST_NAME_UNDO_LIST);
		path = xasprintf("%s/%s", undo_dir, names.items[i]);
		if (is_orphan(c, pid, path))
			reset_undo_list(c, path, pid);
		free(path);
	}
	strlist_free(&names);
}

static void reset_undo_lists(struct reset_ctx *c)
{
	reset_undo_lists_in(c, ST_UNDO_DIR);
	reset_undo_lists_in(c, ST_UNDO_DIR_FALLBACK);
}

/* ------------------------------------------------------------------------- */
/* Instances and probes that no undo list covers */

static void reset_instances(struct reset_ctx *c, const char *tracing_dir)
{
	char *instances = xasprintf("%s/instances", tracing_dir), *path;
	DIR *dir = opendir(instances);
	struct strlist names = { 0 };
	struct dirent *d;
	pid_t pid;

	while (dir && (d = readdir(dir)))
		strlist_add(&names, d->d_name);
	if (dir)
		closedir(dir);
	for (int i = 0; i < names.nr; i++) {
		pid = pid_in_name(names.items[i], ST_NAME_INSTANCE);
		path = xasprintf("%s/%s", instances, names.items[i]);
		if (!strlist_contains(&c->covered, path) && is_orphan(c, pid, path)) {
			c->done++;
			if (!c->dry_run && st_undo_remove_dir(path) < 0) {
				st_warn("cannot remove %s: %s", path, strerror(errno));
				c->failed++;
			} else {
				printf("pid %d is gone; %s its instance %s\n", pid,
				       c->dry_run ? "would remove" : "removed", names.items[i]);
			}
		}
		free(path);
	}
	strlist_free(&names);
	free(instances);
}

/*
 * Whether evs[i] is the first line of its event: an event of several probes
 * (record's ucall and --files events) has one line per probe, and removing
 * the event removes them all.
 */
static bool first_of_event(const struct probe_event *evs, int i)
{
	for (int j = 0; j < i; j++)
		if (!strcmp(evs[j].group, evs[i].group) && !strcmp(evs[j].event, evs[i].event))
			return false;
	return true;
}

static void reset_probes(struct reset_ctx *c, const char *tracing_dir)
{
	struct probe_event *evs;
	char *path;
	int nr;
	pid_t pid;

	if (probe_list(&evs, &nr) < 0)
		return;	/* no probe support: no probes to remove */
	for (int i = 0; i < nr; i++) {
		pid = pid_in_group(evs[i].group);
		if (pid < 0 || !first_of_event(evs, i))
			continue;
		path = xasprintf("%s/events/%s", tracing_dir, evs[i].group);
		if (is_orphan(c, pid, path)) {
			c->done++;
			if (!c->dry_run && probe_delete(evs[i].group, evs[i].event) < 0) {
				st_warn("%s", st_last_error());
				c->failed++;
			} else {
				printf("pid %d is gone; %s its probe %s:%s\n", pid,
				       c->dry_run ? "would remove" : "removed", evs[i].group,
				       evs[i].event);
			}
		}
		free(path);
	}
	probe_list_free(evs, nr);
}

/* ------------------------------------------------------------------------- */

static const struct cli_option reset_options[] = {
	CLI_OPT('n', "dry-run", CLI_FLAG, NULL),
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

const struct cli_command reset_cli = {
	.name = "reset",
	.options = reset_options,
	.operands = "any",	/* pids of gone processes: nothing to offer */
};

struct reset_args {
	struct reset_ctx *c;
	bool *help;
};

static int parse_option(void *ctx, int code, const char *arg)
{
	struct reset_args *a = ctx;

	switch (code) {
	case 'n':
		a->c->dry_run = true;
		return 0;
	case 'h':
		*a->help = true;
		return 1;
	}
	st_set_error("option code %d has no parser", code);	/* a table without its case */
	return -1;
}

static int parse_reset_args(int argc, char **argv, struct reset_ctx *c, bool *help)
{
	struct reset_args a = { c, help };
	int i = cli_parse(&reset_cli, argc, argv, parse_option, &a);

	if (i < 0 || *help)
		return i < 0 ? -1 : 0;
	c->pids = xcalloc(argc - i + 1, sizeof(*c->pids));
	for (; i < argc; i++) {
		c->pids[c->nr_pids] = st_pid_parse(argv[i]);
		if (c->pids[c->nr_pids++] < 0) {
			st_set_error("not a pid: '%s'", argv[i]);
			return -1;
		}
	}
	return 0;
}

int cmd_reset(int argc, char **argv)
{
	struct reset_ctx c = { 0 };
	const char *dir;
	bool help = false;

	if (parse_reset_args(argc, argv, &c, &help) < 0) {
		free(c.pids);
		return cli_usage_error();
	}
	if (help) {
		fputs(reset_usage, stdout);
		free(c.pids);
		return EXIT_OK;
	}
	dir = tracefs_tracing_dir();
	if (!dir || !tracefs_file_exists(NULL, "trace")) {
		st_warn("no tracefs: mount it with 'mount -t tracefs nodev /sys/kernel/tracing'");
		free(c.pids);
		return EXIT_FAILURE_;
	}
	/* The undo lists first: they also take away most instances. */
	reset_undo_lists(&c);
	reset_instances(&c, dir);
	reset_probes(&c, dir);
	if (!c.done)
		printf("nothing to reset: no leftovers of a killed sidetrace%s\n",
		       c.alive ? " (those of running sidetrace processes are left alone)" : "");
	free(c.pids);
	strlist_free(&c.covered);
	return c.failed ? EXIT_FAILURE_ : EXIT_OK;
}
