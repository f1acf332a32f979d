/* test_parse_units.c - table-driven tests of the parser's pieces:
 * names, argument trees, goroutine headers, frames, prefixes, chains,
 * signals and truncation. */
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

/* ---- function names ---- */

static const struct name_row {
	const char *in, *pkg, *recv, *func, *closure, *generic;
	bool ptr;
} name_rows[] = {
	{ "main.main", "main", "", "main", "", "", false },
	{ "main.(*T).Method", "main", "T", "Method", "", "", true },
	{ "main.T.Method", "main", "T", "Method", "", "", false },
	{ "main.main.func1", "main", "", "main", "func1", "", false },
	{ "main.main.func1.2", "main", "", "main", "func1.2", "", false },
	{ "gopkg.in/yaml%2ev2.(*parser).parse", "gopkg.in/yaml.v2", "parser", "parse", "", "", true },
	{ "net/http.(*conn).serve", "net/http", "conn", "serve", "", "", true },
	{ "main.Map[...]", "main", "", "Map", "", "[...]", false },
	{ "main.(*List[...]).Push", "main", "List", "Push", "", "[...]", true },
	{ "main.F.gowrap1", "main", "", "F", "gowrap1", "", false },
	{ "main.F-range1", "main", "", "F", "-range1", "", false },
	{ "main.(*T).M-fm", "main", "T", "M", "-fm", "", true },
	{ "github.com/a/b.c/d.F", "github.com/a/b.c/d", "", "F", "", "", false },
	{ "panic", "", "", "panic", "", "", false },
};

static void test_funcnames(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(name_rows) / sizeof(name_rows[0]); i++) {
		const struct name_row *r = &name_rows[i];
		struct ps_arena a = { 0 };
		struct ps_funcname fn;
		ps_parse_funcname(r->in, strlen(r->in), &a, &fn);
		if (strcmp(fn.pkg, r->pkg) || strcmp(fn.recv, r->recv) ||
		    strcmp(fn.func, r->func) || strcmp(fn.closure, r->closure) ||
		    strcmp(fn.generic, r->generic) || fn.recv_ptr != r->ptr)
			fail_msg("%s: got pkg=%s recv=%s ptr=%d func=%s closure=%s generic=%s",
				 r->in, fn.pkg, fn.recv, fn.recv_ptr, fn.func, fn.closure,
				 fn.generic);
		ps_arena_release(&a);
	}
}

/* ---- argument trees ---- */

/* Renders a tree back compactly: W=word, ?=unreliable, {..}, E=..., D={...}. */
static void render(const struct ps_arg *a, size_t n, char *out, size_t cap)
{
	for (size_t i = 0; i < n; i++) {
		char tmp[64];
		if (i)
			strncat(out, ",", cap - strlen(out) - 1);
		switch (a[i].kind) {
		case PS_ARG_WORD:
			snprintf(tmp, sizeof(tmp), "%llx%s", (unsigned long long)a[i].value,
				 a[i].unreliable ? "?" : "");
			break;
		case PS_ARG_GROUP:
			strncat(out, "{", cap - strlen(out) - 1);
			render(a[i].children, a[i].n_children, out, cap);
			snprintf(tmp, sizeof(tmp), "}");
			break;
		case PS_ARG_ELIDED: snprintf(tmp, sizeof(tmp), "E"); break;
		case PS_ARG_DEEP: snprintf(tmp, sizeof(tmp), "D"); break;
		case PS_ARG_BLANK: snprintf(tmp, sizeof(tmp), "_"); break;
		default: snprintf(tmp, sizeof(tmp), "BAD"); break;
		}
		strncat(out, tmp, cap - strlen(out) - 1);
	}
}

static const struct { const char *in, *want; int rc; } arg_rows[] = {
	{ "", "", 0 },
	{ "0x40, 0x8, 0x1?", "40,8,1?", 0 },
	{ "0x1, {0xc000012345, 0x3}, 0x5?", "1,{c000012345,3},5?", 0 },
	{ "{0x1, {0x2, {}}}, ...", "{1,{2,{}}},E", 0 },
	{ "{...}, _, 0xffffffffffffffff", "D,_,ffffffffffffffff", 0 },
	{ "0x1, zz, 0x2", "1,BAD,2", 1 },
	{ "{0x1, 0x2", "{1,2}", 1 },
	{ "0x1}, 0x2", "1,BAD", 1 },
	{ "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{0x1", NULL, 1 },
};

static void test_args(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(arg_rows) / sizeof(arg_rows[0]); i++) {
		struct ps_arena a = { 0 };
		struct ps_arg *args;
		size_t n;
		char out[512] = "";
		int rc = ps_parse_args(arg_rows[i].in, strlen(arg_rows[i].in), &a, &args, &n);
		render(args, n, out, sizeof(out));
		if (rc != arg_rows[i].rc || (arg_rows[i].want && strcmp(out, arg_rows[i].want)))
			fail_msg("args '%s': got '%s' rc=%d, expected '%s' rc=%d", arg_rows[i].in,
				 out, rc, arg_rows[i].want ? arg_rows[i].want : "(any)",
				 arg_rows[i].rc);
		ps_arena_release(&a);
	}
}

