#!/usr/bin/env bash
# tests/check/damage.sh PANICSCOPE SRCDIR - each damaged form of a real
# corpus dump is reported at its line with issue 8's wording and exit 1;
# the clean dump passes; a file with no dump, an unreadable path, config
# allow/expect rules and config mistakes behave as docs/check.md says;
# the project's own corpus passes.
. "$(dirname "$0")/lib.sh"
clean=$SRC/corpus/go1.26.8-amd64/deadlock.log
loc13=$(sed -n 13p "$clean")   # "\t/work/main/corpus/programs/deadlock/main.go:18 +0x117"
mkdir fx
cp "$clean" fx/clean.log

expect clean 0 "" "$PANICSCOPE" check fx/clean.log
# every clean corpus log of every Go version and arch, and each dirty
# variant for the reason corpus/.panicscope-check declares
expect corpus 0 "" "$PANICSCOPE" check "$SRC/corpus"

# an editor or a web page expanded the tab of a frame location
sed '13s/^\t/        /' "$clean" >fx/spaces.log
expect spaces 1 "fx/spaces.log:13: frame location indented with 8 spaces; Go prints one tab" \
	"$PANICSCOPE" check fx/spaces.log

# a copy cut short inside goroutine 8 (its frame's location line lost)
head -n 18 "$clean" >fx/cut.log
expect truncated 1 "fx/cut.log:18: dump ends inside goroutine 8's stack" \
	"$PANICSCOPE" check fx/cut.log

# CRLF crept into one line
sed '5s/$/\r/' "$clean" >fx/crlf.log
expect crlf 1 "fx/crlf.log:5: CRLF line ending (other lines LF)" "$PANICSCOPE" check fx/crlf.log

# a hand-edited frame location
sed '13s/main\.go:18/main.go:x12/' "$clean" >fx/edited.log
expect bad_location 1 \
	"fx/edited.log:13: '/work/main/corpus/programs/deadlock/main.go:x12' is not a file:line Go prints" \
	"$PANICSCOPE" check fx/edited.log

# a line no Go prints, inside goroutine 7's trace
sed '12a this line is not Go' "$clean" >fx/unknown.log
expect unknown_line 1 "fx/unknown.log:13: 'this line is not Go' is not a line Go prints inside a trace" \
	"$PANICSCOPE" check fx/unknown.log

# the same damage found when the directory is walked, files in name order,
# a non-fixture name (.md) skipped
printf 'notes\n' >fx/README.md
expect walk 1 "fx/crlf.log:5: CRLF line ending (other lines LF)
fx/cut.log:18: dump ends inside goroutine 8's stack
fx/edited.log:13: '/work/main/corpus/programs/deadlock/main.go:x12' is not a file:line Go prints
fx/spaces.log:13: frame location indented with 8 spaces; Go prints one tab
fx/unknown.log:13: 'this line is not Go' is not a line Go prints inside a trace" "$PANICSCOPE" check fx

# a fixture whose every frame lost its tab: the parser lists the first
# 1000 repairs, the rest are counted
{ sed -n 1,2p "$clean"; for i in $(seq 1 1200); do
	printf 'goroutine %d [chan receive]:\nmain.f()\n        /src/main.go:%d +0x1\n\n' $((i + 10)) "$i"
done; } >fx/many.log
out=$("$PANICSCOPE" check fx/many.log 2>/dev/null) && fail "many: passed"
[ "$(printf '%s\n' "$out" | grep -c 'indented with 8 spaces')" = 1000 ] ||
	fail "many: not 1000 listed repairs"
printf '%s\n' "$out" | tail -n 1 | grep -qx "fx/many.log:[0-9]*: 200 more repairs in this dump, past the first 1000 (not listed)" ||
	fail "many: no count of the rest: $(printf '%s\n' "$out" | tail -n 2)"

# a non-zero exit says so in one line on stderr
"$PANICSCOPE" check fx >/dev/null 2>"$T/err" && fail "summary: fx passed"
[ "$(cat "$T/err")" = "panicscope check: 1006 problems in 6 of 7 fixtures" ] ||
	fail "summary: stderr is '$(cat "$T/err")'"

