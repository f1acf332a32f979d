/*
 * elf.c - the ELF side of a binary: architecture, allocated sections (to
 * read the memory image: string bytes, itabs, funcvals), the symbol
 * table (addresses -> names) and the Go build info.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"

#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif

static const char *arch_name(unsigned machine, bool is64, bool big)
{
	switch (machine) {
	case EM_X86_64: return "amd64";
	case EM_386: return "386";
	case EM_AARCH64: return "arm64";
	case EM_ARM: return "arm";
	case EM_PPC64: return big ? "ppc64" : "ppc64le";
	case EM_S390: return "s390x";
	case EM_RISCV: return "riscv64";
	case EM_LOONGARCH: return "loong64";
	case EM_MIPS:
		if (is64)
			return big ? "mips64" : "mips64le";
		return big ? "mips" : "mipsle";
	default: return "unknown";
	}
}

uint64_t abi_load_uint(const struct ps_abi *abi, const unsigned char *p,
		       unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned k = abi->big_endian ? i : n - 1 - i;
		v = v << 8 | p[k];
	}
	return v;
}

static int sec_cmp(const void *a, const void *b)
{
	const struct abi_sec *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Collects SHF_ALLOC sections and rejects a file cut short: a section
 * whose bytes lie past the end means a truncated copy, and libelf would
 * otherwise fail later with a less useful message. */
static int load_sections(struct ps_abi *abi, struct ps_error *err)
{
	struct ps_vec v;
	Elf_Scn *scn = NULL;
	size_t shstrndx = 0;

	ps_vec_init(&v, sizeof(struct abi_sec));
	elf_getshdrstrndx(abi->elf, &shstrndx);
	while ((scn = elf_nextscn(abi->elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) == NULL)
			continue;
		/* Written so a hostile offset + size cannot wrap past 2^64. */
		if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > abi->image_len
		    || sh.sh_size > abi->image_len - sh.sh_offset)) {
			const char *nm = elf_strptr(abi->elf, shstrndx, sh.sh_name);
			ps_vec_release(&v);
			return ps_error_set(err, PS_ERR_NOT_ELF,
				"'%s' is truncated or damaged: section %s has bytes %llu+%llu, the file has %zu",
				abi->path, nm ? nm : "?",
				(unsigned long long)sh.sh_offset,
				(unsigned long long)sh.sh_size, abi->image_len);
		}
		/* An allocated section whose addresses wrap would make every
		 * address lookup below unsound. */
		if ((sh.sh_flags & SHF_ALLOC) && sh.sh_size > UINT64_MAX - sh.sh_addr)
			continue;
		if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_size == 0)
			continue;
		struct abi_sec *s = ps_vec_push(&v);
		s->addr = sh.sh_addr;
		s->size = sh.sh_size;
		s->off = sh.sh_offset;
		s->nobits = sh.sh_type == SHT_NOBITS;
		s->writable = sh.sh_flags & SHF_WRITE;
		s->exec = sh.sh_flags & SHF_EXECINSTR;
	}
	abi->secs = ps_vec_finish(&v, &abi->arena, &abi->n_secs);
	ps_vec_release(&v);
	if (abi->n_secs > 1)
		qsort(abi->secs, abi->n_secs, sizeof(*abi->secs), sec_cmp);
	return 0;
}

size_t abi_range_find(const void *base, size_t n, size_t stride, size_t at,
		      size_t len, uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *e = (const char *)base + mid * stride;
		uint64_t start, size;
		memcpy(&start, e + at, sizeof(start));
		memcpy(&size, e + len, sizeof(size));
		if (addr < start)
			hi = mid;
		else if (addr - start >= size)
			lo = mid + 1;
		else
			return mid;
	}
	return n;
}

const struct abi_sec *abi_sec_at(const struct ps_abi *abi, uint64_t addr)
{
	size_t i = abi_range_find(abi->secs, abi->n_secs, sizeof(*abi->secs),
				  offsetof(struct abi_sec, addr),
				  offsetof(struct abi_sec, size), addr);
	return i < abi->n_secs ? &abi->secs[i] : NULL;
}

static const unsigned char *image_at(const struct ps_abi *abi, uint64_t addr,
				     uint64_t n, bool ro_only)
{
	const struct abi_sec *s = abi_sec_at(abi, addr);
	if (s == NULL || s->nobits || (ro_only && (s->writable || s->exec)))
		return NULL;
	/* load_sections checked off + size against the file. */
	if (n > s->size - (addr - s->addr))
		return NULL;
	return abi->image + s->off + (addr - s->addr);
}

