#!/bin/bash
# record -x PATH -g PATTERN: user call graphs on uprobes, checked against the
# known call tree of tests/progs/ucall_tree.c built at -O0 and -O2, PIE and
# not, stripped; -P attach; the kernel's 64 nested return probes; errors;
# nothing left in tracefs.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e "$T/uprobe_events" ] || skip "this kernel has no uprobe events"
need_cmd gcc
need_cmd strip

SRC=$(dirname "$0")/../progs/ucall_tree.c
FUNCS=(-g main -g parse -g lex -g fib -g hot -g 'jump_*' -g 'tail_*' -g '/^work/')
state() { tracefs_fingerprint_static; }
before=$(state)

# No uprobe on our test binaries may remain (they all live in $TEST_TMP).
no_probes_left() {
	! grep -q "$TEST_TMP" "$T/uprobe_events" ||
		fail "$1: uprobes left: $(grep "$TEST_TMP" "$T/uprobe_events")"
}

# Times out, the rest of each graph line kept: "calls  tree name marks".
shape() { sed -E -n 's/^ +[0-9]+\.[0-9]{3} (us|ms| s) +[0-9]+\.[0-9]{3} (us|ms| s) +//p'; }

# Every parent's total time >= the sum of its children's (graph lines).
check_durations() { # FILE WHAT
	awk -v what="$2" '
	function ns(v, u) { return v * (u == "us" ? 1000 : u == "ms" ? 1000000 : 1000000000) }
	/^# task/ { n = 0; next }
	/^ +[0-9]+\.[0-9]{3} (us|ms| s) / {
		t = ns($1, $2)
		name = substr($0, 47); d = 0
		while (substr(name, 1, 3) ~ /^(\+- |\|  |   )$/) { name = substr(name, 4); d++ }
		if (d > 0) { sum[d - 1] += t; if (sum[d - 1] > tot[d - 1] + 1000) bad = bad " " name }
		tot[d] = t; sum[d] = 0
	}
	END { if (bad != "") { print what ": children longer than their parent:" bad; exit 1 } }' "$1" ||
		fail "durations of $2"
}

check_tree() { # DAT WHAT
	local dat=$1 what=$2 out=$TEST_TMP/out
	"$SIDETRACE" report -i "$dat" --profile >"$out" || fail "$what: report --profile failed"
	for fc in main:1 parse:1 lex:5 fib:15 hot:10000 jump_outer:1 jump_inner:1 worker:2 tail_outer:1 \
		tail_inner:1; do
		calls=$(awk -v f="${fc%%:*}" '{ for (i = 6; i <= NF; i++) if ($i == f) print $5 }' "$out")
		[ "$calls" = "${fc#*:}" ] ||
			fail "$what: ${fc%%:*} has '$calls' calls, not ${fc#*:}: $(cat "$out")"
	done
	"$SIDETRACE" report -i "$dat" --graph >"$out" || fail "$what: report --graph failed"
	check_durations "$out" "$what"
	[ "$(grep -c '^# task' "$out")" = 3 ] || fail "$what: not 3 tasks: $(cat "$out")"
	# the threads: each its own tree
	[ "$(shape <"$out" | grep -c '^1  worker$')" = 2 ] || fail "$what: worker trees: $(cat "$out")"
	[ "$(shape <"$out" | grep -c '^1  +- lex$')" = 2 ] || fail "$what: worker -> lex: $(cat "$out")"
	# main's children (their order depends on their times)
	got=$(shape <"$out" | grep -E '^[0-9]+  (main|\+- [a-z_]+( \(unfinished\))?)$' | sort)
	want=$(printf '%s\n' "1  +- fib" "1  +- jump_outer (unfinished)" "1  +- parse" "10000  +- hot" \
		"1  +- tail_outer" \
		"1  main" "1  +- lex" "1  +- lex" | sort)
	assert_same "$what: main's calls" "$want" "$got"
	"$SIDETRACE" report -i "$dat" --graph --root fib >"$out" || fail "$what: --root fib failed"
	assert_same "$what: fib(5)" "$(printf '%s\n' "1  fib" "2  +- fib" "4     +- fib" \
		"6        +- fib" "2           +- fib")" "$(shape <"$out")"
	"$SIDETRACE" report -i "$dat" --graph --root fib --depth 2 >"$out" || fail "$what: --depth failed"
	assert_same "$what: fib --depth 2" "$(printf '%s\n' "1  fib" "2  +- fib")" "$(shape <"$out")"
	"$SIDETRACE" report -i "$dat" --graph --root parse >"$out" || fail "$what: --root parse failed"
	assert_same "$what: parse" "$(printf '%s\n' "1  parse" "3  +- lex")" "$(shape <"$out")"
	"$SIDETRACE" report -i "$dat" --graph --root jump_outer >"$out" || fail "$what: --root jump_outer"
	assert_same "$what: longjmp" "$(printf '%s\n' "1  jump_outer (unfinished)" \
		"1  +- jump_inner (unfinished)")" "$(shape <"$out")"
	"$SIDETRACE" report -i "$dat" --graph --root tail_outer >"$out" || fail "$what: --root tail_outer"
	assert_same "$what: tail call" "$(printf '%s\n' "1  tail_outer" "1  +- tail_inner")" \
		"$(shape <"$out")"
	# the default text: function_graph layout, from plugins/plugin_sidetrace.so (report
	# loads it from the build tree); a handler sees one record, so a leaf is "lex() {" + "}"
	"$SIDETRACE" report -i "$dat" >"$out" || fail "$what: report failed"
	grep -qE 'ucall_entry: +\|  main\(\) \{$' "$out" || fail "$what: no 'main() {' line"
	grep -qE 'ucall_entry: +\|    parse\(\) \{$' "$out" || fail "$what: no 'parse() {' line"
	grep -A1 -E 'ucall_entry: +\|      lex\(\) \{$' "$out" |
		grep -qE 'ucall_return: +[-+!#@*$]? +[0-9]+\.[0-9]{3} us +\|      \}$' ||
		fail "$what: no leaf 'lex() {' with its '}' and duration on the next line"
	grep -qE 'ucall_return: .*[0-9]+\.[0-9]{3} us +\|    \}$' "$out" || fail "$what: no '}' line"
	[ "$(grep -cE '\|    hot\(\) \{$' "$out")" = 10000 ] || fail "$what: not 10000 hot calls"
	trace-cmd report -i "$dat" >/dev/null 2>&1 || fail "$what: trace-cmd cannot read it"
}

