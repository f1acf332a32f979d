#!/usr/bin/env python3
"""Golden text and Markdown reports for the reviewed golden set, and the
walk's reports equal to the command's.

For each log of tests/corpus/golden-set.list (corpus/<goversion>-<arch>/
<kind>.log and corpus/dirty/<name>.log) the goldens are
tests/report/golden/<goversion>-<arch>/<kind>.txt (text, no colour) and
.md (markdown).  A golden holds the command's stdout, plus a last line
"--- exit N" when the exit status is not 0.  The JSON report of every log
is checked by the corpus goldens (tests/corpus/check_corpus.py).

The corpus-wide checks read the reports tests/corpus/corpus_walk.c wrote
in-process (WALK/<rel>.json ...); on every golden-set log each of them
must equal, byte for byte, what the command prints with the same options,
so those checks speak for the command.  A golden outside the set is an
error (delete it or add its log to the set).

usage: goldens.py PANICSCOPE REPO_ROOT WALK [--update]
"""
import difflib
import glob
import os
import subprocess
import sys

FORMATS = (("txt", ["--color", "never"]), ("md", ["-f", "markdown"]))
# what corpus_walk writes, and the command's options for the same report
WALKED = ((".json", ["-f", "json"]), (".txt", ["--color", "never"]),
          (".all.txt", ["--all", "--color", "never"]), (".md", ["-f", "markdown"]),
          (".html", ["-f", "html"]))


def run(ps, root, rel, args, cache):
    """The command's (stdout, exit status) on REL with ARGS, run once per
    log and options: the goldens' text and Markdown runs are two of the
    walk's five."""
    key = (rel, tuple(args))
    if key not in cache:
        out = subprocess.run([ps, *args, rel], cwd=root, capture_output=True)
        cache[key] = (out.stdout, out.returncode)
    return cache[key]


def render(ps, root, rel, args, cache):
    stdout, rc = run(ps, root, rel, args, cache)
    text = stdout.decode("utf-8", errors="replace")
    if rc != 0:
        text += f"--- exit {rc}\n"
    return text


def golden_set(root):
    with open(os.path.join(root, "tests", "corpus", "golden-set.list")) as f:
        return sorted(l.strip() for l in f if l.strip() and not l.startswith("#"))


def walk_agrees(ps, root, walk, rel, cache):
    """Names of the walk's reports of REL that differ from the command's."""
    bad = []
    for ext, args in WALKED:
        stdout, _ = run(ps, root, rel, args, cache)
        with open(os.path.join(walk, rel + ext), "rb") as f:
            if f.read() != stdout:
                bad.append(ext)
    return bad


def main():
    ps, root, walk = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    update = "--update" in sys.argv[4:]
    logs = [os.path.join(root, rel) for rel in golden_set(root)]
    if not logs:
        print("goldens: empty golden set", file=sys.stderr)
        return 1
    gold_root = os.path.join(root, "tests", "report", "golden")
    bad = written = 0
    keep = set()
    for log in logs:
        rel = os.path.relpath(log, root)
        cache = {}
        variant, kind = rel.split(os.sep)[-2], os.path.basename(log)[:-4]
        for ext, args in FORMATS:
            got = render(ps, root, rel, args, cache)
            path = os.path.join(gold_root, variant, f"{kind}.{ext}")
            keep.add(path)
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
        if not update and os.path.exists(os.path.join(walk, rel + ".json")):
            differ = walk_agrees(ps, root, walk, rel, cache)
            if differ:
                bad += 1
                print(f"{rel}: the in-process walk's {', '.join(differ)} differ from "
                      "the command's output")
        elif not update:
            bad += 1
            print(f"{rel}: not walked (run the corpus_walk tests first)")
    for path in glob.glob(os.path.join(gold_root, "*", "*")):
        if path not in keep:
            if update:
                os.remove(path)
            else:
                bad += 1
                print(f"{os.path.relpath(path, root)}: a golden outside "
                      "tests/corpus/golden-set.list")
    if update:
        print(f"goldens: wrote {written} files under {os.path.relpath(gold_root, root)}")
        return 0
    print(f"goldens: {len(logs)} logs, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
