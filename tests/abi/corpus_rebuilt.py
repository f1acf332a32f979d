#!/usr/bin/env python3
"""Every corpus dump whose binary can be rebuilt here, decoded with it.

corpus/<variant>/<kind>.meta records the toolchain and the build command
of the program that printed <kind>.log.  Go builds are reproducible, so
with the same toolchain (the installed go, Debian's go-1.19, or one
unpacked under build-corpus/toolchains or the ground-truth work tree) the
rebuilt binary is the one that crashed, apart from its source paths
(which the line-table check compares by base name).  For each such dump:

    panicscope --binary REBUILT -f json LOG      and the text format

must exit 0, say nothing on stderr (no "not the binary that crashed", no
undecodable frame) and decode at least one frame over the whole run.  In
the sanitizer build this is the --binary pass over the shipped corpus.
Dumps whose toolchain is not here are listed, one line per variant.
With VERSIONS (a comma-separated list of Go releases), only the dumps of
those releases are rebuilt, and a listed release whose toolchain is not
here is a failure, not a skip: the suite names the releases scripts/setup
installs, so what it covers does not depend on what else the machine has.
Usage: corpus_rebuilt.py PANICSCOPE SRC WORK [VERSIONS]
"""
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import replay  # noqa: E402  (tests/replay.py)


def meta(path):
    m = {}
    for line in open(path, encoding="utf-8"):
        k, _, v = line.partition(": ")
        m[k.strip()] = v.rstrip("\n")
    return m


def toolchain(src, work, m):
    """A go binary of m's version available here, or None."""
    ver = m.get("go_version", "")
    cands = [m.get("toolchain", "")]
    cands += [os.path.join(src, "build-corpus", "toolchains", ver, "bin", "go"),
              os.path.join(work, "..", "abi-gt", "toolchains", ver, "bin", "go")]
    for c in cands:
        if not c:
            continue
        c = c if os.path.isabs(c) else os.path.join(src, c)
        if not os.access(c, os.X_OK):
            continue
        out = subprocess.run([c, "env", "GOVERSION"], capture_output=True, text=True,
                             env=dict(os.environ, GOTOOLCHAIN="local", GOENV="off"))
        if out.returncode == 0 and out.stdout.strip() == ver:
            return c
    return None


def dumps(src, only):
    """(variant, meta) of every corpus dump made from a binary, of the
    releases in ONLY (None: all)."""
    for variant in sorted(os.listdir(os.path.join(src, "corpus"))):
        vdir = os.path.join(src, "corpus", variant)
        if not variant.startswith("go") or not os.path.isdir(vdir):
            continue
        for name in sorted(os.listdir(vdir)):
            if not name.endswith(".meta"):
                continue
            m = meta(os.path.join(vdir, name))
            log = os.path.join(vdir, m["kind"] + ".log")
            if m.get("mode") != "bin" or not os.path.exists(log):
                continue
            if only is not None and m.get("go_version") not in only:
                continue
            yield variant, m


class Result:
    """What one dump gave: lines to print, failures, decoded frames, or
    the reason it was not rebuilt (MISSING)."""
    def __init__(self):
        self.lines, self.fails, self.frames, self.done, self.missing = [], 0, 0, 0, None

    def fail(self, line):
        self.lines.append(line)
        self.fails += 1


def check_dump(ps, src, work, variant, m, go):
    """Rebuilds the binary of one dump with GO and decodes the dump with
    it in JSON and text."""
    res = Result()
    log = os.path.join(src, "corpus", variant, m["kind"] + ".log")
    words = shlex.split(m["build"])
    env = dict(os.environ)
    while words and re.match(r"^[A-Z0-9_]+=", words[0]):
        k, _, v = words.pop(0).partition("=")
        env[k] = v
    cc = env.get("CC")
    if env.get("CGO_ENABLED") == "1" and cc and shutil.which(cc) is None:
        res.missing = "%s (cgo, %s not installed)" % (variant, cc)
        return res
    words[0] = go
    out_bin = os.path.join(work, variant, m["kind"])
    os.makedirs(os.path.dirname(out_bin), exist_ok=True)
    words[words.index("-o") + 1] = out_bin
    wdir = os.path.join(src, m["workdir"])
    stamp = replay.build_stamp(words[1:], env, wdir, go)
    if not replay.built_as(out_bin, stamp):
        b = subprocess.run(words, cwd=wdir, env=env, capture_output=True, text=True)
        if b.returncode != 0:
            res.fail("FAIL %s/%s: rebuild failed: %s" % (variant, m["kind"],
                     b.stderr.strip()[-300:]))
            return res
        replay.record_build(out_bin, stamp)
    for fmt in ("json", "text"):
        r = subprocess.run([ps, "--binary", out_bin, "-f", fmt, log],
                           capture_output=True, text=True, errors="replace")
        if r.returncode != 0 or r.stderr:
            res.fail("FAIL %s/%s (%s): exit %d: %s" % (variant, m["kind"], fmt,
                     r.returncode, r.stderr.strip()[:600]))
            continue
        if fmt == "json":
            for d in json.loads(r.stdout)["dumps"]:
                for g in d["goroutines"]:
                    res.frames += sum(1 for f in g["frames"]
                                      if any("value" in a for a in f.get("args") or []))
    res.done = 1
    return res


def main():
    ps, src, work = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    only = set(sys.argv[4].split(",")) if len(sys.argv) > 4 and sys.argv[4] else None
    os.makedirs(work, exist_ok=True)
    done = frames = fails = 0
    missing = {}
    gos = {}  # go_version -> toolchain(): one `go env` per release, not per dump
    # Each dump is a go build and two decodes, separate processes: run
    # them on every core (the results are printed in the corpus order).
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        jobs = []
        for variant, m in dumps(src, only):
            ver = m.get("go_version", "")
            if ver not in gos:
                gos[ver] = toolchain(src, work, m)
            go = gos[ver]
            if go is None and only is not None:
                print("FAIL %s/%s: no %s toolchain here (scripts/setup installs it)"
                      % (variant, m["kind"], ver))
                fails += 1
            elif go is None:
                key = "%s (toolchain not here)" % variant
                missing[key] = missing.get(key, 0) + 1
            else:
                jobs.append(pool.submit(check_dump, ps, src, work, variant, m, go))
        for j in jobs:
            res = j.result()
            for line in res.lines:
                print(line)
            if res.missing:
                missing[res.missing] = missing.get(res.missing, 0) + 1
            fails += res.fails
            frames += res.frames
            done += res.done
    for v, n in sorted(missing.items()):
        print("not rebuilt: %s: %d dump(s)" % (v, n))
    print("%d dumps decoded with rebuilt binaries, %d frames with decoded values, %d failures"
          % (done, frames, fails))
    if done == 0 or frames == 0:
        print("FAIL: nothing was decoded")
        return 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
