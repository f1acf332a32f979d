/* goroutine.c - goroutine headers, frames, file lines, created-by and
 * ancestor blocks. */
#include <ctype.h>
#include <stdlib.h>

#include "ps_parse_int.h"

const char *ps_p_intern(struct ps_parser *p, const char *s, size_t n)
{
	return ps_intern_str(p->doc->names, s, n);
}

static const char *intern_name(struct ps_parser *p, const char *s, size_t n);

static uint32_t count_file_lines(const struct ps_goroutine *g)
{
	uint32_t n = g->created_by && g->created_by->file[0];
	for (size_t i = 0; i < g->stack.n_frames; i++)
		n += g->stack.frames[i].has_file;
	return n;
}

/* ---- goroutine header ---- */

struct ghdr {
	uint64_t id, gp, mp;
	bool id_overflow;           /* id printed with more than 64 bits */
	int m;
	const char *br, *br_end;     /* status text inside [ ] */
	const char *extra, *extra_end;
};

/* "goroutine 7 [chan receive, 3 minutes]:", with Go 1.22 gp=/m=/mp=
 * fields and Go 1.27 labels after the bracket. */
static bool parse_header(const char *s, size_t n, struct ghdr *h)
{
	struct ps_cursor c = cur_make(s, n);
	memset(h, 0, sizeof(*h));
	h->m = -1;
	if (!cur_skip(&c, "goroutine "))
		return false;
	if (!ps_cur_dec_u64(&c, &h->id)) {
		/* more digits than 64 bits hold: still a header, flagged */
		size_t k = 0;
		while (k < cur_left(&c) && c.p[k] >= '0' && c.p[k] <= '9')
			k++;
		if (!k)
			return false;
		c.p += k;
		c.bad = false;
		h->id = UINT64_MAX;
		h->id_overflow = true;
	}
	h->extra = c.p;
	for (;;) {
		uint64_t v;
		if (cur_skip(&c, " gp=") && ps_cur_hex_u64(&c, &v))
			h->gp = v;
		else if (cur_skip(&c, " mp=") && ps_cur_hex_u64(&c, &v))
			h->mp = v;
		else if (cur_skip(&c, " m=") && (cur_skip(&c, "nil") ||
						 (ps_cur_dec_u64(&c, &v) && (h->m = (int)v) >= 0)))
			;
		else
			break;
	}
	if (c.bad)
		return false;
	h->extra_end = c.p;
	if (!cur_skip(&c, " ["))
		return false;
	h->br = c.p;
	/* The status ends at the last ']' before the final ':'. */
	if (n < 2 || s[n - 1] != ':')
		return false;
	const char *close = NULL;
	for (const char *q = s + n - 2; q >= c.p; q--)
		if (*q == ']') {
			close = q;
			break;
		}
	if (!close)
		return false;
	h->br_end = close;
	if (close + 1 < s + n - 1) { /* labels outside the bracket (1.27) */
		h->extra = close + 1;
		h->extra_end = s + n - 1;
	}
	return true;
}

bool ps_p_is_goroutine_header(const char *s, size_t n)
{
	struct ghdr h;
	return n > 12 && s[0] == 'g' && parse_header(s, n, &h);
}

/* The first ", " in [S, E), or NULL: by memchr, as most statuses have no
 * comma at all (memmem cost a hundred instructions a header). */
static const char *comma_at(const char *s, const char *e)
{
	for (const char *c; s < e && (c = memchr(s, ',', (size_t)(e - s))); s = c + 1)
		if (c + 1 < e && c[1] == ' ')
			return c;
	return NULL;
}

/* Splits "chan receive (scan), 3 minutes, locked to thread" into the
 * goroutine's fields.  Labels (1.26) may hold commas: cut them first. */
static void parse_status(struct ps_parser *p, const char *s, const char *e,
			 struct ps_goroutine *g)
{
	/* nearly every status has no '{': no labels either */
	const char *lab = memchr(s, '{', (size_t)(e - s)) ?
		memmem(s, (size_t)(e - s), " labels:{", 9) : NULL;
	const char *end = lab ? lab : e;
	const char *comma = comma_at(s, end);
	const char *st_end = comma ? comma : end;

	if (ps_mem_ends(s, (size_t)(st_end - s), " (scan)")) {
		g->scan = true;
		st_end -= 7;
	}
	g->state = intern_name(p, s, (size_t)(st_end - s));
	while (comma) {
		const char *f = comma + 2;
		comma = comma_at(f, end);
		const char *fe = comma ? comma : end;
		struct ps_cursor c = cur_make(f, (size_t)(fe - f));
		uint64_t v;
		if (ps_cur_dec_u64(&c, &v) && (cur_skip(&c, " minutes") ||
					       cur_skip(&c, " minute")))
			g->wait_minutes = v > 1000000000 ? 1000000000 : (int)v;
		else if (ps_mem_starts(f, (size_t)(fe - f), "locked to thread"))
			g->locked_to_thread = true;
	}
	if (lab)
		g->header_extra = ps_arena_strndup(&p->dump->arena, lab + 1,
						   (size_t)(e - lab - 1));
}

static void gb_begin(struct ps_parser *p, uint32_t line)
{
	struct gbuild *gb = &p->gb;
	memset(&gb->g, 0, sizeof(gb->g));
	gb->open = true;
	gb->in_ancestor = false;
	gb->g.wait_minutes = -1;
	gb->g.m = -1;
	gb->g.state = gb->g.header_extra = "";
	memset(&gb->rare, 0, sizeof(gb->rare));
	gb->g.src_line = line;
	p->gb.frames.len = 0;
	p->gb.args.len = 0;
	p->gb.ancestors.len = 0;
}

/* The home slot of KEY in the id set.  Ids of a dump come mostly in
 * runs (1, 2, 3, ...): eight neighbours share one hashed block of
 * eight slots, one cache line, so a run of new ids walks memory in
 * order, and blocks still spread as a hash spreads them. */
static size_t id_home(uint64_t key, size_t mask)
{
	uint64_t b = (key >> 3) * 0x9e3779b97f4a7c15ULL;
	return (size_t)((b ^ b >> 29) << 3 | (key & 7)) & mask;
}

/* KEY (an id plus one) into the hash set, which has room. */
static bool idset_put(struct ps_parser *p, uint64_t key)
{
	size_t j = id_home(key, p->idset_mask);
	for (; p->idset[j]; j = (j + 1) & p->idset_mask)
		if (p->idset[j] == key)
			return true;
	p->idset[j] = key;
	p->idset_count++;
	return false;
}

/* The hash set at MASK + 1 slots, holding its ids the bitmap does not
 * cover (the others get their bit). */
static void idset_rebuild(struct ps_parser *p, size_t mask)
{
	uint64_t *old = p->idset;
	size_t old_mask = p->idset_mask;
	p->idset = ps_xcalloc(mask + 1, sizeof(*p->idset));
	p->idset_mask = mask;
	p->idset_count = 0;
	for (size_t i = 0; old && i <= old_mask; i++) {
		uint64_t id = old[i] - 1;
		if (!old[i])
			continue;
		if (id < p->idbits_n)
			p->idbits[id >> 6] |= (uint64_t)1 << (id & 63);
		else
			idset_put(p, old[i]);
	}
	free(old);
}

/* Ids of a dump are mostly 1..N: a bit each, not a hashed slot of 8
 * bytes at half load.  The bitmap covers ID when that costs at most 8
 * bytes an id seen (so memory still follows the ids); above it, and
 * for sparse ids, the hash set. */
static bool idbits_cover(struct ps_parser *p, uint64_t id)
{
	size_t n = p->idbits_n ? p->idbits_n : 4096;
	while (n <= id && n < ((size_t)1 << 40))
		n *= 2;
	if (n <= id || n / 8 > (p->ids_count + 1) * 8 + 8192)
		return false;
	p->idbits = ps_xrealloc(p->idbits, n / 8);
	memset((char *)p->idbits + p->idbits_n / 8, 0, (n - p->idbits_n) / 8);
	p->idbits_n = n;
	if (p->idset_count) /* ids now covered move to their bits */
		idset_rebuild(p, p->idset_mask);
	return true;
}

/* A goroutine id already seen in the open dump means a second dump
 * (e.g. two runtime.Stack outputs back to back). */
static bool id_seen(struct ps_parser *p, uint64_t id)
{
	if (id < p->idbits_n || idbits_cover(p, id)) {
		uint64_t *w = &p->idbits[id >> 6], bit = (uint64_t)1 << (id & 63);
		bool seen = *w & bit;
		*w |= bit;
		p->ids_count += !seen;
		return seen;
	}
	if (!p->idset || p->idset_count * 2 >= p->idset_mask)
		idset_rebuild(p, p->idset ? p->idset_mask * 2 + 1 : 1023);
	bool seen = idset_put(p, id + 1); /* 0 marks an empty slot */
	p->ids_count += !seen;
	return seen;
}

