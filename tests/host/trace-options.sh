#!/bin/bash
# sidetrace trace's options on tests/progs/trace_calls: -e names, classes and '!',
# --failed, --duration, -c (strace -c's table, counts equal to the lines'), -t, -s,
# -P attach and Ctrl-C detach (exit 0, the process lives on), Ctrl-C and SIGTERM with a
# command (128+N, tracefs restored), and bad input: one line, non-zero exit.
. "$(dirname "$0")/../lib.sh"
need_tracefs
PROG=$TOP/tests/progs/trace_calls
[ -x "$PROG" ] || fail "tests/progs/trace_calls is not built (make check builds it)"
before=$(tracefs_fingerprint_static)
cd "$TEST_TMP" || fail "no temp dir"

# trace OUT ARGS...: run with -o OUT; the program's status must come back (7).
# Until sidetrace PID traces (its instance's tracing_on is 1), 20 s at most.
wait_tracing() { # PID
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(cat $T/instances/sidetrace-$1/tracing_on 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	fail "sidetrace $1 did not start tracing in 20 s"
}

trace() {
	local out=$1
	shift
	"$SIDETRACE" trace -o "$out" "$@" >/dev/null 2>err.txt
	local rc=$?
	[ $rc = 7 ] || fail "trace $*: exit $rc, not the program's 7: $(tail -1 err.txt)"
}
names() { sed -E 's/^ *[0-9.:]+ \([ 0-9.a-z]*\) [^ ]+ //; s/\(.*//' "$1" | grep -v '^[-+<]' | sort -u; }

trace all.log "$PROG"
trace sel.log -e openat,close "$PROG"
[ "$(names sel.log | tr '\n' ' ')" = "close openat " ] || fail "-e openat,close shows: $(names sel.log)"
[ "$(grep -c openat sel.log)" = "$(grep -c ' openat(' all.log)" ] || fail "-e openat lost calls"
trace proc.log -e %process "$PROG"
names proc.log | grep -qx clone || fail "-e %process has no clone"
names proc.log | grep -qx execve || fail "-e %process has no execve"
names proc.log | grep -qx openat && fail "-e %process shows openat"
trace neg.log -e '!%file,close' "$PROG"
names neg.log | grep -qxE 'openat|access|close' && fail "-e '!%file,close' shows a file call"
names neg.log | grep -qx read || fail "-e '!%file,close' has no read"

trace failed.log --failed "$PROG"
[ -s failed.log ] || fail "--failed printed nothing"
grep -v ' = -1 E' failed.log && fail "--failed printed a call that did not fail"
grep -q 'access("/nonexistent-sidetrace", R_OK) = -1 ENOENT' failed.log || fail "--failed lacks the access"

# trace_calls' child runs about a millisecond; the parent's wait4 lasts longer than that.
trace slow.log --duration 0.5 "$PROG"
grep -q ' wait4(' slow.log || fail "--duration 0.5 lacks wait4"
sed -E 's/^[^(]*\( *([0-9.]+) ms\).*/\1/' slow.log | awk '$1 + 0 < 0.5 { bad = 1 } END { exit !bad }' &&
	fail "--duration 0.5 shows a shorter call"

trace sum.log -c "$PROG"
head -1 sum.log | grep -q '^% time     seconds  usecs/call     calls    errors syscall$' ||
	fail "-c: no strace -c header"
opens=$(grep -c ' openat(' all.log)
awk -v n="$opens" '$NF == "openat" && $4 == n { ok = 1 } END { exit !ok }' sum.log ||
	fail "-c: openat is not counted $opens times: $(grep openat sum.log)"
grep -qE '^100.00 .* total$' sum.log || fail "-c: no total line"

trace clock.log -t -e access "$PROG"
grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} \( *[0-9.]+ ms\) ' clock.log || fail "-t: no time of day"
trace short.log -s 5 -e access "$PROG"
grep -q 'access("/none"\.\.\., R_OK)' short.log || fail "-s 5 does not cut the name"

# As strace -f: the view lasts until the command's last descendant is gone.
"$SIDETRACE" trace -o bg.log -e exit_group sh -c 'sleep 0.5 & exit 0' 2>bg.err ||
	fail "trace of a command leaving a child behind failed: $(tail -1 bg.err)"
grep -q '^ *[0-9.]* (         ) sleep/[0-9]* +++ exited with 0 +++$' bg.log ||
	fail "the view ended before the command's background child: $(cat bg.log)"

