#!/usr/bin/env bash
# tests/cli/errors.sh PANICSCOPE SRC - unusable inputs and -o failures.
#
# Every unusable input gives one line on stderr naming it, nothing on
# stdout and exit 3; usable inputs next to unusable ones are still
# reported.  -o never loses the previous report: a full disk, a
# read-only directory or /dev/full leaves it intact and no temporary
# file behind; a symbolic link is written through to its target; a full
# $TMPDIR (where a multi-dump report waits) fails with one line.  The
# disk cases run in a private mount namespace (unshare -rm) with small
# tmpfs mounts, so they need no real root and touch nothing outside.
set -uo pipefail

ps=${1:?usage: errors.sh PANICSCOPE SRC}
src=${2:?usage: errors.sh PANICSCOPE SRC}
dump=$src/corpus/go1.26.8-amd64/index.log
big=$src/corpus/go1.26.8-amd64/sigquit.log
fails=0
work=$(mktemp -d /tmp/ps-cli-errors-XXXXXX)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect NAME RC STDERR_REGEX STDOUT_LINES(-1: any, +N: at least N) -- ARGS...
expect() {
	local name=$1 rc=$2 re=$3 lines=$4 got n
	shift 5
	"$ps" "$@" >"$work/out" 2>"$work/err"
	got=$?
	n=$(wc -l <"$work/err")
	[ "$got" = "$rc" ] || fail "$name: exit $got, wanted $rc"
	[ "$re" = - ] || grep -Eq -- "$re" "$work/err" || fail "$name: stderr lacks /$re/: $(cat "$work/err")"
	case $lines in
	-1) ;;
	+*) [ "$(wc -l <"$work/out")" -ge "${lines#+}" ] || fail "$name: stdout has fewer than ${lines#+} lines" ;;
	*) [ "$(wc -l <"$work/out")" = "$lines" ] || fail "$name: stdout has $(wc -l <"$work/out") lines, wanted $lines" ;;
	esac
	echo "$name: exit $got, $n stderr line(s)"
	LAST_ERR_LINES=$n
}
one_line() { [ "$LAST_ERR_LINES" = 1 ] || fail "$1: $LAST_ERR_LINES stderr lines, wanted 1: $(cat "$work/err")"; }

# ---- unusable inputs ------------------------------------------------
mkdir "$work/dir"
expect directory 3 "^panicscope: cannot read '$work/dir': it is a directory$" 0 -- "$work/dir"; one_line directory
expect missing 3 "^panicscope: cannot open '$work/nope': No such file or directory$" 0 -- "$work/nope"; one_line missing
expect read-error 3 "^panicscope: cannot read '/proc/self/mem': Input/output error$" 0 -- /proc/self/mem; one_line read-error
expect stdin-dir 3 "^panicscope: cannot read '-': it is a directory$" 0 -- - <"$work/dir"
one_line stdin-dir
expect two-bad 3 "cannot open '$work/nope'" 0 -- "$work/dir" "$work/nope"
[ "$LAST_ERR_LINES" = 2 ] || fail "two-bad: $LAST_ERR_LINES stderr lines, wanted 2"
# A usable input beside unusable ones is reported; exit 3 all the same.
expect mixed 3 "it is a directory" +3 -- "$dump" "$work/dir" "$work/nope"
[ "$LAST_ERR_LINES" = 2 ] || fail "mixed: $LAST_ERR_LINES stderr lines, wanted 2"
grep -q 'index out of range' "$work/out" || fail "mixed: the usable dump is not in the report"
# An unusable --binary: one line, the dump still reported, undecoded.
expect binary-dir 3 "^panicscope: cannot read '$work/dir': it is a directory; arguments stay undecoded$" +3 -- --binary "$work/dir" "$dump"
one_line binary-dir
# --jobs takes a number of threads; a large file (copies of a dump, 3 MB
# and more: cut into parts) reads the same on 1, 2 and 4 threads.
expect jobs-zero 2 "^panicscope: bad --jobs '0' \(a number of threads, 1 to 1024\)$" 0 -- --jobs 0 "$dump"
expect jobs-word 2 "^panicscope: bad --jobs 'many'" 0 -- -j many "$dump"
expect jobs-missing 2 "^panicscope: option '-j' needs a value$" 0 -- -j
copies=$(( 3000000 / $(wc -c <"$big") + 1 ))
for _ in $(seq "$copies"); do cat "$big"; done >"$work/many.log"
for f in text json; do
	"$ps" -f "$f" --color never -j 1 "$work/many.log" >"$work/one.$f" || fail "jobs: -j 1 -f $f failed"
	for j in 2 4; do
		"$ps" -f "$f" --color never -j "$j" "$work/many.log" >"$work/many.$f" ||
			fail "jobs: -j $j -f $f failed"
		cmp -s "$work/one.$f" "$work/many.$f" || fail "jobs: -j $j -f $f differs from -j 1"
	done
done
[ -s "$work/one.json" ] || fail "jobs: empty report"
echo "jobs: $copies copies of a dump, -j 2 and -j 4 equal to -j 1"
expect binary-missing 3 "^panicscope: cannot open '$work/nope': No such file or directory; arguments stay undecoded$" +3 -- --binary "$work/nope" "$dump"
one_line binary-missing
expect binary-not-elf 3 "^panicscope: '$dump' is not an ELF executable; arguments stay undecoded$" +3 -- --binary "$dump" "$dump"
one_line binary-not-elf
# The control: a usable input alone exits 0 with nothing on stderr.
expect usable 0 - +3 -- "$dump"
[ "$LAST_ERR_LINES" = 0 ] || fail "usable: $LAST_ERR_LINES stderr lines, wanted 0"

