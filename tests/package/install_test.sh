#!/usr/bin/env bash
# install_test.sh BUILD PREFIX SRC - `cmake --install BUILD --prefix PREFIX`
# gives the command, man page, completion and docs; the installed command
# reports its version and analyzes a corpus log.
set -euo pipefail
build=$1 prefix=$2 src=$3
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
fail=0
for f in bin/panicscope share/man/man1/panicscope.1 \
	share/bash-completion/completions/panicscope \
	share/doc/panicscope/schema/report.schema.json share/doc/panicscope/schema/report.md; do
	[ -s "$prefix/$f" ] || { echo "not installed: $prefix/$f"; fail=1; }
done
[ ! -e "$prefix/share/doc/panicscope/man" ] || { echo "man source installed as a doc"; fail=1; }
"$prefix/bin/panicscope" --version | grep -q '^panicscope [0-9]' ||
	{ echo "installed panicscope --version: $("$prefix/bin/panicscope" --version)"; fail=1; }
"$prefix/bin/panicscope" --color never "$src/corpus/go1.26.8-amd64/nil_deref.log" |
	grep -q 'nil pointer dereference' ||
	{ echo "installed panicscope did not report the corpus nil_deref log"; fail=1; }
[ $fail = 0 ] && echo "install: $(cd "$prefix" && find . -type f | wc -l) files under $prefix, command runs"
exit $fail
