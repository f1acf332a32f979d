#!/usr/bin/env python3
"""Whole-corpus checks of `panicscope -f json`.

The JSON of every log comes from the in-process walk (tests/corpus/
corpus_walk.c writes WALK/<rel>.json, the command's -f json output;
tests/report/goldens.py proves the two equal on the golden set).
For every corpus/<goversion>-<arch>/<kind>.log:
  1. for the reviewed golden set (tests/corpus/golden-set.list) the JSON
     equals the golden <kind>.golden.json, and no other golden exists;
  2. independently of the golden, every trace line of the raw log is
     accounted for: goroutine headers, frames (function lines) and file
     lines counted with simple regular expressions must equal what the
     JSON holds, so no line that belongs to a trace was skipped.
For every corpus/dirty/<name>.log with a .meta naming its source log, the
dirty file must give the same goroutines, frames and created-by as the
clean source (a truncated variant: a prefix of them).

usage: check_corpus.py PANICSCOPE REPO_ROOT WALK [--update]
"""
import json
import os
import re
import subprocess
import sys

HEADER = re.compile(r"^goroutine \d+ (gp=\S+ m=\S+( mp=\S+)? )?\[.*\]( \{.*\})?:$")
FILE = re.compile(r"^\t.*:\d+( .*)?$")
RACE_FRAME = re.compile(r"^  \S.*\)$")
RACE_FILE = re.compile(r"^      \S.*:\d+( .*)?$")
PPROF_FRAME = re.compile(r"^#\t0x[0-9a-f]+\t")


def load(walk, rel):
    """The -f json report of REL, as the walk wrote it."""
    with open(os.path.join(walk, rel + ".json"), encoding="utf-8") as f:
        return json.load(f)


def golden_set(root):
    with open(os.path.join(root, "tests", "corpus", "golden-set.list")) as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


def first_diff(a, b, path="$"):
    """Path and values of the first difference between two JSON values."""
    if type(a) != type(b):
        return f"{path}: {json.dumps(a)[:120]} != {json.dumps(b)[:120]}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'golden' if k in b else 'output'}"
            d = first_diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
    elif isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items, golden has {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, f"{path}[{i}]")
            if d:
                return d
    elif a != b:
        return f"{path}: {json.dumps(a)[:120]} != golden {json.dumps(b)[:120]}"
    return None


def golden_form(doc):
    """What a golden holds: the parse as `-f json` reports it, without the
    report's own parts (groups, findings, headline and warnings, which
    tests/report checks) and
    without the per-word "args" list (derived from args_raw, which the unit
    tests check), with each dump's goroutines kept apart so that the file
    can hold one goroutine per line."""
    head = {k: v for k, v in doc.items() if k != "dumps"}
    dumps = []
    for d in doc["dumps"]:
        gs = []
        for g in d["goroutines"]:
            g = dict(g)
            g["frames"] = [{k: v for k, v in f.items() if k != "args"} for f in g["frames"]]
            if "ancestors" in g:
                g["ancestors"] = [dict(a, frames=[{k: v for k, v in f.items() if k != "args"}
                                                  for f in a["frames"]])
                                  for a in g["ancestors"]]
            gs.append(g)
        rest = {k: v for k, v in d.items()
                if k not in ("goroutines", "groups", "findings", "headline", "warnings")}
        dumps.append({"dump": rest, "goroutines": gs})
    return {"doc": head, "dumps": dumps}


def write_golden(form, path):
    enc = lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"))
    with open(path, "w") as f:
        f.write('{"doc":' + enc(form["doc"]) + ',\n"dumps":[')
        for i, d in enumerate(form["dumps"]):
            f.write(("," if i else "") + '\n{"dump":' + enc(d["dump"]) + ',\n"goroutines":[\n')
            f.write(",\n".join(enc(g) for g in d["goroutines"]))
            f.write("]}")
        f.write("\n]}\n")


def goroutines(doc):
    return [g for d in doc["dumps"] for g in d["goroutines"]]


def count_trace_lines(path):
    """(goroutine headers, file lines) found by regular expressions alone.
    Every frame and created-by line is followed by exactly one file line
    (or, in a debug=1 profile, is one "#" line)."""
    heads = files = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if HEADER.match(line):
                heads += 1
            elif FILE.match(line) or RACE_FILE.match(line) or PPROF_FRAME.match(line):
                files += 1
    return heads, files


def count_parsed(doc):
    heads = files = 0
    for d in doc["dumps"]:
        # copies of a goroutine printed twice are dropped and counted
        heads += d["repeated_goroutines"]
        files += d["repeated_file_lines"]
        for g in d["goroutines"]:
            heads += 1 if g.get("has_header") else 0
            stacks = [g["frames"]] + [a["frames"] for a in g.get("ancestors", [])]
            cbs = [g["created_by"]] + [a.get("created_by") for a in g.get("ancestors", [])]
            files += sum(1 for st in stacks for fr in st if fr["file"])
            files += sum(1 for cb in cbs if cb and cb["file"])
    return heads, files


