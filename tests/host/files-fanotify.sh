#!/bin/bash
# record --files with the fanotify backend, alone and as auto picks it on a
# kernel without kprobes (fanotify and uprobes combined), against strace -f,
# the oracle: the list equals the paths strace shows as successfully opened or
# executed (normalized as files-strace.sh does) plus what the kernel opens at
# exec. The workloads are those the uprobe backend alone cannot see, and the
# ones it can: a static busybox pipeline, a static program opening with raw
# syscall(SYS_openat) after a raw chdir and through a dirfd, a dynamically
# linked program, a #! script; an io_uring opener (strace cannot see those
# opens: the oracle is the program's own list); a chroot and a mount namespace
# with a bind mount of its own, where the JSON gives the path as the process
# saw it too. And the one-line refusals.
. "$(dirname "$0")/../lib.sh"
need_tracefs
need_cmd strace
need_cmd busybox
RAW=$TOP/tests/progs/files_raw_openat
URING=$TOP/tests/progs/files_uring
for p in "$RAW" "$URING"; do
	[ -x "$p" ] || fail "$p is not built (make check builds it)"
done
cd "$TEST_TMP" || fail "no temp dir"

# Is fanotify usable here at all? The refusal is one line naming the cause.
if ! "$SIDETRACE" record -q --files=fanotify -o probe.dat true >/dev/null 2>probe.err; then
	[ "$(wc -l <probe.err)" = 1 ] || fail "fanotify refused in more than one line: $(cat probe.err)"
	grep -q 'fanotify: ' probe.err || fail "the refusal does not name fanotify: $(cat probe.err)"
	skip "$(sed 's/^sidetrace record: //' probe.err)"
fi
kprobes=false
[ -e $T/kprobe_events ] && kprobes=true

# Pseudo paths go before realpath too: busybox re-executes /proc/self/exe,
# which realpath would turn into its own binary.
normalize() {
	grep -Ev '^/(proc|sys|dev)(/|$)' | while IFS= read -r p; do
		realpath -m "$p" 2>/dev/null || printf '%s\n' "$p"
	done | grep -Ev '^/(proc|sys|dev)(/|$)' | LC_ALL=C sort -u
}

oracle() {
	oracle_raw "$1" | while read -r kind p; do
		echo "$p"
		# /proc/self/exe would be this shell's own binary here
		[ "$kind" = E ] && [ "${p#/proc/}" = "$p" ] && implicit "$p"
	done | normalize
}

# record NAME BACKEND CMD...: record --files=BACKEND into NAME.BACKEND/, list it.
record() {
	local name=$1 backend=$2 dir=$TEST_TMP/$1.$2
	shift 2
	mkdir -p "$dir"
	"$SIDETRACE" record -q --files="$backend" -o "$dir/files.dat" "$@" >"$dir/out" \
		2>"$dir/record.err" || fail "$name: record --files=$backend failed: $(tail -1 "$dir/record.err")"
	"$SIDETRACE" report --files "$dir/files.dat" >"$dir/list" 2>"$dir/report.err" ||
		fail "$name: report --files ($backend) failed: $(tail -1 "$dir/report.err")"
	grep -q 'cannot see:' "$dir/report.err" || fail "$name: the report does not say what $backend cannot see"
	grep -q 'INCOMPLETE' "$dir/report.err" && fail "$name: $backend lost events: $(cat "$dir/report.err")"
	normalize <"$dir/list" >"$dir/candidate"
}

# compare NAME BACKEND CMD...: the list equals strace's, exactly.
compare() {
	local name=$1 backend=$2 dir=$TEST_TMP/$1.$2
	shift 2
	record "$name" "$backend" "$@"
	strace -f -y -qq -e trace=%file,%process -o "$dir/strace.log" "$@" >/dev/null 2>&1 ||
		fail "$name: strace $* failed"
	oracle "$dir/strace.log" >"$dir/oracle"
	[ -s "$dir/oracle" ] || fail "$name: the oracle is empty (strace log format?)"
	comm -13 "$dir/oracle" "$dir/candidate" >"$dir/extra"
	comm -23 "$dir/oracle" "$dir/candidate" >"$dir/missed"
	note "$name ($backend): strace $(wc -l <"$dir/oracle"), sidetrace $(wc -l <"$dir/candidate"), " \
		"extra $(wc -l <"$dir/extra"), missed $(wc -l <"$dir/missed")"
	[ -s "$dir/extra" ] && fail "$name ($backend): paths strace did not see: $(head -3 "$dir/extra" | tr '\n' ' ')"
	[ -s "$dir/missed" ] && fail "$name ($backend): missed $(head -3 "$dir/missed" | tr '\n' ' ')"
	return 0
}

