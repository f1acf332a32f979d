#!/usr/bin/env python3
"""Every corpus dump against the very binary that produced it.

corpus/gen.sh keeps its binaries in build-corpus/bin/<variant>/<kind>; for
every corpus/<variant>/<kind>.log with such a binary, the binary must pass
the line-table check (no false "not the binary that crashed") and every
frame's printed arguments must fit the function's DWARF signature.
Exit 77 (visible skip) when no corpus binaries were built here.
"""
import json
import os
import subprocess
import sys


def main():
    tool, src = sys.argv[1], os.path.abspath(sys.argv[2])
    bins = os.path.join(src, "build-corpus", "bin")
    checked = frames = decoded = fails = 0
    for variant in sorted(os.listdir(os.path.join(src, "corpus"))):
        vdir = os.path.join(src, "corpus", variant)
        if not variant.startswith("go") or not os.path.isdir(vdir):
            continue
        for name in sorted(os.listdir(vdir)):
            if not name.endswith(".log"):
                continue
            kind = name[:-4]
            binary = os.path.join(bins, variant, kind)
            if not os.access(binary, os.X_OK):
                binary += ".test"
                if not os.access(binary, os.X_OK):
                    continue
            r = subprocess.run([tool, binary, os.path.join(vdir, name)],
                               capture_output=True, timeout=300)
            checked += 1
            bad = []
            for line in r.stdout.decode().splitlines():
                o = json.loads(line)
                if "mismatch" in o:
                    bad.append(o["mismatch"])
                elif "func" in o:
                    frames += 1
                    decoded += o["decoded"]
                    if o.get("note") and "do not fit" in o["note"]:
                        bad.append("%s(%s): %s" % (o["func"], o["args_raw"], o["note"]))
            if r.returncode != 0 or bad:
                fails += 1
                print("FAIL %s/%s rc=%d: %s" % (variant, kind, r.returncode, bad[:3]))
    print("%d dumps checked against their binaries, %d failed; %d frames, %d decoded"
          % (checked, fails, frames, decoded))
    if checked == 0:
        print("SKIP: no build-corpus/bin binaries (run corpus/gen.sh)")
        return 77
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
