/* memo.c - JSON bytes written once per distinct parsed piece.
 *
 * The parser shares frames arrays, argument texts and created-by lines
 * between goroutines that printed the same thing, and they never change
 * after the parse: the JSON of one (for one view) is the same every
 * time, so a writer may copy it instead of formatting it again.  Bytes
 * are kept only for a key seen a second time (a key met once, the common
 * case of a unique stack, costs one map entry, not a copy of its JSON),
 * and at most RP_MEMO_CAP of them: past that, writers format as before. */
#include "report_int.h"

#include <string.h>

#define RP_MEMO_CAP ((size_t)64 << 20)

struct memo_entry {
	struct rp_memo_key key;
	const char *json;       /* NULL: seen once, not kept */
	size_t len;
};

static bool entry_is(const void *value, const void *key)
{
	const struct memo_entry *e = value;
	return memcmp(&e->key, key, sizeof(e->key)) == 0;
}

static uint64_t key_hash(const struct rp_memo_key *k)
{
	uint64_t h = 0;
	for (size_t i = 0; i < RP_MEMO_WORDS; i++)
		h = (h ^ k->w[i]) * 0x9e3779b97f4a7c15ULL;
	return h;
}

bool rp_memo_copy(struct rp_memo *m, const struct rp_memo_key *k, struct rp_buf *b)
{
	const struct memo_entry *e = ps_map_get(&m->map, key_hash(k), entry_is, k);

	if (!e || !e->json)
		return false;
	rp_buf_add(b, e->json, e->len);
	return true;
}

void rp_memo_keep(struct rp_memo *m, const struct rp_memo_key *k,
		  const struct rp_buf *b, size_t start)
{
	void **slot = ps_map_slot(&m->map, key_hash(k), entry_is, k);
	struct memo_entry *e = *slot;
	size_t len = b->len - start;

	if (!e) {
		e = ps_arena_calloc(&m->arena, sizeof(*e));
		e->key = *k;
		*slot = e;
		return;
	}
	if (e->json || len > RP_MEMO_CAP - m->bytes)
		return;
	e->json = ps_arena_memdup(&m->arena, b->p + start, len);
	e->len = len;
	m->bytes += len;
}

void rp_memo_release(struct rp_memo *m)
{
	ps_map_release(&m->map);
	ps_arena_release(&m->arena);
	m->bytes = 0;
}
