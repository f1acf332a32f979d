/* group.c - goroutines grouped by state and stack with one hash table,
 * so 100,000 goroutines cost one pass.
 *
 * The key of a goroutine is its interned pointers (state, each frame's
 * function and file) and numbers (lines, flags), plus the created-by
 * site, hashed and compared field by field.  Argument values are left out: register-ABI values
 * marked '?' and pointers differ between goroutines parked at the very
 * same place, and splitting on them hides the answer.  Exact mode adds
 * the reliable, non-pointer words. */
#include "view_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Words at or above this look like addresses, not counts or flags. */
#define POINTERISH 0x10000

struct args_check;

struct building {
	const struct ps_goroutine *rep; /* its first member: the key */
	struct ps_vec members;  /* const struct ps_goroutine * */
	struct args_check *ac;  /* from its second member on */
};

/* What a goroutine's key is hashed or compared with.  The key is never
 * written out whole: a stack of 10^6 frames would need a 24 MB copy. */
struct keying {
	const struct ps_goroutine *g;
	bool exact;
	struct ps_arena *scratch;       /* parsed arguments (exact) */
	struct ps_buf a, b;             /* one frame's argument key */
};

/* Keys are mostly pointers and numbers: mix a word at a time. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static uint64_t mix_bytes(uint64_t h, const char *p, size_t n)
{
	uint64_t w;

	h = mix(h, n);
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = mix(h, w);
	}
	while (n--)
		h = (h ^ (unsigned char)*p++) * 0x100000001b3ULL;
	return h;
}

static void key_u64(struct ps_buf *k, uint64_t v)
{
	ps_buf_add(k, &v, sizeof(v));
}

/* Reliable small scalars only: '?' values and pointers never split. */
static void key_args(struct ps_buf *k, const struct ps_arg *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (a[i].kind) {
		case PS_ARG_WORD:
			if (a[i].unreliable || a[i].value >= POINTERISH) {
				ps_buf_addc(k, 'p');
			} else {
				ps_buf_addc(k, 'w');
				key_u64(k, a[i].value);
			}
			break;
		case PS_ARG_GROUP:
			ps_buf_addc(k, '{');
			key_args(k, a[i].children, a[i].n_children);
			ps_buf_addc(k, '}');
			break;
		default:
			ps_buf_addc(k, (char)('0' + a[i].kind));
			break;
		}
	}
}

/* K holds the argument key (exact mode) of the argument text RAW (a
 * frame's, interned, or NULL) alone. */
static void frame_args_key(struct ps_buf *k, const char *raw, struct ps_arena *scratch)
{
	struct ps_arg *args = NULL;
	size_t n = 0;

	k->len = 0;
	if (raw)
		(void)ps_parse_args(raw, ps_intern_len(raw), scratch, &args, &n);
	key_args(k, args, n);
}

/* Not the crashed flag: the crashed goroutine joins the goroutines with
 * its state and stack, and that group is shown first. */
static unsigned key_flags(const struct ps_goroutine *g)
{
	return g->no_stack << 1 | g->has_header << 2 | g->stack.elided << 3;
}

static uint64_t frame_word(const struct ps_frame *f)
{
	return (uint64_t)f->line << 2 | (uint64_t)f->inlined << 1 |
	       (f->kind == PS_FRAME_C);
}

static uint64_t key_hash(struct keying *k)
{
	const struct ps_goroutine *g = k->g;
	const char *role = ps_goroutine_role(g);
	uint64_t h = mix(PS_HASH_SEED, key_flags(g));

	h = mix(h, (uintptr_t)g->state);
	h = mix_bytes(h, role, strlen(role));
	h = mix(h, g->stack.n_frames);
	for (size_t i = 0; i < g->stack.n_frames; i++) {
		const struct ps_frame *f = &g->stack.frames[i];
		h = mix(mix(mix(h, (uintptr_t)f->func), (uintptr_t)f->file), frame_word(f));
		if (k->exact) {
			frame_args_key(&k->a, ps_stack_args(&g->stack, i), k->scratch);
			h = mix_bytes(h, k->a.p, k->a.len);
		}
	}
	if (g->created_by) {
		const struct ps_created_by *cb = g->created_by;
		h = mix(mix(mix(h, (uintptr_t)cb->func), (uintptr_t)cb->file), cb->line);
	}
	return h ^ (h >> 32);
}