build() { # NAME FLAGS...
	local name=$1
	shift
	gcc "$@" -fno-inline -rdynamic -o "$TEST_TMP/$name" "$SRC" || fail "cannot build $name"
}

build o0_pie -O0
build o2_nopie -O2 -no-pie
build o2_pie -O2
strip --strip-all -o "$TEST_TMP/o2_stripped" "$TEST_TMP/o2_pie"

for v in o0_pie o2_nopie o2_stripped; do
	"$SIDETRACE" record -q -o "$TEST_TMP/$v.dat" -x "$TEST_TMP/$v" "${FUNCS[@]}" "$TEST_TMP/$v" \
		2>"$TEST_TMP/err" || fail "record $v: $(cat "$TEST_TMP/err")"
	no_probes_left "record $v"
	check_tree "$TEST_TMP/$v.dat" "$v"
done

# Stripped: a pattern that only .symtab could match says so, the others work.
"$SIDETRACE" record -o "$TEST_TMP/s.dat" -x "$TEST_TMP/o2_stripped" -g fib -g 'never_*' \
	"$TEST_TMP/o2_stripped" 2>"$TEST_TMP/err" >/dev/null ||
	fail "stripped, one pattern unmatched: $(cat "$TEST_TMP/err")"
grep -q "\-g 'never_\*' matches no function.*stripped" "$TEST_TMP/err" ||
	fail "the unmatched pattern is not named: $(cat "$TEST_TMP/err")"
"$SIDETRACE" report -i "$TEST_TMP/s.dat" --profile | grep -qE ' 15  .* fib$' || fail "stripped fib"

# Stripped with a separate debug file (.gnu_debuglink): every function, not only exports.
gcc -O0 -fno-inline -o "$TEST_TMP/dbg" "$SRC" || fail "cannot build dbg"
objcopy --only-keep-debug "$TEST_TMP/dbg" "$TEST_TMP/dbg.debug" &&
	strip --strip-all "$TEST_TMP/dbg" &&
	(cd "$TEST_TMP" && objcopy --add-gnu-debuglink=dbg.debug dbg) || fail "cannot split dbg"
nm -D "$TEST_TMP/dbg" | grep -q ' fib$' && fail "dbg exports fib: the test proves nothing"
"$SIDETRACE" record -q -o "$TEST_TMP/dbg.dat" -x "$TEST_TMP/dbg" "${FUNCS[@]}" "$TEST_TMP/dbg" \
	2>"$TEST_TMP/err" || fail "record dbg: $(cat "$TEST_TMP/err")"
check_tree "$TEST_TMP/dbg.dat" "debug file"

# C++: patterns match demangled names too; names demangled in the report.
if command -v g++ >/dev/null; then
	cat >"$TEST_TMP/cxx.cc" <<'EOF2'
