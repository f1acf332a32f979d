/*
 * test_abi_decode.c - the ABI decoder through its API alone: real Go
 * binaries built here (corpus/groundtruth/prog, tests/abi/words), real
 * dumps from running them, ps_parse_buffer + ps_abi_open +
 * ps_abi_check_dump + ps_abi_decode_frame.
 *
 * Needs `go` on PATH (arm64 builds are decoded only, never run).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ps_abi.h"
#include "abi_int.h"    /* white-box: the format vote without a version */

struct env {
	char dir[64];           /* scratch directory */
	char src[1024];         /* PS_SOURCE_DIR */
};

static struct env E;

static int sh(const char *fmt, ...) PS_PRINTF(1, 2);
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

#define GOENV "env GOENV=off GOFLAGS= GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux "

static int setup(void **state)
{
	const char *s = getenv("PS_SOURCE_DIR");
	snprintf(E.src, sizeof(E.src), "%s", s ? s : ".");
	strcpy(E.dir, "/tmp/ps-abi-test-XXXXXX");
	if (mkdtemp(E.dir) == NULL)
		return -1;
	if (sh("cd %s/corpus/groundtruth/prog && " GOENV "GO111MODULE=off GOARCH=amd64 "
	       "go build -o %s/gt . && " GOENV "GO111MODULE=off GOARCH=arm64 "
	       "go build -o %s/gt-arm64 . && " GOENV "GO111MODULE=off GOARCH=amd64 "
	       "go build -ldflags='-s -w' -o %s/gt-stripped . && " GOENV "GO111MODULE=off "
	       "GOARCH=amd64 go build -buildmode=pie -o %s/gt-pie .",
	       E.src, E.dir, E.dir, E.dir, E.dir) != 0)
		return -1;
	if (sh("cd %s/tests/abi/generic && " GOENV "GOARCH=amd64 go build -o %s/generic .",
	       E.src, E.dir) != 0)
		return -1;
	static const char *tags[] = { "example", "bools", "results", "eee", "variadic" };
	for (size_t i = 0; i < 5; i++)
		if (sh("cd %s/tests/abi/words && " GOENV "GOARCH=amd64 go build -tags %s -o %s/w-%s .",
		       E.src, tags[i], E.dir, tags[i]) != 0)
			return -1;
	*state = &E;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return sh("rm -rf %s", E.dir) == 0 ? 0 : -1;
}

/* ---- helpers -------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0'; /* a C string too (test_nil_note_crashed_only edits it) */
	fclose(f);
	*len = (size_t)n;
	return buf;
}

struct run {
	char *text;
	struct ps_doc *doc;
	const struct ps_dump *dump;
	ps_abi *abi;
	struct ps_arena arena;
};

static void run_open(struct run *r, const char *binary, const char *log)
{
	struct ps_error err = { 0 };
	size_t len;
	memset(r, 0, sizeof(*r));
	r->text = slurp(log, &len);
	r->doc = ps_parse_buffer(r->text, len);
	assert_non_null(r->doc);
	assert_true(r->doc->n_dumps >= 1);
	r->dump = r->doc->dumps[0];
	r->abi = ps_abi_open(binary, &err);
	if (r->abi == NULL)
		fail_msg("ps_abi_open(%s): %s", binary, err.msg);
}

/* Runs ./gt CASE (amd64, native) and opens its dump. */
static void run_case(struct run *r, const char *name)
{
	char log[256], bin[256];
	snprintf(log, sizeof(log), "%s/%s.log", E.dir, name);
	snprintf(bin, sizeof(bin), "%s/gt", E.dir);
	sh("%s %s 2>%s", bin, name, log);
	run_open(r, bin, log);
}

static void run_close(struct run *r)
{
	ps_arena_release(&r->arena);
	ps_abi_close(r->abi);
	ps_doc_free(r->doc);
	free(r->text);
}

/* The stack holding the first frame named FUNC; *AT gets its index. */
static const struct ps_stack *frame_named(const struct ps_dump *d, const char *func,
					  size_t *at)
{
	for (size_t g = 0; g < d->n_goroutines; g++)
		for (size_t i = 0; i < d->goroutines[g].stack.n_frames; i++)
			if (strcmp(d->goroutines[g].stack.frames[i].func, func) == 0) {
				*at = i;
				return &d->goroutines[g].stack;
			}
	fail_msg("no frame %s in the dump", func);
	return NULL;
}

