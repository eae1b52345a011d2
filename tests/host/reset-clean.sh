#!/bin/bash
# sidetrace reset where no sidetrace left anything: it removes nothing, says
# so, and leaves tracefs as it was; pids that are not sidetrace's leftovers
# (a dead process, a running one with an instance named like ours) are no
# reason to touch anything; a bad pid is a usage error.
. "$(dirname "$0")/../lib.sh"
need_tracefs

live_inst=sidetrace-$$
list= reused=
trap 'rmdir $T/instances/$live_inst 2>/dev/null; [ -n "$reused" ] && kill $reused 2>/dev/null
	[ -n "$list" ] && rm -f "$list"; rm -rf "$TEST_TMP"' EXIT
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

# A pid reused by a process that started after the leftover was made: the
# owner is gone. The same list made after that process started: left alone.
sleep 30 &
reused=$!
list=/run/sidetrace/resettest-$reused.undo
mkdir -p /run/sidetrace
printf 'sidetrace-undo 1\nwrite %s 1\n' "$TEST_TMP/flag" >"$list"
echo 0 >"$TEST_TMP/flag"
touch -d '1 hour ago' "$list"
out=$("$SIDETRACE" reset -n "$reused" 2>&1)
grep -q "^pid $reused is gone; would replay its undo list $list" <<<"$out" || fail "reused pid: $out"
touch "$list"
out=$("$SIDETRACE" reset -n "$reused" 2>&1)
grep -q "^nothing to reset" <<<"$out" || fail "a list newer than its running process: $out"
touch -d '1 hour ago' "$list"
out=$("$SIDETRACE" reset "$reused" 2>&1) || fail "reset of the reused pid's list failed: $out"
grep -q "restored $TEST_TMP/flag to '1'" <<<"$out" || fail "reset did not say what it restored: $out"
[ "$(cat "$TEST_TMP/flag")" = 1 ] || fail "the list was not replayed"
[ -e "$list" ] && fail "the replayed list was not deleted"
kill $reused
reused=

"$SIDETRACE" reset 12x >/dev/null 2>&1
[ $? = 2 ] || fail "reset 12x is not a usage error"
"$SIDETRACE" reset --bogus >/dev/null 2>&1
[ $? = 2 ] || fail "reset --bogus is not a usage error"
"$SIDETRACE" reset --help | grep -q '^usage: sidetrace reset' || fail "reset --help"
exit 0
