/* test_parse_repairs.c - the damage copy-paste does to a log: each form
 * is read as the clean log would be, and listed in the dump's repairs at
 * the right line; the clean form of the same text lists nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ps_parse.h"
#include "parse_support.h"

/* The repairs of dump D as "kind@line[-line2][:detail][#g]" joined by
 * spaces: one string to compare per case. */
static void repairs_str(const struct ps_dump *d, char *out, size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < d->n_repairs; i++) {
		const struct ps_repair *r = &d->repairs[i];
		char tmp[96];
		int k = snprintf(tmp, sizeof(tmp), "%s%s@%u", i ? " " : "",
				 ps_repair_kind_name(r->kind), r->line);
		if (r->line2)
			k += snprintf(tmp + k, sizeof(tmp) - (size_t)k, "-%u", r->line2);
		if (r->detail)
			k += snprintf(tmp + k, sizeof(tmp) - (size_t)k, ":%u", r->detail);
		if (r->has_goroutine)
			snprintf(tmp + k, sizeof(tmp) - (size_t)k, "#%llu",
				 (unsigned long long)r->goroutine);
		strncat(out, tmp, cap - strlen(out) - 1);
	}
}

static void expect_repairs(const char *text, size_t dump, const char *want)
{
	struct ps_doc *doc = parse(text);
	char got[2048];
	assert_true(doc->n_dumps > dump);
	repairs_str(doc->dumps[dump], got, sizeof(got));
	if (strcmp(got, want))
		fail_msg("repairs: got '%s', want '%s' for:\n%s", got, want, text);
	ps_doc_free(doc);
}

/* ---- tabs expanded to spaces ---- */

/* A recovered-and-repanicked test panic as a web page shows it: the
 * nested "panic:" and the file lines lost their TAB (8 and 4 spaces). */
static const char chain_spaces[] =
	"panic: assignment to entry in nil map [recovered]\n"
	"        panic: assignment to entry in nil map\n"
	"\n"
	"goroutine 6 [running]:\n"
	"testing.tRunner.func1(0xc0000b2100)\n"
	"        /usr/local/go/src/testing/testing.go:874 +0x3a3\n"
	"panic(0x5187a0, 0x58dd30)\n"
	"    /usr/local/go/src/runtime/panic.go:679 +0x1b2\n";

static void test_spaces_for_tab(void **state)
{
	(void)state;
	struct ps_doc *doc = parse(chain_spaces);
	assert_int_equal(doc->n_dumps, 1);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->n_panics, 2);
	assert_string_equal(d->panics[0].message, "assignment to entry in nil map");
	assert_true(d->panics[0].recovered);
	assert_string_equal(d->panics[1].message, "assignment to entry in nil map");
	assert_int_equal(d->n_goroutines, 1);
	assert_int_equal(d->goroutines[0].stack.n_frames, 2);
	assert_int_equal(d->goroutines[0].stack.frames[1].line, 679);
	ps_doc_free(doc);
	expect_repairs(chain_spaces, 0,
		       "spaces_for_tab@2:8 spaces_for_tab@6:8 spaces_for_tab@8:4");

	/* the same text with its tabs: nothing to repair */
	expect_repairs("panic: x [recovered]\n\tpanic: x\n\ngoroutine 6 [running]:\n"
		       "main.f()\n\t/a/b.go:3 +0x1\n", 0, "");

	/* "goroutine running on other thread" indented with spaces */
	doc = parse("panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n\n"
		    "goroutine 7 [running]:\n"
		    "        goroutine running on other thread; stack unavailable\n");
	assert_int_equal(doc->dumps[0]->n_goroutines, 2);
	assert_true(doc->dumps[0]->goroutines[1].no_stack);
	assert_false(doc->dumps[0]->goroutines[1].truncated);
	ps_doc_free(doc);

	/* A race report indents with spaces itself: no repair there. */
	expect_repairs("==================\nWARNING: DATA RACE\n"
		       "Write at 0x00c000012345 by goroutine 7:\n"
		       "  main.f()\n      /a/b.go:3 +0x1\n\n==================\n", 0, "");
}

/* ---- hard-wrapped lines ---- */

