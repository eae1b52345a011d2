#!/bin/bash
# record -P: attach to running processes, record only their events, stop on
# SIGINT (the normal end: exit 0, as trace-cmd) or when they have all exited (exit 0).
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd trace-cmd

state() { tracefs_fingerprint_static; }
before=$(state)

# A target that keeps making syscalls, and noise that makes the same ones.
target() { while :; do cat /etc/hostname >/dev/null; sleep 0.02; done; }
target & tgt=$!
target & other=$!
trap 'kill $tgt $other 2>/dev/null; rm -rf "$TEST_TMP"' EXIT

"$SIDETRACE" record -e syscalls:sys_enter_wait4 -e sched:sched_process_fork -P $tgt \
	-o "$TEST_TMP/p.dat" 2>"$TEST_TMP/err" &
rec=$!
sleep 1
kill -INT $rec
wait $rec
rc=$?
[ $rc = 0 ] || fail "record -P stopped by SIGINT exited $rc, not 0: $(cat "$TEST_TMP/err")"
kill -0 $tgt || fail "record -P hurt the process it attached to"
[ -d "$T/instances/sidetrace-$rec" ] && fail "instance left behind"
assert_same "tracefs state" "$before" "$(state)"

trace-cmd report -i "$TEST_TMP/p.dat" >"$TEST_TMP/report" 2>&1 || fail "trace-cmd report failed"
grep -q "^ *[^ ]*-$tgt .*sys_enter_wait4:" "$TEST_TMP/report" || fail "the attached process's wait4 calls are missing"
grep -q "sched_process_fork: .*pid=$tgt " "$TEST_TMP/report" || fail "the attached process's forks are missing"
pids=$(grep -E ': [a-z_0-9]+:' "$TEST_TMP/report" | awk '{ sub(/.*-/, "", $1); print $1 }' | sort -u)
[ "$pids" = "$tgt" ] || fail "-P $tgt recorded other pids: $(echo $pids)"

# When every attached process is gone, record ends by itself with status 0.
sleep 0.5 & short=$!
"$SIDETRACE" record -q -e sched:sched_process_exit -P $short -o "$TEST_TMP/q.dat" ||
	fail "record -P of a process that exits failed"
trace-cmd report -i "$TEST_TMP/q.dat" | grep -q "sched_process_exit: *comm=sleep pid=$short " ||
	fail "the attached process's exit is missing"
exit 0
