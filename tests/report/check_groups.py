#!/usr/bin/env python3
"""Report invariants over every corpus log, checked independently of the
C code:

  - `-f json` parses, and its groups partition its goroutines: every id in
    exactly one group, counts adding up;
  - the number of groups equals the number of distinct (state, stack,
    created-by) keys computed here in Python from the JSON goroutines
    (argument values never split a group);
  - text, markdown and html succeed; `--all` text names every goroutine;
  - `-m REGEX` keeps only goroutines whose frames match;
  - the SIGQUIT dumps fit in 200 lines of text.

usage: check_groups.py PANICSCOPE REPO_ROOT
"""
import glob
import json
import os
import re
import subprocess
import sys


def run(args, ok=(0,)):
    out = subprocess.run(args, capture_output=True)
    if out.returncode not in ok:
        raise AssertionError(f"{' '.join(args)}: exit {out.returncode}: "
                             f"{out.stderr.decode(errors='replace')[:300]}")
    return out


def key(g):
    frames = tuple((f["func"], f["file"], f["line"]) for f in g["frames"])
    cb = g["created_by"]
    creator = (cb["func"], cb["file"], cb["line"]) if cb else None
    # issue 4: groups are the distinct (state, stack) pairs; the crashed
    # goroutine joins its group (which is then shown first)
    return (g["state"], g.get("role", ""), frames, creator,
            g["no_stack"], "elided" in g)


def check_json(doc, path):
    problems = []
    for n, d in enumerate(doc["dumps"]):
        gs = d["goroutines"]
        seen = {}
        for gi, gr in enumerate(d["groups"]):
            for gid in gr["goroutines"]:
                seen[gid] = seen.get(gid, 0) + 1
        ids = [g["id"] for g in gs]
        # ids are unique except in pprof debug=1 (no ids) and race stacks
        if len(set(ids)) == len(ids) and sorted(seen) != sorted(ids):
            problems.append(f"dump {n}: group members != goroutine ids")
        if any(c != 1 for c in seen.values()) and len(set(ids)) == len(ids):
            problems.append(f"dump {n}: a goroutine sits in two groups")
        total = sum(g["count"] for g in gs)
        if sum(gr["count"] for gr in d["groups"]) != total:
            problems.append(f"dump {n}: group counts do not add up to {total}")
        distinct = len({key(g) for g in gs})
        if distinct != len(d["groups"]):
            problems.append(f"dump {n}: {len(d['groups'])} groups, "
                            f"{distinct} distinct (state, stack) keys")
        crashed = [i for i, gr in enumerate(d["groups"]) if gr["crashed"]]
        if crashed and crashed[0] != 0:
            problems.append(f"dump {n}: crashed group is not first")
    return [f"{path}: {p}" for p in problems]


def check_log(ps, path):
    problems = []
    out = run([ps, "-f", "json", path], ok=(0, 3))
    if out.returncode == 3:
        return problems
    doc = json.loads(out.stdout)
    problems += check_json(doc, path)
    for fmt in ("text", "markdown", "html"):
        if not run([ps, "-f", fmt, "--color", "never", path]).stdout:
            problems.append(f"{path}: empty {fmt} output")
    text = run([ps, "--all", "--color", "never", path]).stdout.decode(errors="replace")
    for d in doc["dumps"]:
        for g in d["goroutines"]:
            if g["id"] and g.get("role", "") == "" and \
                    not re.search(rf"^goroutine {g['id']} \[", text, re.M):
                problems.append(f"{path}: --all does not show goroutine {g['id']}")
                break
    if os.path.basename(path) == "sigquit.log":
        lines = run([ps, "--color", "never", path]).stdout.count(b"\n")
        if lines > 200:
            problems.append(f"{path}: text report has {lines} lines (> 200)")
    return problems


def check_filter(ps, path):
    out = json.loads(run([ps, "-f", "json", "-m", r"main\.recvLoop", path]).stdout)
    problems = []
    for d in out["dumps"]:
        if not d["goroutines"]:
            problems.append(f"{path}: -m kept nothing")
        for g in d["goroutines"]:
            if not any(f["func"] == "main.recvLoop" for f in g["frames"]):
                problems.append(f"{path}: -m kept goroutine {g['id']} without recvLoop")
                break
        if d["filtered_out"] == 0:
            problems.append(f"{path}: -m filtered nothing out")
    return problems


def main():
    ps, root = sys.argv[1], sys.argv[2]
    logs = sorted(glob.glob(os.path.join(root, "corpus", "go*", "*.log")) +
                  glob.glob(os.path.join(root, "corpus", "dirty", "*.log")))
    if not logs:
        print("check_groups: no corpus logs found", file=sys.stderr)
        return 1
    problems = []
    for path in logs:
        try:
            problems += check_log(ps, path)
        except (AssertionError, ValueError, OSError) as e:
            problems.append(f"{path}: {e}")
    for path in glob.glob(os.path.join(root, "corpus", "go1.2*", "sigquit.log"))[:3]:
        problems += check_filter(ps, path)
    for p in problems:
        print(p)
    print(f"check_groups: {len(logs)} logs, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
