/* test_report_units.c - report/ on hand-made model trees: grouping keys,
 * order, summaries, findings, filters, escaping and argument rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "view_int.h"   /* white-box: the view's fields */

/* spec tables leave trailing fields zero on purpose */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- building model trees from compact specs ---- */

/* One goroutine: frames are "func|file|line|args", created is
 * "func|file|line" or NULL. */
struct gspec {
	uint64_t id;
	const char *state;
	int wait;
	bool locked, crashed;
	const char *frames[8];
	const char *created;
};

struct fixture {
	ps_intern *names;
	struct ps_dump dump;
	struct ps_doc doc;
	struct ps_dump *dumps[1];
	ps_view *view;
};

static const char *field(struct fixture *fx, const char **p)
{
	const char *bar = strchr(*p, '|');
	size_t n = bar ? (size_t)(bar - *p) : strlen(*p);
	const char *s = ps_intern_str(fx->names, *p, n);
	*p += n + (bar ? 1 : 0);
	return s;
}

/* F from SPEC ("func|file|line|args"); returns its argument text. */
static const char *make_frame(struct fixture *fx, struct ps_frame *f, const char *spec)
{
	const char *p = spec;
	f->func = field(fx, &p);
	f->file = field(fx, &p);
	f->has_file = f->file[0] != '\0';
	f->line = (uint32_t)atoi(field(fx, &p));
	f->inlined = strcmp(p, "...") == 0;
	return ps_intern_str(fx->names, p, strlen(p)); /* as the parser does */
}

static void make_goroutine(struct fixture *fx, struct ps_goroutine *g,
			   const struct gspec *s)
{
	size_t n = 0;
	while (n < 8 && s->frames[n])
		n++;
	g->id = s->id;
	g->state = ps_intern_str(fx->names, s->state, strlen(s->state));
	g->wait_minutes = s->wait;
	g->locked_to_thread = s->locked;
	g->crashed = s->crashed;
	g->has_header = true;
	g->has_id = true;
	g->m = -1;
	g->stack.n_frames = n;
	g->stack.frames = ps_arena_calloc(&fx->dump.arena, (n ? n : 1) * sizeof(struct ps_frame));
	const char **args = ps_arena_calloc(&fx->dump.arena, (n ? n : 1) * sizeof(*args));
	for (size_t i = 0; i < n; i++)
		args[i] = make_frame(fx, &g->stack.frames[i], s->frames[i]);
	g->stack.args = args;
	if (s->created) {
		struct ps_frame tmp;
		make_frame(fx, &tmp, s->created);
		g->created_by = ps_arena_calloc(&fx->dump.arena, sizeof(*g->created_by));
		g->created_by->func = tmp.func;
		g->created_by->file = tmp.file;
		g->created_by->line = tmp.line;
	}
}

static struct fixture *build(const struct gspec *specs, size_t n, const char *message)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	fx->names = ps_intern_new();
	fx->dump.kind = message ? PS_DUMP_FATAL : PS_DUMP_SIGQUIT;
	fx->dump.message = message;
	fx->dump.exit_status = -1;
	fx->dump.prefix = "";
	fx->dump.goroutines = ps_arena_calloc(&fx->dump.arena, n * sizeof(struct ps_goroutine));
	fx->dump.n_goroutines = n;
	fx->dump.total_goroutines = n;
	for (size_t i = 0; i < n; i++)
		make_goroutine(fx, &fx->dump.goroutines[i], &specs[i]);
	fx->dumps[0] = &fx->dump;
	fx->doc.dumps = fx->dumps;
	fx->doc.n_dumps = 1;
	fx->doc.names = fx->names;
	return fx;
}

/* The analysis ps_report_write does, without a writer. */
static struct ps_view *analyse(struct fixture *fx, bool exact)
{
	struct ps_view_opts o = { .group_exact = exact };
	struct ps_error err = { 0 };

	ps_view_free(fx->view);
	fx->view = ps_view_build(&fx->doc, 0, &o, &err);
	assert_non_null(fx->view);
	return fx->view;
}

static void release(struct fixture *fx)
{
	ps_view_free(fx->view);
	ps_arena_release(&fx->dump.arena);
	ps_intern_free(fx->names);
	free(fx);
}

/* Runs ps_report_write into a string (caller frees). */
/* Not inlined: gcc 12 at -O3 then takes the memstream's BUF for a local
 * that dangles in the caller (-Wdangling-pointer false positive). */
__attribute__((noinline))
static char *report(struct fixture *fx, struct ps_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	struct ps_error err = { 0 };
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	int rc = ps_report_write(f, &fx->doc, o, &err);
	fclose(f);
	assert_int_equal(rc, 0);
	return buf;
}

#define GOROOT "/usr/local/go/src/"
#define PARK "runtime.gopark|" GOROOT "runtime/proc.go|462|0x0?, 0x0?"
#define RECV "runtime.chanrecv1|" GOROOT "runtime/chan.go|509|0xc000010000, 0x0"
#define GOEXIT "runtime.goexit|" GOROOT "runtime/asm_amd64.s|1771|{}"
#define CREATED "main.main|/src/app/main.go|40|"

/* ---- grouping ---- */

static void test_unreliable_args_do_not_split(void **state)
{
	const struct gspec g[] = {
		{ 5, "chan receive", -1, 0, 0, { PARK, RECV, "main.worker|/src/app/w.go|12|0x3?, 0xc000123456", GOEXIT }, CREATED },
		{ 6, "chan receive", -1, 0, 0, { PARK, RECV, "main.worker|/src/app/w.go|12|0x9?, 0xc000999999", GOEXIT }, CREATED },
		{ 7, "chan receive", -1, 0, 0, { PARK, RECV, "main.worker|/src/app/w.go|12|0x3?, 0xc000123456", GOEXIT }, CREATED },
	};
	struct fixture *fx = build(g, 3, NULL);
	struct ps_view *d = analyse(fx, false);
	(void)state;
	assert_int_equal(d->n_groups, 1);
	assert_int_equal(d->groups[0].count, 3);
	assert_int_equal(d->groups[0].n_members, 3);
	assert_true(d->groups[0].args_same[0]);     /* gopark args equal */
	assert_false(d->groups[0].args_same[2]);    /* worker args differ */
	assert_int_equal(d->groups[0].cls, PS_VIEW_USER);
	release(fx);
}

static void test_state_line_and_creator_split(void **state)
{
	const struct gspec g[] = {
		{ 1, "chan receive", -1, 0, 0, { "main.a|/src/app/a.go|10|" }, CREATED },
		{ 2, "chan send", -1, 0, 0, { "main.a|/src/app/a.go|10|" }, CREATED },
		{ 3, "chan receive", -1, 0, 0, { "main.a|/src/app/a.go|11|" }, CREATED },
		{ 4, "chan receive", -1, 0, 0, { "main.a|/src/app/a.go|10|" }, "main.other|/src/app/o.go|5|" },
		{ 5, "chan receive", -1, 0, 0, { "main.a|/src/app/a.go|10|" }, CREATED },
	};
	struct fixture *fx = build(g, 5, NULL);
	struct ps_view *d = analyse(fx, false);
	(void)state;
	assert_int_equal(d->n_groups, 4);
	/* the biggest group (1 and 5) comes first */
	assert_int_equal(d->groups[0].count, 2);
	assert_int_equal(d->groups[0].members[0]->id, 1);
	assert_int_equal(d->groups[0].members[1]->id, 5);
	release(fx);
}

/* Goroutines alike in state, creator, entry function and depth but not
 * in a frame between, interleaved: the group the last such one joined
 * is only a guess, each still goes to its own key's group. */
static void test_alike_keys_interleaved(void **state)
{
	const struct gspec g[] = {
		{ 1, "select", -1, 0, 0, { "main.a|/src/app/a.go|10|0x1", "main.w|/src/app/w.go|3|", GOEXIT } },
		{ 2, "select", -1, 0, 0, { "main.a|/src/app/a.go|11|0x2", "main.w|/src/app/w.go|3|", GOEXIT } },
		{ 3, "select", -1, 0, 0, { "main.a|/src/app/a.go|10|0x3", "main.w|/src/app/w.go|3|", GOEXIT } },
		{ 4, "select", -1, 0, 0, { "main.b|/src/app/a.go|11|0x4", "main.w|/src/app/w.go|3|", GOEXIT } },
		{ 5, "select", -1, 0, 0, { "main.a|/src/app/a.go|11|0x5", "main.w|/src/app/w.go|3|", GOEXIT } },
		{ 6, "select", -1, 0, 0, { "main.a|/src/app/a.go|10|0x6", "main.w|/src/app/w.go|3|", GOEXIT } },
	};
	static const uint64_t want[][3] = { { 1, 3, 6 }, { 2, 5, 0 }, { 4, 0, 0 } };
	struct fixture *fx = build(g, 6, NULL);
	struct ps_view *d = analyse(fx, false);
	(void)state;
	assert_int_equal(d->n_groups, 3);
	for (size_t i = 0; i < 3; i++)
		for (size_t m = 0; m < 3; m++) {
			if (!want[i][m]) {
				assert_int_equal(d->groups[i].n_members, m);
				break;
			}
			assert_true(m < d->groups[i].n_members);
			assert_int_equal(d->groups[i].members[m]->id, want[i][m]);
		}
	release(fx);
}

static void test_exact_mode_keeps_reliable_scalars(void **state)
{
	const struct gspec g[] = {
		{ 1, "select", -1, 0, 0, { "main.f|/src/app/f.go|3|0x1, 0xc000010000, 0x7?" } },
		{ 2, "select", -1, 0, 0, { "main.f|/src/app/f.go|3|0x1, 0xc000020000, 0x9?" } },
		{ 3, "select", -1, 0, 0, { "main.f|/src/app/f.go|3|0x2, 0xc000010000, 0x7?" } },
	};
	struct fixture *fx = build(g, 3, NULL);
	(void)state;
	assert_int_equal(analyse(fx, true)->n_groups, 2);
	release(fx);
	fx = build(g, 3, NULL);
	assert_int_equal(analyse(fx, false)->n_groups, 1);
	release(fx);
}

/* Keys compared field by field: a missing creator or a differing
 * reliable scalar splits, frames without arguments agree (in exact mode
 * too, with no argument key ever written), and only groups of several
 * members carry an argument mask. */
static void test_exact_mode_keys_field_by_field(void **state)
{
	const struct gspec g[] = {
		{ 1, "select", -1, 0, 0, { "main.a|/src/app/a.go|10|", "main.b|/src/app/b.go|4|0x1" }, CREATED },
		{ 2, "select", -1, 0, 0, { "main.a|/src/app/a.go|10|", "main.b|/src/app/b.go|4|0x1" }, CREATED },
		{ 3, "select", -1, 0, 0, { "main.a|/src/app/a.go|10|", "main.b|/src/app/b.go|4|0x1" } },
		{ 4, "select", -1, 0, 0, { "main.a|/src/app/a.go|10|", "main.b|/src/app/b.go|4|0x2" }, CREATED },
	};
	const struct gspec bare[] = {
		{ 5, "chan send", -1, 0, 0, { "main.a|/src/app/a.go|10|" } },
		{ 6, "chan send", -1, 0, 0, { "main.a|/src/app/a.go|10|" } },
	};
	struct fixture *fx = build(g, 4, NULL);
	struct ps_view *d = analyse(fx, true);
	(void)state;
	assert_int_equal(d->n_groups, 3);
	assert_int_equal(d->groups[0].n_members, 2);       /* 1 and 2 */
	assert_int_equal(d->groups[0].members[1]->id, 2);
	assert_non_null(d->groups[0].arg_mask);
	assert_null(d->groups[1].arg_mask);
	assert_null(d->groups[2].arg_mask);
	d = analyse(fx, false);
	assert_int_equal(d->n_groups, 2);
	assert_int_equal(d->groups[0].n_members, 3);       /* 1, 2 and 4 */
	assert_int_equal(d->groups[0].members[2]->id, 4);
	assert_false(d->groups[0].args_same[1]);
	release(fx);
	fx = build(bare, 2, NULL);
	assert_int_equal(analyse(fx, true)->n_groups, 1);
	release(fx);
}

