#!/usr/bin/env bash
# tests/fuzz/elf_seeds.sh - real Go binaries for the ELF fuzzer, and the
# patch files its regressions are kept as.
#
#   elf_seeds.sh build OUTDIR          build the seeds into OUTDIR
#   elf_seeds.sh apply OUTDIR PATCH... write each patched seed to OUTDIR/patched/
#   elf_seeds.sh diff SEEDDIR FILE     print FILE as a patch of its closest seed
#
# Seeds: corpus/groundtruth/prog built with the installed go and -trimpath
# (so the bytes are the same on every machine with that toolchain) for
# amd64 and 386 (little-endian, 8- and 4-byte words), arm64, mips and
# s390x (big-endian, 4 and 8), with compressed and uncompressed DWARF.
# A patch file: "seed: NAME", "go: VERSION", then "OFFSET HEXBYTES" lines
# (decimal file offset, the bytes that replace the seed's there).  Binaries
# are ~3 MB; a patch is a few lines, so regressions stay small in git.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seeds="amd64:z amd64:u 386:u arm64:z mips:u s390x:z"

die() { echo "elf_seeds.sh: $*" >&2; exit 1; }

# Built as tests/abi/groundtruth.py builds it (GOPATH package "gt",
# -trimpath, GOROOT_FINAL), so the stored dumps in corpus/groundtruth/
# match these binaries and the bytes do not depend on the checkout path.
build() {
	local out=$1 arch kind flags gopath
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	gopath=$out/gopath
	go version >/dev/null 2>&1 || die "no go on PATH"
	rm -rf "$gopath/src/gt"
	mkdir -p "$gopath/src"
	cp -r "$src/corpus/groundtruth/prog" "$gopath/src/gt"
	for s in $seeds; do
		arch=${s%:*} kind=${s#*:}
		flags=
		[ "$kind" = u ] && flags=-ldflags=-compressdwarf=false
		(cd "$gopath/src/gt" &&
			env -u GOFLAGS -u GOROOT GOENV=off GOTOOLCHAIN=local CGO_ENABLED=0 \
				GO111MODULE=off GOPATH="$gopath" GOROOT_FINAL=/goroot \
				GOMIPS=softfloat GOOS=linux GOARCH="$arch" \
				go build -o "$out/gt-$arch-$kind" -trimpath $flags) ||
			die "cannot build the $arch seed"
	done
	go env GOVERSION >"$out/GOVERSION"
}

apply() {
	local out=$1 p seed want have
	shift
	mkdir -p "$out/patched"
	have=$(cat "$out/GOVERSION")
	for p in "$@"; do
		seed=$(sed -n 's/^seed: //p' "$p")
		want=$(sed -n 's/^go: //p' "$p")
		[ -n "$seed" ] && [ -f "$out/$seed" ] || die "$p: no seed '$seed'"
		[ "$want" = "$have" ] || die "$p: made against $want seeds, these are $have"
		cp "$out/$seed" "$out/patched/$(basename "$p" .patch)"
		grep -E '^[0-9]+ [0-9a-f]+$' "$p" | while read -r off hex; do
			printf '%b' "$(printf '%s' "$hex" | sed 's/../\\x&/g')" |
				dd of="$out/patched/$(basename "$p" .patch)" bs=1 seek="$off" \
				   conv=notrunc status=none
		done
	done
}

diff_seed() {
	local dir=$1 file=$2 best= bestn= n size
	size=$(stat -c %s "$file")
	for s in "$dir"/gt-*; do
		[ "$(stat -c %s "$s")" = "$size" ] || continue
		n=$( (cmp -l "$s" "$file" || true) | wc -l)
		if [ -z "$bestn" ] || [ "$n" -lt "$bestn" ]; then best=$s bestn=$n; fi
	done
	[ -n "$best" ] || die "$file has the length of no seed"
	echo "seed: $(basename "$best")"
	echo "go: $(cat "$dir/GOVERSION")"
	# cmp -l: 1-based offset, old and new byte in octal
	(cmp -l "$best" "$file" || true) | awk 'function oct(s,  v, i) {
		v = 0; for (i = 1; i <= length(s); i++) v = v * 8 + substr(s, i, 1); return v }
		{ printf "%d %02x\n", $1 - 1, oct($3) }'
}

case ${1:-} in
build) build "${2:?OUTDIR}" ;;
apply) shift; apply "$@" ;;
diff) diff_seed "${2:?SEEDDIR}" "${3:?FILE}" ;;
*) die "usage: elf_seeds.sh build OUTDIR | apply OUTDIR PATCH... | diff SEEDDIR FILE" ;;
esac
