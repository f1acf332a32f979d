/*
 * check.c - does the binary match the dump?  Each frame's "+0xNN" must
 * fall inside its function and map, through the DWARF line table, to the
 * file:line the dump printed.  Also the nil-dereference note, which needs
 * the same knowledge of which frame faulted.
 */
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"

#define SMALL_ADDR 0x10000   /* faults below this are nil + field offset */

const char *abi_base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	const char *b = strrchr(path, '\\');
	if (b != NULL && (s == NULL || b > s))
		s = b;
	return s ? s + 1 : path;
}

/* Does PC lie in code inlined from a call at LINE?  The traceback hides
 * inlined runtime frames (gopark in notifyListWait) and then prints the
 * caller's call line, not the line table's innermost one.  (A walk of
 * our own: dwarf_getscopes leaks in elfutils 0.188.)  1 yes, 0 no, -1
 * when libdw could not read the tree: its -1 is an error, not the end
 * of a list, and a call it hid may be the one printed. */
static int inlined_call_in(Dwarf_Die *parent, uint64_t pc, uint32_t line,
			   int depth)
{
	Dwarf_Die c;
	Dwarf_Attribute a;
	Dwarf_Word w;
	int rc, in;

	if (depth > 32 || (rc = dwarf_child(parent, &c)) == 1)
		return 0;
	for (; rc == 0; rc = dwarf_siblingof(&c, &c)) {
		int tag = dwarf_tag(&c);
		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_lexical_block)
			continue;
		if ((in = dwarf_haspc(&c, pc)) < 0)
			return -1;
		if (in == 0)
			continue;
		if (tag == DW_TAG_inlined_subroutine
		    && dwarf_attr(&c, DW_AT_call_line, &a) != NULL
		    && dwarf_formudata(&a, &w) == 0 && w == line)
			return 1;
		if ((in = inlined_call_in(&c, pc, line, depth + 1)) != 0)
			return in;
	}
	return rc < 0 ? -1 : 0;
}

/* inlined_call_in for FN's DIE; a libdw failure is kept (the first) in
 * abi->dwarf_damage, for ps_abi_check_dump to report, and answers no. */
static bool inlined_call_at(struct ps_abi *abi, const struct abi_fn *fn,
			    uint64_t pc, uint32_t line)
{
	Dwarf_Die die;
	int in = dwarf_offdie(abi->dwarf, fn->die, &die) == NULL ? -1
		 : inlined_call_in(&die, pc, line, 0);
	if (in < 0 && abi->dwarf_damage == NULL)
		abi->dwarf_damage = ps_arena_printf(&abi->arena,
			"cannot read '%s': the inlined calls of %s (DIE at 0x%llx) "
			"are damaged DWARF data: %s",
			abi->path, fn->name, (unsigned long long)fn->die,
			dwarf_errmsg(-1));
	return in == 1;
}

static bool same_line(const char *f, int l, const char *file, uint32_t line)
{
	return (uint32_t)l == line && strcmp(abi_base_name(f), abi_base_name(file)) == 0;
}

/* Is FILE:LINE what the line table says for one of FN's pcs?  Callers'
 * pcs are return addresses, so the call is at pc-1; a faulting frame's
 * pc is exact: either may be the one printed.  Go's function table,
 * which the runtime printed the traceback from, answers a yes for the
 * price of a binary search (pcln.c); a no, or a table that cannot tell,
 * is asked of DWARF, whose line program and inlined calls may still say
 * yes.  (The two differed on 0 to 36 pcs of the 500,000-940,000 in each
 * ground-truth binary, inline-mark NOPs and the like; tests/abi/
 * fast_agree.c allows 1 in 1,000.  The dump can only show the table's
 * line there.) */
static bool line_agrees(struct ps_abi *abi, const struct abi_fn *fn,
			uint64_t off, const char *file, uint32_t line)
{
	for (int d = 0; d < 2; d++) {
		const char *f;
		int l;
		if (off >= (uint64_t)d
		    && abi_pcln_line(abi, fn, fn->lowpc + off - d, &f, &l) == 0
		    && same_line(f, l, file, line))
			return true;
	}
	for (int d = 0; d < 2; d++) {
		const char *f;
		int l;
		if (off < (uint64_t)d)
			continue;
		if (abi_pc_line(abi, fn->cu, fn->lowpc + off - d, &f, &l) == 0
		    && same_line(f, l, file, line))
			return true;
		if (inlined_call_at(abi, fn, fn->lowpc + off - d, line))
			return true;
	}
	return false;
}

