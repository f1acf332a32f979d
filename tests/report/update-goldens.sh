#!/usr/bin/env bash
# Regenerates the report goldens (text and markdown of every corpus log)
# under tests/report/golden/.  Review the diff before committing it:
#   PANICSCOPE=build/cli/panicscope tests/report/update-goldens.sh
#   git diff --stat tests/report/golden
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ps=${PANICSCOPE:-$root/build/cli/panicscope}
[ -x "$ps" ] || { echo "update-goldens: no panicscope at $ps (set PANICSCOPE)" >&2; exit 2; }
exec python3 "$root/tests/report/goldens.py" "$ps" "$root" --update
