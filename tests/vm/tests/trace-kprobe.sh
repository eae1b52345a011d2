# sidetrace trace on the 6.1 kernel, where the file names come from kretprobes on the
# kernel's getname functions (inside the call) rather than the C library's uprobes:
# on tests/progs/trace_calls, the (name, result) sequence per process and the file
# calls' names equal strace -f's (tests/lib.sh's calls() cuts the start-up noise the
# same way on both sides), live and through record --syscalls + report --syscalls;
# tracefs is left as it was.
record_expected=("'.*trace_calls' exited with status 7")

guest() {
	local prog=$TOP/tests/progs/trace_calls before
	command -v strace >/dev/null || fail "strace is not in the VM"
	[ -e /sys/kernel/tracing/kprobe_events ] || fail "no kprobe_events on this kernel"
	# Probes and events in any instance make 6.1 expand the unused top-level buffer
	# ("7 (expanded: 1408)"), as for record (function-filter.sh): start from a used one.
	echo 1408 >/sys/kernel/tracing/buffer_size_kb || fail "cannot size the top-level buffer"
	before=$(tracefs_fingerprint)
	strace -f -qq -o strace.log "$prog" >/dev/null 2>&1
	[ $? = 7 ] || fail "strace: trace_calls did not exit with 7"
	"$SIDETRACE" trace -o trace.log "$prog" >/dev/null 2>trace.err
	local rc=$?
	[ $rc = 7 ] || fail "sidetrace trace exited $rc, not 7: $(tail -n 1 trace.err)"
	"$SIDETRACE" record -q --syscalls -o sc.dat "$prog" >/dev/null 2>record.err
	"$SIDETRACE" report --syscalls sc.dat >offline.log 2>report.err ||
		fail "report --syscalls failed: $(tail -n 1 report.err)"
	grep -q 'sidetrace_files_[0-9]*/any_getname' /sys/kernel/tracing/kprobe_events &&
		fail "a getname kprobe outlived sidetrace"
	assert_same "tracefs after trace" "$before" "$(tracefs_fingerprint)"
}

host() {
	calls <strace.log >strace.calls
	[ "$(wc -l <strace.calls)" -ge 25 ] || fail "the oracle has too few calls"
	for side in trace offline; do
		trace_ids <$side.log >$side.ids
		calls <$side.ids >$side.calls
		diff strace.calls $side.calls >&2 || fail "$side: the (name, result) sequences differ"
		calls strings <strace.log >strace.strings
		calls strings <$side.ids >$side.strings
		diff strace.strings $side.strings >&2 || fail "$side: the file names differ"
	done
	# The loader's opens have names too: getname sees every path, not only libc's.
	grep -q 'openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3' trace.log ||
		fail "the loader's open of ld.so.cache has no name"
	note "$(wc -l <trace.calls) calls and $(wc -l <trace.strings) file names equal strace's"
}
