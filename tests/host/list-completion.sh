#!/bin/bash
# The bash completion (contrib/completion/sidetrace.bash) driven as bash drives it: words split
# at ':' and '=' (COMP_WORDBREAKS), COMPREPLY checked. Event and function names come from
# `sidetrace list`, so this needs tracefs.
. "$(dirname "$0")/../lib.sh"
need_tracefs
# shellcheck source=../../contrib/completion/sidetrace.bash
source "$TOP/contrib/completion/sidetrace.bash" || fail "cannot source the completion"
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'

# Split LINE into COMP_WORDS the way readline does (a run of ':' or '=' is a word of its own),
# run the completion function for the cursor at the end, print COMPREPLY one per line.
complete_line() { # LINE
	local line="$SIDETRACE $1" c tok="" i
	COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ $c == [[:space:]] ]]; then
			[[ -n $tok ]] && COMP_WORDS+=("$tok")
			tok=""
		elif [[ $c == [:=] ]]; then
			[[ -n $tok && $tok != [:=]* ]] && COMP_WORDS+=("$tok") && tok=""
			tok+=$c
		else
			[[ $tok == [:=]* ]] && COMP_WORDS+=("$tok") && tok=""
			tok+=$c
		fi
	done
	COMP_WORDS+=("$tok")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_sidetrace 2>"$TEST_TMP/comp.err"
	[ -s "$TEST_TMP/comp.err" ] && fail "completing '$1' printed: $(cat "$TEST_TMP/comp.err")"
	printf '%s\n' "${COMPREPLY[@]}"
}

has() { # LINE WORD...: the completions of LINE include each WORD
	local line=$1 out w
	shift
	out=$(complete_line "$line")
	for w; do
		grep -qxF -- "$w" <<<"$out" || fail "completing '$line' lacks '$w' (got: $(head -c 300 <<<"$out" | tr '\n' ' '))"
	done
}

only() { # LINE WORD...: the completions of LINE are exactly the WORDs
	local line=$1 out
	shift
	out=$(complete_line "$line" | sort)
	assert_same "completions of '$line'" "$(printf '%s\n' "$@" | sort)" "$out"
}

# Subcommands from `sidetrace --list-commands`.
has "" record report probe dump list stat help
only "li" list
only "help st" stat
# Options from each command's table (`sidetrace --list-options CMD`).
has "list -" -t -e -o -f -p -B --events --functions --help
has "stat -" -a -t -B --all --instance --help
only "stat --ins" --instance
# Events: systems first, then SYS:EVENT; bash replaces only what follows the ':'.
has "record -e sch" sched:
has "record -e sched:sched_sw" sched_switch
has "list -e sched:sched_sw" sched_switch
has "record --event=sched:sched_sw" sched_switch
complete_line "record -e sched:sched_sw" | grep -q : && fail "a reply still holds the part before ':'"
# Tracers, instances (one of our own), files.
has "record -p " nop
inst=sidetrace-test-comp-$$
mkdir $T/instances/$inst || fail "cannot create $inst"
trap 'rmdir $T/instances/$inst; rm -rf "$TEST_TMP"' EXIT
has "stat -B sidetrace-test-comp-" $inst
has "list -B " $inst
touch "$TEST_TMP/some.dat"
has "report -i $TEST_TMP/so" "$TEST_TMP/some.dat"
has "record -o $TEST_TMP/so" "$TEST_TMP/some.dat"
# Functions: the list where the kernel gives it, nothing (and no noise) where it refuses.
if cat $T/available_filter_functions >/dev/null 2>&1; then
	f=$(head -n 1 $T/available_filter_functions | cut -d' ' -f1)
	has "record -l ${f:0:4}" "$f"
else
	only "record -g vfs_"
fi
# After record's COMMAND, words belong to it: no sidetrace options.
complete_line "record -e sched ls --" | grep -qx -- --event && fail "record's options offered after its COMMAND"
exit 0
