// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for trace.dat files: each input goes through what a user
 * can ask of a file from another machine: `report` (with plugins and the
 * compiled printers of report_fast.c, which are also run alone on every
 * record, in a buffer of exactly the size they promise), `report -R`, `report --graph
 * --profile`, the exports (chrome, folded, flame graph), `report --files`,
 * `report --syscalls` (lines and -c), and `dump`'s layout walk. Any crash, hang or sanitizer report is a bug: a
 * bad file must only ever give an error or some output.
 * Build and run: make fuzz && fuzz/run [SECONDS]; tests/run fuzz (make check)
 * runs it for a short time.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "export/export.h"
#include "fileset/fileset.h"
#include "report/report.h"
#include "report/report_calls.h"
#include "report/report_fast.h"
#include "trace/trace.h"
#include "tracedat/tracedat.h"
#include "util.h"

static int devnull = -1;
static char flame_path[64];

/* What a report run asks for: the report and its view, as cmd/report.c has them. */
struct run {
	struct report_opts report;
	struct report_calls_opts calls;
	struct export_opts exp;
};

/* One report run on path, as cmd/report.c sets it up. */
static void report(const char *path, const struct run *how)
{
	struct run r = *how;
	const struct report_consumer *view = NULL;
	struct report_calls *calls = NULL;
	struct export *x = NULL;

	r.report.input = path;
	r.report.color = REPORT_COLOR_NEVER;
	if (export_wanted(&r.exp)) {
		x = export_new(&r.exp, &r.calls, devnull);
		view = export_consumer(x);
	} else if (report_calls_wanted(&r.calls)) {
		calls = report_calls_new(&r.calls, NULL);
		view = report_calls_consumer(calls);
	}
	report_run(&r.report, view, devnull);
	report_calls_free(calls);
	export_free(x);
}

static void files(const char *path)
{
	struct fs_out_opts o = { .format = FS_FORMAT_JSON, .failed = true, .with_deps = true };

	fs_report(path, &o, stdout);
}

/* report --syscalls: its lines, then its -c table. */
static void syscalls(const char *path)
{
	struct trace_opts lines = { 0 }, summary = { .summary = true };

	trace_report(path, &lines, stdout);
	trace_report(path, &summary, stdout);
}

/* dump: the layout and every event's format. */
static void layout(const char *path)
{
	struct td_file *f = td_open(path);

	if (!f)
		return;
	for (int i = 0; i < td_nr_items(f); i++)
		td_get_item(f, i);
	td_get_tep(f);
	td_close(f);
}

/*
 * Every record through its event's compiled print format or native plugin
 * printer (libtraceevent's plugins are loaded, so sched_switch, hrtimer_* and
 * sys_enter_futex get theirs), without the first records' comparison with
 * libtraceevent that report does: the printer alone must stay inside the
 * record and inside report_fast_max_len(). Formats are trusted after their
 * first record, so that the native printers' comm registration runs too.
 */
static void compiled_printers(const char *path)
{
	struct td_file *f = td_open(path);
	struct tep_handle *tep = f ? td_get_tep(f) : NULL;
	struct tep_plugin_list *plugins;
	struct report_fast *fast;

	if (!tep)
		goto out;
	plugins = tep_load_plugins(tep);
	fast = report_fast_new(tep);
	for (int b = 0; b < td_nr_buffers(f); b++) {
		const struct td_buffer *buf = td_get_buffer(f, b);
		struct td_iter *it = buf && !buf->latency ? td_iter_new(f, b, NULL, 0) : NULL;
		struct tep_record *rec;

		while (it && (rec = td_iter_next(it))) {
			struct tep_event *ev = tep_find_event_by_record(tep, rec);
			struct fast_fmt *ff = ev ? report_fast_get(fast, ev) : NULL;
			size_t max;
			char *out;
			int n;

			if (!ff || !td_record_printable(f, ev, rec))
				continue;
			max = report_fast_max_len(ff);
			out = malloc(max ? max : 1);
			n = report_fast_format(ff, tep, rec, out);
			if (n > (int)max)
				abort();
			free(out);
			while (report_fast_usable(ff) && !report_fast_trusted(ff))
				report_fast_verdict(ff, true);
			report_fast_comms_changed(fast);
		}
		td_iter_free(it);
	}
	report_fast_free(fast);
	tep_unload_plugins(plugins, tep);
out:
	td_close(f);
}

/*
 * The on-demand paths report's lines take, and those it does not: lookups by
 * name and id before any record (formats parsed out of the file's order),
 * every record of the top buffer, then the kallsyms text and the rest of the
 * formats parsed into the same tep.
 */
static void lazy_lookups(const char *path)
{
	struct td_file *f = td_open(path);
	struct tep_handle *tep = f ? td_get_tep_lazy(f) : NULL;
	struct td_iter *it;
	struct tep_record *rec;

	if (!tep)
		goto out;
	td_find_event_by_name(f, "ftrace", "funcgraph_exit");
	td_find_event_by_name(f, NULL, "sched_switch");
	td_find_event(f, 1);
	it = td_nr_buffers(f) ? td_iter_new(f, 0, NULL, 0) : NULL;
	while (it && (rec = td_iter_next(it))) {
		struct tep_event *ev = td_find_event(f, tep_data_type(tep, rec));

		if (ev && ev != tep_find_event_by_record(tep, rec))
			abort();
		if (ev && rec->size >= 16) {	/* a function lookup: kallsyms parsed on the first */
			unsigned long long addr;

			memcpy(&addr, (const char *)rec->data + 8, 8);
			tep_find_function(tep, addr);
		}
	}
	td_iter_free(it);
	td_get_kallsyms(f);
	td_get_tep(f);
out:
	td_close(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	snprintf(flame_path, sizeof(flame_path), "/tmp/fuzz-tracedat-%d.svg", (int)getpid());
	/* --files prints to stdout */
	if (devnull < 0 || dup2(devnull, STDOUT_FILENO) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.dat", MFD_CLOEXEC);
	char path[64];
	struct run plain = { .report.no_plugins = false };
	struct run raw = { .report = { .raw = true, .no_plugins = true } };
	struct run graph = { .report.no_plugins = true, .calls = { .graph = true, .profile = true } };
	struct run chrome = { .report.no_plugins = true, .exp = { .format = EXPORT_CHROME } };
	struct run folded = { .report.no_plugins = true, .exp = { .format = EXPORT_FOLDED } };
	struct run flame = { .report.no_plugins = true, .exp = { .flamegraph = flame_path } };

	if (fd < 0)
		abort();
	if (size && write_all(fd, data, size) < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	layout(path);
	compiled_printers(path);
	lazy_lookups(path);
	report(path, &plain);
	report(path, &raw);
	report(path, &graph);
	report(path, &chrome);
	report(path, &folded);
	report(path, &flame);
	files(path);
	syscalls(path);
	unlink(flame_path);
	close(fd);
	return 0;
}
