# bench/report-vm.sh: run by `bench/report --make-data` inside the test VM
# (tests/vm/run): trace-cmd recordings of the kinds this kernel cannot make,
# for bench/report to time sidetrace report against trace-cmd report.
#   fgraph.dat   function_graph, no filter, around ls -lR twice (about a million lines)
#   kprobe.dat   kprobes with string arguments around ls -lR (repeated)
#   multibuf.dat three buffers (-B) of sched, syscalls and irq events around ls -lR
set -x
T=/sys/kernel/tracing
cd /out
trace-cmd record -p function_graph -b 8192 -o fgraph.dat bash -c 'ls -lR /usr; ls -lR /usr' >/dev/null 2>&1
echo 'p:kprobes/bench_open do_sys_openat2 dfd=%di:s32 path=+0(%si):string flags=%dx:x32' >> $T/kprobe_events
echo 'r:kprobes/bench_open_ret do_sys_openat2 ret=$retval:s64' >> $T/kprobe_events
echo 'p:kprobes/bench_statx vfs_statx dfd=%di:s32 name=+0(+0(%si)):string flags=%dx:x32' >> $T/kprobe_events
trace-cmd record -e kprobes -b 8192 -o kprobe.dat timeout 30 bash -c 'for i in $(seq 200); do ls -lR /usr; done' >/dev/null 2>&1
echo '-:kprobes/bench_open' >> $T/kprobe_events
echo '-:kprobes/bench_open_ret' >> $T/kprobe_events
echo '-:kprobes/bench_statx' >> $T/kprobe_events
trace-cmd record -e sched -e irq -B bench1 -e syscalls -B bench2 -e sched:sched_switch -e timer \
	-b 8192 -o multibuf.dat timeout 20 bash -c 'for i in $(seq 40); do ls -lR /usr; done' >/dev/null 2>&1
ls -l /out
