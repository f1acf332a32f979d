/*
 * generic.c - what a traceback really printed for code compiled from
 * generic functions (Go 1.18+ shape instantiation, cmd/compile's
 * dictionaries).
 *
 * From Go 1.22 on, cmd/compile's EmitArgInfo skips the FIRST ABI
 * parameter of every function whose symbol contains '[', taking it for
 * the dictionary.  ABI parameter order is receiver, dictionary, params
 * for a method, dictionary first for a function, and a closure inside a
 * generic function has no dictionary at all.  So:
 *   - a method on a generic type prints the dictionary word where the
 *     receiver should be, and the receiver is not printed at all;
 *   - a closure in a generic function does not print its first param;
 *   - liveness.ArgLiveness indexes the spill slots of ALL register
 *     parameters (the skipped one included) while the runtime counts
 *     printed slots: the '?' of printed register word k is the bit of
 *     word k-s (s = registers of the skipped parameter), so words are
 *     printed stale without '?'.  Word k is known live only when the
 *     word printed s places later carries no '?'.
 * Instantiations of one generic function share the printed name
 * ("main.Put[...]") and often offsets and lines; the "pc=" of
 * GOTRACEBACK=system/crash, or the dictionary word a method prints,
 * tells them apart.  Where nothing does, the frame is ambiguous.
 */
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"

#define MAX_LEAVES 64   /* printed words per frame are at most 10 */

static int go_minor(const struct ps_abi *abi)
{
	const char *v = abi->go_version;
	return v != NULL && strncmp(v, "go1.", 4) == 0 ? atoi(v + 4) : -1;
}

/* Does FN's symbol name carry type arguments ("[...]")? */
static bool has_targs(const struct abi_fn *fn)
{
	return strchr(fn->name, '[') != NULL;
}

/* A closure (or go/defer wrapper) inside a generic function:
 * "main.F[go.shape.int].func1", "pkg.(*T[...]).M.gowrap2". */
static bool is_closure(const struct abi_fn *fn)
{
	const char *rb = strrchr(fn->name, ']');
	for (const char *p = rb; p != NULL && (p = strchr(p, '.')) != NULL; p++) {
		const char *s = p + 1;
		size_t k = strncmp(s, "func", 4) == 0 ? 4
			   : strncmp(s, "gowrap", 6) == 0 ? 6
			   : strncmp(s, "deferwrap", 9) == 0 ? 9 : 0;
		if (k > 0 && s[k] >= '0' && s[k] <= '9')
			return true;
	}
	return false;
}

/* Was FN's package compiled with -N?  Its spill slots are then all
 * written at entry and the runtime prints no liveness at all
 * (liveness.ArgLiveness emits nothing): no shifted marks. */
static bool unoptimized(struct ps_abi *abi, const struct abi_fn *fn)
{
	bool found;
	void *v = u64map_get(&abi->cu_opt, fn->cu, &found);
	if (!found) {
		Dwarf_Die cu;
		Dwarf_Attribute a;
		const char *p = dwarf_offdie(abi->dwarf, fn->cu, &cu) == NULL ? NULL
			: dwarf_formstring(dwarf_attr(&cu, DW_AT_producer, &a));
		/* "Go cmd/compile go1.26.8; -N -l regabi" */
		v = (void *)(uintptr_t)(p != NULL && strstr(p, " -N") != NULL ? 2 : 1);
		u64map_put(&abi->cu_opt, fn->cu, v);
	}
	return (uintptr_t)v == 2;
}

/* ---- register assignment (Go internal ABI) -------------------------- */

struct regs {
	unsigned ni, nf;        /* used */
	unsigned max_i, max_f;
	bool unknown;           /* met a type DWARF did not describe */
};

