#!/usr/bin/env python3
"""Issue 9: all four formats give the same headline, summary and warnings.

For every corpus log (and, for warnings, a binary that does not match a
dump, with and without --trust-binary), the JSON "headline" and
"warnings" of each dump are the reference; the text, Markdown and HTML
reports must show exactly those lines, in order, each in its own markup:

  text      the lines up to the first blank line of each dump block
            ("warning: " lines are warnings, "! " lines findings)
  markdown  "## first", "- `line`", "**summary**", "> **Warning:** w"
  html      <h1>, <div class=sig>, <div class=sum>, <div class=warn>

The corpus logs' four reports are the files corpus_walk wrote
(WALK_DIR/<rel>.json .txt .md .html, the command's output: goldens.py
proves it on the reviewed set), so the 890 logs cost no process each;
only --all beyond text and the --binary cases launch the command.

usage: formats_agree.py PANICSCOPE REPO_ROOT WALK_DIR
"""
import glob
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def run(ps, args):
    p = subprocess.run([ps, *args], capture_output=True)
    if p.returncode not in (0, 3):
        raise AssertionError(f"panicscope {' '.join(args)}: exit {p.returncode}")
    return p.stdout.decode("utf-8", errors="replace")


def launched(ps, args):
    """The four reports of `panicscope ARGS`, by format."""
    return {"json": run(ps, ["-f", "json", *args]),
            "text": run(ps, ["--color", "never", *args]),
            "markdown": run(ps, ["-f", "markdown", *args]),
            "html": run(ps, ["-f", "html", *args])}


def walked(walk, root, log, text_ext=".txt"):
    """The four reports corpus_walk wrote for LOG (TEXT_EXT: ".all.txt"
    for the --all text)."""
    base = os.path.join(walk, os.path.relpath(log, root))
    out = {}
    for fmt, ext in (("json", ".json"), ("text", text_ext), ("markdown", ".md"),
                     ("html", ".html")):
        with open(base + ext, encoding="utf-8", errors="replace") as f:
            out[fmt] = f.read()
    return out


def reference(json_text):
    doc = json.loads(json_text)
    return [([l["text"] for l in d["headline"]], d["warnings"]) for d in doc["dumps"]]


