#!/usr/bin/env python3
"""Golden text and Markdown reports for every corpus log.

For corpus/<goversion>-<arch>/<kind>.log (and corpus/dirty/<name>.log,
the same dumps wrapped in real-world log noise) the goldens are
tests/report/golden/<goversion>-<arch>/<kind>.txt (text, no colour) and
.md (markdown).  A golden holds the command's stdout, plus a last line
"--- exit N" when the exit status is not 0.  The JSON report of every log
is checked by the corpus goldens (tests/corpus/check_corpus.py).

usage: goldens.py PANICSCOPE REPO_ROOT [--update]
"""
import difflib
import glob
import os
import subprocess
import sys

FORMATS = (("txt", ["--color", "never"]), ("md", ["-f", "markdown"]))


def render(ps, root, rel, args):
    out = subprocess.run([ps, *args, rel], cwd=root, capture_output=True)
    text = out.stdout.decode("utf-8", errors="replace")
    if out.returncode != 0:
        text += f"--- exit {out.returncode}\n"
    return text


def main():
    ps, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = "--update" in sys.argv[3:]
    logs = sorted(glob.glob(os.path.join(root, "corpus", "go*", "*.log")) +
                  glob.glob(os.path.join(root, "corpus", "dirty", "*.log")))
    if not logs:
        print("goldens: no corpus logs", file=sys.stderr)
        return 1
    gold_root = os.path.join(root, "tests", "report", "golden")
    bad = written = 0
    for log in logs:
        rel = os.path.relpath(log, root)
        variant, kind = rel.split(os.sep)[-2], os.path.basename(log)[:-4]
        for ext, args in FORMATS:
            got = render(ps, root, rel, args)
            path = os.path.join(gold_root, variant, f"{kind}.{ext}")
            if update:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(got)
                written += 1
                continue
            if not os.path.exists(path):
                print(f"{rel}: no golden {os.path.relpath(path, root)} "
                      "(run tests/report/update-goldens.sh)")
                bad += 1
                continue
            want = open(path, encoding="utf-8").read()
            if got != want:
                bad += 1
                diff = difflib.unified_diff(want.splitlines(), got.splitlines(),
                                            "golden", "output", lineterm="", n=1)
                print(f"{rel} ({ext}) differs from its golden:")
                print("\n".join(list(diff)[:20]))
    if update:
        print(f"goldens: wrote {written} files under {os.path.relpath(gold_root, root)}")
        return 0
    print(f"goldens: {len(logs)} logs, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
