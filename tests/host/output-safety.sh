#!/bin/bash
# Root's outputs against another user (nobody) who plants links and files
# first: record -o and report --flamegraph never write through them; in a
# sticky directory they are refused, elsewhere replaced. Temporaries are
# never created in a way a planted name could redirect (no O_TRUNC, no
# O_CREAT without O_EXCL outside root's own directories), a 254-character
# name works, FIFOs never hang, trace files are 0600, and --no-kallsyms
# files hold no kernel symbols and trace-cmd still reads them.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd setpriv
need_cmd strace
id nobody >/dev/null 2>&1 || skip "no user nobody"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
fixture=$TOP/tests/fixtures/tracecmd/function_graph.dat	# has calls: --flamegraph works

chmod 755 "$TEST_TMP"
sticky=$TEST_TMP/sticky open=$TEST_TMP/open
mkdir "$sticky" "$open"
chmod 1777 "$sticky"	# like /tmp
chmod 0777 "$open"	# writable by all, not sticky
victim=$TEST_TMP/victim
echo "root's secret" >"$victim"
chmod 600 "$victim"

# Each under timeout: a hang is a failure (exit 124), not a stuck test.
record() { timeout 20 "$SIDETRACE" record -q -e sched:sched_switch "$@" true; }
report_svg() { timeout 20 "$SIDETRACE" report --flamegraph "$1" "$fixture"; }

victim_intact() {
	[ "$(cat "$victim")" = "root's secret" ] || fail "$1: the link's target was written"
}

# A one-line error naming the cause, exit 1. WHAT WANT COMMAND...
expect_refusal() {
	local what=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	[ $rc = 124 ] && fail "$what: hung"
	[ $rc = 1 ] || fail "$what: exit $rc (want 1): $out"
	[ "$(wc -l <<<"$out")" = 1 ] || fail "$what: not one line: $out"
	grep -qF -- "$want" <<<"$out" || fail "$what: '$out' does not say '$want'"
}

# ---- a sticky directory: another user's entries are refused ----
as_nobody ln -s "$victim" "$sticky/link.dat"
expect_refusal "record -o nobody's link" "belongs to another user (uid 65534) in a sticky directory" \
	record -o "$sticky/link.dat"
expect_refusal "--flamegraph nobody's link" "belongs to another user" report_svg "$sticky/link.dat"
victim_intact "sticky link"
[ -L "$sticky/link.dat" ] || fail "nobody's link was replaced in a sticky directory"

as_nobody sh -c "umask 0; echo theirs >'$sticky/planted.dat'"
expect_refusal "record -o nobody's 666 file" "belongs to another user" record -o "$sticky/planted.dat"
[ "$(cat "$sticky/planted.dat")" = theirs ] || fail "nobody's file received root's trace"

# Through nobody's link to a directory: protected_symlinks' rule.
as_nobody ln -s "$TEST_TMP" "$sticky/dirlink"
expect_refusal "record -o through nobody's directory link" "goes through a symbolic link of another user" \
	record -o "$sticky/dirlink/x.dat"
[ -e "$TEST_TMP/x.dat" ] && fail "record wrote through nobody's directory link"

# Our own files there are ours to replace.
record -o "$sticky/mine.dat" || fail "record into a sticky directory failed"
record -o "$sticky/mine.dat" || fail "record over its own file in a sticky directory failed"

# ---- a directory others may write, not sticky: links are replaced, not followed ----
as_nobody ln -s "$victim" "$open/t.dat"
record -o "$open/t.dat" || fail "record over nobody's link failed"
victim_intact "record over a link"
[ -L "$open/t.dat" ] && fail "the link is still there"
[ "$(stat -c '%U %a' "$open/t.dat")" = "root 600" ] ||
	fail "trace file is $(stat -c '%U %a' "$open/t.dat"), not root 600"
"$SIDETRACE" report "$open/t.dat" >/dev/null || fail "the new file does not read"

as_nobody ln -s "$victim" "$open/f.svg"
(umask 022; report_svg "$open/f.svg") || fail "--flamegraph over nobody's link failed"
victim_intact "--flamegraph over a link"
grep -q '<svg' "$open/f.svg" || fail "no SVG written"
[ "$(stat -c %a "$open/f.svg")" = 644 ] || fail "the SVG's mode is not the umask's 644"

# Trace files are 0600 whatever the umask: kernel addresses, everyone's activity.
(umask 0; record -o "$open/umask0.dat") || fail "record with umask 0 failed"
[ "$(stat -c %a "$open/umask0.dat")" = 600 ] || fail "umask 0 gave $(stat -c %a "$open/umask0.dat")"

