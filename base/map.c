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
	struct ps_map_slot *slots = ps_xcalloc(mask + 1, sizeof(*slots));

	for (size_t i = 0; m->slots && i <= m->mask; i++) {
		if (!m->slots[i].val)
			continue;
		size_t j = ps_map_home(m->slots[i].hash, mask);
		while (slots[j].val)
			j = (j + 1) & mask;
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->mask = mask;
}

void ps_map_release(struct ps_map *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
