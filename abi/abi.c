/*
 * abi.c - the public entry points of the ABI decoder: open/close, the
 * argument-format decision and per-frame decoding.
 */
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi_int.h"

/* ---- u64map: 64-bit keys on base's ps_map ------------------------- */

/* ps_map holds non-NULL values: a stored NULL is this address. */
static const char null_value;

void *u64map_get(const struct u64map *m, uint64_t key, bool *found)
{
	void *v = ps_map_get(&m->map, key, NULL, NULL);
	*found = v != NULL;
	return v == &null_value ? NULL : v;
}

void u64map_put(struct u64map *m, uint64_t key, void *val)
{
	*ps_map_slot(&m->map, key, NULL, NULL) = val ? val : (void *)&null_value;
	m->len = m->map.len;
}

void u64map_release(struct u64map *m)
{
	ps_map_release(&m->map);
	m->len = 0;
}

/* ---- open / close --------------------------------------------------- */

/* Is NAME (".debug_X" or the GNU-compressed ".zdebug_X") one of the
 * DWARF sections the decoder never reads: locations, call frames,
 * macros, name tables? */
static bool unread_section(const char *name)
{
	static const char *const unread[] = {
		"loc", "loclists", "frame", "macro", "macinfo", "pubnames",
		"pubtypes",
	};
	if (strncmp(name, ".zdebug_", 8) == 0)
		name += 8;
	else if (strncmp(name, ".debug_", 7) == 0)
		name += 7;
	else
		return false;
	for (size_t i = 0; i < sizeof(unread) / sizeof(unread[0]); i++)
		if (strcmp(name, unread[i]) == 0)
			return true;
	return false;
}

/* Inflates the zlib-compressed (SHF_COMPRESSED) section SCN with
 * libdeflate, 2.7x faster than the zlib inside libelf (the inflating was
 * over half of what -b cost on a 25 MB binary), and points the data
 * libdw will take (elf_getdata's, cached by libelf) at the result, with
 * the header saying uncompressed.  Anything unexpected (another
 * algorithm, a size no deflate stream can reach, a corrupt stream)
 * leaves the section to libelf as before. */
static void inflate_section(struct ps_abi *abi, Elf_Scn *scn, GElf_Shdr *sh)
{
	GElf_Chdr ch;
	Elf_Data *d;
	size_t hdr = abi->word == 8 ? sizeof(Elf64_Chdr) : sizeof(Elf32_Chdr);
	size_t got;

	/* 1032:1 is the most deflate can expand */
	if (abi->n_inflated == PS_ABI_MAX_INFLATED
	    || gelf_getchdr(scn, &ch) == NULL || ch.ch_type != ELFCOMPRESS_ZLIB
	    || sh->sh_size < hdr || ch.ch_size == 0
	    || ch.ch_size / 1032 > sh->sh_size || ch.ch_size > SIZE_MAX
	    || (d = elf_getdata(scn, NULL)) == NULL)
		return;
	/* load_sections checked sh_offset + sh_size against the file */
	const unsigned char *src = abi->image + sh->sh_offset + hdr;
	unsigned char *buf = malloc((size_t)ch.ch_size);   /* may be huge */
	if (buf == NULL
	    || libdeflate_zlib_decompress(abi->inflater, src, sh->sh_size - hdr,
					  buf, (size_t)ch.ch_size, &got)
	       != LIBDEFLATE_SUCCESS
	    || got != ch.ch_size) {
		free(buf);
		return;
	}
	abi->inflated[abi->n_inflated++] = buf;
	d->d_buf = buf;
	d->d_size = got;
	d->d_type = ELF_T_BYTE;
	sh->sh_flags &= ~(GElf_Xword)SHF_COMPRESSED;
	sh->sh_size = got;
	(void)gelf_update_shdr(scn, sh);
}

/* Readies the DWARF sections for libdw, which inflates every compressed
 * one it knows when it opens a file (elfutils 0.188), read or not: those
 * the decoder never reads (location lists and frame tables were 30% of
 * the inflating) get SHT_NOBITS, which libdw passes by, in libelf's
 * private copy of the headers (the file is mapped copy-on-write;
 * abi_elf_load has checked them already); the others are inflated here. */
