// SPDX-License-Identifier: LGPL-2.1
/*
 * Parsing perf-probe strings into struct probe_spec. Pure: no file access, so
 * the unit tests cover every form and every error without root.
 */
#include "probe/probe.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const x86_regs[] = {
	"ax", "bx", "cx", "dx", "si", "di", "bp", "sp", "r8", "r9", "r10", "r11", "r12",
	"r13", "r14", "r15", "ip", "flags", "cs", "ss", "ds", "es", "fs", "gs", "orig_ax",
};

static const char *const fetch_types[] = {
	"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "x8", "x16", "x32", "x64",
	"string", "ustring", "char",
};

static char *xstrndup_(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static bool is_ident(const char *s)
{
	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static void fetch_free(struct probe_fetch *f)
{
	if (!f)
		return;
	fetch_free(f->inner);
	for (int i = 0; i < f->nr_steps; i++)
		free(f->steps[i].member);
	free(f->steps);
	free(f->text);
	free(f);
}

void probe_spec_free(struct probe_spec *spec)
{
	for (int i = 0; i < spec->nr_args; i++) {
		free(spec->args[i].raw);
		free(spec->args[i].name);
		free(spec->args[i].type);
		fetch_free(spec->args[i].fetch);
	}
	free(spec->args);
	free(spec->group);
	free(spec->event);
	free(spec->func);
	memset(spec, 0, sizeof(*spec));
}

/* Parse a number (decimal or 0x hex) that must fill the whole string. */
static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return (errno || *end) ? -1 : 0;
}

/*
 * Split the probe string into words at unescaped, unquoted blanks; backslashes
 * before perf's special characters and double quotes are removed from the point
 * (the first word) only, since arguments keep theirs (\IMM, \"str").
 */
static int split_words(const char *str, struct strlist *words)
{
	const char *p = str;

	while (*p) {
		const char *start;
		char *w;
		bool quoted = false;
		size_t n = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		start = p;
		w = xmalloc(strlen(start) + 1);
		for (; *p && (quoted || !isspace((unsigned char)*p)); p++) {
			bool first = words->nr == 0;

			if (first && *p == '\\' && p[1] && strchr("=@+:;%\\ ", p[1])) {
				w[n++] = '\\';	/* keep the escape for the point parser */
				w[n++] = *++p;
				continue;
			}
			if (*p == '"') {
				quoted = !quoted;
				if (first)
					continue;
			}
			w[n++] = *p;
		}
		w[n] = '\0';
		if (quoted) {
			st_set_error("unterminated double quote in '%s'", start);
			free(w);
			return -1;
		}
		strlist_add_owned(words, w);
	}
	if (!words->nr) {
		st_set_error("empty probe specification");
		return -1;
	}
	return 0;
}

/* Index of the first unescaped char of set in s, or -1. */
static int find_unescaped(const char *s, const char *set)
{
	for (int i = 0; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1]) {
			i++;
			continue;
		}
		if (strchr(set, s[i]))
			return i;
	}
	return -1;
}

static char *unescape(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		out[n++] = s[i];
	}
	out[n] = '\0';
	return out;
}

static int parse_names(const char *s, size_t len, struct probe_spec *spec)
{
	char *names = unescape(s, len);
	char *colon = strchr(names, ':');
	int ret = -1;

	if (colon) {
		*colon = '\0';
		if (!is_ident(names)) {
			st_set_error("group '%s' is not a C identifier", names);
			goto out;
		}
		spec->group = xstrdup(names);
	}
	spec->event = xstrdup(colon ? colon + 1 : names);
	if (!is_ident(spec->event)) {
		st_set_error("event name '%s' is not a C identifier", spec->event);
		goto out;
	}
	if (strlen(spec->event) > PROBE_NAME_MAX ||
	    (spec->group && strlen(spec->group) > PROBE_NAME_MAX)) {
		st_set_error("event or group name longer than %d characters", PROBE_NAME_MAX);
		goto out;
	}
	ret = 0;
out:
	free(names);
	return ret;
}