bool abi_line_agrees(struct ps_abi *abi, const struct abi_fn *fn,
		     uint64_t off, const char *file, uint32_t line)
{
	return line_agrees(abi, fn, off, file, line);
}

struct abi_fn *abi_fn_for_frame(struct ps_abi *abi, struct abi_fn *fn,
				const struct ps_frame *frame)
{
	struct abi_fn *c, *first = NULL;
	size_t n = 0;
	bool found;

	for (c = fn; c != NULL; c = c->next)
		if (c->highpc != 0 && strcmp(c->key, fn->key) == 0 && n++ == 0)
			first = c;
	if (n <= 1 || !frame->has_pc_offset)
		return first ? first : fn;
	struct { uint64_t f, off, line; } k =
		{ abi_frame_name(abi, frame)->hash, frame->pc_offset, frame->line };
	uint64_t key = ps_hash_bytes(&k, sizeof(k), 17);
	struct abi_fn *hit = u64map_get(&abi->inst, key, &found);
	if (found)
		return hit;
	hit = first;
	for (c = fn; c != NULL; c = c->next)
		if (c->highpc != 0 && strcmp(c->key, fn->key) == 0
		    && frame->pc_offset < c->highpc - c->lowpc
		    && line_agrees(abi, c, frame->pc_offset, frame->file,
				   frame->line)) {
			hit = c;
			break;
		}
	u64map_put(&abi->inst, key, hit);
	return hit;
}

/* The frame whose file:line the line table gives for FRAMES[I]'s pc:
 * the outermost of the inlined frames printed just above it. */
static const struct ps_frame *inline_head(const struct ps_stack *st, size_t i)
{
	while (i > 0 && st->frames[i - 1].inlined)
		i--;
	return &st->frames[i];
}

/* NULL when FRAMES[I] agrees with the binary, else why not. */
static const char *frame_verdict(struct ps_abi *abi, const struct ps_stack *st,
				 size_t i, struct ps_arena *tmp)
{
	const struct ps_frame *fr = &st->frames[i];
	const struct ps_frame *src = inline_head(st, i);
	struct abi_fn *fn = abi_frame_fn(abi, fr);

	if (fn == NULL)
		return ps_arena_printf(tmp, "function %s is not in it", fr->func);
	fn = abi_fn_for_frame(abi, fn, fr);
	if (fn->highpc == 0)    /* inline-only: a profile's expanded frame */
		return NULL;
	if (fr->pc_offset > fn->highpc - fn->lowpc)
		return ps_arena_printf(tmp,
			"%s+0x%llx is past the end of the function (size 0x%llx)",
			fr->func, (unsigned long long)fr->pc_offset,
			(unsigned long long)(fn->highpc - fn->lowpc));
	if (src->has_file && src->line != 0
	    && strcmp(src->file, "<autogenerated>") != 0
	    && !line_agrees(abi, fn, fr->pc_offset, src->file, src->line)
	    && !line_agrees(abi, fn, fr->pc_offset, fr->file, fr->line)) {
		const char *f = "?";
		int l = 0;
		abi_pc_line(abi, fn->cu, fn->lowpc + fr->pc_offset - 1, &f, &l);
		return ps_arena_printf(tmp,
			"%s+0x%llx is %s:%d in the binary but %s:%u in the dump",
			fr->func, (unsigned long long)fr->pc_offset, abi_base_name(f),
			l, abi_base_name(src->file), src->line);
	}
	return NULL;
}

static bool checkable(const struct ps_frame *fr)
{
	return fr->kind == PS_FRAME_GO && !fr->inlined && fr->has_pc_offset
	       && strcmp(fr->func, "??") != 0;
}

/* Verdicts are cached per distinct (function, offset, source) so a dump
 * of 100k identical goroutines costs a few hash lookups per frame. */