static bool reg_limits(const struct ps_abi *abi, struct regs *r)
{
	static const struct { const char *arch; unsigned i, f; } tab[] = {
		{ "amd64", 9, 15 }, { "arm64", 16, 16 }, { "ppc64", 12, 12 },
		{ "ppc64le", 12, 12 }, { "riscv64", 16, 16 }, { "loong64", 16, 16 },
	};
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(abi->arch, tab[i].arch) == 0) {
			r->max_i = tab[i].i;
			r->max_f = tab[i].f;
			return true;
		}
	return false;
}

/* Assigns T's parts to registers (abi-internal.md "assignment of a value
 * V of underlying type T"); false when T goes on the stack. */
static bool reg_assign(const struct abi_type *t, struct regs *r, int depth)
{
	unsigned need_i = 0, need_f = 0;
	if (depth > 16)
		return false;
	switch (t->tk) {
	case TK_BOOL: case TK_INT: case TK_UINT: case TK_PTR:
	case TK_MAP: case TK_CHAN: case TK_FUNC: need_i = 1; break;
	case TK_FLOAT: need_f = 1; break;
	case TK_COMPLEX: need_f = 2; break;
	case TK_STRING: case TK_EFACE: case TK_IFACE: need_i = 2; break;
	case TK_SLICE: need_i = 3; break;
	case TK_STRUCT:
		for (size_t i = 0; i < t->n_fields; i++)
			if (!reg_assign(t->fields[i].type, r, depth + 1))
				return false;
		return true;
	case TK_ARRAY:
		return t->count == 0 || (t->count == 1 && reg_assign(t->elem, r, depth + 1));
	default:
		r->unknown = true;
		return false;
	}
	if (r->ni + need_i > r->max_i || r->nf + need_f > r->max_f)
		return false;
	r->ni += need_i;
	r->nf += need_f;
	return true;
}

/* Registers parameter T takes, or 0 when it is passed on the stack. */
static unsigned param_regs(const struct abi_type *t, struct regs *r)
{
	struct regs before = *r;
	if (!reg_assign(t, r, 0)) {
		*r = before;
		return 0;
	}
	return (r->ni - before.ni) + (r->nf - before.nf);
}

/* ---- the printed argument list ------------------------------------- */

struct leafref {
	struct ps_arg *leaf;
	bool reg;
};

static void collect(struct ps_arg *a, bool reg, struct leafref *out, size_t *n)
{
	if (a->kind == PS_ARG_GROUP) {
		for (uint32_t i = 0; i < a->n_children; i++)
			collect(&a->children[i], reg, out, n);
	} else if (a->kind == PS_ARG_WORD && *n < MAX_LEAVES) {
		out[*n].leaf = a;
		out[(*n)++].reg = reg;
	}
}

static struct ps_arg *copy_tree(const struct ps_arg *a, size_t n,
				struct ps_arena *arena)
{
	if (n == 0)
		return ps_arena_calloc(arena, sizeof(*a));
	struct ps_arg *c = ps_arena_memdup(arena, a, n * sizeof(*a));
	for (size_t i = 0; i < n; i++)
		if (a[i].kind == PS_ARG_GROUP && a[i].n_children > 0)
			c[i].children = copy_tree(a[i].children, a[i].n_children, arena);
	return c;
}

static void mark_all(struct ps_arg *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		a[i].unreliable = true;
		if (a[i].kind == PS_ARG_GROUP)
			mark_all(a[i].children, a[i].n_children);
	}
}

/* The ABI parameter list (dictionary included, results not) of FN. */
static size_t abi_params(const struct abi_fn *fn, const struct abi_type *dict,
			 const struct abi_type **out, size_t cap)
{
	size_t k = 0;
	bool want_dict = !is_closure(fn);
	for (size_t i = 0; i < fn->n_params && k < cap; i++) {
		const struct abi_param *p = &fn->params[i];
		if (p->result || p->dict)
			continue;
		/* the dictionary: first, or right after a method's receiver */
		if (want_dict && (k == 1 || !fn->is_method)) {
			out[k++] = dict;
			want_dict = false;
			if (k >= cap)
				break;
		}
		out[k++] = p->type;
	}
	if (want_dict && k < cap)
		out[k++] = dict;
	return k;
}

