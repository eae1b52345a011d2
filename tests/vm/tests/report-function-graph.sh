# sidetrace report prints trace-cmd's function_graph recording from the VM
# (tracecmd-function-graph's fg.dat, a v7 zstd file with funcgraph_entry/exit
# events of a 6.1 kernel) exactly as trace-cmd report does. Host side only:
# it reuses that test's file rather than spending another recording.
host() {
	local fg=../tracecmd-function-graph/fg.dat
	[ -s $fg ] || fail "no $fg: the tracecmd-function-graph test did not produce it"
	run_or_fail tc-report "host trace-cmd report -i fg.dat" trace-cmd report -i $fg
	run_or_fail st-report "sidetrace report -i fg.dat (function_graph)" "$SIDETRACE" report -i $fg
	grep -q 'funcgraph_entry:.*do_sys_openat2() {' st-report.out ||
		fail "sidetrace report shows no funcgraph_entry of do_sys_openat2"
	same_report "sidetrace report vs trace-cmd report on fg.dat" tc-report.out st-report.out
}
