// SPDX-License-Identifier: LGPL-2.1
/*
 * The syscall view (sc_fmt.h): threads, their calls in flight, their
 * descriptors, and the lines.
 */
#include "syscall/sc_args.h"
#include "syscall/sc_decode.h"
#include "syscall/sc_fmt.h"
#include "syscall/sc_names.h"
#include "util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NR_BUCKETS 1024

/* A thread's descriptors: the path of each (NULL: unknown) and close-on-exec. */
struct fdtab {
	int nr;
	char **paths;
	bool *cloexec;
};

struct task {
	int tid;
	char comm[32];
	struct fdtab fds;

	bool in_call;		/* between an entry and its exit */
	bool shown;		/* its "<unfinished ...>" line is out */
	long nr;
	uint64_t args[6];
	uint64_t enter_ts;
	char *path;		/* the call's path string, from a probe */
	char *pre_path;		/* a C library probe's path, for the next entry */

	int last_signal;	/* the last one delivered, for "+++ killed by" */
	bool await_exec;	/* nothing is shown before its first successful exec */
	bool gone;		/* its exit was seen */
	struct task *next;	/* hash chain */
};

struct sc_stats {
	uint64_t calls, errors, ns;
};

struct sc_fmt {
	struct sc_fmt_opts o;
	struct task *buckets[NR_BUCKETS];
	bool follow_all;	/* no task was added: every thread counts */
	bool started;
	uint64_t start_ts;
	int nr_in_call;		/* tasks in a call not shown yet */
	int nr_alive;		/* tasks not gone */
	uint64_t lines;
	struct sc_stats *stats;
	struct sc_buf line, args;
};

/* ------------------------------------------------------------------------- */
/* Tasks and their descriptors */