/* A group's argument mask is the AND of each member's agreement with
 * the representative, frame by frame, however it is worked out: a
 * recursion printing one list frame after frame is compared once per
 * member while the frames' masks allow (here the first frame's mask
 * narrows before the others', so the next frame must be compared
 * again), and a list met before changes nothing. */
#define REC(args) "main.r|/src/app/r.go|5|" args
static void test_group_mask_is_pairwise_and(void **state)
{
	const struct gspec g[] = {
		{ 1, "select", -1, 0, 0, { REC("0x1, 0x2"), REC("0x1, 0x2"), REC("0x1, 0x2"), REC("0x1, 0x2") } },
		{ 2, "select", -1, 0, 0, { REC("0x9, 0x2"), REC("0x1, 0x2"), REC("0x1, 0x2"), REC("0x1, 0x2") } },
		{ 3, "select", -1, 0, 0, { REC("0x1, 0x3"), REC("0x1, 0x3"), REC("0x1, 0x3"), REC("0x1, 0x2") } },
		{ 4, "select", -1, 0, 0, { REC("0x9, 0x2"), REC("0x1, 0x2, 0x4"), REC("0x1, 0x2, 0x4"), REC("0x1") } },
		{ 5, "select", -1, 0, 0, { REC("0x1, 0x3"), REC("0x1, 0x2"), REC("0x7, 0x2"), REC("0x7, 0x2") } },
	};
	size_t n = sizeof(g) / sizeof(g[0]);
	struct fixture *fx = build(g, n, NULL);
	struct ps_view *d = analyse(fx, false);
	(void)state;
	assert_int_equal(d->n_groups, 1);
	const struct ps_view_group *gr = &d->groups[0];
	assert_int_equal(gr->n_members, n);
	assert_non_null(gr->arg_mask);
	for (size_t i = 0; i < gr->rep->stack.n_frames; i++) {
		const struct ps_stack *a = &gr->rep->stack;
		uint64_t want = ~(uint64_t)0;
		bool same = true;
		for (size_t m = 1; m < n; m++) {
			const struct ps_stack *b = &gr->members[m]->stack;
			want &= ps_view_args_agree(ps_stack_args(a, i), ps_stack_args_len(a, i),
						   ps_stack_args(b, i), ps_stack_args_len(b, i));
			same = same && ps_stack_args(a, i) == ps_stack_args(b, i);
		}
		if (gr->arg_mask[i] != want)
			fail_msg("frame %zu: mask %#llx, pairwise %#llx", i,
				 (unsigned long long)gr->arg_mask[i], (unsigned long long)want);
		assert_int_equal(gr->args_same[i], same);
	}
	release(fx);
}
#undef REC

static void test_order_and_summaries(void **state)
{
	const struct gspec g[] = {
		{ 1, "IO wait", 3, 0, 0, { PARK, "net/http.(*conn).serve|" GOROOT "net/http/server.go|2000|" } },
		{ 2, "IO wait", 7, 1, 0, { PARK, "net/http.(*conn).serve|" GOROOT "net/http/server.go|2000|" } },
		{ 3, "IO wait", -1, 1, 0, { PARK, "net/http.(*conn).serve|" GOROOT "net/http/server.go|2000|" } },
		{ 4, "select", -1, 0, 0, { PARK, "main.loop|/src/app/l.go|9|" } },
		{ 9, "running", -1, 0, 1, { "runtime.futex|" GOROOT "runtime/sys.s|5|" } },
		{ 5, "select", -1, 0, 0, { PARK, "github.com/x/y.Run|/root/go/pkg/mod/github.com/x/y@v1.0.0/y.go|5|" } },
	};
	struct fixture *fx = build(g, 6, NULL);
	struct ps_view *d = analyse(fx, false);
	(void)state;
	assert_int_equal(d->n_groups, 4);
	assert_true(d->groups[0].crashed);                  /* even stdlib-only */
	assert_int_equal(d->groups[1].cls, PS_VIEW_USER);
	assert_int_equal(d->groups[2].cls, PS_VIEW_DEP);
	assert_int_equal(d->groups[3].cls, PS_VIEW_STD);         /* biggest, still last */
	assert_int_equal(d->groups[3].count, 3);
	assert_int_equal(d->groups[3].wait_min, 3);
	assert_int_equal(d->groups[3].wait_max, 7);
	assert_int_equal(d->groups[3].locked, 2);
	assert_non_null(d->paths.goroot);
	assert_int_equal(d->paths.goroot_len, strlen("/usr/local/go"));
	release(fx);
}

static void test_id_ranges(void **state)
{
	const struct gspec g[] = {
		{ 8, "s", -1 }, { 2, "s", -1 }, { 1, "s", -1 }, { 3, "s", -1 },
		{ 5, "s", -1 }, { 7, "s", -1 },
	};
	struct fixture *fx = build(g, 6, NULL);
	struct ps_view *d = analyse(fx, false);
	struct ps_arena a = { 0 };
	(void)state;
	assert_int_equal(d->n_groups, 1);
	assert_string_equal(ps_view_id_ranges(&a, d->groups[0].members,
					      d->groups[0].n_members, 10), "1-3,5,7-8");
	assert_string_equal(ps_view_id_ranges(&a, d->groups[0].members,
					      d->groups[0].n_members, 2), "1-3,5,… +2 more");
	ps_arena_release(&a);
	release(fx);
}

static int cmp_id(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

/* The ranges of IDS written by qsort and a plain loop: the oracle. */
static char *ranges_oracle(const uint64_t *ids, size_t n)
{
	uint64_t *s = malloc((n ? n : 1) * sizeof(*s));
	char *out = calloc(1, n * 48 + 1);
	size_t len = 0;
	memcpy(s, ids, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_id);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && s[j + 1] <= s[j] + 1)
			j++;
		len += (size_t)sprintf(out + len, "%s%llu", i ? "," : "", (unsigned long long)s[i]);
		if (s[j] != s[i])
			len += (size_t)sprintf(out + len, "-%llu", (unsigned long long)s[j]);
		i = j + 1;
	}
	free(s);
	return out;
}

/* Member ids in every order the run merge must sort: sorted, reversed,
 * a few runs, random, repeats, one and none. */
static void test_id_ranges_orders(void **state)
{
	enum { N = 3000 };
	static struct ps_goroutine gs[N];
	static const struct ps_goroutine *ptr[N];
	uint64_t ids[N];
	struct ps_arena a = { 0 };
	uint64_t x = 88172645463325252ULL;
	(void)state;
	for (int kind = 0; kind < 7; kind++) {
		size_t n = kind == 5 ? 1 : kind == 6 ? 0 : N;
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			switch (kind) {
			case 0: ids[i] = i * 2; break;                      /* sorted, gaps */
			case 1: ids[i] = N - i; break;                      /* reversed */
			case 2: ids[i] = (i % 1000) * 3 + i / 1000; break;  /* 3 runs */
			case 3: ids[i] = x % 5000; break;                   /* random, repeats */
			default: ids[i] = 7; break;
			}
			gs[i].id = ids[i];
			ptr[i] = &gs[i];
		}
		char *want = ranges_oracle(ids, n);
		assert_string_equal(ps_view_id_ranges(&a, ptr, n, SIZE_MAX), want);
		free(want);
	}
	ps_arena_release(&a);
}

static void test_paths_and_classes(void **state)
{
	struct av_paths p = { .goroot = "/usr/local/go", .goroot_len = 13 };
	static const struct {
		const char *func, *file;
		enum ps_view_class cls;
		const char *shown;
	} rows[] = {
		{ "net/http.(*conn).serve", "/usr/local/go/src/net/http/server.go", PS_VIEW_STD, "net/http/server.go" },
		{ "github.com/x/y.Run", "/root/go/pkg/mod/github.com/x/y@v1.2.3/y.go", PS_VIEW_DEP, "github.com/x/y@v1.2.3/y.go" },
		{ "example.com/app/vendor/z.F", "/src/app/vendor/z/z.go", PS_VIEW_DEP, "z/z.go" },
		{ "main.main", "/src/app/cmd/main.go", PS_VIEW_USER, "cmd/main.go" },
		{ "example.com/app/db.(*DB).Get", "/src/app/db/db.go", PS_VIEW_USER, "db/db.go" },
		{ "panic", "/usr/local/go/src/runtime/panic.go", PS_VIEW_STD, "runtime/panic.go" },
		{ "sync.(*Mutex).Lock", "sync/mutex.go", PS_VIEW_STD, "sync/mutex.go" },   /* -trimpath */
		{ "main.f", "C:/work/app/f.go", PS_VIEW_USER, "C:/work/app/f.go" },
	};
	(void)state;
	av_paths_add_user(&p, "/src/app/cmd/main.go");
	av_paths_add_user(&p, "/src/app/db/db.go");
	assert_int_equal(p.common_len, strlen("/src/app/"));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum ps_view_class c = av_class(&p, rows[i].func, rows[i].file, PS_FRAME_GO);
		if (c != rows[i].cls)
			fail_msg("row %zu (%s): class %d, expected %d", i, rows[i].func, c,
				 rows[i].cls);
		assert_string_equal(av_short_path(&p, rows[i].file, c), rows[i].shown);
	}
	assert_int_equal(av_class(&p, "x", "", PS_FRAME_C), PS_VIEW_DEP);
}

/* ---- findings ---- */

static const struct ps_view_finding *finding(const struct ps_view *d,
					enum ps_view_finding_kind k, size_t nth)
{
	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].kind == k && nth-- == 0)
			return &d->findings[i];
	return NULL;
}

static void test_deadlock_lists_each_wait(void **state)
{
	const struct gspec g[] = {
		{ 1, "chan receive", -1, 0, 0, { PARK, RECV, "main.main|/src/app/main.go|20|" } },
		{ 7, "chan send", -1, 0, 0, { PARK, "main.producer|/src/app/main.go|30|" }, CREATED },
	};
	struct fixture *fx = build(g, 2, "all goroutines are asleep - deadlock!");
	struct ps_view *d = analyse(fx, false);
	(void)state;
	const struct ps_view_finding *a = finding(d, PS_VIEW_FIND_DEADLOCK, 0);
	const struct ps_view_finding *b = finding(d, PS_VIEW_FIND_DEADLOCK, 1);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(finding(d, PS_VIEW_FIND_DEADLOCK, 2));
	assert_non_null(strstr(a->message, "goroutine 1 waits in chan receive at main.main (main.go:20)"));
	assert_non_null(strstr(b->message, "goroutine 7 waits in chan send at main.producer (main.go:30)"));
	release(fx);
}

/* Two recursion depths parked at one site: one deadlock line naming both. */
static void test_deadlock_one_line_per_site(void **state)
{
	const struct gspec g[] = {
		{ 3, "chan receive", -1, 0, 0, { PARK, "main.wait|/src/app/w.go|9|", "main.walk|/src/app/w.go|4|" } },
		{ 4, "chan receive", -1, 0, 0, { PARK, "main.wait|/src/app/w.go|9|", "main.walk|/src/app/w.go|4|", "main.walk|/src/app/w.go|4|" } },
	};
	struct fixture *fx = build(g, 2, "all goroutines are asleep - deadlock!");
	struct ps_view *d = analyse(fx, false);
	(void)state;
	assert_int_equal(d->n_groups, 2);
	const struct ps_view_finding *a = finding(d, PS_VIEW_FIND_DEADLOCK, 0);
	assert_non_null(a);
	assert_null(finding(d, PS_VIEW_FIND_DEADLOCK, 1));
	assert_int_equal(a->count, 2);
	assert_int_equal(a->n_groups, 2);
	assert_string_equal(a->message, "deadlock: goroutines 3-4 wait in chan receive at main.wait (w.go:9)");
	release(fx);
	/* the same goroutines without the runtime's deadlock verdict */
	fx = build(g, 2, NULL);
	assert_null(finding(analyse(fx, false), PS_VIEW_FIND_DEADLOCK, 0));
	release(fx);
}

