#!/bin/bash
# sidetrace reset where no sidetrace left anything: it removes nothing, says
# so, and leaves tracefs as it was; pids that are not sidetrace's leftovers
# (a dead process, a running one with an instance named like ours) are no
# reason to touch anything; a bad pid is a usage error.
. "$(dirname "$0")/../lib.sh"
need_tracefs

live_inst=sidetrace-$$
trap 'rmdir $T/instances/$live_inst 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
true &
dead=$!
wait $dead

before=$(tracefs_fingerprint_static)
out=$("$SIDETRACE" reset "$dead" 2>&1) || fail "reset of a pid without leftovers failed: $out"
[ "$out" = "nothing to reset: no leftovers of a killed sidetrace" ] || fail "reset $dead said: $out"
assert_same "tracefs state after reset $dead" "$before" "$(tracefs_fingerprint_static)"

# A running process's instance is not a leftover, even when asked by pid.
mkdir $T/instances/$live_inst || fail "cannot create $live_inst"
out=$("$SIDETRACE" reset $$ 2>&1) || fail "reset $$ failed: $out"
grep -q "^nothing to reset.*running sidetrace processes are left alone" <<<"$out" || fail "reset $$ said: $out"
[ -d $T/instances/$live_inst ] || fail "reset removed the instance of a running process"

# Every pid the whole machine's dry run names is really gone.
out=$("$SIDETRACE" reset -n 2>&1) || fail "reset -n failed: $out"
for pid in $(sed -n 's/^pid \([0-9]*\) is gone.*/\1/p' <<<"$out"); do
	[ -d /proc/$pid ] && [ "$(cat /proc/$pid/comm 2>/dev/null)" = sidetrace ] &&
		fail "reset -n would undo what running sidetrace $pid made: $out"
done
grep -q "$live_inst\$" <<<"$out" && fail "reset -n names $live_inst: $out"

"$SIDETRACE" reset 12x >/dev/null 2>&1
[ $? = 2 ] || fail "reset 12x is not a usage error"
"$SIDETRACE" reset --bogus >/dev/null 2>&1
[ $? = 2 ] || fail "reset --bogus is not a usage error"
"$SIDETRACE" reset --help | grep -q '^usage: sidetrace reset' || fail "reset --help"
exit 0
