#!/usr/bin/env python3
"""Checks a `sidetrace report --format speedscope` file.

  check-speedscope.py JSON [GRAPH [CHROME]]

The file: speedscope's "$schema", named shared frames, evented profiles in
nanoseconds named "task PID [cpu N] COMM" as --graph's task lines; in each
profile the events never go back in time, stay within startValue..endValue,
and O/C are balanced and properly nested (each C closes the frame on top).

With GRAPH (`report --graph` of the same trace): per task and function, the
calls equal the graph's, and the summed durations (C - O) too (to the ns:
the graph prints ns below 1 ms, coarser above, and the sum must fall within
what it printed); when the graph states lost events, metadata.lost_events
must too.

With CHROME (`report --format chrome` of the same trace): every call is the
same in both, to the ns: task, function and duration, and its start too
unless moved to nest (no more than metadata.calls_moved).

Prints "function calls" lines, sorted."""
import json, os, re, sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from graph_sums import check_against_graph, tid_of  # noqa: E402

SCHEMA = "https://www.speedscope.app/file-format-schema.json"


def fail(msg):
    sys.exit("check-speedscope: " + msg)


doc = json.load(open(sys.argv[1]))
if doc.get("$schema") != SCHEMA:
    fail("$schema is %r" % doc.get("$schema"))
frames = doc["shared"]["frames"]
if not frames or any(not f.get("name") for f in frames):
    fail("a shared frame without a name")
origin = doc.get("metadata", {}).get("time_origin_ns")
if not isinstance(origin, int):
    fail("no metadata.time_origin_ns")


calls, width, per_task = Counter(), defaultdict(int), Counter()
slices = Counter()      # (tid, name, start ns, dur ns)
for p in doc["profiles"]:
    if p["type"] != "evented" or p["unit"] != "nanoseconds":
        fail("profile %s: %s in %s" % (p["name"], p["type"], p["unit"]))
    m = re.match(r"task (\d+)(?: cpu (\d+))?", p["name"])
    if not m:
        fail("profile named %r, not as --graph's tasks" % p["name"])
    tid = tid_of(m.group(1), m.group(2))
    stack, last = [], p["startValue"]
    if not p["events"]:
        fail("profile %s has no events" % p["name"])
    for e in p["events"]:
        at, fr = e["at"], e["frame"]
        if not isinstance(at, int) or at < last or at > p["endValue"]:
            fail("%s: event at %s after %s (range %s..%s)" % (p["name"], at, last,
                                                          p["startValue"], p["endValue"]))
        last = at
        if not 0 <= fr < len(frames):
            fail("%s: frame %s of %d" % (p["name"], fr, len(frames)))
        if e["type"] == "O":
            stack.append((fr, at))
        elif e["type"] == "C":
            if not stack:
                fail("%s: C of %s with nothing open" % (p["name"], frames[fr]["name"]))
            top, start = stack.pop()
            if top != fr:
                fail("%s: C of %s closes %s" % (p["name"], frames[fr]["name"],
                                               frames[top]["name"]))
            name = frames[fr]["name"]
            calls[name] += 1
            per_task[(tid, name)] += 1
            width[(tid, name)] += at - start
            slices[(tid, name, origin + start, at - start)] += 1
        else:
            fail("event type %r" % e["type"])
    if stack:
        fail("%s ends with open frames: %s" % (p["name"], stack[-3:]))

if len(sys.argv) > 2:
    check_against_graph(sys.argv[2], per_task, width,
                        doc.get("metadata", {}).get("lost_events"), fail, "calls")

if len(sys.argv) > 3:
    # the same calls with the same durations; starts may differ only for the
    # calls moved to nest (metadata.calls_moved: the ring buffer's lag)
    chrome = Counter()
    for e in json.load(open(sys.argv[3]))["traceEvents"]:
        if e["ph"] == "X":
            start = int(round(e["ts"] * 1000))
            chrome[(e["tid"], e["name"], start, e["args"]["duration_ns"])] += 1
    drop_start = lambda c: Counter({k[:2] + k[3:]: 0 for k in c}) + \
        sum((Counter({k[:2] + k[3:]: n}) for k, n in c.items()), Counter())
    if drop_start(chrome) != drop_start(slices):
        only_c, only_s = drop_start(chrome) - drop_start(slices), drop_start(slices) - drop_start(chrome)
        fail("calls (task, function, duration) differ from the chrome JSON's: only there %s, "
             "only here %s" % (sorted(only_c)[:3], sorted(only_s)[:3]))
    moved = sum((slices - chrome).values())
    if moved > doc["metadata"].get("calls_moved", 0):
        fail("%d calls start elsewhere than in the chrome JSON, metadata.calls_moved says %s"
             % (moved, doc["metadata"].get("calls_moved")))
    print("moved %d of %d" % (moved, sum(slices.values())), file=sys.stderr)

for name in sorted(calls):
    print(name, calls[name])
