#!/usr/bin/env python3
"""Checks a `sidetrace report --flamegraph` SVG (a flame graph, not --icicle)
against the `report --graph` output of the same trace.

  check-flame.py SVG GRAPH

Frames are read back from the SVG (title: name, total, self, calls; rect:
x, y, width) in the order they are written (depth first), which gives each
frame its path root;comm;outer;...;inner. --graph's lines are merged per comm
the same way. Then, for every path:
  - a frame's calls equal the graph's, and its total time the graph's sum
    (to the ns where both print ns, i.e. below 1 ms; else within what the
    coarser figures allow);
  - its width is its share of the root's width (to 0.01 px);
  - a path of the graph missing from the SVG is one the SVG says it left out
    (narrower than its min width), and their number is the one it states.
Prints "frames N pruned M min-width W".
"""
import html, re, sys
from collections import defaultdict

UNIT = {"us": 1, "ms": 1000, "s": 1000000}   # ns per printed last digit, per unit


def fail(msg):
    sys.exit("check-flame: " + msg)


def parse_time(text):
    """'489.316 us' -> (lo, hi) ns: what the printed figure allows."""
    m = re.match(r"^\s*(\d+)\.(\d{3}) +(us|ms|s)$", text)
    if not m:
        fail("not a time: %r" % text)
    step = UNIT[m.group(3)]
    val = (int(m.group(1)) * 1000 + int(m.group(2))) * step
    return val, val + step - 1


svg = open(sys.argv[1]).read()
frame_re = re.compile(r'<g><title>([^\n<]*)\ntotal: ([^(<]*) \([0-9.]+%\)\nself: [^\n]*\n'
                      r'calls: (\d+)</title><rect x="([0-9.]+)" y="(\d+)" width="([0-9.]+)"')
frames = frame_re.findall(svg)
if not frames:
    fail("no frames in %s" % sys.argv[1])
if len(frames) != svg.count("<g><title>"):
    fail("%d frames, %d parsed" % (svg.count("<g><title>"), len(frames)))
root_y, root_w = int(frames[0][4]), float(frames[0][5])
m = re.search(r'<svg version="1.1" width="(\d+)"', svg)
if abs(root_w - (int(m.group(1)) - 20)) > 0.01:
    fail("the root is %.3f px wide in a %s px graph" % (root_w, m.group(1)))

got = {}            # path -> (calls, lo, hi, width)
path = []
for name, total, calls, x, y, w in frames:
    depth, rest = divmod(root_y - int(y), 16)
    if rest or depth < 0 or depth > len(path):
        fail("frame %s at y=%s is not on top of its parent" % (name, y))
    path = path[:depth] + [html.unescape(name)]
    lo, hi = parse_time(total)
    got[";".join(path[1:])] = (int(calls), lo, hi, float(w))

m = re.search(r"(\d+) frames? narrower than ([0-9.]+) px left out", svg)
said_pruned, min_width = (int(m.group(1)), float(m.group(2))) if m else (0, 0.0)

# --graph: per task, lines "TOTAL SELF CALLS  [|  ]*[+- ]NAME"
line_re = re.compile(r"^\s*(\d+\.\d{3} +(?:us|ms|s)) +\S+ +\S+ +(\d+)  ((?:[|+ ]  |\+- )*)(.*)$")
marks = re.compile(r" \((\d+ )?(unfinished|no entry)\)| \[lost events\]")
want = defaultdict(lambda: [0, 0, 0])   # path -> calls, lo, hi
comm = None
for line in open(sys.argv[2]):
    m = re.match(r"# task \d+(?: cpu \d+)? (.*)$", line)
    if m:
        comm, stack = m.group(1), []
        continue
    m = line_re.match(line)
    if not m or comm is None:
        continue
    depth = len(m.group(3)) // 3
    stack = stack[:depth] + [marks.sub("", m.group(4)).rstrip()]
    lo, hi = parse_time(m.group(1))
    for key in (comm, comm + ";" + ";".join(stack)) if depth == 0 else (comm + ";" + ";".join(stack),):
        w = want[key]
        w[0] += int(m.group(2)) if key != comm else 0
        w[1] += lo
        w[2] += hi
if not want:
    fail("no calls in the --graph output %s" % sys.argv[2])

all_lo = sum(v[1] for k, v in want.items() if ";" not in k)
missing = 0
for key, (calls, lo, hi) in sorted(want.items()):
    if key not in got:
        missing += 1
        if hi * root_w / all_lo >= min_width + 0.01:
            fail("%s (%d..%d ns) is missing from the SVG, yet wider than %g px"
                 % (key, lo, hi, min_width))
        continue
    gcalls, glo, ghi, w = got[key]
    if ";" in key and gcalls != calls:
        fail("%s: %d calls in the SVG, %d in --graph" % (key, gcalls, calls))
    if ghi < lo or glo > hi:
        fail("%s: %d..%d ns in the SVG, --graph says %d..%d ns" % (key, glo, ghi, lo, hi))
    share = w / root_w
    if not lo / all_lo * 0.999 - 0.01 / root_w <= share <= hi / all_lo * 1.001 + 0.01 / root_w:
        fail("%s: %.3f px wide, its time is %d ns of %d" % (key, w, lo, all_lo))
extra = set(got) - set(want) - {""}
if extra:
    fail("frames --graph does not have: %s" % sorted(extra)[:5])
if missing != said_pruned:
    fail("%d paths of --graph are not drawn, the SVG says %d were left out"
         % (missing, said_pruned))
print("frames %d pruned %d min-width %g" % (len(frames), said_pruned, min_width))
