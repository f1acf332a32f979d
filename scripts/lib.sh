# scripts/lib.sh - helpers shared by scripts/setup, scripts/test and
# bench/bench.sh.  Sourced, not run.

PS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PS_LOGDIR=${PS_LOGDIR:-$PS_ROOT/build-logs}

# The Go release the committed corpus and ABI ground truth were made
# with: the tests rebuild programs with `go` and expect the same line
# tables, so `go` must be this release.
PS_GO_VERSION=go1.26.8
# Where scripts/setup puts it when the machine has another Go (Debian 12
# has 1.19); the same place corpus/gen.sh and tests/abi keep toolchains.
PS_GO_DIR=$PS_ROOT/build-corpus/toolchains/$PS_GO_VERSION

# Never let the go command download another toolchain behind our back.
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}

# The Go version of the go command on PATH ("go1.26.8"), or "".
ps_go_version() {
	command -v go >/dev/null 2>&1 && go env GOVERSION 2>/dev/null || true
}

# ps_use_go: puts the project's Go first on PATH when it is not there
# already: the official tarball's place, then the link scripts/setup
# made (call again after running scripts/setup, which may have made it).
ps_use_go() {
	local d
	[ "$(ps_go_version)" != "$PS_GO_VERSION" ] || return 0
	for d in /usr/local/go/bin "$PS_GO_DIR/bin"; do
		if [ "$("$d/go" env GOVERSION 2>/dev/null)" = "$PS_GO_VERSION" ]; then
			export PATH=$d:$PATH
			return 0
		fi
	done
}
ps_use_go

die() {
	printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2
	exit 1
}

ps_note() {
	printf '%s: %s\n' "$(basename "$0")" "$*"
}

# ps_step TITLE CMD...: runs CMD with its output in a log file; prints one
# line with the time taken, or the log's tail and the log's path on failure.
ps_step() {
	local title=$1; shift
	local log start rc
	mkdir -p "$PS_LOGDIR"
	log=$PS_LOGDIR/$(printf '%s' "$title" | tr -c 'A-Za-z0-9._-' '_').log
	start=$(date +%s)
	set +e
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	set -e
	if [ $rc -ne 0 ]; then
		printf '%s: FAILED: %s (exit %d) - last lines of %s:\n' \
			"$(basename "$0")" "$title" $rc "$log" >&2
		tail -n 40 "$log" | sed 's/^/  | /' >&2
		exit 1
	fi
	printf '%s: %-40s %4ds\n' "$(basename "$0")" "$title" $(($(date +%s) - start))
}

# ps_go_release GO: the release of the go binary GO ("go1.12.17"), from
# `go version`, which every release has (`go env GOVERSION` is 1.16+);
# without the user's go env file, whose GOFLAGS old releases may reject.
ps_go_release() {
	env -u GOFLAGS GOENV=off "$1" version 2>/dev/null | awk '{ print $3 }'
}

# ps_fetch_go VERSION DIR: makes DIR a link to Go release VERSION
# ("go1.26.8") in the Go module cache (golang.org/toolchain holds every
# release), downloading it with whatever go command is installed.
# Nothing to do if DIR has it.  The release is used where it lies, as
# the go command's own toolchain switch uses it: nine copies of ~400 MB
# each filled CI's disk.  Like the go command, this sets the exec bits
# the module zip does not keep (on the files only; the cache's
# directories stay read-only).
ps_fetch_go() {
	local v=$1 dir=$2 arch src
	[ "$(ps_go_release "$dir/bin/go")" = "$v" ] && return 0
	command -v go >/dev/null 2>&1 || die "no go command to fetch $v with"
	case $(uname -m) in
	x86_64) arch=amd64 ;;
	aarch64) arch=arm64 ;;
	*) die "no $v for $(uname -m): install it as 'go' on PATH" ;;
	esac
	ps_note "fetching $v from the Go module proxy"
	src=$(cd /tmp && env -u GOFLAGS GOTOOLCHAIN=local go mod download -json \
		"golang.org/toolchain@v0.0.1-$v.linux-$arch" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || true
	[ -n "$src" ] && [ -d "$src" ] ||
		die "cannot download golang.org/toolchain@v0.0.1-$v.linux-$arch"
	chmod a+x "$src"/bin/* "$src"/pkg/tool/*/* &&
		mkdir -p "$(dirname "$dir")" && rm -rf "$dir" && ln -s "$src" "$dir" ||
		die "cannot link $v from $src to $dir"
	[ "$(ps_go_release "$dir/bin/go")" = "$v" ] ||
		die "$dir/bin/go does not run"
}

