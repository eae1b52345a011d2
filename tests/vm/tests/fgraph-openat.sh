# sidetrace record -p function_graph -g do_sys_openat2 -O funcgraph-proc ls /
# in the VM. In the guest: the tracing state (with the function tracer's files
# and every option) is the same before and after, though the 6.1 kernel runs
# function_graph only at the top level. On the host: the report shows
# do_sys_openat2() { with getname and do_filp_open nested inside and a closing
# } with a duration, and is line for line trace-cmd report's; --graph and
# --profile agree with each other and with the raw entry/exit events.
T=/sys/kernel/tracing
FUNCS="do_sys_openat2 getname do_filp_open"

# 6.1 runs function_graph only at the top level, and record says so.
record_expected=(
	'^on this kernel the function_graph tracer runs only at the top level: recording there; its settings are restored afterwards$'
	'^the top level is in use: 1 event is enabled there \(sched:sched_wakeup\); not taking it over$'
	'^the top-level tracer is in use \(current_tracer: blk\); not taking it over$'
)

expect_refusal() { # WHAT MESSAGE
	local state
	state=$(tracefs_fingerprint)
	"$SIDETRACE" record -p function_graph -g do_sys_openat2 -o no.dat ls / >no.out 2>no.err &&
		fail "record took the top level over with $1"
	grep -qF "$2" no.err || fail "with $1: unexpected message: $(cat no.err)"
	assert_same "the tracing state after a refused record ($1)" "$state" "$(tracefs_fingerprint)"
}

guest() {
	local before after
	# Non-default values a careless restore would lose. The top-level buffer is
	# sized first: the kernel expands an unused one on first use, for good.
	echo 1408 >$T/buffer_size_kb || fail "cannot size the top-level buffer"
	echo 1 >$T/options/funcgraph-abstime || fail "cannot set funcgraph-abstime"
	echo vfs_fsync >$T/set_ftrace_notrace || fail "cannot write set_ftrace_notrace"
	before=$(tracefs_fingerprint)
	echo "$before" >before.txt

	# The top level is taken over only if nobody else uses it.
	echo 1 >$T/events/sched/sched_wakeup/enable || fail "cannot enable sched_wakeup"
	expect_refusal "an event enabled at the top level" \
		"the top level is in use: 1 event is enabled there (sched:sched_wakeup)"
	echo 0 >$T/events/sched/sched_wakeup/enable
	echo blk >$T/current_tracer || fail "cannot set the blk tracer"
	expect_refusal "another tracer at the top level" \
		"the top-level tracer is in use (current_tracer: blk)"
	echo nop >$T/current_tracer
	assert_same "the tracing state after the refusals" "$before" "$(tracefs_fingerprint)"

	run_or_fail record "sidetrace record -p function_graph -g do_sys_openat2 -O funcgraph-proc" \
		"$SIDETRACE" record -p function_graph -g do_sys_openat2 -O funcgraph-proc \
		-n kfree -o fg.dat ls /
	after=$(tracefs_fingerprint)
	echo "$after" >after.txt
	assert_same "the tracing state after a function_graph record" "$before" "$after"
	grep -q 'top level' record.err || fail "record did not say it used the top level"
	echo 0 >$T/options/funcgraph-abstime
	echo >$T/set_ftrace_notrace
}

# The first do_sys_openat2() { ... } of ls: getname and do_filp_open one level
# deeper inside, and the closing } at its own depth with a duration.
check_nesting() { # REPORT
	awk '
	function indent(s) { match(s, /\|  +/); return RLENGTH }
	!open && /^ *ls-[0-9]+ .*funcgraph_entry: .*\|  +do_sys_openat2\(\) \{$/ {
		open = 1; depth = indent($0); next
	}
	open && /getname/ && indent($0) == depth + 2 { getname = 1 }
	open && /do_filp_open/ && indent($0) == depth + 2 { filp = 1 }
	open && /funcgraph_exit: .*[0-9] us +\|  +\}$/ && indent($0) == depth { closed = 1; exit }
	END {
		if (!open) { print "no do_sys_openat2() { line of ls"; exit 1 }
		if (!getname) { print "no getname one level inside do_sys_openat2"; exit 1 }
		if (!filp) { print "no do_filp_open one level inside do_sys_openat2"; exit 1 }
		if (!closed) { print "do_sys_openat2 has no closing } with a duration"; exit 1 }
	}' "$1"
}

