# record --stack with a kprobe (6.1): every hit of do_sys_openat2 comes with the
# kernel stack that led to it, printed by report with kallsyms' names (the
# system call entry), and the instance's stacktrace options do not leak into
# the top level. The kprobe is removed afterwards.
T=/sys/kernel/tracing

guest() {
	local before opts
	[ -e $T/kprobe_events ] || fail "no kprobe_events in the VM kernel"
	before=$(cat $T/kprobe_events)
	opts=$(cat $T/trace_options)
	run_or_fail add "adding a kprobe" "$SIDETRACE" probe -q 'sidetest_stack=do_sys_openat2 filename:string'
	run_or_fail rec "record --stack" "$SIDETRACE" record -q --stack -e probe:sidetest_stack -o stack.dat \
		cat /etc/os-release
	run_or_fail rep "report" "$SIDETRACE" report -i stack.dat
	# (busybox's VM has no /etc/os-release: the open is tried all the same)
	grep -qE 'sidetest_stack: +\(ffffffff[0-9a-f]+\) filename="/etc/os-release"' rep.out ||
		fail "no hit in the report: $(head -n 5 rep.out)"
	# The stack after the hit: the system call that opened the file, by name.
	sed -n '/filename="\/etc\/os-release"/,/ user_stack: /p' rep.out > stack.txt
	grep -q ' kernel_stack: *<stack trace >' stack.txt || fail "no kernel stack after the hit: $(cat stack.txt)"
	grep -qE '^=> (__x64_sys_openat|do_syscall_64) \(ffffffff[0-9a-f]+\)$' stack.txt ||
		fail "the kernel stack lacks the system call: $(cat stack.txt)"
	[ "$(cat $T/trace_options)" = "$opts" ] || fail "the top level's trace options changed"
	run_or_fail del "probe -d" "$SIDETRACE" probe -d probe:sidetest_stack
	[ "$(cat $T/kprobe_events)" = "$before" ] || fail "kprobe_events not restored: $(cat $T/kprobe_events)"
}
