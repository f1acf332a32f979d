/* intern.c - string interning: a compact table of its own.
 *
 * A dump of 10^6 distinct frames interns two million strings, so each
 * costs little beyond its bytes: an entry is its length, the bytes and
 * a NUL, packed with no alignment into blocks, and the table's cell is
 * 8 bytes: the top TAG_BITS bits of the mixed hash above a reference to
 * the string (block number and offset).  The generic ps_map would spend
 * 16 bytes a cell and an 8-byte-aligned entry with an 8-byte length
 * (56 + 64 MB there, against 39 + 32 MB here).
 *
 * The length is one byte below 128 (most names and paths), else the
 * byte 0xff, 4 bytes of length and the byte 0x80: read backwards from
 * the string (ps_intern_len, inline in ps_base.h), its last byte tells
 * the two apart (a short length is below 0x80), and read forwards, its
 * first byte does.
 *
 * A string's home is the top bits of its mixed hash, which the cell
 * keeps: a doubling sends home i to 2i or 2i+1, so it reads the old
 * cells in order and writes the new ones nearly in order, with no byte
 * hashed again.  Only past 2^TAG_BITS cells (2^27 strings) does a
 * doubling hash every entry again.  User
 * slots live in a ps_map of their own, by string address: few tables
 * use them. */
#include "ps_base.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifndef PS_INTERN_TAG_BITS              /* a test builds it smaller */
#define PS_INTERN_TAG_BITS 28
#endif
#define TAG_BITS PS_INTERN_TAG_BITS
#define SHORT_MAX PS_INTERN_SHORT_MAX   /* longest length in one byte */
#define LONG_HDR 6                      /* 0xff, 4 bytes, 0x80 */
#define OFF_BITS 21                     /* offset inside a block: 2 MiB, PS_BIG_MIN */
#define REF_BITS (64 - TAG_BITS)        /* block << OFF_BITS | offset */
#define REF_MASK ((UINT64_C(1) << REF_BITS) - 1)
#define TAG_MASK (~REF_MASK)
#define MAX_BLOCKS (UINT64_C(1) << (REF_BITS - OFF_BITS))
#define BLOCK_MAX ((size_t)1 << OFF_BITS)  /* shared blocks, at most */
#define BLOCK_MIN ((size_t)4096)           /* the first block */

struct block {
	char *p;
	size_t size, used;
};

struct ps_intern {
	uint64_t *cells;          /* tag | ref of the string, or 0 (a
				     string follows its length: no ref 0) */
	size_t mask, len;
	unsigned bits;            /* log2 of the cell count */
	struct block *blocks;     /* in the order strings were stored */
	size_t n_blocks, cap_blocks;
	size_t open;              /* the block small strings go to */
	ps_intern *moved_to;      /* after ps_intern_move */
	struct ps_map slots;      /* string address -> its user slot */
	struct ps_arena values;   /* user slots and values (ps_intern_arena) */
};

static size_t hdr_size(size_t n)
{
	return n <= SHORT_MAX ? 1 : LONG_HDR;
}

/* The length before S, read backwards (ps_base.h, inline). */
static uint32_t load_len(const char *s)
{
	return (uint32_t)ps_intern_len(s);
}

/* Writes the length N at E; returns where the string goes. */
static char *store_len(char *e, uint32_t n)
{
	if (n <= SHORT_MAX) {
		e[0] = (char)n;
		return e + 1;
	}
	e[0] = (char)0xff;
	memcpy(e + 1, &n, sizeof(n));
	e[5] = (char)0x80;
	return e + LONG_HDR;
}

static char *str_at(const ps_intern *t, uint64_t ref)
{
	return t->blocks[ref >> OFF_BITS].p + (ref & (BLOCK_MAX - 1));
}

ps_intern *ps_intern_new(void)
{
	return ps_xcalloc(1, sizeof(ps_intern));
}

void ps_intern_free(ps_intern *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_blocks; i++)
		ps_big_free(t->blocks[i].p, t->blocks[i].size);
	free(t->blocks);
	ps_big_free(t->cells, (t->mask + 1) * sizeof(*t->cells));
	ps_arena_release(&t->values);
	ps_map_release(&t->slots);
	free(t);
}