/* The journald log of issue 10: a frame line broken after "0xc42", the
 * rest on a line of its own without the prefix. */
static void test_wrapped(void **state)
{
	(void)state;
	static const char jd[] =
		"Aug 31 14:22:26 host app[1280]: panic: runtime error: invalid memory "
		"address or nil pointer dereference\n"
		"Aug 31 14:22:26 host app[1280]: \n"
		"Aug 31 14:22:26 host app[1280]: goroutine 87 [running]:\n"
		"Aug 31 14:22:26 host app[1280]: github.com/x/vnet.(*interfaceNode)."
		"slowPath(0xc420263688, 0xc42\n"
		"1474020, 0x1)\n"
		"Aug 31 14:22:26 host app[1280]: \t/go/src/github.com/x/vnet/node.go:312 +0x1c2\n";
	struct ps_doc *doc = parse(jd);
	const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
	assert_int_equal(g->stack.n_frames, 1);
	assert_string_equal(g->stack.frames[0].func, "github.com/x/vnet.(*interfaceNode).slowPath");
	assert_string_equal(ps_stack_args(&g->stack, 0), "0xc420263688, 0xc421474020, 0x1");
	assert_int_equal(g->stack.frames[0].line, 312);
	assert_int_equal(doc->skipped.count, 0);
	ps_doc_free(doc);
	expect_repairs(jd, 0, "prefix@1 wrapped@4-5:95");

	/* wrapped at 72 three times, the prefix repeated on each piece */
	static const char w72[] =
		"panic: boom\n\ngoroutine 1 [running]:\n"
		"main.veryLongFunctionNameThatGoesOnAndOn(0x1111111111, 0x2222222222, 0x3\n"
		"333333333, 0x4444444444, 0x5555555555, 0x6666666666, 0x7777777777, 0x888\n"
		"8888888)\n"
		"\t/home/someone/go/src/example.com/project/internal/pkg/file.go:1234 +0x1\n"
		"d\n";
	doc = parse(w72);
	g = &doc->dumps[0]->goroutines[0];
	assert_int_equal(g->stack.n_frames, 1);
	assert_int_equal(g->stack.frames[0].line, 1234);
	assert_true(g->stack.frames[0].has_pc_offset);
	assert_int_equal(g->stack.frames[0].pc_offset, 0x1d);
	assert_string_equal(ps_stack_args(&g->stack, 0), "0x1111111111, 0x2222222222, "
			    "0x3333333333, 0x4444444444, 0x5555555555, 0x6666666666, "
			    "0x7777777777, 0x8888888888");
	ps_doc_free(doc);
	expect_repairs(w72, 0, "wrapped@4-6:72 wrapped@7-8:72");

	/* not wrapped: a message's second line, an 80-column frame line
	 * followed by its file line, go test's verdict under a 80-column
	 * file line */
	static const char clean[] =
		"panic: validation failed: field \"email\" (code 422)\n"
		"hints: missing @, lowercase only\n\n"
		"goroutine 1 [running]:\n"
		"main.aFunctionWhoseLineIsExactlyEightyColumnsWide(0x1234567890, 0x123456789abcd)\n"
		"\t/home/someone/go/src/example.com/project/internal/pkg/file.go:12 +0x1\n"
		"main.main()\n"
		"\t/home/someone/go/src/example.com/project/internal/pkg/abcdef/main.go:1203 +0xe5\n"
		"FAIL\tcommand-line-arguments\t1.012s\n";
	doc = parse(clean);
	assert_string_equal(doc->dumps[0]->panics[0].message,
			    "validation failed: field \"email\" (code 422)\n"
			    "hints: missing @, lowercase only");
	assert_int_equal(doc->dumps[0]->goroutines[0].stack.n_frames, 2);
	assert_int_equal(doc->dumps[0]->goroutines[0].stack.frames[1].line, 1203);
	ps_doc_free(doc);
	expect_repairs(clean, 0, "");
}

/* A wrap is seen by columns too, a TAB counted to the next multiple of
 * 8: the line splitter notes which lines have a TAB past their indent,
 * and only those are measured.  Each held line below is 75 bytes (no
 * usual width) and 80 columns: a TAB in the second 16 bytes, one after
 * a vertical tab (0x0b, which the splitter's compare also matches) far
 * into the line, one in the input's last bytes, and a file line's
 * leading TAB. */
