// SPDX-License-Identifier: LGPL-2.1
/*
 * User call graphs: the function table option, patterns, demangling (ucall.h).
 */
#include "elf/ucall.h"
#include "elf/ucall_demangle.h"
#include "util.h"

#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ucall_table_add(struct ucall_table *t, const char *binary, const char *symbol)
{
	t->funcs = xrealloc(t->funcs, (t->nr_funcs + 1) * sizeof(*t->funcs));
	t->funcs[t->nr_funcs].binary = xstrdup(binary);
	t->funcs[t->nr_funcs].symbol = xstrdup(symbol);
	return t->nr_funcs++;
}

void ucall_table_free(struct ucall_table *t)
{
	for (int i = 0; i < t->nr_funcs; i++) {
		free(t->funcs[i].binary);
		free(t->funcs[i].symbol);
	}
	free(t->funcs);
	free(t->group);
	free(t->entry_event);
	free(t->return_event);
	memset(t, 0, sizeof(*t));
}

static void append(char **text, size_t *len, const char *s)
{
	size_t n = strlen(s);

	*text = xrealloc(*text, *len + n + 1);
	memcpy(*text + *len, s, n + 1);
	*len += n;
}

char *ucall_table_format(const struct ucall_table *t)
{
	char *text = NULL, *line;
	size_t len = 0;

	line = xasprintf("version=1\ngroup=%s\nentry=%s\nreturn=%s\n", t->group, t->entry_event,
			 t->return_event);
	append(&text, &len, line);
	free(line);
	for (int i = 0; i < t->nr_funcs; i++) {
		/* ELF paths and symbols hold no tab or newline in practice; refuse them anyway */
		if (strpbrk(t->funcs[i].binary, "\t\n") || strpbrk(t->funcs[i].symbol, "\t\n"))
			continue;
		line = xasprintf("func=%d\t%s\t%s\n", i, t->funcs[i].binary, t->funcs[i].symbol);
		append(&text, &len, line);
		free(line);
	}
	return text;
}

bool ucall_symbol_fits_kallsyms(const char *symbol)
{
	return *symbol && !strpbrk(symbol, " \t\n\r\v\f");
}

char *ucall_table_kallsyms(const struct ucall_table *t)
{
	char *text = xstrdup(""), *line;
	size_t len = 0;

	for (int i = 0; i < t->nr_funcs; i++) {
		const char *name = t->funcs[i].symbol;

		if (!ucall_symbol_fits_kallsyms(name))
			continue;	/* no name, or one kallsyms cannot hold: the plugin says "ucall#ID" */
		line = xasprintf("%016llx t %s\n", UCALL_SYMBOL_BASE + i, name);
		append(&text, &len, line);
		free(line);
	}
	line = xasprintf("%016llx t %s\n", UCALL_SYMBOL_BASE + t->nr_funcs, UCALL_UNKNOWN_SYMBOL);
	append(&text, &len, line);
	free(line);
	return text;
}

/* The only occurrence of what in [p, end), or NULL when none or several. */
static const char *find_once(const char *p, const char *end, const char *what)
{
	size_t n = strlen(what);
	const char *hit = NULL;

	for (; p + n <= end; p++) {
		if (memcmp(p, what, n))
			continue;
		if (hit)
			return NULL;
		hit = p;
	}
	return hit;
}

char *ucall_format_with_names(const char *format, size_t size)
{
	const char *end = format + size, *fmt, *quote, *id, *arg;
	char *out;

	fmt = memmem(format, size, "\nprint fmt: \"", 13);
	if (!fmt)
		return NULL;
	fmt += 13;
	quote = memchr(fmt, '"', end - fmt);
	if (!quote)
		return NULL;
	id = find_once(fmt, quote, " id=%u");
	arg = find_once(quote, end, ", REC->id");
	/* REC->id itself, not REC->idx */
	if (!id || !arg || (arg + 9 < end && arg[9] != ',' && arg[9] != '\n'))
		return NULL;
	out = xasprintf("%.*s %%ps%.*s, REC->id + 0x%llx%.*s", (int)(id - format), format,
			(int)(arg - id), id, UCALL_SYMBOL_BASE, (int)(end - arg), arg);
	return out;
}

static int parse_func(struct ucall_table *t, char *val)
{
	char *tab1 = strchr(val, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL, *end;
	long id;

	if (!tab2)
		return -1;
	*tab1 = *tab2 = '\0';
	id = strtol(val, &end, 10);
	/* ids are written in order; a hole (a skipped function) keeps an empty slot */
	if (*end || id < t->nr_funcs || id > 1000000)
		return -1;
	while (t->nr_funcs < id)
		ucall_table_add(t, "", "");
	ucall_table_add(t, tab1 + 1, tab2 + 1);
	return 0;
}

static int parse_line(struct ucall_table *t, char *line)
{
	char *eq = strchr(line, '=');

	if (!eq)
		return *line ? -1 : 0;
	*eq++ = '\0';
	if (!strcmp(line, "version"))
		return strcmp(eq, "1") ? -1 : 0;
	if (!strcmp(line, "group") && !t->group)
		t->group = xstrdup(eq);
	else if (!strcmp(line, "entry") && !t->entry_event)
		t->entry_event = xstrdup(eq);
	else if (!strcmp(line, "return") && !t->return_event)
		t->return_event = xstrdup(eq);
	else if (!strcmp(line, "func"))
		return parse_func(t, eq);
	/* unknown keys are for later versions: ignored */
	return 0;
}

int ucall_table_parse(const char *text, size_t size, struct ucall_table *t)
{
	char *copy = xmalloc(size + 1), *line, *save = NULL;
	int ret = 0;

	memset(t, 0, sizeof(*t));
	memcpy(copy, text, size);
	copy[size] = '\0';
	for (line = strtok_r(copy, "\n", &save); line && !ret; line = strtok_r(NULL, "\n", &save))
		ret = parse_line(t, line);
	if (!ret && (!t->group || !t->entry_event || !t->return_event))
		ret = -1;
	free(copy);
	if (ret < 0) {
		ucall_table_free(t);
		st_set_error("the user call table of this trace.dat is damaged");
	}
	return ret;
}

struct ucall_pattern {
	char *glob;		/* NULL for a regex */
	regex_t re;
};

struct ucall_pattern *ucall_pattern_new(const char *text)
{
	struct ucall_pattern *p = xcalloc(1, sizeof(*p));
	size_t len = strlen(text);
	char *expr, msg[128];
	int err;

	if (len >= 2 && text[0] == '/' && text[len - 1] == '/') {
		expr = xasprintf("%.*s", (int)(len - 2), text + 1);
		err = regcomp(&p->re, expr, REG_EXTENDED | REG_NOSUB);
		free(expr);
		if (err) {
			regerror(err, &p->re, msg, sizeof(msg));
			st_set_error("bad regular expression %s: %s", text, msg);
			free(p);
			return NULL;
		}
		return p;
	}
	if (!len) {
		st_set_error("empty function pattern");
		free(p);
		return NULL;
	}
	p->glob = xstrdup(text);
	return p;
}

bool ucall_pattern_match(const struct ucall_pattern *p, const char *name)
{
	if (p->glob)
		return fnmatch(p->glob, name, 0) == 0;
	return regexec(&p->re, name, 0, NULL, 0) == 0;
}

void ucall_pattern_free(struct ucall_pattern *p)
{
	if (!p)
		return;
	if (p->glob)
		free(p->glob);
	else
		regfree(&p->re);
	free(p);
}

char *ucall_demangle(const char *name)
{
	char *out = ucall_demangle_or_null(name);

	return out ? out : xstrdup(name);
}
