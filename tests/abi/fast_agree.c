/*
 * fast_agree - test helper: do the decoder's two shortcuts past libdw
 * give what libdw gives, on a real binary?
 *
 * 0. The symbols elf.c sorted by merging the table's runs are in order.
 *
 * 1. abi/diewalk.c's list of each unit's top-level DIEs (the function
 *    index is built from it) against libdw's dwarf_child/dwarf_siblingof
 *    walk, unit by unit: the same DIEs in the same order, and the fast
 *    list must exist for every unit (else it is never used).
 *
 * 2. Does Go's function table (.gopclntab, read by abi/pcln.c) give every
 * pc of a binary the file:line its DWARF line table gives?  The binary
 * check takes the table's "yes" without asking DWARF, so one pc where
 * they differ could pass a frame DWARF would reject.
 *
 * For every function with code that an ELF function symbol names, every
 * pc (step STEP, default 1) is looked up both ways.  Prints the counts
 * and the first pcs where the two differ.  They do differ, rarely: Go
 * 1.16's DWARF gives a few inline-mark NOPs another line than the table
 * (the table is what Go's own traceback prints).  A misread table
 * differs almost everywhere, so the exit is 1 when more than 1 pc in
 * 1,000 differs, or when the table answered for fewer than MIN percent
 * (default 90) of the pcs DWARF answered for: a table the reader cannot
 * read would otherwise pass by answering nothing.
 *
 * usage: fast_agree BINARY [STEP [MIN]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"

struct counts {
	unsigned long pcs, both, pcln_only, dwarf_only, differ;
};

static void one_fn(struct ps_abi *abi, const struct abi_fn *fn, uint64_t step,
		   struct counts *c)
{
	for (uint64_t pc = fn->lowpc; pc < fn->highpc; pc += step) {
		const char *f1 = NULL, *f2 = NULL;
		int l1 = 0, l2 = 0;
		bool a = abi_pcln_line(abi, fn, pc, &f1, &l1) == 0;
		bool b = abi_pc_line(abi, fn->cu, pc, &f2, &l2) == 0;
		c->pcs++;
		if (a && b && l1 == l2 && strcmp(abi_base_name(f1), abi_base_name(f2)) == 0)
			c->both++;
		else if (a && b) {
			if (c->differ++ < 10)
				printf("differ: %s+0x%llx: table %s:%d, DWARF %s:%d\n",
				       fn->name, (unsigned long long)(pc - fn->lowpc),
				       f1, l1, f2, l2);
		} else if (a)
			c->pcln_only++;
		else if (b)
			c->dwarf_only++;
	}
}

/* 1: units where the fast list differs from libdw's (or is missing). */
static unsigned long units_differ(struct ps_abi *abi, unsigned long *units)
{
	unsigned long bad = 0;
	Dwarf_CU *unit = NULL;
	Dwarf_Die cu, die;
	Dwarf_Half version;
	uint8_t type;

	while (dwarf_get_units(abi->dwarf, unit, &unit, &version, &type, &cu, NULL) == 0) {
		struct ps_vec tops;
		size_t k = 0;
		int rc;
		Dwarf_Off off = dwarf_dieoffset(&cu);
		(*units)++;
		ps_vec_init(&tops, sizeof(const void *));
		bool walked = abi_unit_tops(abi, &cu, off, &tops) == 0, same = walked;
		for (rc = dwarf_child(&cu, &die); same && rc == 0;
		     rc = dwarf_siblingof(&die, &die), k++)
			same = k < tops.len && *(void **)ps_vec_at(&tops, k) == die.addr;
		if (!same || rc < 0 || k != tops.len) {
			if (bad++ < 5 && !walked)
				printf("unit at 0x%llx: the fast walk gave up\n",
				       (unsigned long long)off);
			else if (bad <= 5)
				printf("unit at 0x%llx: %zu top-level DIEs by the fast walk, "
				       "libdw differs at DIE %zu\n",
				       (unsigned long long)off, tops.len, k);
		}
		ps_vec_release(&tops);
	}
	return bad;
}

int main(int argc, char **argv)
{
	struct ps_error err = { 0 };
	struct counts c = { 0 };
	struct u64map seen = { 0 };
	bool found;

	if (argc < 2) {
		fprintf(stderr, "usage: fast_agree BINARY [STEP [MIN]]\n");
		return 2;
	}
	uint64_t step = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	double min = argc > 3 ? strtod(argv[3], NULL) : 90;
	ps_abi *abi = ps_abi_open(argv[1], &err);
	if (abi == NULL || step == 0) {
		fprintf(stderr, "fast_agree: %s\n", abi ? "STEP must be > 0" : err.msg);
		return 2;
	}
	/* 0. elf.c's merge of the symbol table's runs: in order */
	for (size_t i = 1; i < abi->n_syms; i++) {
		const struct abi_sym *a = &abi->syms[i - 1], *b = &abi->syms[i];
		if (a->addr > b->addr || (a->addr == b->addr && a->size < b->size)) {
			printf("symbols %zu and %zu out of order\n", i - 1, i);
			return 1;
		}
	}
	unsigned long units = 0, bad_units = units_differ(abi, &units);
	printf("%s: %lu units, %lu listed unlike libdw\n", argv[1], units, bad_units);
	for (size_t i = 0; i < abi->n_syms; i++) {
		const struct abi_sym *s = &abi->syms[i];
		if (!s->func)
			continue;
		for (struct abi_fn *fn = abi_fn_lookup(abi, s->name); fn; fn = fn->next) {
			if (fn->highpc == 0 || (u64map_get(&seen, fn->lowpc, &found), found))
				continue;
			u64map_put(&seen, fn->lowpc, NULL);
			one_fn(abi, fn, step, &c);
		}
	}
	unsigned long dwarf = c.both + c.differ + c.dwarf_only;
	double pct = dwarf ? 100.0 * (double)(c.both + c.differ) / (double)dwarf : 0;
	printf("%s: %lu pcs: %lu agree, %lu differ, %lu only the table, %lu only DWARF "
	       "(the table answered %.1f%% of DWARF's)\n", argv[1], c.pcs, c.both,
	       c.differ, c.pcln_only, c.dwarf_only, pct);
	u64map_release(&seen);
	ps_abi_close(abi);
	return bad_units == 0 && units > 0 && c.differ * 1000 <= c.both + c.differ
	       && pct >= min ? 0 : 1;
}
