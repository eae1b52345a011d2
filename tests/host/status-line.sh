#!/bin/bash
# record's live status: on a terminal (a pseudo-terminal from script(1)) one
# line redrawn with "\r" a few times a second (elapsed, events/s, MB, lost per
# CPU), erased before the final table; on a pipe, and with -q, no status bytes.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd script

cr=$'\r' esc=$'\033'
line_re="${cr}[0-9.]+s  [0-9.]+[kM]? events/s  [0-9.]+ MB  (lost|LOST)/CPU( [0-9]+)+${esc}\[K"

# Under a pseudo-terminal: stdin from /dev/null (script forwards it), the
# terminal's output (stdout and stderr of record) lands in the file.
on_pty() { # OUTPUT-FILE RECORD-ARGS...
	local out=$1 cmd
	shift
	printf -v cmd '%q ' "$SIDETRACE" record "$@"
	TERM=xterm script -qfec "$cmd" /dev/null </dev/null >"$out"
}

on_pty "$TEST_TMP/pty.out" -e sched -o "$TEST_TMP/a.dat" sleep 1.3 || fail "record under a pty failed: $(cat -v "$TEST_TMP/pty.out")"
draws=$(grep -aEo "$line_re" "$TEST_TMP/pty.out" | wc -l)
[ "$draws" -ge 3 ] || fail "the status line was drawn $draws times in 1.3 s: $(cat -v "$TEST_TMP/pty.out")"
grep -aq "${cr}${esc}\[KCPU  *events  *bytes  *lost" "$TEST_TMP/pty.out" ||
	fail "the line is not erased before the summary table: $(cat -v "$TEST_TMP/pty.out")"
for row in '  0' '  1' 'all'; do
	[ "$row" = '  1' ] && [ "$(nproc)" -lt 2 ] && continue
	grep -aEq "^$row +[0-9]+ +[0-9]+ +[0-9]+${cr}?\$" "$TEST_TMP/pty.out" ||
		fail "summary table has no '$row' row: $(cat -v "$TEST_TMP/pty.out")"
done
# The elapsed time grows from one draw to the next.
first=$(grep -aEo "$line_re" "$TEST_TMP/pty.out" | head -1 | sed "s/^$cr//; s/s .*//")
last=$(grep -aEo "$line_re" "$TEST_TMP/pty.out" | tail -1 | sed "s/^$cr//; s/s .*//")
awk -v a="$first" -v b="$last" 'BEGIN { exit !(b > a && b >= 1.0) }' ||
	fail "elapsed time did not advance: first $first, last $last"
# No colour while nothing is lost (a 1.3 s sched trace loses nothing).
if grep -aq 'LOST' "$TEST_TMP/pty.out"; then
	note "events were lost, colour is expected"
else
	grep -aq "${esc}\[1;31m" "$TEST_TMP/pty.out" && fail "colour without losses"
fi

# -q on a terminal: neither the line nor the table.
on_pty "$TEST_TMP/quiet.out" -q -e sched -o "$TEST_TMP/b.dat" sleep 0.6 || fail "record -q under a pty failed"
if grep -aEq "events/s|CPU  *events|${esc}" "$TEST_TMP/quiet.out"; then
	fail "record -q printed status: $(cat -v "$TEST_TMP/quiet.out")"
fi

# stderr on a pipe: the table, but not one status byte.
"$SIDETRACE" record -e sched -o "$TEST_TMP/c.dat" sleep 0.6 2>&1 | cat >"$TEST_TMP/pipe.out"
grep -q '^all ' "$TEST_TMP/pipe.out" || fail "no summary table on a pipe: $(cat -v "$TEST_TMP/pipe.out")"
if grep -aq -e "$cr" -e "$esc" -e 'events/s' "$TEST_TMP/pipe.out"; then
	fail "status bytes on a pipe: $(cat -v "$TEST_TMP/pipe.out")"
fi

# Lost events turn the lost part red at once: a tiny buffer under a syscall storm.
make -s -C "$TOP" tests/progs/syscall_storm >/dev/null 2>&1 || skip "cannot build syscall_storm"
on_pty "$TEST_TMP/lost.out" -b 8 -e raw_syscalls -o "$TEST_TMP/d.dat" "$TOP/tests/progs/syscall_storm" 2 ||
	fail "record of a syscall storm failed: $(tail -c 2000 "$TEST_TMP/lost.out" | cat -v)"
if grep -aEq '^all +[0-9]+ +[0-9]+ +[1-9][0-9]*' "$TEST_TMP/lost.out"; then
	grep -aq "${esc}\[1;31mLOST/CPU" "$TEST_TMP/lost.out" ||
		fail "events were lost but the status line did not show it: $(tail -c 2000 "$TEST_TMP/lost.out" | cat -v)"
	NO_COLOR=1 on_pty "$TEST_TMP/nocolor.out" -b 8 -e raw_syscalls -o "$TEST_TMP/e.dat" \
		"$TOP/tests/progs/syscall_storm" 2 || fail "record with NO_COLOR failed"
	grep -aq "$esc\[1;31m" "$TEST_TMP/nocolor.out" && fail "NO_COLOR: the status line has colour"
	grep -aq " LOST/CPU" "$TEST_TMP/nocolor.out" || note "NO_COLOR run lost nothing"
else
	note "the storm lost no events here; the lost colouring is not checked"
fi
exit 0
