#!/usr/bin/env bash
# gen.sh - build and run every corpus program with every Go toolchain we can
# get and several GOARCH values, storing the real crash output.
#
# Output: corpus/<goversion>-<arch>/<kind>.log  (stdout+stderr, as printed)
#         corpus/<goversion>-<arch>/<kind>.meta (program, toolchain, commands,
#                                                exit status)
#
# Usage:
#   corpus/gen.sh [-g "go1.26.8 go1.19.8 ..."] [-a "amd64 386 arm64"]
#                 [-k "nil_deref index ..."] [-n SIGQUIT_GOROUTINES]
#   corpus/gen.sh --big-sigquit N OUTFILE [GOVERSION]
#       Writes a SIGQUIT dump with N parked goroutines to OUTFILE (not part
#       of the committed corpus; the benchmark uses N=100000: ~108 MB with
#       go1.26.8 on amd64, ~18 s).
#
# Toolchains (see README.md):
#   go1.26.8  the installed `go` (or GOTOOLCHAIN download if it differs)
#   go1.19.8  Debian's /usr/lib/go-1.19/bin/go (apt package golang-1.19-go)
#   >= 1.21   GOTOOLCHAIN=goX.Y.Z through the Go module proxy
#   <  1.21   the same golang.org/toolchain module, fetched with
#             `go mod download` (GOTOOLCHAIN refuses to switch to them) and
#             copied to build-corpus/toolchains with the exec bits restored.
#
# Needs: go, qemu-user (qemu-aarch64), gcc; optional for cgo on 386/arm64:
# gcc-i686-linux-gnu + libc6-dev-i386-cross, gcc-aarch64-linux-gnu +
# libc6-dev-arm64-cross. Combos that cannot work are skipped with a
# "SKIP" line on stdout; they are listed in README.md.
#
# Idempotent: each run rewrites the selected <kind>.log/.meta files and
# nothing else. The dumps are real, so addresses, timings and goroutine
# ordering can differ between runs; the set of files and their shape do not.

set -u
umask 022
ulimit -c 0 # no core files, and no "dumped core" notes in the logs

CORPUS=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$CORPUS")
BUILD=${PS_CORPUS_BUILD:-$ROOT/build-corpus}
PROGS=$CORPUS/programs
RUN_TIMEOUT=${RUN_TIMEOUT:-180}

ALL_GO="go1.12.17 go1.16.15 go1.18.10 go1.19.8 go1.20.14 go1.21.13 go1.22.12
go1.23.12 go1.24.13 go1.25.14 go1.26.8 go1.27.4"
ALL_ARCH="amd64 386 arm64"
ALL_KINDS="nil_deref index nil_map concurrent_map_writes deadlock
stack_overflow custom_error repanic goexit goexit_deadlock sigquit race
test_timeout cgo locked_thread generics closures methods deep_recursion
throw pprof_debug1 pprof_debug2 ancestors sigabrt labels"

# Goroutines parked by the committed sigquit dumps. 2000 on amd64 for the
# toolchains that mark format changes (1.12 raw args, 1.19 level-2 SIGQUIT
# dumps, 1.22 gp= headers, 1.26 installed, 1.27 newest); 1000 for the other
# amd64 toolchains and 200 on 386/arm64, to keep the committed corpus under
# ~40 MB (a 2000-goroutine level-2 dump is ~2.3 MB). -n overrides all.
SIGQUIT_N_FULL=2000
SIGQUIT_FULL_VERSIONS="go1.12.17 go1.19.8 go1.22.12 go1.26.8 go1.27.4"
SIGQUIT_N_AMD64=1000
SIGQUIT_N_OTHER=200

note() { printf '%s\n' "$*"; }
skip() { printf 'SKIP %s\n' "$*"; }

# ---------------------------------------------------------------- toolchains