/* Corrects the '?' marks of the printed register words (see the top);
 * SKIPPED_REGS: registers of the parameter the runtime did not print. */
static void shift_marks(struct ps_arg *nodes, size_t n,
			const struct abi_type *const *ps, size_t nps,
			unsigned skipped_regs, struct regs *r)
{
	struct leafref lv[MAX_LEAVES];
	bool was_q[MAX_LEAVES];
	size_t nl = 0, nreg = 0;

	for (size_t i = 0; i < n; i++) {
		if (i + 1 >= nps)
			break;
		size_t before = nl;
		unsigned k = param_regs(ps[i + 1], r);
		collect(&nodes[i], k > 0, lv, &nl);
		if (r->unknown
		    || (k > 0 && nodes[i].kind != PS_ARG_ELIDED && nl - before != k)) {
			mark_all(nodes, n);     /* layout not as modelled */
			return;
		}
	}
	struct ps_arg *reg[MAX_LEAVES];
	for (size_t i = 0; i < nl; i++)
		if (lv[i].reg) {
			was_q[nreg] = lv[i].leaf->unreliable;
			reg[nreg++] = lv[i].leaf;
		}
	for (size_t k = 0; k < nreg; k++) {
		size_t t = k + skipped_regs;
		bool live = t < nreg && t < 10 && !was_q[t];
		reg[k]->unreliable = was_q[k] || !live;
	}
}

/* Rewrites *NODES / *N, as printed for FN, into one node per declared
 * parameter: the unprinted first one becomes "_" (absent), a printed
 * dictionary word is taken out (*DICT_WORD), the '?' marks corrected.
 * Returns a note saying what was done, or NULL when nothing applied. */
const char *abi_generic_args(struct ps_abi *abi, struct abi_fn *fn,
			     enum ps_arg_format fmt, const struct ps_arg **nodes,
			     size_t *n, struct ps_arena *arena,
			     bool *has_dict, uint64_t *dict_word)
{
	const struct abi_type *ps[32];
	static const struct abi_type dict_t = { .tk = TK_PTR, .size = 8, .align = 8 };
	struct regs r;

	*has_dict = false;
	if (fmt != PS_ARGFMT_STRUCTURED || !has_targs(fn) || go_minor(abi) < 22
	    || abi_fn_signature(abi, fn) < 0)
		return NULL;
	size_t nps = abi_params(fn, &dict_t, ps, 32);
	if (nps == 0 || nps >= 32 || (*n == 1 && (*nodes)[0].kind == PS_ARG_ELIDED))
		return NULL;    /* nothing printed: an inlined frame's "..." */
	bool first_is_dict = ps[0] == &dict_t;
	struct ps_arg *c = copy_tree(*nodes, *n, arena);
	const char *note = NULL;
	if (abi->regabi && !unoptimized(abi, fn)) {
		if (!reg_limits(abi, &r)) {
			mark_all(c, *n);
		} else {
			unsigned s = param_regs(ps[0], &r);
			if (s > 0)
				shift_marks(c, *n, ps, nps, s, &r);
			if (s > 0)
				note = "Go 1.22+ misplaces the '?' marks of generic code "
				       "by one parameter: each word is trusted only where "
				       "the mark that belongs to it says live";
		}
	}
	size_t first_param = 0;      /* index in c of the first declared param */
	if (fn->is_method && ps[1] == &dict_t && *n > 0 && c[0].kind == PS_ARG_WORD) {
		*has_dict = true;
		*dict_word = c[0].value;
		first_param = 1;
	}
	if (first_is_dict && !fn->is_method) {
		*nodes = c;
		return note;
	}
	/* receiver (method) or first parameter (closure): not printed */
	size_t m = *n - first_param;
	struct ps_arg *out = ps_arena_calloc(arena, (m + 1) * sizeof(*out));
	out[0].kind = PS_ARG_BLANK;
	memcpy(out + 1, c + first_param, m * sizeof(*out));
	*nodes = out;
	*n = m + 1;
	const char *why = fn->is_method
		? "Go 1.22+ prints the dictionary in place of a generic type's "
		  "method receiver: the receiver is not in the dump"
		: "Go 1.22+ does not print the first parameter of a closure in "
		  "generic code";
	return note ? ps_arena_printf(arena, "%s; %s", why, note) : why;
}

