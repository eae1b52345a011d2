# bash completion for sidetrace                              -*- shell-script -*-
#
# Installed as $(PREFIX)/share/bash-completion/completions/sidetrace; or
# `source contrib/completion/sidetrace.bash` by hand. Needs bash 4.4 and
# nothing else (the bash-completion package is used when present, not required).
#
# Subcommands and their options are learnt from the program itself
# (`sidetrace --help`, `sidetrace COMMAND --help`, once per shell), so a new
# option needs no change here as long as its --help line has the usual shape:
#	"  -o, --output FILE       description"
#	"      --compression none|zlib|zstd"
# The word after the option names, the argument placeholder, says how to
# complete the argument (see _sidetrace_kind_of_placeholder); a|b|c means
# one of those words. To force a kind for one option, add it to
# _sidetrace_arg_kinds. _sidetrace_fallback_opts is used only while a
# command's --help cannot be parsed.

# "COMMAND OPTION" -> how to complete that option's argument. These win over
# the placeholder in --help.
declare -gA _sidetrace_arg_kinds=(
	["record -e"]=event	["record --event"]=event
	["record -g"]=function	["record -l"]=function	["record -n"]=function
	["record -o"]=file	["record --output"]=file
	["record -i"]=file	["record -p"]=tracer	["record -B"]=instance
	["record -C"]=clock	["record --clock"]=clock	["record -O"]=option
	["record -P"]=pid	["record --pid"]=pid
	["report -i"]=file	["report --input"]=file	["report -o"]=file
	["dump -i"]=file	["dump --input"]=file	["dump -o"]=file
	["probe -x"]=file	["probe --exec"]=file
	["probe -a"]=function	["probe --add"]=function
	["probe -d"]=probe	["probe --del"]=probe
	["list -e"]=event-glob	["list --events"]=event-glob
	["list -f"]=function	["list --functions"]=function
	["list -B"]=instance	["list --instance"]=instance
	["stat -B"]=instance	["stat --instance"]=instance
)

# Options for commands whose --help gives none (not written yet).
declare -gA _sidetrace_fallback_opts=(
	[record]="-e --event -f --filter -o --output -p -g -l -n -b -C -P -F -q -h --help"
	[report]="-i --input -F -t -R -l -q -h --help"
	[probe]="-a --add -d --del -l --list -x --exec -h --help"
	[dump]="-i --input -h --help"
	[list]="-t -e -o -f -p -B -h --help"
	[stat]="-a -t -B -h --help"
	[reset]="-n --dry-run -h --help"
)
_sidetrace_fallback_commands="record report probe dump list stat reset help"

# Learnt from --help: options per command, and each option's placeholder.
declare -gA _sidetrace_opts=() _sidetrace_placeholder=()
_sidetrace_commands=""

# Run the sidetrace being completed (./sidetrace works too), quietly.
_sidetrace_run() {
	"$_sidetrace_bin" "$@" 2>/dev/null
}

_sidetrace_learn_commands() {
	local line
	[[ -n $_sidetrace_commands ]] && return
	while IFS= read -r line; do
		[[ $line =~ ^\ +([a-z][a-z-]*)\ +[^\ ] ]] && _sidetrace_commands+=" ${BASH_REMATCH[1]}"
	done < <(_sidetrace_run --help)
	if [[ -n $_sidetrace_commands ]]; then
		_sidetrace_commands+=" help"
	else
		_sidetrace_commands=$_sidetrace_fallback_commands
	fi
}

# Parse "  -o, --output FILE   text" lines of `sidetrace CMD --help`.
_sidetrace_learn_options() { # CMD
	local cmd=$1 line spec tok arg opts="" names
	local -
	set -f # placeholders such as [GLOB] must not be expanded as file globs
	[[ -n ${_sidetrace_opts[$cmd]+set} ]] && return
	while IFS= read -r line; do
		[[ $line =~ ^[[:space:]]+(-[^[:space:]].*)$ ]] || continue
		spec=${BASH_REMATCH[1]}
		spec=${spec%%  *} # the description starts after two spaces
		spec=${spec//,/ }
		spec=${spec//=/ }
		names="" arg=""
		for tok in $spec; do
			case $tok in
			-?*) [[ -z $arg ]] && names+=" $tok" ;;
			*) [[ -z $arg ]] && arg=$tok ;;
			esac
		done
		for tok in $names; do
			opts+=" $tok"
			[[ -n $arg ]] && _sidetrace_placeholder["$cmd $tok"]=$arg
		done
	done < <(_sidetrace_run "$cmd" --help)
	[[ -z $opts ]] && opts=${_sidetrace_fallback_opts[$cmd]}
	_sidetrace_opts[$cmd]=$opts
}

# Does OPTION of CMD take an argument? Sets REPLY to its kind ("" = none).
_sidetrace_arg_kind() { # CMD OPTION
	local key="$1 $2" ph
	REPLY=${_sidetrace_arg_kinds[$key]-}
	[[ -n $REPLY ]] && return 0
	ph=${_sidetrace_placeholder[$key]-}
	[[ -z $ph ]] && return 1
	_sidetrace_kind_of_placeholder "$ph"
	return 0
}

