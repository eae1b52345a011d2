// SPDX-License-Identifier: LGPL-2.1
/*
 * User call records: decoding, depth from the stack pointer (ucall_report.h).
 */
#include "report/ucall_report.h"
#include "tracedat/tracedat.h"
#include "elf/ucall.h"
#include "elf/ucall_stack.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

struct ucall_events {
	struct ucall_table table;
	char **names;		/* demangled, per function, made on first use */
	struct tep_handle *tep;
	int entry_id, exit_id;
	struct tep_format_field *entry_func, *entry_sp, *entry_ret, *exit_func, *exit_sp;
	struct ucall_stacks stacks;
};

static int find_fields(struct ucall_events *u)
{
	struct tep_event *ent = tep_find_event_by_name(u->tep, u->table.group,
						       u->table.entry_event);
	struct tep_event *ret = tep_find_event_by_name(u->tep, u->table.group,
						       u->table.return_event);

	if (!ent || !ret)
		return -1;
	u->entry_id = ent->id;
	u->exit_id = ret->id;
	u->entry_func = tep_find_field(ent, "id");
	u->entry_sp = tep_find_field(ent, "sp");
	u->entry_ret = tep_find_field(ent, "ret");	/* optional */
	u->exit_func = tep_find_field(ret, "id");
	u->exit_sp = tep_find_field(ret, "sp");
	return u->entry_func && u->entry_sp && u->exit_func && u->exit_sp ? 0 : -1;
}

struct ucall_events *ucall_events_new(const struct td_meta *meta, struct tep_handle *tep)
{
	const struct td_blob *opt = td_meta_get_option(meta, TD_OPT_UCALLS);
	struct ucall_events *u;

	if (!opt || !opt->size)
		return NULL;
	u = xcalloc(1, sizeof(*u));
	u->tep = tep;
	u->entry_id = u->exit_id = -1;
	if (ucall_table_parse(opt->data, opt->size, &u->table) < 0) {
		free(u);
		return NULL;
	}
	if (find_fields(u) < 0) {
		st_set_error("the user call events %s:%s/%s are missing from this trace.dat",
			     u->table.group, u->table.entry_event, u->table.return_event);
		ucall_events_free(u);
		return NULL;
	}
	u->names = xcalloc(u->table.nr_funcs + 1, sizeof(*u->names));
	return u;
}

char *ucall_events_names_for_old_file(const struct ucall_events *u)
{
	struct tep_event *ent = tep_find_event_by_name(u->tep, u->table.group,
						       u->table.entry_event);

	if (!ent || !ent->print_fmt.format || strstr(ent->print_fmt.format, "%ps"))
		return NULL;
	return ucall_table_kallsyms(&u->table);
}

void ucall_events_free(struct ucall_events *u)
{
	if (!u)
		return;
	for (int i = 0; u->names && i < u->table.nr_funcs; i++)
		free(u->names[i]);
	free(u->names);
	ucall_stacks_free(&u->stacks);
	ucall_table_free(&u->table);
	free(u);
}

static int read_field(struct tep_format_field *f, const struct tep_record *rec,
		      unsigned long long *val)
{
	return td_field_number(f, rec, val);
}

int ucall_events_decode(const struct ucall_events *u, const struct tep_record *rec,
			struct ucall_call *call)
{
	int type = tep_data_type(u->tep, (struct tep_record *)rec);
	unsigned long long func, sp, ret = 0;

	if (type != u->entry_id && type != u->exit_id)
		return 0;
	call->is_exit = type == u->exit_id;
	if (read_field(call->is_exit ? u->exit_func : u->entry_func, rec, &func) ||
	    read_field(call->is_exit ? u->exit_sp : u->entry_sp, rec, &sp))
		return -1;
	if (!call->is_exit && u->entry_ret && read_field(u->entry_ret, rec, &ret))
		return -1;
	call->ret = ret;
	call->pid = tep_data_pid(u->tep, (struct tep_record *)rec);
	call->func = func < (unsigned long long)u->table.nr_funcs ? (int)func : -1;
	/* the return address was popped: back to the entry's sp */
	call->sp = call->is_exit ? ucall_exit_entry_sp(sp) : sp;
	return 1;
}

const char *ucall_events_func(struct ucall_events *u, int func)
{
	if (func < 0 || func >= u->table.nr_funcs || !*u->table.funcs[func].symbol)
		return "?";
	if (!u->names[func])
		u->names[func] = ucall_demangle(u->table.funcs[func].symbol);
	return u->names[func];
}

/* ------------------------------------------------------------------------- */
/* Depth (ucall_stack.h) */

int ucall_depth_entry(struct ucall_events *u, const struct ucall_call *c, uint64_t ts)
{
	return ucall_stacks_entry(&u->stacks, c->pid, c->func, c->sp, c->ret, ts);
}

int ucall_depth_exit(struct ucall_events *u, const struct ucall_call *c, uint64_t *start,
		     int *unwound)
{
	return ucall_stacks_exit(&u->stacks, c->pid, c->func, c->sp, start, unwound);
}

int ucall_depth_open(struct ucall_events *u, int pid)
{
	return ucall_stacks_open(&u->stacks, pid);
}

void ucall_depth_task_exit(struct ucall_events *u, int pid)
{
	ucall_stacks_forget(&u->stacks, pid);
}
