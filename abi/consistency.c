/*
 * consistency.c - does what the dump's data words point at make sense in
 * this binary?  A binary rebuilt from the same source with only an
 * `-ldflags -X` string changed has byte-for-byte the same code layout,
 * so the line-table check passes, while read-only data moved by tens of
 * bytes: the words of the crashed process then land on neighbours, and
 * decoding would print their names as facts.  Each reliable value whose
 * word points into the binary's own image is checked:
 *   - an interface's itab must be an itab (a go:itab symbol) of the
 *     parameter's declared interface, its type a type descriptor;
 *   - an empty interface's type word must be a type descriptor;
 *   - a func value's funcval must hold a function's entry;
 *   - a pointer into the image must fit inside one data symbol;
 *   - a string in read-only data must end inside it and be mostly text.
 * The first failure is reported as PS_ERR_MISMATCH, like the line-table
 * check.  Only a bounded number of frames is decoded for this: a moved
 * image shows in most frames, and big dumps must stay cheap.
 */
#include <string.h>

#include "abi_int.h"

#define CHECK_FRAMES 128        /* frames decoded per dump, at most */
#define TEXT_CHECK 256          /* string bytes looked at */

struct cctx {
	struct ps_abi *abi;
	struct ps_arena *tmp;
	uint64_t bias;
	const char *func;
	const char *why;
};

static bool in_image(const struct ps_abi *abi, uint64_t addr)
{
	const struct abi_sec *s = abi_sec_at(abi, addr);
	return s != NULL && !s->nobits;
}

static bool pow2_small(unsigned v)
{
	return v != 0 && v <= 16 && (v & (v - 1)) == 0;
}

/* Is ADDR the start of a runtime type descriptor (internal/abi.Type)?
 * Checked by its shape: inside runtime.types, kind 1..26, alignments
 * powers of two, pointer bytes within the size. */
static bool type_descriptor(const struct ps_abi *abi, uint64_t addr)
{
	unsigned w = abi->word;
	unsigned char b[4];
	uint64_t size, ptrdata;

	if (abi->types_end <= abi->types_start)
		return true;    /* no runtime.types bounds: cannot tell */
	/* types_end comes from the file: addr + 2w + 8 must not wrap */
	if (addr < abi->types_start || addr >= abi->types_end || addr % w != 0
	    || addr > UINT64_MAX - (2 * w + 8)
	    || abi_read_word(abi, addr, &size) < 0
	    || abi_read_word(abi, addr + w, &ptrdata) < 0
	    || abi_read(abi, addr + 2 * w + 4, b, 4) < 0)
		return false;
	/* b: tflag, align, fieldAlign, kind */
	unsigned kind = b[3] & 0x1f;
	return ptrdata <= size && pow2_small(b[1]) && pow2_small(b[2])
	       && kind >= 1 && kind <= 26;
}

static void fail(struct cctx *c, const struct ps_abi_arg *a, const char *what)
{
	if (c->why == NULL)
		c->why = ps_arena_printf(c->tmp,
			"%s's %s %s: %s, so its data is laid out unlike the crashed one's",
			c->func, a->name && a->name[0] ? a->name : "argument",
			a->type ? a->type : "", what);
}

static void check_iface(struct cctx *c, const struct abi_type *t,
			const struct ps_abi_arg *a)
{
	uint64_t tw = a->value.type_word - c->bias, rt;
	const struct abi_sym *s;

	if (tw == 0 || !in_image(c->abi, tw))
		return;         /* nil, or made at run time on the heap */
	if (t->tk == TK_EFACE) {
		if (!type_descriptor(c->abi, tw))
			fail(c, a, ps_arena_printf(c->tmp,
				"type word %#llx is not a type descriptor",
				(unsigned long long)a->value.type_word));
		return;
	}
	s = abi_sym_at(c->abi, tw);
	if (s == NULL || s->addr != tw
	    || (strncmp(s->name, "go:itab.", 8) != 0 && strncmp(s->name, "go.itab.", 8) != 0)) {
		fail(c, a, s == NULL
			? ps_arena_printf(c->tmp, "itab word %#llx is in no symbol",
					  (unsigned long long)a->value.type_word)
			: ps_arena_printf(c->tmp, "itab word %#llx is %s+%#llx, not an itab",
					  (unsigned long long)a->value.type_word, s->name,
					  (unsigned long long)(tw - s->addr)));
		return;
	}
	/* "go:itab.CONCRETE,IFACE": both may hold commas, so the declared
	 * interface is matched as the suffix */
	size_t nl = strlen(s->name), tl = t->name ? strlen(t->name) : 0;
	if (tl > 0 && strncmp(t->name, "go.shape.", 9) != 0
	    && (nl < tl + 9 || s->name[nl - tl - 1] != ','
		|| strcmp(s->name + nl - tl, t->name) != 0)) {
		fail(c, a, ps_arena_printf(c->tmp, "its itab %s is not for %s",
					   s->name, t->name));
		return;
	}
	if (tw <= UINT64_MAX - c->abi->word    /* the itab's second word */
	    && abi_read_word(c->abi, tw + c->abi->word, &rt) == 0 && rt != 0
	    && !type_descriptor(c->abi, rt))
		fail(c, a, ps_arena_printf(c->tmp,
			"its itab %s holds no type descriptor", s->name));
}

