# The VM tier's job (run by /init with bash, in /out): runs every test in
# /vm/tests/vm/tests/ in its own directory /out/NAME, keeping its output in
# /out/NAME/log and its exit status in /out/NAME/rc (a passing guest() fails
# after all if record printed what the test did not expect: helpers.sh's
# check_record_stderr), and prints one line per
# test on the console. Each test gets at most 120 s, and less when the VM's
# time limit ($VM_DEADLINE, from the kernel command line) is near, so that a
# hung test costs its own result, not the whole boot's.
uptime_s() { cut -d' ' -f1 /proc/uptime; }
deadline=${VM_DEADLINE:-240}
for t in /vm/tests/vm/tests/*.sh; do
	name=$(basename "$t" .sh)
	mkdir -p "/out/$name"
	cd "/out/$name" || exit 1
	start=$(uptime_s)
	left=$((deadline - ${start%.*} - 15))
	[ $left -gt 120 ] && left=120
	if [ $left -lt 5 ]; then
		echo "FAIL: no time left in the VM (limit ${deadline} s) to run $name" >log
		echo 124 >rc
		echo "vm-test: $name not run: no time left"
		continue
	fi
	timeout $left bash -c '. /vm/tests/lib.sh; . /vm/tests/vm/helpers.sh; . "$1"
		declare -F guest >/dev/null || exit 0; guest && check_record_stderr' \
		vm-test "$t" >log 2>&1 </dev/null
	rc=$?
	echo $rc >rc
	echo "vm-test: $name exit $rc ($start s .. $(uptime_s) s)"
	[ $rc -eq 0 ] || tail -n 5 log | sed 's/^/vm-test:   | /'
done
