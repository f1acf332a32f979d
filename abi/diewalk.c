/*
 * diewalk.c - the top-level DIEs of a unit, found by skipping the bytes
 * of the ones below them.
 *
 * Go writes no DW_AT_sibling, so libdw finds a function's next sibling
 * by reading every attribute of every DIE inside it (parameters,
 * variables, lexical blocks, inlined calls): two thirds of what walking
 * a unit cost, and the walk was over half of what -b cost on a big
 * SIGQUIT dump once the line tables were gone (pcln.c).  Here each
 * abbreviation's attribute forms are listed once (from libdw's own
 * abbreviation reader) and a DIE is skipped by adding up its forms'
 * sizes.  Anything unexpected (a form not listed, DW_FORM_indirect, an
 * abbreviation code not in the table, a size or a list of children
 * running past the unit's end) answers -1, and the caller walks the
 * unit with libdw as before, which reports damage.  The walk ends with
 * the unit DIE's children: bytes after them (padding) are not read.
 */
#include <dwarf.h>
#include <string.h>

#include "abi_int.h"

#define MAX_CODE 1024           /* Go's abbreviation codes are small */
#define VAR_SIZE UINT32_MAX

struct abbrev {
	bool known, children;
	uint32_t fixed;         /* bytes of a DIE of it, or VAR_SIZE */
	unsigned *forms;        /* when VAR_SIZE: its forms, 0-ended */
};

struct abi_abbrevs {
	Dwarf_Off off;          /* table offset in .debug_abbrev */
	uint8_t asz, osz;       /* address and offset size */
	struct abbrev by_code[MAX_CODE];
};

/* Bytes of FORM when it has a fixed size; 0 with *VAR when not; -1
 * when the form is not one this reader knows. */
static int form_size(unsigned form, uint8_t asz, uint8_t osz, bool *var)
{
	*var = false;
	switch (form) {
	case DW_FORM_flag_present: case DW_FORM_implicit_const: return 0;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag:
	case DW_FORM_strx1: case DW_FORM_addrx1: return 1;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2:
	case DW_FORM_addrx2: return 2;
	case DW_FORM_strx3: case DW_FORM_addrx3: return 3;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_strx4:
	case DW_FORM_addrx4: case DW_FORM_ref_sup4: return 4;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8: return 8;
	case DW_FORM_data16: return 16;
	case DW_FORM_addr: return asz;
	case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset:
	case DW_FORM_ref_addr: case DW_FORM_strp_sup: return osz;
	case DW_FORM_sdata: case DW_FORM_udata: case DW_FORM_ref_udata:
	case DW_FORM_strx: case DW_FORM_addrx: case DW_FORM_rnglistx:
	case DW_FORM_loclistx: case DW_FORM_string: case DW_FORM_block1:
	case DW_FORM_block2: case DW_FORM_block4: case DW_FORM_block:
	case DW_FORM_exprloc:
		*var = true;
		return 0;
	default: return -1;     /* DW_FORM_indirect and the unknown */
	}
}

/* Lists abbreviation A's forms into T; false when one is unknown. */
static bool note_abbrev(struct ps_abi *abi, struct abi_abbrevs *t,
			Dwarf_Abbrev *a)
{
	unsigned code = dwarf_getabbrevcode(a), name, form;
	size_t n;
	Dwarf_Sword data;
	Dwarf_Off off;
	bool var, any_var = false;
	uint32_t fixed = 0;

	if (code == 0 || code >= MAX_CODE || t->by_code[code].known
	    || dwarf_getattrcnt(a, &n) != 0 || n > 256)
		return false;
	struct abbrev *ab = &t->by_code[code];
	ab->forms = ps_arena_alloc(&abi->arena, (n + 1) * sizeof(*ab->forms));
	for (size_t i = 0; i < n; i++) {
		int sz;
		if (dwarf_getabbrevattr_data(a, i, &name, &form, &data, &off) != 0
		    || form == 0 || (sz = form_size(form, t->asz, t->osz, &var)) < 0)
			return false;
		ab->forms[i] = form;
		fixed += (uint32_t)sz;
		any_var |= var;
	}
	ab->forms[n] = 0;
	ab->fixed = any_var ? VAR_SIZE : fixed;
	ab->children = dwarf_abbrevhaschildren(a) == 1;
	ab->known = true;
	return true;
}

/* The abbreviation table at OFF, read through libdw from the unit DIE
 * CU (its offsets are relative to the unit's table). */