void ps_p_ids_clear(struct ps_parser *p)
{
	p->idset_count = p->ids_count = 0;
	if (p->idset)
		memset(p->idset, 0, (p->idset_mask + 1) * sizeof(*p->idset));
	if (p->idbits)
		memset(p->idbits, 0, p->idbits_n / 8);
}

bool ps_p_id_seen(struct ps_parser *p, uint64_t id)
{
	return id_seen(p, id);
}

bool ps_p_id_known(const struct ps_parser *p, uint64_t id)
{
	uint64_t key = id + 1;
	if (id < p->idbits_n)
		return p->idbits[id >> 6] >> (id & 63) & 1;
	if (!p->idset)
		return false;
	size_t j = id_home(key, p->idset_mask);
	for (; p->idset[j]; j = (j + 1) & p->idset_mask)
		if (p->idset[j] == key)
			return true;
	return false;
}

/* A repeated id inside a crash dump, with no foreign line since the
 * dump's last line, is the runtime printing one goroutine twice (Go
 * issue 7725): a crash dump begins with its panic/fatal/signal line, so
 * a bare header cannot start the next one.  Plain goroutine dumps
 * (runtime.Stack output) do follow each other back to back. */
static bool dup_in_dump(const struct ps_parser *p)
{
	return p->dump->kind != PS_DUMP_GOROUTINES && p->last_skip <= p->last_good;
}

bool ps_p_goroutine_header(struct ps_parser *p, const char *s, size_t n)
{
	struct ghdr h;
	if (n < 13 || s[0] != 'g' || !parse_header(s, n, &h))
		return false;
	ps_p_end_goroutine(p);
	bool repeat = p->dump && h.id != 0 && !h.id_overflow && id_seen(p, h.id);
	/* GOTRACEBACK=crash repeats a block per thread after "-----": a
	 * goroutine seen again there is the same goroutine, not a new dump. */
	/* Two threads throwing at once can print one goroutine twice in a
	 * row (concurrent map writes): also the same dump. */
	bool again = repeat && (p->per_m_blocks || (p->goroutines.len &&
		((struct ps_goroutine *)ps_vec_at(&p->goroutines,
						  p->goroutines.len - 1))->id == h.id));
	if (repeat && !again && dup_in_dump(p)) {
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_DUPLICATE_ID,
			.line = p->lineno, .goroutine = h.id, .has_goroutine = true });
		repeat = false;
	}
	if (repeat && !again)
		ps_p_end_dump(p);
	if (again && !p->per_m_blocks) {
		/* keep whichever copy has the stack */
		struct ps_goroutine *prev = ps_vec_at(&p->goroutines, p->goroutines.len - 1);
		if (prev->no_stack || !prev->stack.n_frames) {
			p->dump->repeated_goroutines++;
			p->dump->repeated_file_lines += count_file_lines(prev);
			p->goroutines.len--;
			again = false;
		}
	}
	if (!p->dump) {
		ps_p_open_dump(p, PS_DUMP_GOROUTINES);
		id_seen(p, h.id);
	}
	gb_begin(p, p->lineno);
	if (h.id_overflow)
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_NUMBER_OVERFLOW,
			.line = p->lineno });
	p->gb.discard = again;
	struct ps_goroutine *g = &p->gb.g;
	g->id = h.id;
	g->has_id = !h.id_overflow;
	g->has_header = true;
	g->m = h.m;
	if (h.extra_end > h.extra)
		g->header_extra = ps_arena_strndup(&p->dump->arena, h.extra,
						   (size_t)(h.extra_end - h.extra));
	parse_status(p, h.br, h.br_end, g);
	p->st = ST_GOROUTINE;
	return true;
}

void ps_p_begin_headerless(struct ps_parser *p, const char *role, bool crashed)
{
	ps_p_end_goroutine(p);
	gb_begin(p, p->lineno);
	p->gb.rare.role = role[0] ? role : NULL; /* "": none, as the default */
	p->gb.g.crashed = crashed;
}

/* ---- frames ---- */

static struct ps_stack *cur_stack(struct ps_parser *p)
{
	struct gbuild *gb = &p->gb;
	if (gb->in_ancestor && gb->ancestors.len)
		return &((struct ps_ancestor *)ps_vec_at(&gb->ancestors,
							 gb->ancestors.len - 1))->stack;
	return &gb->g.stack;
}

/* The frame being built last (there is one): the vector's last slot,
 * read directly, as every file line and frame line asks for it. */
static inline struct ps_frame *last_frame(const struct ps_parser *p)
{
	return (struct ps_frame *)p->gb.frames.data + p->gb.frames.len - 1;
}

/* A copy of F, with argument text ARGS, at the end of the vectors:
 * stored as one struct while there is room (a frame line each;
 * ps_vec_push's memset cost more than the frame's four words), else
 * through ps_vec_push. */
static inline struct ps_frame *push_frame_as(struct ps_parser *p, const struct ps_frame *f,
					     const char *args)
{
	struct ps_vec *v = &p->gb.frames, *a = &p->gb.args;
	struct ps_frame *slot = v->len == v->cap ? ps_vec_push(v)
						  : (struct ps_frame *)v->data + v->len++;
	*slot = *f;
	if (a->len == a->cap)
		*(const char **)ps_vec_push(a) = args;
	else
		((const char **)a->data)[a->len++] = args;
	return slot;
}

static inline struct ps_frame *push_frame(struct ps_parser *p, const char *args)
{
	static const struct ps_frame zero;
	return push_frame_as(p, &zero, args);
}

/* 16 bytes: one per distinct call stack, created-by and rare record. */
struct stack_entry {
	void *frames;
	uint32_t hash;          /* the low half of the hash */
	uint32_t n;             /* bytes */
};

/* A NULL table is freed too: ps_big_free takes NULL at any size. */
void ps_p_stacks_free(struct ps_parser *p)
{
	ps_big_free(p->stacks, (p->stacks_mask + 1) * sizeof(*p->stacks));
	p->stacks = NULL;
}

static void stacks_grow(struct ps_parser *p)
{
	size_t nm = p->stacks ? p->stacks_mask * 2 + 1 : 1023;
	struct stack_entry *ns = ps_big_alloc((nm + 1) * sizeof(*ns));
	for (size_t i = 0; p->stacks && i <= p->stacks_mask; i++) {
		size_t j = p->stacks[i].hash & nm;
		if (!p->stacks[i].frames)
			continue;
		while (ns[j].frames)
			j = (j + 1) & nm;
		ns[j] = p->stacks[i];
	}
	ps_p_stacks_free(p);
	p->stacks = ns;
	p->stacks_mask = nm;
}

/* Frames arrays at least this big are not copied when they are new:
 * the vector's own buffer joins the arena (one copy of a huge stack). */
#define STEAL_BYTES (256 * 1024)

/* The hash of a shared struct's BYTES (a whole number of words in
 * practice): four lanes, so the multiplies of neighbouring words overlap
 * instead of each waiting for the last (a frames array is some thirty
 * words, hashed once per goroutine).  Only this table sees it. */
static uint64_t share_hash(const void *f, size_t bytes)
{
	const unsigned char *s = f, *e = s + bytes;
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t a = PS_HASH_SEED, b = a ^ k, c = a + k, d = bytes, w[4];
	for (; e - s >= 32; s += 32) {
		/* word by word: one 32-byte copy went through the stack */
		memcpy(&w[0], s, 8);
		memcpy(&w[1], s + 8, 8);
		memcpy(&w[2], s + 16, 8);
		memcpy(&w[3], s + 24, 8);
		a = (a ^ w[0]) * k;
		b = (b ^ w[1]) * k;
		c = (c ^ w[2]) * k;
		d = (d ^ w[3]) * k;
		a ^= a >> 31;
		b ^= b >> 31;
		c ^= c >> 31;
		d ^= d >> 31;
	}
	memset(w, 0, sizeof(w));
	memcpy(w, s, (size_t)(e - s));
	a = (a ^ w[0]) * k;
	b = (b ^ w[1]) * k;
	c = (c ^ w[2]) * k;
	d = (d ^ w[3]) * k;
	uint64_t h = a ^ b * 0xc2b2ae3d27d4eb4fULL;
	h = ((h ^ h >> 31) ^ c) * k;
	h = ((h ^ h >> 31) ^ d) * 0xd6e8feb86659fd93ULL;
	return h ^ h >> 32;
}

/* The entry of the BYTES at F (a frames array, a created-by): the one
 * holding an equal copy, else the empty one that will (hash and size
 * filled in).  Compared as bytes: the structs are zeroed before they
 * are filled, so padding is zero, and every string in them is interned. */
static struct stack_entry *share_find(struct ps_parser *p, const void *f, size_t bytes)
{
	if (bytes > UINT32_MAX)
		return NULL; /* a stack of 89 million frames is not shared */
	uint32_t h = (uint32_t)share_hash(f, bytes);
	if (!p->stacks || p->stacks_count * 2 >= p->stacks_mask)
		stacks_grow(p);
	size_t j = h & p->stacks_mask;
	for (; p->stacks[j].frames; j = (j + 1) & p->stacks_mask) {
		struct stack_entry *e = &p->stacks[j];
		if (e->hash == h && e->n == bytes && !memcmp(e->frames, f, bytes))
			return e;
	}
	struct stack_entry *e = &p->stacks[j];
	e->hash = h;
	e->n = (uint32_t)bytes;
	return e;
}

