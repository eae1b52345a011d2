#!/bin/bash
# record -e on a command: `trace-cmd report` must read every file version we write
# and show the command's own events (its exec, its openat calls).
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd trace-cmd

check_ls_trace() { # FILE WHAT
	local out
	out=$(trace-cmd report -i "$1" 2>&1) || fail "$2: trace-cmd report failed: $out"
	grep -Eq '^ +ls-[0-9]+ +\[[0-9]+\] +[0-9.]+: sched_process_exec: +filename=[^ ]*/ls ' <<<"$out" ||
		fail "$2: no sched_process_exec line for ls"
	grep -Eq '^ +ls-[0-9]+ +\[[0-9]+\] +[0-9.]+: sys_enter_openat: ' <<<"$out" ||
		fail "$2: no sys_enter_openat line from ls"
	# Nothing but the two events we asked for (and no other ls pid than the exec's).
	if grep -E ': +[a-z_]+:' <<<"$out" | grep -Ev ': (sched_process_exec|sys_enter_openat):' | grep -q .; then
		fail "$2: events that were not asked for"
	fi
}

for variant in "" "--file-version 6" "--file-version 7 --compression none"; do
	f=$TEST_TMP/ls.dat
	# shellcheck disable=SC2086
	"$SIDETRACE" record -q $variant -e sched:sched_process_exec -e syscalls:sys_enter_openat \
		-o "$f" ls / >"$TEST_TMP/ls.out" 2>"$TEST_TMP/err" || fail "record ($variant) failed: $(cat "$TEST_TMP/err")"
	[ -s "$TEST_TMP/err" ] && fail "record -q ($variant) printed: $(cat "$TEST_TMP/err")"
	grep -qx usr "$TEST_TMP/ls.out" || fail "the command's output was lost"
	check_ls_trace "$f" "record ${variant:-(default)}"
	ls -A "$TEST_TMP" | grep -q -e '\.cpu' -e '^\.sidetrace-' && fail "temp files left behind: $(ls "$TEST_TMP")"
done

# The default is trace-cmd's: version 7 with zstd.
"$SIDETRACE" record -q -e sched:sched_process_exec -o "$TEST_TMP/d.dat" true || fail "record true failed"
head -c 40 "$TEST_TMP/d.dat" | grep -aq 'zstd' || fail "the default file is not v7/zstd"

# Globs expand against the kernel's events; the summary names each CPU.
"$SIDETRACE" record -e 'sched:sched_process_*' -o "$TEST_TMP/g.dat" sh -c '/bin/true; /bin/true' 2>"$TEST_TMP/err" ||
	fail "record with a glob failed: $(cat "$TEST_TMP/err")"
grep -Eq '^ +0 +[0-9]+ +[0-9]+ +[0-9]+$' "$TEST_TMP/err" || fail "no per-CPU summary: $(cat "$TEST_TMP/err")"
out=$(trace-cmd report -i "$TEST_TMP/g.dat")
for ev in sched_process_fork sched_process_exec sched_process_exit; do
	grep -q ": $ev:" <<<"$out" || fail "glob sched:sched_process_* did not record $ev"
done

# A filter is applied by the kernel: only openat calls with O_CREAT.
"$SIDETRACE" record -q -e syscalls:sys_enter_openat -f 'flags & 0x40' -F -o "$TEST_TMP/flt.dat" \
	sh -c 'cat /etc/hostname >/dev/null; : > '"$TEST_TMP"'/created' || fail "record with a filter failed"
out=$(trace-cmd report -i "$TEST_TMP/flt.dat" | grep sys_enter_openat)
[ -n "$out" ] || fail "the filtered record has no openat with O_CREAT"
while read -r flags; do
	(( flags & 0x40 )) || fail "the filter let through an openat with flags $flags"
done < <(sed -n 's/.*flags: \(0x[0-9a-f]*\),.*/\1/p' <<<"$out")

# -O without -p: a trace option of the instance (stacktrace: a kernel stack after each event).
"$SIDETRACE" record -q -O stacktrace -e sched:sched_process_exec -o "$TEST_TMP/st.dat" true ||
	fail "record -O stacktrace failed"
out=$(trace-cmd report -i "$TEST_TMP/st.dat")
grep -A3 ': sched_process_exec:' <<<"$out" | grep -q ': kernel_stack:' ||
	fail "record -O stacktrace without -p recorded no kernel stack after the exec"
grep -q '=> .*exec' <<<"$out" || fail "the kernel stack of the exec does not name an exec function"
exit 0
