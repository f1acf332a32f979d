#!/usr/bin/env python3
"""bench/measure.py RUNS CMD - runs the shell command CMD RUNS times
(after one warm-up run) and prints "wall cpu rss": the median wall
seconds, the median CPU seconds (user+system of the command and all it
waited for, from wait4: microseconds, not GNU time's centiseconds, which
cannot time the grep floor) and the peak RSS in KiB over the runs.
Output goes to a scratch file, never /dev/null: GNU grep stops at the
first match when it sees /dev/null."""
import os, statistics, subprocess, sys, tempfile, time

runs, cmd = int(sys.argv[1]), sys.argv[2]
walls, cpus, rss = [], [], 0
for i in range(runs + 1):
    t = time.monotonic()
    with tempfile.TemporaryFile() as out:
        p = subprocess.Popen(["bash", "-c", cmd], stdout=out,
                             stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        _, _, ru = os.wait4(p.pid, 0)
    if i == 0:
        continue  # warm the page cache
    walls.append(time.monotonic() - t)
    cpus.append(ru.ru_utime + ru.ru_stime)
    rss = max(rss, ru.ru_maxrss)
print("%.4f %.4f %d" % (statistics.median(walls), statistics.median(cpus), rss))
