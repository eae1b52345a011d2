# sidetrace probe with struct member access through BTF on a kernel whose
# kprobes know nothing of BTF (6.1): vfs_read's file->f_path.dentry->d_name.name
# compiles to +OFFS() loads that record "hostname" when /etc/hostname is read
# (with the shell's read, as busybox cat uses sendfile), and a member chain
# ending in an integer (file->f_inode->i_sb->s_blocksize_bits, a u8) records a
# plausible block size. do_sys_openat2's how->flags (a kernel copy, read without
# +u) shows the shell's O_RDONLY with the O_LARGEFILE (0100000) that 64-bit
# kernels add. The kprobes are removed afterwards.
T=/sys/kernel/tracing

guest() {
	local before inst=$T/instances/sidetrace-vm-members
	[ -e $T/kprobe_events ] || fail "no kprobe_events in the VM kernel"
	before=$(cat $T/kprobe_events)
	run_or_fail add "adding a member-access kprobe" "$SIDETRACE" probe \
		'sidetest_members=vfs_read file->f_path.dentry->d_name.name:string bits=file->f_inode->i_sb->s_blocksize_bits'
	grep -qE '^  probe:sidetest_members \(on vfs_read with name=\+0\(\+[0-9]+\(\+[0-9]+\(%di\)\)\):string bits=\+[0-9]+\(\+[0-9]+\(\+[0-9]+\(%di\)\)\):u8\)' add.out ||
		fail "add printed: $(cat add.out)"
	run_or_fail add2 "adding a member-access kprobe on do_sys_openat2" "$SIDETRACE" probe \
		'sidetest_how=do_sys_openat2 filename:string how->flags'
	grep -qE '^  probe:sidetest_how \(on do_sys_openat2 with filename=\+0\(%si\):ustring flags=\+0\(%dx\):u64\)' add2.out ||
		fail "add printed: $(cat add2.out)"

	# The VM's initramfs has no /etc/hostname: give it one (the guest is thrown away).
	[ -e /etc/hostname ] || echo sidetrace-vm > /etc/hostname || fail "cannot write /etc/hostname"
	mkdir $inst || fail "cannot create an instance"
	echo 1 > $inst/events/probe/sidetest_members/enable || fail "cannot enable the probe"
	echo 1 > $inst/events/probe/sidetest_how/enable || fail "cannot enable the openat2 probe"
	# The shell's read reads with read(2), i.e. vfs_read (busybox cat uses sendfile).
	read -r _ < /etc/hostname
	echo 0 > $inst/events/probe/sidetest_members/enable
	echo 0 > $inst/events/probe/sidetest_how/enable
	grep -v '^#' $inst/trace > trace.txt
	rmdir $inst
	grep -qE 'sidetest_members: \(vfs_read\+0x0/0x[0-9a-f]+\) name="hostname" bits=(9|1[0-6])$' trace.txt ||
		fail "no read of hostname with its block size bits in the trace: $(head -n 5 trace.txt)"
	grep -qE 'sidetest_how: \(do_sys_openat2\+0x0/0x[0-9a-f]+\) filename="/etc/hostname" flags=32768$' trace.txt ||
		fail "no open of /etc/hostname with O_RDONLY|O_LARGEFILE: $(grep sidetest_how trace.txt | head -n 5)"

	run_or_fail del "probe -d" "$SIDETRACE" probe -d probe:sidetest_members -d probe:sidetest_how
	[ "$(cat $T/kprobe_events)" = "$before" ] || fail "kprobe_events not restored: $(cat $T/kprobe_events)"
}
