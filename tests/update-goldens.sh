#!/usr/bin/env bash
# tests/update-goldens.sh [BUILD_DIR] - rewrite corpus/*/*.golden.json from
# the current panicscope.  Review `git diff corpus/` before committing:
# a golden is a claim that the parse is right.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
python3 "$root/tests/corpus/check_corpus.py" "$build/cli/panicscope" "$root" --update || true
git -C "$root" status --short corpus | head -20