static struct task *find_task(struct sc_fmt *f, int tid)
{
	for (struct task *t = f->buckets[(unsigned int)tid % NR_BUCKETS]; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static struct task *new_task(struct sc_fmt *f, int tid, const char *comm)
{
	struct task *t = xcalloc(1, sizeof(*t));

	t->tid = tid;
	snprintf(t->comm, sizeof(t->comm), "%s", comm ? comm : "?");
	t->next = f->buckets[(unsigned int)tid % NR_BUCKETS];
	f->buckets[(unsigned int)tid % NR_BUCKETS] = t;
	f->nr_alive++;
	return t;
}

/* The task of an event, made on first sight when every thread is followed. */
static struct task *task_of(struct sc_fmt *f, int tid)
{
	struct task *t = find_task(f, tid);

	if (!t && f->follow_all)
		t = new_task(f, tid, NULL);
	return t;
}

static void fd_set_path(struct fdtab *ft, int fd, const char *path, bool cloexec)
{
	if (fd < 0 || fd > 1 << 20)
		return;
	if (fd >= ft->nr) {
		int nr = fd + 16;

		ft->paths = xrealloc(ft->paths, nr * sizeof(*ft->paths));
		ft->cloexec = xrealloc(ft->cloexec, nr * sizeof(*ft->cloexec));
		memset(ft->paths + ft->nr, 0, (nr - ft->nr) * sizeof(*ft->paths));
		memset(ft->cloexec + ft->nr, 0, (nr - ft->nr) * sizeof(*ft->cloexec));
		ft->nr = nr;
	}
	free(ft->paths[fd]);
	ft->paths[fd] = path ? xstrdup(path) : NULL;
	ft->cloexec[fd] = cloexec;
}

static const char *fd_path(const struct fdtab *ft, int64_t fd)
{
	return fd >= 0 && fd < ft->nr ? ft->paths[fd] : NULL;
}

static void fd_close(struct fdtab *ft, int64_t fd)
{
	if (fd >= 0 && fd < ft->nr) {
		free(ft->paths[fd]);
		ft->paths[fd] = NULL;
	}
}

static void fd_copy(struct fdtab *to, const struct fdtab *from)
{
	for (int i = 0; i < from->nr; i++)
		if (from->paths[i])
			fd_set_path(to, i, from->paths[i], from->cloexec[i]);
}

static void fd_free(struct fdtab *ft)
{
	for (int i = 0; i < ft->nr; i++)
		free(ft->paths[i]);
	free(ft->paths);
	free(ft->cloexec);
	memset(ft, 0, sizeof(*ft));
}

/* ------------------------------------------------------------------------- */
/* Lines */

struct sc_fmt *sc_fmt_new(const struct sc_fmt_opts *opts)
{
	struct sc_fmt *f = xcalloc(1, sizeof(*f));

	f->o = *opts;
	f->follow_all = true;
	f->stats = xcalloc(sc_nr_max(), sizeof(*f->stats));
	return f;
}

void sc_fmt_add_task(struct sc_fmt *f, int tid, const char *comm)
{
	f->follow_all = false;
	if (!find_task(f, tid))
		new_task(f, tid, comm);
}

bool sc_fmt_has_comm(struct sc_fmt *f, int tid)
{
	struct task *t = find_task(f, tid);

	return t && strcmp(t->comm, "?");
}

void sc_fmt_set_comm(struct sc_fmt *f, int tid, const char *comm)
{
	struct task *t = task_of(f, tid);

	if (t && comm && !strcmp(t->comm, "?"))
		snprintf(t->comm, sizeof(t->comm), "%s", comm);
}

void sc_fmt_await_exec(struct sc_fmt *f, int tid)
{
	struct task *t = task_of(f, tid);

	if (t)
		t->await_exec = true;
}

void sc_fmt_set_fd(struct sc_fmt *f, int tid, int fd, const char *path, bool cloexec)
{
	struct task *t = task_of(f, tid);

	if (t)
		fd_set_path(&t->fds, fd, path, cloexec);
}

int sc_fmt_nr_alive(const struct sc_fmt *f)
{
	return f->nr_alive;
}

void sc_fmt_for_each_alive(struct sc_fmt *f, void (*fn)(void *ctx, int tid), void *ctx)
{
	for (int b = 0; b < NR_BUCKETS; b++)
		for (struct task *t = f->buckets[b], *next; t; t = next) {
			next = t->next;	/* fn may mark t gone */
			if (!t->gone)
				fn(ctx, t->tid);
		}
}

static void mark_gone(struct sc_fmt *f, struct task *t)
{
	if (!t->gone) {
		t->gone = true;
		f->nr_alive--;
	}
}

void sc_fmt_gone(struct sc_fmt *f, int tid)
{
	struct task *t = find_task(f, tid);

	if (t)
		mark_gone(f, t);
}

uint64_t sc_fmt_lines(const struct sc_fmt *f)
{
	return f->lines;
}

static bool printing_lines(const struct sc_fmt *f)
{
	return !f->o.summary;
}

/* Calls are printed whole at their exit when a filter needs the result first. */
static bool whole_lines_only(const struct sc_fmt *f)
{
	return f->o.failed_only || f->o.min_duration_ns;
}

static bool selected(const struct sc_fmt *f, long nr)
{
	if (!f->o.selected)
		return true;
	return nr >= 0 && nr < sc_nr_max() && f->o.selected[nr];
}

static void put_time(struct sc_fmt *f, uint64_t ts)
{
	if (f->o.wall_clock) {
		int64_t real = (int64_t)ts + f->o.realtime_offset_ns;
		time_t sec = real / 1000000000;
		struct tm tm;

		localtime_r(&sec, &tm);
		sc_buf_printf(&f->line, "%02d:%02d:%02d.%06ld ", tm.tm_hour, tm.tm_min, tm.tm_sec,
			      (long)(real % 1000000000 / 1000));
	} else {
		/* time 0 is the first line's (a launcher's hidden calls come before it) */
		if (!f->started) {
			f->started = true;
			f->start_ts = ts;
		}
		sc_buf_printf(&f->line, "%8.3f ", ((double)ts - (double)f->start_ts) / 1e6);
	}
}

static void put_prefix(struct sc_fmt *f, const struct task *t, uint64_t ts, int64_t dur_ns)
{
	sc_buf_reset(&f->line);
	put_time(f, ts);
	if (dur_ns >= 0)
		sc_buf_printf(&f->line, "(%6.3f ms) ", (double)dur_ns / 1e6);
	else
		sc_buf_puts(&f->line, "(         ) ");
	sc_buf_printf(&f->line, "%s/%d ", t->comm, t->tid);
}

static void emit(struct sc_fmt *f)
{
	sc_buf_puts(&f->line, "\n");
	fputs(sc_buf_str(&f->line), f->o.out);
	f->lines++;
}

static const char *call_name(long nr, char *buf, size_t len)
{
	const char *name = sc_name(nr);

	if (name)
		return name;
	snprintf(buf, len, "syscall_%ld", nr);
	return buf;
}

static int nr_args(struct sc_fmt *f, const char *name, const char *sig)
{
	if (sig)
		return strcspn(sig, ":");
	if (f->o.nargs)
		return f->o.nargs(f->o.nargs_ctx, name);
	return 6;
}

static void put_arg(struct sc_fmt *f, const struct task *t, char kind, uint64_t v)
{
	struct sc_buf *b = &f->args;

	switch (kind) {
	case 'd': sc_put_fd(b, (int)v, fd_path(&t->fds, (int)v)); break;
	case 'D': sc_put_dirfd(b, (int)v, fd_path(&t->fds, (int)v)); break;
	case 'p':
		if (t->path)
			sc_put_string(b, t->path, f->o.strsize);
		else
			sc_buf_printf(b, "%#llx", (unsigned long long)v);
		break;
	case 'o': sc_put_open_flags(b, v); break;
	case 'm': sc_put_mode(b, v); break;
	case 'a': sc_put_access_mode(b, v); break;
	case 'A': sc_put_at_flags(b, v); break;
	case 's': sc_put_signal(b, (int)v); break;
	case 'P': sc_put_mmap_prot(b, v); break;
	case 'M': sc_put_mmap_flags(b, v); break;
	case 'i': sc_buf_printf(b, "%d", (int)v); break;
	case 'l': sc_buf_printf(b, "%lld", (long long)v); break;
	case 'u': sc_buf_printf(b, "%llu", (unsigned long long)v); break;
	case 'h': sc_buf_printf(b, "%#llx", (unsigned long long)v); break;
	default:
		if (v)
			sc_buf_printf(b, "%#llx", (unsigned long long)v);
		else
			sc_buf_puts(b, "NULL");
	}
}

/* The arguments of t's call, as they were at its entry. */
static const char *format_args(struct sc_fmt *f, const struct task *t, const char *name)
{
	const char *sig = sc_signature(name);
	int n = nr_args(f, name, sig);

	sc_buf_reset(&f->args);
	/* open's mode only means something with O_CREAT or O_TMPFILE, so strace omits it */
	if ((!strcmp(name, "open") && !(t->args[1] & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY)))) ||
	    (!strcmp(name, "openat") && !(t->args[2] & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY)))))
		n--;
	for (int i = 0; i < n && i < 6; i++) {
		if (i)
			sc_buf_puts(&f->args, ", ");
		put_arg(f, t, sig ? sig[i] : 'x', t->args[i]);
	}
	return sc_buf_str(&f->args);
}

