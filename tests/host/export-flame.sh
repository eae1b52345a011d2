#!/bin/bash
# report --flamegraph on trace-cmd's function_graph fixture (no tracefs
# needed): the SVG is well-formed; every frame's calls and total time equal
# --graph's (tests/check-flame.py); the subtitle names the file, the unit and
# the time range; frames narrower than --min-width are left out (0.1 px by
# default), as many as the SVG says, and the frame count and file size stay
# within what the width allows; the search controls are there and, in
# headless Chromium, Ctrl-F, "ignore case", "Reset search" and Escape work.
. "$(dirname "$0")/../lib.sh"
need_cmd python3
need_cmd xmllint

dat=$TOP/tests/fixtures/tracecmd/function_graph.dat
"$SIDETRACE" report -i "$dat" --graph >"$TEST_TMP/graph" || fail "report --graph"

flame() { # SVG ARGS...
	local svg=$1
	shift
	"$SIDETRACE" report -i "$dat" --flamegraph "$svg" "$@" 2>"$TEST_TMP/err" ||
		fail "report --flamegraph $*: $(tail -n 1 "$TEST_TMP/err")"
	[ ! -s "$TEST_TMP/err" ] || fail "report --flamegraph $* said: $(cat "$TEST_TMP/err")"
	xmllint --noout "$svg" 2>"$TEST_TMP/xmllint.err" ||
		fail "SVG of --flamegraph $*: $(head -n 3 "$TEST_TMP/xmllint.err")"
	python3 "$TOP/tests/check-flame.py" "$svg" "$TEST_TMP/graph" ||
		fail "SVG of --flamegraph $* against --graph"
}

# -- the default: every frame of this small trace is wider than 0.1 px
flame "$TEST_TMP/default.svg" >"$TEST_TMP/default.check"
grep -qx 'frames [0-9]* pruned 0 min-width 0' "$TEST_TMP/default.check" ||
	fail "default flame graph: $(cat "$TEST_TMP/default.check")"
subtitle=$(grep -o '<text id="subtitle"[^>]*>[^<]*' "$TEST_TMP/default.svg" | sed 's/.*>//')
assert_same "subtitle" \
	"$dat; frame width: time in calls; 103.216778 s to 103.239877 s (23.098 ms)" "$subtitle"
all=$(cut -d' ' -f2 "$TEST_TMP/default.check")

# -- pruning: drawn + left out = all, and at most (width - 20) / min-width frames a level
levels=$(($(grep -o 'y="[0-9]*" width' "$TEST_TMP/default.svg" | sort -u | wc -l)))
for args in "--min-width 1 --width 200" "--min-width 2" "--min-width 10 --width 600" "--min-width 50"; do
	# shellcheck disable=SC2086
	flame "$TEST_TMP/p.svg" $args >"$TEST_TMP/p.check"
	read -r _ kept _ pruned _ minw <"$TEST_TMP/p.check"
	width=$(sed -n 's/^<svg version="1.1" width="\([0-9]*\)".*/\1/p' "$TEST_TMP/p.svg")
	[ "$pruned" -gt 0 ] && [ "$((kept + pruned))" = "$all" ] ||
		fail "$args: $kept frames drawn + $pruned left out, of $all"
	python3 -c "import sys; k, l, w, m = map(float, sys.argv[1:]); sys.exit(k > l * (w - 20) / m + 1)" \
		"$kept" "$levels" "$width" "$minw" || fail "$args: $kept frames on $levels levels"
	size=$(wc -c <"$TEST_TMP/p.svg") full=$(wc -c <"$TEST_TMP/default.svg")
	# each frame left out saves its <g> line (over 100 bytes)
	[ "$size" -le "$((full - 100 * pruned))" ] || fail "$args: $size bytes, $full unpruned"
	note "$args: $kept frames ($pruned left out), $size bytes"
done
# narrow: the subtitle in lines that fit, the frames below them
flame "$TEST_TMP/narrow.svg" --width 400 >/dev/null
[ "$(grep -o '<tspan x="200" dy="[0-9]*">' "$TEST_TMP/narrow.svg" | wc -l)" -ge 3 ] ||
	fail "--width 400: the subtitle is not wrapped: $(grep '<text id="subtitle"' "$TEST_TMP/narrow.svg")"
