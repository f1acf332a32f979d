#!/usr/bin/env bash
# bench/check.sh - how long `panicscope check` takes on 1,000 fixtures.
#
# Copies the first N (default 1000) clean corpus logs of panic-sized kinds
# (not the multi-megabyte sigquit/race/pprof dumps: fixtures are small)
# into bench/out/check-fixtures/, writes goldens for half of them with
# --update, then times `panicscope check` over the directory: the median
# wall and CPU time of R runs (default 10), also with every file named on the command line
# as the pre-commit framework passes them.  Needs build/cli/panicscope.
# Not part of scripts/test.
#
#   bench/check.sh [-n N] [--runs R]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib.sh"
cd "$PS_ROOT"

n=1000
runs=10
while [ $# -gt 0 ]; do
	case $1 in
	-n) n=$2; shift ;;
	--runs) runs=$2; shift ;;
	-h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
	shift
done
ps=$PS_ROOT/build/cli/panicscope
[ -x "$ps" ] || die "no $ps: run scripts/setup"
out_dir=$PS_ROOT/bench/out
dir=$out_dir/check-fixtures
rm -rf "$dir" && mkdir -p "$dir"

# Round-robin over the clean logs until N copies exist.
mapfile -t logs < <(ls corpus/go*-*/*.log | grep -Ev '/(sigquit|race|pprof_debug[12]|stack_overflow)\.log$')
[ ${#logs[@]} -gt 0 ] || die "no corpus logs"
for ((i = 0; i < n; i++)); do
	src=${logs[$((i % ${#logs[@]}))]}
	cp "$src" "$dir/$(printf '%04d' "$i")-$(basename "$src")"
done
bytes=$(cat "$dir"/*.log | wc -c)
# goldens for every other fixture
"$ps" check --update $(ls "$dir"/*.log | awk 'NR % 2') >/dev/null
goldens=$(ls "$dir"/*.golden.json | wc -l)

# median wall and CPU (user+sys) seconds of RUNS runs of "$@": CPU time
# is the figure that holds on a loaded machine.
median() {
	local r line t=$out_dir/times
	: >"$t"
	for ((r = 0; r < runs; r++)); do
		line=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 ) ||
			die "check failed on the bench fixtures"
		echo "$line" >>"$t"
	done
	printf '%s s wall, %s s CPU' \
		"$(awk '{ print $1 }' "$t" | sort -n | sed -n "$(((runs + 1) / 2))p")" \
		"$(awk '{ printf "%.3f\n", $2 + $3 }' "$t" | sort -n | sed -n "$(((runs + 1) / 2))p")"
}

walk=$(median "$ps" check "$dir")
named=$(median "$ps" check $(ls "$dir"/*.log))
printf 'panicscope check: %d fixtures (%d bytes, %d goldens), median of %d runs\n' \
	"$n" "$bytes" "$goldens" "$runs"
printf '  directory walked:      %s\n' "$walk"
printf '  every file named:      %s\n' "$named"
