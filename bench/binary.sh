#!/usr/bin/env bash
# bench/binary.sh - what --binary adds to a run, on service-sized binaries.
#
# Builds two Go programs (bench/binary/gen.py; default build: compressed
# DWARF, as users ship them): a ~25 MB one (net/http, crypto/tls,
# encoding/json, text/template... plus 20 generated packages) and a
# ~75 MB one (the same standard packages and 60 generated ones), each
# with a nil-dereference crash dump and a SIGQUIT dump of N parked
# goroutines (in 8 packages).  Then for each binary
# and dump: median CPU (user+system) of R runs of
#     panicscope -b BINARY DUMP -o /dev/null     and
#     panicscope DUMP -o /dev/null
# taken in turn (one run of each per round: bench/measure.py)
# and "added by -b" = their difference (issue 12: under 100 ms on the
# 25 MB binary, under 150 ms on the 75 MB one).
#
#   bench/binary.sh [--runs R] [-n N] [--panicscope PATH]
#
# Everything it makes goes to bench/out/binary/ (reused while newer than
# bench/binary/gen.py).  Not part of scripts/test.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib.sh"
cd "$PS_ROOT"

runs=7 n=10000
panicscope=$PS_ROOT/build/cli/panicscope
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	-n) n=$2; shift ;;
	--panicscope) panicscope=$2; shift ;;
	-h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
	shift
done
[ -x "$panicscope" ] || die "no $panicscope: build first"
out=$PS_ROOT/bench/out/binary
mkdir -p "$out"

# make NAME PACKAGES FUNCS STD: the program, its binary and its dumps.
make_binary() {
	local name=$1 src=$out/$1-src bin=$out/$1
	if ! [ "$bin" -nt "$here/binary/gen.py" ] ||
		[ "$(cat "$bin.params" 2>/dev/null)" != "$2 $3 $4" ]; then
		rm -rf "$src"
		python3 "$here/binary/gen.py" "$src" "$2" "$3" "$4"
		ps_note "building $name ($2 packages x $3 functions; a few minutes)"
		(cd "$src" && env GOENV=off GOFLAGS= CGO_ENABLED=0 GOTOOLCHAIN=local \
			nice go build -o "$bin" .)
		echo "$2 $3 $4" >"$bin.params"
	fi
	if ! [ "$out/$name-crash.log" -nt "$bin" ]; then
		"$bin" -crash 2>"$out/$name-crash.log" || true
		GOTRACEBACK=all "$bin" -n "$n" -quit 2>"$out/$name-sigquit.log" || true
	fi
	grep -q '^panic: runtime error: invalid memory address' "$out/$name-crash.log" ||
		die "$out/$name-crash.log is not the nil-dereference crash"
	[ "$(grep -c '^goroutine [0-9]' "$out/$name-sigquit.log")" -ge "$n" ] ||
		die "$out/$name-sigquit.log has fewer than $n goroutines"
}

# cpu_medians CMD_A CMD_B: the median user+system seconds of each of two
# shell commands, $runs runs each after a warm-up, round-robin
# (bench/measure.py), so their difference is not a change of machine
# speed between the two.
cpu_medians() {
	python3 "$here/measure.py" "$runs" "$1" "$2" | awk '{ printf "%s ", $2 } END { print "" }'
}

make_binary b25 20 430 1
make_binary b75 60 690 1

printf 'machine: %s cores, load %s; median CPU (user+sys) of %s runs\n' "$(nproc)" \
	"$(cut -d' ' -f1-3 /proc/loadavg)" "$runs"
printf '%-6s %8s  %-8s %10s %10s %12s %6s\n' binary MB dump "without" "with -b" "added by -b" goal
for b in b25 b75; do
	goal=$([ $b = b25 ] && echo 0.100 || echo 0.150)
	for d in crash sigquit; do
		log=$out/$b-$d.log
		read -r without with < <(cpu_medians \
			"$(printf '%q ' "$panicscope" "$log" -o /dev/null)" \
			"$(printf '%q ' "$panicscope" -b "$out/$b" "$log" -o /dev/null)")
		"$panicscope" -b "$out/$b" "$log" -f json -o "$out/$b-$d.json" 2>"$out/$b-$d.err" || true
		[ ! -s "$out/$b-$d.err" ] || die "$b on $d: $(head -n 1 "$out/$b-$d.err")"
		python3 - "$b" "$(($(stat -c %s "$out/$b") / 1000000))" "$d" "$without" "$with" "$goal" <<'PY'
import sys
b, mb, d, wo, w, goal = sys.argv[1:]
added = float(w) - float(wo)
print("%-6s %8s  %-8s %9.3fs %9.3fs %11.3fs %6s  %s" % (b, mb, d, float(wo), float(w), added,
      goal, "met" if added < float(goal) else "MISSED"))
PY
	done
done
