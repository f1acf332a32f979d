#!/usr/bin/env bash
# tests/check/pre_commit.sh PANICSCOPE SRCDIR [PRE_COMMIT] - the hook of
# .pre-commit-hooks.yaml through the pre-commit framework (from PyPI,
# installed by scripts/setup): `pre-commit try-repo` on a damaged and a
# good fixture, the hook installed in a fresh repository refusing
# `git commit`, and the project's own corpus/ passing the same hook.
. "$(dirname "$0")/lib.sh"
pc=${3:-}
case $pc in ""|/*) ;; *) pc=$ORIG/$pc ;; esac
[ -n "$pc" ] && [ -x "$pc" ] || pc=$(command -v pre-commit || true)
[ -n "$pc" ] || { echo "FAIL: pre-commit not installed: run scripts/setup" >&2; exit 1; }
export PATH=$(dirname "$PANICSCOPE"):$PATH
export PRE_COMMIT_HOME=$T/pre-commit-home PRE_COMMIT_COLOR=never
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
clean=$SRC/corpus/go1.26.8-amd64/deadlock.log

# The hook repository: this checkout's .pre-commit-hooks.yaml, as is, in
# a repository of its own (cloning the whole checkout with its 72 MB
# corpus for every run would take minutes).
git init -q hooks
cp "$SRC/.pre-commit-hooks.yaml" hooks/
git -C hooks add .pre-commit-hooks.yaml
git -C hooks commit -q -m hooks
HOOKS=$T/hooks
msg="testdata/spaces.log:13: frame location indented with 8 spaces; Go prints one tab"

git init -q repo
cd repo
mkdir testdata
cp "$clean" testdata/deadlock.log
sed '13s/^\t/        /' "$clean" >testdata/spaces.log
git add testdata

# try-repo: the hook as this checkout defines it
if "$pc" try-repo "$HOOKS" panicscope-check --files testdata/spaces.log >"$T/out" 2>&1; then
	fail "try-repo: damaged fixture passed: $(cat "$T/out")"
fi
grep -qx "$msg" "$T/out" || fail "try-repo: no FILE:LINE message: $(cat "$T/out")"
"$pc" try-repo "$HOOKS" panicscope-check --files testdata/deadlock.log >"$T/out" 2>&1 ||
	fail "try-repo: good fixture refused: $(cat "$T/out")"
grep -q 'Passed' "$T/out" || fail "try-repo: hook did not run: $(cat "$T/out")"
# the default files: pattern leaves non-fixture paths alone
printf 'x\n' >notes.txt && git add notes.txt
"$pc" try-repo "$HOOKS" panicscope-check --files notes.txt >"$T/out" 2>&1 ||
	fail "try-repo: notes.txt checked: $(cat "$T/out")"
grep -q 'no files to check' "$T/out" || fail "try-repo: files: pattern took notes.txt: $(cat "$T/out")"

# installed in the repository, run by git commit
rev=$(git -C "$HOOKS" rev-parse HEAD)
cat >.pre-commit-config.yaml <<CONF
repos:
  - repo: $HOOKS
    rev: $rev
    hooks:
      - id: panicscope-check
CONF
git add .pre-commit-config.yaml
"$pc" install >"$T/out" 2>&1 || fail "pre-commit install: $(cat "$T/out")"
if git commit -q -m bad >"$T/out" 2>&1; then
	fail "installed hook: damaged fixture committed"
fi
grep -qx "$msg" "$T/out" || fail "installed hook: no FILE:LINE message: $(cat "$T/out")"
git rm -q --cached testdata/spaces.log
git commit -q -m good >"$T/out" 2>&1 || fail "installed hook: good commit refused: $(cat "$T/out")"
[ "$(git rev-list --count HEAD)" = 1 ] || fail "installed hook: not exactly the good commit"

# the project's own corpus, through the same hook, every tracked file
cd "$SRC"
"$pc" try-repo "$HOOKS" panicscope-check --all-files >"$T/out" 2>&1 ||
	fail "corpus: the hook refused the project's corpus: $(head -c 3000 "$T/out")"
grep -q 'panicscope check.*Passed' "$T/out" || fail "corpus: hook did not run: $(cat "$T/out")"
done_tests
