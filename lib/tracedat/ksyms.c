// SPDX-License-Identifier: LGPL-2.1
/*
 * kallsyms as libtraceevent 1.7 reads it, without its per-line sscanf() and
 * its two allocations per symbol:
 *   - lines are split at '\n' (empty ones skipped); each is
 *     "ADDR TYPE NAME[\tMODULE]", where NAME is the run of non-blanks after
 *     TYPE; absolute symbols (TYPE 'A'/'a') and names starting with '$' are
 *     left out;
 *   - the table is the symbols in reverse order of the text, stably sorted by
 *     address (glibc's qsort() is a merge sort), looked up with bsearch() and
 *     the same comparison, so that symbols sharing an address resolve the way
 *     they do in trace-cmd, and an address past the last symbol resolves to
 *     nothing.
 * Any line this parser does not expect (a hex prefix, more than 16 digits, a
 * missing name) makes td_ksyms_new() give up: libtraceevent handles those.
 * Lines in the kernel's own 64-bit form ("%016lx %c %s") take a shortcut
 * that reads them the same way without writing into the text; a name's end
 * is made a NUL when a lookup first returns it.
 */
#include "tracedat/ksyms.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct ksym {
	uint64_t addr;
	char *name;	/* its end is made a NUL by the first lookup (name_at()) */
};

#define KSYMS_CACHE 16384	/* direct-mapped cache of lookups, a power of two */

struct ksyms_slot {
	uint64_t addr;
	const char *name;	/* NULL: not found */
	uint64_t start;
	bool used;
};

struct td_ksyms {
	char *text;		/* owned (td_ksyms_new) or NULL (in place): the names point into it */
	struct ksym *map;	/* nr + 1 entries: the last one is libtraceevent's zero sentinel */
	size_t nr;
	struct ksyms_slot *cache;	/* KSYMS_CACHE: sparse, a report looks up a few */
};

/*
 * Character classes, looked up rather than compared: the parse runs over
 * every byte of megabytes of text. BLANK is isblank()/isspace() less '\n'
 * (lines are split at it before), END a name's end: a blank or the NUL.
 */
enum { BLANK = 1, END = 2 };

#define HEX_NONE 16

static unsigned char char_class[256];
static unsigned char hex_digit[256];	/* HEX_NONE: not a hex digit */

static void init_tables(void)
{
	static const char blanks[] = " \t\v\f\r";

	for (int c = 0; c < 256; c++)
		hex_digit[c] = HEX_NONE;
	for (int c = 0; c < 10; c++)
		hex_digit['0' + c] = c;
	for (int c = 0; c < 6; c++)
		hex_digit['a' + c] = hex_digit['A' + c] = 10 + c;
	for (const char *b = blanks; *b; b++)
		char_class[(unsigned char)*b] = BLANK | END;
	char_class[0] = END;
}

static bool is_blank(char c)
{
	return char_class[(unsigned char)c] & BLANK;
}

/* libtraceevent leaves out absolute symbols and '$' names (mapping symbols). */
static bool symbol_kept(char type, const char *name)
{
	return name[0] != '$' && type != 'A' && type != 'a';
}

/*
 * One line (NUL-terminated in place at its end): 1 and *sym filled when it
 * names a symbol to keep, 0 when libtraceevent skips it, -1 when it is not a
 * line this parser knows to read as sscanf("%16llx %c %n%*s%n") would.
 */
static int parse_line(char *p, struct ksym *sym, bool *keep)
{
	uint64_t addr = 0;
	int digits = 0, v;
	char type, *name;

	while (is_blank(*p))
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return -1;
	while ((v = hex_digit[(unsigned char)*p]) != HEX_NONE) {
		if (++digits > 16)
			return -1;
		addr = addr << 4 | (unsigned)v;
		p++;
	}
	if (!digits || !is_blank(*p))
		return -1;
	while (is_blank(*p))
		p++;
	type = *p++;
	if (!type)
		return -1;
	while (is_blank(*p))
		p++;
	name = p;
	while (!(char_class[(unsigned char)*p] & END))
		p++;
	if (p == name)
		return -1;
	*p = '\0';
	sym->addr = addr;
	sym->name = name;
	*keep = symbol_kept(type, name);
	return 0;
}

/*
 * The line as the kernel writes it on 64-bit ("%016lx %c %s", one blank
 * each, which is what parse_line() reads it as): read without its loops and
 * without writing into the text. False for any other line.
 */
static bool parse_canonical(const char *line, const char *end, struct ksym *sym, bool *keep)
{
	uint64_t addr = 0;
	char type;

	if (end - line < 20)
		return false;
	type = line[17];
	if (line[16] != ' ' || char_class[(unsigned char)type] ||
	    line[18] != ' ' || char_class[(unsigned char)line[19]])
		return false;
	for (int i = 0; i < 16; i++) {
		unsigned v = hex_digit[(unsigned char)line[i]];

		if (v == HEX_NONE)
			return false;
		addr = addr << 4 | v;
	}
	sym->addr = addr;
	sym->name = (char *)line + 19;
	*keep = symbol_kept(type, sym->name);
	return true;
}

/* A symbol's name, NUL-terminated where parse_line() would have ended it. */
static const char *name_at(char *name)
{
	char *p = name;

	while (!(char_class[(unsigned char)*p] & END) && *p != '\n')
		p++;
	*p = '\0';
	return name;
}