static void decode(struct run *r, const char *func, enum ps_arg_format fmt,
		   struct ps_abi_frame *out)
{
	size_t i;
	const struct ps_stack *st = frame_named(r->dump, func, &i);
	ps_abi_decode_frame(r->abi, r->dump, st, i, fmt, &r->arena, out);
	if (!out->decoded)
		fail_msg("%s not decoded: %s", func, out->note ? out->note : "-");
}

static const struct ps_abi_arg *arg(const struct ps_abi_frame *f,
				    const char *name)
{
	for (size_t i = 0; i < f->n_args; i++)
		if (strcmp(f->args[i].name, name) == 0)
			return &f->args[i];
	fail_msg("no argument %s", name);
	return NULL;
}

static void check_int(const struct ps_abi_frame *f, const char *name,
		      int64_t want)
{
	const struct ps_abi_arg *a = arg(f, name);
	if (a->value.kind != PS_V_INT || a->value.i != want || !a->reliable)
		fail_msg("%s: kind %d value %lld reliable %d, expected int %lld",
			 name, a->value.kind, (long long)a->value.i, a->reliable,
			 (long long)want);
}

static void check_uint(const struct ps_abi_frame *f, const char *name,
		       uint64_t want)
{
	const struct ps_abi_arg *a = arg(f, name);
	if (a->value.kind != PS_V_UINT || a->value.u != want)
		fail_msg("%s: kind %d value %llu, expected uint %llu", name,
			 a->value.kind, (unsigned long long)a->value.u,
			 (unsigned long long)want);
}

static void check_bool(const struct ps_abi_frame *f, const char *name, bool want)
{
	const struct ps_abi_arg *a = arg(f, name);
	assert_int_equal(a->value.kind, PS_V_BOOL);
	if (a->value.b != want)
		fail_msg("%s: %d, expected %d", name, a->value.b, want);
}

/* ---- bad binaries --------------------------------------------------- */

static void check_refused(const char *path, enum ps_err code, const char *needle)
{
	struct ps_error err = { 0 };
	ps_abi *abi = ps_abi_open(path, &err);
	if (abi != NULL) {
		ps_abi_close(abi);
		fail_msg("'%s' was accepted", path);
	}
	if (err.code != code || strstr(err.msg, needle) == NULL
	    || strchr(err.msg, '\n') != NULL)
		fail_msg("'%s': code %d msg '%s', expected code %d containing '%s'",
			 path, err.code, err.msg, code, needle);
}

static void test_bad_binaries(void **state)
{
	char p[1100];
	(void)state;
	snprintf(p, sizeof(p), "%s/missing", E.dir);
	check_refused(p, PS_ERR_IO, "cannot open");
	snprintf(p, sizeof(p), "%s/CMakeLists.txt", E.src);
	check_refused(p, PS_ERR_NOT_ELF, "not an ELF");
	snprintf(p, sizeof(p), "%s/empty", E.dir);
	sh("touch %s", p);
	check_refused(p, PS_ERR_NOT_ELF, "not an ELF");
	snprintf(p, sizeof(p), "%s/gt-stripped", E.dir);
	check_refused(p, PS_ERR_NO_DWARF, "no DWARF");
	snprintf(p, sizeof(p), "%s/gt-cut", E.dir);
	sh("head -c 300000 %s/gt > %s", E.dir, p);
	check_refused(p, PS_ERR_NOT_ELF, "truncated");
	snprintf(p, sizeof(p), "%s/gt-cut2", E.dir);
	sh("head -c 2000000 %s/gt > %s", E.dir, p);
	check_refused(p, PS_ERR_NOT_ELF, "truncated");
}

/* ---- structured (this Go, amd64) ------------------------------------ */

static void test_structured_ints(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	struct ps_error err = { 0 };
	(void)state;
	run_case(&r, "ints");
	assert_int_equal(ps_abi_check_dump(r.abi, r.dump, &err), 0);
	assert_int_equal(ps_abi_arg_format(r.abi, r.dump, PS_ARGFMT_AUTO),
			 PS_ARGFMT_STRUCTURED);
	decode(&r, "main.gtInts", PS_ARGFMT_AUTO, &f);
	assert_int_equal(f.n_args, 10);
	check_int(&f, "a", -5);
	check_int(&f, "b", -300);
	check_int(&f, "c", -70000);
	check_int(&f, "d", -5000000000LL);
	check_int(&f, "e", 42);
	check_uint(&f, "f", 200);
	check_uint(&f, "g", 60000);
	check_uint(&f, "h", 4000000000U);
	check_uint(&f, "i", 18000000000000000000ULL);
	check_uint(&f, "j", 0xdeadbeef);
	run_close(&r);
}

