// SPDX-License-Identifier: LGPL-2.1
/*
 * report --files output: a sorted path list (newline- or NUL-separated) or a
 * JSON manifest with each file's resolved path, symlink chain, kind, access,
 * and first opener, plus what the backend cannot see.
 */
#include "fileset/fileset.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINKS 40

static bool in_set(const struct fs_file *f, const struct fs_out_opts *o)
{
	return (f->access & FS_OPENED) && (o->include_pseudo || !fs_is_pseudo(f->path)) &&
	       (o->with_deps || f->access != FS_NEEDED);
}

static bool in_failed(const struct fs_file *f, const struct fs_out_opts *o)
{
	return o->failed && f->nr_errs && !(f->access & FS_OPENED) &&
	       (o->include_pseudo || !fs_is_pseudo(f->path));
}

static void put_errnos(const struct fs_file *f, FILE *out)
{
	for (int i = 0; i < f->nr_errs; i++) {
		const char *name = strerrorname_np(f->errs[i].err);

		if (name)
			fprintf(out, "%s%s", i ? "," : "", name);
		else
			fprintf(out, "%s%d", i ? "," : "", f->errs[i].err);
	}
}

static void write_list(struct fs_file **files, int n, const struct fs_out_opts *o, FILE *out)
{
	char sep = o->format == FS_FORMAT_NULL ? '\0' : '\n';

	for (int i = 0; i < n; i++) {
		if (in_set(files[i], o)) {
			fputs(files[i]->path, out);
			fputc(sep, out);
		} else if (in_failed(files[i], o)) {
			fprintf(out, "%s\t", files[i]->path);
			put_errnos(files[i], out);
			fputc(sep, out);
		}
	}
}

/* ------------------------------------------------------------------------- */
/* JSON */

static bool valid_utf8(const unsigned char *s)
{
	while (*s) {
		int n = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2 :
			(*s & 0xf8) == 0xf0 ? 3 : -1;

		if (n < 0)
			return false;
		s++;
		for (int i = 0; i < n; i++, s++)
			if ((*s & 0xc0) != 0x80)
				return false;
	}
	return true;
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else if (*p >= 0x80 && !valid_utf8((const unsigned char *)s))
			fprintf(out, "\\u%04x", *p);	/* latin-1; path_raw has the bytes */
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void base64(FILE *out, const char *s)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	fputc('"', out);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);

		fputc(tab[v >> 18 & 63], out);
		fputc(tab[v >> 12 & 63], out);
		fputc(i + 1 < n ? tab[v >> 6 & 63] : '=', out);
		fputc(i + 2 < n ? tab[v & 63] : '=', out);
	}
	fputc('"', out);
}

static const char *file_kind(const char *path)
{
	struct stat st;
	char head[4];
	int fd;
	ssize_t n;

	if (stat(path, &st) < 0)
		return "missing";
	if (S_ISDIR(st.st_mode))
		return "directory";
	if (!S_ISREG(st.st_mode))
		return "other";
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return "other";
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n == 4 && !memcmp(head, "\177ELF", 4))
		return "elf";
	if (n >= 2 && head[0] == '#' && head[1] == '!')
		return "script";
	return "other";
}

