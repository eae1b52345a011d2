#!/bin/bash
# The trace-cmd recordings in tests/fixtures/tracecmd/ (function, function_graph,
# kprobe, uprobe, multi-buffer, v6, --date, -C x86-tsc/counter, --ts-offset, -T, uncompressed;
# recorded by trace-cmd 3.1.6 in the VM tier): for each line of its `cases`,
# `sidetrace report OPTIONS -i FILE` prints the stored trace-cmd output byte for
# byte, and when trace-cmd is installed it still prints that output too.
. "$(dirname "$0")/../lib.sh"
dir=$TOP/tests/fixtures/tracecmd
[ -f "$dir/cases" ] || fail "no $dir/cases"
have_tc=0
command -v trace-cmd >/dev/null 2>&1 && have_tc=1
[ $have_tc = 1 ] || note "trace-cmd is not installed: only the stored outputs are compared"

nr=0
while read -r txt dat opts; do
	case $txt in '#'*|'') continue ;; esac
	# shellcheck disable=SC2086 # opts is a word list
	"$SIDETRACE" report $opts -i "$dir/$dat" >"$TEST_TMP/ours" 2>"$TEST_TMP/ours.err" ||
		fail "sidetrace report $opts -i $dat failed: $(tail -n 1 "$TEST_TMP/ours.err")"
	if ! cmp -s "$dir/$txt" "$TEST_TMP/ours"; then
		diff "$dir/$txt" "$TEST_TMP/ours" | head -20 >&2
		fail "sidetrace report $opts -i $dat differs from $txt (< trace-cmd, > sidetrace)"
	fi
	if [ $have_tc = 1 ]; then
		# shellcheck disable=SC2086
		trace-cmd report $opts -i "$dir/$dat" >"$TEST_TMP/theirs" 2>/dev/null ||
			fail "trace-cmd report $opts -i $dat failed"
		cmp -s "$dir/$txt" "$TEST_TMP/theirs" ||
			fail "trace-cmd report $opts -i $dat no longer prints $txt"
	fi
	nr=$((nr + 1))
done <"$dir/cases"
[ $nr -ge 20 ] || fail "only $nr cases in $dir/cases"
note "$nr cases identical to trace-cmd report"