# Version number of a "goX.Y.Z" string as X*10000+Y*100+Z for comparisons.
vnum() {
	local v=${1#go} a b c
	IFS=. read -r a b c <<<"$v"
	echo $((a * 10000 + b * 100 + ${c:-0}))
}

# Print the path of a go binary for version $1, installing it if needed.
resolve_go() {
	local v=$1 n dir gr
	n=$(vnum "$v")
	if [ "$(env -u GOFLAGS GOTOOLCHAIN=local go env GOVERSION 2>/dev/null)" = "$v" ]; then
		command -v go
		return 0
	fi
	if [ "$v" = go1.19.8 ]; then
		if [ ! -x /usr/lib/go-1.19/bin/go ]; then
			apt-get install -y golang-1.19-go >&2 || return 1
		fi
		echo /usr/lib/go-1.19/bin/go
		return 0
	fi
	if [ "$n" -ge 12100 ]; then
		gr=$(env -u GOFLAGS GOTOOLCHAIN="$v" go env GOROOT) || return 1
		[ -x "$gr/bin/go" ] || return 1
		echo "$gr/bin/go"
		return 0
	fi
	dir=$BUILD/toolchains/$v
	if [ ! -x "$dir/bin/go" ]; then
		local src
		src=$(cd /tmp && env -u GOFLAGS GOTOOLCHAIN=local go mod download -json \
			"golang.org/toolchain@v0.0.1-$v.linux-amd64" |
			sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || return 1
		[ -n "$src" ] && [ -d "$src" ] || return 1
		mkdir -p "$BUILD/toolchains"
		rm -rf "$dir.tmp"
		cp -r "$src" "$dir.tmp" && chmod -R u+w "$dir.tmp" &&
			chmod +x "$dir.tmp"/bin/* "$dir.tmp"/pkg/tool/*/* &&
			mv "$dir.tmp" "$dir" || return 1
	fi
	echo "$dir/bin/go"
}

# ---------------------------------------------------------------- matrix

# Print a reason and return 0 if kind $1 cannot run with version $2 / arch $3.
why_skip() {
	local kind=$1 v=$2 arch=$3 n
	n=$(vnum "$v")
	case $kind in
	generics)
		[ "$n" -lt 11800 ] && { echo "generics need Go >= 1.18"; return 0; } ;;
	race)
		[ "$arch" != amd64 ] && { echo "race detector corpus is amd64 only"; return 0; } ;;
	cgo)
		case $arch in
		386) command -v i686-linux-gnu-gcc >/dev/null ||
			{ echo "no i686-linux-gnu-gcc (apt: gcc-i686-linux-gnu)"; return 0; } ;;
		arm64) command -v aarch64-linux-gnu-gcc >/dev/null ||
			{ echo "no aarch64-linux-gnu-gcc (apt: gcc-aarch64-linux-gnu)"; return 0; } ;;
		amd64) command -v gcc >/dev/null || { echo "no gcc"; return 0; } ;;
		esac ;;
	esac
	return 1
}

# Environment (as assignments) for running kind $1.
run_env() {
	case $1 in
	throw | sigabrt) echo "GOTRACEBACK=crash" ;;
	locked_thread) echo "GOTRACEBACK=all" ;;
	ancestors) echo "GODEBUG=tracebackancestors=5" ;;
	labels) echo "GOTRACEBACK=all GODEBUG=tracebacklabels=1" ;;
	sigquit) echo "SIGQUIT_GOROUTINES=$2" ;;
	*) echo "" ;;
	esac
}

# How kind $1 is run: "bin" (build then run the binary), "gorun" (go run),
# "gotest" (go test -timeout 1s).
run_mode() {
	case $1 in
	custom_error | generics) echo gorun ;;
	test_timeout) echo gotest ;;
	*) echo bin ;;
	esac
}

# ---------------------------------------------------------------- one case

