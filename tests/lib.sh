# Shared helpers for host-tier tests (sourced). Each test is a bash script that
# exits 0 on success, 77 to skip (after `skip REASON`), anything else on failure.
set -u
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${SIDETRACE:=$TOP/sidetrace}"
T=/sys/kernel/tracing

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }

# A scratch directory removed when the test exits.
TEST_TMP=$(mktemp -d /tmp/sidetrace-test.XXXXXX)
trap 'rm -rf "$TEST_TMP"' EXIT

need_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }

# tracefs must be mounted; mounting it changes nothing inside it.
need_tracefs() {
	need_root
	if [ ! -e $T/trace ]; then
		mount -t tracefs nodev $T 2>/dev/null || skip "tracefs cannot be mounted at $T"
	fi
}

need_cmd() { command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed"; }

# Everything tracing state that sidetrace promises to leave as it found it.
tracefs_fingerprint() {
	local f
	for f in current_tracer tracing_on set_event set_event_pid buffer_size_kb trace_clock \
		 tracing_cpumask saved_cmdlines_size uprobe_events kprobe_events dynamic_events \
		 trace_options buffer_percent set_event_notrace_pid set_ftrace_filter \
		 set_ftrace_notrace set_graph_function set_graph_notrace set_ftrace_pid \
		 set_ftrace_notrace_pid max_graph_depth; do
		[ -r $T/$f ] || continue
		printf '== %s\n' "$f"
		cat $T/$f 2>/dev/null
	done
	printf '== options\n'
	grep -H . $T/options/* 2>/dev/null
	printf '== ftrace_enabled\n'
	cat /proc/sys/kernel/ftrace_enabled 2>/dev/null
	printf '== instances\n'
	ls $T/instances
	printf '== enabled event files\n'
	grep -l '^1' $T/events/*/enable 2>/dev/null
	printf '== event filters\n'
	grep -Hv '^none' $T/events/*/*/filter 2>/dev/null
}

# tracefs_fingerprint without what other tests on this shared machine change
# while a test runs: the list of instances and the dynamic (probe) events. Check
# your own instance and probes by name instead.
tracefs_fingerprint_static() {
	tracefs_fingerprint | awk '/^== / { skip = ($2 == "instances" || $2 ~ /_events$/) }
		!skip && !/\/events\/[^\/]*(probe|sidetest)[^\/]*\//'
}

# Assert that two strings (e.g. fingerprints) are equal, showing the diff.
assert_same() { # WHAT A B
	if [ "$2" != "$3" ]; then
		diff <(echo "$2") <(echo "$3") >&2
		fail "$1 differs"
	fi
}

# ---- the strace oracle of the file-set tests (host and VM guest alike) ----

# The interpreters the kernel runs for an exec'd file: #! chains and PT_INTERP.
implicit() {
	local f=$1 i n=0
	while [ $n -lt 4 ] && [ -f "$f" ]; do
		if [ "$(head -c2 "$f")" = "#!" ]; then
			i=$(head -n1 "$f" | sed 's/^#![ \t]*//; s/[ \t].*//')
			echo "$i"
			f=$i
		elif [ "$(head -c4 "$f" | tail -c3)" = ELF ] && grep -q /lib64/ld-linux-x86-64.so.2 "$f"; then
			echo /lib64/ld-linux-x86-64.so.2
			return
		else
			return
		fi
		n=$((n + 1))
	done
}

# strace -f -y log -> every successfully opened (the kernel's path of the fd) or exec'd path.
oracle_raw() {
	awk '{
		pid = $1; line = $0; sub(/^[0-9]+ +/, "", line)
		if (line ~ /^(open|openat|openat2|creat)\(/ ||
		    line ~ /^<\.\.\. (open|openat|openat2|creat) resumed>/) {
			if (match(line, / = [0-9]+<.*>$/)) {
				s = substr(line, RSTART, RLENGTH)
				sub(/^ = [0-9]+</, "", s); sub(/>$/, "", s)
				print "O " s
			}
		} else if (line ~ /^execve(at)?\("/) {
			p = line; sub(/^execve(at)?\("/, "", p); sub(/".*/, "", p)
			ex[pid] = p
			if (line ~ / = 0$/) print "E " p
		} else if (line ~ /^<\.\.\. execve(at)? resumed>/ && line ~ / = 0$/ && (pid in ex)) {
			print "E " ex[pid]
		}
	}' "$1"
}

# ---- the strace oracle of the syscall view (sidetrace trace; host and VM alike) ----

# "PID REST" lines (strace -f -o's, or trace_ids' of ours) < calls [strings]: for each call in
# the window, "P<n> NAME RET" (or with "strings", "P<n> NAME "PATH"" for the file calls).
# Processes are numbered in the order they appear; each program image counts from its
# marker access() of tests/progs/trace_calls (a forked child or thread from its first
# call); pids returned by clone, wait4, getpid, getppid become "N", addresses "ADDR"; futex calls, whose
# number depends on timing, are left out.
calls() {
	awk -v strings="${1:-}" '
	function ret_of(s,   r, w) {
		r = s; sub(/.* = /, "", r); split(r, w, " ")
		return w[1] == "-1" ? "-1 " w[2] : w[1]
	}
	{
		pid = $1; rest = $0; sub(/^[^ ]+ +/, "", rest)
		if (!(pid in num)) { num[pid] = ++n; on[pid] = (n > 1) }
		if (rest ~ /^(---|\+\+\+)/) next
		if (rest ~ /<unfinished \.\.\.>$/) { started[pid] = rest; next }
		args = rest
		if (rest ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {
			name = rest; sub(/^<\.\.\. /, "", name); sub(/ resumed>.*/, "", name)
			args = started[pid]	# the arguments are on the unfinished line
		} else {
			name = rest; sub(/\(.*/, "", name)
		}
		if (args ~ /sidetrace-trace-(begin|exec)-marker/) on[pid] = 1
		if (!on[pid]) next
		# pthread_join waits in futex only if the thread has not ended yet: timing
		if (name == "futex") next
		ret = ret_of(rest)
		if (name ~ /^(clone|clone3|fork|vfork|wait4|getpid|getppid|gettid)$/ && ret + 0 > 0)
			ret = "N"
		if (ret ~ /^0x/)
			ret = "ADDR"	# mmap, brk: where ASLR put it
		if (strings == "") {
			print "P" num[pid], name, ret
		} else if (name ~ /^(open|openat|access|faccessat2?|newfstatat|statx|execve|readlink|readlinkat|chdir)$/) {
			if (match(args, /"([^"\\]|\\.)*"/))
				print "P" num[pid], name, substr(args, RSTART, RLENGTH)
			else
				print "P" num[pid], name, "(no string)"
		}
		if (name == "execve" && ret == "0") on[pid] = 0
	}' | sort -s -k1,1	# each process's own sequence: the interleaving is timing
}

# sidetrace trace's lines "TIME (DUR) comm/TID REST" as "TID REST", as strace -f writes them.
trace_ids() { sed -E 's/^ *[0-9.]+ \( *[0-9. ]*(ms)?\) [^ ]*\/([0-9]+) /\2 /'; }