static void test_arg_raw_text(void **state)
{
	(void)state;
	const char *in = "0x1, {0x2, 0x3?}, ...";
	struct ps_arena a = { 0 };
	struct ps_arg *args;
	size_t n;
	assert_int_equal(ps_parse_args(in, strlen(in), &a, &args, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(args[1].raw_len, strlen("{0x2, 0x3?}"));
	assert_memory_equal(args[1].raw, "{0x2, 0x3?}", args[1].raw_len);
	assert_true(args[1].children[1].unreliable);
	ps_arena_release(&a);
}

/* ---- goroutine headers ---- */

static const struct hdr_row {
	const char *line;
	uint64_t id;
	const char *state;
	int wait;
	bool locked, scan;
	int m;
} hdr_rows[] = {
	{ "goroutine 1 [running]:", 1, "running", -1, false, false, -1 },
	{ "goroutine 7 [chan receive, 3 minutes]:", 7, "chan receive", 3, false, false, -1 },
	{ "goroutine 9 [select, 1 minutes, locked to thread]:", 9, "select", 1, true, false, -1 },
	{ "goroutine 5 [chan receive (nil chan)]:", 5, "chan receive (nil chan)", -1, false, false, -1 },
	{ "goroutine 3 [GC worker (idle) (scan)]:", 3, "GC worker (idle)", -1, false, true, -1 },
	{ "goroutine 12 gp=0xc000007340 m=4 mp=0xc000100008 [syscall, locked to thread]:",
	  12, "syscall", -1, true, false, 4 },
	{ "goroutine 2 gp=0xc0000061c0 m=nil [force gc (idle)]:", 2, "force gc (idle)", -1,
	  false, false, -1 },
	{ "goroutine 8 [sync.WaitGroup.Wait, 12 minutes, synctest bubble 4]:", 8,
	  "sync.WaitGroup.Wait", 12, false, false, -1 },
	{ "goroutine 4 [select, 2 minutes] labels:{\"a\": \"b, c\"}]:", 4, "select", 2,
	  false, false, -1 },
	{ "goroutine 6 [select] {k: v}:", 6, "select", -1, false, false, -1 },
	/* a field starts after ", " only: a bare comma is the text's own */
	{ "goroutine 10 [a,b, 3 minutes,x, locked to thread]:", 10, "a,b", 3, true, false, -1 },
	{ "goroutine 11 [select,]:", 11, "select,", -1, false, false, -1 },
	{ "goroutine 13 [select ,, 4 minutes]:", 13, "select ,", 4, false, false, -1 },
};

static void test_headers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hdr_rows) / sizeof(hdr_rows[0]); i++) {
		const struct hdr_row *r = &hdr_rows[i];
		char text[512];
		snprintf(text, sizeof(text), "%s\nmain.f()\n\t/x.go:1 +0x1\n", r->line);
		struct ps_doc *doc = parse(text);
		if (doc->n_dumps != 1 || doc->dumps[0]->n_goroutines != 1)
			fail_msg("'%s': not parsed as one goroutine", r->line);
		const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
		if (g->id != r->id || strcmp(g->state, r->state) || g->wait_minutes != r->wait ||
		    g->locked_to_thread != r->locked || g->scan != r->scan || g->m != r->m)
			fail_msg("'%s': got id=%llu state='%s' wait=%d locked=%d scan=%d m=%d",
				 r->line, (unsigned long long)g->id, g->state, g->wait_minutes,
				 g->locked_to_thread, g->scan, g->m);
		ps_doc_free(doc);
	}
}

static void test_not_headers(void **state)
{
	static const char *const bad[] = {
		"goroutine x [running]:", "goroutine 1 running", "goroutine 1 [running]",
		"goroutine  [running]:",
	};
	/* (an id too large for 64 bits is a header, flagged: test_parse_repairs) */
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ps_doc *doc = parse(bad[i]);
		if (doc->n_dumps != 0 || doc->skipped.count != 1)
			fail_msg("'%s' taken as a header", bad[i]);
		ps_doc_free(doc);
	}
}

/* ---- frames ---- */

static const struct frame_row {
	const char *fn, *file;
	const char *func, *path, *args;
	unsigned line;
	long long off;   /* -1: none */
	bool inlined, meta;
} frame_rows[] = {
	{ "main.f(0x40, 0x8)", "\t/src/x.go:12 +0x1d", "main.f", "/src/x.go", "0x40, 0x8",
	  12, 0x1d, false, false },
	{ "main.g(...)", "\t/src/x.go:7", "main.g", "/src/x.go", "...", 7, -1, true, false },
	{ "main.(*T[...]).M({0x1, 0x2}, 0x3?)", "\t/a b/x.go:3 +0x5 fp=0x1 sp=0x2 pc=0x3",
	  "main.(*T[...]).M", "/a b/x.go", "{0x1, 0x2}, 0x3?", 3, 5, false, true },
	{ "runtime.goexit({})", "\t/go/src/runtime/asm_amd64.s:1700 +0x1", "runtime.goexit",
	  "/go/src/runtime/asm_amd64.s", "{}", 1700, 1, false, false },
	{ "main.h()", "\tC:/Users/me/x.go:44 +0x9f", "main.h", "C:/Users/me/x.go", "", 44,
	  0x9f, false, false },
	{ "main.k()", "        /spaces/x.go:5 +0x2", "main.k", "/spaces/x.go", "", 5, 2,
	  false, false },
	/* Go 1.1: metadata before the name, five words then ", ..." */
	{ "[fp=0xc200050f30] main.f(0x1, 0x2, 0x3, 0x4, 0x5, ...)", "\t/x.go:5 +0x2a",
	  "main.f", "/x.go", "0x1, 0x2, 0x3, 0x4, 0x5, ...", 5, 0x2a, false, false },
	{ "main.glob..func1()", "\t?:0", "main.glob..func1", "?", "", 0, -1, false, false },
	{ "type:.eq.main.T(0x1)", "\t<autogenerated>:1 +0x4", "type:.eq.main.T",
	  "<autogenerated>", "0x1", 1, 4, false, false },
};

static void test_frames(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(frame_rows) / sizeof(frame_rows[0]); i++) {
		const struct frame_row *r = &frame_rows[i];
		char text[512];
		snprintf(text, sizeof(text), "goroutine 1 [running]:\n%s\n%s\n", r->fn, r->file);
		struct ps_doc *doc = parse(text);
		assert_int_equal(doc->n_dumps, 1);
		const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
		if (g->stack.n_frames != 1)
			fail_msg("'%s': %u frames", r->fn, g->stack.n_frames);
		const struct ps_frame *f = &g->stack.frames[0];
		long long off = f->has_pc_offset ? (long long)f->pc_offset : -1;
		if (strcmp(f->func, r->func) || strcmp(f->file, r->path) || f->line != r->line ||
		    strcmp(ps_stack_args(&g->stack, 0), r->args) || off != r->off ||
		    f->inlined != r->inlined || f->has_meta != r->meta)
			fail_msg("'%s': got func=%s file=%s line=%u args=%s off=%lld inl=%d",
				 r->fn, f->func, f->file, f->line, ps_stack_args(&g->stack, 0), off,
				 f->inlined);
		ps_doc_free(doc);
	}
}

/* A frame's name is one token: a byte below 0x21 anywhere in it (the
 * name is read a word at a time, the last word overlapping) makes the
 * line no frame, other bytes do not, and a '[' lets spaces in. */
static void test_frame_name_bytes(void **state)
{
	(void)state;
	static const unsigned char stops[] = { ' ', '\t', 0x01, 0x1f };
	static const unsigned char others[] = { '!', 0x7f, 0x80, 0xff };
	for (size_t len = 8; len <= 24; len++) {
		for (size_t at = 1; at < len; at++) {
			for (size_t k = 0; k < 8; k++) {
				bool stop = k < 4;
				char name[32], text[128];
				memset(name, 'a', len);
				memcpy(name, "main.", 5);
				name[at] = (char)(stop ? stops[k] : others[k - 4]);
				name[len] = '\0';
				snprintf(text, sizeof(text), "goroutine 1 [running]:\n%s()\n\t/x.go:1 +0x1\n",
					 name);
				struct ps_doc *doc = parse(text);
				const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
				bool frame = g->stack.n_frames == 1 && !strcmp(g->stack.frames[0].func, name);
				if (frame == stop)
					fail_msg("name of %zu bytes, byte %#x at %zu: %s", len,
						 (unsigned char)name[at], at, frame ? "a frame" : "no frame");
				ps_doc_free(doc);
			}
		}
	}
	struct ps_doc *doc = parse("goroutine 1 [running]:\nmain.F[go.shape.struct { a int }]()\n"
				   "\t/x.go:1 +0x1\n");
	assert_int_equal(doc->dumps[0]->goroutines[0].stack.n_frames, 1);
	assert_string_equal(doc->dumps[0]->goroutines[0].stack.frames[0].func,
			    "main.F[go.shape.struct { a int }]");
	ps_doc_free(doc);
}

