#!/bin/bash
# Struct members in a user probe through the program's DWARF (perf's syntax,
# probe -x BIN 'inner p->name p->next->x ...'): recorded and reported, each
# member has the value tests/progs/stack_chain.c put there: a string through a
# pointer, a member of the next struct, an array element, two bit fields, a
# nested struct's short and char array, a member of an anonymous union.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/uprobe_events ] || skip "this kernel has no uprobe events"
bin=$TOP/tests/progs/stack_chain
[ -x "$bin" ] || make -s -C "$TOP" tests/progs/stack_chain >&2 || skip "cannot build tests/progs/stack_chain"

ev=sidetest_members_$$
group=probe_stack_chain
cleanup() {
	grep -q "/$ev " $T/uprobe_events && echo "-:$group/$ev" >> $T/uprobe_events
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT

"$SIDETRACE" probe -q -x "$bin" "$ev=inner p->name next_x=p->next->x p->vals[2] p->flags p->mode p->part.level p->part.tag p->raw p->bytes[1]" ||
	fail "cannot add the uprobe with members"
"$SIDETRACE" record -q -e "$group:$ev" -o "$TEST_TMP/m.dat" "$bin" "word$$" || fail "record failed"
"$SIDETRACE" report -i "$TEST_TMP/m.dat" > "$TEST_TMP/report" || fail "report failed"
cat "$TEST_TMP/report" >&2
# level is -12 (an s16): the kernel prints -12, libtraceevent (and so trace-cmd report
# and ours, which match it) 65524.
grep -qE " $ev: \([0-9a-f]+\) name=\"word$$\" next_x=3 vals_2=9 flags=5 mode=17 level=65524 tag=\"tagged\" raw=16909060 bytes_1=3$" "$TEST_TMP/report" ||
	fail "the members' values are not in the report"
"$SIDETRACE" probe -q -d "$group:$ev" || fail "cannot delete the uprobe"

# -V: the members of what p points to, one level down, with their fetches.
vars=$("$SIDETRACE" probe -x "$bin" -V inner) || fail "probe -V failed"
echo "$vars" >&2
grep -qE '^\s+const char \*\s+->name\s+\+0\(\+8\(%di\)\):ustring$' <<<"$vars" || fail "-V lacks p->name"
grep -qE '^\s+unsigned int\s+->mode\s+\+24\(%di\):b5@3/32$' <<<"$vars" || fail "-V lacks p->mode"
grep -qE '^\s+long int\[4\]\s+->vals\s+\(not a value: add .MEMBER or \[N\]\)$' <<<"$vars" || fail "-V lacks p->vals"

# A library's DWARF from its debug file (libc6-dbg, found by build-id): FILE's
# _fileno is at 112 in the x86-64 glibc ABI.
if def=$("$SIDETRACE" probe -D -x libc.so.6 'fclose fp->_fileno' 2>"$TEST_TMP/err"); then
	[[ $def == *" _fileno=+112(%di):s32" ]] || fail "libc's FILE: $def"
else
	grep -q "needs the parameter's type from DWARF" "$TEST_TMP/err" || fail "libc: $(cat "$TEST_TMP/err")"
	note "no DWARF for libc (libc6-dbg): its part is not checked"
fi

# A member that does not exist: one line naming the struct and its members.
if "$SIDETRACE" probe -D -x "$bin" 'inner p->nme' 2>"$TEST_TMP/err"; then fail "a misspelt member was accepted"; fi
[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "not one line: $(cat "$TEST_TMP/err")"
grep -q "struct point has no member 'nme'; did you mean name? (members: x, y, name" "$TEST_TMP/err" ||
	fail "unclear: $(cat "$TEST_TMP/err")"
exit 0
