/*
 * test_abi_robust.c - bad input never crashes the decoder: every frame of
 * a real dump decoded against its binary with thousands of generated
 * argument lists (words, '?', nested and unbalanced groups, "...",
 * "{...}", "_", junk), in both formats, and with unknown function names.
 * Run it under PS_SANITIZE=ON for the full effect; the invariants below
 * are checked in any build.
 *
 * Then hostile binaries: copies of the same program with one field of
 * the ELF section headers or of the (uncompressed) DWARF rewritten, each
 * checked against the unpatched binary, so every assertion is one that
 * the patch could make fail.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi_int.h"     /* abi_pcln_line: is the function table used? */
#include "ps_abi.h"


/* FR alone as a stack whose argument text is ARGS (interned), decoded. */
static void decode_one(ps_abi *abi, const struct ps_dump *d, struct ps_frame *fr,
		       const char *args, enum ps_arg_format fmt, struct ps_arena *arena,
		       struct ps_abi_frame *out)
{
	const char *a[1] = { args };
	struct ps_stack st = { .frames = fr, .args = a, .n_frames = 1 };
	ps_abi_decode_frame(abi, d, &st, 0, fmt, arena, out);
}

static char dir[64];

static int setup(void **state)
{
	char cmd[2048];
	const char *src = getenv("PS_SOURCE_DIR");
	(void)state;
	strcpy(dir, "/tmp/ps-abi-robust-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "cd %s/corpus/groundtruth/prog && env GOENV=off GOFLAGS= GOTOOLCHAIN=local "
		 "CGO_ENABLED=0 GO111MODULE=off go build -o %s/gt . && "
		 "env GOENV=off GOFLAGS= GOTOOLCHAIN=local CGO_ENABLED=0 GO111MODULE=off "
		 "go build -ldflags=-compressdwarf=false -o %s/gtu . && "
		 "for c in eee ifaces struct deep many; do %s/gt $c 2>>%s/all.log; done; true",
		 src ? src : ".", dir, dir, dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* xorshift: deterministic, so a failure reproduces. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void gen(uint64_t *s, char *out, size_t cap, int depth)
{
	size_t n = rnd(s) % 7, len = strlen(out);
	for (size_t i = 0; i < n && len + 40 < cap; i++) {
		if (i > 0)
			len += (size_t)snprintf(out + len, cap - len, rnd(s) % 9 ? ", " : ",");
		switch (rnd(s) % 12) {
		case 0: case 1: case 2: case 3:
			len += (size_t)snprintf(out + len, cap - len, "0x%llx%s",
				(unsigned long long)(rnd(s) >> (rnd(s) % 64)),
				rnd(s) % 3 ? "" : "?");
			break;
		case 4: case 5:
			if (depth < 8) {
				len += (size_t)snprintf(out + len, cap - len, "{");
				gen(s, out, cap, depth + 1);
				len = strlen(out);
				if (rnd(s) % 10 && len + 2 < cap)
					len += (size_t)snprintf(out + len, cap - len, "}");
			}
			break;
		case 6: len += (size_t)snprintf(out + len, cap - len, "..."); break;
		case 7: len += (size_t)snprintf(out + len, cap - len, "{...}"); break;
		case 8: len += (size_t)snprintf(out + len, cap - len, "_"); break;
		case 9: len += (size_t)snprintf(out + len, cap - len, "}"); break;
		case 10: len += (size_t)snprintf(out + len, cap - len, "0x"); break;
		default: len += (size_t)snprintf(out + len, cap - len, "zz%c", (char)(rnd(s) % 95 + 32)); break;
		}
	}
}

static void check_arg(const struct ps_abi_arg *a, int depth)
{
	assert_true(depth < 64);
	assert_non_null(a->name);
	assert_non_null(a->type);
	assert_true(a->n_words == 0 || a->words != NULL);
	assert_true(a->value.n_fields == 0 || a->value.fields != NULL);
	if (a->value.kind == PS_V_STRING && a->value.text != NULL)
		assert_true(strlen(a->value.text) <= a->value.len + 3);
	for (size_t i = 0; i < a->value.n_fields; i++)
		check_arg(&a->value.fields[i], depth + 1);
}

static void test_generated_args(void **state)
{
	char path[128], bin[128], args[4096];
	struct ps_error err = { 0 };
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t decoded = 0, tried = 0;
	(void)state;

	snprintf(path, sizeof(path), "%s/all.log", dir);
	snprintf(bin, sizeof(bin), "%s/gt", dir);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char text[1 << 20];
	size_t len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	struct ps_doc *doc = ps_parse_buffer(text, len);
	ps_abi *abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	assert_true(doc->n_dumps >= 3);
	struct ps_arena arena = { 0 };
	for (size_t k = 0; k < doc->n_dumps; k++) {
		const struct ps_dump *d = doc->dumps[k];
		for (size_t g = 0; g < d->n_goroutines; g++)
			for (size_t i = 0; i < d->goroutines[g].stack.n_frames; i++) {
				/* a frame's args are interned (their length is read there) */
				ps_intern *strs = ps_intern_new();
				for (int it = 0; it < 20000; it++) {
					struct ps_frame fr = d->goroutines[g].stack.frames[i];
					struct ps_abi_frame out;
					args[0] = '\0';
					gen(&seed, args, sizeof(args), 0);
					const char *raw = ps_intern_str(strs, args, strlen(args));
					if (it % 50 == 0)
						fr.func = "main.noSuchFunction";
					decode_one(abi, d, &fr, raw, it % 2 ? PS_ARGFMT_WORDS
						   : PS_ARGFMT_STRUCTURED, &arena, &out);
					tried++;
					decoded += out.decoded;
					if (it % 50 == 0)
						assert_false(out.decoded);
					for (size_t a = 0; a < out.n_args; a++)
						check_arg(&out.args[a], 0);
				}
				ps_intern_free(strs);
			}
		ps_arena_release(&arena);
	}
	print_message("%zu generated argument lists, %zu decoded\n", tried, decoded);
	assert_true(decoded > 0 && decoded < tried);
	ps_abi_close(abi);
	ps_doc_free(doc);
}

/* ---- hostile binaries ------------------------------------------------ */

static struct ps_doc *load_dumps(void)
{
	char path[128];
	static char text[1 << 20];
	snprintf(path, sizeof(path), "%s/all.log", dir);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	struct ps_doc *doc = ps_parse_buffer(text, len);
	assert_true(doc->n_dumps >= 3);
	return doc;
}

/* What decoding every frame of the dumps in both formats and AUTO gave:
 * how many values of type TYPE (NULL: any) came out as KIND, and how many
 * strings had their text read from the binary. */
struct tally {
	size_t kind, text, frames, mismatch;
};

static void tally_arg(const struct ps_abi_arg *a, const char *type,
		      enum ps_abi_vkind kind, struct tally *t, int depth)
{
	if ((type == NULL || strcmp(a->type, type) == 0) && a->value.kind == kind)
		t->kind++;
	if (a->value.kind == PS_V_STRING && a->value.text != NULL && a->value.len > 0)
		t->text++;
	for (size_t i = 0; depth < 16 && i < a->value.n_fields; i++)
		tally_arg(&a->value.fields[i], type, kind, t, depth + 1);
}

static struct tally decode_all(ps_abi *abi, const struct ps_doc *doc,
			       const char *type, enum ps_abi_vkind kind)
{
	static const enum ps_arg_format fmts[] = {
		PS_ARGFMT_AUTO, PS_ARGFMT_WORDS, PS_ARGFMT_STRUCTURED };
	struct tally t = { 0 };
	struct ps_arena arena = { 0 };
	struct ps_error err = { 0 };

	for (size_t k = 0; k < doc->n_dumps; k++) {
		const struct ps_dump *d = doc->dumps[k];
		if (ps_abi_check_dump(abi, d, &err) < 0)
			t.mismatch++;
		for (size_t g = 0; g < d->n_goroutines; g++)
			for (size_t i = 0; i < d->goroutines[g].stack.n_frames; i++)
				for (int f = 0; f < 3; f++) {
					struct ps_abi_frame out;
					ps_abi_decode_frame(abi, d, &d->goroutines[g].stack, i,
							    fmts[f], &arena, &out);
					t.frames += out.decoded;
					for (size_t a = 0; a < out.n_args; a++) {
						check_arg(&out.args[a], 0);
						if (f == 0)
							tally_arg(&out.args[a], type, kind, &t, 0);
					}
				}
	}
	ps_arena_release(&arena);
	return t;
}

static struct tally open_and_decode(const char *bin, const char *type,
				    enum ps_abi_vkind kind)
{
	struct ps_error err = { 0 };
	struct ps_doc *doc = load_dumps();
	ps_abi *abi = ps_abi_open(bin, &err);
	if (abi == NULL)
		fail_msg("%s: %s", bin, err.msg);
	struct tally t = decode_all(abi, doc, type, kind);
	ps_abi_close(abi);
	ps_doc_free(doc);
	return t;
}

static void copy_file(const char *from, const char *to)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", from, to);
	assert_int_equal(system(cmd), 0);
}

static void patch(const char *path, long off, const void *bytes, size_t n)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, n, off), (ssize_t)n);
	close(fd);
}