static void test_interned(void **state)
{
	(void)state;
	struct ps_doc *doc = parse("goroutine 1 [running]:\nmain.f()\n\t/x.go:1 +0x1\n\n"
				   "goroutine 2 [sleep]:\nmain.f()\n\t/x.go:1 +0x1\n");
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->n_goroutines, 2);
	/* equal names and paths share one pointer */
	assert_ptr_equal(d->goroutines[0].stack.frames[0].func, d->goroutines[1].stack.frames[0].func);
	assert_ptr_equal(d->goroutines[0].stack.frames[0].file, d->goroutines[1].stack.frames[0].file);
	assert_ptr_equal(ps_stack_args(&d->goroutines[0].stack, 0),
			 ps_stack_args(&d->goroutines[1].stack, 0));
	ps_doc_free(doc);
}

/* A pool: goroutines with the same calls share one frames array whatever
 * their words, and each keeps its own words; a run of equal argument
 * lists shares one argument array once the memos are on (past 512 frame
 * lines); other calls get another frames array. */
static void test_calls_shared_words_kept(void **state)
{
	(void)state;
	enum { N = 600 };
	static char text[N * 128];
	size_t n = 0;
	for (size_t i = 0; i < N; i++) {
		/* the last ten park with equal words; goroutine N - 20 calls g */
		unsigned long word = i >= N - 10 ? 0x5000 : 0x1000 + i;
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "goroutine %zu [chan receive]:\nmain.%s(0x%lx, 0x1)\n"
				      "\t/x.go:7 +0x1d\nmain.main()\n\t/x.go:3 +0x2\n\n",
				      i + 1, i == N - 20 ? "g" : "f", word);
	}
	struct ps_doc *doc = parse(text);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->n_goroutines, N);
	const struct ps_stack *a = &d->goroutines[0].stack, *b = &d->goroutines[1].stack;
	assert_ptr_equal(a->frames, b->frames);
	assert_string_equal(ps_stack_args(a, 0), "0x1000, 0x1");
	assert_string_equal(ps_stack_args(b, 0), "0x1001, 0x1");
	assert_string_equal(ps_stack_args(b, 1), "");
	assert_int_equal(ps_stack_args_len(b, 0), 11);
	assert_ptr_not_equal(a->args, b->args);
	const struct ps_stack *g = &d->goroutines[N - 20].stack;
	assert_ptr_not_equal(g->frames, a->frames);
	assert_string_equal(g->frames[0].func, "main.g");
	const struct ps_stack *y = &d->goroutines[N - 2].stack, *z = &d->goroutines[N - 1].stack;
	assert_ptr_equal(y->frames, a->frames);
	assert_ptr_equal(y->args, z->args);
	assert_string_equal(ps_stack_args(z, 0), "0x5000, 0x1");
	assert_ptr_not_equal(d->goroutines[N - 11].stack.args, z->args);
	ps_doc_free(doc);
}

/* ---- panic headers, signals, chains ---- */

static void test_panic_chain(void **state)
{
	(void)state;
	struct ps_doc *doc = parse(
		"panic: first [recovered]\n"
		"\tpanic: second\n"
		"[signal SIGSEGV: segmentation violation code=0x1 addr=0x50 pc=0x5046c9]\n\n"
		"goroutine 54 [running]:\nmain.f(0x0)\n\t/x.go:227 +0x59\nexit status 2\n");
	assert_int_equal(doc->n_dumps, 1);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->kind, PS_DUMP_PANIC);
	assert_int_equal(d->n_panics, 2);
	assert_string_equal(d->message, "first");
	assert_true(d->recovered);
	assert_string_equal(d->panics[1].message, "second");
	assert_false(d->panics[1].recovered);
	assert_non_null(d->signal);
	assert_string_equal(d->signal->name, "SIGSEGV");
	assert_string_equal(d->signal->desc, "segmentation violation");
	assert_string_equal(d->signal->addr, "0x50");
	assert_string_equal(d->signal->pc, "0x5046c9");
	assert_true(d->goroutines[0].crashed);
	assert_int_equal(d->exit_status, 2);
	ps_doc_free(doc);
}

static void test_repanicked_and_multiline(void **state)
{
	(void)state;
	struct ps_doc *doc = parse("panic: line one\n\tline two [recovered, repanicked]\n\n"
				   "goroutine 1 [running]:\nmain.main()\n\t/x.go:3 +0x1\n");
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->n_panics, 1);
	/* the suffix ends the last line of a multi-line value */
	assert_string_equal(d->message, "line one\nline two [recovered, repanicked]");
	ps_doc_free(doc);
	doc = parse("panic: PANIC [recovered, repanicked]\n\ngoroutine 1 [running]:\n"
		    "main.main()\n\t/x.go:3 +0x1\n");
	assert_true(doc->dumps[0]->panics[0].repanicked);
	assert_string_equal(doc->dumps[0]->message, "PANIC");
	ps_doc_free(doc);
}

static void test_old_signal_and_fatal(void **state)
{
	(void)state;
	struct ps_doc *doc = parse("runtime: goroutine stack exceeds 1000000000-byte limit\n"
				   "fatal error: stack overflow\n\n"
				   "runtime stack:\nruntime.throw(0x1, 0x2)\n\t/r/panic.go:1 +0x1\n\n"
				   "goroutine 1 [running]:\nmain.f()\n\t/x.go:1 +0x1\n");
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->kind, PS_DUMP_FATAL);
	assert_string_equal(d->message, "stack overflow");
	assert_int_equal(d->n_runtime_lines, 1);
	assert_int_equal(d->n_goroutines, 2);
	assert_false(d->goroutines[0].has_header);
	assert_string_equal(ps_goroutine_role(&d->goroutines[0]), "runtime stack");
	assert_true(d->goroutines[1].crashed);
	assert_int_equal(doc->skipped.count, 0);
	ps_doc_free(doc);
	doc = parse("panic: x\n[signal 0xb code=0x1 addr=0x0 pc=0x401234]\n\n"
		    "goroutine 1 [running]:\nmain.f()\n\t/x.go:1 +0x1\n");
	assert_string_equal(doc->dumps[0]->signal->name, "0xb");
	assert_string_equal(doc->dumps[0]->signal->code, "0x1");
	ps_doc_free(doc);
}

