# sidetrace probe's $params and user strings on the 6.1 kernel (BTF from gcc, so
# no __user tags): -V vfs_read proposes a ustring for buf (file_operations'
# read prototype), vfs_write buf:string becomes a ustring that records what the
# shell wrote, and do_sys_openat2 $params expands to every parameter typed from
# BTF, in -D and in the created event, whose hits show dfd=-100 (AT_FDCWD). A
# bit field: task_struct's in_execve (6.1) is 1 when exec renames the task
# (__set_task_comm with exec true). The kprobes are removed afterwards.
T=/sys/kernel/tracing

guest() {
	local before inst=$T/instances/sidetrace-vm-params
	[ -e $T/kprobe_events ] || fail "no kprobe_events in the VM kernel"
	before=$(cat $T/kprobe_events)
	run_or_fail vars "probe -V vfs_read" "$SIDETRACE" probe -V vfs_read
	grep -qE '^\s+char \*\s+buf\s+\+0\(%si\):ustring\s+\(user memory: read/write buffer\)$' vars.out ||
		fail "-V vfs_read: $(grep ' buf ' vars.out)"
	run_or_fail def "probe -D with \$params" "$SIDETRACE" probe -D 'sidetest_params=do_sys_openat2 $params'
	[ "$(cat def.out)" = 'p:probe/sidetest_params do_sys_openat2 dfd=%di:s32 filename=%si:x64 how=%dx:x64' ] ||
		fail "-D printed: $(cat def.out)"
	run_or_fail add "adding the probes" "$SIDETRACE" probe -a 'sidetest_params=do_sys_openat2 $params' \
		-a 'sidetest_write=vfs_write buf:string count' \
		-a 'sidetest_bits=__set_task_comm tsk->in_execve exec tsk->comm'
	grep -qE '^  probe:sidetest_bits \(on __set_task_comm with in_execve=\+[0-9]+\(%di\):b1@[0-9]+/(8|16|32|64) exec=%dx:u8 comm=\+[0-9]+\(%di\):string\)' add.out ||
		fail "add printed: $(cat add.out)"
	grep -q '^  probe:sidetest_params (on do_sys_openat2 with dfd=%di:s32 filename=%si:x64 how=%dx:x64)' add.out ||
		fail "add printed: $(cat add.out)"
	grep -q '^  probe:sidetest_write (on vfs_write with buf=+0(%si):ustring count=%dx:u64)' add.out ||
		fail "add printed: $(cat add.out)"

	mkdir $inst || fail "cannot create an instance"
	echo 1 > $inst/events/probe/sidetest_params/enable || fail "cannot enable the \$params probe"
	echo 1 > $inst/events/probe/sidetest_write/enable || fail "cannot enable the vfs_write probe"
	echo 1 > $inst/events/probe/sidetest_bits/enable || fail "cannot enable the bit field probe"
	/bin/true
	echo sidetrace-ustring-check > /tmp/sidetest-write
	read -r _ < /tmp/sidetest-write
	echo 0 > $inst/events/probe/sidetest_params/enable
	echo 0 > $inst/events/probe/sidetest_write/enable
	echo 0 > $inst/events/probe/sidetest_bits/enable
	grep -v '^#' $inst/trace > trace.txt
	rmdir $inst
	grep -qE 'sidetest_params: \(do_sys_openat2\+0x0/0x[0-9a-f]+\) dfd=-100 filename=0x[0-9a-f]+ how=0x[0-9a-f]+$' trace.txt ||
		fail "no \$params hit with dfd=-100: $(grep sidetest_params trace.txt | head -n 3)"
	grep -qE 'sidetest_write: \(vfs_write\+0x0/0x[0-9a-f]+\) buf="sidetrace-ustring-check' trace.txt ||
		fail "the user buffer of vfs_write was not read: $(grep sidetest_write trace.txt | head -n 3)"

	grep -qE 'sidetest_bits: \(__set_task_comm\+0x0/0x[0-9a-f]+\) in_execve=1 exec=1 comm="' trace.txt ||
		fail "no exec with in_execve=1: $(grep sidetest_bits trace.txt | head -n 3)"
	run_or_fail del "probe -d" "$SIDETRACE" probe -d probe:sidetest_params -d probe:sidetest_write \
		-d probe:sidetest_bits
	[ "$(cat $T/kprobe_events)" = "$before" ] || fail "kprobe_events not restored: $(cat $T/kprobe_events)"
}
