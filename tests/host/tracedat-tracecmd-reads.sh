#!/bin/bash
# trace-cmd 3.1.6 (the reference reader) accepts the files our trace.dat writer
# produces: v6, v7 and v7+zstd. The synthetic trace comes from the trace.dat
# unit test's hidden --write mode, which also prints the expected order of the
# records' "value" fields. No tracefs access.
. "$(dirname "$0")/../lib.sh"
need_cmd trace-cmd

writer=$TOP/tests/unit/test_tracedat
[ -x "$writer" ] || make -C "$TOP" -s tests/unit/test_tracedat >&2 || fail "cannot build $writer"

for variant in "6 none" "7 none" "7 zstd"; do
	set -- $variant
	f=$TEST_TMP/syn$1$2.dat
	"$writer" --write "$1" "$2" "$f" >"$TEST_TMP/expected" || fail "writing v$1 $2 failed"
	[ -s "$TEST_TMP/expected" ] || fail "no expected records for v$1 $2"

	trace-cmd dump -v -i "$f" >"$TEST_TMP/dump" 2>&1 || fail "trace-cmd dump -v failed on v$1 $2"
	grep -q "is a valid trace-cmd file" "$TEST_TMP/dump" || {
		cat "$TEST_TMP/dump" >&2
		fail "trace-cmd dump -v does not call v$1 $2 valid"
	}

	trace-cmd report -i "$f" >"$TEST_TMP/report" 2>"$TEST_TMP/report.err" ||
		fail "trace-cmd report failed on v$1 $2: $(head -n 3 "$TEST_TMP/report.err")"
	[ "$(head -n 1 "$TEST_TMP/report")" = "cpus=3" ] || fail "v$1 $2: first line is not cpus=3"
	# Exact lines: comm from saved_cmdlines, CPU, rounded µs timestamp, name padding, print fmt.
	grep -qxF '              ls-1234  [000]   500.000000: sample:               value=0 name=ev0-0' \
		"$TEST_TMP/report" || fail "v$1 $2: first event line not as expected"
	grep -qxF '             cat-4321  [001]   500.000003: sample:               value=100001 name=ev1-1' \
		"$TEST_TMP/report" || fail "v$1 $2: CPU 1 event line not as expected"
	grep -qxF 'CPU:1 [42 EVENTS DROPPED]' "$TEST_TMP/report" ||
		fail "v$1 $2: the lost-events page is not reported"
	grep -qxF 'CPU:1 [EVENTS DROPPED]' "$TEST_TMP/report" ||
		fail "v$1 $2: the unknown-count lost-events page is not reported"
	# Every record, in the merged order (ties: lowest CPU first).
	sed -n 's/.* value=\([0-9]*\) .*/\1/p' "$TEST_TMP/report" >"$TEST_TMP/got"
	if ! cmp -s "$TEST_TMP/expected" "$TEST_TMP/got"; then
		diff "$TEST_TMP/expected" "$TEST_TMP/got" | head >&2
		fail "v$1 $2: records differ from what was written"
	fi
	note "v$1 $2: $(wc -l <"$TEST_TMP/got") records read back by trace-cmd"

	# Our own dump reads it too.
	"$SIDETRACE" dump -i "$f" >"$TEST_TMP/ours" || fail "sidetrace dump failed on v$1 $2"
	grep -q "^version: $1$" "$TEST_TMP/ours" || fail "sidetrace dump: wrong version for v$1 $2"
	"$SIDETRACE" dump --summary --check -i "$f" >"$TEST_TMP/check" ||
		fail "sidetrace dump --check failed on v$1 $2"
	grep -Eq '^ +cpu 0 +2300 records' "$TEST_TMP/check" &&
		grep -Eq '^ +cpu 1 +300 records.*lost before 2 pages \(42 counted\)' "$TEST_TMP/check" ||
		fail "sidetrace dump --check: wrong record counts for v$1 $2"
done

# An instance buffer (like trace-cmd -B): trace-cmd shows its records with a "inst1: " prefix.
for variant in "6 none" "7 none" "7 zstd"; do
	set -- $variant
	f=$TEST_TMP/inst$1$2.dat
	"$writer" --write "$1" "$2" "$f" --instance >"$TEST_TMP/expected" ||
		fail "writing v$1 $2 with an instance failed"
	sed -n '/^--$/,$p' "$TEST_TMP/expected" | sed 1d >"$TEST_TMP/expected.inst"
	[ -s "$TEST_TMP/expected.inst" ] || fail "no expected instance records"
	trace-cmd dump -v -i "$f" 2>&1 | grep -q "is a valid trace-cmd file" ||
		fail "trace-cmd dump -v does not call v$1 $2 with an instance valid"
	trace-cmd report -i "$f" >"$TEST_TMP/report" 2>/dev/null ||
		fail "trace-cmd report failed on v$1 $2 with an instance"
	sed -n 's/^inst1: .* value=\([0-9]*\) .*/\1/p' "$TEST_TMP/report" >"$TEST_TMP/got"
	cmp -s "$TEST_TMP/expected.inst" "$TEST_TMP/got" ||
		fail "v$1 $2: instance records differ from what was written"
	[ "$(grep -vc '^inst1: ' "$TEST_TMP/report")" -gt 2600 ] ||
		fail "v$1 $2: top-level records missing next to the instance"
	note "v$1 $2 + instance: $(wc -l <"$TEST_TMP/got") instance records read back by trace-cmd"
done

# Real kernel data (tests/fixtures): our reader prints exactly what trace-cmd prints.
for f in sched-v6 sched-v7-zstd; do
	trace-cmd report -i "$TOP/tests/fixtures/$f.dat" >"$TEST_TMP/$f.tc" 2>/dev/null ||
		fail "trace-cmd report failed on fixture $f"
	"$writer" --report "$TOP/tests/fixtures/$f.dat" >"$TEST_TMP/$f.ours" ||
		fail "our reader failed on fixture $f"
	if ! cmp -s "$TEST_TMP/$f.tc" "$TEST_TMP/$f.ours"; then
		diff "$TEST_TMP/$f.tc" "$TEST_TMP/$f.ours" | head >&2
		fail "fixture $f: our records differ from trace-cmd report's"
	fi
	note "fixture $f: $(wc -l <"$TEST_TMP/$f.ours") lines identical to trace-cmd report"
done
exit 0