mkdir -p cfg/sub && touch cfg/a.conf cfg/b.conf cfg/sub/c.conf
printf '#!/bin/sh\ncat %s/cfg/a.conf\n' "$TEST_TMP" >script.sh && chmod +x script.sh
backends="fanotify auto"
for b in $backends; do
	compare busybox $b busybox sh -c 'busybox cat /etc/hostname /etc/os-release | busybox wc -l'
	compare raw $b "$RAW" "$TEST_TMP/cfg"
	compare dynamic $b ls /
	compare script $b ./script.sh
done

# The filter works while recording: record's own opens (its undo list, the
# output's temporaries) are not in the file, the tree's are.
"$SIDETRACE" record --files=fanotify --compression none -o own.dat sh -c 'cat /etc/hostname' \
	>/dev/null 2>own.err || fail "record (own) failed: $(tail -1 own.err)"
grep -qE "^fanotify: [1-9][0-9]* filesystems marked, [1-9][0-9]* events kept for the command's tree .*, 0 queue overflows$" \
	own.err || fail "record's summary lacks the fanotify line: $(cat own.err)"
grep -a '^fan=' own.dat >own.fan
grep -q ' /etc/hostname$' own.fan || fail "the file has no fanotify line for /etc/hostname"
self=$(grep -a '^group=sidetrace_files_' own.dat | head -1 | sed 's/.*_//')
[ -n "$self" ] || fail "no group= line in the file's option"
grep -E "^fan=$self |/run/sidetrace/" own.fan && fail "record kept fanotify events of its own"

# The raw program's own list is in it (the static binary's opens, relative ones included).
normalize <raw.fanotify/out >raw.own
comm -23 raw.own raw.fanotify/candidate | grep . && fail "raw: its own opens are missing"
[ -s raw.own ] || fail "raw: the program printed no list"

# auto picks kprobes where present, else fanotify with uprobes; each file says who saw it.
"$SIDETRACE" report --files --format=json raw.auto/files.dat >raw.json 2>/dev/null ||
	fail "report --files --format=json failed"
python3 - raw.json "$TEST_TMP/cfg/sub/c.conf" $kprobes <<'PY' || fail "raw: bad JSON manifest (see above)"
import json, sys
m = json.load(open(sys.argv[1]))
if sys.argv[3] == "true":
    assert m["backend"] == "kprobe", m["backend"]
    sys.exit(0)
assert m["backend"] == "uprobe+fanotify", m["backend"]
assert set(m["cannot_see_by_backend"]) == {"uprobe", "fanotify"}, m["cannot_see_by_backend"]
f = {x["path"]: x for x in m["files"]}
c = f[sys.argv[2]]
assert c["seen_by"] == ["fanotify"], c          # a raw syscall: the uprobes cannot see it
libc = [x for x in m["files"] if "/libc.so.6" in x["path"]]
assert not libc, libc                            # static: no C library
exe = [x for x in m["files"] if x["path"].endswith("/files_raw_openat")][0]
assert "exec" in exe["access"] and "fanotify" in exe["seen_by"], exe
PY
"$SIDETRACE" report --files --format=json dynamic.auto/files.dat 2>/dev/null | python3 -c '
import json, sys
m = json.load(sys.stdin)
if m["backend"] == "uprobe+fanotify":
    both = [f for f in m["files"] if f["seen_by"] == ["uprobe", "fanotify"]]
    assert both, "no file seen by both backends"
    assert not [f for f in m["files"] if not f["seen_by"]], "a file nobody saw"
' || fail "dynamic: seen_by is wrong (see above)"

