#!/bin/bash
# `make install DESTDIR=...` installs the program, every man page, the bash completion and
# the libtraceevent plugins (in Debian's plugin directory with PREFIX=/usr);
# every installed page renders with `man -l` without a warning, and the completion loads.
# `make uninstall` with the same DESTDIR and PREFIX removes exactly what install put there.
. "$(dirname "$0")/../lib.sh"
need_cmd make
need_cmd man
need_cmd groff

dest=$TEST_TMP/dest
# Files of others in the same directories, which uninstall must leave alone.
others="usr/bin/other usr/share/man/man1/other.1 usr/share/bash-completion/completions/other"
for f in $others; do
	mkdir -p "$dest/$(dirname "$f")" && echo other >"$dest/$f" || fail "cannot create $dest/$f"
done
make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/usr >"$TEST_TMP/make.log" 2>&1 ||
	{ cat "$TEST_TMP/make.log" >&2; fail "make install failed"; }

[ -x "$dest/usr/bin/sidetrace" ] || fail "no $dest/usr/bin/sidetrace"
"$dest/usr/bin/sidetrace" --version | grep -q '^sidetrace version ' || fail "the installed binary does not run"

# One page per Documentation/*.1.scd, each rendering cleanly.
pages=0
for src in "$TOP"/Documentation/*.1.scd; do
	[ -e "$src" ] || continue
	page=$dest/usr/share/man/man1/$(basename "$src" .scd)
	[ -f "$page" ] || fail "$page was not installed"
done
for page in "$dest"/usr/share/man/man*/sidetrace*; do
	[ -f "$page" ] || continue
	pages=$((pages + 1))
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >"$TEST_TMP/page.txt")
	[ -z "$warnings" ] || fail "man -l $(basename "$page") warns: $warnings"
	name=$(basename "$page"); name=${name%.*}
	grep -q "^NAME" "$TEST_TMP/page.txt" || fail "$(basename "$page") renders without a NAME section"
	grep -qi "$name" "$TEST_TMP/page.txt" || fail "$(basename "$page") does not name itself"
done
[ $pages -ge 2 ] || fail "only $pages man pages installed"
note "$pages man pages render without warnings"

comp=$dest/usr/share/bash-completion/completions/sidetrace
[ -f "$comp" ] || fail "the bash completion was not installed at $comp"
out=$(bash -c 'source "$1" && complete -p sidetrace' _ "$comp" 2>&1) || fail "sourcing the completion failed: $out"
[ "$out" = "complete -F _sidetrace sidetrace" ] || fail "unexpected 'complete -p sidetrace': $out"

plugindir=$dest/usr/lib/$(cc -print-multiarch 2>/dev/null)/traceevent/plugins
for so in "$TOP"/plugins/*.so; do
	[ -f "$plugindir/$(basename "$so")" ] || fail "$(basename "$so") was not installed in $plugindir"
done
[ -f "$plugindir/plugin_sidetrace.so" ] || fail "no plugin_sidetrace.so in $plugindir"

installed=$(cd "$dest" && find . ! -type d | sort)
make -s -C "$TOP" uninstall DESTDIR="$dest" PREFIX=/usr >"$TEST_TMP/make.log" 2>&1 ||
	{ cat "$TEST_TMP/make.log" >&2; fail "make uninstall failed"; }
left=$(cd "$dest" && find . ! -type d | sort)
assert_same "what make uninstall leaves" "$(printf './%s\n' $others | sort)" "$left"
note "make uninstall removed $(($(wc -l <<<"$installed") - $(wc -l <<<"$left"))) files and left the others'"
exit 0
