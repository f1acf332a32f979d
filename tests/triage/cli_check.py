#!/usr/bin/env python3
"""`panicscope triage` as a user meets it, on real corpus logs.

  cli_check.py PANICSCOPE REPO_ROOT html      the HTML page in headless Chromium
  cli_check.py PANICSCOPE REPO_ROOT tty       progress only on a terminal
  cli_check.py PANICSCOPE REPO_ROOT db        history: new/known/regressed, --fail-on-new,
                                              two processes at once, corrupt db
  cli_check.py PANICSCOPE REPO_ROOT errors    exit statuses and one-line messages
  cli_check.py PANICSCOPE REPO_ROOT garbage   damaged records and archives: exit 0 or 3,
                                              never a crash (seeded, so reproducible)
"""
import glob
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import random
import sys
import tarfile
import tempfile
import zipfile

PS, ROOT, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
CORPUS = os.path.join(ROOT, "corpus")


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(args, **kw):
    return subprocess.run([PS, "triage"] + args, capture_output=True, **kw)


def logs(toolchain):
    return sorted(glob.glob(os.path.join(CORPUS, toolchain, "*.log")))


def triage_json(args):
    r = run(["-f", "json"] + args)
    if r.returncode not in (0, 1):
        fail(f"{args}: exit {r.returncode}: {r.stderr.decode()}")
    return json.loads(r.stdout)


def check_html(work):
    browser = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")
                    if shutil.which(b)), None)
    if not browser:
        fail("no chromium (scripts/setup installs it)")
    inputs = logs("go1.26.8-amd64") + logs("go1.22.12-386") + [
        os.path.join(CORPUS, "dirty", "kubectl-timestamps-nil_deref.log"),
        os.path.join(CORPUS, "dirty", "no-dump-applog.log")]
    want = triage_json(inputs)
    page = os.path.join(work, "triage.html")
    r = run(["-f", "html", "-o", page] + inputs)
    if r.returncode != 0:
        fail(f"html: exit {r.returncode}")
    out = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-background-networking", "--disable-component-update",
                          "--disable-sync", "--no-first-run",
                          f"--user-data-dir={os.path.join(work, 'profile')}",
                          "--dump-dom", "file://" + page], capture_output=True, timeout=180)
    dom = out.stdout.decode(errors="replace")
    rows = re.findall(r'<tr class="cluster" data-count="(\d+)" data-signature="([0-9a-f]{16})"', dom)
    if out.returncode != 0 or not rows:
        fail(f"chromium exit {out.returncode}, no cluster rows: {out.stderr[-300:]!r}")
    expect = [(str(c["count"]), c["signature"]) for c in want["clusters"]]
    if rows != expect:
        fail(f"rows {rows[:4]}... != json clusters {expect[:4]}...")
    if '<svg class="chart"' not in dom or "<rect" not in dom:
        fail("no occurrence chart rendered")
    # the kubectl log's own date (2026-11-21) is on the chart, as a day
    if "2026-11-21" not in dom:
        fail("the log timestamp's day is not in the chart")
    if "no-dump-applog.log" not in dom.split('id="unparsed"', 1)[-1]:
        fail("the unparsed bucket is not on the page")
    # a crash message cannot inject markup
    evil = os.path.join(work, "evil.log")
    with open(evil, "w") as f:
        f.write('panic: <script>alert(1)</script>\n\ngoroutine 1 [running]:\nmain.main()\n'
                '\t/src/x/main.go:3 +0x1\n')
    r = run(["-f", "html", evil])
    if b"<script>alert" in r.stdout:
        fail("a message's markup reached the page unescaped")
    # with a history, each row says new / known
    db = os.path.join(work, "h.db")
    first = run(["--db", db, "-f", "html"] + inputs).stdout.decode()
    again = run(["--db", db, "-f", "html"] + inputs).stdout.decode()
    if (first.count('<div class="status">new</div>') != len(rows) or
            again.count('<div class="status">known</div>') != len(rows)):
        fail("the page does not show new/known from the history")
    print(f"ok: {len(rows)} cluster rows in Chromium match the JSON; chart, unparsed and "
          "history status shown")


