# bench/lib.sh - the pieces of bench/bench.sh.  Sourced after
# scripts/lib.sh; uses $out, $runs, $limit, $panicscope from bench.sh.

# Figures the summary checks, filled in by bench_row.
R_JSON_MEDIAN= R_JSON_GROUPS= R_TEXT_MEDIAN= R_TEXT_LINES= R_TEXT_RSS=
R_REF_GROUPS= R_REF_GOROUTINES=
ref_median=

# The parse-only driver (against build/'s libraries) and the Go peer.
bench_build_tools() {
	local pcre
	pcre=$(pkg-config --libs libpcre2-8)
	# shellcheck disable=SC2086 # pkg-config output is a word list
	ps_step "build bench/out/parse_only" \
		cc -O2 -std=c11 -D_GNU_SOURCE -I"$PS_ROOT/parser" -I"$PS_ROOT/base" \
		"$PS_ROOT/bench/parse_only.c" "$PS_ROOT/build/parser/libps_parse.a" \
		"$PS_ROOT/build/base/libps_base.a" $pcre -o "$out/parse_only"
	ps_step "build gostackparse peer" \
		bash -c "cd '$PS_ROOT/bench/peers/gostackparse' && go build -o '$out/gostackparse-peer' ."
}

# bench_make_dump PROGRAM_DIR N DUMP: builds the program, runs it with
# -n N and keeps its stderr (the SIGQUIT dump).  Reused while newer than
# the program's source.
bench_make_dump() {
	local dir=$1 n=$2 dump=$3 src got
	src=$(cd "$dir" && ls -- *.go | grep -v '_test\.go$' | tr '\n' ' ')
	[ -n "$src" ] || die "no Go source in $dir"
	if [ -s "$dump" ] && [ "$dump" -nt "$dir/main.go" ]; then
		ps_note "reusing $dump"
		return 0
	fi
	ps_step "build $(basename "$dir") program" \
		bash -c "cd '$dir' && go build -o '$out/dump-program' $src"
	ps_note "making the $n-goroutine dump (takes a while)"
	# The program kills itself with SIGQUIT: exit status 2 is success.
	"$out/dump-program" -n "$n" 2>"$dump.tmp" >/dev/null </dev/null || true
	got=$(grep -c '^goroutine [0-9]' "$dump.tmp" || true)
	[ "${got:-0}" -ge "$n" ] ||
		die "the dump has $got goroutines, expected at least $n (see $dump.tmp)"
	mv "$dump.tmp" "$dump"
}

bench_header() {
	local dump=$1 peer=$2
	printf 'dump: %s (%s MB, %s lines, %s goroutine headers)\n' "$dump" \
		$(($(stat -c %s "$dump") / 1000000)) "$(wc -l <"$dump")" \
		"$(grep -c '^goroutine [0-9]' "$dump")"
	[ "$peer" = "$dump" ] ||
		printf 'nogp: the same dump without the gp=/m=/mp= header fields (Go >= 1.23 SIGQUIT form), which the peers cannot read\n'
	printf 'machine: %s, %s cores; median of %s runs (* = one run: it took > 10 s);\nratio = median / panicscope'"'"'s in the same section\n\n' \
		"$(uname -m)" "$(nproc)" "$runs"
	printf '%-28s %-5s %9s %8s %9s %10s %7s %9s\n' tool input median ratio \
		"peak RSS" goroutines groups "out lines"
}

bench_section() {
	ref_median=
	printf '%s\n' "-- $1"
}

# bench_row LABEL INPUT FILE KIND CMD...: one line of the table.  An
# argument "<FILE" is a stdin redirection.  KIND says how to count the
# output: json, text, panicparse, gsp-json, gsp, parse.
bench_row() {
	local label=$1 input=$2 file=$3 kind=$4; shift 4
	local cmd="" a tag res wall rss rc median n_runs
	for a in "$@"; do
		case $a in
		"<"*) cmd+=" <$(printf '%q' "${a#<}")" ;;
		*) cmd+=" $(printf '%q' "$a")" ;;
		esac
	done
	tag=$(printf '%s-%s' "$label" "$input" | tr -c 'A-Za-z0-9-' '_')
	res=$out/$tag
	set +e
	/usr/bin/time -f '%e %M' -o "$res.time" timeout "$limit" bash -c "$cmd" \
		>"$res.out" 2>"$res.err" </dev/null
	rc=$?
	set -e
	read -r wall rss <"$res.time" 2>/dev/null || { wall=0; rss=0; }
	if [ $rc -eq 124 ]; then
		printf '%-28s %-5s %9s\n' "$label" "$input" ">${limit}s (stopped)"
		return 0
	fi
	median=$wall n_runs=1
	if [ "${wall%.*}" -lt 10 ] && command -v hyperfine >/dev/null 2>&1; then
		hyperfine --style none --runs "$runs" --warmup 1 \
			--export-json "$res.hyperfine.json" "$cmd" >/dev/null 2>&1 &&
			median=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$res.hyperfine.json") &&
			n_runs=$runs
	fi
	[ -n "$ref_median" ] || ref_median=$median
	bench_count "$kind" "$res.out"
	[ "$n_runs" = "$runs" ] || median+="*"
	printf '%-28s %-5s %8ss %7sx %6s MB %10s %7s %9s%s\n' "$label" "$input" \
		"$median" "$(python3 -c "print('%.2f' % (${median%\*} / max(${ref_median%\*}, 1e-9)))")" \
		$((rss / 1024)) "$C_GOROUTINES" "$C_GROUPS" "$(wc -l <"$res.out")" \
		"$([ $rc -eq 0 ] || echo "  (exit $rc)")"
	case $label in
	"panicscope -f json") R_JSON_MEDIAN=${median%\*} R_JSON_GROUPS=$C_GROUPS ;;
	"panicscope (text)") R_TEXT_MEDIAN=${median%\*} R_TEXT_RSS=$((rss / 1024))
		R_TEXT_LINES=$(wc -l <"$res.out") ;;
	"parse only: gostackparse") R_REF_GROUPS=$C_GROUPS R_REF_GOROUTINES=$C_GOROUTINES ;;
	esac
}

