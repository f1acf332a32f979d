#!/usr/bin/env python3
"""The triage test set: real crash logs of the corpus programs (25 programs,
12 toolchains, 3 arches), made dirty the way field collections arrive, plus
programs rebuilt and crashed at test time, and the checks on the clusters.

Every dump in the set carries its ground truth (the bug: the corpus program,
or the variant of the same-function program) in its file name, so the check
is independent of panicscope: exactly one cluster per bug, each cluster pure.

  testset.py PANICSCOPE REPO_ROOT clusters   one cluster per bug, pure (>= 500 logs)
  testset.py PANICSCOPE REPO_ROOT merge      --merge of jsonl shards == one run,
                                             also with the map step under GNU parallel
  testset.py PANICSCOPE REPO_ROOT memory     memory bounded by clusters, not logs

The programs crashed at test time and their outputs live in
build-corpus/triage-MODE/; with --replay after MODE (the sanitizer builds)
the outputs of the last run are read again when the program built now is
the one that made them (tests/replay.py), else it runs.
"""
import bz2
import collections
import glob
import gzip
import io
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import replay  # noqa: E402  (tests/replay.py)

PS, ROOT, MODE = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
REPLAY = sys.argv[4:] == ["--replay"]
SEP = "__"          # bug__origin__variant.log; "+"-joined bugs for multi-dump files


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def corpus_logs():
    """{(bug, origin): text} for every corpus/<go>-<arch>/<kind>.log"""
    out = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "go*-*", "*.log"))):
        origin = os.path.basename(os.path.dirname(path))
        bug = os.path.basename(path)[:-4]
        with open(path, "rb") as f:
            out[(bug, origin)] = f.read()
    if len(out) < 500:
        fail(f"only {len(out)} corpus logs")
    return out


