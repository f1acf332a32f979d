#!/usr/bin/env python3
"""Checks the parser against another project's expected parses.

For each X.txt in the peer-fixture folder, runs psdump on it and compares
with X.golden.json (gostackparse's own result): every goroutine the peer
found must be found with the same id, state, wait minutes, locked flag,
frames (func, file, line), elision flag, created-by and ancestors.  A
goroutine only we report must be flagged truncated, and must come from a
fixture where the peer reported errors too.

usage: peer_check.py PSDUMP FIXTURE_DIR
"""
import json
import os
import subprocess
import sys


def parse_psdump(text):
    """psdump lines -> list of goroutine dicts (all dumps together)."""
    gs, cur, anc = [], None, None
    for line in text.splitlines():
        tag, _, rest = line.partition(" ")
        if tag == "g":
            fields = rest.split(" ")
            cur = {"id": int(fields[0]), "stack": [], "created": None,
                   "ancestors": [], "elided": False}
            kv = rest[len(fields[0]) + 1:]
            # state may contain spaces: split on " key=" markers
            for key in ("state", "wait", "locked", "crashed", "header",
                        "count", "nostack", "truncated", "role"):
                pass
            state_end = kv.index(" wait=")
            cur["state"] = kv[len("state="):state_end]
            for item in kv[state_end + 1:].split(" "):
                if "=" in item:
                    k, v = item.split("=", 1)
                    cur.setdefault(k, v)
            gs.append(cur)
            anc = None
        elif tag in ("f", "af", "c", "ac"):
            func, _, loc = rest.partition(" | ")
            loc = loc.split(" ")[0]
            file, _, ln = loc.rpartition(":")
            fr = {"Func": func, "File": file, "Line": int(ln or 0)}
            if tag == "f":
                cur["stack"].append(fr)
            elif tag == "af":
                anc["stack"].append(fr)
            elif tag == "c":
                cur["created"] = fr
            else:
                anc["created"] = fr
        elif tag == "a":
            anc = {"id": int(rest), "stack": [], "created": None}
            cur["ancestors"].append(anc)
        elif tag == "elided":
            (anc or cur)["elided"] = True
    return gs


def created_eq(mine, theirs):
    if theirs is None:
        return mine is None
    return mine is not None and mine == {k: theirs[k] for k in ("Func", "File", "Line")}


def stack_eq(mine, theirs):
    return mine == [{k: f[k] for k in ("Func", "File", "Line")} for f in theirs]


def check_ancestors(name, g, golden, errors):
    ancs, a = [], golden.get("Ancestor")
    while a:
        ancs.append(a)
        a = a.get("Ancestor")
    if len(ancs) != len(g["ancestors"]):
        errors.append(f"{name}: goroutine {g['id']}: {len(g['ancestors'])} ancestors, "
                      f"expected {len(ancs)}")
        return
    for mine, theirs in zip(g["ancestors"], ancs):
        if mine["id"] != theirs["ID"] or not stack_eq(mine["stack"], theirs["Stack"]) \
                or not created_eq(mine["created"], theirs["CreatedBy"]):
            errors.append(f"{name}: goroutine {g['id']}: ancestor {theirs['ID']} differs")


def check_one(name, g, t, errors):
    # the peer stores a Go time.Duration (nanoseconds)
    want_wait = t["Wait"] // 60_000_000_000 if t["Wait"] else -1
    got = (g["state"], int(g["wait"]), g["locked"] == "1", g["elided"])
    want = (t["State"], want_wait, t["LockedToThread"], t["FramesElided"])
    if got != want:
        errors.append(f"{name}: goroutine {t['ID']}: got (state, wait, locked, elided) "
                      f"{got}, expected {want}")
    if not stack_eq(g["stack"], t["Stack"]):
        errors.append(f"{name}: goroutine {t['ID']}: frames differ: got "
                      f"{g['stack'][:3]}..., expected {t['Stack'][:3]}...")
    if not created_eq(g["created"], t["CreatedBy"]):
        errors.append(f"{name}: goroutine {t['ID']}: created by {g['created']}, "
                      f"expected {t['CreatedBy']}")
    check_ancestors(name, g, t, errors)


def check_fixture(psdump, path, errors):
    name = os.path.basename(path)
    golden = json.load(open(path[:-4] + ".golden.json"))
    out = subprocess.run([psdump, path], capture_output=True, text=True, check=True)
    mine = parse_psdump(out.stdout)
    by_id = {g["id"]: g for g in mine}
    theirs = golden["Goroutines"] or []
    for t in theirs:
        g = by_id.get(t["ID"])
        if g is None:
            errors.append(f"{name}: goroutine {t['ID']} not found")
            continue
        check_one(name, g, t, errors)
    known = {t["ID"] for t in theirs}
    for g in mine:
        if g["id"] in known:
            continue
        if g["truncated"] != "1" or not golden["Errors"]:
            errors.append(f"{name}: extra goroutine {g['id']} not flagged as broken")
    return len(theirs)


def main():
    psdump, folder = sys.argv[1], sys.argv[2]
    errors, checked, files = [], 0, 0
    for entry in sorted(os.listdir(folder)):
        if entry.endswith(".txt"):
            files += 1
            checked += check_fixture(psdump, os.path.join(folder, entry), errors)
    for e in errors:
        print("FAIL:", e)
    print(f"peer fixtures: {files} files, {checked} goroutines checked, "
          f"{len(errors)} mismatches")
    if files == 0 or checked == 0:
        print("FAIL: no fixtures found in", folder)
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