static void put_result(struct sc_fmt *f, const char *name, int64_t ret)
{
	const char *sig = sc_signature(name);
	const char *colon = sig ? strchr(sig, ':') : NULL;
	int err = sc_ret_errno(ret);

	if (err)
		sc_put_errno(&f->line, err);
	else if (colon && colon[1] == 'x')
		sc_buf_printf(&f->line, "%#llx", (unsigned long long)ret);
	else
		sc_buf_printf(&f->line, "%lld", (long long)ret);
}

/* "<unfinished ...>" for t's call. */
static void show_unfinished(struct sc_fmt *f, struct task *t)
{
	char buf[32];
	const char *name = call_name(t->nr, buf, sizeof(buf));

	put_prefix(f, t, t->enter_ts, -1);
	sc_buf_printf(&f->line, "%s(%s <unfinished ...>", name, format_args(f, t, name));
	emit(f);
	t->shown = true;
	f->nr_in_call--;
}

static int by_enter_ts(const void *a, const void *b)
{
	const struct task *x = *(struct task *const *)a, *y = *(struct task *const *)b;

	return x->enter_ts < y->enter_ts ? -1 : x->enter_ts > y->enter_ts;
}

/* Before a line of another thread: the calls still running become "<unfinished ...>". */
static void show_others_unfinished(struct sc_fmt *f, const struct task *current)
{
	struct task **list;
	int n = 0, cap = f->nr_in_call;

	if (whole_lines_only(f) || f->nr_in_call - (current->in_call && !current->shown) <= 0 ||
	    cap <= 0)
		return;
	list = xmalloc(cap * sizeof(*list));
	for (int b = 0; b < NR_BUCKETS && n < cap; b++)
		for (struct task *t = f->buckets[b]; t && n < cap; t = t->next)
			if (t != current && t->in_call && !t->shown && !t->await_exec &&
			    selected(f, t->nr))
				list[n++] = t;
	qsort(list, n, sizeof(*list), by_enter_ts);
	for (int i = 0; i < n; i++)
		show_unfinished(f, list[i]);
	free(list);
}