def kubectl(text, n):
    lines = text.split(b"\n")
    return b"\n".join(b"2026-11-%02dT10:%02d:%02d.%09dZ " % (1 + n % 28, i // 60 % 60, i % 60, i) + l
                      for i, l in enumerate(lines) if l or i + 1 < len(lines)) + b"\n"


def journald(text, n):
    return b"".join(b"Nov %02d 10:00:%02d host app[%d]: " % (1 + n % 28, n % 60, 1000 + n) + l + b"\n"
                    for l in text.split(b"\n")[:-1])


def go_env():
    env = dict(os.environ, GOENV="off", GOTOOLCHAIN="local", CGO_ENABLED="0",
               GOFLAGS="-mod=mod", GOCACHE=replay.go_cache(tempfile.gettempdir()))
    return env


def build_and_crash(src_dir, name, args_list, insert=0):
    """Copies SRC_DIR's main.go (with INSERT comment lines above the first
    func) to build-corpus/triage-MODE/NAME, builds it there with the go on
    PATH and runs it once per ARGS (or replays those runs); returns the
    outputs (stdout+stderr as printed)."""
    d = os.path.join(ROOT, "build-corpus", "triage-" + MODE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(src_dir, "main.go")) as f:
        src = f.read()
    if insert:
        at = src.index("\nfunc ")
        src = src[:at] + "\n" + "".join(f"// drift line {i}\n" for i in range(insert)) + src[at:]
    with open(os.path.join(d, "main.go"), "w") as f:
        f.write(src)
    exe = os.path.join(d, name)
    subprocess.run(["go", "build", "-o", exe, "main.go"], cwd=d, env=go_env(), check=True,
                   capture_output=True, timeout=300)
    cases = {"".join(["run"] + ["-" + a for a in args]): args for args in args_list}

    def crash(case):
        r = subprocess.run([exe] + cases[case], capture_output=True, timeout=60)
        if r.returncode == 0:
            fail(f"{name} {cases[case]} did not crash")
        return r.stdout + r.stderr
    outs, replayed = replay.outputs(os.path.join(d, "live"), exe, list(cases), crash, REPLAY)
    if replayed:
        print(f"replay {name}: the outputs of the last run (binary sha256 {replay.sha256(exe)[:16]})")
    return outs


def make_set(work):
    """Writes the set under WORK/logs; returns (number of logs, {bug})."""
    logs = corpus_logs()
    top = os.path.join(work, "logs")
    os.makedirs(os.path.join(top, "plain"))
    os.makedirs(os.path.join(top, "packed"))
    n_logs = 0
    members = []
    for i, ((bug, origin), text) in enumerate(sorted(logs.items())):
        variant = ["plain", "kubectl", "journald", "gzip", "tar", "xz", "bz2", "zst"][i % 8]
        name = f"{bug}{SEP}{origin}{SEP}{variant}.log"
        if variant == "kubectl":
            text = kubectl(text, i)
        elif variant == "journald":
            text = journald(text, i)
        if variant in ("plain", "kubectl", "journald"):
            with open(os.path.join(top, "plain", name), "wb") as f:
                f.write(text)
        elif variant == "gzip":
            with gzip.open(os.path.join(top, "packed", name + ".gz"), "wb") as f:
                f.write(text)
        elif variant == "xz":
            with open(os.path.join(top, "packed", name + ".xz"), "wb") as f:
                f.write(lzma.compress(text))
        elif variant == "bz2":
            with open(os.path.join(top, "packed", name + ".bz2"), "wb") as f:
                f.write(bz2.compress(text))
        elif variant == "zst":
            p = os.path.join(top, "packed", name)
            with open(p, "wb") as f:
                f.write(text)
            subprocess.run(["zstd", "-q", "--rm", p], check=True)
        else:
            members.append((name, text))
        n_logs += 1
    # a tar.gz bundle and a zip of logs, as collected from a fleet
    half = len(members) // 2
    with tarfile.open(os.path.join(top, "packed", "fleet-bundle.tar.gz"), "w:gz") as tf:
        for name, text in members[:half]:
            ti = tarfile.TarInfo("node-a/" + name)
            ti.size = len(text)
            ti.mtime = 1764000000
            tf.addfile(ti, io.BytesIO(text))
    with zipfile.ZipFile(os.path.join(top, "packed", "fleet-bundle.zip"), "w",
                         zipfile.ZIP_DEFLATED) as zf:
        for name, text in members[half:]:
            zf.writestr("node-b/" + name, text)
    # service logs holding several restarts: two crashes of different bugs
    simple = ["nil_deref", "index", "nil_map", "methods", "closures"]
    origins = sorted({o for (_, o) in logs})
    for k, origin in enumerate(origins):
        a, b = simple[k % 5], simple[(k + 2) % 5]
        text = (b"service starting\n" + logs[(a, origin)] + b"service restarted\n" +
                logs[(b, origin)])
        with open(os.path.join(top, "plain", f"{a}+{b}{SEP}{origin}{SEP}restarts.log"), "wb") as f:
            f.write(text)
        n_logs += 1
    # line drift: the same bug rebuilt with lines inserted above it, crashed for real
    for prog in ("nil_deref", "index", "nil_map"):
        src = os.path.join(ROOT, "corpus", "programs", prog)
        for insert in (0, 9):
            out, = build_and_crash(src, f"{prog}-drift{insert}", [[]], insert)
            with open(os.path.join(top, "plain", f"{prog}{SEP}drift{insert}{SEP}plain.log"), "wb") as f:
                f.write(out)
            n_logs += 1
    # two different panics in one function (and one panic with two values)
    same = os.path.join(ROOT, "tests", "triage", "samefunc")
    runs = [["nilmap", "1"], ["custom", "3"], ["custom", "7"], ["nilrecv", "0"]]
    for args, out in zip(runs, build_and_crash(same, "samefunc", runs)):
        with open(os.path.join(top, "plain", f"samefunc-{args[0]}{SEP}go-path{SEP}{args[1]}.log"), "wb") as f:
            f.write(out)
        n_logs += 1
    # and what is not a crash at all: the "unparsed" bucket
    with open(os.path.join(top, "plain", "app-without-crash.log"), "wb") as f:
        f.write(b"INFO started\nINFO serving on :8080\nWARN slow request 3.2s\n")
    with open(os.path.join(top, "packed", "damaged.log.gz"), "wb") as f:
        packed = gzip.compress(b"".join(b"line %d %s\n" % (i, os.urandom(16).hex().encode())
                                        for i in range(4000)))
        f.write(packed[:len(packed) // 2])
    return n_logs


def bugs_of(path):
    """The bugs of a file's dumps, in order, from its (member) name."""
    base = os.path.basename(path.split(":")[-1])
    base = re.sub(r"\.(gz|xz|bz2|zst)$", "", base)
    return base.split(SEP)[0].split("+")


def run(args, **kw):
    r = subprocess.run([PS, "triage"] + args, capture_output=True, **kw)
    return r


def check_clusters(work, n_logs):
    if n_logs < 500:
        fail(f"test set has only {n_logs} logs")
    top = os.path.join(work, "logs")
    r = run(["-f", "jsonl", top])
    if r.returncode != 0:
        fail(f"exit {r.returncode}: {r.stderr.decode()[-400:]}")
    stderr = r.stderr.decode()
    if "damaged.log.gz" not in stderr:
        fail("the damaged gzip file was not reported on stderr")
    by_sig = collections.defaultdict(collections.Counter)
    unparsed = {}
    dumps = collections.defaultdict(list)
    for line in r.stdout.decode().splitlines():
        rec = json.loads(line)
        if rec["schema"] == "panicscope.unparsed/1":
            unparsed[os.path.basename(rec["file"])] = rec["reason"]
            continue
        dumps[rec["file"]].append(rec)
    crashes = 0
    for f, recs in dumps.items():
        want = bugs_of(f)
        if len(recs) != len(want):
            fail(f"{f}: {len(recs)} dumps, want {len(want)} ({want})")
        for rec, bug in zip(recs, want):
            # the bug: the program; the two custom panics are one bug
            label = "samefunc-custom" if bug.startswith("samefunc-custom") else bug
            by_sig[rec["signature"]][label] += 1
            crashes += 1
    for name in ("app-without-crash.log", "damaged.log.gz"):
        if name not in unparsed:
            fail(f"{name} is not in the unparsed bucket: {sorted(unparsed)[:5]}")
    impure = {s: c for s, c in by_sig.items() if len(c) > 1}
    if impure:
        fail(f"impure clusters (bugs merged): {impure}")
    per_bug = collections.defaultdict(list)
    for s, c in by_sig.items():
        per_bug[next(iter(c))].append((s, sum(c.values())))
    split = {b: v for b, v in per_bug.items() if len(v) > 1}
    if split:
        fail(f"bugs split over several clusters: {split}")
    want_bugs = {b for (b, _) in corpus_logs()} | {"samefunc-nilmap", "samefunc-custom",
                                                 "samefunc-nilrecv"}
    if set(per_bug) != want_bugs:
        fail(f"bugs seen {sorted(per_bug)} != {sorted(want_bugs)}")
    # the json summary agrees with the records
    j = json.loads(run(["-f", "json", top]).stdout)
    if j["crashes"] != crashes or len(j["clusters"]) != len(by_sig):
        fail(f"json: {j['crashes']} crashes, {len(j['clusters'])} clusters; records: "
             f"{crashes}, {len(by_sig)}")
    for c in j["clusters"]:
        if sum(by_sig[c["signature"]].values()) != c["count"]:
            fail(f"cluster {c['signature']}: count {c['count']}")
    kubectl_times = [rec for recs in dumps.values() for rec in recs
                     if rec["file"].endswith("kubectl.log")]
    if not kubectl_times or any(r["time"] is None for r in kubectl_times):
        fail("a kubectl-prefixed log has no timestamp")
    if any(r["time"] is not None for recs in dumps.values() for r in recs
           if r["file"].endswith("plain.log")):
        fail("a log without timestamps got one")
    print(f"ok: {n_logs} logs, {crashes} crashes, {len(by_sig)} clusters = "
          f"{len(want_bugs)} bugs, each pure; {len(unparsed)} unparsed")


def shards(work):
    """The test set's files listed in three --files-from lists, so the shard
    runs name every file exactly as the whole run does."""
    top = os.path.join(work, "logs")
    files = sorted(glob.glob(os.path.join(top, "*", "*")))
    out = []
    for k in range(3):
        p = os.path.join(work, f"shard{k}.txt")
        with open(p, "w") as f:
            f.write("".join(x + "\n" for x in files[k::3]))
        out.append(p)
    return top, out


def check_merge(work, n_logs):
    top, dirs = shards(work)
    one = run(["-f", "json", "--quiet", top])
    whole = json.loads(one.stdout)
    recs = []
    for i, d in enumerate(dirs):
        p = os.path.join(work, f"shard{i}.jsonl")
        with open(p, "wb") as f:
            f.write(run(["-f", "jsonl", "--files-from", d]).stdout)
        recs.append(p)
    merged = json.loads(run(["--merge", "-f", "json"] + recs[::-1]).stdout)
    if merged != whole:
        fail("--merge of shards differs from one run:\n" + json.dumps(merged)[:600] + "\n" +
             json.dumps(whole)[:600])
    # the map step under GNU parallel, two jobs, records concatenated in
    # whatever order the jobs finish; the reduce anywhere
    par = shutil.which("parallel")
    if not par:
        fail("GNU parallel is not installed (scripts/setup installs it)")
    r = subprocess.run([par, "--will-cite", "-j2", PS, "triage", "-f", "jsonl", "--files-from",
                        "{}", ":::"] + dirs,
                       capture_output=True)
    if r.returncode != 0:
        fail(f"parallel: exit {r.returncode}: {r.stderr.decode()[-300:]}")
    r2 = subprocess.run([PS, "triage", "--merge", "-f", "json", "-"], input=r.stdout,
                        capture_output=True)
    if json.loads(r2.stdout) != whole:
        fail("the GNU parallel map + --merge differs from one run")
    # a damaged record is an error with file:line, exit 3
    bad = os.path.join(work, "bad.jsonl")
    with open(bad, "w") as f:
        f.write('{"schema":"panicscope.crash/1","file":"x","dump":0}\n{"schema": oops\n')
    r3 = run(["--merge", bad])
    err = r3.stderr.decode()
    if r3.returncode != 3 or "bad.jsonl:1:" not in err or "bad.jsonl:2:" not in err:
        fail(f"damaged records: exit {r3.returncode}, stderr {err!r}")
    print(f"ok: merge of 3 shards == one run ({len(whole['clusters'])} clusters), "
          f"also under GNU parallel; damaged records reported")


def maxrss(args):
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,check=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(subprocess.check_output([sys.executable, "-c", code] + args))


def check_memory(work, _n):
    """Memory follows clusters: 4x the logs of the same bugs, same memory."""
    logs = corpus_logs()
    pick = [t for (b, o), t in sorted(logs.items()) if b in ("nil_deref", "index", "deadlock")]
    sizes = {}
    for copies in (10, 40):
        d = os.path.join(work, f"mem{copies}")
        os.makedirs(d)
        for k in range(copies):
            for i, t in enumerate(pick):
                with open(os.path.join(d, f"{k}-{i}.log"), "wb") as f:
                    f.write(t)
        sizes[copies] = maxrss([PS, "triage", "-f", "json", d])
    small, big = sizes[10], sizes[40]
    if big > small * 1.3 + 4096:
        fail(f"max RSS grows with the logs: {small} KiB for 10 copies, {big} KiB for 40")
    print(f"ok: max RSS {small} KiB for {10 * len(pick)} logs, {big} KiB for {40 * len(pick)}")


def main():
    work = tempfile.mkdtemp(prefix="ps-triage-")
    try:
        n = make_set(work) if MODE != "memory" else 0
        {"clusters": check_clusters, "merge": check_merge, "memory": check_memory}[MODE](work, n)
    finally:
        shutil.rmtree(work, ignore_errors=True)


main()
