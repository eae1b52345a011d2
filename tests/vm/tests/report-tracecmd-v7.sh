# trace-cmd record in the VM writes trace.dat version 7 (zstd-compressed by
# default); the host's sidetrace report must read it like trace-cmd report.
guest() {
	run_or_fail record "trace-cmd record -e sched -o t.dat ls /" \
		trace-cmd record -e sched -o t.dat ls /
	[ -s t.dat ] || fail "trace-cmd record wrote no t.dat"
}

host() {
	local ver
	ver=$(dat_version t.dat)
	note "t.dat is trace.dat version $ver"
	run_or_fail tc-report "host trace-cmd report -i t.dat" trace-cmd report -i t.dat
	grep -q 'sched_process_exec:.*filename=[^ ]*/ls ' tc-report.out ||
		fail "t.dat holds no sched_process_exec event of ls (trace-cmd report: tc-report.out)"
	run_or_fail st-report "sidetrace report of trace-cmd's trace.dat version $ver: sidetrace report -i t.dat" \
		"$SIDETRACE" report -i t.dat
	same_report "sidetrace report vs trace-cmd report on t.dat (version $ver)" \
		tc-report.out st-report.out
}