# run_case GO VERSION ARCH KIND OUTDIR
run_case() {
	local gobin=$1 v=$2 arch=$3 kind=$4 out=$5
	local pdir=$PROGS/$kind bindir=$BUILD/bin/$v-$arch
	local cgo=0 cc="" exec_wrap="" ldflags="" buildflags="" n env mode
	local log=$out/$kind.log meta=$out/$kind.meta status build_cmd run_cmd
	mkdir -p "$bindir"
	case $kind in
	race) cgo=1; buildflags="-race" ;;
	cgo)
		cgo=1
		case $arch in
		386) cc=i686-linux-gnu-gcc; ldflags="-extldflags=-static" ;;
		arm64) cc=aarch64-linux-gnu-gcc; ldflags="-extldflags=-static" ;;
		esac ;;
	esac
	[ "$arch" = arm64 ] && exec_wrap=qemu-aarch64
	n=$SIGQUIT_N_OTHER
	if [ "$arch" = amd64 ]; then
		n=$SIGQUIT_N_AMD64
		case " $SIGQUIT_FULL_VERSIONS " in *" $v "*) n=$SIGQUIT_N_FULL ;; esac
	fi
	[ -n "${SIGQUIT_N:-}" ] && n=$SIGQUIT_N
	env=$(run_env "$kind" "$n")
	mode=$(run_mode "$kind")

	# GOENV=off: a user go/env file (e.g. GOFLAGS=-buildvcs=false) would break
	# toolchains older than the flags it names.
	local benv="GOENV=off GOOS=linux GOARCH=$arch CGO_ENABLED=$cgo GOTOOLCHAIN=local"
	[ -n "$cc" ] && benv="$benv CC=$cc"
	local files="main.go"
	[ -f "$pdir/main_test.go" ] && files="main.go main_test.go"
	local bflags="$buildflags"
	[ -n "$ldflags" ] && bflags="$bflags -ldflags=$ldflags"
	bflags=${bflags# }
	local execflag=""
	[ -n "$exec_wrap" ] && execflag="-exec $exec_wrap"

	case $mode in
	bin)
		build_cmd="$benv $gobin build $bflags -o $bindir/$kind $files"
		run_cmd="$env $exec_wrap $bindir/$kind"
		;;
	gorun)
		build_cmd="(none: go run builds)"
		run_cmd="$env $benv $gobin run $execflag $bflags $files"
		;;
	gotest)
		build_cmd="(none: go test builds)"
		run_cmd="$env $benv $gobin test $execflag $bflags -timeout 1s $files"
		;;
	esac
	build_cmd=$(echo "$build_cmd" | tr -s ' ')
	run_cmd=$(echo "$run_cmd" | tr -s ' ' | sed 's/^ //')

	if [ "$mode" = bin ]; then
		if ! (cd "$pdir" && env -u GOFLAGS $build_cmd) >"$bindir/$kind.buildlog" 2>&1; then
			skip "$v-$arch/$kind: build failed: $(head -c 300 "$bindir/$kind.buildlog" | tr '\n' ' ')"
			return 0
		fi
	fi
	# The braces catch bash's own "Aborted" job notice for signal deaths.
	{ (cd "$pdir" && env -u GOFLAGS timeout -k 5 "$RUN_TIMEOUT" env $run_cmd) >"$log.tmp" 2>&1; } 2>/dev/null
	status=$?
	# qemu reports a guest's death by signal itself; that line is not Go's.
	if [ -n "$exec_wrap" ]; then
		sed -i '/^qemu: uncaught target signal/d' "$log.tmp"
	fi
	if [ "$status" = 124 ] || [ ! -s "$log.tmp" ] || grep -q 'build constraints exclude\|cannot find package\|syntax error' "$log.tmp"; then
		skip "$v-$arch/$kind: run failed or timed out (status $status): $(head -c 300 "$log.tmp" | tr '\n' ' ')"
		rm -f "$log.tmp"
		return 0
	fi
	mv "$log.tmp" "$log"
	write_meta "$meta" "$kind" "$v" "$arch" "$gobin" "$mode" "$build_cmd" "$run_cmd" "$status" "$exec_wrap" "$bindir/$kind"
	note "ok   $v-$arch/$kind (exit $status, $(wc -c <"$log") bytes)"
}

