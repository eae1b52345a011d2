# report --format chrome/folded and --flamegraph on kernel traces recorded in
# the VM by other tests (host side only, no VM time): trace-cmd's
# function_graph recording (../tracecmd-function-graph/fg.dat) and sidetrace's
# function tracer with --func-stack (../function-filter/stack.dat).
# function_graph: the speedscope file is valid and agrees with --graph and
# chrome (tests/check-speedscope.py); the chrome JSON parses, every call is a named slice as wide
# as --graph's duration (per task and function, to the ns), calls per function
# equal --profile's, and so do
# the folded call counts summed per function; the SVGs are well-formed,
# render, and have a frame per function. --func-stack: one folded sample per
# kernel_stack event (self = samples), ending in vfs_read (the tracer's
# ftrace_trampoline frame left out).

# JSON -> "function calls" lines; fails on a broken timeline.
check_chrome() { # JSON [GRAPH] -> "function calls" lines on stdout
	python3 "$TOP/tests/check-chrome.py" "$@"
}

check_svg() { # SVG FOLDED
	xmllint --noout "$1" 2>xmllint.err || fail "$1: $(head -n 3 xmllint.err)"
	rsvg-convert -o "$1.png" "$1" || fail "rsvg-convert cannot render $1"
	[ "$(head -c 4 "$1.png" | tail -c 3)" = PNG ] || fail "rsvg-convert wrote no PNG for $1"
	tr ';' '\n' <"$2" | sed 's/ [0-9]*$//' | sort -u >names.txt
	while read -r name; do
		grep -qxF "<g><title>$name" "$1" || fail "no frame for $name in $1"
	done <names.txt
}

host() {
	local fg=../tracecmd-function-graph/fg.dat stack=../function-filter/stack.dat
	[ -s $fg ] || fail "no $fg: the tracecmd-function-graph test did not produce it"
	run_or_fail chrome "report --format chrome on fg.dat" "$SIDETRACE" report -i $fg --format chrome
	run_or_fail graph "report --graph on fg.dat" "$SIDETRACE" report -i $fg --graph
	# every slice as wide as the kernel's duration (rettime - calltime)
	check_chrome chrome.out graph.out >chrome.calls || fail "chrome JSON of fg.dat"
	run_or_fail profile "report --profile on fg.dat" "$SIDETRACE" report -i $fg --profile
	awk '/^ +[0-9]+\.[0-9][0-9][0-9] +(us|ms|s) / { print $10, $5 }' profile.out | sort >profile.calls
	assert_same "calls per function: chrome vs --profile" "$(cat profile.calls)" "$(sort chrome.calls)"

	# speedscope: nested O/C, durations as --graph's and chrome's (to the ns), its schema
	run_or_fail speedscope "report --format speedscope on fg.dat" \
		"$SIDETRACE" report -i $fg --format speedscope
	python3 "$TOP/tests/check-speedscope.py" speedscope.out graph.out chrome.out \
		>speedscope.calls 2>speedscope.check || fail "speedscope of fg.dat: $(tail -n 1 speedscope.check)"
	assert_same "calls per function: speedscope vs --profile" "$(cat profile.calls)" \
		"$(sort speedscope.calls)"
	"$TOP/tests/speedscope/validate" speedscope.out >valid.out 2>&1
	case $? in
	0) ;;
	77) note "$(tail -n 1 valid.out)" ;;
	*) fail "speedscope schema: $(cat valid.out)" ;;
	esac

	run_or_fail folded "report --format folded --count on fg.dat" \
		"$SIDETRACE" report -i $fg --format folded --count
	awk '{ n = split($1, f, ";"); calls[f[n]] += $2 } END { for (k in calls) print k, calls[k] }' \
		folded.out | sort >folded.calls
	assert_same "calls per function: folded --count vs --profile" "$(cat profile.calls)" \
		"$(cat folded.calls)"
	# (--min-width 0: a frame for every function, however narrow)
	run_or_fail flame "report --flamegraph on fg.dat" "$SIDETRACE" report -i $fg --flamegraph fg.svg \
		--min-width 0
	check_svg fg.svg folded.out
	# the default (0.1 px): frames and times against --graph, as many left out as it says
	run_or_fail flame-default "report --flamegraph on fg.dat" "$SIDETRACE" report -i $fg \
		--flamegraph fg-default.svg
	python3 "$TOP/tests/check-flame.py" fg-default.svg graph.out >fg-default.check ||
		fail "the flame graph of fg.dat against --graph"
	run_or_fail icicle "report --flamegraph --icicle on fg.dat" \
		"$SIDETRACE" report -i $fg --flamegraph fg-icicle.svg --icicle --min-width 0
	check_svg fg-icicle.svg folded.out

	[ -s $stack ] || fail "no $stack: the function-filter test did not produce it"
	run_or_fail stack-folded "report --format folded on stack.dat" \
		"$SIDETRACE" report -i $stack --format folded
	run_or_fail stack-report "report on stack.dat" "$SIDETRACE" report -i $stack
	[ "$(awk '{ s += $NF } END { print s + 0 }' stack-folded.out)" = \
		"$(grep -c 'kernel_stack:' stack-report.out)" ] ||
		fail "folded samples of stack.dat are not one per kernel_stack event"
	grep -q ';ksys_read;vfs_read \|;__x64_sys_pread64;vfs_read ' stack-folded.out ||
		fail "the folded stacks do not show the read path: $(head -n 3 stack-folded.out)"
	run_or_fail stack-flame "report --flamegraph on stack.dat" \
		"$SIDETRACE" report -i $stack --flamegraph stack.svg --min-width 0
	check_svg stack.svg stack-folded.out
}
