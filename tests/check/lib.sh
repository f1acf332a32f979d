# tests/check/lib.sh - shared by the check tests (sourced).  Each test
# runs in its own temporary directory, removed on exit.
set -euo pipefail
PANICSCOPE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
ORIG=$PWD
T=$(cd "$(mktemp -d "${TMPDIR:-/tmp}/ps-check.XXXXXX")" && pwd -P)
trap 'rm -rf "$T"' EXIT
cd "$T"
fails=0

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	fails=$((fails + 1))
}

# expect NAME RC 'STDOUT' CMD...: runs CMD, compares exit status and
# stdout exactly (stderr is kept in $T/err for the caller).
expect() {
	local name=$1 rc=$2 want=$3 got status
	shift 3
	set +e
	got=$("$@" 2>"$T/err")
	status=$?
	set -e
	[ "$status" = "$rc" ] || fail "$name: exit $status, want $rc (stdout: $got; stderr: $(cat "$T/err"))"
	[ "$got" = "$want" ] || fail "$name: stdout differs
--- want
$want
--- got
$got"
}

done_tests() {
	if [ $fails -ne 0 ]; then
		echo "$fails check(s) failed" >&2
		exit 1
	fi
	echo "all passed"
}
