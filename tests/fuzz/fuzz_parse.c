/*
 * fuzz_parse.c - fuzz entry point for every parser entry point.
 *
 * One input is used these ways:
 *  - parsed whole with ps_parse_buffer;
 *  - fed to ps_parse_new/ps_parse_feed in chunks whose sizes the input
 *    itself chooses;
 *  - read by ps_parse_fd from a memory file (its mmap path) and, when it
 *    fits a pipe's buffer, from a pipe (its streaming path);
 *  all the documents must agree: how the bytes arrive, and where a line
 *  is split between feeds, must never change the result;
 *  - each line given to ps_parse_funcname, and the first few KiB to
 *    ps_parse_args;
 *  - every frame's args_raw re-parsed with ps_parse_args.
 * Every byte is handed over in an exact-size heap copy that is freed
 * before the result is read, so ASan catches a read past LEN and a model
 * that points into the caller's buffer instead of its own arena.  Every
 * string of the model is read to its NUL.  A broken invariant aborts,
 * which libFuzzer (and fuzz_replay) report as a crash.
 *
 * No state survives between calls: each input starts from scratch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ps_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Deeper argument groups than this are not walked (the walk recurses). */
#define MAX_ARG_DEPTH 512
/* Bytes of raw input given to ps_parse_args, lines to ps_parse_funcname. */
#define MAX_ARGS_SLICE 4096
#define MAX_NAME_LINES 64
/* Linux's default pipe buffer: larger inputs would block the write. */
#define PIPE_BYTES 65536

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_parse: invariant broken: %s\n", what);
	abort();
}

/* A running digest of a document, so two parses can be compared.  With
 * TRACE set, every value mixed in is also written there, one per line,
 * so a mismatch can be shown as the first line that differs. */
struct digest {
	uint64_t h;
	uint64_t strings;
	FILE *trace;
};

static void mix(struct digest *d, const void *p, size_t n)
{
	d->h = ps_hash_bytes(p, n, d->h);
}

static void mix_u64(struct digest *d, uint64_t v)
{
	mix(d, &v, sizeof v);
	if (d->trace)
		fprintf(d->trace, "%llu\n", (unsigned long long)v);
}

/* Reads S to its NUL (ASan checks every byte) and mixes it in.  The
 * header promises these strings are never NULL. */
static void mix_str(struct digest *d, const char *s)
{
	if (!s)
		fail("NULL where the model promises a string");
	mix(d, s, strlen(s) + 1);
	d->strings++;
	if (d->trace)
		fprintf(d->trace, "\"%s\"\n", s);
}

/* Same for strings the header allows to be NULL. */
static void mix_opt(struct digest *d, const char *s)
{
	if (s)
		mix_str(d, s);
	else
		mix_u64(d, 0x6e756c6cULL);
}

static void mix_funcname(struct digest *d, const struct ps_funcname *n)
{
	if (!n)
		return;
	mix_str(d, n->pkg);
	mix_str(d, n->recv);
	mix_u64(d, n->recv_ptr);
	mix_str(d, n->func);
	mix_str(d, n->closure);
	mix_str(d, n->generic);
	mix_str(d, n->decoded);
}

static void mix_frame(struct digest *d, const struct ps_stack *s, size_t i)
{
	const struct ps_frame *f = &s->frames[i];
	const char *args = ps_stack_args(s, i);
	mix_str(d, f->func);
	mix_str(d, f->file);
	mix_u64(d, f->line);
	if (args) {
		/* NUL bytes in the input may sit inside; the end is marked. */
		if (args[ps_stack_args_len(s, i)] != '\0')
			fail("frame args_raw is not NUL-ended at args_len");
		mix(d, args, ps_stack_args_len(s, i));
		mix_u64(d, ps_stack_args_len(s, i));
	}
	mix_u64(d, f->has_pc_offset ? f->pc_offset : ~0ULL);
	mix_u64(d, (uint64_t)f->inlined << 2 | (uint64_t)f->has_file << 1 |
		(uint64_t)f->kind);
	if (f->has_meta)
		mix_u64(d, f->pc);
}

