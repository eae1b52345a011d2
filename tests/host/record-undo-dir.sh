#!/bin/bash
# Where record keeps its undo list, in a mount namespace of its own so that
# /run and /tmp can be what a minimal system has: with /run read-only and
# without /run/sidetrace, record keeps the list in /tmp/sidetrace-undo (0700)
# and reset finds it there after a SIGKILL; a /run/sidetrace that is a link,
# someone else's, or writable by others is refused by record (nothing changes
# in tracefs, no file) and by reset (a planted list is never replayed).
# A /run that does not exist at all is the VM tier's record-no-run.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd unshare
unshare -m --propagation private true 2>/dev/null || skip "cannot make a mount namespace"
[ -d /mnt ] || skip "no /mnt to keep the binary reachable under a new /tmp"

before=$(tracefs_fingerprint_static)

# Runs bash code in a new mount namespace with fresh tmpfs on /tmp and /run
# (mount options for /run in $1), so the machine's own stay untouched.
in_namespace() { # RUN_MOUNT_OPTIONS CODE
	SIDETRACE=$SIDETRACE T=$T unshare -m --propagation private bash -c '
		set -u
		fail() { echo "FAIL: $*"; exit 1; }
		# The binary may be under /tmp (a CI clone): it stays reachable at /mnt.
		mount --bind "${SIDETRACE%/*}" /mnt || fail "cannot bind ${SIDETRACE%/*} on /mnt"
		SIDETRACE=/mnt/${SIDETRACE##*/}
		mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "cannot mount a tmpfs on /tmp"
		mount -t tmpfs -o "$1" tmpfs /run || fail "cannot mount a tmpfs on /run"
		cd /tmp || exit 1
		'"$2" bash "$1" 2>>"$TEST_TMP/namespace.err"
}

# 1. /run read-only: the list goes to /tmp/sidetrace-undo; a normal end removes it.
out=$(in_namespace ro,mode=755 '
	"$SIDETRACE" record -e sched:sched_switch -o a.dat \
		sh -c "stat -c \"%a %u %F\" /tmp/sidetrace-undo; ls /tmp/sidetrace-undo" >during 2>err ||
		fail "record with a read-only /run failed: $(cat err)"
	[ "$(head -n 1 during)" = "700 0 directory" ] ||
		fail "/tmp/sidetrace-undo is not a 0700 directory of root: $(head -n 1 during)"
	grep -qx "record-[0-9]*\.undo" during || fail "no undo list in /tmp/sidetrace-undo: $(cat during)"
	[ -z "$(ls /tmp/sidetrace-undo)" ] || fail "the undo list is left: $(ls /tmp/sidetrace-undo)"
	"$SIDETRACE" report -i a.dat >/dev/null || fail "report cannot read a.dat"
	echo ok')
[ "$out" = ok ] || fail "read-only /run: $out $(tail -n 3 "$TEST_TMP/namespace.err")"

# 2. The same after SIGKILL: reset replays the list from /tmp/sidetrace-undo.
out=$(in_namespace ro,mode=755 '
	"$SIDETRACE" record -e sched:sched_switch -o k.dat sleep 30 2>err &
	rec=$!
	for i in $(seq 100); do
		[ -d "$T/instances/sidetrace-$rec" ] && [ -e /tmp/sidetrace-undo/record-$rec.undo ] &&
			[ -n "$(pgrep -x -P $rec sleep)" ] && break
		sleep 0.05
	done
	child=$(pgrep -x -P $rec sleep)
	kill -KILL $rec
	wait $rec 2>/dev/null
	kill -KILL $child 2>/dev/null
	[ -e /tmp/sidetrace-undo/record-$rec.undo ] || fail "the killed record left no list in /tmp/sidetrace-undo"
	"$SIDETRACE" reset $rec >reset.out 2>&1 || fail "reset failed: $(cat reset.out)"
	grep -q "replayed its undo list /tmp/sidetrace-undo/record-$rec.undo" reset.out ||
		fail "reset did not replay the list in /tmp/sidetrace-undo: $(cat reset.out)"
	[ -d "$T/instances/sidetrace-$rec" ] && fail "reset left the instance sidetrace-$rec"
	[ -e /tmp/sidetrace-undo/record-$rec.undo ] && fail "reset left the list"
	echo ok')
[ "$out" = ok ] || fail "SIGKILL with a read-only /run: $out $(tail -n 3 "$TEST_TMP/namespace.err")"
assert_same "tracefs state after the read-only /run cases" "$before" "$(tracefs_fingerprint_static)"

# 3. A /run/sidetrace that is not private: record refuses it before any change.
refused() { # WHAT SETUP EXPECTED_REASON
	local out
	out=$(in_namespace mode=755 "$2"'
		"$SIDETRACE" record -e sched:sched_switch -o r.dat true 2>err &
		wait $!
		rc=$?
		[ $rc = 1 ] || fail "record exited $rc, not 1: $(cat err)"
		[ -e r.dat ] && fail "record left r.dat"
		[ -d $T/instances/sidetrace-$! ] && fail "record left its instance"
		cat err')
	case $out in
	"sidetrace record: refusing /run/sidetrace: $3; it must be a directory that only uid 0 can write") ;;
	*) fail "$1: $out" ;;
	esac
}
refused "a world-writable /run/sidetrace" 'mkdir -m 777 /run/sidetrace' "others can write it (mode 0777)"
refused "a /run/sidetrace of another user" 'mkdir -m 700 /run/sidetrace; chown 65534 /run/sidetrace' \
	"it belongs to uid 65534"
refused "a /run/sidetrace link" 'mkdir /tmp/elsewhere; ln -s /tmp/elsewhere /run/sidetrace' \
	"it is a symbolic link"
assert_same "tracefs state after the refusals" "$before" "$(tracefs_fingerprint_static)"

# 4. reset never replays a list another user could have planted.
out=$(in_namespace mode=755 '
	echo safe >victim
	mkdir -m 777 /run/sidetrace
	printf "sidetrace-undo 1\nwrite /tmp/victim pwned\n" >/run/sidetrace/record-999999999.undo
	"$SIDETRACE" reset 999999999 >reset.out 2>&1 && fail "reset exited 0 with a world-writable /run/sidetrace"
	grep -qx "sidetrace reset: refusing /run/sidetrace: others can write it (mode 0777); it must be a directory that only uid 0 can write; its undo lists are not replayed" reset.out ||
		fail "reset did not say why: $(cat reset.out)"
	[ "$(cat victim)" = safe ] || fail "reset replayed a planted list: victim is $(cat victim)"
	echo ok')
[ "$out" = ok ] || fail "reset with a world-writable /run/sidetrace: $out $(tail -n 3 "$TEST_TMP/namespace.err")"
exit 0
