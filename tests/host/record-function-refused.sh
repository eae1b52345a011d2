#!/bin/bash
# This machine's kernel lists the function tracer but refuses it (EPERM from
# current_tracer): record -p function fails with one clear line, writes no
# file and leaves tracefs as it was, the function tracer's files included.
# Function tracing itself is tested in the VM tier (tests/vm/tests/fgraph-*,
# function-*).
. "$(dirname "$0")/../lib.sh"
need_tracefs

grep -qw function $T/available_tracers || skip "the kernel has no function tracer at all"
before=$(tracefs_fingerprint_static)

expect_error() { # WHAT EXPECTED-TEXT ARGS...
	local what=$1 text=$2 rc pid
	shift 2
	"$SIDETRACE" record "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" &
	pid=$!
	wait $pid
	rc=$?
	if [ $rc = 0 ] && [ "$what" = "-p function" ]; then
		skip "this kernel runs the function tracer (the VM tier covers it)"
	fi
	[ $rc != 0 ] || fail "$what: exit status 0"
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "$what: not one line of error: $(cat "$TEST_TMP/err")"
	grep -q "^sidetrace record: $text" "$TEST_TMP/err" ||
		fail "$what: message '$(cat "$TEST_TMP/err")' is not '$text'"
	[ -d "$T/instances/sidetrace-$pid" ] && fail "$what: instance left behind"
	[ -e "/run/sidetrace/record-$pid.undo" ] && fail "$what: undo list left behind"
	[ -e "$TEST_TMP/f.dat" ] && fail "$what: output file created"
	assert_same "$what: tracefs state" "$before" "$(tracefs_fingerprint_static)"
	note "$what: $(cat "$TEST_TMP/err")"
}

expect_error "-p function" \
	"this kernel refuses the function tracer (current_tracer: Operation not permitted)$" \
	-p function -o "$TEST_TMP/f.dat" true
# A machine that has never traced has a top-level buffer of 7 KiB that grows
# for good on any write of its current_tracer, even a refused one: the refused
# tracer must be found out in our own instance, never by touching the top level.
# (The fingerprint sees that only on such a machine; the system calls show it
# on every machine.)
if command -v strace >/dev/null; then
	strace -f -qq -e trace=openat -o "$TEST_TMP/strace" \
		"$SIDETRACE" record -p function -o "$TEST_TMP/f.dat" true 2>/dev/null
	top=$(grep -E "\"$T/(current_tracer|buffer_size_kb)\", O_(WRONLY|RDWR)" "$TEST_TMP/strace")
	[ -z "$top" ] || fail "-p function wrote the top level: $top"
	assert_same "-p function under strace: tracefs state" "$before" "$(tracefs_fingerprint_static)"
else
	note "strace is not installed: the top level's current_tracer is checked by the fingerprint only"
fi
expect_error "-p function with events" "this kernel refuses the function tracer" \
	-p function -e sched:sched_switch -o "$TEST_TMP/f.dat" true
if ! grep -qw function_graph $T/available_tracers; then
	expect_error "-p function_graph" "unknown tracer 'function_graph' (this kernel has: .*function" \
		-p function_graph -o "$TEST_TMP/f.dat" true
fi
if ! cat $T/available_filter_functions >/dev/null 2>&1; then
	expect_error "-l on a kernel without filters" "this kernel refuses function filters" \
		-p function -l vfs_read -o "$TEST_TMP/f.dat" true
fi
expect_error "-g without function_graph" "-g needs -p function_graph" \
	-p function -g vfs_read -o "$TEST_TMP/f.dat" true
expect_error "--func-stack without -l" "--func-stack needs -l" \
	-p function --func-stack -o "$TEST_TMP/f.dat" true
expect_error "unknown -O option" "-O: this kernel has no trace option 'no-such-option'" \
	-p nop -O no-such-option -o "$TEST_TMP/f.dat" true

# A tracer the kernel runs (nop) with an option: recorded, and everything put back.
"$SIDETRACE" record -q -p nop -O nooverwrite -e sched:sched_process_exec -o "$TEST_TMP/nop.dat" \
	true 2>"$TEST_TMP/err" || fail "record -p nop -O nooverwrite: $(cat "$TEST_TMP/err")"
[ -s "$TEST_TMP/nop.dat" ] || fail "record -p nop wrote no file"
assert_same "tracefs state after -p nop -O nooverwrite" "$before" "$(tracefs_fingerprint_static)"
exit 0