static void mix_stack(struct digest *d, const struct ps_stack *s)
{
	if (s->n_frames && !s->frames)
		fail("stack has frames but no array");
	for (size_t i = 0; i < s->n_frames; i++)
		mix_frame(d, s, i);
	mix_u64(d, s->n_frames);
	mix_u64(d, s->elided);
	mix_u64(d, s->elided_count);
	mix_u64(d, s->elided_at);
}

static void mix_created_by(struct digest *d, const struct ps_created_by *c)
{
	if (!c) {
		mix_u64(d, 0);
		return;
	}
	mix_str(d, c->func);
	mix_str(d, c->file);
	mix_u64(d, c->line);
	mix_u64(d, c->has_pc_offset ? c->pc_offset : ~0ULL);
	mix_u64(d, c->has_goroutine ? c->goroutine : ~0ULL);
}

static void mix_goroutine(struct digest *d, const struct ps_goroutine *g)
{
	mix_u64(d, g->id);
	mix_opt(d, g->state);
	mix_u64(d, (uint64_t)(int64_t)g->wait_minutes);
	mix_u64(d, (uint64_t)g->locked_to_thread | (uint64_t)g->scan << 1 |
		(uint64_t)g->crashed << 2 | (uint64_t)g->no_stack << 3 |
		(uint64_t)g->truncated << 4 | (uint64_t)g->has_header << 5);
	mix_str(d, g->header_extra);
	mix_u64(d, (uint64_t)(int64_t)g->m);
	mix_u64(d, ps_goroutine_count(g));
	mix_str(d, ps_goroutine_role(g));
	mix_stack(d, &g->stack);
	mix_created_by(d, g->created_by);
	size_t n;
	const struct ps_ancestor *an = ps_goroutine_ancestors(g, &n);
	if (g->rare && g->rare->n_ancestors && !g->rare->ancestors)
		fail("goroutine has ancestors but no array");
	for (size_t i = 0; i < n; i++) {
		mix_u64(d, an[i].id);
		mix_stack(d, &an[i].stack);
		mix_created_by(d, an[i].created_by);
	}
	mix_u64(d, g->src_line);
}

static void mix_strings(struct digest *d, const char **v, size_t n)
{
	if (n && !v)
		fail("string list has a count but no array");
	for (size_t i = 0; i < n; i++)
		mix_str(d, v[i]);
	mix_u64(d, n);
}

static void mix_dump_head(struct digest *d, const struct ps_dump *du)
{
	mix_str(d, ps_dump_kind_name(du->kind));
	mix_opt(d, du->message);
	if (du->n_panics && !du->panics)
		fail("dump has panics but no array");
	for (size_t i = 0; i < du->n_panics; i++) {
		const struct ps_panic_line *p = &du->panics[i];
		mix_opt(d, p->message);
		mix_u64(d, (uint64_t)p->recovered | (uint64_t)p->repanicked << 1 |
			(uint64_t)p->goexit << 2 | (uint64_t)p->fatal << 3);
	}
	mix_u64(d, du->recovered);
	if (du->signal) {
		mix_str(d, du->signal->name);
		mix_str(d, du->signal->desc);
		mix_str(d, du->signal->code);
		mix_opt(d, du->signal->addr);
		mix_opt(d, du->signal->pc);
	}
	mix_strings(d, du->runtime_lines, du->n_runtime_lines);
	mix_strings(d, du->running_tests, du->n_running_tests);
	if (du->n_registers && !du->registers)
		fail("dump has registers but no array");
	for (size_t i = 0; i < du->n_registers; i++) {
		mix_str(d, du->registers[i].name);
		mix_u64(d, du->registers[i].value);
	}
}

static void mix_dump(struct digest *d, const struct ps_dump *du)
{
	if (!du)
		fail("NULL dump in the document");
	mix_dump_head(d, du);
	if (du->n_goroutines && !du->goroutines)
		fail("dump has goroutines but no array");
	for (size_t i = 0; i < du->n_goroutines; i++)
		mix_goroutine(d, &du->goroutines[i]);
	mix_u64(d, du->n_goroutines);
	mix_u64(d, du->total_goroutines);
	mix_u64(d, (uint64_t)(int64_t)du->exit_status);
	mix_u64(d, (uint64_t)du->structured_args | (uint64_t)du->truncated << 1);
	mix_str(d, du->prefix);
	if (!du->source)
		fail("NULL dump source");
	if (du->first_line > du->last_line)
		fail("dump ends before it starts");
	mix_u64(d, (uint64_t)du->first_line << 32 | du->last_line);
}