# -P: attach to a running process, Ctrl-C detaches; it runs on.
sh -c 'while :; do cat /etc/hostname >/dev/null; sleep 0.05; done' &
victim=$!
"$SIDETRACE" trace -o attach.log -P "$victim" 2>attach.err &
tracer=$!
wait_tracing $tracer
sleep 0.5
kill -INT $tracer
wait $tracer
rc=$?
kill -0 $victim 2>/dev/null || fail "-P: the process died with the detach"
kill $victim
[ $rc = 0 ] || fail "-P: Ctrl-C exits $rc, not 0: $(tail -1 attach.err)"
grep -q "sh/$victim .*wait4(" attach.log || fail "-P: no wait4 of the shell"
grep -q 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' attach.log || fail "-P: the children's opens are missing"

# A command stopped by Ctrl-C or SIGTERM: 128+N, tracefs as it was.
for sig in INT TERM; do
	"$SIDETRACE" trace -o sig.log sleep 10 2>sig.err &
	tracer=$!
	wait_tracing $tracer
	sleep 0.5
	kill -$sig $tracer
	wait $tracer
	rc=$?
	want=$([ $sig = INT ] && echo 130 || echo 143)
	[ $rc = $want ] || fail "SIG$sig: exit $rc, not $want"
	grep -q 'clock_nanosleep(.*<unfinished \.\.\.>\|clock_nanosleep(.*= ' sig.log ||
		fail "SIG$sig: the sleep is not in the view"
done

# SIGKILL: nothing can be undone then, but `sidetrace reset` finds the instance and probes.
"$SIDETRACE" trace -o kill.log sleep 10 2>/dev/null &
tracer=$!
wait_tracing $tracer
grep -q "^[pr]:sidetrace_files_$tracer/" $T/uprobe_events || fail "no probes of sidetrace $tracer while tracing"
workload=$(cat /proc/$tracer/task/*/children 2>/dev/null)
kill -KILL $tracer
wait $tracer 2>/dev/null
"$SIDETRACE" reset >reset.out 2>&1 || fail "reset after a killed trace failed: $(tail -1 reset.out)"
[ -e $T/instances/sidetrace-$tracer ] && fail "reset left the instance of the killed trace"
grep -q "sidetrace_files_$tracer/" $T/uprobe_events && fail "reset left the probes of the killed trace"
[ -n "$workload" ] && kill $workload 2>/dev/null	# the orphaned sleep

# A ring buffer too small for a syscall storm: the losses are stated, never silent.
make -s -C "$TOP" tests/progs/syscall_storm >/dev/null 2>&1
"$SIDETRACE" trace -b 8 -o storm.log "$TOP/tests/progs/syscall_storm" 0.3 >/dev/null 2>storm.err ||
	fail "trace of the storm failed: $(tail -1 storm.err)"
grep -qE '^\.\.\. [0-9]* ?events (lost|dropped) on CPU [0-9]+ ' storm.log ||
	fail "-b 8 and 300000 getppid calls: no line about lost events ($(grep -c getppid storm.log) lines)"

# Bad input: one line, non-zero.
bad() { # WANT_RC WANT_TEXT ARGS...
	local want_rc=$1 want=$2
	shift 2
	$SIDETRACE "$@" >/dev/null 2>bad.err
	local rc=$?
	[ $rc = "$want_rc" ] || fail "'$*' exits $rc, not $want_rc"
	[ "$(wc -l <bad.err)" = 1 ] || fail "'$*' says more than one line: $(cat bad.err)"
	grep -qF -- "$want" bad.err || fail "'$*' says '$(cat bad.err)', not '$want'"
}
bad 2 "sidetrace trace: -e: unknown syscall 'opne' (did you mean 'open'?)" trace -e opne true
bad 2 "unknown class '%fil'" trace -e %fil true
bad 1 "sidetrace trace: -P: no process 999999999" trace -P 999999999
bad 2 "nothing to trace" trace
bad 1 "command not found" trace no-such-command-sidetrace
if command -v setpriv >/dev/null; then
	SIDETRACE="setpriv --reuid=65534 --regid=65534 --clear-groups $SIDETRACE" \
		bad 1 "needs root" trace true
fi

assert_same "tracefs after trace" "$before" "$(tracefs_fingerprint_static)"