/* ---- which instantiation ran ---------------------------------------- */

/* The shape cmd/compile (Go 1.22+) gives type argument A (LEN bytes):
 * basic types keep their name, every pointer is one shape; NULL when it
 * cannot be told from the name (defined and composite types). */
static const char *shape_of(const char *a, size_t len, struct ps_arena *arena)
{
	static const char *const basic[] = {
		"bool", "string", "int", "int8", "int16", "int32", "int64",
		"uint", "uint8", "uint16", "uint32", "uint64", "uintptr",
		"float32", "float64", "complex64", "complex128",
	};
	while (len > 0 && *a == ' ')
		a++, len--;
	if (len > 0 && a[0] == '*')
		return "go.shape.*uint8";
	for (size_t i = 0; i < sizeof(basic) / sizeof(basic[0]); i++)
		if (strlen(basic[i]) == len && memcmp(basic[i], a, len) == 0)
			return ps_arena_printf(arena, "go.shape.%s", basic[i]);
	return NULL;
}

/* "[go.shape.int,go.shape.string]" for the type arguments of a dictionary
 * symbol "pkg..dict.Name[int,string]", or NULL. */
static const char *dict_shapes(const char *sym, struct ps_arena *arena)
{
	const char *lb = strchr(sym, '['), *rb = strrchr(sym, ']');
	if (strstr(sym, "..dict.") == NULL || lb == NULL || rb == NULL || rb < lb)
		return NULL;
	const char *out = "[";
	int depth = 0;
	for (const char *p = lb + 1, *start = p; p <= rb; p++) {
		if (*p == '[' || *p == '(' || *p == '{')
			depth++;
		else if ((*p == ']' || *p == ')' || *p == '}') && p != rb)
			depth--;
		if ((*p == ',' && depth == 0) || p == rb) {
			const char *s = shape_of(start, (size_t)(p - start), arena);
			if (s == NULL)
				return NULL;
			out = ps_arena_printf(arena, "%s%s%s", out, out[1] ? "," : "", s);
			start = p + 1;
		}
	}
	return ps_arena_printf(arena, "%s]", out);
}

static bool name_has_targs(const char *name, const char *targs)
{
	const char *lb = strchr(name, '['), *rb = strrchr(name, ']');
	size_t n = strlen(targs);
	return lb != NULL && rb != NULL && (size_t)(rb - lb + 1) == n
	       && memcmp(lb, targs, n) == 0;
}

static bool candidate(const struct abi_fn *c, const struct abi_fn *head,
		      const struct ps_frame *fr)
{
	return c->highpc != 0 && strcmp(c->key, head->key) == 0
	       && (!fr->has_pc_offset || fr->pc_offset < c->highpc - c->lowpc);
}

struct pick {
	struct abi_fn *fn;
	const char *ambiguous;
};

