// SPDX-License-Identifier: LGPL-2.1
/*
 * Per-CPU recorder threads (see recorder.h). Threads rather than processes:
 * they share nothing but their own struct, and the main thread stops them with
 * tracefs_cpu_stop(), which wakes a reader blocked in select() or splice().
 */
#include "outfile/outfile.h"
#include "record/recorder.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tracefs.h>

struct cpu_recorder {
	int cpu;
	struct tracefs_cpu *tcpu;
	int fd;			/* the scratch file (unnamed, see outfile_scratch) */
	pthread_t thread;
	bool started;
	pid_t tid;
	atomic_bool stop;
	atomic_uint_least64_t written;	/* bytes so far, for the live status (relaxed) */
	uint64_t size;		/* final size, after padding */
	char error[256];	/* set by the thread on failure */
	struct recorders *owner;
};

struct recorders {
	int nr_cpus;
	int page_size;
	struct cpu_recorder *cpus;
	pid_t *tids;
	sem_t ready;
	const char *scratch_name;	/* what write errors name (outfile_scratch_name) */
	int failed_fd;		/* eventfd: readable once a thread has failed */
	atomic_bool failed;
};

static int open_cpu(struct tracefs_instance *inst, struct cpu_recorder *c, int page_size,
		    struct outfile *out)
{
	char file[64];
	int fd;

	snprintf(file, sizeof(file), "per_cpu/cpu%d/trace_pipe_raw", c->cpu);
	fd = tracefs_instance_file_open(inst, file, O_RDONLY);
	if (fd < 0) {
		st_set_error("cannot open %s: %s", file, strerror(errno));
		return -1;
	}
	c->tcpu = tracefs_cpu_alloc_fd(fd, page_size, false);
	if (!c->tcpu) {
		st_set_error("cannot set up the reader of %s: %s", file, strerror(errno));
		close(fd);
		return -1;
	}
	c->fd = outfile_scratch(out);
	return c->fd < 0 ? -1 : 0;
}

struct recorders *recorders_open(struct tracefs_instance *inst, int nr_cpus, struct outfile *out,
				 int page_size)
{
	struct recorders *r = xcalloc(1, sizeof(*r));

	r->nr_cpus = nr_cpus;
	r->page_size = page_size;
	r->cpus = xcalloc(nr_cpus, sizeof(*r->cpus));
	r->tids = xcalloc(nr_cpus, sizeof(*r->tids));
	r->scratch_name = outfile_scratch_name(out);
	sem_init(&r->ready, 0, 0);
	for (int i = 0; i < nr_cpus; i++) {
		r->cpus[i].cpu = i;
		r->cpus[i].fd = -1;
		r->cpus[i].owner = r;
	}
	r->failed_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (r->failed_fd < 0) {
		st_set_error("cannot create an eventfd: %s", strerror(errno));
		recorders_free(r);
		return NULL;
	}
	for (int i = 0; i < nr_cpus; i++) {
		if (open_cpu(inst, &r->cpus[i], page_size, out) < 0) {
			recorders_free(r);
			return NULL;
		}
	}
	return r;
}

/* Errors of the write side of a splice: the disk, not the ring buffer. */
static bool write_error(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EFBIG || err == EIO || err == EROFS;
}

/* Record the first error and wake the main thread, which stops the recording. */
static void thread_error(struct cpu_recorder *c, const char *what)
{
	int err = errno;

	if (write_error(err))
		snprintf(c->error, sizeof(c->error), "writing %s: %s", c->owner->scratch_name,
			 strerror(err));
	else
		snprintf(c->error, sizeof(c->error), "CPU %d: %s: %s", c->cpu, what, strerror(err));
	atomic_store(&c->owner->failed, true);
	if (eventfd_write(c->owner->failed_fd, 1) < 0)
		return;	/* cannot happen with a counter this small; the stop still reports it */
}

/* Zero-fill the file to a whole number of sub-buffers (trace.dat stores whole pages). */
static int pad_file(struct cpu_recorder *c)
{
	int page = c->owner->page_size;
	struct stat st;
	uint64_t rest;
	char *zeros;
	int ret;

	if (fstat(c->fd, &st) < 0)
		return -1;
	c->size = st.st_size;
	rest = c->size % page;
	if (!rest)
		return 0;
	zeros = xcalloc(1, page - rest);
	ret = pwrite_all(c->fd, zeros, page - rest, c->size);
	free(zeros);
	if (ret == 0)
		c->size += page - rest;
	return ret;
}

