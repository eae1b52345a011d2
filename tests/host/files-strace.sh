#!/bin/bash
# record --files + report --files against strace, the oracle, on the host's
# kernel (the uprobe backend): the list equals the paths strace shows as
# successfully opened or executed (normalized the same way, /proc /sys /dev
# dropped) plus what the kernel opens itself at exec (PT_INTERP, #! lines).
# A difference is only allowed when the report's "cannot see" statement names
# its class (the loader's opens, without libc6-dbg).
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd strace
[ -e $T/uprobe_events ] || [ -e $T/kprobe_events ] || skip "no uprobe or kprobe events"
PROG=$TOP/tests/progs/files_dlopen
[ -x "$PROG" ] || fail "tests/progs/files_dlopen is not built (make check builds it)"

normalize() {
	while IFS= read -r p; do
		realpath -m "$p" 2>/dev/null || printf '%s\n' "$p"
	done | grep -Ev '^/(proc|sys|dev)(/|$)' | LC_ALL=C sort -u
}

oracle() {
	oracle_raw "$1" | while read -r kind p; do
		echo "$p"
		[ "$kind" = E ] && implicit "$p"
	done | normalize
}

# compare NAME CMD...: record and strace CMD (separately: each in the same cwd).
compare() {
	local name=$1 dir=$TEST_TMP/$1
	shift
	mkdir -p "$dir"
	strace -f -y -qq -e trace=%file,%process -o "$dir/strace.log" "$@" >/dev/null 2>&1 ||
		fail "$name: strace $* failed"
	"$SIDETRACE" record -q --files -o "$dir/files.dat" "$@" >/dev/null 2>"$dir/record.err" ||
		fail "$name: record --files failed: $(tail -1 "$dir/record.err")"
	"$SIDETRACE" report --files "$dir/files.dat" >"$dir/list" 2>"$dir/report.err" ||
		fail "$name: report --files failed: $(tail -1 "$dir/report.err")"
	grep -q 'cannot see:' "$dir/report.err" || fail "$name: report does not say what it cannot see"
	oracle "$dir/strace.log" >"$dir/oracle"
	normalize <"$dir/list" >"$dir/candidate"
	[ -s "$dir/oracle" ] || fail "$name: the oracle is empty (strace log format?)"
	comm -13 "$dir/oracle" "$dir/candidate" >"$dir/extra"
	comm -23 "$dir/oracle" "$dir/candidate" >"$dir/missed"
	note "$name: strace $(wc -l <"$dir/oracle"), sidetrace $(wc -l <"$dir/candidate"), " \
		"extra $(wc -l <"$dir/extra"), missed $(wc -l <"$dir/missed")"
	[ -s "$dir/extra" ] && fail "$name: paths strace did not see: $(head -3 "$dir/extra" | tr '\n' ' ')"
	if [ -s "$dir/missed" ]; then
		# Only the loader's own opens may be missing, and only if the report says so.
		grep -q "dynamic loader's own opens" "$dir/report.err" ||
			fail "$name: missed $(head -3 "$dir/missed" | tr '\n' ' ') (not named as unseen)"
		grep -Ev '\.so(\.[0-9.]+)?$|/ld\.so\.cache$' "$dir/missed" >"$dir/missed.other"
		[ -s "$dir/missed.other" ] &&
			fail "$name: missed $(head -3 "$dir/missed.other" | tr '\n' ' ') (not a loader open)"
		note "$name: the loader's opens are missing, as the report says (libc6-dbg not installed?)"
	fi
	return 0
}

cd "$TEST_TMP" || fail "no temp dir"
mkdir -p cfg/conf && touch cfg/conf/app.conf cfg/conf/child.conf cfg/conf/fchdir.conf
compare ls ls /
compare sh-pipe sh -c 'ls / | head -1'
compare prog "$PROG" "$TEST_TMP/cfg"
if [ -x /usr/bin/python3 ]; then
	compare python /usr/bin/python3 -c 'import json'
	# On these machines python3 on PATH is a pyenv shim: a script that execs several programs.
	[ -x "$HOME/.pyenv/shims/python3" ] && PATH=$HOME/.pyenv/shims:$PATH
	note "python3 on PATH: $(command -v python3)"
	compare python-path python3 -c 'import json'
fi

# The test program's configs: relative after chdir, through a dirfd, in a
# forked child, after fchdir; and the dlopen'ed library.
for f in conf/app.conf conf/child.conf conf/fchdir.conf; do
	grep -qx "$TEST_TMP/cfg/$f" prog/list || fail "prog: $TEST_TMP/cfg/$f is not in the list"
done
grep -q '/libz\.so\.1$' prog/list || fail "prog: the dlopen'ed libz.so.1 is not in the list"
"$SIDETRACE" report --files --failed prog/files.dat 2>/dev/null |
	grep -qx "$TEST_TMP/cfg/conf/missing.conf	ENOENT" || fail "--failed: no missing.conf ENOENT"
exit 0