static void test_wrapped_tab_columns(void **state)
{
	static const struct {
		const char *text, *message;
	} held[] = {
		{ "panic: lookup fai:\tkey=0123456789abcdef0123456789abcdef, shard=17, replicas\n"
		  "=3 is gone\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:5 +0x1d\n",
		  "lookup fai:\tkey=0123456789abcdef0123456789abcdef, shard=17, replicas=3 is gone" },
		{ "panic: vt\vx lookup failed for key 0123456789abcde:\tshard=17, replica=3, zon\n"
		  "e=b is gone\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:5 +0x1d\n",
		  "vt\vx lookup failed for key 0123456789abcde:\tshard=17, replica=3, zone=b is gone" },
		/* the TAB in the last bytes of the input, which go one by one */
		{ "panic: lookup failed for key 0123456789abcdef0123456789abcdef, sha\t17, repl\n"
		  "ica 3\n",
		  "lookup failed for key 0123456789abcdef0123456789abcdef, sha\t17, replica 3" },
	};
	struct ps_doc *doc;
	(void)state;
	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++) {
		doc = parse(held[i].text);
		assert_string_equal(doc->dumps[0]->panics[0].message, held[i].message);
		ps_doc_free(doc);
		expect_repairs(held[i].text, 0, "wrapped@1-2:75");
	}

	/* 73 bytes, 80 columns: its "+0x1d" goes on below */
	static const char file[] =
		"panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n"
		"\t/home/someone/go/src/example.com/project/internal/pkgs/file.go:1234 +0x1\n"
		"d\n";
	doc = parse(file);
	assert_int_equal(doc->dumps[0]->goroutines[0].stack.frames[0].line, 1234);
	assert_int_equal(doc->dumps[0]->goroutines[0].stack.frames[0].pc_offset, 0x1d);
	ps_doc_free(doc);
	expect_repairs(file, 0, "wrapped@5-6:73");
}

/* Pasted into myzhan/boomer#40: debug.PrintStack output whose TABs
 * became 8 spaces. */
static void test_real_paste_spaces(void **state)
{
	(void)state;
	static const char boomer[] =
		"goroutine 8 [running]:\n"
		"runtime/debug.Stack(0xc4203f1d10, 0x0, 0x0)\n"
		"        /usr/local/go/src/runtime/debug/stack.go:24 +0xa7\n"
		"runtime/debug.PrintStack()\n"
		"        /usr/local/go/src/runtime/debug/stack.go:16 +0x22\n"
		"github.com/myzhan/boomer.(*runner).safeRun.func1()\n"
		"        /root/golang/src/github.com/myzhan/boomer/runner.go:48 +0x5a\n"
		"panic(0x8b98a0, 0xbff5e0)\n"
		"        /usr/local/go/src/runtime/panic.go:502 +0x229\n"
		"main.test_http()\n"
		"        /root/golang/login.go:28 +0x60\n"
		"created by github.com/myzhan/boomer.(*runner).spawnGoRoutines\n"
		"        /root/golang/src/github.com/myzhan/boomer/runner.go:83 +0x1cf\n";
	struct ps_doc *doc = parse(boomer);
	const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
	assert_int_equal(g->stack.n_frames, 5);
	assert_int_equal(g->stack.frames[4].line, 28);
	assert_int_equal(g->created_by->line, 83);
	assert_int_equal(doc->skipped.count, 0);
	ps_doc_free(doc);
	expect_repairs(boomer, 0, "spaces_for_tab@3:8 spaces_for_tab@5:8 spaces_for_tab@7:8 "
		       "spaces_for_tab@9:8 spaces_for_tab@11:8 spaces_for_tab@13:8");
}

/* ---- CRLF, prefixes, unknown lines, truncation, duplicate ids ---- */