/* Print the symlinks met on the way from path to its target, as {link, target}. */
static void symlink_chain(FILE *out, const char *path)
{
	char *cur = xstrdup(path), target[PATH_MAX];
	bool first = true;

	fputc('[', out);
	for (int hops = 0; hops < MAX_LINKS; hops++) {
		char *slash = cur, *next = NULL;
		struct stat st;
		ssize_t n;

		/* The first prefix of cur that is a symlink. */
		while (slash && !next) {
			slash = strchr(slash + 1, '/');
			if (slash)
				*slash = '\0';
			if (lstat(cur, &st) == 0 && S_ISLNK(st.st_mode) &&
			    (n = readlink(cur, target, sizeof(target) - 1)) > 0) {
				char *dir = xstrdup(cur), *d = strrchr(dir, '/'), *joined;

				target[n] = '\0';
				fprintf(out, "%s{\"link\": ", first ? "" : ", ");
				json_str(out, cur);
				fputs(", \"target\": ", out);
				json_str(out, target);
				fputc('}', out);
				first = false;
				if (d)
					d[d == dir ? 1 : 0] = '\0';
				joined = target[0] == '/' ? xasprintf("%s%s%s", target,
					slash ? "/" : "", slash ? slash + 1 : "") :
					xasprintf("%s/%s%s%s", dir, target, slash ? "/" : "",
						  slash ? slash + 1 : "");
				next = fs_normalize(NULL, joined);
				free(joined);
				free(dir);
			}
			if (slash)
				*slash = '/';
		}
		if (!next)
			break;
		free(cur);
		cur = next;
	}
	free(cur);
	fputc(']', out);
}

static void json_access(FILE *out, unsigned a)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ FS_READ, "read" }, { FS_WRITE, "write" }, { FS_CREATE, "create" },
		{ FS_EXEC, "exec" }, { FS_STAT, "stat" }, { FS_DLOPEN, "dlopen" },
		{ FS_INTERP, "interpreter" }, { FS_NEEDED, "needed" },
	};
	bool first = true;

	fputc('[', out);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (a & names[i].bit) {
			fprintf(out, "%s\"%s\"", first ? "" : ", ", names[i].name);
			first = false;
		}
	}
	fputc(']', out);
}

/* The backends that saw f: the probes (or the exec events alone), fanotify. */
static void json_seen_by(FILE *out, const struct fs_file *f, const struct fs_info *info)
{
	int n = (int)strcspn(info->backend, "+");
	bool first = true;

	fputc('[', out);
	if (f->seen_by & FS_SEEN_TRACE) {
		if (!strcmp(info->backend, "fanotify"))
			fputs("\"exec-event\"", out);
		else
			fprintf(out, "\"%.*s\"", n, info->backend);
		first = false;
	}
	if (f->seen_by & FS_SEEN_FANOTIFY)
		fprintf(out, "%s\"fanotify\"", first ? "" : ", ");
	fputc(']', out);
}

static void json_file(FILE *out, const struct fs_file *f, const struct fs_info *info)
{
	char real[PATH_MAX];

	fputs("    {\"path\": ", out);
	json_str(out, f->path);
	if (!valid_utf8((const unsigned char *)f->path)) {
		fputs(", \"path_raw\": ", out);
		base64(out, f->path);
	}
	fputs(", \"resolved\": ", out);
	json_str(out, realpath(f->path, real) ? real : f->path);
	fputs(", \"symlinks\": ", out);
	symlink_chain(out, f->path);
	fprintf(out, ", \"kind\": \"%s\", \"access\": ", file_kind(f->path));
	json_access(out, f->access);
	fprintf(out, ", \"pid\": %d, \"comm\": ", (int)f->pid);
	json_str(out, f->comm);
	fputs(", \"seen_by\": ", out);
	json_seen_by(out, f, info);
	if (f->as_seen) {
		fputs(", \"as_seen\": ", out);
		json_str(out, f->as_seen);
	}
	fputc('}', out);
}

static void json_failed(FILE *out, const struct fs_file *f)
{
	fputs("    {\"path\": ", out);
	json_str(out, f->path);
	fputs(", \"errno\": {", out);
	for (int i = 0; i < f->nr_errs; i++) {
		const char *name = strerrorname_np(f->errs[i].err);

		if (name)
			fprintf(out, "%s\"%s\": %d", i ? ", " : "", name, f->errs[i].count);
		else
			fprintf(out, "%s\"%d\": %d", i ? ", " : "", f->errs[i].err,
				f->errs[i].count);
	}
	fputs("}}", out);
}