static void test_sigquit_registers(void **state)
{
	(void)state;
	struct ps_doc *doc = parse("SIGQUIT: quit\nPC=0x46b0e1 m=0 sigcode=0\n\n"
				   "goroutine 0 [idle]:\nruntime.futex(0x1)\n\t/r/sys.s:1 +0x1\n\n"
				   "goroutine 1 [chan receive, 5 minutes]:\nmain.main()\n\t/x.go:1 +0x1\n\n"
				   "rax    0x0\nrbx    0xc000038000\nrflags 0x246\n");
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->kind, PS_DUMP_SIGQUIT);
	assert_string_equal(d->signal->name, "SIGQUIT");
	assert_string_equal(d->signal->pc, "0x46b0e1");
	assert_string_equal(d->signal->code, "0");
	assert_int_equal(d->n_registers, 3);
	assert_true(d->registers[1].value == 0xc000038000ULL);
	/* an idle thread's g0 took the signal: nothing crashed */
	assert_false(d->goroutines[0].crashed);
	assert_false(d->goroutines[1].crashed);
	assert_int_equal(d->goroutines[1].wait_minutes, 5);
	ps_doc_free(doc);
}

/* The "created by" line: " in goroutine N" is taken only at its end. */
static const struct created_row {
	const char *line, *func;    /* func NULL: not a created-by line */
	bool has_gid;
	uint64_t gid;
} created_rows[] = {
	{ "created by main.main in goroutine 1", "main.main", true, 1 },
	{ "created by main.main", "main.main", false, 0 },
	{ "created by main.(*T).run in goroutine 1844674407370955161",
	  "main.(*T).run", true, 1844674407370955161ULL },
	{ "created by main.main in goroutine 18446744073709551616", NULL, false, 0 },
	{ "created by main.f in goroutine 12 in goroutine 7", NULL, false, 0 },
	{ "created by main.f in goroutine 12a", NULL, false, 0 },
	{ "created by in goroutine 5", NULL, false, 0 },
	{ "created by main.f in goroutine ", NULL, false, 0 },
	{ "created by main.f[go.shape.int] in goroutine 3", "main.f[go.shape.int]", true, 3 },
};

static void test_created_by_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(created_rows) / sizeof(created_rows[0]); i++) {
		const struct created_row *r = &created_rows[i];
		char text[256];
		snprintf(text, sizeof(text), "goroutine 9 [select]:\nmain.w()\n\t/x.go:20 +0x30\n"
			 "%s\n\t/x.go:8 +0x4f\n", r->line);
		struct ps_doc *doc = parse(text);
		const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
		const struct ps_created_by *cb = g->created_by;
		if (r->func ? !cb || strcmp(cb->func, r->func) || cb->has_goroutine != r->has_gid ||
			      cb->goroutine != r->gid || cb->line != 8
			    : cb != NULL)
			fail_msg("row %zu '%s': got %s in %d/%llu", i, r->line,
				 cb ? cb->func : "(none)", cb ? cb->has_goroutine : 0,
				 cb ? (unsigned long long)cb->goroutine : 0ULL);
		ps_doc_free(doc);
	}
}

static void test_created_by_elided_ancestors(void **state)
{
	(void)state;
	struct ps_doc *doc = parse(
		"goroutine 7 [select]:\nmain.a()\n\t/x.go:1 +0x1\n...additional frames elided...\n"
		"created by main.main in goroutine 1\n\t/x.go:9 +0x4f\n"
		"[originating from goroutine 1]:\nmain.main(...)\n\t/x.go:8 +0x2\n\n"
		"goroutine 8 [running]:\nmain.b()\n\t/x.go:2 +0x1\n...12 frames elided...\n"
		"main.c()\n\t/x.go:3 +0x1\ncreated by main.main\n\t/x.go:10 +0x5\n");
	const struct ps_dump *d = doc->dumps[0];
	const struct ps_goroutine *g = &d->goroutines[0];
	assert_true(g->stack.elided);
	assert_int_equal(g->stack.elided_at, 1);
	assert_non_null(g->created_by);
	assert_string_equal(g->created_by->func, "main.main");
	assert_true(g->created_by->has_goroutine);
	assert_int_equal(g->created_by->goroutine, 1);
	assert_int_equal(g->created_by->line, 9);
	size_t n_an;
	const struct ps_ancestor *an = ps_goroutine_ancestors(g, &n_an);
	assert_int_equal(n_an, 1);
	assert_int_equal(an[0].id, 1);
	assert_int_equal(an[0].stack.n_frames, 1);
	g = &d->goroutines[1];
	assert_int_equal(g->stack.elided_count, 12);
	assert_int_equal(g->stack.n_frames, 2);
	assert_false(g->created_by->has_goroutine);
	assert_int_equal(doc->skipped.count, 0);
	ps_doc_free(doc);
}

static void test_timeout_and_race(void **state)
{
	(void)state;
	struct ps_doc *doc = parse(
		"panic: test timed out after 1s\n\trunning tests:\n\t\tTestA (1s)\n\t\tTestB (1s)\n\n"
		"goroutine 5 [running]:\ntesting.(*M).startAlarm.func1()\n\t/t.go:1 +0x1\n");
	assert_int_equal(doc->dumps[0]->kind, PS_DUMP_TIMEOUT);
	assert_int_equal(doc->dumps[0]->n_running_tests, 2);
	assert_string_equal(doc->dumps[0]->running_tests[1], "TestB (1s)");
	assert_string_equal(doc->dumps[0]->message, "test timed out after 1s");
	ps_doc_free(doc);
	doc = parse("==================\nWARNING: DATA RACE\n"
		    "Write at 0x00c00001c0a8 by goroutine 7:\n  main.main.func1()\n      /x.go:10 +0x3c\n\n"
		    "Previous read at 0x00c00001c0a8 by main goroutine:\n  main.main()\n      /x.go:13 +0x9c\n\n"
		    "Goroutine 7 (running) created at:\n  main.main()\n      /x.go:9 +0x8e\n"
		    "==================\nFound 1 data race(s)\n");
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->kind, PS_DUMP_RACE);
	assert_int_equal(d->n_goroutines, 3);
	assert_int_equal(d->goroutines[0].id, 7);
	assert_int_equal(d->goroutines[1].id, 1);
	assert_string_equal(d->goroutines[2].state, "running");
	assert_string_equal(d->goroutines[0].stack.frames[0].file, "/x.go");
	ps_doc_free(doc);
}

