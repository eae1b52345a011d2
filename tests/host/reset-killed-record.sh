#!/bin/bash
# sidetrace reset after a record killed with SIGKILL mid-record: tracefs
# returns to its state from before the record (its instance, the settings in
# it, its temporary probe go), while what others made in the meantime stays:
# a uprobe written straight into uprobe_events, and the instance of a running
# process named like sidetrace's.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -w $T/uprobe_events ] || skip "no uprobe_events"
target=$(readlink -f /bin/true)

foreign=sidetest_reset$$
live_inst=sidetrace-$$		# this shell runs: its "sidetrace" instance must stay
REC=
cleanup() {
	[ -n "$REC" ] && kill -KILL "$REC" 2>/dev/null
	echo "-:$foreign/keep" >>$T/uprobe_events 2>/dev/null
	[ -n "$REC" ] && echo "-:sidetrace_$REC/tmp" >>$T/uprobe_events 2>/dev/null
	rmdir $T/instances/$live_inst 2>/dev/null
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT

before=$(tracefs_fingerprint_static)

"$SIDETRACE" record -e sched -e syscalls:sys_enter_openat -f 'flags > 0' -o "$TEST_TMP/k.dat" \
	sleep 30 2>"$TEST_TMP/rec.err" &
REC=$!
for _ in $(seq 100); do
	[ -d $T/instances/sidetrace-$REC ] && [ "$(cat $T/instances/sidetrace-$REC/tracing_on)" = 1 ] && break
	sleep 0.05
done
[ -d $T/instances/sidetrace-$REC ] || fail "record made no instance: $(cat "$TEST_TMP/rec.err")"
# A temporary probe of that record (group sidetrace_PID, as record's probes are named).
echo "p:sidetrace_$REC/tmp $target:0x1000" >>$T/uprobe_events || fail "cannot add the record's probe"
sleep 0.3
child=$(pgrep -x -P "$REC" sleep)
kill -KILL "$REC"
wait "$REC" 2>/dev/null
[ -n "$child" ] && kill -KILL "$child" 2>/dev/null
[ -s /run/sidetrace/record-$REC.undo ] || fail "the killed record left no undo list"

# Others' things, made after the kill.
echo "p:$foreign/keep $target:0x1000" >>$T/uprobe_events || fail "cannot add the foreign uprobe"
mkdir $T/instances/$live_inst || fail "cannot create $live_inst"

# --dry-run says everything and changes nothing.
"$SIDETRACE" reset -n "$REC" >"$TEST_TMP/dry" 2>&1 || fail "reset -n failed: $(cat "$TEST_TMP/dry")"
grep -q "would remove instance sidetrace-$REC" "$TEST_TMP/dry" || fail "reset -n: $(cat "$TEST_TMP/dry")"
grep -q "would remove its probe sidetrace_$REC:tmp" "$TEST_TMP/dry" || fail "reset -n: $(cat "$TEST_TMP/dry")"
[ "$(grep -c "sidetrace-$REC" "$TEST_TMP/dry")" = 1 ] || fail "reset -n names the instance twice: $(cat "$TEST_TMP/dry")"
[ -d $T/instances/sidetrace-$REC ] || fail "reset -n removed the instance"
[ -e /run/sidetrace/record-$REC.undo ] || fail "reset -n removed the undo list"

# The whole machine's dry run names neither this shell's instance nor the foreign probe.
"$SIDETRACE" reset -n >"$TEST_TMP/dry-all" 2>&1 || fail "reset -n (all) failed: $(cat "$TEST_TMP/dry-all")"
grep -q -e "$live_inst\$" -e "$foreign" "$TEST_TMP/dry-all" && fail "reset -n would touch others': $(cat "$TEST_TMP/dry-all")"

"$SIDETRACE" reset "$REC" >"$TEST_TMP/out" 2>&1 || fail "reset failed: $(cat "$TEST_TMP/out")"
cat "$TEST_TMP/out" >&2
grep -q "replayed its undo list /run/sidetrace/record-$REC.undo" "$TEST_TMP/out" || fail "reset did not say it replayed the list"
grep -q "removed instance sidetrace-$REC" "$TEST_TMP/out" || fail "reset did not say it removed the instance"
grep -q "removed its probe sidetrace_$REC:tmp" "$TEST_TMP/out" || fail "reset did not say it removed the probe"

[ -d $T/instances/sidetrace-$REC ] && fail "the instance is still there"
[ -e /run/sidetrace/record-$REC.undo ] && fail "the undo list is still there"
grep -q "sidetrace_$REC/tmp" $T/uprobe_events && fail "the record's temporary probe is still there"
grep -q "$foreign/keep" $T/uprobe_events || fail "reset removed a probe it did not own"
[ -d $T/instances/$live_inst ] || fail "reset removed the instance of a running process"
assert_same "tracefs state after reset" "$before" "$(tracefs_fingerprint_static)"

# Once done, there is nothing left to do.
out=$("$SIDETRACE" reset "$REC" 2>&1) || fail "second reset failed: $out"
grep -q "^nothing to reset" <<<"$out" || fail "second reset: $out"
REC=
exit 0
