// SPDX-License-Identifier: LGPL-2.1
/*
 * `sidetrace trace` (trace.h): the session. As record does, it works in a
 * private instance whose every change goes through the undo list, catches
 * SIGINT/SIGTERM/SIGHUP before anything changes and waits for them only in
 * ppoll(). Instead of streaming the per-CPU buffers to files, it reads them
 * every few milliseconds (non-blocking reads of trace_pipe_raw, parsed with
 * libtraceevent's kbuffer), merges the CPUs' events by time and feeds the
 * formatter.
 *
 * Ordering: the instance runs on the "mono" trace clock, so an event's time
 * is comparable to clock_gettime(CLOCK_MONOTONIC). A pass takes the time
 * before it reads any CPU, and only events older than that (less a margin for
 * writers still committing) are formatted; later ones wait for the next pass,
 * when every CPU has been read past them. A thread that moves between CPUs
 * thus never has its exit formatted before its entry.
 */
#include "outfile/outfile.h"
#include "record/metadata.h"
#include "record/record.h"
#include "record/record_command.h"
#include "record/record_files.h"
#include "record/record_targets.h"
#include "record/workload.h"
#include "syscall/sc_fmt.h"
#include "syscall/sc_names.h"
#include "trace/trace.h"
#include "trace/trace_events.h"
#include "tracefs/tracefs_names.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event-parse.h>
#include <kbuffer.h>
#include <tracefs.h>

/* How often the buffers are read, and how long a writer may take to commit. */
#define POLL_MS 20
#define COMMIT_MARGIN_NS 2000000ULL

/* An event read but not formatted yet, with copies of its strings. */
struct queued {
	struct sc_event ev;
	char *comm, *path;
	uint64_t seq;		/* read order, for equal times */
};

struct session {
	const struct trace_opts *o;
	struct workload work;	/* the command, and the stop signals */
	int *pidfds;

	struct st_undo *undo;
	struct tracefs_instance *inst;
	struct record_targets targets;
	struct record_files *files;
	int nr_cpus;
	struct tracefs_cpu **cpus;
	int page_size;
	void *page;
	struct kbuffer *kbuf;
	struct tep_handle *tep;
	struct trace_decoder dec;

	struct queued *queue;
	int nr_queued, alloc_queued;
	uint64_t seq;

	struct outfile *out;
	FILE *outf;
	struct sc_fmt *fmt;
	bool *selected;
	int *nargs;		/* by syscall number: 1 + its number of arguments, 0 unknown */
};

static int open_pidfds(struct session *s)
{
	s->pidfds = xmalloc(s->o->nr_pids * sizeof(*s->pidfds));
	for (int i = 0; i < s->o->nr_pids; i++)
		s->pidfds[i] = -1;
	for (int i = 0; i < s->o->nr_pids; i++) {
		s->pidfds[i] = pidfd_open(s->o->pids[i], 0);
		if (s->pidfds[i] < 0) {
			st_set_error("-P: no process %d: %s", s->o->pids[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------- */
/* What the formatter knows before the first event: tasks, descriptors */

/* Every thread of process pid (its /proc/PID/task entries). */
static int task_ids(pid_t pid, pid_t **tids)
{
	char dir[64];
	DIR *d;
	struct dirent *de;
	int n = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	d = opendir(dir);
	if (!d) {
		*tids = xrealloc(*tids, sizeof(**tids));
		(*tids)[0] = pid;
		return 1;
	}
	while ((de = readdir(d))) {
		pid_t tid = st_pid_parse(de->d_name);

		if (tid <= 0)
			continue;
		*tids = xrealloc(*tids, (n + 1) * sizeof(**tids));
		(*tids)[n++] = tid;
	}
	closedir(d);
	return n;
}

static char *proc_comm(pid_t tid)
{
	char path[64], *text;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)tid);
	text = read_file(path, NULL);
	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

/* /proc/PID/fdinfo/FD's flags say whether it closes on exec. */
static bool fd_cloexec(pid_t tid, const char *fd)
{
	char path[320], *text, *flags;
	bool cloexec = false;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)tid, fd);
	text = read_file(path, NULL);
	flags = text ? strstr(text, "flags:") : NULL;
	if (flags)
		cloexec = strtoul(flags + 6, NULL, 8) & O_CLOEXEC;
	free(text);
	return cloexec;
}

/* The task tid to follow, with its descriptors as /proc shows them now. */
static void seed_task(struct session *s, pid_t tid)
{
	char dir[64], link[352], target[PATH_MAX];
	char *comm = proc_comm(tid);
	struct dirent *de;
	DIR *d;

	sc_fmt_add_task(s->fmt, tid, comm);
	free(comm);
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)tid);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		ssize_t n;
		int fd = st_pid_parse(de->d_name) >= 0 ? atoi(de->d_name) : -1;

		if (fd < 0 && strcmp(de->d_name, "0"))
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		sc_fmt_set_fd(s->fmt, tid, atoi(de->d_name), target, fd_cloexec(tid, de->d_name));
	}
	if (d)
		closedir(d);
}

