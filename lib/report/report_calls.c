// SPDX-License-Identifier: LGPL-2.1
/*
 * report --graph / --profile (see report_calls.h): function_graph records
 * into the call-tree builder, its views at the end.
 */
#include "report/report_calls.h"
#include "callgraph/addr_ids.h"
#include "callgraph/calltree.h"
#include "callgraph/callview.h"
#include "report/fgraph.h"
#include "report/report.h"
#include "report/report_field.h"
#include "tracedat/tracedat.h"
#include "report/ucall_report.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>

struct report_calls {
	const struct report_calls_opts *o;
	const struct report_calls_hooks *hooks;	/* NULL: --graph/--profile */
	struct report_consumer consumer;
	struct calltree *ct;
	struct tep_handle *tep;		/* of the records seen, for comms */
	int exit_id;			/* sched:sched_process_exit, -1 if absent */
	struct tep_format_field *exit_pid;
	uint64_t last_ts;
	uint64_t nr_calls;		/* funcgraph records fed */
	uint64_t nr_bad;		/* funcgraph records too short to decode */
	struct ucall_events *ucalls;	/* record -x: user calls, NULL if none */
	struct report_common common;	/* of tep: record types and pids */
	struct addr_ids func_ids;	/* function address -> the builder's function id */
	struct addr_ids ucall_ids;	/* user call table index -> the builder's function id */
};

bool report_calls_wanted(const struct report_calls_opts *o)
{
	return o->graph || o->profile;
}

int report_calls_check_options(const struct report_calls_opts *o)
{
	if (o->per_task && !o->profile) {
		st_set_error("--per-task needs --profile");
		return -1;
	}
	if (o->max_depth && !o->graph) {
		st_set_error("--depth needs --graph");
		return -1;
	}
	if ((o->min_duration || o->root) && !report_calls_wanted(o)) {
		st_set_error("%s needs --graph or --profile",
			     o->root ? "--root" : "--min-duration");
		return -1;
	}
	return 0;
}

/* Everything looked up once, at the first record. */
static void find_events(struct report_calls *rc, struct tep_handle *tep)
{
	struct tep_event *ev = tep_find_event_by_name(tep, "sched", "sched_process_exit");

	rc->tep = tep;
	rc->exit_id = -1;
	if (ev && (rc->exit_pid = tep_find_field(ev, "pid")))
		rc->exit_id = ev->id;
	rc->common = report_common_of(tep);
}

static void task_exit(struct report_calls *rc, struct tep_record *rec)
{
	unsigned long long pid;

	if (td_field_number(rc->exit_pid, rec, &pid) == 0) {
		calltree_task_exit(rc->ct, (int)pid, rec->ts);
		if (rc->ucalls)
			ucall_depth_task_exit(rc->ucalls, (int)pid);
	}
}

/* User calls (record -x): the depth comes from the stack pointers (ucall_report.h). */
static void feed_ucall(struct report_calls *rc, struct tep_record *rec, const struct ucall_call *c)
{
	int32_t func = addr_ids_get(&rc->ucall_ids, (uint64_t)(int64_t)c->func);
	uint64_t start;
	int depth, unwound;

	if (func < 0) {
		func = calltree_intern(rc->ct, ucall_events_func(rc->ucalls, c->func));
		addr_ids_put(&rc->ucall_ids, (uint64_t)(int64_t)c->func, func);
	}
	rc->nr_calls++;
	if (!c->is_exit) {
		depth = ucall_depth_entry(rc->ucalls, c, rec->ts);
		calltree_entry_id(rc->ct, c->pid, rec->cpu, rec->ts, func, depth);
		return;
	}
	depth = ucall_depth_exit(rc->ucalls, c, &start, &unwound);
	calltree_exit_id(rc->ct, c->pid, rec->cpu, rec->ts, func,
			 depth < 0 ? CT_DEPTH_UNKNOWN : depth, 0);
}

static int on_start(void *ctx, struct tep_handle *tep, const struct td_meta *meta)
{
	struct report_calls *rc = ctx;

	rc->ucalls = ucall_events_new(meta, tep);
	return !rc->ucalls && td_meta_get_option(meta, TD_OPT_UCALLS) ? -1 : 0;
}

/*
 * Kernel calls run inside the task's open user calls (record -x with -p
 * function_graph): their depths count from there, in the same tree.
 */
static int user_depth(struct report_calls *rc, int pid)
{
	return rc->ucalls ? ucall_depth_open(rc->ucalls, pid) : 0;
}

/* The builder's id of the function at addr, named once per address. */
static int func_id(struct report_calls *rc, const struct fgraph *fg, uint64_t addr)
{
	int32_t id = addr_ids_get(&rc->func_ids, addr);
	const char *name;
	char hex[24];

	if (id >= 0)
		return id;
	name = fgraph_func_name(fg, addr);
	if (!name) {
		/* as the function_graph printer shows unknown addresses */
		snprintf(hex, sizeof(hex), "%llx", (unsigned long long)addr);
		name = hex;
	}
	id = calltree_intern(rc->ct, name);
	addr_ids_put(&rc->func_ids, addr, id);
	return id;
}

