#!/bin/sh
# Times the ABI decoder on a 100,000-goroutine dump against a ~19 MB Go
# binary (DWARF left uncompressed, as `-ldflags=-compressdwarf=false`
# builds; the compressed build is timed too).
#   tests/abi/bench/run.sh BUILD_DIR [N]
# BUILD_DIR is a configured build tree holding tests/abi_bench.
set -eu
build=$(cd "$1" && pwd)
n=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
out=$build/abi-bench
mkdir -p "$out"
ninja -C "$build" abi_bench >/dev/null
cd "$here"
env GOENV=off GOFLAGS= CGO_ENABLED=0 GOTOOLCHAIN=local \
	go build -ldflags=-compressdwarf=false -o "$out/big" .
env GOENV=off GOFLAGS= CGO_ENABLED=0 GOTOOLCHAIN=local go build -o "$out/big-z" .
GOTRACEBACK=all "$out/big" -n "$n" 2>"$out/big.log" || true
echo "binary $(wc -c <"$out/big") bytes (compressed DWARF: $(wc -c <"$out/big-z")), dump $(wc -c <"$out/big.log") bytes, $(grep -c '^goroutine ' "$out/big.log") goroutines"
for b in big big-z; do
	echo "== $b"
	"$build/tests/abi_bench" "$out/$b" "$out/big.log"
done
