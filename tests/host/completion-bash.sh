#!/bin/bash
# The bash completion in a real interactive bash (in tmux): keys typed with send-keys, what
# readline shows read back with capture-pane. The cases are those the completion once got
# wrong when it guessed from --help: values of --format (after a space and after '='),
# --color=, --time-range's free value, options the program rejects (report --input,
# record -B), and report --files' own options.
. "$(dirname "$0")/../lib.sh"
need_cmd tmux

mkdir "$TEST_TMP/bin" "$TEST_TMP/work"
ln -s "$SIDETRACE" "$TEST_TMP/bin/sidetrace"
touch "$TEST_TMP/work/trace-1.dat"

tm() { tmux -S "$TEST_TMP/tmux.sock" "$@"; }
# the server removes its socket as it exits, which may be after kill-server returns
stop_tmux() {
	local i
	tm kill-server 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		[ -S "$TEST_TMP/tmux.sock" ] || break
		sleep 0.1
	done
	rm -rf "$TEST_TMP"
}
trap stop_tmux EXIT
# A wide window, so that no line wraps; a plain bash with only our completion.
tm -f /dev/null new-session -d -s st -x 250 -y 50 \
	"env -i HOME=$TEST_TMP TERM=xterm PATH=$TEST_TMP/bin:/usr/bin:/bin bash --norc --noprofile" ||
	skip "tmux cannot start a session"
tm send-keys -t st -l "PS1='\$ '; source $TOP/contrib/completion/sidetrace.bash; cd $TEST_TMP/work"
tm send-keys -t st Enter
# list every candidate on the first Tab, never ask, never page
tm send-keys -t st -l "bind 'set show-all-if-ambiguous on'; bind 'set completion-query-items 0'; bind 'set page-completions off'; bind 'set bell-style none'"
tm send-keys -t st Enter

pane() { tm capture-pane -p -J -t st | sed 's/[[:space:]]*$//' | grep -v '^$'; }

wait_for() { # REGEX: until the pane's last line matches it (5 s)
	local i
	for ((i = 0; i < 50; i++)); do
		pane | tail -n 1 | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	fail "waited for /$1/ on the last line; the pane has: $(pane)"
}

# Type TEXT on a fresh line, press Tab, then a marker: once the marker shows, readline has
# finished the completion. Sets $line (the command line after it) and $listed (the
# candidates it listed, one per line; empty when it listed none).
tab() { # TEXT
	tm send-keys -t st C-c
	tm send-keys -t st -l clear
	tm send-keys -t st Enter
	wait_for '^\$$'
	tm send-keys -t st -l "sidetrace $1"
	tm send-keys -t st Tab
	tm send-keys -t st -l '#END'
	wait_for '#END$'
	line=$(pane | tail -n 1 | sed 's/^\$ //; s/#END$//')
	listed=$(pane | sed '1d;$d' | tr -s ' ' '\n' | grep -v '^$' | sort)
}

words() { printf '%s\n' "$@" | sort; }

# Values of a choice: after a space and after '=', and nothing else.
tab "report --format "
assert_same "report --format <Tab>" "$(words chrome folded speedscope text)" "$listed"
tab "report --format="
assert_same "report --format=<Tab>" "$(words chrome folded speedscope text)" "$listed"
tab "report --color="
assert_same "report --color=<Tab>" "$(words always auto never)" "$listed"
tab "report --color=al"
[ "$line" = "sidetrace report --color=always " ] || fail "report --color=al<Tab> gave '$line'"
tab "record --compression z"
assert_same "record --compression z<Tab>" "$(words zlib zstd)" "$listed"
# A free value: nothing is offered, neither options nor files.
tab "report --time-range "
[ -z "$listed" ] && [ "$line" = "sidetrace report --time-range " ] ||
	fail "report --time-range <Tab> offered: $listed (line '$line')"
# Options the program rejects are not offered.
tab "report --in"
[ "$line" = "sidetrace report --in" ] && [ -z "$listed" ] ||
	fail "report --in<Tab> offered: $listed (line '$line')"
tab "record -"
grep -qx -- --event <<<"$listed" || fail "record -<Tab> lacks --event: $listed"
grep -qx -- -B <<<"$listed" && fail "record -<Tab> offers -B, which record rejects"
tab "report -"
grep -qx -- --input <<<"$listed" && fail "report -<Tab> offers --input, which report rejects"
grep -qx -- --time-range <<<"$listed" || fail "report -<Tab> lacks --time-range: $listed"
# report --files has options of its own, and its own --format.
tab "report --files --f"
assert_same "report --files --f<Tab>" "$(words --failed --files --format)" "$listed"
tab "report --files --format "
assert_same "report --files --format <Tab>" "$(words json list null)" "$listed"
# Commands, sidetrace's own options, a file operand.
tab "rep"
[ "$line" = "sidetrace report " ] || fail "rep<Tab> gave '$line'"
tab "-"
for w in -v --version -h --help; do
	grep -qx -- "$w" <<<"$listed" || fail "sidetrace -<Tab> lacks $w: $listed"
done
tab "report tr"
[ "$line" = "sidetrace report trace-1.dat " ] || fail "report tr<Tab> gave '$line'"
# An event name after the ':' that readline breaks words at.
if [ -r $T/events/sched/sched_switch/format ]; then
	tab "record -e sched:sched_swi"
	[ "$line" = "sidetrace record -e sched:sched_switch " ] ||
		fail "record -e sched:sched_swi<Tab> gave '$line'"
else
	note "no readable $T/events: the event case is left out"
fi
exit 0