/* The stored copy of the BYTES at F, or a new one, taken from FROM (F's
 * vector, or NULL) when it is big. */
static void *share_mem(struct ps_parser *p, const void *f, size_t bytes,
		       struct ps_vec *from)
{
	struct stack_entry *e = share_find(p, f, bytes);
	void *copy;
	if (e && e->frames)
		return e->frames;
	if (from && bytes >= STEAL_BYTES) {
		size_t n;
		copy = ps_vec_steal(from, &p->doc->shared, &n);
	} else {
		copy = ps_arena_memdup(&p->doc->shared, f, bytes);
	}
	if (e) {
		e->frames = copy;
		p->stacks_count++;
	}
	return copy;
}

void *ps_p_share(struct ps_parser *p, const void *f, size_t bytes)
{
	return share_mem(p, f, bytes, NULL);
}

void *ps_p_share_kept(struct ps_parser *p, void *f, size_t bytes)
{
	struct stack_entry *e = share_find(p, f, bytes);
	if (!e)
		return f;
	if (!e->frames) {
		e->frames = f;
		p->stacks_count++;
	}
	return e->frames;
}

static struct ps_frame *share_frames(struct ps_parser *p, const struct ps_frame *f, size_t n);
static const char *const *share_args(struct ps_parser *p, const char *const *a, size_t n);

/* A builder's vector whose room is a huge stack's: given back, so one
 * deep goroutine does not keep its room for the rest of the input. */
static void shrink_huge(struct ps_vec *v)
{
	if (v->cap * v->elem >= STEAL_BYTES) {
		size_t elem = v->elem;
		ps_vec_release(v);
		ps_vec_init(v, elem);
	}
}

/* Moves the collected frames and their argument texts into the stack
 * they belong to. */
static void flush_frames(struct ps_parser *p)
{
	struct ps_stack *st = cur_stack(p);
	size_t n = p->gb.frames.len;
	if (n) {
		st->frames = share_frames(p, p->gb.frames.data, n);
		st->args = share_args(p, p->gb.args.data, n);
		st->n_frames = (uint32_t)n; /* n < input lines, a uint32_t */
	}
	p->gb.frames.len = p->gb.args.len = 0;
	shrink_huge(&p->gb.frames);
	shrink_huge(&p->gb.args);
}

/* A bare name that nothing confirmed as a C frame was junk. */
void ps_p_drop_tentative(struct ps_parser *p)
{
	if (!p->c_tentative)
		return;
	p->c_tentative = false;
	ps_p_skip_line(p, p->c_line);
	p->gb.frames.len--;
	p->gb.args.len--;
	p->st = ST_GOROUTINE;
}

static struct ps_created_by *share_created_by(struct ps_parser *p,
					      const struct ps_created_by *cb);

void ps_p_end_goroutine(struct ps_parser *p)
{
	struct gbuild *gb = &p->gb;
	if (!gb->open)
		return;
	ps_p_drop_tentative(p);
	if (p->st == ST_FILE || p->st == ST_CREATED)
		gb->g.truncated = true;
	flush_frames(p);
	if (gb->g.created_by)
		gb->g.created_by = share_created_by(p, gb->g.created_by);
	if (gb->g.has_header && !gb->g.stack.n_frames && !gb->g.no_stack)
		gb->g.truncated = true; /* a header with no stack under it */
	gb->rare.ancestors = ps_vec_finish(&gb->ancestors, &p->dump->arena,
					   &gb->rare.n_ancestors);
	gb->g.rare = NULL;
	if (gb->rare.role || gb->rare.count > 1 || gb->rare.n_ancestors)
		gb->g.rare = share_mem(p, &gb->rare, sizeof(gb->rare), NULL);
	if (!gb->discard) {
		*(struct ps_goroutine *)ps_vec_push(&p->goroutines) = gb->g;
	} else {
		p->dump->repeated_goroutines++;
		p->dump->repeated_file_lines += count_file_lines(&gb->g);
	}
	gb->discard = false;
	gb->open = false;
	gb->in_ancestor = false;
}

/* "f(...)": Go elided the arguments of an inlined call. */
static bool args_inlined(const char *args, size_t n)
{
	return n == 3 && memcmp(args, "...", 3) == 0;
}

/* Go 1.17+'s argument form: "{...}" groups and "?" stale values. */
static bool args_structured(const char *args, size_t n)
{
	return !args_inlined(args, n) && (memchr(args, '{', n) || memchr(args, '?', n));
}

/* A new frame NAME(ARGS); *STRUCTURED: the args are Go 1.17+'s form
 * (the frame memo keeps that, found by two memchr). */
static struct ps_frame *add_frame(struct ps_parser *p, const char *name, size_t name_n,
				  const char *args, size_t args_n, bool *structured)
{
	/* interned: the same argument text recurs across goroutines */
	struct ps_frame *f = push_frame(p, ps_p_intern(p, args, args_n));
	f->func = intern_name(p, name, name_n);
	f->file = "";
	f->inlined = args_inlined(args, args_n);
	*structured = args_structured(args, args_n);
	if (*structured)
		p->dump->structured_args = true;
	return f;
}

struct ps_frame *ps_p_add_frame(struct ps_parser *p, const char *name,
				size_t name_n, const char *args, size_t args_n)
{
	bool structured;
	return add_frame(p, name, name_n, args, args_n, &structured);
}

/* Has one of the N >= 8 bytes at S a value below 0x21 (a space, a TAB,
 * a control byte)?  A word at a time: names are some forty bytes, and
 * every frame line parsed anew and created-by line has one. */
static bool name_stops(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL;
	for (size_t i = 0;; i += 8) {
		uint64_t w;
		memcpy(&w, s + (i + 8 <= n ? i : n - 8), 8); /* the last overlaps */
		/* a byte below 0x21 sets its top bit (bytes after it may too) */
		if ((w - ones * 0x21) & ~w & ones * 0x80)
			return true;
		if (i + 8 >= n)
			return false;
	}
}

/* A name is one token, except that type arguments and race-report
 * shapes ("go.shape.struct { a int }") may hold spaces inside [ ]. */
static bool plausible_name(const char *s, size_t n)
{
	int depth = 0;
	if (!n || s[0] == ' ' || s[0] == '\t' || s[0] == '(')
		return false;
	/* with no byte that could end a token, brackets change nothing */
	if (n >= 8 && !name_stops(s, n))
		return true;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '[')
			depth++;
		else if (ch == ']')
			depth--;
		else if ((ch == ' ' || ch == '\t' || ch < 0x20) && depth <= 0)
			return false;
	}
	return true;
}

/* Splits a function line "name(args)" (after Go 1.1's "[fp=..] "):
 * *S and *N are moved past that prefix, *OPEN is the '(' index. */
static bool split_frame(const char **s, size_t *n, size_t *open)
{
	int depth = 0;
	*open = 0;
	if (ps_mem_starts(*s, *n, "[fp=")) { /* Go 1.1 metadata prefix */
		const char *sp = memchr(*s, ' ', *n);
		if (!sp)
			return false;
		*n -= (size_t)(sp + 1 - *s);
		*s = sp + 1;
	}
	if (*n < 3 || (*s)[*n - 1] != ')')
		return false;
	/* Nearly every argument list holds no parenthesis: then the last
	 * '(' is the match, found by two vectorised scans, not a byte loop. */
	const char *last = memrchr(*s, '(', *n - 1);
	if (last && !memchr(last + 1, ')', (size_t)(*s + *n - 1 - (last + 1)))) {
		*open = (size_t)(last - *s);
		return *open && plausible_name(*s, *open);
	}
	for (size_t i = *n; i-- > 0;) {
		if ((*s)[i] == ')')
			depth++;
		else if ((*s)[i] == '(' && --depth == 0) {
			*open = i;
			break;
		}
	}
	return *open && plausible_name(*s, *open);
}

bool ps_p_is_frame_line(const char *s, size_t n)
{
	size_t open;
	return split_frame(&s, &n, &open);
}

/* fp=/sp=/pc= of a file line. */
struct frame_meta {
	uint64_t fp, sp, pc;
	bool has_fp, has_sp, has_pc;
};

struct fileref {
	const char *file;
	size_t file_n;
	uint32_t line;
	uint64_t off;
	bool has_off, has_file;
	bool overflow;          /* line or +0x offset larger than Go prints */
	bool foreign;           /* a token after file:line Go does not print */
	struct frame_meta meta;
};

/* ---- memos of recent lines ----
 * The goroutines of one pool print the same frame lines, and the same
 * file line under a function, byte for byte: each is parsed once and
 * found again by a hash of the line.  A memo entry keeps only what the
 * parse gave (interned strings), and a hit is checked by comparing the
 * line with them, so a hit is the very line that was parsed.  The
 * tables are small and fixed: memory does not grow with the input. */

