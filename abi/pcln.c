/*
 * pcln.c - file:line of a pc from Go's own function table, .gopclntab.
 *
 * The binary check asks, for a few hundred distinct (function, offset)
 * pairs of a big dump, which line a pc is on.  libdw answers from the
 * whole line program of the function's unit, decoded and sorted once per
 * unit: most of what -b cost on a big SIGQUIT dump.  The Go linker also
 * writes, per function, a small "pc -> line" and "pc -> file" table for
 * the runtime's own tracebacks; reading the one function's tables is a
 * binary search and a short varint walk.
 *
 * Layouts (runtime/symtab.go, debug/gosym): a header whose magic names
 * the version (Go 1.2, 1.16, 1.18, 1.20+), a table of (entry, offset of
 * the function's record) sorted by entry, per-function records holding
 * offsets of their pcvalue tables, and file names (one table in 1.2; a
 * per-compilation-unit index into a string table since 1.16).  Every
 * offset read from the file is checked against its table before use;
 * anything that does not fit, and a function whose recorded entry is not
 * the DWARF one, answers "unknown" and the caller asks DWARF.
 */
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"

enum pcln_ver { PCLN_NONE, PCLN_12, PCLN_116, PCLN_118 };

/* A byte range of the table, bounds-checked once when cut. */
struct span {
	const unsigned char *p;
	uint64_t len;
};

struct abi_pcln {
	enum pcln_ver ver;
	unsigned ptr, quantum;
	uint64_t nfunc, text;
	struct span all, functab, funcs, pctab, names, cutab;
	uint32_t nfiles12;              /* Go 1.2: entries in the file table */
};

/* SUB = [off, off+len) of S; false when that does not fit in S. */
static bool cut(struct span s, uint64_t off, uint64_t len, struct span *sub)
{
	if (off > s.len || len > s.len - off)
		return false;
	sub->p = s.p + off;
	sub->len = len;
	return true;
}

static bool load(const struct ps_abi *abi, struct span s, uint64_t off,
		 unsigned n, uint64_t *out)
{
	struct span v;
	if (!cut(s, off, n, &v))
		return false;
	*out = abi_load_uint(abi, v.p, n);
	return true;
}

/* The section's bytes: ".gopclntab", else runtime.pclntab..epclntab
 * (a PIE or externally linked binary may keep it in .data.rel.ro). */
static bool find_table(const struct ps_abi *abi, struct span *t)
{
	GElf_Shdr sh;

	if (abi_section_named(abi, ".gopclntab", &sh) != NULL) {
		struct span file = { abi->image, abi->image_len };
		return sh.sh_type != SHT_NOBITS
		       && cut(file, sh.sh_offset, sh.sh_size, t);
	}
	const struct abi_sym *a = abi_sym_named(abi, "runtime.pclntab");
	const struct abi_sym *e = abi_sym_named(abi, "runtime.epclntab");
	if (a == NULL || e == NULL || e->addr <= a->addr)
		return false;
	struct abi_sec const *s = abi_sec_at(abi, a->addr);
	if (s == NULL || s->nobits || e->addr - a->addr > s->size - (a->addr - s->addr))
		return false;
	t->p = abi->image + s->off + (a->addr - s->addr);
	t->len = e->addr - a->addr;
	return true;
}

/* Go 1.16+: the header's word-sized fields from word 0 (nfunc) on. */
static bool header_words(const struct ps_abi *abi, struct abi_pcln *pt,
			 uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (!load(abi, pt->all, 8 + (uint64_t)i * pt->ptr, pt->ptr, &w[i]))
			return false;
	return true;
}

/* SUB = S from OFF to its end. */
static bool tail(struct span s, uint64_t off, struct span *sub)
{
	return off <= s.len && cut(s, off, s.len - off, sub);
}

