"""The Go programs that tests build and run: their build cache, and
their outputs kept for replay.

A test that builds a Go program and runs it (the ABI ground truth, the
mutex-contention dump, triage's crashes) leaves the outputs in a
directory beside the source (build-corpus/...) with a manifest naming the
binary's SHA-256 and the cases.  The normal build always runs the
program.  The sanitizer builds, which instrument panicscope and not Go,
replay the outputs when the binary built now is byte for byte the one
that ran (Go builds are reproducible, so the same sources and toolchain
give it) and every case's output is there; otherwise they run the
program themselves.  A manifest is written only after every case ran and
passed its own checks (the program crashed as it should), so a replay
never reads a half-written run.

Imported by the tests with tests/ on sys.path.
"""
import hashlib
import json
import os


def go_cache(work):
    """Go's own build cache: $GOCACHE, else the user cache directory's
    go-build (what `go env GOCACHE` says without a go.env file).  Shared
    by every variant, the sanitizer passes and later clones: the compiled
    standard library is ~90% of a variant's time, and the cache is keyed
    by content (toolchain, flags, sources), so sharing it cannot change a
    binary.  Only with no user cache directory (no HOME) a private one."""
    if os.environ.get("GOCACHE"):
        return os.environ["GOCACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.path.join(os.environ["HOME"], ".cache") if os.environ.get("HOME") else None)
    return os.path.join(base, "go-build") if base else os.path.join(work, "gocache")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def output_path(live_dir, case):
    return os.path.join(live_dir, case + ".log")


def replayable(live_dir, binary):
    """The cases of the run recorded in LIVE_DIR if it ran BINARY as it is
    now and left every output, else None."""
    try:
        with open(os.path.join(live_dir, "manifest.json")) as f:
            m = json.load(f)
    except (OSError, ValueError):
        return None
    if m.get("binary_sha256") != sha256(binary) or not m.get("cases"):
        return None
    if not all(os.path.isfile(output_path(live_dir, c)) for c in m["cases"]):
        return None
    return m["cases"]


def forget(live_dir):
    """Starts a live run in LIVE_DIR: no manifest until it has finished."""
    os.makedirs(live_dir, exist_ok=True)
    try:
        os.remove(os.path.join(live_dir, "manifest.json"))
    except FileNotFoundError:
        pass


def write_manifest(live_dir, binary, cases):
    tmp = os.path.join(live_dir, "manifest.json.tmp")
    with open(tmp, "w") as f:
        json.dump({"binary_sha256": sha256(binary), "cases": cases}, f)
    os.replace(tmp, os.path.join(live_dir, "manifest.json"))


def outputs(live_dir, binary, cases, run_case, replay):
    """[output bytes of each of CASES]: with REPLAY those recorded in
    LIVE_DIR when the record is of BINARY and exactly CASES; else
    run_case(case) for each, recorded for the next replay.  Returns
    (outputs, True when replayed)."""
    if replay and replayable(live_dir, binary) == list(cases):
        out = []
        for c in cases:
            with open(output_path(live_dir, c), "rb") as f:
                out.append(f.read())
        return out, True
    forget(live_dir)
    out = []
    for c in cases:
        text = run_case(c)
        with open(output_path(live_dir, c), "wb") as f:
            f.write(text)
        out.append(text)
    write_manifest(live_dir, binary, list(cases))
    return out, False


def build_stamp(args, env, src_dir, go):
    """What a Go build's output depends on: its arguments, the Go part of
    its environment, the go binary and every file under SRC_DIR.  The
    sanitizer passes find the normal pass's binaries up to date by it,
    without a `go build` up-to-date check each (~0.1-0.3 s of CPU)."""
    h = hashlib.sha256()
    env_go = sorted((k, v) for k, v in env.items() if k.startswith(("GO", "CGO", "CC")))
    h.update(repr((list(args), env_go, os.path.realpath(go))).encode())
    for root, dirs, names in os.walk(src_dir):
        dirs.sort()
        for n in sorted(names):
            f = os.path.join(root, n)
            h.update(os.path.relpath(f, src_dir).encode() + b"\0")
            h.update(sha256(f).encode())
    return h.hexdigest()


def _stamp_line(out, stamp):
    st = os.stat(out)
    return "%s %d %d" % (stamp, st.st_size, st.st_mtime_ns)


def built_as(out, stamp):
    """Whether OUT is the output of the build STAMP names: its stamp file
    holds STAMP and the binary's size and mtime when it was made."""
    try:
        with open(out + ".stamp") as f:
            return f.read() == _stamp_line(out, stamp)
    except OSError:
        return False


def record_build(out, stamp):
    with open(out + ".stamp", "w") as f:
        f.write(_stamp_line(out, stamp))