static void test_crlf_prefix_unknown(void **state)
{
	(void)state;
	/* two CR-ended lines among LF ones: one repair at the first */
	expect_repairs("panic: x\n\ngoroutine 1 [running]:\r\nmain.main()\r\n\t/a.go:1 +0x1\n",
		       0, "crlf@3:2");
	/* kubectl --timestamps prefix: once, at the dump's first line */
	expect_repairs("2021-09-15T07:40:15.1455272Z panic: x\n"
		       "2021-09-15T07:40:15.1455272Z \n"
		       "2021-09-15T07:40:15.1455272Z goroutine 1 [running]:\n"
		       "2021-09-15T07:40:15.1455272Z main.main()\n"
		       "2021-09-15T07:40:15.1455272Z \t/a.go:1 +0x1\n", 0, "prefix@1");
	/* a foreign line between two frames is damage (a run: first-last) */
	expect_repairs("panic: x\n\ngoroutine 1 [running]:\nmain.f()\n\t/a.go:1 +0x1\n"
		       "INFO something else\nINFO more\nmain.main()\n\t/a.go:9 +0x2\n",
		       0, "unknown_line@6-7:2");
	/* the same lines after the last frame just follow the dump */
	expect_repairs("panic: x\n\ngoroutine 1 [running]:\nmain.f()\n\t/a.go:1 +0x1\n"
		       "INFO something else\nINFO more\n", 0, "");
	/* go test's verdict under the stack is not damage */
	expect_repairs("panic: x\n\ngoroutine 1 [running]:\nmain.f()\n\t/a.go:1 +0x1\n"
		       "FAIL\tcommand-line-arguments\t1.021s\nFAIL\n", 0, "");
}

/* A GitHub Actions log downloaded with line numbers (golang/go#48400
 * style): number and timestamp vary on every line, and must be learned
 * as token classes to find the frames. */
static void test_ci_line_numbers(void **state)
{
	(void)state;
	static const char ci[] =
		" 618281 2021-09-15T07:40:15.1453198Z panic: test timed out after 10m0s\n"
		" 618282 2021-09-15T07:40:15.1454011Z \n"
		" 618283 2021-09-15T07:40:15.1455272Z goroutine 177 [chan receive, 9 minutes]:\n"
		" 618284 2021-09-15T07:40:15.1456105Z testing.(*T).Run(0xc000583380, "
		"{0x1b2ffa3, 0x10}, 0x1c3a4d8)\n"
		" 618285 2021-09-15T07:40:15.1457302Z \t/opt/go/src/testing/testing.go:1307 +0x375\n"
		"  99999 2021-09-15T07:40:15.1458Z main.main()\n"
		"1000000 2021-09-15T07:40:15.1459Z \t/a/main.go:9 +0x1\n";
	struct ps_doc *doc = parse(ci);
	assert_int_equal(doc->n_dumps, 1);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->n_goroutines, 1);
	assert_int_equal(d->goroutines[0].id, 177);
	assert_int_equal(d->goroutines[0].wait_minutes, 9);
	assert_int_equal(d->goroutines[0].stack.n_frames, 2);
	assert_int_equal(d->goroutines[0].stack.frames[0].line, 1307);
	assert_int_equal(d->goroutines[0].stack.frames[1].line, 9);
	assert_string_equal(d->prefix, " <n> <timestamp> ");
	assert_int_equal(doc->skipped.count, 0);
	ps_doc_free(doc);
	expect_repairs(ci, 0, "prefix@1");
	doc = parse(ci);
	assert_int_equal(doc->error.code, PS_OK); /* every built-in pattern compiled */
	ps_doc_free(doc);

	/* a constant bracketed tag learns too; the TAB after it is the line's */
	doc = parse("[pod-a] panic: x\n[pod-a] \n[pod-a] goroutine 1 [running]:\n"
		    "[pod-a] main.main()\n[pod-a] \t/a.go:3 +0x1\n");
	assert_int_equal(doc->dumps[0]->goroutines[0].stack.frames[0].line, 3);
	ps_doc_free(doc);
}

/* The start forms are one list (issue 9): behind a timestamp prefix a
 * SIGTRAP dump stays a signal dump, and "unexpected fault address"
 * before "fatal error: fault" is part of the dump. */
