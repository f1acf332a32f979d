/* test_report_stream.c - issue 12's streaming: the parser hands each dump
 * out once it is final and frees it, and the report written one dump at
 * a time is byte for byte the report of the whole document, whether the
 * held output stays in memory or goes to a temporary file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ps_parse.h"
#include "ps_report.h"

/* ---- the parser's hand-out ---- */

#define DUMP_A "panic: first\n\ngoroutine 1 [running]:\nmain.main()\n" \
	"\t/src/app/main.go:5 +0x1d\nexit status 2\n"
#define DUMP_B "junk line\nfatal error: all goroutines are asleep - deadlock!\n\n" \
	"goroutine 1 [chan receive]:\nmain.main()\n\t/src/app/main.go:9 +0x2a\n"
#define DUMP_C "panic: third\n\ngoroutine 7 [running]:\nmain.loop()\n\t/src/app/loop.go:3 +0x11\n"

struct seen {
	size_t n;
	size_t index[8];
	bool more[8];
	int exit_status[8];
	char message[8][64];
	char source[8][16];
	uint64_t lines_then[8];         /* doc->lines when handed out */
};

static void record(void *ctx, const struct ps_doc *doc, const struct ps_dump *d,
		   size_t index, bool more)
{
	struct seen *s = ctx;
	assert_true(s->n < 8);
	s->index[s->n] = index;
	s->more[s->n] = more;
	s->exit_status[s->n] = d->exit_status;
	snprintf(s->message[s->n], sizeof(s->message[0]), "%s", d->message);
	snprintf(s->source[s->n], sizeof(s->source[0]), "%s", d->source);
	s->lines_then[s->n] = doc->lines;
	s->n++;
}

static void feed(ps_parser *p, const char *s)
{
	ps_parse_feed(p, s, strlen(s));
}

/* A dump goes out when the next one begins, with the "exit status" that
 * followed it; the last from ps_parse_finish with the totals final. */
static void test_dumps_go_out_when_the_next_begins(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct ps_parse_opts o = { .on_dump = record, .on_dump_ctx = &s };
	ps_parser *p = ps_parse_new(&o);

	feed(p, DUMP_A);
	assert_int_equal(s.n, 0);       /* an "exit status" could still follow */
	feed(p, DUMP_B);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.index[0], 0);
	assert_true(s.more[0]);
	assert_int_equal(s.exit_status[0], 2);
	assert_string_equal(s.message[0], "first");
	feed(p, DUMP_C);
	assert_int_equal(s.n, 2);
	assert_true(s.more[1]);
	assert_string_equal(s.message[1], "all goroutines are asleep - deadlock!");
	struct ps_doc *doc = ps_parse_finish(p);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.index[2], 2);
	assert_false(s.more[2]);
	assert_int_equal(s.lines_then[2], doc->lines);
	assert_int_equal(doc->lines, 17);
	assert_int_equal(doc->n_dumps, 0);      /* all handed out and freed */
	assert_int_equal(doc->n_streamed, 3);
	assert_int_equal(doc->skipped.count, 1);
	ps_doc_free(doc);
}

/* Per dump handed out: the argument texts of its goroutines, read
 * through their argument arrays (ASan: none left in a freed dump). */
struct words {
	size_t dumps, checked;
	char first[8][32];      /* goroutine 1's first frame's words, per dump */
};

static void read_words(void *ctx, const struct ps_doc *doc, const struct ps_dump *d,
		       size_t index, bool more)
{
	struct words *w = ctx;
	(void)doc;
	(void)more;
	assert_true(index < 8);
	for (size_t g = 0; g < d->n_goroutines; g++)
		for (size_t i = 0; i < d->goroutines[g].stack.n_frames; i++) {
			const char *a = ps_stack_args(&d->goroutines[g].stack, i);
			assert_non_null(a);
			assert_int_equal(strlen(a), ps_stack_args_len(&d->goroutines[g].stack, i));
			w->checked++;
		}
	snprintf(w->first[index], sizeof(w->first[0]), "%s",
		 ps_stack_args(&d->goroutines[0].stack, 0));
	w->dumps++;
}

/* A stack's argument array lives in its dump, which is released once
 * handed out, while the parser's memos live on: three equal dumps of a
 * pool parked with equal words (past the 512 frame lines that turn the
 * memos on), where a memo kept from the dump before would hand out an
 * array of freed memory (ASan reports the read), and a fourth dump with
 * other words. */
