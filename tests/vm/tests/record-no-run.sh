# record on a minimal system without /run (an initramfs, a container): it
# makes /run (0755) and /run/sidetrace (0700) for its undo list instead of
# failing with "cannot create /run/sidetrace", and reset finds the list there
# after a SIGKILL. The VM's root is its own initramfs, so /run can really go.
T=/sys/kernel/tracing

guest() {
	local before rec tries=0
	# Later tests get their /run back, whatever happens here.
	trap 'grep -q " /run " /proc/mounts || { mkdir -p /run; mount -t tmpfs -o mode=755 tmpfs /run; }' EXIT
	umount /run || fail "cannot unmount /run"
	rmdir /run || fail "cannot remove /run"
	before=$(tracefs_fingerprint)

	run_or_fail record "sidetrace record without /run" \
		"$SIDETRACE" record -e sched:sched_switch -o norun.dat \
		sh -c 'stat -c "%n %a %u %F" /run /run/sidetrace; ls /run/sidetrace'
	grep -qx "/run 755 0 directory" record.out || fail "/run is not a 0755 directory: $(cat record.out)"
	grep -qx "/run/sidetrace 700 0 directory" record.out ||
		fail "/run/sidetrace is not a 0700 directory: $(cat record.out)"
	grep -qx 'record-[0-9]*\.undo' record.out || fail "no undo list in /run/sidetrace: $(cat record.out)"
	[ -z "$(ls /run/sidetrace)" ] || fail "the undo list was left: $(ls /run/sidetrace)"
	run_or_fail report "sidetrace report of the recording" "$SIDETRACE" report -i norun.dat
	assert_same "the tracing state after a record without /run" "$before" "$(tracefs_fingerprint)"

	# SIGKILL, then reset: it finds the list in the /run record made.
	rm -rf /run
	rm -f child.pid
	"$SIDETRACE" record -e sched:sched_switch -o killed.dat \
		sh -c 'echo $$ >child.pid; exec sleep 60' >killed.out 2>killed.err &
	rec=$!
	until [ -e /run/sidetrace/record-$rec.undo ] && [ -s child.pid ]; do
		tries=$((tries + 1))
		[ $tries -lt 300 ] || fail "record did not start in 30 s: $(cat killed.err)"
		sleep 0.1
	done
	kill -KILL $rec
	wait $rec 2>/dev/null
	kill -KILL "$(cat child.pid)"
	run_or_fail reset "sidetrace reset after a killed record" "$SIDETRACE" reset $rec
	grep -q "replayed its undo list /run/sidetrace/record-$rec.undo" reset.out ||
		fail "reset did not replay the list: $(cat reset.out)"
	assert_same "the tracing state after a killed record and reset" "$before" "$(tracefs_fingerprint)"
}
