// SPDX-License-Identifier: LGPL-2.1
/*
 * The `sidetrace record` session: a private tracefs instance, events and
 * filters enabled in it, one recorder thread per CPU, an optional workload
 * started just after tracing is switched on, and trace.dat written at the end.
 *
 * Every tracefs change goes through one undo list (tracefs_undo.h), undone in
 * session_end() on every path. SIGINT, SIGTERM and SIGHUP are caught and
 * blocked before anything changes, and unblocked only while the session waits
 * in ppoll(), so they can only end the waiting, never interrupt a half-done
 * step. One that arrives while they are blocked stays pending: set-up looks for
 * it between its steps (a terminal's Ctrl-C reaches the whole process group,
 * so a workload still waiting to exec is gone by then anyway), and it is
 * always taken before the default dispositions come back, which it would
 * otherwise kill sidetrace with.
 */
#include "outfile/outfile.h"
#include "record/metadata.h"
#include "record/record.h"
#include "record/record_command.h"
#include "record/record_stack.h"
#include "record/record_files.h"
#include "record/record_hints.h"
#include "record/record_ucalls.h"
#include "record/recorder.h"
#include "record/workload.h"
#include "record/record_status.h"
#include "tracedat/tracedat.h"
#include "tracefs/tracefs_names.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tracefs.h>

struct session {
	const struct record_opts *opts;
	int file_version;
	int compression;

	struct outfile *out;	/* the output; replaces the destination only once complete */

	struct record_targets targets;

	enum record_outcome outcome;

	struct workload work;	/* the command, and the stop signals */

	int *pidfds;		/* -P: one per pid, -1 once that process is gone */

	struct st_undo *undo;
	struct tracefs_instance *inst;
	int nr_cpus;
	int page_size;
	struct recorders *rec;
	struct record_status *status;	/* the live line on a terminal, NULL if none */
	int tracing_on_mark;	/* undoing back to this switches tracing off */
	struct record_files *files;	/* --files: its probes and events */
	struct record_ucalls *ucalls;	/* -x: user call probes */
};

/* ------------------------------------------------------------------------- */
/* Checks made before anything in tracefs changes */

static int check_tracefs(void)
{
	const char *dir = tracefs_tracing_dir();
	char *instances;
	int ret = 0;

	if ((dir && access(dir, X_OK) < 0 && errno == EACCES) ||
	    ((!dir || !tracefs_file_exists(NULL, "trace")) && geteuid() != 0)) {
		st_set_error("permission denied: recording needs root (tracefs at %s)",
			     dir ? dir : "/sys/kernel/tracing");
		return -1;
	}
	if (!dir || !tracefs_file_exists(NULL, "trace")) {
		st_set_error("no tracefs: mount it with 'mount -t tracefs nodev /sys/kernel/tracing'");
		return -1;
	}
	instances = xasprintf("%s/instances", dir);
	if (access(instances, W_OK) < 0) {
		st_set_error("permission denied: recording needs root (cannot write %s: %s)",
			     instances, strerror(errno));
		ret = -1;
	}
	free(instances);
	return ret;
}

static void resolve_format(struct session *s)
{
	const struct record_opts *o = s->opts;

	/* trace-cmd's default is version 7 with zstd; version 6 has no compression. */
	s->file_version = o->file_version ? o->file_version : 7;
	if (o->compression >= 0)
		s->compression = o->compression;
	else
		s->compression = s->file_version == 7 ? TD_COMPRESS_ZSTD : TD_COMPRESS_NONE;
}

/*
 * Prepare the output now, so an unwritable one fails before tracefs changes.
 * Private: the file holds the activity of every process traced, and kernel
 * addresses.
 */
static int open_output(struct session *s)
{
	const struct outfile_opts how = { .mode = OUTFILE_PRIVATE, .seekable = true };

	s->out = outfile_open(s->opts->output, &how);
	return s->out ? 0 : -1;
}