static void test_structured_aggregates(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	(void)state;
	run_case(&r, "eee");
	decode(&r, "main.gtEee", PS_ARGFMT_STRUCTURED, &f);
	check_int(&f, "a", 64);
	const struct ps_abi_arg *e = arg(&f, "e");
	assert_int_equal(e->value.kind, PS_V_STRUCT);
	assert_int_equal(e->value.n_fields, 6);
	assert_string_equal(e->value.fields[5].name, "s");
	assert_int_equal(e->value.fields[5].value.kind, PS_V_STRING);
	assert_int_equal(e->value.fields[5].value.len, 3);
	assert_non_null(e->value.fields[5].value.text);
	assert_string_equal(e->value.fields[5].value.text, "eee");
	assert_int_equal(e->value.fields[4].value.i, 5);
	assert_int_equal(e->n_words, 7);
	run_close(&r);

	run_case(&r, "ifaces");
	decode(&r, "main.gtIfaces", PS_ARGFMT_AUTO, &f);
	const struct ps_abi_arg *err = arg(&f, "err");
	assert_int_equal(err->value.kind, PS_V_IFACE);
	if (err->reliable) {
		assert_non_null(err->value.type_name);
		assert_string_equal(err->value.type_name, "*errors.errorString");
	}
	assert_int_equal(arg(&f, "nilErr")->value.type_word, 0);
	assert_string_equal(arg(&f, "st")->type, "fmt.Stringer");
	run_close(&r);

	run_case(&r, "floats");
	decode(&r, "main.gtFloats", PS_ARGFMT_AUTO, &f);
	const struct ps_abi_arg *c = arg(&f, "c128");
	assert_int_equal(c->value.kind, PS_V_COMPLEX);
	if (c->reliable)
		assert_true(c->value.f == 3 && c->value.f_im == 4.125);
	if (arg(&f, "f32")->reliable)
		assert_true(arg(&f, "f32")->value.f == 1.5);
	run_close(&r);
}

static void test_elided_and_results(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	(void)state;
	run_case(&r, "many");
	decode(&r, "main.gtMany", PS_ARGFMT_AUTO, &f);
	assert_int_equal(f.n_args, 12);
	assert_int_equal(arg(&f, "l")->value.kind, PS_V_ABSENT);
	assert_int_equal(arg(&f, "k")->value.kind, PS_V_ABSENT);
	run_close(&r);

	run_case(&r, "results");     /* structured: results never printed */
	decode(&r, "main.gtResults", PS_ARGFMT_AUTO, &f);
	assert_int_equal(f.n_args, 2);
	for (size_t i = 0; i < f.n_args; i++)
		assert_int_not_equal(f.args[i].role, PS_ROLE_RESULT);
	run_close(&r);
}

static void test_unreliable_flags(void **state)
{
	struct run r;
	(void)state;
	/* Every '?' leaf of every frame must land in an unreliable arg. */
	static const char *cases[] = { "ints", "strings", "refs", "struct", "value",
				       "pointer", "closure", "generic" };
	for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		run_case(&r, cases[k]);
		const struct ps_goroutine *g = &r.dump->goroutines[0];
		for (size_t i = 0; i < g->stack.n_frames; i++) {
			const struct ps_frame *fr = &g->stack.frames[i];
			struct ps_abi_frame f;
			struct ps_arg *nodes;
			size_t n;
			ps_abi_decode_frame(r.abi, r.dump, &g->stack, i, PS_ARGFMT_AUTO,
					    &r.arena, &f);
			if (!f.decoded || ps_stack_args_len(&g->stack, i) == 0)
				continue;
			(void)ps_parse_args(ps_stack_args(&g->stack, i),
					    ps_stack_args_len(&g->stack, i), &r.arena, &nodes, &n);
			for (size_t a = 0; a < f.n_args && a < n; a++)
				if (nodes[a].unreliable && f.args[a].reliable)
					fail_msg("%s arg %zu printed '?' but reliable",
						 fr->func, a);
		}
		run_close(&r);
	}
}

