#!/bin/bash
# report --format folded/chrome/speedscope and --flamegraph on a user call graph: the
# known call tree of tests/progs/ucall_tree.c recorded with record -x. Folded
# stacks (calls) equal the known tree exactly; the chrome JSON parses, every
# call is a named slice whose width is the duration --graph reports (per task
# and function, to the ns), and the calls per function equal report --profile's; the SVG is well-formed XML, renders
# to PNG and has a frame for every function of the folded stacks.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e "$T/uprobe_events" ] || skip "this kernel has no uprobe events"
need_cmd gcc
need_cmd python3
need_cmd xmllint
need_cmd rsvg-convert

prog=$TEST_TMP/ucall_tree
gcc -O0 -g -rdynamic -pthread -o "$prog" "$TOP/tests/progs/ucall_tree.c" || fail "cannot build ucall_tree"
dat=$TEST_TMP/u.dat
"$SIDETRACE" record -q -x "$prog" -g main -g parse -g lex -g fib -g hot -g 'jump_*' -g '/^work/' \
	-o "$dat" "$prog" 100 >"$TEST_TMP/record.out" 2>"$TEST_TMP/record.err" ||
	fail "record -x failed: $(tail -n 1 "$TEST_TMP/record.err")"
! grep -q "$TEST_TMP" "$T/uprobe_events" || fail "record left uprobes behind"

report() { # OUT ARGS...
	local out=$1
	shift
	"$SIDETRACE" report -i "$dat" "$@" >"$TEST_TMP/$out" 2>"$TEST_TMP/$out.err" ||
		fail "report $*: $(tail -n 1 "$TEST_TMP/$out.err")"
}

# -- folded
report folded-count --format folded --count
assert_same "folded call counts of ucall_tree" "$(cat <<'EOF'
ucall_tree;main 1
ucall_tree;main;fib 1
ucall_tree;main;fib;fib 2
ucall_tree;main;fib;fib;fib 4
ucall_tree;main;fib;fib;fib;fib 6
ucall_tree;main;fib;fib;fib;fib;fib 2
ucall_tree;main;hot 100
ucall_tree;main;jump_outer 1
ucall_tree;main;jump_outer;jump_inner 1
ucall_tree;main;parse 1
ucall_tree;main;parse;lex 3
ucall_tree;worker 2
ucall_tree;worker;lex 2
EOF
)" "$(cat "$TEST_TMP/folded-count")"
report folded --format folded
awk 'NF != 2 || $2 !~ /^[1-9][0-9]*$/ { print "bad line: " $0; exit 1 }' "$TEST_TMP/folded" ||
	fail "folded self times: $(cat "$TEST_TMP/folded")"
assert_same "stacks of folded (self time) and folded --count" \
	"$(cut -d' ' -f1 "$TEST_TMP/folded-count")" "$(cut -d' ' -f1 "$TEST_TMP/folded")"

# -- chrome: structure, widths against --graph, calls per function against --profile
check_chrome() { # JSON [GRAPH] -> "function calls" lines on stdout
	python3 "$TOP/tests/check-chrome.py" "$@"
}
profile_calls() { # PROFILE -> "function calls" lines
	awk '/^ +[0-9]+\.[0-9][0-9][0-9] +(us|ms|s) / { print $10, $5 }' "$1" | sort
}
report chrome --format chrome
report graph --graph
check_chrome "$TEST_TMP/chrome" "$TEST_TMP/graph" >"$TEST_TMP/chrome.calls" || fail "chrome JSON"
grep -q '"ph":"X","name":"fib","cat":"call",.*"dur":[0-9.]*,"args":{"duration_ns":[1-9]' \
	"$TEST_TMP/chrome" || fail "no fib slice with its duration in the chrome JSON"
report profile --profile
assert_same "calls per function: chrome vs --profile" \
	"$(profile_calls "$TEST_TMP/profile")" "$(sort "$TEST_TMP/chrome.calls")"
# The program's three threads. (Rarely, the kernel's pid filter lets one
# event of another process through as the recording starts, e.g. the
# sched_process_exit of a compiler exiting on the other CPU: it gets a
# track of its own, rightly, and is not counted here.)
[ "$(grep -c '"name":"thread_name","pid":[0-9]*,"tid":[0-9]*,"args":{"name":"ucall_tree"}' "$TEST_TMP/chrome")" = 3 ] ||
	fail "not 3 threads of ucall_tree named in the chrome JSON: $(grep -o '"name":"thread_name"[^}]*}' "$TEST_TMP/chrome")"

# -- speedscope: nested O/C events per thread, durations as --graph's and the chrome JSON's, its schema
report speedscope --format speedscope
python3 "$TOP/tests/check-speedscope.py" "$TEST_TMP/speedscope" "$TEST_TMP/graph" "$TEST_TMP/chrome" \
	>"$TEST_TMP/speedscope.calls" 2>"$TEST_TMP/speedscope.check" ||
	fail "speedscope file: $(tail -n 1 "$TEST_TMP/speedscope.check")"
assert_same "calls per function: speedscope vs --profile" \
	"$(profile_calls "$TEST_TMP/profile")" "$(sort "$TEST_TMP/speedscope.calls")"
[ "$(grep -c '^{"type":"evented","name":"task [0-9]* ucall_tree"' "$TEST_TMP/speedscope")" = 3 ] ||
	fail "not 3 profiles of ucall_tree in the speedscope file"