static void test_pprof_debug1(void **state)
{
	(void)state;
	struct ps_doc *doc = parse(
		"goroutine profile: total 4\n3 @ 0x43a0d6 0x4069ac\n# labels: {\"k\":\"v\"}\n"
		"#\t0x4069ab\tmain.worker+0x2b\t\t/p/main.go:12\n"
		"#\t0x4069ac\tmain.main+0x1c\t\t\t/p/main.go:20\n\n"
		"1 @ 0x43a0d6\n#\t0x43a0d5\truntime.gopark+0x15\t/r/proc.go:1\n\n");
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->total_goroutines, 4);
	assert_int_equal(d->n_goroutines, 2);
	assert_int_equal(ps_goroutine_count(&d->goroutines[0]), 3);
	assert_int_equal(ps_goroutine_count(&d->goroutines[1]), 1);
	assert_int_equal(d->goroutines[0].stack.n_frames, 2);
	assert_string_equal(d->goroutines[0].stack.frames[0].func, "main.worker");
	assert_int_equal(d->goroutines[0].stack.frames[0].pc_offset, 0x2b);
	assert_int_equal(d->goroutines[0].stack.frames[1].line, 20);
	ps_doc_free(doc);
}

/* The record sizes issue 12 and 14 budget for (a 100,000-goroutine dump,
 * a goroutine of 10^6 frames).  A goroutine of N frames whose calls
 * another one shares costs 88 + 8N bytes of its own (record, argument
 * pointers), where it cost 80 + 40N while the words sat in the frames. */
static void test_record_sizes(void **state)
{
	(void)state;
	assert_true(sizeof(struct ps_goroutine) <= 88);
	assert_true(sizeof(struct ps_frame) <= 32);
	assert_true(sizeof(struct ps_stack) <= 32);
}

/* Rare fields: none for a plain goroutine (the accessors give the
 * defaults), one shared record for goroutines with equal ones. */
static void test_rare_fields(void **state)
{
	(void)state;
	struct ps_doc *doc = parse(
		"goroutine profile: total 7\n3 @ 0x1\n#\t0x1\tmain.a+0x1\t/p/a.go:1\n\n"
		"3 @ 0x2\n#\t0x2\tmain.b+0x1\t/p/b.go:2\n\n"
		"1 @ 0x3\n#\t0x3\tmain.c+0x1\t/p/c.go:3\n\n");
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->n_goroutines, 3);
	assert_non_null(d->goroutines[0].rare);
	assert_ptr_equal(d->goroutines[0].rare, d->goroutines[1].rare);
	assert_int_equal(ps_goroutine_count(&d->goroutines[1]), 3);
	assert_null(d->goroutines[2].rare);      /* a count of 1 is the default */
	assert_string_equal(ps_goroutine_role(&d->goroutines[2]), "");
	size_t n = 9;
	assert_null(ps_goroutine_ancestors(&d->goroutines[2], &n));
	assert_int_equal(n, 0);
	ps_doc_free(doc);

	doc = parse("panic: x\n\ngoroutine 1 gp=0xc000007340 m=4 mp=0xc000100008 [running]:\n"
		    "main.main()\n\t/a.go:1 +0x1\n");
	const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
	assert_null(g->rare);
	assert_int_equal(ps_goroutine_count(g), 1);
	assert_int_equal(g->m, 4);
	assert_string_equal(g->header_extra, " gp=0xc000007340 m=4 mp=0xc000100008");
	ps_doc_free(doc);
}

/* A stack big enough that its frames vector becomes the stored array:
 * a second goroutine with the same stack shares it, a third with one
 * frame changed does not, and every frame reads back. */
static void test_huge_stack_shared(void **state)
{
	(void)state;
	enum { N = 12000 };     /* 12000 * 40 bytes: past the 256 KiB cut */
	struct ps_buf b = { 0 };
	for (int k = 0; k < 3; k++) {
		ps_buf_printf(&b, "goroutine %d [select]:\n", k + 1);
		for (int i = 0; i < N; i++)
			ps_buf_printf(&b, "main.f%d()\n\t/a.go:%d +0x1\n", i,
				      k == 2 && i == N - 1 ? 7 : i + 1);
		ps_buf_addc(&b, '\n');
	}
	struct ps_doc *doc = ps_parse_buffer(b.p, b.len);
	ps_buf_release(&b);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->n_goroutines, 3);
	for (int k = 0; k < 3; k++)
		assert_int_equal(d->goroutines[k].stack.n_frames, N);
	assert_ptr_equal(d->goroutines[0].stack.frames, d->goroutines[1].stack.frames);
	assert_ptr_not_equal(d->goroutines[0].stack.frames, d->goroutines[2].stack.frames);
	assert_string_equal(d->goroutines[1].stack.frames[N - 1].func, "main.f11999");
	assert_int_equal(d->goroutines[1].stack.frames[N - 1].line, N);
	assert_int_equal(d->goroutines[2].stack.frames[N - 1].line, 7);
	assert_int_equal(d->goroutines[2].stack.frames[0].line, 1);
	ps_doc_free(doc);
}

static void test_windows_exception(void **state)
{
	(void)state;
	struct ps_doc *doc = parse("Exception 0xc0000005 0x0 0x7ffa12345678 0x7ff6abcdef01\n"
				   "PC=0x7ff6abcdef01\n\nruntime.cgocall(0x1, 0x2)\n\tC:/go/cgocall.go:1 +0x1\n\n"
				   "goroutine 2 [select]:\nmain.w()\n\tC:/x.go:1 +0x1\n");
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->kind, PS_DUMP_SIGNAL);
	assert_string_equal(d->signal->name, "0xc0000005");
	assert_int_equal(d->n_goroutines, 2);
	assert_false(d->goroutines[0].has_header);
	assert_true(d->goroutines[0].crashed);
	ps_doc_free(doc);
}

static void test_cgo_frames(void **state)
{
	(void)state;
	struct ps_doc *doc = parse("goroutine 1 [syscall]:\n"
				   "non-Go function at pc=0x7f0012\n"
				   "c_crash\n\t/src/crash.c:12 pc=0x7f0034\n"
				   "non-Go function\n\tpc=0x7f0056\n"
				   "Killed\n"
				   "runtime.cgocall(0x1, 0x2)\n\t/go/cgocall.go:167 +0x4b\n");
	const struct ps_goroutine *g = &doc->dumps[0]->goroutines[0];
	assert_int_equal(g->stack.n_frames, 4);
	assert_int_equal(g->stack.frames[0].kind, PS_FRAME_C);
	assert_true(g->stack.frames[0].pc == 0x7f0012);
	assert_string_equal(g->stack.frames[1].func, "c_crash");
	assert_string_equal(g->stack.frames[1].file, "/src/crash.c");
	assert_true(g->stack.frames[1].pc == 0x7f0034);
	assert_false(g->stack.frames[2].has_file);
	assert_string_equal(g->stack.frames[3].func, "runtime.cgocall");
	assert_int_equal(doc->skipped.count, 1); /* "Killed" */
	assert_int_equal(doc->skipped.first[0], 7);
	assert_false(g->truncated);
	ps_doc_free(doc);
}