# ---- C1 controls in text output ---------------------------------------
printf 'panic: boom\x9b2J and \xc2\x9b31m and caf\xc3\xa9\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:5 +0x1d\nexit status 2\n' >"$work/c1.log"
expect c1 0 - +3 -- "$work/c1.log"
grep -q 'boom\\x9b2J and \\xc2\\x9b31m and café' "$work/out" || fail "c1: not escaped: $(head -1 "$work/out" | od -c | head -3)"
LC_ALL=C grep -q "$(printf '\x9b')" "$work/out" && fail "c1: a raw C1 byte reached the terminal"

# ---- write errors name the path --------------------------------------
expect proc 3 "^panicscope: cannot write '/proc/version': " 0 -- "$dump" -o /proc/version; one_line proc
expect dev-full 3 "^panicscope: cannot write '/dev/full': No space left on device$" 0 -- "$dump" -o /dev/full; one_line dev-full
"$ps" "$dump" >/dev/full 2>"$work/err"; rc=$?
[ $rc = 3 ] && grep -q "^panicscope: cannot write 'standard output': No space left on device$" "$work/err" ||
	fail "stdout-full: exit $rc, $(cat "$work/err")"

# ---- symlinks: written through ---------------------------------------
echo old >"$work/target"
ln -s target "$work/link"
expect symlink 0 - 0 -- "$dump" -o "$work/link"
[ -L "$work/link" ] || fail "symlink: the link was replaced"
grep -q 'index out of range' "$work/target" || fail "symlink: the target did not get the report"
ln -s missing-target "$work/dangling"
expect dangling 0 - 0 -- "$dump" -o "$work/dangling"
grep -q 'index out of range' "$work/missing-target" || fail "dangling: the named file was not created"
# The mode of a replaced report is kept (as "> file" keeps it).
chmod 640 "$work/target"
"$ps" "$dump" -o "$work/target" || fail "mode: exit $?"
[ "$(stat -c %a "$work/target")" = 640 ] || fail "mode: $(stat -c %a "$work/target"), wanted 640"

# ---- full disk and read-only directory (private mounts) --------------
cat >"$work/mounts.sh" <<'INNER'
set -u
ps=$1 dump=$2 big=$3 work=$4
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
mkdir -p "$work/full" "$work/ro"
mount -t tmpfs -o size=256k tmpfs "$work/full" || { echo "FAIL: cannot mount tmpfs" >&2; exit 1; }
"$ps" "$dump" -o "$work/full/report.txt" || fail "full: the first report failed"
cp "$work/full/report.txt" "$work/before"
# fill the disk, then ask for a report far bigger than what is left
head -c 240k /dev/zero >"$work/full/filler" 2>/dev/null
"$ps" -f json --all "$big" -o "$work/full/report.txt" 2>"$work/err"; rc=$?
[ $rc = 3 ] || fail "full: exit $rc, wanted 3"
grep -q "^panicscope: cannot write '$work/full/report.txt': No space left on device$" "$work/err" ||
	fail "full: stderr: $(cat "$work/err")"
[ "$(wc -l <"$work/err")" = 1 ] || fail "full: $(wc -l <"$work/err") stderr lines"
cmp -s "$work/before" "$work/full/report.txt" || fail "full: the previous report was changed"
[ -z "$(ls "$work/full" | grep -v '^report.txt$\|^filler$')" ] || fail "full: left behind: $(ls "$work/full")"
echo "full disk: exit $rc, previous report intact, nothing left behind"
# The report of the dumps before the last of a multi-dump input waits in
# $TMPDIR: a full one fails the run with one line, and no report is left.
cat "$big" "$big" "$big" >"$work/three.log"
TMPDIR="$work/full" "$ps" -f json "$work/three.log" -o "$work/spooled.json" 2>"$work/err"; rc=$?
[ $rc = 3 ] || fail "full TMPDIR: exit $rc, wanted 3"
grep -q "^panicscope: cannot hold the report of the dumps before the last in '$work/full': No space left on device$" "$work/err" ||
	fail "full TMPDIR: stderr: $(cat "$work/err")"
[ "$(wc -l <"$work/err")" = 1 ] || fail "full TMPDIR: $(wc -l <"$work/err") stderr lines"
[ ! -e "$work/spooled.json" ] || fail "full TMPDIR: a report was left"
echo "full TMPDIR: exit $rc, one line, no report"

mount -t tmpfs -o size=1m tmpfs "$work/ro"
"$ps" "$dump" -o "$work/ro/report.txt" || fail "ro: the first report failed"
cp "$work/ro/report.txt" "$work/before"
mount -o remount,ro "$work/ro"
"$ps" -f json "$dump" -o "$work/ro/report.txt" 2>"$work/err"; rc=$?
[ $rc = 3 ] || fail "ro: exit $rc, wanted 3"
grep -q "^panicscope: cannot write '$work/ro/report.txt': cannot create a file beside it: Read-only file system$" "$work/err" ||
	fail "ro: stderr: $(cat "$work/err")"
cmp -s "$work/before" "$work/ro/report.txt" || fail "ro: the previous report was changed"
echo "read-only directory: exit $rc, previous report intact"
umount "$work/full" "$work/ro"
exit $((fails > 0))
INNER
unshare -rm bash "$work/mounts.sh" "$ps" "$dump" "$big" "$work" || fail "mount cases (see above)"

[ $fails = 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "PASS"
