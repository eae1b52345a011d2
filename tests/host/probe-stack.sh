#!/bin/bash
# record --stack on a uprobe of a test program: report prints the user stack
# with the program's ELF symbols (main -> outer -> middle -> inner, the probe
# on inner's entry), from the load address the first frame gives, not raw
# addresses. A tracepoint recorded with it (sched_process_exit) gets a kernel
# stack, named from kallsyms; the uprobe hit none (it would only show the
# uprobe handler). The instance's options and triggers go with the instance:
# the top level's trace options are as they were. trace-cmd still reads the file.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/uprobe_events ] || skip "this kernel has no uprobe events"
[ -e $T/options/userstacktrace ] || skip "this kernel has no userstacktrace option"
bin=$TOP/tests/progs/stack_chain
[ -x "$bin" ] || make -s -C "$TOP" tests/progs/stack_chain >&2 || skip "cannot build tests/progs/stack_chain"

ev=sidetest_stack_$$
group=probe_stack_chain
cleanup() {
	grep -q "/$ev " $T/uprobe_events && echo "-:$group/$ev" >> $T/uprobe_events
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT

before=$(tracefs_fingerprint_static)
"$SIDETRACE" probe -q -x "$bin" "$ev=inner" || fail "cannot add the uprobe"
"$SIDETRACE" record -q --stack -F -e "$group:$ev" -e sched:sched_process_exit -o "$TEST_TMP/s.dat" "$bin" ||
	fail "record --stack failed"
"$SIDETRACE" report -i "$TEST_TMP/s.dat" > "$TEST_TMP/report" || fail "report failed"
cat "$TEST_TMP/report" >&2
after=$(tracefs_fingerprint_static)
assert_same "tracefs after record --stack" "$before" "$after"

# The user stack after the hit, frame by frame (the offsets depend on the compiler).
stack=$(sed -n '/ user_stack: /,/^ /p' "$TEST_TMP/report" | grep '^=>' | head -n 4)
want="=> inner+0x0 ($bin)
=> ?? (the caller of inner: a probe at a function's entry comes before its frame)
=> outer+0xOFF ($bin)
=> main+0xOFF ($bin)"
assert_same "the symbolized user stack" "$want" "$(sed -E 's/\+0x[0-9a-f]+ \(/+0xOFF (/; s/^=> inner\+0xOFF/=> inner+0x0/' <<<"$stack")"
grep -q " $ev: " "$TEST_TMP/report" || fail "no probe hit in the report"
# The hit is followed by its user stack, not by a kernel stack.
after_hit=$(grep -A1 " $ev: " "$TEST_TMP/report" | tail -n 1)
[[ $after_hit == *" user_stack: "* ]] || fail "the uprobe hit is followed by: $after_hit"
sed -n '/ sched_process_exit: /,$p' "$TEST_TMP/report" > "$TEST_TMP/exit"
grep -qE ' kernel_stack: +<stack trace >' "$TEST_TMP/exit" || fail "no kernel stack after sched_process_exit"
grep -qE '^=> do_exit \(ffffffff[0-9a-f]+\)$' "$TEST_TMP/exit" || fail "the kernel stack does not name do_exit"

# trace-cmd skips sidetrace's option and prints the raw stack.
if command -v trace-cmd >/dev/null; then
	trace-cmd report -i "$TEST_TMP/s.dat" > "$TEST_TMP/tc" 2>&1 || fail "trace-cmd cannot read it: $(tail -n 3 "$TEST_TMP/tc")"
	grep -q ' user_stack: ' "$TEST_TMP/tc" || fail "trace-cmd shows no user stack"
fi
"$SIDETRACE" probe -q -d "$group:$ev" || fail "cannot delete the uprobe"

# -P: record reads the process's mappings at the end (trace-cmd's PROCMAPS option),
# so a frame in libc is named too (its symbols: libc6-dbg's debug file). by_x+4 is
# past its frame set-up (push %rbp; mov %rsp,%rbp): no frame is missed; bsearch is
# inlined into loop by glibc's header.
"$bin" loop &
loop_pid=$!
trap 'kill $loop_pid 2>/dev/null; cleanup' EXIT
"$SIDETRACE" probe -q -x "$bin" "$ev=by_x+4" || fail "cannot add the uprobe at by_x+4"
"$SIDETRACE" record -q --stack -P $loop_pid -e "$group:$ev" -o "$TEST_TMP/p.dat" &
rec=$!
sleep 1
kill -INT $rec
wait $rec || fail "record -P --stack failed"
kill $loop_pid
"$SIDETRACE" report -i "$TEST_TMP/p.dat" > "$TEST_TMP/preport" || fail "report of the -P file failed"
stack=$(sed -n '/ user_stack: /,/^ /p' "$TEST_TMP/preport" | grep '^=>' | head -n 4)
echo "$stack" >&2
want="=> by_x+0xOFF ($bin)
=> loop+0xOFF ($bin)
=> main+0xOFF ($bin)
=> __libc_start_call_main+0xOFF (LIBC)"
assert_same "the -P user stack with libc" "$want" \
	"$(sed -E 's/\+0x[0-9a-f]+ \(/+0xOFF (/; s/\(\/[^ ]*\/libc\.so\.6\)$/(LIBC)/' <<<"$stack")"
"$SIDETRACE" probe -q -d "$group:$ev" || fail "cannot delete the uprobe"
exit 0
