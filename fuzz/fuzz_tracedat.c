// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for trace.dat files: each input goes through what a user
 * can ask of a file from another machine: `report` (with plugins and the
 * compiled printers of report_fast.c), `report -R`, `report --graph
 * --profile`, the exports (chrome, folded, flame graph), `report --files`,
 * and `dump`'s layout walk. Any crash, hang or sanitizer report is a bug: a
 * bad file must only ever give an error or some output.
 * Build and run: make fuzz && fuzz/run [SECONDS]; tests/run fuzz (make check)
 * runs it for a short time.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "export/export.h"
#include "fileset/fileset.h"
#include "report/report.h"
#include "report/report_calls.h"
#include "tracedat/tracedat.h"
#include "util.h"

static int devnull = -1;
static char flame_path[64];

/* One report run on path, as cmd/report.c sets it up. */
static void report(const char *path, const struct report_opts *how)
{
	struct report_opts o = *how;
	struct report_calls *calls = NULL;
	struct export *x = NULL;

	o.input = path;
	o.color = REPORT_COLOR_NEVER;
	if (export_wanted(&o.exp)) {
		x = export_new(&o, devnull);
	} else if (report_calls_wanted(&o.calls)) {
		calls = report_calls_new(&o.calls);
		o.consumer = report_calls_consumer(calls);
	}
	report_run(&o, devnull);
	report_calls_free(calls);
	export_free(x);
}

static void files(const char *path)
{
	char *argv[] = { "report", "--files", (char *)path, NULL };

	fileset_report_main(3, argv);
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
	struct report_opts plain = { .no_plugins = false };
	struct report_opts raw = { .raw = true, .no_plugins = true };
	struct report_opts graph = { .no_plugins = true,
				     .calls = { .graph = true, .profile = true } };
	struct report_opts chrome = { .no_plugins = true, .exp = { .format = EXPORT_CHROME } };
	struct report_opts folded = { .no_plugins = true, .exp = { .format = EXPORT_FOLDED } };
	struct report_opts flame = { .no_plugins = true, .exp = { .flamegraph = flame_path } };

	if (fd < 0)
		abort();
	if (size && write_all(fd, data, size) < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	layout(path);
	report(path, &plain);
	report(path, &raw);
	report(path, &graph);
	report(path, &chrome);
	report(path, &folded);
	report(path, &flame);
	files(path);
	unlink(flame_path);
	close(fd);
	return 0;
}
