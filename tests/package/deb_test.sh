#!/usr/bin/env bash
# deb_test.sh BUILD WORK SRC - builds the .deb with CPack, installs it with
# apt-get (as root: the tests run as root here and in CI), runs the
# installed /usr/bin/panicscope on a corpus log, checks the man page and
# the completion are where man and bash-completion look, then removes the
# package so the machine is left as it was.  Refuses to run over a
# panicscope package that was installed before it.
set -euo pipefail
build=$1 work=$2 src=$3
[ "$(id -u)" = 0 ] || { echo "deb_test: needs root (apt-get install)"; exit 1; }
if dpkg-query -W -f='${Status}' panicscope 2>/dev/null | grep -q 'ok installed'; then
	echo "deb_test: a panicscope package is already installed; not touching it"
	exit 1
fi
rm -rf "$work" && mkdir -p "$work"
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB >cpack.log 2>&1) ||
	{ tail -20 "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/panicscope_*.deb)
dpkg-deb --field "$deb" Package Version Depends
export DEBIAN_FRONTEND=noninteractive
remove() { apt-get -q -y -o DPkg::Lock::Timeout=300 remove panicscope >/dev/null 2>&1 || true; }
trap remove EXIT
apt-get -q -y -o DPkg::Lock::Timeout=300 install "$deb" >"$work/apt.log" 2>&1 ||
	{ tail -20 "$work/apt.log"; exit 1; }
fail=0
[ "$(command -v panicscope)" = /usr/bin/panicscope ] || { echo "no /usr/bin/panicscope"; fail=1; }
/usr/bin/panicscope --color never "$src/corpus/go1.26.8-amd64/deadlock.log" | grep -q 'deadlock' ||
	{ echo "installed panicscope did not report the deadlock log"; fail=1; }
/usr/bin/panicscope -f json "$src/corpus/go1.26.8-amd64/nil_deref.log" | grep -q '"panicscope.report/1"' ||
	{ echo "installed panicscope -f json gave no report"; fail=1; }
[ -s /usr/share/man/man1/panicscope.1 ] || { echo "man page missing"; fail=1; }
man -w panicscope >/dev/null 2>&1 || { echo "man -w panicscope finds no page"; fail=1; }
[ -s /usr/share/bash-completion/completions/panicscope ] || { echo "completion missing"; fail=1; }
trap - EXIT
remove
if dpkg-query -W -f='${Status}' panicscope 2>/dev/null | grep -q 'ok installed' || [ -e /usr/bin/panicscope ]; then
	echo "deb_test: the package did not go away"; fail=1
fi
[ $fail = 0 ] && echo "deb: $(basename "$deb") installed, ran, removed"
exit $fail
