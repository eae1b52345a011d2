/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * The kernel events of the syscall view and their conversion into the
 * formatter's struct sc_event (syscall/sc_fmt.h): raw_syscalls' entries and
 * exits, the sched events of the process tree, signal deliveries, and the
 * path strings of record --files' probes. The live `trace` and the offline
 * `report --syscalls` both decode through here.
 */
#ifndef SIDETRACE_TRACE_EVENTS_H
#define SIDETRACE_TRACE_EVENTS_H

#include <stdbool.h>

struct tep_handle;
struct tep_record;
struct tep_format_field;
struct sc_event;

/* The kernel events the view needs ({ system, event }), ended by { NULL }. */
extern const char *const trace_kernel_events[][2];

struct trace_decoder {
	struct tep_handle *tep;
	int enter_id, exit_id, fork_id, exec_id, task_exit_id, signal_id;
	int path_ids[4];	/* the probe events that carry paths */
	int nr_path_ids;
	bool path_inside;	/* kprobe paths: inside the call; uprobe: before it */
	struct tep_format_field *enter_nr, *enter_args, *exit_nr, *exit_ret;
	struct tep_format_field *fork_parent, *fork_child, *exec_pid, *signal_sig;
	char comm[64];		/* the strings of the last decoded event */
	char path[4096];
};

/*
 * Find the events in tep (raw_syscalls must be there; the others may be
 * missing) and, when group is not NULL, the path probes of that record
 * --files group. Returns 0 or -1 with st_set_error().
 */
int trace_decoder_init(struct trace_decoder *d, struct tep_handle *tep, const char *group,
		       bool path_inside);

/*
 * rec as an event of the view: 1 with *ev filled (its strings point into d
 * until the next call), 0 for a record of another event.
 */
int trace_decode(struct trace_decoder *d, struct tep_record *rec, struct sc_event *ev);

/* Whether the probe group's events are kernel probes (their paths come from inside the call). */
bool trace_group_is_kprobe(struct tep_handle *tep, const char *group);

#endif
