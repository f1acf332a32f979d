/*
 * dwarf.c - the DWARF side: an index of every DW_TAG_subprogram by Go
 * name (built once, signatures decoded on first use), the type-layout
 * model, the runtime-type-address map and line lookups.
 */
#include <dwarf.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"

#define DW_AT_go_kind 0x2900
#define DW_AT_go_runtime_type 0x2904

/* reflect.Kind values carried in DW_AT_go_kind. */
enum {
	GK_ARRAY = 17, GK_CHAN = 18, GK_FUNC = 19, GK_INTERFACE = 20,
	GK_MAP = 21, GK_PTR = 22, GK_SLICE = 23, GK_STRING = 24,
	GK_STRUCT = 25, GK_UNSAFEPTR = 26,
};

#define MAX_TYPE_DEPTH 48
#define MAX_PARAM_SIZE (1ULL << 40)

static uint64_t name_hash(const char *s)
{
	return ps_hash_bytes(s, strlen(s), PS_HASH_SEED);
}

/* Go prints type arguments as "[...]"; DWARF names the shapes.  Both are
 * reduced to the printed form, first '[' to last ']'. */
static const char *print_key(struct ps_abi *abi, const char *name)
{
	const char *lb = strchr(name, '['), *rb = strrchr(name, ']');
	if (lb == NULL || rb == NULL || rb < lb)
		return name;
	return ps_arena_printf(&abi->arena, "%.*s[...]%s", (int)(lb - name),
			       name, rb + 1);
}

/* Chains keep the order one walk over every unit in file order would
 * give, however lazily the units are walked: entries with code first,
 * the last in the file first, then abstract (inline-only) ones in file
 * order.  Which entry heads a chain decides what a frame decodes with. */
static void chain_insert(struct ps_abi *abi, uint64_t h, struct abi_fn *fn)
{
	bool found;
	struct abi_fn *head = u64map_get(&abi->fns, h, &found), **at = &head;

	while (*at != NULL && (fn->highpc != 0
			       ? (*at)->highpc != 0 && (*at)->die > fn->die
			       : (*at)->highpc != 0 || (*at)->die < fn->die))
		at = &(*at)->next;
	fn->next = *at;
	*at = fn;
	u64map_put(&abi->fns, h, head);
}

static void add_fn(struct ps_abi *abi, Dwarf_Die *die, Dwarf_Off cu)
{
	const char *name = dwarf_diename(die);
	Dwarf_Addr lo = 0, hi = 0;

	if (name == NULL)
		return;
	struct abi_fn *fn = ps_arena_calloc(&abi->arena, sizeof(*fn));
	fn->name = name;
	fn->key = print_key(abi, name);
	fn->die = dwarf_dieoffset(die);
	fn->cu = cu;
	if (dwarf_lowpc(die, &lo) == 0 && dwarf_highpc(die, &hi) == 0 && hi > lo) {
		fn->lowpc = lo;
		fn->highpc = hi;
	}
	fn->is_method = strstr(name, ").") != NULL;
	chain_insert(abi, name_hash(fn->key), fn);
	abi->n_fns++;
}

/* "Go cmd/compile go1.19.8; regabi" -> "go1.19.8", regabi flag. */
static void producer_version(struct ps_abi *abi, Dwarf_Die *cu)
{
	Dwarf_Attribute a;
	const char *p = dwarf_formstring(dwarf_attr(cu, DW_AT_producer, &a));
	static const char pre[] = "Go cmd/compile ";

	if (p == NULL || strncmp(p, pre, sizeof(pre) - 1) != 0)
		return;
	p += sizeof(pre) - 1;
	size_t n = strcspn(p, "; ");
	abi->regabi = strstr(p, "regabi") != NULL;
	if (abi->go_version == NULL && n > 0 && n < 64)
		abi->go_version = ps_xstrndup(p, n);
}

