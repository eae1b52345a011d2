// SPDX-License-Identifier: LGPL-2.1
/*
 * `sidetrace report --files`: its options; lib/fileset/fileset_report.c reads
 * the trace and prints the set.
 */
#include "cli.h"
#include "cmds.h"
#include "fileset/fileset.h"
#include "report_opts.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: sidetrace report --files [--format=list|null|json] [--failed]\n"
	"                        [--include-pseudo] [--with-deps] [-i FILE | FILE]\n"
	"\n"
	"Print the files that a 'sidetrace record --files' trace shows the command and\n"
	"its descendants opened or executed (and the interpreters the kernel ran for\n"
	"them): absolute, normalized, sorted and unique.\n"
	"\n"
	"  --format=list      one path per line (default); null: NUL-separated;\n"
	"                     json: a manifest\n"
	"  --failed           also the failed lookups, with their errno (PATH<TAB>ENOENT)\n"
	"  --include-pseudo   keep /proc, /sys and /dev\n"
	"  --with-deps        add the DT_NEEDED closure of every ELF file in the set\n"
	"  -i FILE            the trace (default: trace.dat)\n"
	"  -h, --help         this help\n";

enum { OPT_FILES = CLI_LONG, OPT_FORMAT, OPT_FAILED, OPT_PSEUDO, OPT_DEPS };

static const struct cli_option files_options[] = {
	CLI_OPT(OPT_FILES, "files", CLI_FLAG, NULL),
	CLI_OPT(OPT_FORMAT, "format", CLI_VALUE, "list|null|json"),
	CLI_OPT(OPT_FAILED, "failed", CLI_FLAG, NULL),
	CLI_OPT(OPT_PSEUDO, "include-pseudo", CLI_FLAG, NULL),
	CLI_OPT(OPT_DEPS, "with-deps", CLI_FLAG, NULL),
	CLI_OPT('i', NULL, CLI_VALUE, "file"),
	CLI_OPT('h', "help", CLI_FLAG, NULL),
	{ 0 },
};

const struct cli_command report_files_cli = {
	.name = "report --files",
	.options = files_options,
	.operands = "file",
};

struct files_args {
	struct fs_out_opts out;
	const char *input;
	bool help;
};

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

static int parse_option(void *ctx, int c, const char *arg)
{
	struct files_args *a = ctx;

	switch (c) {
	case 'h':
		a->help = true;
		return 1;
	case 'i':
		a->input = arg;
		return 0;
	case OPT_FILES:
		return 0;
	case OPT_FORMAT:
		return parse_format(arg, &a->out.format);
	case OPT_FAILED:
		a->out.failed = true;
		return 0;
	case OPT_PSEUDO:
		a->out.include_pseudo = true;
		return 0;
	case OPT_DEPS:
		a->out.with_deps = true;
		return 0;
	}
	st_set_error("option code %d has no parser", c);	/* a table without its case */
	return -1;
}

/* -1 on a bad command line. */
static int parse_args(int argc, char **argv, struct files_args *a)
{
	int first_operand;

	memset(a, 0, sizeof(*a));
	first_operand = cli_parse(&report_files_cli, argc, argv, parse_option, a);
	if (first_operand < 0)
		return -1;
	if (a->help)
		return 0;
	if (first_operand < argc) {
		if (a->input || first_operand + 1 < argc) {
			st_set_error("one input file only");
			return -1;
		}
		a->input = argv[first_operand];
	}
	if (!a->input)
		a->input = "trace.dat";
	return 0;
}

int report_files_main(int argc, char **argv)
{
	struct files_args a;

	if (parse_args(argc, argv, &a) < 0)
		return cli_usage_error();
	if (a.help) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (fs_report(a.input, &a.out, stdout) < 0) {
		st_warn("%s", st_last_error());
		return EXIT_FAILURE_;
	}
	return EXIT_OK;
}
