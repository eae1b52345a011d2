# The function tracer in sidetrace's own instance (the 6.1 kernel allows it
# there, with set_ftrace_filter/notrace and set_ftrace_pid):
# -p function -l 'vfs_*' -n 'vfs_getattr*' -F records only matching functions
# of ls; -P only the process attached to; --func-stack adds a kernel stack to each; a misspelt function fails
# with the closest names. The tracing state is the same after each.
T=/sys/kernel/tracing

# The misspelt function.
record_expected=("^-l: no traceable function matches 'vfs_raed' \\(closest: ")

guest() {
	local before after
	# Setting a tracer in any instance makes the 6.1 kernel mark the unused
	# top-level buffer ("7 (expanded: 1408)") expanded; record then expands it
	# (and the fingerprint would differ). Start from a used one.
	echo 1408 >$T/buffer_size_kb || fail "cannot size the top-level buffer"
	before=$(tracefs_fingerprint)
	echo "$before" >before.txt
	run_or_fail record "sidetrace record -p function -l 'vfs_*' -n 'vfs_getattr*' -F" \
		"$SIDETRACE" record -p function -l 'vfs_*' -n 'vfs_getattr*' -F -o fn.dat ls /
	grep -q 'top level' record.err && fail "the function tracer left the instance: $(cat record.err)"
	assert_same "the tracing state after a function record" "$before" "$(tracefs_fingerprint)"

	run_or_fail stack "sidetrace record -p function -l vfs_read --func-stack" \
		"$SIDETRACE" record -p function -l vfs_read --func-stack -F -o stack.dat ls /
	assert_same "the tracing state after a --func-stack record" "$before" "$(tracefs_fingerprint)"

	# -P: only that process (set_ftrace_pid), until it exits. It starts its
	# work once the recording is on: the instance has the tracer and tracing_on
	# 1 (a new instance starts with tracing_on 1, so that alone is too early).
	rm -f go
	sh -c 'while [ ! -e go ]; do sleep 0.1; done
	       exec dd if=/dev/zero of=/dev/null bs=1 count=2000 2>/dev/null' &
	echo $! >attach.pid
	"$SIDETRACE" record -p function -l 'vfs_*' -P "$(cat attach.pid)" -o attach.dat \
		>attach.out 2>attach.err &
	local rec=$! tries=0
	until [ "$(cat $T/instances/sidetrace-$rec/current_tracer 2>/dev/null)" = function ] &&
	      [ "$(cat $T/instances/sidetrace-$rec/tracing_on 2>/dev/null)" = 1 ]; do
		tries=$((tries + 1))
		[ $tries -lt 300 ] || { touch go; fail "record -P did not start in 30 s"; }
		sleep 0.1
	done
	touch go
	wait $rec || fail "record -p function -P failed: $(tail -n 1 attach.err)"
	wait
	assert_same "the tracing state after a -P function record" "$before" "$(tracefs_fingerprint)"

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

	run_or_fail attach-report "sidetrace report -i attach.dat" "$SIDETRACE" report -i attach.dat
	grep -q "dd-$(cat attach.pid) .*function: *vfs_write$" attach-report.out ||
		fail "-P: no vfs_write of dd $(cat attach.pid) in attach.dat"
	awk -v pid="$(cat attach.pid)" '/ function: / && $1 !~ "-" pid "$" { print; bad = 1 }
	     END { exit bad }' attach-report.out >others.txt ||
		fail "-P recorded other tasks: $(head -n 3 others.txt)"

	run_or_fail stack-report "sidetrace report -i stack.dat" "$SIDETRACE" report -i stack.dat
	grep -q 'kernel_stack:' stack-report.out || fail "--func-stack recorded no kernel_stack"
	grep -q '=> vfs_read\|=> ksys_read' stack-report.out || fail "the stacks do not show the read path"
	run_or_fail tc-stack "host trace-cmd report -i stack.dat" trace-cmd report -i stack.dat
	same_report "sidetrace report vs trace-cmd report on stack.dat" tc-stack.out stack-report.out
}