/* ---- the function index, one unit at a time ------------------------
 *
 * Walking the top level of every unit (libdw reads each DIE below to
 * find the next one) was a third of what -b cost on a big binary, for
 * the few dozen functions a dump names.  So a name is looked for only
 * in the units that can hold it: those whose address ranges hold an
 * ELF function symbol of that name (every function with code has one),
 * and, for a function with no code of its own (inlined everywhere), its
 * package's unit, where Go puts the abstract entry of a function its
 * own package inlines (if it is there, it is the only one: Go emits one
 * abstract entry per function).  Whatever that cannot settle (a name not
 * found there, a generic function's inline-only entries, which may lie
 * in any unit) walks every unit, as before.  The chains then hold what
 * one walk of every unit gives for the name, as long as every function
 * with code has an ELF symbol of its DWARF name, which Go's linker
 * writes (the JSON of every corpus and ground-truth dump decoded with
 * its binary is the same either way). */

struct abi_cu {
	Dwarf_Off off;
	bool walked;
};

struct abi_span {
	uint64_t addr, size;
	struct abi_cu *cu;
};

/* Function symbols by print key: where the code entries of a name are. */
struct abi_symkey {
	const char *key;
	uint64_t addr;
	struct abi_symkey *next;
};

static void note_rtype(struct ps_abi *abi, Dwarf_Die *die);

static void top_die(struct ps_abi *abi, Dwarf_Die *die, Dwarf_Off cu)
{
	if (dwarf_tag(die) == DW_TAG_subprogram)
		add_fn(abi, die, cu);
	else
		note_rtype(abi, die);
}

/* The unit's top-level DIEs found by diewalk.c; false (nothing added)
 * when its skip cannot tell them. */
static bool walk_fast(struct ps_abi *abi, Dwarf_Die *cudie, Dwarf_Off off)
{
	struct ps_vec tops, dies;
	bool ok;

	ps_vec_init(&tops, sizeof(const void *));
	ps_vec_init(&dies, sizeof(Dwarf_Die));
	ok = abi_unit_tops(abi, cudie, off, &tops) == 0;
	/* every DIE found before any is added: all or nothing */
	for (size_t i = 0; ok && i < tops.len; i++) {
		void *addr = *(void **)ps_vec_at(&tops, i);
		ok = dwarf_die_addr_die(abi->dwarf, addr, ps_vec_push(&dies)) != NULL;
	}
	for (size_t i = 0; ok && i < dies.len; i++)
		top_die(abi, ps_vec_at(&dies, i), off);
	ps_vec_release(&dies);
	ps_vec_release(&tops);
	return ok;
}

/* Adds the top-level functions and runtime type names of unit U; -1
 * (the first such failure kept in abi->dwarf_damage) when libdw cannot
 * read the unit. */
static int walk_unit(struct ps_abi *abi, struct abi_cu *u)
{
	Dwarf_Die cudie, die;
	int rc = -1;

	if (u->walked)
		return 0;
	u->walked = true;
	if (dwarf_offdie(abi->dwarf, u->off, &cudie) == NULL)
		goto damaged;
	if (walk_fast(abi, &cudie, u->off))
		return 0;
	for (rc = dwarf_child(&cudie, &die); rc == 0;
	     rc = dwarf_siblingof(&die, &die))
		top_die(abi, &die, u->off);
	/* -1 is libdw failing to read the tree, not its end: functions
	 * after the damage would be missing without a word. */
	if (rc >= 0)
		return 0;
damaged:
	if (abi->dwarf_damage == NULL)
		abi->dwarf_damage = ps_arena_printf(&abi->arena,
			"'%s' has damaged DWARF data (unit at 0x%llx): %s",
			abi->path, (unsigned long long)u->off, dwarf_errmsg(-1));
	return -1;
}

static void walk_all(struct ps_abi *abi)
{
	if (abi->all_walked)
		return;
	for (size_t i = 0; i < abi->n_cus && !abi->all_walked; i++)
		(void)walk_unit(abi, &abi->cus[i]);
	abi->all_walked = true;
}