static bool same_frame_args(struct keying *k, const char *a, const char *b)
{
	frame_args_key(&k->a, a, k->scratch);
	frame_args_key(&k->b, b, k->scratch);
	/* no arguments: both buffers may be unallocated */
	return k->a.len == k->b.len &&
	       (k->a.len == 0 || memcmp(k->a.p, k->b.p, k->a.len) == 0);
}

static bool same_created(const struct ps_created_by *a, const struct ps_created_by *b)
{
	if (!a || !b)
		return a == b;
	return a->func == b->func && a->file == b->file && a->line == b->line;
}

/* frame_word(A) == frame_word(B), without building either word: the
 * bit fields compared where they are, in one byte of each frame. */
static bool same_frame_word(const struct ps_frame *a, const struct ps_frame *b)
{
	return a->line == b->line && a->inlined == b->inlined &&
	       (a->kind == PS_FRAME_C) == (b->kind == PS_FRAME_C);
}

/* The same key, field by field: what key_hash mixes. */
static bool same_key(const void *value, const void *key)
{
	const struct ps_goroutine *a = ((const struct building *)value)->rep;
	struct keying *k = (struct keying *)key;
	const struct ps_goroutine *b = k->g;

	if (key_flags(a) != key_flags(b) || a->state != b->state ||
	    a->stack.n_frames != b->stack.n_frames ||
	    strcmp(ps_goroutine_role(a), ps_goroutine_role(b)) != 0 ||
	    !same_created(a->created_by, b->created_by))
		return false;
	bool calls = a->stack.frames == b->stack.frames; /* one shared frames array */
	if (calls && !k->exact)
		return true;
	for (size_t i = 0; i < a->stack.n_frames; i++) {
		const struct ps_frame *fa = &a->stack.frames[i], *fb = &b->stack.frames[i];
		if (!calls && (fa->func != fb->func || fa->file != fb->file ||
			       !same_frame_word(fa, fb)))
			return false;
		if (k->exact && !same_frame_args(k, ps_stack_args(&a->stack, i),
						 ps_stack_args(&b->stack, i)))
			return false;
	}
	return true;
}

/* The group building for K's goroutine, created (in ARENA, listed in BS)
 * when new. */
static struct building *lookup(struct ps_map *t, struct ps_vec *bs,
			       struct keying *k, struct ps_arena *arena)
{
	void **slot = ps_map_slot(t, key_hash(k), same_key, k);

	if (*slot)
		return *slot;
	struct building *b = ps_arena_calloc(arena, sizeof(*b));
	b->rep = k->g;
	ps_vec_init(&b->members, sizeof(const struct ps_goroutine *));
	*(struct building **)ps_vec_push(bs) = b;
	*slot = b;
	return b;
}

/* The argument agreement of a group: per frame of its representative,
 * whether every member printed the same list, the items all agree on,
 * and the representative's items, split the first time they are needed. */
struct args_check {
	const struct ps_stack *rep;     /* the representative's */
	bool *same;
	uint64_t *mask;
	struct ps_view_item **items;
	size_t *n_items;
	const char **last;      /* the list last merged into the mask */
};

/* The agreement of REP's group, made when a second member joins: the
 * arrays that stay with the group (same, mask) from ARENA, the others
 * from SCRATCH. */
static struct args_check *args_check_new(struct ps_arena *arena, struct ps_arena *scratch,
					 const struct ps_goroutine *rep)
{
	size_t nf = rep->stack.n_frames, n = nf ? nf : 1;
	struct args_check *ac = ps_arena_calloc(scratch, sizeof(*ac));
	ac->rep = &rep->stack;
	ac->same = ps_arena_alloc(arena, n);
	ac->mask = ps_arena_alloc(arena, n * sizeof(uint64_t));
	memset(ac->same, 1, nf);
	memset(ac->mask, 0xff, nf * sizeof(uint64_t));
	ac->items = ps_arena_calloc(scratch, n * sizeof(*ac->items));
	ac->n_items = ps_arena_calloc(scratch, n * sizeof(*ac->n_items));
	ac->last = ps_arena_calloc(scratch, n * sizeof(*ac->last));
	return ac;
}

