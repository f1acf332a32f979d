#!/usr/bin/env bash
# bench/triage.sh - how fast `panicscope triage` clusters field logs.
#
# Two sets made from the corpus's real dumps (in bench/out/triage/, kept
# between runs):
#   small: 20,000 logs of 2-20 KB (a crash after some application lines)
#   big:   1 GiB of service logs (application lines, a crash every ~2 MB)
# Each is triaged once to warm the page cache, then timed on one core
# (taskset -c 0).  The figures are CPU seconds (user+sys) as well as wall
# seconds: on a shared machine the wall clock measures the neighbours.
# Targets (issue 7): >= 5,000 small logs/s on one core; 1 GiB in < 10 s;
# max RSS bounded by clusters (the same for both sets).
#
#   bench/triage.sh [--small-only]
# Not a test: it prints figures and exits 0 (1 if a target is missed).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib.sh"

panicscope=$PS_ROOT/build/cli/panicscope
out=$PS_ROOT/bench/out/triage
small_only=0
[ "${1:-}" = --small-only ] && small_only=1
[ -x "$panicscope" ] || die "build first (scripts/setup): $panicscope is missing"
command -v taskset >/dev/null || die "taskset (util-linux) is missing"
mkdir -p "$out"

make_sets() {
	python3 - "$PS_ROOT" "$out" "$small_only" <<'EOF'
import glob, os, random, sys
root, out, small_only = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
random.seed(7)
logs = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(root, "corpus", "go1*", "*.log")))]
small = [l for l in logs if 1500 < len(l) < 18000]

def app_lines(n, k0):
    return b"".join(b"2026-11-02T10:%02d:%02dZ INFO request id=%d path=/api/v1/items status=200\n"
                    % (k // 60 % 60, k % 60, k) for k in range(k0, k0 + n))

d = os.path.join(out, "small")
if not os.path.isdir(d):
    os.makedirs(d + ".tmp", exist_ok=True)
    for i in range(20000):
        log = small[i % len(small)]
        pad = app_lines(random.randint(0, max(0, (20000 - len(log)) // 80)), i)
        with open(os.path.join(d + ".tmp", "%05d.log" % i), "wb") as f:
            f.write(pad + log)
    os.rename(d + ".tmp", d)
d = os.path.join(out, "big")
if not small_only and not os.path.isdir(d):
    os.makedirs(d + ".tmp", exist_ok=True)
    for i in range(128):                       # 128 x 8 MiB
        with open(os.path.join(d + ".tmp", "service-%03d.log" % i), "wb") as f:
            n = 0
            while n < 8 << 20:
                chunk = app_lines(25000, n) + small[(i * 7 + n) % len(small)]
                f.write(chunk)
                n += len(chunk)
    os.rename(d + ".tmp", d)
EOF
}

# time_run DIR: prints "cpu wall maxrss_kib"
time_run() {
	python3 - "$panicscope" "$1" <<'EOF'
import resource, subprocess, sys, time
ps, d = sys.argv[1], sys.argv[2]
t = time.time()
subprocess.run(["taskset", "-c", "0", ps, "triage", "--quiet", "-f", "json", "-o", "/dev/null", d],
               check=True)
wall = time.time() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.2f} {wall:.2f} {r.ru_maxrss}")
EOF
}

ps_step "make the benchmark sets in $out" make_sets
miss=0
"$panicscope" triage --quiet -f json -o /dev/null "$out/small"
read -r cpu wall rss < <(time_run "$out/small")
rate=$(python3 -c "print(int(20000 / max($cpu, 1e-3)))")
wrate=$(python3 -c "print(int(20000 / max($wall, 1e-3)))")
bytes=$(du -sb "$out/small" | cut -f1)
printf 'small: 20000 logs (%s MB): %s s CPU, %s s wall -> %s logs/s CPU, %s logs/s wall, max RSS %s KiB\n' \
	"$((bytes / 1000000))" "$cpu" "$wall" "$rate" "$wrate" "$rss"
[ "$rate" -ge 5000 ] || { ps_note "below 5,000 logs/s"; miss=1; }
if [ $small_only = 0 ]; then
	"$panicscope" triage --quiet -f json -o /dev/null "$out/big"
	read -r cpu wall rss2 < <(time_run "$out/big")
	bytes=$(du -sb "$out/big" | cut -f1)
	printf 'big: %s MB in 128 files: %s s CPU, %s s wall -> %s MB/s CPU, max RSS %s KiB\n' \
		"$((bytes / 1000000))" "$cpu" "$wall" \
		"$(python3 -c "print(int($bytes / 1e6 / max($cpu, 1e-3)))")" "$rss2"
	python3 -c "import sys; sys.exit(0 if $cpu < 10 else 1)" ||
		{ ps_note "1 GiB took 10 s of CPU or more"; miss=1; }
fi
exit $miss