static int span_cmp(const void *a, const void *b)
{
	const struct abi_span *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The unit whose address ranges hold ADDR, or NULL. */
static struct abi_cu *unit_at(const struct ps_abi *abi, uint64_t addr)
{
	size_t i = abi_range_find(abi->spans, abi->n_spans, sizeof(*abi->spans),
				  offsetof(struct abi_span, addr),
				  offsetof(struct abi_span, size), addr);
	return i < abi->n_spans ? abi->spans[i].cu : NULL;
}

/* Units, their address ranges and names: headers and unit DIEs only. */
static void list_units(struct ps_abi *abi, struct ps_vec *cus,
		       struct ps_vec *spans, struct ps_vec *names)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie;
	uint8_t unit_type;
	Dwarf_Half version;

	bool producer = false;
	int rc;

	while ((rc = dwarf_get_units(abi->dwarf, cu, &cu, &version, &unit_type,
				     &cudie, NULL)) == 0) {
		if (!producer) {        /* .go.buildinfo may have named it */
			producer_version(abi, &cudie);
			producer = abi->go_version != NULL;
		}
		struct abi_cu *u = ps_vec_push(cus);
		u->off = dwarf_dieoffset(&cudie);
		const char *nm = dwarf_diename(&cudie);
		*(const char **)ps_vec_push(names) = nm;
		Dwarf_Addr base, start, end;
		ptrdiff_t at = 0;
		while ((at = dwarf_ranges(&cudie, at, &base, &start, &end)) > 0) {
			if (end <= start)
				continue;
			struct abi_span *s = ps_vec_push(spans);
			s->addr = start;
			s->size = end - start;
			s->cu = (struct abi_cu *)(uintptr_t)(cus->len - 1); /* index, for now */
		}
	}
	/* -1: a unit header libdw cannot read; the units after it are not
	 * listed, and a function there is no "not in the binary" */
	if (rc < 0)
		abi->dwarf_damage = ps_arena_printf(&abi->arena,
			"'%s' has damaged DWARF data (the unit after 0x%llx): %s",
			abi->path, (unsigned long long)(cus->len
				? ((struct abi_cu *)cus->data)[cus->len - 1].off : 0),
			dwarf_errmsg(-1));
}

/* Lists the units, and walks them in order until one holds a function:
 * a binary without any is not decodable. */
int abi_index(struct ps_abi *abi, struct ps_error *err)
{
	struct ps_vec cus, spans, names;

	if (abi->indexed)
		return 0;
	abi->indexed = true;
	ps_vec_init(&cus, sizeof(struct abi_cu));
	ps_vec_init(&spans, sizeof(struct abi_span));
	ps_vec_init(&names, sizeof(const char *));
	list_units(abi, &cus, &spans, &names);
	abi->cus = ps_vec_finish(&cus, &abi->arena, &abi->n_cus);
	abi->spans = ps_vec_finish(&spans, &abi->arena, &abi->n_spans);
	for (size_t i = 0; i < abi->n_spans; i++)
		abi->spans[i].cu = &abi->cus[(uintptr_t)abi->spans[i].cu];
	if (abi->n_spans > 1)
		qsort(abi->spans, abi->n_spans, sizeof(*abi->spans), span_cmp);
	const char **nm = names.data;
	for (size_t i = 0; i < abi->n_cus; i++)
		if (nm[i] != NULL)
			u64map_put(&abi->cu_names, name_hash(nm[i]), &abi->cus[i]);
	ps_vec_release(&cus);
	ps_vec_release(&spans);
	ps_vec_release(&names);
	for (size_t i = 0; i < abi->n_cus && abi->n_fns == 0; i++)
		if (walk_unit(abi, &abi->cus[i]) < 0)
			return ps_error_set(err, PS_ERR_NO_DWARF, "%s", abi->dwarf_damage);
	if (abi->n_fns == 0)
		return ps_error_set(err, PS_ERR_NO_DWARF,
			"'%s' has no Go functions in its DWARF data", abi->path);
	return 0;
}

/* Go 1.17+ call an assembly function's symbol "NAME.abi0"; DWARF and
 * the traceback call it NAME.  Without this its unit is not found, and
 * a lookup of it walked every unit. */
static const char *abi0_name(struct ps_abi *abi, const char *sym)
{
	static const char sfx[] = ".abi0";
	size_t n = strlen(sym), k = sizeof(sfx) - 1;
	if (n <= k || memcmp(sym + n - k, sfx, k) != 0)
		return sym;
	return ps_arena_strndup(&abi->arena, sym, n - k);
}

