#!/bin/bash
# `sidetrace list -f`: traceable functions, or one line on stderr where the kernel refuses
# available_filter_functions (EPERM on our machines), and the other sections carry on.
. "$(dirname "$0")/../lib.sh"
need_tracefs

if cat $T/available_filter_functions >/dev/null 2>&1; then
	out=$("$SIDETRACE" list -f 'vfs_*') || fail "list -f exited $?"
	want=$(grep -E '^vfs_' $T/available_filter_functions)
	assert_same "vfs_* functions" "$want" "$out"
	exit 0
fi

# This kernel refuses: exit 1 (nothing listed), one line naming the file and the reason.
err=$("$SIDETRACE" list -f 2>&1 >"$TEST_TMP/out")
rc=$?
[ $rc -eq 1 ] || fail "list -f exited $rc, expected 1 (nothing listed)"
[ -s "$TEST_TMP/out" ] && fail "list -f printed something: $(head -3 "$TEST_TMP/out")"
[ "$(wc -l <<<"$err")" -eq 1 ] || fail "expected one line on stderr, got: $err"
grep -q 'available_filter_functions' <<<"$err" || fail "the note does not name the file: $err"
grep -q 'not permitted' <<<"$err" || fail "the note does not give the reason: $err"

# With other sections the command carries on and succeeds.
out=$("$SIDETRACE" list -f -t 2>"$TEST_TMP/err") || fail "list -f -t exited $?"
grep -qx '  nop' <<<"$out" || fail "list -f -t lacks the tracers: $out"
[ "$(grep -c available_filter_functions "$TEST_TMP/err")" -eq 1 ] || fail "note missing or repeated"

# No option: every section with its heading, exit 0.
out=$("$SIDETRACE" list 2>"$TEST_TMP/err") || fail "list exited $?"
for h in Tracers Events Options Functions Probes; do
	grep -qx "$h:" <<<"$out" || fail "list lacks the heading $h:"
done
grep -qx '  sched:sched_switch' <<<"$out" || fail "list lacks the events"
exit 0
