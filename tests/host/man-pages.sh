#!/bin/bash
# Every man page names itself as man-db's tools expect: `lexgrog` (which mandb uses to build
# the whatis database that apropos and whatis search) reads "NAME - summary" from each page,
# and NAME is the page's own name (sidetrace-report, as git's and trace-cmd's pages do), so
# `apropos sidetrace` lists each page with its summary instead of "(unknown subject)".
. "$(dirname "$0")/../lib.sh"
need_cmd lexgrog
need_cmd scdoc

make -s -C "$TOP" man >"$TEST_TMP/make.log" 2>&1 || { cat "$TEST_TMP/make.log" >&2; fail "make man failed"; }
pages=0
for src in "$TOP"/Documentation/*.[0-9].scd; do
	[ -e "$src" ] || continue
	page=${src%.scd}
	name=$(basename "$page")
	name=${name%.*}
	out=$(lexgrog "$page" 2>&1) || fail "lexgrog cannot parse $(basename "$page"): $out"
	[[ $out == "$page: \"$name - "?* ]] || fail "lexgrog reads $(basename "$page") as: $out"
	pages=$((pages + 1))
done
[ $pages -ge 8 ] || fail "only $pages man pages"
note "lexgrog reads all $pages pages"
exit 0