# "FUNC CALLS NS SLACK" per function from a --graph or --profile view: calls,
# time (Total, or Self with col=self) in ns, and how much the 3-digit
# truncation of the shown times can hide.
view_sums() { # FILE
	awk -v funcs="$FUNCS" '
	function ns(v, u) {
		if (u == "us") { res += 1; return v * 1000 }
		if (u == "ms") { res += 1000; return v * 1000000 }
		res += 1000000; return v * 1000000000
	}
	BEGIN { n = split(funcs, f, " "); for (i = 1; i <= n; i++) want[f[i]] = 1 }
	/^ *[0-9]+\.[0-9]+ +(us|ms|s) / {
		name = ""
		for (i = 6; i <= NF; i++) if ($i != "+-" && $i != "|") { name = $i; break }
		if ($6 ~ /^[0-9]/) name = $10	# profile: avg and max come first
		if (!(name in want)) next
		res = 0
		t = ns($1, $2)
		calls[name] += $5; total[name] += t; slack[name] += res
	}
	END { for (k in want) printf "%s %d %.0f %d\n", k, calls[k], total[k], slack[k] }' "$1" |
		sort
}

# The same from the raw funcgraph_exit events: calls and sum of rettime - calltime.
raw_sums() { # RAW_REPORT
	local func calltime rettime
	grep -o 'funcgraph_exit: *func=[^ ]* .*calltime=[0-9a-f]* rettime=[0-9a-f]*' "$1" |
		sed 's/.*func=\([^ ]*\) .*calltime=\([0-9a-f]*\) rettime=\([0-9a-f]*\)/\1 \2 \3/' |
		while read -r func calltime rettime; do
			case " $FUNCS " in *" $func "*) ;; *) continue ;; esac
			echo "$func $((16#$rettime - 16#$calltime))"
		done | awk -v funcs="$FUNCS" '
		BEGIN { n = split(funcs, f, " "); for (i = 1; i <= n; i++) want[f[i]] = 1 }
		{ calls[$1]++; total[$1] += $2 }
		END { for (k in want) printf "%s %d %.0f 0\n", k, calls[k], total[k] }' | sort
}

# Two "FUNC CALLS NS SLACK" lists agree: same calls, times within the slack.
same_sums() { # WHAT A B
	join "$2" "$3" | awk -v what="$1" '
	{
		d = $3 - $6; if (d < 0) d = -d
		if ($2 != $5 || $2 == 0 || d > $4 + $7)
			{ printf "%s: %s: %d calls, %.0f ns vs %d calls, %.0f ns\n",
				what, $1, $2, $3, $5, $6; bad = 1 }
	}
	END { exit bad }' || fail "$1 disagree (see above)"
}

host() {
	run_or_fail tc-report "host trace-cmd report -i fg.dat" trace-cmd report -i fg.dat
	run_or_fail st-report "sidetrace report -i fg.dat" "$SIDETRACE" report -i fg.dat
	check_nesting st-report.out >nesting.txt || fail "sidetrace report: $(cat nesting.txt)"
	same_report "sidetrace report vs trace-cmd report on fg.dat" tc-report.out st-report.out

	run_or_fail graph "sidetrace report --graph" "$SIDETRACE" report --graph -i fg.dat
	run_or_fail profile "sidetrace report --profile" "$SIDETRACE" report --profile -i fg.dat
	run_or_fail raw "sidetrace report -R" "$SIDETRACE" report -R -i fg.dat
	view_sums graph.out >graph.sums
	view_sums profile.out >profile.sums
	raw_sums raw.out >raw.sums
	same_sums "--graph and --profile" graph.sums profile.sums
	same_sums "--profile and the raw funcgraph_exit events" profile.sums raw.sums
	note "$(tr '\n' ';' <profile.sums)"
}