static void prepare_debug_sections(struct ps_abi *abi)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr gnu;

	if (elf_getshdrstrndx(abi->elf, &shstrndx) != 0)
		return;
	abi->inflater = libdeflate_alloc_decompressor();
	/* libdw inflates GNU-style .zdebug_ sections in place, and a second
	 * handle would find them inflated already: no deferred lines then */
	bool defer_lines = abi_section_named(abi, ".zdebug_info", &gnu) == NULL;
	while ((scn = elf_nextscn(abi->elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *nm;
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type == SHT_NOBITS
		    || (nm = elf_strptr(abi->elf, shstrndx, sh.sh_name)) == NULL
		    || (strncmp(nm, ".debug_", 7) != 0 && strncmp(nm, ".zdebug_", 8) != 0))
			continue;
		if (defer_lines && abi->line_scn == NULL
		    && strcmp(nm, ".debug_line") == 0) {
			abi->line_scn = scn;
			abi->line_type = sh.sh_type;
			sh.sh_type = SHT_NOBITS;
			(void)gelf_update_shdr(scn, &sh);
		} else if (unread_section(nm)) {
			sh.sh_type = SHT_NOBITS;
			(void)gelf_update_shdr(scn, &sh);  /* kept: libdw inflates it */
		} else if ((sh.sh_flags & SHF_COMPRESSED) && abi->inflater != NULL) {
			inflate_section(abi, scn, &sh);
		}
	}
}

/* The handle that reads line tables.  Go's function table answers
 * the binary check's lines (pcln.c), so .debug_line, a third of the
 * DWARF bytes to inflate, is left out of the first handle and given to
 * a second one when a line is first asked of DWARF (a mismatch, an
 * inlined call).  If that fails, the first handle answers: no lines. */
Dwarf *abi_line_dwarf(struct ps_abi *abi)
{
	GElf_Shdr sh;

	if (abi->lines_tried)
		return abi->dwarf_lines;
	abi->lines_tried = true;
	abi->dwarf_lines = abi->dwarf;
	if (abi->line_scn == NULL || gelf_getshdr(abi->line_scn, &sh) == NULL)
		return abi->dwarf_lines;
	sh.sh_type = abi->line_type;
	if (gelf_update_shdr(abi->line_scn, &sh) == 0)
		return abi->dwarf_lines;
	if ((sh.sh_flags & SHF_COMPRESSED) && abi->inflater != NULL)
		inflate_section(abi, abi->line_scn, &sh);
	Dwarf *d = dwarf_begin_elf(abi->elf, DWARF_C_READ, NULL);
	if (d != NULL)
		abi->dwarf_lines = d;
	return abi->dwarf_lines;
}

static int open_dwarf(struct ps_abi *abi, struct ps_error *err)
{
	prepare_debug_sections(abi);
	abi->dwarf = dwarf_begin_elf(abi->elf, DWARF_C_READ, NULL);
	if (abi->dwarf == NULL)
		return ps_error_set(err, PS_ERR_NO_DWARF,
			"'%s' has no DWARF debug information (stripped, or built with -ldflags=-w?)",
			abi->path);
	return 0;
}

