// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the trace.dat reader: open the input as a trace.dat,
 * build its tep, and read every record of every buffer. Any crash or
 * sanitizer report is a bug: a bad file must only ever give an error.
 * Build and run: make fuzz && fuzz/run [SECONDS]
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tracedat.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.dat", MFD_CLOEXEC);
	struct td_file *f;
	int b;

	if (fd < 0)
		abort();
	if (size && write_all(fd, data, size) < 0)
		abort();
	f = td_open_fd(fd);
	if (!f)
		return 0;
	for (b = 0; b < td_nr_buffers(f); b++) {
		struct td_iter *it = td_iter_new(f, b, NULL, 0);

		while (it && td_iter_next(it))
			td_iter_peek(it);
		td_iter_free(it);
	}
	td_close(f);
	return 0;
}
