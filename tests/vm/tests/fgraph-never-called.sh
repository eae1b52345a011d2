# trace-cmd's documented example, `record -p function_graph -g do_sys_open ls`,
# records nothing on 6.1 (openat reaches do_sys_openat2 without passing through
# do_sys_open). record must say so at its end, naming do_sys_openat2, and so
# must report of the file (on the host, from what the file carries); trace-cmd
# still reads the file. No hint when the function ran: -g do_sys_openat2, and
# with the function tracer -l for the function that ran next to one that did not.
record_expected=(
	'^on this kernel the function_graph tracer runs only at the top level: recording there; its settings are restored afterwards$'
	'^do_sys_open was never called \(it may be inlined into its callers on this kernel, or not be on the workload.s path\); did you mean do_sys_openat2\?$'
)
HINT="do_sys_open was never called (it may be inlined into its callers on this kernel, or not be on the workload's path); did you mean do_sys_openat2"

# WHAT FILE: FILE has exactly one line, the hint about do_sys_open, from CMD.
expect_hint() { # WHAT CMD FILE
	local n
	n=$(grep -c 'never called\|was called' "$3")
	[ "$n" = 1 ] || fail "$1: $n hint lines, not 1: $(cat "$3")"
	grep -qF "sidetrace $2: $HINT" "$3" || fail "$1: no hint naming do_sys_openat2: $(cat "$3")"
}

expect_no_hint() { # WHAT FILE
	! grep -q 'never called\|was called' "$2" || fail "$1: a hint though the function ran: $(cat "$2")"
}

guest() {
	run_or_fail never "sidetrace record -p function_graph -g do_sys_open" \
		"$SIDETRACE" record -p function_graph -g do_sys_open -o never.dat ls /
	expect_hint "record -g do_sys_open" record never.err
	grep -q ', 0 events,' never.err || note "-g do_sys_open recorded events on this kernel"

	run_or_fail ran "sidetrace record -p function_graph -g do_sys_openat2" \
		"$SIDETRACE" record -p function_graph -g do_sys_openat2 -o ran.dat ls /
	expect_no_hint "record -g do_sys_openat2" ran.err

	# The function tracer: one -l function ran (vfs_read), one did not.
	run_or_fail fn "sidetrace record -p function -l do_sys_open -l vfs_read" \
		"$SIDETRACE" record -p function -l do_sys_open -l vfs_read -o fn.dat ls /
	expect_hint "record -l do_sys_open -l vfs_read" record fn.err
	grep -q 'vfs_read.*never called' fn.err && fail "a hint about vfs_read, which ran"
	return 0
}

host() {
	run_or_fail report "sidetrace report of the -g do_sys_open file" \
		"$SIDETRACE" report -i never.dat
	expect_hint "report of the -g do_sys_open file" report report.err
	run_or_fail report-ran "sidetrace report of the -g do_sys_openat2 file" \
		"$SIDETRACE" report -i ran.dat
	expect_no_hint "report of the -g do_sys_openat2 file" report-ran.err
	grep -q 'do_sys_openat2() {' report-ran.out || fail "the -g do_sys_openat2 report has no do_sys_openat2() {"
	run_or_fail report-fn "sidetrace report of the -l file" "$SIDETRACE" report -i fn.dat
	expect_hint "report of the -l do_sys_open -l vfs_read file" report report-fn.err
	grep -q 'function: *vfs_read' report-fn.out || fail "the -l report has no vfs_read"
	# sidetrace's own option is one trace-cmd skips.
	if command -v trace-cmd >/dev/null; then
		run_or_fail tc-report "trace-cmd report of the -g do_sys_open file" \
			trace-cmd report -i never.dat
		run_or_fail tc-report-fn "trace-cmd report of the -l file" trace-cmd report -i fn.dat
		grep -q 'function: *vfs_read' tc-report-fn.out || fail "trace-cmd report of the -l file has no vfs_read"
	fi
}
