# --max-graph-depth 2 keeps function_graph to do_sys_openat2 and the functions
# it calls directly; an -e event is recorded with it (at the top level too).
# Before the record the top level gets non-default function tracer settings
# that the record overwrites (a module function in
# set_ftrace_filter, set_graph_function, max_graph_depth, ftrace_enabled 0,
# which record must turn on and back off): all come back exactly.
T=/sys/kernel/tracing

# 6.1 runs function_graph only at the top level, and record says so.
record_expected=(
	'^on this kernel the function_graph tracer runs only at the top level: recording there; its settings are restored afterwards$'
)

guest() {
	local before after modfunc
	echo 1408 >$T/buffer_size_kb || fail "cannot size the top-level buffer"
	modfunc=$(grep -m1 ' \[virtio_ring\]$' $T/available_filter_functions | cut -d' ' -f1)
	[ -n "$modfunc" ] || fail "no virtio_ring function in available_filter_functions"
	echo "$modfunc:mod:virtio_ring" >$T/set_ftrace_filter || fail "cannot write set_ftrace_filter"
	echo vfs_fsync >$T/set_graph_function || fail "cannot write set_graph_function"
	echo 10 >$T/max_graph_depth || fail "cannot write max_graph_depth"
	echo 0 >/proc/sys/kernel/ftrace_enabled || fail "cannot write ftrace_enabled"
	before=$(tracefs_fingerprint)
	echo "$before" >before.txt
	grep -q "^$modfunc \[virtio_ring\]" before.txt || fail "set_ftrace_filter does not show $modfunc"
	run_or_fail record "sidetrace record -p function_graph -g do_sys_openat2 --max-graph-depth 2" \
		"$SIDETRACE" record -p function_graph -g do_sys_openat2 -l '*' --max-graph-depth 2 \
		-e sched:sched_process_exec -o d2.dat ls /
	after=$(tracefs_fingerprint)
	echo "$after" >after.txt
	assert_same "the tracing state after a --max-graph-depth record" "$before" "$after"
	echo 1 >/proc/sys/kernel/ftrace_enabled
	echo >$T/set_ftrace_filter
	echo >$T/set_graph_function
	echo 0 >$T/max_graph_depth
}

host() {
	local deepest
	run_or_fail raw "sidetrace report -R -i d2.dat" "$SIDETRACE" report -R -i d2.dat
	grep -q 'funcgraph_entry: *func=do_sys_openat2 depth=0' raw.out ||
		fail "no depth-0 entry of do_sys_openat2 (raw.out)"
	grep -q 'funcgraph_.*depth=1' raw.out || fail "no call at depth 1 (raw.out)"
	grep -q 'sched_process_exec:.*/ls' raw.out || fail "the -e event is not in d2.dat"
	deepest=$(grep -o 'funcgraph_[a-z]*: *func=[^ ]* depth=[0-9]*' raw.out |
		sed 's/.*depth=//' | sort -n | tail -n 1)
	[ "$deepest" = 1 ] || fail "--max-graph-depth 2 recorded depth $deepest"
	run_or_fail tc-report "host trace-cmd report -i d2.dat" trace-cmd report -i d2.dat
	run_or_fail st-report "sidetrace report -i d2.dat" "$SIDETRACE" report -i d2.dat
	same_report "sidetrace report vs trace-cmd report on d2.dat" tc-report.out st-report.out
}