static const char *stack_verdict(struct ps_abi *abi, const struct ps_stack *st,
				 struct ps_arena *tmp)
{
	for (size_t i = 0; i < st->n_frames; i++) {
		const struct ps_frame *fr = &st->frames[i], *src;
		bool found;
		if (!checkable(fr))
			continue;
		src = inline_head(st, i);
		struct { uint64_t f, file, off, line; } k = {
			abi_frame_name(abi, fr)->hash,
			ps_hash_bytes(src->file, strlen(src->file), PS_HASH_SEED),
			fr->pc_offset, src->line };
		uint64_t key = ps_hash_bytes(&k, sizeof(k), 3);
		if (u64map_get(&abi->checked, key, &found), found)
			continue;
		const char *why = frame_verdict(abi, st, i, tmp);
		if (why != NULL)
			return why;
		u64map_put(&abi->checked, key, NULL);
	}
	return NULL;
}

int ps_abi_check_dump(ps_abi *abi, const struct ps_dump *dump,
		      struct ps_error *err)
{
	struct ps_arena tmp = { 0 };
	const char *why = NULL;
	uint64_t gid = 0;

	if (abi_index(abi, err) < 0)
		return -1;
	for (size_t g = 0; g < dump->n_goroutines && why == NULL; g++) {
		gid = dump->goroutines[g].id;
		why = stack_verdict(abi, &dump->goroutines[g].stack, &tmp);
	}
	if (why == NULL)    /* same code: is it the same data? */
		why = abi_data_verdict(abi, dump, &tmp, &gid);
	if (abi->dwarf_damage != NULL) {
		/* in a unit this dump's functions live in: what is missing
		 * there may be in the binary, so no verdict either way */
		ps_arena_release(&tmp);
		return ps_error_set(err, PS_ERR_NO_DWARF, "%s", abi->dwarf_damage);
	}
	if (why != NULL) {
		ps_error_set(err, PS_ERR_MISMATCH,
			"'%s' is not the binary that crashed: %s (goroutine %llu)",
			abi->path, why, (unsigned long long)gid);
		if (err != NULL)
			err->file = abi->path;
	}
	ps_arena_release(&tmp);
	return why != NULL ? -1 : 0;
}

/* ---- nil dereference ------------------------------------------------ */

static bool is_runtime_frame(const struct ps_frame *fr)
{
	return strncmp(fr->func, "runtime.", 8) == 0 || strcmp(fr->func, "panic") == 0;
}

/* The frame that took the fault: after runtime.sigpanic if printed,
 * else the first non-runtime frame of the crashed goroutine. */
bool abi_is_faulting_frame(const struct ps_dump *dump, const struct ps_stack *st, size_t i)
{
	/* a stack is the crashed goroutine's when it has its calls and its
	 * words: frames arrays are shared by every goroutine with the same
	 * calls, argument arrays by runs of equal ones */
	for (size_t g = 0; g < dump->n_goroutines; g++) {
		const struct ps_goroutine *gr = &dump->goroutines[g];
		const struct ps_stack *cs = &gr->stack;
		if (!gr->crashed || cs->frames != st->frames || cs->args != st->args ||
		    i >= cs->n_frames)
			continue;
		for (size_t k = 0; k < cs->n_frames; k++) {
			const struct ps_frame *fr = &cs->frames[k];
			if (k > 0 && strcmp(cs->frames[k - 1].func, "runtime.sigpanic") == 0)
				return k == i;
			if (!is_runtime_frame(fr))
				return k == i;
		}
	}
	return false;
}

/* "X", "a.b" or "arr[3]" for the field holding byte OFF of T. */
static const char *field_at(const struct abi_type *t, uint64_t off,
			    struct ps_arena *arena, int depth)
{
	if (depth > 8)
		return NULL;
	if (t->tk == TK_ARRAY && t->elem->size > 0) {
		uint64_t i = off / t->elem->size;
		const char *in = field_at(t->elem, off % t->elem->size, arena, depth + 1);
		return in ? ps_arena_printf(arena, "[%llu].%s", (unsigned long long)i, in)
			  : ps_arena_printf(arena, "[%llu]", (unsigned long long)i);
	}
	if (t->tk != TK_STRUCT)
		return NULL;
	for (size_t i = 0; i < t->n_fields; i++) {
		const struct abi_field *f = &t->fields[i];
		if (off < f->off || off - f->off >= f->type->size)
			continue;
		const char *in = field_at(f->type, off - f->off, arena, depth + 1);
		if (in == NULL)
			return f->name;
		return ps_arena_printf(arena, in[0] == '[' ? "%s%s" : "%s.%s",
				       f->name, in);
	}
	return NULL;
}