/* The content hash, mixed so that its top bits are spread. */
static uint64_t mixed_hash(const char *s, size_t n)
{
	uint64_t h = ps_hash_bytes(s, n, PS_HASH_SEED);
	h ^= h >> 33;
	return h * 0xff51afd7ed558ccdULL;
}

static size_t home(const ps_intern *t, uint64_t m)
{
	return (size_t)(m >> (64 - t->bits));
}

/* Puts CELL (tag | ref, its mixed hash's top bits M) in the table. */
static void place(ps_intern *t, uint64_t m, uint64_t cell)
{
	size_t i = home(t, m);
	while (t->cells[i])
		i = (i + 1) & t->mask;
	t->cells[i] = cell;
}

/* Places every cell of OLD again, its bytes hashed anew: the tags are
 * too short for a table this big. */
static void rehash_cells(ps_intern *t, const uint64_t *old, size_t old_n)
{
	for (size_t i = 0; i < old_n; i++) {
		if (!old[i])
			continue;
		const char *e = str_at(t, old[i] & REF_MASK);
		uint64_t m = mixed_hash(e, load_len(e));
		place(t, m, (m & TAG_MASK) | (old[i] & REF_MASK));
	}
}

/* Doubles the table (2^6 cells at first). */
static void grow(ps_intern *t)
{
	uint64_t *old = t->cells;
	size_t old_n = old ? t->mask + 1 : 0;
	t->bits = old ? t->bits + 1 : 6;
	t->mask = ((size_t)1 << t->bits) - 1;
	t->cells = ps_big_alloc((t->mask + 1) * sizeof(*t->cells));
	if (t->bits <= TAG_BITS) {
		/* the tag holds the new home: old cells in order */
		for (size_t i = 0; i < old_n; i++)
			if (old[i])
				place(t, old[i], old[i]);
		ps_big_free(old, old_n * sizeof(*old));
		return;
	}
	rehash_cells(t, old, old_n);
	ps_big_free(old, old_n * sizeof(*old));
}

static void add_block(ps_intern *t, size_t size)
{
	if (t->n_blocks == MAX_BLOCKS) /* 2^15 blocks: 64 GiB of strings */
		ps_out_of_memory(size);
	if (t->n_blocks == t->cap_blocks) {
		t->cap_blocks = t->cap_blocks ? t->cap_blocks * 2 : 8;
		t->blocks = ps_xrealloc(t->blocks, t->cap_blocks * sizeof(*t->blocks));
	}
	t->blocks[t->n_blocks++] = (struct block){ ps_big_realloc(NULL, 0, size), size, 0 };
}

/* Room for an entry of BYTES: its block and offset.  A string too big
 * for a shared block gets one of its own (its offset still fits), and
 * small strings keep filling the open block. */
static char *reserve(ps_intern *t, size_t bytes, size_t *block, size_t *off)
{
	size_t b = t->open;
	if (bytes > BLOCK_MAX / 2) {
		add_block(t, bytes);
		b = t->n_blocks - 1;
	} else if (!t->n_blocks || t->blocks[b].size - t->blocks[b].used < bytes) {
		size_t size = t->n_blocks ? t->blocks[b].size * 2 : BLOCK_MIN;
		size = size > BLOCK_MAX ? BLOCK_MAX : size < bytes ? bytes : size;
		add_block(t, size);
		b = t->open = t->n_blocks - 1;
	}
	*block = b;
	*off = t->blocks[b].used;
	t->blocks[b].used += bytes;
	return t->blocks[b].p + *off;
}

/* S (N bytes, mixed hash M) in T, or NULL with *AT its free cell.  With
 * N_KNOWN false, S is an interned string (of a moved table) whose length
 * is read only when a cell's tag matches: a move probes for many strings
 * DST lacks, and reading each one's length was a cache miss.  Inline:
 * the hot path of every interned string. */
