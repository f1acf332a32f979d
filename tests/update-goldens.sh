#!/usr/bin/env bash
# tests/update-goldens.sh [BUILD_DIR] - rewrite every golden from the
# current build: the parse goldens corpus/*/<kind>.golden.json and the
# report goldens tests/report/golden/*/<kind>.{txt,md} of the reviewed set
# tests/corpus/golden-set.list (goldens of logs no longer in the set are
# deleted).  Review `git diff --stat corpus tests/report/golden` before
# committing: a golden is a claim that the output is right.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
ps=$build/cli/panicscope
walker=$build/tests/corpus_walk
for t in "$ps" "$walker"; do
	[ -x "$t" ] || { echo "update-goldens: no $t (build first: ninja -C $build)" >&2; exit 2; }
done
walk=$(mktemp -d)
trap 'rm -rf "$walk"' EXIT
"$walker" "$root" "$walk" >/dev/null
python3 "$root/tests/corpus/check_corpus.py" "$ps" "$root" "$walk" --update >/dev/null || true
python3 "$root/tests/report/goldens.py" "$ps" "$root" "$walk" --update
git -C "$root" status --short corpus tests/report/golden | head -20
