// SPDX-License-Identifier: LGPL-2.1
/*
 * `sidetrace report --files` once its options are parsed (cmd/report_files.c):
 * read the trace, print the set, and say on stderr which backend recorded it
 * and what that cannot see.
 */
#include "fileset/fileset.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* fanotify's blind spots, with the filesystems this recording could not mark. */
static void fanotify_blind(const struct fs_info *info, const char *what)
{
	fprintf(stderr, "sidetrace: %s: %s%s%s%s\n", what,
		info->cannot_see_fanotify ? info->cannot_see_fanotify : "(not stated)",
		info->fan_unmarked ? " (not marked here: " : "",
		info->fan_unmarked ? info->fan_unmarked : "", info->fan_unmarked ? ")" : "");
}

static void fanotify_notes(struct fs_model *m, const struct fs_info *info)
{
	const struct fs_counts *c = fs_model_counts(m);

	if (c->fan_overflows)
		st_warn("the fanotify queue overflowed %ld time%s: its events were lost and the file "
			"set is INCOMPLETE (much file activity elsewhere on the machine?)",
			c->fan_overflows, c->fan_overflows == 1 ? "" : "s");
	if (c->fan_unresolved)
		st_warn("%ld fanotify events had a directory that could not be named any more "
			"(removed before it was read)", c->fan_unresolved);
	if (info->fan_error)
		st_warn("fanotify: %s: the file set may be incomplete", info->fan_error);
}

/* What the reader must know about how complete the set is. */
static void notes(struct fs_model *m, const struct fs_info *info)
{
	const struct fs_counts *c = fs_model_counts(m);

	if (info->fanotify && info->cannot_see_probes) {
		char *probes = xasprintf("%.*s", (int)strcspn(info->backend, "+"), info->backend);

		fprintf(stderr, "sidetrace: files recorded with the %s and fanotify backends\n",
			probes);
		fprintf(stderr, "sidetrace: %s alone cannot see: %s\n", probes,
			info->cannot_see_probes);
		fanotify_blind(info, "fanotify alone cannot see");
		fprintf(stderr, "sidetrace: together they cannot see: %s\n",
			info->cannot_see ? info->cannot_see : "(not stated)");
		free(probes);
	} else if (info->fanotify) {
		fprintf(stderr, "sidetrace: files recorded with the fanotify backend\n");
		fanotify_blind(info, "fanotify cannot see");
	} else {
		fprintf(stderr, "sidetrace: files recorded with the %s backend, which cannot see: "
			"%s\n", info->backend, info->cannot_see ? info->cannot_see : "(not stated)");
	}
	fanotify_notes(m, info);
	if (c->lost_events)
		st_warn("%ld events were lost: the file set is INCOMPLETE (use a bigger -b)",
			c->lost_events);
	if (c->unnamed_ok && info->fanotify)
		st_warn("%ld successful opens or execs had no path from the probes (fanotify names "
			"those on the filesystems it marked)", c->unnamed_ok);
	else if (c->unnamed_ok)
		st_warn("%ld successful opens or execs had no path (not seen by the probes)",
			c->unnamed_ok);
	if (c->unresolved)
		st_warn("%ld relative paths could not be resolved (unknown directory fd)",
			c->unresolved);
	if (c->io_uring && !info->fanotify)
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