#define MEMO_FRAMES 1024        /* frame lines (a power of two) */
#define MEMO_FILES 1024         /* file-line heads, by function */
#define MEMO_WAYS 16            /* heads one function's slot set holds */
#define MEMO_HEAD 160           /* longest file-line head kept */
#define MEMO_HINTS 1024         /* last-hit hints (a power of two) */
#define MEMO_CB_BITS 6          /* shared created-bys: 1 << this many */
#define MEMO_STACK_BITS 8       /* shared frames arrays: 1 << this many */

/* The longest frame line a memo entry keeps a copy of: a hit is one
 * compare with the entry, in the memo's own few cache lines, not two
 * with interned strings spread over the document's table. */
#define MEMO_LINE 128

struct frame_memo {
	/* the frame the line gave, as pushed (func NULL: empty), copied
	 * whole into a hit's slot */
	struct ps_frame frame;
	const char *args;       /* its argument text, interned */
	uint32_t func_len, args_len;
	uint32_t len;           /* the line's: func_len + args_len + 2 */
	bool structured;        /* the args have '{' or '?' */
	char text[MEMO_LINE];   /* the line, when it fits */
};

/* The "pc=0x.." token last read under a head, and its value: a head
 * (function, file, line, offset) nearly always prints the same pc, and
 * reading its hex digits was a twentieth of a big dump's instructions. */
#define MEMO_PC 24              /* longest pc token kept */
struct pc_memo {
	uint64_t pc;
	uint8_t len;            /* 0: empty */
	/* the fp= and sp= tokens' lengths when the last tail read under
	 * the head was " fp=.. sp=.. pc=.." with this pc (0: not known) */
	uint8_t fp_len, sp_len;
	/* the length such a tail has (0: none noted), one compare */
	uint16_t tail_len;
	char text[MEMO_PC];
};

struct head_memo {
	const char *file;       /* interned */
	struct fileref fr;      /* the parse of the head */
	uint32_t len;
	uint32_t way;           /* its own index in the memo */
	struct pc_memo pc;
	char text[MEMO_HEAD];
};

/* A recent name (function, state) and its interned copy: few distinct
 * names, printed over and over, each hashed and looked up in the
 * document's big table otherwise. */
#define MEMO_NAMES 256          /* a power of two */
struct name_memo {
	const char *s;          /* interned; NULL: empty */
	size_t n;
};

/* A created-by line and what it names: a dump's goroutines name a few
 * creators in a few parents, over and over. */
#define MEMO_CREATED 16         /* a power of two */
struct created_memo {
	const char *func;       /* interned; NULL: empty */
	uint64_t goroutine;
	bool has_goroutine;
	uint32_t len;
	char text[MEMO_LINE];
};

struct ps_line_memo {
	struct frame_memo frames[MEMO_FRAMES];
	struct name_memo names[MEMO_NAMES];
	struct created_memo created[MEMO_CREATED];
	/* the function each head was under (NULL: empty), apart from the
	 * heads, so a set's ways are looked over in two cache lines */
	const char *head_func[MEMO_FILES];
	struct head_memo heads[MEMO_FILES];
	/* by function address and the heads of the two lines before: the
	 * way of its last hit, plus one (0: none), looked at before its sets,
	 * where a function sharing them with others finds its head some
	 * ten ways in */
	uint16_t hint[MEMO_HINTS];
	/* the way of the last file line's head, plus one (0: none): the
	 * callee's line predicts the caller's (a function called from
	 * several places, a creator starting goroutines at ten sites) */
	uint16_t last_head;
	uint16_t prev_head;     /* the one before: goroutines of all pools
				 * end in runtime.goexit's one head, and the
				 * created-by after it goes by the frame above */
	/* shared created-bys by function and line: the goroutines of a
	 * pool have equal ones, compared in six words, not hashed whole */
	const struct ps_created_by *cbs[1 << MEMO_CB_BITS];
	/* shared frames arrays by length and a few of their frames' names
	 * and lines: a pool's goroutines have equal calls, compared whole,
	 * not hashed whole */
	const struct ps_frame *stacks[1 << MEMO_STACK_BITS];
	uint64_t stack_key[1 << MEMO_STACK_BITS];
	size_t stack_n[1 << MEMO_STACK_BITS];
	/* argument arrays by their words' hash: goroutines in a row with the
	 * same argument lists (a pool parked on one channel) share one */
	const char *const *argv[1 << MEMO_STACK_BITS];
	uint64_t argv_key[1 << MEMO_STACK_BITS];
	size_t argv_n[1 << MEMO_STACK_BITS];
	unsigned victim;        /* the way a full set gives up next */
};

/* The memos, made once the input has had MEMO_AFTER frame lines: a
 * small log (triage reads thousands) never pays for clearing them.
 * Cleared by writing (ps_big_alloc), not calloc: calloc's fresh pages
 * are the zero page until the first write to each, and that write's
 * fault flushed the page from the other core with --jobs, an interrupt
 * each (75 of a 2-thread run's 209 on the bench dump). */
#define MEMO_AFTER 512

static struct ps_line_memo *memo(struct ps_parser *p)
{
	if (!p->memo && ++p->memo_wait >= MEMO_AFTER)
		p->memo = ps_big_alloc(sizeof(*p->memo));
	return p->memo;
}

void ps_p_memo_end_dump(struct ps_parser *p)
{
	if (p->memo)
		memset(p->memo->argv_n, 0, sizeof(p->memo->argv_n));
}

void ps_p_memo_free(struct ps_parser *p)
{
	ps_big_free(p->memo, sizeof(*p->memo));
	p->memo = NULL;
}

/* The shared copy of CB: the last one shared when it is equal (it is
 * the table's entry for those bytes, entries are never dropped), else
 * the table's.  Compared as bytes, as share_find does. */
static struct ps_created_by *share_created_by(struct ps_parser *p,
					      const struct ps_created_by *cb)
{
	struct ps_line_memo *lm = p->memo;
	/* the lines of one creator's go statements differ in a few low
	 * bits: multiplied up, the slot is the product's top bits */
	uint64_t key = ((uint64_t)(uintptr_t)cb->func ^ cb->line) * 0x9e3779b97f4a7c15ULL;
	const struct ps_created_by **slot = lm ? &lm->cbs[key >> (64 - MEMO_CB_BITS)] : NULL;
	if (slot && *slot && memcmp(*slot, cb, sizeof(*cb)) == 0)
		return (struct ps_created_by *)*slot;
	struct ps_created_by *copy = share_mem(p, cb, sizeof(*cb), NULL);
	if (slot)
		*slot = copy;
	return copy;
}

/* The shared copy of the N frames at F (the builder's vector): the
 * memo's when it is equal (the table's entry for those bytes, as with
 * created-bys), else the table's.  The slot's key reads three frames'
 * interned names and a line, not every byte: a wrong guess costs one
 * memcmp, stopped at the first difference. */
static struct ps_frame *share_frames(struct ps_parser *p, const struct ps_frame *f, size_t n)
{
	struct ps_line_memo *lm = p->memo;
	const struct ps_frame *mid = &f[n / 2], *last = &f[n - 1];
	uint64_t key = ((uint64_t)n ^ (uint64_t)(uintptr_t)f->func ^
			(uint64_t)(uintptr_t)mid->func * 0xc2b2ae3d27d4eb4fULL ^
			(uint64_t)(uintptr_t)last->func * 0x165667b19e3779f9ULL ^
			(uint64_t)mid->line << 32) * 0x9e3779b97f4a7c15ULL;
	size_t slot = (size_t)(key >> (64 - MEMO_STACK_BITS));
	/* the whole key first: a slot's other stacks mostly differ in it */
	if (lm && lm->stack_key[slot] == key && lm->stack_n[slot] == n &&
	    memcmp(lm->stacks[slot], f, n * sizeof(*f)) == 0)
		return (struct ps_frame *)lm->stacks[slot];
	struct ps_frame *copy = share_mem(p, f, n * sizeof(*f), &p->gb.frames);
	if (lm) {
		lm->stacks[slot] = copy;
		lm->stack_key[slot] = key;
		lm->stack_n[slot] = n;
	}
	return copy;
}

/* The argument array of a stack: the N interned texts at A (the
 * builder's vector; every frame pushed has one).  Equal arrays are
 * shared through the memo only, not the share table: most goroutines'
 * lists differ in their words (pointers, lengths), so a table of arrays
 * that never come back cost a cache miss per goroutine, while the runs
 * of equal lists a pool prints, where the memory would go, are what the
 * memo finds.  An equal array elsewhere in the dump may be a copy.  The
 * arrays are the dump's (its arena), not the document's like frames
 * arrays: a streamed dump's words go with it (ps_p_memo_end_dump). */
