/* chunk.c - one large regular file read on several threads.
 *
 * The file is cut into ranges at goroutine boundaries: a blank line,
 * then a goroutine header.  The calling parser reads the first range and
 * the tail after the last boundary; each range between is read by a
 * parser of its own on a thread.  A fresh parser that meets a goroutine
 * header is in the state a parser is in after the blank line that ends
 * a goroutine of a plain dump (no log prefix, no wrap, no per-thread
 * blocks: "at_boundary").  So where the calling parser stands in that
 * state at a boundary, and the range's parser read nothing but
 * goroutines and ends in it again ("range_clean"), the range's
 * goroutines are what the calling parser would have built: they are
 * appended to its open dump, their strings and stacks taken into its
 * tables ("merge").  Anything else (a repair, a skipped line, a new
 * dump, an id seen before) and the calling parser reads the range
 * itself: the thread's work is lost, never the result.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "ps_parse_int.h"

/* A range smaller than this is not worth a thread (opts.range_min 0). */
#define RANGE_MIN_DEFAULT (1u << 20)
/* How far past its target a boundary is looked for. */
#define SEARCH_SPAN (1u << 20)
#define MAX_JOBS 64
/* A range's parser looks at what it built after each this many bytes:
 * as much as one file window (input.c), as each call maps its own and
 * each unmapping interrupts the other core to flush it. */
#define WINDOW (2u << 20)

struct range {
	uint64_t start, end;
	int fd;
	ps_parser *p;               /* the range's parser, once run */
	pthread_t tid;
	bool started;
	int rc;                     /* ps_p_feed_mapped's */
};

/* ---- boundaries ---- */

/* Is S[I] the start of a goroutine header line that follows a blank
 * line ("\n\ngoroutine N [...]:\n")?  The header must end inside S. */
static bool boundary_at(const char *s, size_t n, size_t i)
{
	static const char lit[] = "goroutine ";
	if (i < 2 || s[i - 1] != '\n' || s[i - 2] != '\n' ||
	    n - i < sizeof(lit) - 1 || memcmp(s + i, lit, sizeof(lit) - 1) != 0)
		return false;
	const char *nl = memchr(s + i, '\n', n - i);
	return nl && ps_p_is_goroutine_header(s + i, (size_t)(nl - (s + i)));
}

/* The first boundary in [FROM, FROM + SEARCH_SPAN), or 0. */
static uint64_t boundary_after(int fd, uint64_t size, uint64_t from)
{
	struct ps_p_view v;
	uint64_t lo = from >= 2 ? from - 2 : 0;
	uint64_t n = size - lo < SEARCH_SPAN ? size - lo : SEARCH_SPAN;
	uint64_t found = 0;
	if (!ps_p_view_open(&v, fd, lo, n))
		return 0;
	for (const char *q = v.s; !found; q++) {
		q = memmem(q, v.n - (size_t)(q - v.s), "\n\ngoroutine ", 12);
		if (!q)
			break;
		if (boundary_at(v.s, v.n, (size_t)(q - v.s) + 2))
			found = lo + (uint64_t)(q - v.s) + 2;
	}
	ps_p_view_close(&v);
	return found;
}

/* The last boundary in the last SEARCH_SPAN bytes, or 0: the calling
 * parser reads from there, so a dump's tail (registers, exit status,
 * a cut-off last goroutine, what follows the dump) stays its own. */
static uint64_t boundary_last(int fd, uint64_t size)
{
	struct ps_p_view v;
	uint64_t lo = size > SEARCH_SPAN ? size - SEARCH_SPAN : 0;
	uint64_t found = 0;
	if (!ps_p_view_open(&v, fd, lo, size - lo))
		return 0;
	for (size_t i = v.n; i-- > 2 && !found;)
		if (v.s[i] == 'g' && boundary_at(v.s, v.n, i))
			found = lo + i;
	ps_p_view_close(&v);
	return found;
}

