#!/usr/bin/env bash
# tests/fuzz/elf_replay.sh REPLAY WORK - the ELF fuzzer's seeds and every
# regression it found (tests/fuzz/elf-regressions/*.patch, applied to the
# seeds) through the fuzz entry point, with whatever compiler built
# REPLAY (fuzz_elf_replay), so the sanitizer builds repeat them all.
set -euo pipefail
replay=${1:?usage: elf_replay.sh REPLAY WORK}
work=${2:?usage: elf_replay.sh REPLAY WORK}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$here/elf_seeds.sh" build "$work/seeds"
patches=("$here"/elf-regressions/*.patch)
[ -e "${patches[0]}" ] || { echo "elf_replay.sh: no regression patches" >&2; exit 1; }
rm -rf "$work/seeds/patched"
"$here/elf_seeds.sh" apply "$work/seeds" "${patches[@]}"
"$replay" "$work/seeds"/gt-* "$work/seeds/patched"