static const char *const *share_args(struct ps_parser *p, const char *const *a, size_t n)
{
	struct ps_line_memo *lm = p->memo;
	size_t bytes = n * sizeof(*a), slot = 0;
	uint64_t key = 0;
	if (lm) { /* a small log has no memo yet: nothing to hash for */
		key = share_hash(a, bytes);
		slot = (size_t)(key >> (64 - MEMO_STACK_BITS));
		if (lm->argv_key[slot] == key && lm->argv_n[slot] == n &&
		    memcmp(lm->argv[slot], a, bytes) == 0)
			return lm->argv[slot];
	}
	/* a stack outside any dump (none is kept, but be safe): the doc's */
	struct ps_arena *to = p->dump ? &p->dump->arena : &p->doc->shared;
	const char *const *copy;
	if (bytes >= STEAL_BYTES) {
		size_t len;
		copy = ps_vec_steal(&p->gb.args, to, &len);
	} else {
		copy = ps_arena_memdup(to, a, bytes);
	}
	if (lm) {
		lm->argv[slot] = copy;
		lm->argv_key[slot] = key;
		lm->argv_n[slot] = n;
	}
	return copy;
}

/* S interned, through the name memo once there is one.  A hit has S's
 * bytes and length, so it is the string the table holds. */
static const char *intern_name(struct ps_parser *p, const char *s, size_t n)
{
	if (!p->memo)
		return ps_p_intern(p, s, n);
	uint64_t a = 0, b = 0;
	memcpy(&a, s, n < 8 ? n : 8);
	if (n > 8)
		memcpy(&b, s + n - 8, 8);
	struct name_memo *m = &p->memo->names[ps_map_home((a ^ b * 0x9e3779b97f4a7c15ULL) + n,
							   MEMO_NAMES - 1)];
	if (m->s && m->n == n && memcmp(m->s, s, n) == 0)
		return m->s;
	m->s = ps_p_intern(p, s, n);
	m->n = n;
	return m->s;
}

/* A line longer than the memo's copy: its name and arguments. */
static bool frame_hit_long(const struct frame_memo *m, const char *s, size_t n)
{
	return s[m->func_len] == '(' && s[n - 1] == ')' &&
	       memcmp(s, m->frame.func, m->func_len) == 0 &&
	       memcmp(s + m->func_len + 1, m->args, m->args_len) == 0;
}

/* Is S the line M holds?  Its length first, kept whole: most lines
 * another line's slot finds differ in it. */
static inline bool frame_hit(const struct frame_memo *m, const char *s, size_t n)
{
	if (n != m->len || !m->frame.func)
		return false;
	return n <= MEMO_LINE ? memcmp(s, m->text, n) == 0 : frame_hit_long(m, s, n);
}

static void frame_from_memo(struct ps_parser *p, const struct frame_memo *m)
{
	/* the frame as pushed then: five words, not four fields, one of
	 * them a bit-field */
	push_frame_as(p, &m->frame, m->args);
	if (m->structured)
		p->dump->structured_args = true;
}

/* The memo slot of a frame line: from its length and three of its
 * words (start, middle, end), as a hit is checked byte for byte anyway
 * and hashing the whole line cost a third of a hit. */
static inline size_t frame_slot(const char *s, size_t n)
{
	if (n < 16)
		return ps_map_home(ps_hash_bytes(s, n, PS_HASH_SEED), MEMO_FRAMES - 1);
	uint64_t a, b, c;
	memcpy(&a, s, 8);
	memcpy(&b, s + n / 2 - 4, 8);
	memcpy(&c, s + n - 8, 8);
	uint64_t h = a * 0x9e3779b97f4a7c15ULL ^ b * 0xc2b2ae3d27d4eb4fULL ^
		     (c + n) * 0x165667b19e3779f9ULL;
	return ps_map_home(h ^ h >> 29, MEMO_FRAMES - 1);
}

/* SET's second way, a hit, moved to the first.  Apart: its copies of
 * two 160-byte entries made frame_find save registers on every line. */
static PS_NOINLINE struct frame_memo *frame_promote(struct frame_memo *set)
{
	struct frame_memo t = set[0];
	set[0] = set[1];
	set[1] = t;
	return &set[0];
}

/* The memo of frame line S, or NULL; *NEW gets the entry a new line
 * goes to.  Two ways a set: a hit in the second moves to the first, and
 * a new line enters the second, so the lines seen only once (distinct
 * argument words) evict each other, not the lines every goroutine of a
 * pool prints. */
static struct frame_memo *frame_find(struct ps_line_memo *lm, const char *s, size_t n,
				     struct frame_memo **new)
{
	struct frame_memo *set = &lm->frames[frame_slot(s, n) & ~(size_t)1];
	*new = &set[1];
	if (frame_hit(&set[0], s, n))
		return &set[0];
	return frame_hit(&set[1], s, n) ? frame_promote(set) : NULL;
}

bool ps_p_known_frame_line(struct ps_parser *p, const char *s, size_t n)
{
	struct frame_memo *new;
	return p->memo && frame_find(p->memo, s, n, &new);
}

/* A frame line comes: the frame before it, if it waits for its file
 * line, lost it. */
static inline void frame_begins(struct ps_parser *p)
{
	if (p->st == ST_FILE && p->gb.frames.len)
		p->gb.g.truncated = true;
}

bool ps_p_frame_line(struct ps_parser *p, const char *s, size_t n)
{
	const char *line = s;
	size_t open, len = n;
	struct ps_line_memo *lm = memo(p);
	struct frame_memo *m = NULL, *hit = lm ? frame_find(lm, s, n, &m) : NULL;
	if (!hit && !split_frame(&s, &n, &open))
		return false;
	frame_begins(p);
	if (hit) {
		frame_from_memo(p, hit);
	} else {
		bool structured;
		struct ps_frame *f = add_frame(p, s, open, s + open + 1, n - open - 2, &structured);
		if (m && s == line && len == n) { /* no "[fp=..]" prefix: the line is func(args) */
			m->frame = *f;
			m->args = ((const char **)p->gb.args.data)[p->gb.args.len - 1];
			m->func_len = (uint32_t)open;
			m->args_len = (uint32_t)(n - open - 2);
			m->len = (uint32_t)n;
			m->structured = structured;
			if (n <= MEMO_LINE)
				memcpy(m->text, s, n);
		}
	}
	p->st = ST_FILE;
	return true;
}

/* Are the N bytes at A and B the same?  A pc token is 8 to 16 bytes:
 * two word compares.  No memcmp call even for other lengths: a call
 * makes the tail check save six registers on every line. */
static inline bool same_short(const char *a, const char *b, size_t n)
{
	uint64_t a1, a2, b1, b2;
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			if (a[i] != b[i])
				return false;
		return true;
	}
	memcpy(&a1, a, 8);
	memcpy(&b1, b, 8);
	memcpy(&a2, a + n - 8, 8);
	memcpy(&b2, b + n - 8, 8);
	for (size_t i = 8; a1 == b1 && i + 8 < n; i += 8) {
		memcpy(&a1, a + i, 8);
		memcpy(&b1, b + i, 8);
	}
	return a1 == b1 && a2 == b2;
}

/* One token after "file:line" other than fp= and sp= (file_tokens
 * takes those): " +0x1d", " pc=0x..".  Other tokens are marked foreign:
 * the parse ignores them, the wrap detector does not. */
static void file_token(const char *t, const char *e, struct fileref *fr,
		       struct pc_memo *pm)
{
	struct ps_cursor c = cur_make(t, (size_t)(e - t));
	uint64_t v;
	switch (t[0]) {     /* each form has its own first byte */
	case '+':
		c.p++;
		if (ps_cur_hex_u64(&c, &v) && !cur_left(&c)) {
			fr->off = v;
			fr->has_off = true;
			fr->overflow |= v > UINT32_MAX; /* a function is not 4 GB long */
			return;
		}
		if (c.bad && ps_mem_starts(t, (size_t)(e - t), "+0x")) {
			fr->overflow = true;    /* more hex digits than 64 bits */
			return;
		}
		break;
	case 'p':
		/* the same bytes parse the same: a hit is the token read then */
		if (pm && pm->len == (size_t)(e - t) && same_short(t, pm->text, pm->len)) {
			fr->meta.pc = pm->pc;
			fr->meta.has_pc = true;
			return;
		}
		if (cur_skip(&c, "pc=") && ps_cur_hex_u64(&c, &fr->meta.pc)) {
			fr->meta.has_pc = true;
			/* past any user address space: not kept (ps_frame.pc);
			 * nor memoized, so every use of it is flagged */
			if (fr->meta.pc > PS_FRAME_PC_MAX)
				fr->overflow = true;
			else if (pm && e - t <= MEMO_PC) {
				pm->pc = fr->meta.pc;
				pm->len = (uint8_t)(e - t);
				memcpy(pm->text, t, pm->len);
			}
			return;
		}
		break;
	default:
		break;
	}
	fr->foreign = true;
}

/* The end of the token at T (a space or E). */
static const char *token_end(const char *t, const char *e)
{
	const char *sp = t < e ? memchr(t, ' ', (size_t)(e - t)) : NULL;
	return sp ? sp : e;
}

/* Has a word a space byte?  (A space turns into a zero byte, and a
 * zero byte sets its top bit here; bytes above it may too, which the
 * callers do not mind: they only ask whether there is one.) */