# io_uring: strace sees no open; the program's own list is the oracle.
for b in fanotify auto; do
	record uring $b "$URING" "$TEST_TMP/cfg/a.conf" "$TEST_TMP/cfg/sub/c.conf" /etc/hostname
	normalize <uring.$b/out >uring.$b/own
	[ "$(wc -l <uring.$b/own)" = 3 ] || fail "uring: the program opened $(wc -l <uring.$b/own) of 3 files"
	comm -23 uring.$b/own uring.$b/candidate | grep . && fail "uring ($b): missed io_uring opens"
	note "uring ($b): its 3 io_uring opens are in the list"
done
strace -f -qq -e trace=open,openat,openat2 -o uring.strace "$URING" "$TEST_TMP/cfg/sub/c.conf" >/dev/null
grep -q 'c\.conf' uring.strace && note "uring: strace did see the io_uring open (io_uring fell back to a worker?)"

# A chroot, and a mount namespace with a bind mount of its own: the host's
# path, and the path as the process saw it. The opener is the shell itself,
# which lives on for four seconds: the root and the mounts of a process are
# read from /proc while it lives, and on a loaded machine (the VM tier beside
# this one) the recorder may read the event a second or more after the open.
mkdir -p root/bin root/etc src mp && cp "$(command -v busybox)" root/bin/ &&
	echo hi >root/etc/motd && echo x >src/f || fail "cannot set up the chroot"
record chroot fanotify chroot "$TEST_TMP/root" /bin/busybox sh -c 'read x </etc/motd; sleep 4'
seen_as() { # DAT HOST-PATH AS-SEEN
	"$SIDETRACE" report --files --format=json "$1" 2>/dev/null | python3 -c '
import json, sys
m = json.load(sys.stdin)
f = {x["path"]: x for x in m["files"]}
assert f[sys.argv[1]].get("as_seen") == sys.argv[2], f.get(sys.argv[1])
' "$2" "$3"
}
seen_as chroot.fanotify/files.dat "$TEST_TMP/root/etc/motd" /etc/motd ||
	fail "chroot: the JSON lacks the path as the process saw it (see above)"
if command -v unshare >/dev/null; then
	record mntns fanotify unshare -m --propagation private sh -c \
		"mount --bind '$TEST_TMP/src' '$TEST_TMP/mp' && read x <'$TEST_TMP/mp/f'; sleep 4"
	seen_as mntns.fanotify/files.dat "$TEST_TMP/src/f" "$TEST_TMP/mp/f" ||
		fail "mount namespace: the JSON lacks the path through the bind mount (see above)"
fi

# Bad input, each one line: an unknown backend (exit 2); fanotify without
# CAP_SYS_ADMIN (exit 1), where auto falls back to the probes and says why.
"$SIDETRACE" record --files=bogus -o x.dat true >/dev/null 2>bad.err
rc=$?
[ $rc = 2 ] || fail "--files=bogus: exit $rc, not 2"
assert_same "--files=bogus" "sidetrace record: --files: unknown backend 'bogus' (auto, kprobe, uprobe, fanotify or combined)" "$(cat bad.err)"
if command -v capsh >/dev/null; then
	capsh --drop=cap_sys_admin -- -c "'$SIDETRACE' record -q --files-backend fanotify -o x.dat true" \
		>/dev/null 2>nocap.err && fail "--files=fanotify worked without CAP_SYS_ADMIN"
	assert_same "fanotify without CAP_SYS_ADMIN" \
		"sidetrace record: fanotify: not permitted (a filesystem mark needs CAP_SYS_ADMIN)" "$(cat nocap.err)"
	if ! $kprobes; then
		capsh --drop=cap_sys_admin -- -c "'$SIDETRACE' record --no-kallsyms --files -o nocap.dat true" \
			>/dev/null 2>nocap-auto.err || fail "auto without CAP_SYS_ADMIN failed: $(tail -1 nocap-auto.err)"
		grep -qx "sidetrace record: --files: fanotify: not permitted (a filesystem mark needs CAP_SYS_ADMIN); using uprobes alone" \
			nocap-auto.err || fail "auto did not say why it left fanotify out: $(cat nocap-auto.err)"
		"$SIDETRACE" report --files nocap.dat 2>&1 >/dev/null | grep -q 'with the uprobe backend,' ||
			fail "auto without CAP_SYS_ADMIN did not fall back to uprobes"
	fi
fi
exit 0
