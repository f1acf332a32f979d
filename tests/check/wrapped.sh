#!/usr/bin/env bash
# tests/check/wrapped.sh PANICSCOPE SRCDIR - a hard-wrapped line is
# reported as the wrap it is, at the line where it was cut, naming the
# continuation line (issue 8: "line wrapped at column 72 (continues on
# line 31)"), as the parser's PS_REPAIR_WRAPPED says it.
. "$(dirname "$0")/lib.sh"
clean=$SRC/corpus/go1.26.8-amd64/deadlock.log
mkdir fx
# a location line cut after 40 characters: no wrap width a paste uses
# (the parser tries 64, 72, 76-80, 100, 120, 132), so nothing tells this
# cut from a hand edit: both halves are reported as the damage they are
awk 'NR == 13 { print substr($0, 1, 40); print substr($0, 41); next } { print }' \
	"$clean" >fx/wrapped.log
expect cut40 1 "fx/wrapped.log:13: '$(sed -n '13p' "$clean" | cut -c2-40)' is not a file:line Go prints
fx/wrapped.log:14: '$(sed -n '13p' "$clean" | cut -c41-)' is not a line Go prints inside a trace" \
	"$PANICSCOPE" check fx/wrapped.log
# the issue's case: a frame line of 126 columns wrapped at 72 by a paste
awk 'NR == 4 { print substr($0, 1, 72); print substr($0, 73); next } { print }' \
	"$SRC/corpus/go1.26.8-amd64/index.log" >fx/index.log
expect wrapped72 1 "fx/index.log:4: line wrapped at column 72 (continues on line 5)" \
	"$PANICSCOPE" check fx/index.log
# and the unwrapped log passes
expect clean 0 "" "$PANICSCOPE" check "$SRC/corpus/go1.26.8-amd64/index.log"
done_tests
