#!/usr/bin/env bash
# completion_test.sh COMPLETION PANICSCOPE - drives the bash completion
# function as bash would and checks what it offers.
set -uo pipefail
. "$1"
ps=$2
fail=0

# offers LINE WORD...: completing LINE (ending at the cursor) offers WORD...
offers() {
	local line=$1; shift
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line COMP_POINT=${#line}
	COMPREPLY=()
	_panicscope panicscope "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	local w
	for w in "$@"; do
		[[ " ${COMPREPLY[*]} " == *" $w "* ]] ||
			{ echo "'$line<TAB>' does not offer $w (got: ${COMPREPLY[*]})"; fail=1; }
	done
}
# lacks LINE WORD: completing LINE does not offer WORD
lacks() {
	offers "$1"
	[[ " ${COMPREPLY[*]} " != *" $2 "* ]] || { echo "'$1<TAB>' offers $2"; fail=1; }
}

offers "panicscope tr" triage
offers "panicscope ch" check
offers "panicscope --fo" --format
offers "panicscope -f " text json html markdown
lacks "panicscope -f " jsonl
offers "panicscope triage -f " jsonl json
offers "panicscope triage --" --db --fail-on-new --merge --resolve
offers "panicscope check --" --update
lacks "panicscope check --" --binary
offers "panicscope --color " auto always never
offers "panicscope --arg-format " auto words structured
offers "panicscope --group " similar exact
# every long option that --help lists (its option lines, not the usage
# lines naming the subcommands) is offered after "--", for each command
opts() { "$ps" "$@" --help | grep -E '^ +-' | grep -o -- '--[a-z][a-z-]*' | sort -u; }
offers "panicscope --" $(opts)
offers "panicscope triage --" $(opts triage)
offers "panicscope check --" $(opts check)
# files are offered for inputs and --binary
cd "$(mktemp -d)" && touch crash.log
offers "panicscope cr" crash.log
offers "panicscope -b cr" crash.log
rm -f crash.log
[ $fail = 0 ] && echo "completion: all cases offered as expected"
exit $fail
