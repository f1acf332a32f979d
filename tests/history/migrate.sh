#!/bin/sh
# migrate.sh HAMMER HAMMER_V2 - a version-1 db is migrated to version 2 by
# a build that knows version 2, keeping its counts; the version-1 build
# then refuses it with one line naming the version, leaving it untouched.
v1=$1
v2=$2
. "$(dirname "$0")/lib.sh"
"$v1" "$db" a1 3 >/dev/null
[ "$("$v1" "$db" a1)" = 3 ] || fail "version-1 db not written"
# The v2 build migrates on open, and keeps counting.
[ "$("$v2" "$db" a1)" = 3 ] || fail "migration lost the counts"
"$v2" "$db" a1 2 >/dev/null
[ "$("$v2" "$db" a1)" = 5 ] || fail "migrated db does not record"
echo "ok: migrated to version 2, counts kept"
sum=$(md5sum <"$db")
if "$v1" "$db" a1 >"$dir/out" 2>"$dir/err"; then fail "version 1 opened a version-2 db"; fi
grep -q "has schema version 2; this panicscope knows up to 1" "$dir/err" ||
	fail "unexpected message: $(cat "$dir/err")"
[ "$(wc -l <"$dir/err")" = 1 ] || fail "more than one line: $(cat "$dir/err")"
[ "$(md5sum <"$db")" = "$sum" ] || fail "refused db changed"
[ ! -e "$db-wal" ] && [ ! -e "$db-shm" ] || fail "refused db got a WAL/SHM file"
echo "ok: version 1 refuses it untouched: $(cat "$dir/err")"
