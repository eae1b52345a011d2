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
	# A hang (record -x FIFO once blocked forever) must fail the test rather than block the tier.
	timeout -k 2 10 "$SIDETRACE" record "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" &
	local pid=$!
	wait $pid
	rc=$?
	[ $rc = 124 ] && fail "$what: still running after 10 s"
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

# Options that were silently ignored or misread.
expect_error "-O of an unknown option without -p" "-O: this kernel has no trace option 'nosuchopt'" \
	-O nosuchopt -e sched:sched_switch -o "$TEST_TMP/x.dat" true
# An option only the top level has (an instance has fewer on some kernels): a clear line too.
probe_inst=$T/instances/sidetrace-test-$$
if mkdir "$probe_inst" 2>/dev/null; then
	top_only=$(comm -23 <(ls $T/options) <(ls "$probe_inst/options") | head -n 1)
	rmdir "$probe_inst"
	[ -n "$top_only" ] && expect_error "-O of an option only the top level has" \
		"-O $top_only: on this kernel only the top level has this option, not sidetrace's instance" \
		-O "$top_only" -e sched:sched_switch -o "$TEST_TMP/x.dat" true
fi
expect_error "-e ':'" "-e ':': no system or event name (every event is 'all')" -e : -o "$TEST_TMP/x.dat" true
expect_error "-e 'sched:'" "-e 'sched:': no event name after ':'" -e sched: -o "$TEST_TMP/x.dat" true
expect_error "-e ':sched_switch'" "-e ':sched_switch': no system name before ':'" \
	-e :sched_switch -o "$TEST_TMP/x.dat" true

# A COMMAND that cannot run says why, as a shell would.
mkdir "$TEST_TMP/adir"
printf 'echo hi\n' >"$TEST_TMP/noexec"
printf '\0\1\2junk\n' >"$TEST_TMP/garbage" && chmod +x "$TEST_TMP/garbage"
mkfifo "$TEST_TMP/fifo"
expect_error "a directory as COMMAND" "cannot run $TEST_TMP/adir: is a directory" \
	-e sched -o "$TEST_TMP/x.dat" "$TEST_TMP/adir"
expect_error "a non-executable COMMAND" "cannot run $TEST_TMP/noexec: Permission denied (not executable)" \
	-e sched -o "$TEST_TMP/x.dat" "$TEST_TMP/noexec"
expect_error "a non-ELF COMMAND" "cannot run $TEST_TMP/garbage: exec format error" \
	-e sched -o "$TEST_TMP/x.dat" "$TEST_TMP/garbage"
expect_error "a missing COMMAND path" "cannot run $TEST_TMP/nothing: No such file or directory" \
	-e sched -o "$TEST_TMP/x.dat" "$TEST_TMP/nothing"
expect_error "a FIFO as COMMAND" "cannot run $TEST_TMP/fifo: a FIFO, not a program" \
	-e sched -o "$TEST_TMP/x.dat" "$TEST_TMP/fifo"

# -x of what is not a regular ELF file fails at once (a FIFO once blocked forever).
if [ -e $T/uprobe_events ]; then
	expect_error "-x FIFO" "-x $TEST_TMP/fifo: a FIFO, not an ELF file" \
		-x "$TEST_TMP/fifo" -g main -o "$TEST_TMP/x.dat" true
	head -c 1000 "$SIDETRACE" >"$TEST_TMP/short"
	expect_error "-x of a truncated ELF" "-x $TEST_TMP/short: not a valid ELF file" \
		-x "$TEST_TMP/short" -g main -o "$TEST_TMP/x.dat" true
fi

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
