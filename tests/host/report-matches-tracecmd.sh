#!/bin/bash
# `sidetrace report` must print what `trace-cmd report` 3.1.6 prints, byte for
# byte: on a file of ours (record), on trace-cmd files with two instance
# buffers and a date, with the options both tools share, and on every
# fixture in tests/fixtures/.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd trace-cmd

compared=0

same_as_tracecmd() { # FILE [OPTIONS...]: both reports must be identical
	local f=$1 ours theirs
	shift
	ours=$TEST_TMP/ours.txt theirs=$TEST_TMP/theirs.txt
	# trace-cmd 3.1.6 attaches -F to the input file named after it, so it goes
	# first. Both load our plugin: `-e all` also takes the probe events of
	# whatever else runs sidetrace on the machine (record --files groups).
	TRACEEVENT_PLUGIN_DIR=$TOP/plugins trace-cmd report "$@" -i "$f" >"$theirs" 2>"$TEST_TMP/theirs.err" ||
		fail "trace-cmd report $* -i $f failed: $(cat "$TEST_TMP/theirs.err")"
	"$SIDETRACE" report -i "$f" "$@" >"$ours" 2>"$TEST_TMP/ours.err" ||
		fail "sidetrace report -i $f $* failed: $(cat "$TEST_TMP/ours.err")"
	if ! cmp -s "$ours" "$theirs"; then
		diff "$theirs" "$ours" | head -20 >&2
		fail "report -i $(basename "$f") $* differs from trace-cmd (< trace-cmd, > sidetrace)"
	fi
	compared=$((compared + 1))
}

# 1. A file of ours.
f=$TEST_TMP/ls.dat
if out=$("$SIDETRACE" record -q -e sched:sched_process_exec -e syscalls:sys_enter_openat \
		-o "$f" ls / 2>&1 >/dev/null); then
	grep -q ': sched_process_exec: ' <("$SIDETRACE" report -i "$f") ||
		fail "no sched_process_exec line in the report of 'ls /'"
	pid=$("$SIDETRACE" report -i "$f" | sed -n 's/^ *ls-\([0-9]*\) .*sched_process_exec.*/\1/p' | head -1)
	[ -n "$pid" ] || fail "cannot find the pid of ls in the report"
	for opts in "" "-t" "-R" "-N" "--cpu 0" "--cpu 1" "--cpu 0-1" "--pid $pid" "--comm ls" \
		    "-F sys_enter_openat" "-F sched_process_exec:pid>0" "-E" "--uname" "--version" \
		    "--stat" "--first-event" "--last-event" "--last-event -t"; do
		# shellcheck disable=SC2086
		same_as_tracecmd "$f" $opts
	done
	# Every event of the kernel: each kind of print format, plugin and the
	# compiled formats (report_fast.c) against libtraceevent through trace-cmd.
	all=$TEST_TMP/all.dat
	"$SIDETRACE" record -q -e all -b 4096 -o "$all" sh -c 'ls -R /usr/share/doc/bash >/dev/null' \
		>/dev/null 2>"$TEST_TMP/err" || fail "record -e all failed: $(cat "$TEST_TMP/err")"
	[ "$("$SIDETRACE" report -i "$all" | wc -l)" -gt 1000 ] || fail "record -e all: too few events"
	same_as_tracecmd "$all"
	same_as_tracecmd "$all" -N
	# Lost events: a tiny ring buffer under a syscall storm gives "CPU:N [M EVENTS DROPPED]".
	storm=$TOP/tests/progs/syscall_storm
	if [ -x "$storm" ]; then
		lost=$TEST_TMP/lost.dat
		"$SIDETRACE" record -q -b 8 -e raw_syscalls -o "$lost" "$storm" 0.2 >/dev/null 2>&1 ||
			fail "record of the syscall storm failed"
		if grep -q '^CPU:[0-9]* \[[0-9]* *EVENTS DROPPED\]$' <("$SIDETRACE" report -i "$lost"); then
			same_as_tracecmd "$lost"
		else
			note "no events were lost with -b 8: the drop lines are not compared"
		fi
	else
		note "tests/progs/syscall_storm is not built: lost events are not compared"
	fi
elif grep -q 'not implemented yet' <<<"$out"; then
	note "sidetrace record is not implemented yet: skipping the record part"
else
	fail "sidetrace record failed: $out"
fi

# 2. trace-cmd's own files with two instance buffers (lines get buffer names)
# and with a DATE option (--date: timestamps become wall-clock time). They are
# stored fixtures, not made here: `trace-cmd extract` writes the top level's
# current_tracer, which expands a never-used top-level buffer for good, and a
# test must leave the machine as it found it.
for m in "$TOP"/tests/fixtures/tracecmd/multibuf.dat "$TOP"/tests/fixtures/tracecmd/date.dat; do
	for opts in "" "-t" "-R" "-E" "--uname" "--stat"; do
		# shellcheck disable=SC2086
		same_as_tracecmd "$m" $opts
	done
done
grep -q '^fx1: ' <("$SIDETRACE" report -i "$TOP"/tests/fixtures/tracecmd/multibuf.dat) ||
	fail "no line with a buffer name in the multi-buffer report"

# 3. Fixtures. Debian's trace-cmd is built without zlib: for a file it cannot
# open, sidetrace must still print one "cpus=" line and some events.
for f in "$TOP"/tests/fixtures/*.dat; do
	[ -f "$f" ] || continue
	if trace-cmd report -i "$f" >/dev/null 2>&1; then
		same_as_tracecmd "$f"
		same_as_tracecmd "$f" -R
	else
		note "trace-cmd cannot read $(basename "$f"): checking sidetrace alone"
		"$SIDETRACE" report -i "$f" >"$TEST_TMP/ours.txt" || fail "sidetrace report -i $f failed"
		head -1 "$TEST_TMP/ours.txt" | grep -q '^cpus=[0-9]*$' || fail "$f: no cpus= line"
		[ "$(wc -l <"$TEST_TMP/ours.txt")" -gt 1 ] || fail "$f: no events"
	fi
done

note "$compared reports identical to trace-cmd's"
[ $compared -ge 5 ] || fail "only $compared comparisons ran"
exit 0