int abi_read(const struct ps_abi *abi, uint64_t addr, void *out, size_t n)
{
	const unsigned char *p = image_at(abi, addr, n, false);
	if (p == NULL)
		return -1;
	memcpy(out, p, n);
	return 0;
}

const unsigned char *abi_rodata(const struct ps_abi *abi, uint64_t addr,
				uint64_t n)
{
	return image_at(abi, addr, n, true);
}

int abi_read_word(const struct ps_abi *abi, uint64_t addr, uint64_t *out)
{
	const unsigned char *p = image_at(abi, addr, abi->word, false);
	if (p == NULL)
		return -1;
	*out = abi_load_uint(abi, p, abi->word);
	return 0;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct abi_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->size < y->size) - (x->size > y->size); /* sized first */
}

/* Merges the sorted runs S[R[i]..R[i+1]) pairwise into T until one is
 * left; R holds N+1 bounds (the last is the length).  Returns the
 * array that holds the result (S or T). */
static struct abi_sym *merge_runs(struct abi_sym *s, struct abi_sym *t,
				  size_t *r, size_t n)
{
	while (n > 1) {
		size_t m = 0;
		for (size_t i = 0; i < n; i += 2, m++) {
			size_t a = r[i], mid = r[n], b = r[n];
			if (i + 1 < n) {
				mid = r[i + 1];
				b = r[i + 2];
			}
			size_t x = a, y = mid, k = a;
			while (x < mid && y < b)    /* stable: ties from the left */
				t[k++] = sym_cmp(&s[y], &s[x]) < 0 ? s[y++] : s[x++];
			while (x < mid)
				t[k++] = s[x++];
			while (y < b)
				t[k++] = s[y++];
			r[m] = a;
		}
		r[m] = r[n];
		n = m;
		struct abi_sym *sw = s;
		s = t;
		t = sw;
	}
	return s;
}

/* Go's linker writes the symbol table nearly in address order (881
 * ascending runs of 95,208 symbols in the 75 MB bench binary): merging
 * those runs costs n log(runs), where qsort cost n log n (63 M of the
 * 305 M instructions -b added to a crash dump there).  Stable, so equal
 * symbols keep their table order, as glibc's merge-sort qsort kept it. */
static void sort_symbols(struct abi_sym *s, size_t n)
{
	struct ps_vec runs;
	size_t nr;

	if (n < 2)
		return;
	ps_vec_init(&runs, sizeof(size_t));
	*(size_t *)ps_vec_push(&runs) = 0;
	for (size_t i = 1; i < n; i++)
		if (sym_cmp(&s[i - 1], &s[i]) > 0)
			*(size_t *)ps_vec_push(&runs) = i;
	nr = runs.len;
	*(size_t *)ps_vec_push(&runs) = n;
	struct abi_sym *tmp = ps_xmalloc(n * sizeof(*s));
	struct abi_sym *out = merge_runs(s, tmp, runs.data, nr);
	if (out != s)
		memcpy(s, out, n * sizeof(*s));
	free(tmp);
	ps_vec_release(&runs);
}

static void load_symbols(struct ps_abi *abi)
{
	struct ps_vec v;
	Elf_Scn *scn = NULL;

	ps_vec_init(&v, sizeof(struct abi_sym));
	while ((scn = elf_nextscn(abi->elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_SYMTAB
		    || sh.sh_entsize == 0 || (d = elf_getdata(scn, NULL)) == NULL)
			continue;
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 1; i < n; i++) {
			GElf_Sym sym;
			const char *nm;
			if (gelf_getsym(d, (int)i, &sym) == NULL || sym.st_value == 0)
				continue;
			int ty = GELF_ST_TYPE(sym.st_info);
			if (ty != STT_FUNC && ty != STT_OBJECT)
				continue;
			nm = elf_strptr(abi->elf, sh.sh_link, sym.st_name);
			if (nm == NULL || *nm == '\0')
				continue;
			struct abi_sym *s = ps_vec_push(&v);
			s->addr = sym.st_value;
			s->size = sym.st_size;
			s->name = nm;
			s->func = ty == STT_FUNC;
		}
	}
	abi->syms = ps_vec_finish(&v, &abi->arena, &abi->n_syms);
	ps_vec_release(&v);
	if (abi->n_syms > 1)
		sort_symbols(abi->syms, abi->n_syms);
}

