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


class Browser:
    """One headless Chromium for every page, driven over the DevTools
    protocol on a pipe (--remote-debugging-pipe: commands on fd 3, replies
    and events on fd 4, each a JSON message ended by a NUL byte): starting
    the browser is most of a page's cost, and the test loads ten."""

    def __init__(self, path, profile):
        cmd_r, self.cmd_w = os.pipe()
        self.out_r, out_w = os.pipe()

        def fds():  # the child's fds 3 and 4, whatever numbers the pipes got
            a, b = os.dup(cmd_r), os.dup(out_w)
            os.dup2(a, 3)  # inheritable; every other pipe fd is close-on-exec
            os.dup2(b, 4)
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [path, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.err,
            preexec_fn=fds, close_fds=False)
        os.close(cmd_r)
        os.close(out_w)
        self.buf, self.next_id, self.events = b"", 0, []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        self.call("Page.enable", session=True)

    def message(self, deadline):
        # chunks in a list: a page's DOM is a message of 24 MB
        parts = [self.buf]
        while b"\0" not in parts[-1]:
            if time.time() > deadline:
                raise AssertionError("chromium: no answer within 180 s")
            chunk = os.read(self.out_r, 1 << 20)
            if not chunk:
                self.err.seek(0)
                raise AssertionError("chromium exited: " +
                                     self.err.read().decode(errors="replace")[-300:])
            parts.append(chunk)
        msg, _, self.buf = b"".join(parts).partition(b"\0")
        return json.loads(msg)

    def call(self, method, session=False, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + 180
        while True:
            m = self.message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise AssertionError(f"chromium: {method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m.get("method"))

    def wait_event(self, method):
        deadline = time.time() + 180
        while method not in self.events:
            self.events.append(self.message(deadline).get("method"))
        self.events = []

    def dump_dom(self, page, query=None):
        """The page's DOM once its script ran (it renders on load), as
        --dump-dom prints it."""
        url = "file://" + page + (f"#q={query}" if query else "")
        start = time.time()
        # from a blank page, so a new hash loads the page again
        for u in ("about:blank", url):
            self.events = []
            self.call("Page.navigate", session=True, url=u)
            self.wait_event("Page.loadEventFired")
        r = self.call("Runtime.evaluate", session=True, returnByValue=True,
                      expression="document.documentElement.outerHTML")
        return r["result"]["value"], time.time() - start

    def close(self):
        try:
            self.call("Browser.close")
        except AssertionError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.out_r)
        self.err.close()


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
    dom, secs = browser.dump_dom(page)
    n, details = shown(dom)
    if n != len(units) or details != min(len(units), BATCH):
        problems.append(f"{log}: page shows {n} groups / {details} elements, "
                        f"JSON has {len(units)}")
    crashed = any(g["crashed"] for d in doc["dumps"] for g in d["groups"])
    if crashed and not re.search(r'<details class="group [uds] crashed" open="">'
                                 r'<summary>.*?</summary><table class="fr">', dom):
        problems.append(f"{log}: crashed group not open with its frames")
    want = sum(1 for funcs in units if any(query.lower() in f.lower() for f in funcs))
    dom, _ = browser.dump_dom(page, query)
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


def pages(browser, ps, logs, tmp):
    problems = []
    for log in logs:
        problems += check_page(browser, ps, log, tmp, "main.")
    problems += check_page(browser, ps, logs[-1], tmp, "recvLoop")
    big = os.path.join(tmp, "big.log")
    big_dump(big)
    problems += check_page(browser, ps, big, tmp, "worker17")
    problems += check_page(browser, ps, big, tmp, "worker17", ("--all",))
    return problems


def main():
    ps, root = sys.argv[1], sys.argv[2]
    path = chromium()
    if not path:
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
        browser = Browser(path, os.path.join(tmp, "profile"))
        try:
            problems += pages(browser, ps, logs, tmp)
        finally:
            browser.close()
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