#define LOCK "sync.(*Mutex).Lock|" GOROOT "sync/mutex.go|46|..."
#define SEMA "internal/sync.runtime_SemacquireMutex|" GOROOT "runtime/sema.go|95|0x0?"

#define PUT "main.(*Store).Put|/src/app/store.go|50|0xc000010000"
#define DEEP(n) "main.walk|/src/app/walk.go|" #n "|0x" #n

/* Waiters at one Lock call, from two recursion depths: one finding with
 * both groups summed.  The running goroutine in the same function and
 * the one parked elsewhere in it are no evidence of holding the lock. */
static void test_mutex_one_finding_per_site(void **state)
{
	const struct gspec g[] = {
		{ 3, "sync.Mutex.Lock", 2, 0, 0, { SEMA, LOCK, PUT, DEEP(7) }, CREATED },
		{ 4, "sync.Mutex.Lock", 5, 0, 0, { SEMA, LOCK, PUT, DEEP(7) }, CREATED },
		{ 5, "sync.Mutex.Lock", 1, 0, 0, { SEMA, LOCK, PUT, DEEP(8), DEEP(7) }, CREATED },
		{ 8, "chan receive", -1, 0, 0, { PARK, "main.(*Store).Put|/src/app/store.go|52|0xc000010000" }, CREATED },
		{ 9, "running", -1, 0, 0, { "main.(*Store).flush|/src/app/store.go|70|", "main.(*Store).Put|/src/app/store.go|52|0xc000010000" }, CREATED },
	};
	struct fixture *fx = build(g, 5, NULL);
	struct ps_view *d = analyse(fx, false);
	(void)state;
	const struct ps_view_finding *f = finding(d, PS_VIEW_FIND_MUTEX, 0);
	assert_non_null(f);
	assert_null(finding(d, PS_VIEW_FIND_MUTEX, 1));
	assert_null(f->other);
	assert_int_equal(f->count, 3);
	assert_int_equal(f->n_groups, 2);
	assert_string_equal(f->site->func, "main.(*Store).Put");
	assert_string_equal(f->message, "mutex contention: 3 goroutines wait in sync.Mutex.Lock "
			    "for 1-5 minutes at main.(*Store).Put (store.go:50) (2 groups); "
			    "the holder is not visible in the dump");
	assert_null(strstr(f->message, "goroutine 9"));
	release(fx);
	/* two Lock calls: two findings; no Lock wait: none */
	fx = build(g, 5, NULL);
	fx->dump.goroutines[2].stack.frames[2].line = 60;
	d = analyse(fx, false);
	assert_non_null(finding(d, PS_VIEW_FIND_MUTEX, 1));
	assert_int_equal(finding(d, PS_VIEW_FIND_MUTEX, 0)->count, 2);
	release(fx);
	fx = build(g + 3, 2, NULL);
	assert_null(finding(analyse(fx, false), PS_VIEW_FIND_MUTEX, 0));
	release(fx);
}

static void test_concurrent_map_writes_both_stacks(void **state)
{
	const struct gspec g[] = {
		{ 12, "running", -1, 0, 1, { "internal/runtime/maps.fatal|" GOROOT "runtime/panic.go|1181|", "main.put|/src/app/m.go|8|" } },
		{ 13, "chan receive", -1, 0, 0, { PARK, "main.idle|/src/app/m.go|30|" } },
		{ 14, "running", -1, 0, 0, { "runtime.mapassign_faststr|" GOROOT "runtime/map.go|600|", "main.put|/src/app/m.go|8|" } },
	};
	struct fixture *fx = build(g, 3, "concurrent map writes");
	struct ps_view *d = analyse(fx, false);
	(void)state;
	const struct ps_view_finding *f = finding(d, PS_VIEW_FIND_MAP, 0);
	assert_non_null(f);
	assert_non_null(f->other);
	assert_int_equal(f->other->id, 14);
	assert_non_null(strstr(f->message, "goroutine 12 at main.put (m.go:8) and goroutine 14"));
	release(fx);
	/* running in the same function, but not in map code: no evidence */
	struct gspec h[3];
	memcpy(h, g, sizeof(h));
	h[2].frames[0] = "main.log|/src/app/m.go|40|";
	fx = build(h, 3, "concurrent map writes");
	f = finding(analyse(fx, false), PS_VIEW_FIND_MAP, 0);
	assert_non_null(f);
	assert_null(f->other);
	assert_non_null(strstr(f->message, "; the other goroutine is not visible in the dump"));
	release(fx);
	/* not a map crash: no finding */
	fx = build(g, 3, "unexpected signal during runtime execution");
	assert_null(finding(analyse(fx, false), PS_VIEW_FIND_MAP, 0));
	release(fx);
}

static void test_hung_tests(void **state)
{
	const struct gspec g[] = {
		{ 5, "running", -1, 0, 1, { "testing.(*M).startAlarm.func1|" GOROOT "testing/testing.go|2802|" } },
		{ 19, "chan receive", -1, 0, 0, { PARK, "example.com/q.(*Queue).Pop|/src/q/q.go|13|",
			"example.com/q.TestPop.func1|/src/q/q_test.go|20|",
			"example.com/q.TestPop|/src/q/q_test.go|22|",
			"testing.tRunner|" GOROOT "testing/testing.go|1446|" } },
	};
	static const char *running[] = { "TestPop/empty (10m0s)" };
	struct fixture *fx = build(g, 2, NULL);
	(void)state;
	fx->dump.running_tests = running;
	fx->dump.n_running_tests = 1;
	const struct ps_view_finding *f = finding(analyse(fx, false), PS_VIEW_FIND_TEST, 0);
	assert_non_null(f);
	assert_string_equal(f->message, "test TestPop/empty (10m0s): goroutine 19 [chan receive] "
					"at example.com/q.(*Queue).Pop (q.go:13)");
	release(fx);
	/* without the list (Go < 1.20): the frame above testing.tRunner */
	fx = build(g, 2, "test timed out after 10m0s");
	f = finding(analyse(fx, false), PS_VIEW_FIND_TEST, 0);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "test TestPop: goroutine 19 [chan receive]"));
	release(fx);
}

static void test_leak_thresholds(void **state)
{
	struct gspec g[1010];
	(void)state;
	for (size_t i = 0; i < 1010; i++)
		g[i] = (struct gspec){ i + 1, "chan receive", i < 10 ? 15 : -1, 0, 0,
				       { PARK, "main.wait|/src/app/w.go|4|" } };
	/* 9 goroutines waiting 15 minutes: normal */
	struct fixture *fx = build(g, 9, NULL);
	assert_null(finding(analyse(fx, false), PS_VIEW_FIND_LEAK, 0));
	release(fx);
	/* 10 goroutines waiting 15 minutes: a leak */
	fx = build(g, 10, NULL);
	const struct ps_view_finding *f = finding(analyse(fx, false), PS_VIEW_FIND_LEAK, 0);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "10 goroutines blocked in chan receive for 15 minutes at main.wait (w.go:4)"));
	release(fx);
	/* without wait times only a crowd counts: 999 is not enough */
	fx = build(g + 10, 999, NULL);
	assert_null(finding(analyse(fx, false), PS_VIEW_FIND_LEAK, 0));
	release(fx);
	fx = build(g + 10, 1000, NULL);
	assert_non_null(finding(analyse(fx, false), PS_VIEW_FIND_LEAK, 0));
	release(fx);
}

/* ---- escaping ---- */

struct esc_row {
	const char *in;
	size_t len;
	unsigned flags;
	const char *want;
};

#define ROW(s, f, w) { s, sizeof(s) - 1, f, w }

static void test_json_escaping(void **state)
{
	static const struct esc_row rows[] = {
		ROW("plain", 0, "\"plain\""),
		ROW("a\"b\\c", 0, "\"a\\\"b\\\\c\""),
		ROW("\n\t\r\x01\x1b\x7f", 0, "\"\\n\\t\\r\\u0001\\u001b\\u007f\""),
		ROW("caf\xc3\xa9", 0, "\"caf\xc3\xa9\""),                /* valid UTF-8 kept */
		ROW("\xff", 0, "\"\\ufffd\""),                          /* invalid byte */
		ROW("x\xc3", 0, "\"x\\ufffd\""),                        /* cut sequence */
		ROW("\xc0\xaf", 0, "\"\\ufffd\\ufffd\""),               /* overlong */
		ROW("\xed\xa0\x80", 0, "\"\\ufffd\\ufffd\\ufffd\""),    /* surrogate */
		ROW("\xf4\x90\x80\x80", 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\""), /* > U+10FFFF */
		ROW("\xf0\x9f\x92\xa5", 0, "\"\xf0\x9f\x92\xa5\""),    /* 4-byte ok */
		ROW("a\0b", 0, "\"a\\u0000b\""),
		ROW("</script>&", 0, "\"</script>&\""),
		ROW("</script>&", RP_JSON_HTML, "\"\\u003c/script\\u003e\\u0026\""),
		ROW("\xe2\x80\xa8", RP_JSON_HTML, "\"\\u2028\""),
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rp_buf b = { 0 };
		rp_json_str(&b, rows[i].in, rows[i].len, rows[i].flags);
		if (strcmp(rp_buf_cstr(&b), rows[i].want) != 0)
			fail_msg("row %zu: got %s, expected %s", i, b.p, rows[i].want);
		rp_buf_release(&b);
	}
}

/* The block (SSE2) and word-at-a-time paths over plain runs: every
 * byte value in every lane of a 16-byte run is escaped as it is alone
 * (too short for those paths), so no special byte slips through. */
static void test_json_escaping_every_lane(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 256; c++) {
		struct rp_buf one = { 0 }, b = { 0 }, want = { 0 };
		char ch = (char)c;
		rp_json_str(&one, &ch, 1, 0);
		for (size_t k = 0; k < 16; k++) {
			char in[16];
			memset(in, 'a', sizeof(in));
			in[k] = ch;
			b.len = want.len = 0;
			rp_json_str(&b, in, sizeof(in), 0);
			rp_buf_addc(&want, '"');
			rp_buf_add(&want, in, k);
			rp_buf_add(&want, one.p + 1, one.len - 2);
			rp_buf_add(&want, in + k + 1, sizeof(in) - k - 1);
			rp_buf_addc(&want, '"');
			if (strcmp(rp_buf_cstr(&b), rp_buf_cstr(&want)) != 0)
				fail_msg("byte 0x%02x at %zu: got %s, expected %s", c, k, b.p, want.p);
		}
		rp_buf_release(&one);
		rp_buf_release(&b);
		rp_buf_release(&want);
	}
}