"$TOP/tests/speedscope/validate" "$TEST_TMP/speedscope" >"$TEST_TMP/valid" 2>&1
case $? in
0) ;;
77) note "$(tail -n 1 "$TEST_TMP/valid")" ;;
*) fail "speedscope schema: $(cat "$TEST_TMP/valid")" ;;
esac

# --time-range: the middle of the trace, still balanced per thread
read -r first lastts < <(python3 -c '
import json, sys
ts = [e["ts"] for e in json.load(open(sys.argv[1]))["traceEvents"] if "ts" in e]
print(min(ts), max(ts))' "$TEST_TMP/chrome")
mid=$(awk -v a="$first" -v b="$lastts" 'BEGIN { printf "%.6f,%.6f", (a + (b - a) / 3) / 1e6, (a + 2 * (b - a) / 3) / 1e6 }')
report chrome-cut --format chrome --time-range "$mid"
# (the middle third may hold no call: then --graph says so and the JSON has no slice)
if "$SIDETRACE" report -i "$dat" --graph --time-range "$mid" >"$TEST_TMP/graph-cut" \
	2>"$TEST_TMP/graph-cut.err"; then
	check_chrome "$TEST_TMP/chrome-cut" "$TEST_TMP/graph-cut" >/dev/null ||
		fail "chrome JSON with --time-range $mid"
else
	grep -q "no calls to show" "$TEST_TMP/graph-cut.err" ||
		fail "report --graph --time-range $mid: $(tail -n 1 "$TEST_TMP/graph-cut.err")"
	check_chrome "$TEST_TMP/chrome-cut" >/dev/null || fail "chrome JSON with --time-range $mid"
	! grep -q '"ph":"X"' "$TEST_TMP/chrome-cut" || fail "slices in $mid where --graph has no call"
fi
[ "$(wc -c <"$TEST_TMP/chrome-cut")" -lt "$(wc -c <"$TEST_TMP/chrome")" ] ||
	fail "--time-range $mid did not cut anything"

# -- flame graph and icicle
for kind in flame icicle; do
	svg=$TEST_TMP/$kind.svg
	# (--min-width 0: every frame, however narrow, for the names below)
	if [ $kind = icicle ]; then report svg-out --flamegraph "$svg" --icicle --min-width 0
	else report svg-out --flamegraph "$svg" --min-width 0; fi
	[ ! -s "$TEST_TMP/svg-out" ] || fail "--flamegraph wrote to stdout"
	xmllint --noout "$svg" 2>"$TEST_TMP/xmllint.err" || fail "$kind SVG: $(head -n 3 "$TEST_TMP/xmllint.err")"
	rsvg-convert -o "$TEST_TMP/$kind.png" "$svg" || fail "rsvg-convert cannot render the $kind SVG"
	[ "$(head -c 4 "$TEST_TMP/$kind.png" | tail -c 3)" = PNG ] || fail "rsvg-convert wrote no PNG"
	for name in $(tr ';' '\n' <"$TEST_TMP/folded" | cut -d' ' -f1 | sort -u); do
		grep -qxF "<g><title>$name" "$svg" || fail "no frame for $name in the $kind SVG"
	done
done

# --min-width: frames narrower than it left out, as many as the SVG says
report svg-out --flamegraph "$TEST_TMP/min.svg" --min-width 20 --title "ucall_tree" --width 600
xmllint --noout "$TEST_TMP/min.svg" || fail "--min-width SVG is not well-formed"
full=$(grep -c '^<g><title>' "$TEST_TMP/flame.svg")
kept=$(grep -c '^<g><title>' "$TEST_TMP/min.svg")
said=$(grep -o '[0-9]* frames\? narrower than 20 px left out' "$TEST_TMP/min.svg" | cut -d' ' -f1)
[ "$((kept + ${said:-0}))" = "$full" ] ||
	fail "--min-width 20: $kept frames drawn + ${said:-0} said left out != $full frames"
grep -q 'font-size: 17px">ucall_tree</text>' "$TEST_TMP/min.svg" || fail "--title not in the SVG"
# the default (0.1 px): every frame and time against --graph (tests/check-flame.py)
report svg-out --flamegraph "$TEST_TMP/default.svg"
python3 "$TOP/tests/check-flame.py" "$TEST_TMP/default.svg" "$TEST_TMP/graph" >/dev/null ||
	fail "the flame graph's frames against --graph"

# --flamegraph -: the SVG on stdout, no file named '-'; not with a --format on stdout too
(cd "$TEST_TMP" && "$SIDETRACE" report -i "$dat" --flamegraph - >stdout.svg 2>stdout.err) ||
	fail "--flamegraph -: $(tail -n 1 "$TEST_TMP/stdout.err")"
[ ! -e "$TEST_TMP/-" ] || fail "--flamegraph - created a file named '-'"
xmllint --noout "$TEST_TMP/stdout.svg" || fail "--flamegraph - wrote no well-formed SVG to stdout"
if "$SIDETRACE" report -i "$dat" --flamegraph - --format folded >/dev/null 2>"$TEST_TMP/mix.err"; then
	fail "--flamegraph - --format folded was accepted (two documents on stdout)"
fi
grep -q "both write to standard output" "$TEST_TMP/mix.err" ||
	fail "--flamegraph - --format folded: unclear error: $(cat "$TEST_TMP/mix.err")"
exit 0