static void test_prefixed_starts(void **state)
{
	(void)state;
	struct ps_doc *doc = parse(
		"2026-11-21T23:40:01.000Z SIGTRAP: trace trap\n"
		"2026-11-21T23:40:01.000Z PC=0x46b0e1 m=0 sigcode=128\n"
		"2026-11-21T23:40:01.000Z \n"
		"2026-11-21T23:40:01.000Z goroutine 1 [running]:\n"
		"2026-11-21T23:40:01.000Z main.main()\n"
		"2026-11-21T23:40:01.000Z \t/a.go:3 +0x1\n");
	assert_int_equal(doc->n_dumps, 1);
	assert_int_equal(doc->dumps[0]->kind, PS_DUMP_SIGNAL);
	assert_string_equal(doc->dumps[0]->signal->name, "SIGTRAP");
	assert_int_equal(doc->skipped.count, 0);
	ps_doc_free(doc);

	doc = parse("Nov 21 23:40:01 host app[1234]: unexpected fault address 0xdead000d\n"
		    "Nov 21 23:40:01 host app[1234]: fatal error: fault\n"
		    "Nov 21 23:40:01 host app[1234]: [signal SIGSEGV: segmentation violation "
		    "code=0x1 addr=0xdead000d pc=0x49e949]\n"
		    "Nov 21 23:40:01 host app[1234]: \n"
		    "Nov 21 23:40:01 host app[1234]: goroutine 1 [running]:\n"
		    "Nov 21 23:40:01 host app[1234]: main.main()\n"
		    "Nov 21 23:40:01 host app[1234]: \t/a.go:3 +0x1\n");
	assert_int_equal(doc->n_dumps, 1);
	assert_int_equal(doc->skipped.count, 0);
	assert_int_equal(doc->dumps[0]->n_runtime_lines, 1);
	assert_string_equal(doc->dumps[0]->runtime_lines[0], "unexpected fault address 0xdead000d");
	ps_doc_free(doc);
}

static void test_truncated_and_duplicate(void **state)
{
	(void)state;
	expect_repairs("panic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n\n"
		       "goroutine 7 [chan receive]:\nmain.g()\n", 0, "truncated@8#7");
	expect_repairs("panic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n",
		       0, "");

	/* Go issue 7725: the runtime printed goroutine 5 twice in one crash
	 * dump; still one dump, with the repeat flagged. */
	static const char twice[] =
		"fatal error: unexpected signal during runtime execution\n\n"
		"goroutine 5 [running]:\nruntime.throw(0x1)\n\t/r/panic.go:1 +0x1\n\n"
		"goroutine 6 [runnable]:\nmain.w()\n\t/a.go:2 +0x2\n\n"
		"goroutine 5 [runnable]:\nmain.v()\n\t/a.go:3 +0x3\n";
	struct ps_doc *doc = parse(twice);
	assert_int_equal(doc->n_dumps, 1);
	assert_int_equal(doc->dumps[0]->n_goroutines, 3);
	ps_doc_free(doc);
	expect_repairs(twice, 0, "duplicate_id@11#5");

	/* two runtime.Stack dumps back to back stay two dumps */
	doc = parse("goroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n\n"
		    "goroutine 2 [select]:\nmain.s()\n\t/a.go:5 +0x1\n\n"
		    "goroutine 1 [running]:\nmain.main()\n\t/a.go:2 +0x1\n");
	assert_int_equal(doc->n_dumps, 2);
	assert_int_equal(doc->dumps[0]->n_repairs, 0);
	ps_doc_free(doc);
}

/* A goroutine dump of the ids IDS[0..N) in order. */
static char *ids_dump(const uint64_t *ids, size_t n)
{
	size_t cap = n * 64 + 1, len = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len,
					"goroutine %llu [select]:\nmain.s()\n\t/a.go:5 +0x1\n\n",
					(unsigned long long)ids[i]);
	return s;
}

/* The ids seen in a dump are a bitmap for 1..N and a hash set for the
 * sparse rest; an id seen again starts a new dump wherever it was kept:
 * in the bitmap, in the hash set, or moved from the set into a grown
 * bitmap.  The last id of each case repeats one; without it, one dump. */