def shown(s):
    """What the text writer makes of a plain line: control bytes as \\xNN."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: "\\x%02x" % ord(m.group()), s)


def from_text(out):
    dumps = []
    for block in re.split(r"^=== dump \d+ of \d+ .*===\n", out, flags=re.M):
        if not block.strip() or block.startswith("no Go crash dump"):
            continue
        head, warns = [], []
        for line in block.split("\n\n", 1)[0].split("\n"):
            if line.startswith("warning: "):
                warns.append(line[len("warning: "):])
            elif line.startswith("! ") or line.startswith("    "):
                continue            # findings and the other party's stack
            elif line.startswith("\t") and head and not line.startswith("\tpanic: ") \
                    and not line.startswith("\tfatal error: "):
                head[-1] += "\n" + line[1:]
            else:
                head.append(line[1:] if line.startswith("\t") else line)
        dumps.append((head, warns))
    return dumps


def md_plain(s):
    s = s.strip()
    if s.startswith("`") and s.endswith("`"):
        return s[1:-1]
    return re.sub(r"\\(.)", r"\1", s)


def from_markdown(out):
    dumps = []
    for block in re.split(r"^# Dump \d+ of \d+\n", out, flags=re.M):
        if "## " not in block:
            continue
        head, warns = [], []
        for line in block.split("\n"):
            if line.startswith("## "):
                head.append(md_plain(line[3:]))
            elif line.startswith("- `") and head and not head[-1].startswith("\0sum"):
                head.append(md_plain(line[2:]))
            elif line.startswith("**") and line.endswith("**") and len(head) and \
                    not any(h.startswith("\0sum") for h in head):
                head.append("\0sum" + md_plain(line[2:-2]))
            elif line.startswith("> **Warning:** "):
                warns.append(md_plain(line[len("> **Warning:** "):]))
            elif line.startswith("|") or line.startswith("### "):
                break
        dumps.append(([h.replace("\0sum", "") for h in head], warns))
    return dumps


def from_html(out):
    header = out.split("<header>", 1)[1].split("</header>", 1)[0]
    dumps = []
    for m in re.finditer(r"<h1>(.*?)</h1>|<div class=(sig|sum|warn)>(.*?)</div>", header, re.S):
        if m.group(1) is not None:
            if m.group(1) == "no Go crash dump found":
                continue
            dumps.append(([html.unescape(m.group(1))], []))
        elif m.group(2) == "warn":
            dumps[-1][1].append(html.unescape(m.group(3))[len("warning: "):])
        else:
            dumps[-1][0].append(html.unescape(m.group(3)))
    return dumps


def md_form(s):
    return s.replace("\n", " ").replace("\r", " ")


def compare(out, name):
    """OUT: the four reports of one input, by format."""
    ref = reference(out["json"])
    got = {
        "text": from_text(out["text"]),
        "markdown": from_markdown(out["markdown"]),
        "html": from_html(out["html"]),
    }
    want = {
        "text": [([shown(l) for l in h], [shown(w) for w in ws]) for h, ws in ref],
        "markdown": [([md_form(l) for l in h], [md_form(w) for w in ws]) for h, ws in ref],
        "html": ref,
    }
    bad = []
    for fmt in got:
        if got[fmt] != [(list(h), list(w)) for h, w in want[fmt]]:
            bad.append(f"{name}: {fmt} differs from JSON:\n  json: {want[fmt]}\n  {fmt}: {got[fmt]}")
    return bad


def main():
    ps, root, walk = sys.argv[1], sys.argv[2], sys.argv[3]
    logs = sorted(glob.glob(os.path.join(root, "corpus", "*", "*.log")))
    assert len(logs) > 800, f"only {len(logs)} corpus logs"
    bad, warned = [], 0
    for log in logs:
        bad += compare(walked(walk, root, log), os.path.relpath(log, root))
    # --all drops the group count from the summary, in every format (the
    # walk writes --all only as text: the command gives the other three)
    for log in sorted(glob.glob(os.path.join(root, "corpus", "go1.26.8-amd64", "*.log"))):
        out = launched(ps, ["--all", log])
        bad += compare(out, os.path.relpath(log, root) + " --all")
        out["text"] = walked(walk, root, log, ".all.txt")["text"]
        bad += compare(out, os.path.relpath(log, root) + " --all (walk's text)")
    # warnings: a binary that is not the one that crashed
    go = shutil.which("go")
    if not go:
        sys.exit("formats_agree: no 'go' on PATH (scripts/setup installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        binary = os.path.join(tmp, "other")
        src = os.path.join(root, "corpus", "programs", "mutex_contention")
        env = dict(os.environ, GOENV="off", CGO_ENABLED="0", GOTOOLCHAIN="local")
        subprocess.run([go, "build", "-o", binary, "main.go"], cwd=src, env=env, check=True)
        for log in ["go1.26.8-amd64/nil_deref.log", "go1.26.8-amd64/deadlock.log",
                    "dirty/concat-3-dumps.log"]:
            for extra in ([], ["--trust-binary"]):
                args = ["--binary", binary, *extra, os.path.join(root, "corpus", log)]
                out = launched(ps, args)
                warned += sum(len(w) for _, w in reference(out["json"]))
                bad += compare(out, f"{log} {' '.join(extra)}")
    assert warned >= 6, f"only {warned} warnings: the warning cases test nothing"
    for b in bad[:20]:
        print(b)
    if bad:
        sys.exit(f"{len(bad)} disagreements")
    print(f"ok: {len(logs)} logs (and go1.26.8-amd64 with --all) + 6 binary cases "
          f"({warned} warnings) agree in 4 formats")


if __name__ == "__main__":
    main()
