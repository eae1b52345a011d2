#!/bin/bash
# Ctrl-C at any moment of record: a terminal sends SIGINT to the whole process
# group (record and its workload) during set-up, while recording, or (for an
# open-ended recording) as its normal end. Each time record must exit by itself
# (not die of the signal) with a message, leave tracefs as it was (its
# instance, undo list and probes gone), and leave either no file or a complete
# one. tests/progs/signal_group is the terminal: it tells an exit from a death
# by signal, which the shell's 128+N cannot.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd trace-cmd
GROUP=$TOP/tests/progs/signal_group
[ -x "$GROUP" ] || make -s -C "$TOP" tests/progs/signal_group >&2 || skip "cannot build tests/progs/signal_group"

before=$(tracefs_fingerprint_static)
cd "$TEST_TMP" || fail "no scratch directory"

# What a recording by pid $1 may have left behind; empty when nothing.
leftovers() { # PID
	[ -d "$T/instances/sidetrace-$1" ] && echo "instance sidetrace-$1"
	[ -e "/run/sidetrace/record-$1.undo" ] && echo "undo list /run/sidetrace/record-$1.undo"
	grep -E "^[a-z]:sidetrace(_files)?_$1/" "$T/uprobe_events"
	ls | grep -vxE 'out\.dat|err|ready|report'	# e.g. its temporary files
}

# One Ctrl-C: WHAT DELAY_MS EXPECTED_STATUS_IF_RECORDED [signal_group options] -- record args
ctrl_c() {
	local what=$1 delay=$2 want=$3 opts=()
	shift 3
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	rm -f out.dat ready err
	set -- "$("$GROUP" "${opts[@]}" "$delay" "$SIDETRACE" record -o out.dat "$@" 2>err)"
	local pid=${1%% *} how=${1#* } left
	what="$what, SIGINT ${delay} ms after $( [ ${#opts[@]} = 0 ] && echo exec || echo set-up)"
	[ -n "$pid" ] || fail "$what: signal_group failed"
	left=$(leftovers "$pid")
	[ -z "$left" ] || fail "$what: left behind: $left"
	assert_same "$what: tracefs state" "$before" "$(tracefs_fingerprint_static)"
	case $how in
	"signal 2")
		# Only before main() runs (the dynamic loader): nothing done, nothing to say.
		[ ! -s err ] && [ ! -e out.dat ] ||
			fail "$what: record died of the signal: $(cat err)"
		note "$what: SIGINT came before record started"
		return ;;
	"exit "*) ;;
	*) fail "$what: record ended by $how: $(cat err)" ;;
	esac
	[ -s err ] || fail "$what: record said nothing"
	if grep -q "^sidetrace record: stopped by SIGINT before the recording started; no file was written$" err; then
		[ "$how" = "exit 130" ] || fail "$what: stopped in set-up, $how instead of exit 130"
		[ ! -e out.dat ] || fail "$what: stopped in set-up, yet left out.dat"
		return
	fi
	[ "$how" = "exit $want" ] || fail "$what: $how instead of exit $want: $(cat err)"
	[ -s out.dat ] || fail "$what: exit $want and no output: $(cat err)"
	"$SIDETRACE" report -i out.dat >report 2>&1 || fail "$what: sidetrace report: $(tail -1 report)"
	trace-cmd report -i out.dat >report 2>&1 || fail "$what: trace-cmd report: $(tail -1 report)"
}

# A command (exit 130 when Ctrl-C cuts it short) and an open-ended recording
# (Ctrl-C is its normal end: exit 0), at moments from set-up to recording.
for ms in 0 10 30 100 300; do
	ctrl_c "record sleep" $ms 130 -- -e sched:sched_switch sleep 5
	ctrl_c "open-ended record" $ms 0 -- -e sched:sched_switch
done
ctrl_c "record sleep" 100 130 -w ready -- -e sched:sched_switch sh -c 'echo >ready; exec sleep 5'
ctrl_c "open-ended record" 100 0 -w err -- -e sched:sched_switch

# Thousands of uprobes make set-up (and undoing it) long.
bash=$(command -v bash)
for ms in 0 30 100 300; do
	ctrl_c "record --files" $ms 130 -- --files sleep 5
	ctrl_c "record -x bash -g '*'" $ms 130 -- -x "$bash" -g '*' --max-probes 100000 sleep 5
done
ctrl_c "record --files" 100 130 -w ready -- --files sh -c 'echo >ready; exec sleep 5'
ctrl_c "record -x bash -g '*'" 100 130 -w ready -- -x "$bash" -g '*' --max-probes 100000 \
	sh -c 'echo >ready; exec sleep 5'

# SIGTERM (kill, systemd, timeout) is handled the same way: 143 with a command, else 0.
ctrl_c_term() { # WHAT WANT ARGS...
	local what=$1 want=$2
	shift 2
	rm -f out.dat err
	set -- "$("$GROUP" -s 15 -w err 100 "$SIDETRACE" record -o out.dat "$@" 2>err)"
	[ "${1#* }" = "exit $want" ] || fail "$what: SIGTERM: ${1#* } instead of exit $want: $(cat err)"
	trace-cmd report -i out.dat >report 2>&1 || fail "$what: SIGTERM: trace-cmd report: $(tail -1 report)"
	[ -z "$(leftovers "${1%% *}")" ] || fail "$what: SIGTERM: left $(leftovers "${1%% *}")"
}
ctrl_c_term "open-ended record" 0 -e sched:sched_switch
ctrl_c_term "record sleep" 143 -e sched:sched_switch sh -c 'echo >&2 started; exec sleep 5'
assert_same "tracefs state at the end" "$before" "$(tracefs_fingerprint_static)"
exit 0