static void test_repeated_ids(void **state)
{
	static const uint64_t far = 1000000000000ull, mid = 100000;
	static uint64_t ids[6000];
	(void)state;
	for (int kind = 0; kind < 3; kind++) {
		size_t n = 0;
		ids[n++] = 1;
		ids[n++] = kind == 0 ? far : mid; /* too far for the bitmap, yet */
		for (uint64_t id = 2; id < (kind == 2 ? 1500 : 5000) && n < 5900; id++)
			ids[n++] = id;
		if (kind == 2)
			ids[n++] = 70000; /* the bitmap grows past mid, which moves */
		uint64_t again = kind == 0 ? far : kind == 1 ? 4500 : mid;
		for (int repeat = 0; repeat < 2; repeat++) {
			if (repeat)
				ids[n++] = again;
			char *text = ids_dump(ids, n);
			struct ps_doc *doc = parse(text);
			if (doc->n_dumps != (repeat ? 2u : 1u))
				fail_msg("kind %d repeat %d: %zu dumps", kind, repeat, doc->n_dumps);
			assert_int_equal(doc->dumps[0]->n_goroutines, repeat ? n - 1 : n);
			ps_doc_free(doc);
			free(text);
		}
	}
}

/* Numbers larger than Go prints are kept or flagged, never read as a
 * stack cut off (issue 14). */
static void test_number_overflow(void **state)
{
	(void)state;
	static const char big[] =
		"panic: x\n\ngoroutine 1180591620717411303424 [running]:\n"
		"main.main()\n\t/a.go:4294967296 +0x1\n"
		"main.g()\n\t/a.go:2147483648 +0xffffffffffffffffff\n"
		"main.h()\n\t/a.go:12 +0x100000000\n"
		"main.k()\n\t/a.go:2147483647 +0x1d\n";
	struct ps_doc *doc = parse(big);
	const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
	assert_int_equal(doc->dumps[0]->n_goroutines, 1);
	assert_true(g->has_header);
	assert_false(g->has_id); /* 2^70 does not fit: no invented id */
	assert_int_equal(g->stack.n_frames, 4);
	assert_false(g->truncated);
	assert_true(g->stack.frames[0].has_file);
	assert_int_equal(g->stack.frames[0].line, 0);          /* did not fit */
	assert_int_equal(g->stack.frames[1].line, 2147483648u); /* fits, flagged */
	assert_false(g->stack.frames[1].has_pc_offset);
	assert_false(g->stack.frames[2].has_pc_offset);
	assert_int_equal(g->stack.frames[3].line, 2147483647);
	assert_int_equal(g->stack.frames[3].pc_offset, 0x1d);
	ps_doc_free(doc);
	expect_repairs(big, 0, "number_overflow@3 number_overflow@5 "
		       "number_overflow@7 number_overflow@9");

	/* an elision count past 32 bits is kept as the largest, flagged;
	 * one that fits is not flagged */
	static const char elided[] =
		"panic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n"
		"...4294967296 frames elided...\nmain.g()\n\t/a.go:2 +0x1\n";
	doc = parse(elided);
	g = &doc->dumps[0]->goroutines[0];
	assert_true(g->stack.elided);
	assert_int_equal(g->stack.elided_count, UINT32_MAX);
	assert_int_equal(g->stack.elided_at, 1);
	assert_int_equal(g->stack.n_frames, 2);
	ps_doc_free(doc);
	expect_repairs(elided, 0, "number_overflow@6");
	static const char fits[] =
		"panic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n"
		"...4294967295 frames elided...\nmain.g()\n\t/a.go:2 +0x1\n";
	doc = parse(fits);
	assert_int_equal(doc->dumps[0]->goroutines[0].stack.elided_count, UINT32_MAX);
	ps_doc_free(doc);
	expect_repairs(fits, 0, "");
}

/* The parser's line memos start after 512 frame lines; past that, the
 * same file line is answered from them.  PC on the same file line of
 * 1,000 goroutines: each line flagged (TOO_BIG) or none, each frame's pc
 * as kept (0 when too big). */