static int parse_func(const char *s, size_t len, struct probe_spec *spec)
{
	char *func = unescape(s, len);

	if (!*func) {
		st_set_error("no function in the probe point");
		goto fail;
	}
	if (!strncmp(func, "0x", 2)) {
		if (parse_u64(func, &spec->addr) < 0) {
			st_set_error("'%s' is not an address", func);
			goto fail;
		}
		free(func);
		return 0;
	}
	if (strpbrk(func, "*?[")) {
		st_set_error("'%s': function globs are not supported, name one function", func);
		goto fail;
	}
	for (const char *c = func; *c; c++) {
		if (!isalnum((unsigned char)*c) && !strchr("_.@$", *c)) {
			st_set_error("'%s': '%c' cannot appear in a function name", func, *c);
			goto fail;
		}
	}
	if (!(isalpha((unsigned char)*func) || *func == '_' || *func == '.')) {
		st_set_error("'%s' is not a function name", func);
		goto fail;
	}
	spec->func = func;
	return 0;
fail:
	free(func);
	return -1;
}

/* FUNC[+OFFS|%return] after the optional "[GROUP:]EVENT=". */
static int parse_point(const char *point, struct probe_spec *spec)
{
	int eq = find_unescaped(point, "=");
	const char *p = point;
	int mark;

	if (find_unescaped(point, ";") >= 0) {
		st_set_error("'%s': lazy line patterns (;PTN) need source lines, which sidetrace does not use",
			     point);
		return -1;
	}
	if (eq >= 0) {
		if (parse_names(point, eq, spec) < 0)
			return -1;
		p = point + eq + 1;
	}
	mark = find_unescaped(p, ":");
	if (mark >= 0) {
		st_set_error("'%s': source lines (FUNC:LINE, FILE:LINE) are not supported; use FUNC+OFFS", p);
		return -1;
	}
	mark = find_unescaped(p, "+%");
	if (parse_func(p, mark < 0 ? strlen(p) : (size_t)mark, spec) < 0)
		return -1;
	if (mark < 0)
		return 0;
	p += mark;
	if (*p == '+') {
		const char *pct = strchr(p, '%');
		char *num = xstrndup_(p + 1, pct ? (size_t)(pct - p - 1) : strlen(p + 1));
		int r = parse_u64(num, &spec->offset);

		if (r < 0)
			st_set_error("'%s': the offset '%s' is not a number", point, num);
		free(num);
		if (r < 0)
			return -1;
		if (pct) {
			st_set_error("'%s': %%return cannot be combined with +OFFS", point);
			return -1;
		}
		return 0;
	}
	if (strcmp(p, "%return")) {
		st_set_error("'%s': unknown suffix '%s' (only %%return is known)", point, p);
		return -1;
	}
	spec->ret = true;
	return 0;
}

static struct probe_fetch *fetch_new(enum probe_fetch_kind kind, const char *text)
{
	struct probe_fetch *f = xcalloc(1, sizeof(*f));

	f->kind = kind;
	f->text = text ? xstrdup(text) : NULL;
	return f;
}

static struct probe_fetch *parse_fetch(const char *s, const char *arg);

static struct probe_fetch *parse_dollar(const char *s, const char *arg)
{
	const char *n;
	char *end;
	long v;

	if (!strcmp(s, "$retval"))
		return fetch_new(PROBE_FETCH_RETVAL, NULL);
	if (!strcmp(s, "$comm"))
		return fetch_new(PROBE_FETCH_COMM, s);
	if (!strcmp(s, "$params") || !strcmp(s, "$vars") || !strcmp(s, "$arg*"))
		return fetch_new(PROBE_FETCH_PARAMS, NULL);
	if (!strcmp(s, "$stack"))
		return fetch_new(PROBE_FETCH_STACK, s);
	n = !strncmp(s, "$stack", 6) ? s + 6 : !strncmp(s, "$arg", 4) ? s + 4 : NULL;
	if (n && isdigit((unsigned char)*n)) {
		v = strtol(n, &end, 10);
		if (!*end && v >= 0 && v < 1024) {
			struct probe_fetch *f;

			if (s[1] == 's')
				return fetch_new(PROBE_FETCH_STACK, s);
			if (v < 1) {
				st_set_error("'%s': arguments are numbered from $arg1", arg);
				return NULL;
			}
			f = fetch_new(PROBE_FETCH_ARGN, NULL);
			f->argn = v;
			return f;
		}
	}
	st_set_error("'%s': unknown variable '%s' (known: $retval, $argN, $stackN, $stack, $comm, $params)",
		     arg, s);
	return NULL;
}