write_meta() {
	local meta=$1 kind=$2 v=$3 arch=$4 gobin=$5 mode=$6 build_cmd=$7 run_cmd=$8 status=$9
	local exec_wrap=${10} bin=${11} gorel
	gorel=${gobin#"$ROOT"/}
	{
		echo "kind: $kind"
		echo "program: corpus/programs/$kind/$(cd "$PROGS/$kind" && ls *.go | tr '\n' ' ' | sed 's/ $//')"
		echo "go_version: $v"
		echo "goos: linux"
		echo "goarch: $arch"
		echo "toolchain: $gorel"
		echo "toolchain_source: $(toolchain_source "$v")"
		echo "mode: $mode"
		echo "workdir: corpus/programs/$kind"
		echo "build: ${build_cmd//$ROOT\//}"
		echo "run: ${run_cmd//$ROOT\//}"
		[ -n "$exec_wrap" ] && echo "emulator: $exec_wrap (lines starting 'qemu: uncaught target signal' removed from the log)"
		if [ "$mode" = bin ] && [ -f "$bin" ]; then
			echo "binary: $(file -b "$bin" | cut -d, -f1-2)"
		fi
		echo "exit_status: $status$(sig_note "$status")"
		echo "log: $kind.log (stdout and stderr interleaved as written)"
	} >"$meta"
}

toolchain_source() {
	local v=$1
	if [ "$(env -u GOFLAGS GOTOOLCHAIN=local go env GOVERSION 2>/dev/null)" = "$v" ]; then
		echo "installed go"
	elif [ "$v" = go1.19.8 ]; then
		echo "Debian package golang-1.19-go"
	elif [ "$(vnum "$v")" -ge 12100 ]; then
		echo "GOTOOLCHAIN=$v (Go module proxy)"
	else
		echo "golang.org/toolchain@v0.0.1-$v.linux-amd64 via go mod download"
	fi
}

sig_note() {
	local s=$1
	if [ "$s" -gt 128 ] && [ "$s" -lt 160 ]; then
		echo " (killed by signal $(kill -l $((s - 128)) 2>/dev/null || echo $((s - 128))))"
	fi
}

# ---------------------------------------------------------------- big dump

big_sigquit() {
	local n=$1 outfile=$2 v=${3:-} gobin
	[ -n "$v" ] || v=$(env -u GOFLAGS GOTOOLCHAIN=local go env GOVERSION)
	gobin=$(resolve_go "$v") || { echo "cannot get $v" >&2; return 1; }
	mkdir -p "$BUILD/bin"
	(cd "$PROGS/sigquit" && env -u GOFLAGS GOENV=off GOTOOLCHAIN=local CGO_ENABLED=0 \
		"$gobin" build -o "$BUILD/bin/sigquit-big" main.go) || return 1
	local status
	"$BUILD/bin/sigquit-big" -n "$n" >"$outfile" 2>&1
	status=$?
	echo "wrote $outfile ($(wc -c <"$outfile") bytes, $(grep -c '^goroutine ' "$outfile") goroutine headers, exit $status)"
}

# ---------------------------------------------------------------- main

main() {
	local gos=$ALL_GO arches=$ALL_ARCH kinds=$ALL_KINDS
	if [ "${1:-}" = --big-sigquit ]; then
		shift
		big_sigquit "$@"
		return
	fi
	while [ $# -gt 0 ]; do
		case $1 in
		-g) gos=$2; shift 2 ;;
		-a) arches=$2; shift 2 ;;
		-k) kinds=$2; shift 2 ;;
		-n) SIGQUIT_N=$2; shift 2 ;;
		*) echo "usage: $0 [-g VERSIONS] [-a ARCHES] [-k KINDS] [-n N] | --big-sigquit N OUT [VERSION]" >&2
			return 2 ;;
		esac
	done
	command -v qemu-aarch64 >/dev/null || note "NOTE: qemu-aarch64 missing (apt: qemu-user); arm64 skipped"
	local v arch kind gobin out why
	for v in $gos; do
		if ! gobin=$(resolve_go "$v"); then
			skip "$v: toolchain not available"
			continue
		fi
		for arch in $arches; do
			if [ "$arch" = arm64 ] && ! command -v qemu-aarch64 >/dev/null; then
				skip "$v-$arch: no qemu-aarch64"
				continue
			fi
			out=$CORPUS/$v-$arch
			mkdir -p "$out"
			for kind in $kinds; do
				if why=$(why_skip "$kind" "$v" "$arch"); then
					skip "$v-$arch/$kind: $why"
					rm -f "$out/$kind.log" "$out/$kind.meta"
					continue
				fi
				run_case "$gobin" "$v" "$arch" "$kind" "$out"
			done
		done
	done
}

main "$@"
