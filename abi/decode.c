/*
 * decode.c - turns a frame's printed arguments into typed values.
 *
 * words (Go <= 1.16): the printed words are the frame's argument area in
 * stack-ABI layout; every value is read from that byte image at the
 * offset the layout gives it, so packed sub-word values and values that
 * span words come out right on either byte order and word size.
 *
 * structured (Go >= 1.17): the {}-tree follows the type structure the
 * compiler walked (cmd/compile's ArgInfo), so it is matched node by node
 * against the DWARF types; '?' leaves make their values unreliable.
 */
#include <string.h>

#include "abi_int.h"

#define MAX_ELEMS 128   /* array elements listed per value */

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return a <= 1 ? v : (v + a - 1) / a * a;
}

static int64_t sign_extend(uint64_t v, uint64_t size)
{
	if (size >= 8)
		return (int64_t)v;
	unsigned sh = (unsigned)(64 - 8 * size);
	return (int64_t)(v << sh) >> sh;
}

static double float_bits(uint64_t v, uint64_t size)
{
	if (size == 4) {
		uint32_t b = (uint32_t)v;
		float f;
		memcpy(&f, &b, 4);
		return f;
	}
	double d;
	memcpy(&d, &v, 8);
	return d;
}

/* Fills a scalar value of type T from its raw bits V. */
static void scalar_value(const struct abi_type *t, uint64_t v,
			 struct ps_abi_value *out)
{
	uint64_t mask = t->size >= 8 ? UINT64_MAX : (1ULL << (8 * t->size)) - 1;
	v &= mask;
	switch (t->tk) {
	case TK_BOOL: out->kind = PS_V_BOOL; out->b = v != 0; out->u = v; break;
	case TK_INT: out->kind = PS_V_INT; out->i = sign_extend(v, t->size); break;
	case TK_UINT: out->kind = PS_V_UINT; out->u = v; break;
	case TK_FLOAT: out->kind = PS_V_FLOAT; out->f = float_bits(v, t->size); break;
	default: out->kind = PS_V_POINTER; out->ptr = v; break;
	}
}

static bool is_scalar(const struct abi_type *t)
{
	switch (t->tk) {
	case TK_BOOL: case TK_INT: case TK_UINT: case TK_FLOAT:
	case TK_PTR: case TK_MAP: case TK_CHAN: case TK_FUNC:
		return true;
	default:
		return false;
	}
}

/* ---- words ---------------------------------------------------------- */

struct wctx {
	struct ps_abi *abi;
	struct ps_arena *arena;
	const unsigned char *img;   /* printed words as target memory */
	size_t img_len;
	const uint64_t *words;
	size_t n_words;
	bool reliable;
	size_t budget;          /* values left: nested arrays stay bounded */
};

static uint64_t img_uint(struct wctx *c, uint64_t off, uint64_t size)
{
	return abi_load_uint(c->abi, c->img + off, (unsigned)size);
}

static void words_value(struct wctx *c, const struct abi_type *t,
			uint64_t off, struct ps_abi_arg *a);

/* Makes A a struct or array value with room for the first MAX_ELEMS
 * members of T; returns how many that is.  Both formats use it. */
static size_t begin_aggregate(struct ps_arena *arena, const struct abi_type *t,
			      struct ps_abi_arg *a)
{
	size_t n = t->tk == TK_STRUCT ? t->n_fields : t->count;
	if (n > MAX_ELEMS)
		n = MAX_ELEMS;
	a->value.kind = t->tk == TK_STRUCT ? PS_V_STRUCT : PS_V_ARRAY;
	a->value.fields = ps_arena_calloc(arena, n * sizeof(struct ps_abi_arg) + 1);
	a->value.n_fields = n;
	return n;
}

static void words_aggregate(struct wctx *c, const struct abi_type *t,
			    uint64_t off, struct ps_abi_arg *a)
{
	size_t n = begin_aggregate(c->arena, t, a);
	for (size_t i = 0; i < n; i++) {
		struct ps_abi_arg *f = &a->value.fields[i];
		f->role = a->role;
		if (t->tk == TK_STRUCT) {
			f->name = t->fields[i].name;
			words_value(c, t->fields[i].type, off + t->fields[i].off, f);
		} else {
			f->name = "";
			words_value(c, t->elem, off + i * t->elem->size, f);
		}
	}
}