# (the default 0.1 px, stated, on frames that narrow: tests/unit/test_export.c)
flame "$TEST_TMP/all.svg" --width 200 --min-width 0 >"$TEST_TMP/all.check"
grep -qx "frames $all pruned 0 min-width 0" "$TEST_TMP/all.check" ||
	fail "--min-width 0 did not draw every frame: $(cat "$TEST_TMP/all.check")"

# -- search controls
for id in search case reset-search matched; do
	grep -q "<text id=\"$id\"" "$TEST_TMP/default.svg" || fail "no #$id in the SVG"
done
grep -q "addEventListener('keydown'" "$TEST_TMP/default.svg" || fail "no keyboard handler (Ctrl-F)"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	note "chromium is not installed: the search was not exercised (scripts/install-deps adds it)"
	exit 0
fi
# A copy of the SVG with a script that presses the controls as a user
# would (prompt() answers "PATH_") and writes what it saw into the document.
python3 - "$TEST_TMP/default.svg" "$TEST_TMP/harness.svg" <<'EOF'
import sys
harness = r"""<script type="text/ecmascript"><![CDATA[
window.addEventListener('load', function() { setTimeout(function() {
  var out = [], asked = 0;
  function byId(id) { return document.getElementById(id); }
  function state(what) {
    out.push(what + ': ' + byId('matched').textContent + '; ' +
      document.querySelectorAll('#frames rect[fill="rgb(230,0,230)"]').length +
      ' highlighted; reset-search ' + (byId('reset-search').style.display ? 'hidden' : 'shown'));
  }
  window.prompt = function() { asked++; return 'PATH_'; };
  var key = new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, cancelable: true });
  var taken = !document.dispatchEvent(key);
  state('ctrl-f taken ' + taken + ' asked ' + asked);
  byId('case').dispatchEvent(new MouseEvent('click'));
  state('case ' + byId('case').textContent);
  byId('reset-search').dispatchEvent(new MouseEvent('click'));
  state('reset-search');
  byId('search').dispatchEvent(new MouseEvent('click'));
  state('search asked ' + asked);
  document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
  state('escape');
  var t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  t.setAttribute('id', 'harness');
  t.textContent = out.join('|');
  document.documentElement.appendChild(t);
}, 0); });
]]></script>
"""
s = open(sys.argv[1]).read()
end = s.rindex("</svg>")
open(sys.argv[2], "w").write(s[:end] + harness + s[end:])
EOF
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --user-data-dir="$TEST_TMP/chromium" \
	--virtual-time-budget=5000 --dump-dom "file://$TEST_TMP/harness.svg" >"$TEST_TMP/dom" \
	2>"$TEST_TMP/chromium.err" || fail "chromium: $(tail -n 3 "$TEST_TMP/chromium.err")"
seen=$(grep -o '<text id="harness">[^<]*' "$TEST_TMP/dom" | sed 's/^[^>]*>//' | tr '|' '\n')
# PATH_ matches path_openat (3 frames of cat, 62.19% of the time) only ignoring case
assert_same "the search controls in Chromium" "$(cat <<'EOF'
ctrl-f taken true asked 1: Matched: 0.00%; 0 highlighted; reset-search shown
case ☑ ignore case: Matched: 62.19%; 3 highlighted; reset-search shown
reset-search:  ; 0 highlighted; reset-search hidden
search asked 2: Matched: 62.19%; 3 highlighted; reset-search shown
escape:  ; 0 highlighted; reset-search hidden
EOF
)" "$seen"
# ?s=REGEX&i=1 in the URL: a first search
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --user-data-dir="$TEST_TMP/chromium" \
	--dump-dom "file://$TEST_TMP/default.svg?s=path_&i=1" >"$TEST_TMP/dom2" 2>/dev/null ||
	fail "chromium with ?s=path_"
grep -q '<text id="matched"[^>]*>Matched: 62.19%<' "$TEST_TMP/dom2" ||
	fail "?s=path_&i=1 did not search: $(grep -o '<text id="matched"[^<]*' "$TEST_TMP/dom2")"
exit 0