static void test_text_and_html_escaping(void **state)
{
	struct rp_buf b = { 0 };
	(void)state;
	rp_text_str(&b, "a\x1b[31mb\tc", 9);
	assert_string_equal(rp_buf_cstr(&b), "a\\x1b[31mb\tc");
	b.len = 0;
	/* C1 controls: raw 0x9b (CSI on an 8-bit terminal), U+009B as
	 * UTF-8, and a stray byte; valid UTF-8 (U+00A0 up) passes. */
	rp_text_str(&b, "x\x9b" "31m\xc2\x9b" "y\xc3\xa9\xe2\x80\xa6\xff\xc2\xa0z", 17);
	assert_string_equal(rp_buf_cstr(&b),
		"x\\x9b31m\\xc2\\x9by\xc3\xa9\xe2\x80\xa6\\xff\xc2\xa0z");
	b.len = 0;
	rp_text_str(&b, "\xc3", 1);    /* a sequence cut short */
	assert_string_equal(rp_buf_cstr(&b), "\\xc3");
	b.len = 0;
	rp_html_str(&b, "<a href=\"x\">&'", 15);
	assert_string_equal(rp_buf_cstr(&b), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
	b.len = 0;
	rp_quote_str(&b, "hi\n\"there\"", 10, 6);
	assert_string_equal(rp_buf_cstr(&b), "\"hi\\n\\\"th\"...");
	rp_buf_release(&b);
}

/* ---- decoded arguments (hand-made ps_abi_frame values) ---- */

static struct ps_abi_frame sample_frame(struct ps_abi_arg *args)
{
	static const uint64_t w_slice[] = { 0xc0000c8040, 2, 4 };
	static const uint64_t w_str[] = { 0x4c24f9, 5 };
	static const uint64_t w_int[] = { 0x88 };
	static const uint64_t w_iface[] = { 0x4a1000, 0xc000012345 };
	static struct ps_abi_arg fields[2];

	args[0] = (struct ps_abi_arg){ "slice", "[]string", PS_ROLE_PARAM, true, w_slice, 3,
		{ .kind = PS_V_SLICE, .ptr = 0xc0000c8040, .len = 2, .cap = 4 } };
	args[1] = (struct ps_abi_arg){ "str", "string", PS_ROLE_PARAM, true, w_str, 2,
		{ .kind = PS_V_STRING, .ptr = 0x4c24f9, .len = 5, .text = "hello" } };
	args[2] = (struct ps_abi_arg){ "i", "int", PS_ROLE_PARAM, true, w_int, 1,
		{ .kind = PS_V_INT, .i = 136 } };
	args[3] = (struct ps_abi_arg){ "n", "int", PS_ROLE_PARAM, false, w_int, 1,
		{ .kind = PS_V_INT, .i = 824634158592 } };
	args[4] = (struct ps_abi_arg){ "err", "error", PS_ROLE_PARAM, true, w_iface, 2,
		{ .kind = PS_V_IFACE, .type_word = 0x4a1000, .data_word = 0xc000012345,
		  .type_name = "*errors.errorString" } };
	fields[0] = (struct ps_abi_arg){ "ok", "bool", PS_ROLE_PARAM, true, w_int, 1,
		{ .kind = PS_V_BOOL, .b = true } };
	fields[1] = (struct ps_abi_arg){ "f", "float64", PS_ROLE_PARAM, true, w_int, 1,
		{ .kind = PS_V_FLOAT, .f = NAN } };
	args[5] = (struct ps_abi_arg){ "s", "main.S", PS_ROLE_PARAM, true, w_str, 2,
		{ .kind = PS_V_STRUCT, .fields = fields, .n_fields = 2 } };
	args[6] = (struct ps_abi_arg){ "fn", "func()", PS_ROLE_PARAM, true, w_int, 1,
		{ .kind = PS_V_POINTER, .ptr = 0x4b0000, .symbol = "main.handler" } };
	args[7] = (struct ps_abi_arg){ "x", "int", PS_ROLE_PARAM, true, NULL, 0,
		{ .kind = PS_V_ABSENT } };
	args[8] = (struct ps_abi_arg){ "~r0", "int", PS_ROLE_RESULT, false, w_int, 1,
		{ .kind = PS_V_INT, .i = 7 } };
	return (struct ps_abi_frame){ .decoded = true, .args = args, .n_args = 9 };
}

static void test_decoded_args_text(void **state)
{
	struct ps_abi_arg args[9];
	struct ps_abi_frame af = sample_frame(args);
	struct rp_buf b = { 0 };
	(void)state;
	rp_abi_args_text(&b, &af);
	assert_string_equal(rp_buf_cstr(&b),
		"slice []string len=2 cap=4, str \"hello\", i=136, n=?, "
		"err error(*errors.errorString), s main.S{ok=true, f=NaN}, "
		"fn func() main.handler, x …");
	rp_buf_release(&b);
}

static void test_decoded_args_json(void **state)
{
	struct ps_abi_arg args[9];
	struct ps_abi_frame af = sample_frame(args);
	struct rp_buf b = { 0 };
	(void)state;
	rp_json_abi_args(&b, &af);
	const char *j = rp_buf_cstr(&b);
	assert_non_null(strstr(j, "{\"name\":\"slice\",\"type\":\"[]string\",\"role\":\"param\","
				  "\"reliable\":true,\"words\":[\"0xc0000c8040\",\"0x2\",\"0x4\"],"
				  "\"value\":{\"ptr\":\"0xc0000c8040\",\"len\":2,\"cap\":4}}"));
	assert_non_null(strstr(j, "\"value\":{\"ptr\":\"0x4c24f9\",\"len\":5,\"text\":\"hello\"}"));
	assert_non_null(strstr(j, "\"name\":\"i\",\"type\":\"int\",\"role\":\"param\",\"reliable\":true,"
				  "\"words\":[\"0x88\"],\"value\":136}"));
	assert_non_null(strstr(j, "\"name\":\"n\",\"type\":\"int\",\"role\":\"param\",\"reliable\":false"));
	assert_non_null(strstr(j, "\"value\":{\"type\":\"0x4a1000\",\"data\":\"0xc000012345\","
				  "\"type_name\":\"*errors.errorString\"}"));
	assert_non_null(strstr(j, "\"value\":{\"fields\":[{\"name\":\"ok\""));
	assert_non_null(strstr(j, "\"value\":\"NaN\"}"));      /* no bare NaN in JSON */
	assert_non_null(strstr(j, "\"value\":{\"ptr\":\"0x4b0000\",\"symbol\":\"main.handler\"}"));
	assert_non_null(strstr(j, "\"words\":[],\"value\":null}"));
	assert_non_null(strstr(j, "\"role\":\"result\",\"reliable\":false"));
	rp_buf_release(&b);
}

/* A's items split first (a group's representative) give the same
 * answer as the walk over both lists, either way round, and a mask
 * narrowed by earlier members (items it no longer holds are not
 * compared, and the walk may stop early) gives that answer narrowed. */
static void split_agrees(const char *a, const char *b, const char *what, size_t i)
{
	static const uint64_t masks[] = {
		~(uint64_t)0, 0, ~(uint64_t)1, 1, ~(uint64_t)2, (uint64_t)1 << 63,
		~((uint64_t)1 << 63), UINT64_C(0x5555555555555555),
		UINT64_C(0xaaaaaaaaaaaaaaaa), 3, ~(uint64_t)3, UINT64_C(0x8000000000000001),
	};
	for (int swap = 0; swap < 2; swap++) {
		const char *x = swap ? b : a, *y = swap ? a : b;
		size_t nx;
		struct ps_arena arena = { 0 };
		struct ps_view_item *items = ps_view_items(&arena, x, strlen(x), &nx);
		uint64_t whole = ps_view_args_agree(x, strlen(x), y, strlen(y));
		for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
			uint64_t split = ps_view_args_agree_items(x, items, nx, y, strlen(y),
								  masks[m]);
			if (split != (whole & masks[m]))
				fail_msg("%s %zu swap %d mask %#llx: split %#llx, whole %#llx",
					 what, i, swap, (unsigned long long)masks[m],
					 (unsigned long long)split, (unsigned long long)whole);
		}
		ps_arena_release(&arena);
	}
}

static void test_argument_agreement(void **state)
{
	static const struct {
		const char *a, *b;
		uint64_t mask;
		const char *shown;      /* A with disagreeing items elided */
	} rows[] = {
		{ "0x1, {0x2, 0x3?}, 0x4", "0x1, {0x2, 0x9?}, 0x4", ~(uint64_t)2, "0x1, …, 0x4" },
		{ "0x1, 0x2", "0x1, 0x2, 0x3", ~(uint64_t)4, "0x1, 0x2" },
		{ "{0x1, {0x2}}, ...", "{0x1, {0x2}}, ...", ~(uint64_t)0, "{0x1, {0x2}}, ..." },
		{ "0x5?", "0x6?", ~(uint64_t)1, "…" },
		{ "", "", ~(uint64_t)0, "" },
		{ "0x1,0x2", "0x1,  0x2", ~(uint64_t)0, "0x1, 0x2" },
		{ "0x1,, 0x2", "0x1, 0x3, 0x2", ~(uint64_t)2, "0x1, …, 0x2" },
		{ "{0x1, 0x2}, 0x3", "{0x1, 0x2, 0x4}, 0x3", ~(uint64_t)1, "…, 0x3" },
		{ "0x1}, 0x2", "0x1}, 0x3", ~(uint64_t)2, "0x1}, …" },
		{ "0x10, 0x2", "0x1, 0x2", ~(uint64_t)1, "…, 0x2" },
		{ "0x1, 0x2", "", ~(uint64_t)3, "…, …" },
	};
	struct ps_abi_arg args[9];
	struct ps_abi_frame af = sample_frame(args);
	struct rp_buf b = { 0 };
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t m = ps_view_args_agree(rows[i].a, strlen(rows[i].a), rows[i].b,
					   strlen(rows[i].b));
		if (m != rows[i].mask)
			fail_msg("row %zu: mask %#llx, expected %#llx", i,
				 (unsigned long long)m, (unsigned long long)rows[i].mask);
		split_agrees(rows[i].a, rows[i].b, "row", i);
		b.len = 0;
		rp_args_masked(&b, rows[i].a, strlen(rows[i].a), m);
		assert_string_equal(rp_buf_cstr(&b), rows[i].shown);
	}
	/* a closed item of A found in B without B's item end: B's bytes
	 * equal to it and then no comma are another item, and an item
	 * whose braces stay open is looked at whole */
	static const char *const flat[][2] = {
		{ "0x1, 0x2", "0x1, 0x2}" }, { "0x1", "0x1{" }, { "0x1, , 0x2", "0x1, , 0x2" },
		{ "0x1 ,0x2", "0x1,0x2" }, { "0x1, {0x2, 0x3}", "0x1, {0x2, 0x3}, 0x4" },
		{ "0x0?, 0x0?, 0x0?", "0x0?, 0x0?" }, { "0x1, 0x2", "0x1, 0x2, " },
		{ "0x1", "0x1," }, { "0x1, 0x2", "0x1 0x2" }, { "0x1,", "0x1" },
		{ "{0x1, {0x2}}, 0x3", "{0x1, {0x2}}, 0x3" }, { "{0x1}, 0x2", "{0x1}}, 0x2" },
		{ "{0x1, 0x2", "{0x1, 0x2, 0x3" }, { "{0x1, 0x2", "{0x1, 0x2" },
		{ "0x1}, {0x2}", "0x1}, {0x2}, 0x3" }, { "{{0x1}, 0x2", "{{0x1}, 0x2}, 0x3" },
		/* long items */
		{ "0x20c4cd9d4600, {0x20c4cd9ad2c0, 0x40, 0x40}",
		  "0x20c4cd9d4680, {0x20c4cd9ad2c0, 0x40, 0x40}" },
		{ "{0x20c4cd9ad2c0?, 0x20c4cd9ad2c8}, 0x20c4cd9ad2d0?, 0x1",
		  "{0x20c4cd9ad2c0?, 0x20c4cd9ad2c9}, 0x20c4cd9ad2d0?, 0x1, 0x2" },
		{ "yyyyyyyyyyyy, 0x2", "yyyyyyyyyyyz, 0x2" },
		{ "0x123456789abcdef}}, 0x2", "0x123456789abcdef}}, 0x3" },
	};
	for (size_t i = 0; i < sizeof(flat) / sizeof(flat[0]); i++)
		split_agrees(flat[i][0], flat[i][1], "flat", i);
	/* items compared a word or two at a time: one byte differs, at
	 * every place of an item of every length up to 20 */
	for (size_t len = 1; len <= 20; len++)
		for (size_t at = 0; at <= len; at++) {
			char p[64], q[64];
			memset(p, 'a', len);
			memcpy(q, p, len);
			if (at < len)
				q[at] = 'b';
			strcpy(p + len, ", 0x1");
			strcpy(q + len, ", 0x1");
			split_agrees(p, q, "bytes", len * 32 + at);
			p[len] = q[len] = '\0';
			split_agrees(p, q, "bytes end", len * 32 + at);
		}
	/* items from the 64th on share bit 63; a missing item disagrees */
	char x[512] = "", y[512] = "", z[512] = "";
	for (int k = 0; k < 70; k++) {
		strcat(x, k ? ", 0x1" : "0x1");
		strcat(y, k == 65 ? ", 0x2" : k ? ", 0x1" : "0x1");
		if (k < 64)
			strcat(z, k ? ", 0x1 " : "0x1 ");
	}
	const char *longs[][2] = { { x, y }, { y, x }, { x, z }, { z, x }, { x, x } };
	for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
		size_t nx;
		struct ps_arena arena = { 0 };
		struct ps_view_item *items = ps_view_items(&arena, longs[i][0], strlen(longs[i][0]), &nx);
		uint64_t split = ps_view_args_agree_items(longs[i][0], items, nx, longs[i][1],
							  strlen(longs[i][1]), ~(uint64_t)0);
		uint64_t whole = ps_view_args_agree(longs[i][0], strlen(longs[i][0]), longs[i][1],
						    strlen(longs[i][1]));
		ps_arena_release(&arena);
		assert_int_equal(split, whole);
		assert_int_equal(whole >> 63, i == 4);
	}
	/* structured: item k is argument k; words: arguments span words */
	b.len = 0;
	rp_abi_args_text_masked(&b, &af, ~(uint64_t)2, false);
	assert_non_null(strstr(rp_buf_cstr(&b), "slice []string len=2 cap=4, str=…, i=136"));
	b.len = 0;
	rp_abi_args_text_masked(&b, &af, ~(uint64_t)(1 << 3), true);   /* word 3 = str.ptr */
	assert_non_null(strstr(rp_buf_cstr(&b), "slice []string len=2 cap=4, str=…, i=136"));
	rp_buf_release(&b);
}

