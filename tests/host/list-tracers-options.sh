#!/bin/bash
# `sidetrace list -t` and `-o`: tracers (nop included) and the trace options with their state.
. "$(dirname "$0")/../lib.sh"
need_tracefs

out=$("$SIDETRACE" list -t) || fail "list -t exited $?"
grep -qx nop <<<"$out" || fail "list -t lacks nop: $out"
assert_same "tracers" "$(tr ' ' '\n' < $T/available_tracers | grep . | sort)" "$(sort <<<"$out")"

# Options: one line per file of options/, NAME when on, noNAME when off.
out=$("$SIDETRACE" list -o) || fail "list -o exited $?"
want=$(for f in $T/options/*; do
	n=${f##*/}
	[ "$(cat "$f")" = 1 ] && echo "$n" || echo "no$n"
done | sort)
assert_same "top-level options" "$want" "$(sort <<<"$out")"
grep -qxE '(no)?overwrite' <<<"$out" || fail "list -o lacks overwrite"

# An instance's options, changed from their defaults so the listing must follow.
inst=sidetrace-test-list-$$
mkdir $T/instances/$inst || fail "cannot create instance $inst"
trap 'rmdir $T/instances/$inst 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
echo 1 > $T/instances/$inst/options/record-tgid
echo 0 > $T/instances/$inst/options/overwrite
out=$("$SIDETRACE" list -o -B $inst) || fail "list -o -B exited $?"
grep -qx record-tgid <<<"$out" || fail "instance options lack record-tgid (set on)"
grep -qx nooverwrite <<<"$out" || fail "instance options lack nooverwrite (set off)"
want=$(for f in $T/instances/$inst/options/*; do
	n=${f##*/}
	[ "$(cat "$f")" = 1 ] && echo "$n" || echo "no$n"
done | sort)
assert_same "instance options" "$want" "$(sort <<<"$out")"
out=$("$SIDETRACE" list -t -B $inst | sort) || fail "list -t -B exited $?"
assert_same "instance tracers" "$(tr ' ' '\n' < $T/instances/$inst/available_tracers | grep . | sort)" "$out"

"$SIDETRACE" list -o -B sidetrace-no-such-instance-$$ 2>/dev/null && fail "-B of a missing instance succeeded"
"$SIDETRACE" list -x 2>/dev/null; [ $? -eq 2 ] || fail "an unknown option must exit 2"
exit 0
