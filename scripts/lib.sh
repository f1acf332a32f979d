# scripts/lib.sh - helpers shared by scripts/setup, scripts/test and
# bench/bench.sh.  Sourced, not run.

PS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PS_LOGDIR=${PS_LOGDIR:-$PS_ROOT/build-logs}

# A Go toolchain installed outside Debian (the official tarball) lives
# here; prefer it when PATH does not have it yet.
if [ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null 2>&1; then
	PATH=/usr/local/go/bin:$PATH
fi
# Never let the go command download another toolchain behind our back.
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}

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

# True when a go command >= 1.18 (generics) is on PATH.
ps_have_go() {
	local v
	command -v go >/dev/null 2>&1 || return 1
	v=$(go env GOVERSION 2>/dev/null) || return 1
	v=${v#go}
	local major=${v%%.*} rest=${v#*.}
	local minor=${rest%%[!0-9]*}
	[ "${major:-0}" -gt 1 ] || { [ "${major:-0}" -eq 1 ] && [ "${minor:-0}" -ge 18 ]; }
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