/* The symbol whose [addr, addr+size) holds ADDR (size 0: exact hit). */
const struct abi_sym *abi_sym_at(const struct ps_abi *abi, uint64_t addr)
{
	size_t lo = 0, hi = abi->n_syms;
	while (lo < hi) {   /* first symbol with start > addr */
		size_t mid = lo + (hi - lo) / 2;
		if (abi->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = 0; k < 4 && lo > 0; k++, lo--) {
		const struct abi_sym *s = &abi->syms[lo - 1];
		if (addr - s->addr < s->size || (s->size == 0 && s->addr == addr))
			return s;
	}
	return NULL;
}

const struct abi_sym *abi_sym_named(const struct ps_abi *abi,
				    const char *name)
{
	for (size_t i = 0; i < abi->n_syms; i++)
		if (strcmp(abi->syms[i].name, name) == 0)
			return &abi->syms[i];
	return NULL;
}

Elf_Scn *abi_section_named(const struct ps_abi *abi, const char *name,
			   GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx = 0;

	if (elf_getshdrstrndx(abi->elf, &shstrndx) != 0)
		return NULL;
	while ((scn = elf_nextscn(abi->elf, scn)) != NULL) {
		const char *nm;
		if (gelf_getshdr(scn, sh) != NULL
		    && (nm = elf_strptr(abi->elf, shstrndx, sh->sh_name)) != NULL
		    && strcmp(nm, name) == 0)
			return scn;
	}
	return NULL;
}

/* Go version from .go.buildinfo: Go 1.18+ stores it inline after the
 * 32-byte header as a varint-prefixed string; older releases store two
 * pointers to string headers. */
static void buildinfo_version(struct ps_abi *abi)
{
	static const char magic[] = "\xff Go buildinf:";
	GElf_Shdr sh;

	if (abi_section_named(abi, ".go.buildinfo", &sh) == NULL
	    || sh.sh_type == SHT_NOBITS || sh.sh_size < 33
	    || sh.sh_offset > abi->image_len
	    || sh.sh_size > abi->image_len - sh.sh_offset)
		return;
	const unsigned char *p = abi->image + sh.sh_offset;
	if (memcmp(p, magic, 14) != 0)
		return;
	uint64_t len = 0, addr = 0, shift = 0;
	size_t i = 32;
	if (p[15] & 2) {
		while (i < sh.sh_size && shift < 63) {
			len |= (uint64_t)(p[i] & 0x7f) << shift;
			shift += 7;
			if (!(p[i++] & 0x80))
				break;
		}
		if (len > 0 && len < 128 && len <= sh.sh_size - i)
			abi->go_version = ps_xstrndup((const char *)p + i, len);
		return;
	}
	unsigned ps = p[14];
	if ((ps != 4 && ps != 8) || 16 + ps > sh.sh_size)   /* size >= 33 */
		return;
	addr = abi_load_uint(abi, p + 16, ps);
	uint64_t sptr = 0, slen = 0;
	const unsigned char *hdr = abi_rodata(abi, addr, 2 * ps);
	if (hdr == NULL && (hdr = image_at(abi, addr, 2 * ps, false)) == NULL)
		return;
	sptr = abi_load_uint(abi, hdr, ps);
	slen = abi_load_uint(abi, hdr + ps, ps);
	const unsigned char *s = image_at(abi, sptr, slen, false);
	if (s != NULL && slen > 0 && slen < 128)
		abi->go_version = ps_xstrndup((const char *)s, slen);
}

/* Reads what the ELF file itself tells: format, size, machine. */
int abi_elf_load(struct ps_abi *abi, struct ps_error *err)
{
	GElf_Ehdr eh;

	if (gelf_getehdr(abi->elf, &eh) == NULL)
		return ps_error_set(err, PS_ERR_NOT_ELF,
			"'%s' is not a valid ELF file: %s", abi->path, elf_errmsg(-1));
	abi->word = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	abi->pie = eh.e_type == ET_DYN;
	abi->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	abi->arch = arch_name(eh.e_machine, abi->word == 8, abi->big_endian);
	if (load_sections(abi, err) < 0)
		return -1;
	load_symbols(abi);
	const struct abi_sym *t = abi_sym_named(abi, "runtime.types");
	const struct abi_sym *e = abi_sym_named(abi, "runtime.etypes");
	if (t != NULL && e != NULL) {
		abi->types_start = t->addr;
		abi->types_end = e->addr;
	}
	buildinfo_version(abi);
	return 0;
}