/* ---- line memos: a repeated line parses as it did the first time,
 * and a line that only starts like a remembered one does not take its
 * parse ---- */

static const struct memo_row {
	const char *frame, *file;
	const char *func, *args;
	uint32_t line, off;
	bool has_off;
	uint64_t pc;
} memo_rows[] = {
	{ "main.f(0x1)", "\t/a/b.go:12 +0x1d", "main.f", "0x1", 12, 0x1d, true, 0 },
	{ "main.f(0x1)", "\t/a/b.go:12 +0x1d0", "main.f", "0x1", 12, 0x1d0, true, 0 },
	{ "main.f(0x1)", "\t/a/b.go:12 +0x1d0 pc=0x4", "main.f", "0x1", 12, 0x1d0, true, 4 },
	{ "main.f(0x1)", "\t/a/b.go:123 +0x1d", "main.f", "0x1", 123, 0x1d, true, 0 },
	{ "main.f(0x1, 0x2)", "\t/a/b.go:12", "main.f", "0x1, 0x2", 12, 0, false, 0 },
	{ "main.f(0x1, 0x2)", "\t/a/b.go:123", "main.f", "0x1, 0x2", 123, 0, false, 0 },
	{ "main.f(0x1, 0x2)", "\t/a/b.go:123 +0x7", "main.f", "0x1, 0x2", 123, 7, true, 0 },
	{ "main.g(0x1)", "\t/a/b.go:123 +0x7", "main.g", "0x1", 123, 7, true, 0 },
	{ "main.g(0x2)", "\t/a/b.go:1 +0x7", "main.g", "0x2", 1, 7, true, 0 },
	{ "main.f(0x1)", "\t/a/b.go:12 +0x1d", "main.f", "0x1", 12, 0x1d, true, 0 },
	/* a tail laid out as the last one under its head is checked, not
	 * split: equal lengths must not hide a space, another token or
	 * another pc (each row after the first two is as long as it) */
#define T_HEAD "\t/a/b.go:50 +0x10 "
#define T_NOTE T_HEAD "fp=0xc000010000 sp=0xc000010008 pc=0x401000"
	{ "main.t()", T_NOTE, "main.t", "", 50, 0x10, true, 0x401000 },
	{ "main.t()", T_HEAD "fp=0xc000020000 sp=0xc000020008 pc=0x401000", "main.t", "", 50,
	  0x10, true, 0x401000 },
	{ "main.t()", T_HEAD "fp=0 +0x1d00000 sp=0xc000010008 pc=0x401000", "main.t", "", 50,
	  0x1d00000, true, 0x401000 },
	{ "main.t()", T_NOTE, "main.t", "", 50, 0x10, true, 0x401000 },
	{ "main.t()", T_HEAD "fp=0xc000010000 sp=0xc0 +0x1d000 pc=0x401000", "main.t", "", 50,
	  0x1d000, true, 0x401000 },
	{ "main.t()", T_NOTE, "main.t", "", 50, 0x10, true, 0x401000 },
	{ "main.t()", T_HEAD "fp=0xc000010000 +0x0000000001d0 pc=0x401000", "main.t", "", 50,
	  0x1d0, true, 0x401000 },
	{ "main.t()", T_NOTE, "main.t", "", 50, 0x10, true, 0x401000 },
	{ "main.t()", T_HEAD "fp=0xc000010000 sp=0xc000010008 pc=0x401001", "main.t", "", 50,
	  0x10, true, 0x401001 },
#undef T_NOTE
#undef T_HEAD
};

static void test_line_memos(void **state)
{
	(void)state;
	static char text[64 * 1024];
	size_t n = 0, rows = sizeof(memo_rows) / sizeof(memo_rows[0]);
	/* the memos are made after some hundred frame lines: a big dump */
	for (size_t i = 0; i < 1000; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "goroutine %zu [select]:\nmain.pad%zu()\n\t/p.go:%zu +0x1\n\n",
				      1000 + i, i % 7, i);
	for (size_t i = 0; i < rows; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "goroutine %zu [select]:\n%s\n%s\n\n",
				      i + 1, memo_rows[i].frame, memo_rows[i].file);
	struct ps_doc *doc = parse(text);
	assert_int_equal(doc->n_dumps, 1);
	assert_int_equal(doc->dumps[0]->n_goroutines, 1000 + rows);
	for (size_t i = 0; i < rows; i++) {
		const struct memo_row *r = &memo_rows[i];
		const struct ps_goroutine *g = &doc->dumps[0]->goroutines[1000 + i];
		assert_int_equal(g->stack.n_frames, 1);
		const struct ps_frame *f = &g->stack.frames[0];
		if (strcmp(f->func, r->func) || strcmp(ps_stack_args(&g->stack, 0), r->args) ||
		    ps_stack_args_len(&g->stack, 0) != strlen(r->args) || strcmp(f->file, "/a/b.go") ||
		    f->line != r->line || f->has_pc_offset != r->has_off ||
		    (r->has_off && f->pc_offset != r->off) || f->pc != r->pc ||
		    f->has_meta != (r->pc != 0))
			fail_msg("row %zu (%s / %s): got %s(%s) %s:%u off=%d:%#x pc=%#llx",
				 i, r->frame, r->file, f->func, ps_stack_args(&g->stack, 0), f->file,
				 f->line, f->has_pc_offset, f->pc_offset,
				 (unsigned long long)f->pc);
	}
	ps_doc_free(doc);
}

/* Past the memos' start, a file line whose head its hint names after
 * the line before is answered at once: one function's head at several
 * sites (frames and created-by lines), a tail laid out as noted but
 * hiding a token in its fp= value, a head whose line overflows (flagged
 * on every use), each as the full parse would read it; created-bys
 * equal but for their parent goroutine share no copy, and stacks are
 * shared exactly where their bytes are equal. */