static inline uint64_t word_spaces(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL;
	w ^= ones * ' ';
	return (w - ones) & ~w & ones * 0x80;
}

/* No space in the N bytes at S nor in the M bytes at T.  fp= and sp=
 * values are 8 to 16 bytes: two words each, all four tested at once,
 * not a memchr call each. */
static inline bool no_space2(const char *s, size_t n, const char *t, size_t m)
{
	uint64_t a, b, c, d;
	if (n < 8 || n > 16 || m < 8 || m > 16) {
		/* a byte loop, not memchr: see same_short */
		for (size_t i = 0; i < n; i++)
			if (s[i] == ' ')
				return false;
		for (size_t i = 0; i < m; i++)
			if (t[i] == ' ')
				return false;
		return true;
	}
	memcpy(&a, s, 8);
	memcpy(&b, s + n - 8, 8);
	memcpy(&c, t, 8);
	memcpy(&d, t + m - 8, 8);
	return !(word_spaces(a) | word_spaces(b) | word_spaces(c) | word_spaces(d));
}

/* Do the 4 bytes at S spell W (a 4-character literal)?  One load. */
static inline bool is4(const char *s, const char *w)
{
	uint32_t a, b;
	memcpy(&a, s, 4);
	memcpy(&b, w, 4);
	return a == b;
}

/* Is the tail D..E " fp=X sp=Y pc=Z" with X and Y as long as in the
 * tail PM noted and Z the pc token PM holds?  Then the token loop reads
 * it as it read that one: fp and sp seen, PM's pc, nothing else.  The
 * separators are at fixed places once the length matches: each is one
 * compare, and X and Y are only looked at for a space. */
static inline bool tail_as_noted(const char *d, const char *e, const struct pc_memo *pm)
{
	size_t f = pm->fp_len, g = pm->sp_len, k = pm->len;
	if ((size_t)(e - d) != pm->tail_len)
		return false;
	const char *a = d + 1, *b = a + f + 1, *c = b + g + 1;
	return is4(d, " fp=") && is4(b - 1, " sp=") && b[g] == ' ' &&
	       same_short(c, pm->text, k) && no_space2(a + 3, f - 3, b + 3, g - 3);
}

/* The tokens of a file line after its head.  fp= and sp= (two of the
 * three tokens of every line at traceback level 2) are recognised here,
 * by three bytes, but not kept.  Under one head nearly every tail is
 * " fp=.. sp=.. pc=.." with the same pc and values of the same length:
 * PM notes that layout, and a tail that has it is checked, not split
 * (the split was a tenth of a big dump's instructions). */
static void file_tokens(const char *d, const char *e, struct fileref *fr,
			struct pc_memo *pm)
{
	size_t lens[2] = { 0, 0 }, k = 0;
	if (d == e)
		return; /* an inlined frame's or a created-by's line: no tail */
	if (pm && tail_as_noted(d, e, pm)) {
		fr->meta.has_fp = fr->meta.has_sp = fr->meta.has_pc = true;
		fr->meta.pc = pm->pc;
		return;
	}
	for (const char *te; d < e; d = te) {
		while (d < e && *d == ' ')
			d++;
		te = token_end(d, e);
		if (k < 2)
			lens[k++] = (size_t)(te - d);
		if (te - d > 3 && (d[0] == 'f' || d[0] == 's') && d[1] == 'p' && d[2] == '=')
			*(d[0] == 'f' ? &fr->meta.has_fp : &fr->meta.has_sp) = true;
		else if (te > d)
			file_token(d, te, fr, pm);
	}
	if (pm) {
		/* only a guess at the next tail's layout: tail_as_noted checks
		 * a tail in full whatever was noted, so a wrong guess costs a
		 * token loop, never a different parse */
		pm->fp_len = (uint8_t)(lens[0] <= UINT8_MAX ? lens[0] : 0);
		pm->sp_len = (uint8_t)(lens[1] <= UINT8_MAX ? lens[1] : 0);
		/* a tail's three tokens are not empty, nor fp= and sp= bare:
		 * kept as one length, any other layout as none; the pc token
		 * is noted in this loop only, so its length stays */
		pm->tail_len = pm->fp_len > 3 && pm->sp_len > 3 && pm->len
			? (uint16_t)(pm->fp_len + pm->sp_len + pm->len + 3) : 0;
	}
}

/* "\t/path/file.go:12 +0x1d fp=.. sp=.. pc=..".  The path may hold
 * spaces and colons ("C:/Program Files/x.go"): it ends at the first ':'
 * followed by digits and then a space or the end of the line.  Parses
 * the head (the path, the line and a "+0x" token right after it) into
 * FR and returns where the other tokens start, or NULL. */
static const char *fileref_head(const char *s, size_t n, bool indented,
				struct fileref *fr)
{
	const char *r = s, *e = s + n, *q, *d;
	memset(fr, 0, sizeof(*fr));
	if (indented && (r == e || (*r != '\t' && *r != ' ')))
		return NULL;
	while (r < e && (*r == '\t' || *r == ' '))
		r++;
	if (ps_mem_starts(r, (size_t)(e - r), "pc=0x")) { /* C frame, no file */
		file_token(r, e, fr, NULL);
		return fr->meta.has_pc ? e : NULL;
	}
	for (q = r;; q++) {
		if (q >= e || !(q = memchr(q, ':', (size_t)(e - q))))
			return NULL;
		for (d = q + 1; d < e && *d >= '0' && *d <= '9'; d++)
			;
		if (d > q + 1 && (d == e || *d == ' '))
			break;
	}
	if (q == r)
		return NULL;
	/* Go's line numbers are int32: a larger one is kept while it fits
	 * the field, and flagged either way. */
	uint64_t line = 0;
	for (const char *x = q + 1; x < d && line <= INT32_MAX; x++)
		line = line * 10 + (uint64_t)(*x - '0');
	fr->overflow = line > INT32_MAX;
	fr->line = line <= UINT32_MAX ? (uint32_t)line : 0;
	fr->file = r;
	fr->file_n = (size_t)(q - r);
	fr->has_file = true;
	const char *t = d;
	while (t < e && *t == ' ')
		t++;
	if (t < e && *t == '+') {
		d = token_end(t, e);
		file_token(t, d, fr, NULL);
	}
	return d;
}

static bool parse_fileref(const char *s, size_t n, bool indented,
			  struct fileref *fr)
{
	const char *rest = fileref_head(s, n, indented, fr);
	if (rest)
		file_tokens(rest, s + n, fr, NULL);
	return rest != NULL;
}

bool ps_p_is_file_line(const char *s, size_t n)
{
	struct fileref fr;
	return parse_fileref(s, n, true, &fr) && !fr.foreign;
}

bool ps_p_file_line(struct ps_parser *p, const char *s, size_t n)
{
	return ps_p_file_ref(p, s, n, true);
}

/* The head memo of FUNC that S starts with, ending where it ended then,
 * or NULL; *FREE gets the index a new head of FUNC goes to.  A set holds
 * MEMO_WAYS heads: a function can print several lines (recursion; the
 * sites one creator starts goroutines at, ten for main.main in the
 * bench dump), and functions share sets.  A function has two sets; the
 * second takes its heads once the first is full, so one crowded set
 * does not make its functions miss on every line. */
static bool head_is(const struct ps_line_memo *lm, size_t i, const char *func,
		    const char *s, size_t n)
{
	const struct head_memo *h = &lm->heads[i];
	if (lm->head_func[i] != func || n < h->len || (n != h->len && s[h->len] != ' '))
		return false;
	/* heads under one function differ at their end (":241 +0x989"),
	 * past a path they share: its last word first, not a memcmp call */
	if (h->len >= 8) {
		uint64_t a, b;
		memcpy(&a, s + h->len - 8, 8);
		memcpy(&b, h->text + h->len - 8, 8);
		return a == b && memcmp(s, h->text, h->len - 8) == 0;
	}
	return memcmp(s, h->text, h->len) == 0;
}

/* The head memo of FUNC in its two sets (the hint HINT missed). */
static struct head_memo *head_scan(struct ps_line_memo *lm, const char *func,
				   const char *s, size_t n, size_t *free, uint16_t *hint)
{
	uint64_t key = (uint64_t)(uintptr_t)func;
	const size_t sets[2] = {
		ps_map_home(key, MEMO_FILES - 1) & ~(size_t)(MEMO_WAYS - 1),
		ps_map_home(key * 0x9e3779b97f4a7c15ULL, MEMO_FILES - 1) & ~(size_t)(MEMO_WAYS - 1),
	};
	/* ways fill from the first and are only ever replaced, and the
	 * second set only once the first is full: the first empty way
	 * ends the search */
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = sets[k]; i < sets[k] + MEMO_WAYS; i++) {
			if (!lm->head_func[i]) {
				*free = i;
				return NULL;
			}
			if (head_is(lm, i, func, s, n)) {
				*hint = (uint16_t)(i + 1);
				return &lm->heads[i];
			}
		}
	}
	*free = sets[0] + lm->victim % MEMO_WAYS; /* moved on when it is taken */
	return NULL;
}