/* File offset of the header of the section named NAME (64-bit ELF). */
static long shdr_offset(const char *bin, const char *name)
{
	int fd = open(bin, O_RDONLY);
	long off = -1;
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	assert_non_null(gelf_getehdr(e, &eh));
	assert_int_equal(eh.e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(elf_getshdrstrndx(e, &shstrndx), 0);
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		const char *nm;
		if (gelf_getshdr(scn, &sh) != NULL
		    && (nm = elf_strptr(e, shstrndx, sh.sh_name)) != NULL
		    && strcmp(nm, name) == 0)
			off = (long)(eh.e_shoff + elf_ndxscn(scn) * eh.e_shentsize);
	}
	elf_end(e);
	close(fd);
	assert_true(off > 0);
	return off;
}

/* Elf64_Shdr: name 0, type 4, flags 8, addr 16, offset 24, size 32. */
static void test_section_offset_wraps(void **state)
{
	char bin[128], bad[128];
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gt", dir);
	static const char *const secs[] = { ".rodata", ".go.buildinfo", ".symtab" };
	for (size_t i = 0; i < 3; i++) {
		struct ps_error err = { 0 };
		uint64_t huge = UINT64_MAX - 0xff;   /* + its size wraps past 2^64 */
		snprintf(bad, sizeof(bad), "%s/wrap%zu", dir, i);
		copy_file(bin, bad);
		patch(bad, shdr_offset(bin, secs[i]) + 24, &huge, 8);
		ps_abi *abi = ps_abi_open(bad, &err);
		if (abi != NULL)
			fail_msg("%s with a wrapping offset opened", secs[i]);
		assert_int_equal(err.code, PS_ERR_NOT_ELF);
		assert_non_null(strstr(err.msg, "damaged"));
		print_message("%s: %s\n", secs[i], err.msg);
	}
	/* the control: the unpatched binary opens */
	struct ps_error err = { 0 };
	ps_abi *abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	ps_abi_close(abi);
}