static struct probe_fetch *parse_deref(const char *s, const char *arg)
{
	const char *p = s + 1, *open;
	struct probe_fetch *f;
	size_t len = strlen(s);
	bool user = false;
	char *num, *inner;
	uint64_t off;

	if (*p == 'u') {
		user = true;
		p++;
	}
	open = strchr(p, '(');
	if (!open || s[len - 1] != ')') {
		st_set_error("'%s': a dereference is written +OFFS(FETCH)", arg);
		return NULL;
	}
	num = xstrndup_(p, open - p);
	if (parse_u64(num, &off) < 0) {
		st_set_error("'%s': '%s' is not an offset", arg, num);
		free(num);
		return NULL;
	}
	free(num);
	inner = xstrndup_(open + 1, s + len - 1 - (open + 1));
	f = fetch_new(PROBE_FETCH_DEREF, NULL);
	f->offset = *s == '-' ? -(long long)off : (long long)off;
	f->user = user;
	f->inner = parse_fetch(inner, arg);
	free(inner);
	if (!f->inner) {
		fetch_free(f);
		return NULL;
	}
	return f;
}

/* The characters that start a member access step (or belong to one). */
#define ACCESS_CHARS "-.[]"

static struct probe_step *add_step(struct probe_fetch *f, enum probe_step_kind kind)
{
	struct probe_step *st;

	f->steps = xrealloc(f->steps, (f->nr_steps + 1) * sizeof(*f->steps));
	st = &f->steps[f->nr_steps++];
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	return st;
}

/* "[INDEX]" at *s: sets st->index and returns the length, or -1. */
static int parse_index(const char *s, const char *arg, struct probe_step *st)
{
	const char *close = strchr(s, ']');
	char *num, *end;

	if (!close) {
		st_set_error("'%s': '[' without ']'", arg);
		return -1;
	}
	num = xstrndup_(s + 1, close - s - 1);
	errno = 0;
	st->index = strtoll(num, &end, 0);
	if (!*num || *end || errno || st->index < 0 || st->index > INT32_MAX) {
		st_set_error("'%s': array index '%s' is not a number from 0 to %d", arg, num,
			     INT32_MAX);
		free(num);
		return -1;
	}
	free(num);
	return close - s + 1;
}

/* "->NAME" or ".NAME" at *s: sets st->member and returns the length, or -1. */
static int parse_member_step(const char *s, const char *arg, struct probe_step *st)
{
	const char *op = st->kind == PROBE_STEP_ARROW ? "->" : ".";
	const char *name = s + strlen(op);
	size_t len = strcspn(name, ACCESS_CHARS);

	st->member = xstrndup_(name, len);
	if (!len) {
		st_set_error("'%s': '%s' needs a member name after it", arg, op);
		return -1;
	}
	if (!is_ident(st->member)) {
		st_set_error("'%s': member name '%s' is not a C identifier", arg, st->member);
		return -1;
	}
	return name - s + len;
}

static int parse_steps(const char *s, const char *arg, struct probe_fetch *f)
{
	while (*s) {
		int len;

		if (!strncmp(s, "->", 2))
			len = parse_member_step(s, arg, add_step(f, PROBE_STEP_ARROW));
		else if (*s == '.')
			len = parse_member_step(s, arg, add_step(f, PROBE_STEP_DOT));
		else if (*s == '[')
			len = parse_index(s, arg, add_step(f, PROBE_STEP_INDEX));
		else if (*s == ']')
			len = (st_set_error("'%s': ']' without '['", arg), -1);
		else
			len = (st_set_error("'%s': '%s' is not ->MEMBER, .MEMBER or [INDEX]", arg, s),
			       -1);
		if (len < 0)
			return -1;
		s += len;
	}
	return 0;
}