static void test_line_memo_sites(void **state)
{
	(void)state;
	enum { N = 700, SITES = 5 };
	size_t cap = (size_t)N * 512, n = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (size_t i = 0; i < N; i++) {
		size_t w = i * 7 % SITES, c = i * 3 % SITES;
		char fp[16];
		if (i % 11 == 3)
			snprintf(fp, sizeof(fp), "0xc0 +0x%04zx", 0x1000 + i); /* 12 bytes */
		else
			snprintf(fp, sizeof(fp), "0xc%09zx", 0x10000 + i * 64);
		n += (size_t)snprintf(text + n, cap - n,
			"goroutine %zu [select]:\n"
			"main.w()\n\t/a/w.go:%zu +0x%zx fp=%s sp=0xc%09zx pc=0x%zx\n"
			"main.o()\n\t/a/o.go:3000000000 +0x1\n"
			"runtime.goexit({})\n\t/go/asm.s:1771 +0x1 fp=0xc%09zx sp=0xc%09zx pc=0x488261\n"
			"created by main.main in goroutine %zu\n\t/a/m.go:%zu +0x%zx\n\n",
			i + 1, 10 + w, 0x10 + w, fp, 0x10008 + i * 64, 0x401000 + w * 16,
			0x20000 + i * 64, 0x20008 + i * 64, 1 + i % 2, 100 + c, 0x20 + c);
	}
	struct ps_doc *doc = parse(text);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(doc->n_dumps, 1);
	assert_int_equal(d->n_goroutines, N);
	size_t flagged = repairs_of(d, PS_REPAIR_NUMBER_OVERFLOW);
	assert_int_equal(flagged, N);
	for (size_t i = 0; i < N; i++) {
		size_t w = i * 7 % SITES, c = i * 3 % SITES;
		const struct ps_goroutine *g = &d->goroutines[i];
		assert_int_equal(g->stack.n_frames, 3);
		const struct ps_frame *f = &g->stack.frames[0], *o = &g->stack.frames[1],
				     *x = &g->stack.frames[2];
		const struct ps_created_by *cb = g->created_by;
		uint32_t off = i % 11 == 3 ? (uint32_t)(0x1000 + i) : (uint32_t)(0x10 + w);
		if (strcmp(f->file, "/a/w.go") || f->line != 10 + w || !f->has_pc_offset ||
		    f->pc_offset != off || f->pc != 0x401000 + w * 16 || !f->has_meta ||
		    strcmp(o->file, "/a/o.go") || o->line != 3000000000u || o->has_meta ||
		    strcmp(x->file, "/go/asm.s") || x->line != 1771 || x->pc != 0x488261 ||
		    !x->has_meta || !cb || strcmp(cb->file, "/a/m.go") || cb->line != 100 + c ||
		    !cb->has_pc_offset || cb->pc_offset != 0x20 + c || cb->goroutine != 1 + i % 2)
			fail_msg("goroutine %zu: %s:%u +%#x pc=%#llx / %s:%u / %s:%u", i, f->file,
				 f->line, f->pc_offset, (unsigned long long)f->pc, o->file,
				 o->line, cb ? cb->file : "-", cb ? cb->line : 0);
		/* equal created-bys are one shared copy, unequal ones not
		 * (site and parent repeat every 10 goroutines, parents
		 * alternate) */
		if (i >= 10 && (cb != d->goroutines[i - 10].created_by ||
				cb == d->goroutines[i - 5].created_by))
			fail_msg("goroutine %zu: created-by not shared as its bytes say", i);
		/* and so are stacks: the frame sites repeat every 5 */
		bool odd = i % 11 == 3, odd5 = i >= 5 && (i - 5) % 11 == 3;
		if (i >= 5 && (g->stack.frames == d->goroutines[i - 5].stack.frames) != (!odd && !odd5))
			fail_msg("goroutine %zu: stack not shared as its bytes say", i);
		if (i >= 1 && g->stack.frames == d->goroutines[i - 1].stack.frames)
			fail_msg("goroutine %zu: stack shared with another site's", i);
	}
	ps_doc_free(doc);
	free(text);
}

/* ---- dirty logs ---- */

static const char clean[] =
	"panic: boom\n\ngoroutine 1 [running]:\nmain.f(0x1, {0x2, 0x3})\n\t/x.go:5 +0x1d\n"
	"main.main()\n\t/x.go:9 +0x25\n\ngoroutine 6 [chan receive, 2 minutes]:\n"
	"main.w()\n\t/x.go:20 +0x30\ncreated by main.main in goroutine 1\n\t/x.go:8 +0x4f\n";

/* Same goroutines, frames and created-by as CLEAN? */
static void assert_same_as_clean(const struct ps_doc *doc, const char *what)
{
	struct ps_doc *ref = parse(clean);
	if (doc->n_dumps != 1)
		fail_msg("%s: %zu dumps", what, doc->n_dumps);
	const struct ps_dump *a = ref->dumps[0], *b = doc->dumps[0];
	if (b->n_goroutines != a->n_goroutines || strcmp(a->message, b->message))
		fail_msg("%s: %zu goroutines, message '%s'", what, b->n_goroutines, b->message);
	for (size_t i = 0; i < a->n_goroutines; i++) {
		const struct ps_goroutine *x = &a->goroutines[i], *y = &b->goroutines[i];
		if (x->id != y->id || strcmp(x->state, y->state) ||
		    x->stack.n_frames != y->stack.n_frames || x->wait_minutes != y->wait_minutes ||
		    (x->created_by == NULL) != (y->created_by == NULL))
			fail_msg("%s: goroutine %zu differs", what, i);
		for (size_t j = 0; j < x->stack.n_frames; j++) {
			const struct ps_frame *f = &x->stack.frames[j], *g = &y->stack.frames[j];
			if (strcmp(f->func, g->func) || strcmp(f->file, g->file) ||
			    f->line != g->line ||
			    strcmp(ps_stack_args(&x->stack, j), ps_stack_args(&y->stack, j)) ||
			    f->pc_offset != g->pc_offset)
				fail_msg("%s: frame %s differs (%s:%u)", what, f->func, g->file, g->line);
		}
	}
	ps_doc_free(ref);
}

/* Rewrites each line of CLEAN as PRE + line + POST. */
static char *decorate(const char *pre_fmt, const char *post)
{
	static char buf[8192];
	char *o = buf;
	const char *s = clean;
	int i = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		o += sprintf(o, pre_fmt, i++ % 60);
		memcpy(o, s, (size_t)(nl - s));
		o += nl - s;
		o += sprintf(o, "%s\n", post);
		s = nl + 1;
	}
	*o = '\0';
	return buf;
}