static void words_value(struct wctx *c, const struct abi_type *t,
			uint64_t off, struct ps_abi_arg *a)
{
	unsigned w = c->abi->word;
	struct ps_abi_value *v = &a->value;

	a->type = t->name;
	a->reliable = c->reliable;
	if (c->budget > 0)
		c->budget--;
	if (t->size > 0) {
		size_t first = off / w, last = (off + t->size - 1) / w;
		if (first < c->n_words) {
			a->words = c->words + first;
			a->n_words = (last < c->n_words ? last + 1 : c->n_words) - first;
		}
	}
	if (off + t->size > c->img_len || c->budget == 0) {
		v->kind = PS_V_ABSENT;
		a->reliable = false;
		return;
	}
	switch (t->tk) {
	case TK_STRING: case TK_SLICE:
		v->kind = t->tk == TK_STRING ? PS_V_STRING : PS_V_SLICE;
		v->ptr = img_uint(c, off, w);
		v->len = img_uint(c, off + w, w);
		if (t->tk == TK_SLICE)
			v->cap = img_uint(c, off + 2 * w, w);
		break;
	case TK_EFACE: case TK_IFACE:
		v->kind = PS_V_IFACE;
		v->type_word = img_uint(c, off, w);
		v->data_word = img_uint(c, off + w, w);
		break;
	case TK_COMPLEX:
		v->kind = PS_V_COMPLEX;
		v->f = float_bits(img_uint(c, off, t->size / 2), t->size / 2);
		v->f_im = float_bits(img_uint(c, off + t->size / 2, t->size / 2),
				     t->size / 2);
		break;
	case TK_STRUCT: case TK_ARRAY:
		words_aggregate(c, t, off, a);
		return;
	case TK_UNKNOWN:
		v->kind = PS_V_UNKNOWN;
		return;
	default:
		scalar_value(t, img_uint(c, off, t->size), v);
		break;
	}
	if (a->reliable)
		abi_annotate(c->abi, t, v, c->arena);
}

/* Byte offsets of FN's parameters and results in the stack ABI: the
 * receiver and parameters packed by alignment, results from the next
 * word boundary.  Returns the total size. */
static uint64_t layout(const struct ps_abi *abi, const struct abi_fn *fn,
		       uint64_t *offs)
{
	uint64_t off = 0;
	bool in_results = false;
	for (size_t i = 0; i < fn->n_params; i++) {
		const struct abi_type *t = fn->params[i].type;
		if (fn->params[i].result && !in_results) {
			off = round_up(off, abi->word);
			in_results = true;
		}
		off = round_up(off, t->align);
		if (offs != NULL)
			offs[i] = off;
		off += t->size;
	}
	return round_up(off, abi->word);
}

size_t abi_words_count(const struct ps_abi *abi, const struct abi_fn *fn)
{
	size_t n = layout(abi, fn, NULL) / abi->word;
	return n > 10 ? 10 : n;
}

static enum ps_abi_role role_of(const struct abi_fn *fn, size_t i)
{
	if (fn->params[i].result)
		return PS_ROLE_RESULT;
	return i == 0 && fn->is_method ? PS_ROLE_RECEIVER : PS_ROLE_PARAM;
}

void abi_decode_words(struct ps_abi *abi, struct abi_fn *fn,
		      const struct ps_arg *args, size_t n_args,
		      struct ps_arena *arena, struct ps_abi_frame *out)
{
	struct wctx c = { .abi = abi, .arena = arena, .budget = 4096 };
	uint64_t *words = ps_arena_alloc(arena, (n_args + 1) * sizeof(uint64_t));
	unsigned char *img = ps_arena_calloc(arena, (n_args + 1) * abi->word);
	size_t n = 0;

