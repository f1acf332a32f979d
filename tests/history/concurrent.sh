#!/bin/sh
# concurrent.sh HAMMER ROUNDS - two processes record into one new db at
# once; no count may be lost and exactly one run may see the shared
# signature as new.
hammer=$1
rounds=$2
. "$(dirname "$0")/lib.sh"
"$hammer" "$db" a1 "$rounds" >"$dir/a.out" 2>"$dir/a.err" &
pa=$!
"$hammer" "$db" b2 "$rounds" >"$dir/b.out" 2>"$dir/b.err" &
pb=$!
ra=0; rb=0
wait $pa || ra=$?
wait $pb || rb=$?
cat "$dir/a.err" "$dir/b.err" >&2
[ $ra = 0 ] && [ $rb = 0 ] || fail "hammer exit $ra $rb"
bad=0
check() { # WHAT GOT EXPECTED
	if [ "$2" != "$3" ]; then echo "FAIL: $1: got $2, expected $3" >&2; bad=1
	else echo "ok: $1 = $2"; fi
}
# Each process adds 1+2+...+ROUNDS to the shared signature.
check "shared total" "$("$hammer" "$db" 5a5a)" $((rounds * (rounds + 1)))
check "a1 total" "$("$hammer" "$db" a1)" "$rounds"
check "b2 total" "$("$hammer" "$db" b2)" "$rounds"
check "runs that saw the shared signature new" $(($(cat "$dir/a.out") + $(cat "$dir/b.out"))) 1
exit $bad