namespace shapes {
struct Circle {
	__attribute__((noinline)) double area(int scale) const { return 3.0 * r * scale; }
	double r = 2;
};
}
__attribute__((noinline)) int twice(int x) { return 2 * x; }
int main() { shapes::Circle c; return (int)c.area(twice(1)) == 12 ? 0 : 1; }
EOF2
	g++ -O0 -o "$TEST_TMP/cxx" "$TEST_TMP/cxx.cc" || fail "cannot build the C++ program"
	"$SIDETRACE" record -q -o "$TEST_TMP/cxx.dat" -x "$TEST_TMP/cxx" -g 'shapes::*' -g '_Z5twicei' \
		-g main "$TEST_TMP/cxx" 2>"$TEST_TMP/err" || fail "record C++: $(cat "$TEST_TMP/err")"
	"$SIDETRACE" report -i "$TEST_TMP/cxx.dat" --graph >"$TEST_TMP/out"
	assert_same "C++ names" "$(printf '%s\n' "1  main" "1  +- shapes::Circle::area(int) const" \
		"1  +- twice(int)" | sort)" "$(shape <"$TEST_TMP/out" | sort)"
else
	note "no g++: C++ demangling not tested"
fi

# The kernel keeps 64 nested return probes per task: deeper calls are closed, not misattributed.
"$SIDETRACE" record -q -o "$TEST_TMP/d.dat" -x "$TEST_TMP/o0_pie" -g main -g deep \
	"$TEST_TMP/o0_pie" deep 2>"$TEST_TMP/err" || fail "record deep: $(cat "$TEST_TMP/err")"
"$SIDETRACE" report -i "$TEST_TMP/d.dat" --graph >"$TEST_TMP/out"
[ "$(shape <"$TEST_TMP/out" | grep -c 'deep$')" = 63 ] ||
	fail "deep: not 63 returned levels: $(cat "$TEST_TMP/out")"
[ "$(shape <"$TEST_TMP/out" | grep -c 'deep (unfinished)$')" = 38 ] ||
	fail "deep: not 38 unfinished levels"
check_durations "$TEST_TMP/out" deep

# -P: attach to a running process, detach, it keeps running.
"$TEST_TMP/o2_pie" wait >"$TEST_TMP/wait.out" & tgt=$!
trap 'kill $tgt 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 50); do grep -qs ready "$TEST_TMP/wait.out" && break; sleep 0.1; done
"$SIDETRACE" record -q -o "$TEST_TMP/p.dat" -P $tgt -x "$TEST_TMP/o2_pie" -g idle \
	2>"$TEST_TMP/err" & rec=$!
sleep 1.5
kill -INT $rec
wait $rec
rc=$?
[ $rc = 0 ] || fail "record -P stopped by SIGINT exited $rc, not 0: $(cat "$TEST_TMP/err")"
no_probes_left "record -P"
kill -0 $tgt || fail "record -P hurt the process"
sleep 0.2
kill -0 $tgt || fail "the process died after record -P"
"$SIDETRACE" report -i "$TEST_TMP/p.dat" --profile >"$TEST_TMP/out" ||
	fail "-P: report: $(cat "$TEST_TMP/err")"
n=$(awk '{ for (i = 6; i <= NF; i++) if ($i == "idle") print $5 }' "$TEST_TMP/out")
[ "${n:-0}" -ge 10 ] ||
	fail "-P: only '$n' idle calls in 1.5 s: $(cat "$TEST_TMP/out" "$TEST_TMP/err")"
kill $tgt; wait $tgt
[ $? = 0 ] || fail "the attached process did not exit cleanly"

# Errors: one line each, non-zero, nothing left.
err() { # WANT ARGS...
	local want=$1
	shift
	"$SIDETRACE" record -q -o "$TEST_TMP/e.dat" "$@" 2>"$TEST_TMP/err" >/dev/null &&
		fail "record $* succeeded"
	grep -q -- "$want" "$TEST_TMP/err" || fail "record $*: wanted '$want', got: $(cat "$TEST_TMP/err")"
	[ "$(wc -l <"$TEST_TMP/err")" -le 2 ] ||
		fail "record $*: more than one error line: $(cat "$TEST_TMP/err")"
	no_probes_left "record $*"
}
B=$TEST_TMP/o0_pie
err "bad regular expression" -x "$B" -g '/(/' "$B"
err "matches no function" -x "$B" -g 'no_such_function' "$B"
err "closest: fib" -x "$B" -g 'fob' "$B"
err "more than --max-probes 4" -x "$B" -g '*' --max-probes 4 "$B"
err "needs at least one -g" -x "$B" "$B"
err "no such program" -x "$TEST_TMP/none" -g main "$B"
[ -e "$TEST_TMP/e.dat" ] && fail "a failed record left its output"

assert_same "tracefs state" "$before" "$(state)"
exit 0