static void test_nil_field_note(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	(void)state;
	run_case(&r, "nilfield");
	assert_non_null(r.dump->signal);
	decode(&r, "main.(*PidInfo).gtNilField", PS_ARGFMT_AUTO, &f);
	assert_int_equal(f.args[0].role, PS_ROLE_RECEIVER);
	assert_non_null(f.note);
	if (strstr(f.note, "nil *main.PidInfo, reading field Start at +0x50") == NULL)
		fail_msg("note: %s", f.note);
	run_close(&r);

	/* Faulting in an inlined method: its signature comes from the
	 * abstract instance; its receiver was not printed ("...") but the
	 * frame it was inlined into received the nil pointer. */
	run_case(&r, "inlined");
	decode(&r, "main.(*PidInfo).start", PS_ARGFMT_AUTO, &f);
	assert_int_equal(f.n_args, 1);
	assert_string_equal(f.args[0].type, "*main.PidInfo");
	assert_int_equal(f.args[0].role, PS_ROLE_RECEIVER);
	assert_int_equal(f.args[0].value.kind, PS_V_ABSENT);
	assert_non_null(f.note);
	if (strcmp(f.note, "nil *main.PidInfo, reading field Start at +0x50") != 0)
		fail_msg("note: %s", f.note);
	run_close(&r);
}

/* Goroutines with the same calls share one frames array, and only the
 * crashed one's words get the fault's note: the nilfield dump with a
 * second goroutine of the same calls, its receiver nil too, but other
 * words further down (a made-up "main.main(0x1)"), so that its argument
 * array is its own. */
static void test_nil_note_crashed_only(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	(void)state;
	run_case(&r, "nilfield");
	const char *g1 = strstr(r.text, "goroutine 1 [running]:\n");
	assert_non_null(g1);
	const char *body = strchr(g1, '\n') + 1, *main = strstr(body, "main.main()");
	assert_non_null(main);
	size_t cap = strlen(r.text) + strlen(body) + 64;
	char *text = malloc(cap);
	assert_non_null(text);
	int n = snprintf(text, cap, "%s\ngoroutine 2 [running]:\n%.*smain.main(0x1)%s", r.text,
			 (int)(main - body), body, main + 11);
	struct ps_doc *doc = ps_parse_buffer(text, (size_t)n);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->n_goroutines, 2);
	const struct ps_goroutine *crashed = &d->goroutines[0], *other = &d->goroutines[1];
	assert_true(crashed->crashed);
	assert_false(other->crashed);
	assert_ptr_equal(crashed->stack.frames, other->stack.frames);
	assert_ptr_equal(ps_stack_args(&crashed->stack, 0), ps_stack_args(&other->stack, 0));
	assert_ptr_not_equal(crashed->stack.args, other->stack.args);

	ps_abi_decode_frame(r.abi, d, &crashed->stack, 0, PS_ARGFMT_AUTO, &r.arena, &f);
	assert_true(f.decoded);
	if (!f.note || !strstr(f.note, "nil *main.PidInfo, reading field Start at +0x50"))
		fail_msg("crashed: note %s", f.note ? f.note : "(none)");
	ps_abi_decode_frame(r.abi, d, &other->stack, 0, PS_ARGFMT_AUTO, &r.arena, &f);
	assert_true(f.decoded);
	assert_int_equal(f.args[0].value.kind, PS_V_POINTER);
	assert_int_equal(f.args[0].value.ptr, 0);
	if (f.note && strstr(f.note, "reading field"))
		fail_msg("the other goroutine got the fault's note: %s", f.note);
	ps_doc_free(doc);
	free(text);
	run_close(&r);
}

static void test_symbols(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	(void)state;
	run_case(&r, "global");
	decode(&r, "main.gtGlobal", PS_ARGFMT_AUTO, &f);
	assert_string_equal(arg(&f, "gp")->value.symbol, "main.globalCounter");
	assert_string_equal(arg(&f, "fn")->value.symbol, "main.handler");
	run_close(&r);
}

/* A position-independent binary runs at a random base: with no pc in the
 * dump, nothing may be read from the file (it would be the wrong bytes);
 * with "pc=" (GOTRACEBACK=system) the bias is known and text is right. */