/* ---- filters ---- */

static void test_filters(void **state)
{
	const struct gspec g[] = {
		{ 1, "chan receive", -1, 0, 0, { PARK, "main.recvLoop|/src/app/r.go|4|" } },
		{ 2, "select", -1, 0, 0, { PARK, "main.selectLoop|/src/app/s.go|9|" } },
	};
	struct fixture *fx = build(g, 2, NULL);
	struct ps_error err = { 0 };
	(void)state;
	av_filter *f = av_filter_new("recv|^goroutine 2 ", NULL, &err);
	assert_non_null(f);
	assert_true(av_filter_pass(f, &fx->dump.goroutines[0]));
	assert_true(av_filter_pass(f, &fx->dump.goroutines[1]));   /* by id line */
	av_filter_free(f);
	f = av_filter_new(NULL, "s\\.go:9$", &err);
	assert_true(av_filter_pass(f, &fx->dump.goroutines[0]));
	assert_false(av_filter_pass(f, &fx->dump.goroutines[1]));
	av_filter_free(f);
	f = av_filter_new("[select", NULL, &err);
	assert_null(f);
	assert_int_equal(err.code, PS_ERR_BAD_REGEX);
	assert_non_null(strstr(err.msg, "--match"));
	release(fx);
}

/* ---- whole reports ---- */

/* A strict JSON validator, enough to prove the output parses. */
static const char *json_value(const char *p, int depth);

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
	}
	return p + 1;
}

static const char *json_list(const char *p, char close, bool object, int depth)
{
	p = ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (object) {
			if (!(p = json_string(ws(p))) || *(p = ws(p)) != ':')
				return NULL;
			p++;
		}
		if (!(p = json_value(p, depth + 1)))
			return NULL;
		p = ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p, int depth)
{
	p = ws(p);
	if (depth > 64)
		return NULL;
	if (*p == '{')
		return json_list(p, '}', true, depth);
	if (*p == '[')
		return json_list(p, ']', false, depth);
	if (*p == '"')
		return json_string(p);
	if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	char *end;
	(void)strtod(p, &end);
	return end == p || !strchr("-0123456789", *p) ? NULL : end;
}

static void assert_valid_json(const char *s)
{
	const char *end = json_value(s, 0);
	if (!end || *ws(end) != '\0')
		fail_msg("invalid JSON near offset %ld: %.80s", end ? (long)(end - s) : -1L,
			 end ? end : s);
}

static void test_json_report_is_valid(void **state)
{
	const struct gspec g[] = {
		{ 1, "chan\x01 receive\xff", 4, 1, 1, { PARK, "main.\"odd\"|/src/a\\pp/\xc3.go|4|{0x1, 0x2?}, ...", GOEXIT }, CREATED },
		{ 2, "select", -1, 0, 0, { "main.f|/src/app/f.go|9|0xzz, _, {...}" } },
	};
	struct fixture *fx = build(g, 2, "boom \"quoted\"\n\tsecond line \xfe");
	struct ps_report_opts o = { .format = PS_REPORT_JSON, .input_name = "t\"est.log" };
	(void)state;
	char *out = report(fx, &o);
	assert_valid_json(out);
	assert_non_null(strstr(out, "\"schema\":\"panicscope.report/1\""));
	assert_non_null(strstr(out, "\"args\":[{\"raw\":\"{0x1, 0x2?}\",\"reliable\":false},"
				    "{\"raw\":\"...\",\"reliable\":false,\"elided\":true}]"));
	assert_non_null(strstr(out, "\"kind\":\"fatal error\""));
	assert_non_null(strstr(out, "\"crashed\":true"));
	assert_non_null(strstr(out, "\"groups\":["));
	assert_non_null(strstr(out, "\"input\":\"t\\\"est.log\""));
	assert_non_null(strstr(out, "\"source\":"));
	assert_non_null(strstr(out, "\"headline\":[{\"kind\":\"crash\",\"text\":\"fatal error: boom"));
	free(out);
	/* portable: nothing that names this machine's files */
	o.portable = true;
	out = report(fx, &o);
	assert_valid_json(out);
	assert_null(strstr(out, "\"input\":"));
	assert_null(strstr(out, "\"source\":"));
	assert_non_null(strstr(out, "\"headline\":"));
	free(out);
	release(fx);
}

static void test_json_of_any_bytes_is_valid(void **state)
{
	/* parse random mutations of a real dump and report them all */
	static const char base[] =
		"panic: boom\n\ngoroutine 1 [running]:\nmain.f(0x1, {0x2, 0x3?}, ...)\n"
		"\t/src/app/f.go:4 +0x1d\ncreated by main.main in goroutine 1\n"
		"\t/src/app/main.go:9 +0x2f\n";
	char buf[sizeof(base)];
	unsigned seed = 12345;
	(void)state;
	for (int round = 0; round < 300; round++) {
		memcpy(buf, base, sizeof(base));
		for (int k = 0; k < 6; k++) {
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % (sizeof(base) - 1)] = (char)(seed >> 16);
		}
		struct ps_doc *doc = ps_parse_buffer(buf, sizeof(base) - 1);
		struct ps_report_opts o = { .format = PS_REPORT_JSON };
		char *out = NULL;
		size_t len = 0;
		struct ps_error err = { 0 };
		FILE *f = open_memstream(&out, &len);
		assert_int_equal(ps_report_write(f, doc, &o, &err), 0);
		fclose(f);
		assert_int_equal(strlen(out), len);         /* no NUL byte inside */
		assert_valid_json(out);
		free(out);
		ps_doc_free(doc);
	}
}

static void test_text_report(void **state)
{
	const struct gspec g[] = {
		{ 1, "running", -1, 0, 1, { "main.f|/src/app/f.go|4|0x1", GOEXIT }, CREATED },
		{ 2, "chan receive", -1, 0, 0, { PARK, RECV, "main.g|/src/app/g.go|9|0xc000010000", GOEXIT } },
		{ 3, "chan receive", -1, 0, 0, { PARK, RECV, "main.g|/src/app/g.go|9|0xc000020000", GOEXIT } },
	};
	struct fixture *fx = build(g, 3, "bad \x1b[2Jthing");
	struct ps_report_opts o = { .format = PS_REPORT_TEXT };
	(void)state;
	char *out = report(fx, &o);
	assert_null(strchr(out, '\x1b'));                       /* no colour, no escapes */
	assert_non_null(strstr(out, "fatal error: bad \\x1b[2Jthing\n"));
	assert_non_null(strstr(out, "goroutine 1 [running] (crashed):\n"));
	assert_non_null(strstr(out, "2 goroutines [chan receive]: 2-3\n"));
	assert_non_null(strstr(out, "    runtime: gopark < chanrecv1  runtime/chan.go:509\n"));
	assert_non_null(strstr(out, "    main.g(…)"));           /* args differ */
	assert_null(strstr(out, "goexit"));
	assert_non_null(strstr(out, "paths under /src/app/"));
	free(out);
	o.color = true;
	out = report(fx, &o);
	assert_non_null(strstr(out, "\033[1mmain.f\033[0m"));   /* user code bold */
	free(out);
	release(fx);
}

static void test_text_all_and_wrapping(void **state)
{
	const struct gspec g[] = {
		{ 4, "select", -1, 0, 0, { "main.g|/src/app/g.go|9|" } },
		{ 3, "select", -1, 0, 0, { "main.g|/src/app/g.go|9|" } },
		{ 7, "running", -1, 0, 1, { "main.long|/src/app/l.go|1|0x1111111111, 0x2222222222, "
			"0x3333333333, 0x4444444444, 0x5555555555, 0x6666666666, 0x7777777777, "
			"0x8888888888, 0x9999999999, 0xaaaaaaaaaa" } },
	};
	struct fixture *fx = build(g, 3, NULL);
	struct ps_report_opts o = { .format = PS_REPORT_TEXT, .all = true };
	(void)state;
	char *out = report(fx, &o);
	/* --all: one block per goroutine, crashed first, then dump order */
	char *a = strstr(out, "goroutine 7 [running] (crashed):");
	char *b = strstr(out, "goroutine 4 [select]:");
	char *c = strstr(out, "goroutine 3 [select]:");
	assert_true(a && b && c && a < b && b < c);
	/* no line longer than the wrap limit plus the location */
	for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1)
		if (nl - line > 100)
			fail_msg("line of %ld bytes: %.*s", (long)(nl - line), (int)(nl - line), line);
	assert_non_null(strstr(out, "    main.long(\n        0x1111111111,"));
	free(out);
	release(fx);
}

static void test_text_many_groups(void **state)
{
	struct gspec g[45];
	char frames[45][48];
	(void)state;
	for (size_t i = 0; i < 45; i++) {
		snprintf(frames[i], sizeof(frames[i]), "main.w|/src/app/w.go|%zu|", i + 1);
		g[i] = (struct gspec){ i + 1, "select", -1, 0, 0, { frames[i] } };
	}
	struct fixture *fx = build(g, 45, NULL);
	struct ps_report_opts o = { .format = PS_REPORT_TEXT };
	char *out = report(fx, &o);
	/* 40 groups in full, then one line per group */
	assert_non_null(strstr(out, "goroutine 40 [select]:\n"));
	assert_null(strstr(out, "goroutine 41 [select]:\n"));
	assert_non_null(strstr(out, "5 more groups (one line each"));
	assert_non_null(strstr(out, "      1 [select]  main.w  w.go:45\n"));
	free(out);
	release(fx);
}