# ps_get_go: makes $PS_GO_VERSION the go on PATH (the tests need it).
# Call after the Debian packages are in.
ps_get_go() {
	[ "$(ps_go_version)" = "$PS_GO_VERSION" ] && return 0
	ps_fetch_go "$PS_GO_VERSION" "$PS_GO_DIR"
	PATH=$PS_GO_DIR/bin:$PATH
}

# ps_apt_install PKG...: installs the packages that are not installed yet.
ps_apt_install() {
	local missing=() p sudo=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	command -v apt-get >/dev/null 2>&1 ||
		die "missing packages (${missing[*]}) and no apt-get: install them by hand"
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 ||
			die "missing packages (${missing[*]}): run as root or install sudo"
		sudo=(sudo -n)
	fi
	export DEBIAN_FRONTEND=noninteractive
	ps_step "apt-get update" "${sudo[@]}" apt-get -q -o DPkg::Lock::Timeout=300 update
	ps_note "installing ${missing[*]}"
	ps_step "install ${#missing[@]} Debian packages" "${sudo[@]}" apt-get -q -y \
		-o DPkg::Lock::Timeout=300 --no-install-recommends install "${missing[@]}"
}

# ps_get_pre_commit: the pre-commit framework from PyPI, in a venv of its
# own (Debian's python refuses pip installs outside one), for the hook
# tests of `panicscope check` (tests/check.cmake finds it at
# build-tools/pre-commit).  The venv lives in a cache outside the
# checkout, like Go's build cache, keyed by the pinned release and the
# python3 release (a venv is bound to both), so a fresh clone links it
# instead of running pip again (~12 s); it is made again when missing or
# broken.  PS_CACHE_DIR=$(mktemp -d) makes a cold run.
PS_PRE_COMMIT_VERSION=4.7.0
PS_CACHE_DIR=${PS_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/panicscope}
PS_PRE_COMMIT_DIR=$PS_ROOT/build-tools/pre-commit
ps_get_pre_commit() {
	local py venv
	py=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') ||
		die "python3 does not run"
	venv=$PS_CACHE_DIR/pre-commit-$PS_PRE_COMMIT_VERSION-py$py
	if [ "$("$venv/bin/pre-commit" --version 2>/dev/null)" != "pre-commit $PS_PRE_COMMIT_VERSION" ]; then
		mkdir -p "$PS_CACHE_DIR" || die "cannot make $PS_CACHE_DIR"
		# one maker at a time: two clones' setups may run at once
		exec 9>"$venv.lock"
		flock 9
		if [ "$("$venv/bin/pre-commit" --version 2>/dev/null)" != "pre-commit $PS_PRE_COMMIT_VERSION" ]; then
			rm -rf "$venv"
			ps_step "venv for pre-commit" python3 -m venv "$venv"
			ps_step "pip install pre-commit" "$venv/bin/pip" install -q \
				"pre-commit==$PS_PRE_COMMIT_VERSION"
		fi
		exec 9>&-
	fi
	[ "$(readlink "$PS_PRE_COMMIT_DIR" 2>/dev/null)" = "$venv" ] && return 0
	mkdir -p "$(dirname "$PS_PRE_COMMIT_DIR")" && rm -rf "$PS_PRE_COMMIT_DIR" &&
		ln -s "$venv" "$PS_PRE_COMMIT_DIR" ||
		die "cannot link $PS_PRE_COMMIT_DIR to $venv"
}