static void test_prefixes(void **state)
{
	static const struct { const char *pre, *post, *what; } rows[] = {
		{ "2026-11-21T23:40:%02d.123456789Z ", "", "kubectl timestamps" },
		{ "2026-11-21T23:40:%02d.1Z stderr F ", "", "CRI log" },
		{ "Nov 21 23:40:%02d host app[1234]: ", "", "journald" },
		{ "api-1  | ", "", "docker compose" },
		{ "[pod-7f9c-xk2] ", "", "kubectl --prefix" },
		{ "2026/11/21 23:40:%02d ", "", "log package" },
		{ "", "\r", "CRLF" },
		{ "\x1b[31m", "\x1b[0m", "ANSI colours" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ps_doc *doc = parse(decorate(rows[i].pre, rows[i].post));
		assert_same_as_clean(doc, rows[i].what);
		if (doc->skipped.count)
			fail_msg("%s: %llu lines skipped", rows[i].what,
				 (unsigned long long)doc->skipped.count);
		ps_doc_free(doc);
	}
}

static void test_junk_and_several_dumps(void **state)
{
	(void)state;
	char buf[8192];
	snprintf(buf, sizeof(buf), "starting server on :8080\nGET /x 200\n%s"
		 "INFO unrelated line\n\n%sexit status 2\n", clean, clean);
	struct ps_doc *doc = parse(buf);
	assert_int_equal(doc->n_dumps, 2);
	assert_int_equal(doc->skipped.count, 3);
	assert_int_equal(doc->skipped.first[0], 1);
	assert_int_equal(doc->dumps[1]->exit_status, 2);
	ps_doc_free(doc);
}

static void test_truncation_everywhere(void **state)
{
	(void)state;
	size_t n = strlen(clean);
	for (size_t cut = 0; cut <= n; cut++) {
		struct ps_doc *doc = ps_parse_buffer(clean, cut);
		for (size_t i = 0; i < doc->n_dumps; i++)
			assert_true(doc->dumps[i]->n_goroutines <= 2);
		if (cut == n)
			assert_false(doc->dumps[0]->truncated);
		ps_doc_free(doc);
	}
	struct ps_doc *doc = ps_parse_buffer(clean, strstr(clean, "\t/x.go:9") - clean);
	assert_true(doc->dumps[0]->truncated);
	ps_doc_free(doc);
	/* cut inside a header, which then does not parse */
	doc = ps_parse_buffer(clean, strstr(clean, "[chan rec") - clean + 8);
	assert_true(doc->dumps[0]->truncated);
	ps_doc_free(doc);
	/* junk after the last goroutine is not a cut, newline or not */
	char tail[1024];
	snprintf(tail, sizeof(tail), "%sFAIL\tpkg\t1.0s\nFAIL", clean);
	doc = parse(tail);
	assert_false(doc->dumps[0]->truncated);
	assert_int_equal(doc->skipped.count, 2);
	ps_doc_free(doc);
}

static void test_chunked_feed_matches(void **state)
{
	(void)state;
	const char *text = decorate("2026-11-21T23:40:%02dZ ", "\r");
	for (size_t step = 1; step < 40; step += 7) {
		ps_parser *p = ps_parse_new(NULL);
		for (size_t i = 0; i < strlen(text); i += step) {
			size_t k = strlen(text) - i < step ? strlen(text) - i : step;
			ps_parse_feed(p, text + i, k);
		}
		struct ps_doc *doc = ps_parse_finish(p);
		assert_same_as_clean(doc, "chunked");
		ps_doc_free(doc);
	}
}

/* Colours are looked for in a line only once an ESC was fed: a log
 * whose first ESC comes in a later feed, even cut between two feeds
 * ("\x1b" | "[31m..."), still has every colour removed. */
static void test_colours_in_later_feed(void **state)
{
	(void)state;
	const char *coloured = decorate("\x1b[31m", "\x1b[0m");
	const char *rest = strstr(coloured, "\x1b[31mgoroutine 6");
	size_t plain_n = (size_t)(strstr(clean, "goroutine 6") - clean);
	for (size_t cut = 0; cut < 3; cut++) {
		ps_parser *p = ps_parse_new(NULL);
		ps_parse_feed(p, clean, plain_n);
		ps_parse_feed(p, rest, cut);
		ps_parse_feed(p, rest + cut, strlen(rest) - cut);
		struct ps_doc *doc = ps_parse_finish(p);
		assert_same_as_clean(doc, "colours in a later feed");
		assert_int_equal(doc->skipped.count, 0);
		ps_doc_free(doc);
	}
}

static void test_garbage(void **state)
{
	(void)state;
	char buf[4096];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)((i * 7919u) ^ (i >> 3));
	struct ps_doc *doc = ps_parse_buffer(buf, sizeof(buf));
	assert_int_equal(doc->n_dumps, 0);
	assert_true(doc->skipped.count > 0);
	ps_doc_free(doc);
}

/* ps_intern_move: strings of a table built apart (a --jobs thread's) end
 * up once in the other; one only SRC had stays where it is (no copy), a
 * string both had names DST's, which keeps its user value. */
static void test_intern_move(void **state)
{
	(void)state;
	ps_intern *dst = ps_intern_new(), *src = ps_intern_new();
	const char *both = ps_intern_str(dst, "main.main", 9);
	*ps_intern_slot(dst, both) = (void *)&dst;
	const char *s_both = ps_intern_str(src, "main.main", 9);
	const char *s_new = ps_intern_str(src, "main.go", 7);
	const char *s_empty = ps_intern_str(src, "", 0);
	ps_intern_move(dst, src);
	assert_ptr_equal(ps_intern_moved(src, s_both), both);
	assert_ptr_equal(*ps_intern_slot(dst, both), (void *)&dst);
	const char *d_new = ps_intern_moved(src, s_new);
	assert_ptr_equal(d_new, s_new);
	assert_string_equal(d_new, "main.go");
	assert_ptr_equal(ps_intern_str(dst, "main.go", 7), d_new);
	assert_null(*ps_intern_slot(dst, d_new));
	assert_ptr_equal(ps_intern_str(dst, "", 0), ps_intern_moved(src, s_empty));
	assert_int_equal(ps_intern_count(dst), 3);
	ps_intern_free(src);
	assert_string_equal(d_new, "main.go"); /* DST owns SRC's blocks now */
	ps_intern_free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_funcnames),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_arg_raw_text),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_not_headers),
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_interned),
		cmocka_unit_test(test_calls_shared_words_kept),
		cmocka_unit_test(test_panic_chain),
		cmocka_unit_test(test_repanicked_and_multiline),
		cmocka_unit_test(test_old_signal_and_fatal),
		cmocka_unit_test(test_sigquit_registers),
		cmocka_unit_test(test_created_by_elided_ancestors),
		cmocka_unit_test(test_timeout_and_race),
		cmocka_unit_test(test_pprof_debug1),
		cmocka_unit_test(test_record_sizes),
		cmocka_unit_test(test_rare_fields),
		cmocka_unit_test(test_huge_stack_shared),
		cmocka_unit_test(test_windows_exception),
		cmocka_unit_test(test_cgo_frames),
		cmocka_unit_test(test_line_memos),
		cmocka_unit_test(test_line_memo_sites),
		cmocka_unit_test(test_frame_name_bytes),
		cmocka_unit_test(test_created_by_forms),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_junk_and_several_dumps),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_chunked_feed_matches),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_intern_move),
		cmocka_unit_test(test_colours_in_later_feed),
	};
	return cmocka_run_group_tests_name("parser", tests, NULL, NULL);
}
