#!/bin/bash
# Bad input makes record fail with one clear line and a non-zero exit, and
# leaves tracefs exactly as it was (nothing half set up, no output file).
. "$(dirname "$0")/../lib.sh"
need_tracefs

state() { tracefs_fingerprint_static; }
before=$(state)

expect_error() { # WHAT EXPECTED-TEXT ARGS...
	local what=$1 text=$2 rc
	shift 2
	"$SIDETRACE" record "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" &
	local pid=$!
	wait $pid
	rc=$?
	[ $rc != 0 ] || fail "$what: exit status 0"
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "$what: not one line of error: $(cat "$TEST_TMP/err")"
	grep -q "^sidetrace record: .*$text" "$TEST_TMP/err" || fail "$what: message '$(cat "$TEST_TMP/err")' lacks '$text'"
	[ -s "$TEST_TMP/out" ] && fail "$what: printed on stdout: $(cat "$TEST_TMP/out")"
	[ -d "$T/instances/sidetrace-$pid" ] && fail "$what: instance left behind"
	[ -e "/run/sidetrace/record-$pid.undo" ] && fail "$what: undo list left behind"
	[ -e "$TEST_TMP/x.dat" ] && fail "$what: output file created"
	ls -A "$TEST_TMP" | grep -q -e '\.cpu' -e '^\.sidetrace-' && fail "$what: temp files left behind"
	assert_same "$what: tracefs state" "$before" "$(state)"
	note "$what: $(cat "$TEST_TMP/err")"
}

expect_error "unknown event" "no event matches 'foo:bar'" -e sched:sched_switch -e foo:bar -o "$TEST_TMP/x.dat" true
expect_error "unknown event glob" "no event matches 'sched:nothing_\*'" -e 'sched:nothing_*' -o "$TEST_TMP/x.dat" true
# The kernel's own explanation comes from error_log.
expect_error "bad filter" "bad filter 'bogus_field > 1' for sched:sched_switch: .*Field not found" \
	-e sched:sched_wakeup -e sched:sched_switch -f 'bogus_field > 1' -o "$TEST_TMP/x.dat" true
expect_error "bad filter syntax" "bad filter 'prev_pid >' .*: .*error" \
	-e sched:sched_switch -f 'prev_pid >' -o "$TEST_TMP/x.dat" true
expect_error "unwritable output directory" "cannot write $TEST_TMP/nodir/x.dat" \
	-e sched -o "$TEST_TMP/nodir/x.dat" true
expect_error "output is a directory" "cannot write $TEST_TMP" -e sched -o "$TEST_TMP" true
expect_error "command not found" "command not found: no-such-command-here" \
	-e sched -o "$TEST_TMP/x.dat" no-such-command-here arg
expect_error "unknown clock" "unknown clock 'sundial'" -e sched -C sundial -o "$TEST_TMP/x.dat" true
expect_error "-P of a dead process" "no process 999999999" -e sched -P 999999999 -o "$TEST_TMP/x.dat"
expect_error "-f before -e" "must follow the -e" -f 'pid > 1' -e sched -o "$TEST_TMP/x.dat" true
expect_error "bad -b" "-b: 'lots'" -e sched -b lots -o "$TEST_TMP/x.dat" true
expect_error "unknown option" "unknown option '--frobnicate'" --frobnicate -e sched true

# An existing output survives a failed record untouched.
echo precious > "$TEST_TMP/keep.dat"
"$SIDETRACE" record -e foo:bar -o "$TEST_TMP/keep.dat" true 2>/dev/null && fail "unknown event accepted"
[ "$(cat "$TEST_TMP/keep.dat")" = precious ] || fail "a failed record damaged the existing output"

# Not root: refused before anything is touched (when an unprivileged user exists).
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	cp "$SIDETRACE" "$TEST_TMP/st" && chmod 755 "$TEST_TMP" "$TEST_TMP/st"
	out=$(cd /tmp && setpriv --reuid=nobody --regid=nogroup --clear-groups "$TEST_TMP/st" record -e sched \
		-o /tmp/never.dat true 2>&1)
	rc=$?
	[ $rc != 0 ] || fail "record as nobody succeeded"
	grep -q 'permission denied: recording needs root' <<<"$out" || fail "record as nobody said: $out"
	[ "$(wc -l <<<"$out")" = 1 ] || fail "record as nobody: not one line: $out"
	assert_same "record as nobody: tracefs state" "$before" "$(state)"
fi
exit 0