static void overflow_memo_case(const char *pc, bool too_big)
{
	enum { N = 1000 };
	size_t cap = (size_t)N * 96 + 32, len = 0;
	char *text = malloc(cap);
	len += (size_t)snprintf(text, cap, "panic: x\n\n");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(text + len, cap - len, "goroutine %d [running]:\n"
					"main.g()\n\t/a.go:4 +0x2e fp=0x1 sp=0x2 pc=%s\n\n",
					i + 1, pc);
	struct ps_doc *doc = parse(text);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(doc->n_dumps, 1);
	assert_int_equal(d->n_goroutines, N);
	size_t flagged = repairs_of(d, PS_REPAIR_NUMBER_OVERFLOW);
	assert_int_equal(flagged, too_big ? N : 0);
	assert_int_equal(d->n_repairs, flagged);
	uint64_t kept = too_big ? 0 : strtoull(pc, NULL, 16);
	for (size_t i = 0; i < N; i++)
		assert_true(d->goroutines[i].stack.frames[0].pc == kept);
	ps_doc_free(doc);
	free(text);
}

/* A frame keeps 56 bits of pc, more than any user address space: a
 * larger pc is flagged and kept as 0 (no pc), the largest that fits is
 * kept whole, and the frame's other fields stay. */
static void test_pc_overflow(void **state)
{
	(void)state;
	static const char text[] =
		"panic: x\n\ngoroutine 1 [running]:\n"
		"main.main()\n\t/a.go:3 +0x1d fp=0x1 sp=0x2 pc=0xffffffffffffff\n"
		"main.g()\n\t/a.go:4 +0x2e fp=0x1 sp=0x2 pc=0x100000000000000\n"
		"non-Go function at pc=0xff00000000000001\n"
		"non-Go function at pc=0x7f0012\n"
		"main.h()\n\t/a.go:5 +0x3f fp=0x1 sp=0x2 pc=0x401000\n";
	struct ps_doc *doc = parse(text);
	const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
	assert_int_equal(g->stack.n_frames, 5);
	assert_false(g->truncated);
	const struct ps_frame *f = g->stack.frames;
	assert_true(f[0].pc == PS_FRAME_PC_MAX);
	assert_true(f[1].pc == 0);
	assert_true(f[1].has_meta && f[1].has_pc_offset);
	assert_int_equal(f[1].pc_offset, 0x2e);
	assert_int_equal(f[1].line, 4);
	assert_true(f[2].pc == 0);
	assert_int_equal(f[2].kind, PS_FRAME_C);
	assert_true(f[3].pc == 0x7f0012);
	assert_true(f[4].pc == 0x401000);
	assert_string_equal(f[4].func, "main.h");
	ps_doc_free(doc);
	expect_repairs(text, 0, "number_overflow@7 number_overflow@8");

	overflow_memo_case("0x100000000000000", true);
	overflow_memo_case("0xffffffffffffff", false);
}

/* A location line Go cannot print: flagged, the frame keeps none, and
 * the stack goes on (no "cut off"). */
static void test_bad_location(void **state)
{
	(void)state;
	static const char bad[] = "panic: x\n\ngoroutine 1 [running]:\n"
		"main.f()\n\tmain.go:x12\nmain.main()\n\t/a.go:3 +0x1\n";
	struct ps_doc *doc = parse(bad);
	const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
	assert_int_equal(g->stack.n_frames, 2);
	assert_false(g->stack.frames[0].has_file);
	assert_int_equal(g->stack.frames[1].line, 3);
	assert_false(g->truncated);
	ps_doc_free(doc);
	expect_repairs(bad, 0, "bad_location@5");
}

/* ---- the rare forms of issue 10 ---- */

