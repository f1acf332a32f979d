#!/usr/bin/env bash
# make-dirty.sh - derive "dirty" variants of real corpus logs, the way crash
# dumps arrive in practice: behind log-collector prefixes, with CRLF line
# ends or colour codes, mixed with other log lines, several in one file, or
# cut short. Writes corpus/dirty/<name>.log and corpus/dirty/<name>.meta.
#
# Every .meta names its source log(s) (relative to corpus/) and the
# transformation, and says what a parser should find:
#   expect: same-as-source      the goroutines/frames of the source, unchanged
#   expect: dumps-in-order      one dump per source, in the order listed
#   expect: truncated           a prefix of the source; last item incomplete
#   expect: no-dump             nothing to report
# `prefix_regex` (if present) matches the per-line prefix that was added.
#
# Deterministic: fixed timestamps, fixed seeds; rerunning rewrites the same
# bytes. Needs only python3.
set -eu
CORPUS=$(cd "$(dirname "$0")" && pwd)
exec python3 - "$CORPUS" <<'PY'
import os, random, sys

corpus = sys.argv[1]
out_dir = os.path.join(corpus, "dirty")
os.makedirs(out_dir, exist_ok=True)


def src(rel):
    with open(os.path.join(corpus, rel), "rb") as f:
        return f.read()


def lines(data):
    return data.split(b"\n")  # keeps a trailing "" when data ends in \n


def join(ls):
    return b"\n".join(ls)


def write(name, data, meta):
    with open(os.path.join(out_dir, name + ".log"), "wb") as f:
        f.write(data)
    with open(os.path.join(out_dir, name + ".meta"), "w") as f:
        for k, v in meta:
            f.write("%s: %s\n" % (k, v))
    print("wrote dirty/%s.log (%d bytes)" % (name, len(data)))


def prefixed(data, make_prefix):
    """Prefix every line (not the empty tail after the last newline)."""
    ls = lines(data)
    tail = ls[-1] == b""
    body = ls[:-1] if tail else ls
    res = [make_prefix(i) + l for i, l in enumerate(body)]
    return join(res + ([b""] if tail else []))


def kubectl_ts(i):
    # kubectl logs --timestamps: RFC3339Nano then one space.
    s = 1 + i // 1000
    ns = 123456789 + (i % 1000) * 1000
    return ("2026-11-21T23:40:%02d.%09dZ " % (s % 60, ns)).encode()


def journald(i):
    return b"Nov 21 23:40:01 host app[1234]: "


APP_LINES = [
    b"2026/11/21 23:39:58 INFO starting server addr=:8080 version=1.4.2",
    b"2026/11/21 23:39:58 INFO connected to database host=db:5432 pool=10",
    b"2026/11/21 23:39:59 WARN slow request method=GET path=/api/items took=812ms",
    b"{\"level\":\"info\",\"ts\":1795304399.5,\"msg\":\"cache warmed\",\"entries\":4096}",
    b"2026/11/21 23:40:00 INFO request method=POST path=/api/orders status=201",
    b"goroutine pool resized: 16 -> 32 workers",
    b"time=2026-11-21T23:40:00Z level=ERROR msg=\"upstream timeout\" err=\"context deadline exceeded\"",
]


def app_lines(n, seed):
    r = random.Random(seed)
    return [r.choice(APP_LINES) for _ in range(n)]


def with_app_logs(data, seed, before=3, after=2):
    return join(app_lines(before, seed)) + b"\n" + data + join(app_lines(after, seed + 1)) + b"\n"


def meta(source, transform, expect, extra=()):
    m = [("source", source), ("transform", transform), ("expect", expect)]
    return m + list(extra)