/* Update t's descriptors after its call returned ret. */
static void track_fds(struct task *t, const char *name, int64_t ret)
{
	const uint64_t *a = t->args;

	if (sc_ret_errno(ret))
		return;
	if (!strcmp(name, "open") || !strcmp(name, "creat"))
		fd_set_path(&t->fds, ret, t->path, !strcmp(name, "open") && (a[1] & O_CLOEXEC));
	else if (!strcmp(name, "openat"))
		fd_set_path(&t->fds, ret, t->path, a[2] & O_CLOEXEC);
	else if (!strcmp(name, "openat2"))
		fd_set_path(&t->fds, ret, t->path, false);
	else if (!strcmp(name, "dup"))
		fd_set_path(&t->fds, ret, fd_path(&t->fds, a[0]), false);
	else if (!strcmp(name, "dup2") || !strcmp(name, "dup3"))
		fd_set_path(&t->fds, a[1], fd_path(&t->fds, a[0]),
			    !strcmp(name, "dup3") && (a[2] & O_CLOEXEC));
	else if (!strcmp(name, "fcntl") && (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC))
		fd_set_path(&t->fds, ret, fd_path(&t->fds, a[0]), a[1] == F_DUPFD_CLOEXEC);
	else if (!strcmp(name, "close"))
		fd_close(&t->fds, a[0]);
	else if (!strcmp(name, "close_range"))
		for (uint64_t fd = a[0]; fd <= a[1] && fd < (uint64_t)t->fds.nr; fd++)
			fd_close(&t->fds, fd);
	else if (!strcmp(name, "execve") || !strcmp(name, "execveat"))
		for (int fd = 0; fd < t->fds.nr; fd++)
			if (t->fds.cloexec[fd])
				fd_close(&t->fds, fd);
}

static bool wanted_line(const struct sc_fmt *f, int64_t ret, uint64_t dur)
{
	if (f->o.failed_only && !sc_ret_errno(ret))
		return false;
	return dur >= f->o.min_duration_ns;
}

static void count(struct sc_fmt *f, long nr, int64_t ret, uint64_t dur)
{
	if (nr < 0 || nr >= sc_nr_max())
		return;
	f->stats[nr].calls++;
	f->stats[nr].errors += sc_ret_errno(ret) != 0;
	f->stats[nr].ns += dur;
}

static void end_call(struct sc_fmt *f, struct task *t)
{
	if (t->in_call && !t->shown)
		f->nr_in_call--;
	free(t->path);
	t->path = NULL;
	t->in_call = false;
	t->shown = false;
}