static void test_pie(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	char bin[256], log[256];
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gt-pie", E.dir);
	for (int sys = 0; sys < 2; sys++) {
		snprintf(log, sizeof(log), "%s/pie%d.log", E.dir, sys);
		sh("GOTRACEBACK=%s %s eee 2>%s", sys ? "system" : "single", bin, log);
		run_open(&r, bin, log);
		decode(&r, "main.gtEee", PS_ARGFMT_AUTO, &f);
		const struct ps_abi_value *v = &arg(&f, "e")->value.fields[5].value;
		assert_int_equal(v->len, 3);
		if (sys) {
			assert_non_null(v->text);
			assert_string_equal(v->text, "eee");
		} else {
			assert_null(v->text);
		}
		run_close(&r);
	}
}

/* Per-dump decode contexts (ps_abi_ctx) of one PIE binary, made first
 * and used interleaved: each dump keeps its own load bias (two runs load
 * at different bases), and a dump without pc= stays unable to read text
 * even right after one whose bias is known. */
static void test_pie_contexts(void **state)
{
	static const char *const tb[] = { "system", "single", "system" };
	struct ps_error err = { 0 };
	struct ps_arena arena = { 0 };
	struct ps_doc *docs[3];
	char *texts[3];
	ps_abi_ctx *ctx[3];
	char bin[256], log[256];
	size_t len;
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gt-pie", E.dir);
	ps_abi *abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	for (int k = 0; k < 3; k++) {
		snprintf(log, sizeof(log), "%s/piectx%d.log", E.dir, k);
		sh("GOTRACEBACK=%s %s eee 2>%s", tb[k], bin, log);
		texts[k] = slurp(log, &len);
		docs[k] = ps_parse_buffer(texts[k], len);
		assert_int_equal(docs[k]->n_dumps, 1);
		ctx[k] = ps_abi_ctx_new(abi, docs[k]->dumps[0], PS_ARGFMT_AUTO, &arena);
		assert_int_equal(ps_abi_ctx_format(ctx[k]), PS_ARGFMT_STRUCTURED);
	}
	for (int round = 0; round < 2; round++) {
		for (int k = 0; k < 3; k++) {
			struct ps_abi_frame f;
			const struct ps_dump *d = docs[k]->dumps[0];
			size_t at;
			const struct ps_stack *st = frame_named(d, "main.gtEee", &at);
			ps_abi_ctx_decode(ctx[k], st, at, &arena, &f);
			assert_true(f.decoded);
			const struct ps_abi_value *v = &arg(&f, "e")->value.fields[5].value;
			assert_int_equal(v->len, 3);
			if (k == 1) {
				assert_null(v->text);
			} else {
				assert_non_null(v->text);
				assert_string_equal(v->text, "eee");
			}
		}
	}
	for (int k = 0; k < 3; k++) {
		ps_doc_free(docs[k]);
		free(texts[k]);
	}
	ps_arena_release(&arena);
	ps_abi_close(abi);
}

/* One session over several documents in turn (the CLI with several
 * FILEs): caches must not carry one document's answers into the next. */
static void test_one_session_many_docs(void **state)
{
	struct ps_error err = { 0 };
	char bin[256], log[256];
	static const char *names[] = { "eee", "ints", "eee", "ints" };
	static const char *funcs[] = { "main.gtEee", "main.gtInts", "main.gtEee",
				       "main.gtInts" };
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gt", E.dir);
	ps_abi *abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	for (int k = 0; k < 4; k++) {
		struct ps_arena arena = { 0 };
		struct ps_abi_frame f;
		size_t len;
		snprintf(log, sizeof(log), "%s/%s.log", E.dir, names[k]);
		sh("%s %s 2>%s", bin, names[k], log);
		char *text = slurp(log, &len);
		struct ps_doc *doc = ps_parse_buffer(text, len);
		const struct ps_dump *d = doc->dumps[0];
		assert_int_equal(ps_abi_check_dump(abi, d, &err), 0);
		size_t at;
		const struct ps_stack *st = frame_named(d, funcs[k], &at);
		ps_abi_decode_frame(abi, d, st, at, PS_ARGFMT_AUTO, &arena, &f);
		assert_true(f.decoded);
		assert_int_equal(f.n_args, k % 2 ? 10 : 3);
		ps_arena_release(&arena);
		ps_doc_free(doc);
		free(text);
	}
	ps_abi_close(abi);
}

