#!/usr/bin/env python3
"""Issue 12: a file of many dumps peaks within 2x of one dump.

Writes a Go 1.26 SIGQUIT dump of 100,000 goroutines and a file of COPIES
such dumps one after another, runs the command on both, as text and as
JSON, from a file and from a pipe, and compares the peak RSS of each
multi-dump run with the single dump's read the same way.  The multi-dump reports must also hold every dump: COPIES
"=== dump i of N" headers, and a JSON document with COPIES dumps of the
same goroutine count as the single dump's.

Then --stream on a pipe: the first dump's report can be read while the
command still waits for input (without --stream it cannot).

The peak comes from GNU time (Debian "time", scripts/setup): a child
forked by this Python process would start with its memory counted.

usage: stream_memory.py PANICSCOPE
"""
import os
import re
import select
import subprocess
import sys
import tempfile

GOROUTINES = 100000  # per dump: their records, not the stacks they share, are
                     # what grows with the dumps kept
COPIES = 6           # dumps in the multi-dump file
BOUND = 2.0          # the goal: peak within 2x of one dump
TIME = "/usr/bin/time"

# (state, frames): a few stacks shared by many goroutines, as in a real
# SIGQUIT dump of a server
STACKS = (
    ("chan receive", ["main.worker(0xc000012345?, 0x3)", "\t/app/worker.go:41 +0x5d"]),
    ("select", ["main.(*Pool).loop(0xc0000a0000)", "\t/app/pool.go:88 +0x1a5"]),
    ("sync.Mutex.Lock", ["sync.(*Mutex).Lock(...)", "\t/usr/local/go/src/sync/mutex.go:92",
                         "main.(*Cache).Get(0xc0000b0000, {0xc000123456, 0x8})",
                         "\t/app/cache.go:17 +0x3b"]),
    ("IO wait", ["internal/poll.runtime_pollWait(0x7f0000001234, 0x72)",
                 "\t/usr/local/go/src/runtime/netpoll.go:351 +0x85"]),
)


def big_dump():
    """A Go 1.26 SIGQUIT dump of GOROUTINES goroutines."""
    out = ["SIGQUIT: quit\nPC=0x4876e1 m=0 sigcode=0\n\n"]
    for i in range(GOROUTINES):
        state, frames = STACKS[i % len(STACKS)]
        wait = ", %d minutes" % (i % 7) if i % 3 else ""
        out.append("goroutine %d [%s%s]:\n%s\ncreated by main.main in goroutine 1\n"
                   "\t/app/main.go:%d +0x45\n\n" % (i + 1, state, wait, "\n".join(frames),
                                                     20 + i % len(STACKS)))
    out.append("rip    0x4876e1\nrflags 0x286\n")
    return "".join(out)


def run(ps, args, path, pipe, outfile):
    """Peak RSS (KB) and exit status of one run of the command."""
    tfile = outfile + ".time"
    cmd = [TIME, "-f", "%M", "-o", tfile, ps, *args] + ([] if pipe else [path])
    with open(outfile, "wb") as out:
        if pipe:
            with open(path, "rb") as f:
                proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=out)
                while chunk := f.read(1 << 20):
                    proc.stdin.write(chunk)
                proc.stdin.close()
        else:
            proc = subprocess.Popen(cmd, stdout=out, stdin=subprocess.DEVNULL)
        rc = proc.wait()
    with open(tfile) as f:
        rss = int(f.read().split()[-1])
    return rss, rc


def count(path, pattern):
    """Lines of PATH that start with PATTERN (bytes)."""
    n = 0
    with open(path, "rb") as f:
        for line in f:
            n += line.startswith(pattern)
    return n


def live(ps, stream):
    """True when the first dump's report is readable before stdin ends."""
    proc = subprocess.Popen([ps, "--color", "never"] + (["--stream"] if stream else []),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    # dump 1, then the start of dump 2 and a line after it (the parser
    # holds each line until the next shows it was not hard-wrapped)
    proc.stdin.write(b"panic: first\n\ngoroutine 1 [running]:\nmain.main()\n"
                     b"\t/src/app/main.go:5 +0x1d\n\npanic: second\n\ngoroutine 2 [running]:\n")
    proc.stdin.flush()
    # --stream: the report should come at once (10 s is a loaded machine's
    # margin); without it nothing can come before stdin ends, so 2 s of
    # silence says as much as 10 and keep a test slot idle for less
    ready, _, _ = select.select([proc.stdout], [], [], 10 if stream else 2)
    got = ready and proc.stdout.read1(4096)
    proc.stdin.close()
    proc.stdout.read()
    proc.wait()
    return bool(got) and b"=== dump 1 (-, lines 1-7) ===" in got


def main():
    ps = sys.argv[1]
    fails = []
    if not os.access(TIME, os.X_OK):
        print(f"FAIL: no {TIME} (GNU time): run scripts/setup")
        return 1
    with tempfile.TemporaryDirectory(prefix="ps-stream-") as tmp:
        os.environ["TMPDIR"] = tmp     # the report's spool goes here too
        dump = big_dump()
        one, many = os.path.join(tmp, "one.log"), os.path.join(tmp, "many.log")
        with open(one, "w") as f:
            f.write(dump)
        with open(many, "w") as f:
            for _ in range(COPIES):
                f.write(dump)
        n_goroutines = None
        for fmt in ("text", "json"):
            args = ["--color", "never", "-f", fmt]
            for pipe in (False, True):
                how = f"{fmt} from a {'pipe' if pipe else 'file'}"
                base, rc = run(ps, args, one, pipe, os.path.join(tmp, "one.out"))
                if rc != 0:
                    fails.append(f"{how}: one dump: exit {rc}")
                    continue
                if fmt == "json":
                    n_goroutines = count(os.path.join(tmp, "one.out"), b'{"id":')
                outfile = os.path.join(tmp, "many.out")
                rss, rc = run(ps, args, many, pipe, outfile)
                ratio = rss / base
                print(f"{how}: {COPIES} dumps peak {rss} KB, one dump {base} KB: {ratio:.2f}x")
                if rc != 0:
                    fails.append(f"{how}: exit {rc}")
                if ratio > BOUND:
                    fails.append(f"{how}: peak {ratio:.2f}x one dump's, bound {BOUND}x")
                if fmt == "text":
                    heads = re.findall(r"^=== dump (\d+) of (\d+) ",
                                       open(outfile, encoding="utf-8").read(), re.M)
                    want = [(str(i + 1), str(COPIES)) for i in range(COPIES)]
                    if heads != want:
                        fails.append(f"{how}: dump headers {heads[:3]}..., wanted {COPIES}")
                else:
                    # one dump object a line, each goroutine on a line of its own
                    dumps, gs = count(outfile, b'{"go_version":'), count(outfile, b'{"id":')
                    if dumps != COPIES or gs != COPIES * n_goroutines:
                        fails.append(f"{how}: {dumps} dumps, {gs} goroutines, wanted "
                                     f"{COPIES} x {n_goroutines}")
                os.remove(outfile)
        print(f"{n_goroutines} goroutines a dump, {os.path.getsize(many) >> 20} MB of {COPIES} dumps")
    for stream in (True, False):
        ok = live(ps, stream)
        print(f"{'--stream' if stream else 'whole report'}: dump 1 out before the input ends: {ok}")
        if ok != stream:
            fails.append(f"{'--stream' if stream else 'without --stream'}: dump 1 "
                         f"{'not ' if stream else ''}out before the input ended")
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
