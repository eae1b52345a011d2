#!/bin/bash
# A record --files killed with SIGKILL leaves its probes and its instance
# behind. `sidetrace reset` removes them in both ways it can know of them:
#   - through the persisted undo list, which holds their removal
#     ("append .../uprobe_events -:GROUP/EVENT");
#   - with that list gone, by their names alone: the instance sidetrace-PID and
#     the probe group sidetrace_files_PID (issue 22 item 7: reset once read no
#     pid out of that group's name and left its probes behind).
# Either way, the probe lines of that record's groups are as before it ran.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/uprobe_events ] || [ -e $T/kprobe_events ] || skip "no uprobe or kprobe events"

# Probe definitions of pid's groups (other engineers add probes concurrently).
group_lines() { # PID
	cat $T/uprobe_events $T/kprobe_events 2>/dev/null |
		grep -E "^[a-z]:(sidetrace_files_$1|sidetrace_$1)/"
}

# Start a record --files, kill it once its probes exist and its workload runs.
killed_record() { # HOW: with-list | without-list
	local rec group workload probes_before list before
	"$SIDETRACE" record -q --files -o "$TEST_TMP/k.dat" sleep 30 >/dev/null 2>&1 &
	rec=$!
	group=sidetrace_files_$rec
	list=/run/sidetrace/record-$rec.undo
	before=$(group_lines $rec)
	[ -z "$before" ] || { kill $rec; fail "$1: probes of $group before record made them"; }
	probes() { group_lines $rec | grep -c "$group/"; }
	for _ in $(seq 100); do
		[ "$(probes)" -gt 0 ] && [ -n "$(pgrep -P $rec)" ] && break
		sleep 0.1
	done
	[ "$(probes)" -gt 0 ] || { kill $rec; fail "$1: record --files created no probes in 10 s"; }
	sleep 0.5	# the events are enabled and the workload runs
	workload=$(pgrep -P $rec)
	grep -q "^append .*-:$group/" "$list" ||
		{ kill $rec; fail "$1: the undo list does not hold the probes' removal"; }
	{ kill -9 $rec && wait $rec; } 2>/dev/null
	[ -n "$workload" ] && kill $workload 2>/dev/null
	[ "$(probes)" -gt 0 ] || fail "$1: the probes vanished without reset (was record really killed?)"
	[ -d $T/instances/sidetrace-$rec ] || fail "$1: the instance vanished without reset"
	[ "$1" = without-list ] && { rm "$list" || fail "cannot remove $list"; }

	"$SIDETRACE" reset >"$TEST_TMP/reset.out" 2>&1 ||
		fail "$1: reset failed: $(cat "$TEST_TMP/reset.out")"
	assert_same "$1: the probes of record $rec after reset" "$before" "$(group_lines $rec)"
	[ -d $T/instances/sidetrace-$rec ] && fail "$1: reset left the instance sidetrace-$rec"
	[ -e "$list" ] && fail "$1: reset left the undo list $list"
	if [ "$1" = without-list ]; then
		grep -q "removed its probe $group:" "$TEST_TMP/reset.out" ||
			fail "$1: reset did not say it removed the probes: $(cat "$TEST_TMP/reset.out")"
	fi
	return 0
}

killed_record with-list
killed_record without-list
exit 0
