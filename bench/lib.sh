# bench/lib.sh - the pieces of bench/bench.sh.  Sourced after
# scripts/lib.sh; uses $out, $runs, $limit, $panicscope from bench.sh.

# Figures the summary checks, filled in by bench_row.
R_JSON_MEDIAN= R_JSON_GROUPS= R_TEXT_MEDIAN= R_TEXT_LINES= R_TEXT_RSS=
R_REF_GROUPS= R_REF_GOROUTINES=
ref_median=
# Median CPU and wall seconds of each row, by "LABEL/INPUT", for the
# issue-12 goals (bench_goals).
declare -A R_CPU R_WALL R_CMD R_CPU_MIN

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
	printf 'machine: %s, %s cores; median of %s runs (* = one run: it took > 10 s);\nratio = median / the section'"'"'s first row'"'"'s; cpu = user+system seconds\n(median), steadier than wall time when the machine is busy\n\n' \
		"$(uname -m)" "$(nproc)" "$runs"
	printf '%-28s %-5s %9s %8s %8s %9s %10s %7s %9s\n' tool input median ratio \
		"cpu" "peak RSS" goroutines groups "out lines"
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
	local cmd="" a tag res wall rss usr sys cpu rc median n_runs
	for a in "$@"; do
		case $a in
		"<"*) cmd+=" <$(printf '%q' "${a#<}")" ;;
		*) cmd+=" $(printf '%q' "$a")" ;;
		esac
	done
	tag=$(printf '%s-%s' "$label" "$input" | tr -c 'A-Za-z0-9-' '_')
	res=$out/$tag
	set +e
	/usr/bin/time -f '%e %M %U %S' -o "$res.time" timeout "$limit" bash -c "$cmd" \
		>"$res.out" 2>"$res.err" </dev/null
	rc=$?
	set -e
	if [ $rc -eq 124 ]; then
		# the CPU it had spent when stopped: a floor for its ratio
		read -r wall rss usr sys < <(tail -n 1 "$res.time")
		cpu=$(python3 -c "print('%.3f' % ($usr + $sys))")
		R_CPU_MIN[$label/$input]=$cpu
		printf '%-28s %-5s %9s %7s %7ss (CPU when stopped)\n' "$label" "$input" \
			">${limit}s" "" ">$cpu"
		return 0
	fi
	# GNU time puts "Command exited with non-zero status N" first.
	read -r wall rss usr sys < <(tail -n 1 "$res.time")
	cpu=$(python3 -c "print('%.3f' % ($usr + $sys))")
	median=$wall n_runs=1
	if [ "${wall%.*}" -lt 10 ]; then
		read -r median cpu rss < <(python3 "$PS_ROOT/bench/measure.py" "$runs" "$cmd")
		median=$(printf '%.3f' "$median") cpu=$(printf '%.3f' "$cpu")
		n_runs=$runs
	fi
	R_CPU[$label/$input]=$cpu R_WALL[$label/$input]=$median
	[ "$n_runs" != "$runs" ] || R_CMD[$label/$input]=$cmd
	[ -n "$ref_median" ] || ref_median=$median
	bench_count "$kind" "$res.out"
	[ "$n_runs" = "$runs" ] || median+="*"
	printf '%-28s %-5s %8ss %7sx %7ss %6s MB %10s %7s %9s%s\n' "$label" "$input" \
		"$median" "$(python3 -c "print('%.2f' % (${median%\*} / max(${ref_median%\*}, 1e-9)))")" \
		"$cpu" $((rss / 1024)) "$C_GOROUTINES" "$C_GROUPS" "$(wc -l <"$res.out")" \
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
		C_GOROUTINES=$(value_after goroutines "$f") ;;
	text)
		# The report's per-dump line "N goroutines in M groups".
		read -r C_GOROUTINES C_GROUPS < <(awk '
			$2 == "goroutines" && $3 == "in" && $5 ~ /^groups?$/ { n += $1; g += $4; k++ }
			END { if (k) print n, g; else print "- -" }' "$f") ;;
	esac
}