static const char *nil_param_note(struct ps_abi *abi, const struct abi_param *p,
				  const struct ps_abi_arg *a, uint64_t addr,
				  struct ps_arena *arena)
{
	const struct abi_type *pt;
	bool nil = a->value.kind == PS_V_POINTER && a->reliable && a->value.ptr == 0;
	bool unknown = a->value.kind == PS_V_ABSENT || !a->reliable;

	if (p->type->tk != TK_PTR || !(nil || unknown) || p->type->elem_die == 0
	    || (pt = abi_type_at(abi, p->type->elem_die)) == NULL
	    || addr >= (pt->size ? pt->size : 1))
		return NULL;
	/* The compiler's explicit nil checks touch byte 0: no field then. */
	if (addr == 0)
		return ps_arena_printf(arena, "%snil %s dereference",
				       nil ? "" : "possibly ", p->type->name);
	const char *field = field_at(pt, addr, arena, 0);
	return ps_arena_printf(arena, "%snil %s, reading %s%s at +0x%llx",
			       nil ? "" : "possibly ", p->type->name,
			       field ? "field " : "", field ? field : "it",
			       (unsigned long long)addr);
}

/* The physical frame an inlined frame I of ST sits in: the index of
 * the next one printed with "+0x" below it, or ST's frame count. */
static size_t physical_below(const struct ps_stack *st, size_t i)
{
	for (i++; i < st->n_frames; i++)
		if (!st->frames[i].inlined)
			return i;
	return st->n_frames;
}

/* An inlined method prints no arguments; if the frame it was inlined
 * into got a nil pointer of the same type, the "possibly" goes. */
static bool nil_in_caller(struct ps_abi *abi, const struct ps_dump *dump,
			  const struct ps_stack *st, size_t i, const char *type,
			  struct ps_arena *arena)
{
	size_t below = physical_below(st, i);
	struct ps_abi_frame out;

	if (below == st->n_frames)
		return false;
	ps_abi_decode_frame(abi, dump, st, below, PS_ARGFMT_AUTO, arena, &out);
	for (size_t k = 0; k < out.n_args; k++)
		if (out.args[k].reliable && out.args[k].value.kind == PS_V_POINTER
		    && out.args[k].value.ptr == 0
		    && strcmp(out.args[k].type, type) == 0)
			return true;
	return false;
}

const char *abi_nil_note(struct ps_abi *abi, const struct ps_dump *dump,
			 const struct ps_stack *st, size_t fi, const struct abi_fn *fn,
			 const struct ps_abi_frame *out,
			 struct ps_arena *arena)
{
	const struct ps_frame *frame = &st->frames[fi];
	const char *note = NULL, *maybe = NULL, *maybe_type = NULL;
	bool all = out->n_args == fn->n_params;  /* words: results listed */

	if (dump->signal == NULL || dump->signal->addr == NULL)
		return NULL;
	/* the address first: finding the faulting frame walks the dump,
	 * and most dumps (SIGQUIT, plain panics) have no small address */
	char *end;
	uint64_t addr = strtoull(dump->signal->addr, &end, 16);
	if (end == dump->signal->addr || addr >= SMALL_ADDR
	    || !abi_is_faulting_frame(dump, st, fi))
		return NULL;
	for (size_t i = 0, j = 0; i < fn->n_params && j < out->n_args && !note; i++) {
		const struct abi_param *p = &fn->params[i];
		if (!all && (p->result || p->dict))
			continue;
		const char *n = nil_param_note(abi, p, &out->args[j++], addr, arena);
		if (n != NULL && strncmp(n, "possibly ", 9) == 0) {
			if (maybe == NULL) {
				maybe = n;
				maybe_type = p->type->name;
			}
		} else {
			note = n;
		}
	}
	if (note == NULL && maybe != NULL && frame->inlined
	    && nil_in_caller(abi, dump, st, fi, maybe_type, arena))
		return maybe + 9;
	return note ? note : maybe;
}