static void test_mismatch(void **state)
{
	struct run r;
	struct ps_error err = { 0 };
	char bin[256];
	(void)state;
	run_case(&r, "eee");
	ps_abi_close(r.abi);
	snprintf(bin, sizeof(bin), "%s/w-eee", E.dir);
	r.abi = ps_abi_open(bin, &err);
	assert_non_null(r.abi);
	assert_int_equal(ps_abi_check_dump(r.abi, r.dump, &err), -1);
	assert_int_equal(err.code, PS_ERR_MISMATCH);
	assert_non_null(strstr(err.msg, "is not the binary that crashed"));
	run_close(&r);
}

/* ---- generic code (issue 11) --------------------------------------- */

/* A closure in generic code: its first parameter is not printed (absent,
 * not the next one's word), the next one is trusted by the mark that
 * really belongs to it, the last one's mark was never printed. */
static void test_generic_closure(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	char bin[256], log[256];
	(void)state;
	snprintf(bin, sizeof(bin), "%s/generic", E.dir);
	snprintf(log, sizeof(log), "%s/generic.log", E.dir);
	sh("%s 2>%s", bin, log);
	run_open(&r, bin, log);
	decode(&r, "main.Outer[...].func1", PS_ARGFMT_AUTO, &f);
	assert_int_equal(f.n_args, 3);
	assert_int_equal(arg(&f, "a")->value.kind, PS_V_ABSENT);
	assert_false(arg(&f, "a")->reliable);
	check_int(&f, "b", 0x2222);
	assert_int_equal(arg(&f, "c")->value.i, 0x3333);
	assert_false(arg(&f, "c")->reliable);
	assert_non_null(strstr(f.note, "first parameter of a closure"));
	run_close(&r);
}

/* ---- words (issue 3's Go <= 1.16 lines, current binaries) ----------- */

static void words_open(struct run *r, const char *tag)
{
	char bin[256], log[1200];
	snprintf(bin, sizeof(bin), "%s/w-%s", E.dir, tag);
	snprintf(log, sizeof(log), "%s/tests/abi/words/%s.log", E.src, tag);
	run_open(r, bin, log);
	assert_false(r->dump->structured_args);
}

static void test_words_issue_lines(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	(void)state;
	words_open(&r, "example");
	decode(&r, "main.Example", PS_ARGFMT_WORDS, &f);
	const struct ps_abi_arg *s = arg(&f, "slice");
	assert_int_equal(s->value.kind, PS_V_SLICE);
	assert_true(s->value.ptr == 0xc0000c8040 && s->value.len == 2 && s->value.cap == 4);
	assert_int_equal(s->n_words, 3);
	const struct ps_abi_arg *str = arg(&f, "str");
	assert_true(str->value.ptr == 0x4c24f9 && str->value.len == 5);
	check_int(&f, "i", 136);
	assert_int_equal(arg(&f, "m")->value.ptr, 0xc0000cc000);
	assert_string_equal(arg(&f, "m")->type, "map[string]int");
	run_close(&r);

	words_open(&r, "bools");
	decode(&r, "main.Example", PS_ARGFMT_WORDS, &f);
	check_bool(&f, "b1", true);
	check_bool(&f, "b2", false);
	check_bool(&f, "b3", true);
	check_uint(&f, "i", 25);
	assert_int_equal(arg(&f, "b3")->words[0], 0x19010001);
	run_close(&r);

	words_open(&r, "results");
	decode(&r, "main.f", PS_ARGFMT_WORDS, &f);
	check_int(&f, "a", 64);
	check_int(&f, "b", 8);
	assert_int_equal(f.n_args, 4);
	assert_int_equal(f.args[2].role, PS_ROLE_RESULT);
	assert_false(f.args[2].reliable);
	assert_int_equal(f.args[2].value.i, 7);
	assert_int_equal(f.args[3].value.i, 17);
	run_close(&r);

	words_open(&r, "eee");
	decode(&r, "main.f", PS_ARGFMT_WORDS, &f);
	const struct ps_abi_arg *e = arg(&f, "e");
	assert_int_equal(e->value.n_fields, 6);
	assert_int_equal(e->value.fields[2].value.i, 3);
	assert_int_equal(e->value.fields[5].value.ptr, 0x4c3839);
	assert_int_equal(e->value.fields[5].value.len, 7);
	run_close(&r);

	words_open(&r, "variadic");
	decode(&r, "main.panicFmt", PS_ARGFMT_WORDS, &f);
	assert_int_equal(f.n_args, 1);
	assert_int_equal(f.args[0].value.kind, PS_V_SLICE);
	assert_true(f.args[0].value.len == 3 && f.args[0].value.cap == 3);
	run_close(&r);
}

