#!/bin/bash
# sidetrace probe -D with struct member access through BTF, perf's syntax:
# file->f_path.dentry->d_name.name compiles to +OFFS() loads whose offsets are
# pahole's reading of the same BTF, and a misspelt member names the struct and
# its members. -D only: nothing is added (this host may have no kprobes).
. "$(dirname "$0")/../lib.sh"
[ -r /sys/kernel/btf/vmlinux ] || skip "no /sys/kernel/btf/vmlinux"
command -v pahole >/dev/null || skip "no pahole (scripts/install-deps installs dwarves)"

# The byte offset pahole gives member in struct: "	type name;	/* OFF SIZE */".
offset() {
	pahole -C "$1" 2>/dev/null |
		sed -nE "s/.*[ *]$2(\[[0-9]*\])?;[[:space:]]*\/\*[[:space:]]*([0-9]+).*/\2/p" | head -n 1
}
f_path=$(offset file f_path) path_dentry=$(offset path dentry)
d_name=$(offset dentry d_name) qstr_name=$(offset qstr name)
[ -n "$f_path" ] && [ -n "$path_dentry" ] && [ -n "$d_name" ] && [ -n "$qstr_name" ] ||
	fail "pahole gave no offsets: '$f_path' '$path_dentry' '$d_name' '$qstr_name'"
want="p:probe/vfs_read vfs_read name=+0(+$((d_name + qstr_name))(+$((f_path + path_dentry))(%di))):string"

def=$("$SIDETRACE" probe -D 'vfs_read file->f_path.dentry->d_name.name:string') || fail "probe -D failed"
echo "$def"
assert_same "definition" "$want" "$def"
# The type comes from BTF when not given: the same line.
def=$("$SIDETRACE" probe -D 'vfs_read file->f_path.dentry->d_name.name') || fail "probe -D without a type failed"
assert_same "definition with the type from BTF" "$want" "$def"

# A char array is read where it is; integers get their width and sign.
comm=$(offset task_struct comm) pid=$(offset task_struct pid)
def=$("$SIDETRACE" probe -D 'wake_up_process p->comm p->pid') || fail "probe -D of task_struct members failed"
assert_same "task_struct members" "p:probe/wake_up_process wake_up_process comm=+$comm(%di):string pid=+$pid(%di):s32" "$def"

# -V: the members of a struct pointer parameter, one level down, with their fetches.
vars=$("$SIDETRACE" probe -V vfs_read) || fail "probe -V failed"
grep -qE "^\s+unsigned int\s+->f_flags\s+\+$(offset file f_flags)\(%di\):u32$" <<<"$vars" ||
	fail "-V lacks file->f_flags: $(grep -e '->f_flags' <<<"$vars")"
grep -qE "^\s+struct path\s+->f_path\s+\(not a value: add .MEMBER or \[N\]\)$" <<<"$vars" ||
	fail "-V lacks file->f_path: $(grep -e '->f_path' <<<"$vars")"
grep -qE '^\s+size_t\s+count\s+%dx:u64$' <<<"$vars" || fail "-V lacks count"
# buf is a user buffer (vfs_read has file_operations' read prototype): never a kernel string.
grep -qE '^\s+char \*\s+buf\s+\+0\(%si\):ustring\s+\(user memory: read/write buffer\)$' <<<"$vars" ||
	fail "-V does not propose ustring for buf: $(grep -e ' buf ' <<<"$vars")"
def=$("$SIDETRACE" probe -D 'vfs_read buf:string') || fail "probe -D 'vfs_read buf:string' failed"
assert_same "a user buffer read as ustring" "p:probe/vfs_read vfs_read buf=+0(%si):ustring" "$def"

# A member that does not exist: one line naming the struct and its members.
if "$SIDETRACE" probe -D 'vfs_read file->f_pat' 2>"$TEST_TMP/err"; then fail "a misspelt member was accepted"; fi
cat "$TEST_TMP/err" >&2
[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "not one line: $(cat "$TEST_TMP/err")"
grep -q "struct file has no member 'f_pat'; did you mean f_path? (members: " "$TEST_TMP/err" ||
	fail "unclear: $(cat "$TEST_TMP/err")"
exit 0
