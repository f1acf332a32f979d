/*
 * test_parse_jobs.c - every log parsed on several threads must give the
 * reports one thread gives, byte for byte.
 *
 *   test_parse_jobs ROOT [--shard I/N] [--jobs N]
 *   test_parse_jobs --cases
 *
 * Walks ROOT/corpus and ROOT/tests for *.log files.  Each is parsed by
 * ps_parse_fd with opts.jobs 1, then with jobs 2, 3 and 8 (--jobs N: N
 * only, what the sanitizer builds run: they look for memory errors in
 * the merge, which every thread count reaches, while the thread counts
 * themselves are compared in the normal build) and opts.range_min 1, so that even a 2 KB log is cut at its goroutine
 * boundaries; every report format (JSON, text, text --all, text --group
 * exact, Markdown, HTML), grouped on as many threads with every dump cut
 * into shares (split_min 1), and the document's line, byte and skipped
 * counts must match.
 * The run fails, too, when no part was ever merged (the threads did
 * nothing) or none was ever read again (the fallback never ran: the
 * dirty logs must take it).  --cases does the same on crafted dumps,
 * one for each thing that must make the calling thread read a part
 * again (a duplicate id, CRLF, a log prefix, a second dump, a junk line,
 * a wrapped line, per-thread blocks) and ones that must merge.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps_parse.h"
#include "ps_report.h"

struct fmt {
	const char *name;
	enum ps_report_format format;
	bool all;
	bool exact;             /* --group exact */
};

static const struct fmt fmts[] = {
	{ "json", PS_REPORT_JSON, false, false },
	{ "text", PS_REPORT_TEXT, false, false },
	{ "text --all", PS_REPORT_TEXT, true, false },
	{ "text --group exact", PS_REPORT_TEXT, false, true },
	{ "markdown", PS_REPORT_MARKDOWN, false, false },
	{ "html", PS_REPORT_HTML, false, false },
};
#define N_FMTS (sizeof(fmts) / sizeof(fmts[0]))

struct totals {
	unsigned long logs, failures, merged, reread, dirty_reread;
};

struct reports {
	char *text[N_FMTS];
	size_t len[N_FMTS];
	uint64_t lines, bytes, skipped;
};

static struct ps_doc *parse_file(const char *path, unsigned jobs)
{
	struct ps_parse_opts o = { .jobs = jobs, .range_min = jobs > 1 ? 1 : 0 };
	struct ps_error err = { 0 };
	ps_parser *p = ps_parse_new(&o);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ps_parse_fd(p, fd, path, &err) < 0)
		fprintf(stderr, "test_parse_jobs: %s: %s\n", path,
			fd < 0 ? strerror(errno) : err.msg);
	if (fd >= 0)
		close(fd);
	return ps_parse_finish(p);
}

/* The reports of DOC, grouped on JOBS threads as well (every dump cut
 * into shares: split_min 1). */
static void render(const struct ps_doc *doc, const char *name, unsigned jobs,
		   struct reports *r)
{
	for (size_t i = 0; i < N_FMTS; i++) {
		struct ps_report_opts ro = { .format = fmts[i].format, .all = fmts[i].all,
					     .group_exact = fmts[i].exact, .input_name = name,
					     .jobs = jobs, .split_min = 1 };
		struct ps_error err = { 0 };
		FILE *f = open_memstream(&r->text[i], &r->len[i]);
		if (!f || ps_report_write(f, doc, &ro, &err) < 0)
			fprintf(stderr, "test_parse_jobs: %s: %s: %s\n", name, fmts[i].name,
				err.msg[0] ? err.msg : "cannot write");
		if (f)
			fclose(f);
	}
	r->lines = doc->lines;
	r->bytes = doc->bytes;
	r->skipped = doc->skipped.count;
}

static void release(struct reports *r)
{
	for (size_t i = 0; i < N_FMTS; i++)
		free(r->text[i]);
}

static size_t first_diff(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0;
	while (i < an && i < bn && a[i] == b[i])
		i++;
	return i;
}

