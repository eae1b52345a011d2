#!/bin/bash
# `sidetrace list -e`: every event of the kernel's available_events, as SYSTEM:EVENT, and globs.
. "$(dirname "$0")/../lib.sh"
need_tracefs

out=$("$SIDETRACE" list -e 'sched:*') || fail "list -e 'sched:*' exited $?"
grep -qx 'sched:sched_switch' <<<"$out" || fail "list -e 'sched:*' lacks sched:sched_switch"
grep -v '^sched:' <<<"$out" && fail "list -e 'sched:*' lists events of other systems"
# The same set as the kernel's own list (read at the same moment: probes may come and go).
want=$(grep '^sched:' $T/available_events | sort)
assert_same "sched events" "$want" "$(sort <<<"$out")"

# Without a glob: everything in available_events (other tests may add or remove probe
# events meanwhile, so compare the stable systems only).
all=$("$SIDETRACE" list -e) || fail "list -e exited $?"
kernel=$(sort $T/available_events)
assert_same "all sched/irq/syscalls events" "$(grep -E '^(sched|irq|syscalls):' <<<"$kernel")" \
	"$(sort <<<"$all" | grep -E '^(sched|irq|syscalls):')"
[ "$(wc -l <<<"$all")" -gt 1000 ] || fail "list -e gave only $(wc -l <<<"$all") events"

# One word globs either side; the -eGLOB and --events=GLOB spellings are the same.
out=$("$SIDETRACE" list -e '*switch*') || fail "list -e '*switch*' exited $?"
grep -qx 'sched:sched_switch' <<<"$out" || fail "'*switch*' lacks sched:sched_switch"
grep -qvE ':.*switch' <<<"$out" && fail "'*switch*' lists an event without 'switch' in its name"
out2=$("$SIDETRACE" list --events='*switch*') || fail "--events= exited $?"
assert_same "--events=GLOB" "$out" "$out2"
out=$("$SIDETRACE" list -esched) || fail "list -esched exited $?"
assert_same "one-word system glob" "$want" "$out"

# A glob that matches nothing: a one-line note and exit 1.
err=$("$SIDETRACE" list -e 'nosuchsystem:nosuchevent' 2>&1 >/dev/null)
rc=$?
[ $rc -eq 1 ] || fail "no match exited $rc, expected 1"
[ "$(wc -l <<<"$err")" -eq 1 ] || fail "no match: expected one line on stderr, got: $err"
exit 0
