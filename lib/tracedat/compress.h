/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The two compression algorithms trace.dat v7 knows, behind one interface.
 * A "block" in the file is: u32 compressed size, u32 uncompressed size, then
 * the compressed bytes (in the file's endianness; the callers handle that).
 */
#ifndef SIDETRACE_COMPRESS_H
#define SIDETRACE_COMPRESS_H

#include <stddef.h>

#include "tracedat/tracedat.h"

/* The version string the header stores after the algorithm name ("" for none). */
const char *td_compression_version(enum td_compression c);

/* Largest compressed size of in_size bytes. */
size_t td_compress_bound(enum td_compression c, size_t in_size);

/*
 * Compress in into out (capacity out_cap, at least td_compress_bound()).
 * Returns the compressed size, or 0 with st_set_error.
 */
size_t td_compress(enum td_compression c, const void *in, size_t in_size, void *out,
		   size_t out_cap);

/*
 * Decompress exactly out_size bytes. Returns 0, or -1 with st_set_error when
 * the data is corrupt or does not decompress to exactly out_size bytes.
 */
int td_decompress(enum td_compression c, const void *in, size_t in_size, void *out,
		  size_t out_size);

/* Free the calling thread's decompression state (a thread that decompressed, before it ends). */
void td_decompress_thread_done(void);

#endif
