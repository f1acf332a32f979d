#!/usr/bin/env python3
"""The HTML report in a real browser (headless Chromium, Debian package
`chromium`): the page renders its groups from the embedded data, the
crashed group is open with its frames, the search box (pre-filled from
"#q=...") filters groups, and a 100,000-goroutine dump renders without
building 100,000 DOM nodes.  Expected numbers come from `-f json`, not
from the page.

usage: html_test.py PANICSCOPE REPO_ROOT
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

BATCH = 500   # groups the page renders before a "show more" button


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def dump_dom(browser, page, profile, query=None):
    url = "file://" + page + (f"#q={query}" if query else "")
    start = time.time()
    out = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, timeout=180)
    if out.returncode != 0:
        raise AssertionError(f"chromium exit {out.returncode}: {out.stderr[-300:]}")
    return out.stdout.decode(errors="replace"), time.time() - start


def shown(dom):
    """(groups matching per the page, <details> elements in the DOM)"""
    m = re.search(r'<span id="count" data-groups="(\d+)">([^<]*)</span>', dom)
    if not m:
        raise AssertionError("no #count element: the script did not run")
    return int(m.group(1)), len(re.findall(r'<details class="group', dom))


def report(ps, fmt, log, out, *extra):
    with open(out, "wb") as f:
        subprocess.run([ps, "-f", fmt, *extra, log], stdout=f, check=True)


def check_page(browser, ps, log, tmp, query, extra=()):
    page, js = os.path.join(tmp, "r.html"), os.path.join(tmp, "r.json")
    report(ps, "html", log, page, *extra)
    report(ps, "json", log, js, *extra)
    doc = json.load(open(js))
    if "--all" in extra:
        units = [[f["func"] for f in g["frames"]] for d in doc["dumps"] for g in d["goroutines"]]
    else:
        units = [[f["func"] for f in g["frames"]] for d in doc["dumps"] for g in d["groups"]]
    problems = []
    dom, secs = dump_dom(browser, page, os.path.join(tmp, "profile"))
    n, details = shown(dom)
    if n != len(units) or details != min(len(units), BATCH):
        problems.append(f"{log}: page shows {n} groups / {details} elements, "
                        f"JSON has {len(units)}")
    crashed = any(g["crashed"] for d in doc["dumps"] for g in d["groups"])
    if crashed and not re.search(r'<details class="group [uds] crashed" open="">'
                                 r'<summary>.*?</summary><table class="fr">', dom):
        problems.append(f"{log}: crashed group not open with its frames")
    want = sum(1 for funcs in units if any(query.lower() in f.lower() for f in funcs))
    dom, _ = dump_dom(browser, page, os.path.join(tmp, "profile"), query)
    n, details = shown(dom)
    if n != want or details != min(want, BATCH) or want == 0:
        problems.append(f"{log}: search {query!r} shows {n}/{details}, expected {want}")
    print(f"html_test: {os.path.basename(log)} {' '.join(extra)}: {len(units)} groups, "
          f"{os.path.getsize(page)} bytes, browser {secs:.1f}s")
    return problems


def big_dump(path, n=100_000, sites=40):
    """A SIGQUIT-style dump: N goroutines parked at SITES distinct stacks."""
    with open(path, "w") as f:
        f.write("SIGQUIT: quit\nPC=0x46b0e1 m=0 sigcode=0\n\n")
        for i in range(n):
            s = i % sites
            f.write(f"goroutine {i + 1} [chan receive]:\n"
                    f"runtime.gopark(0x{i:x}?, 0x0?)\n"
                    "\t/usr/local/go/src/runtime/proc.go:462 +0xce\n"
                    f"main.worker{s}(0xc000{i:06x})\n"
                    f"\t/src/app/worker.go:{100 + s} +0x2f\n"
                    f"created by main.main in goroutine 1\n"
                    "\t/src/app/main.go:40 +0x66\n\n")


def main():
    ps, root = sys.argv[1], sys.argv[2]
    browser = chromium()
    if not browser:
        print("html_test: chromium is not installed (scripts/setup installs it)",
              file=sys.stderr)
        return 1
    logs = sorted(glob.glob(os.path.join(root, "corpus", "go1.26*-amd64", "sigquit.log")) +
                  glob.glob(os.path.join(root, "corpus", "go1.26*-amd64", "deadlock.log")))
    if not logs:
        print("html_test: corpus logs missing", file=sys.stderr)
        return 1
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for log in logs:
            problems += check_page(browser, ps, log, tmp, "main.")
        problems += check_page(browser, ps, logs[-1], tmp, "recvLoop")
        big = os.path.join(tmp, "big.log")
        big_dump(big)
        problems += check_page(browser, ps, big, tmp, "worker17")
        problems += check_page(browser, ps, big, tmp, "worker17", ("--all",))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