/*
 * PARAM->a.b[3]: the parameter (a name or $argN) and the steps after it,
 * resolved to offsets through BTF when the probe is resolved.
 */
static struct probe_fetch *parse_member_access(const char *s, const char *arg)
{
	size_t base_len = strcspn(s, ACCESS_CHARS);
	char *base = xstrndup_(s, base_len);
	struct probe_fetch *f = NULL;

	if (!base_len)
		st_set_error("'%s': a member access starts with a parameter name", arg);
	else if (*base == '$')
		f = parse_dollar(base, arg);
	else if (is_ident(base))
		f = fetch_new(PROBE_FETCH_VAR, base);
	else
		st_set_error("'%s': member access needs a parameter's type: '%s' is not a parameter name, $argN or $retval",
			     arg, base);
	free(base);
	if (f && f->kind != PROBE_FETCH_VAR && f->kind != PROBE_FETCH_ARGN &&
	    f->kind != PROBE_FETCH_RETVAL) {
		st_set_error("'%s': member access needs a parameter's type: use a parameter name, $argN or $retval",
			     arg);
		fetch_free(f);
		return NULL;
	}
	if (f && parse_steps(s + base_len, arg, f) < 0) {
		fetch_free(f);
		return NULL;
	}
	return f;
}

static struct probe_fetch *parse_fetch(const char *s, const char *arg)
{
	if (!*s) {
		st_set_error("'%s': nothing to fetch", arg);
		return NULL;
	}
	if (!strchr("+-@\\", *s) && s[strcspn(s, ACCESS_CHARS)])
		return parse_member_access(s, arg);
	switch (*s) {
	case '$':
		return parse_dollar(s, arg);
	case '%':
		if (!in_list(s + 1, x86_regs, ARRAY_SIZE(x86_regs))) {
			st_set_error("'%s': unknown register '%s' (x86-64 names are %%ax %%bx %%cx %%dx %%si %%di %%bp %%sp %%r8..%%r15 %%ip)",
				     arg, s);
			return NULL;
		}
		return fetch_new(PROBE_FETCH_REG, s + 1);
	case '@':
		if (!s[1]) {
			st_set_error("'%s': '@' needs a symbol or an address", arg);
			return NULL;
		}
		if (strstr(s, "->") || strchr(s, '[')) {
			st_set_error("'%s': @SYM has no type for ->a or [N]: use +OFFS(@SYM)", arg);
			return NULL;
		}
		return fetch_new(PROBE_FETCH_MEM, s);
	case '\\':
		return fetch_new(PROBE_FETCH_IMM, s);
	case '+':
	case '-':
		return parse_deref(s, arg);
	}
	if (!is_ident(s)) {
		if (strcmp(arg, s))
			st_set_error("'%s': '%s' is not a parameter name, $var, %%REG, @SYM or +OFFS(...)",
				     arg, s);
		else
			st_set_error("'%s' is not a parameter name, $var, %%REG, @SYM or +OFFS(...)", s);
		return NULL;
	}
	return fetch_new(PROBE_FETCH_VAR, s);
}

/* The ':' that starts the type: the last one outside parentheses. */
static int type_colon(const char *s)
{
	int depth = 0, pos = -1;

	for (int i = 0; s[i]; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')')
			depth--;
		else if (s[i] == ':' && depth == 0)
			pos = i;
	}
	return pos;
}

