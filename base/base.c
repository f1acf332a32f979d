/* base.c - errors, checked allocation, arena and vector. */
#include "ps_base.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static const char *const err_texts[] = {
#define PS_E(code, text) text,
	PS_ERRORS
#undef PS_E
};

const char *ps_err_text(enum ps_err code)
{
	if ((size_t)code >= sizeof(err_texts) / sizeof(err_texts[0]))
		return "unknown error";
	return err_texts[code];
}

int ps_error_set(struct ps_error *err, enum ps_err code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* The hook is set once by the command before any work starts; it is
 * configuration, not state that changes while running. */
static ps_oom_hook oom_hook;

void ps_set_oom_hook(ps_oom_hook hook)
{
	oom_hook = hook;
}

_Noreturn void ps_out_of_memory(size_t wanted)
{
	if (oom_hook)
		oom_hook(wanted);
	abort();
}

static void *oom(size_t n)
{
	ps_out_of_memory(n);
}

void *ps_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom(n);
}

void *ps_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : oom(n * size);
}

void *ps_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : oom(n);
}

char *ps_xstrndup(const char *s, size_t n)
{
	char *d = ps_xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- big buffers ----
 * A buffer of PS_BIG_MIN bytes or more is a mapping of its own, a smaller
 * one is malloc's: a vector grows by moving its pages (mremap), not its
 * bytes, and a freed table goes back to the kernel at once.  The size
 * decides which kind a buffer is, so callers pass it back, and a buffer
 * never changes kind without being copied.
 * No transparent huge pages: on a VM that hands free memory back to its
 * host (a balloon with free page reporting: Firecracker, many clouds),
 * fresh huge pages are the ones handed back, and the host fills each
 * again on first touch.  On the 2-vCPU CI machine a run 2.5 s after the
 * last (a user's run) took 0.37 s of CPU with them and 0.275 s without
 * at --jobs 2; back to back they won only at --jobs 1 (0.179 against
 * 0.192 s) and lost at --jobs 2 (0.248 against 0.239 s). */
static size_t big_round(size_t n)
{
	if (n > SIZE_MAX - PS_BIG_MIN)
		ps_out_of_memory(n);
	return (n + PS_BIG_MIN - 1) & ~(PS_BIG_MIN - 1);
}

/* A mapping of N bytes or more.  POPULATE: a table, whose probes read
 * cells before any is written.  A read maps the shared zero page and the
 * first write replaces it, which flushes that address from every CPU the
 * process runs on: with --jobs, an interrupt to the other core per page
 * (a tenth of a 2-thread parse on a 2-core VM).  Writable pages made
 * up front take no such fault. */
static void *big_map(size_t n, bool populate)
{
	size_t len = big_round(n);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		ps_out_of_memory(n);
#ifdef MADV_POPULATE_WRITE
	/* a kernel before 5.14 refuses it: the pages come on first use */
	if (populate)
		(void)madvise(p, len, MADV_POPULATE_WRITE);
#endif
	return p;
}

size_t ps_big_size(size_t n)
{
	return n < PS_BIG_MIN ? n : big_round(n);
}

/* A new buffer of N bytes, of the kind its size says; not zeroed. */
static void *big_new(size_t n)
{
	return n < PS_BIG_MIN ? ps_xmalloc(n) : big_map(n, false);
}

/* Zeroed by writing, not calloc: glibc maps a calloc of 128 KiB and
 * more afresh and leaves its pages to the zero page (big_map says why
 * that costs). */
void *ps_big_alloc(size_t n)
{
	if (n >= PS_BIG_MIN)
		return big_map(n, true);
	void *p = ps_xmalloc(n);
	return memset(p, 0, n);
}

void *ps_big_realloc(void *p, size_t old, size_t n)
{
	if (!p)
		return big_new(n);
	if (old < PS_BIG_MIN && n < PS_BIG_MIN)
		return ps_xrealloc(p, n);
	if (old >= PS_BIG_MIN && n >= PS_BIG_MIN) {
		/* the pages move, not the bytes; the advice moves with them */
		void *q = mremap(p, big_round(old), big_round(n), MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			ps_out_of_memory(n);
		return q;
	}
	void *q = big_new(n);
	memcpy(q, p, old < n ? old : n);
	ps_big_free(p, old);
	return q;
}

void ps_big_free(void *p, size_t n)
{
	if (n < PS_BIG_MIN)
		free(p);
	else if (p)
		munmap(p, big_round(n));
}

/* ---- arena ---- */

struct ps_arena_block {
	struct ps_arena_block *next;
	size_t size, used;
	max_align_t data[];
};

#define ARENA_MIN_BLOCK (64 * 1024 - sizeof(struct ps_arena_block))

void *ps_arena_alloc(struct ps_arena *a, size_t n)
{
	struct ps_arena_block *b = a->head;

	n = (n + 7) & ~(size_t)7;
	if (!b || b->size - b->used < n) {
		/* Blocks grow with the arena so huge dumps need few mallocs. */
		size_t size = ARENA_MIN_BLOCK;
		if (a->used_total > size * 4)
			size = a->used_total / 4 > (16u << 20) ? (16u << 20)
							       : a->used_total / 4;
		/* past a megabyte, blocks of whole mappings (ps_big_realloc) */
		if (a->used_total >= PS_BIG_MIN / 2 && size < PS_BIG_MIN)
			size = PS_BIG_MIN - sizeof(*b);
		if (size < n)
			size = n;
		if (size > SIZE_MAX - sizeof(*b))
			ps_out_of_memory(size);
		/* a big block gets the whole of its rounded-up mapping */
		size = ps_big_size(sizeof(*b) + size) - sizeof(*b);
		b = ps_big_realloc(NULL, 0, sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	a->used_total += n;
	return p;
}

void *ps_arena_calloc(struct ps_arena *a, size_t n)
{
	return memset(ps_arena_alloc(a, n), 0, n);
}

void *ps_arena_memdup(struct ps_arena *a, const void *p, size_t n)
{
	return n ? memcpy(ps_arena_alloc(a, n), p, n) : ps_arena_alloc(a, 0);
}

/* What an adopted block's data holds: the buffer to free, and its size. */
struct adopted {
	void *p;
	size_t n;
};

/* An adopted block: size 0, so allocations never land in it, and its
 * data is a struct adopted.  Linked behind the head, so the head's free
 * room stays in use. */
void *ps_arena_adopt(struct ps_arena *a, void *p, size_t n)
{
	struct ps_arena_block *b = ps_xmalloc(sizeof(*b) + sizeof(struct adopted));
	b->size = b->used = 0;
	memcpy(b->data, &(struct adopted){ p, n }, sizeof(struct adopted));
	if (a->head) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = NULL;
		a->head = b;
	}
	a->used_total += n;
	return p;
}

char *ps_arena_strndup(struct ps_arena *a, const char *s, size_t n)
{
	char *d = ps_arena_alloc(a, n + 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *ps_arena_printf(struct ps_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *d = ps_arena_alloc(a, (size_t)n + 1);
	vsnprintf(d, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return d;
}

/* SRC's blocks go behind DST's head, as adopted ones do: DST's head
 * keeps handing out its free room. */
void ps_arena_take(struct ps_arena *dst, struct ps_arena *src)
{
	struct ps_arena_block *last = src->head;
	if (!last)
		return;
	while (last->next)
		last = last->next;
	if (dst->head) {
		last->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
	}
	dst->used_total += src->used_total;
	src->head = NULL;
	src->used_total = 0;
}

void ps_arena_release(struct ps_arena *a)
{
	struct ps_arena_block *b = a->head, *next;
	for (; b; b = next) {
		next = b->next;
		if (!b->size) {
			struct adopted d;
			memcpy(&d, b->data, sizeof(d));
			ps_big_free(d.p, d.n);
			free(b);
		} else {
			ps_big_free(b, sizeof(*b) + b->size);
		}
	}
	a->head = NULL;
	a->used_total = 0;
}

/* ---- vector ---- */

void ps_vec_init(struct ps_vec *v, size_t elem_size)
{
	memset(v, 0, sizeof(*v));
	v->elem = elem_size;
}

/* Doubles V's room (16 elements at first). */
void ps_vec_grow(struct ps_vec *v)
{
	size_t cap = v->cap ? v->cap * 2 : 16;
	if (cap > SIZE_MAX / v->elem)
		ps_out_of_memory(SIZE_MAX);
	v->data = ps_big_realloc(v->data, v->cap * v->elem, cap * v->elem);
	v->cap = cap;
}

void *ps_vec_finish(struct ps_vec *v, struct ps_arena *a, size_t *len)
{
	void *out = v->len ? ps_arena_memdup(a, v->data, v->len * v->elem) : NULL;
	*len = v->len;
	v->len = 0;
	return out;
}

void *ps_vec_steal(struct ps_vec *v, struct ps_arena *a, size_t *len)
{
	void *out = NULL;
	*len = v->len;
	if (v->len)
		out = ps_arena_adopt(a, ps_big_realloc(v->data, v->cap * v->elem,
						       v->len * v->elem),
				     v->len * v->elem);
	else
		ps_big_free(v->data, v->cap * v->elem);
	v->data = NULL;
	v->len = v->cap = 0;
	return out;
}

void ps_vec_release(struct ps_vec *v)
{
	ps_big_free(v->data, v->cap * v->elem);
	v->data = NULL;
	v->len = v->cap = 0;
}

/* Eight bytes per step with a multiply-xorshift mix: interning and
 * grouping hash every function name and path of a dump. */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

uint64_t ps_hash_bytes(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	h ^= n * 0x9e3779b97f4a7c15ULL;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = mix(h ^ w) + 0x9e3779b97f4a7c15ULL;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	return mix(h ^ w ^ (uint64_t)n << 56);
}
