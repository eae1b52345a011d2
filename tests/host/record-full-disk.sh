#!/bin/bash
# record on a full filesystem (a small tmpfs): the existing output is kept
# byte for byte, the one error names the -o path and the cause (the write,
# not trace_pipe_raw), the recording stops at once and so does the workload,
# tracefs is restored, nothing is left on the filesystem, the exit status is 1.
# Twice: full while recording, and full while the file is written at the end.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/events/syscalls/sys_enter_read ] || skip "no syscalls:sys_enter_read event"
mnt=$TEST_TMP/mnt
mkdir "$mnt"
mount -t tmpfs -o size=512k tmpfs "$mnt" || skip "cannot mount a tmpfs"
trap 'umount "$mnt" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT

head -c 20000 /dev/urandom >"$mnt/t.dat"
sum=$(md5sum <"$mnt/t.dat")
before=$(tracefs_fingerprint_static)

check_failure() { # WHAT RC ERRFILE PID
	local what=$1 rc=$2 err=$3 pid=$4
	[ "$rc" = 1 ] || fail "$what: exit $rc, want 1: $(cat "$err")"
	grep -qx "sidetrace record: writing $mnt/t.dat: No space left on device" "$err" ||
		fail "$what: the error does not name the output and the cause: $(cat "$err")"
	[ "$(grep -c '^sidetrace' "$err")" = 1 ] || fail "$what: more than one message: $(cat "$err")"
	[ "$(md5sum <"$mnt/t.dat")" = "$sum" ] || fail "$what: the existing output was changed"
	[ "$(ls -A "$mnt")" = t.dat ] || fail "$what: left behind: $(ls -A "$mnt")"
	[ "$(df --output=used -k "$mnt" | tail -n 1 | tr -d ' ')" -lt 64 ] ||
		fail "$what: the filesystem is still full (an open or unnamed file?)"
	[ -d $T/instances/sidetrace-$pid ] && fail "$what: the instance is still there"
	assert_same "$what: tracefs state" "$before" "$(tracefs_fingerprint_static)"
}

# Full while recording: 1-byte reads, an event each, for minutes were it not stopped.
start=$(date +%s)
timeout 120 "$SIDETRACE" record -q -e syscalls:sys_enter_read -o "$mnt/t.dat" \
	dd if=/dev/zero of=/dev/null bs=1 count=200M 2>"$TEST_TMP/err1" &
pid=$!
wait $pid
rc=$?
elapsed=$(($(date +%s) - start))
grep -v 'records in\|records out\|bytes.*copied' "$TEST_TMP/err1" >"$TEST_TMP/err1.own"	# dd's SIGINT report
check_failure "full while recording" $rc "$TEST_TMP/err1.own" $pid
[ $elapsed -lt 30 ] || fail "the recording went on for ${elapsed}s after the disk was full"
grep -q 'records in' "$TEST_TMP/err1" || fail "the workload was not stopped (no dd report on SIGINT)"
pgrep -f 'count=200M' >/dev/null && fail "the workload still runs"

# Full while writing the file: the ring buffer data fits, the kernel symbols do not.
"$SIDETRACE" record -q -e sched:sched_switch -o "$mnt/t.dat" true 2>"$TEST_TMP/err2" &
pid=$!
wait $pid
check_failure "full while writing the file" $? "$TEST_TMP/err2" $pid
exit 0
