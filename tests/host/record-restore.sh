#!/bin/bash
# record leaves tracefs (and kptr_restrict) exactly as it found it, and a file
# trace-cmd can read, whether it ends normally, by SIGINT or SIGTERM while its
# workload runs, or because its workload was killed with SIGKILL.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd trace-cmd

# Other tests create instances and probes concurrently: compare everything
# else, and check our own instance (sidetrace-PID) by name.
state() {
	tracefs_fingerprint_static
	printf '== kptr_restrict\n'
	cat /proc/sys/kernel/kptr_restrict
}

# kptr_restrict 1 makes record change it (to read kallsyms) and put it back.
old_kptr=$(cat /proc/sys/kernel/kptr_restrict)
trap 'echo "$old_kptr" > /proc/sys/kernel/kptr_restrict; rm -rf "$TEST_TMP"' EXIT
echo 1 > /proc/sys/kernel/kptr_restrict || skip "cannot write kptr_restrict"

before=$(state)

# Start record in the background, so its pid (and instance name) is known.
start_record() { # OUTPUT ARGS...
	local out=$1
	shift
	"$SIDETRACE" record -e sched -e syscalls:sys_enter_nanosleep -e syscalls:sys_enter_clock_nanosleep \
		-o "$out" "$@" 2>"$TEST_TMP/err" &
	REC=$!
}

wait_instance() {
	local i
	for i in $(seq 100); do
		[ -d "$T/instances/sidetrace-$REC" ] && return 0
		sleep 0.05
	done
	fail "instance sidetrace-$REC never appeared"
}

check_after() { # WHAT FILE
	[ -d "$T/instances/sidetrace-$REC" ] && fail "$1: instance sidetrace-$REC left behind"
	[ -e "/run/sidetrace/record-$REC.undo" ] && fail "$1: undo list left in /run/sidetrace"
	ls -A "$TEST_TMP" | grep -q -e '\.cpu' -e '^\.sidetrace-' && fail "$1: temp files left behind"
	assert_same "$1: tracefs state" "$before" "$(state)"
	trace-cmd report -i "$2" >"$TEST_TMP/report" 2>&1 || fail "$1: trace-cmd report failed: $(tail -3 "$TEST_TMP/report")"
	grep -q ': sched_switch:' "$TEST_TMP/report" || fail "$1: no sched_switch in the file"
}

# 1. Normal end.
start_record "$TEST_TMP/a.dat" sleep 0.2
wait $REC || fail "normal record failed: $(cat "$TEST_TMP/err")"
check_after "normal record" "$TEST_TMP/a.dat"

# 2. SIGINT while the workload (sleep 30) runs: exit 130, file complete.
start_record "$TEST_TMP/b.dat" sleep 30
wait_instance
sleep 0.5
kill -INT $REC
wait $REC
rc=$?
pkill -x -P $REC sleep 2>/dev/null
[ $rc = 130 ] || fail "record stopped by SIGINT exited $rc, not 130: $(cat "$TEST_TMP/err")"
check_after "record stopped by SIGINT" "$TEST_TMP/b.dat"
grep -q 'sched_process_exec: *filename=[^ ]*sleep' "$TEST_TMP/report" || fail "SIGINT: the workload's exec is missing"

# 3. SIGTERM, same promise (exit 143).
start_record "$TEST_TMP/c.dat" sleep 30
wait_instance
sleep 0.3
kill -TERM $REC
wait $REC
rc=$?
[ $rc = 143 ] || fail "record stopped by SIGTERM exited $rc, not 143"
check_after "record stopped by SIGTERM" "$TEST_TMP/c.dat"

# 4. The workload is killed with SIGKILL: record ends normally and says so.
start_record "$TEST_TMP/d.dat" sleep 30
wait_instance
sleep 0.3
child=$(pgrep -x -P $REC sleep) || fail "the workload is not running"
kill -KILL "$child"
wait $REC || fail "record whose workload was killed failed: $(cat "$TEST_TMP/err")"
grep -q "killed by signal 9" "$TEST_TMP/err" || fail "record did not report the workload's death: $(cat "$TEST_TMP/err")"
check_after "record whose workload got SIGKILL" "$TEST_TMP/d.dat"
grep -q "sched_process_exit: *comm=sleep pid=$child " "$TEST_TMP/report" || fail "SIGKILL: the workload's exit is missing"

# 5. No command: until SIGINT, the normal end (exit 0); the same for SIGTERM.
start_record "$TEST_TMP/e.dat"
wait_instance
sleep 0.3
kill -INT $REC
wait $REC
rc=$?
[ $rc = 0 ] || fail "record without a command exited $rc after SIGINT, not 0: $(cat "$TEST_TMP/err")"
check_after "record without a command" "$TEST_TMP/e.dat"
start_record "$TEST_TMP/e2.dat"
wait_instance
sleep 0.3
kill -TERM $REC
wait $REC
rc=$?
[ $rc = 0 ] || fail "record without a command exited $rc after SIGTERM, not 0: $(cat "$TEST_TMP/err")"
check_after "record without a command, SIGTERM" "$TEST_TMP/e2.dat"

[ "$(cat /proc/sys/kernel/kptr_restrict)" = 1 ] || fail "kptr_restrict was not restored"

# 6. record itself gets SIGKILL: nothing can run, but the persisted undo list
# says exactly what to undo. Replaying it by hand (last line first) restores all.
start_record "$TEST_TMP/f.dat" -F -e syscalls:sys_enter_openat -f 'flags > 0' sleep 30
wait_instance
sleep 0.3
list=/run/sidetrace/record-$REC.undo
[ -s "$list" ] || fail "no persisted undo list $list"
head -1 "$list" | grep -qx 'sidetrace-undo 1' || fail "undo list has no header: $(head -1 "$list")"
grep -qx "rmdir $T/instances/sidetrace-$REC" "$list" || fail "undo list lacks the instance"
grep -q "^write $T/instances/sidetrace-$REC/events/syscalls/sys_enter_openat/filter 0$" "$list" ||
	fail "undo list lacks the filter"
child=$(pgrep -x -P $REC sleep)
kill -KILL $REC
wait $REC 2>/dev/null || true
kill -KILL $child 2>/dev/null
tac "$list" | while read -r kind path value; do
	case $kind in
	write) printf '%b' "$value" >"$path" 2>/dev/null || [ ! -e "$path" ] || fail "replay: cannot write $path" ;;
	rmdir) rmdir "$path" || fail "replay: cannot remove $path" ;;
	sidetrace-undo) ;;
	*) fail "replay: unknown line: $kind $path" ;;
	esac
done
rm -f "$list" "$TEST_TMP"/f.dat*
[ -d "$T/instances/sidetrace-$REC" ] && fail "the replayed list left the instance"
assert_same "record killed, list replayed: tracefs state" "$before" "$(state)"
exit 0
