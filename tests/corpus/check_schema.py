#!/usr/bin/env python3
"""Every corpus report validates against docs/schema/report.schema.json.

Reads the -f json report of every log that the in-process walk wrote
(WALK/corpus/**/<name>.log.json, tests/corpus/corpus_walk.c) and
validates it with fastjsonschema (Debian python3-fastjsonschema: it
compiles the schema to Python, fast enough for the 4 MB SIGQUIT reports,
where the jsonschema package takes a minute each).  First proves the
schema can fail: broken copies of a real report must be rejected.

usage: check_schema.py REPO_ROOT WALK [--shard I/N]
"""
import copy
import glob
import json
import os
import sys

import fastjsonschema


def breaks():
    """Ways to break a report that the schema must catch."""
    def first_arg(d):
        return next(f for g in d["dumps"][0]["goroutines"] for f in g["frames"]
                    if f["args"])["args"][0]
    return {
        "the schema renamed": lambda d: d.update(schema="panicscope.report/2"),
        "no dumps": lambda d: d.pop("dumps"),
        "a goroutine id as a string": lambda d: d["dumps"][0]["goroutines"][0].update(id="1"),
        "a frame without func": lambda d: d["dumps"][0]["goroutines"][0]["frames"][0].pop("func"),
        "an unknown panic kind": lambda d: d["dumps"][0]["panic"].update(kind="oops"),
        "an argument without reliable": lambda d: first_arg(d).pop("reliable"),
        "a group count of 0": lambda d: d["dumps"][0]["groups"][0].update(count=0),
    }


def valid(validate, doc):
    try:
        validate(doc)
        return None
    except fastjsonschema.JsonSchemaValueException as e:
        return e.message


def main():
    root, walk = sys.argv[1], sys.argv[2]
    shard, shards = 0, 1
    if sys.argv[3:4] == ["--shard"]:
        shard, shards = map(int, sys.argv[4].split("/"))
    with open(os.path.join(root, "docs", "schema", "report.schema.json")) as f:
        validate = fastjsonschema.compile(json.load(f))
    problems = []
    probe = os.path.join(walk, "corpus", "go1.26.8-amd64", "nil_deref.log.json")
    with open(probe) as f:
        good = json.load(f)
    if valid(validate, good):
        problems.append(f"{probe}: {valid(validate, good)}")
    for what, breaker in breaks().items():
        bad = copy.deepcopy(good)
        breaker(bad)
        if not valid(validate, bad):
            problems.append(f"the schema accepts a report with {what}")
    reports = sorted(glob.glob(os.path.join(walk, "corpus", "*", "*.log.json")))
    mine = reports[shard::shards]
    for path in mine:
        with open(path, encoding="utf-8") as f:
            msg = valid(validate, json.load(f))
        if msg:
            problems.append(f"{os.path.relpath(path, walk)[:-5]}: {msg}")
    for p in problems:
        print("FAIL:", p)
    print(f"check_schema: {len(mine)} reports (shard {shard}/{shards}), {len(problems)} problems")
    return 1 if problems or not mine else 0


if __name__ == "__main__":
    sys.exit(main())