/* .rodata moved to addresses that wrap: it is left out of the memory
 * image, so no string text is read from it (and nothing past it). */
static void test_section_address_wraps(void **state)
{
	char bin[128], bad[128];
	uint64_t huge = UINT64_MAX - 0xff;
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gt", dir);
	snprintf(bad, sizeof(bad), "%s/addrwrap", dir);
	copy_file(bin, bad);
	patch(bad, shdr_offset(bin, ".rodata") + 16, &huge, 8);
	struct tally good = open_and_decode(bin, NULL, PS_V_STRING);
	struct tally t = open_and_decode(bad, NULL, PS_V_STRING);
	print_message("string texts: %zu with .rodata, %zu without\n", good.text, t.text);
	assert_true(good.text > 0);
	assert_true(t.text < good.text);
}

/* A compressed .debug_info whose deflate stream is damaged (16 bytes
 * flipped past its start): libdeflate refuses it, libelf gets it as
 * before and refuses it too, and the open says there is nothing usable;
 * the intact binary (its sections inflated by libdeflate) opens and
 * decodes. */
static void test_compressed_section_damaged(void **state)
{
	char bin[128], bad[128];
	struct ps_error err = { 0 };
	uint64_t off;
	unsigned char b[16];
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gt", dir);
	snprintf(bad, sizeof(bad), "%s/zbad", dir);
	copy_file(bin, bad);
	int fd = open(bin, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &off, 8, shdr_offset(bin, ".debug_info") + 24), 8);
	assert_int_equal(pread(fd, b, sizeof(b), (off_t)off + 24 + 4096), (ssize_t)sizeof(b));
	close(fd);
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] ^= 0x55;
	patch(bad, (long)off + 24 + 4096, b, sizeof(b));
	ps_abi *abi = ps_abi_open(bad, &err);
	if (abi != NULL)
		fail_msg("a damaged compressed .debug_info opened");
	assert_int_equal(err.code, PS_ERR_NO_DWARF);
	print_message("%s\n", err.msg);
	struct tally good = open_and_decode(bin, NULL, PS_V_STRING);
	assert_true(good.frames > 0);
	assert_true(good.text > 0);
}

