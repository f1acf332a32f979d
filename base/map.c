/* map.c - the one open-addressing hash table of the project.
 *
 * Entries are (64-bit hash, non-NULL value pointer).  A caller whose
 * key is a 64-bit number passes it as the hash and no EQ; a caller with
 * longer keys (byte strings, stacks) hashes them and passes EQ, which
 * compares a stored value with the key, so equal hashes never merge
 * different keys. */
#include "ps_base.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(uint64_t h, size_t mask)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & mask;
}

static void grow(struct ps_map *m)
{
	size_t mask = m->mask ? m->mask * 2 + 1 : 63;
	uint64_t *hashes = ps_xcalloc(mask + 1, sizeof(*hashes));
	void **vals = ps_xcalloc(mask + 1, sizeof(*vals));

	for (size_t i = 0; m->vals && i <= m->mask; i++) {
		if (!m->vals[i])
			continue;
		size_t j = slot_of(m->hashes[i], mask);
		while (vals[j])
			j = (j + 1) & mask;
		hashes[j] = m->hashes[i];
		vals[j] = m->vals[i];
	}
	free(m->hashes);
	free(m->vals);
	m->hashes = hashes;
	m->vals = vals;
	m->mask = mask;
}

static size_t probe(const struct ps_map *m, uint64_t hash, ps_map_eq eq,
		    const void *key)
{
	size_t i = slot_of(hash, m->mask);

	while (m->vals[i] &&
	       (m->hashes[i] != hash || (eq && !eq(m->vals[i], key))))
		i = (i + 1) & m->mask;
	return i;
}

void *ps_map_get(const struct ps_map *m, uint64_t hash, ps_map_eq eq,
		 const void *key)
{
	if (!m->vals)
		return NULL;
	return m->vals[probe(m, hash, eq, key)];
}

void **ps_map_slot(struct ps_map *m, uint64_t hash, ps_map_eq eq,
		   const void *key)
{
	if ((m->len + 1) * 4 > (m->vals ? m->mask + 1 : 0) * 3)
		grow(m);
	size_t i = probe(m, hash, eq, key);
	if (!m->vals[i]) {
		m->hashes[i] = hash;
		m->len++;
	}
	return &m->vals[i];
}

void ps_map_release(struct ps_map *m)
{
	free(m->hashes);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