static void check_func(struct cctx *c, const struct ps_abi_arg *a)
{
	uint64_t fv = a->value.ptr - c->bias, code;
	const struct abi_sym *s;

	if (a->value.ptr == 0 || !in_image(c->abi, fv))
		return;
	if (abi_read_word(c->abi, fv, &code) < 0
	    || (s = abi_sym_at(c->abi, code)) == NULL || !s->func || s->addr != code)
		fail(c, a, ps_arena_printf(c->tmp,
			"funcval %#llx holds %#llx, no function's entry",
			(unsigned long long)a->value.ptr, (unsigned long long)code));
}

/* Inside the address range the binary's loaded sections span? */
static bool in_span(const struct ps_abi *abi, uint64_t addr)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < abi->n_secs; i++) {
		const struct abi_sec *s = &abi->secs[i];
		if (s->addr == 0)
			continue;
		lo = s->addr < lo ? s->addr : lo;
		hi = s->addr + s->size > hi ? s->addr + s->size : hi;
	}
	return addr >= lo && addr < hi;
}

/* A pointer into the image lands in a section, in data at a symbol,
 * and the pointee fits in that symbol. */
static void check_pointer(struct cctx *c, const struct abi_type *t,
			  const struct ps_abi_arg *a)
{
	uint64_t p = a->value.ptr - c->bias;
	const struct abi_type *pt;
	const struct abi_sec *sec;
	const struct abi_sym *s;

	/* unsafe.Pointer may hold any address (code, for asmcgocall) */
	if (a->value.ptr == 0 || t->elem_die == 0 || !in_span(c->abi, p))
		return;
	if ((sec = abi_sec_at(c->abi, p)) == NULL || sec->exec) {
		fail(c, a, ps_arena_printf(c->tmp, "%#llx is %s",
			(unsigned long long)a->value.ptr,
			sec ? "in code" : "between the binary's sections"));
		return;
	}
	/* No symbol there proves nothing: Go's symbol table leaves out some
	 * data objects (static temporaries among them), so a live pointer
	 * of the right binary can land between listed variables (seen on
	 * 386 and arm64 rebuilds of the corpus's sigquit program). */
	if ((s = abi_sym_at(c->abi, p)) == NULL)
		return;
	if (t->elem_die != 0 && s->size > 0
	    && (pt = abi_type_at(c->abi, t->elem_die)) != NULL
	    && pt->size > s->size - (p - s->addr))
		fail(c, a, ps_arena_printf(c->tmp,
			"the %llu bytes it points at overrun %s",
			(unsigned long long)pt->size, s->name));
}

/* Length of the UTF-8 sequence starting with byte B, 0 if invalid. */
static unsigned utf8_len(unsigned char b)
{
	return b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3
	       : (b & 0xf8) == 0xf0 ? 4 : 0;
}

/* Bytes of P[0..N) that are NUL or not part of a valid UTF-8 rune. */
static size_t non_text(const unsigned char *p, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n;) {
		unsigned k = utf8_len(p[i]), j = 1;
		while (k > 1 && j < k && i + j < n && (p[i + j] & 0xc0) == 0x80)
			j++;
		if (p[i] == 0 || k == 0 || (j < k && i + j < n)) {
			bad++;
			i++;
		} else {
			i += k;
		}
	}
	return bad;
}

/* A string in read-only data lies inside its section and, where it is
 * long enough to tell, is mostly text: string literals are, and binary
 * constants rarely come as parameters (more than half NUL or invalid
 * bytes is taken as the neighbour's data, not a string). */
