#!/bin/bash
# record -x's user call events in other readers (Documentation/trace-dat.md 3.1):
# trace-cmd with TRACEEVENT_PLUGIN_DIR at the build tree's plugins/ prints the
# ucall_entry/ucall_return lines of tests/progs/ucall_tree.c (and of a C++
# program: demangled names) exactly as `sidetrace report`, which loads the same
# plugin; without plugins (-N) trace-cmd still names the functions, from the
# file's kallsyms section and print fmt, and exits 0, as `sidetrace report -N`.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/uprobe_events ] || skip "no uprobe events"
need_cmd trace-cmd
need_cmd gcc
[ -f "$TOP/plugins/plugin_sidetrace.so" ] || fail "no $TOP/plugins/plugin_sidetrace.so (make builds it)"
cd "$TEST_TMP" || fail "no temp dir"

gcc -O0 -fno-inline -o tree "$TOP/tests/progs/ucall_tree.c" -lpthread || fail "cannot build ucall_tree"
"$SIDETRACE" record -q -x ./tree -g '*' -o x.dat ./tree 3 >/dev/null 2>rec.err ||
	fail "record -x failed: $(tail -1 rec.err)"

ours() { grep -E '\] +[0-9.]+: (ucall_entry|ucall_return): '; }
# FILE WHAT: our lines of sidetrace report and of trace-cmd with the plugin, the same
same_with_plugin() {
	env -u TRACEEVENT_PLUGIN_DIR "$SIDETRACE" report "$1" >st.out 2>st.err ||
		fail "$2: sidetrace report failed: $(tail -1 st.err)"
	TRACEEVENT_PLUGIN_DIR=$TOP/plugins trace-cmd report "$1" >tc.out 2>tc.err ||
		fail "$2: trace-cmd report with the plugin failed: $(tail -1 tc.err)"
	ours <st.out >st.lines
	ours <tc.out >tc.lines
	[ -s tc.lines ] || fail "$2: trace-cmd printed none of our events"
	assert_same "$2: the user call lines (trace-cmd with the plugin, sidetrace report)" \
		"$(cat tc.lines)" "$(cat st.lines)"
}
same_with_plugin x.dat ucall_tree
grep -qE 'ucall_entry: +\|  main\(\) \{$' tc.lines || fail "no 'main() {' line: $(head -1 tc.lines)"
grep -qE 'ucall_entry: +\|      lex\(\) \{$' tc.lines || fail "no nested 'lex() {' line"
grep -qE 'ucall_return: +[-+!#$ ] +[0-9]+\.[0-9]{3} us +\|  \}$' tc.lines ||
	fail "no '}' line with a duration at depth 0"
grep -q 'ucall#' tc.lines && fail "a function without its name: $(grep -m1 'ucall#' tc.lines)"
note "$(wc -l <tc.lines) user call lines identical; e.g. $(grep -m1 'lex() {' tc.lines | sed 's/^ *//')"

# Without plugins: the stored print fmt names the function; raw but readable, exit 0.
trace-cmd report -N x.dat >raw.out 2>raw.err || fail "trace-cmd report -N exited non-zero: $(tail -1 raw.err)"
ours <raw.out >raw.lines
grep -qE 'ucall_entry: +\([0-9a-f]+\) main id=[0-9]+ sp=0x[0-9a-f]+ ret=0x[0-9a-f]+$' raw.lines ||
	fail "trace-cmd -N does not name main: $(head -1 raw.lines)"
grep -qE 'ucall_return: +\([0-9a-f]+ <- [0-9a-f]+\) lex id=[0-9]+ sp=0x[0-9a-f]+$' raw.lines ||
	fail "trace-cmd -N does not name lex's return: $(grep -m1 ucall_return raw.lines)"
"$SIDETRACE" report -N x.dat >stn.out 2>stn.err || fail "sidetrace report -N failed: $(tail -1 stn.err)"
assert_same "the user call lines without plugins (trace-cmd -N, sidetrace report -N)" \
	"$(cat raw.lines)" "$(ours <stn.out)"

# A file of an older sidetrace (tests/fixtures/old/ucall-before-names.dat, recorded
# with -x ucall_tree -g main -g 'jump*' -g 'leaf*' --no-kallsyms): its names are
# only in the ucall table, and report gives them to the plugin.
"$SIDETRACE" report "$TOP/tests/fixtures/old/ucall-before-names.dat" >old.out 2>old.err ||
	fail "report of the older file failed: $(tail -1 old.err)"
grep -q 'ucall#' old.out && fail "the older file's calls are not named: $(grep -m1 'ucall#' old.out)"
for f in 'main() {' 'jump_outer() {' 'jump_inner() {'; do
	grep -qF "|  ${f}" old.out || grep -qF "$f" old.out || fail "the older file's report lacks '$f'"
done

# C++: the file holds the mangled name (kallsyms ends a name at a blank); the plugin demangles.
if command -v g++ >/dev/null 2>&1; then
	cat >cxx.cc <<'EOF'
namespace shapes { struct Circle { __attribute__((noinline)) int area(int r) const { return 3 * r * r; } }; }
int main() { shapes::Circle c; return c.area(2) == 12 ? 0 : 1; }
EOF
	g++ -O0 -o cxx cxx.cc || fail "cannot build the C++ program"
	"$SIDETRACE" record -q -x ./cxx -g 'shapes::*' -o c.dat ./cxx >/dev/null 2>rec.err ||
		fail "record -x (C++) failed: $(tail -1 rec.err)"
	same_with_plugin c.dat C++
	grep -qE '\|  shapes::Circle::area\(int\) const\(\) \{$' tc.lines ||
		fail "no demangled name: $(head -1 tc.lines)"
	trace-cmd report -N c.dat | grep -qE 'ucall_entry: .* _ZNK6shapes6Circle4areaEi id=' ||
		fail "trace-cmd -N does not show the mangled name"
fi
exit 0
