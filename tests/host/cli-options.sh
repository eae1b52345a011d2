#!/bin/bash
# The command line of every command against its completion, its --help and its man page:
# - every option the bash completion offers is accepted, needs a value when the completion
#   expects one, and every choice it offers for a value is accepted;
# - options the program rejects are not offered (tests/unit/test_cli.c tries every letter
#   on every command's table);
# - errors have one wording: one line "sidetrace CMD: ...", exit 2;
# - --help fits in 80 columns and names every offered long option, as the man page does.
# Nothing runs: every command line either stops at --help or fails to parse.
. "$(dirname "$0")/../lib.sh"

# shellcheck source=../../contrib/completion/sidetrace.bash
source "$TOP/contrib/completion/sidetrace.bash" || fail "cannot source the completion"
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
cd "$TEST_TMP" || fail "no $TEST_TMP"	# no trace.dat here

# What the completion offers for the words WORDS... and a cursor on an empty word after them.
offered() { # WORDS...
	COMP_WORDS=("$SIDETRACE" "$@")
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMP_CWORD=$#
	COMPREPLY=()
	_sidetrace 2>"$TEST_TMP/comp.err"
	[ -s "$TEST_TMP/comp.err" ] && fail "completing '$*' printed: $(cat "$TEST_TMP/comp.err")"
	printf '%s\n' "${COMPREPLY[@]}"
}

# Run sidetrace with ARGS; sets $rc, $out, $err.
run() { # ARGS...
	out=$(timeout 20 "$SIDETRACE" "$@" 2>"$TEST_TMP/err" </dev/null)
	rc=$?
	err=$(cat "$TEST_TMP/err")
}

# The parser takes ARGS...: followed by the unknown option -%, that is the error (or an
# option such as --help stops the parsing before it, exit 0). Nothing runs either way.
expect_accepted() { # ARGS...
	run "$@" -%
	[ $rc = 0 ] && return
	[ $rc = 2 ] && [[ $err == *": unknown option '-%' (see "*" --help)" ]] &&
		[ "$(wc -l <<<"$err")" = 1 ] && return
	fail "'$*' is not taken: exit $rc, $err"
}

# ARGS... is a bad command line: exit 2 and exactly the one line MESSAGE on stderr.
expect_usage_error() { # MESSAGE ARGS...
	local want=$1
	shift
	run "$@"
	[ $rc = 2 ] || fail "'$*' exits $rc, not 2 (stderr: $err)"
	[ "$err" = "$want" ] || fail "'$*' says '$err', not '$want'"
}

mapfile -t commands < <("$SIDETRACE" --list-commands)
[ ${#commands[@]} -ge 7 ] || fail "--list-commands lists ${#commands[@]} commands"
# Each command line: sidetrace itself (""), each command, and report's --files mode.
lines=("" "${commands[@]}" "report --files")
checked=0
for line in "${lines[@]}"; do
	read -ra words <<<"$line"
	name="sidetrace${line:+ $line}"		# as in "see sidetrace report --files --help"
	prog="sidetrace${words[0]:+ ${words[0]}}"	# as errors begin: "sidetrace report: "
	offered "${words[@]}" - >"$TEST_TMP/offered"	# not in a subshell: it learns
	mapfile -t opts < <(sort -u "$TEST_TMP/offered")
	[ ${#opts[@]} -ge 2 ] || fail "$name: only ${#opts[@]} options offered"
	key="$_sidetrace_bin${line:+ $line}"	# where the completion keeps what it learnt

	# Each offered option is taken, with a value exactly when the completion expects one.
	for opt in "${opts[@]}"; do
		value=${_sidetrace_value["$key $opt"]-}
		kind=${_sidetrace_kind["$key $opt"]-}
		case $value in
		none)
			expect_accepted "${words[@]}" "$opt" ;;
		required)
			expect_usage_error "$prog: option '$opt' needs a value" "${words[@]}" "$opt" ;;
		optional | optional-word)
			expect_accepted "${words[@]}" "$opt" ;;
		*) fail "$name: the completion has no value kind for $opt" ;;
		esac
		if [[ $kind == *'|'* ]]; then
			for choice in ${kind//|/ }; do
				[ "$value" = required ] && expect_accepted "${words[@]}" "$opt" "$choice"
				[[ $opt == --* ]] && expect_accepted "${words[@]}" "$opt=$choice"
			done
		fi
		checked=$((checked + 1))
	done

	# One wording for bad options.
	expect_usage_error "$prog: unknown option '--no-such-option' (see $name --help)" \
		"${words[@]}" --no-such-option
	expect_usage_error "$prog: unknown option '-%' (see $name --help)" "${words[@]}" -%

	# --help: 80 columns; it names every offered long option (sidetrace's own
	# --list-* are for the completion only) and the man page too.
	run "${words[@]}" --help
	[ $rc = 0 ] || fail "$name --help exits $rc"
	wide=$(awk 'length($0) > 80' <<<"$out")
	[ -z "$wide" ] || fail "$name --help has lines over 80 columns: $wide"
	page=$TOP/Documentation/sidetrace${words[0]:+-${words[0]}}.1.scd
	for opt in "${opts[@]}"; do
		[[ $opt == --* && $opt != --list-* ]] || continue
		grep -qE -- "(^|[^a-z-])$opt([^a-z-]|$)" <<<"$out" || fail "$name --help does not name $opt"
		[ -f "$page" ] || continue
		grep -qF -- "*$opt*" "$page" || fail "$(basename "$page") does not name *$opt*"
	done
done
note "$checked offered options checked on ${#lines[@]} command lines"

# What the completion once guessed from --help and the program rejects.
for args in "record -B" "report --input" "report -o" "dump -o" "record -i"; do
	read -ra words <<<"$args"
	grep -qx -- "${words[1]}" <(offered "${words[0]}" -) && fail "$args is offered"
	expect_usage_error "sidetrace ${words[0]}: unknown option '${words[1]}' (see sidetrace ${words[0]} --help)" \
		"${words[@]}"
done

# Errors that are not about one option: still one line, exit 2.
expect_usage_error "sidetrace: 'frobnicate' is not a sidetrace command (see sidetrace --help)" frobnicate
expect_usage_error "sidetrace dump: option '-i' needs a value" dump -i
expect_usage_error "sidetrace list: unexpected argument 'x' (see sidetrace list --help)" list x
expect_usage_error "sidetrace stat: unexpected argument 'x' (see sidetrace stat --help)" stat x
expect_usage_error "sidetrace report: option '--stat' takes no value" report --stat=yes
expect_usage_error "sidetrace report: unknown option '--graph' (see sidetrace report --files --help)" \
	report --files --graph
run -v
[ $rc = 0 ] && [[ $out == "sidetrace version "* ]] || fail "sidetrace -v: exit $rc, '$out' $err"
run version
[ $rc = 0 ] && [[ $out == "sidetrace version "* ]] || fail "sidetrace version: exit $rc, '$out' $err"
exit 0