/* Fills R[0..) with the ranges the threads read; returns how many. */
static size_t split(int fd, uint64_t size, unsigned jobs, struct range *r)
{
	uint64_t last = boundary_last(fd, size), prev = 0;
	size_t n = 0;
	if (!last)
		return 0;
	for (unsigned k = 1; k < jobs; k++) {
		uint64_t b = boundary_after(fd, size, size / jobs * k);
		if (!b || b >= last)
			break;
		if (b <= prev)
			continue;
		if (n)
			r[n - 1].end = b;
		r[n++] = (struct range){ .start = b, .end = last, .fd = fd };
		prev = b;
	}
	return n;
}

/* ---- the threads ---- */

/* Already more than goroutines: the calling parser will read the range
 * itself, so reading on only costs time and memory (a file of many
 * dumps would be parsed twice over). */
static bool range_lost(const struct ps_parser *p)
{
	return p->dumps.len || p->doc->skipped.count || p->repairs.len || p->cr_lines;
}

static void *run_range(void *arg)
{
	struct range *r = arg;
	for (uint64_t off = r->start; off < r->end && !r->rc; off += WINDOW) {
		uint64_t end = r->end - off < WINDOW ? r->end : off + WINDOW;
		r->rc = ps_p_feed_mapped(r->p, r->fd, off, end);
		if (range_lost(r->p))
			r->rc = -1;
	}
	ps_p_wrap_flush(r->p); /* the range's last (blank) line */
	return NULL;
}

static void start_range(struct range *r)
{
	r->p = ps_parse_new(NULL);
	r->started = pthread_create(&r->tid, NULL, run_range, r) == 0;
}

/* ---- which ranges merge ---- */

/* The state after the blank line ending a goroutine of a plain dump:
 * the one a fresh parser starts a goroutine header from. */
static bool at_boundary(const struct ps_parser *p)
{
	return p->dump && p->mode == MODE_TRACE && p->st == ST_TAIL && !p->gb.open &&
	       !p->hold.full && !p->carry_len && !p->wrap_col && !p->per_m_blocks &&
	       !p->after_separator && !p->c_tentative && !p->unk_count &&
	       !ps_prefixer_describe(p->px)[0];
}

/* The range's parser read goroutines and nothing else. */
static bool range_clean(const struct range *r)
{
	const struct ps_parser *p = r->p;
	const struct ps_dump *d = p->dump;
	return r->rc == 0 && at_boundary(p) && !p->dumps.len && d->first_line == 1 &&
	       d->kind == PS_DUMP_GOROUTINES && !d->prefix[0] && !d->signal &&
	       d->exit_status < 0 && !d->repeated_goroutines && !d->truncated &&
	       !p->repairs.len && !p->repairs_dropped && !p->cr_lines && !p->pending.len &&
	       !p->panics.len && !p->runtime_lines.len && !p->tests.len &&
	       !p->registers.len && !p->doc->skipped.count && !p->doc->bad.count &&
	       p->doc->error.code == PS_OK;
}

/* No goroutine of the range has an id the dump has had (a repeat the
 * calling parser would have made a repair or a new dump of). */
static bool ids_new(const struct ps_parser *p, const struct ps_vec *gs)
{
	for (size_t i = 0; i < gs->len; i++) {
		const struct ps_goroutine *g = ps_vec_at(gs, i);
		if (g->has_id && g->id && ps_p_id_known(p, g->id))
			return false;
	}
	return true;
}

/* ---- merging ---- */

#define MOVED_MEMO 64

struct merge {
	struct ps_parser *to;       /* the calling parser */
	ps_intern *names;           /* the range's table, moved into to's */
	struct ps_map shared;       /* range's shared copy -> to's */
	struct { const char *from, *to; } memo[MOVED_MEMO];
};

/* A string of the range's table as the calling parser's.  A few strings
 * (states, short argument lists) come back for most goroutines, and
 * those under 8 bytes are looked up by their bytes (ps_intern_moved):
 * a small memo by address answers them first. */