static void test_markdown_and_html(void **state)
{
	const struct gspec g[] = {
		{ 1, "running", -1, 0, 1, { "main.f|/src/app/f.go|4|0x1`x|y" }, CREATED },
		{ 2, "select", -1, 0, 0, { "main.g|/src/app/g.go|9|" } },
	};
	struct fixture *fx = build(g, 2, "a|b <script>alert(1)</script>");
	struct ps_report_opts o = { .format = PS_REPORT_MARKDOWN };
	(void)state;
	char *out = report(fx, &o);
	assert_non_null(strstr(out, "## fatal error: a\\|b \\<script\\>alert(1)\\</script\\>"));
	assert_non_null(strstr(out, "| 1 | 1 (crashed) | running |"));
	assert_non_null(strstr(out, "```\nmain.f(0x1`x|y)\n\t/src/app/f.go:4\n"));
	free(out);
	o.format = PS_REPORT_HTML;
	out = report(fx, &o);
	assert_null(strstr(out, "<script>alert"));
	assert_non_null(strstr(out, "a|b &lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(out, "http://"));
	assert_null(strstr(out, "https://"));
	assert_non_null(strstr(out, "<input id=q type=search"));
	free(out);
	release(fx);
}

/* ---- on parsed corpus logs ---- */

static struct ps_doc *parse_corpus(const char *rel)
{
	const char *root = getenv("PS_SOURCE_DIR");
	char path[4096];
	struct ps_error err = { 0 };
	FILE *f;
	char *buf;
	long len;

	snprintf(path, sizeof(path), "%s/corpus/%s", root ? root : ".", rel);
	if (!(f = fopen(path, "rb")))
		fail_msg("cannot open %s (is PS_SOURCE_DIR set?)", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	struct ps_doc *doc = ps_parse_buffer(buf, (size_t)len);
	(void)err;
	free(buf);
	assert_non_null(doc);
	assert_int_equal(doc->n_dumps, 1);
	return doc;
}

static ps_view *analyse_doc(struct ps_doc *doc)
{
	struct ps_error err = { 0 };
	ps_view *v = ps_view_build(doc, 0, NULL, &err);
	assert_non_null(v);
	return v;
}

static size_t count_findings(const struct ps_view *d, enum ps_view_finding_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_findings; i++)
		n += d->findings[i].kind == k;
	return n;
}

static void test_corpus_findings(void **state)
{
	(void)state;
	/* six goroutines, five distinct waits, one of them on a mutex */
	struct ps_doc *doc = parse_corpus("go1.26.8-amd64/deadlock.log");
	ps_view *d = analyse_doc(doc);
	assert_int_equal(d->n_groups, 5);
	assert_int_equal(count_findings(d, PS_VIEW_FIND_DEADLOCK), 5);
	/* the deadlock lines already say where each waits: no second finding */
	assert_int_equal(count_findings(d, PS_VIEW_FIND_MUTEX), 0);
	ps_view_free(d);
	ps_doc_free(doc);
	/* Go 1.12 printed every goroutine: both map writers are there */
	doc = parse_corpus("go1.12.17-amd64/concurrent_map_writes.log");
	d = analyse_doc(doc);
	assert_int_equal(count_findings(d, PS_VIEW_FIND_MAP), 1);
	assert_non_null(d->findings[0].other);
	assert_true(d->findings[0].other != d->groups[0].rep);
	ps_view_free(d);
	ps_doc_free(doc);
	doc = parse_corpus("go1.26.8-amd64/test_timeout.log");
	d = analyse_doc(doc);
	assert_int_equal(count_findings(d, PS_VIEW_FIND_TEST), 1);
	assert_non_null(strstr(d->findings[0].message, "TestHangingPop"));
	ps_view_free(d);
	ps_doc_free(doc);
}

/* The accessors triage builds on: the crashed goroutine, frame classes,
 * the dominant blocked group (none when nothing waits). */
static void test_view_accessors(void **state)
{
	const struct gspec g[] = {
		{ 1, "running", -1, 0, 1, { "main.main|/src/app/main.go|20|" } },
		{ 2, "chan receive", -1, 0, 0, { PARK, "main.a|/src/app/a.go|3|" }, CREATED },
		{ 3, "chan receive", -1, 0, 0, { PARK, "main.a|/src/app/a.go|3|" }, CREATED },
		{ 4, "select", -1, 0, 0, { PARK, "main.b|/src/app/b.go|5|" }, CREATED },
	};
	struct fixture *fx = build(g, 4, "boom");
	ps_view *v = analyse(fx, false);
	size_t n;
	(void)state;
	assert_ptr_equal(ps_view_crashed(v), &fx->dump.goroutines[0]);
	assert_int_equal(ps_view_goroutine_count(v), 4);
	const struct ps_view_group *dom = ps_view_dominant_blocked(v);
	assert_non_null(dom);
	assert_int_equal(dom->count, 2);
	assert_string_equal(ps_view_site(v, dom->rep)->func, "main.a");
	const struct ps_frame *park = &fx->dump.goroutines[1].stack.frames[0];
	assert_int_equal(ps_view_frame_class(v, park), PS_VIEW_STD);
	assert_int_equal(ps_view_frame_class(v, &fx->dump.goroutines[1].stack.frames[1]),
			 PS_VIEW_USER);
	assert_string_equal(ps_view_class_name(PS_VIEW_DEP), "dep");
	assert_null(ps_view_args(v, &fx->dump.goroutines[1].stack, 0)); /* no binary: as printed */
	assert_null(ps_view_warnings(v, &n) && n ? "warned" : NULL);
	const struct ps_view_line *l = ps_view_headline(v, &n);
	assert_int_equal(n, 2);
	assert_string_equal(l[0].text, "fatal error: boom");
	assert_int_equal(l[1].kind, PS_VIEW_LINE_SUMMARY);
	assert_string_equal(l[1].text, "4 goroutines in 3 groups · paths under /src/app/");
	/* errors: no such dump, a bad pattern */
	struct ps_error err = { 0 };
	assert_null(ps_view_build(&fx->doc, 1, NULL, &err));
	assert_int_equal(err.code, PS_ERR_USAGE);
	struct ps_view_opts bad = { .match = "(" };
	assert_null(ps_view_build(&fx->doc, 0, &bad, &err));
	assert_int_equal(err.code, PS_ERR_BAD_REGEX);
	release(fx);
	/* nothing crashed and nothing waits */
	fx = build(g, 1, NULL);
	fx->dump.goroutines[0].crashed = false;
	v = analyse(fx, false);
	assert_null(ps_view_crashed(v));
	assert_null(ps_view_dominant_blocked(v));
	l = ps_view_headline(v, &n);
	assert_string_equal(l[n - 1].text, "1 goroutine in 1 group · paths under /src/app/");
	release(fx);
}

/* Goroutines that print the same stack share one frames array, and
 * grouping answers a goroutine equal to the last one seen on that array
 * from a memo (analyze/group.c): each other key field must still split
 * it.  2, 4 and 7 agree in everything; 3 and 8 differ from them only in
 * their state, 5 only in its created-by line. */
static void test_group_shared_frames_split_by_key(void **state)
{
	static const char text[] =
		"goroutine 1 [running]:\nmain.main()\n\t/src/app/main.go:20 +0x1\n\n"
#define WAITER(id, st, line)                                                     \
		"goroutine " id " [" st "]:\nmain.a(0x1)\n\t/src/app/a.go:3 +0x1\n" \
		"created by main.main in goroutine 1\n\t/src/app/main.go:" line " +0x2\n\n"
		WAITER("2", "chan receive", "10")
		WAITER("3", "select", "10")
		WAITER("4", "chan receive", "10")
		WAITER("5", "chan receive", "11")
		WAITER("7", "chan receive", "10")
		WAITER("8", "select", "10");
#undef WAITER
	struct ps_doc *doc = ps_parse_buffer(text, sizeof(text) - 1);
	struct ps_error err = { 0 };
	(void)state;
	assert_int_equal(doc->n_dumps, 1);
	const struct ps_dump *d = doc->dumps[0];
	assert_int_equal(d->n_goroutines, 7);
	/* the case the memo is for: one array for all six waiters */
	for (size_t i = 2; i < 7; i++)
		assert_ptr_equal(d->goroutines[i].stack.frames, d->goroutines[1].stack.frames);
	ps_view *v = ps_view_build(doc, 0, NULL, &err);
	assert_non_null(v);
	size_t n;
	const struct ps_view_group *gs = ps_view_groups(v, &n);
	/* {1}, {2, 4, 7}, {3, 8}, {5}, in some order: each goroutine's group
	 * holds exactly the ones with its key */
	static const uint64_t want[][3] = { { 1 }, { 2, 4, 7 }, { 3, 8 }, { 5 } };
	assert_int_equal(n, 4);
	for (size_t w = 0; w < 4; w++) {
		const struct ps_view_group *hit = NULL;
		for (size_t i = 0; i < n; i++)
			if (gs[i].rep->id == want[w][0])
				hit = &gs[i];
		assert_non_null(hit);
		size_t k = 0;
		while (k < 3 && want[w][k])
			k++;
		assert_int_equal(hit->n_members, k);
		for (size_t m = 0; m < k; m++)
			assert_int_equal(hit->members[m]->id, want[w][m]);
	}
	ps_view_free(v);
	ps_doc_free(doc);
}

/* A "runtime stack:" block (g0) is neither counted as a goroutine nor
 * given an invented id 0 in JSON; a real goroutine still is both. */
static void test_runtime_stack_not_a_goroutine(void **state)
{
	const struct gspec g[] = {
		{ 1, "running", -1, 0, 1, { "main.main|/src/app/main.go|20|" } },
		{ 0, "", -1, 0, 0, { "runtime.morestack|" GOROOT "runtime/asm_amd64.s|640|" } },
	};
	struct fixture *fx = build(g, 2, "stack overflow");
	(void)state;
	struct ps_goroutine *g0 = &fx->dump.goroutines[1];
	g0->has_header = false;
	g0->has_id = false;
	static const struct ps_goroutine_rare runtime_stack = { .role = PS_ROLE_RUNTIME_STACK };
	g0->rare = &runtime_stack;
	ps_view *v = analyse(fx, false);
	size_t n;
	const struct ps_view_line *l = ps_view_headline(v, &n);
	assert_string_equal(l[n - 1].text,
			    "1 goroutine and 1 runtime stack in 2 groups · paths under /src/app/");
	struct ps_report_opts o = { .format = PS_REPORT_JSON };
	char *json = report(fx, &o);
	assert_non_null(strstr(json, "{\"id\":1,"));
	assert_non_null(strstr(json, "{\"id\":null,"));
	assert_null(strstr(json, "{\"id\":0,"));
	free(json);
	release(fx);
	/* the same block printed with a header is a goroutine like any */
	fx = build(g, 2, "stack overflow");
	v = analyse(fx, false);
	l = ps_view_headline(v, &n);
	assert_string_equal(l[n - 1].text, "2 goroutines in 2 groups · paths under /src/app/");
	json = report(fx, &o);
	assert_non_null(strstr(json, "{\"id\":0,"));
	assert_null(strstr(json, "{\"id\":null,"));
	free(json);
	release(fx);
}

/* ---- base/map.c, the one hash table ---- */

static bool same_text(const void *value, const void *key)
{
	return strcmp(value, key) == 0;
}

/* Different keys with one hash stay apart (EQ decides), and every entry
 * survives the table growing under it. */
static void test_map_collisions_and_growth(void **state)
{
	static const char *const words[] = { "a", "b", "c", "d" };
	struct ps_map m = { 0 };
	char keys[2000][8];
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		void **slot = ps_map_slot(&m, 42, same_text, words[i]);
		assert_null(*slot);
		*slot = (void *)words[i];
	}
	for (size_t i = 0; i < 4; i++)
		assert_ptr_equal(ps_map_get(&m, 42, same_text, words[i]), words[i]);
	assert_null(ps_map_get(&m, 42, same_text, "e"));
	assert_null(ps_map_get(&m, 43, same_text, "a"));
	for (size_t i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "%zu", i);
		*ps_map_slot(&m, i % 97, same_text, keys[i]) = keys[i];
	}
	assert_int_equal(m.len, 2004);
	for (size_t i = 0; i < 2000; i++)
		assert_ptr_equal(ps_map_get(&m, i % 97, same_text, keys[i]), keys[i]);
	for (size_t i = 0; i < 4; i++)
		assert_ptr_equal(ps_map_get(&m, 42, same_text, words[i]), words[i]);
	ps_map_release(&m);
	assert_null(ps_map_get(&m, 42, same_text, "a"));
	/* numbers as whole keys: one entry per number */
	for (uintptr_t i = 1; i <= 500; i++)
		*ps_map_slot(&m, i << 12, NULL, NULL) = (void *)i;
	*ps_map_slot(&m, 7 << 12, NULL, NULL) = (void *)(uintptr_t)7;
	assert_int_equal(m.len, 500);
	for (uintptr_t i = 1; i <= 500; i++)
		assert_ptr_equal(ps_map_get(&m, i << 12, NULL, NULL), (void *)i);
	assert_null(ps_map_get(&m, 501 << 12, NULL, NULL));
	ps_map_release(&m);
}

