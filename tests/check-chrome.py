#!/usr/bin/env python3
"""Checks a `sidetrace report --format chrome` file: every thread is named before
its events, times never go back per thread, every B has its E. Prints
"function calls" lines (B and X events per name), sorted, for comparing with
report --profile. Used by tests/host/export-ucalls.sh and the VM tier's
export-fgraph test."""
import json, sys
from collections import Counter
with open(sys.argv[1]) as f:
    doc = json.load(f)
events = doc["traceEvents"]
stacks, last, named, calls = {}, {}, set(), Counter()
for e in events:
    ph, tid = e["ph"], e.get("tid")
    if ph == "M":
        if e["name"] == "thread_name":
            named.add(tid)
        continue
    if ph == "i" and e.get("s") == "g":
        continue
    if tid not in named:
        sys.exit("thread %s has events before its thread_name" % tid)
    if ph == "X":
        calls[e["name"]] += 1
        continue
    ts = e["ts"]
    if ts < last.get(tid, 0):
        sys.exit("thread %s goes back in time at %s" % (tid, e))
    last[tid] = ts
    st = stacks.setdefault(tid, [])
    if ph == "B":
        st.append(e["name"])
        calls[e["name"]] += 1
    elif ph == "E":
        if not st:
            sys.exit("E without B on thread %s at %s" % (tid, ts))
        st.pop()
for tid, st in stacks.items():
    if st:
        sys.exit("thread %s ends with open calls: %s" % (tid, st))
for name in sorted(calls):
    print(name, calls[name])
