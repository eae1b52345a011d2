"""What `sidetrace report --graph` says per task and function, for the export
checkers (tests/check-chrome.py, tests/check-speedscope.py): their calls and
summed durations must equal the graph's. Written once here so both read the
graph's text the same way."""

import re
from collections import Counter, defaultdict

# The tid an exporter gives the idle task of a CPU (pid 0 on every CPU).
IDLE_TID = 4194304

UNIT = {"us": 1, "ms": 1000, "s": 1000000}   # ns per printed digit
LINE = re.compile(r"^\s*(\d+)\.(\d{3}) +(us|ms|s) +\S+ +\S+ +(\d+)  (.*)$")
MARKS = re.compile(r" \((\d+ )?(unfinished|no entry)\)| \[lost events\]")


def tid_of(pid, cpu):
    """A graph task line's pid and cpu as the exporters' tid."""
    return IDLE_TID + int(cpu) if int(pid) == 0 and cpu is not None else int(pid)


def check_against_graph(path, per_task, width, lost_stated, fail, what):
    """Fail unless per_task[(tid, name)] (calls) equals the graph's and
    width[(tid, name)] (summed ns) falls within what the graph printed: it
    prints ns below 1 ms and coarser above, so each line stands for a range.
    When the graph states lost events, the export must too (lost_stated)."""
    lo, hi, gcalls = defaultdict(int), defaultdict(int), Counter()
    tid, graph_lost = None, False
    with open(path) as f:
        for line in f:
            if line.startswith("# lost events"):
                graph_lost = True
            m = re.match(r"# task (\d+)(?: cpu (\d+))?", line)
            if m:
                tid = tid_of(m.group(1), m.group(2))
                continue
            m = LINE.match(line)
            if not m or tid is None:
                continue
            step = UNIT[m.group(3)]
            val = (int(m.group(1)) * 1000 + int(m.group(2))) * step
            key = (tid, MARKS.sub("", m.group(5)).lstrip("|+- ").rstrip())
            gcalls[key] += int(m.group(4))
            lo[key] += val
            hi[key] += val + step - 1
    if gcalls != per_task:
        diff = set(gcalls.items()) ^ set(per_task.items())
        fail("calls per task and function differ from --graph: %s" % sorted(diff)[:10])
    for key, w in width.items():
        if not lo[key] <= w <= hi[key]:
            fail("task %s %s: %s %d ns wide, --graph says %d..%d ns"
                 % (key[0], key[1], what, w, lo[key], hi[key]))
    if graph_lost and not lost_stated:
        fail("--graph states lost events, the file does not (metadata.lost_events)")
