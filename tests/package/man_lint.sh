#!/usr/bin/env bash
# man_lint.sh MANPAGE PANICSCOPE - the man page lints without a warning
# (mandoc -T lint, groff -ww) and documents every long option of
# `panicscope --help`, `panicscope triage --help` and `panicscope check --help`.
set -euo pipefail
page=$1 ps=$2
fail=0
out=$(mandoc -T lint -W warning "$page" 2>&1) || true
if [ -n "$out" ]; then echo "mandoc:"; echo "$out"; fail=1; fi
out=$(groff -man -ww -z "$page" 2>&1) || true
if [ -n "$out" ]; then echo "groff:"; echo "$out"; fail=1; fi
n=0
for opt in $(for sub in "" triage check; do $ps $sub --help; done |
	     grep -o -- '--[a-z][a-z-]*' | sort -u); do
	n=$((n + 1))
	# in roff source a dash is written \-
	grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "$page" ||
		{ echo "man page does not document $opt (a --help lists it)"; fail=1; }
done
[ $n -gt 5 ] || { echo "panicscope --help listed only $n options"; fail=1; }
[ $fail = 0 ] && echo "man_lint: clean, $n options of --help documented"
exit $fail