# no Go dump at all
printf 'INFO starting\nINFO stopping\n' >fx/nodump.txt
expect no_dump 1 "fx/nodump.txt:1: no Go crash dump found (2 lines read)" \
	"$PANICSCOPE" check fx/nodump.txt

# an unreadable path: exit 3, one line on stderr, the other files still checked
expect unreadable 3 "fx/crlf.log:5: CRLF line ending (other lines LF)" \
	"$PANICSCOPE" check fx/missing.log fx/crlf.log
[ "$(wc -l <"$T/err")" = 1 ] && grep -q "fx/missing.log" "$T/err" ||
	fail "unreadable: stderr is not one line naming the path: $(cat "$T/err")"

# a FIFO named as a fixture is refused at once, not waited on
mkfifo fx/pipe.log
expect fifo 3 "" timeout 10 "$PANICSCOPE" check fx/pipe.log
grep -q "fx/pipe.log': not a regular file" "$T/err" || fail "fifo: stderr: $(cat "$T/err")"
rm fx/pipe.log

# a named file is checked whatever its name; --filter applies the walk's names
expect named_any 1 "fx/README.md:1: no Go crash dump found (1 line read)" \
	"$PANICSCOPE" check fx/README.md
expect filter 0 "" "$PANICSCOPE" check --filter -- fx/README.md fx/clean.log

# usage errors
expect usage 2 "" "$PANICSCOPE" check
expect usage_opt 2 "" "$PANICSCOPE" check --bogus fx

# .panicscope-check: allowed damage passes, expected damage must be there
mkdir -p cfg/dirty
cp fx/crlf.log cfg/dirty/crlf-a.log
cp fx/clean.log cfg/dirty/crlf-b.log   # says crlf, is not
cp fx/cut.log cfg/dirty/cut.log
cat >cfg/.panicscope-check <<'CONF'
# test config
include: *.log
[dirty/crlf-*.log]
expect: crlf
[cut.log]
allow: truncated
CONF
expect config 1 "cfg/.panicscope-check:4: expects crlf in 'dirty/crlf-b.log', but the parser found none" \
	"$PANICSCOPE" check cfg
# a config above the working directory is named by its absolute path
expect config_from_subdir 1 \
	"$T/cfg/.panicscope-check:4: expects crlf in 'dirty/crlf-b.log', but the parser found none" \
	env -C cfg/dirty "$PANICSCOPE" check crlf-b.log
cp fx/clean.log cfg/dirty/crlf-b.log && sed -i '1s/$/\r/' cfg/dirty/crlf-b.log
expect config_ok 0 "" "$PANICSCOPE" check cfg
# exclude: and include: shape walks; a named excluded file is not checked
printf 'exclude: skip/*\n' >cfg/.panicscope-check
mkdir cfg/skip && cp fx/spaces.log cfg/skip/ && cp fx/spaces.log cfg/dirty/s.trace
expect exclude 1 "cfg/dirty/crlf-a.log:5: CRLF line ending (other lines LF)
cfg/dirty/crlf-b.log:1: CRLF line ending (other lines LF)
cfg/dirty/cut.log:18: dump ends inside goroutine 8's stack
cfg/dirty/s.trace:13: frame location indented with 8 spaces; Go prints one tab" \
	"$PANICSCOPE" check cfg/dirty cfg/skip cfg/skip/spaces.log
# mistakes in a config are reported at their line
printf '[*.log]\nallow: crlf, bogus\ncolour: red\n' >cfg/.panicscope-check
expect config_errors 1 "cfg/.panicscope-check:2: unknown kind 'bogus' (spaces_for_tab, wrapped, crlf, bad_location, unknown_line, truncated, duplicate_id, number_overflow, no_dump, more_repairs)
cfg/.panicscope-check:3: unknown key 'colour' (include, exclude, allow, expect)" \
	"$PANICSCOPE" check cfg/dirty/crlf-a.log
done_tests
