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

# Pseudo paths go before realpath too: busybox re-executes /proc/self/exe.
normalize() {
	grep -Ev '^/(proc|sys|dev)(/|$)' | while IFS= read -r p; do
		realpath -m "$p" 2>/dev/null || printf '%s\n' "$p"
	done | grep -Ev '^/(proc|sys|dev)(/|$)' | LC_ALL=C sort -u
}

host() {
	local w
	for w in ls sh-pipe busybox raw script; do
		# The guest's paths, resolved on the host: /out is not here, the rest is.
		normalize <"$w.oracle.raw" >"$w.oracle"
		normalize <"$w.list" >"$w.candidate"
		comm -13 "$w.oracle" "$w.candidate" >"$w.extra"
		comm -23 "$w.oracle" "$w.candidate" >"$w.missed"
		note "$w: strace $(wc -l <"$w.oracle"), sidetrace $(wc -l <"$w.candidate")," \
			"extra $(wc -l <"$w.extra"), missed $(wc -l <"$w.missed")"
		[ -s "$w.extra" ] && fail "$w: not seen by strace: $(head -n 3 "$w.extra" | tr '\n' ' ')"
		[ -s "$w.missed" ] && fail "$w: missed: $(head -n 3 "$w.missed" | tr '\n' ' ')"
	done
	return 0
}