static void compare(const char *rel, unsigned jobs, const struct reports *one,
		    const struct reports *many, struct totals *t)
{
	for (size_t i = 0; i < N_FMTS; i++) {
		if (one->len[i] == many->len[i] &&
		    !memcmp(one->text[i], many->text[i], one->len[i]))
			continue;
		fprintf(stderr, "test_parse_jobs: %s: --jobs %u: %s differs at byte %zu\n",
			rel, jobs, fmts[i].name,
			first_diff(one->text[i], one->len[i], many->text[i], many->len[i]));
		t->failures++;
	}
	if (one->lines != many->lines || one->bytes != many->bytes ||
	    one->skipped != many->skipped) {
		fprintf(stderr, "test_parse_jobs: %s: --jobs %u: lines/bytes/skipped differ\n",
			rel, jobs);
		t->failures++;
	}
}

/* ---- the model itself, beyond what the reports print ---- */

static unsigned long model_bad;

static void bad(const char *rel, unsigned jobs, const char *what, size_t gi)
{
	if (model_bad++ < 20)
		fprintf(stderr, "test_parse_jobs: %s: --jobs %u: goroutine %zu: %s differs\n",
			rel, jobs, gi, what);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* S is the document's interned copy, as every merged string must be. */
static bool interned(const struct ps_doc *d, const char *s)
{
	return ps_intern_str(d->names, s, strlen(s)) == s;
}

/* Frame I of stacks SA and SB (SB's from the document DB). */
static bool same_frame(const struct ps_doc *db, const struct ps_stack *sa,
		       const struct ps_stack *sb, size_t i)
{
	const struct ps_frame *a = &sa->frames[i], *b = &sb->frames[i];
	const char *aa = ps_stack_args(sa, i), *ba = ps_stack_args(sb, i);
	return same_str(a->func, b->func) && interned(db, b->func) &&
	       same_str(a->file, b->file) && (!b->file[0] || interned(db, b->file)) &&
	       same_str(aa, ba) && (!ba || interned(db, ba)) &&
	       a->pc == b->pc &&
	       a->line == b->line && ps_stack_args_len(sa, i) == ps_stack_args_len(sb, i) &&
	       a->pc_offset == b->pc_offset && a->kind == b->kind &&
	       a->has_pc_offset == b->has_pc_offset && a->inlined == b->inlined &&
	       a->has_file == b->has_file && a->has_meta == b->has_meta;
}

static bool same_stack(const struct ps_doc *db, const struct ps_stack *a,
		       const struct ps_stack *b)
{
	if (a->n_frames != b->n_frames || a->elided != b->elided ||
	    a->elided_count != b->elided_count || a->elided_at != b->elided_at)
		return false;
	for (size_t i = 0; i < a->n_frames; i++)
		if (!same_frame(db, a, b, i))
			return false;
	return true;
}

static bool same_cb(const struct ps_created_by *a, const struct ps_created_by *b)
{
	if (!a || !b)
		return a == b;
	return same_str(a->func, b->func) && same_str(a->file, b->file) &&
	       a->line == b->line && a->pc_offset == b->pc_offset &&
	       a->has_pc_offset == b->has_pc_offset &&
	       a->has_goroutine == b->has_goroutine && a->goroutine == b->goroutine;
}

static bool same_goroutine(const struct ps_doc *db, const struct ps_goroutine *a,
			   const struct ps_goroutine *b)
{
	size_t na, nb;
	const struct ps_ancestor *aa = ps_goroutine_ancestors(a, &na);
	const struct ps_ancestor *ab = ps_goroutine_ancestors(b, &nb);

	if (a->id != b->id || a->has_id != b->has_id || !same_str(a->state, b->state) ||
	    a->wait_minutes != b->wait_minutes || a->locked_to_thread != b->locked_to_thread ||
	    a->scan != b->scan || a->crashed != b->crashed || a->no_stack != b->no_stack ||
	    a->truncated != b->truncated || a->has_header != b->has_header ||
	    !same_str(a->header_extra, b->header_extra) || a->m != b->m ||
	    ps_goroutine_count(a) != ps_goroutine_count(b) ||
	    !same_str(ps_goroutine_role(a), ps_goroutine_role(b)) || a->src_line != b->src_line ||
	    na != nb || !same_stack(db, &a->stack, &b->stack) ||
	    !same_cb(a->created_by, b->created_by))
		return false;
	if (b->has_header && !interned(db, b->state))
		return false;
	for (size_t i = 0; i < na; i++)
		if (aa[i].id != ab[i].id || !same_stack(db, &aa[i].stack, &ab[i].stack) ||
		    !same_cb(aa[i].created_by, ab[i].created_by))
			return false;
	return true;
}

struct pair {
	const void *a, *b;
};

static int by_a(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;
	return p->a < q->a ? -1 : p->a > q->a ? 1 : p->b < q->b ? -1 : p->b > q->b;
}

static int by_b(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;
	return p->b < q->b ? -1 : p->b > q->b ? 1 : p->a < q->a ? -1 : p->a > q->a;
}

/* Goroutines that share a frames array in one document share one in the
 * other: the pairs (one's array, other's array) are a bijection. */
static bool same_sharing(struct pair *v, size_t n)
{
	qsort(v, n, sizeof(*v), by_a);
	for (size_t i = 1; i < n; i++)
		if (v[i].a == v[i - 1].a && v[i].b != v[i - 1].b)
			return false;
	qsort(v, n, sizeof(*v), by_b);
	for (size_t i = 1; i < n; i++)
		if (v[i].b == v[i - 1].b && v[i].a != v[i - 1].a)
			return false;
	return true;
}

static bool same_dump_head(const struct ps_dump *a, const struct ps_dump *b)
{
	if (a->kind != b->kind || !same_str(a->message, b->message) ||
	    a->n_goroutines != b->n_goroutines || a->total_goroutines != b->total_goroutines ||
	    a->exit_status != b->exit_status || a->repeated_goroutines != b->repeated_goroutines ||
	    a->repeated_file_lines != b->repeated_file_lines ||
	    a->structured_args != b->structured_args || a->truncated != b->truncated ||
	    !same_str(a->prefix, b->prefix) || a->first_line != b->first_line ||
	    a->last_line != b->last_line || a->n_repairs != b->n_repairs ||
	    a->n_repairs_dropped != b->n_repairs_dropped || a->n_panics != b->n_panics ||
	    a->n_registers != b->n_registers || a->n_runtime_lines != b->n_runtime_lines)
		return false;
	/* field by field: a compiler may leave a repair's padding unset */
	for (size_t i = 0; i < a->n_repairs; i++) {
		const struct ps_repair *x = &a->repairs[i], *y = &b->repairs[i];
		if (x->kind != y->kind || x->line != y->line || x->line2 != y->line2 ||
		    x->detail != y->detail || x->has_goroutine != y->has_goroutine ||
		    (x->has_goroutine && x->goroutine != y->goroutine))
			return false;
	}
	return true;
}

static void compare_model(const char *rel, unsigned jobs, const struct ps_doc *a,
			  const struct ps_doc *b, struct totals *t)
{
	unsigned long before = model_bad;
	if (a->n_dumps != b->n_dumps || a->skipped.count != b->skipped.count ||
	    a->skipped.n_first != b->skipped.n_first ||
	    memcmp(a->skipped.first, b->skipped.first, sizeof(a->skipped.first))) {
		bad(rel, jobs, "the document", 0);
		t->failures++;
		return;
	}
	for (size_t i = 0; i < a->n_dumps; i++) {
		const struct ps_dump *x = a->dumps[i], *y = b->dumps[i];
		if (!same_dump_head(x, y)) {
			bad(rel, jobs, "a dump", 0);
			continue;
		}
		struct pair *v = calloc(x->n_goroutines + 1, sizeof(*v));
		for (size_t g = 0; g < x->n_goroutines; g++) {
			if (!same_goroutine(b, &x->goroutines[g], &y->goroutines[g]))
				bad(rel, jobs, "a goroutine", g);
			v[g] = (struct pair){ x->goroutines[g].stack.frames,
					      y->goroutines[g].stack.frames };
		}
		if (!same_sharing(v, x->n_goroutines))
			bad(rel, jobs, "the sharing of frames arrays", 0);
		free(v);
	}
	if (model_bad != before)
		t->failures++;
}

/* The thread counts each log is parsed with besides 1. */
struct counts {
	unsigned v[3];
	size_t n;
};

static const struct counts all_counts = { { 2, 3, 8 }, 3 };

static void check_log(const char *root, const char *rel, const struct counts *jobs,
		      struct totals *t)
{
	char path[4096];
	struct reports one = { 0 };
	snprintf(path, sizeof path, "%s/%s", root, rel);
	struct ps_doc *base = parse_file(path, 1), *doc;
	render(base, rel, 1, &one);
	for (size_t j = 0; j < jobs->n; j++) {
		struct reports many = { 0 };
		doc = parse_file(path, jobs->v[j]);
		compare_model(rel, jobs->v[j], base, doc, t);
		t->merged += doc->ranges_merged;
		t->reread += doc->ranges_reread;
		if (strstr(rel, "/dirty/"))
			t->dirty_reread += doc->ranges_reread;
		render(doc, rel, jobs->v[j], &many);
		ps_doc_free(doc);
		compare(rel, jobs->v[j], &one, &many, t);
		release(&many);
	}
	release(&one);
	ps_doc_free(base);
	t->logs++;
}

/* ---- crafted logs: each way a part must be read again ---- */

enum expect { MERGES, REREADS };

struct tcase {
	const char *name;
	enum expect expect;
	/* damage applied to goroutine I's text (NULL: none) */
	void (*damage)(FILE *f, int i, bool *done);
};

/* Goroutines in a crafted dump: 48, so each part holds a few; the big
 * case makes a 5 MB dump, parts of about a megabyte like the command's. */
static int n_goroutines = 48;

/* Goroutine I of a plain SIGQUIT dump (id ID), written to F with line
 * ending EOL and each line prefixed by PFX. */
static void goroutine_text(FILE *f, uint64_t id, int i, const char *pfx, const char *eol)
{
	fprintf(f, "%sgoroutine %llu [chan receive, %d minutes]:%s", pfx,
		(unsigned long long)id, i % 3, eol);
	fprintf(f, "%smain.worker%d(0xc000%04x, 0x%x)%s", pfx, i % 5, i, i % 7, eol);
	fprintf(f, "%s\t/src/app/worker.go:%d +0x%x%s", pfx, 40 + i % 5, 0x20 + i % 3, eol);
	fprintf(f, "%screated by main.main in goroutine 1%s", pfx, eol);
	fprintf(f, "%s\t/src/app/main.go:%d +0x95%s", pfx, 10 + i % 2, eol);
	fprintf(f, "%s", eol); /* collectors drop a blank line's prefix */
}

static void damage_none(FILE *f, int i, bool *done)
{
	(void)f, (void)i, (void)done;
}

/* Goroutine 40 repeats goroutine 3's id: a repair, not a new goroutine. */
static void damage_dup_id(FILE *f, int i, bool *done)
{
	if (i == 40) {
		goroutine_text(f, 4, i, "", "\n");
		*done = true;
	}
}

/* CR line ends in a stretch of the middle only: a part that starts
 * before it (a boundary is "\n\n") sees CR lines. */
static void damage_crlf(FILE *f, int i, bool *done)
{
	if (i >= 20 && i < 30) {
		goroutine_text(f, (uint64_t)i + 1, i, "", "\r\n");
		*done = true;
	}
}

/* A docker prefix on the first goroutines' lines (blank lines bare, as
 * collectors drop them), the rest without: the first bare header ends
 * the prefix, which only a parser that had it can know. */
static void damage_prefix(FILE *f, int i, bool *done)
{
	if (i < 20) {
		goroutine_text(f, (uint64_t)i + 1, i, "app-1  | ", "\n");
		*done = true;
	}
}

static void damage_panic(FILE *f, int i, bool *done)
{
	if (i == 33)
		fputs("panic: second failure\n\n", f);
}

static void damage_junk(FILE *f, int i, bool *done)
{
	if (i == 35) {
		fputs("goroutine 36 [select]:\nmain.loop()\nINFO request served in 3ms\n"
		      "\t/src/app/loop.go:9 +0x11\n\n", f);
		*done = true;
	}
}

/* A frame line hard-wrapped at 80 columns early on: the wrap column is
 * known from then on, which changes how later lines are judged. */
static void damage_wrap(FILE *f, int i, bool *done)
{
	static const char frame[] = "main.handler.func1(0xc000123456, 0xc000654321, "
		"0xc000111111, 0xc000222222, 0xc000333333, 0x1)";
	if (i == 2) {
		fprintf(f, "goroutine 3 [select]:\n%.80s\n%s\n\t/src/app/handler.go:77 +0x1d\n\n",
			frame, frame + 80);
		*done = true;
	}
}

/* GOTRACEBACK=crash's per-thread blocks repeat goroutines after "-----". */
static void damage_per_m(FILE *f, int i, bool *done)
{
	if (i == 10)
		fputs("-----\n\nSIGQUIT: quit\nPC=0x46b0e1 m=2 sigcode=0\n\n", f);
	if (i == 20)
		goroutine_text(f, 5, 4, "", "\n");
}

static void damage_runtime_stack(FILE *f, int i, bool *done)
{
	if (i == 25)
		fputs("runtime stack:\nruntime.throw({0x4b2c3a, 0x5})\n"
		      "\t/usr/lib/go/src/runtime/panic.go:1047 +0x5d\n\n", f);
}

/* Every goroutine with tracebackancestors blocks (one to three): the
 * merge rewrites each one's rare record, and inside it the ancestors'
 * stacks, whose argument arrays take slots of the same pointer map; the
 * varying count makes some of those the insert that grows the map. */
static void damage_ancestors(FILE *f, int i, bool *done)
{
	fprintf(f, "goroutine %d [chan receive]:\nmain.worker%d(0xc000%04x, 0x%x)\n"
		"\t/src/app/worker.go:%d +0x20\ncreated by main.spawn in goroutine %d\n"
		"\t/src/app/spawn.go:12 +0x44\n", i + 1, i % 5, i, i % 7, 40 + i % 5, 100000 + i);
	for (int k = 0; k <= i % 3; k++)
		fprintf(f, "[originating from goroutine %d]:\nmain.spawn%d(0xc%03x%04x, ...)\n"
			"\t/src/app/spawn.go:%d +0x44\ncreated by main.main\n"
			"\t/src/app/main.go:%d +0x95\n", 100000 + i + k, k, k + 1, i, 12 + k,
			10 + i % 2);
	fputc('\n', f);
	*done = true;
}

static const struct tcase cases[] = {
	{ "clean", MERGES, damage_none },
	{ "duplicate id", REREADS, damage_dup_id },
	{ "crlf", REREADS, damage_crlf },
	{ "prefix", REREADS, damage_prefix },
	{ "second dump", REREADS, damage_panic },
	{ "junk line", REREADS, damage_junk },
	{ "wrapped line", REREADS, damage_wrap },
	{ "per-thread blocks", REREADS, damage_per_m },
	{ "runtime stack", MERGES, damage_runtime_stack },
	{ "ancestors", MERGES, damage_ancestors },
};

/* The crafted dump; CUT bytes off its end when CUT > 0 (truncation). */
static void write_case(const char *path, const struct tcase *c, long cut)
{
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fputs("SIGQUIT: quit\nPC=0x46b0e1 m=0 sigcode=0\n\n", f);
	for (int i = 0; i < n_goroutines; i++) {
		bool done = false;
		c->damage(f, i, &done);
		if (!done)
			goroutine_text(f, (uint64_t)i + 1, i, "", "\n");
	}
	fputs("rax    0x0\nrbx    0x19c\nexit status 2\n", f);
	long size = ftell(f);
	fclose(f);
	if (cut > 0 && truncate(path, size - cut) < 0)
		abort();
}

static void check_case(const char *dir, const struct tcase *c, long cut, struct totals *t)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/case.log", dir);
	write_case(path, c, cut);
	struct totals ct = { 0 };
	check_log(dir, "case.log", &all_counts, &ct);
	bool ok = ct.failures == 0 &&
		  (c->expect == MERGES ? ct.merged > 0 && !ct.reread : ct.reread > 0);
	printf("test_parse_jobs: case %s, %d goroutines%s: %lu merged, %lu read again: %s\n",
	       c->name, n_goroutines, cut ? ", cut short" : "", ct.merged, ct.reread,
	       ok ? "ok" : "FAILED");
	t->failures += !ok;
	t->logs++;
	unlink(path);
}