# value_after KEY FILE: the word after the first word KEY in FILE.
value_after() {
	awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' "$2"
}

# goal_line TEXT VALUE OP LIMIT: one issue-12 goal as a ratio, met or
# missed (OP is < or >).
goal_line() {
	local ok
	ok=$(python3 -c "print(int($2 $3 $4))")
	printf '  %s %-58s %6.2fx (goal %s %sx)\n' "$(verdict "$ok")" "$1" "$2" "$3" "$4"
}

# ratio A B: A / B to two places, or empty when either is missing.
ratio() {
	[ -n "${1:-}" ] && [ -n "${2:-}" ] || return 0
	python3 -c "print('%.2f' % ($1 / max($2, 1e-9)))"
}

# bench_interleaved KEY...: the rows KEY ("label/input") measured again,
# round-robin (bench/measure.py: one run of each in turn), R runs each;
# their R_CPU and R_WALL become these figures, which the goals read.  A
# table row's runs come one after another, so a machine that changes
# speed between two rows (a shared VM does) skews their ratio; here
# every row meets the same minutes.  Rows that ran once (over 10 s) or
# were stopped keep their own figures.
bench_interleaved() {
	local keys=() cmds=() k i wall cpu rss
	for k in "$@"; do
		[ -n "${R_CMD[$k]:-}" ] || continue
		keys+=("$k") cmds+=("${R_CMD[$k]}")
	done
	[ ${#keys[@]} -gt 1 ] || return 0
	printf '\n-- the goals'"'"' rows again, round-robin (%s runs each)\n' "$runs"
	printf '%-34s %9s %8s %9s\n' row median cpu "peak RSS"
	i=0
	while read -r wall cpu rss; do
		k=${keys[$i]}
		R_CPU[$k]=$(printf '%.3f' "$cpu") R_WALL[$k]=$(printf '%.3f' "$wall")
		printf '%-34s %8ss %7ss %6s MB\n' "$k" "${R_WALL[$k]}" "${R_CPU[$k]}" $((rss / 1024))
		i=$((i + 1))
	done < <(python3 "$PS_ROOT/bench/measure.py" "$runs" "${cmds[@]}")
}

# The goals of issue 12, each a ratio of median CPU seconds (walls for
# the cores goal) measured in this run; a goal whose rows did not run is
# said to be unmeasured, not met.
bench_goals() {
	local grep_cpu=${R_CPU["grep -c ^goroutine/raw"]:-} text=${R_CPU["panicscope (text)/raw"]:-}
	local json=${R_CPU["panicscope -f json/raw"]:-} gsp=${R_CPU["gostackparse -json/nogp"]:-}
	local pp=${R_CPU["panicparse -parse=false/nogp"]:-} r
	[ -n "$gsp" ] || gsp=${R_CPU["gostackparse -json/raw"]:-}
	# -parse=false was issue 12's form; stopped by --timeout, the default
	[ -n "$pp" ] || pp=${R_CPU["panicparse/nogp"]:-}
	printf '\nissue 12 goals (ratios of median CPU seconds, this run):\n'
	r=$(ratio "$text" "$grep_cpu"); [ -z "$r" ] || goal_line "text run / grep pass (the floor)" "$r" "<=" 3
	r=$(ratio "$gsp" "$text"); [ -z "$r" ] || goal_line "gostackparse -json / text run" "$r" ">=" 8
	r=$(ratio "$pp" "$text"); [ -z "$r" ] || goal_line "panicparse (-parse=false if it ran) / text run" "$r" ">=" 60
	# both stopped by --timeout: the CPU spent by then is a lower bound,
	# so the ratio is one too (met only if even the bound is)
	if [ -z "$pp" ]; then
		pp=${R_CPU_MIN["panicparse -parse=false/nogp"]:-${R_CPU_MIN["panicparse/nogp"]:-}}
		r=$(ratio "$pp" "$text")
		[ -z "$r" ] || goal_line "panicparse -parse=false / text run (stopped: at least)" "$r" ">=" 60
	fi
	r=$(ratio "$json" "$text"); [ -z "$r" ] || goal_line "-f json / text run" "$r" "<=" 1.5
	r=$(ratio "${R_WALL["panicscope (text)/raw"]:-}" "$text")
	[ -z "$r" ] || goal_line "text run wall / CPU (both cores: well below 1)" "$r" "<=" 0.75
	r=$(ratio "${R_WALL["panicscope (text)/raw"]:-}" "${R_WALL["panicscope (text) -j 1/raw"]:-}")
	[ -z "$r" ] || printf '  (text run wall, --jobs default / -j 1: %s)\n' "$r"
	[ -z "${R_BIG_RSS:-}" ] ||
		goal_line "peak RSS, 1 GB of dumps / one dump" "$(ratio "$R_BIG_RSS" "$R_ONE_RSS")" "<=" 2
	[ -n "${R_BIG_RSS:-}" ] || printf '  (memory flat to 1 GB: run with --big)\n'
	printf '  (-b on a 25/75 MB binary under 100/150 ms: bench/binary.sh)\n'
}

# One line per target of issues 2 and 4, met or missed.
verdict() { if [ "$1" = 1 ]; then echo "met   "; else echo "MISSED"; fi; }

bench_footer() {
	local ok
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
		sync # its dirty pages would throttle the runs' own writes
	fi
	printf '\n-- 1 GB input: %s copies of the dump, %s MB\n' "$copies" \
		$(($(stat -c %s "$big") / 1000000))
	printf '%-34s %9s %9s %12s  %s\n' run wall "peak RSS" goroutines "MB/s"
	printf '(one run each)\n' 
	# Removed however this ends: it is a gigabyte.
	trap 'rm -f "$out/big.log"' EXIT
	big_run "parse only, 1 copy (file)" "$size" parse "$out/parse_only" "$dump"
	big_run "parse only, 1 GB (file)" "$(stat -c %s "$big")" parse \
		"$out/parse_only" "$big"
	big_run "parse only, 1 GB (pipe)" "$(stat -c %s "$big")" parse \
		bash -c "cat '$big' | '$out/parse_only' -"
	big_run "panicscope text, 1 copy (file)" "$size" text \
		"$panicscope" --color never "$dump"
	big_run "panicscope text, 1 GB (file)" "$(stat -c %s "$big")" text \
		"$panicscope" --color never "$big"
	big_run "panicscope text, 1 GB (pipe)" "$(stat -c %s "$big")" text \
		bash -c "cat '$big' | '$panicscope' --color never"
}

# big_run LABEL BYTES KIND CMD...
big_run() {
	local label=$1 bytes=$2 kind=$3 wall rss g res=$out/big-run; shift 3
	set +e
	/usr/bin/time -f '%e %M' -o "$res.time" timeout "$limit" "$@" \
		>"$res.out" 2>"$res.err" </dev/null
	set -e
	read -r wall rss < <(tail -n 1 "$res.time")
	if [ "$kind" = parse ]; then
		g=$(value_after goroutines "$res.out")
	else
		bench_count "$kind" "$res.out"
		g=$C_GOROUTINES
	fi
	case $label in
	"panicscope text, 1 copy (file)") R_ONE_RSS=$rss ;;
	"panicscope text, 1 GB (file)") R_BIG_RSS=$rss ;;
	esac
	printf '%-34s %8ss %6s MB %12s  %s\n' "$label" "$wall" $((rss / 1024)) \
		"${g:--}" "$(python3 -c "print('%.0f' % ($bytes / 1e6 / max($wall, 0.01)))")"
}
