# record --stack with a kprobe (6.1): every hit of do_sys_openat2 comes with the
# kernel stack that led to it, printed by report with kallsyms' names (the
# system call entry), and the instance's stacktrace options do not leak into
# the top level. With a uprobe recorded too (tests/progs/stack_chain), the
# kprobe keeps its kernel stacks (a trigger then), the uprobe hit gets its
# user stack with the program's symbols and no kernel stack. The probes are
# removed afterwards.
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
	# Both kinds: triggers for the kprobe, the user stack for the uprobe.
	run_or_fail uadd "adding a uprobe" "$SIDETRACE" probe -q -x $TOP/tests/progs/stack_chain sidetest_vmu=inner
	run_or_fail rec2 "record --stack with a uprobe" "$SIDETRACE" record -q --stack -F -e probe:sidetest_stack \
		-e probe_stack_chain:sidetest_vmu -o both.dat $TOP/tests/progs/stack_chain
	run_or_fail rep2 "report" "$SIDETRACE" report -i both.dat
	grep -A1 ' sidetest_vmu: ' rep2.out | tail -n 1 | grep -q ' user_stack: ' ||
		fail "the uprobe hit is not followed by its user stack: $(grep -A1 ' sidetest_vmu: ' rep2.out)"
	grep -q "^=> outer+0x[0-9a-f]* ($TOP/tests/progs/stack_chain)$" rep2.out ||
		fail "the user stack is not symbolized: $(grep -A6 ' user_stack: ' rep2.out | head -n 14)"
	grep -A3 ' sidetest_stack: ' rep2.out | grep -q ' kernel_stack: ' ||
		fail "the kprobe hits have no kernel stack: $(grep -A3 ' sidetest_stack: ' rep2.out | head -n 4)"
	[ "$(cat $T/trace_options)" = "$opts" ] || fail "the top level's trace options changed"
	run_or_fail udel "probe -d" "$SIDETRACE" probe -d probe_stack_chain:sidetest_vmu
	run_or_fail del "probe -d" "$SIDETRACE" probe -d probe:sidetest_stack
	[ "$(cat $T/kprobe_events)" = "$before" ] || fail "kprobe_events not restored: $(cat $T/kprobe_events)"
}
