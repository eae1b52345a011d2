#!/bin/bash
# report's colour: escape codes only with --color=always or on a terminal (a
# pseudo-terminal from script(1)); none with NO_COLOR, --no-color, TERM=dumb
# or on a pipe, where the bytes are exactly those of --color=never. Taking the
# codes out of coloured output gives the plain output back.
. "$(dirname "$0")/../lib.sh"
need_cmd script
f=$TOP/tests/fixtures/sched-v7-zstd.dat
[ -r "$f" ] || skip "no fixture $f"
esc=$'\033'

strip() { sed "s/$esc\[[0-9;]*m//g; s/\r\$//"; }
on_pty() { # [VAR=VALUE...] -- REPORT-ARGS... (NO_COLOR unset unless given)
	local envs=() cmd
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	printf -v cmd '%q ' "$SIDETRACE" report "$@"
	env -u NO_COLOR TERM=xterm "${envs[@]}" script -qec "$cmd" /dev/null </dev/null
}

"$SIDETRACE" report --color=never "$f" >"$TEST_TMP/never" || fail "report --color=never failed"
grep -q "$esc" "$TEST_TMP/never" && fail "--color=never wrote escape codes"
[ "$(wc -l <"$TEST_TMP/never")" -gt 100 ] || fail "the fixture printed too little"

# A pipe: auto is off, byte for byte.
env -u NO_COLOR TERM=xterm "$SIDETRACE" report "$f" | cat >"$TEST_TMP/pipe"
cmp -s "$TEST_TMP/pipe" "$TEST_TMP/never" || fail "report on a pipe differs from --color=never"
"$SIDETRACE" report --no-color "$f" | cmp -s - "$TEST_TMP/never" || fail "--no-color differs from --color=never"

# --color=always on a pipe: codes, and nothing else changed.
NO_COLOR=1 "$SIDETRACE" report --color=always "$f" >"$TEST_TMP/always" || fail "--color=always failed"
grep -q "$esc\[[0-9;]*m[a-z_]*$esc\[0m: " "$TEST_TMP/always" || fail "--color=always: no coloured event name"
strip <"$TEST_TMP/always" | cmp -s - "$TEST_TMP/never" || fail "--color=always changed more than colours"

# A terminal: colour by default, none with NO_COLOR, --no-color or TERM=dumb.
on_pty -- "$f" >"$TEST_TMP/pty" || fail "report on a pty failed"
grep -q "$esc\[[0-9;]*m" "$TEST_TMP/pty" || fail "no colour on a terminal"
strip <"$TEST_TMP/pty" | cmp -s - "$TEST_TMP/never" || fail "colour on a terminal changed more than colours"
on_pty NO_COLOR=1 -- "$f" | grep -q "$esc" && fail "NO_COLOR: escape codes on a terminal"
on_pty -- --no-color "$f" | grep -q "$esc" && fail "--no-color: escape codes on a terminal"
on_pty TERM=dumb -- "$f" | grep -q "$esc" && fail "TERM=dumb: escape codes on a terminal"
on_pty NO_COLOR=1 -- --color=always "$f" | grep -q "$esc" || fail "--color=always lost to NO_COLOR"

"$SIDETRACE" report --color=sometimes "$f" >/dev/null 2>"$TEST_TMP/err"
[ $? = 2 ] || fail "--color=sometimes is not a usage error"
grep -q "auto, always or never" "$TEST_TMP/err" || fail "--color=sometimes: $(cat "$TEST_TMP/err")"
exit 0
