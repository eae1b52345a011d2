# trace-cmd records function_graph in the VM and the host's trace-cmd report
# reads it. The file is kept as tests/logs/vm/function_graph.dat (with
# trace-cmd's report in function_graph.txt): a fixture for sidetrace report's
# function_graph printer.
guest() {
	run_or_fail record "trace-cmd record -p function_graph -g do_sys_openat2 -o fg.dat ls /" \
		trace-cmd record -p function_graph -g do_sys_openat2 -o fg.dat ls /
	[ -s fg.dat ] || fail "trace-cmd record wrote no fg.dat"
}

host() {
	run_or_fail tc-report "host trace-cmd report -i fg.dat" trace-cmd report -i fg.dat
	grep -q 'funcgraph_entry:.*do_sys_openat2() {' tc-report.out ||
		fail "no funcgraph_entry of do_sys_openat2 in the report (tc-report.out)"
	grep -q 'funcgraph_exit:' tc-report.out || fail "no funcgraph_exit in the report"
	mkdir -p "$TOP/tests/logs/vm"
	cp fg.dat "$TOP/tests/logs/vm/function_graph.dat"
	cp tc-report.out "$TOP/tests/logs/vm/function_graph.txt"
	note "kept $TOP/tests/logs/vm/function_graph.dat ($(wc -l <tc-report.out) report lines)"
}