static const char *moved(struct merge *m, const char *s)
{
	uintptr_t a = (uintptr_t)s;
	size_t i = (size_t)(a ^ a >> 6 ^ a >> 12) & (MOVED_MEMO - 1);
	if (m->memo[i].from != s) {
		m->memo[i].from = s;
		m->memo[i].to = ps_intern_moved(m->names, s);
	}
	return m->memo[i].to;
}

/* A file is interned when present, else the literal "". */
static const char *moved_file(struct merge *m, const char *s)
{
	return s[0] ? moved(m, s) : s;
}

/* A frames array of the range as the calling parser's.  Rewritten in
 * place, not copied: the range's shared arena, where it lives, joins
 * the calling parser's (merge), so memory does not hold both copies. */
static struct ps_frame *merge_frames(struct merge *m, struct ps_frame *f, size_t n)
{
	if (!n)
		return f;
	void **slot = ps_map_slot(&m->shared, (uint64_t)(uintptr_t)f, NULL, NULL);
	if (*slot)
		return *slot;
	for (size_t i = 0; i < n; i++) {
		f[i].func = moved(m, f[i].func);
		f[i].file = moved_file(m, f[i].file);
	}
	*slot = ps_p_share_kept(m->to, f, n * sizeof(struct ps_frame));
	return *slot;
}

/* An argument array of the range, rewritten in place once (goroutines
 * in a row may share it: ps_stack.args). */
static const char *const *merge_args(struct merge *m, const char *const *a, size_t n)
{
	if (!a || !n)
		return a;
	void **slot = ps_map_slot(&m->shared, (uint64_t)(uintptr_t)a, NULL, NULL);
	if (!*slot) {
		const char **w = (const char **)a; /* the range's own, in its arena */
		for (size_t i = 0; i < n; i++)
			if (w[i])
				w[i] = moved(m, w[i]);
		*slot = w;
	}
	return *slot;
}

static void move_cb(struct merge *m, struct ps_created_by *cb)
{
	cb->func = moved(m, cb->func);
	cb->file = moved_file(m, cb->file);
}

/* A goroutine's created-by is shared; an ancestor's is in the arena. */
static struct ps_created_by *merge_cb(struct merge *m, const struct ps_created_by *cb)
{
	if (!cb)
		return NULL;
	void **slot = ps_map_slot(&m->shared, (uint64_t)(uintptr_t)cb, NULL, NULL);
	if (!*slot) {
		struct ps_created_by c = *cb;
		move_cb(m, &c);
		*slot = ps_p_share(m->to, &c, sizeof(c));
	}
	return *slot;
}

static void merge_stack(struct merge *m, struct ps_stack *st)
{
	st->args = merge_args(m, st->args, st->n_frames);
	st->frames = merge_frames(m, st->frames, st->n_frames);
}

/* A goroutine's rare record (role, pprof count, ancestors) is shared by
 * equal ones; its ancestors live in the dump's arena.  Roles in a range
 * of plain goroutines are literals (PS_ROLE_RUNTIME_STACK or none). */
static const struct ps_goroutine_rare *merge_rare(struct merge *m,
						  const struct ps_goroutine_rare *r)
{
	struct ps_arena *a = &m->to->dump->arena;
	if (!r)
		return NULL;
	void *done = ps_map_get(&m->shared, (uint64_t)(uintptr_t)r, NULL, NULL);
	if (done)
		return done;
	struct ps_goroutine_rare c = *r;
	if (c.n_ancestors)
		c.ancestors = ps_arena_memdup(a, r->ancestors, r->n_ancestors * sizeof(*r->ancestors));
	for (size_t i = 0; i < c.n_ancestors; i++) {
		struct ps_ancestor *an = &c.ancestors[i];
		merge_stack(m, &an->stack);
		if (an->created_by) {
			an->created_by = ps_arena_memdup(a, an->created_by, sizeof(*an->created_by));
			move_cb(m, an->created_by);
		}
	}
	/* the slot only now: merging the ancestors' stacks took slots of
	 * the same map, which may have grown (a slot is good until the
	 * map's next ps_map_slot) */
	void **slot = ps_map_slot(&m->shared, (uint64_t)(uintptr_t)r, NULL, NULL);
	*slot = ps_p_share(m->to, &c, sizeof(c));
	return *slot;
}