def check_tty(work):
    d = os.path.join(work, "logs")
    shutil.copytree(os.path.join(CORPUS, "go1.26.8-amd64"), d)
    cmd = f"{PS} triage -o {work}/out.txt {d}"
    # script(1) gives the command a terminal; its transcript is what the terminal showed
    r = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, timeout=120)
    shown = r.stdout.decode(errors="replace")
    if r.returncode != 0 or not re.search(r"\d+/75 files, [\d.]+ MB/s, ETA \d+s", shown):
        fail(f"no progress on a terminal: exit {r.returncode}, {shown[-300:]!r}")
    r = subprocess.run(["script", "-qec", cmd.replace("triage", "triage --quiet"), "/dev/null"],
                       capture_output=True, timeout=120)
    if "files," in r.stdout.decode(errors="replace"):
        fail("--quiet still shows progress")
    r = run(["-o", f"{work}/out2.txt", d])     # stderr is a pipe here
    if r.returncode != 0 or r.stderr:
        fail(f"progress or noise on a non-terminal stderr: {r.stderr[:200]!r}")
    print("ok: progress on a terminal only, not with --quiet, not on a pipe")


def check_db(work):
    db = os.path.join(work, "h.db")
    a, b = logs("go1.26.8-amd64"), logs("go1.20.14-arm64")
    first = triage_json(["--db", db] + a)
    if {c["status"] for c in first["clusters"]} != {"new"} or not all(c["new"] for c in first["clusters"]):
        fail("first run: not every cluster is new")
    r = run(["--db", db, "--fail-on-new", "-o", os.devnull] + b)   # same bugs, other build
    if r.returncode != 0:
        fail(f"the same bugs from another toolchain are new: exit {r.returncode}")
    nil = next(c for c in first["clusters"] if c["kind"] == "nil pointer dereference")
    prefix = nil["signature"][:8]
    for args in (["--resolve", prefix, "--fixed-in", "v1.4.2"], ["--note", prefix, "ledger team"]):
        r = run(["--db", db] + args)
        if r.returncode != 0:
            fail(f"{args}: exit {r.returncode}: {r.stderr.decode()}")
    nd = os.path.join(CORPUS, "go1.19.8-386", "nil_deref.log")
    r = run(["--db", db, "--fail-on-new", "-f", "json", nd])
    j = json.loads(r.stdout)
    c = j["clusters"][0]
    if r.returncode != 1 or c["status"] != "regressed" or c["note"] != "ledger team":
        fail(f"resolved and seen again: exit {r.returncode}, {c}")
    if c["total_count"] != 3:
        fail(f"total count {c['total_count']}, want 3")
    r = run(["--db", db, "--resolve", "ffffffffffff"])
    if r.returncode != 2 or len(r.stderr.decode().strip().splitlines()) != 1:
        fail(f"unknown id: exit {r.returncode}, {r.stderr!r}")
    # two triage processes writing one db at once lose no counts
    shared = os.path.join(work, "shared.db")
    many = logs("go1.26.8-amd64") * 1 + logs("go1.25.14-amd64") + logs("go1.24.13-amd64")
    ps = [subprocess.Popen([PS, "triage", "--db", shared, "-o", os.devnull] + many)
          for _ in range(2)]
    if any(p.wait() != 0 for p in ps):
        fail("a concurrent run failed")
    j = triage_json(["--db", shared] + many)
    for c in j["clusters"]:
        if c["total_count"] != 3 * c["count"]:
            fail(f"concurrent runs lost counts: {c['signature']} total {c['total_count']}, "
                 f"want {3 * c['count']}")
    # a corrupt or foreign db: one line, exit 3, the file untouched
    for name, data in (("corrupt.db", b"SQLite format 3\0" + b"\xff" * 4000),
                       ("foreign.db", None), ("text.db", b"not a database\n")):
        p = os.path.join(work, name)
        if data is None:
            subprocess.run([sys.executable, "-c",
                            f"import sqlite3;c=sqlite3.connect({p!r});"
                            "c.execute('create table t(x)');c.commit()"], check=True)
        else:
            with open(p, "wb") as f:
                f.write(data)
        before = open(p, "rb").read()
        r = run(["--db", p, "-o", os.path.join(work, "never.txt"), a[0]])
        lines = r.stderr.decode().strip().splitlines()
        if r.returncode != 3 or len(lines) != 1 or name not in lines[0]:
            fail(f"{name}: exit {r.returncode}, stderr {lines}")
        if open(p, "rb").read() != before or os.path.exists(os.path.join(work, "never.txt")):
            fail(f"{name}: the db or the output was written")
    print("ok: new/known/regressed, --fail-on-new, note and resolve, two processes at once, "
          "corrupt/foreign dbs refused")


