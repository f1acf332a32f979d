#!/usr/bin/env bash
# tests/fuzz/run.sh FUZZER [SECONDS] - a bounded libFuzzer run.
#
# FUZZER is the fuzz_parse or fuzz_elf binary of a -DPS_FUZZ=ON build.
# fuzz_parse seeds: the dumps in corpus/ (*.log, *.txt),
# tests/peer-fixtures/ and tests/fuzz/regressions/, each cut to the
# fuzzer's maximum input length.  fuzz_elf seeds: the Go binaries of
# tests/fuzz/elf_seeds.sh and every regression patch applied to them; a
# crash is printed as a patch to keep in tests/fuzz/elf-regressions/.
# What the fuzzer learns is kept next to FUZZER (fuzz-work/) so later
# runs start from it.  Exit status 0 when the time ran out with no
# crash, leak, timeout or out-of-memory; otherwise 1, with the input that
# did it and the command that replays it.
set -euo pipefail

fuzzer=${1:?usage: tests/fuzz/run.sh FUZZER [SECONDS]}
seconds=${2:-60}
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fuzzer=$(cd "$(dirname "$fuzzer")" && pwd)/$(basename "$fuzzer")
[ -x "$fuzzer" ] || { echo "run.sh: no fuzzer at $fuzzer" >&2; exit 1; }

max_len=65536
kind=$(basename "$fuzzer")
work=$(dirname "$fuzzer")/fuzz-work
[ "$kind" = fuzz_elf ] && work=$(dirname "$fuzzer")/fuzz-elf-work
rm -rf "$work/seeds" "$work/artifacts"
mkdir -p "$work/seeds" "$work/learned" "$work/artifacts"

# One seed per file, named by its path so nothing collides.
nseeds=0
extra=(-dict="$src/tests/fuzz/go.dict")
timeout=10
if [ "$kind" = fuzz_elf ]; then
	"$src/tests/fuzz/elf_seeds.sh" build "$work/bins"
	rm -rf "$work/bins/patched"
	"$src/tests/fuzz/elf_seeds.sh" apply "$work/bins" "$src"/tests/fuzz/elf-regressions/*.patch
	cp "$work/bins"/gt-* "$work/bins"/patched/* "$work/seeds/"
	nseeds=$(ls "$work/seeds" | wc -l)
	max_len=$(stat -c %s "$work/seeds"/* | sort -n | tail -n 1)
	# the inputs are whole binaries: one run opens and indexes one
	extra=(-len_control=0 -reduce_inputs=0)
	timeout=30      # an input is a whole binary: open, index, decode
fi
# One process for the ~1,500 text seeds: a head and a tr per file cost
# 6 s of one core before fuzzing began.
[ "$kind" = fuzz_elf ] || nseeds=$(python3 - "$src" "$work/seeds" "$max_len" <<'PY'
import os, sys
src, out, max_len = sys.argv[1], sys.argv[2], int(sys.argv[3])
def files(top, exts):
    for root, _, names in os.walk(os.path.join(src, top), followlinks=True):
        for n in names:
            if exts is None or n.endswith(exts):
                yield os.path.join(root, n)
n = 0
for f in [*files("corpus", (".log", ".txt")), *files("tests/peer-fixtures", (".txt",)),
          *files("tests/fuzz/regressions", None)]:
    name = os.path.relpath(f, src).replace("/", "_")
    with open(f, "rb") as i, open(os.path.join(out, name), "wb") as o:
        o.write(i.read(max_len))
    n += 1
print(n)
PY
)

log=$work/fuzz.log
set +e
"$fuzzer" -max_total_time="$seconds" -max_len=$max_len -timeout=$timeout \
	-rss_limit_mb=2048 -print_final_stats=1 "${extra[@]}" \
	-artifact_prefix="$work/artifacts/" \
	"$work/learned" "$work/seeds" >"$log" 2>&1 </dev/null
rc=$?
set -e

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
if [ $rc -ne 0 ]; then
	echo "run.sh: the fuzzer failed (exit $rc); last lines of $log:" >&2
	grep -v '^#[0-9]' "$log" | tail -n 60 | sed 's/^/  | /' >&2
	for a in "$work"/artifacts/*; do
		[ -e "$a" ] || continue
		echo "run.sh: input: $a" >&2
		if [ "$kind" = fuzz_elf ]; then
			echo "run.sh: replay: $fuzzer $a   (or fuzz_elf_replay $a in any build)" >&2
			echo "run.sh: once fixed, keep it as tests/fuzz/elf-regressions/NAME.patch:" >&2
			"$src/tests/fuzz/elf_seeds.sh" diff "$work/bins" "$a" | sed 's/^/  | /' >&2 || true
			continue
		fi
		echo "run.sh: replay: $fuzzer $a   (or fuzz_replay $a in any build)" >&2
		echo "run.sh: once fixed, copy it into tests/fuzz/regressions/" >&2
	done
	exit 1
fi
echo "fuzz: ${seconds}s, $nseeds seeds, ${runs:-?} inputs run, coverage ${cov:-?} edges, no crash"