static int parse_arg(const char *word, struct probe_arg *arg)
{
	char *s = xstrdup(word), *expr = s, *eq, *at;
	int colon, ret = -1;

	memset(arg, 0, sizeof(*arg));
	arg->raw = xstrdup(word);
	eq = strchr(s, '=');
	if (eq && *s != '\\' && *s != '@') {
		*eq = '\0';
		if (!is_ident(s)) {
			st_set_error("'%s': the argument name '%s' is not a C identifier", word, s);
			goto out;
		}
		arg->name = xstrdup(s);
		expr = eq + 1;
	}
	at = strrchr(expr, '@');
	if (at && !strcmp(at, "@user")) {
		arg->user = true;
		*at = '\0';
	}
	colon = type_colon(expr);
	if (colon >= 0) {
		expr[colon] = '\0';
		if (!in_list(expr + colon + 1, fetch_types, ARRAY_SIZE(fetch_types))) {
			st_set_error("'%s': unknown type '%s' (u8..u64, s8..s64, x8..x64, string, ustring, char)",
				     word, expr + colon + 1);
			goto out;
		}
		arg->type = xstrdup(expr + colon + 1);
	}
	arg->fetch = parse_fetch(expr, word);
	if (!arg->fetch)
		goto out;
	if (arg->fetch->kind == PROBE_FETCH_PARAMS && (arg->name || arg->type)) {
		st_set_error("'%s': $params takes no name or type", word);
		goto out;
	}
	ret = 0;
out:
	free(s);
	return ret;
}

/*
 * A control character would vanish from every message ("'' is not a
 * parameter name"): name it, escaped, with its position (from 1) in the word.
 */
static int check_controls(const struct strlist *words)
{
	for (int i = 0; i < words->nr; i++) {
		const char *w = words->items[i];

		for (size_t k = 0; w[k]; k++) {
			unsigned char c = w[k];
			char *shown;

			if (c >= 0x20 && c != 0x7f)
				continue;
			shown = st_escape_controls(w);
			st_set_error("probe %s '%s': control character at %zu",
				     i ? "argument" : "point", shown, k + 1);
			free(shown);
			return -1;
		}
	}
	return 0;
}

int probe_spec_parse(const char *str, struct probe_spec *spec)
{
	struct strlist words = { 0 };
	int ret = -1;

	memset(spec, 0, sizeof(*spec));
	if (split_words(str, &words) < 0 || check_controls(&words) < 0)
		goto out;
	if (parse_point(words.items[0], spec) < 0)
		goto out;
	spec->args = xcalloc(words.nr, sizeof(*spec->args));
	for (int i = 1; i < words.nr; i++) {
		spec->nr_args++;
		if (parse_arg(words.items[i], &spec->args[spec->nr_args - 1]) < 0)
			goto out;
	}
	ret = 0;
out:
	strlist_free(&words);
	if (ret < 0)
		probe_spec_free(spec);
	return ret;
}

/* ---- names ---------------------------------------------------------------------------- */

/* Copy s, turning each character that is not [A-Za-z0-9_] into '_'. */
static char *sanitise(const char *s, size_t len)
{
	char *out = xmalloc(len + 2), *o = out;

	if (len && isdigit((unsigned char)s[0]))
		*o++ = '_';
	for (size_t i = 0; i < len; i++)
		*o++ = isalnum((unsigned char)s[i]) ? s[i] : '_';
	*o = '\0';
	if (strlen(out) > PROBE_NAME_MAX)
		out[PROBE_NAME_MAX] = '\0';
	return out;
}

char *probe_default_group(bool kernel, const char *path)
{
	const char *base;
	size_t len = 0;
	char *name, *group;

	if (kernel)
		return xstrdup("probe");
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	while (isalnum((unsigned char)base[len]) || base[len] == '_')
		len++;
	name = sanitise(base, len);
	group = xasprintf("probe_%s", name);
	free(name);
	if (strlen(group) > PROBE_NAME_MAX)
		group[PROBE_NAME_MAX] = '\0';
	return group;
}

char *probe_default_event(const char *func, bool ret)
{
	char *name, *event;
	size_t len;

	while (*func == '.')
		func++;
	len = strcspn(func, ".@");
	name = sanitise(func, len);
	if (!ret)
		return name;
	if (strlen(name) > PROBE_NAME_MAX - 8)
		name[PROBE_NAME_MAX - 8] = '\0';
	event = xasprintf("%s__return", name);
	free(name);
	return event;
}

/* ---- reading back kprobe_events / uprobe_events ------------------------------------- */