static void index_symbols(struct ps_abi *abi)
{
	abi->symkeys_done = true;
	for (size_t i = 0; i < abi->n_syms; i++) {
		const struct abi_sym *s = &abi->syms[i];
		if (!s->func)
			continue;
		struct abi_symkey *k = ps_arena_alloc(&abi->arena, sizeof(*k));
		bool found;
		k->key = print_key(abi, abi0_name(abi, s->name));
		k->addr = s->addr;
		uint64_t h = name_hash(k->key);
		k->next = u64map_get(&abi->symkeys, h, &found);
		u64map_put(&abi->symkeys, h, k);
	}
}

static bool has_key(const struct ps_abi *abi, uint64_t h, const char *name,
		    bool code)
{
	bool found;
	for (struct abi_fn *fn = u64map_get(&abi->fns, h, &found); fn != NULL;
	     fn = fn->next)
		if ((!code || fn->highpc != 0) && strcmp(fn->key, name) == 0)
			return true;
	return false;
}

/* The unit named after the package of function NAME ("net/http" for
 * "net/http.(*conn).serve"), or NULL. */
static struct abi_cu *package_unit(const struct ps_abi *abi, const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strchr(slash ? slash : name, '.');
	bool found;
	if (dot == NULL)
		return NULL;
	struct abi_cu *u = u64map_get(&abi->cu_names,
		ps_hash_bytes(name, (size_t)(dot - name), PS_HASH_SEED), &found);
	return u;
}

/* Walks the units that hold every entry named NAME (see above). */
static void resolve(struct ps_abi *abi, const char *name, uint64_t h)
{
	bool found, sym = false, generic = strchr(name, '[') != NULL;
	struct abi_cu *u;

	if (!abi->symkeys_done)
		index_symbols(abi);
	for (struct abi_symkey *k = u64map_get(&abi->symkeys, h, &found);
	     k != NULL && !abi->all_walked; k = k->next) {
		if (strcmp(k->key, name) != 0)
			continue;
		sym = true;
		if ((u = unit_at(abi, k->addr)) == NULL)
			walk_all(abi);  /* code outside every unit's ranges */
		else
			(void)walk_unit(abi, u);
	}
	if (abi->all_walked || (sym && has_key(abi, h, name, true)))
		return;
	/* no code: one abstract entry, unless generic (one per shape) */
	if (!generic && (u = package_unit(abi, name)) != NULL) {
		(void)walk_unit(abi, u);
		if (has_key(abi, h, name, false))
			return;
	}
	walk_all(abi);
}

struct abi_fn *abi_fn_lookup(struct ps_abi *abi, const char *name)
{
	bool found;
	uint64_t h = name_hash(name);
	const char *done = u64map_get(&abi->resolved, h, &found);
	if (done == NULL || strcmp(done, name) != 0) {
		resolve(abi, name, h);
		u64map_put(&abi->resolved, h,
			   ps_arena_strndup(&abi->arena, name, strlen(name)));
	}
	struct abi_fn *fn = u64map_get(&abi->fns, h, &found);
	for (; fn != NULL; fn = fn->next)
		if (strcmp(fn->key, name) == 0)
			return fn;
	return NULL;
}

/* ---- types ---------------------------------------------------------- */

static const struct abi_type *type_rec(struct ps_abi *abi, Dwarf_Die *die,
				       int depth);

static bool die_ref(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	return dwarf_attr_integrate(die, DW_AT_type, &a) != NULL
	       && dwarf_formref_die(&a, out) != NULL;
}

static uint64_t die_udata(Dwarf_Die *die, unsigned name, uint64_t dflt)
{
	Dwarf_Attribute a;
	Dwarf_Word w;
	Dwarf_Addr addr;
	if (dwarf_attr(die, name, &a) == NULL)
		return dflt;
	if (dwarf_whatform(&a) == DW_FORM_addr)   /* DW_AT_go_runtime_type */
		return dwarf_formaddr(&a, &addr) == 0 ? addr : dflt;
	return dwarf_formudata(&a, &w) == 0 ? w : dflt;
}

/* Go's alignment rule: scalars align to their size, but never beyond
 * the register width (8-byte values are 4-aligned on 32-bit targets). */
static uint64_t scalar_align(const struct ps_abi *abi, uint64_t size)
{
	uint64_t a = size == 0 ? 1 : size;
	return a > abi->word ? abi->word : a;
}

