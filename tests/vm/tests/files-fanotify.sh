# record --files-backend fanotify on a kernel with kprobes (where auto picks
# kprobe, files-kprobe.sh): ls, a shell pipe, a static busybox pipeline, a
# static program that opens with raw syscall(SYS_openat) after a raw chdir and
# through a dirfd, and a #! script. The list equals exactly what strace -f
# shows as successfully opened or executed, plus the interpreters the kernel
# runs at exec (PT_INTERP, #!). The guest records and writes the raw oracle;
# the host normalizes both sides and compares.

workload() { # NAME CMD...
	local name=$1
	shift
	strace -f -y -qq -e trace=%file,%process -o "$name.strace" "$@" >/dev/null 2>&1 ||
		fail "$name: strace $* failed"
	run_or_fail "$name.record" "sidetrace record --files-backend fanotify $*" \
		"$SIDETRACE" record -q --files-backend fanotify -o "$name.dat" "$@"
	"$SIDETRACE" report --files "$name.dat" >"$name.list" 2>"$name.report.err" ||
		fail "$name: report --files failed: $(tail -n 1 "$name.report.err")"
	grep -q 'with the fanotify backend' "$name.report.err" ||
		fail "$name: not the fanotify backend: $(head -n 1 "$name.report.err")"
	grep -q INCOMPLETE "$name.report.err" && fail "$name: events lost: $(cat "$name.report.err")"
	oracle_raw "$name.strace" | while read -r kind p; do
		echo "$p"
		[ "$kind" = E ] && [ "${p#/proc/}" = "$p" ] && implicit "$p"
	done >"$name.oracle.raw"
	[ -s "$name.oracle.raw" ] || fail "$name: empty oracle (strace log format?)"
}

guest() {
	command -v strace >/dev/null || fail "strace is not in the VM"
	mkdir -p cfg/sub && touch cfg/a.conf cfg/b.conf cfg/sub/c.conf
	echo vm >hostname
	printf '#!/bin/sh\ncat %s/cfg/a.conf\n' "$PWD" >script.sh && chmod +x script.sh
	workload ls ls /
	workload sh-pipe sh -c 'ls / | head -n 1'
	workload busybox busybox sh -c "busybox cat $PWD/hostname $PWD/cfg/b.conf | busybox wc -l"
	workload raw "$TOP/tests/progs/files_raw_openat" "$PWD/cfg"
	grep -q 'cfg/sub/c.conf$' raw.list || fail "raw: c.conf (a raw openat on a dirfd) is not in the list"
	workload script "$PWD/script.sh"
}

host() {
	same_files_as_strace ls sh-pipe busybox raw script
}