static inline const char *probe(const ps_intern *t, const char *s, size_t n, bool n_known,
				uint64_t m, size_t *at)
{
	uint64_t tag = m & TAG_MASK;
	size_t i = home(t, m);
	for (uint64_t c; (c = t->cells[i]); i = (i + 1) & t->mask) {
		if ((c & TAG_MASK) != tag)
			continue;
		const char *e = str_at(t, c & REF_MASK);
		if (!n_known)
			n = load_len(s);
		if (load_len(e) == n && memcmp(e, s, n) == 0)
			return e;
	}
	*at = i;
	return NULL;
}

static inline const char *lookup(const ps_intern *t, const char *s, size_t n, uint64_t m,
				 size_t *at)
{
	return probe(t, s, n, true, m, at);
}

/* S (N bytes, mixed hash M) in T, stored when new.  T has room for one
 * more string (room_for_one) and M is good for T's size. */
static const char *intern_hashed(ps_intern *t, const char *s, size_t n, uint64_t m)
{
	size_t i, b, off;
	const char *found = lookup(t, s, n, m, &i);
	if (found)
		return found;
	size_t hdr = hdr_size(n);
	char *e = store_len(reserve(t, hdr + n + 1, &b, &off), (uint32_t)n);
	memcpy(e, s, n);
	e[n] = '\0';
	t->cells[i] = (m & TAG_MASK) | (uint64_t)b << OFF_BITS | (off + hdr);
	t->len++;
	return e;
}

static void room_for_one(ps_intern *t)
{
	if ((t->len + 1) * 4 > (t->cells ? t->mask + 1 : 0) * 3)
		grow(t);
}

const char *ps_intern_str(ps_intern *t, const char *s, size_t n)
{
	/* the length is 32-bit; the parser's lines are far shorter */
	if (n >= UINT32_MAX - LONG_HDR)
		ps_out_of_memory(n + LONG_HDR + 1);
	room_for_one(t);
	return intern_hashed(t, s, n, mixed_hash(s, n));
}

/* The byte before a moved string that holds its copy's address: above
 * 0x80, which no length's last byte is (a short length is below it, a
 * long one ends in it).  The address goes after the first byte, which
 * stays (a caller tells "" apart by it), over the rest and the NUL,
 * which nothing reads after the move: strings of 8 bytes or more have
 * room; a shorter one's copy is looked up by its bytes. */
#define MOVED_MARK 0xffu

static bool holds_copy(size_t n)
{
	return n >= sizeof(char *);
}

/* SRC's blocks go behind DST's, where they stay: a reference of SRC is
 * DST's BASE blocks further on.  Returns BASE. */
static uint64_t adopt_blocks(ps_intern *dst, ps_intern *src)
{
	size_t base = dst->n_blocks;
	if (src->n_blocks > MAX_BLOCKS - base)
		ps_out_of_memory(BLOCK_MAX); /* 2^15 blocks: 64 GiB of strings */
	if (dst->cap_blocks - base < src->n_blocks) {
		dst->cap_blocks = base + src->n_blocks;
		dst->blocks = ps_xrealloc(dst->blocks, dst->cap_blocks * sizeof(*dst->blocks));
	}
	if (src->n_blocks)
		memcpy(dst->blocks + base, src->blocks, src->n_blocks * sizeof(*src->blocks));
	dst->n_blocks += src->n_blocks;
	src->n_blocks = 0;
	return (uint64_t)base << OFF_BITS;
}

/* The mixed hash of SRC's string at S (cell C) as far as DST's table
 * needs it: the tag, while DST is within the tags' reach. */
static uint64_t moved_hash(const ps_intern *dst, const char *s, uint64_t c)
{
	return dst->bits > TAG_BITS ? mixed_hash(s, load_len(s)) : c & TAG_MASK;
}

/* Over SRC's string S, which DST holds at COPY, COPY's address, when
 * it has room (ps_intern_moved reads it there). */
static void mark_moved(char *s, const char *copy)
{
	if (holds_copy(load_len(s))) {
		memcpy(s + 1, &copy, sizeof(copy));
		s[-1] = (char)MOVED_MARK;
	}
}

static int by_ref(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a & REF_MASK, y = *(const uint64_t *)b & REF_MASK;
	return (x > y) - (x < y);
}

