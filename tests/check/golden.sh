#!/usr/bin/env bash
# tests/check/golden.sh PANICSCOPE SRCDIR - a golden written by --update
# holds, is byte-identical wherever the fixture is checked from, and
# catches an edit of a function name (in the fixture or the golden) by
# naming the first differing field.
. "$(dirname "$0")/lib.sh"
mkdir -p a/testdata b/deep/er
cp "$SRC/corpus/go1.26.8-amd64/deadlock.log" a/testdata/deadlock.log
cp "$SRC/corpus/go1.26.8-amd64/sigquit.log" a/testdata/sigquit.log

expect update 0 "" "$PANICSCOPE" check --update a/testdata
[ -s a/testdata/deadlock.log.golden.json ] && [ -s a/testdata/sigquit.log.golden.json ] ||
	fail "update: goldens not written"
expect holds 0 "" "$PANICSCOPE" check a/testdata
# it is the -f json analysis (schema and all), not some other form
case $(head -c 40 a/testdata/deadlock.log.golden.json) in
*'"schema":"panicscope.report/1"'*) ;;
*) fail "golden is not the panicscope.report/1 JSON" ;;
esac

# same bytes from another place, another working directory, an absolute path
cp a/testdata/deadlock.log b/deep/er/
(cd b && "$PANICSCOPE" check --update "$T/b/deep/er/deadlock.log") || fail "update elsewhere"
cmp -s a/testdata/deadlock.log.golden.json b/deep/er/deadlock.log.golden.json ||
	fail "golden differs between two places: $(cmp a/testdata/deadlock.log.golden.json b/deep/er/deadlock.log.golden.json)"
# the checking path is in neither golden
! grep -q "$T\|a/testdata\|deep/er" a/testdata/deadlock.log.golden.json ||
	fail "golden holds a machine-specific path"

# --update again changes nothing (no rewrite, same mtime)
before=$(stat -c %Y.%s a/testdata/deadlock.log.golden.json)
sleep 1.1
"$PANICSCOPE" check --update a/testdata >/dev/null
[ "$(stat -c %Y.%s a/testdata/deadlock.log.golden.json)" = "$before" ] || fail "unchanged golden rewritten"

# an edit of a function name in the fixture: goroutine 1's third frame
sed -i '8s/^main\.main()/main.run()/' a/testdata/deadlock.log
line=$(grep -n -m1 '"main.main"' a/testdata/deadlock.log.golden.json | cut -d: -f1)
want="a/testdata/deadlock.log.golden.json:$line: dumps[0].goroutines[0].frames[2].func is \"main.run\" now, \"main.main\" in the golden"
expect fixture_edit 1 "$want" "$PANICSCOPE" check a/testdata/deadlock.log
# the golden named alone (as a hook passes a staged golden) checks its fixture
expect golden_named 1 "$want" \
	"$PANICSCOPE" check a/testdata/deadlock.log.golden.json a/testdata/deadlock.log
# --update takes the edit in; then it holds again
expect reupdate 0 "" "$PANICSCOPE" check --update a/testdata/deadlock.log
expect holds_again 0 "" "$PANICSCOPE" check a/testdata

# an edit of the golden itself (the 3rd function name of the big dump)
n=$(grep -n '"func":' a/testdata/sigquit.log.golden.json | sed -n 3p | cut -d: -f1)
sed -i "${n}s/\"func\":\"\([^\"]*\)\"/\"func\":\"\1X\"/" a/testdata/sigquit.log.golden.json
out=$("$PANICSCOPE" check a/testdata/sigquit.log) && fail "golden edit not caught"
case $out in
"a/testdata/sigquit.log.golden.json:$n: dumps[0].goroutines["*"].func is \""*"\" now, \""*"X\" in the golden") ;;
*) fail "golden edit: unexpected message: $out" ;;
esac
# a key removed from the golden; a golden that is not JSON; an orphan golden
"$PANICSCOPE" check --update a/testdata/sigquit.log
sed -i '1s/"schema":"panicscope.report\/1",//' a/testdata/sigquit.log.golden.json
expect key_missing 1 "a/testdata/sigquit.log.golden.json:1: schema is new: not in the golden" \
	"$PANICSCOPE" check a/testdata/sigquit.log
printf '{"schema": \n' >a/testdata/sigquit.log.golden.json
expect not_json 1 "a/testdata/sigquit.log.golden.json:2: golden is not valid JSON: unexpected end" \
	"$PANICSCOPE" check a/testdata/sigquit.log
printf '{}\n' >a/testdata/gone.log.golden.json
expect orphan 1 "a/testdata/gone.log.golden.json:1: golden without its fixture (no such file beside it)" \
	"$PANICSCOPE" check a/testdata/gone.log.golden.json
done_tests