/* ------------------------------------------------------------------------- */
/* tracefs */

static int enable_event(struct session *s, const char *system, const char *event)
{
	char *file = xasprintf("events/%s/%s/enable", system, event);
	int ret = st_undo_instance_write(s->undo, s->inst, file, "1");

	free(file);
	if (ret < 0)
		st_set_error("cannot enable %s:%s: %s", system, event, st_last_error());
	return ret;
}

static int enable_events(struct session *s)
{
	for (int i = 0; trace_kernel_events[i][0]; i++) {
		const char *sys = trace_kernel_events[i][0], *ev = trace_kernel_events[i][1];

		if (!tracefs_event_file_exists(s->inst, sys, ev, "enable")) {
			if (!strcmp(sys, "raw_syscalls")) {
				st_set_error("this kernel has no %s:%s event (CONFIG_FTRACE_SYSCALLS)",
					     sys, ev);
				return -1;
			}
			continue;
		}
		if (enable_event(s, sys, ev) < 0)
			return -1;
	}
	/* The path probes of record --files; its syscall events are not needed here. */
	for (int i = 0; s->files && i < s->targets.nr; i++) {
		const struct record_target *t = &s->targets.items[i];

		if (!strcmp(t->system, "syscalls") || !strcmp(t->system, "sched") ||
		    !strcmp(t->system, "task") || !strcmp(t->system, "io_uring"))
			continue;
		if (enable_event(s, t->system, t->event) < 0)
			return -1;
	}
	return 0;
}

static int write_pid_filter(struct session *s)
{
	pid_t *tids = NULL;
	int nr = 0, ret;

	if (s->work.pid) {
		tids = xmalloc(sizeof(*tids));
		tids[nr++] = s->work.pid;
		seed_task(s, s->work.pid);
		sc_fmt_await_exec(s->fmt, s->work.pid);
	}
	for (int i = 0; i < s->o->nr_pids; i++) {
		pid_t *more = NULL;
		int n = task_ids(s->o->pids[i], &more);

		tids = xrealloc(tids, (nr + n) * sizeof(*tids));
		memcpy(tids + nr, more, n * sizeof(*tids));
		nr += n;
		free(more);
	}
	ret = st_undo_write_pids(s->undo, s->inst, "set_event_pid", tids, nr);
	if (!ret)
		ret = st_undo_instance_write(s->undo, s->inst, "options/event-fork", "1");
	for (int i = !!s->work.pid; !ret && i < nr; i++)
		seed_task(s, tids[i]);
	free(tids);
	return ret;
}