static void test_streamed_dumps_keep_their_words(void **state)
{
	(void)state;
	struct words w = { 0 };
	struct ps_parse_opts o = { .on_dump = read_words, .on_dump_ctx = &w };
	ps_parser *p = ps_parse_new(&o);
	char line[160];
	for (int k = 0; k < 4; k++) {
		feed(p, "panic: pool\n\n");
		for (int g = 1; g <= 400; g++) {
			snprintf(line, sizeof(line), "goroutine %d [chan receive]:\n"
				 "main.worker(0x%x, 0x1)\n\t/src/app/pool.go:12 +0x3d\n"
				 "main.main()\n\t/src/app/main.go:5 +0x1d\n\n", g, k < 3 ? 0xc000 : 0xd000);
			feed(p, line);
		}
	}
	struct ps_doc *doc = ps_parse_finish(p);
	assert_int_equal(w.dumps, 4);
	assert_int_equal(w.checked, 4 * 400 * 2);
	assert_string_equal(w.first[0], "0xc000, 0x1");
	assert_string_equal(w.first[2], "0xc000, 0x1");
	assert_string_equal(w.first[3], "0xd000, 0x1");
	ps_doc_free(doc);
}

/* The last dump of an input waits for the next input's first dump: only
 * then is it known not to be the last. */
static void test_last_dump_of_an_input_waits(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct ps_parse_opts o = { .on_dump = record, .on_dump_ctx = &s };
	ps_parser *p = ps_parse_new(&o);

	ps_parse_set_source(p, "a.log");
	feed(p, DUMP_A);
	ps_parse_end_input(p);
	assert_int_equal(s.n, 0);
	ps_parse_set_source(p, "b.log");
	feed(p, "nothing here\n");
	ps_parse_end_input(p);
	assert_int_equal(s.n, 0);
	ps_parse_set_source(p, "c.log");
	feed(p, DUMP_B);
	assert_int_equal(s.n, 1);
	assert_true(s.more[0]);
	assert_string_equal(s.source[0], "a.log");
	struct ps_doc *doc = ps_parse_finish(p);
	assert_int_equal(s.n, 2);
	assert_false(s.more[1]);
	assert_string_equal(s.source[1], "c.log");
	ps_doc_free(doc);
}

/* Without a callback the document keeps every dump, as before. */
static void test_no_callback_keeps_the_dumps(void **state)
{
	(void)state;
	static const char text[] = DUMP_A DUMP_B DUMP_C;
	struct ps_doc *doc = ps_parse_buffer(text, sizeof(text) - 1);
	assert_int_equal(doc->n_dumps, 3);
	assert_int_equal(doc->n_streamed, 0);
	assert_int_equal(doc->dumps[0]->exit_status, 2);
	ps_doc_free(doc);
}

/* ---- the streamed report equals the whole document's ---- */

struct mem_out {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *mem_open(struct mem_out *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
	return m->f;
}

/* The report of TEXT written whole (ps_report_write). */
static char *whole(const char *text, size_t n, const struct ps_report_opts *o)
{
	struct mem_out m;
	struct ps_error err = { 0 };
	struct ps_doc *doc = ps_parse_buffer(text, n);
	assert_int_equal(ps_report_write(mem_open(&m), doc, o, &err), 0);
	fclose(m.f);
	ps_doc_free(doc);
	return m.buf;
}

/* The report of TEXT streamed to OUT, fed in pieces of STEP bytes. */
static int streamed_to(FILE *out, const char *text, size_t n, size_t step,
		       const struct ps_report_opts *o, struct ps_error *err)
{
	ps_report *r = ps_report_begin(out, o);
	struct ps_parse_opts po = { .on_dump = ps_report_on_dump, .on_dump_ctx = r };
	ps_parser *p = ps_parse_new(&po);
	for (size_t off = 0; off < n; off += step)
		ps_parse_feed(p, text + off, n - off < step ? n - off : step);
	struct ps_doc *doc = ps_parse_finish(p);
	int rc = ps_report_end(r, doc, err);
	ps_doc_free(doc);
	return rc;
}

static char *streamed(const char *text, size_t n, size_t step,
		      const struct ps_report_opts *o)
{
	struct mem_out m;
	struct ps_error err = { 0 };
	assert_int_equal(streamed_to(mem_open(&m), text, n, step, o, &err), 0);
	fclose(m.f);
	return m.buf;
}

static void test_every_format_streams_the_same_bytes(void **state)
{
	(void)state;
	static const char *const texts[] = {
		DUMP_A DUMP_B DUMP_C,   /* three dumps and a junk line */
		DUMP_A,                 /* one: straight to the output */
		"no dump at all\n",
	};
	static const enum ps_report_format fmts[] = {
		PS_REPORT_TEXT, PS_REPORT_JSON, PS_REPORT_HTML, PS_REPORT_MARKDOWN,
	};
	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++)
		for (size_t f = 0; f < 4; f++)
			for (int all = 0; all < 2; all++) {
				struct ps_report_opts o = { .format = fmts[f], .all = all,
							    .input_name = "x.log" };
				size_t n = strlen(texts[t]);
				char *want = whole(texts[t], n, &o);
				char *got = streamed(texts[t], n, 7, &o);
				assert_string_equal(got, want);
				if (t == 0 && f == 0)
					assert_non_null(strstr(got, "=== dump 3 of 3 ("));
				free(want);
				free(got);
			}
}