	for (; n < n_args && args[n].kind == PS_ARG_WORD; n++) {
		words[n] = args[n].value;
		for (unsigned b = 0; b < abi->word; b++) {
			unsigned sh = abi->big_endian ? 8 * (abi->word - 1 - b) : 8 * b;
			img[n * abi->word + b] = (unsigned char)(words[n] >> sh);
		}
	}
	c.img = img;
	c.img_len = n * abi->word;
	c.words = words;
	c.n_words = n;
	uint64_t *offs = ps_arena_alloc(arena, (fn->n_params + 1) * sizeof(*offs));
	layout(abi, fn, offs);
	out->args = ps_arena_calloc(arena, (fn->n_params + 1) * sizeof(*out->args));
	out->n_args = fn->n_params;
	for (size_t i = 0; i < fn->n_params; i++) {
		struct ps_abi_arg *a = &out->args[i];
		a->name = fn->params[i].name;
		a->role = role_of(fn, i);
		c.reliable = a->role != PS_ROLE_RESULT;
		words_value(&c, fn->params[i].type, offs[i], a);
	}
	out->decoded = true;
}

/* ---- structured ----------------------------------------------------- */

struct sctx {
	struct ps_abi *abi;
	struct ps_arena *arena;
	uint64_t *leaves;       /* leaf words in print order */
	size_t n_leaves, cap_leaves;
	bool stop;              /* "..." seen: everything after is absent */
};

struct cursor {
	const struct ps_arg *p, *end;
};

static size_t count_words(const struct ps_arg *a, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += a[i].kind == PS_ARG_GROUP
		     ? count_words(a[i].children, a[i].n_children) : 1;
	return k;
}

static int tree_value(struct sctx *c, const struct abi_type *t,
		      struct cursor *cur, struct ps_abi_arg *a);

/* A leaf: a printed scalar of its own size. */
static int tree_leaf(struct sctx *c, const struct ps_arg *n, uint64_t *v,
		     bool *reliable)
{
	if (n->kind != PS_ARG_WORD)
		return -1;
	if (c->n_leaves < c->cap_leaves)
		c->leaves[c->n_leaves++] = n->value;
	*v = n->value;
	if (n->unreliable)
		*reliable = false;
	return 0;
}

/* Reads K leaves of a fixed-shape aggregate (string, slice, iface,
 * complex) from group G; a "..." inside leaves the rest 0 and absent. */
static int tree_fixed(struct sctx *c, const struct ps_arg *g, size_t k,
		      uint64_t *v, bool *reliable)
{
	if (g->kind != PS_ARG_GROUP)
		return -1;
	for (size_t i = 0; i < k; i++) {
		if (i >= g->n_children)
			return -1;
		if (g->children[i].kind == PS_ARG_ELIDED) {
			c->stop = true;
			return 1;
		}
		if (tree_leaf(c, &g->children[i], &v[i], reliable) < 0)
			return -1;
	}
	return g->n_children == k ? 0 : -1;
}

static int tree_aggregate(struct sctx *c, const struct abi_type *t,
			  const struct ps_arg *g, struct ps_abi_arg *a)
{
	if (g->kind != PS_ARG_GROUP)
		return -1;
	/* "{}" has no children array: no arithmetic on NULL */
	struct cursor sub = { g->children,
			      g->children ? g->children + g->n_children : NULL };
	size_t n = begin_aggregate(c->arena, t, a);
	for (size_t i = 0; i < n; i++) {
		struct ps_abi_arg *f = &a->value.fields[i];
		const struct abi_type *ft = t->tk == TK_STRUCT ? t->fields[i].type
							       : t->elem;
		f->name = t->tk == TK_STRUCT ? t->fields[i].name : "";
		f->role = a->role;
		if (tree_value(c, ft, &sub, f) < 0)
			return -1;
		/* Absent parts are null, not doubtful: only '?' spreads. */
		if (!f->reliable && f->value.kind != PS_V_ABSENT)
			a->reliable = false;
	}
	/* After a "..." the compiler closes every open group at once. */
	return c->stop || sub.p == sub.end || n < (t->tk == TK_STRUCT
		? t->n_fields : t->count) ? 0 : -1;
}