# bench_count KIND FILE: sets C_GOROUTINES and C_GROUPS ("-" = n/a).
bench_count() {
	local kind=$1 f=$2
	C_GOROUTINES=- C_GROUPS=-
	case $kind in
	json)
		read -r C_GOROUTINES C_GROUPS < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["dumps"]
print(sum(len(x["goroutines"]) for x in d), sum(len(x["groups"]) for x in d))' "$f" 2>/dev/null || echo "? ?") ;;
	panicparse)
		# Group headers: "N: state [...]".
		read -r C_GOROUTINES C_GROUPS < <(awk '/^[0-9]+: / { n += $1; g++ }
			END { print n + 0, g + 0 }' "$f") ;;
	gsp-json)
		C_GOROUTINES=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])) or []))' "$f" 2>/dev/null || echo "?") ;;
	gsp)
		C_GOROUTINES=$(awk '$1 == "goroutines" { print $2 }' "$f")
		C_GROUPS=$(awk '$1 == "groups" { print $2 }' "$f") ;;
	parse)
		C_GOROUTINES=$(tr ' ' '\n' <"$f" | awk 'p { print; exit } $0 == "goroutines" { p = 1 }') ;;
	esac
}

# One line per target of issues 2 and 4, met or missed.
bench_footer() {
	local ok
	verdict() { if [ "$1" = 1 ]; then echo "met   "; else echo "MISSED"; fi; }
	printf '\ntargets (panicscope on the raw dump):\n'
	if [ -n "$R_JSON_MEDIAN" ]; then
		ok=$(python3 -c "print(int($R_JSON_MEDIAN < 1.0))")
		printf '  %s -f json well under 1 s: %ss\n' "$(verdict "$ok")" "$R_JSON_MEDIAN"
	fi
	if [ -n "$R_TEXT_MEDIAN" ]; then
		ok=$(python3 -c "print(int($R_TEXT_MEDIAN < 1.0))")
		printf '  %s text run well under 1 s: %ss\n' "$(verdict "$ok")" "$R_TEXT_MEDIAN"
		ok=$([ "$R_TEXT_RSS" -lt 100 ] && echo 1 || echo 0)
		printf '  %s text run under 100 MB peak: %s MB\n' "$(verdict "$ok")" "$R_TEXT_RSS"
		ok=$([ "$R_TEXT_LINES" -lt 200 ] && echo 1 || echo 0)
		printf '  %s text output under 200 lines: %s\n' "$(verdict "$ok")" "$R_TEXT_LINES"
	fi
	if [ -n "$R_JSON_GROUPS" ] && [ -n "$R_REF_GROUPS" ]; then
		ok=$([ "$R_JSON_GROUPS" = "$R_REF_GROUPS" ] && echo 1 || echo 0)
		printf '  %s groups = distinct (state, stack, created-by) pairs: %s vs %s (counted from gostackparse'\''s parse of the nogp dump, %s goroutines)\n' \
			"$(verdict "$ok")" "$R_JSON_GROUPS" "$R_REF_GROUPS" "$R_REF_GOROUTINES"
	fi
}

# bench_big DUMP: the dump repeated to >= 1 GiB; the parser alone from a
# file (mmap) and from a pipe, and the text report, with peak RSS.
bench_big() {
	local dump=$1 big=$out/big.log size copies i
	size=$(stat -c %s "$dump")
	copies=$(((1073741824 + size - 1) / size))
	if ! [ "$big" -nt "$dump" ]; then
		for ((i = 0; i < copies; i++)); do cat "$dump"; done >"$big"
	fi
	printf '\n-- 1 GB input: %s copies of the dump, %s MB\n' "$copies" \
		$(($(stat -c %s "$big") / 1000000))
	printf '%-34s %9s %9s %12s  %s\n' run wall "peak RSS" goroutines "MB/s"
	big_run "parse only, 1 copy (file)" "$size" "$out/parse_only" "$dump"
	big_run "parse only, 1 GB (file)" "$(stat -c %s "$big")" "$out/parse_only" "$big"
	big_run "parse only, 1 GB (pipe)" "$(stat -c %s "$big")" \
		bash -c "cat '$big' | '$out/parse_only' -"
	big_run "panicscope text, 1 GB (file)" "$(stat -c %s "$big")" \
		"$panicscope" --color never "$big"
	rm -f "$big"
}

big_run() {
	local label=$1 bytes=$2 wall rss g res=$out/big-run; shift 2
	set +e
	/usr/bin/time -f '%e %M' -o "$res.time" timeout "$limit" "$@" \
		>"$res.out" 2>"$res.err" </dev/null
	set -e
	read -r wall rss <"$res.time" 2>/dev/null || { wall=0; rss=0; }
	g=$(tr ' ' '\n' <"$res.out" | awk 'p { print; exit } $0 == "goroutines" { p = 1 }')
	printf '%-34s %8ss %6s MB %12s  %s\n' "$label" "$wall" $((rss / 1024)) \
		"${g:--}" "$(python3 -c "print('%.0f' % ($bytes / 1e6 / max($wall, 0.01)))")"
}
