// SPDX-License-Identifier: LGPL-2.1
/*
 * `sidetrace report --files`: options, reading the trace, printing the set,
 * and saying on stderr which backend recorded it and what that cannot see.
 */
#include "fileset/fileset.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: sidetrace report --files [--format=list|null|json] [--failed] [--include-pseudo]\n"
	"                        [--with-deps] [-i FILE | FILE]\n"
	"\n"
	"Print the files that a 'sidetrace record --files' trace shows the command and its\n"
	"descendants opened or executed (and the interpreters the kernel ran for them):\n"
	"absolute, normalized, sorted and unique.\n"
	"\n"
	"  --format=list      one path per line (default); null: NUL-separated; json: a manifest\n"
	"  --failed           also the failed lookups, with their errno (PATH<TAB>ENOENT)\n"
	"  --include-pseudo   keep /proc, /sys and /dev\n"
	"  --with-deps        add the DT_NEEDED closure of every ELF file in the set\n"
	"  -i FILE            the trace (default: trace.dat)\n";

enum { OPT_FILES = 256, OPT_FORMAT, OPT_FAILED, OPT_PSEUDO, OPT_DEPS };

static const struct option long_options[] = {
	{ "files", no_argument, NULL, OPT_FILES },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "failed", no_argument, NULL, OPT_FAILED },
	{ "include-pseudo", no_argument, NULL, OPT_PSEUDO },
	{ "with-deps", no_argument, NULL, OPT_DEPS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

bool fileset_report_wanted(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--files"))
			return true;
	return false;
}

static int parse_format(const char *arg, enum fs_format *f)
{
	if (!strcmp(arg, "list"))
		*f = FS_FORMAT_LIST;
	else if (!strcmp(arg, "null"))
		*f = FS_FORMAT_NULL;
	else if (!strcmp(arg, "json"))
		*f = FS_FORMAT_JSON;
	else {
		st_set_error("--format: '%s' is not list, null or json", arg);
		return -1;
	}
	return 0;
}

/* 0, 1 for --help, -1 on a bad command line. */
static int parse_args(int argc, char **argv, struct fs_out_opts *o, const char **input)
{
	int c;

	memset(o, 0, sizeof(*o));
	*input = NULL;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hi:", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			return 1;
		case 'i':
			*input = optarg;
			break;
		case OPT_FILES:
			break;
		case OPT_FORMAT:
			if (parse_format(optarg, &o->format) < 0)
				return -1;
			break;
		case OPT_FAILED:
			o->failed = true;
			break;
		case OPT_PSEUDO:
			o->include_pseudo = true;
			break;
		case OPT_DEPS:
			o->with_deps = true;
			break;
		case ':':
			st_set_error("option '%s' needs an argument", argv[optind - 1]);
			return -1;
		default:
			st_set_error("'%s' does not go with --files (see 'report --files --help')",
				     argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		if (*input || optind + 1 < argc) {
			st_set_error("one input file only");
			return -1;
		}
		*input = argv[optind];
	}
	if (!*input)
		*input = "trace.dat";
	return 0;
}

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

int fileset_report_main(int argc, char **argv)
{
	struct fs_out_opts o;
	struct fs_info info;
	struct fs_model *m;
	const char *input;
	int ret;

	ret = parse_args(argc, argv, &o, &input);
	if (ret == 1) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (ret < 0) {
		st_warn("%s", st_last_error());
		return 2;
	}
	m = fs_model_from_trace(input, &info);
	if (!m) {
		st_warn("%s", st_last_error());
		return 1;
	}
	if (o.with_deps) {
		struct fs_deps_env env = { info.ld_library_path, NULL };

		fs_add_deps(m, &env);
	}
	ret = fs_write(m, &info, &o, stdout);
	if (ret < 0)
		st_warn("%s", st_last_error());
	else
		notes(m, &info);
	fs_model_free(m);
	fs_info_free(&info);
	return ret < 0 ? 1 : 0;
}