static void check_string(struct cctx *c, const struct ps_abi_arg *a)
{
	uint64_t p = a->value.ptr - c->bias, n = a->value.len;
	const struct abi_sec *sec = abi_sec_at(c->abi, p);
	const unsigned char *b;

	if (n == 0 || sec == NULL || sec->writable || sec->exec || sec->nobits)
		return;
	if (n > sec->size - (p - sec->addr)) {
		fail(c, a, ps_arena_printf(c->tmp,
			"its %llu bytes at %#llx run past the end of read-only data",
			(unsigned long long)n, (unsigned long long)a->value.ptr));
		return;
	}
	n = n > TEXT_CHECK ? TEXT_CHECK : n;
	if (n >= 4 && (b = abi_rodata(c->abi, p, n)) != NULL
	    && 2 * non_text(b, n) > n)
		fail(c, a, ps_arena_printf(c->tmp,
			"the %llu bytes at %#llx are not text",
			(unsigned long long)n, (unsigned long long)a->value.ptr));
}

/* Walks the value A of type T (fields and elements too). */
static void check_value(struct cctx *c, const struct abi_type *t,
			const struct ps_abi_arg *a, int depth)
{
	if (depth > 8 || c->why != NULL || t == NULL || a->type == NULL
	    || t->name == NULL || strcmp(a->type, t->name) != 0)
		return;
	switch (t->tk) {
	case TK_STRUCT: case TK_ARRAY:
		for (size_t i = 0; i < a->value.n_fields; i++)
			check_value(c, t->tk == TK_STRUCT && i < t->n_fields
				    ? t->fields[i].type : t->elem,
				    &a->value.fields[i], depth + 1);
		return;
	default:
		break;
	}
	if (!a->reliable)
		return;
	switch (t->tk) {
	case TK_EFACE: case TK_IFACE: check_iface(c, t, a); break;
	case TK_FUNC: check_func(c, a); break;
	case TK_PTR: check_pointer(c, t, a); break;
	case TK_STRING: check_string(c, a); break;
	default: break;
	}
}

static void check_params(struct cctx *c, const struct abi_fn *fn,
			 const struct ps_abi_frame *out)
{
	bool all = out->n_args == fn->n_params;     /* words: results listed */
	for (size_t i = 0, j = 0; i < fn->n_params && j < out->n_args; i++) {
		const struct abi_param *p = &fn->params[i];
		if (!all && (p->result || p->dict))
			continue;
		check_value(c, p->type, &out->args[j++], 0);
	}
}

/* NULL when the data words of DUMP fit this binary, else why not (and
 * *GID the goroutine).  Crashed goroutine first. */
const char *abi_data_verdict(struct ps_abi *abi, const struct ps_dump *dump,
			     struct ps_arena *tmp, uint64_t *gid)
{
	struct cctx c = { .abi = abi, .tmp = tmp };
	size_t budget = CHECK_FRAMES;

	for (int pass = 0; pass < 2 && c.why == NULL; pass++)
		for (size_t g = 0; g < dump->n_goroutines && c.why == NULL && budget > 0; g++) {
			const struct ps_goroutine *gr = &dump->goroutines[g];
			if (gr->crashed != (pass == 0))
				continue;
			for (size_t i = 0; i < gr->stack.n_frames && budget > 0; i++) {
				const struct ps_frame *fr = &gr->stack.frames[i];
				struct ps_abi_frame out;
				struct abi_fn *fn;
				/* the runtime passes raw addresses in typed
				 * parameters: only program frames are judged */
				if (ps_stack_args_len(&gr->stack, i) == 0 || fr->kind != PS_FRAME_GO
				    || strncmp(fr->func, "runtime.", 8) == 0
				    || strncmp(fr->func, "internal/", 9) == 0
				    || (fn = abi_frame_fn(abi, fr)) == NULL)
					continue;
				budget--;
				ps_abi_decode_frame(abi, dump, &gr->stack, i, PS_ARGFMT_AUTO, tmp, &out);
				if (abi->pie && !abi->bias_known)
					return NULL;    /* where it was loaded is unknown */
				fn = abi_fn_for_frame(abi, fn, fr);
				c.bias = abi->pie ? abi->bias : 0;
				c.func = fr->func;
				if (out.decoded && abi_fn_signature(abi, fn) == 0)
					check_params(&c, fn, &out);
				if (c.why != NULL) {
					*gid = gr->id;
					break;
				}
			}
		}
	return c.why;
}