static bool scalar_size_ok(enum tkind tk, uint64_t size)
{
	switch (tk) {
	case TK_BOOL: return size == 1;
	case TK_INT: case TK_UINT:
		return size == 1 || size == 2 || size == 4 || size == 8;
	case TK_FLOAT: return size == 4 || size == 8;
	case TK_COMPLEX: return size == 8 || size == 16;
	default: return true;
	}
}

static void base_type(struct ps_abi *abi, Dwarf_Die *die, struct abi_type *t)
{
	uint64_t enc = die_udata(die, DW_AT_encoding, 0);
	t->size = die_udata(die, DW_AT_byte_size, 0);
	t->align = scalar_align(abi, t->size);
	switch (enc) {
	case DW_ATE_boolean: t->tk = TK_BOOL; break;
	case DW_ATE_signed: case DW_ATE_signed_char: t->tk = TK_INT; break;
	case DW_ATE_unsigned: case DW_ATE_unsigned_char: t->tk = TK_UINT; break;
	case DW_ATE_float: t->tk = TK_FLOAT; break;
	case DW_ATE_complex_float:
		t->tk = TK_COMPLEX;
		t->align = scalar_align(abi, t->size / 2);
		break;
	default: t->tk = TK_UNKNOWN; break;
	}
	/* Only the sizes Go has: anything else (0 above all) would make the
	 * decoder shift or read by a size no value has. */
	if (!scalar_size_ok(t->tk, t->size))
		t->tk = TK_UNKNOWN;
}

static void struct_type(struct ps_abi *abi, Dwarf_Die *die,
			struct abi_type *t, int depth)
{
	struct ps_vec v;
	Dwarf_Die m, mt;

	bool bad = false;

	/* t stays TK_UNKNOWN while its members decode: a struct that (in
	 * broken DWARF) contains itself then ends up unknown, not cyclic. */
	ps_vec_init(&v, sizeof(struct abi_field));
	t->size = die_udata(die, DW_AT_byte_size, 0);
	t->align = 1;
	int rc = dwarf_child(die, &m);
	for (; rc == 0; rc = dwarf_siblingof(&m, &m)) {
		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		struct abi_field *f = ps_vec_push(&v);
		const char *nm = dwarf_diename(&m);
		f->name = nm ? nm : "";
		f->off = die_udata(&m, DW_AT_data_member_location, 0);
		f->type = die_ref(&m, &mt) ? type_rec(abi, &mt, depth + 1) : NULL;
		/* A member outside the struct would send reads past the
		 * value (and past the printed words). */
		if (f->type == NULL || f->type->tk == TK_UNKNOWN
		    || f->off > t->size || f->type->size > t->size - f->off)
			bad = true;
		else if (f->type->align > t->align)
			t->align = f->type->align;
	}
	if (rc < 0)
		bad = true;
	t->fields = ps_vec_finish(&v, &abi->arena, &t->n_fields);
	ps_vec_release(&v);
	t->tk = bad ? TK_UNKNOWN : TK_STRUCT;
}

static void array_type(struct ps_abi *abi, Dwarf_Die *die,
		       struct abi_type *t, int depth)
{
	Dwarf_Die et, sub;

	t->size = die_udata(die, DW_AT_byte_size, 0);
	t->elem = die_ref(die, &et) ? type_rec(abi, &et, depth + 1) : NULL;
	int rc = dwarf_child(die, &sub);
	if (rc == 0 && dwarf_tag(&sub) == DW_TAG_subrange_type) {
		uint64_t ub = die_udata(&sub, DW_AT_upper_bound, UINT64_MAX);
		t->count = die_udata(&sub, DW_AT_count,
				     ub == UINT64_MAX ? 0 : ub + 1);
	}
	/* elem size * count == size, without the product wrapping. */
	bool fits = rc >= 0 && t->elem != NULL && (t->count == 0 ? t->size == 0
		    : t->size % t->count == 0 && t->size / t->count == t->elem->size);
	if (!fits || t->elem->tk == TK_UNKNOWN) {
		t->tk = TK_UNKNOWN;
		t->align = 1;
		return;
	}
	t->tk = TK_ARRAY;
	t->align = t->elem->align;
}