/* ---- DWARF patches ---- */

struct dw_hit {
	long off;               /* file offset of the attribute's value */
	size_t n;               /* its encoded length */
	unsigned form;
};

struct dw_find {
	int tag;
	const char *name;       /* NULL: any name */
	unsigned attr;          /* 0: the DIE's abbreviation code */
	const unsigned char *base;
	size_t len;
	long after;             /* only DIEs past this file offset */
	struct dw_hit hits[64];
	size_t n_hits;
	uint64_t size;          /* DW_AT_byte_size of the last DIE found */
	bool optional;          /* no hit is not a failure */
};

static size_t form_len(unsigned form, const unsigned char *p)
{
	size_t n = 0;
	switch (form) {
	case DW_FORM_data1: case DW_FORM_flag: return 1;
	case DW_FORM_data2: return 2;
	case DW_FORM_data4: case DW_FORM_sec_offset: return 4;   /* 32-bit DWARF */
	case DW_FORM_data8: return 8;
	case DW_FORM_udata:
		while (p[n++] & 0x80)
			;
		return n;
	default: return 0;
	}
}

static void dw_walk(struct dw_find *f, Dwarf_Die *die, int depth)
{
	Dwarf_Die c;
	if (depth > 8 || dwarf_child(die, &c) != 0)
		return;
	do {
		const char *nm = dwarf_diename(&c);
		Dwarf_Attribute a;
		if (dwarf_tag(&c) == f->tag && f->n_hits < 64
		    && (f->name == NULL || (nm != NULL && strcmp(nm, f->name) == 0))) {
			struct dw_hit *h = &f->hits[f->n_hits];
			const unsigned char *p = NULL;
			if (f->attr == 0) {
				p = c.addr;
				h->form = DW_FORM_udata;
			} else if (dwarf_attr(&c, f->attr, &a) != NULL) {
				p = a.valp;
				h->form = a.form;
			}
			if (p != NULL && p >= f->base && p < f->base + f->len
			    && p - f->base > f->after
			    && (h->n = form_len(h->form, p)) > 0) {
				h->off = (long)(p - f->base);
				f->n_hits++;
				Dwarf_Word w;
				if (dwarf_attr(&c, DW_AT_byte_size, &a) != NULL
				    && dwarf_formudata(&a, &w) == 0)
					f->size = w;
			}
		}
		dw_walk(f, &c, depth + 1);
	} while (dwarf_siblingof(&c, &c) == 0);
}