static int set_up_instance(struct session *s)
{
	s->undo = st_undo_new_session();
	if (!s->undo)
		return -1;
	s->inst = st_undo_session_instance(s->undo);
	if (!s->inst)
		return -1;
	if (st_undo_instance_write(s->undo, s->inst, "tracing_on", "0") < 0)
		return -1;
	/* Times comparable to CLOCK_MONOTONIC: the merge's watermark (top of this file). */
	if (st_undo_instance_write(s->undo, s->inst, "trace_clock", "mono") < 0 ||
	    st_undo_buffer_kb(s->undo, s->inst, s->o->buffer_kb) < 0)
		return -1;
	if (!s->o->no_strings &&
	    !(s->files = record_files_setup(s->undo, &s->targets, RF_PROBES, s->work.pid, true)))
		return -1;
	return enable_events(s);
}

static int load_formats(struct session *s)
{
	const char *systems[] = { "raw_syscalls", "sched", "signal", NULL, NULL };
	char *group = s->files ? st_name(ST_NAME_FILES_GROUP, getpid()) : NULL;

	systems[3] = group;
	s->tep = tracefs_local_events_system(NULL, systems);
	if (!s->tep) {
		st_set_error("cannot read the events' formats from tracefs");
		free(group);
		return -1;
	}
	if (trace_decoder_init(&s->dec, s->tep, group,
			       s->files && !strcmp(record_files_backend(s->files), "kprobe")) < 0) {
		free(group);
		return -1;
	}
	free(group);
	s->kbuf = tep_kbuffer(s->tep);
	if (!s->kbuf) {
		st_set_error("cannot set up the ring buffer parser");
		return -1;
	}
	return 0;
}