static void mix_skipped(struct digest *d, const struct ps_skipped *s)
{
	if (s->n_first > PS_SKIP_KEEP || s->n_first > s->count)
		fail("skipped-line list longer than allowed");
	mix_u64(d, s->count);
	mix(d, s->first, s->n_first * sizeof s->first[0]);
}

static struct digest digest_doc(const struct ps_doc *doc, size_t size,
				FILE *trace)
{
	struct digest d = { PS_HASH_SEED, 0, trace };

	if (!doc)
		fail("parser returned no document");
	if (doc->bytes != size)
		fail("document byte count differs from the input size");
	if (doc->n_dumps && !doc->dumps)
		fail("document has dumps but no array");
	for (size_t i = 0; i < doc->n_dumps; i++)
		mix_dump(&d, doc->dumps[i]);
	mix_u64(&d, doc->n_dumps);
	mix_skipped(&d, &doc->skipped);
	mix_skipped(&d, &doc->bad);
	mix_u64(&d, doc->lines);
	return d;
}

/* Checks one argument tree: every node's text lies inside RAW[0..LEN),
 * groups have their children. */
static void check_args(const struct ps_arg *a, size_t n, const char *raw,
		       size_t len, int depth)
{
	if (n && !a)
		fail("argument list has a count but no array");
	for (size_t i = 0; i < n; i++) {
		if (a[i].raw_len && (a[i].raw < raw ||
				     a[i].raw_len > len ||
				     a[i].raw - raw > (ptrdiff_t)(len - a[i].raw_len)))
			fail("argument text outside the parsed list");
		if (a[i].kind == PS_ARG_GROUP && depth < MAX_ARG_DEPTH)
			check_args(a[i].children, a[i].n_children, raw, len,
				   depth + 1);
	}
}

/* ps_parse_args on an exact-size copy of RAW[0..LEN). */
static void parse_args_copy(const char *raw, size_t len, struct ps_arena *arena)
{
	char *copy = ps_xmalloc(len ? len : 1);
	struct ps_arg *out = NULL;
	size_t n = 0;

	memcpy(copy, raw, len);
	if (ps_parse_args(copy, len, arena, &out, &n) < 0)
		fail("ps_parse_args returned an error code");
	check_args(out, n, copy, len, 0);
	free(copy);
}

/* ps_parse_funcname on an exact-size copy of NAME[0..LEN). */
static void parse_name_copy(const char *name, size_t len, struct ps_arena *arena)
{
	char *copy = ps_xmalloc(len ? len : 1);
	struct ps_funcname fn;
	struct digest d = { PS_HASH_SEED, 0, NULL };

	memcpy(copy, name, len);
	memset(&fn, 0, sizeof fn);
	ps_parse_funcname(copy, len, arena, &fn);
	free(copy);
	mix_funcname(&d, &fn);
}

static void fuzz_slices(const uint8_t *data, size_t size)
{
	struct ps_arena arena = { 0 };
	const char *p = (const char *)data, *end = p + size;

	parse_args_copy(p, size < MAX_ARGS_SLICE ? size : MAX_ARGS_SLICE, &arena);
	for (int i = 0; i < MAX_NAME_LINES && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		parse_name_copy(p, (size_t)(eol - p), &arena);
		p = nl ? nl + 1 : end;
	}
	ps_arena_release(&arena);
}

/* Re-parses every frame's argument text, as the report does. */
static void fuzz_frame_args(const struct ps_doc *doc)
{
	struct ps_arena arena = { 0 };

	for (size_t i = 0; i < doc->n_dumps; i++) {
		const struct ps_dump *du = doc->dumps[i];

		for (size_t j = 0; j < du->n_goroutines; j++) {
			const struct ps_stack *s = &du->goroutines[j].stack;

			for (size_t k = 0; k < s->n_frames; k++) {
				const char *args = ps_stack_args(s, k);

				if (args)
					parse_args_copy(args, ps_stack_args_len(s, k), &arena);
			}
		}
	}
	ps_arena_release(&arena);
}

static struct ps_doc *parse_whole(const uint8_t *data, size_t size)
{
	char *copy = ps_xmalloc(size ? size : 1);
	struct ps_doc *doc;