/* Finds F's DIEs in BIN, whose DWARF must be uncompressed (values are
 * then pointers into the mapped file). */
static void dw_find(const char *bin, struct dw_find *f)
{
	int fd = open(bin, O_RDONLY);
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie;
	uint8_t ut;
	Dwarf_Half ver;
	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	Dwarf *dw = dwarf_begin_elf(e, DWARF_C_READ, NULL);
	assert_non_null(dw);
	f->base = (const unsigned char *)elf_rawfile(e, &f->len);
	f->n_hits = 0;
	while (dwarf_get_units(dw, cu, &cu, &ver, &ut, &cudie, NULL) == 0)
		dw_walk(f, &cudie, 0);
	dwarf_end(dw);
	elf_end(e);
	close(fd);
	if (f->n_hits == 0 && !f->optional)
		fail_msg("no DIE %s with attribute 0x%x in %s", f->name, f->attr, bin);
}

/* dw_find, where finding nothing is an answer. */
static void dw_walk_quiet(const char *bin, struct dw_find *f)
{
	f->optional = true;
	dw_find(bin, f);
}

/* Writes V over hit H in its own encoded length (ULEB padded with
 * continuation bytes; V must fit). */
static void dw_put(const char *path, const struct dw_hit *h, uint64_t v)
{
	unsigned char b[16];
	assert_true(h->n <= sizeof(b));
	for (size_t i = 0; i < h->n; i++) {
		if (h->form == DW_FORM_udata) {
			b[i] = (unsigned char)((v & 0x7f) | (i + 1 < h->n ? 0x80 : 0));
			v >>= 7;
		} else {
			b[i] = (unsigned char)(v >> (8 * i));   /* little-endian */
		}
	}
	assert_true(v == 0 || h->form != DW_FORM_udata);
	patch(path, h->off, b, h->n);
}

/* A base type of byte size 0: was a shift by 64 in sign extension. */
static void test_dwarf_int_size_zero(void **state)
{
	char bin[128], bad[128];
	struct dw_find f = { .tag = DW_TAG_base_type, .name = "int",
			     .attr = DW_AT_byte_size };
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gtu", dir);
	snprintf(bad, sizeof(bad), "%s/int0", dir);
	dw_find(bin, &f);
	copy_file(bin, bad);
	for (size_t i = 0; i < f.n_hits; i++)
		dw_put(bad, &f.hits[i], 0);
	struct tally good = open_and_decode(bin, "int", PS_V_INT);
	struct tally t = open_and_decode(bad, "int", PS_V_INT);
	struct tally u = open_and_decode(bad, "int", PS_V_UNKNOWN);
	print_message("int values: %zu decoded; with byte size 0: %zu decoded, %zu unknown\n",
		      good.kind, t.kind, u.kind);
	assert_true(good.kind > 0);
	assert_int_equal(good.mismatch, 0);
	assert_int_equal(t.kind, 0);
	assert_true(u.kind > 0);
}

/* A struct member placed past the struct's end: the struct is unknown,
 * not read beyond its bytes. */
static void test_dwarf_member_outside(void **state)
{
	char bin[128], bad[128];
	const char *type = "main.Point";
	struct dw_find s = { .tag = DW_TAG_structure_type, .name = type,
			     .attr = DW_AT_byte_size };
	struct dw_find m = { .tag = DW_TAG_member, .name = NULL,
			     .attr = DW_AT_data_member_location };
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gtu", dir);
	snprintf(bad, sizeof(bad), "%s/member", dir);
	dw_find(bin, &s);
	assert_int_equal(s.n_hits, 1);
	m.after = s.hits[0].off;   /* the first member after it is its own */
	dw_find(bin, &m);
	const struct dw_hit *h = &m.hits[0];
	assert_true(s.size > 0 && s.size < 0x7f);
	copy_file(bin, bad);
	dw_put(bad, h, 0x7f);
	struct tally good = open_and_decode(bin, type, PS_V_STRUCT);
	struct tally t = open_and_decode(bad, type, PS_V_STRUCT);
	struct tally u = open_and_decode(bad, type, PS_V_UNKNOWN);
	print_message("%s: %zu decoded; member at 0x7f: %zu decoded, %zu unknown\n",
		      type, good.kind, t.kind, u.kind);
	assert_true(good.kind > 0);
	assert_int_equal(t.kind, 0);
	assert_true(u.kind > 0);
}