def check_errors(work):
    cases = [
        (["--format", "xml", "x"], 2), ([], 2), (["--note", "abc"], 2),
        (["--fail-on-new", "x"], 2), (["/nonexistent/dir"], 3),
        ([os.path.join(CORPUS, "dirty", "no-dump-applog.log")], 3),
    ]
    for args, want in cases:
        r = run(args)
        lines = [l for l in r.stderr.decode().splitlines() if not l.startswith("Try ")]
        if r.returncode != want or not lines or not lines[0].startswith("panicscope: "):
            fail(f"{args}: exit {r.returncode} (want {want}), stderr {lines}")
    # -o keeps the previous report when the run cannot write a new one
    out = os.path.join(work, "report.txt")
    with open(out, "w") as f:
        f.write("previous\n")
    r = run(["-o", out, os.path.join(CORPUS, "go1.26.8-amd64", "index.log")])
    if r.returncode != 0 or "index out of range" not in open(out).read():
        fail("-o did not write the report")
    # stdin, and a list of files from stdin
    idx = os.path.join(CORPUS, "go1.26.8-amd64", "index.log")
    with open(idx, "rb") as f:
        r = run(["-f", "json", "-"], stdin=f)
    if json.loads(r.stdout)["clusters"][0]["files"] != ["-"]:
        fail("stdin is not named '-'")
    r = run(["-f", "json", "--files-from", "-"], input=(idx + "\n").encode())
    if json.loads(r.stdout)["crashes"] != 1:
        fail("--files-from - did not read the list")
    # markdown: one table row per cluster, a log's '|' cannot break the table
    inputs = logs("go1.26.8-amd64")
    pipe = os.path.join(work, "pipe.log")
    with open(pipe, "w") as f:
        f.write("panic: a | b\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/x/main.go:3 +0x1\n")
    n = len(triage_json(inputs + [pipe])["clusters"])
    md = run(["-f", "markdown"] + inputs + [pipe]).stdout.decode().splitlines()
    rows = [l for l in md if re.match(r"\| \d+ \| `[0-9a-f]{12}` \|", l)]
    if len(rows) != n or any(len(re.findall(r"(?<!\\)\|", r)) != 10 for r in rows):
        fail(f"markdown: {len(rows)} rows for {n} clusters, or a broken row")
    print("ok: exit statuses 2 and 3 with one line each, -o, stdin, --files-from -, markdown")


def sane(r, what):
    err = r.stderr.decode(errors="replace")
    if r.returncode not in (0, 3) or "Sanitizer" in err or "runtime error" in err:
        fail(f"{what}: exit {r.returncode}: {err[-400:]}")


def mutate(b, rnd, n):
    b = bytearray(b)
    for _ in range(n):
        i, op = rnd.randrange(len(b)), rnd.random()
        if op < 0.4:
            b[i] = rnd.randrange(256)
        elif op < 0.7:
            del b[i:i + rnd.randint(1, 20)]
        else:
            b[i:i] = rnd.choice([b'"', b"\\", b"{", b"}", b"[", b"]", b",", b"\\u", b"\\ud800"])
    return bytes(b)


def check_garbage(work):
    rnd = random.Random(3)
    recs = run(["-f", "jsonl", os.path.join(CORPUS, "go1.26.8-amd64")]).stdout.splitlines()
    for it in range(40):
        lines = [mutate(l, rnd, rnd.randint(0, 4)) for l in rnd.sample(recs, 10)]
        sane(run(["--merge", "-f", "json", "-"], input=b"\n".join(lines)), f"merge #{it}")
    srcs = [open(os.path.join(CORPUS, "go1.26.8-amd64", f), "rb").read()
            for f in ("nil_deref.log", "sigquit.log")]
    for it in range(30):
        t, kind = rnd.choice(srcs), ("gz", "tar", "zip", "raw")[it % 4]
        bio = io.BytesIO()
        if kind == "gz":
            bio.write(gzip.compress(t))
        elif kind == "tar":
            with tarfile.open(fileobj=bio, mode="w:gz") as tf:
                ti = tarfile.TarInfo("a.log")
                ti.size = len(t)
                tf.addfile(ti, io.BytesIO(t))
        elif kind == "zip":
            with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("a.log", t)
        else:
            bio.write(t)
        d = mutate(bio.getvalue(), rnd, rnd.randint(1, 10))
        if rnd.random() < 0.3:
            d = d[:rnd.randrange(len(d))]
        p = os.path.join(work, f"damaged-{it}")
        with open(p, "wb") as f:
            f.write(d)
        sane(run(["-f", "json", p], timeout=120), f"{kind} #{it}")
    print("ok: 40 damaged record sets and 30 damaged archives, no crash")


def main():
    work = tempfile.mkdtemp(prefix="ps-triage-cli-")
    try:
        {"html": check_html, "tty": check_tty, "db": check_db, "errors": check_errors,
         "garbage": check_garbage}[MODE](work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


main()
