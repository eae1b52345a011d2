#!/bin/bash
# sidetrace trace against strace -f, the oracle, on tests/progs/trace_calls (opens,
# reads, failing calls, a stat, a readlink, a signal, a fork whose child execs).
# Per process (numbered in the order they appear), the sequence of (syscall
# name, return value) must be equal, and so must the file calls' path strings.
# Start-up noise is cut the same way on both sides: each program image counts
# from its marker access() on (the parent from "begin", an exec'd image from
# "exec"); a forked child counts from its first call. Values that differ from
# run to run (pids returned by clone, wait4, getpid, getppid) become "N".
# The same for `record --syscalls` + `report --syscalls`.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd strace
PROG=$TOP/tests/progs/trace_calls
[ -x "$PROG" ] || fail "tests/progs/trace_calls is not built (make check builds it)"
before=$(tracefs_fingerprint_static)

cd "$TEST_TMP" || fail "no temp dir"
strace -f -qq -o strace.log "$PROG" >/dev/null 2>&1
[ $? = 7 ] || fail "strace: trace_calls did not exit with 7"
"$SIDETRACE" trace -o trace.log "$PROG" >/dev/null 2>trace.err
status=$?
[ $status = 7 ] || fail "sidetrace trace exited with $status, not the program's 7: $(tail -1 trace.err)"

# ours: "TIME (DUR) comm/TID REST" -> "TID REST"
trace_ids <trace.log >ours.log
calls <strace.log >strace.calls
calls <ours.log >ours.calls
[ "$(wc -l <strace.calls)" -ge 25 ] || fail "the oracle has too few calls ($(wc -l <strace.calls))"
grep -q '^P3 execve 0$' strace.calls || fail "the oracle shows no exec in the child"
if ! diff strace.calls ours.calls >calls.diff; then
	cat calls.diff >&2
	fail "the (name, result) sequences differ from strace's"
fi
calls strings <strace.log >strace.strings
calls strings <ours.log >ours.strings
if ! diff strace.strings ours.strings >strings.diff; then
	cat strings.diff >&2
	fail "the file calls' strings differ from strace's"
fi
note "$(wc -l <ours.calls) calls and $(wc -l <ours.strings) file names equal strace's"

# Offline: record --syscalls, then report --syscalls prints the same calls.
"$SIDETRACE" record -q --syscalls -o sc.dat "$PROG" >/dev/null 2>record.err ||
	fail "record --syscalls failed: $(tail -1 record.err)"
"$SIDETRACE" report --syscalls sc.dat >offline.log 2>report.err ||
	fail "report --syscalls failed: $(tail -1 report.err)"
trace_ids <offline.log >offline.ids
calls <offline.ids >offline.calls
calls strings <offline.ids >offline.strings
diff strace.calls offline.calls >&2 || fail "report --syscalls: the (name, result) sequences differ"
diff strace.strings offline.strings >&2 || fail "report --syscalls: the file names differ"
"$SIDETRACE" report --syscalls -e access --failed sc.dat >offline-failed.log 2>report.err ||
	fail "report --syscalls -e access --failed failed: $(tail -1 report.err)"
grep -q 'access("/nonexistent-sidetrace", R_OK) = -1 ENOENT' offline-failed.log ||
	fail "report --syscalls --failed lacks the failing access"
grep -v ' access(' offline-failed.log && fail "report --syscalls -e access shows other calls"
"$SIDETRACE" report --syscalls "$TOP/tests/fixtures/sched-v6.dat" >/dev/null 2>bad.err &&
	fail "report --syscalls of a trace without syscall events succeeded"
grep -q 'record --syscalls' bad.err || fail "report --syscalls of a sched trace says: $(cat bad.err)"

# The decoded lines of the fixed part, as the issue shows them.
grep -q 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3$' trace.log || fail "no decoded openat line"
grep -q 'read(3</etc/hostname>, 0x[0-9a-f]*, 64) = ' trace.log || fail "fd 3 is not shown with its path"
grep -q 'access("/nonexistent-sidetrace", R_OK) = -1 ENOENT (No such file or directory)$' trace.log ||
	fail "no failing access line with its errno"
grep -q -- '--- SIGUSR1 ---' trace.log || fail "the signal is not shown"
grep -q '+++ exited with 7 +++' trace.log || fail "the exit is not shown"

assert_same "tracefs after trace" "$before" "$(tracefs_fingerprint_static)"
[ -z "$(ls $T/instances | grep "^sidetrace-")" ] || note "other sidetrace instances exist (other tests)"
