# A function_graph record killed with SIGKILL while it runs at the top level
# (the 6.1 kernel's only place for function_graph): the top-level tracer, the
# function lists, the options and tracing_on stay as it left them, and
# `sidetrace reset` puts every one back from the persisted undo list.
T=/sys/kernel/tracing

# 6.1 runs function_graph only at the top level, and record says so.
record_expected=(
	'^on this kernel the function_graph tracer runs only at the top level: recording there; its settings are restored afterwards$'
)

guest() {
	local before after rec tries=0 child
	echo 1408 >$T/buffer_size_kb || fail "cannot size the top-level buffer"
	echo vfs_fsync >$T/set_ftrace_notrace || fail "cannot write set_ftrace_notrace"
	before=$(tracefs_fingerprint)
	echo "$before" >before.txt
	"$SIDETRACE" record -p function_graph -g do_sys_openat2 -n kfree -O funcgraph-proc \
		--max-graph-depth 5 -o k.dat sleep 60 >record.out 2>record.err &
	rec=$!
	until [ "$(cat $T/current_tracer)" = function_graph ] && [ "$(cat $T/tracing_on)" = 1 ]; do
		tries=$((tries + 1))
		[ $tries -lt 600 ] || fail "record did not start function_graph in 60 s: $(cat record.err)"
		sleep 0.1
	done
	child=$(cat /proc/$rec/task/$rec/children 2>/dev/null)
	kill -KILL $rec
	wait $rec 2>/dev/null
	[ -n "$child" ] && kill -KILL $child 2>/dev/null
	[ -e /run/sidetrace/record-$rec.undo ] || fail "no persisted undo list of record $rec"
	[ "$(cat $T/current_tracer)" = function_graph ] || fail "the killed record left no tracer?"

	run_or_fail reset "sidetrace reset $rec" "$SIDETRACE" reset $rec
	after=$(tracefs_fingerprint)
	echo "$after" >after.txt
	assert_same "the tracing state after a killed function_graph record and reset" \
		"$before" "$after"
	[ -e /run/sidetrace/record-$rec.undo ] && fail "reset left the undo list behind"
	echo >$T/set_ftrace_notrace
}
