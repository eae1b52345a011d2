# The function tracer in sidetrace's own instance (the 6.1 kernel allows it
# there, with set_ftrace_filter/notrace and set_ftrace_pid):
# -p function -l 'vfs_*' -n 'vfs_getattr*' -F records only matching functions
# of ls; --func-stack adds a kernel stack to each; a misspelt function fails
# with the closest names. The tracing state is the same after each.
T=/sys/kernel/tracing

guest() {
	local before after
	before=$(tracefs_fingerprint)
	echo "$before" >before.txt
	run_or_fail record "sidetrace record -p function -l 'vfs_*' -n 'vfs_getattr*' -F" \
		"$SIDETRACE" record -p function -l 'vfs_*' -n 'vfs_getattr*' -F -o fn.dat ls /
	grep -q 'top level' record.err && fail "the function tracer left the instance: $(cat record.err)"
	assert_same "the tracing state after a function record" "$before" "$(tracefs_fingerprint)"

	run_or_fail stack "sidetrace record -p function -l vfs_read --func-stack" \
		"$SIDETRACE" record -p function -l vfs_read --func-stack -F -o stack.dat ls /
	assert_same "the tracing state after a --func-stack record" "$before" "$(tracefs_fingerprint)"

	"$SIDETRACE" record -p function -l vfs_raed -o bad.dat ls / >bad.out 2>bad.err &&
		fail "record -l vfs_raed succeeded"
	grep -q "no traceable function matches 'vfs_raed' (closest: .*vfs_read" bad.err ||
		fail "record -l vfs_raed: unexpected message: $(cat bad.err)"
	[ "$(wc -l <bad.err)" = 1 ] || fail "record -l vfs_raed printed more than one line"
	[ -e bad.dat ] && fail "a failed record left bad.dat"
	after=$(tracefs_fingerprint)
	assert_same "the tracing state after a failed function record" "$before" "$after"
}

host() {
	run_or_fail st-report "sidetrace report -i fn.dat" "$SIDETRACE" report -i fn.dat
	grep -q 'function: *vfs_read$' st-report.out || fail "no vfs_read call in fn.dat"
	awk '/ function: / && ($NF !~ /^vfs_/ || $NF ~ /^vfs_getattr/) { print; bad = 1 }
	     / function: / && $1 !~ /^ls-/ { print; bad = 1 }
	     END { exit bad }' st-report.out >unwanted.txt ||
		fail "fn.dat has calls that -l/-n/-F exclude: $(head -n 3 unwanted.txt)"
	run_or_fail tc-report "host trace-cmd report -i fn.dat" trace-cmd report -i fn.dat
	same_report "sidetrace report vs trace-cmd report on fn.dat" tc-report.out st-report.out

	run_or_fail stack-report "sidetrace report -i stack.dat" "$SIDETRACE" report -i stack.dat
	grep -q 'kernel_stack:' stack-report.out || fail "--func-stack recorded no kernel_stack"
	grep -q '=> vfs_read\|=> ksys_read' stack-report.out || fail "the stacks do not show the read path"
	run_or_fail tc-stack "host trace-cmd report -i stack.dat" trace-cmd report -i stack.dat
	same_report "sidetrace report vs trace-cmd report on stack.dat" tc-stack.out stack-report.out
}
