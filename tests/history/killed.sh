#!/bin/sh
# killed.sh HAMMER N KILLS - a process recording runs of N signatures is
# killed with SIGKILL KILLS times, each after at least one more run was
# committed; every time the db must open and hold whole runs only.
hammer=$1
n=$2
kills=$3
. "$(dirname "$0")/lib.sh"
prev=0
for k in $(seq 1 "$kills"); do
	: >"$dir/out"
	"$hammer" "$db" --loop "$n" >"$dir/out" 2>"$dir/err" &
	pid=$!
	# Wait for a commit, then kill at a varying point of a later run.
	i=0
	while [ "$(wc -l <"$dir/out")" -lt 1 ]; do
		i=$((i + 1))
		kill -0 $pid 2>/dev/null || { cat "$dir/err" >&2; echo "FAIL: loop died" >&2; exit 1; }
		[ $i -lt 6000 ] || { echo "FAIL: no commit in 60 s" >&2; kill -9 $pid; exit 1; }
		sleep 0.01
	done
	sleep "0.0$((k * 37 % 10))"
	kill -9 $pid
	wait $pid 2>/dev/null || true
	got=$("$hammer" "$db" --check "$n") || fail "kill $k: $got"
	c=${got#uniform }
	[ "$c" -gt "$prev" ] || fail "kill $k: count $c not above $prev"
	echo "ok: kill $k: $got"
	prev=$c
done
