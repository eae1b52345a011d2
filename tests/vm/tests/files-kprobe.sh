# record --files on a kernel with kprobes (the kprobe backend), for ls, a
# shell pipe, our dlopen/chdir/dirfd program, python3 -c 'import json' and a
# pyenv-like shim that runs it: the list
# equals exactly what strace -f shows as successfully opened or executed,
# plus the interpreters the kernel runs at exec (PT_INTERP, #!).
# The guest records and writes the raw oracle (it knows its own files' #!
# lines and PT_INTERPs); the host normalizes both sides and compares.

workload() { # NAME CMD...
	local name=$1
	shift
	strace -f -y -qq -e trace=%file,%process -o "$name.strace" "$@" >/dev/null 2>&1 ||
		fail "$name: strace $* failed"
	run_or_fail "$name.record" "sidetrace record --files $*" \
		"$SIDETRACE" record -q --files -o "$name.dat" "$@"
	"$SIDETRACE" report --files "$name.dat" >"$name.list" 2>"$name.report.err" ||
		fail "$name: report --files failed: $(tail -n 1 "$name.report.err")"
	grep -q 'with the kprobe backend' "$name.report.err" ||
		fail "$name: not the kprobe backend: $(head -n 1 "$name.report.err")"
	oracle_raw "$name.strace" | while read -r kind p; do
		echo "$p"
		[ "$kind" = E ] && implicit "$p"
	done >"$name.oracle.raw"
	[ -s "$name.oracle.raw" ] || fail "$name: empty oracle (strace log format?)"
}

guest() {
	command -v strace >/dev/null || fail "strace is not in the VM"
	mkdir -p cfg/conf && touch cfg/conf/app.conf cfg/conf/child.conf cfg/conf/fchdir.conf
	workload ls ls /
	workload sh-pipe sh -c 'ls / | head -n 1'
	workload prog "$TOP/tests/progs/files_dlopen" "$PWD/cfg"
	grep -q 'conf/fchdir.conf$' prog.list || fail "prog: fchdir.conf is not in the list"
	# python3 with its modules (tests/vm/lib.sh vm_add_python): many stat probes and .pyc reads
	[ -x /usr/bin/python3 ] || fail "/usr/bin/python3 is not in the VM (install python3 on the host)"
	workload python /usr/bin/python3 -c 'import json'
	grep -q '/json/__pycache__/__init__.cpython-[0-9]*.pyc$' python.list ||
		fail "python: json's bytecode is not in the list"
	# A shim on PATH, as pyenv's: a #!/usr/bin/env bash script that runs other programs
	# and then execs the interpreter.
	mkdir -p shim
	cat >shim/python3 <<-'EOF'
	#!/usr/bin/env bash
	set -e
	root=$(cd "$(dirname "$0")" && pwd)
	ls "$root" >/dev/null
	[ "$(basename "$0")" = python3 ] && exec /usr/bin/python3 "$@"
	EOF
	chmod +x shim/python3
	PATH=$PWD/shim:$PATH workload shim python3 -c 'import json'
	grep -q '/json/__pycache__/__init__.cpython-[0-9]*.pyc$' shim.list ||
		fail "shim: json's bytecode is not in the list"
	grep -q '/shim/python3$' shim.list || fail "shim: the shim itself is not in the list"
	! grep -q sidetrace_files_ /sys/kernel/tracing/kprobe_events ||
		fail "kprobes left behind: $(grep sidetrace_files_ /sys/kernel/tracing/kprobe_events | head -n 1)"
}

host() {
	same_files_as_strace ls sh-pipe prog python shim
}
