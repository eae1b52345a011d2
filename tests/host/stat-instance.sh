#!/bin/bash
# `sidetrace stat` on an instance of our own: a fresh one shows only the three always-shown
# lines (so the defaults table matches this kernel); after enabling an event, a filter, a
# trigger, a pid, a clock and two options, the block shows each of them. stat never writes.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd strace

inst=sidetrace-test-$$
I=$T/instances/$inst
mkdir $I || fail "cannot create instance $inst"
cleanup() {
	echo '!traceoff' > $I/events/sched/sched_wakeup/trigger 2>/dev/null
	rmdir $I 2>/dev/null
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT

out=$("$SIDETRACE" stat -B $inst 2>"$TEST_TMP/err") || fail "stat -B exited $?"
want="Instance $inst:
  tracer: nop
  tracing: on
  buffer: $(cut -d" " -f1 < $I/buffer_size_kb) KiB per CPU"
assert_same "fresh instance block" "$want" "$out"

echo 1 > $I/events/sched/sched_switch/enable
echo 'prev_pid != 0' > $I/events/sched/sched_switch/filter
echo 1 > $I/events/irq/enable
# never fires, so tracing stays on while we compare two listings
echo 'traceoff if common_pid < 0' > $I/events/sched/sched_wakeup/trigger
echo $$ > $I/set_event_pid
echo global > $I/trace_clock
echo 0 > $I/options/overwrite
echo 1 > $I/options/record-tgid

out=$("$SIDETRACE" stat -B $inst 2>/dev/null) || fail "stat -B exited $?"
note "$out"
expect() { grep -qxF -- "$1" <<<"$out" || fail "the block lacks '$1'"; }
expect "Instance $inst:"
expect "  events:"
expect "    sched:sched_switch"
expect "    irq:*"
expect "  event filters:"
expect "    sched:sched_switch: prev_pid != 0"
expect "  event triggers:"
expect "    sched:sched_wakeup: traceoff:unlimited if common_pid < 0"
expect "  tracing: on"
expect "  set_event_pid: $$"
expect "  trace_clock: global"
expect "    nooverwrite"
expect "    record-tgid"
# sched_wakeup is only soft-enabled by its trigger: not an enabled event.
grep -qx '    sched:sched_wakeup' <<<"$out" && fail "a trigger's soft-enabled event is listed as enabled"
[ "$(grep -c '^    irq:' <<<"$out")" -eq 1 ] || fail "a whole system should be one irq:* line"

# The full listing has the same block, and the top level first. Reading an instance keeps
# its files open for a moment, and rmdir of an instance with an open file fails (EBUSY): so
# walk every instance only when no one else has one, not to break others' clean-up.
if [ "$(ls $T/instances)" = "$inst" ]; then
	all=$("$SIDETRACE" stat 2>/dev/null) || fail "stat exited $?"
	[ "$(head -n 1 <<<"$all")" = "Top level:" ] || fail "stat does not start with the top level"
	block=$(awk -v h="Instance $inst:" '$0 == h {p = 1} p && /^$/ {exit} p' <<<"$all")
	assert_same "block in the full listing" "$out" "$block"
else
	note "other instances exist: the full listing is not checked"
fi
top=$("$SIDETRACE" stat -t 2>/dev/null) || fail "stat -t exited $?"
[ "$(head -n 1 <<<"$top")" = "Top level:" ] || fail "stat -t does not show the top level"
grep -q "^Instance" <<<"$top" && fail "stat -t shows instances"

# Read-only: no tracefs file is opened for writing.
strace -f -qq -e trace=openat -o "$TEST_TMP/strace" "$SIDETRACE" stat -a -B $inst >/dev/null 2>&1
grep -E 'O_WRONLY|O_RDWR' "$TEST_TMP/strace" | grep -q tracing && fail "stat opened a tracefs file for writing"
grep -q "$I/events/sched/sched_switch/filter" "$TEST_TMP/strace" || fail "strace saw no tracefs reads"

# A named instance that does not exist: exit 1.
"$SIDETRACE" stat -B sidetrace-no-such-$$ >/dev/null 2>&1 && fail "stat -B of a missing instance succeeded"
exit 0