static struct abi_abbrevs *abbrevs(struct ps_abi *abi, Dwarf_Die *cu,
				   Dwarf_Off off, uint8_t asz, uint8_t osz)
{
	struct abi_abbrevs *t = abi->abbrevs;
	if (t != NULL && t->off == off && t->asz == asz && t->osz == osz)
		return t;
	if (t == NULL)
		t = abi->abbrevs = ps_arena_alloc(&abi->arena, sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->off = off;
	t->asz = asz;
	t->osz = osz;
	for (Dwarf_Off at = 0;;) {
		size_t len = 0;
		Dwarf_Abbrev *a = dwarf_getabbrev(cu, at, &len);
		if (a == DWARF_END_ABBREV)
			return t;
		if (a == NULL || len == 0 || !note_abbrev(abi, t, a)) {
			t->off = (Dwarf_Off)-1;         /* unusable: not cached */
			return NULL;
		}
		at += len;
	}
}

static bool leb(const unsigned char **p, const unsigned char *end,
		uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; *p < end; shift += 7) {
		unsigned char b = *(*p)++;
		if (shift < 64)
			*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/* Bytes after *P that the length prefix of a block FORM announces, *P
 * moved past the prefix; false when the prefix does not fit. */
static bool block_len(const struct ps_abi *abi, unsigned form,
		      const unsigned char **p, const unsigned char *end,
		      uint64_t *n)
{
	unsigned w = form == DW_FORM_block1 ? 1 : form == DW_FORM_block2 ? 2
		     : form == DW_FORM_block4 ? 4 : 0;
	if (w == 0)             /* DW_FORM_block, DW_FORM_exprloc */
		return leb(p, end, n);
	if ((size_t)(end - *p) < w)
		return false;
	*n = abi_load_uint(abi, *p, w);
	*p += w;
	return true;
}

/* Advances *P past one value of FORM; false when it would pass END. */
static bool skip_form(const struct ps_abi *abi, const struct abi_abbrevs *t,
		      unsigned form, const unsigned char **p,
		      const unsigned char *end)
{
	uint64_t n = 0;
	bool var;
	int sz = form_size(form, t->asz, t->osz, &var);

	if (!var) {
		n = (uint64_t)sz;
	} else if (form == DW_FORM_string) {
		const unsigned char *z = memchr(*p, 0, (size_t)(end - *p));
		if (z == NULL)
			return false;
		n = (uint64_t)(z - *p) + 1;
	} else if (form == DW_FORM_block1 || form == DW_FORM_block2
		   || form == DW_FORM_block4 || form == DW_FORM_block
		   || form == DW_FORM_exprloc) {
		if (!block_len(abi, form, p, end, &n))
			return false;
	} else {                /* the LEB128 forms */
		return leb(p, end, &n);
	}
	if (n > (uint64_t)(end - *p))
		return false;
	*p += n;
	return true;
}

/* Moves *P past the DIE whose abbreviation code was just read. */
static bool skip_die(const struct ps_abi *abi, const struct abi_abbrevs *t,
		     const struct abbrev *ab, const unsigned char **p,
		     const unsigned char *end)
{
	if (ab->fixed != VAR_SIZE) {
		if (ab->fixed > (size_t)(end - *p))
			return false;
		*p += ab->fixed;
		return true;
	}
	for (const unsigned *f = ab->forms; *f != 0; f++)
		if (!skip_form(abi, t, *f, p, end))
			return false;
	return true;
}

/* The bytes of .debug_info as libdw reads them (inflated: by abi.c, or
 * by libdw in place for the older GNU-style .zdebug_info). */
static bool info_bytes(struct ps_abi *abi, const unsigned char **base,
		       size_t *len)
{
	GElf_Shdr sh;
	Elf_Data *d;
	Elf_Scn *scn = abi_section_named(abi, ".debug_info", &sh);

	if (scn == NULL)        /* Go < 1.17 */
		scn = abi_section_named(abi, ".zdebug_info", &sh);
	if (scn == NULL || sh.sh_type == SHT_NOBITS
	    || (d = elf_getdata(scn, NULL)) == NULL || d->d_buf == NULL)
		return false;
	*base = d->d_buf;
	*len = d->d_size;
	return true;
}

/* Where unit CU's DIEs lie: [*P, *END) of .debug_info. */
static bool unit_bytes(struct ps_abi *abi, Dwarf_Die *cu, Dwarf_Off off,
		       const unsigned char **p, const unsigned char **end,
		       Dwarf_Off *abbrev_off, uint8_t *asz, uint8_t *osz)
{
	const unsigned char *base;
	size_t len, hsize;
	Dwarf_Off next, hdr;
	Dwarf_Half version;

	if (!info_bytes(abi, &base, &len) || (const unsigned char *)cu->addr != base + off
	    || (hdr = dwarf_cuoffset(cu)) > off
	    || dwarf_next_unit(abi->dwarf, off - hdr, &next, &hsize, &version,
			       abbrev_off, asz, osz, NULL, NULL) != 0
	    || version < 3 || next > len || next <= off)
		return false;
	*p = base + off;
	*end = base + next;
	return true;
}

int abi_unit_tops(struct ps_abi *abi, Dwarf_Die *cu, Dwarf_Off off,
		  struct ps_vec *out)
{
	const unsigned char *p, *end;
	Dwarf_Off aoff;
	uint8_t asz, osz;
	struct abi_abbrevs *t;
	size_t depth = 0;

	if (!unit_bytes(abi, cu, off, &p, &end, &aoff, &asz, &osz)
	    || (asz != 4 && asz != 8) || (osz != 4 && osz != 8)
	    || (t = abbrevs(abi, cu, aoff, asz, osz)) == NULL)
		return -1;
	do {
		uint64_t code;
		const unsigned char *at = p;
		if (!leb(&p, end, &code))
			return -1;
		if (code == 0) {        /* the end of a list of children */
			if (depth-- == 0)
				return -1;
			continue;
		}
		const struct abbrev *ab = code < MAX_CODE ? &t->by_code[code] : NULL;
		if (ab == NULL || !ab->known || !skip_die(abi, t, ab, &p, end))
			return -1;
		if (depth == 1)
			*(const void **)ps_vec_push(out) = at;
		if (ab->children)
			depth++;
	} while (depth > 0);
	return 0;
}
