#!/bin/bash
# sidetrace probe on a user binary, end to end: a return probe on bash's readline
# gets perf's name (probe_bash:readline__return), is listed, fires with the line
# an interactive bash read, refuses deletion while enabled, and -d removes it.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd script
[ -e $T/uprobe_events ] || skip "this kernel has no uprobe events"
[ -x /bin/bash ] || skip "no /bin/bash"

inst=sidetrace-test-$$
I=$T/instances/$inst
events=()	# GROUP:EVENT names this test created, removed on every exit

cleanup() {
	local ev
	if [ -d "$I" ]; then
		for ev in "${events[@]}"; do
			echo 0 > "$I/events/${ev%%:*}/${ev#*:}/enable" 2>/dev/null
		done
		rmdir "$I"
	fi
	for ev in "${events[@]}"; do
		grep -q "^[pr]:${ev%%:*}/${ev#*:} " $T/uprobe_events && echo "-:${ev%%:*}/${ev#*:}" >> $T/uprobe_events
	done
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT

before=$(cat $T/uprobe_events)

# The name perf would give. If a left-over probe holds it, ours gets _N.
out=$("$SIDETRACE" probe -x /bin/bash 'readline%return +0($retval):string') || fail "adding the probe failed"
echo "$out"
ev=$(awk '$1 ~ /^probe_bash:readline__return/ { print $1; exit }' <<<"$out")
[ -n "$ev" ] || fail "no probe_bash:readline__return* event reported"
events+=("$ev")
[ "$ev" = probe_bash:readline__return ] || note "probe_bash:readline__return was taken; got $ev"
grep -q "^r:probe_bash/${ev#*:} /usr/bin/bash:0x" $T/uprobe_events || fail "$ev is not in uprobe_events"

# A second identical probe gets the next free suffix instead of failing.
out2=$("$SIDETRACE" probe -x bash 'readline%return') || fail "adding a second probe failed"
ev2=$(awk '$1 ~ /^probe_bash:readline__return/ { print $1; exit }' <<<"$out2")
case $ev2 in probe_bash:readline__return_[0-9]*) events+=("$ev2") ;; *) fail "second probe named '$ev2'" ;; esac

# -l shows where it is, by symbol.
"$SIDETRACE" probe -l | grep -F "  $ev " | grep -qF '(on readline%return in /usr/bin/bash with arg1=+0($retval):string)' ||
	fail "probe -l does not describe $ev: $("$SIDETRACE" probe -l)"

# Fire it: an interactive bash reading a line through readline on a pty.
mkdir "$I" || fail "cannot create instance $inst"
echo 1 > "$I/events/probe_bash/${ev#*:}/enable" || fail "cannot enable $ev in $inst"
token="sidetest_token_$$"
# Input is fed slowly: script may hang up the pty once its stdin ends.
{ sleep 0.5; echo "echo $token"; sleep 0.5; echo exit; sleep 1; } |
	timeout 20 script -qfc 'bash --norc --noprofile -i' /dev/null >/dev/null
grep -v '^#' "$I/trace" | tee "$TEST_TMP/trace" >&2
grep -q "${ev#*:}: (0x[0-9a-f]* <- 0x[0-9a-f]*) arg1=\"echo $token\"" "$TEST_TMP/trace" ||
	fail "the probe did not report the line bash read"

# Deleting an enabled probe fails cleanly and leaves it.
if "$SIDETRACE" probe -d "$ev" 2>"$TEST_TMP/err"; then
	fail "deleting an enabled probe succeeded"
fi
grep -q "enabled" "$TEST_TMP/err" || fail "unclear message for a busy probe: $(cat "$TEST_TMP/err")"
echo 0 > "$I/events/probe_bash/${ev#*:}/enable"
rmdir "$I"

# -d removes them; uprobe_events holds none of ours and, unless someone else changed it
# meanwhile, is exactly what it was.
"$SIDETRACE" probe -d "$ev" "$ev2" || fail "probe -d failed"
for e in "${events[@]}"; do
	grep -q "^[pr]:${e%%:*}/${e#*:} " $T/uprobe_events && fail "$e is still in uprobe_events"
done
events=()
after=$(cat $T/uprobe_events)
if [ "$before" != "$after" ]; then
	diff <(echo "$before") <(echo "$after") | grep -q 'probe_bash/readline__return' &&
		fail "uprobe_events differs in our probes"
	note "uprobe_events changed meanwhile by someone else"
fi
"$SIDETRACE" probe -d "$ev" 2>/dev/null && fail "deleting a deleted probe succeeded"
exit 0