/* A file line had the head of way HEAD - 1 (0: none in the memo). */
static inline void saw_head(struct ps_line_memo *lm, size_t head)
{
	lm->prev_head = lm->last_head;
	lm->last_head = (uint16_t)head;
}

/* The hint of a head under FUNC after the last two heads. */
static inline uint16_t *head_hint(struct ps_line_memo *lm, const char *func)
{
	uint64_t key = (uint64_t)(uintptr_t)func ^ lm->last_head * 0x9e3779b97f4a7c15ULL ^
		       lm->prev_head * 0xc2b2ae3d27d4eb4fULL;
	return &lm->hint[ps_map_home(key, MEMO_HINTS - 1)];
}

static struct head_memo *head_find(struct ps_line_memo *lm, const char *func,
				   const char *s, size_t n, size_t *free)
{
	/* any way that matches gives the same parse (two can match one
	 * line only when one head stops before a "+0x" token the other
	 * holds, and the token loop reads that token alike): the hint only
	 * picks where to look first */
	uint16_t *hint = head_hint(lm, func);
	if (*hint && head_is(lm, *hint - 1u, func, s, n))
		return &lm->heads[*hint - 1u];
	return head_scan(lm, func, s, n, free, hint);
}

/* The file line S under a frame or created-by line of FUNC (NULL:
 * neither): FR and its interned FILE, the head from the memo when S
 * starts with a head seen under FUNC.  A hit is the very head parsed
 * then, byte for byte; FUNC only picks where to look. */
static bool file_line_memo(struct ps_parser *p, const char *s, size_t n,
			   bool indented, const char *func, struct fileref *fr,
			   const char **file)
{
	size_t way = SIZE_MAX;
	if (func && p->memo) {
		struct head_memo *hit = head_find(p->memo, func, s, n, &way);
		if (hit) {
			saw_head(p->memo, hit->way + 1);
			*fr = hit->fr;
			*file = hit->file;
			file_tokens(s + hit->len, s + n, fr, &hit->pc);
			return true;
		}
	}
	const char *rest = fileref_head(s, n, indented, fr);
	if (way != SIZE_MAX && (!rest || (size_t)(rest - s) > MEMO_HEAD))
		saw_head(p->memo, 0); /* no head the memo holds */
	if (!rest)
		return false;
	*file = fr->has_file ? ps_p_intern(p, fr->file, fr->file_n) : "";
	fr->file = NULL; /* points into this line: FILE is the one to keep */
	struct pc_memo *pm = NULL;
	if (way != SIZE_MAX && (size_t)(rest - s) <= MEMO_HEAD) {
		struct head_memo *h = &p->memo->heads[way];
		if (p->memo->head_func[way]) /* a full set's victim */
			p->memo->victim++;
		p->memo->head_func[way] = func;
		saw_head(p->memo, way + 1);
		h->file = *file;
		h->fr = *fr;
		h->len = (uint32_t)(rest - s);
		h->way = (uint32_t)way;
		memcpy(h->text, s, h->len);
		h->pc.len = 0;
		h->pc.tail_len = 0; /* a victim's noted tail is not this head's */
		pm = &h->pc;
	}
	file_tokens(rest, s + n, fr, pm);
	return true;
}

/* The created-by a file line now belongs to, or NULL. */
static struct ps_created_by *due_created_by(struct ps_parser *p)
{
	if (p->st != ST_CREATED)
		return NULL;
	return cur_stack(p) == &p->gb.g.stack
		? p->gb.g.created_by
		: ((struct ps_ancestor *)ps_vec_at(&p->gb.ancestors,
						   p->gb.ancestors.len - 1))->created_by;
}

/* The function an indented file line now sits under (the head memo's
 * key), or NULL. */
static const char *due_func(struct ps_parser *p, const struct ps_created_by *cb)
{
	if (cb)
		return cb->func;
	if (p->st == ST_FILE && p->gb.frames.len)
		return last_frame(p)->func;
	return NULL;
}

/* The head the hint names for S under FUNC, when S is that head and
 * then no tail or the tail noted under it (*TAIL: there was one), else
 * NULL: what nearly every file line of a big dump is, found with no
 * parse and no copy. */
static inline const struct head_memo *head_at_once(struct ps_line_memo *lm, const char *func,
						    const char *s, size_t n, bool *tail)
{
	uint16_t *hint = head_hint(lm, func);
	if (!*hint || !head_is(lm, *hint - 1u, func, s, n))
		return NULL;
	const struct head_memo *h = &lm->heads[*hint - 1u];
	*tail = h->len != n;
	if (*tail && !tail_as_noted(s + h->len, s + n, &h->pc))
		return NULL;
	return h;
}

bool ps_p_known_file_line(struct ps_parser *p, const char *s, size_t n)
{
	const char *func = due_func(p, due_created_by(p));
	size_t way;
	bool tail;
	const struct head_memo *once = func && p->memo ? head_at_once(p->memo, func, s, n, &tail)
						       : NULL;
	if (once) /* a noted tail holds no foreign token */
		return !once->fr.foreign;
	struct head_memo *hit = func && p->memo ? head_find(p->memo, func, s, n, &way) : NULL;
	if (!hit)
		return false;
	struct fileref fr = hit->fr;
	file_tokens(s + hit->len, s + n, &fr, &hit->pc);
	return !fr.foreign;
}

/* What a file line gave (FILE, FR, whether fp=/sp=/pc= were printed:
 * META, and the pc) goes to the created-by CB it is under, or else to
 * the last frame; the stack goes on. */
static inline void put_fileref(struct ps_parser *p, struct ps_created_by *cb, const char *file,
			       const struct fileref *fr, bool meta, uint64_t pc)
{
	if (cb) {
		cb->file = file;
		cb->line = fr->line;
		cb->pc_offset = fr->off;
		cb->has_pc_offset = fr->has_off;
	} else {
		struct ps_frame *f = last_frame(p);
		f->file = file;
		f->line = fr->line;
		f->has_file = fr->has_file;
		if (fr->has_off && fr->off <= UINT32_MAX) {
			/* (pprof frames got theirs from the name) */
			f->pc_offset = (uint32_t)fr->off;
			f->has_pc_offset = true;
		}
		f->has_meta = meta;
		f->pc = pc <= PS_FRAME_PC_MAX ? pc : 0;
	}
	p->st = ST_GOROUTINE;
}

bool ps_p_file_ref(struct ps_parser *p, const char *s, size_t n, bool indented)
{
	struct fileref fr;
	const char *file;
	struct ps_created_by *cb = due_created_by(p);
	const char *func = indented ? due_func(p, cb) : NULL;
	if (!file_line_memo(p, s, n, indented, func, &fr, &file))
		return false;
	if (fr.overflow)
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_NUMBER_OVERFLOW,
			.line = p->lineno });
	put_fileref(p, cb, file, &fr, fr.meta.has_fp || fr.meta.has_sp || fr.meta.has_pc,
		    fr.meta.pc);
	return true;
}

/* The file line S due under the frame or created-by line before, when
 * it is what nearly every file line of a big dump is: the head the
 * hint names, then no tail or the tail noted under it.  Stores what
 * ps_p_file_ref stores for that line; false (nothing changed) for any
 * other line, which ps_p_file_ref then parses.  One function with no
 * calls but the head compare: the general path's four levels of calls
 * cost more in saved registers than this does in all. */
static inline bool file_line_fast(struct ps_parser *p, const char *s, size_t n)
{
	struct ps_line_memo *lm = p->memo;
	struct ps_created_by *cb = NULL;
	const char *func;
	if (!lm || p->c_tentative)
		return false;
	if (p->st == ST_FILE && p->gb.frames.len)
		func = last_frame(p)->func;
	else if (p->st == ST_CREATED && !p->gb.in_ancestor)
		func = (cb = p->gb.g.created_by)->func;
	else
		return false;
	bool tail;
	const struct head_memo *h = head_at_once(lm, func, s, n, &tail);
	if (!h || h->fr.overflow) /* flagged on each use: the general path */
		return false;
	bool meta = tail || h->fr.meta.has_fp || h->fr.meta.has_sp || h->fr.meta.has_pc;
	uint64_t pc = tail ? h->pc.pc : h->fr.meta.pc;
	saw_head(lm, h->way + 1);
	put_fileref(p, cb, h->file, &h->fr, meta, pc);
	return true;
}

/* ---- created by, ancestors, elision ---- */

/* "created by NAME[ in goroutine N]": NAME interned into *FUNC and N,
 * or false when S is no created-by line. */
