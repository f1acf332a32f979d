#!/usr/bin/env bash
# check.sh - sanity checks on the committed corpus (no parser needed):
#   * every <ver>-<arch>/<kind>.log has a .meta with the same version/arch
#   * the binary type recorded in .meta matches GOARCH
#   * each kind shows its characteristic text (a real dump, not an error)
#   * sigquit dumps hold at least the requested number of goroutines
#   * every dirty/*.log has a .meta naming existing source logs
# Prints one line per problem and "N passed, N failed" at the end; exits 1
# if anything failed.
set -u
CORPUS=$(cd "$(dirname "$0")" && pwd)
exec python3 - "$CORPUS" <<'PY'
import glob, os, re, sys

corpus = sys.argv[1]
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", what)


# Text each kind must contain; alternatives cover older Go versions.
MARKERS = {
    "nil_deref": [r"invalid memory address or nil pointer dereference", r"main\.\(\*Account\)\.Summary\("],
    "index": [r"index out of range", r"main\.pick\("],
    "nil_map": [r"assignment to entry in nil map"],
    "concurrent_map_writes": [r"fatal error: concurrent map (writes|read and map write)"],
    "deadlock": [r"all goroutines are asleep - deadlock!", r"\n\ngoroutine \d+"],
    "stack_overflow": [r"fatal error: stack overflow", r"frames elided"],
    "custom_error": [r"panic: .*validation failed", r"exit status 2"],
    "repanic": [r"\[recovered", r"\tpanic: cleanup: rollback failed"],
    "goexit": [r"after Goexit", r"runtime\.Goexit"],
    "goexit_deadlock": [r"no goroutines \(main called runtime\.Goexit\) - deadlock!"],
    "sigquit": [r"^SIGQUIT: quit", r"\[chan receive"],
    "race": [r"WARNING: DATA RACE", r"Found 1 data race"],
    "test_timeout": [r"panic: test timed out after 1s", r"TestHangingPop"],
    "cgo": [r"SIGSEGV", r"_Cfunc_store|cgocall"],
    "locked_thread": [r"locked to thread", r"command \\?\"reset\\?\" rejected"],
    "generics": [r"main\.\(\*Stack\[\.\.\.\]\)\.Pop", r"exit status 2"],
    "closures": [r"main\.dispatch\.func1", r"created by main\.dispatch"],
    "methods": [r"integer divide by zero", r"main\.Point\.Div\("],
    "deep_recursion": [r"too deep: level 150"],
    "throw": [r"unexpected fault address", r"fatal error: fault", r" fp=0x[0-9a-f]+ sp=0x"],
    "pprof_debug1": [r"^goroutine profile: total \d+", r"\n#\t0x"],
    "pprof_debug2": [r"^goroutine \d+ \[running\]:", r"main\.handle\("],
    "ancestors": [r"\[originating from goroutine \d+\]:"],
    "labels": [r"panic: job nightly-report failed after 3 attempts", r"\n\ngoroutine \d+ \[chan receive"],
    "sigabrt": [r"^SIGABRT: abort", r"\n-----\n"],
}
ARCH_FILE = {"amd64": "x86-64", "386": "Intel 80386", "arm64": "aarch64"}


def read_meta(path):
    meta = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(": ")
            meta[k] = v
    return meta


for log in sorted(glob.glob(os.path.join(corpus, "go*-*", "*.log"))):
    d = os.path.basename(os.path.dirname(log))
    kind = os.path.basename(log)[:-4]
    ver, arch = d.rsplit("-", 1)
    name = "%s/%s" % (d, kind)
    mpath = log[:-4] + ".meta"
    if not os.path.exists(mpath):
        check(False, name + ": no .meta")
        continue
    meta = read_meta(mpath)
    check(meta.get("go_version") == ver and meta.get("goarch") == arch, name + ": meta version/arch")
    if "binary" in meta:
        check(ARCH_FILE[arch] in meta["binary"], name + ": binary is " + meta["binary"])
    text = open(log, "rb").read().decode("utf-8", "replace")
    for pat in MARKERS.get(kind, []):
        check(re.search(pat, text, re.M) is not None, "%s: missing /%s/" % (name, pat))
    if kind == "deep_recursion":
        # 1.21+: 50 + "...N frames elided..." + 50. Before: the first 100
        # frames; the elision line is missing when the hidden gopanic frame
        # is among them (seen with 1.12-1.20).
        vnum = tuple(int(x) for x in ver[2:].split("."))
        if vnum >= (1, 21):
            check(re.search(r"^\.\.\.\d+ frames elided\.\.\.$", text, re.M) is not None,
                  name + ": no '...N frames elided...'")
        else:
            check(len(re.findall(r"^main\.descend\(", text, re.M)) >= 95, name + ": < 95 frames")
    if kind == "sigquit":
        want = int(re.search(r"SIGQUIT_GOROUTINES=(\d+)", meta.get("run", "")).group(1))
        got = len(re.findall(r"^goroutine \d+", text, re.M))
        check(got >= want, "%s: %d goroutine headers, want >= %d" % (name, got, want))

for m in sorted(glob.glob(os.path.join(corpus, "dirty", "*.meta"))):
    meta = read_meta(m)
    name = "dirty/" + os.path.basename(m)
    check(os.path.exists(m[:-5] + ".log"), name + ": no .log")
    srcs = (meta.get("sources") or meta.get("source") or "").split()
    check(bool(srcs) and "expect" in meta and "transform" in meta, name + ": incomplete meta")
    for s in srcs:
        if s != "none":
            check(os.path.exists(os.path.join(corpus, s)), "%s: source %s missing" % (name, s))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