static int tree_compound(struct sctx *c, const struct abi_type *t,
			 const struct ps_arg *n, struct ps_abi_arg *a)
{
	uint64_t v[3] = { 0, 0, 0 };
	struct ps_abi_value *val = &a->value;
	size_t k = t->tk == TK_SLICE ? 3 : 2;
	int r = tree_fixed(c, n, k, v, &a->reliable);
	if (r != 0)
		return r;
	switch (t->tk) {
	case TK_STRING: val->kind = PS_V_STRING; val->ptr = v[0]; val->len = v[1]; break;
	case TK_SLICE:
		val->kind = PS_V_SLICE;
		val->ptr = v[0]; val->len = v[1]; val->cap = v[2];
		break;
	case TK_COMPLEX:
		val->kind = PS_V_COMPLEX;
		val->f = float_bits(v[0], t->size / 2);
		val->f_im = float_bits(v[1], t->size / 2);
		break;
	default:
		val->kind = PS_V_IFACE; val->type_word = v[0]; val->data_word = v[1];
		break;
	}
	return 0;
}

/* Matches the type T against the node at CUR (advancing it): 0, or -1
 * when the printed shape cannot be this type. */
static int tree_value(struct sctx *c, const struct abi_type *t,
		      struct cursor *cur, struct ps_abi_arg *a)
{
	const struct ps_arg *n;
	size_t first = c->n_leaves;
	int r = 0;

	a->type = t->name;
	a->reliable = true;
	if (c->stop || cur->p == cur->end) {
		a->value.kind = PS_V_ABSENT;
		a->reliable = false;
		return c->stop ? 0 : -1;
	}
	n = cur->p++;
	if (n->kind == PS_ARG_ELIDED)
		c->stop = true;
	if (n->kind == PS_ARG_ELIDED || n->kind == PS_ARG_BLANK
	    || n->kind == PS_ARG_DEEP) {
		a->value.kind = PS_V_ABSENT;
		a->reliable = false;
		return n->kind == PS_ARG_DEEP && is_scalar(t) ? -1 : 0;
	}
	if (is_scalar(t)) {
		uint64_t v;
		r = tree_leaf(c, n, &v, &a->reliable);
		if (r == 0)
			scalar_value(t, v, &a->value);
	} else if (t->tk == TK_STRUCT || t->tk == TK_ARRAY) {
		r = tree_aggregate(c, t, n, a);
	} else if (t->tk == TK_UNKNOWN) {
		a->value.kind = PS_V_UNKNOWN;
		a->reliable = false;
	} else {
		r = tree_compound(c, t, n, a);
		if (r == 1) {   /* cut by "..." inside */
			a->value.kind = PS_V_ABSENT;
			a->reliable = false;
			r = 0;
		}
	}
	a->words = c->leaves + first;
	a->n_words = c->n_leaves - first;
	if (r == 0 && a->reliable && a->value.kind != PS_V_STRUCT
	    && a->value.kind != PS_V_ARRAY)
		abi_annotate(c->abi, t, &a->value, c->arena);
	return r;
}

int abi_decode_structured(struct ps_abi *abi, struct abi_fn *fn,
			  const struct ps_arg *args, size_t n_args,
			  struct ps_arena *arena, struct ps_abi_frame *out)
{
	struct sctx c = { .abi = abi, .arena = arena };
	struct cursor cur = { args, args ? args + n_args : NULL };  /* no NULL + 0 */
	size_t np = 0;

	c.cap_leaves = count_words(args, n_args);
	c.leaves = ps_arena_alloc(arena, (c.cap_leaves + 1) * sizeof(uint64_t));
	out->args = ps_arena_calloc(arena, (fn->n_params + 1) * sizeof(*out->args));
	for (size_t i = 0; i < fn->n_params; i++) {
		if (fn->params[i].result || fn->params[i].dict)
			continue;
		struct ps_abi_arg *a = &out->args[np++];
		a->name = fn->params[i].name;
		a->role = role_of(fn, i);
		if (tree_value(&c, fn->params[i].type, &cur, a) < 0)
			return -1;
	}
	/* A trailing "..." (always, for an inlined frame) ends the list;
	 * "{}" is a zero-size parameter DWARF may not list (runtime.goexit's
	 * neverCallThisFunction, declared for an assembly function). */
	for (; !c.stop && cur.p != cur.end; cur.p++)
		if (!(cur.p->kind == PS_ARG_ELIDED && cur.p + 1 == cur.end)
		    && !(cur.p->kind == PS_ARG_GROUP && cur.p->n_children == 0))
			return -1;
	out->n_args = np;
	out->decoded = true;
	return 0;
}