	memcpy(copy, data, size);
	doc = ps_parse_buffer(copy, size);
	free(copy);
	return doc;
}

/* Feeds DATA in chunks of 1..4096 bytes, sizes drawn from a generator
 * seeded by the input so a crash reproduces. */
static struct ps_doc *parse_chunked(const uint8_t *data, size_t size)
{
	ps_parser *p = ps_parse_new(NULL);
	uint64_t x = ps_hash_bytes(data, size < 64 ? size : 64, PS_HASH_SEED) | 1;
	size_t off = 0;

	while (off < size) {
		size_t n, left = size - off;
		char *chunk;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = (x & 3) ? 1 + (x >> 8) % 80 : 1 + (x >> 8) % 4096;
		if (n > left)
			n = left;
		chunk = ps_xmalloc(n);
		memcpy(chunk, data + off, n);
		ps_parse_feed(p, chunk, n);
		free(chunk);
		off += n;
	}
	return ps_parse_finish(p);
}

/* ps_parse_fd on FD, then the document. */
static struct ps_doc *parse_fd(int fd)
{
	ps_parser *p = ps_parse_new(NULL);
	struct ps_error err = { 0 };

	if (ps_parse_fd(p, fd, "fuzz", &err) != 0)
		fail("ps_parse_fd failed on a readable descriptor");
	close(fd);
	return ps_parse_finish(p);
}

static bool write_all(int fd, const uint8_t *data, size_t size)
{
	while (size > 0) {
		ssize_t n = write(fd, data, size);

		if (n <= 0)
			return false;
		data += n;
		size -= (size_t)n;
	}
	return true;
}

/* The document read from a memory file, or NULL if the system refused. */
static struct ps_doc *parse_memfd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return NULL;
	if (!write_all(fd, data, size) || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return NULL;
	}
	return parse_fd(fd);
}

/* The document read from a pipe, or NULL when it would not fit. */
static struct ps_doc *parse_pipe(const uint8_t *data, size_t size)
{
	int fds[2];

	if (size > PIPE_BYTES || pipe(fds) != 0)
		return NULL;
	if (!write_all(fds[1], data, size)) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	close(fds[1]);
	return parse_fd(fds[0]);
}

/* Prints the first value that differs between the traces of A and B. */
static void show_difference(const struct ps_doc *a, const struct ps_doc *b,
			    size_t size, const char *how)
{
	char *ta = NULL, *tb = NULL;
	size_t la = 0, lb = 0, i = 0, line = 1;
	FILE *fa = open_memstream(&ta, &la), *fb = open_memstream(&tb, &lb);

	if (!fa || !fb)
		return;
	digest_doc(a, size, fa);
	digest_doc(b, size, fb);
	fclose(fa);
	fclose(fb);
	for (; i < la && i < lb && ta[i] == tb[i]; i++)
		line += ta[i] == '\n';
	while (i > 0 && ta[i - 1] != '\n')
		i--;
	fprintf(stderr, "fuzz_parse: whole buffer vs %s differ at value %zu:\n"
		"  whole: %.*s\n  %s: %.*s\n", how, line,
		(int)strcspn(ta + i, "\n"), ta + i, how,
		(int)strcspn(i < lb ? tb + i : "", "\n"), i < lb ? tb + i : "");
	free(ta);
	free(tb);
}

/* Checks DOC against the reference document REF (digest RD), frees it. */
static void agree(const struct ps_doc *ref, const struct digest *rd,
		  struct ps_doc *doc, size_t size, const char *how)
{
	struct digest d;

	if (!doc)
		return;
	d = digest_doc(doc, size, NULL);
	if (d.h != rd->h || d.strings != rd->strings) {
		show_difference(ref, doc, size, how);
		fail("documents differ by how the input was read");
	}
	ps_doc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_doc *whole = parse_whole(data, size);
	struct digest ref = digest_doc(whole, size, NULL);

	agree(whole, &ref, parse_chunked(data, size), size, "chunked");
	agree(whole, &ref, parse_memfd(data, size), size, "file");
	agree(whole, &ref, parse_pipe(data, size), size, "pipe");
	fuzz_frame_args(whole);
	ps_doc_free(whole);
	fuzz_slices(data, size);
	return 0;
}
