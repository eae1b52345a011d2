# sidetrace record -e sched in the VM; on the host, trace-cmd report and
# sidetrace report read the file and print the same lines.
guest() {
	run_or_fail record "sidetrace record -e sched -o s.dat ls /" \
		"$SIDETRACE" record -e sched -o s.dat ls /
	[ -s s.dat ] || fail "sidetrace record exited 0 but wrote no s.dat"
}

host() {
	run_or_fail tc-report "host trace-cmd report -i s.dat" trace-cmd report -i s.dat
	grep -q 'sched_process_exec:.*filename=[^ ]*/ls ' tc-report.out ||
		fail "s.dat holds no sched_process_exec event of ls (trace-cmd report: tc-report.out)"
	run_or_fail st-report "sidetrace report -i s.dat" "$SIDETRACE" report -i s.dat
	same_report "sidetrace report vs trace-cmd report on s.dat" tc-report.out st-report.out
}