/* A DIE libdw cannot read (unknown abbreviation): dwarf_siblingof's -1
 * is an error, not the end of the unit.  Units are walked as the dump's
 * functions are looked up, so the damage in main's unit shows when a
 * dump naming main.main is checked (or at open, if main's unit is the
 * first with functions), never as a silent "not in the binary". */
static void test_dwarf_damaged_die(void **state)
{
	char bin[128], bad[128];
	struct dw_find f = { .tag = DW_TAG_subprogram, .name = "main.main", .attr = 0 };
	struct ps_error err = { 0 };
	struct ps_doc *doc = load_dumps();
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gtu", dir);
	snprintf(bad, sizeof(bad), "%s/die", dir);
	dw_find(bin, &f);
	assert_int_equal(f.hits[0].n, 1);
	copy_file(bin, bad);
	dw_put(bad, &f.hits[0], 0x7f);
	ps_abi *abi = ps_abi_open(bad, &err);
	if (abi != NULL) {
		int rc = ps_abi_check_dump(abi, doc->dumps[0], &err);
		ps_abi_close(abi);
		if (rc == 0)
			fail_msg("a dump of main.main checked against an unreadable DIE without a word");
	}
	assert_int_equal(err.code, PS_ERR_NO_DWARF);
	assert_non_null(strstr(err.msg, "damaged DWARF"));
	print_message("%s\n", err.msg);
	abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	assert_int_equal(ps_abi_check_dump(abi, doc->dumps[0], &err), 0);
	ps_abi_close(abi);
	ps_doc_free(doc);
}

/* The first function named by a physical frame of DOC whose DIE has a
 * direct child (lexical block or inlined call) with DW_AT_ranges: the
 * child's ranges offset is hit H, the frame *FR. */
static const char *ranged_function(const char *bin, struct ps_doc *doc,
				   struct dw_hit *h, struct ps_frame **fr)
{
	for (size_t g = 0; g < doc->dumps[0]->n_goroutines; g++) {
		struct ps_stack *st = (struct ps_stack *)&doc->dumps[0]->goroutines[g].stack;
		for (size_t i = 0; i < st->n_frames; i++) {
			struct ps_frame *f = &st->frames[i];
			if (f->inlined || !f->has_pc_offset || (i > 0 && st->frames[i - 1].inlined))
				continue;
			struct dw_find fn = { .tag = DW_TAG_subprogram, .name = f->func, .attr = 0 };
			dw_find(bin, &fn);
			static const int tags[] = { DW_TAG_lexical_block, DW_TAG_inlined_subroutine };
			for (int t = 0; t < 2; t++) {
				struct dw_find c = { .tag = tags[t], .attr = DW_AT_ranges,
						     .after = fn.hits[0].off };
				struct dw_find next = { .tag = DW_TAG_subprogram, .attr = 0,
							.after = fn.hits[0].off };
				dw_walk_quiet(bin, &c);
				dw_walk_quiet(bin, &next);
				/* the hit must lie inside this function's DIE tree */
				if (c.n_hits > 0 && (next.n_hits == 0
						     || c.hits[0].off < next.hits[0].off)) {
					*h = c.hits[0];
					*fr = f;
					return f->func;
				}
			}
		}
	}
	return NULL;
}

