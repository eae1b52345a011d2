#!/bin/bash
# plugins/plugin_sidetrace.so on a real record --files trace: trace-cmd with
# TRACEEVENT_PLUGIN_DIR at the build tree's plugins/ prints our file-set events
# with the kind spelled out, line for line as `sidetrace report` (which loads
# the same plugin from its build tree by itself); without plugins (-N)
# trace-cmd still prints the raw fields and exits 0. --version lists the plugin.
# A file with two groups (another record --files running, its group recorded
# with -e): trace-cmd gives both groups' events the plugin's text.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/uprobe_events ] || [ -e $T/kprobe_events ] || skip "no uprobe or kprobe events"
need_cmd trace-cmd
[ -f "$TOP/plugins/plugin_sidetrace.so" ] || fail "no $TOP/plugins/plugin_sidetrace.so (make builds it)"
cd "$TEST_TMP" || fail "no temp dir"

# --version names the plugins report loads: ours from the build tree.
env -u TRACEEVENT_PLUGIN_DIR "$SIDETRACE" --version | grep -qx "plugin: $TOP/plugins/plugin_sidetrace.so" ||
	fail "sidetrace --version does not list $TOP/plugins/plugin_sidetrace.so"

echo data >wanted.txt
"$SIDETRACE" record -q --files -o f.dat sh -c "cat $TEST_TMP/wanted.txt >/dev/null" >/dev/null 2>rec.err ||
	fail "record --files failed: $(tail -1 rec.err)"

# Our events' lines: the events of the sidetrace_files_PID group.
ours() { grep -E '^ *[^ ].*\] +[0-9.]+: (path|any_getname|dlopenret_dlopen): '; }
env -u TRACEEVENT_PLUGIN_DIR "$SIDETRACE" report f.dat >st.out 2>st.err || fail "sidetrace report failed: $(tail -1 st.err)"
TRACEEVENT_PLUGIN_DIR=$TOP/plugins trace-cmd report f.dat >tc.out 2>tc.err ||
	fail "trace-cmd report with the plugin failed: $(tail -1 tc.err)"
ours <st.out >st.lines
ours <tc.out >tc.lines
[ -s tc.lines ] || fail "trace-cmd printed none of our events"
assert_same "our events' lines (trace-cmd with the plugin, sidetrace report)" "$(cat tc.lines)" "$(cat st.lines)"
grep -qE ": +(path: +open|any_getname: +any) path=\"$TEST_TMP/wanted.txt\"$" tc.lines ||
	fail "no spelled-out kind for wanted.txt: $(grep wanted.txt tc.lines | head -1)"
grep -qE 'kind=[0-9]' tc.lines && fail "a raw kind number with the plugin: $(grep -m1 -E 'kind=[0-9]' tc.lines)"
note "$(wc -l <tc.lines) lines of our events identical; e.g. $(grep -m1 wanted.txt tc.lines | sed 's/^ *//')"

# Without any plugin: the kernel's print format, raw but complete.
trace-cmd report -N f.dat >raw.out 2>raw.err || fail "trace-cmd report -N exited non-zero: $(tail -1 raw.err)"
grep -qE "path=\"$TEST_TMP/wanted.txt\"" raw.out || fail "trace-cmd -N lost the path of wanted.txt"
ours <raw.out | grep -qE ': +path: .*kind=[0-9]+ path=|: +any_getname: .*path=' ||
	fail "trace-cmd -N does not print the raw fields"

# Two groups in one file: the events of another record --files (its probes fire in every
# process) recorded too. libtraceevent hands a handler registered by name to the first
# event of that name only; the plugin must reach the second group's "path" as well.
"$SIDETRACE" record -q --files -o other.dat sleep 3 >/dev/null 2>other.err &
other=$!
for _ in $(seq 50); do [ -d "$T/events/sidetrace_files_$other" ] && break; sleep 0.1; done
[ -d "$T/events/sidetrace_files_$other" ] || { wait $other; fail "the other record --files made no group: $(tail -1 other.err)"; }
"$SIDETRACE" record -q --files -e "sidetrace_files_$other" -o two.dat cat "$TEST_TMP/wanted.txt" >/dev/null 2>rec.err
rc=$?
wait $other || fail "the other record --files failed: $(tail -1 other.err)"
[ $rc = 0 ] || fail "record --files -e sidetrace_files_$other failed: $(tail -1 rec.err)"
[ "$("$SIDETRACE" dump two.dat | grep -cE '^ *system +sidetrace_files_[0-9]+: ')" = 2 ] ||
	fail "two.dat does not hold two groups: $("$SIDETRACE" dump two.dat | grep -E 'system +sidetrace')"
TRACEEVENT_PLUGIN_DIR=$TOP/plugins trace-cmd report two.dat >tc2.out 2>tc2.err ||
	fail "trace-cmd report of two groups failed: $(tail -1 tc2.err)"
env -u TRACEEVENT_PLUGIN_DIR "$SIDETRACE" report two.dat >st2.out 2>st2.err ||
	fail "sidetrace report of two groups failed: $(tail -1 st2.err)"
raw=$(trace-cmd report -N two.dat 2>/dev/null | grep -cE ': +path: ')
spelled=$(grep -cE ': +path: +[a-z]+ path="' tc2.out)
[ "$raw" -gt 0 ] && [ "$spelled" = "$raw" ] ||
	fail "two groups: $spelled of $raw path records spelled out by trace-cmd with the plugin: $(grep -m1 -E 'path: .*kind=' tc2.out)"
assert_same "two groups: our events' lines (trace-cmd with the plugin, sidetrace report)" \
	"$(ours <tc2.out)" "$(ours <st2.out)"
note "two groups: all $raw path records spelled out"
exit 0