static void test_numbers_without_printf(void **state)
{
	static const uint64_t u[] = { 0, 9, 10, 99, 100, 101, 999, 1000, 4294967296ULL,
				      9999999999999999999ULL, 10000000000000000000ULL,
				      UINT64_MAX };
	static const int64_t s[] = { 0, -1, -10, -99, -100, INT64_MIN, INT64_MAX };
	struct rp_buf b = { 0 };
	char want[32];
	(void)state;
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		b.len = 0;
		rp_buf_u64(&b, u[i]);
		snprintf(want, sizeof(want), "%llu", (unsigned long long)u[i]);
		assert_string_equal(rp_buf_cstr(&b), want);
	}
	/* written in place after what the buffer holds: every digit count,
	 * at both ends */
	uint64_t p10 = 1;
	for (int k = 1; k <= 20; k++) {
		uint64_t edge[2] = { k == 20 ? UINT64_MAX : p10 * 10 - 1, p10 };
		for (size_t e = 0; e < 2; e++) {
			b.len = 0;
			rp_buf_puts(&b, "x");
			rp_buf_u64(&b, edge[e]);
			rp_buf_addc(&b, 'y');
			snprintf(want, sizeof(want), "x%lluy", (unsigned long long)edge[e]);
			assert_string_equal(rp_buf_cstr(&b), want);
		}
		if (k < 20)
			p10 *= 10;
	}
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		b.len = 0;
		rp_buf_i64(&b, s[i]);
		snprintf(want, sizeof(want), "%lld", (long long)s[i]);
		assert_string_equal(rp_buf_cstr(&b), want);
	}
	rp_buf_release(&b);
}

/* The writes a FILE of spill_log_write was handed: how many, the
 * smallest but the last, the last. */
struct spill_log {
	size_t n, smallest, last;
};

static ssize_t spill_log_write(void *cookie, const char *p, size_t n)
{
	struct spill_log *l = cookie;
	(void)p;
	if (l->n++ && l->last < l->smallest)
		l->smallest = l->last;          /* all but the final flush */
	l->last = n;
	return (ssize_t)n;
}

/* A writer spills in pieces of at least a megabyte: 64 KiB ones, split
 * by a 4 KiB stdio buffer, cost the 202 MB JSON of the 100k-goroutine
 * dump 0.03 s more system time (report_int.h). */
static void test_spill_writes_megabytes(void **state)
{
	static const cookie_io_functions_t io = { .write = spill_log_write };
	struct spill_log l = { .smallest = SIZE_MAX };
	struct rp_buf b = { 0 };
	char piece[1000];
	FILE *f = fopencookie(&l, "w", io);
	(void)state;
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);    /* each fwrite reaches the log whole */
	memset(piece, 'x', sizeof(piece));
	for (int i = 0; i < 5000; i++) {        /* 5 MB */
		rp_buf_add(&b, piece, sizeof(piece));
		rp_buf_spill(&b, f);
	}
	rp_buf_flush(&b, f);
	fclose(f);
	assert_true(l.n >= 2);
	assert_true(l.smallest >= (size_t)1 << 20);
	assert_true(l.n <= 5);
	rp_buf_release(&b);
}

/* ---- JSON pieces written once and copied (report/memo.c) ---- */

static void test_memo_keeps_what_recurs(void **state)
{
	struct rp_memo m = { 0 };
	struct rp_buf b = { 0 };
	const struct rp_memo_key k = { { 1, 2, 3, 4 } }, other = { { 1, 2, 3, 5 } };
	(void)state;
	assert_false(rp_memo_copy(&m, &k, rp_memo_hash(&k), &b));
	rp_buf_puts(&b, "[\"a\"]");
	rp_memo_keep(&m, &k, rp_memo_hash(&k), &b, 0);            /* met once: only noted */
	b.len = 0;
	assert_false(rp_memo_copy(&m, &k, rp_memo_hash(&k), &b));
	rp_buf_puts(&b, "x[\"a\"]");
	rp_memo_keep(&m, &k, rp_memo_hash(&k), &b, 1);            /* met again: kept from START */
	b.len = 0;
	assert_true(rp_memo_copy(&m, &k, rp_memo_hash(&k), &b));
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.p, "[\"a\"]", 5);
	assert_false(rp_memo_copy(&m, &other, rp_memo_hash(&other), &b));
	assert_int_equal(b.len, 5);
	rp_memo_release(&m);
	assert_false(rp_memo_copy(&m, &k, rp_memo_hash(&k), &b));
	rp_buf_release(&b);
}

static char *json_of(const char *text)
{
	struct ps_doc *doc = ps_parse_buffer(text, strlen(text));
	struct ps_report_opts o = { .format = PS_REPORT_JSON, .portable = true };
	struct ps_error err = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(ps_report_write(f, doc, &o, &err), 0);
	fclose(f);
	ps_doc_free(doc);
	assert_valid_json(out);
	return out;
}

/* The "frames" value of the goroutine object that starts with HEAD. */
static char *frames_of(const char *json, const char *head)
{
	const char *g = strstr(json, head), *f, *end;
	assert_non_null(g);
	f = strstr(g, "\"frames\":");
	end = f ? strstr(f, ",\"created_by\":") : NULL;
	assert_non_null(end);
	return strndup(f, (size_t)(end - f));
}

static void test_json_shared_stacks_copied_exactly(void **state)
{
	/* goroutines 1-3 print one stack (the parser shares it, the writer
	 * copies it from the third on); 4 differs in one frame's arguments,
	 * 5 in a line, 6 has an argument text that needs escaping */
	static const char *const tail =
		"main.g(0x1, {0x2, 0x3?}, ...)\n\t/src/app/g.go:9 +0x2f\n"
		"created by main.main in goroutine 1\n\t/src/app/main.go:40 +0x5\n\n";
	static const char *const f1[] = {
		"main.f(0x10, 0x20)\n\t/src/app/f.go:4 +0x1d\n",
		"main.f(0x10, 0x20)\n\t/src/app/f.go:4 +0x1d\n",
		"main.f(0x10, 0x20)\n\t/src/app/f.go:4 +0x1d\n",
		"main.f(0x10, 0x21)\n\t/src/app/f.go:4 +0x1d\n",
		"main.f(0x10, 0x20)\n\t/src/app/f.go:5 +0x1d\n",
		"main.f(0x10, \"q\\\xff)\n\t/src/app/f.go:4 +0x1d\n",
	};
	char text[4096] = "panic: boom\n\n", head[64];
	char *json, *fr[6];
	(void)state;
	for (int i = 0; i < 6; i++) {
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "goroutine %d [select]:\n%s%s", i + 1, f1[i], tail);
	}
	json = json_of(text);
	for (int i = 0; i < 6; i++) {
		snprintf(head, sizeof(head), "{\"id\":%d,", i + 1);
		fr[i] = frames_of(json, head);
	}
	assert_string_equal(fr[0], fr[1]);
	assert_string_equal(fr[0], fr[2]);
	assert_string_not_equal(fr[0], fr[3]);
	assert_non_null(strstr(fr[3], "\"args_raw\":\"0x10, 0x21\""));
	assert_non_null(strstr(fr[3], "{\"raw\":\"0x21\",\"reliable\":true}"));
	assert_non_null(strstr(fr[4], "\"line\":5,"));
	assert_null(strstr(fr[4], "\"line\":4,"));
	assert_non_null(strstr(fr[5], "{\"raw\":\"\\\"q\\\\\\ufffd\",\"reliable\":false}"));
	/* the frames the goroutines share are the same text in each */
	const char *g = strstr(fr[0], "{\"func\":\"main.g\"");
	assert_non_null(g);
	for (int i = 1; i < 6; i++)
		assert_non_null(strstr(fr[i], g));
	for (int i = 0; i < 6; i++)
		free(fr[i]);
	free(json);
}

static void test_json_long_stack_streams_whole(void **state)
{
	/* a stack over the writer's streaming bound, with frames that recur */
	enum { N = 3000 };
	size_t cap = 64 + N * 64, len = 0;
	char *text = malloc(cap), *json, num[32];
	const char *p;
	(void)state;
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "goroutine 1 [running]:\n");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"main.f%d(0x%x)\n\t/src/app/f.go:%d +0x1\n", i % 7, i % 3, i);
	json = json_of(text);
	p = json;
	for (int i = 0; i < N; i++) {    /* every frame, in order */
		snprintf(num, sizeof(num), "\"line\":%d,", i);
		p = strstr(p, num);
		assert_non_null(p);
	}
	free(json);
	free(text);
}

static void test_json_big_group_lists_every_id(void **state)
{
	/* a group over the writer's streaming bound: its ids all, in order */
	enum { N = 3000 };
	struct rp_buf text = { 0 }, ids = { 0 };
	char *json;
	(void)state;
	rp_buf_puts(&ids, "\"goroutines\":[");
	for (int i = 1; i <= N; i++) {
		ps_buf_printf(&text, "goroutine %d [select]:\nmain.f()\n\t/src/app/f.go:4 +0x1\n\n", i);
		ps_buf_printf(&ids, i > 1 ? ",%d" : "%d", i);
	}
	rp_buf_puts(&ids, "]");
	json = json_of(rp_buf_cstr(&text));
	assert_non_null(strstr(json, rp_buf_cstr(&ids)));
	free(json);
	rp_buf_release(&text);
	rp_buf_release(&ids);
}

/* Goroutine I of test_json_goroutine_heads_copied_exactly: each from the
 * fifth on differs from the first four in one key before "frames" (the
 * last in its state, which the test's spec sets). */
static void head_variant(struct ps_goroutine *g, int i)
{
	static const struct ps_goroutine_rare race = { .role = "Write at 0x1 by goroutine 7" },
					      counted = { .count = 3 };
	switch (i) {
	case 4: g->wait_minutes = 5; break;
	case 5: g->wait_minutes = 0; break;
	case 6: g->locked_to_thread = true; break;
	case 7: g->crashed = true; break;
	case 8: g->scan = true; break;
	case 9: g->no_stack = true; break;
	case 10: g->truncated = true; break;
	case 11: g->has_header = false; break;
	case 12: g->rare = &race; break;
	case 13: g->rare = &counted; break;
	default: break;
	}
}