ps_abi *ps_abi_open(const char *path, struct ps_error *err)
{
	ps_abi *abi = ps_xcalloc(1, sizeof(*abi));

	abi->fd = -1;
	abi->path = ps_xstrndup(path, strlen(path));
	abi->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (abi->fd < 0) {
		ps_error_set(err, PS_ERR_IO, "cannot open '%s': %s", path,
			     strerror(errno));
		if (err != NULL)
			err->sys_errno = errno;
		goto fail;
	}
	struct stat st;
	if (fstat(abi->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		ps_error_set(err, PS_ERR_IO, "cannot read '%s': it is a directory", path);
		goto fail;
	}
	elf_version(EV_CURRENT);
	abi->elf = elf_begin(abi->fd, ELF_C_READ_MMAP_PRIVATE, NULL);
	if (abi->elf == NULL) {     /* libelf could not read or map it */
		ps_error_set(err, PS_ERR_IO, "cannot read '%s': %s", path,
			     elf_errmsg(-1));
		goto fail;
	}
	if (elf_kind(abi->elf) != ELF_K_ELF) {
		ps_error_set(err, PS_ERR_NOT_ELF, "'%s' is not an ELF executable",
			     path);
		goto fail;
	}
	abi->image = (const unsigned char *)elf_rawfile(abi->elf, &abi->image_len);
	if (abi->image == NULL) {
		ps_error_set(err, PS_ERR_NOT_ELF, "cannot read '%s': %s", path,
			     elf_errmsg(-1));
		goto fail;
	}
	if (abi_elf_load(abi, err) < 0 || open_dwarf(abi, err) < 0
	    || abi_index(abi, err) < 0)
		goto fail;
	return abi;
fail:
	ps_abi_close(abi);
	return NULL;
}

void ps_abi_close(ps_abi *abi)
{
	if (abi == NULL)
		return;
	if (abi->dwarf_lines != NULL && abi->dwarf_lines != abi->dwarf)
		dwarf_end(abi->dwarf_lines);
	if (abi->dwarf != NULL)
		dwarf_end(abi->dwarf);
	if (abi->elf != NULL)
		elf_end(abi->elf);
	for (size_t i = 0; i < abi->n_inflated; i++)
		free(abi->inflated[i]);     /* after libdw and libelf: theirs */
	if (abi->inflater != NULL)
		libdeflate_free_decompressor(abi->inflater);
	if (abi->fd >= 0)
		close(abi->fd);
	u64map_release(&abi->fns);
	u64map_release(&abi->cu_names);
	u64map_release(&abi->symkeys);
	u64map_release(&abi->resolved);
	u64map_release(&abi->by_ptr);
	u64map_release(&abi->types);
	u64map_release(&abi->rtypes);
	u64map_release(&abi->checked);
	u64map_release(&abi->inst);
	u64map_release(&abi->gpick);
	u64map_release(&abi->cu_opt);
	ps_arena_release(&abi->arena);
	free(abi->go_version);
	free(abi->path);
	free(abi);
}

const char *ps_abi_go_version(const ps_abi *abi) { return abi->go_version; }
const char *ps_abi_arch(const ps_abi *abi) { return abi->arch; }
const char *ps_abi_path(const ps_abi *abi) { return abi->path; }

const char *ps_arg_format_name(enum ps_arg_format f)
{
	return f == PS_ARGFMT_WORDS ? "words"
	       : f == PS_ARGFMT_STRUCTURED ? "structured" : "auto";
}

const char *ps_abi_role_name(enum ps_abi_role r)
{
	return r == PS_ROLE_RECEIVER ? "receiver"
	       : r == PS_ROLE_RESULT ? "result" : "param";
}

/* ---- functions by frame --------------------------------------------- */

static struct abi_fn *lookup_name(struct ps_abi *abi, const struct ps_frame *fr)
{
	struct abi_fn *fn;
	if (strcmp(fr->func, "panic") == 0)   /* runtime.gopanic, renamed */
		return abi_fn_lookup(abi, "runtime.gopanic");
	if ((fn = abi_fn_lookup(abi, fr->func)) != NULL)
		return fn;
	if (strchr(fr->func, '%') == NULL)
		return NULL;
	/* "%2e" in the printed name: DWARF has the decoded one.  Rare, so
	 * the name is split here rather than kept per frame. */
	struct ps_arena scratch = { 0 };
	struct ps_funcname name;
	ps_parse_funcname(fr->func, strlen(fr->func), &scratch, &name);
	if (strcmp(name.decoded, fr->func) != 0)
		fn = abi_fn_lookup(abi, name.decoded);
	ps_arena_release(&scratch);
	return fn;
}

/* Frame names are interned, so the pointer is the fast key; the copy
 * guards against a later document reusing a freed name's address. */
const struct abi_name *abi_frame_name(struct ps_abi *abi,
				      const struct ps_frame *frame)
{
	bool found;
	uint64_t key = (uint64_t)(uintptr_t)frame->func;
	struct abi_name *e = u64map_get(&abi->by_ptr, key, &found);
	if (found && strcmp(e->copy, frame->func) == 0)
		return e;
	e = ps_arena_calloc(&abi->arena, sizeof(*e));
	e->copy = ps_arena_strndup(&abi->arena, frame->func, strlen(frame->func));
	e->hash = ps_hash_bytes(e->copy, strlen(e->copy), PS_HASH_SEED);
	e->fn = lookup_name(abi, frame);
	u64map_put(&abi->by_ptr, key, e);
	return e;
}

struct abi_fn *abi_frame_fn(struct ps_abi *abi, const struct ps_frame *frame)
{
	return abi_frame_name(abi, frame)->fn;
}

/* ---- argument format ------------------------------------------------ */

static size_t leaf_count(const struct abi_type *t)
{
	size_t n = 0;
	switch (t->tk) {
	case TK_STRING: case TK_EFACE: case TK_IFACE: case TK_COMPLEX: return 2;
	case TK_SLICE: return 3;
	case TK_STRUCT:
		for (size_t i = 0; i < t->n_fields && n < 10; i++)
			n += leaf_count(t->fields[i].type);
		return n ? n : 1;
	case TK_ARRAY:
		for (size_t i = 0; i < t->count && n < 10; i++)
			n += leaf_count(t->elem);
		return n ? n : 1;
	default: return 1;
	}
}

/* +1: FRAME's word count fits only the words layout, -1: only the
 * structured one, 0: both or neither. */
static int count_vote(struct ps_abi *abi, const struct ps_frame *fr, const char *args)
{
	struct abi_fn *fn;
	size_t printed = 0, sl = 0;
	bool elided = false;

	if (fr->inlined || args == NULL
	    || (fn = abi_frame_fn(abi, fr)) == NULL
	    || abi_fn_signature(abi, (fn = abi_fn_for_frame(abi, fn, fr))) < 0)
		return 0;
	for (const char *p = args; *p; p++)
		printed += *p == 'x';
	elided = strstr(args, "...") != NULL;
	for (size_t i = 0; i < fn->n_params; i++)
		if (!fn->params[i].result)
			sl += leaf_count(fn->params[i].type);
	size_t wl = abi_words_count(abi, fn);
	bool fits_w = elided ? printed == 10 && wl == 10 : printed == wl;
	bool fits_s = elided ? sl >= printed : printed == (sl > 10 ? 10 : sl);
	return fits_w == fits_s ? 0 : fits_w ? 1 : -1;
}

static enum ps_arg_format by_counts(struct ps_abi *abi,
				    const struct ps_dump *dump)
{
	long votes = 0;
	for (size_t g = 0; g < dump->n_goroutines && g < 1000; g++) {
		const struct ps_stack *st = &dump->goroutines[g].stack;
		for (size_t i = 0; i < st->n_frames; i++)
			votes += count_vote(abi, &st->frames[i], ps_stack_args(st, i));
	}
	return votes < 0 ? PS_ARGFMT_STRUCTURED : PS_ARGFMT_WORDS;
}

/* Go 1.21+ prints "created by F in goroutine N": only structured-era
 * runtimes do. */
static bool newer_headers(const struct ps_dump *dump)
{
	for (size_t g = 0; g < dump->n_goroutines; g++) {
		const struct ps_goroutine *gr = &dump->goroutines[g];
		if (gr->created_by != NULL && gr->created_by->has_goroutine)
			return true;
		if (gr->stack.elided && gr->stack.elided_count > 0)
			return true;
	}
	return false;
}

/* Identifies a dump for the per-dump caches: more than its address,
 * which a later document may reuse after ps_doc_free. */
static uint64_t dump_key(const struct ps_dump *d)
{
	struct {
		const void *d, *g;
		size_t n;
		uint32_t first, last;
	} k = { d, d->goroutines, d->n_goroutines, d->first_line, d->last_line };
	return ps_hash_bytes(&k, sizeof(k), 29) | 1;   /* never 0: "none" */
}

static int minor_version(const char *v)
{
	if (v == NULL || strncmp(v, "go1.", 4) != 0)
		return -1;
	return atoi(v + 4);
}

enum ps_arg_format ps_abi_arg_format(ps_abi *abi, const struct ps_dump *dump,
				     enum ps_arg_format requested)
{
	enum ps_arg_format f;

	if (requested != PS_ARGFMT_AUTO)
		return requested;
	if (abi != NULL && abi->fmt_dump == dump_key(dump))
		return abi->fmt_cached;
	if (dump->structured_args || newer_headers(dump))
		f = PS_ARGFMT_STRUCTURED;
	else if (abi != NULL && minor_version(abi->go_version) >= 0)
		f = minor_version(abi->go_version) >= 17 ? PS_ARGFMT_STRUCTURED
							 : PS_ARGFMT_WORDS;
	else if (abi != NULL)
		f = by_counts(abi, dump);
	else
		f = PS_ARGFMT_WORDS;
	if (abi != NULL) {
		abi->fmt_dump = dump_key(dump);
		abi->fmt_cached = f;
	}
	return f;
}

/* ---- decoding ------------------------------------------------------- */

/* Decodes NODES with FN's signature: 0, or -1 when they do not fit. */
static int decode_with(struct ps_abi *abi, struct abi_fn *fn,
		       const struct ps_arg *nodes, size_t n,
		       enum ps_arg_format fmt, struct ps_arena *arena,
		       struct ps_abi_frame *out)
{
	memset(out, 0, sizeof(*out));
	if (abi_fn_signature(abi, fn) < 0)
		return -1;
	if (fmt == PS_ARGFMT_WORDS) {
		abi_decode_words(abi, fn, nodes, n, arena, out);
		return 0;
	}
	if (abi_decode_structured(abi, fn, nodes, n, arena, out) == 0)
		return 0;
	memset(out, 0, sizeof(*out));
	return -1;
}

/* Instantiations of a generic function share its printed name and often
 * its lines; the one whose parameters fit the printed shape ran. */
static struct abi_fn *other_instance(struct ps_abi *abi, struct abi_fn *head,
				     struct abi_fn *tried,
				     const struct ps_frame *frame,
				     const struct ps_arg *nodes, size_t n,
				     enum ps_arg_format fmt,
				     struct ps_arena *arena,
				     struct ps_abi_frame *out)
{
	for (struct abi_fn *c = head; c != NULL; c = c->next) {
		if (c == tried || c->highpc == 0 || strcmp(c->key, head->key) != 0
		    || (frame->has_pc_offset
			&& frame->pc_offset > c->highpc - c->lowpc))
			continue;
		if (decode_with(abi, c, nodes, n, fmt, arena, out) == 0)
			return c;
	}
	return NULL;
}

/* Parameters a traceback prints for FN (not results, not the dictionary). */
static size_t printed_params(struct ps_abi *abi, struct abi_fn *fn)
{
	size_t k = 0;
	if (abi_fn_signature(abi, fn) < 0)
		return 0;
	for (size_t i = 0; i < fn->n_params; i++)
		k += !fn->params[i].result && !fn->params[i].dict;
	return k;
}

static void distrust(struct ps_abi_arg *a)
{
	a->reliable = false;
	a->value.unreliable_parts = 0;  /* no part is better than the rest */
	for (size_t i = 0; i < a->value.n_fields; i++)
		distrust(&a->value.fields[i]);
}

void abi_distrust(struct ps_abi_arg *a)
{
	distrust(a);
}

/* Go 1.18 to 1.21 skip the dictionary argument when printing but keep
 * its slot in the offsets, so every printed value may be a neighbour's
 * (seen with go1.18.10, go1.19.8, go1.20.14, go1.21.13; go1.22.12 fine). */
static bool generic_args_shifted(const struct ps_abi *abi,
				 const struct abi_fn *fn, enum ps_arg_format fmt)
{
	int minor = minor_version(abi->go_version);
	return fmt == PS_ARGFMT_STRUCTURED && minor >= 18 && minor <= 21
	       && strstr(fn->key, "[...]") != NULL;
}

/* Compiler-made wrappers of promoted pointer methods ("net.(*TCPConn).Read"
 * for an embedded conn) have no receiver in DWARF, yet the traceback
 * prints one.  Retry with a pointer receiver of the type the name gives. */
static struct abi_fn *with_receiver(struct ps_abi *abi, struct abi_fn *fn,
				    const struct ps_arg *nodes, size_t n,
				    enum ps_arg_format fmt, struct ps_arena *arena,
				    struct ps_abi_frame *out)
{
	const char *lp = strstr(fn->name, ".(*"), *rp;
	if (fmt != PS_ARGFMT_STRUCTURED || lp == NULL
	    || (rp = strstr(lp, ").")) == NULL || fn->sig_bad)
		return NULL;
	struct abi_type *t = ps_arena_calloc(arena, sizeof(*t));
	t->tk = TK_PTR;
	t->size = t->align = abi->word;
	t->name = ps_arena_printf(arena, "*%.*s.%.*s", (int)(lp - fn->name),
				  fn->name, (int)(rp - lp - 3), lp + 3);
	struct abi_fn *w = ps_arena_memdup(arena, fn, sizeof(*fn));
	w->params = ps_arena_calloc(arena, (fn->n_params + 1) * sizeof(*w->params));
	w->params[0].name = "";
	w->params[0].type = t;
	if (fn->n_params > 0)    /* params is NULL for none */
		memcpy(w->params + 1, fn->params, fn->n_params * sizeof(*w->params));
	w->n_params = fn->n_params + 1;
	w->is_method = true;
	return decode_with(abi, w, nodes, n, fmt, arena, out) == 0 ? w : NULL;
}

/* The bias FRAME's printed pc implies, if it has one (traceback level 2
 * prints "pc=" for every frame: the return address, entry + offset). */
static bool frame_bias(struct ps_abi *abi, const struct ps_frame *fr,
		       uint64_t pc, uint64_t *bias)
{
	struct abi_fn *fn;
	if (!fr->has_pc_offset || fr->kind != PS_FRAME_GO
	    || (fn = abi_frame_fn(abi, fr)) == NULL
	    || (fn = abi_fn_for_frame(abi, fn, fr))->highpc == 0
	    || fr->pc_offset > fn->highpc - fn->lowpc)  /* the dump's number */
		return false;
	*bias = pc - (fn->lowpc + fr->pc_offset);
	return (*bias & 0xfff) == 0;    /* loaders map at page boundaries */
}

/* Load bias of a position-independent binary for DUMP: from a frame's
 * "pc=", else from the signal's pc and the frame that faulted. */
void abi_find_bias(struct ps_abi *abi, const struct ps_dump *dump)
{
	uint64_t sigpc = 0;

	abi->bias_dump = dump_key(dump);
	abi->bias_known = false;
	if (dump->signal != NULL && dump->signal->pc != NULL)
		sigpc = strtoull(dump->signal->pc, NULL, 16);
	for (size_t g = 0; g < dump->n_goroutines && !abi->bias_known; g++) {
		const struct ps_goroutine *gr = &dump->goroutines[g];
		for (size_t i = 0; i < gr->stack.n_frames && !abi->bias_known; i++) {
			const struct ps_frame *fr = &gr->stack.frames[i];
			if (fr->has_meta && fr->pc != 0)
				abi->bias_known = frame_bias(abi, fr, fr->pc,
							     &abi->bias);
			else if (sigpc != 0 && abi_is_faulting_frame(dump, &gr->stack, i))
				abi->bias_known = frame_bias(abi, fr, sigpc, &abi->bias);
		}
	}
}

/* Go 1.17 introduced the register ABI (amd64) but not the '?' mark: its
 * tracebacks print spill slots that may never have been written, as if
 * they were values (seen with go1.17.13: 12 of 19 ground-truth cases
 * showed garbage unmarked). */
static bool unmarked_register_args(const struct ps_abi *abi,
				   enum ps_arg_format fmt)
{
	return fmt == PS_ARGFMT_STRUCTURED && abi->regabi
	       && minor_version(abi->go_version) == 17;
}

/* Generic code: the printed list rewritten per declared parameter
 * (*NODES, *N), for the instantiation the pc, dictionary or line points
 * at; of several that agree, the only one whose parameters fit the
 * printed shape.  Returns the instantiation. */
static struct abi_fn *generic_frame(struct ps_abi *abi, struct abi_fn *head,
				    struct abi_fn *fn, const struct ps_frame *frame,
				    enum ps_arg_format fmt, struct ps_arg **nodes,
				    size_t *n, struct ps_arena *arena,
				    const char **note, const char **ambiguous)
{
	bool has_dict;
	uint64_t dict_word = 0;
	const struct ps_arg *g = *nodes;
	size_t gn = *n;

	const char *first = abi_generic_args(abi, fn, fmt, &g, &gn, arena,
					     &has_dict, &dict_word);
	struct abi_fn *picked = abi_generic_pick(abi, head, fn, frame, has_dict,
						 dict_word, ambiguous);
	if (picked == fn && *ambiguous == NULL) {
		*note = first;
		*nodes = (struct ps_arg *)g;
		*n = gn;
		return fn;
	}
	fn = picked;
	if (*ambiguous != NULL) {
		struct abi_fn *only = NULL;
		size_t fits = 0;
		for (struct abi_fn *c = abi_generic_next(abi, head, NULL, frame);
		     c != NULL && fits < 2; c = abi_generic_next(abi, head, c, frame)) {
			struct ps_abi_frame scratch;
			g = *nodes;
			gn = *n;
			(void)abi_generic_args(abi, c, fmt, &g, &gn, arena, &has_dict,
					       &dict_word);
			if (decode_with(abi, c, g, gn, fmt, arena, &scratch) == 0) {
				only = c;
				fits++;
			}
		}
		if (fits == 1) {
			fn = only;
			*ambiguous = NULL;
		}
	}
	g = *nodes;
	gn = *n;
	*note = abi_generic_args(abi, fn, fmt, &g, &gn, arena, &has_dict, &dict_word);
	*nodes = (struct ps_arg *)g;
	*n = gn;
	return fn;
}

static const char *generic_note(struct ps_arena *arena, const char *a,
				const char *b, const char *c)
{
	const char *parts[3] = { a, b, c }, *out = NULL;
	for (int i = 0; i < 3; i++)
		if (parts[i] != NULL)
			out = out ? ps_arena_printf(arena, "%s; %s", out, parts[i])
				  : parts[i];
	return out;
}

void ps_abi_decode_frame(ps_abi *abi, const struct ps_dump *dump,
			 const struct ps_stack *st, size_t i, enum ps_arg_format fmt,
			 struct ps_arena *arena, struct ps_abi_frame *out)
{
	const struct ps_frame *frame = &st->frames[i];
	const char *args = ps_stack_args(st, i);
	size_t args_len = ps_stack_args_len(st, i);
	struct ps_arg *nodes = NULL;
	size_t n = 0;
	struct abi_fn *head, *fn;

	memset(out, 0, sizeof(*out));
	if (frame->kind != PS_FRAME_GO || (head = abi_frame_fn(abi, frame)) == NULL)
		return;
	fn = abi_fn_for_frame(abi, head, frame);
	if (abi->pie && abi->bias_dump != dump_key(dump))
		abi_find_bias(abi, dump);
	if (args_len == 0 && printed_params(abi, fn) > 0)
		return;     /* race reports, profiles: arguments never printed */
	(void)ps_parse_args(args ? args : "", args_len, arena, &nodes, &n);
	fmt = ps_abi_arg_format(abi, dump, fmt);
	const char *ambiguous = NULL, *gnote = NULL;
	if (fn->key != fn->name)        /* "[...]" in it: generic code */
		fn = generic_frame(abi, head, fn, frame, fmt, &nodes, &n, arena,
				   &gnote, &ambiguous);
	if (decode_with(abi, fn, nodes, n, fmt, arena, out) < 0) {
		struct abi_fn *alt = other_instance(abi, head, fn, frame, nodes,
						    n, fmt, arena, out);
		if (alt == NULL)
			alt = with_receiver(abi, fn, nodes, n, fmt, arena, out);
		if (alt == NULL && fn->n_params == 0 && !fn->sig_bad) {
			out->note = ps_arena_printf(arena,
				"the binary's DWARF lists no parameters for %s (an assembly function?)",
				fn->name);
			return;
		}
		if (alt == NULL) {
			out->note = fn->sig_bad
				? "the binary's DWARF does not describe these parameters"
				: ps_arena_printf(arena,
					"printed arguments do not fit the signature of %s in the binary",
					fn->name);
			return;
		}
		fn = alt;
	}
	const char *why = NULL, *nil;
	if (generic_args_shifted(abi, fn, fmt))
		why = "Go 1.18-1.21 print a generic function's arguments "
		      "from shifted offsets (fixed in Go 1.22): not reliable";
	else if (unmarked_register_args(abi, fmt))
		why = "Go 1.17 prints register arguments without marking "
		      "stale ones ('?' came in Go 1.18): not reliable";
	for (size_t k = 0; why != NULL && k < out->n_args; k++)
		distrust(&out->args[k]);
	if (ambiguous != NULL)
		abi_generic_distrust(abi, fn, frame, out);
	if (ambiguous != NULL || gnote != NULL)
		why = generic_note(arena, why, ambiguous, gnote);
	nil = abi_nil_note(abi, dump, st, i, fn, out, arena);
	out->note = nil && why ? ps_arena_printf(arena, "%s; %s", nil, why)
		    : nil ? nil : why;
}
