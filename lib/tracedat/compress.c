// SPDX-License-Identifier: LGPL-2.1
/*
 * zstd and zlib through their own libraries. zstd frames are written without
 * a content size (as trace-cmd does) since the block header stores it anyway.
 */
#include "tracedat/compress.h"
#include "util.h"

#include <string.h>
#include <zlib.h>
#include <zstd.h>

int td_compression_from_name(const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "none"))
		return TD_COMPRESS_NONE;
	if (!strcmp(name, "zstd") || !strcmp(name, "any"))
		return TD_COMPRESS_ZSTD;
	if (!strcmp(name, "zlib"))
		return TD_COMPRESS_ZLIB;
	return -1;
}

const char *td_compression_name(enum td_compression c)
{
	switch (c) {
	case TD_COMPRESS_ZSTD:
		return "zstd";
	case TD_COMPRESS_ZLIB:
		return "zlib";
	default:
		return "none";
	}
}

const char *td_compression_version(enum td_compression c)
{
	switch (c) {
	case TD_COMPRESS_ZSTD:
		return ZSTD_versionString();
	case TD_COMPRESS_ZLIB:
		return zlibVersion();
	default:
		return "";
	}
}

size_t td_compress_bound(enum td_compression c, size_t in_size)
{
	switch (c) {
	case TD_COMPRESS_ZSTD:
		return ZSTD_compressBound(in_size);
	case TD_COMPRESS_ZLIB:
		return compressBound(in_size);
	default:
		return in_size;
	}
}

static size_t zstd_compress(const void *in, size_t in_size, void *out, size_t out_cap)
{
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	size_t ret;

	if (!cctx) {
		st_set_error("zstd: cannot allocate a compression context");
		return 0;
	}
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
	ret = ZSTD_compress2(cctx, out, out_cap, in, in_size);
	ZSTD_freeCCtx(cctx);
	if (ZSTD_isError(ret)) {
		st_set_error("zstd compression failed: %s", ZSTD_getErrorName(ret));
		return 0;
	}
	return ret;
}

static size_t zlib_compress(const void *in, size_t in_size, void *out, size_t out_cap)
{
	uLongf len = out_cap;
	int ret = compress2(out, &len, in, in_size, Z_DEFAULT_COMPRESSION);

	if (ret != Z_OK) {
		st_set_error("zlib compression failed (%d)", ret);
		return 0;
	}
	return len;
}

size_t td_compress(enum td_compression c, const void *in, size_t in_size, void *out, size_t out_cap)
{
	switch (c) {
	case TD_COMPRESS_ZSTD:
		return zstd_compress(in, in_size, out, out_cap);
	case TD_COMPRESS_ZLIB:
		return zlib_compress(in, in_size, out, out_cap);
	default:
		if (in_size > out_cap) {
			st_set_error("compression buffer too small");
			return 0;
		}
		memcpy(out, in, in_size);
		return in_size;
	}
}

static __thread ZSTD_DCtx *zstd_dctx;	/* reused: creating one per chunk is costly */

void td_decompress_thread_done(void)
{
	ZSTD_freeDCtx(zstd_dctx);
	zstd_dctx = NULL;
}

static int zstd_decompress(const void *in, size_t in_size, void *out, size_t out_size)
{
	size_t ret;

	if (!zstd_dctx)
		zstd_dctx = ZSTD_createDCtx();
	if (!zstd_dctx) {
		st_set_error("zstd: cannot allocate a decompression context");
		return -1;
	}
	ret = ZSTD_decompressDCtx(zstd_dctx, out, out_size, in, in_size);
	if (ZSTD_isError(ret)) {
		st_set_error("corrupt zstd data: %s", ZSTD_getErrorName(ret));
		return -1;
	}
	if (ret != out_size) {
		st_set_error("corrupt zstd data: %zu bytes instead of %zu", ret, out_size);
		return -1;
	}
	return 0;
}

static int zlib_decompress(const void *in, size_t in_size, void *out, size_t out_size)
{
	uLongf len = out_size;
	int ret = uncompress(out, &len, in, in_size);

	if (ret != Z_OK) {
		st_set_error("corrupt zlib data (%d)", ret);
		return -1;
	}
	if (len != out_size) {
		st_set_error("corrupt zlib data: %lu bytes instead of %zu", (unsigned long)len,
			     out_size);
		return -1;
	}
	return 0;
}

int td_decompress(enum td_compression c, const void *in, size_t in_size, void *out, size_t out_size)
{
	switch (c) {
	case TD_COMPRESS_ZSTD:
		return zstd_decompress(in, in_size, out, out_size);
	case TD_COMPRESS_ZLIB:
		return zlib_decompress(in, in_size, out, out_size);
	default:
		if (in_size != out_size) {
			st_set_error("stored block size mismatch");
			return -1;
		}
		memcpy(out, in, in_size);
		return 0;
	}
}
