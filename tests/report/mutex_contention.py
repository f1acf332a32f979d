#!/usr/bin/env python3
"""Issue 9's 100k-goroutine case, made at test time from a real program
(corpus/programs/mutex_contention: main holds a mutex, 20,000 goroutines
wait for it from 7 recursion depths, one goroutine is parked on a channel
in the same handler, 80,000 others are parked elsewhere; then main
panics).  Checks on the text and JSON reports:

  - the mutex-contention finding is stated once, with the sum and the
    group count, at the Lock call's site;
  - no goroutine is named as the holder (the dump cannot show one): the
    finding says the holder is not visible;
  - the crashed goroutine is within the first 40 lines, the whole text
    under 200 lines;
and the false case: without waiters, no mutex finding at all.

The program and its two dumps live in build-corpus/mutex-contention/;
with --replay (the sanitizer builds) the dumps of the last run are read
again when the program built now is the one that made them
(tests/replay.py), else it runs.

usage: mutex_contention.py PANICSCOPE REPO_ROOT [--replay]
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import replay  # noqa: E402  (tests/replay.py)

# The cases: the program's flags, by name (the name of the dump file).
CASES = {"waiters": [], "no_waiters": ["-waiters", "0", "-others", "2000"]}


def run(args, **kw):
    out = subprocess.run(args, capture_output=True, **kw)
    if out.returncode not in (0, 2):
        raise AssertionError(f"{' '.join(args)}: exit {out.returncode}: "
                             f"{out.stderr.decode(errors='replace')[:300]}")
    return out


def dump(binary, case):
    flags = CASES[case]
    p = subprocess.run([binary, *flags], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 2:
        raise AssertionError(f"{binary} {flags}: exit {p.returncode}, want a panic (2)")
    return p.stdout


def check_true(ps, path):
    text = run([ps, "--color", "never", path]).stdout.decode()
    lines = text.splitlines()
    mutex = [l for l in lines if "mutex contention" in l]
    assert len(mutex) == 1, f"mutex finding stated {len(mutex)} times:\n" + "\n".join(mutex)
    want = ("! mutex contention: 20000 goroutines wait in sync.Mutex.Lock at "
            "main.(*Server).handle (main.go:33) (7 groups); "
            "the holder is not visible in the dump")
    assert mutex[0] == want, f"finding:\n{mutex[0]}\nwant:\n{want}"
    assert not re.search(r"inside it|holds|holder is goroutine", text), "a holder is claimed"
    crashed = [i for i, l in enumerate(lines) if "(crashed)" in l]
    assert crashed and crashed[0] < 40, f"crashed goroutine at line {crashed[:1]}"
    assert len(lines) < 200, f"text report has {len(lines)} lines"

    doc = json.loads(run([ps, "-f", "json", path]).stdout)
    d = doc["dumps"][0]
    assert len(d["goroutines"]) == 100002, len(d["goroutines"])
    fs = [f for f in d["findings"] if f["kind"] == "mutex contention"]
    assert len(fs) == 1, fs
    f = fs[0]
    assert f["count"] == 20000 and f["n_groups"] == 7, f
    assert f["other"] is None, f["other"]
    assert f["site"]["func"] == "main.(*Server).handle" and f["site"]["line"] == 33, f["site"]
    print(f"ok: 1 mutex finding, no holder, crashed at line {crashed[0] + 1}, "
          f"{len(lines)} lines")


def check_false(ps, path):
    text = run([ps, "--color", "never", path]).stdout.decode()
    assert "mutex contention" not in text, "mutex finding without waiters"
    doc = json.loads(run([ps, "-f", "json", path]).stdout)
    kinds = [f["kind"] for f in doc["dumps"][0]["findings"]]
    assert "mutex contention" not in kinds, kinds
    print("ok: no mutex finding without waiters")


def main():
    ps, root = sys.argv[1], os.path.abspath(sys.argv[2])
    want_replay = sys.argv[3:] == ["--replay"]
    go = shutil.which("go")
    if not go:
        sys.exit("mutex_contention: no 'go' on PATH (scripts/setup installs it)")
    src = os.path.join(root, "corpus", "programs", "mutex_contention")
    live = os.path.join(root, "build-corpus", "mutex-contention")
    os.makedirs(live, exist_ok=True)
    binary = os.path.join(live, "mutex_contention")
    env = dict(os.environ, GOENV="off", CGO_ENABLED="0", GOTOOLCHAIN="local")
    b = subprocess.run([go, "build", "-o", binary, "main.go"], cwd=src, env=env,
                       capture_output=True)
    if b.returncode:
        sys.exit("go build: " + b.stderr.decode(errors="replace"))
    _, replayed = replay.outputs(live, binary, list(CASES), lambda c: dump(binary, c),
                                 want_replay)
    if replayed:
        print(f"replay: the dumps of the last run (binary sha256 {replay.sha256(binary)[:16]})")
    check_true(ps, replay.output_path(live, "waiters"))
    check_false(ps, replay.output_path(live, "no_waiters"))


if __name__ == "__main__":
    main()