static bool created_by_parse(struct ps_parser *p, const char *s, size_t n, const char **func,
			     uint64_t *gid, bool *has_gid)
{
	const char *name = s, *end = s + n;
	size_t rest = n;
	if (!skip_prefix(&name, &rest, "created by "))
		return false;
	*gid = 0;
	*has_gid = false;

	/* " in goroutine N" ends the line (Go 1.21+): found from the end */
	const char *digits = end;
	while (digits > name && digits[-1] >= '0' && digits[-1] <= '9')
		digits--;
	size_t head = (size_t)(digits - name);
	if (digits < end && ps_mem_ends(name, head, " in goroutine ")) {
		struct ps_cursor c = cur_make(digits, (size_t)(end - digits));
		if (ps_cur_dec_u64(&c, gid) && !cur_left(&c)) {
			*has_gid = true;
			end = digits - strlen(" in goroutine ");
		}
	}
	if (end == name || !plausible_name(name, (size_t)(end - name)))
		return false;
	*func = intern_name(p, name, (size_t)(end - name));
	return true;
}

static bool created_by(struct ps_parser *p, const char *s, size_t n)
{
	struct ps_created_by *cb;
	const char *func;
	uint64_t gid;
	bool has_gid;
	/* a line parsed before parses the same: the memo keeps its parse */
	struct created_memo *cm = p->memo && n <= MEMO_LINE
		? &p->memo->created[frame_slot(s, n) & (MEMO_CREATED - 1)] : NULL;
	if (cm && cm->func && cm->len == n && memcmp(cm->text, s, n) == 0) {
		func = cm->func;
		gid = cm->goroutine;
		has_gid = cm->has_goroutine;
	} else if (!created_by_parse(p, s, n, &func, &gid, &has_gid)) {
		return false;
	} else if (cm) {
		cm->func = func;
		cm->goroutine = gid;
		cm->has_goroutine = has_gid;
		cm->len = (uint32_t)n;
		memcpy(cm->text, s, n);
	}
	flush_frames(p);
	/* the goroutine's own created-by is built in place and shared when
	 * the goroutine ends; an ancestor's is rare and kept in the arena */
	cb = p->gb.in_ancestor ? ps_arena_calloc(&p->dump->arena, sizeof(*cb))
			       : memset(&p->gb.cb, 0, sizeof(p->gb.cb));
	cb->func = func;
	cb->file = "";
	cb->goroutine = gid;
	cb->has_goroutine = has_gid;
	if (p->gb.in_ancestor)
		((struct ps_ancestor *)ps_vec_at(&p->gb.ancestors,
						 p->gb.ancestors.len - 1))->created_by = cb;
	else
		p->gb.g.created_by = cb;
	p->st = ST_CREATED;
	return true;
}

/* "[originating from goroutine N]:" (GODEBUG=tracebackancestors). */
static bool ancestor(struct ps_parser *p, const char *s, size_t n)
{
	struct ps_cursor c = cur_make(s, n);
	uint64_t id;
	if (!cur_skip(&c, "[originating from goroutine ") ||
	    !ps_cur_dec_u64(&c, &id) || !cur_skip(&c, "]:") || cur_left(&c))
		return false;
	flush_frames(p);
	struct ps_ancestor *a = ps_vec_push(&p->gb.ancestors);
	a->id = id;
	p->gb.in_ancestor = true;
	p->st = ST_GOROUTINE;
	return true;
}

static bool elision(struct ps_parser *p, const char *s, size_t n)
{
	struct ps_cursor c = cur_make(s, n);
	uint64_t count = 0;
	if (!cur_skip(&c, "..."))
		return false;
	if (!cur_skip(&c, "additional frames elided...")) {
		if (!ps_cur_dec_u64(&c, &count) ||
		    !(cur_skip(&c, " frames elided...") || cur_skip(&c, " frame elided...")))
			return false;
	}
	if (cur_left(&c))
		return false;
	struct ps_stack *st = cur_stack(p);
	st->elided = true;
	st->elided_count = count > UINT32_MAX ? UINT32_MAX : (uint32_t)count;
	if (count > UINT32_MAX) /* no stack is that deep */
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_NUMBER_OVERFLOW,
			.line = p->lineno });
	st->elided_at = (uint32_t)p->gb.frames.len;
	p->st = ST_GOROUTINE;
	return true;
}

/* Cgo traceback frames (runtime.SetCgoTraceback).  Without a symbolizer:
 * "non-Go function at pc=0x..", complete in one line.  With one: a bare
 * NAME (or "non-Go function") and then "\tfile:line pc=0x.." or
 * "\tpc=0x..".  Only that second line tells a bare NAME from junk, so the
 * frame is added tentatively and confirm_c_frame keeps or drops it. */
static bool c_frame(struct ps_parser *p, const char *s, size_t n)
{
	struct ps_cursor c = cur_make(s, n);
	uint64_t pc;
	if (cur_skip(&c, "non-Go function at pc=") && ps_cur_hex_u64(&c, &pc) && !cur_left(&c)) {
		struct ps_frame *f = ps_p_add_frame(p, "non-Go function", 15, "", 0);
		f->kind = PS_FRAME_C;
		f->pc = pc <= PS_FRAME_PC_MAX ? pc : 0;
		if (pc > PS_FRAME_PC_MAX)
			ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_NUMBER_OVERFLOW,
				.line = p->lineno });
		f->has_meta = true;
		return true;
	}
	bool known = n == 15 && !memcmp(s, "non-Go function", 15);
	if (!known && (n > 200 || memchr(s, '(', n) || !plausible_name(s, n)))
		return false;
	struct ps_frame *f = ps_p_add_frame(p, s, n, "", 0);
	f->kind = PS_FRAME_C;
	p->c_tentative = !known;
	p->c_line = p->lineno;
	p->st = ST_FILE;
	return true;
}

/* The line after a tentative C frame: its "pc=" file line, or else the
 * frame was junk and is dropped. */
static bool confirm_c_frame(struct ps_parser *p, const char *s, size_t n)
{
	if (n && (*s == '\t' || *s == ' ') && ps_p_file_line(p, s, n)) {
		const struct ps_frame *f = ps_vec_at(&p->gb.frames, p->gb.frames.len - 1);
		if (f->has_meta) {
			p->c_tentative = false;
			return true;
		}
	}
	ps_p_drop_tentative(p);
	return false;
}

/* Lines inside a goroutine, but a file line found at once (TRIED:
 * the file line due was tried). */
static bool stack_line(struct ps_parser *p, const char *s, size_t n, bool tried)
{
	if (p->c_tentative && confirm_c_frame(p, s, n))
		return true;
	if ((p->st == ST_FILE || p->st == ST_CREATED) && n && (*s == '\t' || *s == ' ')) {
		if (!tried && ps_p_file_line(p, s, n))
			return true;
		if (p->mode == MODE_TRACE) {
			/* the location line is due and indented, yet is no
			 * file:line Go prints ("main.go:x12"): the frame keeps
			 * no location, the line is flagged */
			ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_BAD_LOCATION,
				.line = p->lineno });
			p->st = ST_GOROUTINE;
			return true;
		}
	}
	if (n == 0) {
		ps_p_end_goroutine(p);
		p->st = ST_TAIL;
		return true;
	}
	if (s[0] == 'g' && ps_p_goroutine_header(p, s, n)) /* a frame line spared a call */
		return true;
	if (ps_mem_starts(s, n, "created by "))
		return created_by(p, s, n);
	if (s[0] == '[' && ancestor(p, s, n))
		return true;
	if (n == 34 && !memcmp(s, "----- stack segment boundary -----", 34))
		return true; /* Go <= 1.2 split stacks: the frames go on */
	if (s[0] == '.')
		return elision(p, s, n);
	if (s[0] == '\t' || s[0] == ' ') {
		/* asked here, not before every frame line: a 34-byte compare */
		if (ps_mem_starts(s, n, "\tgoroutine running on other thread")) {
			p->gb.g.no_stack = true;
			return true;
		}
		return false;
	}
	return ps_p_frame_line(p, s, n) || c_frame(p, s, n);
}

/* The frame line S when the first way of its memo slot holds it: what
 * the checks of stack_line and then ps_p_frame_line do with it, done
 * before them.  No line a memo entry holds takes another form (a frame
 * line ends in ')', the headers in ':'; created-by lines and indented
 * ones are no frames) but for one ps_p_frame_line was asked of
 * directly (dump.c) that starts with '.', which stack_line keeps for
 * elision(). */
static inline bool frame_line_fast(struct ps_parser *p, const char *s, size_t n)
{
	struct ps_line_memo *lm = p->memo;
	if (!lm || p->c_tentative || !n || s[0] == '.')
		return false;
	const struct frame_memo *m = &lm->frames[frame_slot(s, n) & ~(size_t)1];
	if (!frame_hit(m, s, n))
		return false;
	frame_begins(p);
	frame_from_memo(p, m);
	p->st = ST_FILE;
	return true;
}

bool ps_p_stack_line(struct ps_parser *p, const char *s, size_t n)
{
	/* half the lines of a dump: a file line under its frame, taken
	 * before the other forms' checks; nearly all the others are frame
	 * lines seen before */
	if (file_line_fast(p, s, n) || frame_line_fast(p, s, n))
		return true;
	bool tried = !p->c_tentative && (p->st == ST_FILE || p->st == ST_CREATED) && n &&
		     (*s == '\t' || *s == ' ');
	if (tried && ps_p_file_line(p, s, n))
		return true;
	return stack_line(p, s, n, tried);
}