/* Goroutine ID's keys in JSON between its id and "frames" (caller frees). */
static char *head_of(const char *json, int id)
{
	char want[32];
	const char *g, *end;
	int n = snprintf(want, sizeof(want), "{\"id\":%d,", id);
	g = strstr(json, want);
	assert_non_null(g);
	end = strstr(g, ",\"frames\":");
	assert_non_null(end);
	return strndup(g + n, (size_t)(end - g - n));
}

/* Those keys are copied once met twice (json.c goroutine_head): a copy
 * must never stand for a goroutine that differs in any of them, so each
 * goroutine's must be what a report of it alone says. */
static void test_json_goroutine_heads_copied_exactly(void **state)
{
	enum { N = 15 };
	struct gspec g[N];
	struct ps_report_opts o = { .format = PS_REPORT_JSON, .portable = true };
	struct fixture *all;
	char *json;
	(void)state;
	for (int i = 0; i < N; i++)
		g[i] = (struct gspec){ (uint64_t)i + 1, i == 14 ? "chan receive" : "select", -1,
				       false, false, { PARK } };
	all = build(g, N, NULL);
	for (int i = 0; i < N; i++)
		head_variant(&all->dump.goroutines[i], i);
	json = report(all, &o);
	for (int i = 0; i < N; i++) {
		struct fixture *one = build(&g[i], 1, NULL);
		head_variant(&one->dump.goroutines[0], i);
		char *alone = report(one, &o), *want = head_of(alone, i + 1),
		     *got = head_of(json, i + 1);
		if (strcmp(got, want) != 0)
			fail_msg("goroutine %d: %s, alone %s", i + 1, got, want);
		free(got);
		free(want);
		free(alone);
		release(one);
	}
	free(json);
	release(all);
}

/* A frame's "args_raw" and "args" are what the parser's tree and the
 * escaper make of its text, also where the one-pass flat writing gets
 * far into a text and then gives up (json.c flat_frame_args). */
static void test_json_frame_args_flat_or_not(void **state)
{
	static const char *const texts[] = {
		"0x1, 0x2?, {0x3, 0x4?}, ...", "0x1, 0x2, {0x3, zz}", "0x1, {0x2, 0x3",
		"0x1, 0x2, \"q\\", "0x1, 0x2, 0x3 ", "{...}", "{}",
		"0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10, "
		"0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, "
		"0x1f, 0x20, 0x21?",    /* one item more than FLAT_MAX */
	};
	enum { N = sizeof(texts) / sizeof(texts[0]) };
	struct gspec g[N];
	char spec[N][512];
	struct ps_report_opts o = { .format = PS_REPORT_JSON, .portable = true };
	struct ps_arena a = { 0 };
	(void)state;
	for (size_t i = 0; i < N; i++) {
		snprintf(spec[i], sizeof(spec[i]), "main.f|/src/app/f.go|%zu|%s", i + 1, texts[i]);
		g[i] = (struct gspec){ i + 1, "select", -1, false, false, { spec[i] } };
	}
	struct fixture *fx = build(g, N, NULL);
	char *json = report(fx, &o);
	for (size_t i = 0; i < N; i++) {
		struct rp_buf want = { 0 };
		rp_buf_puts(&want, "\"inlined\":false,\"args_raw\":");
		rp_json_str(&want, texts[i], strlen(texts[i]), 0);
		rp_buf_puts(&want, ",\"args\":");
		rp_json_raw_args(&want, texts[i], strlen(texts[i]), &a, true);
		rp_buf_addc(&want, '}');
		if (!strstr(json, rp_buf_cstr(&want)))
			fail_msg("args '%s': want %s in %s", texts[i], want.p, json);
		rp_buf_release(&want);
	}
	free(json);
	release(fx);
	ps_arena_release(&a);
}

/* Both ways of writing undecoded args agree: the one-pass flat path and
 * ps_parse_args's tree, on texts made of Go's pieces and near misses. */
static void raw_args_both(const char *s, size_t n, struct ps_arena *a)
{
	struct rp_buf flat = { 0 }, tree = { 0 };
	rp_json_raw_args(&flat, s, n, a, false);
	rp_json_raw_args(&tree, s, n, a, true);
	if (flat.len != tree.len || memcmp(flat.p, tree.p, flat.len) != 0)
		fail_msg("args '%.*s': flat %s, tree %s", (int)n, s,
			 rp_buf_cstr(&flat), rp_buf_cstr(&tree));
	rp_buf_release(&flat);
	rp_buf_release(&tree);
}

static void test_json_raw_args_flat_is_tree(void **state)
{
	static const char *const rows[] = {
		"0x0", "0x1f?", "0x25459ed327a8, 0x8", "0x661660?, {0x25459ed327a8?, 0x0?, 0x0?}",
		"{0x0?, {0x0?, 0x0?}, 0x0?}, {0xc, {0x5369f8, 0x5}, {0x2545ad628040, 0x2, 0x2}}",
		"0x1, ...", "...", "{...}", "0x1, {...}", "{..., 0x1}", "{0x1, ...}",
		"0xffffffffffffffff", "0x1ffffffffffffffff", "0x00000000000000000001",
		"0xABC", "0x", "0x1??", "0x1 ", " 0x1", "0x1,0x2", "0x1,  0x2", "0x1, ",
		"{}", "{0x1", "0x1}", "{0x1}}", "_", "0x1, _", "....", "...0x1", "0x1?{0x2}",
		"{{{{{{{{{0x1}}}}}}}}}", "{{{{{{{{0x1}}}}}}}}", "0x1\t", "0x\"1", "\3770x1" /* 0xff, then "0x1" */,
	};
	static const char *const pieces[] = {
		"0x0", "0x1f?", "{", "}", ", ", "...", "_", " ", "0x", "0X1", "?", ",", "z",
	};
	struct ps_arena a = { 0 };
	char text[64];
	uint64_t r = 12345;
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		raw_args_both(rows[i], strlen(rows[i]), &a);
	/* well-formed lists are the flat path's: joined pieces, most of them
	 * valid, some not */
	for (int k = 0; k < 20000; k++) {
		size_t n = 0;
		int parts = 1 + (int)(r % 9);
		for (int j = 0; j < parts; j++) {
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			const char *p = pieces[(r >> 33) % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t l = strlen(p);
			if (n + l >= sizeof(text))
				break;
			memcpy(text + n, p, l);
			n += l;
		}
		raw_args_both(text, n, &a);
	}
	ps_arena_release(&a);
}

/* The flat path's own bytes: '?' and "..." make an item unreliable. */
static void test_json_raw_args_flat_bytes(void **state)
{
	static const char in[] = "0x1, 0x2?, {0x3, 0x4?}, {0x5}, ...";
	struct rp_buf b = { 0 };
	struct ps_arena a = { 0 };
	(void)state;
	rp_json_raw_args(&b, in, sizeof(in) - 1, &a, false);
	assert_string_equal(rp_buf_cstr(&b),
			    "[{\"raw\":\"0x1\",\"reliable\":true},{\"raw\":\"0x2\",\"reliable\":false},"
			    "{\"raw\":\"{0x3, 0x4?}\",\"reliable\":false},{\"raw\":\"{0x5}\",\"reliable\":true},"
			    "{\"raw\":\"...\",\"reliable\":false,\"elided\":true}]");
	rp_buf_release(&b);
	ps_arena_release(&a);
}

/* A big flush goes to the descriptor itself (rp_buf_flush): after what
 * the FILE held, before what it is given next, and the same bytes to a
 * FILE without a descriptor. */
static void flush_around(FILE *f, size_t n)
{
	struct rp_buf b = { 0 };
	for (size_t i = 0; i < n; i++)
		rp_buf_addc(&b, (char)('a' + i % 26));
	fputs("head,", f);
	rp_buf_flush(&b, f);
	assert_int_equal(b.len, 0);
	fputs(",tail", f);
	rp_buf_release(&b);
}

static void check_around(const char *got, size_t len, size_t n)
{
	assert_int_equal(len, n + 10);
	assert_memory_equal(got, "head,", 5);
	for (size_t i = 0; i < n; i++)
		if (got[5 + i] != (char)('a' + i % 26))
			fail_msg("byte %zu of %zu", i, n);
	assert_memory_equal(got + 5 + n, ",tail", 5);
}

static void test_buf_flush_direct_keeps_order(void **state)
{
	static const size_t sizes[] = { 10, (size_t)64 << 10, ((size_t)1 << 20) + 3 };
	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		FILE *f = tmpfile();
		assert_non_null(f);
		flush_around(f, sizes[i]);
		long len = ftell(f);
		char *got = malloc((size_t)len);
		rewind(f);
		assert_int_equal(fread(got, 1, (size_t)len, f), (size_t)len);
		check_around(got, (size_t)len, sizes[i]);
		free(got);
		fclose(f);

		char *mem = NULL;
		size_t mlen = 0;
		f = open_memstream(&mem, &mlen);
		assert_non_null(f);
		flush_around(f, sizes[i]);
		fclose(f);
		check_around(mem, mlen, sizes[i]);
		free(mem);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unreliable_args_do_not_split),
		cmocka_unit_test(test_state_line_and_creator_split),
		cmocka_unit_test(test_alike_keys_interleaved),
		cmocka_unit_test(test_exact_mode_keeps_reliable_scalars),
		cmocka_unit_test(test_exact_mode_keys_field_by_field),
		cmocka_unit_test(test_group_mask_is_pairwise_and),
		cmocka_unit_test(test_order_and_summaries),
		cmocka_unit_test(test_id_ranges),
		cmocka_unit_test(test_id_ranges_orders),
		cmocka_unit_test(test_paths_and_classes),
		cmocka_unit_test(test_deadlock_lists_each_wait),
		cmocka_unit_test(test_deadlock_one_line_per_site),
		cmocka_unit_test(test_mutex_one_finding_per_site),
		cmocka_unit_test(test_concurrent_map_writes_both_stacks),
		cmocka_unit_test(test_hung_tests),
		cmocka_unit_test(test_leak_thresholds),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_escaping_every_lane),
		cmocka_unit_test(test_text_and_html_escaping),
		cmocka_unit_test(test_decoded_args_text),
		cmocka_unit_test(test_decoded_args_json),
		cmocka_unit_test(test_argument_agreement),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_json_report_is_valid),
		cmocka_unit_test(test_json_of_any_bytes_is_valid),
		cmocka_unit_test(test_text_report),
		cmocka_unit_test(test_text_all_and_wrapping),
		cmocka_unit_test(test_text_many_groups),
		cmocka_unit_test(test_markdown_and_html),
		cmocka_unit_test(test_corpus_findings),
		cmocka_unit_test(test_map_collisions_and_growth),
		cmocka_unit_test(test_view_accessors),
		cmocka_unit_test(test_group_shared_frames_split_by_key),
		cmocka_unit_test(test_runtime_stack_not_a_goroutine),
		cmocka_unit_test(test_numbers_without_printf),
		cmocka_unit_test(test_spill_writes_megabytes),
		cmocka_unit_test(test_memo_keeps_what_recurs),
		cmocka_unit_test(test_json_shared_stacks_copied_exactly),
		cmocka_unit_test(test_json_long_stack_streams_whole),
		cmocka_unit_test(test_json_big_group_lists_every_id),
		cmocka_unit_test(test_json_goroutine_heads_copied_exactly),
		cmocka_unit_test(test_json_frame_args_flat_or_not),
		cmocka_unit_test(test_json_raw_args_flat_is_tree),
		cmocka_unit_test(test_buf_flush_direct_keeps_order),
		cmocka_unit_test(test_json_raw_args_flat_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