static void test_rare_forms(void **state)
{
	(void)state;
	/* a throw message goes on in TAB-indented lines only (printindented);
	 * syzkaller's own "executing program" and klog lines that follow are
	 * not part of it */
	struct ps_doc *doc = parse(
		"fatal error: runtime: split stack overflow\n\tmore detail\n"
		"executing program\nW1016 10:12:13.000000  1234 main.go:12] warn\n\n"
		"goroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n");
	assert_int_equal(doc->n_dumps, 1);
	assert_string_equal(doc->dumps[0]->message, "runtime: split stack overflow\nmore detail");
	assert_int_equal(doc->skipped.count, 2);
	ps_doc_free(doc);
	/* a panic value (Go < 1.23) may still go on unindented */
	doc = parse("panic: line one\nline two\n\ngoroutine 1 [running]:\nmain.main()\n"
		    "\t/a.go:1 +0x1\n");
	assert_string_equal(doc->dumps[0]->message, "line one\nline two");
	ps_doc_free(doc);

	/* Go <= 1.2 split stacks print a boundary between frames */
	doc = parse("panic: x\n\ngoroutine 1 [running]:\nmain.f()\n\t/a.go:1 +0x1\n"
		    "----- stack segment boundary -----\nmain.main()\n\t/a.go:2 +0x2\n");
	assert_int_equal(doc->dumps[0]->goroutines[0].stack.n_frames, 2);
	assert_int_equal(doc->skipped.count, 0);
	assert_int_equal(doc->dumps[0]->n_repairs, 0);
	ps_doc_free(doc);

	/* the race detector's exit summary is no junk */
	doc = parse("==================\nWARNING: DATA RACE\n"
		    "Write at 0x00c000012345 by goroutine 7:\n  main.f()\n      /a/b.go:3 +0x1\n\n"
		    "==================\nFound 2 data race(s)\nexit status 66\n");
	assert_int_equal(doc->n_dumps, 1);
	assert_int_equal(doc->skipped.count, 0);
	assert_true(doc->dumps[0]->goroutines[0].has_id); /* "by goroutine 7" */
	assert_int_equal(doc->dumps[0]->goroutines[0].id, 7);
	ps_doc_free(doc);
	doc = parse("Found many data race(s)\n");
	assert_int_equal(doc->skipped.count, 1);
	ps_doc_free(doc);

	/* a stack with no goroutine header is not goroutine 0: has_header
	 * is false (the report prints its id as null) */
	doc = parse("fatal error: unexpected signal\n\nruntime stack:\n"
		    "runtime.throw(0x1)\n\t/r/panic.go:1 +0x1\n\n"
		    "goroutine 0 [idle]:\nruntime.futex()\n\t/r/sys.s:1 +0x1\n");
	assert_int_equal(doc->dumps[0]->n_goroutines, 2);
	assert_false(doc->dumps[0]->goroutines[0].has_header);
	assert_false(doc->dumps[0]->goroutines[0].has_id);
	assert_string_equal(ps_goroutine_role(&doc->dumps[0]->goroutines[0]), "runtime stack");
	assert_true(doc->dumps[0]->goroutines[1].has_header);
	assert_true(doc->dumps[0]->goroutines[1].has_id);
	assert_int_equal(doc->dumps[0]->goroutines[1].id, 0);
	assert_false(doc->dumps[0]->goroutines[1].crashed);
	ps_doc_free(doc);
}

/* A 2 GB damaged file must not make the list unbounded. */
static void test_repair_cap(void **state)
{
	(void)state;
	size_t frames = PS_REPAIR_KEEP + 500, cap = 64 + frames * 40, o = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	o += (size_t)snprintf(text + o, cap - o, "panic: x\n\ngoroutine 1 [running]:\n");
	for (size_t i = 0; i < frames; i++)
		o += (size_t)snprintf(text + o, cap - o, "main.f%zu()\n    /a.go:%zu\n", i, i + 1);
	struct ps_doc *doc = ps_parse_buffer(text, o);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->goroutines[0].stack.n_frames, frames);
	assert_int_equal(d->n_repairs, PS_REPAIR_KEEP);
	assert_int_equal(d->n_repairs_dropped, 500);
	assert_int_equal(d->repairs[0].line, 5);
	ps_doc_free(doc);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spaces_for_tab),
		cmocka_unit_test(test_real_paste_spaces),
		cmocka_unit_test(test_wrapped),
		cmocka_unit_test(test_wrapped_tab_columns),
		cmocka_unit_test(test_crlf_prefix_unknown),
		cmocka_unit_test(test_ci_line_numbers),
		cmocka_unit_test(test_prefixed_starts),
		cmocka_unit_test(test_truncated_and_duplicate),
		cmocka_unit_test(test_repeated_ids),
		cmocka_unit_test(test_number_overflow),
		cmocka_unit_test(test_pc_overflow),
		cmocka_unit_test(test_bad_location),
		cmocka_unit_test(test_rare_forms),
		cmocka_unit_test(test_repair_cap),
	};
	return cmocka_run_group_tests_name("parser repairs", tests, NULL, NULL);
}
