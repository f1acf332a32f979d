#!/usr/bin/env bash
# tests/check/wrapped.sh PANICSCOPE SRCDIR - a hard-wrapped line is
# reported as the wrap it is, at the line where it was cut, naming the
# continuation line (issue 8: "line wrapped at column 72 (continues on
# line 31)").  Needs the parser's PS_REPAIR_WRAPPED.
. "$(dirname "$0")/lib.sh"
clean=$SRC/corpus/go1.26.8-amd64/deadlock.log
mkdir fx
# a paste hard-wrapped the location line after 40 characters
awk 'NR == 13 { print substr($0, 1, 40); print substr($0, 41); next } { print }' \
	"$clean" >fx/wrapped.log
expect wrapped 1 "fx/wrapped.log:13: line wrapped at column 40 (continues on line 14)" \
	"$PANICSCOPE" check fx/wrapped.log
done_tests