/* After the stop: take the whole pages left with splice, then the partial last one with read. */
static int drain(struct cpu_recorder *c)
{
	int n;

	do {
		n = tracefs_cpu_write(c->tcpu, c->fd, true);
	} while (n > 0 || (n < 0 && errno == EINTR));
	if (n < 0 && errno != EAGAIN) {
		thread_error(c, "reading trace_pipe_raw");
		return -1;
	}
	do {
		n = tracefs_cpu_flush_write(c->tcpu, c->fd);
	} while (n > 0 || (n < 0 && errno == EINTR));
	if (n < 0 && errno != EAGAIN) {
		thread_error(c, "flushing trace_pipe_raw");
		return -1;
	}
	return 0;
}

static void *record_cpu(void *arg)
{
	struct cpu_recorder *c = arg;
	int n;

	c->tid = gettid();
	sem_post(&c->owner->ready);
	while (!atomic_load(&c->stop)) {
		/* Blocks until the buffer is buffer_percent full or we are stopped. */
		n = tracefs_cpu_write(c->tcpu, c->fd, false);
		if (n > 0)
			atomic_fetch_add_explicit(&c->written, n, memory_order_relaxed);
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			thread_error(c, "reading trace_pipe_raw");
			return NULL;
		}
	}
	/* After a failure elsewhere, the data will be thrown away: do not wait to drain it. */
	if (atomic_load(&c->owner->failed) || drain(c) < 0)
		return NULL;
	if (pad_file(c) < 0)
		thread_error(c, "writing the temp file");
	return NULL;
}

int recorders_start(struct recorders *r)
{
	sigset_t block, old;
	int ret = 0, err;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (int i = 0; i < r->nr_cpus; i++) {
		err = pthread_create(&r->cpus[i].thread, NULL, record_cpu, &r->cpus[i]);
		if (err) {
			st_set_error("cannot start the recorder of CPU %d: %s", i, strerror(err));
			ret = -1;
			break;
		}
		r->cpus[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* Wait until every thread knows its tid (for the notrace pid list). */
	for (int i = 0; i < r->nr_cpus; i++) {
		if (!r->cpus[i].started)
			continue;
		while (sem_wait(&r->ready) < 0 && errno == EINTR)
			;
	}
	for (int i = 0; i < r->nr_cpus; i++)
		r->tids[i] = r->cpus[i].tid;
	return ret;
}

const pid_t *recorders_tids(const struct recorders *r)
{
	return r->tids;
}

int recorders_stop(struct recorders *r)
{
	int ret = 0;

	for (int i = 0; i < r->nr_cpus; i++) {
		if (!r->cpus[i].started)
			continue;
		atomic_store(&r->cpus[i].stop, true);
		tracefs_cpu_stop(r->cpus[i].tcpu);
	}
	for (int i = 0; i < r->nr_cpus; i++) {
		struct cpu_recorder *c = &r->cpus[i];

		if (!c->started)
			continue;
		pthread_join(c->thread, NULL);
		c->started = false;
		if (c->error[0] && !ret) {
			st_set_error("%s", c->error);
			ret = -1;
		}
	}
	return ret;
}

int recorders_fd(const struct recorders *r, int cpu)
{
	return r->cpus[cpu].fd;
}

uint64_t recorders_size(const struct recorders *r, int cpu)
{
	return r->cpus[cpu].size;
}

uint64_t recorders_written(const struct recorders *r, int cpu)
{
	return atomic_load_explicit(&r->cpus[cpu].written, memory_order_relaxed);
}

int recorders_page_size(const struct recorders *r)
{
	return r->page_size;
}

int recorders_failed_fd(const struct recorders *r)
{
	return r->failed_fd;
}

void recorders_free(struct recorders *r)
{
	if (!r)
		return;
	recorders_stop(r);
	for (int i = 0; i < r->nr_cpus; i++) {
		struct cpu_recorder *c = &r->cpus[i];

		tracefs_cpu_close(c->tcpu);
		if (c->fd >= 0)
			close(c->fd);
	}
	if (r->failed_fd >= 0)
		close(r->failed_fd);
	sem_destroy(&r->ready);
	free(r->cpus);
	free(r->tids);
	free(r);
}