/* A bad -m pattern fails at the first dump, before any byte is out. */
static void test_bad_pattern_writes_nothing(void **state)
{
	(void)state;
	static const char text[] = DUMP_A DUMP_B;
	struct ps_report_opts o = { .format = PS_REPORT_JSON, .match = "(" };
	struct ps_error err = { 0 };
	struct mem_out m;
	assert_int_equal(streamed_to(mem_open(&m), text, sizeof(text) - 1, 64, &o, &err), -1);
	assert_int_equal(err.code, PS_ERR_BAD_REGEX);
	fclose(m.f);
	assert_int_equal(m.len, 0);
	free(m.buf);
}

/* Dumps whose JSON is far past the spool's memory part: the held output
 * goes through a temporary file (copied to a real file by the kernel, to
 * a memory stream by reads), or stays in memory when $TMPDIR cannot take
 * it; the bytes are the same every way. */
static char *big_text(size_t dumps, size_t goroutines, size_t *len)
{
	size_t cap = dumps * (goroutines * 96 + 64), n = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	for (size_t d = 0; d < dumps; d++) {
		n += (size_t)snprintf(s + n, cap - n, "SIGQUIT: quit\n\n");
		for (size_t g = 0; g < goroutines; g++)
			n += (size_t)snprintf(s + n, cap - n,
				"goroutine %zu [chan receive]:\nmain.w%zu(0x%zx)\n"
				"\t/src/app/w.go:%zu +0x1d\n\n", g + 1, g % 3, g, d + 10);
	}
	*len = n;
	return s;
}