static int open_cpus(struct session *s)
{
	s->nr_cpus = meta_nr_cpus(s->inst);
	s->page_size = meta_page_size(s->inst);
	if (s->nr_cpus <= 0) {
		st_set_error("the tracefs instance has no per_cpu directories");
		return -1;
	}
	s->cpus = xcalloc(s->nr_cpus, sizeof(*s->cpus));
	s->page = xmalloc(s->page_size);
	for (int i = 0; i < s->nr_cpus; i++) {
		char file[64];
		int fd;

		snprintf(file, sizeof(file), "per_cpu/cpu%d/trace_pipe_raw", i);
		fd = tracefs_instance_file_open(s->inst, file, O_RDONLY | O_NONBLOCK);
		if (fd < 0) {
			st_set_error("cannot open %s: %s", file, strerror(errno));
			return -1;
		}
		s->cpus[i] = tracefs_cpu_alloc_fd(fd, s->page_size, true);
		if (!s->cpus[i]) {
			close(fd);
			st_set_error("cannot set up the reader of %s: %s", file, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------- */
/* Reading, merging, formatting */

static void enqueue(struct session *s, const struct sc_event *ev)
{
	struct queued *q;

	if (s->nr_queued == s->alloc_queued) {
		s->alloc_queued = s->alloc_queued ? 2 * s->alloc_queued : 4096;
		s->queue = xrealloc(s->queue, s->alloc_queued * sizeof(*s->queue));
	}
	q = &s->queue[s->nr_queued++];
	q->ev = *ev;
	q->comm = ev->comm ? xstrdup(ev->comm) : NULL;
	q->path = ev->path ? xstrdup(ev->path) : NULL;
	q->ev.comm = q->comm;
	q->ev.path = q->path;
	q->seq = s->seq++;
}

static void enqueue_lost(struct session *s, int cpu, int missed, uint64_t ts)
{
	struct sc_event ev = { .type = SC_EV_LOST, .cpu = cpu, .ts = ts };

	ev.lost = missed > 0 ? missed : 0;
	enqueue(s, &ev);
}

/* One sub-buffer of cpu: its events into the queue. */
static void parse_page(struct session *s, int cpu)
{
	unsigned long long ts;
	struct tep_record rec = { .cpu = cpu };
	struct sc_event ev;
	bool first = true;
	void *data;

	if (kbuffer_load_subbuffer(s->kbuf, s->page) < 0)
		return;
	for (data = kbuffer_read_event(s->kbuf, &ts); data; data = kbuffer_next_event(s->kbuf, &ts)) {
		int missed = first ? kbuffer_missed_events(s->kbuf) : 0;

		if (missed)
			enqueue_lost(s, cpu, missed, ts);
		first = false;
		rec.ts = ts;
		rec.data = data;
		rec.size = kbuffer_event_size(s->kbuf);
		if (trace_decode(&s->dec, &rec, &ev) == 1)
			enqueue(s, &ev);
	}
}

/* Whatever each CPU's buffer holds now. Returns whether any CPU had a full page. */
static bool read_cpus(struct session *s)
{
	bool more = false;

	for (int cpu = 0; cpu < s->nr_cpus; cpu++) {
		for (int pages = 0; pages < 64; pages++) {
			int n = tracefs_cpu_read(s->cpus[cpu], s->page, true);

			if (n <= 0)
				break;
			parse_page(s, cpu);
			if (pages == 63)
				more = true;
		}
	}
	return more;
}

static int by_time(const void *a, const void *b)
{
	const struct queued *x = a, *y = b;

	if (x->ev.ts != y->ev.ts)
		return x->ev.ts < y->ev.ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Format the queued events older than watermark; keep the rest for later. */
static void format_until(struct session *s, uint64_t watermark)
{
	int done = 0;

	if (!s->nr_queued)
		return;	/* and s->queue may be NULL still */
	qsort(s->queue, s->nr_queued, sizeof(*s->queue), by_time);
	while (done < s->nr_queued && s->queue[done].ev.ts <= watermark) {
		sc_fmt_feed(s->fmt, &s->queue[done].ev);
		free(s->queue[done].comm);
		free(s->queue[done].path);
		done++;
	}
	memmove(s->queue, s->queue + done, (s->nr_queued - done) * sizeof(*s->queue));
	s->nr_queued -= done;
}

static uint64_t mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* One pass: read every CPU, format what no CPU can still precede. */
static bool pass(struct session *s)
{
	uint64_t watermark = mono_now() - COMMIT_MARGIN_NS;
	bool more = read_cpus(s);

	format_until(s, watermark);
	fflush(s->outf);
	return more;
}

/* At the end: everything left, in order. */
static void drain(struct session *s)
{
	while (read_cpus(s))
		;
	format_until(s, UINT64_MAX);
}

/* ------------------------------------------------------------------------- */
/* The session */

/*
 * A followed thread whose exit event was lost: gone from /proc, or a zombie
 * (which only its parent can reap).
 */
static void check_alive(void *ctx, int tid)
{
	struct session *s = ctx;
	char path[64], *stat, *paren;
	bool gone;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	stat = read_file(path, NULL);
	paren = stat ? strrchr(stat, ')') : NULL;
	gone = !paren || paren[1] != ' ' || paren[2] == 'Z' || paren[2] == 'X';
	free(stat);
	if (gone)
		sc_fmt_gone(s->fmt, tid);
}

/*
 * Until the command and every descendant the events showed (as strace -f
 * does), or every -P process, is gone, or a stop signal.
 */
static void follow(struct session *s)
{
	int nr = 0;
	struct pollfd *fds = xcalloc(s->o->nr_pids + 1, sizeof(*fds));
	struct timespec tick = { .tv_nsec = POLL_MS * 1000000L };

	if (s->work.pid)
		fds[nr++] = (struct pollfd){ .fd = s->work.pidfd, .events = POLLIN };
	for (int i = 0; i < s->o->nr_pids; i++)
		fds[nr++] = (struct pollfd){ .fd = s->pidfds[i], .events = POLLIN };
	for (int tick_nr = 1;; tick_nr++) {
		int active = 0;

		for (int i = 0; i < nr; i++)
			active += fds[i].fd >= 0;
		if (!active && tick_nr % (1000 / POLL_MS) == 0)
			sc_fmt_for_each_alive(s->fmt, check_alive, s);
		if (workload_stop_signal() || (!active && !sc_fmt_nr_alive(s->fmt)))
			break;
		if (pass(s))
			continue;	/* a CPU has more: no sleep */
		if (ppoll(fds, nr, &tick, &s->work.sig.orig_mask) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < nr; i++)
			if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				fds[i].fd = -1;
	}
	free(fds);
	workload_take_pending_signals();
}

static int open_output(struct session *s)
{
	const struct outfile_opts how = { .mode = OUTFILE_PUBLIC };
	int fd;

	if (!s->o->output) {
		s->outf = stderr;
		return 0;
	}
	s->out = outfile_open(s->o->output, &how);
	if (!s->out)
		return -1;
	fd = dup(outfile_fd(s->out));
	s->outf = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!s->outf) {
		st_set_error("cannot write %s: %s", s->o->output, strerror(errno));
		return -1;
	}
	return 0;
}

static int close_output(struct session *s)
{
	int ret = 0;

	if (!s->out)
		return fflush(s->outf) == 0 ? 0 : -1;
	if (fclose(s->outf) != 0) {
		st_set_error("cannot write %s: %s", s->o->output, strerror(errno));
		ret = -1;
	}
	s->outf = NULL;
	if (ret == 0 && outfile_commit(s->out) < 0)
		ret = -1;
	return ret;
}

/*
 * The number of arguments of a call without a signature: the fields of its
 * syscalls:sys_enter_NAME event after __syscall_nr, read once per call.
 */
static int nargs_from_kernel(void *ctx, const char *name)
{
	struct session *s = ctx;
	long nr = sc_nr(name);
	char *event, *format, *p;
	int n = 0;

	if (nr < 0)
		return 6;
	if (!s->nargs)
		s->nargs = xcalloc(sc_nr_max(), sizeof(*s->nargs));
	if (s->nargs[nr])
		return s->nargs[nr] - 1;
	event = xasprintf("sys_enter_%s", name);
	format = tracefs_event_file_read(NULL, "syscalls", event, "format", NULL);
	p = format ? strstr(format, "__syscall_nr;") : NULL;
	while (p && (p = strstr(p + 1, "\tfield:")))
		n++;
	if (!p && !format)
		n = 6;
	free(format);
	free(event);
	if (n > 6)
		n = 6;
	s->nargs[nr] = n + 1;
	return n;
}

static int make_formatter(struct session *s)
{
	struct sc_fmt_opts fo = {
		.failed_only = s->o->failed_only, .min_duration_ns = s->o->min_duration_ns,
		.summary = s->o->summary, .strsize = s->o->strsize, .wall_clock = s->o->wall_clock,
		.nargs = nargs_from_kernel, .nargs_ctx = s,
	};
	struct timespec real, mono;

	if (s->o->nr_exprs && !(s->selected = sc_parse_selection(s->o->exprs, s->o->nr_exprs)))
		return -1;
	if (open_output(s) < 0)
		return -1;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	fo.realtime_offset_ns = ((int64_t)real.tv_sec - mono.tv_sec) * 1000000000LL +
				(real.tv_nsec - mono.tv_nsec);
	fo.out = s->outf;
	fo.selected = s->selected;
	s->fmt = sc_fmt_new(&fo);
	return 0;
}

static int check_inputs(struct session *s)
{
	if (s->o->nr_exprs && !(s->selected = sc_parse_selection(s->o->exprs, s->o->nr_exprs)))
		return -1;
	free(s->selected);
	s->selected = NULL;
	if (record_check_tracefs() < 0)
		return -1;
	if (s->o->command && record_check_command(s->o->command[0]) < 0)
		return -1;
	if (s->o->nr_pids && open_pidfds(s) < 0)
		return -1;
	return make_formatter(s);
}

/* Lost events the pages did not flag: the kernel's overrun counts at the end. */
static void check_overruns(struct session *s)
{
	for (int cpu = 0; cpu < s->nr_cpus; cpu++) {
		char file[64], *text, *p;

		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		text = tracefs_instance_file_read(s->inst, file, NULL);
		p = text ? strstr(text, "dropped events:") : NULL;
		if (p && strtoull(p + 15, NULL, 10))
			fprintf(s->outf, "... %llu events dropped on CPU %d (the ring buffer was "
				"full; a bigger -b may help) ...\n", strtoull(p + 15, NULL, 10), cpu);
		free(text);
	}
}

static void session_free(struct session *s)
{
	for (int i = 0; s->cpus && i < s->nr_cpus; i++)
		if (s->cpus[i])
			tracefs_cpu_close(s->cpus[i]);
	free(s->cpus);
	free(s->page);
	workload_cancel(&s->work);	/* never released: it exits without running */
	if (st_undo_finish(s->undo) < 0)
		st_warn("tracefs was not fully restored (see sidetrace reset)");
	tracefs_instance_free(s->inst);
	if (s->outf && s->outf != stderr)
		fclose(s->outf);
	outfile_close(s->out);
	for (int i = 0; i < s->nr_queued; i++) {
		free(s->queue[i].comm);
		free(s->queue[i].path);
	}
	free(s->queue);
	sc_fmt_free(s->fmt);
	free(s->selected);
	free(s->nargs);
	if (s->kbuf)
		kbuffer_free(s->kbuf);	/* tep_kbuffer() made it for us */
	if (s->tep)
		tep_free(s->tep);
	record_targets_free(&s->targets);
	record_files_free(s->files);
	for (int i = 0; s->pidfds && i < s->o->nr_pids; i++)
		if (s->pidfds[i] >= 0)
			close(s->pidfds[i]);
	free(s->pidfds);
	workload_close(&s->work);
	workload_restore_signals(&s->work);
}

/* The command's wait status as a shell's exit status. */
static int exit_status(int status)
{
	if (status == -1)
		return 1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int set_up(struct session *s)
{
	if (check_inputs(s) < 0 || workload_stopped_in_setup(&s->work))
		return -1;
	if (s->o->command && (workload_fork(&s->work) < 0 || workload_stopped_in_setup(&s->work)))
		return -1;
	if (set_up_instance(s) < 0 || load_formats(s) < 0 || open_cpus(s) < 0)
		return -1;
	if (write_pid_filter(s) < 0 || workload_stopped_in_setup(&s->work))
		return -1;
	if (st_undo_instance_write(s->undo, s->inst, "tracing_on", "1") < 0 || workload_stopped_in_setup(&s->work))
		return -1;
	return s->o->command ? workload_release(&s->work) : 0;
}

int trace_run(const struct trace_opts *opts)
{
	struct session s = {
		.o = opts,
	};
	int ret = 0;

	workload_init(&s.work, opts->command, "before tracing started");
	workload_catch_signals(&s.work);
	if (set_up(&s) < 0) {
		st_warn("%s", st_last_error());
		ret = workload_stop_signal() == SIGINT ? 130 : workload_stop_signal() ? 143 : 1;
		session_free(&s);
		return ret;
	}
	follow(&s);
	/*
	 * A stop signal goes on to the command (which a terminal's Ctrl-C
	 * reached anyway); it gets a second to end, so that its end is in the
	 * view. One that ignores the signal runs on, untraced.
	 */
	if (workload_stop_signal())
		workload_forward_signal(&s.work, workload_stop_signal());
	else
		workload_reap(&s.work, true);
	drain(&s);
	sc_fmt_finish(s.fmt);
	check_overruns(&s);
	if (close_output(&s) < 0) {
		st_warn("%s", st_last_error());
		ret = 1;
	}
	if (s.work.pid && !ret)
		ret = s.work.status != -1 ? exit_status(s.work.status) : 128 + workload_stop_signal();
	if (s.work.pid && s.work.status == -1)
		st_warn("'%s' was still running when tracing stopped", opts->command[0]);
	session_free(&s);
	return ret;
}