static void check_args(struct ps_arena *arena, struct args_check *ac,
		       const struct ps_goroutine *g, size_t nf)
{
	/* the last pair of lists compared, the mask compared under and the
	 * answer: a recursion prints the same lists frame after frame, and
	 * the answer holds for a frame whose mask is within that one */
	const char *pa = NULL, *pb = NULL;
	uint64_t pmask = 0, pres = 0;

	if (g->stack.args == ac->rep->args)
		return; /* one shared argument array: the same lists */
	/* same key means same frame count */
	for (size_t i = 0; i < nf && i < g->stack.n_frames; i++) {
		/* interned like names: the same text is the same pointer, and
		 * a member's list is not read to find it equal */
		const char *a = ps_stack_args(ac->rep, i), *b = ps_stack_args(&g->stack, i);
		if (ac->mask[i] == 0 || a == b)
			continue;
		ac->same[i] = false;
		/* a list merged once (a pool's "0x0?, 0x1") changes nothing
		 * when it comes again */
		if (ac->last[i] == b)
			continue;
		ac->last[i] = b;
		if (a == pa && b == pb && (ac->mask[i] & ~pmask) == 0) {
			ac->mask[i] &= pres;
			continue;
		}
		if (!ac->items[i])
			ac->items[i] = ps_view_items(arena, a, ps_stack_args_len(ac->rep, i),
						     &ac->n_items[i]);
		pa = a;
		pb = b;
		pmask = ac->mask[i];
		pres = ac->mask[i] = ps_view_args_agree_items(a, ac->items[i], ac->n_items[i], b,
							      ps_stack_args_len(&g->stack, i), pmask);
	}
}

/* AC: the group's agreement, worked out as its members joined (NULL:
 * one member). */
static void summarize(struct ps_view *d, struct ps_view_group *gr,
		      const struct args_check *ac)
{
	const struct ps_goroutine *rep = gr->rep;
	size_t nf = rep->stack.n_frames;

	gr->wait_min = gr->wait_max = -1;
	gr->cls = PS_VIEW_STD;
	gr->extra_same = rep->header_extra && rep->header_extra[0];
	if (ac) {
		gr->args_same = ac->same;
		gr->arg_mask = ac->mask;
	} else {
		/* one member agrees with itself: no mask (8 bytes a frame) */
		bool *args_same = ps_arena_alloc(&d->arena, nf ? nf : 1);
		memset(args_same, 1, nf);
		gr->args_same = args_same;
		gr->arg_mask = NULL;
	}
	for (size_t i = 0; i < nf; i++) {
		const struct ps_frame *f = &rep->stack.frames[i];
		enum ps_view_class c = av_class(&d->paths, f->func, f->file, f->kind);
		if (c < gr->cls)
			gr->cls = c;
	}
	for (size_t m = 0; m < gr->n_members; m++) {
		const struct ps_goroutine *g = gr->members[m];
		gr->count += ps_goroutine_count(g);
		gr->locked += g->locked_to_thread;
		gr->crashed |= g->crashed;
		if (gr->extra_same && g != rep &&
		    (!g->header_extra || strcmp(g->header_extra, rep->header_extra) != 0))
			gr->extra_same = false;
		if (g->wait_minutes >= 0) {
			if (gr->wait_min < 0 || g->wait_minutes < gr->wait_min)
				gr->wait_min = g->wait_minutes;
			if (g->wait_minutes > gr->wait_max)
				gr->wait_max = g->wait_minutes;
		}
	}
}

/* Crashed first, then user code, dependencies, stdlib-only; bigger
 * groups first inside each; dump order breaks ties. */