/* Address order; among equal addresses the later line first (a stable sort of the reversed list). */
static int ksym_order(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->name > y->name ? -1 : x->name < y->name;
}

/* How many entries from the start are in order already. */
static size_t sorted_prefix(const struct ksym *map, size_t nr)
{
	size_t i;

	for (i = 1; i < nr; i++)
		if (ksym_order(&map[i - 1], &map[i]) > 0)
			break;
	return nr ? i : 0;
}

/*
 * /proc/kallsyms lists the kernel's own symbols in address order (aliases
 * in line order) and the modules' after them: only the part after the
 * ordered start is sorted, then merged into it. ksym_order() is a total order, so this gives what one
 * qsort() of everything gives.
 */
/* Neighbours sharing an address, as ksym_order() wants them: the later line first. */
static void reverse_equal_runs(struct ksym *map, size_t nr)
{
	for (size_t i = 0, j; i < nr; i = j) {
		for (j = i + 1; j < nr && map[j].addr == map[i].addr; j++)
			;
		for (size_t a = i, b = j - 1; a < b; a++, b--) {
			struct ksym t = map[a];

			map[a] = map[b];
			map[b] = t;
		}
	}
}

static void sort_symbols(struct ksym *map, size_t nr)
{
	size_t head, i, j, k;
	struct ksym *tmp;

	reverse_equal_runs(map, nr);
	head = sorted_prefix(map, nr);

	if (head == nr)
		return;
	qsort(map + head, nr - head, sizeof(*map), ksym_order);
	/* merged from the end, so only the (short) sorted rest needs a copy */
	tmp = xmalloc_prefaulted((nr - head) * sizeof(*map));
	memcpy(tmp, map + head, (nr - head) * sizeof(*map));
	for (i = head, j = nr - head, k = nr; j > 0; k--) {
		if (i > 0 && ksym_order(&map[i - 1], &tmp[j - 1]) > 0)
			map[k - 1] = map[--i];
		else
			map[k - 1] = tmp[--j];
	}
	free(tmp);
}

struct td_ksyms *td_ksyms_new_in_place(char *text, size_t size)
{
	struct td_ksyms *k = xcalloc(1, sizeof(*k));
	size_t len = strnlen(text, size), cap = len / 32 + 16;	/* lines are ~40 bytes */
	char *line, *end, *stop = text + len;
	static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

	pthread_once(&tables_once, init_tables);
	k->cache = st_sparse_alloc(KSYMS_CACHE * sizeof(*k->cache));
	k->map = xmalloc_prefaulted(cap * sizeof(*k->map));
	*stop = '\0';	/* text[len] is a NUL or past the size: size + 1 bytes */
	for (line = text; line < stop; line = end) {
		struct ksym sym;
		bool keep;

		end = memchr(line, '\n', stop - line);
		if (!end)
			end = stop;
		if (end == line) {
			end++;
			continue;
		}
		if (parse_canonical(line, end, &sym, &keep)) {
			end++;
		} else {
			*end++ = '\0';
			if (parse_line(line, &sym, &keep) < 0) {
				td_ksyms_free(k);
				return NULL;
			}
		}
		if (!keep)
			continue;
		if (k->nr + 1 >= cap) {
			cap *= 2;
			k->map = xrealloc(k->map, cap * sizeof(*k->map));
		}
		k->map[k->nr++] = sym;
	}
	/* names lie in text order, so comparing their pointers compares lines */
	sort_symbols(k->map, k->nr);
	k->map[k->nr].addr = 0;
	k->map[k->nr].name = NULL;
	return k;
}

struct td_ksyms *td_ksyms_new(const char *text, size_t size)
{
	size_t len = strnlen(text, size);
	char *copy = xmalloc(len + 1);
	struct td_ksyms *k;

	memcpy(copy, text, len);
	copy[len] = '\0';
	k = td_ksyms_new_in_place(copy, len);
	if (!k) {
		free(copy);
		return NULL;
	}
	k->text = copy;
	return k;
}

void td_ksyms_free(struct td_ksyms *k)
{
	if (!k)
		return;
	free(k->map);
	st_sparse_free(k->cache, KSYMS_CACHE * sizeof(*k->cache));
	free(k->text);
	free(k);
}

/* libtraceevent's func_bcmp(): the entry whose range holds the address. */
static int ksym_range(const void *key, const void *elem)
{
	const struct ksym *a = key, *b = elem;

	if (a->addr == b->addr || (a->addr > b->addr && a->addr < b[1].addr))
		return 0;
	return a->addr < b->addr ? -1 : 1;
}

bool td_ksyms_find(struct td_ksyms *k, uint64_t addr, const char **name, uint64_t *start)
{
	struct ksyms_slot *slot = &k->cache[(addr ^ addr >> 12) & (KSYMS_CACHE - 1)];

	if (!slot->used || slot->addr != addr) {
		struct ksym key = { .addr = addr };
		const struct ksym *s = bsearch(&key, k->map, k->nr, sizeof(*k->map), ksym_range);

		slot->used = true;
		slot->addr = addr;
		slot->name = s ? name_at(s->name) : NULL;
		slot->start = s ? s->addr : 0;
	}
	if (!slot->name)
		return false;
	*name = slot->name;
	*start = slot->start;
	return true;
}