static int run_cases(void)
{
	struct totals t = { 0 };
	char dir[] = "/tmp/test_parse_jobs.XXXXXX";
	if (!mkdtemp(dir)) {
		perror("test_parse_jobs");
		return 2;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(dir, &cases[i], 0, &t);
	/* the last goroutine cut off inside its stack: the tail is the
	 * calling thread's, the parts before it still merge */
	check_case(dir, &cases[0], 40, &t);
	n_goroutines = 30000;
	check_case(dir, &cases[0], 0, &t);
	/* enough distinct ancestors per part to grow the merge's map
	 * while an ancestor is merged */
	check_case(dir, &cases[sizeof(cases) / sizeof(cases[0]) - 1], 0, &t);
	rmdir(dir);
	return t.failures ? 1 : 0;
}

struct list {
	char **v;
	size_t n, cap;
};

static void list_add(struct list *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = strdup(s);
}

/* Every *.log under ROOT/REL, recursively. */
static void walk(const char *root, const char *rel, struct list *l)
{
	char path[8192], sub[4096];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	DIR *d = opendir(path);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name);
		snprintf(path, sizeof path, "%s/%s", root, sub);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(root, sub, l);
		else if (S_ISREG(st.st_mode) && n > 4 && !strcmp(e->d_name + n - 4, ".log"))
			list_add(l, sub);
	}
	closedir(d);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	struct list l = { 0 };
	struct counts jobs = all_counts;
	unsigned long shard = 0, shards = 1;
	bool ok = argc >= 2;
	if (argc == 2 && !strcmp(argv[1], "--cases"))
		return run_cases();
	for (int i = 2; ok && i < argc; i += 2) {
		if (i + 1 < argc && !strcmp(argv[i], "--shard"))
			ok = sscanf(argv[i + 1], "%lu/%lu", &shard, &shards) == 2 && shards &&
			     shard < shards;
		else if (i + 1 < argc && !strcmp(argv[i], "--jobs")) {
			ok = sscanf(argv[i + 1], "%u", &jobs.v[0]) == 1 && jobs.v[0] > 1;
			jobs.n = 1;
		} else
			ok = false;
	}
	if (!ok) {
		fprintf(stderr, "usage: test_parse_jobs ROOT [--shard I/N] [--jobs N] | --cases\n");
		return 2;
	}
	walk(argv[1], "corpus", &l);
	walk(argv[1], "tests", &l);
	qsort(l.v, l.n, sizeof(*l.v), by_name);
	for (size_t i = 0; i < l.n; i++) {
		if (i % shards == shard)
			check_log(argv[1], l.v[i], &jobs, &t);
		free(l.v[i]);
	}
	free(l.v);
	printf("test_parse_jobs: %lu logs, %lu parts merged, %lu read again (%lu in dirty logs), "
	       "%lu failures\n", t.logs, t.merged, t.reread, t.dirty_reread, t.failures);
	if (!t.logs || !t.merged || !t.reread || (shards == 1 && !t.dirty_reread)) {
		fprintf(stderr, "test_parse_jobs: the threads were not exercised\n");
		return 1;
	}
	return t.failures ? 1 : 0;
}
