# sidetrace probe on a kernel with kprobes (6.1): a BTF-named string parameter
# of do_sys_openat2 becomes a ustring fetch that reports the file names `cat`
# opens, a return probe reports $retval, -l lists both, -d removes them and
# kprobe_events is back to what it was. Also a uprobe on bash's readline here.
T=/sys/kernel/tracing

guest() {
	local before inst=$T/instances/sidetrace-vm-probe
	[ -e $T/kprobe_events ] || fail "no kprobe_events in the VM kernel"
	before=$(cat $T/kprobe_events)
	run_or_fail vars "probe -V do_sys_openat2" "$SIDETRACE" probe -V do_sys_openat2
	grep -qE 'filename\s+\+0\(%si\):ustring' vars.out || fail "-V: $(cat vars.out)"
	run_or_fail add "adding kprobes" "$SIDETRACE" probe -a 'do_sys_openat2 filename:string dfd' \
		-a 'do_sys_openat2%return $retval'
	grep -q '^  probe:do_sys_openat2 (on do_sys_openat2 with filename=+0(%si):ustring dfd=%di:s32)' add.out ||
		fail "add printed: $(cat add.out)"
	grep -q '^  probe:do_sys_openat2__return (on do_sys_openat2%return' add.out || fail "add: $(cat add.out)"
	run_or_fail list "probe -l" "$SIDETRACE" probe -l
	grep -q 'probe:do_sys_openat2 ' list.out || fail "-l: $(cat list.out)"
	grep -q 'probe:do_sys_openat2__return ' list.out || fail "-l: $(cat list.out)"

	mkdir $inst || fail "cannot create an instance"
	echo 1 > $inst/events/probe/enable || fail "cannot enable group probe"
	cat /etc/hostname /sidetrace-vm-no-such-file >/dev/null 2>&1
	echo 0 > $inst/events/probe/enable
	grep -v '^#' $inst/trace > trace.txt
	rmdir $inst
	grep -q 'do_sys_openat2: (do_sys_openat2+0x0/0x[0-9a-f]*) filename="/etc/hostname" dfd=-100' trace.txt ||
		fail "no /etc/hostname open in the trace: $(head -n 5 trace.txt)"
	grep -q 'filename="/sidetrace-vm-no-such-file"' trace.txt || fail "no failed open in the trace"
	grep -q 'do_sys_openat2__return: (.* <- do_sys_openat2) arg1=-2$' trace.txt ||
		fail "no -ENOENT return in the trace"

	run_or_fail del "probe -d" "$SIDETRACE" probe -d 'probe:do_sys_openat2*'
	[ "$(cat $T/kprobe_events)" = "$before" ] || fail "kprobe_events not restored: $(cat $T/kprobe_events)"

	# A user probe next to it: readline%return in the VM's bash.
	run_or_fail uadd "adding a uprobe" "$SIDETRACE" probe -x bash 'readline%return +0($retval):string'
	grep -q '^  probe_bash:readline__return ' uadd.out || fail "uprobe add: $(cat uadd.out)"
	run_or_fail udel "deleting the uprobe" "$SIDETRACE" probe -d probe_bash:readline__return
}
