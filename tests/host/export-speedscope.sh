#!/bin/bash
# report --format speedscope on trace-cmd's function_graph fixtures (v7 and
# v6; no tracefs needed): each file is valid against the JSON schema the npm
# speedscope package ships (ajv, tests/speedscope/validate), and
# tests/check-speedscope.py finds the O/C events balanced, nested and in
# time order, the calls and durations per task and function equal to
# --graph's and, to the ns, to the chrome JSON's; also with --time-range.
# A trace without calls, and option conflicts, fail in one line.
# (User calls: tests/host/export-ucalls.sh.)
. "$(dirname "$0")/../lib.sh"
need_cmd python3

run() { # OUT REPORT ARGS...
	local out=$1
	shift
	"$SIDETRACE" report "$@" >"$TEST_TMP/$out" 2>"$TEST_TMP/err" ||
		fail "report $*: $(tail -n 1 "$TEST_TMP/err")"
}

check() { # NAME DAT [REPORT ARGS...]
	local name=$1 dat=$2
	shift 2
	run "$name.speedscope" -i "$dat" "$@" --format speedscope
	run "$name.graph" -i "$dat" "$@" --graph
	run "$name.chrome" -i "$dat" "$@" --format chrome
	python3 "$TOP/tests/check-speedscope.py" "$TEST_TMP/$name.speedscope" "$TEST_TMP/$name.graph" \
		"$TEST_TMP/$name.chrome" >"$TEST_TMP/$name.calls" 2>"$TEST_TMP/$name.moved" ||
		fail "speedscope file of $dat $*: $(tail -n 1 "$TEST_TMP/$name.moved")"
	note "$name: $(cat "$TEST_TMP/$name.moved"), $(wc -l <"$TEST_TMP/$name.calls") functions"
}

fx=$TOP/tests/fixtures/tracecmd
check v7 "$fx/function_graph.dat"
check v6 "$fx/function_graph-v6.dat"
check cut "$fx/function_graph.dat" --time-range 103.22,103.2385
[ "$(wc -c <"$TEST_TMP/cut.speedscope")" -lt "$(wc -c <"$TEST_TMP/v7.speedscope")" ] ||
	fail "--time-range cut nothing from the speedscope file"
grep -q '^{"type":"evented","name":"task 134 cat","unit":"nanoseconds","startValue":0,"endValue":17987247,' \
	"$TEST_TMP/v7.speedscope" || fail "no profile of task 134 cat"

# with a flame graph at the same time
"$SIDETRACE" report -i "$fx/function_graph.dat" --format speedscope --flamegraph "$TEST_TMP/f.svg" \
	>"$TEST_TMP/both" 2>"$TEST_TMP/err" || fail "--format speedscope --flamegraph: $(cat "$TEST_TMP/err")"
cmp -s "$TEST_TMP/both" "$TEST_TMP/v7.speedscope" || fail "speedscope with --flamegraph differs"
[ -s "$TEST_TMP/f.svg" ] || fail "no flame graph with --format speedscope"

# one clear line and a failure status
bad() { # WHAT ARGS...
	local what=$1
	shift
	if "$SIDETRACE" report "$@" >/dev/null 2>"$TEST_TMP/err"; then
		fail "report $* was accepted"
	fi
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] && grep -q "$what" "$TEST_TMP/err" ||
		fail "report $*: $(cat "$TEST_TMP/err")"
}
bad "no calls to show" -i "$TOP/tests/fixtures/sched-v6.dat" --format speedscope
bad "both write to standard output" -i "$fx/function_graph.dat" --format speedscope --flamegraph -
bad "cannot be combined with --format speedscope" -i "$fx/function_graph.dat" --format speedscope --graph
bad "chrome, speedscope, folded or text" -i "$fx/function_graph.dat" --format speedscop

# the schema, last: the only part that needs npm
"$TOP/tests/speedscope/validate" "$TEST_TMP/v7.speedscope" "$TEST_TMP/v6.speedscope" \
	"$TEST_TMP/cut.speedscope" >"$TEST_TMP/valid" 2>"$TEST_TMP/valid.err"
rc=$?
[ $rc = 77 ] && skip "$(tail -n 1 "$TEST_TMP/valid.err" | sed 's/^SKIP: //') (all else passed)"
[ $rc = 0 ] || fail "speedscope schema: $(cat "$TEST_TMP/valid" "$TEST_TMP/valid.err")"
[ "$(grep -c ': valid$' "$TEST_TMP/valid")" = 3 ] || fail "validate: $(cat "$TEST_TMP/valid")"
exit 0
