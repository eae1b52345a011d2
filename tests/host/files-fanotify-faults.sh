#!/bin/bash
# The fanotify backend of record --files when things go wrong:
#   - a queue overflow is reported as lost events, at record time and by
#     report --files (never silently): sidetrace is stopped (SIGSTOP, by the
#     workload itself) while the workload opens 20000 distinct files, more than
#     the kernel queues for a group (16384 by default), then continued;
#   - SIGINT and SIGTERM end the recording with a complete trace.dat whose
#     file set report --files and trace-cmd report both read;
#   - SIGKILL leaves no fanotify group behind (it dies with its descriptor),
#     nor does the workload inherit one; reset removes the instance, as for
#     the other backends (files-killed.sh).
. "$(dirname "$0")/../lib.sh"
need_tracefs
cd "$TEST_TMP" || fail "no temp dir"
"$SIDETRACE" record -q --files=fanotify -o probe.dat true >/dev/null 2>probe.err ||
	skip "$(sed 's/^sidetrace record: //' probe.err)"

# Descriptors of fanotify groups held by any process but pid $1 (if given).
fanotify_fds() {
	find /proc/[0-9]*/fd -lname 'anon_inode:\[fanotify\]' 2>/dev/null | grep -v "^/proc/${1:-x}/" | wc -l
}

# --- overflow ---
max=$(cat /proc/sys/fs/fanotify/max_queued_events 2>/dev/null || echo 16384)
n=$((max + 4000))
mkdir flood && (cd flood && for ((i = 0; i < n; i++)); do : >f$i; done) || fail "cannot create $n files"
"$SIDETRACE" record -q --files=fanotify -o flood.dat sh -c \
	'kill -STOP $PPID; for f in flood/*; do : <"$f"; done; kill -CONT $PPID' >/dev/null 2>flood.err ||
	fail "record (flood) failed: $(tail -1 flood.err)"
grep -q 'fanotify queue overflowed' flood.err || fail "record did not report the overflow: $(cat flood.err)"
"$SIDETRACE" report --files flood.dat >flood.list 2>flood.report || fail "report (flood) failed"
grep -q 'fanotify queue overflowed.*INCOMPLETE' flood.report ||
	fail "report --files did not report the overflow: $(cat flood.report)"
"$SIDETRACE" report --files --format=json flood.dat 2>/dev/null |
	python3 -c 'import json,sys; m=json.load(sys.stdin); assert m["incomplete"] and m["fanotify_overflows"] >= 1, m' ||
	fail "the JSON does not say the set is incomplete"
seen=$(grep -c "^$TEST_TMP/flood/" flood.list)
[ "$seen" -lt "$n" ] || fail "all $n files are listed: there was no overflow to report"
note "flood: $n opens, $seen listed, overflow reported"

# --- SIGINT, SIGTERM: a complete file ---
for sig in INT TERM; do
	"$SIDETRACE" record -q --files=combined -o $sig.dat sh -c 'cat /etc/hostname >/dev/null; exec sleep 30' \
		>/dev/null 2>$sig.err &
	rec=$!
	for _ in $(seq 100); do
		pgrep -P $rec -x sleep >/dev/null && break
		sleep 0.1
	done
	pgrep -P $rec -x sleep >/dev/null || { kill -9 $rec; fail "SIG$sig: the workload never ran"; }
	kill -$sig $rec
	wait $rec
	"$SIDETRACE" report --files $sig.dat >$sig.list 2>$sig.report ||
		fail "SIG$sig: report --files failed: $(tail -1 $sig.report)"
	grep -qx /etc/hostname $sig.list || fail "SIG$sig: /etc/hostname is not in the list"
	grep -q 'sleep$' $sig.list || fail "SIG$sig: the exec'd sleep is not in the list"
	if command -v trace-cmd >/dev/null; then
		trace-cmd report $sig.dat >$sig.tc 2>&1 || fail "SIG$sig: trace-cmd report failed: $(tail -1 $sig.tc)"
	fi
done

# --- SIGKILL ---
before=$(fanotify_fds)
"$SIDETRACE" record -q --files=fanotify -o k.dat sleep 30 >/dev/null 2>&1 &
rec=$!
for _ in $(seq 100); do
	[ "$(fanotify_fds)" -gt "$before" ] && pgrep -P $rec >/dev/null && break
	sleep 0.1
done
[ "$(fanotify_fds)" -gt "$before" ] || { kill -9 $rec; fail "record made no fanotify group in 10 s"; }
workload=$(pgrep -P $rec)
[ -n "$workload" ] && find /proc/$workload/fd -lname 'anon_inode:\[fanotify\]' | grep -q . &&
	{ kill -9 $rec; fail "the workload inherited the fanotify group"; }
{ kill -9 $rec && wait $rec; } 2>/dev/null
[ -n "$workload" ] && kill $workload 2>/dev/null
[ "$(fanotify_fds)" = "$before" ] || fail "a fanotify group outlived record (SIGKILL)"
[ -d $T/instances/sidetrace-$rec ] || fail "the instance vanished without reset (was record really killed?)"
"$SIDETRACE" reset >reset.out 2>&1 || fail "reset failed: $(cat reset.out)"
[ -d $T/instances/sidetrace-$rec ] && fail "reset left the instance sidetrace-$rec"
exit 0
