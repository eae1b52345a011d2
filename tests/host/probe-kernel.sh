#!/bin/bash
# sidetrace probe for the kernel without a debuginfo package: -V reads the
# parameters from BTF, -D prints the kprobe definition with them, and on a kernel
# without kprobes adding one fails with a one-line reason and changes nothing.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -r /sys/kernel/btf/vmlinux ] || skip "no /sys/kernel/btf/vmlinux"

# -V: BTF parameters of do_sys_openat2 and where a probe finds them.
vars=$("$SIDETRACE" probe -V do_sys_openat2) || fail "probe -V failed"
echo "$vars"
grep -qE '^\s+int\s+dfd\s+%di:s32$' <<<"$vars" || fail "-V lacks 'int dfd'"
grep -qE '^\s+const char \*\s+filename\s+\+0\(%si\):ustring\s+\(user memory: syscall layer\)$' <<<"$vars" || fail "-V lacks filename"
grep -qE '^\s+struct open_how \*\s+how\s+%dx:x64$' <<<"$vars" || fail "-V lacks how"

# What these commands could have created. (Not the whole tracefs_fingerprint: other
# people's tests create instances and probes meanwhile.)
ours() {
	cat $T/dynamic_events $T/kprobe_events $T/uprobe_events 2>/dev/null | grep -E "do_sys_openat2|sidetest"
	ls -d $T/events/probe/do_sys_openat2* $T/events/sidetest 2>/dev/null
}
[ -z "$(ours)" ] || skip "a probe on do_sys_openat2 exists already: $(ours)"

# -D: the definition, and only that (nothing is added, kprobes or not).
def=$("$SIDETRACE" probe -D 'do_sys_openat2 filename:string') || fail "probe -D failed"
[ "$def" = 'p:probe/do_sys_openat2 do_sys_openat2 filename=+0(%si):ustring' ] || fail "-D printed '$def'"
def=$("$SIDETRACE" probe -D 'sidetest:ret=do_sys_openat2%return $retval') || fail "probe -D %return failed"
[ "$def" = 'r:sidetest/ret do_sys_openat2 $retval:s32' ] || fail "-D printed '$def'"
assert_same "probes after -D" "" "$(ours)"

# A misspelt function: a suggestion, exit 1.
if "$SIDETRACE" probe -D 'do_sys_opnat2' 2>"$TEST_TMP/err"; then fail "a misspelt function was accepted"; fi
grep -q "no function 'do_sys_opnat2' in the kernel; did you mean do_sys_openat2" "$TEST_TMP/err" ||
	fail "no suggestion: $(cat "$TEST_TMP/err")"
# A parameter that does not exist: the ones that do.
if "$SIDETRACE" probe -D 'do_sys_openat2 path:string' 2>"$TEST_TMP/err"; then fail "a bad parameter was accepted"; fi
grep -q "has no parameter 'path' (BTF: dfd, filename, how)" "$TEST_TMP/err" || fail "unclear: $(cat "$TEST_TMP/err")"

if [ -e $T/kprobe_events ]; then
	note "this kernel has kprobe events: the no-kprobes check does not apply"
	exit 0
fi
# No kprobes: a clear one-line error, non-zero exit, nothing created.
if "$SIDETRACE" probe "sidetest_$$=do_sys_openat2 filename:string" >"$TEST_TMP/out" 2>"$TEST_TMP/err"; then
	fail "adding a kprobe succeeded on a kernel without kprobes"
fi
cat "$TEST_TMP/err" >&2
[ "$(cat "$TEST_TMP/err")" = "sidetrace probe: this kernel has no kprobe events (CONFIG_KPROBES?)" ] ||
	fail "unexpected message: $(cat "$TEST_TMP/err")"
assert_same "probes after a refused kprobe" "" "$(ours)"
exit 0
