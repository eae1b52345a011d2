# The VM kernel has what the function_graph and kprobe work needs.
T=/sys/kernel/tracing

guest() {
	grep -qw function_graph $T/available_tracers ||
		fail "no function_graph in available_tracers: $(cat $T/available_tracers)"
	grep -qw function $T/available_tracers || fail "no function tracer"
	[ -e $T/kprobe_events ] || fail "no kprobe_events"
	[ -e $T/uprobe_events ] || fail "no uprobe_events"
	[ -e /sys/kernel/btf/vmlinux ] || fail "no /sys/kernel/btf/vmlinux"
	grep -qx do_sys_openat2 $T/available_filter_functions ||
		fail "do_sys_openat2 is not in available_filter_functions"
	echo 'p:vmtest/o1 do_sys_openat2 filename=+0(%si):ustring' >>$T/kprobe_events ||
		fail "kprobe_events refused a kprobe with a ustring fetch"
	grep -q 'vmtest/o1' $T/kprobe_events || fail "the kprobe is not listed"
	echo '-:vmtest/o1' >>$T/kprobe_events || fail "cannot remove the kprobe"
}
