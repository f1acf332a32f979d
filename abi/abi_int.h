/*
 * abi_int.h - private pieces of the ABI decoder, shared by its files:
 *   elf.c     sections, symbols, reads of the binary's memory image,
 *             Go version and architecture
 *   dwarf.c   function index, signatures and the type-layout model
 *   diewalk.c a unit's top-level DIEs without libdw reading those below
 *   decode.c  the two argument formats -> struct ps_abi_arg trees
 *   annot.c   values annotated from the binary (strings, symbols, types)
 *   check.c   pc/line agreement and the nil-dereference note
 *   pcln.c    pc -> file:line from Go's function table (.gopclntab)
 *   generic.c what tracebacks print for generic code, instantiations
 *   consistency.c  data words against the image (a near-identical binary)
 *   abi.c     the public entry points
 */
#ifndef PS_ABI_INT_H
#define PS_ABI_INT_H

#include <elfutils/libdw.h>
#include <gelf.h>

#include "ps_abi.h"

/* ---- 64-bit key -> pointer (0 keys and NULL values allowed), on the
 * project's one hash table (base/map.c) ------------------------------- */

struct u64map {
	struct ps_map map;
	size_t len;             /* entries */
};
void *u64map_get(const struct u64map *m, uint64_t key, bool *found);
void u64map_put(struct u64map *m, uint64_t key, void *val);
void u64map_release(struct u64map *m);

/* ---- ELF ------------------------------------------------------------ */

struct abi_sec {
	uint64_t addr, size, off;
	bool nobits;            /* .bss: no file bytes */
	bool writable, exec;
};

struct abi_sym {
	uint64_t addr, size;
	const char *name;       /* in the ELF string table (mmapped) */
	bool func;
};

/* ---- types ---------------------------------------------------------- */

enum tkind {
	TK_UNKNOWN,
	TK_BOOL, TK_INT, TK_UINT, TK_FLOAT, TK_COMPLEX,
	TK_STRING, TK_SLICE, TK_EFACE, TK_IFACE,
	TK_PTR,                 /* *T, unsafe.Pointer */
	TK_MAP, TK_CHAN, TK_FUNC,
	TK_STRUCT, TK_ARRAY,
};

struct abi_type;
struct abi_field {
	const char *name;
	uint64_t off;
	const struct abi_type *type;
};

struct abi_type {
	enum tkind tk;
	const char *name;       /* Go spelling: "[]string", "*main.T" */
	uint64_t size, align;
	Dwarf_Off elem_die;     /* TK_PTR: pointee DIE (decoded on demand) */
	const struct abi_type *elem;   /* TK_ARRAY element */
	uint64_t count;                /* TK_ARRAY length */
	struct abi_field *fields;      /* TK_STRUCT */
	size_t n_fields;
};

struct abi_param {
	const char *name;
	const struct abi_type *type;
	bool result;
	bool dict;              /* ".dict": generic dictionary, never printed */
};

/* One function of the binary; generic instantiations and duplicate
 * (abstract/concrete) entries of one printed name are chained. */
struct abi_fn {
	const char *name;       /* DWARF name */
	const char *key;        /* name with "[...]" for type arguments;
				   the very pointer name when it has none */
	Dwarf_Off die, cu;
	uint64_t lowpc, highpc; /* 0,0 for an abstract (inline-only) one */
	bool sig_done, sig_bad;
	bool is_method;         /* printed name has a receiver */
	struct abi_param *params;
	size_t n_params;
	struct abi_fn *next;
};

#define PS_ABI_MAX_INFLATED 16     /* DWARF sections inflated by abi.c */

struct libdeflate_decompressor;
struct abi_pcln;
struct abi_abbrevs;

struct ps_abi {
	char *path;
	int fd;
	Elf *elf;
	Dwarf *dwarf;
	Dwarf *dwarf_lines;             /* abi_line_dwarf's, once asked */
	Elf_Scn *line_scn;              /* .debug_line, hidden from dwarf */
	GElf_Word line_type;            /* its section type */
	bool lines_tried;
	struct libdeflate_decompressor *inflater;
	unsigned char *inflated[PS_ABI_MAX_INFLATED];  /* libdw reads these */
	size_t n_inflated;
	const unsigned char *image;     /* whole file, mmapped by libelf */
	size_t image_len;
	unsigned word;                  /* 4 or 8 */
	bool big_endian;
	const char *arch;
	char *go_version;               /* "go1.26.8" or NULL */
	bool regabi;