/* Interface layouts: the runtime struct behind the typedef says which. */
static void iface_type(struct ps_abi *abi, Dwarf_Die *die, struct abi_type *t)
{
	Dwarf_Die u = *die;
	t->size = 2 * abi->word;
	t->align = abi->word;
	t->tk = TK_IFACE;
	for (int i = 0; i < 8 && die_ref(&u, &u); i++) {
		const char *nm = dwarf_diename(&u);
		if (nm != NULL && strcmp(nm, "runtime.eface") == 0) {
			t->tk = TK_EFACE;
			return;
		}
	}
}

/* Typedefs carry Go's named and reference types (error, map[K]V,
 * chan T, func(...), main.MyInt); their kind decides the layout. */
static void typedef_type(struct ps_abi *abi, Dwarf_Die *die,
			 struct abi_type *t, uint64_t gk, int depth)
{
	Dwarf_Die u;
	const struct abi_type *ut;

	switch (gk) {
	case GK_INTERFACE: iface_type(abi, die, t); return;
	case GK_MAP: t->tk = TK_MAP; break;
	case GK_CHAN: t->tk = TK_CHAN; break;
	case GK_FUNC: t->tk = TK_FUNC; break;
	default:
		ut = die_ref(die, &u) ? type_rec(abi, &u, depth + 1) : NULL;
		if (ut == NULL)
			return;
		const char *nm = t->name;
		*t = *ut;
		if (nm != NULL && nm[0] != '.')  /* ".param0": shape alias */
			t->name = nm;
		return;
	}
	t->size = t->align = abi->word;
}

static void fill_type(struct ps_abi *abi, Dwarf_Die *die, struct abi_type *t,
		      int depth)
{
	uint64_t gk = die_udata(die, DW_AT_go_kind, 0);
	Dwarf_Die u;

	switch (dwarf_tag(die)) {
	case DW_TAG_base_type: base_type(abi, die, t); break;
	case DW_TAG_pointer_type:
		t->tk = TK_PTR;
		t->size = t->align = abi->word;
		if (die_ref(die, &u))
			t->elem_die = dwarf_dieoffset(&u);
		break;
	case DW_TAG_structure_type:
		if (gk == GK_STRING || gk == GK_SLICE) {
			t->tk = gk == GK_STRING ? TK_STRING : TK_SLICE;
			t->size = (gk == GK_STRING ? 2 : 3) * abi->word;
			t->align = abi->word;
		} else {
			struct_type(abi, die, t, depth);
		}
		break;
	case DW_TAG_array_type: array_type(abi, die, t, depth); break;
	case DW_TAG_typedef: typedef_type(abi, die, t, gk, depth); break;
	case DW_TAG_subroutine_type:
		t->tk = TK_FUNC;
		t->size = t->align = abi->word;
		break;
	default: break;
	}
	if (t->tk == TK_UNKNOWN && t->align == 0)
		t->align = 1;
}

static const struct abi_type *type_rec(struct ps_abi *abi, Dwarf_Die *die,
				       int depth)
{
	Dwarf_Off off = dwarf_dieoffset(die);
	bool found;
	struct abi_type *t = u64map_get(&abi->types, off, &found);

	if (found)
		return t;
	t = ps_arena_calloc(&abi->arena, sizeof(*t));
	const char *nm = dwarf_diename(die);
	t->name = nm ? nm : "?";
	t->align = 1;
	u64map_put(&abi->types, off, t);  /* before recursing: cycles end */
	if (depth < MAX_TYPE_DEPTH)
		fill_type(abi, die, t, depth);
	return t;
}

const struct abi_type *abi_type_at(struct ps_abi *abi, Dwarf_Off off)
{
	Dwarf_Die die;
	if (dwarf_offdie(abi->dwarf, off, &die) == NULL)
		return NULL;
	return type_rec(abi, &die, 0);
}

/* ---- signatures ----------------------------------------------------- */

static size_t read_params(struct ps_abi *abi, Dwarf_Die *fdie,
			  struct ps_vec *v, bool *bad)
{
	Dwarf_Die c, td;
	Dwarf_Attribute a;
	bool flag;

