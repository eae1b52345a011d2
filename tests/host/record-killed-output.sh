#!/bin/bash
# record killed with SIGKILL mid-recording leaves no file behind: an existing
# output is as it was, a new one does not appear (not even empty), and its
# temporaries have no name (O_TMPFILE). On a filesystem without O_TMPFILE
# (tests/progs/no_tmpfile) the output's temporary has a name until the end:
# the undo list names it, and `sidetrace reset` deletes it and says so.
. "$(dirname "$0")/../lib.sh"
need_tracefs
NO_TMPFILE=$TOP/tests/progs/no_tmpfile
[ -x "$NO_TMPFILE" ] || skip "tests/progs/no_tmpfile is not built (make tests/progs/no_tmpfile)"

dir=$TEST_TMP/out
mkdir "$dir"
echo precious >"$dir/old.dat"
REC=
cleanup() {
	[ -n "$REC" ] && kill -KILL "$REC" 2>/dev/null && "$SIDETRACE" reset "$REC" >/dev/null 2>&1
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT

# Start record (under WRAPPER...) writing OUTPUT, kill it once it records. Sets REC.
kill_recording() { # OUTPUT [WRAPPER...]
	local out=$1 child
	shift
	"$@" "$SIDETRACE" record -e sched:sched_switch -o "$out" sleep 30 2>"$TEST_TMP/rec.err" &
	REC=$!
	for _ in $(seq 100); do
		[ "$(cat $T/instances/sidetrace-$REC/tracing_on 2>/dev/null)" = 1 ] && break
		sleep 0.05
	done
	[ -d $T/instances/sidetrace-$REC ] || fail "record made no instance: $(cat "$TEST_TMP/rec.err")"
	sleep 0.3
	child=$(pgrep -x -P "$REC" sleep)
	kill -KILL "$REC"
	wait "$REC" 2>/dev/null
	[ -n "$child" ] && kill -KILL "$child" 2>/dev/null
}

reset_record() { # WHAT
	"$SIDETRACE" reset "$REC" >"$TEST_TMP/reset.out" 2>&1 || fail "$1: reset failed: $(cat "$TEST_TMP/reset.out")"
	REC=
}

# ---- O_TMPFILE: nothing ever has a name ----
kill_recording "$dir/old.dat"
[ "$(cat "$dir/old.dat")" = precious ] || fail "the killed record changed the existing output"
[ "$(ls -A "$dir")" = old.dat ] || fail "the killed record left: $(ls -A "$dir")"
reset_record "over an existing file"
grep -q "temporary file" "$TEST_TMP/reset.out" && fail "reset deleted a file that was not there: $(cat "$TEST_TMP/reset.out")"

kill_recording "$dir/new.dat"
[ -e "$dir/new.dat" ] && fail "the killed record left a $(stat -c %s "$dir/new.dat")-byte new.dat"
[ "$(ls -A "$dir")" = old.dat ] || fail "the killed record left: $(ls -A "$dir")"
reset_record "a new file"

# ---- without O_TMPFILE: a named temporary, which reset deletes ----
kill_recording "$dir/old.dat" "$NO_TMPFILE"
pid=$REC
temp=$(ls -A "$dir" | grep '^\.sidetrace-')
[ "$(wc -l <<<"$temp")" = 1 ] || fail "want one named temporary (the output's), have: $(ls -A "$dir")"
[ "$(stat -c '%U %a %s' "$dir/$temp")" = "root 600 0" ] || fail "the temporary is $(stat -c '%U %a %s' "$dir/$temp")"
grep -qx "remove $dir/$temp" /run/sidetrace/record-$pid.undo || fail "the undo list does not name $temp"
[ "$(cat "$dir/old.dat")" = precious ] || fail "the killed record changed the existing output"

"$SIDETRACE" reset -n "$pid" >"$TEST_TMP/dry" 2>&1 || fail "reset -n failed: $(cat "$TEST_TMP/dry")"
grep -qx "  would delete temporary file $dir/$temp" "$TEST_TMP/dry" || fail "reset -n: $(cat "$TEST_TMP/dry")"
[ -e "$dir/$temp" ] || fail "reset -n deleted the temporary"

reset_record "without O_TMPFILE"
cat "$TEST_TMP/reset.out" >&2
grep -qx "  deleted temporary file $dir/$temp" "$TEST_TMP/reset.out" || fail "reset did not say it deleted $temp"
grep -q "removed instance sidetrace-$pid" "$TEST_TMP/reset.out" || fail "reset did not remove the instance"
[ "$(ls -A "$dir")" = old.dat ] || fail "after reset: $(ls -A "$dir")"
[ "$(cat "$dir/old.dat")" = precious ] || fail "reset changed the existing output"
exit 0