static void on_exit_event(struct sc_fmt *f, struct task *t, const struct sc_event *ev)
{
	char buf[32];
	const char *name;
	uint64_t dur;

	/*
	 * No call: the child's return from fork/clone, or an entry before we
	 * looked. rt_sigreturn exits as call -1: it restored the registers of
	 * the interrupted code, syscall number included.
	 */
	if (!t->in_call || (t->nr != ev->nr && ev->nr != -1))
		return;
	name = call_name(t->nr, buf, sizeof(buf));
	dur = ev->ts - t->enter_ts;
	if (t->await_exec) {
		/* the launcher's own calls, and execvp's attempts along $PATH */
		if (strncmp(name, "execve", 6) || ev->ret != 0) {
			track_fds(t, name, ev->ret);
			end_call(f, t);
			return;
		}
		t->await_exec = false;
	}
	count(f, t->nr, ev->ret, dur);
	if (printing_lines(f) && selected(f, t->nr) && wanted_line(f, ev->ret, dur)) {
		show_others_unfinished(f, t);
		if (t->shown) {
			put_prefix(f, t, ev->ts, dur);
			sc_buf_printf(&f->line, "<... %s resumed>) = ", name);
		} else {
			put_prefix(f, t, t->enter_ts, dur);
			sc_buf_printf(&f->line, "%s(%s) = ", name, format_args(f, t, name));
		}
		put_result(f, name, ev->ret);
		emit(f);
	}
	track_fds(t, name, ev->ret);
	end_call(f, t);
}

static void on_enter(struct sc_fmt *f, struct task *t, const struct sc_event *ev)
{
	char buf[32];

	if (t->in_call) {
		/* An entry without exit: a lost exit event; the old call is dropped. */
		end_call(f, t);
	}
	t->in_call = true;
	t->shown = false;
	t->nr = ev->nr;
	t->enter_ts = ev->ts;
	memcpy(t->args, ev->args, sizeof(t->args));
	f->nr_in_call++;
	/* A C library probe's path belongs to this call only if the call takes one. */
	if (t->pre_path && sc_path_arg(call_name(ev->nr, buf, sizeof(buf))) >= 0) {
		t->path = t->pre_path;
		t->pre_path = NULL;
	}
	free(t->pre_path);
	t->pre_path = NULL;
}

static void on_path(struct task *t, const struct sc_event *ev)
{
	if (ev->path_inside) {
		if (t->in_call && !t->path)
			t->path = xstrdup(ev->path);	/* the first path is the first argument */
		return;
	}
	free(t->pre_path);
	t->pre_path = xstrdup(ev->path);
}

static void on_fork(struct sc_fmt *f, struct task *t, const struct sc_event *ev)
{
	struct task *child = find_task(f, ev->child);

	if (!child)
		child = new_task(f, ev->child, ev->comm ? ev->comm : t->comm);
	else if (ev->comm)
		snprintf(child->comm, sizeof(child->comm), "%s", ev->comm);
	fd_copy(&child->fds, &t->fds);
}

/* The kernel's comm after exec: the file name's last part, 15 bytes at most. */
static void on_exec(struct task *t, const struct sc_event *ev)
{
	const char *base = ev->comm ? strrchr(ev->comm, '/') : NULL;

	if (!ev->comm)
		return;
	base = base ? base + 1 : ev->comm;
	snprintf(t->comm, sizeof(t->comm), "%.15s", base);
}

static void on_task_exit(struct sc_fmt *f, struct task *t, const struct sc_event *ev)
{
	mark_gone(f, t);
	if (t->await_exec) {
		end_call(f, t);
		return;
	}
	char buf[32];
	const char *name = t->in_call ? call_name(t->nr, buf, sizeof(buf)) : NULL;
	bool exiting = name && (!strcmp(name, "exit_group") || !strcmp(name, "exit"));

	if (exiting) {
		count(f, t->nr, 0, 0);
		if (printing_lines(f) && selected(f, t->nr) && !whole_lines_only(f)) {
			show_others_unfinished(f, t);
			if (t->shown) {
				put_prefix(f, t, ev->ts, -1);
				sc_buf_printf(&f->line, "<... %s resumed>) = ?", name);
			} else {
				put_prefix(f, t, t->enter_ts, -1);
				sc_buf_printf(&f->line, "%s(%s) = ?", name, format_args(f, t, name));
			}
			emit(f);
		}
	}
	end_call(f, t);
	if (printing_lines(f) && !whole_lines_only(f)) {
		show_others_unfinished(f, t);
		put_prefix(f, t, ev->ts, -1);
		if (exiting)
			sc_buf_printf(&f->line, "+++ exited with %d +++", (int)t->args[0] & 0xff);
		else if (t->last_signal)
			sc_buf_printf(&f->line, "+++ killed by SIG%s +++",
				      sigabbrev_np(t->last_signal) ? sigabbrev_np(t->last_signal) :
								     "?");
		else
			sc_buf_puts(&f->line, "+++ exited +++");
		emit(f);
	}
}

