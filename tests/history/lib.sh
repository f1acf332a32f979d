# lib.sh - sourced by the history test scripts: strict mode, a scratch
# directory removed on exit holding the db, and fail().
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$dir/h.db
fail() { echo "FAIL: $*" >&2; exit 1; }
