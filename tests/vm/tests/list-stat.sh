# `sidetrace list` and `stat` on a kernel that has everything (function tracing, kprobes):
# functions are listed, kprobes and uprobes are told apart, and a fresh instance's stat
# block holds no "non-default" option (the defaults table matches this kernel too).
T=/sys/kernel/tracing

guest() {
	local out inst=sidetrace-vm-list-$$ target
	out=$("$SIDETRACE" list -f 'do_sys_open*' 2>list-f.err) || fail "list -f exited $?"
	grep -qx do_sys_openat2 <<<"$out" || fail "list -f 'do_sys_open*' lacks do_sys_openat2: $out"
	[ -s list-f.err ] && fail "list -f complained: $(cat list-f.err)"

	target=$(readlink -f /bin/busybox)
	echo 'p:vmlist/kp do_sys_openat2 dfd=%di' >>$T/kprobe_events || fail "cannot add a kprobe"
	echo 'r:vmlist/kr do_sys_openat2 ret=$retval' >>$T/kprobe_events || fail "cannot add a kretprobe"
	echo "p:vmlist/up $target:0x1000" >>$T/uprobe_events || fail "cannot add a uprobe"
	"$SIDETRACE" list -p >list-p.out 2>list-p.err || fail "list -p exited $?"
	grep -qE '^kprobe +vmlist:kp +do_sys_openat2' list-p.out || fail "no kprobe line: $(cat list-p.out)"
	grep -qE '^kretprobe +vmlist:kr +do_sys_openat2' list-p.out || fail "no kretprobe line"
	grep -qE "^uprobe +vmlist:up +$target:0x0*1000" list-p.out || fail "no uprobe line"
	[ "$(grep -c vmlist list-p.out)" -eq 3 ] || fail "each probe once: $(cat list-p.out)"
	[ -s list-p.err ] && fail "list -p complained: $(cat list-p.err)"
	"$SIDETRACE" stat -t >stat-top.out 2>stat-top.err || fail "stat -t exited $?"
	grep -q 'vmlist:kp' stat-top.out || fail "stat -t lacks the probes: $(cat stat-top.out)"
	echo '-:vmlist/kp' >>$T/kprobe_events
	echo '-:vmlist/kr' >>$T/kprobe_events
	echo '-:vmlist/up' >>$T/uprobe_events

	mkdir $T/instances/$inst || fail "cannot create $inst"
	"$SIDETRACE" stat -B $inst >stat-fresh.out 2>stat-fresh.err || fail "stat -B exited $?"
	[ "$(wc -l <stat-fresh.out)" -eq 4 ] || fail "a fresh instance shows more than its 3 lines: $(cat stat-fresh.out)"
	echo 'do_sys_openat2' >$T/instances/$inst/set_ftrace_filter || fail "cannot set a function filter"
	"$SIDETRACE" stat -B $inst >stat-ff.out 2>stat-ff.err || fail "stat -B exited $?"
	grep -qx '  set_ftrace_filter: do_sys_openat2' stat-ff.out || fail "no set_ftrace_filter line: $(cat stat-ff.out)"
	echo >$T/instances/$inst/set_ftrace_filter
	rmdir $T/instances/$inst
	# The top level of a freshly booted kernel is at its defaults (nop, no events).
	"$SIDETRACE" stat -t >stat-top.out 2>stat-top.err || fail "stat -t exited $?"
	grep -q 'options (not at their defaults)' stat-top.out &&
		fail "a freshly booted top level has non-default options: $(cat stat-top.out)"
	[ -s stat-top.err ] && fail "stat -t complained: $(cat stat-top.err)"
	return 0
}