/* Go 1.16+: sub-tables at offsets the header gives. */
static bool layout_new(const struct ps_abi *abi, struct abi_pcln *pt)
{
	/* nfunc nfiles [text] names cutab filetab pctab functab */
	uint64_t w[8];
	unsigned k = pt->ver == PCLN_116 ? 0 : 1;
	uint64_t stride = pt->ver == PCLN_116 ? 2 * pt->ptr : 8;

	if (!header_words(abi, pt, w, 7 + k))
		return false;
	pt->nfunc = w[0];
	pt->text = k ? w[2] : 0;
	/* records lie at offsets from the function table */
	return pt->nfunc < UINT64_MAX / stride - 1
	       && tail(pt->all, w[6 + k], &pt->funcs)
	       && cut(pt->funcs, 0, (pt->nfunc + 1) * stride, &pt->functab)
	       && tail(pt->all, w[5 + k], &pt->pctab)
	       && tail(pt->all, w[4 + k], &pt->names)
	       && tail(pt->all, w[3 + k], &pt->cutab);
}

/* Go 1.2: one table; the file list follows the function table. */
static bool layout_12(const struct ps_abi *abi, struct abi_pcln *pt)
{
	uint64_t stride = 2 * pt->ptr, ftoff, nf;

	if (!load(abi, pt->all, 8, pt->ptr, &pt->nfunc)
	    || pt->nfunc > UINT64_MAX / stride - 1
	    || !cut(pt->all, 8 + pt->ptr, pt->nfunc * stride + pt->ptr, &pt->functab)
	    || !load(abi, pt->all, 8 + pt->ptr + pt->nfunc * stride + pt->ptr, 4, &ftoff)
	    || !load(abi, pt->all, ftoff, 4, &nf)
	    || !cut(pt->all, ftoff, nf * 4, &pt->names))
		return false;
	pt->nfiles12 = (uint32_t)nf;
	pt->funcs = pt->pctab = pt->all;
	return true;
}

static struct abi_pcln *pcln_open(struct ps_abi *abi)
{
	struct abi_pcln pt = { 0 };
	uint64_t magic;

	if (!find_table(abi, &pt.all) || !load(abi, pt.all, 0, 4, &magic)
	    || pt.all.len < 8 || pt.all.p[4] != 0 || pt.all.p[5] != 0)
		return NULL;
	pt.quantum = pt.all.p[6];
	pt.ptr = pt.all.p[7];
	if (pt.ptr != abi->word || (pt.quantum != 1 && pt.quantum != 2
				    && pt.quantum != 4))
		return NULL;
	switch (magic) {
	case 0xfffffffb: pt.ver = PCLN_12; break;
	case 0xfffffffa: pt.ver = PCLN_116; break;
	case 0xfffffff0: case 0xfffffff1: pt.ver = PCLN_118; break;
	default: return NULL;
	}
	if (!(pt.ver == PCLN_12 ? layout_12(abi, &pt) : layout_new(abi, &pt)))
		return NULL;
	if (pt.ver == PCLN_118) {
		/* a PIE's header word may be left to a relocation */
		const struct abi_sym *t = abi_sym_named(abi, "runtime.text");
		if (t != NULL)
			pt.text = t->addr;
	}
	struct abi_pcln *p = ps_arena_alloc(&abi->arena, sizeof(*p));
	*p = pt;
	return p;
}

/* Entry pc and record offset of function table row I. */
static bool row(const struct ps_abi *abi, const struct abi_pcln *pt,
		uint64_t i, uint64_t *entry, uint64_t *rec)
{
	if (pt->ver == PCLN_118) {
		if (!load(abi, pt->functab, i * 8, 4, entry)
		    || !load(abi, pt->functab, i * 8 + 4, 4, rec))
			return false;
		*entry += pt->text;
		return true;
	}
	return load(abi, pt->functab, i * 2 * pt->ptr, pt->ptr, entry)
	       && load(abi, pt->functab, (i * 2 + 1) * pt->ptr, pt->ptr, rec);
}

