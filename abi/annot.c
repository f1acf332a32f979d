/*
 * annot.c - what the binary itself says about a decoded value: the text
 * of a string literal, the dynamic type behind an interface word, the
 * symbol a code or data pointer lands in.  Heap addresses are not in the
 * file and stay bare.
 */
#include <string.h>

#include "abi_int.h"

#define TEXT_MAX 1024   /* longer strings are shown cut, with a mark */

static const char *symbolize(struct ps_abi *abi, uint64_t addr,
			     struct ps_arena *arena)
{
	const struct abi_sym *s = abi_sym_at(abi, addr);
	if (s == NULL)
		return NULL;
	if (s->addr == addr)
		return s->name;
	return ps_arena_printf(arena, "%s+0x%llx", s->name,
			       (unsigned long long)(addr - s->addr));
}

static void string_text(struct ps_abi *abi, struct ps_abi_value *v,
			struct ps_arena *arena)
{
	uint64_t n = v->len > TEXT_MAX ? TEXT_MAX : v->len;
	const unsigned char *p;

	if (v->len == 0) {
		v->text = "";
		return;
	}
	if ((p = abi_rodata(abi, v->ptr, n)) == NULL || memchr(p, 0, n) != NULL)
		return;
	if (n == v->len) {
		v->text = ps_arena_strndup(arena, (const char *)p, n);
		return;
	}
	v->text = ps_arena_printf(arena, "%.*s\xe2\x80\xa6", (int)n,
				  (const char *)p);
}

/* "go.itab.*os.File,io.Writer" (Go <= 1.19) / "go:itab.*T,I" (1.20+),
 * "type.*T" / "type:*T": the symbol names the type when there is one. */
static const char *name_from_symbol(struct ps_abi *abi, uint64_t addr,
				    bool itab, struct ps_arena *arena)
{
	const struct abi_sym *s = abi_sym_at(abi, addr);
	const char *n, *comma;
	if (s == NULL || s->addr != addr)
		return NULL;
	n = s->name;
	if (itab && (strncmp(n, "go.itab.", 8) == 0 || strncmp(n, "go:itab.", 8) == 0)
	    && (comma = strrchr(n, ',')) != NULL)
		return ps_arena_strndup(arena, n + 8, (size_t)(comma - n - 8));
	if (!itab && (strncmp(n, "type.", 5) == 0 || strncmp(n, "type:", 5) == 0)
	    && n[5] != '.')
		return n + 5;
	return NULL;
}

/* An itab's second word is its concrete type (runtime.itab._type);
 * itabs made at run time live on the heap and stay unnamed. */
static const char *iface_type(struct ps_abi *abi, const struct abi_type *t,
			      uint64_t word, struct ps_arena *arena)
{
	uint64_t rt = word;
	const char *n = name_from_symbol(abi, word, t->tk == TK_IFACE, arena);
	if (n != NULL)
		return n;
	/* WORD is the dump's: word + word size must not wrap to an address
	 * of something else */
	if (t->tk == TK_IFACE && (word > UINT64_MAX - abi->word
	    || abi_read_word(abi, word + abi->word, &rt) < 0))
		return NULL;
	n = abi_rtype_name(abi, rt);
	return n ? n : name_from_symbol(abi, rt, false, arena);
}

/* A func value points at a funcval whose first word is the code. */
static const char *func_symbol(struct ps_abi *abi, uint64_t ptr,
			       struct ps_arena *arena)
{
	uint64_t code;
	const struct abi_sym *s;
	if (abi_read_word(abi, ptr, &code) == 0
	    && (s = abi_sym_at(abi, code)) != NULL && s->func)
		return symbolize(abi, code, arena);
	return symbolize(abi, ptr, arena);
}

/* Addresses in the dump are run-time ones; a position-independent
 * binary was loaded at a base the dump may reveal (abi->bias).  Without
 * it nothing is annotated: text read from the wrong place would be
 * presented as fact. */
void abi_annotate(struct ps_abi *abi, const struct abi_type *t,
		  struct ps_abi_value *v, struct ps_arena *arena)
{
	uint64_t b = abi->pie ? abi->bias : 0;

	if (t->tk == TK_STRING && v->len == 0) {
		v->text = "";
		return;
	}
	if (abi->pie && !abi->bias_known)
		return;
	switch (t->tk) {
	case TK_STRING:
		v->ptr -= b;
		string_text(abi, v, arena);
		v->ptr += b;
		break;
	case TK_EFACE: case TK_IFACE:
		if (v->type_word != 0)
			v->type_name = iface_type(abi, t, v->type_word - b, arena);
		break;
	case TK_FUNC:
		if (v->ptr != 0)
			v->symbol = func_symbol(abi, v->ptr - b, arena);
		break;
	case TK_PTR: case TK_MAP: case TK_CHAN:
		if (v->ptr != 0)
			v->symbol = symbolize(abi, v->ptr - b, arena);
		break;
	default:
		break;
	}
}
