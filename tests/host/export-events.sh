#!/bin/bash
# report --format chrome on event traces (the trace-cmd fixtures, v6 and v7
# zstd): every event line of the text report is one instant event, in the
# same order, with the same task, time (to the microsecond) and name, and
# its fields as args; --time-range cuts both the same way; the call-based
# exports say clearly that the trace has no calls; bad option combinations fail.
. "$(dirname "$0")/../lib.sh"
need_cmd python3

compare() { # DAT [REPORT ARGS...]
	local dat=$1
	shift
	"$SIDETRACE" report -i "$dat" "$@" >"$TEST_TMP/text" || fail "report $* of $dat"
	"$SIDETRACE" report -i "$dat" --format chrome "$@" >"$TEST_TMP/json" ||
		fail "report --format chrome $* of $dat"
	python3 - "$TEST_TMP/text" "$TEST_TMP/json" <<'EOF' || fail "chrome vs text report of $dat $*"
import json, re, sys
IDLE = 4194304
line_re = re.compile(r"^(.*)-(\d+) +\[(\d{3})\] +(\d+)\.(\d{6}): ([^:]+):")
want = []
for line in open(sys.argv[1]):
    m = line_re.match(line)
    if m:
        pid = int(m.group(2))
        tid = IDLE + int(m.group(3)) if pid == 0 else pid
        want.append((tid, int(m.group(4)) * 1000000 + int(m.group(5)), m.group(6).strip()))
doc = json.load(open(sys.argv[2]))
got, names, args_seen = [], {}, 0
for e in doc["traceEvents"]:
    if e["ph"] == "M" and e["name"] == "thread_name":
        names[e["tid"]] = e["args"]["name"]
    if e["ph"] != "i" or e.get("s") != "t":
        continue
    if e["tid"] not in names:
        sys.exit("instant before its thread's name: %s" % e)
    got.append((e["tid"], int(e["ts"] + 0.5), e["name"]))
    args_seen += bool(e["args"])
if not want:
    sys.exit("no event lines in the text report")
if got != want:
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            sys.exit("event %d: chrome %s, text %s" % (i, g, w))
    sys.exit("%d instant events, %d event lines" % (len(got), len(want)))
if not args_seen:
    sys.exit("no instant event has args")
print(len(got))
EOF
}

for dat in "$TOP"/tests/fixtures/sched-v6.dat "$TOP"/tests/fixtures/sched-v7-zstd.dat; do
	compare "$dat" >/dev/null
done

# The fields as args: an openat's, exactly.
"$SIDETRACE" report -i "$TOP/tests/fixtures/sched-v7-zstd.dat" --format chrome >"$TEST_TMP/json" ||
	fail "report --format chrome"
grep -qF '"name":"sys_enter_openat","cat":"syscalls","pid":3474,"tid":3474,"ts":973233767.008,"args":{"__syscall_nr":257,"dfd":4294967196,"filename":"0x3ff06900","flags":256,"mode":0}}' \
	"$TEST_TMP/json" || fail "the first openat's instant event: $(sed -n 4p "$TEST_TMP/json")"

# --time-range: the same cut in both (the middle third of the v7 fixture)
n=$(compare "$TOP/tests/fixtures/sched-v7-zstd.dat" --time-range 973.3,973.6)
[ "$n" -gt 10 ] || fail "--time-range 973.3,973.6 kept $n events"
all=$(compare "$TOP/tests/fixtures/sched-v7-zstd.dat")
[ "$n" -lt "$all" ] || fail "--time-range cut nothing ($n of $all)"
compare "$TOP/tests/fixtures/sched-v7-zstd.dat" --time-range 973.5, >/dev/null

# No calls: folded and the flame graph say so, in one line, with a failure status.
for args in "--format folded" "--flamegraph $TEST_TMP/f.svg"; do
	# shellcheck disable=SC2086
	if "$SIDETRACE" report -i "$TOP/tests/fixtures/sched-v6.dat" $args >"$TEST_TMP/out" 2>"$TEST_TMP/err"; then
		fail "report $args succeeded on a trace without calls"
	fi
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] && grep -q 'no calls or stack traces' "$TEST_TMP/err" ||
		fail "report $args: $(cat "$TEST_TMP/err")"
done

# Option errors
for args in "--count" "--icicle" "--format folded --graph" "--format svg" "--time-range 5" \
	"--time-range 2,1" "--time-range x,2" "--format chrome -R"; do
	# shellcheck disable=SC2086
	if "$SIDETRACE" report -i "$TOP/tests/fixtures/sched-v6.dat" $args >/dev/null 2>"$TEST_TMP/err"; then
		fail "report $args was accepted"
	fi
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "report $args: $(cat "$TEST_TMP/err")"
done
exit 0