static struct pick pick_uncached(struct ps_abi *abi, struct abi_fn *head,
				 struct abi_fn *dflt, const struct ps_frame *fr,
				 bool has_dict, uint64_t dict_word)
{
	struct pick p = { dflt, NULL };
	uint64_t b = abi->pie ? abi->bias : 0;
	bool pc_ok = fr->has_meta && fr->pc != 0 && fr->has_pc_offset
		     && (!abi->pie || abi->bias_known);
	const char *targs = NULL;
	const struct abi_sym *s;

	if (has_dict && (!abi->pie || abi->bias_known)
	    && (s = abi_sym_at(abi, dict_word - b)) != NULL && s->addr == dict_word - b)
		targs = dict_shapes(s->name, &abi->arena);
	size_t agree = 0;
	for (struct abi_fn *c = head; c != NULL; c = c->next) {
		if (!candidate(c, head, fr))
			continue;
		if ((pc_ok && c->lowpc + fr->pc_offset == fr->pc - b)
		    || (!pc_ok && targs != NULL && name_has_targs(c->name, targs))) {
			p.fn = c;
			p.ambiguous = NULL;
			return p;
		}
		if (!fr->has_pc_offset
		    || abi_line_agrees(abi, c, fr->pc_offset, fr->file, fr->line)) {
			p.ambiguous = agree == 0 ? c->name
				: ps_arena_printf(&abi->arena, "%s or %s", p.ambiguous, c->name);
			if (agree++ == 0)
				p.fn = c;
		}
	}
	if (agree <= 1)
		p.ambiguous = NULL;
	if (p.ambiguous != NULL)
		p.ambiguous = ps_arena_printf(&abi->arena,
			"the instantiation that ran is ambiguous (%s: same name, "
			"offset and line; a dump with pc= tells them apart): "
			"arguments whose types differ are not reliable", p.ambiguous);
	return p;
}

struct abi_fn *abi_generic_pick(struct ps_abi *abi, struct abi_fn *head,
				struct abi_fn *dflt, const struct ps_frame *fr,
				bool has_dict, uint64_t dict_word,
				const char **ambiguous)
{
	size_t n = 0;
	bool found;

	*ambiguous = NULL;
	for (struct abi_fn *c = head; c != NULL && n < 2; c = c->next)
		n += candidate(c, head, fr);
	if (n < 2)
		return dflt;
	struct {
		uint64_t f, off, line, pc, dict, bias;
	} k = { abi_frame_name(abi, fr)->hash, fr->pc_offset, fr->line,
		fr->has_meta ? fr->pc : 0, has_dict ? dict_word : 1,
		abi->bias_known ? abi->bias : 1 };
	uint64_t key = ps_hash_bytes(&k, sizeof(k), 41);
	struct pick *hit = u64map_get(&abi->gpick, key, &found);
	if (!found) {
		hit = ps_arena_alloc(&abi->arena, sizeof(*hit));
		*hit = pick_uncached(abi, head, dflt, fr, has_dict, dict_word);
		u64map_put(&abi->gpick, key, hit);
	}
	*ambiguous = hit->ambiguous;
	return hit->fn;
}

/* The instantiations after PREV (NULL: the first) that FR's offset and
 * line fit: the ones an ambiguous frame may be. */
struct abi_fn *abi_generic_next(struct ps_abi *abi, struct abi_fn *head,
				struct abi_fn *prev, const struct ps_frame *fr)
{
	for (struct abi_fn *c = prev ? prev->next : head; c != NULL; c = c->next)
		if (candidate(c, head, fr)
		    && (!fr->has_pc_offset
			|| abi_line_agrees(abi, c, fr->pc_offset, fr->file, fr->line)))
			return c;
	return NULL;
}

/* Arguments whose declared types differ between the instantiations a
 * frame may be: not facts. */
void abi_generic_distrust(struct ps_abi *abi, const struct abi_fn *fn,
			  const struct ps_frame *fr, struct ps_abi_frame *out)
{
	struct abi_fn *head = abi_fn_lookup(abi, fn->key);
	for (struct abi_fn *c = abi_generic_next(abi, head, NULL, fr); c != NULL;
	     c = abi_generic_next(abi, head, c, fr)) {
		if (c == fn || abi_fn_signature(abi, c) < 0)
			continue;
		size_t j = 0;
		for (size_t i = 0; i < fn->n_params && j < out->n_args; i++) {
			const struct abi_param *p = &fn->params[i];
			if (p->result || p->dict)
				continue;
			const char *other = i < c->n_params ? c->params[i].type->name : NULL;
			if (other == NULL || strcmp(other, p->type->name) != 0)
				abi_distrust(&out->args[j]);
			j++;
		}
	}
}
