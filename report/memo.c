/* memo.c - JSON bytes written once per distinct parsed piece.
 *
 * The parser shares frames arrays, argument texts and created-by lines
 * between goroutines that printed the same thing, and they never change
 * after the parse: the JSON of one (for one view) is the same every
 * time, so a writer may copy it instead of formatting it again.
 *
 * Only keys met again are kept: a unique stack, the common case, must
 * not cost a copy of its JSON.  A first meeting is noted in a table of
 * hash tags that grows with the notes up to SEEN_MAX slots, overwritten on
 * collision: a key that recurs only after many others may be formatted
 * again, which costs time, never a wrong byte, as kept bytes are found
 * by their whole key.  Kept bytes stop at RP_MEMO_CAP; past that,
 * writers format as before. */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#define RP_MEMO_CAP ((size_t)16 << 20)   /* per memo; the 100k dump keeps 2.7 MB in all */
#define SEEN_MIN ((size_t)1 << 10)
#define SEEN_MAX ((size_t)1 << 13)      /* 32 KiB: stays in cache */

/* Notes hash H; true if it was noted already.  A slot is picked by H's
 * low bits and holds its high 32: a false "noted" only keeps bytes that
 * were not needed.  Growing forgets the notes (they are hints). */
static bool seen_before(struct rp_memo *m, uint64_t h)
{
	uint32_t tag = (uint32_t)(h >> 32) | 1;         /* 0: an empty slot */

	if (m->n_notes >= m->n_seen && m->n_seen < SEEN_MAX) {
		size_t n = m->n_seen ? m->n_seen * 4 : SEEN_MIN;
		free(m->seen);
		m->seen = ps_xcalloc(n, sizeof(*m->seen));
		m->n_seen = n;
	}
	if (m->seen[h & (m->n_seen - 1)] == tag)
		return true;
	m->seen[h & (m->n_seen - 1)] = tag;
	m->n_notes++;
	return false;
}

void rp_memo_keep(struct rp_memo *m, const struct rp_memo_key *k, uint64_t h,
		  const struct rp_buf *b, size_t start)
{
	size_t len = b->len - start;
	struct rp_memo_entry *e;

	if (len > RP_MEMO_CAP - m->bytes)
		return;
	if (!seen_before(m, h))
		return;
	e = ps_arena_alloc(&m->arena, sizeof(*e));
	e->key = *k;
	e->json = ps_arena_memdup(&m->arena, b->p + start, len);
	e->len = len;
	*ps_map_slot(&m->map, h, rp_memo_entry_is, k) = e;
	m->bytes += len;
}

void rp_memo_release(struct rp_memo *m)
{
	ps_map_release(&m->map);
	ps_arena_release(&m->arena);
	free(m->seen);
	m->seen = NULL;
	m->n_seen = m->n_notes = 0;
	m->bytes = 0;
}
