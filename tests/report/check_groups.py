#!/usr/bin/env python3
"""Report invariants over every corpus log, checked independently of the
C code, on the reports the in-process walk wrote (WALK/<rel>.json, .txt,
.all.txt, .md, .html: tests/corpus/corpus_walk.c, the command's output
with the same options, as tests/report/goldens.py proves on the golden
set):

  - `-f json` parses, and its groups partition its goroutines: every id in
    exactly one group, counts adding up;
  - the number of groups equals the number of distinct (state, stack,
    created-by) keys computed here in Python from the JSON goroutines
    (argument values never split a group);
  - text, markdown and html succeed; `--all` text names every goroutine;
  - `-m REGEX` keeps only goroutines whose frames match;
  - the SIGQUIT dumps fit in 200 lines of text.

usage: check_groups.py PANICSCOPE REPO_ROOT WALK
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
                if gid is not None:   # a runtime stack has no id
                    seen[gid] = seen.get(gid, 0) + 1
        ids = [g["id"] for g in gs if g["id"] is not None]
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


def walked(walk, rel, ext):
    with open(os.path.join(walk, rel + ext), "rb") as f:
        return f.read()


def check_log(walk, path):
    problems = []
    doc = json.loads(walked(walk, path, ".json"))
    if not doc["dumps"]:   # the command exits 3: no report to check
        return problems
    problems += check_json(doc, path)
    for ext in (".txt", ".md", ".html"):
        if not walked(walk, path, ext):
            problems.append(f"{path}: empty {ext} output")
    text = walked(walk, path, ".all.txt").decode(errors="replace")
    # one scan of the text, not one per goroutine (O(n^2) on SIGQUIT dumps)
    shown = {int(i) for i in re.findall(r"^goroutine (\d+) \[", text, re.M)}
    for d in doc["dumps"]:
        for g in d["goroutines"]:
            if g["id"] and g.get("role", "") == "" and g["id"] not in shown:
                problems.append(f"{path}: --all does not show goroutine {g['id']}")
                break
    if os.path.basename(path) == "sigquit.log":
        lines = walked(walk, path, ".txt").count(b"\n")
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
    ps, root, walk = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.chdir(root)
    logs = sorted(glob.glob(os.path.join("corpus", "go*", "*.log")) +
                  glob.glob(os.path.join("corpus", "dirty", "*.log")))
    if not logs:
        print("check_groups: no corpus logs found", file=sys.stderr)
        return 1
    problems = []
    for path in logs:
        try:
            problems += check_log(walk, path)
        except (AssertionError, ValueError, OSError) as e:
            problems.append(f"{path}: {e}")
    # -m goes through the command: its option parsing is part of the check
    for path in sorted(glob.glob(os.path.join("corpus", "go1.2*", "sigquit.log")))[:3]:
        problems += check_filter(ps, path)
    for p in problems:
        print(p)
    print(f"check_groups: {len(logs)} logs, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
