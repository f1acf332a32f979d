#!/usr/bin/env python3
"""The text report's location column on stacks too long to hold (issue 14
item 6).

The text writer keeps a stack's rows until it knows the column where
locations start; a stack of more than 4,096 rows is laid out twice
instead (measure, then print row by row).  This writes stacks of 6,000
frames whose widest call (up to the 64-column limit) is the very last
frame, plus recursion runs, calls wider than the limit and a group whose
members' arguments differ, and checks in the text report, grouped and
with --all:
  - every frame is printed, in order, with its recursion count;
  - every row narrower than the limit starts its location at the same
    column, 2 past the widest such call, which must be the one computed
    here from the input (so a column measured on part of the stack fails);
  - a wider row has its location 2 columns after its own call.

usage: long_stack.py PANICSCOPE WORKDIR
"""
import os
import subprocess
import sys

FRAMES = 6000
LIMIT = 64          # report/text.c CALL_COL_MAX
INDENT = 4


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def calls(seed, n, widest_at):
    """N (func, args, line) triples, repeated triples in runs of 3, the
    one call of exactly LIMIT columns at index WIDEST_AT."""
    out = []
    i = 0
    while len(out) < n:
        name = f"main.f{'x' * ((i * 7 + seed) % 23)}{i}"
        args = ", ".join(hex(k + 1) for k in range(i % 4))
        if i % 97 == 5:          # 70-80 columns: wider than the limit
            name = f"main.wide{'z' * 10}{i}"
            args = ", ".join(hex(0x10000 + k) for k in range(6))
        run = 3 if i % 50 == 7 else 1
        out.extend([(name, args, i + 1)] * min(run, n - len(out)))
        i += 1
    # exactly LIMIT columns: "main.w" + padding + "(0x1)"
    name = "main.w" + "y" * (LIMIT - len("main.w") - len("(0x1)"))
    out[widest_at] = (name, "0x1", 999999)
    return out


def write_log(path):
    crashed = calls(1, FRAMES, FRAMES - 1)
    # full early: the rest needs no measuring, but must be printed
    grouped = calls(2, FRAMES - 1000, 4500)
    with open(path, "w") as f:
        f.write("panic: boom\n\ngoroutine 1 [running]:\n")
        for func, args, line in crashed:
            f.write(f"{func}({args})\n\t/app/main.go:{line} +0x1d\n")
        for g in (2, 3):
            f.write(f"\ngoroutine {g} [chan receive]:\n")
            for k, (func, args, line) in enumerate(grouped):
                # the members disagree on the first argument of odd frames
                if args and k % 2:
                    args = hex(0xc000100000 + g * 0x1000 + k) + args[3:]
                f.write(f"{func}({args})\n\t/app/main.go:{line} +0x1d\n")
    return crashed, grouped


def blocks(text):
    """The frame rows of each stack block: lists of (call, loc column,
    loc text), header lines ending in ':' starting a block."""
    out = []
    for line in text.splitlines():
        if line.startswith("goroutine ") or line[:1].isdigit():
            out.append([])
            continue
        if not out or not line.startswith(" " * INDENT) or "  " not in line[INDENT:]:
            continue
        cut = line.rindex("  ") + 2
        out[-1].append((line[INDENT:cut].rstrip(), cut, line[cut:]))
    return [b for b in out if b]


def check_block(rows, what, want_col=None):
    narrow = [len(call) for call, _, _ in rows if len(call) <= LIMIT]
    col = max(narrow)
    if want_col is not None and col != want_col:
        fail(f"{what}: widest call {col} columns, want {want_col}")
    for call, at, loc in rows:
        want = INDENT + (col if len(call) <= LIMIT else len(call)) + 2
        if at != want:
            fail(f"{what}: location of {call[:40]!r} at column {at}, want {want}")


def runs(frames):
    """Rows of FRAMES as the report shows them: (call, location), a run
    of one call shown once with its count."""
    out, i = [], 0
    while i < len(frames):
        j = i
        while j + 1 < len(frames) and frames[j + 1][::2] == frames[i][::2]:
            j += 1
        func, args, line = frames[i]
        out.append((f"{func}({args})", f"main.go:{line}" + (f" (×{j - i + 1})" if j > i else "")))
        i = j + 1
    return out


def check(panicscope, log, crashed, grouped, extra):
    out = subprocess.run([panicscope, "--color", "never", *extra, log],
                         capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"panicscope {' '.join(extra)} exited {out.returncode}: {out.stderr[-300:]}")
    bs = blocks(out.stdout)
    if len(bs) < 2:
        fail(f"{' '.join(extra) or 'grouped'}: {len(bs)} stack blocks, want 2 or more")
    # the crashed goroutine: its rows are the input's, runs folded
    want = runs(crashed)
    got = [(call, loc) for call, _, loc in bs[0]]
    if got != want:
        bad = next(k for k in range(min(len(got), len(want))) if got[k] != want[k]) \
            if got[:len(want)] != want[:len(got)] else min(len(got), len(want))
        fail(f"crashed stack: {len(got)} rows, want {len(want)}; first difference at "
             f"row {bad}: {got[bad] if bad < len(got) else None} vs "
             f"{want[bad] if bad < len(want) else None}")
    widest = max(len(c) for c, _ in want if len(c) <= LIMIT)
    early = max(len(c) for c, _ in want[:-1] if len(c) <= LIMIT)
    if widest != LIMIT or early >= LIMIT - 10:
        fail(f"test input: widest call {widest}, {early} before the last: want "
             f"{LIMIT}, and the last alone")
    check_block(bs[0], "crashed stack", widest)
    # the others (their arguments differ): every row, the full column
    for k, rows in enumerate(bs[1:], 1):
        locs = [loc for _, _, loc in rows]
        if locs != [loc for _, loc in runs(grouped)]:
            fail(f"block {k}: {len(locs)} rows, want {len(runs(grouped))}, or not in order")
        check_block(rows, f"block {k}", LIMIT)
    return len(bs)


def main():
    panicscope, work = sys.argv[1:3]
    os.makedirs(work, exist_ok=True)
    log = os.path.join(work, "long-stack.log")
    crashed, others = write_log(log)
    grouped = check(panicscope, log, crashed, others, [])
    every = check(panicscope, log, crashed, others, ["--all"])
    if every != grouped + 1:
        fail(f"--all shows {every} stacks, grouped {grouped}: want one more")
    os.remove(log)
    print(f"ok: {grouped} grouped and {every} --all stacks of up to {FRAMES} frames aligned")


if __name__ == "__main__":
    main()
