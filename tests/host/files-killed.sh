#!/bin/bash
# A record --files killed with SIGKILL leaves its probes behind; the persisted
# undo list holds their removal ("append .../uprobe_events -:GROUP/EVENT"), and
# `sidetrace reset` replays it: the probes and the instance are gone.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/uprobe_events ] || [ -e $T/kprobe_events ] || skip "no uprobe or kprobe events"

"$SIDETRACE" record -q --files -o "$TEST_TMP/k.dat" sleep 30 >/dev/null 2>&1 &
rec=$!
group=sidetrace_files_$rec
probes() { cat $T/uprobe_events $T/kprobe_events 2>/dev/null | grep -c "$group/"; }
for _ in $(seq 100); do
	[ "$(probes)" -gt 0 ] && [ -n "$(pgrep -P $rec)" ] && break
	sleep 0.1
done
[ "$(probes)" -gt 0 ] || { kill $rec; fail "record --files created no probes in 10 s"; }
sleep 0.5	# the events are enabled and the workload runs
workload=$(pgrep -P $rec)
grep -q "^append .*-:$group/" /run/sidetrace/record-$rec.undo ||
	{ kill $rec; fail "the undo list does not hold the probes' removal"; }
{ kill -9 $rec && wait $rec; } 2>/dev/null
[ -n "$workload" ] && kill $workload 2>/dev/null
[ "$(probes)" -gt 0 ] || fail "the probes vanished without reset (was record really killed?)"
"$SIDETRACE" reset >"$TEST_TMP/reset.out" 2>&1 || fail "reset failed: $(tail -1 "$TEST_TMP/reset.out")"
[ "$(probes)" = 0 ] || fail "reset left $(probes) probes of $group"
[ -d $T/instances/sidetrace-$rec ] && fail "reset left the instance sidetrace-$rec"
exit 0