static int open_pidfds(struct session *s)
{
	const struct record_opts *o = s->opts;

	s->pidfds = xmalloc(o->nr_pids * sizeof(*s->pidfds));
	for (int i = 0; i < o->nr_pids; i++)
		s->pidfds[i] = -1;
	for (int i = 0; i < o->nr_pids; i++) {
		s->pidfds[i] = pidfd_open(o->pids[i], 0);
		if (s->pidfds[i] < 0) {
			st_set_error("-P: no process %d: %s", o->pids[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int check_clock(const char *clock)
{
	char *text = tracefs_instance_file_read(NULL, "trace_clock", NULL);
	char *copy, *tok, *save = NULL;
	bool found = false;

	if (!text)
		return 0;	/* the write will tell */
	copy = xstrdup(text);
	for (tok = strtok_r(copy, " []\n", &save); tok && !found;
	     tok = strtok_r(NULL, " []\n", &save))
		found = !strcmp(tok, clock);
	free(copy);
	if (!found) {
		text[strcspn(text, "\n")] = '\0';
		st_set_error("unknown clock '%s' (the kernel has: %s)", clock, text);
	}
	free(text);
	return found ? 0 : -1;
}

static int check_inputs(struct session *s)
{
	const struct record_opts *o = s->opts;

	if (check_tracefs() < 0 || open_output(s) < 0)
		return -1;
	if (o->command && record_check_command(o->command[0]) < 0)
		return -1;
	if (o->nr_pids && open_pidfds(s) < 0)
		return -1;
	if (o->clock && check_clock(o->clock) < 0)
		return -1;
	if (record_ftrace_check(&o->ftrace) < 0)
		return -1;
	return record_expand_events(tracefs_tracing_dir(), o->events, o->nr_events, &s->targets);
}

static enum record_outcome outcome_of(int sig)
{
	return sig == SIGINT ? RECORD_INTERRUPTED : RECORD_TERMINATED;
}

/* Between set-up steps: a stop signal ends the session before it records anything. */
static bool stopped_in_setup(struct session *s)
{
	if (!workload_stopped_in_setup(&s->work))
		return false;
	s->outcome = outcome_of(workload_stop_signal());
	return true;
}

/* ------------------------------------------------------------------------- */
/* tracefs set-up, all through the undo list */

/* The kernel's own words for a rejected filter: the first line of error_log. */
static char *filter_error_text(struct session *s)
{
	char *text = tracefs_error_last(s->inst), *msg, *p;

	if (!text)
		return NULL;
	text[strcspn(text, "\n")] = '\0';
	msg = text;
	if (*msg == '[' && (p = strchr(msg, ']')))	/* drop the "[ 123.456]" timestamp */
		msg = p + 1;
	while (*msg == ' ')
		msg++;
	msg = xstrdup(msg);
	free(text);
	return msg;
}

static int enable_event(struct session *s, const struct record_target *t)
{
	char *file;
	int ret;

	if (t->filter) {
		file = xasprintf("events/%s/%s/filter", t->system, t->event);
		tracefs_error_clear(s->inst);
		ret = st_undo_instance_write(s->undo, s->inst, file, t->filter);
		free(file);
		if (ret < 0) {
			char *why = filter_error_text(s);

			st_set_error("bad filter '%s' for %s:%s: %s", t->filter, t->system,
				     t->event, why ? why : "rejected by the kernel");
			free(why);
			return -1;
		}
	}
	file = xasprintf("events/%s/%s/enable", t->system, t->event);
	ret = st_undo_instance_write(s->undo, s->inst, file, "1");
	free(file);
	if (ret < 0)
		st_set_error("cannot enable %s:%s: %s", t->system, t->event, strerror(errno));
	return ret;
}

static int set_up_instance(struct session *s)
{
	const struct record_opts *o = s->opts;
	int mark;

	s->undo = st_undo_new_session();
	if (!s->undo)
		return -1;
	mark = st_undo_mark(s->undo);
	s->inst = st_undo_session_instance(s->undo);
	if (!s->inst)
		return -1;
	/* A tracer the instance cannot run moves the recording to the top level (inst NULL). */
	if (record_ftrace_choose_buffer(s->undo, mark, &s->inst, &o->ftrace, o->quiet) < 0)
		return -1;
	/* A new instance starts with tracing on: keep it off until the workload runs. */
	if (st_undo_instance_write(s->undo, s->inst, "tracing_on", "0") < 0 ||
	    st_undo_buffer_kb(s->undo, s->inst, o->buffer_kb) < 0)
		return -1;
	if (o->clock && st_undo_instance_write(s->undo, s->inst, "trace_clock", o->clock) < 0)
		return -1;
	if (o->files && !(s->files = record_files_setup(s->undo, &s->targets, o->files_backend,
							 s->work.pid, o->quiet)))
		return -1;
	/* --syscalls alone: the path probes, for the file calls' names */
	if (!o->files && o->syscalls &&
	    !(s->files = record_files_setup(s->undo, &s->targets, RF_PROBES, s->work.pid, o->quiet)))
		return -1;
	if (record_ucall_wanted(&o->ucalls) &&
	    !(s->ucalls = record_ucalls_setup(s->undo, &o->ucalls, &s->targets, o->quiet)))
		return -1;
	for (int i = 0; i < s->targets.nr; i++)
		if (enable_event(s, &s->targets.items[i]) < 0)
			return -1;
	if (o->stack && record_stack_setup(s->undo, s->inst, &s->targets) < 0)
		return -1;
	return record_ftrace_setup(s->undo, s->inst, &o->ftrace);
}

/*
 * Which tasks the instance traces: -P's pids, or -F's command (and, through
 * event-fork, its descendants); never sidetrace's own threads (their splice
 * and read calls would feed back into a syscall trace) unless --no-filter.
 */
static int set_pid_filters(struct session *s)
{
	const struct record_opts *o = s->opts;
	const struct record_ftrace_tasks tasks = {
		.pids = o->pids, .nr_pids = o->nr_pids,
		.command = o->follow_command ? s->work.pid : 0,
		.own = o->no_filter ? NULL : recorders_tids(s->rec), .nr_own = s->nr_cpus,
	};
	pid_t *own;
	int nr = 0, ret = 0;

	if (record_ftrace_set_pids(s->undo, s->inst, &o->ftrace, &tasks) < 0)
		return -1;
	if (o->nr_pids)
		ret = st_undo_write_pids(s->undo, s->inst, "set_event_pid", o->pids, o->nr_pids);
	if (!ret && o->follow_command) {
		ret = st_undo_write_pids(s->undo, s->inst, "set_event_pid", &s->work.pid, 1);
		if (!ret)
			ret = st_undo_instance_write(s->undo, s->inst, "options/event-fork", "1");
	}
	if (ret || o->no_filter || !tracefs_file_exists(s->inst, "set_event_notrace_pid"))
		return ret;
	own = xmalloc((s->nr_cpus + 1) * sizeof(*own));
	own[nr++] = getpid();
	memcpy(own + nr, recorders_tids(s->rec), s->nr_cpus * sizeof(*own));
	nr += s->nr_cpus;
	ret = st_undo_write_pids(s->undo, s->inst, "set_event_notrace_pid", own, nr);
	free(own);
	return ret;
}

static int start_recorders(struct session *s)
{
	s->nr_cpus = meta_nr_cpus(s->inst);
	s->page_size = meta_page_size(s->inst);
	if (s->nr_cpus <= 0) {
		st_set_error("the tracefs instance has no per_cpu directories");
		return -1;
	}
	outfile_track(s->out, s->undo);	/* temporaries with names are deleted by reset */
	s->rec = recorders_open(s->inst, s->nr_cpus, s->out, s->page_size);
	if (!s->rec)
		return -1;
	return recorders_start(s->rec);
}

static int tracing_on(struct session *s)
{
	s->tracing_on_mark = st_undo_mark(s->undo);
	return st_undo_instance_write(s->undo, s->inst, "tracing_on", "1");
}

/* ------------------------------------------------------------------------- */
/* Waiting for the end */

/*
 * fds[0] is the recorders' failure descriptor, the others the processes
 * waited for. Returns false once a recorder failed (a full disk).
 */
static bool wait_for_end_loop(struct session *s, struct pollfd *fds, int nr)
{
	struct timespec tick = { .tv_nsec = RECORD_STATUS_INTERVAL_MS * 1000000L };
	int active;

	for (;;) {
		active = 0;
		for (int i = 1; i < nr; i++)
			active += fds[i].fd >= 0;
		if (workload_stop_signal() || (nr > 1 && !active))
			return true;
		record_status_tick(s->status);
		if (ppoll(fds, nr, s->status ? &tick : NULL, &s->work.sig.orig_mask) < 0) {
			if (errno == EINTR)
				continue;
			st_warn("waiting failed: %s; stopping", strerror(errno));
			return true;
		}
		if (fds[0].revents)
			return false;
		for (int i = 1; i < nr; i++)
			if (fds[i].revents)
				fds[i].fd = -1;	/* that process is gone */
	}
}

static enum record_outcome wait_for_end(struct session *s)
{
	const struct record_opts *o = s->opts;
	int nr = 0;
	struct pollfd *fds = xcalloc(o->nr_pids + 2, sizeof(*fds));
	bool recorders_ok;

	fds[nr++] = (struct pollfd){ .fd = recorders_failed_fd(s->rec), .events = POLLIN };
	if (s->work.pid)
		fds[nr++] = (struct pollfd){ .fd = s->work.pidfd, .events = POLLIN };
	for (int i = 0; i < o->nr_pids; i++)
		fds[nr++] = (struct pollfd){ .fd = s->pidfds[i], .events = POLLIN };
	recorders_ok = wait_for_end_loop(s, fds, nr);
	free(fds);
	record_status_end(s->status);
	/*
	 * ppoll() returns without running the handler when a process it watches
	 * ends as the signal arrives, as when Ctrl-C reaches the workload too.
	 */
	workload_take_pending_signals();
	if (!recorders_ok) {
		/* The recording cannot go on: stop the workload as Ctrl-C would. */
		workload_forward_signal(&s->work, SIGINT);
		return RECORD_DONE;	/* finish_recording() reports the recorder's error */
	}
	workload_reap(&s->work, !workload_stop_signal());
	if (!workload_stop_signal())
		return RECORD_DONE;
	workload_forward_signal(&s->work, workload_stop_signal());
	return outcome_of(workload_stop_signal());
}

/* ------------------------------------------------------------------------- */
/* The end: trace.dat, the summary, and undoing everything */

static struct meta_event *meta_events(const struct record_targets *t)
{
	struct meta_event *ev = xcalloc(t->nr ? t->nr : 1, sizeof(*ev));

	for (int i = 0; i < t->nr; i++) {
		ev[i].system = t->items[i].system;
		ev[i].event = t->items[i].event;
	}
	return ev;
}

/* trace.dat into the output's temporary, which then replaces the destination. */
static int write_output(struct session *s, struct td_meta *meta)
{
	struct td_cpu_input *cpus = xcalloc(s->nr_cpus, sizeof(*cpus));
	int ret;

	for (int i = 0; i < s->nr_cpus; i++) {
		cpus[i].fd = recorders_fd(s->rec, i);
		cpus[i].size = recorders_size(s->rec, i);
	}
	meta->out_name = outfile_name(s->out);
	ret = td_write(outfile_fd(s->out), meta, cpus);
	if (ret == 0)
		ret = outfile_commit(s->out);
	free(cpus);
	return ret;
}

static void print_summary(struct session *s, const struct td_meta *meta)
{
	unsigned long long events = 0, lost = 0, bytes = 0;
	uint64_t *cpu_events = xcalloc(3 * s->nr_cpus, sizeof(uint64_t));
	uint64_t *cpu_bytes = cpu_events + s->nr_cpus, *cpu_lost = cpu_bytes + s->nr_cpus;
	struct td_cpu_stats st;

	for (int i = 0; i < s->nr_cpus; i++) {
		td_parse_cpu_stats(meta->cpustats[i], &st);
		cpu_events[i] = st.read + st.entries;
		cpu_bytes[i] = recorders_size(s->rec, i);
		cpu_lost[i] = st.lost;
		events += cpu_events[i];
		lost += st.lost;
		bytes += cpu_bytes[i];
	}
	record_status_print_table(stderr, s->nr_cpus, cpu_events, cpu_bytes, cpu_lost);
	free(cpu_events);
	fprintf(stderr, "%s: version %d%s%s, %d CPUs, %llu events, %llu bytes of ring buffer, "
		"%llu lost%s\n", outfile_name(s->out), s->file_version,
		s->file_version == 7 ? ", " : "",
		s->file_version == 7 ? td_compression_name(s->compression) : "",
		s->nr_cpus, events, bytes, lost, lost ? " (a bigger -b may help)" : "");
}

static int finish_recording(struct session *s)
{
	struct td_meta meta = { 0 };
	struct meta_event *events;
	int ret;

	/* Tracing off: undo the tracing_on write (and nothing before it). */
	st_undo_rollback(s->undo, s->tracing_on_mark);
	ret = recorders_stop(s->rec);
	if (ret < 0)
		return -1;
	events = meta_events(&s->targets);
	ret = meta_collect(&meta, s->inst, events, s->targets.nr, s->nr_cpus,
			   !s->opts->no_kallsyms, s->undo);
	free(events);
	if (ret == 0) {
		meta.file_version = s->file_version;
		meta.compression = s->compression;
		if (s->files)
			record_files_add_option(s->files, &meta, s->work.pid, s->opts->command);
		if (s->ucalls)
			record_ucalls_add_option(s->ucalls, &meta);
		record_hints_add_option(&s->opts->ftrace, &meta);
		if (s->opts->stack)
			record_stack_add_option(&s->targets, s->opts->pids, s->opts->nr_pids, &meta);
		ret = write_output(s, &meta);
	}
	if (ret == 0 && !s->opts->quiet)
		print_summary(s, &meta);
	if (ret == 0)
		record_hints_print(&s->opts->ftrace, outfile_fd(s->out));
	td_meta_free(&meta);
	return ret;
}

static int session_end(struct session *s, int ret)
{
	record_status_free(s->status);
	recorders_free(s->rec);	/* closes trace_pipe_raw, so the instance can go */
	workload_cancel(&s->work);	/* never released: it exits without running */
	workload_reap(&s->work, false);
	/* Before the undo list goes: it names the output's temporary, if that has a name. */
	outfile_close(s->out);
	if (st_undo_finish(s->undo) < 0 && ret == 0)
		st_warn("the recording is complete, but tracefs was not fully restored");
	tracefs_instance_free(s->inst);
	workload_restore_signals(&s->work);
	for (int i = 0; s->pidfds && i < s->opts->nr_pids; i++)
		if (s->pidfds[i] >= 0)
			close(s->pidfds[i]);
	free(s->pidfds);
	workload_close(&s->work);
	record_targets_free(&s->targets);
	record_files_free(s->files);
	record_ucalls_free(s->ucalls);
	return ret;
}

int record_run(const struct record_opts *opts, enum record_outcome *outcome, int *cmd_status)
{
	struct session s = {
		.opts = opts, .outcome = RECORD_DONE,
	};
	int ret = -1;

	*cmd_status = -1;
	resolve_format(&s);
	workload_init(&s.work, opts->command,
		      "before the recording started; no file was written");
	workload_catch_signals(&s.work);	/* before anything changes */
	if (check_inputs(&s) < 0 || stopped_in_setup(&s))
		goto out;
	if (opts->command && (workload_fork(&s.work) < 0 || stopped_in_setup(&s)))
		goto out;
	if (set_up_instance(&s) < 0 || stopped_in_setup(&s))
		goto out;
	if (start_recorders(&s) < 0 || set_pid_filters(&s) < 0 || stopped_in_setup(&s))
		goto out;
	if (tracing_on(&s) < 0 || stopped_in_setup(&s))
		goto out;
	if (opts->command && workload_release(&s.work) < 0) {
		if (workload_stop_signal())
			s.outcome = outcome_of(workload_stop_signal());
		goto out;
	}
	if (!opts->quiet && !opts->command && !opts->nr_pids)
		fprintf(stderr, "Recording; Ctrl-C to stop.\n");
	if (record_status_wanted(opts->quiet))
		s.status = record_status_new(s.inst, s.rec, s.nr_cpus);
	s.outcome = wait_for_end(&s);
	ret = finish_recording(&s);
out:
	ret = session_end(&s, ret);
	*outcome = s.outcome;
	*cmd_status = s.work.status;
	return ret;
}

int record_check_tracefs(void)
{
	return check_tracefs();
}