static void test_words_mallocgc_arm64(void **state)
{
	struct run r;
	struct ps_abi_frame f;
	char bin[256], log[1200];
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gt-arm64", E.dir);
	snprintf(log, sizeof(log), "%s/tests/abi/words/mallocgc-arm64.log", E.src);
	run_open(&r, bin, log);
	assert_string_equal(ps_abi_arch(r.abi), "arm64");
	decode(&r, "runtime.mallocgc", PS_ARGFMT_WORDS, &f);
	assert_int_equal(f.n_args, 4);
	check_uint(&f, "size", 0x600);
	assert_int_equal(arg(&f, "typ")->value.ptr, 0x15d600);
	check_bool(&f, "needzero", true);
	assert_int_equal(f.args[3].role, PS_ROLE_RESULT);
	assert_false(f.args[3].reliable);
	run_close(&r);
}

static void test_arg_format_auto(void **state)
{
	struct run r;
	(void)state;
	words_open(&r, "bools");
	/* No log evidence: the binary's Go version decides. */
	assert_int_equal(ps_abi_arg_format(r.abi, r.dump, PS_ARGFMT_AUTO),
			 PS_ARGFMT_STRUCTURED);
	assert_int_equal(ps_abi_arg_format(r.abi, r.dump, PS_ARGFMT_WORDS),
			 PS_ARGFMT_WORDS);
	assert_int_equal(ps_abi_arg_format(NULL, r.dump, PS_ARGFMT_AUTO),
			 PS_ARGFMT_WORDS);
	assert_non_null(ps_abi_go_version(r.abi));
	assert_int_equal(strncmp(ps_abi_go_version(r.abi), "go1.", 4), 0);
	assert_string_equal(ps_abi_arch(r.abi), "amd64");
	run_close(&r);
}

/* With no Go version known, AUTO falls back to word counts: a frame
 * whose printed count fits one layout and not the other decides. */
static void test_arg_format_by_counts(void **state)
{
	struct run r;
	char bin[256], log[256];
	(void)state;
	/* main.f(0x40, 0x8, 0x7, 0x11): 4 words = params + result slots. */
	words_open(&r, "results");
	free(r.abi->go_version);
	r.abi->go_version = NULL;
	assert_int_equal(ps_abi_arg_format(r.abi, r.dump, PS_ARGFMT_AUTO),
			 PS_ARGFMT_WORDS);
	run_close(&r);
	/* main.gtResults(0x40, 0x8) from Go 1.26: no result slots printed. */
	snprintf(bin, sizeof(bin), "%s/gt", E.dir);
	snprintf(log, sizeof(log), "%s/results.log", E.dir);
	sh("%s results 2>%s", bin, log);
	run_open(&r, bin, log);
	assert_false(r.dump->structured_args);
	free(r.abi->go_version);
	r.abi->go_version = NULL;
	assert_int_equal(ps_abi_arg_format(r.abi, r.dump, PS_ARGFMT_AUTO),
			 PS_ARGFMT_STRUCTURED);
	run_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_binaries),
		cmocka_unit_test(test_structured_ints),
		cmocka_unit_test(test_structured_aggregates),
		cmocka_unit_test(test_elided_and_results),
		cmocka_unit_test(test_unreliable_flags),
		cmocka_unit_test(test_nil_field_note),
		cmocka_unit_test(test_nil_note_crashed_only),
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_pie),
		cmocka_unit_test(test_pie_contexts),
		cmocka_unit_test(test_one_session_many_docs),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_generic_closure),
		cmocka_unit_test(test_words_issue_lines),
		cmocka_unit_test(test_words_mallocgc_arm64),
		cmocka_unit_test(test_arg_format_auto),
		cmocka_unit_test(test_arg_format_by_counts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
