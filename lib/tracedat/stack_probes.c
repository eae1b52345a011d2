// SPDX-License-Identifier: LGPL-2.1
/*
 * The TD_OPT_STACK_PROBES option's text (see stack_probes.h).
 */
#include "tracedat/stack_probes.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void stack_probes_append(char **text, const struct stack_probe *p)
{
	char *line = xasprintf("%suprobe %s %s 0x%" PRIx64 " %s\n", *text ? *text : "", p->system,
			       p->event, p->offset, p->path);

	free(*text);
	*text = line;
}

static int parse_line(const char *line, struct stack_probe *p)
{
	char sys[256], ev[256];
	int path_at = 0;

	memset(p, 0, sizeof(*p));
	if (sscanf(line, "uprobe %255s %255s %" SCNx64 " %n", sys, ev, &p->offset, &path_at) < 3 ||
	    !path_at || !line[path_at])
		return -1;
	p->system = xstrdup(sys);
	p->event = xstrdup(ev);
	p->path = xstrdup(line + path_at);
	return 0;
}

int stack_probes_parse(const char *text, size_t len, struct stack_probe **out)
{
	char *copy = xmalloc(len + 1), *save = NULL;
	int nr = 0;

	memcpy(copy, text, len);
	copy[len] = '\0';
	*out = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		*out = xrealloc(*out, (nr + 1) * sizeof(**out));
		if (parse_line(l, &(*out)[nr]) == 0)
			nr++;
	}
	free(copy);
	return nr;
}

void stack_probes_free(struct stack_probe *p, int nr)
{
	for (int i = 0; i < nr; i++) {
		free(p[i].system);
		free(p[i].event);
		free(p[i].path);
	}
	free(p);
}
