#!/usr/bin/env bash
# bench/bench.sh - panicscope against its peers on a big SIGQUIT dump.
#
# Makes the dump with the corpus program (100,000 goroutines by default),
# then times, side by side and on the same input:
#   grep -c '^goroutine' (one pass over the bytes: the floor),
#   panicscope -f json, panicscope (text),
#   panicparse (Debian package; default and -aggressive),
#   gostackparse (Go module, bench/peers/gostackparse; -json output),
# and, with --parse-only, the parser alone (bench/parse_only.c) against
# gostackparse's parser.  For each: median wall and CPU time of R runs
# after a warm-up (bench/measure.py; one run when a run takes over 10 s),
# ratio to the section's first row, peak RSS, goroutines and groups
# found, and output lines.  Last, each goal of issue 12 as a ratio of
# figures from this same run (bench_goals), its rows measured again
# round-robin so that the ratios hold on a machine whose speed drifts
# (bench_interleaved).
# --big adds the 1 GB test: the dump concatenated to >= 1 GiB, parsed from
# a file and from a pipe, with peak RSS against the single dump's.
#
#   bench/bench.sh [-n N] [--runs R] [--parse-only] [--big]
#                  [--program DIR] [--dump FILE] [--timeout S] [--no-setup]
#
# Results go to stdout and bench/out/results.txt; bench/out/ holds the
# dumps, outputs and logs.  Not part of scripts/test.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib.sh"
. "$here/lib.sh"
cd "$PS_ROOT"

goroutines=100000
runs=5
parse_only=0
big=0
program=corpus/programs/sigquit
dump=
limit=600
setup=1
while [ $# -gt 0 ]; do
	case $1 in
	-n) goroutines=$2; shift ;;
	--runs) runs=$2; shift ;;
	--parse-only) parse_only=1 ;;
	--big) big=1 ;;
	--program) program=$2; shift ;;
	--dump) dump=$2; shift ;;
	--timeout) limit=$2; shift ;;
	--no-setup) setup=0 ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
	shift
done

out=$PS_ROOT/bench/out
mkdir -p "$out"
PS_LOGDIR=$out/logs
[ $setup = 0 ] || "$PS_ROOT/scripts/setup" --with-bench
panicscope=$PS_ROOT/build/cli/panicscope
[ -x "$panicscope" ] || die "no $panicscope: run scripts/setup"

bench_build_tools
if [ -z "$dump" ]; then
	dump=$out/sigquit-$goroutines.log
	bench_make_dump "$program" "$goroutines" "$dump"
fi
[ -s "$dump" ] || die "no dump at $dump"
# Peers written before Go 1.23 stop at "goroutine N gp=... m=... mp=...
# [state]:" headers; they also get a copy without those fields.
peer_dump=$dump
if grep -q -m1 -E '^goroutine [0-9]+ gp=0x' "$dump"; then
	peer_dump=${dump%.log}.nogp.log
	[ "$peer_dump" -nt "$dump" ] ||
		sed -E 's/^(goroutine [0-9]+) gp=0x[0-9a-f]+ m=[0-9a-z]+ (mp=0x[0-9a-f]+ )?\[/\1 [/' \
			"$dump" >"$peer_dump"
fi

results=$out/results.txt
: >"$results"
bench_header "$dump" "$peer_dump" | tee -a "$results"

if [ $parse_only = 0 ]; then
	bench_section "whole run: parse, group, write"
	bench_row "grep -c ^goroutine" raw "$dump" text \
		grep -c '^goroutine' "$dump"
	bench_row "panicscope -f json" raw "$dump" json \
		"$panicscope" -f json "$dump"
	bench_row "panicscope (text)" raw "$dump" text \
		"$panicscope" --color never "$dump"
	# the same on one thread: what --jobs (default: every core) saves
	bench_row "panicscope (text) -j 1" raw "$dump" text \
		"$panicscope" --color never -j 1 "$dump"
	bench_row "panicparse" raw "$dump" panicparse \
		panicparse -no-color "$dump"
	if [ "$peer_dump" != "$dump" ]; then
		bench_row "panicparse" nogp "$peer_dump" panicparse \
			panicparse -no-color "$peer_dump"
	fi
	bench_row "panicparse -aggressive" nogp "$peer_dump" panicparse \
		panicparse -no-color -aggressive "$peer_dump"
	# issue 12's peer figure: no source files read
	bench_row "panicparse -parse=false" nogp "$peer_dump" panicparse \
		panicparse -no-color -parse=false "$peer_dump"
	bench_row "gostackparse -json" raw "$dump" gsp-json \
		"$out/gostackparse-peer" -json "<$dump"
	if [ "$peer_dump" != "$dump" ]; then
		bench_row "gostackparse -json" nogp "$peer_dump" gsp-json \
			"$out/gostackparse-peer" -json "<$peer_dump"
	fi
fi
bench_section "parse only"
bench_row "parse only: panicscope" raw "$dump" parse \
	"$out/parse_only" "$dump"
bench_row "parse only: gostackparse" nogp "$peer_dump" gsp \
	"$out/gostackparse-peer" "<$peer_dump"
bench_footer | tee -a "$results"

# not in a pipeline: it sets the figures the goals read.  Before --big,
# whose gigabyte of writes leaves dirty pages that throttle the next
# runs' writes (the JSON's 200 MB: 0.27 s of CPU became 0.54 s).
bench_interleaved "grep -c ^goroutine/raw" "panicscope (text)/raw" \
	"panicscope (text) -j 1/raw" "panicscope -f json/raw" \
	"gostackparse -json/nogp" >"$out/interleaved.txt"
tee -a "$results" <"$out/interleaved.txt"
if [ $big = 1 ]; then
	# not in a pipeline either: bench_big sets the RSS figures
	bench_big "$dump" >"$out/big.txt"
	tee -a "$results" <"$out/big.txt"
fi
bench_goals | tee -a "$results"
echo "bench: results in $results"