	int rc = dwarf_child(fdie, &c);
	for (; rc == 0; rc = dwarf_siblingof(&c, &c)) {
		if (dwarf_tag(&c) != DW_TAG_formal_parameter)
			continue;
		struct abi_param *p = ps_vec_push(v);
		const char *nm = dwarf_diename(&c);
		p->name = nm ? nm : "";
		p->dict = strcmp(p->name, ".dict") == 0;
		p->result = dwarf_attr_integrate(&c, DW_AT_variable_parameter, &a)
			    && dwarf_formflag(&a, &flag) == 0 && flag;
		p->type = die_ref(&c, &td) ? type_rec(abi, &td, 0) : NULL;
		/* A parameter beyond any stack frame is damaged DWARF; the
		 * bound also keeps the argument layout's sums from wrapping. */
		if (p->type == NULL || p->type->size > MAX_PARAM_SIZE)
			*bad = true;
	}
	if (rc < 0)     /* libdw could not read the list: it may be cut */
		*bad = true;
	return v->len;
}

/* Decodes FN's formal parameters once: 0, or -1 when DWARF is unusable. */
int abi_fn_signature(struct ps_abi *abi, struct abi_fn *fn)
{
	Dwarf_Die die, origin;
	Dwarf_Attribute a;
	struct ps_vec v;
	bool bad = false;

	if (fn->sig_done)
		return fn->sig_bad ? -1 : 0;
	fn->sig_done = true;
	if (dwarf_offdie(abi->dwarf, fn->die, &die) == NULL) {
		fn->sig_bad = true;
		return -1;
	}
	ps_vec_init(&v, sizeof(struct abi_param));
	if (read_params(abi, &die, &v, &bad) == 0
	    && dwarf_attr(&die, DW_AT_abstract_origin, &a) != NULL
	    && dwarf_formref_die(&a, &origin) != NULL)
		read_params(abi, &origin, &v, &bad);
	fn->params = ps_vec_finish(&v, &abi->arena, &fn->n_params);
	ps_vec_release(&v);
	fn->sig_bad = bad;
	return bad ? -1 : 0;
}

/* ---- runtime type descriptors -> names ------------------------------ */

/* A type DIE naming its runtime type descriptor (DW_AT_go_runtime_type):
 * noted as its unit is walked.  Of several for one address the first in
 * the file wins, whichever unit was walked first. */
struct rtype {
	Dwarf_Off die;
	const char *name;
};

static void note_rtype(struct ps_abi *abi, Dwarf_Die *die)
{
	uint64_t addr = die_udata(die, DW_AT_go_runtime_type, 0);
	const char *nm;
	bool found;

	if (addr == 0 || (nm = dwarf_diename(die)) == NULL)
		return;
	/* Go 1.2x+ store an offset from runtime.types. */
	if (addr < abi->types_start)
		addr += abi->types_start;
	Dwarf_Off off = dwarf_dieoffset(die);
	struct rtype *r = u64map_get(&abi->rtypes, addr, &found);
	if (found && r->die < off)
		return;
	if (!found) {
		r = ps_arena_alloc(&abi->arena, sizeof(*r));
		u64map_put(&abi->rtypes, addr, r);
	}
	r->die = off;
	r->name = nm;
}

/* Any unit may describe the type: all are walked (on a libdw error in
 * one, the names after it stay unknown: a type left unnamed is shown
 * bare, never wrongly). */
const char *abi_rtype_name(struct ps_abi *abi, uint64_t addr)
{
	bool found;
	walk_all(abi);
	const struct rtype *r = u64map_get(&abi->rtypes, addr, &found);
	return r != NULL ? r->name : NULL;
}

int abi_pc_line(struct ps_abi *abi, Dwarf_Off cuoff, uint64_t pc,
		const char **file, int *line)
{
	Dwarf_Die cu;
	Dwarf_Line *l;
	if (dwarf_offdie(abi_line_dwarf(abi), cuoff, &cu) == NULL
	    || (l = dwarf_getsrc_die(&cu, pc)) == NULL
	    || dwarf_lineno(l, line) != 0
	    || (*file = dwarf_linesrc(l, NULL, NULL)) == NULL)
		return -1;
	return 0;
}