/* libdw failing inside a function's inlined-call tree (here dwarf_haspc,
 * on a range-list offset past .debug_rnglists) is an error: the check
 * says it cannot read the binary, where it once took -1 for "no more
 * calls" and reported a line mismatch (or, had a hidden call been the
 * printed line, passed).  The frame's line is set to one no pc has, so
 * the check walks every inlined call of the function. */
static void test_dwarf_inlined_unreadable(void **state)
{
	char bin[128], bad[128];
	struct ps_error err = { 0 };
	struct dw_hit h = { 0 };
	struct ps_frame *fr = NULL;
	struct ps_doc *doc = load_dumps();
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gtu", dir);
	snprintf(bad, sizeof(bad), "%s/ranges", dir);
	const char *fn = ranged_function(bin, doc, &h, &fr);
	if (fn == NULL)
		fail_msg("no frame of the dump names a function with a ranged block");
	fr->line = 999999;
	copy_file(bin, bad);
	dw_put(bad, &h, 0xfffffff0);
	ps_abi *abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	assert_int_equal(ps_abi_check_dump(abi, doc->dumps[0], &err), -1);
	print_message("%s, intact: %s\n", fn, err.msg);
	assert_int_equal(err.code, PS_ERR_MISMATCH);
	ps_abi_close(abi);
	abi = ps_abi_open(bad, &err);
	assert_non_null(abi);
	assert_int_equal(ps_abi_check_dump(abi, doc->dumps[0], &err), -1);
	print_message("%s, damaged: %s\n", fn, err.msg);
	assert_int_equal(err.code, PS_ERR_NO_DWARF);
	assert_non_null(strstr(err.msg, "cannot read"));
	ps_abi_close(abi);
	ps_doc_free(doc);
}

/* File offset of the bytes of section NAME (64-bit ELF). */
static long section_bytes(const char *bin, const char *name)
{
	uint64_t off = 0;
	int fd = open(bin, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &off, 8, shdr_offset(bin, name) + 24), 8);
	close(fd);
	return (long)off;
}

/* Does the function table answer for main.main's entry in BIN? */
static bool table_answers(const char *bin)
{
	struct ps_error err = { 0 };
	const char *file = NULL;
	int line = 0;
	ps_abi *abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	struct abi_fn *fn = abi_fn_lookup(abi, "main.main");
	assert_non_null(fn);
	bool ok = abi_pcln_line(abi, fn, fn->lowpc, &file, &line) == 0;
	if (ok)
		assert_true(line > 0 && strstr(file, ".go") != NULL);
	ps_abi_close(abi);
	return ok;
}

/* The verdict of every dump, and of its first dump with one frame's
 * line moved to one no pc has: "0 0 0 ... | message". */
static void verdicts(const char *bin, char *out, size_t cap)
{
	struct ps_error err = { 0 };
	struct ps_doc *doc = load_dumps();
	ps_abi *abi = ps_abi_open(bin, &err);
	size_t n = 0;
	assert_non_null(abi);
	for (size_t k = 0; k < doc->n_dumps; k++)
		n += (size_t)snprintf(out + n, cap - n, "%d ",
				      ps_abi_check_dump(abi, doc->dumps[k], &err));
	ps_abi_close(abi);
	struct ps_stack *st = (struct ps_stack *)&doc->dumps[0]->goroutines[0].stack;
	for (size_t i = 0; i < st->n_frames; i++)
		if (st->frames[i].has_pc_offset && !st->frames[i].inlined
		    && strncmp(st->frames[i].func, "main.", 5) == 0) {
			st->frames[i].line = 999999;
			break;
		}
	abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	int rc = ps_abi_check_dump(abi, doc->dumps[0], &err);
	const char *why = rc < 0 ? strstr(err.msg, "' ") : NULL;  /* past the path */
	snprintf(out + n, cap - n, "| %d %s", rc, why ? why : err.msg);
	ps_abi_close(abi);
	ps_doc_free(doc);
}