static void on_signal(struct sc_fmt *f, struct task *t, const struct sc_event *ev)
{
	t->last_signal = ev->sig;
	if (!printing_lines(f) || whole_lines_only(f) || t->await_exec)
		return;
	show_others_unfinished(f, t);
	put_prefix(f, t, ev->ts, -1);
	sc_buf_puts(&f->line, "--- ");
	sc_put_signal(&f->line, ev->sig);
	sc_buf_puts(&f->line, " ---");
	emit(f);
}

static void on_lost(struct sc_fmt *f, const struct sc_event *ev)
{
	if (ev->lost)
		fprintf(f->o.out, "... %llu events lost on CPU %d (the ring buffer was full; a "
			"bigger -b may help) ...\n", (unsigned long long)ev->lost, ev->cpu);
	else
		fprintf(f->o.out, "... events lost on CPU %d (the ring buffer was full; a "
			"bigger -b may help) ...\n", ev->cpu);
	f->lines++;
}

void sc_fmt_feed(struct sc_fmt *f, const struct sc_event *ev)
{
	struct task *t;

	if (ev->type == SC_EV_LOST) {
		on_lost(f, ev);
		return;
	}
	t = task_of(f, ev->tid);
	if (!t)
		return;	/* a thread we do not follow */
	switch (ev->type) {
	case SC_EV_ENTER: on_enter(f, t, ev); break;
	case SC_EV_EXIT: on_exit_event(f, t, ev); break;
	case SC_EV_PATH: on_path(t, ev); break;
	case SC_EV_FORK: on_fork(f, t, ev); break;
	case SC_EV_EXEC: on_exec(t, ev); break;
	case SC_EV_TASK_EXIT: on_task_exit(f, t, ev); break;
	case SC_EV_SIGNAL: on_signal(f, t, ev); break;
	case SC_EV_LOST: break;
	}
}

/* ------------------------------------------------------------------------- */
/* The end */

struct summary_row {
	long nr;
	const struct sc_stats *s;
};

static int by_time(const void *a, const void *b)
{
	const struct summary_row *x = a, *y = b;

	if (x->s->ns != y->s->ns)
		return x->s->ns > y->s->ns ? -1 : 1;
	return x->s->calls > y->s->calls ? -1 : x->s->calls < y->s->calls;
}

/* strace -c's table: time share, seconds, usecs/call, calls, errors, syscall. */
static void print_summary(struct sc_fmt *f)
{
	struct summary_row *rows = xmalloc(sc_nr_max() * sizeof(*rows));
	uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
	const char *rule = "------ ----------- ----------- --------- --------- ----------------";
	char buf[32];
	int n = 0;

	for (long nr = 0; nr < sc_nr_max(); nr++) {
		if (!f->stats[nr].calls || !selected(f, nr))
			continue;
		rows[n++] = (struct summary_row){ nr, &f->stats[nr] };
		total_ns += f->stats[nr].ns;
		total_calls += f->stats[nr].calls;
		total_errors += f->stats[nr].errors;
	}
	qsort(rows, n, sizeof(*rows), by_time);
	fprintf(f->o.out, "%% time     seconds  usecs/call     calls    errors syscall\n%s\n", rule);
	for (int i = 0; i < n; i++) {
		const struct sc_stats *s = rows[i].s;

		fprintf(f->o.out, "%6.2f %11.6f %11llu %9llu ", total_ns ? 100.0 * s->ns / total_ns : 0,
			s->ns / 1e9, (unsigned long long)(s->ns / s->calls / 1000),
			(unsigned long long)s->calls);
		if (s->errors)
			fprintf(f->o.out, "%9llu ", (unsigned long long)s->errors);
		else
			fprintf(f->o.out, "%9s ", "");
		fprintf(f->o.out, "%s\n", call_name(rows[i].nr, buf, sizeof(buf)));
	}
	fprintf(f->o.out, "%s\n%6.2f %11.6f %11llu %9llu %9llu total\n", rule, 100.0,
		total_ns / 1e9, total_calls ? (unsigned long long)(total_ns / total_calls / 1000) : 0,
		(unsigned long long)total_calls, (unsigned long long)total_errors);
	free(rows);
}