static char *read_all(FILE *f, size_t *len)
{
	fflush(f);
	long n = ftell(f);
	assert_true(n >= 0);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static void test_held_output_through_a_temporary_file(void **state)
{
	(void)state;
	size_t n, flen;
	char *text = big_text(3, 30000, &n);
	struct ps_report_opts o = { .format = PS_REPORT_JSON, .input_name = "big.log" };
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	struct ps_error err = { 0 };

	setenv("TMPDIR", "/tmp", 1);
	char *mem = streamed(text, n, 1 << 16, &o);
	size_t want_len = strlen(mem);
	assert_true(want_len > (8u << 20)); /* well past the memory part */
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(streamed_to(f, text, n, 1 << 16, &o, &err), 0);
	char *file = read_all(f, &flen);
	fclose(f);
	assert_int_equal(flen, want_len);
	assert_memory_equal(file, mem, want_len);
	setenv("TMPDIR", "/nonexistent/dir", 1);
	char *kept = streamed(text, n, 1 << 16, &o);
	assert_string_equal(kept, mem);
	char *ref = whole(text, n, &o);
	assert_string_equal(ref, mem);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	free(text);
	free(mem);
	free(file);
	free(kept);
	free(ref);
}

/* ---- --stream ---- */

/* S with every FROM replaced by TO (caller frees). */
static char *replace(const char *s, const char *from, const char *to)
{
	size_t fn = strlen(from), tn = strlen(to), n = 0;
	char *out = malloc(strlen(s) * (tn > fn ? tn / fn + 2 : 1) + 1);
	assert_non_null(out);
	for (const char *p = s; *p;) {
		if (!strncmp(p, from, fn)) {
			memcpy(out + n, to, tn);
			n += tn;
			p += fn;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

/* The whole report's JSON with the document counts moved after "dumps",
 * as --stream writes them (caller frees). */
static char *counts_after_dumps(const char *json)
{
	const char *c = strstr(json, ",\"lines\":");
	const char *d = strstr(json, ",\n\"dumps\":[");
	size_t n = strlen(json);
	assert_non_null(c);
	assert_non_null(d);
	assert_true(c < d && n >= 3 && !strcmp(json + n - 3, "]}\n"));
	char *out = malloc(n + 1);
	assert_non_null(out);
	size_t k = (size_t)(c - json), counts = (size_t)(d - c), rest = n - 2 - (size_t)(d - json);
	memcpy(out, json, k);
	memcpy(out + k, d, rest);                   /* dumps up to their ']' */
	memcpy(out + k + rest, c, counts);
	memcpy(out + k + rest + counts, "}\n", 3);
	return out;
}

/* Several dumps: the same report but for the count in the headers and
 * the place of the JSON's counts; one dump, or HTML: the same bytes. */
static void test_stream_changes_only_what_the_end_knows(void **state)
{
	(void)state;
	static const char three[] = DUMP_A DUMP_B DUMP_C;
	static const enum ps_report_format fmts[] = {
		PS_REPORT_TEXT, PS_REPORT_JSON, PS_REPORT_HTML, PS_REPORT_MARKDOWN,
	};
	for (size_t f = 0; f < 4; f++)
		for (int single = 0; single < 2; single++) {
			const char *text = single ? DUMP_A : three;
			size_t n = strlen(text);
			struct ps_report_opts o = { .format = fmts[f], .input_name = "x.log" };
			char *want = whole(text, n, &o), *w2 = NULL;
			o.stream = true;
			char *got = streamed(text, n, 5, &o);
			if (!single && fmts[f] == PS_REPORT_TEXT)
				want = replace(w2 = want, " of 3 (", " (");
			else if (!single && fmts[f] == PS_REPORT_MARKDOWN)
				want = replace(w2 = want, " of 3\n", "\n");
			else if (!single && fmts[f] == PS_REPORT_JSON)
				want = counts_after_dumps(w2 = want);
			assert_string_equal(got, want);
			free(w2);
			free(want);
			free(got);
		}
}

/* The point of --stream: dump 1's report is out as soon as dump 2
 * begins, long before the input ends; without it nothing is. */
static void test_stream_writes_a_dump_when_the_next_begins(void **state)
{
	(void)state;
	for (int stream = 0; stream < 2; stream++) {
		struct ps_report_opts o = { .format = PS_REPORT_TEXT, .stream = stream };
		struct ps_error err = { 0 };
		struct mem_out m;
		ps_report *r = ps_report_begin(mem_open(&m), &o);
		struct ps_parse_opts po = { .on_dump = ps_report_on_dump, .on_dump_ctx = r };
		ps_parser *p = ps_parse_new(&po);
		feed(p, DUMP_A DUMP_B);
		fflush(m.f);
		if (stream) {
			assert_non_null(m.buf);
			assert_non_null(strstr(m.buf, "=== dump 1 (lines 1-8) ===\n"));
			assert_non_null(strstr(m.buf, "panic: first"));
			assert_null(strstr(m.buf, "deadlock"));
		} else {
			assert_int_equal(m.len, 0);
		}
		struct ps_doc *doc = ps_parse_finish(p);
		assert_int_equal(ps_report_end(r, doc, &err), 0);
		ps_doc_free(doc);
		fclose(m.f);
		assert_non_null(strstr(m.buf, "deadlock"));
		free(m.buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dumps_go_out_when_the_next_begins),
		cmocka_unit_test(test_last_dump_of_an_input_waits),
		cmocka_unit_test(test_streamed_dumps_keep_their_words),
		cmocka_unit_test(test_no_callback_keeps_the_dumps),
		cmocka_unit_test(test_every_format_streams_the_same_bytes),
		cmocka_unit_test(test_bad_pattern_writes_nothing),
		cmocka_unit_test(test_held_output_through_a_temporary_file),
		cmocka_unit_test(test_stream_changes_only_what_the_end_knows),
		cmocka_unit_test(test_stream_writes_a_dump_when_the_next_begins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
