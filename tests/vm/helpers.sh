# Helpers for the VM tests (sourced after tests/lib.sh, on the host and in the
# guest alike, with bash). A test file tests/vm/tests/NAME.sh defines guest()
# (runs in the VM, in /out/NAME) and optionally host() (runs on the host
# afterwards, in the returned copy of that directory); both use tests/lib.sh's
# fail/skip/note.

# Runs a command, keeping its stderr in NAME.err; on failure, fails the test
# with WHAT and the command's last stderr line (e.g. "not implemented yet").
run_or_fail() { # NAME WHAT COMMAND...
	local name=$1 what=$2
	shift 2
	"$@" >"$name.out" 2>"$name.err" && return 0
	fail "$what failed (exit $?): $(grep -v '^[[:space:]]*$' "$name.err" | tail -n 1)"
}

# Asserts that two reports have the same lines, showing the first differences.
same_report() { # WHAT EXPECTED ACTUAL
	local n
	cmp -s "$2" "$3" && return 0
	n=$(diff "$2" "$3" | grep -c '^[<>]')
	diff -u "$2" "$3" | head -n 40 >&2
	fail "$1: $n lines differ ($(wc -l <"$2") expected lines, $(wc -l <"$3") actual; see above)"
}

# Prints a trace.dat file's version and, for version 7, its compression
# ("6", "7 zstd", "7 none"), from the initial header: \x17\x08\x44 "tracing",
# the version string, NUL, endianness, long size, page size (4 bytes), then
# the compression name (v7 only).
dat_version() { # FILE
	local ver comp
	[ "$(head -c 10 "$1" | tail -c 7)" = tracing ] || { echo "not-a-trace.dat"; return; }
	ver=$(tail -c +11 "$1" | head -c 16 | tr '\0' '\n' | head -n 1)
	if [ "$ver" -ge 7 ] 2>/dev/null; then
		comp=$(tail -c +$((11 + ${#ver} + 1 + 6)) "$1" | head -c 32 | tr '\0' '\n' | head -n 1)
		echo "$ver ${comp:-none}"
	else
		echo "$ver"
	fi
}

# What record may print in a test: EREs for its lines ("sidetrace record: ..."
# without that prefix), each a warning or an error the test provokes on
# purpose. A test sets it at its top level. After guest() passes, any other
# line of record's in the test's *.err files fails the test: a warning nobody
# expected is a bug (tests/vm/guest-runner.sh). So capture record's stderr in
# a *.err file (run_or_fail does).
record_expected=()

check_record_stderr() {
	local f line re bad=0
	for f in *.err; do
		[ -f "$f" ] || continue
		while IFS= read -r line; do
			[[ $line == "sidetrace record: "* ]] || continue
			for re in "${record_expected[@]}"; do
				[[ ${line#sidetrace record: } =~ $re ]] && continue 2
			done
			echo "$f: $line" >&2
			bad=$((bad + 1))
		done <"$f"
	done
	[ $bad = 0 ] || fail "record printed $bad unexpected line(s), shown above (expected ones go in record_expected)"
}

# The file sets of the files-* tests, compared on the host: for each workload
# W, W.oracle.raw (strace's paths in the guest) and W.list (sidetrace's) are
# normalized (realpath, no /proc /sys /dev: pseudo paths go before realpath too,
# since busybox re-executes /proc/self/exe) and must be equal.
normalize_paths() {
	grep -Ev '^/(proc|sys|dev)(/|$)' | while IFS= read -r p; do
		realpath -m "$p" 2>/dev/null || printf '%s\n' "$p"
	done | grep -Ev '^/(proc|sys|dev)(/|$)' | LC_ALL=C sort -u
}

same_files_as_strace() { # WORKLOAD...
	local w
	for w in "$@"; do
		# The guest's paths, resolved on the host: /out is not here, the rest is.
		normalize_paths <"$w.oracle.raw" >"$w.oracle"
		normalize_paths <"$w.list" >"$w.candidate"
		comm -13 "$w.oracle" "$w.candidate" >"$w.extra"
		comm -23 "$w.oracle" "$w.candidate" >"$w.missed"
		note "$w: strace $(wc -l <"$w.oracle"), sidetrace $(wc -l <"$w.candidate")," \
			"extra $(wc -l <"$w.extra"), missed $(wc -l <"$w.missed")"
		[ -s "$w.extra" ] && fail "$w: not seen by strace: $(head -n 3 "$w.extra" | tr '\n' ' ')"
		[ -s "$w.missed" ] && fail "$w: missed: $(head -n 3 "$w.missed" | tr '\n' ' ')"
	done
	return 0
}