void sc_fmt_finish(struct sc_fmt *f)
{
	if (printing_lines(f) && !whole_lines_only(f)) {
		/* Still running when the view ended (a detach): shown as strace does. */
		struct task none = { 0 };

		show_others_unfinished(f, &none);
	}
	if (f->o.summary)
		print_summary(f);
	fflush(f->o.out);
}

void sc_fmt_free(struct sc_fmt *f)
{
	if (!f)
		return;
	for (int b = 0; b < NR_BUCKETS; b++) {
		for (struct task *t = f->buckets[b], *next; t; t = next) {
			next = t->next;
			fd_free(&t->fds);
			free(t->path);
			free(t->pre_path);
			free(t);
		}
	}
	free(f->stats);
	sc_buf_free(&f->line);
	sc_buf_free(&f->args);
	free(f);
}

/* ------------------------------------------------------------------------- */
/* -e */

static int select_word(bool *sel, const char *word, bool value)
{
	long nr;

	if (!strcmp(word, "all")) {
		for (long i = 0; i < sc_nr_max(); i++)
			sel[i] = value;
		return 0;
	}
	if (!strcmp(word, "none"))
		return 0;
	if (word[0] == '%') {
		bool any = false;

		if (sc_in_class(word + 1, "read") < 0) {
			st_set_error("-e: unknown class '%s' (the classes: %%file, %%process, "
				     "%%network, %%signal, %%memory, %%desc)", word);
			return -1;
		}
		for (long i = 0; i < sc_nr_max(); i++) {
			if (sc_name(i) && sc_in_class(word + 1, sc_name(i)) == 1) {
				sel[i] = value;
				any = true;
			}
		}
		return any ? 0 : 0;
	}
	nr = sc_nr(word);
	if (nr < 0) {
		const char *close = sc_closest(word);

		if (close)
			st_set_error("-e: unknown syscall '%s' (did you mean '%s'?)", word, close);
		else
			st_set_error("-e: unknown syscall '%s' (not a system call of this "
				     "architecture)", word);
		return -1;
	}
	sel[nr] = value;
	return 0;
}

static int apply_expr(bool *sel, const char *expr, bool first)
{
	char *copy, *tok, *save = NULL;
	bool value = true;
	int ret = 0;

	if (!strncmp(expr, "trace=", 6))
		expr += 6;
	if (*expr == '!') {
		value = false;
		expr++;
		if (first)
			for (long i = 0; i < sc_nr_max(); i++)
				sel[i] = true;
	}
	if (!*expr) {
		st_set_error("-e needs syscall names or classes (e.g. -e openat,%%process)");
		return -1;
	}
	copy = xstrdup(expr);
	for (tok = strtok_r(copy, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save))
		ret = select_word(sel, tok, value);
	free(copy);
	return ret;
}

bool *sc_parse_selection(char *const *exprs, int nr)
{
	bool *sel = xcalloc(sc_nr_max(), sizeof(*sel));

	for (int i = 0; i < nr; i++) {
		if (apply_expr(sel, exprs[i], i == 0) < 0) {
			free(sel);
			return NULL;
		}
	}
	return sel;
}