/* A damaged Go function table (.gopclntab): each header field below set
 * past the table or so that a size wraps.  The table must then answer
 * nothing (abi_pcln_line -1: no read out of bounds, which ASan checks)
 * and every verdict must be the intact binary's, given by DWARF: the
 * dumps agree, and a frame whose line no pc has is still a mismatch,
 * with the same message.  The intact table must answer, or the test
 * would pass with a reader that never reads. */
static void test_pclntab_damaged(void **state)
{
	static const struct { const char *what; long at; uint64_t val; } cases[] = {
		{ "magic", 0, 0 },
		{ "nfunc", 8, UINT64_MAX - 3 },
		{ "cutab offset", 40, UINT64_MAX - 0xff },
		{ "pctab offset", 56, UINT64_MAX - 0xff },
		{ "function table offset", 64, 0x7fffffff },
	};
	char bin[128], bad[128], good[4096], v[4096];
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gtu", dir);
	assert_true(table_answers(bin));
	verdicts(bin, good, sizeof(good));
	print_message("intact: %s\n", good);
	assert_non_null(strstr(good, "| -1 "));
	assert_non_null(strstr(good, "999999"));
	long tab = section_bytes(bin, ".gopclntab");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(bad, sizeof(bad), "%s/pcln%zu", dir, i);
		copy_file(bin, bad);
		/* 32-bit fields are the magic's; the others are words */
		patch(bad, tab + cases[i].at, &cases[i].val, cases[i].at ? 8 : 4);
		if (table_answers(bad))
			fail_msg("the function table with a damaged %s answered", cases[i].what);
		verdicts(bad, v, sizeof(v));
		if (strcmp(v, good) != 0)
			fail_msg("damaged %s: '%s', intact: '%s'", cases[i].what, v, good);
	}
}

/* A frame with no arguments decoded in the structured format (the list
 * is NULL), and a method-named closure DWARF lists no parameters for,
 * given an argument, which sends it to the receiver retry. */
static void test_empty_lists(void **state)
{
	char bin[128];
	struct ps_error err = { 0 };
	struct ps_arena arena = { 0 };
	struct ps_abi_frame out;
	(void)state;
	snprintf(bin, sizeof(bin), "%s/gt", dir);
	struct ps_doc *doc = load_dumps();
	ps_abi *abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	const struct ps_dump *d = doc->dumps[0];
	struct ps_frame fr = d->goroutines[0].stack.frames[0];
	fr.func = "main.main";
	const char *none = ps_intern_str(doc->names, "", 0); /* as parsed: interned */
	fr.has_pc_offset = false;
	decode_one(abi, d, &fr, none, PS_ARGFMT_STRUCTURED, &arena, &out);
	if (!out.decoded)
		fail_msg("main.main() not decoded: %s", out.note ? out.note : "-");
	assert_int_equal(out.n_args, 0);
	fr.func = "runtime.(*mheap).alloc.func1";
	decode_one(abi, d, &fr, ps_intern_str(doc->names, "0x1", 3), PS_ARGFMT_STRUCTURED,
		   &arena, &out);
	/* the retry with a receiver (copying the empty parameter list) is
	 * what took the word */
	assert_true(out.decoded);
	assert_int_equal(out.n_args, 1);
	assert_int_equal(out.args[0].role, PS_ROLE_RECEIVER);
	decode_one(abi, d, &fr, none, PS_ARGFMT_STRUCTURED, &arena, &out);
	assert_true(out.decoded);
	ps_arena_release(&arena);
	ps_abi_close(abi);
	ps_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_args),
		cmocka_unit_test(test_section_offset_wraps),
		cmocka_unit_test(test_section_address_wraps),
		cmocka_unit_test(test_compressed_section_damaged),
		cmocka_unit_test(test_dwarf_int_size_zero),
		cmocka_unit_test(test_dwarf_member_outside),
		cmocka_unit_test(test_dwarf_damaged_die),
		cmocka_unit_test(test_dwarf_inlined_unreadable),
		cmocka_unit_test(test_pclntab_damaged),
		cmocka_unit_test(test_empty_lists),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