/* The strings of SRC's cells FRESH[0..N), which DST lacks, become DST's.
 * Most of SRC (a range's argument lists): SRC's blocks join DST's and
 * each string gets a cell pointing where it already is, no copy made.
 * A few (a range that repeats what was read before: a second copy of a
 * dump): they are copied, in the order SRC stored them, and SRC's
 * blocks, mostly dead copies by now, go with SRC, so memory follows the
 * distinct strings, not the input. */
static void take_fresh(ps_intern *dst, ps_intern *src, uint64_t *fresh, size_t n)
{
	if (n * 2 >= src->len) {
		uint64_t base = adopt_blocks(dst, src);
		for (size_t i = 0; i < n; i++) {
			uint64_t ref = (fresh[i] & REF_MASK) + base;
			const char *s = str_at(dst, ref);
			size_t at = 0; /* set: S is not in DST */
			(void)probe(dst, s, 0, false, moved_hash(dst, s, fresh[i]), &at);
			dst->cells[at] = (fresh[i] & TAG_MASK) | ref;
			dst->len++;
		}
		return;
	}
	qsort(fresh, n, sizeof(*fresh), by_ref);
	for (size_t i = 0; i < n; i++) {
		char *s = str_at(src, fresh[i] & REF_MASK);
		mark_moved(s, intern_hashed(dst, s, load_len(s), moved_hash(dst, s, fresh[i])));
	}
}

/* SRC's strings become DST's.  Each is looked for in DST: one DST has
 * is a dead copy, over which the address of DST's is written when it
 * has room (ps_intern_moved reads it there: no hash, probe or compare
 * for each frame, state and created-by of a merged range, and no map);
 * the others are DST's lacks (take_fresh).  SRC's cells are read in
 * order, and their tags hold the top bits of the hashes, so DST's homes
 * come in order too, and no byte is hashed again while DST's table is
 * within the tags' reach; a string's bytes are read only when a tag
 * matches.  Strings DST lacked lie in the order a range of the dump met
 * them, which is the order its goroutines are read in later (copies
 * made in hash order once cost every later read of the range's argument
 * lists a cache miss). */
void ps_intern_move(ps_intern *dst, ps_intern *src)
{
	src->moved_to = dst;
	while ((dst->len + src->len + 1) * 4 > (dst->cells ? dst->mask + 1 : 0) * 3)
		grow(dst);
	uint64_t *fresh = ps_xmalloc((src->len ? src->len : 1) * sizeof(*fresh));
	size_t n = 0;
	for (size_t i = 0; src->len && i <= src->mask; i++) {
		uint64_t c = src->cells[i];
		if (!c)
			continue;
		char *s = str_at(src, c & REF_MASK);
		size_t at;
		const char *copy = probe(dst, s, 0, false, moved_hash(dst, s, c), &at);
		if (copy)
			mark_moved(s, copy);
		else
			fresh[n++] = c;
	}
	take_fresh(dst, src, fresh, n);
	free(fresh);
}

/* S is a string of SRC or already DST's (a frame met twice, in frames
 * arrays that share elements).  Unmarked, a string of 8 bytes or more
 * is DST's as it is (every such copy was marked); a shorter one is
 * looked up by its bytes, and may be itself. */
const char *ps_intern_moved(const ps_intern *src, const char *s)
{
	size_t n, at;
	const char *copy;
	if ((unsigned char)s[-1] == MOVED_MARK) {
		memcpy(&copy, s + 1, sizeof(copy));
		return copy;
	}
	n = load_len(s);
	if (holds_copy(n))
		return s;
	return lookup(src->moved_to, s, n, mixed_hash(s, n), &at);
}

void **ps_intern_slot(ps_intern *t, const char *s)
{
	/* the address is the whole key: interned strings are unique */
	void **cell = ps_map_slot(&t->slots, (uint64_t)(uintptr_t)s, NULL, s);
	if (!*cell)
		*cell = ps_arena_calloc(&t->values, sizeof(void *));
	return *cell;
}

struct ps_arena *ps_intern_arena(ps_intern *t)
{
	return &t->values;
}

size_t ps_intern_count(const ps_intern *t)
{
	return t->len;
}
