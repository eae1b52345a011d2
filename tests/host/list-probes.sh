#!/bin/bash
# `sidetrace list -p`: uprobes and uretprobes told apart (read from uprobe_events), and a
# one-line note when the kernel has no kprobe_events.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -w $T/uprobe_events ] || skip "no uprobe_events"
target=$(readlink -f /bin/bash)

group=sidetrace_lt$$
cleanup() {
	echo "-:$group/ent" >> $T/uprobe_events 2>/dev/null
	echo "-:$group/ret" >> $T/uprobe_events 2>/dev/null
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT
echo "p:$group/ent $target:0x1000 ax=%ax" >> $T/uprobe_events || fail "cannot add a uprobe"
echo "r:$group/ret $target:0x1000 rv=\$retval" >> $T/uprobe_events || fail "cannot add a uretprobe"

out=$("$SIDETRACE" list -p 2>"$TEST_TMP/err") || fail "list -p exited $?"
grep -qE "^uprobe +$group:ent +$target:0x0*1000 ax=%ax\$" <<<"$out" ||
	fail "list -p lacks the uprobe: $out"
grep -qE "^uretprobe +$group:ret +$target:0x0*1000 rv=\\\$retval\$" <<<"$out" ||
	fail "list -p lacks the uretprobe: $out"
grep -q "kprobe.*$group" <<<"$out" && fail "a uprobe is listed as a kprobe: $out"
if [ -e $T/kprobe_events ]; then
	[ -s "$TEST_TMP/err" ] && fail "unexpected stderr: $(cat "$TEST_TMP/err")"
else
	[ "$(wc -l < "$TEST_TMP/err")" -eq 1 ] || fail "expected one note on stderr: $(cat "$TEST_TMP/err")"
	grep -q kprobe_events "$TEST_TMP/err" || fail "the note does not name kprobe_events"
fi

# The probes are events too.
"$SIDETRACE" list -e "$group:*" | sort > "$TEST_TMP/ev"
printf '%s\n' "$group:ent" "$group:ret" | diff - "$TEST_TMP/ev" >&2 || fail "list -e $group:* differs"
exit 0