/* Each backend's own blind spots, and how fanotify fared. */
static void json_backend_blind(FILE *out, const struct fs_info *info)
{
	const char *probes = info->cannot_see_probes;
	int n = (int)strcspn(info->backend, "+");

	if (!info->fanotify)
		return;
	fputs(",\n  \"cannot_see_by_backend\": {", out);
	if (probes) {
		fprintf(out, "\"%.*s\": ", n, info->backend);
		json_str(out, probes);
		fputs(", ", out);
	}
	fputs("\"fanotify\": ", out);
	json_str(out, info->cannot_see_fanotify ? info->cannot_see_fanotify : "");
	fputs("},\n  \"fanotify_not_marked\": ", out);
	json_str(out, info->fan_unmarked ? info->fan_unmarked : "");
}

static void json_header(FILE *out, struct fs_model *m, const struct fs_info *info)
{
	const struct fs_counts *c = fs_model_counts(m);

	fputs("{\n  \"command\": [", out);
	for (int i = 0; i < info->argc; i++) {
		fputs(i ? ", " : "", out);
		json_str(out, info->argv[i]);
	}
	fputs("],\n  \"cwd\": ", out);
	json_str(out, info->cwd ? info->cwd : "");
	fputs(",\n  \"backend\": ", out);
	json_str(out, info->backend);
	fputs(",\n  \"cannot_see\": ", out);
	json_str(out, info->cannot_see ? info->cannot_see : "");
	json_backend_blind(out, info);
	if (info->missing) {
		fputs(",\n  \"functions_not_probed\": ", out);
		json_str(out, info->missing);
	}
	fprintf(out, ",\n  \"incomplete\": %s,\n  \"lost_events\": %ld,\n"
		"  \"unnamed_opens\": %ld,\n  \"unnamed_failed_opens\": %ld,\n"
		"  \"unresolved\": %ld,\n  \"io_uring_instances\": %ld,\n"
		"  \"fanotify_overflows\": %ld,\n  \"fanotify_unresolved\": %ld,\n",
		c->lost_events || c->fan_overflows ? "true" : "false", c->lost_events, c->unnamed_ok,
		c->unnamed_failed, c->unresolved, c->io_uring, c->fan_overflows, c->fan_unresolved);
}

static void write_json(struct fs_model *m, const struct fs_info *info, struct fs_file **files,
		       int n, const struct fs_out_opts *o, FILE *out)
{
	bool first = true;

	json_header(out, m, info);
	fputs("  \"files\": [\n", out);
	for (int i = 0; i < n; i++) {
		if (!in_set(files[i], o))
			continue;
		fputs(first ? "" : ",\n", out);
		json_file(out, files[i], info);
		first = false;
	}
	fputs("\n  ]", out);
	if (!o->include_pseudo) {
		/* What was left out is what the program needs of its environment. */
		first = true;
		fputs(",\n  \"pseudo_left_out\": [", out);
		for (int i = 0; i < n; i++) {
			if (!(files[i]->access & FS_OPENED) || !fs_is_pseudo(files[i]->path))
				continue;
			fputs(first ? "" : ", ", out);
			json_str(out, files[i]->path);
			first = false;
		}
		fputs("]", out);
	}
	if (o->failed) {
		first = true;
		fputs(",\n  \"failed\": [\n", out);
		for (int i = 0; i < n; i++) {
			if (!in_failed(files[i], o))
				continue;
			fputs(first ? "" : ",\n", out);
			json_failed(out, files[i]);
			first = false;
		}
		fputs("\n  ]", out);
	}
	fputs("\n}\n", out);
}

int fs_write(struct fs_model *m, const struct fs_info *info, const struct fs_out_opts *o,
	     FILE *out)
{
	struct fs_file **files;
	int n = fs_files(m, &files);

	if (o->format == FS_FORMAT_JSON)
		write_json(m, info, files, n, o, out);
	else
		write_list(files, n, o, out);
	free(files);
	if (fflush(out) == EOF || ferror(out)) {
		st_set_error("cannot write the output: %s", strerror(errno));
		return -1;
	}
	return 0;
}