/* The record of the function entered at ENTRY, checked to say so. */
static bool func_record(const struct ps_abi *abi, const struct abi_pcln *pt,
			uint64_t entry, struct span *rec)
{
	uint64_t lo = 0, hi = pt->nfunc, e, off, own;
	unsigned ew = pt->ver == PCLN_118 ? 4 : pt->ptr;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (!row(abi, pt, mid, &e, &off))
			return false;
		if (e == entry) {
			/* entry word, then 7 (1.2) or 8 32-bit fields */
			if (!cut(pt->funcs, off, ew + 32, rec)
			    || !load(abi, *rec, 0, ew, &own))
				return false;
			return (pt->ver == PCLN_118 ? own + pt->text : own) == entry;
		}
		if (entry < e)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* One unsigned varint of at most 32 bits at *AT in T. */
static bool uvarint(struct span t, uint64_t *at, uint32_t *out)
{
	uint32_t v = 0;
	for (unsigned shift = 0; shift < 35; shift += 7) {
		if (*at >= t.len)
			return false;
		unsigned char b = t.p[(*at)++];
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

/* The value the pcvalue table at OFF of PCTAB gives PC, for the
 * function entered at ENTRY: pairs of (zig-zag value delta, pc delta
 * in quanta), starting from -1 at the entry, ended by a 0 value delta. */
static bool pcvalue(const struct abi_pcln *pt, uint64_t off, uint64_t entry,
		    uint64_t pc, int32_t *out)
{
	uint64_t at = off, cur = entry;
	int32_t val = -1;

	if (off == 0 || pc < entry)
		return false;
	for (;;) {
		uint32_t dv, dpc;
		/* a 0 delta ends the table, except at the entry itself */
		if (!uvarint(pt->pctab, &at, &dv) || (dv == 0 && cur != entry)
		    || !uvarint(pt->pctab, &at, &dpc))
			return false;
		val += (int32_t)((dv >> 1) ^ (0u - (dv & 1)));
		uint64_t step = (uint64_t)dpc * pt->quantum;
		if (step > UINT64_MAX - cur)
			return false;
		cur += step;
		if (pc < cur) {
			*out = val;
			return true;
		}
	}
}

/* NUL-terminated string at OFF of T. */
static const char *str_at(struct span t, uint64_t off)
{
	if (off >= t.len || memchr(t.p + off, '\0', t.len - off) == NULL)
		return NULL;
	return (const char *)t.p + off;
}

static const char *file_name(const struct ps_abi *abi,
			     const struct abi_pcln *pt, struct span rec,
			     unsigned ew, int32_t fno)
{
	uint64_t cu, off;

	if (fno < 0)
		return NULL;
	if (pt->ver == PCLN_12) {       /* word 0 is the count */
		if (fno == 0 || (uint32_t)fno >= pt->nfiles12
		    || !load(abi, pt->names, (uint64_t)fno * 4, 4, &off))
			return NULL;
		return str_at(pt->all, off);
	}
	if (!load(abi, rec, ew + 28, 4, &cu)
	    || !load(abi, pt->cutab, (cu + (uint64_t)fno) * 4, 4, &off)
	    || off == 0xffffffff)
		return NULL;
	return str_at(pt->names, off);
}

int abi_pcln_line(struct ps_abi *abi, const struct abi_fn *fn, uint64_t pc,
		  const char **file, int *line)
{
	struct span rec;
	uint64_t pcfile, pcln;
	int32_t fno, ln;

	if (!abi->pcln_tried) {
		abi->pcln_tried = true;
		abi->pcln = pcln_open(abi);
	}
	const struct abi_pcln *pt = abi->pcln;
	if (pt == NULL || fn->highpc == 0 || pc >= fn->highpc
	    || !func_record(abi, pt, fn->lowpc, &rec))
		return -1;
	unsigned ew = pt->ver == PCLN_118 ? 4 : pt->ptr;
	if (!load(abi, rec, ew + 16, 4, &pcfile) || !load(abi, rec, ew + 20, 4, &pcln)
	    || !pcvalue(pt, pcln, fn->lowpc, pc, &ln) || ln <= 0
	    || !pcvalue(pt, pcfile, fn->lowpc, pc, &fno)
	    || (*file = file_name(abi, pt, rec, ew, fno)) == NULL)
		return -1;
	*line = ln;
	return 0;
}