# ---- per-line prefixes -----------------------------------------------------
s = "go1.26.8-amd64/nil_deref.log"
write("kubectl-timestamps-nil_deref", prefixed(src(s), kubectl_ts),
      meta(s, "kubectl logs --timestamps prefix on every line", "same-as-source",
           [("prefix_regex", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z ")]))

s = "go1.26.8-amd64/deadlock.log"
write("kubectl-timestamps-deadlock", prefixed(src(s), kubectl_ts),
      meta(s, "kubectl logs --timestamps prefix on every line", "same-as-source",
           [("prefix_regex", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z ")]))

s = "go1.22.12-amd64/repanic.log"
write("journald-repanic", prefixed(src(s), journald),
      meta(s, "journalctl short format prefix on every line", "same-as-source",
           [("prefix_regex", r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S+\[\d+\]: ")]))

s = "go1.19.8-amd64/test_timeout.log"
write("journald-test_timeout", prefixed(with_app_logs(src(s), 11), journald),
      meta(s, "app log lines before/after, then journalctl prefix on every line",
           "same-as-source",
           [("prefix_regex", r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S+\[\d+\]: ")]))

s = "go1.26.8-amd64/closures.log"
write("kubectl-prefix-closures", prefixed(src(s), lambda i: b"[pod/api-7d9f8c6b5-x2kqz/api] "),
      meta(s, "kubectl logs --prefix ([pod/NAME/CONTAINER] ) on every line", "same-as-source",
           [("prefix_regex", r"^\[[^\]]+\] ")]))

s = "go1.24.13-amd64/locked_thread.log"
write("compose-prefix-locked_thread", prefixed(src(s), lambda i: b"service-1  | "),
      meta(s, "docker compose logs prefix ('service-1  | ') on every line", "same-as-source",
           [("prefix_regex", r"^[\w.-]+\s+\| ")]))

s = "go1.26.8-arm64/sigabrt.log"
write("compose-prefix-ansi-sigabrt",
      prefixed(src(s), lambda i: b"\x1b[36mworker-2  |\x1b[0m "),
      meta(s, "docker compose logs with colour: ESC[36m'worker-2  |'ESC[0m prefix on every line",
           "same-as-source", [("prefix_regex", r"^\x1b\[36m[\w.-]+\s+\|\x1b\[0m ")]))

# ---- line endings and colour -----------------------------------------------
s = "go1.26.8-amd64/custom_error.log"
write("crlf-custom_error", src(s).replace(b"\n", b"\r\n"),
      meta(s, "every LF replaced by CRLF", "same-as-source"))

s = "go1.21.13-386/sigquit.log"
write("crlf-sigquit-386", src(s).replace(b"\n", b"\r\n"),
      meta(s, "every LF replaced by CRLF", "same-as-source"))


def colourise(data):
    """Colour the way a log viewer or a colourising wrapper would: red for
    panic/fatal lines, bold for goroutine headers, dim for file lines."""
    res = []
    for l in lines(data):
        if l.startswith((b"panic:", b"fatal error:", b"\tpanic:")):
            l = b"\x1b[1;31m" + l + b"\x1b[0m"
        elif l.startswith(b"goroutine "):
            l = b"\x1b[1m" + l + b"\x1b[0m"
        elif l.startswith(b"\t/"):
            l = b"\x1b[2m" + l + b"\x1b[0m"
        res.append(l)
    return join(res)


s = "go1.26.8-amd64/repanic.log"
write("ansi-repanic", colourise(src(s)),
      meta(s, "ANSI SGR codes around panic lines (ESC[1;31m), goroutine headers (ESC[1m) "
           "and file lines (ESC[2m), each closed with ESC[0m", "same-as-source",
           [("strip_regex", r"\x1b\[[0-9;]*m")]))

s = "go1.25.14-arm64/generics.log"
write("ansi-crlf-generics", colourise(src(s)).replace(b"\n", b"\r\n"),
      meta(s, "ANSI colour as in ansi-repanic, then CRLF line ends", "same-as-source",
           [("strip_regex", r"\x1b\[[0-9;]*m")]))

# ---- surrounding application logs -------------------------------------------
s = "go1.23.12-amd64/index.log"
write("applog-around-index", with_app_logs(src(s), 3, before=6, after=4),
      meta(s, "6 unrelated application log lines before the dump, 4 after", "same-as-source"))

# ---- several dumps in one file ----------------------------------------------
multi = ["go1.26.8-amd64/nil_deref.log", "go1.18.10-amd64/deadlock.log",
         "go1.12.17-386/methods.log"]
data = b""
for i, s in enumerate(multi):
    data += join(app_lines(3, 100 + i)) + b"\n" + src(s)
data += join(app_lines(2, 200)) + b"\n"
write("concat-3-dumps", data,
      [("sources", " ".join(multi)),
       ("transform", "three dumps from different runs, 3 application log lines before each, "
        "2 after the last"),
       ("expect", "dumps-in-order")])

multi = ["go1.26.8-amd64/race.log", "go1.26.8-amd64/custom_error.log"]
data = prefixed(src(multi[0]) + b"2026/11/21 23:40:05 INFO restarting after crash\n" + src(multi[1]),
                kubectl_ts)
write("concat-race-then-panic-kubectl", data,
      [("sources", " ".join(multi)),
       ("transform", "race report then a panic from a restarted process, one log line between, "
        "kubectl --timestamps prefix on every line"),
       ("expect", "dumps-in-order"),
       ("prefix_regex", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z ")])

# ---- truncated dumps --------------------------------------------------------
def cut_inside(data, marker, after_chars):
    """Cut `after_chars` bytes into the first line starting with marker that
    follows the first goroutine header."""
    start = data.index(b"\ngoroutine ") + 1
    pos = data.index(b"\n" + marker, start) + 1
    return data[:pos + after_chars], pos + after_chars


s = "go1.26.8-amd64/deadlock.log"
d = src(s)
# third goroutine header, cut inside its "[chan rec..." status
hdr = 0
for _ in range(3):
    hdr = d.index(b"\ngoroutine ", hdr + 1)
cut = hdr + d[hdr:].index(b"[") + 6
write("truncated-header-deadlock", d[:cut],
      meta(s, "cut in the middle of the third goroutine header (no newline at end)", "truncated",
           [("truncated_at_byte", str(cut))]))

s = "go1.23.12-arm64/sigquit.log"
d = src(s)
pos = len(d) // 2
pos = d.index(b"\nmain.", pos) + 1 + 9  # inside a user function line
write("truncated-frame-sigquit", d[:pos],
      meta(s, "cut in the middle of a function line about halfway through the dump",
           "truncated", [("truncated_at_byte", str(pos))]))

s = "go1.20.14-amd64/stack_overflow.log"
d = src(s)
pos = d.index(b".go:", d.index(b"\ngoroutine ")) + 2  # inside a file:line line
write("truncated-fileline-stack_overflow", d[:pos],
      meta(s, "cut in the middle of the first file:line line of the first goroutine",
           "truncated", [("truncated_at_byte", str(pos))]))

s = "go1.26.8-amd64/throw.log"
d = src(s)
pos = d.index(b" fp=0x") + 8  # inside the fp=/sp=/pc= metadata
write("truncated-metadata-throw", prefixed(d[:pos], journald),
      meta(s, "cut inside the fp=/sp=/pc= metadata of the first frame, then journalctl prefix",
           "truncated",
           [("truncated_at_byte", str(pos)),
            ("prefix_regex", r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S+\[\d+\]: ")]))

# ---- nothing to find ----------------------------------------------------------
r = random.Random(1234)
write("garbage-binary", bytes(r.getrandbits(8) for _ in range(4096)),
      [("source", "none"), ("transform", "4096 pseudo-random bytes (seed 1234)"),
       ("expect", "no-dump")])

write("no-dump-applog", join(app_lines(40, 7)) + b"\n",
      [("source", "none"), ("transform", "40 application log lines, no Go dump"),
       ("expect", "no-dump")])
PY
