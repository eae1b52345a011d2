#!/usr/bin/env python3
"""Checks a `sidetrace report --format chrome` file: every thread is named before
its events, instants never go back in time per thread, every B has its E and
every E the name of its B, every X has a dur equal to its args.duration_ns.
Prints "function calls" lines (B and X events per name), sorted, for
comparing with report --profile. Used by tests/host/export-ucalls.sh and the
VM tier's export-fgraph test.

With a second argument, the `report --graph` output of the same file: per
task and function, the calls and the summed slice widths must equal the
graph's (to the ns: the graph prints ns below 1 ms, coarser above, and the
sum must fall within what it printed), and when the graph states lost events
the JSON must state them too (metadata.lost_events)."""
import json, os, sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from graph_sums import check_against_graph  # noqa: E402


def fail(msg):
    sys.exit("check-chrome: " + msg)


def ns_of(us):
    """A JSON ts/dur in us with 3 decimals, as integer ns."""
    return int(round(float(us) * 1000))


with open(sys.argv[1]) as f:
    doc = json.load(f)
events = doc["traceEvents"]
stacks, last, named, calls = {}, {}, set(), Counter()
width = defaultdict(int)        # (tid, name) -> summed ns
per_task = Counter()            # (tid, name) -> calls
lost_instants = 0


def slice_done(tid, name, dur_ns):
    width[(tid, name)] += dur_ns
    per_task[(tid, name)] += 1
    calls[name] += 1


for e in events:
    ph, tid = e["ph"], e.get("tid")
    if ph == "M":
        if e["name"] == "thread_name":
            named.add(tid)
        continue
    if ph == "i" and e.get("s") == "g":
        lost_instants += e["name"] == "lost events"
        continue
    if tid not in named:
        fail("thread %s has events before its thread_name" % tid)
    if ph == "X":
        if "dur" not in e or "name" not in e:
            fail("X without dur or name: %s" % e)
        dur = ns_of(e["dur"])
        if e.get("args", {}).get("duration_ns", dur) != dur:
            fail("X whose dur is not its duration_ns: %s" % e)
        slice_done(tid, e["name"], dur)
        continue
    ts = e["ts"]
    if ts < last.get(tid, 0):
        fail("thread %s goes back in time at %s" % (tid, e))
    last[tid] = ts
    st = stacks.setdefault(tid, [])
    if ph == "B":
        st.append((e["name"], ns_of(ts)))
    elif ph == "E":
        if not st:
            fail("E without B on thread %s at %s" % (tid, ts))
        name, start = st.pop()
        if e.get("name") != name:
            fail("E named %r closes B %r on thread %s" % (e.get("name"), name, tid))
        slice_done(tid, name, ns_of(ts) - start)
for tid, st in stacks.items():
    if st:
        fail("thread %s ends with open calls: %s" % (tid, st))

lost_meta = doc.get("metadata", {}).get("lost_events")
if lost_instants and not lost_meta:
    fail("lost events instants but no metadata.lost_events")

if len(sys.argv) > 2:
    check_against_graph(sys.argv[2], per_task, width, lost_meta, fail, "slices")

for name in sorted(calls):
    print(name, calls[name])
