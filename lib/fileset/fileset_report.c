// SPDX-License-Identifier: LGPL-2.1
/*
 * `sidetrace report --files` once its options are parsed (cmd/report_files.c):
 * read the trace, print the set, and say on stderr which backend recorded it
 * and what that cannot see.
 */
#include "fileset/fileset.h"
#include "util.h"

#include <stdio.h>

/* What the reader must know about how complete the set is. */
static void notes(struct fs_model *m, const struct fs_info *info)
{
	const struct fs_counts *c = fs_model_counts(m);

	fprintf(stderr, "sidetrace: files recorded with the %s backend, which cannot see: %s\n",
		info->backend, info->cannot_see ? info->cannot_see : "(not stated)");
	if (c->lost_events)
		st_warn("%ld events were lost: the file set is INCOMPLETE (use a bigger -b)",
			c->lost_events);
	if (c->unnamed_ok)
		st_warn("%ld successful opens or execs had no path (not seen by the probes)",
			c->unnamed_ok);
	if (c->unresolved)
		st_warn("%ld relative paths could not be resolved (unknown directory fd)",
			c->unresolved);
	if (c->io_uring)
		st_warn("the command used io_uring: files it opened that way are missing");
}

int fs_report(const char *input, const struct fs_out_opts *o, FILE *out)
{
	struct fs_info info;
	struct fs_model *m;
	int ret;

	m = fs_model_from_trace(input, &info);
	if (!m)
		return -1;
	if (o->with_deps) {
		struct fs_deps_env env = { info.ld_library_path, NULL };

		fs_add_deps(m, &env);
	}
	ret = fs_write(m, &info, o, out);
	if (ret == 0)
		notes(m, &info);
	fs_model_free(m);
	fs_info_free(&info);
	return ret < 0 ? -1 : 0;
}
