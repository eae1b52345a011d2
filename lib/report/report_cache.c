// SPDX-License-Identifier: LGPL-2.1
/*
 * Per-record lookups without libtraceevent's binary searches (report_cache.h).
 * The answers are libtraceevent's own, asked once and kept.
 */
#include "report/report_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "report/report_field.h"
#include "report/report_fmt.h"
#include "tracedat/tracedat.h"
#include "util.h"

#define COMM_SLOTS 4096		/* direct-mapped, a power of two */

enum { TYPE_UNKNOWN, TYPE_KNOWN, TYPE_NONE };

#define PREFIX_MAX 48

struct comm_slot {
	int pid;
	unsigned int gen;	/* valid while equal to the cache's */
	const char *comm;
	int prefix_len;		/* -1: not made yet, or the comm is too long */
	char prefix[PREFIX_MAX];	/* "%16s-%-5d" */
};

struct event_name;

struct report_cache {
	struct tep_handle *tep;
	struct td_file *file;		/* or NULL */
	/* by type, TD_NR_TYPES each: sparse, a file has a few hundred */
	struct tep_event **events;
	unsigned char *state;		/* TYPE_* */
	struct event_name **names;	/* report_cache_event_name(), by type */
	unsigned int gen;		/* 0 is never valid */
	/* where tep_data_type() and tep_data_pid() read; size 0: ask them */
	struct report_common common;
	struct comm_slot comms[COMM_SLOTS];
};

struct report_cache *report_cache_new(struct tep_handle *tep, struct td_file *file)
{
	struct report_cache *c = xcalloc(1, sizeof(*c));

	c->tep = tep;
	c->file = file;
	c->events = st_sparse_alloc(TD_NR_TYPES * sizeof(*c->events));
	c->state = st_sparse_alloc(TD_NR_TYPES);
	c->names = st_sparse_alloc(TD_NR_TYPES * sizeof(*c->names));
	c->gen = 1;
	c->common = report_common_of(tep);
	return c;
}

void report_cache_free(struct report_cache *c)
{
	if (!c)
		return;
	st_sparse_free(c->events, TD_NR_TYPES * sizeof(*c->events));
	for (int i = 0; i < TD_NR_TYPES; i++)
		if (c->state[i] == TYPE_KNOWN)	/* names exist only for those */
			free(c->names[i]);
	st_sparse_free(c->names, TD_NR_TYPES * sizeof(*c->names));
	st_sparse_free(c->state, TD_NR_TYPES);
	free(c);
}

/* Not an event the file left out (td_event_kept()). */
static struct tep_event *kept(const struct report_cache *c, struct tep_event *ev)
{
	return c->file ? td_event_kept(c->file, ev) : ev;
}

struct tep_event *report_cache_event(struct report_cache *c, struct tep_record *rec)
{
	int type;

	if (rec->size < 0)	/* libtraceevent warns about it */
		return kept(c, tep_find_event_by_record(c->tep, rec));
	type = report_record_type(&c->common, rec);
	if (type < 0 || type >= TD_NR_TYPES)
		return kept(c, tep_find_event_by_record(c->tep, rec));
	if (c->state[type] == TYPE_UNKNOWN) {
		c->events[type] = kept(c, tep_find_event(c->tep, type));
		c->state[type] = c->events[type] ? TYPE_KNOWN : TYPE_NONE;
	}
	return c->events[type];
}

struct event_name {
	int len;
	char text[];
};

const char *report_cache_event_name(struct report_cache *c, const struct tep_event *ev, int *len)
{
	struct event_name *n;

	/* only events the cache holds (report_cache_event() found them) */
	if (ev->id < 0 || ev->id >= TD_NR_TYPES || c->events[ev->id] != ev)
		return NULL;
	n = c->names[ev->id];
	if (!n) {
		n = c->names[ev->id] = xmalloc(sizeof(*n) + strlen(ev->name) + 24);
		n->len = report_put_event_name(n->text, ev->name) - n->text;
	}
	*len = n->len;
	return n->text;
}

int report_cache_pid(struct report_cache *c, struct tep_record *rec)
{
	/* like tep_data_pid(): no look at the record's size (the iterator leaves room) */
	return report_record_pid(&c->common, rec);
}

static struct comm_slot *comm_slot(struct report_cache *c, int pid)
{
	struct comm_slot *s = &c->comms[(unsigned int)pid & (COMM_SLOTS - 1)];

	if (s->gen != c->gen || s->pid != pid) {
		s->comm = tep_data_comm_from_pid(c->tep, pid);
		s->pid = pid;
		s->gen = c->gen;
		s->prefix_len = -1;
	}
	return s;
}

const char *report_cache_comm(struct report_cache *c, int pid)
{
	return comm_slot(c, pid)->comm;
}

const char *report_cache_comm_pid(struct report_cache *c, int pid, int *len)
{
	struct comm_slot *s = comm_slot(c, pid);

	if (s->prefix_len < 0) {
		if (strlen(s->comm) + 28 > PREFIX_MAX)
			return NULL;
		s->prefix_len = report_put_comm_pid(s->prefix, s->comm, pid) - s->prefix;
	}
	*len = s->prefix_len;
	return s->prefix;
}

void report_cache_comms_stale(struct report_cache *c)
{
	if (++c->gen == 0)
		c->gen = 1;
	/* a wrapped generation could make an old slot look valid: start clean */
	if (c->gen == 1)
		for (int i = 0; i < COMM_SLOTS; i++)
			c->comms[i].gen = 0;
}
