// SPDX-License-Identifier: LGPL-2.1
/*
 * The live status line of `sidetrace record` and its summary table (see
 * record_status.h). The line is drawn with one write(2): "\r", the text,
 * "\e[K" (erase the rest of the line), so a shorter line leaves no debris and
 * nothing is buffered in stdio between redraws.
 */
#include "record/record_status.h"
#include "tracedat/tracedat.h"
#include "record/recorder.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

/* Above this many CPUs the line lists only the CPUs that lost events. */
#define STATUS_ALL_CPUS_MAX 8

#define COLOR_LOST "\033[1;31m"
#define COLOR_RESET "\033[0m"

struct record_status {
	const struct recorders *rec;
	int nr_cpus;
	int *stats_fds;		/* per_cpu/cpuN/stats, -1 if it could not be opened */
	uint64_t *lost;
	double start;		/* CLOCK_MONOTONIC seconds */
	double last_draw;
	uint64_t last_events;
	bool color;
	bool drawn;		/* a line is on the screen */
	bool broken;		/* stderr failed: draw nothing more */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* NO_COLOR (https://no-color.org): set and not empty turns colour off. */
static bool no_color_env(void)
{
	const char *v = getenv("NO_COLOR");

	return v && *v;
}

bool record_status_wanted(bool quiet)
{
	const char *term = getenv("TERM");

	if (quiet || !isatty(STDERR_FILENO))
		return false;
	return !term || strcmp(term, "dumb") != 0;
}

static uint64_t sample_stats(struct record_status *st);

struct record_status *record_status_new(struct tracefs_instance *inst, const struct recorders *rec,
					 int nr_cpus)
{
	struct record_status *st = xcalloc(1, sizeof(*st));
	char file[64];
	int opened = 0;

	st->rec = rec;
	st->nr_cpus = nr_cpus;
	st->stats_fds = xmalloc(nr_cpus * sizeof(*st->stats_fds));
	st->lost = xcalloc(nr_cpus, sizeof(*st->lost));
	for (int i = 0; i < nr_cpus; i++) {
		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", i);
		st->stats_fds[i] = tracefs_instance_file_open(inst, file, O_RDONLY);
		opened += st->stats_fds[i] >= 0;
	}
	if (!opened) {
		record_status_free(st);
		return NULL;
	}
	st->color = !no_color_env();
	st->start = st->last_draw = now_s();
	st->last_events = sample_stats(st);	/* events/s counts from here */
	return st;
}

/* Events so far (read + still buffered) and the lost counts, from the stats files. */
static uint64_t sample_stats(struct record_status *st)
{
	struct td_cpu_stats cs;
	uint64_t events = 0;
	char text[1024];
	ssize_t n;

	for (int i = 0; i < st->nr_cpus; i++) {
		if (st->stats_fds[i] < 0)
			continue;
		n = pread(st->stats_fds[i], text, sizeof(text) - 1, 0);
		if (n <= 0)
			continue;
		text[n] = '\0';
		td_parse_cpu_stats(text, &cs);
		events += cs.read + cs.entries;
		st->lost[i] = cs.lost;
	}
	return events;
}

static int terminal_width(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static void draw(struct record_status *st, const char *text, size_t len)
{
	if (st->broken)
		return;
	if (write_all(STDERR_FILENO, text, len) < 0)
		st->broken = true;	/* the terminal went away: keep recording, quietly */
}

void record_status_tick(struct record_status *st)
{
	struct record_status_sample s;
	char line[1024];
	uint64_t events;
	double t;
	size_t len;

	if (!st || st->broken)
		return;
	t = now_s();
	if ((t - st->last_draw) * 1000 < RECORD_STATUS_INTERVAL_MS && st->drawn)
		return;
	events = sample_stats(st);
	s = (struct record_status_sample){
		.elapsed_s = t - st->start,
		.events_per_s = t > st->last_draw && events > st->last_events ?
				(events - st->last_events) / (t - st->last_draw) : 0,
		.lost = st->lost,
		.nr_cpus = st->nr_cpus,
	};
	for (int i = 0; i < st->nr_cpus; i++)
		s.bytes += recorders_written(st->rec, i);
	st->last_draw = t;
	st->last_events = events;
	line[0] = '\r';
	len = 1 + record_status_format(line + 1, sizeof(line) - 4, &s, terminal_width(), st->color);
	memcpy(line + len, "\033[K", 3);
	draw(st, line, len + 3);
	st->drawn = true;
}

void record_status_end(struct record_status *st)
{
	if (!st || !st->drawn)
		return;
	draw(st, "\r\033[K", 4);
	st->drawn = false;
}

void record_status_free(struct record_status *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->nr_cpus; i++)
		if (st->stats_fds[i] >= 0)
			close(st->stats_fds[i]);
	free(st->stats_fds);
	free(st->lost);
	free(st);
}

/* ------------------------------------------------------------------------- */
/* Formatting */

static void format_elapsed(char *buf, size_t size, double s)
{
	unsigned long secs = s;

	if (s < 60)
		snprintf(buf, size, "%.1fs", s);
	else if (secs < 3600)
		snprintf(buf, size, "%lum%02lus", secs / 60, secs % 60);
	else
		snprintf(buf, size, "%luh%02lum", secs / 3600, secs / 60 % 60);
}

static void format_rate(char *buf, size_t size, double r)
{
	if (r < 0)
		r = 0;
	if (r < 10000)
		snprintf(buf, size, "%.0f", r);
	else if (r < 1e6)
		snprintf(buf, size, "%.1fk", r / 1e3);
	else
		snprintf(buf, size, "%.2fM", r / 1e6);
}

/* "lost/CPU 0 0", "LOST/CPU 0 12", or with many CPUs "lost 0" / "LOST cpu3:12 cpu9:1". */
static bool format_lost(char *buf, size_t size, const struct record_status_sample *s)
{
	bool any = false, all = s->nr_cpus <= STATUS_ALL_CPUS_MAX;
	size_t len;

	for (int i = 0; i < s->nr_cpus; i++)
		any |= s->lost[i] != 0;
	if (!all && !any) {
		snprintf(buf, size, "lost 0");
		return false;
	}
	len = snprintf(buf, size, "%s%s", any ? "LOST" : "lost", all ? "/CPU" : "");
	for (int i = 0; i < s->nr_cpus && len < size; i++) {
		if (all)
			len += snprintf(buf + len, size - len, " %" PRIu64, s->lost[i]);
		else if (s->lost[i])
			len += snprintf(buf + len, size - len, " cpu%d:%" PRIu64, i, s->lost[i]);
	}
	return any;
}

size_t record_status_format(char *buf, size_t size, const struct record_status_sample *s,
			    int width, bool color)
{
	char elapsed[32], rate[32], head[128], lost[512];
	size_t head_len, lost_len, visible, len;
	bool any_lost;

	if (!size)
		return 0;
	format_elapsed(elapsed, sizeof(elapsed), s->elapsed_s);
	format_rate(rate, sizeof(rate), s->events_per_s);
	head_len = snprintf(head, sizeof(head), "%s  %s events/s  %.1f MB  ", elapsed, rate,
			    s->bytes / 1e6);
	head_len = head_len < sizeof(head) ? head_len : sizeof(head) - 1;
	any_lost = format_lost(lost, sizeof(lost), s);
	lost_len = strnlen(lost, sizeof(lost));
	visible = width > 1 ? (size_t)width - 1 : 0;
	if (visible > head_len + lost_len)
		visible = head_len + lost_len;
	if (visible <= head_len) {
		len = visible < size ? visible : size - 1;
		memcpy(buf, head, len);
		buf[len] = '\0';
		return len;
	}
	lost_len = visible - head_len;
	if (color && any_lost)
		len = snprintf(buf, size, "%s" COLOR_LOST "%.*s" COLOR_RESET, head, (int)lost_len,
			       lost);
	else
		len = snprintf(buf, size, "%s%.*s", head, (int)lost_len, lost);
	return len < size ? len : size - 1;
}

static int digits(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static int column_width(const char *title, const uint64_t *v, int n, uint64_t total)
{
	int w = strlen(title), d;

	for (int i = 0; i < n; i++) {
		d = digits(v[i]);
		w = d > w ? d : w;
	}
	d = digits(total);
	return d > w ? d : w;
}

static uint64_t sum(const uint64_t *v, int n)
{
	uint64_t s = 0;

	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

void record_status_print_table(FILE *f, int nr_cpus, const uint64_t *events, const uint64_t *bytes,
			       const uint64_t *lost)
{
	uint64_t te = sum(events, nr_cpus), tb = sum(bytes, nr_cpus), tl = sum(lost, nr_cpus);
	int we = column_width("events", events, nr_cpus, te);
	int wb = column_width("bytes", bytes, nr_cpus, tb);
	int wl = column_width("lost", lost, nr_cpus, tl);

	fprintf(f, "CPU  %*s  %*s  %*s\n", we, "events", wb, "bytes", wl, "lost");
	for (int i = 0; i < nr_cpus; i++)
		fprintf(f, "%3d  %*" PRIu64 "  %*" PRIu64 "  %*" PRIu64 "\n", i, we, events[i], wb,
			bytes[i], wl, lost[i]);
	fprintf(f, "all  %*" PRIu64 "  %*" PRIu64 "  %*" PRIu64 "\n", we, te, wb, tb, wl, tl);
}
