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

void ps_map_grow(struct ps_map *m)
{
	size_t mask = m->mask ? m->mask * 2 + 1 : 63;
	uint64_t *hashes = ps_xcalloc(mask + 1, sizeof(*hashes));
	void **vals = ps_xcalloc(mask + 1, sizeof(*vals));

	for (size_t i = 0; m->vals && i <= m->mask; i++) {
		if (!m->vals[i])
			continue;
		size_t j = ps_map_home(m->hashes[i], mask);
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

void ps_map_release(struct ps_map *m)
{
	free(m->hashes);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