# Is NEXT the argument of OPTION? Optional arguments ("[GLOB]") are not options.
_sidetrace_takes_arg() { # CMD OPTION NEXT
	_sidetrace_arg_kind "$1" "$2" || return 1
	[[ ${_sidetrace_placeholder["$1 $2"]-} == \[* && $3 == -* ]] && return 1
	return 0
}

_sidetrace_kind_of_placeholder() { # PLACEHOLDER
	local ph=${1//[\[\]]/}
	case $ph in
	*'|'*) REPLY="words:${ph//|/ }" ;;
	FILE* | PATH* | *.dat) REPLY=file ;;
	DIR*) REPLY=dir ;;
	EVENT*) REPLY=event ;;
	GLOB*) REPLY=event-glob ;;
	FUNC*) REPLY=function ;;
	TRACER*) REPLY=tracer ;;
	CLOCK*) REPLY=clock ;;
	INSTANCE*) REPLY=instance ;;
	PID*) REPLY=pid ;;
	OPTION*) REPLY=option ;;
	COMMAND*) REPLY=command ;;
	*) REPLY=none ;;
	esac
}

# Candidates for an argument of the given kind, words that start with cur.
_sidetrace_candidates() { # KIND CUR
	local kind=$1 cur=$2
	case $kind in
	words:*) compgen -W "${kind#words:}" -- "$cur" ;;
	file) compgen -f -- "$cur" ;;
	dir) compgen -d -- "$cur" ;;
	command) compgen -c -- "$cur" ;;
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

_sidetrace() {
	local _st_words _st_cword cur prev cmd i kind word arg_start=0
	# the program being completed ("./sidetrace", "~/bin/sidetrace"), else the one in PATH
	_sidetrace_bin=${COMP_WORDS[0]/#\~/$HOME}
	[[ -x $_sidetrace_bin ]] || _sidetrace_bin=sidetrace
	_sidetrace_reassemble
	cur=${_st_words[_st_cword]}
	prev=""
	((_st_cword > 0)) && prev=${_st_words[_st_cword - 1]}

	if ((_st_cword == 1)); then
		_sidetrace_learn_commands
		_sidetrace_reply "$cur" < <(compgen -W "$_sidetrace_commands --help --version" -- "$cur")
		return
	fi
	cmd=${_st_words[1]}
	if [[ $cmd == help ]]; then
		((_st_cword == 2)) || return
		_sidetrace_learn_commands
		_sidetrace_reply "$cur" < <(compgen -W "${_sidetrace_commands/help/}" -- "$cur")
		return
	fi
	_sidetrace_learn_options "$cmd"

	# Walk the words before the cursor: options, their arguments, and for
	# record the COMMAND to run, after which everything belongs to it.
	for ((i = 2; i < _st_cword; i++)); do
		word=${_st_words[i]}
		if [[ $word == -?* && $word != *=* ]]; then
			_sidetrace_takes_arg "$cmd" "$word" "${_st_words[i + 1]-}" && ((i += 1))
		elif [[ $word != -* && $cmd == record ]]; then
			arg_start=$i
			break
		fi
	done
	if ((arg_start)); then
		if declare -F _command_offset >/dev/null; then
			_command_offset "$arg_start"
		else
			_sidetrace_reply "$cur" < <(compgen -f -- "$cur")
		fi
		return
	fi

	# --opt=value
	if [[ $cur == --*=* ]]; then
		local opt=${cur%%=*} val=${cur#*=}
		_sidetrace_arg_kind "$cmd" "$opt" || return
		[[ $REPLY == file || $REPLY == dir ]] && compopt -o filenames 2>/dev/null
		_sidetrace_reply "$cur" < <(_sidetrace_candidates "$REPLY" "$val" | sed "s|^|$opt=|")
		return
	fi
	# the argument of the option before
	if [[ $prev == -?* ]] && _sidetrace_arg_kind "$cmd" "$prev" && [[ $REPLY != none ]]; then
		kind=$REPLY
		[[ $kind == file || $kind == dir ]] && compopt -o filenames 2>/dev/null
		_sidetrace_reply "$cur" < <(_sidetrace_candidates "$kind" "$cur")
		# "sched:" is a prefix to go on typing after, not a finished word
		[[ ${#COMPREPLY[@]} -gt 0 && ${COMPREPLY[*]} == *: && $kind == event* ]] &&
			! printf '%s\n' "${COMPREPLY[@]}" | grep -qv ':$' && compopt -o nospace 2>/dev/null
		return
	fi
	if [[ $cur == -* || $cmd != record ]]; then
		_sidetrace_reply "$cur" < <(compgen -W "${_sidetrace_opts[$cmd]}" -- "$cur")
		[[ $cmd == report || $cmd == dump ]] && [[ $cur != -* ]] &&
			compopt -o filenames 2>/dev/null && COMPREPLY+=($(compgen -f -- "$cur"))
		return
	fi
	# record: the COMMAND to trace
	_sidetrace_reply "$cur" < <(compgen -c -- "$cur")
}

complete -F _sidetrace sidetrace