def frames_key(doc):
    """What a dirty variant must reproduce: ids, states, frames, created-by."""
    out = []
    for g in goroutines(doc):
        cb = g["created_by"]
        out.append((g["id"], g["state"],
                    tuple((f["func"], f["file"], f["line"], f["args_raw"]) for f in g["frames"]),
                    (cb["func"], cb["file"], cb["line"]) if cb else None))
    return out


def check_log(ctx, rel, errors):
    path = os.path.join(ctx.root, rel)
    doc = load(ctx.walk, rel)
    golden = path[:-4] + ".golden.json"
    if rel not in ctx.goldens:
        if os.path.exists(golden):
            errors.append(f"{rel}: has a golden but is not in tests/corpus/golden-set.list")
    elif ctx.update:
        write_golden(golden_form(doc), golden)
    elif not os.path.exists(golden):
        errors.append(f"{rel}: no golden (run tests/update-goldens.sh and review it)")
    else:
        d = first_diff(golden_form(doc), json.load(open(golden)))
        if d:
            errors.append(f"{rel}: differs from golden: {d}")
    want, got = count_trace_lines(path), count_parsed(doc)
    if want != got:
        errors.append(f"{rel}: log has {want[0]} goroutine headers and {want[1]} file "
                      f"lines, parsed {got[0]} and {got[1]}")
    return doc


def read_meta(path):
    meta = {}
    for line in open(path):
        k, sep, v = line.partition(":")
        if sep:
            meta[k.strip()] = v.strip()
    return meta


def check_dirty(ctx, rel, errors):
    """A dirty variant (corpus/dirty/X.meta: source(s), expect) must give
    what its clean source(s) give: the same goroutines and frames
    (same-as-source, dumps-in-order), a prefix of them (truncated), or no
    dump and exit status 3 (no-dump)."""
    meta = read_meta(os.path.join(ctx.root, rel[:-4] + ".meta"))
    expect = meta.get("expect", "")
    sources = (meta.get("sources") or meta.get("source") or "").split()
    if expect == "no-dump":
        # the exit status and message are the command's: run it
        out = subprocess.run([ctx.panicscope, "-f", "json", rel], capture_output=True)
        doc = json.loads(out.stdout)
        if out.returncode != 3 or doc["dumps"] or not out.stderr.strip():
            errors.append(f"{rel}: expected no dump, exit 3 and a message; got exit "
                          f"{out.returncode}, {len(doc['dumps'])} dumps")
        return
    if not sources or sources == ["none"]:
        errors.append(f"{rel}: .meta names no source")
        return
    want = []
    for s in sources:
        want += frames_key(load(ctx.walk, os.path.join("corpus", s)))
    doc = load(ctx.walk, rel)
    got = frames_key(doc)
    if expect == "truncated":
        # the goroutine that was cut may lose frames; all before it match
        ok = 0 < len(got) <= len(want) and got[:-1] == want[:len(got) - 1] and \
            got[-1][:2] == want[len(got) - 1][:2] and doc["dumps"][-1]["truncated"]
    elif expect in ("same-as-source", "dumps-in-order"):
        ok = got == want and len(doc["dumps"]) >= len(sources)
    else:
        errors.append(f"{rel}: unknown expectation '{expect}'")
        return
    if not ok:
        diff = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b),
                    min(len(got), len(want)))
        errors.append(f"{rel}: {len(got)} goroutines vs {len(want)} in {sources} "
                      f"({expect}); first difference at goroutine #{diff}: "
                      f"{str(got[diff])[:200] if diff < len(got) else '-'} vs "
                      f"{str(want[diff])[:200] if diff < len(want) else '-'}")


class Ctx:
    def __init__(self, argv):
        self.panicscope = os.path.abspath(argv[1])
        self.root = os.path.abspath(argv[2])
        self.walk = os.path.abspath(argv[3])
        self.update = "--update" in argv[4:]
        self.goldens = golden_set(self.root)


def main():
    ctx = Ctx(sys.argv)
    os.chdir(ctx.root)
    errors, logs, dirty = [], 0, 0
    errors += [f"{g}: in tests/corpus/golden-set.list but not in the corpus"
               for g in sorted(ctx.goldens) if not os.path.exists(g)]
    for d in sorted(os.listdir("corpus")):
        if not re.match(r"^go\d", d):
            continue
        for f in sorted(os.listdir(os.path.join("corpus", d))):
            if f.endswith(".log"):
                logs += 1
                check_log(ctx, os.path.join("corpus", d, f), errors)
    if os.path.isdir("corpus/dirty"):
        for f in sorted(os.listdir("corpus/dirty")):
            if f.endswith(".log") and os.path.exists(os.path.join("corpus/dirty", f[:-4] + ".meta")):
                dirty += 1
                check_dirty(ctx, os.path.join("corpus/dirty", f), errors)
    for e in errors:
        print("FAIL:", e)
    print(f"corpus: {logs} logs ({sum(1 for g in ctx.goldens if g.startswith('corpus/go'))} "
          f"against goldens), {dirty} dirty variants, {len(errors)} failures")
    return 1 if errors or logs == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