	struct abi_sec *secs;
	size_t n_secs;
	struct abi_sym *syms;           /* sorted by address */
	size_t n_syms;
	uint64_t types_start, types_end;        /* runtime.types..etypes */

	struct ps_arena arena;          /* types, params, index strings */
	bool indexed;
	struct abi_cu *cus;             /* every unit, in file order */
	size_t n_cus;
	struct abi_span *spans;         /* units' address ranges, sorted */
	size_t n_spans;
	struct u64map cu_names;         /* unit (package) name hash -> abi_cu */
	bool symkeys_done, all_walked;
	struct u64map symkeys;          /* print key hash -> abi_symkey chain */
	struct u64map resolved;         /* name hash -> the name, once every
					   unit that may hold it is walked */
	size_t n_fns;                   /* in the walked units */
	const char *dwarf_damage;       /* first unreadable unit met, or NULL */
	struct u64map fns;              /* name hash -> struct abi_fn chain */
	struct u64map by_ptr;           /* interned frame name -> abi_name */
	struct u64map types;            /* DIE offset -> struct abi_type */
	struct u64map rtypes;           /* runtime type address -> struct
					   rtype, from the walked units */
	struct u64map checked;          /* frame key -> verdict */
	struct u64map inst;             /* (name, pc offset) -> abi_fn */
	struct u64map gpick;            /* generic frame -> struct pick */
	struct u64map cu_opt;           /* unit offset -> 1 optimized, 2 -N */
	uint64_t fmt_dump;              /* last AUTO resolution, cached by
					   dump_key() */
	enum ps_arg_format fmt_cached;
	bool pie;                       /* ET_DYN: loaded at a random base */
	uint64_t bias_dump;             /* load bias, per dump_key() */
	bool bias_known;
	uint64_t bias;                  /* runtime address - file address */
	struct abi_abbrevs *abbrevs;    /* diewalk.c's last table, or NULL */
	bool pcln_tried;
	struct abi_pcln *pcln;          /* .gopclntab, in the arena; or NULL */
};

/* elf.c */
int abi_elf_load(struct ps_abi *abi, struct ps_error *err);
/* Copies N bytes at virtual address ADDR into OUT; 0 or -1 (unmapped). */
int abi_read(const struct ps_abi *abi, uint64_t addr, void *out, size_t n);
/* Pointer to N file bytes at ADDR if they lie in read-only data. */
const unsigned char *abi_rodata(const struct ps_abi *abi, uint64_t addr,
				uint64_t n);
int abi_read_word(const struct ps_abi *abi, uint64_t addr, uint64_t *out);
uint64_t abi_load_uint(const struct ps_abi *abi, const unsigned char *p,
		       unsigned n);
/* The first section named NAME (its header in *SH), or NULL. */
Elf_Scn *abi_section_named(const struct ps_abi *abi, const char *name,
			   GElf_Shdr *sh);
const struct abi_sym *abi_sym_at(const struct ps_abi *abi, uint64_t addr);
const struct abi_sym *abi_sym_named(const struct ps_abi *abi,
				    const char *name);
const struct abi_sec *abi_sec_at(const struct ps_abi *abi, uint64_t addr);
/* Index of the entry of the N sorted, disjoint ranges at BASE (entries
 * STRIDE bytes apart, each with a uint64_t start at byte AT and length
 * at byte LEN) whose range holds ADDR; N when none does. */
size_t abi_range_find(const void *base, size_t n, size_t stride, size_t at,
		      size_t len, uint64_t addr);

/* abi.c: the DWARF handle that has the line tables (see abi.c). */
Dwarf *abi_line_dwarf(struct ps_abi *abi);

/* dwarf.c */
/* Lists the units (the functions are indexed unit by unit as names are
 * looked up); -1 with ERR when no unit holds a function or the first
 * that should cannot be read.  Units met later that libdw cannot read
 * leave abi->dwarf_damage, which ps_abi_check_dump reports. */
int abi_index(struct ps_abi *abi, struct ps_error *err);
struct abi_fn *abi_fn_lookup(struct ps_abi *abi, const char *name);
int abi_fn_signature(struct ps_abi *abi, struct abi_fn *fn);
const struct abi_type *abi_type_at(struct ps_abi *abi, Dwarf_Off off);
const char *abi_rtype_name(struct ps_abi *abi, uint64_t addr);
/* Source file and line of PC in the unit at CU, or -1. */
int abi_pc_line(struct ps_abi *abi, Dwarf_Off cu, uint64_t pc,
		const char **file, int *line);

