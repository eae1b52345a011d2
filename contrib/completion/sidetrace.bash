# bash completion for sidetrace                              -*- shell-script -*-
#
# Installed as $(PREFIX)/share/bash-completion/completions/sidetrace; or
# `source contrib/completion/sidetrace.bash` by hand. Needs bash 4.4 and
# nothing else (the bash-completion package is used when present, not required).
#
# Commands and options come from the program itself, from the tables its
# parser uses (cmd/cli.h), once per shell and program:
#	sidetrace --list-commands		record, report, ...
#	sidetrace --list-options [CMD [OPT]]	one line per option name:
#		NAME VALUE [KIND]	-o required file, --color optional auto|always|never
#		operands WHERE KIND	operands first command
# VALUE is none, required, optional (only as --opt=VALUE) or optional-word
# (--opt=VALUE, or the next word unless it starts with '-'). KIND says how to
# complete a value: a|b|c is one of those words; "mode" marks an option after
# which `--list-options CMD OPT` gives the options (report --files).
# So this file never offers an option the program does not take.

# Learnt from the program, per "PROGRAM CMD[ MODE]" key.
declare -gA _sidetrace_names=() _sidetrace_value=() _sidetrace_kind=() _sidetrace_operands=()
declare -gA _sidetrace_learnt=()

# Run the sidetrace being completed (./sidetrace works too), quietly.
_sidetrace_run() {
	"$_sidetrace_bin" "$@" 2>/dev/null
}

# Read `sidetrace --list-options ARGS...` into the tables under KEY.
_sidetrace_learn() { # KEY ARGS...
	local key=$1 name value kind names=""
	shift
	[[ -n ${_sidetrace_learnt[$key]-} ]] && return
	_sidetrace_learnt[$key]=1
	while read -r name value kind; do
		if [[ $name == operands ]]; then
			_sidetrace_operands[$key]="$value $kind"
			continue
		fi
		names+=" $name"
		_sidetrace_value["$key $name"]=$value
		_sidetrace_kind["$key $name"]=$kind
	done < <(_sidetrace_run --list-options "$@")
	_sidetrace_names[$key]=$names
}

# The option of KEY that WORD names: exact, or a long name's unique prefix as
# getopt takes it. Sets REPLY to its name, or "".
_sidetrace_resolve() { # KEY WORD
	local key=$1 word=${2%%=*} name found=""
	REPLY=""
	[[ -n ${_sidetrace_value["$key $word"]+set} ]] && REPLY=$word && return
	[[ $word == --?* ]] || return
	for name in ${_sidetrace_names[$key]}; do
		[[ $name == "$word"* ]] || continue
		# --color and --colour are one option: same value, same kind
		[[ -n $found && ${_sidetrace_kind["$key $found"]} != "${_sidetrace_kind["$key $name"]}" ]] &&
			return
		found=$name
	done
	REPLY=$found
}

