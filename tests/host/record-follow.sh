#!/bin/bash
# record -F: only the command and its descendants are traced, even while
# another process does the same things at the same time.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd trace-cmd

# Noise: a loop that opens files with `head` (the workload uses cat and ls).
( while :; do head -c1 /etc/hostname >/dev/null; sleep 0.01; done ) &
noise=$!
trap 'kill $noise 2>/dev/null; rm -rf "$TEST_TMP"' EXIT

"$SIDETRACE" record -q -F -e syscalls:sys_enter_openat -e sched:sched_process_exec \
	-e sched:sched_process_fork -o "$TEST_TMP/f.dat" \
	sh -c 'ls / >/dev/null; cat /etc/hostname >/dev/null; sleep 0.2; cat /etc/hostname' >/dev/null ||
	fail "record -F failed"
# Without -F the noise is recorded, so the checks below can tell the difference.
"$SIDETRACE" record -q -e syscalls:sys_enter_openat -o "$TEST_TMP/all.dat" sleep 0.3 ||
	fail "record without -F failed"
kill $noise
trace-cmd report -i "$TEST_TMP/all.dat" | grep -q '^ *head-' || fail "without -F, the noise's openat is missing"
trace-cmd report -i "$TEST_TMP/f.dat" >"$TEST_TMP/report" 2>&1 || fail "trace-cmd report failed"

# Every event's task (the first column, COMM-PID) is the command or one it forked.
comms=$(grep -E ': (sys_enter_openat|sched_process_exec|sched_process_fork):' "$TEST_TMP/report" |
	awk '{ sub(/-[0-9]+$/, "", $1); print $1 }' | sort -u | tr '\n' ' ')
note "tasks seen: $comms"
for c in sh ls cat; do
	grep -qw "$c" <<<"$comms" || fail "-F lost the command's $c"
done
for c in $comms; do
	case $c in
	sh|ls|cat|sleep) ;;
	*) fail "-F let in another task: $c" ;;
	esac
done

# The pids: the first exec's task and the children that sched_process_fork names.
pids=$(awk '/sched_process_exec:/ { sub(/.*-/, "", $1); print $1; exit }' "$TEST_TMP/report")
pids="$pids $(sed -n 's/.*sched_process_fork:.*child_pid=\([0-9]*\).*/\1/p' "$TEST_TMP/report")"
while read -r task; do
	pid=${task##*-}
	grep -qw "$pid" <<<"$pids" || fail "-F recorded pid $pid, neither the command nor its child"
done < <(grep -E ': [a-z_]+:' "$TEST_TMP/report" | awk '{ print $1 }' | sort -u)

exit 0