static int cmp_groups(const void *pa, const void *pb)
{
	const struct ps_view_group *a = pa, *b = pb;

	if (a->crashed != b->crashed)
		return a->crashed ? -1 : 1;
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

static void finish_groups(struct ps_view *d, struct ps_vec *bs,
			  const size_t *first)
{
	d->n_groups = bs->len;
	d->groups = ps_arena_calloc(&d->arena, (bs->len ? bs->len : 1) *
					       sizeof(*d->groups));
	for (size_t i = 0; i < bs->len; i++) {
		struct building *b = *(struct building **)ps_vec_at(bs, i);
		struct ps_view_group *gr = &d->groups[i];
		gr->members = ps_vec_finish(&b->members, &d->arena, &gr->n_members);
		ps_vec_release(&b->members);
		gr->rep = gr->members[0];
		gr->first = first[i];
		summarize(d, gr, b->ac);
	}
	qsort(d->groups, d->n_groups, sizeof(*d->groups), cmp_groups);
}

/* Goroutines of a pool often share one frames array (equal stacks and
 * argument lists are one copy): the group last found for each of a few
 * arrays answers a goroutine equal to that one in every other key field
 * without a key hash or compare.  Only equal pointers are trusted; any
 * difference goes to the map. */
#define SAME_MEMO 256

struct same_memo {
	const struct ps_goroutine *g;
	struct building *b;
};

/* A and B have the same key by their pointers alone; EXACT: their
 * argument arrays too (exact mode keys the words). */
static bool same_as(const struct ps_goroutine *a, const struct ps_goroutine *b, bool exact)
{
	return a->stack.frames == b->stack.frames && a->stack.n_frames == b->stack.n_frames &&
	       (!exact || a->stack.args == b->stack.args) &&
	       a->state == b->state && a->created_by == b->created_by &&
	       key_flags(a) == key_flags(b) && ps_goroutine_role(a) == ps_goroutine_role(b);
}

static struct same_memo *memo_at(struct same_memo *m, const struct ps_goroutine *g)
{
	uintptr_t a = (uintptr_t)g->stack.frames;
	return &m[(a >> 4 ^ a >> 12) & (SAME_MEMO - 1)];
}

/* The group a goroutine most likely joins, looked up by pointers of its
 * key that a pool's goroutines share (state, creator, the entry
 * function) and its frame count; only same_key says it does. */
#define LIKELY 64

static struct building **likely_at(struct building **l, const struct ps_goroutine *g)
{
	size_t n = g->stack.n_frames;
	uintptr_t h = (uintptr_t)g->state ^ (uintptr_t)g->created_by ^
		      (n >= 2 ? (uintptr_t)g->stack.frames[n - 2].func : 0);
	h = (h ^ h >> 7 ^ h >> 13) + n;
	return &l[h & (LIKELY - 1)];
}

#if defined(__GNUC__)
#define PS_PREFETCH(p) __builtin_prefetch(p)
#else
#define PS_PREFETCH(p) ((void)(p))
#endif

/* The goroutines are read in dump order, each one's argument texts
 * from memory the parse wrote long before (some 10 MB on a dump of
 * 100,000 goroutines; their frames arrays are few and stay cached):
 * member I + 8's argument array is asked for now, and the texts of
 * member I + 4, whose array has arrived by then. */
static void prefetch_members(const struct ps_view *d, size_t i)
{
	if (i + 8 < d->n_gs) {
		const struct ps_goroutine *g = d->gs[i + 8];
		const char *a = (const char *)g->stack.args;
		size_t bytes = g->stack.n_frames * sizeof(*g->stack.args);
		for (size_t o = 0; a && o < bytes && o < 512; o += 64)
			PS_PREFETCH(a + o);
	}
	if (i + 4 < d->n_gs) {
		const struct ps_goroutine *g = d->gs[i + 4];
		for (size_t k = 0; g->stack.args && k < g->stack.n_frames && k < 8; k++)
			if (g->stack.args[k])
				PS_PREFETCH(g->stack.args[k] - 1);
	}
}

/* A share of the goroutines (d->gs[from, to)), grouped on its own, on a
 * thread of its own but the first; then each is joined, in dump order,
 * into the first share's groups.  Goroutine I's group is the same either
 * way: its members are the same, and in dump order; an argument item
 * agrees across a group when it is equal in every member, and equality
 * chains (join_group), so a share's agreement combines with another's
 * through their two representatives. */
struct share {
	struct ps_view *d;
	size_t from, to;
	bool exact;
	struct ps_arena *arena;         /* what the groups keep: d->arena in
					   share 0, OWN in the others */
	struct ps_arena own;
	struct ps_arena keys;           /* buildings, agreement scratch */
	struct ps_arena scratch;        /* parsed arguments (exact) */
	struct ps_map t;
	struct ps_vec bs;               /* struct building *, in creation order */
	struct ps_vec firsts;           /* size_t: each one's first member */
	pthread_t tid;
	bool started;
};

/* A share of fewer goroutines than this is not worth a thread. */
#define SPLIT_MIN_DEFAULT 16384
#define MAX_SHARES 16

static void group_share(struct share *s)
{
	struct ps_view *d = s->d;
	struct same_memo memo[SAME_MEMO] = { { 0 } };
	struct keying k = { .exact = s->exact, .scratch = &s->scratch };
	struct building *likely[LIKELY] = { 0 };

	for (size_t i = s->from; i < s->to; i++) {
		prefetch_members(d, i);
		k.g = d->gs[i];
		struct same_memo *m = memo_at(memo, k.g);
		struct building *b;
		if (m->g && same_as(m->g, k.g, s->exact)) {
			b = m->b;
		} else {
			/* the memo's slot held another stack: the group last
			 * found for a few pointers of the key, compared field
			 * by field, is a key hash and a table probe cheaper */
			struct building **l = likely_at(likely, k.g);
			b = *l && same_key(*l, &k) ? *l : lookup(&s->t, &s->bs, &k, &s->keys);
			*l = b;
			if (s->exact)
				ps_arena_release(&s->scratch);
			*m = (struct same_memo){ k.g, b };
		}
		if (b->members.len == 0)
			*(size_t *)ps_vec_push(&s->firsts) = i;
		*(const struct ps_goroutine **)ps_vec_push(&b->members) = d->gs[i];
		/* agreement now, while the member's frames are in the cache
		 * from the key compare */
		if (b->members.len == 2)
			b->ac = args_check_new(s->arena, &s->keys, b->rep);
		if (b->ac && b->rep != d->gs[i])
			check_args(s->arena, b->ac, d->gs[i], b->rep->stack.n_frames);
	}
	ps_buf_release(&k.a);
	ps_buf_release(&k.b);
}

static void *share_thread(void *arg)
{
	group_share(arg);
	return NULL;
}

/* FROM's group B (same key as TO's group A) into A: A's agreement with
 * B's representative, then B's own (relative to that representative). */
static void join_group(struct share *to, struct building *a, struct building *b)
{
	size_t nf = a->rep->stack.n_frames;
	if (!a->ac)
		a->ac = args_check_new(to->arena, &to->keys, a->rep);
	check_args(to->arena, a->ac, b->rep, nf);
	for (size_t i = 0; b->ac && i < nf; i++) {
		a->ac->mask[i] &= b->ac->mask[i];
		a->ac->same[i] &= b->ac->same[i];
	}
	for (size_t m = 0; m < b->members.len; m++)
		*(const struct ps_goroutine **)ps_vec_push(&a->members) =
			*(const struct ps_goroutine **)ps_vec_at(&b->members, m);
	ps_vec_release(&b->members);
}

/* Every group of FROM into TO: joined to its key's group, or a new one
 * (it came later in the dump than all of TO's). */
static void join_share(struct share *to, struct share *from)
{
	struct keying k = { .exact = to->exact, .scratch = &to->scratch };
	for (size_t j = 0; j < from->bs.len; j++) {
		struct building *b = *(struct building **)ps_vec_at(&from->bs, j);
		k.g = b->rep;
		void **slot = ps_map_slot(&to->t, key_hash(&k), same_key, &k);
		if (to->exact)
			ps_arena_release(&to->scratch);
		if (*slot) {
			join_group(to, *slot, b);
			continue;
		}
		*slot = b;
		*(struct building **)ps_vec_push(&to->bs) = b;
		*(size_t *)ps_vec_push(&to->firsts) = *(size_t *)ps_vec_at(&from->firsts, j);
	}
	ps_buf_release(&k.a);
	ps_buf_release(&k.b);
	/* what FROM's groups keep lives as long as the view; its buildings
	 * as long as TO's */
	ps_arena_take(to->arena, &from->own);
	ps_arena_take(&to->keys, &from->keys);
	ps_arena_release(&from->scratch);
	ps_map_release(&from->t);
	ps_vec_release(&from->bs);
	ps_vec_release(&from->firsts);
}

static size_t shares_for(const struct ps_view *d)
{
	size_t min = d->opts.split_min ? d->opts.split_min : SPLIT_MIN_DEFAULT;
	size_t jobs = d->opts.jobs < MAX_SHARES ? d->opts.jobs : MAX_SHARES;
	size_t fit = d->n_gs / min;
	size_t n = fit < jobs ? fit : jobs;
	return n ? n : 1;
}

void av_group(struct ps_view *d, bool exact)
{
	struct share sh[MAX_SHARES];
	size_t n = shares_for(d), nfirst;

	for (size_t k = 0; k < n; k++) {
		sh[k] = (struct share){ .d = d, .exact = exact,
					.from = d->n_gs * k / n, .to = d->n_gs * (k + 1) / n };
		sh[k].arena = k ? &sh[k].own : &d->arena;
		ps_vec_init(&sh[k].bs, sizeof(struct building *));
		ps_vec_init(&sh[k].firsts, sizeof(size_t));
	}
	/* a thread that cannot start leaves its share to this one */
	for (size_t k = 1; k < n; k++)
		sh[k].started = pthread_create(&sh[k].tid, NULL, share_thread, &sh[k]) == 0;
	group_share(&sh[0]);
	for (size_t k = 1; k < n; k++) {
		if (sh[k].started)
			pthread_join(sh[k].tid, NULL);
		else
			group_share(&sh[k]);
		join_share(&sh[0], &sh[k]);
	}
	size_t *first = ps_vec_finish(&sh[0].firsts, &d->arena, &nfirst);
	finish_groups(d, &sh[0].bs, first);
	ps_vec_release(&sh[0].firsts);
	ps_vec_release(&sh[0].bs);
	ps_arena_release(&sh[0].keys);
	ps_arena_release(&sh[0].scratch);
	ps_map_release(&sh[0].t);
}

const struct ps_frame *av_site(const struct av_paths *p,
			       const struct ps_goroutine *g)
{
	const struct ps_frame *dep = NULL;

	for (size_t i = 0; i < g->stack.n_frames; i++) {
		const struct ps_frame *f = &g->stack.frames[i];
		enum ps_view_class c = av_class(p, f->func, f->file, f->kind);
		if (c == PS_VIEW_USER)
			return f;
		if (c == PS_VIEW_DEP && !dep)
			dep = f;
	}
	if (dep)
		return dep;
	/* standard library only: the entry function says what it is
	 * (runtime.forcegchelper, net/http.(*conn).serve), not gopark */
	size_t n = g->stack.n_frames;
	if (n > 1 && g->stack.frames[n - 1].func &&
	    strcmp(g->stack.frames[n - 1].func, "runtime.goexit") == 0)
		n--;
	return n ? &g->stack.frames[n - 1] : NULL;
}

bool ps_view_state_blocked(const char *state)
{
	static const char *const busy[] = {
		"running", "runnable", "syscall", "idle", "dead", "copystack",
		"preempted", "moribund", "enqueue", "???", "",
	};

	if (!state)
		return false;
	for (size_t i = 0; i < sizeof(busy) / sizeof(busy[0]); i++)
		if (strcmp(state, busy[i]) == 0)
			return false;
	return true;
}

const char *ps_view_header_labels(const char *extra, bool all)
{
	const char *l;

	if (!extra)
		return NULL;
	extra += strspn(extra, " ");
	if (all)
		return extra[0] ? extra : NULL;
	if ((l = strstr(extra, "labels:{")))
		return l;
	return strchr(extra, '{');
}