# The option word WORD (NEXT after it): sets _st_takes to how many words it
# takes (1, or 2 with its value), _st_opt to the option whose value the
# second word is, and _st_mode to the option when it switches tables.
_sidetrace_option_words() { # KEY WORD NEXT
	local key=$1 word=$2 next=$3 i value
	_st_takes=1 _st_opt="" _st_mode=""
	if [[ $word == --* ]]; then
		_sidetrace_resolve "$key" "$word"
		[[ -z $REPLY ]] && return
		value=${_sidetrace_value["$key $REPLY"]}
		[[ ${_sidetrace_kind["$key $REPLY"]-} == mode ]] && _st_mode=$REPLY
		[[ $word == *=* ]] && return
		if [[ $value == required || ($value == optional-word && $next != -*) ]]; then
			_st_takes=2 _st_opt=$REPLY
		fi
		return
	fi
	# a cluster: -qo FILE, -oFILE
	for ((i = 1; i < ${#word}; i++)); do
		value=${_sidetrace_value["$key -${word:i:1}"]-}
		case $value in
		none) ;;
		required | optional-word)
			((i + 1 == ${#word})) || return # the rest of the word is the value
			[[ $value == optional-word && $next == -* ]] && return
			_st_takes=2 _st_opt=-${word:i:1}
			return
			;;
		*) return ;;
		esac
	done
}

# Candidates for a value of the given kind, words that start with cur.
_sidetrace_candidates() { # KIND CUR
	local kind=$1 cur=$2
	case $kind in
	*'|'*) compgen -W "${kind//|/ }" -- "$cur" ;;
	file) compgen -f -- "$cur" ;;
	command) compgen -c -- "$cur" ;;
	subcommand) compgen -W "$(_sidetrace_run --list-commands)" -- "$cur" ;;
	pid) compgen -W "$(command ls /proc 2>/dev/null | grep -E '^[0-9]+$')" -- "$cur" ;;
	tracer) compgen -W "$(_sidetrace_run list -t)" -- "$cur" ;;
	option)
		local names
		names=$(_sidetrace_run list -o | sed 's/^no//')
		compgen -W "$names $(printf 'no%s ' $names)" -- "$cur"
		;;
	clock)
		compgen -W "$(tr -d '[]' </sys/kernel/tracing/trace_clock 2>/dev/null)" -- "$cur"
		;;
	instance)
		compgen -W "$(command ls /sys/kernel/tracing/instances 2>/dev/null)" -- "$cur"
		;;
	function)
		_sidetrace_run list -f "$cur*" | cut -d' ' -f1 | sort -u
		;;
	probe)
		_sidetrace_run list -p | awk '{print $2}' | grep -F -- "$cur"
		;;
	event | event-glob)
		if [[ $cur == *:* || $cur == */* ]]; then
			_sidetrace_run list -e "${cur%%[:/]*}:*" | compgen -W "$(cat)" -- "$cur"
		else
			# systems first ("sched:"), then bare event names once something is typed
			local all
			all=$(_sidetrace_run list -e)
			compgen -W "$(sed 's/:.*/:/' <<<"$all" | uniq)" -- "$cur"
			[[ -n $cur ]] && compgen -W "$(sed 's/.*://' <<<"$all")" -- "$cur"
			[[ $kind == event && all == "$cur"* ]] && echo all
		fi
		;;
	esac
	# any: free text, nothing to offer
}

# bash splits words at ':' and '=' (COMP_WORDBREAKS): join such pieces again so
# that "sched:sched_switch" and "--output=x" are one word. Sets _st_words, _st_cword.
_sidetrace_reassemble() {
	local i w pos=0 spaced
	_st_words=() _st_cword=0
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		spaced=0
		while [[ ${COMP_LINE:pos:1} == [[:space:]] ]]; do
			((pos++))
			spaced=1
		done
		if ((i > 0 && !spaced)) && [[ ${COMP_LINE:pos:${#w}} == "$w" ]]; then
			_st_words[-1]+=$w
		else
			_st_words+=("$w")
		fi
		((pos += ${#w}))
		((i == COMP_CWORD)) && _st_cword=$((${#_st_words[@]} - 1))
	done
	# cursor after a space: a new, empty word
	((COMP_CWORD >= ${#COMP_WORDS[@]})) && _st_cword=${#_st_words[@]} && _st_words+=("")
}

# Set COMPREPLY from candidates (on stdin: a pipe would run this in a subshell)
# for the whole word cur; bash replaces only the
# part after the last word break (':' or '='), so cut that prefix off.
_sidetrace_reply() { # CUR (candidates on stdin)
	local cur=$1 prefix="" c tail
	local breaks=${COMP_WORDBREAKS//[^:=]/}
	if [[ -n $breaks ]]; then
		tail=${cur##*[$breaks]}
		prefix=${cur%"$tail"}
	fi
	COMPREPLY=()
	while IFS= read -r c; do
		[[ -n $c && $c == "$cur"* ]] && COMPREPLY+=("${c#"$prefix"}")
	done
}

# Offer candidates of KIND for cur; file names get the usual treatment.
_sidetrace_offer() { # KIND CUR
	[[ $1 == file ]] && compopt -o filenames 2>/dev/null
	_sidetrace_reply "$2" < <(_sidetrace_candidates "$1" "$2")
	# "sched:" is a prefix to go on typing after, not a finished word
	[[ $1 == event* && ${#COMPREPLY[@]} -gt 0 ]] &&
		! printf '%s\n' "${COMPREPLY[@]}" | grep -qv ':$' && compopt -o nospace 2>/dev/null
	return 0
}

_sidetrace() {
	local _st_words _st_cword _st_takes _st_opt _st_mode
	local cur key args=() i word where kind value_of="" options_end=0
	# the program being completed ("./sidetrace", "~/bin/sidetrace"), else the one in PATH
	_sidetrace_bin=${COMP_WORDS[0]/#\~/$HOME}
	[[ -x $_sidetrace_bin ]] || _sidetrace_bin=sidetrace
	_sidetrace_reassemble
	cur=${_st_words[_st_cword]}

	# Walk the words before the cursor as the parsers do: sidetrace's own
	# options, the command, its options (a mode switches tables) and operands.
	key="$_sidetrace_bin"
	_sidetrace_learn "$key"
	for ((i = 1; i < _st_cword; i++)); do
		word=${_st_words[i]}
		read -r where kind <<<"${_sidetrace_operands[$key]-}"
		if ((!options_end)) && [[ $word == -?* && $word != -- ]]; then
			_sidetrace_option_words "$key" "$word" "${_st_words[i + 1]-}"
			if [[ -n $_st_mode ]]; then
				args+=("$_st_mode")
				key+=" $_st_mode"
				_sidetrace_learn "$key" "${args[@]}"
			fi
			((i + _st_takes - 1 == _st_cword)) && value_of=$_st_opt
			((i += _st_takes - 1))
		elif ((!options_end)) && [[ $word == -- ]]; then
			options_end=1
		elif [[ $kind == subcommand && $key == "$_sidetrace_bin" ]]; then
			args=("$word")
			key+=" $word"
			_sidetrace_learn "$key" "${args[@]}"
		elif [[ $kind == command ]]; then
			# record's COMMAND: the rest of the line is that program's
			if declare -F _command_offset >/dev/null; then
				_command_offset "$i"
			else
				_sidetrace_offer file "$cur"
			fi
			return
		elif [[ $where == first ]]; then
			options_end=1
		fi
	done
	read -r where kind <<<"${_sidetrace_operands[$key]-}"

	if [[ -n $value_of ]]; then
		_sidetrace_offer "${_sidetrace_kind["$key $value_of"]}" "$cur"
		return
	fi
	if ((!options_end)) && [[ $cur == --*=* ]]; then
		_sidetrace_resolve "$key" "$cur"
		[[ -n $REPLY && ${_sidetrace_value["$key $REPLY"]} != none ]] || return
		_sidetrace_reply "$cur" < <(_sidetrace_candidates \
			"${_sidetrace_kind["$key $REPLY"]}" "${cur#*=}" | sed "s|^|${cur%%=*}=|")
		return
	fi
	if ((!options_end)) && [[ $cur == -* || -z $kind || $kind == any ]]; then
		_sidetrace_reply "$cur" < <(compgen -W "${_sidetrace_names[$key]}" -- "$cur")
		return
	fi
	[[ -n $kind && $kind != any ]] && _sidetrace_offer "$kind" "$cur"
}

complete -F _sidetrace sidetrace