# ---- no create that a planted name could redirect ----
# Every file record makes outside root's own directories is O_TMPFILE or O_EXCL,
# never truncated; also on a filesystem without O_TMPFILE (tests/progs/no_tmpfile).
check_creates() { # WHAT STRACE_LOG
	local bad
	bad=$(grep -E 'open(at)?\(' "$2" | grep -E 'O_CREAT|O_TRUNC|O_TMPFILE' |
		grep -vE '"(/sys/kernel/tracing|/sys/kernel/debug/tracing|/run/sidetrace|/proc)/' |
		grep -vE 'O_TMPFILE' | grep -vE 'O_CREAT\|O_EXCL\|O_NOFOLLOW' )
	[ -z "$bad" ] || fail "$1: unsafe creates: $bad"
	grep -qE 'O_TMPFILE|O_EXCL' "$2" || fail "$1: strace saw no create at all"
}
strace -f -qq -e trace=open,openat -o "$TEST_TMP/strace.log" \
	"$SIDETRACE" record -q -e sched:sched_switch -o "$open/s.dat" true ||
	fail "record under strace failed"
check_creates "record" "$TEST_TMP/strace.log"
strace -f -qq -e trace=open,openat -o "$TEST_TMP/strace2.log" \
	"$TOP/tests/progs/no_tmpfile" "$SIDETRACE" record -q -e sched:sched_switch -o "$open/s2.dat" true ||
	fail "record without O_TMPFILE failed"
grep -q 'O_TMPFILE.*EOPNOTSUPP' "$TEST_TMP/strace2.log" || fail "no_tmpfile did not refuse O_TMPFILE"
check_creates "record without O_TMPFILE" "$TEST_TMP/strace2.log"
ls -A "$open" | grep -q '^\.sidetrace-' && fail "temporaries left behind: $(ls -A "$open")"

# ---- a 254-character name (NAME_MAX 255: no room for a suffix) ----
long=$(printf 'n%.0s' $(seq 254))
record -o "$open/$long" || fail "a 254-character output name failed"
"$SIDETRACE" report "$open/$long" >/dev/null || fail "the 254-character file does not read"
(cd "$open" && "$TOP/tests/progs/no_tmpfile" "$SIDETRACE" record -q -e sched:sched_switch \
	-o "$long" true) || fail "a 254-character name failed without O_TMPFILE"

# ---- FIFOs never hang ----
mkfifo "$open/fifo"
expect_refusal "record -o FIFO" "needs a seekable file" record -o "$open/fifo"
expect_refusal "--flamegraph FIFO without a reader" "no process is reading the FIFO" report_svg "$open/fifo"
timeout 10 cat "$open/fifo" >"$TEST_TMP/from-fifo" &
reader=$!
for _ in $(seq 50); do [ -e /proc/$reader ] && break; sleep 0.1; done
sleep 0.3	# cat opens the FIFO
timeout 10 "$SIDETRACE" report --flamegraph "$open/fifo" "$fixture" || fail "--flamegraph to a read FIFO failed"
wait $reader
grep -q '</svg>' "$TEST_TMP/from-fifo" || fail "the FIFO's reader got no SVG"
[ -p "$open/fifo" ] || fail "the FIFO was replaced"
"$SIDETRACE" report --flamegraph - "$fixture" | grep -q '</svg>' || fail "--flamegraph - wrote no SVG to stdout"
"$SIDETRACE" report --flamegraph /dev/stdout "$fixture" | grep -q '</svg>' ||
	fail "--flamegraph /dev/stdout wrote no SVG into the pipe"

# ---- --no-kallsyms: no kernel symbols, kptr_restrict and kallsyms untouched ----
strace -f -qq -e trace=open,openat -o "$TEST_TMP/kallsyms.log" \
	"$SIDETRACE" record -q --no-kallsyms -e sched:sched_switch -o "$open/shared.dat" true ||
	fail "record --no-kallsyms failed"
grep -E 'kptr_restrict|/proc/kallsyms|printk_formats' "$TEST_TMP/kallsyms.log" &&
	fail "--no-kallsyms still read kernel addresses"
"$SIDETRACE" dump "$open/shared.dat" | grep -qE '^ *kallsyms +0 bytes' || fail "--no-kallsyms file has kallsyms"
"$SIDETRACE" dump "$open/s.dat" | grep -qE '^ *kallsyms +[1-9]' || fail "a default file has no kallsyms"
grep -q kptr_restrict "$TEST_TMP/strace.log" || fail "a default record did not raise kptr_restrict"
if command -v trace-cmd >/dev/null; then
	trace-cmd report "$open/shared.dat" >"$TEST_TMP/tc.txt" 2>&1 || fail "trace-cmd cannot read a --no-kallsyms file"
	grep -q sched_switch "$TEST_TMP/tc.txt" || fail "trace-cmd shows no events of a --no-kallsyms file"
else
	note "trace-cmd not installed: its reading of --no-kallsyms files is not checked"
fi
exit 0
