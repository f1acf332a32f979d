#!/usr/bin/env python3
"""bench/measure.py RUNS CMD [CMD...] - runs each shell command CMD RUNS
times (after one warm-up run each) and prints one line "wall cpu rss"
per command: the median wall seconds, the median CPU seconds (user+system
of the command and all it waited for, from wait4: microseconds, not GNU
time's centiseconds, which cannot time the grep floor) and the peak RSS
in KiB over the runs.
Several commands run round-robin (one run of each in turn), so a machine
that speeds up or slows down during the measurement (a shared VM does,
by 2x within a minute) moves every command's figures alike, and their
ratios hold.
Output goes to a scratch file, never /dev/null: GNU grep stops at the
first match when it sees /dev/null."""
import os, statistics, subprocess, sys, tempfile, time


def run(cmd):
    t = time.monotonic()
    with tempfile.TemporaryFile() as out:
        p = subprocess.Popen(["bash", "-c", cmd], stdout=out,
                             stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        _, _, ru = os.wait4(p.pid, 0)
    return time.monotonic() - t, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


runs, cmds = int(sys.argv[1]), sys.argv[2:]
walls = [[] for _ in cmds]
cpus = [[] for _ in cmds]
rss = [0 for _ in cmds]
for i in range(runs + 1):
    for k, cmd in enumerate(cmds):
        wall, cpu, peak = run(cmd)
        if i == 0:
            continue  # warm the page cache
        walls[k].append(wall)
        cpus[k].append(cpu)
        rss[k] = max(rss[k], peak)
for k in range(len(cmds)):
    print("%.4f %.4f %d" % (statistics.median(walls[k]), statistics.median(cpus[k]), rss[k]))
