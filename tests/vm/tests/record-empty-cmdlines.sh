# record -p function_graph -g do_sys_open ls: on 6.1 openat does not pass
# through do_sys_open, so nothing is recorded, and saved_cmdlines (which the
# kernel fills only from recorded events) stays empty. An empty file is no
# error: record must not warn "cannot read saved_cmdlines (<a stale errno>)",
# and the file must still be one report and trace-cmd read.
T=/sys/kernel/tracing

record_expected=(
	'^on this kernel the function_graph tracer runs only at the top level: recording there; its settings are restored afterwards$'
	'^do_sys_open was never called'	# the hint for a -g function that did not run
)

guest() {
	# Writing saved_cmdlines_size (even its own value) empties saved_cmdlines.
	cat $T/saved_cmdlines_size >$T/saved_cmdlines_size || fail "cannot reset saved_cmdlines"
	[ -s $T/saved_cmdlines ] && fail "saved_cmdlines is not empty after a reset: $(head -n 3 $T/saved_cmdlines)"
	run_or_fail record "sidetrace record -p function_graph -g do_sys_open ls" \
		"$SIDETRACE" record -p function_graph -g do_sys_open -o open.dat ls /
	[ -s $T/saved_cmdlines ] &&
		fail "saved_cmdlines filled during the recording; the empty case was not tested"
	grep saved_cmdlines record.err && fail "record warned about the empty saved_cmdlines"
	run_or_fail report "sidetrace report of the empty recording" "$SIDETRACE" report -i open.dat
	run_or_fail tracecmd "trace-cmd report of the empty recording" trace-cmd report -i open.dat
}
