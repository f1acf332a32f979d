#!/usr/bin/env bash
# tests/check/git_hook.sh PANICSCOPE SRCDIR - the plain pre-commit hook of
# docs/check.md (the block between its plain-hook markers, run as is) in a
# fresh git repository: a damaged fixture is refused with its FILE:LINE
# message, a good one and a fixed one are accepted.
. "$(dirname "$0")/lib.sh"
export PATH=$(dirname "$PANICSCOPE"):$PATH
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
clean=$SRC/corpus/go1.26.8-amd64/deadlock.log

git init -q repo
cd repo
awk '/<!-- *plain-hook *-->/ { inside = !inside; next }
     inside && !/^```/ { print }' "$SRC/docs/check.md" >.git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
grep -q 'panicscope check' .git/hooks/pre-commit || fail "no hook in docs/check.md"

mkdir testdata
cp "$clean" testdata/deadlock.log
printf '# notes\n' >README.md
git add testdata/deadlock.log README.md
git commit -q -m good >"$T/out" 2>&1 || fail "good fixture refused: $(cat "$T/out")"

sed '13s/^\t/        /' "$clean" >testdata/spaces.log
git add testdata/spaces.log
if git commit -q -m bad >"$T/out" 2>&1; then
	fail "damaged fixture accepted"
fi
grep -qx "testdata/spaces.log:13: frame location indented with 8 spaces; Go prints one tab" "$T/out" ||
	fail "refusal does not say FILE:LINE: $(cat "$T/out")"
[ "$(git rev-list --count HEAD)" = 1 ] || fail "a commit went in"

head -n 18 "$clean" >testdata/cut.log
cp "$clean" testdata/spaces.log
git add testdata
if git commit -q -m cut >"$T/out" 2>&1; then
	fail "truncated fixture accepted"
fi
grep -qx "testdata/cut.log:18: dump ends inside goroutine 8's stack" "$T/out" ||
	fail "truncation refusal does not say FILE:LINE: $(cat "$T/out")"

# declared on purpose: accepted
printf '[cut.log]\nexpect: truncated\n' >testdata/.panicscope-check
git add testdata
git commit -q -m declared >"$T/out" 2>&1 || fail "declared truncation refused: $(cat "$T/out")"
[ "$(git rev-list --count HEAD)" = 2 ] || fail "declared commit missing"
# a golden edited and staged alone still runs the check of its fixture
panicscope check --update testdata/deadlock.log
git add testdata/deadlock.log.golden.json
git commit -q -m golden >"$T/out" 2>&1 || fail "fresh golden refused: $(cat "$T/out")"
line=$(grep -n -m1 '"main.main"' testdata/deadlock.log.golden.json | cut -d: -f1)
sed -i "${line}s/\"main\.main\"/\"main.other\"/" testdata/deadlock.log.golden.json
git add testdata/deadlock.log.golden.json
if git commit -q -m edited-golden >"$T/out" 2>&1; then
	fail "edited golden accepted"
fi
grep -qx "testdata/deadlock.log.golden.json:$line: dumps\[0\].goroutines\[0\].frames\[2\].func is \"main.main\" now, \"main.other\" in the golden" "$T/out" ||
	fail "edited golden: no FILE:LINE message: $(cat "$T/out")"
done_tests
