// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the trace.dat reader: open the input as a trace.dat,
 * build its tep, read every record of every buffer and format it as report
 * does (which also looks functions up in kallsyms). Any crash or
 * sanitizer report is a bug: a bad file must only ever give an error.
 * Build and run: make fuzz && fuzz/run [SECONDS]
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "tracedat/tracedat.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.dat", MFD_CLOEXEC);
	struct trace_seq seq;
	struct td_file *f;
	int b;

	if (fd < 0)
		abort();
	if (size && write_all(fd, data, size) < 0)
		abort();
	f = td_open_fd(fd);
	if (!f)
		return 0;
	trace_seq_init(&seq);
	for (b = 0; b < td_nr_buffers(f); b++) {
		struct td_iter *it = td_iter_new(f, b, NULL, 0);
		struct tep_record *rec;

		while (it && (rec = td_iter_next(it))) {
			trace_seq_reset(&seq);
			tep_print_event(td_get_tep(f), &seq, rec, "%s-%d %s %s", TEP_PRINT_COMM,
					TEP_PRINT_PID, TEP_PRINT_NAME, TEP_PRINT_INFO);
			td_iter_peek(it);
		}
		td_iter_free(it);
	}
	trace_seq_destroy(&seq);
	td_close(f);
	return 0;
}
