#!/bin/bash
# report --files output forms on one recording: list (sorted, unique, absolute),
# null (the same, NUL-separated), json (valid, one entry per listed path, with
# resolved path, symlinks, kind, access, first opener, backend and what it cannot
# see), --failed (PATH<TAB>ERRNO), --include-pseudo, --with-deps (the DT_NEEDED
# closure and a script's interpreter); and the probes are gone afterwards.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/uprobe_events ] || [ -e $T/kprobe_events ] || skip "no uprobe or kprobe events"
need_cmd python3
cd "$TEST_TMP" || fail "no temp dir"

printf '#!/bin/sh\necho hi\n' >script.sh
chmod +x script.sh
work='cat /proc/self/stat >/dev/null; cat script.sh >/dev/null; ls /nonexistent-dir-$$ 2>&-; true'
"$SIDETRACE" record -q --files -o f.dat sh -c "$work" >/dev/null 2>rec.err || fail "record --files failed: $(tail -1 rec.err)"
# The recording's probes are gone (their group is in the file's event formats).
group=$("$SIDETRACE" dump f.dat 2>/dev/null | grep -o 'sidetrace_files_[0-9]*' | head -1)
[ -n "$group" ] || fail "no sidetrace_files_ probe group in the file"
cat $T/uprobe_events $T/kprobe_events 2>/dev/null | grep -q "$group/" &&
	fail "probes of $group are still defined after the recording"

R() { "$SIDETRACE" report --files "$@" f.dat 2>>report.err; }
R >list || fail "report --files failed: $(tail -1 report.err)"
grep -q 'cannot see:' report.err || fail "no 'cannot see' statement on stderr"
[ -s list ] || fail "empty list"
LC_ALL=C sort -u list | cmp -s - list || fail "the list is not sorted and unique"
grep -qv '^/' list && fail "a relative path in the list: $(grep -v '^/' list | head -1)"
grep -qE '^/(proc|sys|dev)(/|$)' list && fail "a pseudo path without --include-pseudo"
grep -qx "$TEST_TMP/script.sh" list || fail "the script read through a relative path is missing"
grep -q '/cat$' list || fail "the exec'd cat is missing"

R --format=null | tr '\0' '\n' | cmp -s - list || fail "--format=null differs from the list"
R --include-pseudo | grep -qxE '/proc/(self|[0-9]+)/stat' ||
	fail "--include-pseudo does not list /proc/.../stat"
R --failed | grep -qP "^/nonexistent-dir-[0-9]+\tENOENT$" || fail "--failed lacks the ENOENT lookup"

R --format=json >json || fail "--format=json failed"
python3 - json list <<'PY' || fail "bad JSON manifest (see above)"
import json, sys
m = json.load(open(sys.argv[1]))
paths = [l.rstrip("\n") for l in open(sys.argv[2])]
assert [f["path"] for f in m["files"]] == paths, "json paths != list"
assert m["backend"] in ("uprobe", "kprobe", "uprobe+fanotify", "kprobe+fanotify") and \
    m["cannot_see"], "no backend/cannot_see"
assert m["command"][0] == "sh", m["command"]
assert any(p.endswith("/stat") for p in m["pseudo_left_out"]), m["pseudo_left_out"]
for f in m["files"]:
    for k in ("resolved", "symlinks", "kind", "access", "pid", "comm", "seen_by"):
        assert k in f, (k, f)
    assert f["kind"] in ("elf", "script", "directory", "other", "missing"), f
k = {f["path"]: f for f in m["files"]}
sh = [f for f in m["files"] if f["path"].endswith("/script.sh")][0]
assert sh["kind"] == "script" and "read" in sh["access"], sh
libc = [f for f in m["files"] if "/libc.so.6" in f["path"]]
assert libc and libc[0]["kind"] == "elf", libc
lib = [f for f in m["files"] if f["path"].startswith("/lib/")]
assert not lib or lib[0]["symlinks"][0] == {"link": "/lib", "target": "usr/lib"}, lib[0]
PY

# --with-deps: the set grows by the closure (libc's ld-linux alias at least) and
# the read script's interpreter.
R --with-deps >deps || fail "--with-deps failed"
comm -23 list deps | grep -q . && fail "--with-deps lost paths"
grep -qx /bin/sh list && fail "/bin/sh is in the list already: the check below would prove nothing"
grep -qx /bin/sh deps || fail "--with-deps lacks script.sh's interpreter /bin/sh"

# A file the trace names that is now a FIFO is not read (opening it blocked).
rm script.sh && mkfifo script.sh || fail "cannot make a FIFO"
timeout 30 "$SIDETRACE" report --files --with-deps f.dat >fifo.list 2>fifo.err
rc=$?
[ $rc -eq 124 ] && fail "report --files --with-deps blocks on a FIFO the trace names"
[ $rc -eq 0 ] || fail "report --files --with-deps with a FIFO failed: $(tail -1 fifo.err)"
grep -qx "$TEST_TMP/script.sh" fifo.list || fail "the FIFO's path left the list"
grep -qx /bin/sh fifo.list && fail "the FIFO was read as a script (/bin/sh in its deps)"
timeout 30 "$SIDETRACE" report --files --format=json f.dat >fifo.json 2>>fifo.err ||
	fail "report --files --format=json with a FIFO failed or blocked: $(tail -1 fifo.err)"
exit 0