void probe_event_clear(struct probe_event *ev)
{
	free(ev->group);
	free(ev->event);
	free(ev->target);
	free(ev->path);
	free(ev->args);
	memset(ev, 0, sizeof(*ev));
}

/* "p:grp/ev TARGET args", "r16:grp/ev TARGET args" */
int probe_event_parse(const char *line, bool kernel, struct probe_event *ev)
{
	const char *p = line, *slash, *sp;
	const char *target_end;

	memset(ev, 0, sizeof(*ev));
	ev->kernel = kernel;
	if (*p != 'p' && *p != 'r')
		goto bad;
	ev->ret = *p == 'r';
	p++;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != ':')
		goto bad;
	slash = strchr(p, '/');
	sp = strchr(p, ' ');
	if (!slash || !sp || slash > sp)
		goto bad;
	ev->group = xstrndup_(p, slash - p);
	ev->event = xstrndup_(slash + 1, sp - slash - 1);
	p = sp + 1;
	target_end = p + strcspn(p, " \n");
	ev->target = xstrndup_(p, target_end - p);
	p = *target_end == ' ' ? target_end + 1 : target_end;
	ev->args = xstrndup_(p, strcspn(p, "\n"));
	if (kernel) {
		const char *plus = strrchr(ev->target, '+');

		if (plus)
			ev->offset = strtoull(plus + 1, NULL, 0);
	} else {
		char *colon = strrchr(ev->target, ':');
		char *pct;

		if (!colon)
			goto bad;
		ev->path = xstrndup_(ev->target, colon - ev->target);
		ev->offset = strtoull(colon + 1, &pct, 0);
		if (!strncmp(pct, "%return", 7))
			ev->ret = true;
	}
	return 0;
bad:
	probe_event_clear(ev);
	st_set_error("cannot parse the probe line '%s'", line);
	return -1;
}

/* ---- suggestions ------------------------------------------------------------------------ */

/*
 * Suggestions are for typos: at most a third of the name wrong, and never
 * more than SUGGEST_MAX_DISTANCE edits, so a long name (the user's or a
 * binary's) costs a narrow band per candidate, not its length squared.
 */
#define SUGGEST_MAX_DISTANCE 32

int probe_suggest(const char *name, char *const *candidates, int nr, const char **out, int max)
{
	size_t len = strlen(name);
	int limit = len / 3 + 1, found = 0;
	int *dist = xmalloc((nr ? nr : 1) * sizeof(*dist));

	if (limit > SUGGEST_MAX_DISTANCE)
		limit = SUGGEST_MAX_DISTANCE;
	for (int i = 0; i < nr; i++)
		dist[i] = st_edit_distance(name, len, candidates[i], limit);
	/* Closest first: each distance in turn, then names that contain the one typed. */
	for (int d = 0; d <= limit && found < max; d++)
		for (int i = 0; i < nr && found < max; i++)
			if (dist[i] == d)
				out[found++] = candidates[i];
	free(dist);
	for (int i = 0; i < nr && found < max && len >= 4; i++) {
		bool dup = false;

		if (strnlen(candidates[i], len) < len || !strstr(candidates[i], name))
			continue;
		for (int k = 0; k < found; k++)
			dup |= !strcmp(out[k], candidates[i]);
		if (!dup)
			out[found++] = candidates[i];
	}
	return found;
}

void probe_set_no_member_error(const char *arg, const char *decl, const char *name,
			       const struct strlist *members)
{
	const char *close[1];
	char list[200];
	size_t n = 0;
	int i;

	list[0] = '\0';
	for (i = 0; i < members->nr && n + strlen(members->items[i]) + 24 < sizeof(list); i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", members->items[i]);
	if (i < members->nr)
		snprintf(list + n, sizeof(list) - n, ", ... %d in all", members->nr);
	if (probe_suggest(name, members->items, members->nr, close, 1))
		st_set_error("'%s': %s has no member '%s'; did you mean %s? (members: %s)", arg, decl,
			     name, close[0], list);
	else
		st_set_error("'%s': %s has no member '%s' (members: %s)", arg, decl, name, list);
}
