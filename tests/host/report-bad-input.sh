#!/bin/bash
# Bad input: a missing file, a text file, an empty file, a directory and
# truncated trace.dat files must each give one line on stderr, a non-zero exit
# status and no crash.
. "$(dirname "$0")/../lib.sh"

expect_error() { # WHAT FILE
	local rc
	"$SIDETRACE" report -i "$2" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	rc=$?
	[ $rc -ne 0 ] || fail "$1: exit status 0"
	[ $rc -lt 128 ] || fail "$1: killed by signal $((rc - 128))"
	[ "$(wc -l <"$TEST_TMP/err")" -eq 1 ] || fail "$1: not one line on stderr: $(cat "$TEST_TMP/err")"
	grep -q '^sidetrace report: ' "$TEST_TMP/err" || fail "$1: unexpected message: $(cat "$TEST_TMP/err")"
}

expect_error "missing file" "$TEST_TMP/nonexistent.dat"
echo "hello, this is not a trace" >"$TEST_TMP/text.dat"
expect_error "text file" "$TEST_TMP/text.dat"
: >"$TEST_TMP/empty.dat"
expect_error "empty file" "$TEST_TMP/empty.dat"
expect_error "directory" "$TEST_TMP"
printf '\027\010\104tracing7\0' >"$TEST_TMP/header-only.dat"
expect_error "bare header" "$TEST_TMP/header-only.dat"

# Default input is ./trace.dat
(cd "$TEST_TMP" && "$SIDETRACE" report >/dev/null 2>"$TEST_TMP/err") && fail "report with no trace.dat succeeded"
grep -q 'trace.dat' "$TEST_TMP/err" || fail "the message does not name trace.dat: $(cat "$TEST_TMP/err")"

# Bad command lines exit 2.
"$SIDETRACE" report --cpu 3-1 -i x 2>/dev/null
[ $? -eq 2 ] || fail "--cpu 3-1 is not a usage error"
"$SIDETRACE" report --no-such-option 2>/dev/null
[ $? -eq 2 ] || fail "an unknown option is not a usage error"

# Truncated copies of real files: cut inside the metadata, the options and, in
# v6 where the CPU data comes last, inside the data.
need_tracefs
for version in 6 7; do
	src=$TEST_TMP/full$version.dat
	"$SIDETRACE" record -q --file-version $version -e sched:sched_process_exec \
		-e syscalls:sys_enter_openat -o "$src" ls / >/dev/null 2>"$TEST_TMP/err" ||
		skip "sidetrace record failed: $(cat "$TEST_TMP/err")"
	size=$(stat -c %s "$src")
	"$SIDETRACE" report -i "$src" >/dev/null || fail "the untruncated v$version file does not report"
	cuts="20 100 1000 $((size / 2))"
	[ $version = 6 ] && cuts="$cuts $((size - 4000)) $((size - 100)) $((size - 1))"
	for cut in $cuts; do
		head -c $cut "$src" >"$TEST_TMP/cut.dat"
		"$SIDETRACE" report -i "$TEST_TMP/cut.dat" >/dev/null 2>"$TEST_TMP/err"
		rc=$?
		what="v$version truncated at $cut of $size"
		[ $rc -lt 128 ] || fail "$what: killed by signal $((rc - 128))"
		[ $rc -ne 0 ] || fail "$what: exit status 0"
		[ "$(wc -l <"$TEST_TMP/err")" -eq 1 ] || fail "$what: not one line: $(cat "$TEST_TMP/err")"
	done
done
exit 0