/* diewalk.c: pushes the address of each top-level DIE of the unit
 * whose DIE CU is at OFF onto OUT (of const void *); -1 when the bytes
 * hold anything the skip does not know, and OUT may then hold some. */
int abi_unit_tops(struct ps_abi *abi, Dwarf_Die *cu, Dwarf_Off off,
		  struct ps_vec *out);

/* pcln.c: source file and line of PC in FN (with code) from Go's
 * function table; -1 when the table is missing, does not know FN's
 * entry, or fails a check (then ask abi_pc_line). */
int abi_pcln_line(struct ps_abi *abi, const struct abi_fn *fn, uint64_t pc,
		  const char **file, int *line);

/* annot.c */
void abi_annotate(struct ps_abi *abi, const struct abi_type *t,
		  struct ps_abi_value *v, struct ps_arena *arena);

/* abi.c: the function a frame names (cached by its interned pointer),
 * with the name's content hash for cache keys that outlive a document. */
struct abi_name {
	char *copy;
	uint64_t hash;
	struct abi_fn *fn;
};
const struct abi_name *abi_frame_name(struct ps_abi *abi,
				      const struct ps_frame *frame);
struct abi_fn *abi_frame_fn(struct ps_abi *abi, const struct ps_frame *frame);

/* abi.c: sets abi->bias/bias_known for DUMP (and bias_dump to its key). */
void abi_find_bias(struct ps_abi *abi, const struct ps_dump *dump);

/* check.c */
/* The last part of PATH, after its last '/' or '\\' (a Windows build's
 * paths): what a frame's file is compared by. */
const char *abi_base_name(const char *path);
const char *abi_nil_note(struct ps_abi *abi, const struct ps_dump *dump,
			 const struct ps_stack *st, size_t i, const struct abi_fn *fn,
			 const struct ps_abi_frame *out,
			 struct ps_arena *arena);
/* Is frame I of ST the crashed goroutine's frame that took the signal? */
bool abi_is_faulting_frame(const struct ps_dump *dump, const struct ps_stack *st, size_t i);
/* Picks the instantiation of FN's chain that fits FRAME's pc/line. */
struct abi_fn *abi_fn_for_frame(struct ps_abi *abi, struct abi_fn *fn,
				const struct ps_frame *frame);

bool abi_line_agrees(struct ps_abi *abi, const struct abi_fn *fn,
		     uint64_t off, const char *file, uint32_t line);

/* generic.c */
/* Rewrites the printed nodes of a generic FN (Go 1.22+) into one per
 * declared parameter (see generic.c); a note, or NULL. */
const char *abi_generic_args(struct ps_abi *abi, struct abi_fn *fn,
			     enum ps_arg_format fmt, const struct ps_arg **nodes,
			     size_t *n, struct ps_arena *arena,
			     bool *has_dict, uint64_t *dict_word);
/* The instantiation of HEAD's chain FR ran (by pc=, dictionary, line);
 * DFLT when nothing tells; *AMBIGUOUS says so when several fit. */
struct abi_fn *abi_generic_pick(struct ps_abi *abi, struct abi_fn *head,
				struct abi_fn *dflt, const struct ps_frame *fr,
				bool has_dict, uint64_t dict_word,
				const char **ambiguous);
struct abi_fn *abi_generic_next(struct ps_abi *abi, struct abi_fn *head,
				struct abi_fn *prev, const struct ps_frame *fr);
void abi_generic_distrust(struct ps_abi *abi, const struct abi_fn *fn,
			  const struct ps_frame *fr, struct ps_abi_frame *out);
/* consistency.c: NULL when DUMP's data words fit the binary's image,
 * else why not, *GID the goroutine. */
const char *abi_data_verdict(struct ps_abi *abi, const struct ps_dump *dump,
			     struct ps_arena *tmp, uint64_t *gid);
/* abi.c: marks A and its parts unreliable. */
void abi_distrust(struct ps_abi_arg *a);

/* decode.c */
void abi_decode_words(struct ps_abi *abi, struct abi_fn *fn,
		      const struct ps_arg *args, size_t n_args,
		      struct ps_arena *arena, struct ps_abi_frame *out);
int abi_decode_structured(struct ps_abi *abi, struct abi_fn *fn,
			  const struct ps_arg *args, size_t n_args,
			  struct ps_arena *arena, struct ps_abi_frame *out);
/* Word counts a dump would print for FN in each format (for AUTO). */
size_t abi_words_count(const struct ps_abi *abi, const struct abi_fn *fn);

#endif