/* One goroutine of the range, as the calling parser would have built it
 * LINES input lines later.  State, role and header_extra: a header's
 * state is interned, a headerless goroutine's is the literal ""; roles
 * are literals in a trace; header texts live in the range dump's arena,
 * which joins the calling parser's dump (merge). */
static void merge_goroutine(struct merge *m, const struct ps_goroutine *src, uint32_t lines)
{
	struct ps_goroutine *g = ps_vec_push(&m->to->goroutines);
	*g = *src;
	if (g->has_header)
		g->state = moved(m, g->state);
	merge_stack(m, &g->stack);
	g->created_by = merge_cb(m, g->created_by);
	g->rare = merge_rare(m, g->rare);
	g->src_line += lines;
	if (g->has_id && g->id)
		ps_p_id_seen(m->to, g->id);
}

static void merge(struct ps_parser *to, struct range *r)
{
	struct ps_parser *from = r->p;
	struct merge m = { .to = to, .names = from->doc->names };
	uint32_t lines = to->rawno;

	ps_intern_move(to->doc->names, from->doc->names);
	for (size_t i = 0; i < from->goroutines.len; i++)
		merge_goroutine(&m, ps_vec_at(&from->goroutines, i), lines);
	from->goroutines.len = 0;
	ps_map_release(&m.shared);
	ps_arena_take(&to->doc->shared, &from->doc->shared);
	/* the goroutines' header texts, not copied one by one */
	ps_arena_take(&to->dump->arena, &from->dump->arena);
	to->dump->structured_args |= from->dump->structured_args;
	to->rawno += from->rawno;
	to->lineno = to->rawno;
	to->last_good = lines + from->last_good;
	to->doc->bytes += r->end - r->start;
	to->doc->ranges_merged++;
}

/* ---- the driver ---- */

static unsigned jobs_for(const struct ps_parser *p, uint64_t size)
{
	uint64_t min = p->opts.range_min ? p->opts.range_min : RANGE_MIN_DEFAULT;
	uint64_t fit = size / min;
	unsigned jobs = p->opts.jobs > MAX_JOBS ? MAX_JOBS : p->opts.jobs;
	return fit < jobs ? (unsigned)fit : jobs;
}

static void drop_range(struct range *r)
{
	if (r->started)
		pthread_join(r->tid, NULL);
	r->p->goroutines.len = 0; /* merged, or not wanted */
	ps_doc_free(ps_parse_finish(r->p));
}

/* Range R into P: merged when it can be, else read by P itself.  P's
 * last line, the blank one before the boundary, is parsed first: held
 * back or not, a blank line never joins the header after it. */
static void take_range(struct ps_parser *p, struct range *r)
{
	if (r->started)
		pthread_join(r->tid, NULL);
	r->started = false;
	ps_p_wrap_flush(p);
	if (r->p->rawno && at_boundary(p) && range_clean(r) &&
	    ids_new(p, &r->p->goroutines)) {
		merge(p, r);
	} else {
		ps_p_feed_mapped(p, r->fd, r->start, r->end);
		p->doc->ranges_reread++;
	}
	drop_range(r);
}

int ps_p_feed_file(struct ps_parser *p, int fd, uint64_t size)
{
	struct range r[MAX_JOBS];
	unsigned jobs = jobs_for(p, size);
	size_t n = jobs > 1 ? split(fd, size, jobs, r) : 0;

	if (!n)
		return ps_p_feed_mapped(p, fd, 0, size);
	for (size_t i = 0; i < n; i++)
		start_range(&r[i]);
	if (ps_p_feed_mapped(p, fd, 0, r[0].start) < 0) {
		/* nothing read: the caller reads the file another way */
		for (size_t i = 0; i < n; i++)
			drop_range(&r[i]);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		take_range(p, &r[i]);
	ps_p_feed_mapped(p, fd, r[n - 1].end, size);
	return 0;
}