static void feed_call(struct report_calls *rc, const struct fgraph *fg, struct tep_record *rec,
		      const struct fgraph_call *call)
{
	int func = func_id(rc, fg, call->func);
	uint64_t dur, start = 0;

	rc->nr_calls++;
	if (!call->is_exit) {
		calltree_entry_id(rc->ct, call->pid, rec->cpu, rec->ts, func,
				  call->depth + user_depth(rc, call->pid));
		return;
	}
	/* The kernel's own duration, whatever clock the records use. */
	if (call->rettime >= call->calltime && call->calltime) {
		dur = call->rettime - call->calltime;
		start = rec->ts > dur ? rec->ts - dur : 0;
	}
	calltree_exit_id(rc->ct, call->pid, rec->cpu, rec->ts, func,
			 call->depth + user_depth(rc, call->pid), start);
}

static void on_lost(void *ctx, const struct tep_record *rec)
{
	struct report_calls *rc = ctx;

	calltree_lost(rc->ct, rec->cpu, rec->missed_events > 0 ? rec->missed_events : 0);
}

static void on_record(void *ctx, struct tep_handle *tep, const struct fgraph *fg,
		      struct tep_record *rec)
{
	struct report_calls *rc = ctx;
	struct fgraph_call call;
	int ret;

	if (rc->tep != tep)
		find_events(rc, tep);
	if (rec->missed_events)
		calltree_lost(rc->ct, rec->cpu, rec->missed_events > 0 ? rec->missed_events : 0);
	rc->last_ts = rec->ts;
	ret = fgraph_decode(fg, rec, &call);
	if (ret == 0 && rc->ucalls) {
		struct ucall_call uc;

		ret = ucall_events_decode(rc->ucalls, rec, &uc);
		if (ret > 0) {
			feed_ucall(rc, rec, &uc);
			return;
		}
	}
	if (ret > 0)
		feed_call(rc, fg, rec, &call);
	else if (ret < 0)
		rc->nr_bad++;
	else if (rc->exit_id >= 0 && report_record_type(&rc->common, rec) == rc->exit_id)
		task_exit(rc, rec);
}

static void name_tasks(struct report_calls *rc)
{
	for (int i = 0; i < calltree_nr_tasks(rc->ct); i++) {
		int pid = calltree_task(rc->ct, i)->pid;

		if (pid > 0)
			calltree_set_comm(rc->ct, pid, tep_data_comm_from_pid(rc->tep, pid));
	}
}

static int print_views(struct report_calls *rc, FILE *out)
{
	const struct report_calls_opts *o = rc->o;
	struct callview_opts vopts = {
		.max_depth = o->max_depth, .root = o->root, .per_task = o->per_task,
	};
	int ret = 0;

	if (rc->hooks)
		return rc->hooks->view(rc->hooks->ctx, rc->ct, out);
	if (o->graph)
		ret = callview_graph(out, rc->ct, &vopts);
	if (!ret && o->graph && o->profile && fputc('\n', out) == EOF) {
		st_set_error("cannot write the report: %s", strerror(errno));
		ret = -1;
	}
	if (!ret && o->profile)
		ret = callview_profile(out, rc->ct, &vopts);
	return ret;
}

static int on_done(void *ctx, int fd)
{
	struct report_calls *rc = ctx;
	FILE *out;
	int ret;

	if (!rc->nr_calls && !(rc->hooks && rc->hooks->observer)) {
		st_set_error("no calls to show (record with -p function_graph, or -x PROGRAM "
			     "-g FUNC)");
		return -1;
	}
	if (rc->nr_bad)
		st_warn("%llu function_graph records were too short to decode and are left out",
			(unsigned long long)rc->nr_bad);
	calltree_finish(rc->ct, rc->last_ts);
	name_tasks(rc);
	out = fdopen(dup(fd), "w");
	if (!out) {
		st_set_error("cannot write the report: %s", strerror(errno));
		return -1;
	}
	ret = print_views(rc, out);	/* callview sets the error */
	if (fclose(out) != 0 && !ret) {
		st_set_error("cannot write the report: %s", strerror(errno));
		ret = -1;
	}
	return ret;
}

struct report_calls *report_calls_new(const struct report_calls_opts *o,
				      const struct report_calls_hooks *hooks)
{
	struct report_calls *rc = xcalloc(1, sizeof(*rc));
	struct calltree_opts copts = {
		.min_duration_ns = o->min_duration, .exact_calltime = true,
		.observer = hooks ? hooks->observer : NULL,
	};

	rc->o = o;
	rc->hooks = hooks;
	rc->ct = calltree_new(&copts);
	rc->exit_id = -1;
	rc->consumer = (struct report_consumer){
		.record = on_record, .done = on_done, .lost = on_lost, .start = on_start,
		.ctx = rc,
	};
	return rc;
}

void report_calls_free(struct report_calls *rc)
{
	if (!rc)
		return;
	calltree_free(rc->ct);
	addr_ids_free(&rc->func_ids);
	addr_ids_free(&rc->ucall_ids);
	ucall_events_free(rc->ucalls);
	free(rc);
}

const struct report_consumer *report_calls_consumer(struct report_calls *rc)
{
	return &rc->consumer;
}

int report_calls_record_type(const struct report_calls *rc, struct tep_record *rec)
{
	return report_record_type(&rc->common, rec);
}
