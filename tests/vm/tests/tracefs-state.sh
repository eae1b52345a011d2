# sidetrace record leaves the VM kernel's tracing state as it found it. The
# VM is ours alone, so the state first gets non-default values that a careless
# reset would lose: an enabled event and a filter at the top level, a kprobe, a
# non-default clock and buffer size, tracing off, and an instance.
T=/sys/kernel/tracing

# The failed record of an event that does not exist.
record_expected=("^no event matches 'no_such_system_xyz'$")

guest() {
	local before after
	echo 1 >$T/events/sched/sched_wakeup/enable || fail "cannot enable sched_wakeup"
	echo 'next_prio < 100' >$T/events/sched/sched_switch/filter || fail "cannot set a filter"
	echo 'p:vmtest/keep do_sys_openat2' >>$T/kprobe_events || fail "cannot add a kprobe"
	echo mono >$T/trace_clock || fail "cannot set trace_clock"
	echo 1234 >$T/buffer_size_kb || fail "cannot set buffer_size_kb"
	echo 0 >$T/tracing_on
	mkdir $T/instances/vmtest-keep || fail "cannot create an instance"

	before=$(tracefs_fingerprint)
	echo "$before" >before.txt
	run_or_fail record "sidetrace record -e sched -o f.dat ls /" \
		"$SIDETRACE" record -e sched -o f.dat ls /
	after=$(tracefs_fingerprint)
	echo "$after" >after.txt
	assert_same "the tracefs state after sidetrace record" "$before" "$after"

	# A record that fails (unknown event) must not leave anything behind either.
	"$SIDETRACE" record -e no_such_system_xyz -o g.dat ls / >bad.out 2>bad.err &&
		fail "sidetrace record -e no_such_system_xyz succeeded"
	after=$(tracefs_fingerprint)
	assert_same "the tracefs state after a failed sidetrace record" "$before" "$after"
}
