#!/bin/bash
# Named parameters of a user function come from DWARF (no debuginfo package
# needed for our own build) and the calling convention: strings, ints, the 7th
# and 8th arguments on the stack, $retval, in a PIE and in a non-PIE. Also: a
# bad spec among several adds nothing, and a kernel refusal shows error_log.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/uprobe_events ] || skip "this kernel has no uprobe events"
for p in probe_pie probe_nopie; do
	[ -x "$TOP/tests/progs/$p" ] || make -s -C "$TOP" "tests/progs/$p" >&2 || skip "cannot build tests/progs/$p"
done

inst=sidetrace-test-$$
I=$T/instances/$inst
tag=sidetest_$$
cleanup() {
	[ -d "$I" ] && { echo 0 > "$I/tracing_on"; for g in "$I"/events/probe_probe*; do
		[ -e "$g/enable" ] && echo 0 > "$g/enable"; done; rmdir "$I"; }
	grep -oE "^[pr]:[a-z_]+/${tag}_[a-z]+" $T/uprobe_events | sed 's/^[pr]:/-:/' >> $T/uprobe_events
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT

for prog in probe_pie probe_nopie; do
	bin=$TOP/tests/progs/$prog
	group=probe_$prog
	"$SIDETRACE" probe -x "$bin" -a "${tag}_g=probe_greet name:string" \
		-a "${tag}_m=probe_many a1 a7 a8" -a "${tag}_r=probe_add%return \$retval" \
		-a "${tag}_b=probe_big_sum extra" || fail "adding probes to $prog failed"
	mkdir "$I" || fail "cannot create $inst"
	for e in g m r b; do
		echo 1 > "$I/events/$group/${tag}_$e/enable" || fail "cannot enable $group:${tag}_$e"
	done
	"$bin" "word$$" >/dev/null
	grep -v '^#' "$I/trace" | tee "$TEST_TMP/trace" >&2
	grep -q "${tag}_g: (0x[0-9a-f]*) name=\"word$$\"" "$TEST_TMP/trace" || fail "$prog: no name string"
	grep -q "${tag}_m: (0x[0-9a-f]*) a1=1 a7=7 a8=2$" "$TEST_TMP/trace" || fail "$prog: wrong stack args"
	grep -q "${tag}_r: (0x[0-9a-f]* <- 0x[0-9a-f]*) arg1=4$" "$TEST_TMP/trace" || fail "$prog: wrong retval"
	grep -q "${tag}_b: (0x[0-9a-f]*) extra=2$" "$TEST_TMP/trace" || fail "$prog: wrong arg after a struct"
	for e in g m r b; do echo 0 > "$I/events/$group/${tag}_$e/enable"; done
	rmdir "$I"
	"$SIDETRACE" probe -q -d "$group:${tag}_*" || fail "deleting $prog's probes failed"
done

# All or nothing: the second probe's bad parameter removes the first one.
bin=$TOP/tests/progs/probe_pie
if "$SIDETRACE" probe -x "$bin" -a "${tag}_ok=probe_add" -a "${tag}_bad=probe_add nosuch" 2>"$TEST_TMP/err"; then
	fail "a probe with an unknown parameter was added"
fi
grep -q "probe_add has no parameter 'nosuch' (DWARF: a, b)" "$TEST_TMP/err" || fail "unclear: $(cat "$TEST_TMP/err")"
grep -q "$tag" $T/uprobe_events && fail "a probe was left half-created: $(grep "$tag" $T/uprobe_events)"

# The kernel's own refusal comes back with its error_log message.
if "$SIDETRACE" probe -x "$bin" "${tag}_k=probe_add \$comm:u32" 2>"$TEST_TMP/err"; then
	fail "the kernel accepted \$comm:u32"
fi
grep -q "the kernel refused 'p:probe_probe_pie/${tag}_k .*': .*string" "$TEST_TMP/err" ||
	fail "no kernel message: $(cat "$TEST_TMP/err")"
grep -q "$tag" $T/uprobe_events && fail "a refused probe was left behind"

# A bad spec names the token.
if "$SIDETRACE" probe -x "$bin" "probe_add x:u12" 2>"$TEST_TMP/err"; then fail "u12 accepted"; fi
grep -q "'x:u12': unknown type 'u12'" "$TEST_TMP/err" || fail "unclear: $(cat "$TEST_TMP/err")"
exit 0
